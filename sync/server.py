"""The host's asyncio driver: a websockets server at /sync around HostCore, plus mDNS."""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from storage import faults
from storage.ops import Op
from storage.replica import Replica
from sync import messages as m
from sync import tls
from sync.discovery import Advertiser
from sync.hostcore import Action, Close, HostCore, Send

log = logging.getLogger("tallyboard.host")


@dataclass
class HostConfig:
    """How a host serves: address, port, TLS, mDNS and the limits of PROTOCOL.md section 7."""

    bind: str = "0.0.0.0"
    port: int = 8765
    secure: bool = True
    advertise: bool = True
    board_interval: float = 0.05  # at most one leaderboard per 50 ms per role, the last always
    max_lag_bytes: int = 1024 * 1024  # a peer further behind than this is closed and resyncs
    hello_timeout: float = 10.0
    ping_interval: float = 10.0
    max_unauthenticated: int = 64
    rate: float = 50.0
    burst: float = 200.0


def host_certificate(replica: Replica) -> tuple[bytes, bytes]:
    """Return the event's certificate and key, made once and kept in the host's database."""
    cert, key = replica.setting("tls_cert"), replica.setting("tls_key")
    if cert is None or key is None:
        cert_pem, key_pem = tls.make_certificate(replica.state.event()["name"])
        replica.set_setting("tls_cert", cert_pem.decode("ascii"))
        replica.set_setting("tls_key", key_pem.decode("ascii"))
        return cert_pem, key_pem
    return cert.encode("ascii"), key.encode("ascii")


class HostServer:
    """Serve one event's replica to its peers."""

    def __init__(self, replica: Replica, config: HostConfig | None = None) -> None:
        self.replica = replica
        self.config = config or HostConfig()
        self.fingerprint: str | None = None
        self._ssl: ssl.SSLContext | None = None
        if self.config.secure:
            cert_pem, key_pem = host_certificate(replica)
            self.fingerprint = tls.fingerprint_pem(cert_pem)
            self._ssl = tls.server_context(cert_pem, key_pem)
        self.core = HostCore(
            replica,
            max_unauthenticated=self.config.max_unauthenticated,
            rate=self.config.rate,
            burst=self.config.burst,
            fingerprint=self.fingerprint,
        )
        self._server: Server | None = None
        self._advertiser: Advertiser | None = None
        self._connections: dict[int, ServerConnection] = {}
        self._batch: list[tuple[Any, list[Any]]] = []
        self._commit_scheduled = False
        self._board_handle: asyncio.TimerHandle | None = None
        self._last_board = 0.0
        self.listeners: list[Callable[[], None]] = []  # told after every change, for the console

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0)."""
        assert self._server is not None
        sockets = list(self._server.sockets)
        return int(sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        """The URL peers connect to."""
        scheme = "wss" if self.config.secure else "ws"
        return f"{scheme}://{self.config.bind}:{self.port}/sync"

    async def start(self) -> None:
        """Listen, and advertise on mDNS."""
        self._server = await serve(
            self._handle,
            self.config.bind,
            self.config.port,
            ssl=self._ssl,
            compression=None,  # deflate would triple the cost of every broadcast
            max_size=m.MAX_FRAME,
            ping_interval=self.config.ping_interval,
            ping_timeout=self.config.ping_interval,
            process_request=self._check_path,
            server_header="Tallyboard",
        )
        log.info("serving event %r at %s", self.replica.state.event()["name"], self.url)
        if self.fingerprint:
            log.info("certificate fingerprint %s", self.fingerprint)
        if self.config.advertise:
            self._advertiser = Advertiser(
                self.replica.state.event()["name"],
                self.port,
                event_id=self.replica.event_id,
                fingerprint=self.fingerprint,
                bind=self.config.bind,
            )
            await self._advertiser.start()

    async def stop(self) -> None:
        """Withdraw the advertisement, close every connection and stop listening."""
        if self._board_handle is not None:
            self._board_handle.cancel()
        if self._batch:
            self._commit()
        if self._advertiser is not None:
            await self._advertiser.stop()
            self._advertiser = None
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    @staticmethod
    def _check_path(connection: ServerConnection, request: Request) -> Response | None:
        if request.path != "/sync":
            return connection.respond(HTTPStatus.NOT_FOUND, "Tallyboard syncs at /sync\n")
        return None

    async def _handle(self, connection: ServerConnection) -> None:
        address = str(connection.remote_address[0]) if connection.remote_address else "?"
        session = self.core.open(address)
        if session is None:
            await connection.close(m.CLOSE_RATE, "too many unauthenticated connections")
            return
        self._connections[session.sid] = connection
        loop = asyncio.get_running_loop()
        watchdog = loop.call_later(self.config.hello_timeout, self._hello_timeout, session)
        try:
            async for frame in connection:
                actions, ops = self.core.receive(session, frame)
                self.perform(actions)
                if session.authenticated:
                    watchdog.cancel()
                if ops is not None and not session.closed:
                    self._queue(session, ops)
                # An idle peer's handler waits here for its next frame: let go of the last
                # frame and of the replies sent (a display's welcome and board, ~3 KB), so
                # that they do not stay in memory for every connection.
                del frame, actions, ops
        except ConnectionClosed:
            pass
        finally:
            watchdog.cancel()
            self._connections.pop(session.sid, None)
            if not session.closed:
                self.core.close(session)
            if connection.close_code not in (None, 1000, 1001):
                log.info(
                    "%s closed: %s %s", session, connection.close_code, connection.close_reason
                )
            self._notify()

    def _hello_timeout(self, session: Any) -> None:
        if not session.authenticated and not session.closed:
            log.warning("%s: no hello within %.0f s", session, self.config.hello_timeout)
            self.perform([Close(session, m.CLOSE_UNAUTHORIZED, "no hello")])
            self.core.close(session)

    def perform(self, actions: list[Action]) -> None:
        """Carry out the core's actions: frames to sockets, closes."""
        board = False
        for action in actions:
            if isinstance(action, Send):
                targets = []
                for session in action.sessions:
                    connection = self._connections.get(session.sid)
                    if connection is None:
                        continue
                    if connection.transport.get_write_buffer_size() > self.config.max_lag_bytes:
                        # A slow or dead peer must not hold messages in memory for everyone.
                        log.warning("%s: fell too far behind; closing so it resyncs", session)
                        self._close(session, m.CLOSE_TOO_SLOW, "too far behind")
                        continue
                    targets.append(connection)
                if targets:
                    broadcast(targets, action.frame)
            else:
                self._close(action.session, action.code, action.reason)
            board = True
        if board:
            self._notify()

    def _close(self, session: Any, code: int, reason: str) -> None:
        connection = self._connections.pop(session.sid, None)
        if not session.closed:
            self.core.close(session)
        if connection is not None:
            task = asyncio.get_running_loop().create_task(connection.close(code, reason))
            task.add_done_callback(lambda t: t.exception() if not t.cancelled() else None)

    # --- group commit and coalesced boards ----------------------------------------------------

    def _queue(self, session: Any, ops: list[Any]) -> None:
        self._batch.append((session, ops))
        if not self._commit_scheduled:
            self._commit_scheduled = True
            # Every submit that arrives before this runs joins the same transaction.
            asyncio.get_running_loop().call_soon(self._commit)

    def _commit(self) -> None:
        batch, self._batch = self._batch, []
        self._commit_scheduled = False
        if not batch:
            return
        try:
            actions = self.core.commit(batch)
        except Exception:
            log.exception("commit of %d frames failed; nothing was acked", len(batch))
            for session, _ in batch:
                self._close(session, 1011, "host error")
            return
        self.perform(actions)
        faults.point("host_sent_ack")
        self.board_changed()

    def admin(self, kind: str, body: dict[str, Any]) -> Op:
        """Make an admin op on the host (the console's edits) and send what it causes."""
        op, actions = self.core.admin(kind, body)
        self.perform(actions)
        self.board_changed()
        return op

    def revoke(self, device: str) -> None:
        """Revoke a device and close its connection."""
        self.perform(self.core.revoke(device))
        self.board_changed()

    def board_changed(self) -> None:
        """Schedule leaderboards: at once if none went out lately, else at the interval's end."""
        if self._board_handle is not None:
            return
        loop = asyncio.get_running_loop()
        wait = max(0.0, self._last_board + self.config.board_interval - loop.time())
        self._board_handle = loop.call_later(wait, self._send_boards)

    def _send_boards(self) -> None:
        self._board_handle = None
        self._last_board = asyncio.get_running_loop().time()
        self.perform(self.core.boards())

    def _notify(self) -> None:
        for listener in self.listeners:
            listener()
