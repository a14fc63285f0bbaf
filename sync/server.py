"""The host's asyncio driver: a websockets server at /sync around HostCore, plus mDNS."""

from __future__ import annotations

import asyncio
import asyncio.sslproto
import contextlib
import logging
import ssl
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar, cast

from websockets.asyncio.server import Server, ServerConnection, broadcast, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.protocol import State

from storage import faults
from storage.ops import Op
from storage.replica import Checked, Replica, check_signatures
from sync import messages as m
from sync import tls
from sync.discovery import Advertiser
from sync.hostcore import Action, Close, Commit, HostCore, Send, Session
from sync.limits import Admission, StepBudget

if TYPE_CHECKING:
    from sync.web import WebServer

log = logging.getLogger("tallyboard.host")


@dataclass
class HostConfig:
    """How a host serves: address, port, TLS, mDNS and the limits of PROTOCOL.md section 7."""

    bind: str = "0.0.0.0"
    port: int = 8765
    secure: bool = True
    advertise: bool = True
    board_interval: float = 0.05  # at most one leaderboard per 50 ms per role, the last always
    # A connection with more than this waiting to go out, whatever filled it (fan-out, backlog,
    # pongs to a ping flood), is closed 4408: a peer that is only slow reconnects and resyncs.
    max_lag_bytes: int = 1024 * 1024
    hello_timeout: float = 10.0
    tls_timeout: float = 5.0  # from the TCP accept to the end of the TLS handshake
    ping_interval: float = 10.0
    # Connections that have not said hello (from the TCP accept on), in all and per address;
    # a newcomer sheds the oldest rather than being refused (sync.limits.Admission). The total
    # fits the largest event's devices reconnecting at once (3,500 when a venue's Wi-Fi comes
    # back, each from its own address): a cap below that sheds honest handshakes in a loop.
    max_unauthenticated: int = 4096
    max_unauthenticated_per_address: int = 32
    # Connections between their TLS start and their first frame (the hello) at once; later
    # connections wait their turn, in the order they came, unread (a storm's first devices are
    # then served first, not all of them at the end). A turn also ends HANDSHAKE_SLOT after it
    # began, whatever the connection did.
    max_handshakes: int = 64
    # Connections the kernel queues for accepting (asyncio's default is 100): a storm's
    # connections beyond it wait a SYN retransmission, 1 s and more.
    backlog: int = 4096
    rate: float = 50.0
    burst: float = 200.0
    # The browser pages (sync.web, docs/protocol.md 13) on a port of their own: None serves
    # none, 0 any free port. Every web connection counts for its whole life, per address and
    # in all; a newcomer sheds the oldest as above.
    web_port: int | None = None
    # True when nobody chose the web port (the default one): if it is taken, the host serves
    # judges without pages and says so, rather than not start (the sync port matters more).
    web_optional: bool = False
    max_web_per_address: int = 32
    max_web: int = 2000


def host_certificate(replica: Replica) -> tuple[bytes, bytes]:
    """Return the event's certificate and key, made once and kept in the host's database."""
    cert, key = replica.setting("tls_cert"), replica.setting("tls_key")
    if cert is None or key is None:
        cert_pem, key_pem = tls.make_certificate(replica.state.event()["name"])
        replica.set_setting("tls_cert", cert_pem.decode("ascii"))
        replica.set_setting("tls_key", key_pem.decode("ascii"))
        return cert_pem, key_pem
    return cert.encode("ascii"), key.encode("ascii")


# asyncio's TLS layer allocates a 256 KiB read buffer per connection before a TLS byte arrives.
# One TLS record carries at most 16 KiB (RFC 8446 section 5.1): reading 16 KiB at a time costs
# a few more loop turns for a large frame and saves 240 KiB on every connection, idle or not.
# All of a server's connections share one such buffer (LeanSSLProtocol): 16 KiB a host.
TLS_READ_BUFFER = 16 * 1024
# A TLS connection holds one of the host's handshake slots (HostConfig.max_handshakes) from its
# TLS start until its first WebSocket frame (the hello), or for this long at most: an honest
# one needs a few milliseconds of the host's time, and one that sends nothing must not hold the
# others back for its whole timeout. Held past TLS, through the upgrade, because a storm's
# devices let in at the end of TLS all did their upgrade and hello at once with later ones:
# the first of 3,500 was welcomed with the last (issue 14, docs/performance.md).
HANDSHAKE_SLOT = 0.5
# The host's time a step of its loop for the work of connections not yet welcomed (their TLS
# handshake, their upgrade, reading their hello); the rest waits for the next steps, in order.
# A storm's 64 handshakes ready at once took a step of 30-60 ms, and a welcomed judge's sheet
# waited behind each of the three steps it takes from its frame to its ack (issue 14,
# docs/performance.md).
PAIRING_BUDGET = 0.004
# What a connection already closing for lag may queue on top (its close frame, a few pongs)
# before it is aborted outright.
LAG_SLACK = 64 * 1024
# Threads checking the signatures of submit frames: Ed25519's verify releases the GIL, so one
# group's checks overlap the loop's other work and the previous group's durable COMMIT.
VERIFY_WORKERS = 1
# A group of at most this many ops, with the worker idle, is checked on the loop by the core:
# handing it to the worker and back costs a lone submit more (two thread switches and a wake of
# the loop, about 0.2 ms) than its checks (about 75 us an op); docs/performance.md.
INLINE_CHECKS = 2


class LeanSSLProtocol(asyncio.sslproto.SSLProtocol):
    """asyncio's server-side TLS layer reading into a buffer its server shares among all of its
    connections; tells its owner when it is gone.

    Sharing is safe on one event loop: every transport asks for the buffer, receives into it
    and calls `buffer_updated` in one step, which copies the bytes into this connection's TLS
    input before anything else runs (asyncio's selector and proactor loops alike).
    """

    max_size = TLS_READ_BUFFER

    def __init__(
        self,
        app: HostConnection,
        context: ssl.SSLContext,
        timeout: float,
        on_lost: Callable[[], None],
        buffer: bytearray,
        pairing: StepBudget,
    ) -> None:
        # typeshed wants a waiter future and a whole handshake timeout; asyncio takes None, floats.
        super().__init__(
            app.loop,
            app,
            context,
            None,  # type: ignore[arg-type]
            server_side=True,
            ssl_handshake_timeout=timeout,  # type: ignore[arg-type]
            ssl_shutdown_timeout=timeout,
        )
        self._on_lost = on_lost
        # The buffer asyncio has just made for this connection goes at once (16 KiB each).
        self._ssl_buffer = buffer
        self._ssl_buffer_view = memoryview(buffer)
        self._host_app = app
        self._pairing = pairing
        self._pairing_due = False  # bytes read wait in the TLS input for their turn

    def buffer_updated(self, nbytes: int) -> None:
        """Take the bytes read in at once; until the peer is welcomed, process them in the
        pairing's turn (HostServer.pairing), so that a welcomed peer's frames go first."""
        if self._host_app.greeted and not self._pairing_due:
            super().buffer_updated(nbytes)
            return
        incoming = cast(ssl.MemoryBIO, self._incoming)  # type: ignore[attr-defined]
        incoming.write(self._ssl_buffer_view[:nbytes])  # the shared buffer is free again
        if not self._pairing_due:
            self._pairing_due = True
            self._pairing.run(self._process_input)

    def _process_input(self) -> None:
        self._pairing_due = False
        super().buffer_updated(0)  # what the TLS input holds, as asyncio does on each read

    def eof_received(self) -> None:
        """Process what was read before the end of the stream first (it came first)."""
        if self._pairing_due:
            self._process_input()
        # asyncio's returns True to keep the transport open (typeshed says None): passed on.
        return super().eof_received()

    def connection_lost(self, exc: BaseException | None) -> None:
        """Release the connection's slot too: asyncio says nothing to it when TLS never finished."""
        super().connection_lost(exc)
        self._on_lost()


class HostConnection(ServerConnection):
    """A websockets connection that the host admits by address at the TCP accept, before TLS,
    and whose outgoing buffer is bounded whatever fills it."""

    host: ClassVar[HostServer]  # set on a subclass per server (HostServer.start)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.address = "?"
        self.raw: asyncio.Transport | None = None  # the TCP transport (under TLS, if any)
        self.opened = False  # websockets has taken the (TLS) transport over
        self.session: Session | None = None
        self.lagging = False
        self.greeted = False  # its peer was welcomed: its input no longer waits (pairing)
        self._abort_handle: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Admit the TCP connection, start TLS on it; then hand the connection to websockets."""
        if self.raw is None:
            self.raw = cast(asyncio.Transport, transport)
            peer = transport.get_extra_info("peername")
            self.address = str(peer[0]) if peer else "?"
            self.host.admit(self)
            if self.host.ssl_context is not None:
                self.host.start_tls(self)  # at once, or when a handshake slot frees
                return
        # else TLS is up and this method runs again, on it; the connection keeps its handshake
        # slot until its first frame (its hello) arrives: see HostServer.start_tls.
        self.opened = True
        super().connection_made(transport)

    def begin_tls(self) -> None:
        """Start TLS on the admitted TCP connection (its handshake timeout starts now)."""
        assert self.raw is not None
        assert self.host.ssl_context is not None
        layer = LeanSSLProtocol(
            self,
            self.host.ssl_context,
            self.host.config.tls_timeout,
            self._tls_lost,
            self.host.tls_buffer,
            self.host.pairing,
        )
        self.raw.set_protocol(layer)
        layer.connection_made(self.raw)
        self.raw.resume_reading()  # paused while it waited for its turn

    def _tls_lost(self) -> None:
        self.release()
        self.host.handshake_done(self)

    def connection_lost(self, exc: Exception | None) -> None:
        """Release the slot; let websockets finish the connection if it ever had it."""
        self.release()
        self.host.handshake_done(self)
        if self._abort_handle is not None:
            self._abort_handle.cancel()
        if self.opened:
            super().connection_lost(exc)

    def release(self) -> None:
        """Stop counting this connection as waiting for its hello."""
        self.host.release(self)

    def welcomed(self) -> None:
        """Tell the connection that its peer was welcomed: it no longer waits for a hello."""
        self.greeted = True
        self.release()

    def buffered(self) -> int:
        """Return the bytes waiting to go out: in the TLS layer and in the socket's buffer."""
        size = self.raw.get_write_buffer_size() if self.raw is not None else 0
        if self.opened and self.transport is not self.raw:
            size += self.transport.get_write_buffer_size()
        return size

    def send_data(self) -> None:
        """Write what websockets has to send, then close the connection if too much waits.

        Every write passes here: frames, the fan-out's broadcast, pongs, the closing handshake.
        While the host carries out a batch of actions (`HostServer.perform`), an open
        connection's frames wait and go out together in one write when the batch is done.
        """
        corked = self.host.corked
        if corked is not None and self.opened:
            corked[self] = None
            return
        if not self.opened:
            super().send_data()
            return
        pending = self.protocol.data_to_send()
        if all(pending):  # frames only: one write (one syscall, one TLS record)
            if pending:
                self.transport.write(b"".join(pending))
        else:
            for data in pending:  # an end of stream among them: as websockets does it
                if data:
                    self.transport.write(data)
                elif self.transport.can_write_eof():
                    with contextlib.suppress(Exception):  # as websockets: OSError, say
                        self.transport.write_eof()
                else:
                    self.transport.close()
        size = self.buffered()
        if size <= self.host.config.max_lag_bytes:
            return
        if not self.lagging:
            self.lagging = True
            self.host.lagging(self, size)
            if self.protocol.state is State.OPEN:
                self.protocol.send_close(m.CLOSE_TOO_SLOW, "too far behind")
                super().send_data()
            # A peer that is only slow reads the rest and its close; one that never reads goes.
            grace = self.close_timeout if self.close_timeout is not None else 10.0
            self._abort_handle = self.loop.call_later(grace, self.transport.abort)
        elif size > self.host.config.max_lag_bytes + LAG_SLACK:
            self.transport.abort()

    def shed(self) -> None:
        """Drop this connection to make room for a newer one: close 4429 if it can hear it."""
        assert self.raw is not None
        if self.opened and self.protocol.state is State.OPEN:
            self.protocol.send_close(m.CLOSE_RATE, "too many unauthenticated connections")
            super().send_data()
        if self.buffered():
            self.raw.abort()  # a socket that is not read would hold its slot's memory
        else:
            self.raw.close()


class HostServer:
    """Serve one event's replica to its peers."""

    def __init__(self, replica: Replica, config: HostConfig | None = None) -> None:
        self.replica = replica
        self.config = config or HostConfig()
        self.fingerprint: str | None = None
        self.ssl_context: ssl.SSLContext | None = None
        if self.config.secure:
            cert_pem, key_pem = host_certificate(replica)
            self.fingerprint = tls.fingerprint_pem(cert_pem)
            self.ssl_context = tls.server_context(cert_pem, key_pem)
        self.tls_buffer = bytearray(TLS_READ_BUFFER)  # every TLS connection reads into it
        # The TLS input of peers not yet welcomed, processed PAIRING_BUDGET a step of the loop.
        self.pairing = StepBudget(
            PAIRING_BUDGET,
            time.perf_counter,
            lambda callback: asyncio.get_running_loop().call_soon(callback),
        )
        self._admission: Admission[HostConnection] = Admission(
            self.config.max_unauthenticated_per_address, self.config.max_unauthenticated
        )
        self.shed = 0  # connections shed to make room for newer ones, since the start
        # TLS handshakes holding a slot (each with the timer that frees it) and those waiting.
        self._handshakes: dict[HostConnection, asyncio.TimerHandle] = {}
        self._tls_queue: deque[HostConnection] = deque()
        self._closing: set[asyncio.Task[None]] = set()  # closing handshakes under way
        self.core = HostCore(
            replica,
            rate=self.config.rate,
            burst=self.config.burst,
            fingerprint=self.fingerprint,
        )
        self._server: Server | None = None
        self.web: WebServer | None = None  # the browser pages, when config.web_port is set
        self._advertiser: Advertiser | None = None
        self._connections: dict[int, ServerConnection] = {}
        # Connections with frames held until the end of `perform` (insertion-ordered).
        self.corked: dict[HostConnection, None] | None = None
        # Group commit in two stages (issue 14): the submit frames that arrive while a group's
        # signatures are checked on the worker thread form the next group; a group commits on
        # the loop when its checks are done, and the next group's checks run meanwhile.
        self._verifier: ThreadPoolExecutor | None = None  # from start to stop
        self._arrived: list[Commit] = []  # waiting for the worker
        self._checking: list[Commit] | None = None  # the group the worker checks
        self._check_scheduled = False
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

    @property
    def web_url(self) -> str | None:
        """The public page's URL at the host's first address, or None when it serves none."""
        urls = self.web_urls
        return urls[0] if urls else None

    @property
    def web_urls(self) -> list[str]:
        """The public page's URL at each address browsers reach the host at (as advertised)."""
        if self.web is None:
            return []
        from sync.web import page_urls  # noqa: PLC0415 (sync.web builds on this module)

        return page_urls(self.config.bind, self.web.port)

    async def start(self) -> None:
        """Listen, serve the pages if asked, and advertise on mDNS."""

        class Connection(HostConnection):
            host = self

        self._verifier = ThreadPoolExecutor(VERIFY_WORKERS, thread_name_prefix="tally-verify")

        self._server = await serve(
            self._handle,
            self.config.bind,
            self.config.port,
            create_connection=Connection,  # it starts TLS itself, once the address is admitted
            compression=None,  # deflate would triple the cost of every broadcast
            max_size=m.MAX_FRAME,
            ping_interval=self.config.ping_interval,
            ping_timeout=self.config.ping_interval,
            process_request=self._check_path,
            server_header="Tallyboard",
            backlog=self.config.backlog,
        )
        log.info("serving event %r at %s", self.replica.state.event()["name"], self.url)
        if self.config.web_port is not None:
            await self._start_web()
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
        self._commit_waiting()
        if self._verifier is not None:
            self._verifier.shutdown(wait=False, cancel_futures=True)
            self._verifier = None
        if self._advertiser is not None:
            await self._advertiser.stop()
            self._advertiser = None
        if self.web is not None:
            await self.web.stop()
            self.web = None
            self.core.public_page = None
        for handle in self._handshakes.values():
            handle.cancel()
        self._handshakes.clear()
        self._tls_queue.clear()
        if self._server is not None:
            self._server.close()
            for connection in self._admission.waiting():
                if not connection.opened and connection.raw is not None:
                    connection.raw.abort()  # still in TLS: websockets does not know of it
            await self._server.wait_closed()
            self._server = None

    # --- admission and lag (issue 15): one place for each rule --------------------------------

    def admit(self, connection: HostConnection) -> None:
        """Count a new TCP connection as waiting for its hello; shed what it pushes out."""
        for old in self._admission.admit(connection, connection.address):
            self.shed += 1
            if self.shed & (self.shed - 1) == 0:  # 1, 2, 4, 8...: a flood must not flood the log
                log.warning(
                    "shed %d connections that had not said hello so far; the last from %s",
                    self.shed,
                    old.address,
                )
            if old.session is not None:
                self.forget(old.session)
            old.shed()

    def release(self, connection: HostConnection) -> None:
        """Stop counting a connection that said hello or closed."""
        self._admission.release(connection)

    def start_tls(self, connection: HostConnection) -> None:
        """Start a connection's TLS handshake if a slot is free, else queue it, unread."""
        if len(self._handshakes) < self.config.max_handshakes:
            self._begin_tls(connection)
        else:
            assert connection.raw is not None
            connection.raw.pause_reading()
            self._tls_queue.append(connection)

    def _begin_tls(self, connection: HostConnection) -> None:
        loop = asyncio.get_running_loop()
        self._handshakes[connection] = loop.call_later(
            HANDSHAKE_SLOT, self.handshake_done, connection
        )
        connection.begin_tls()

    def handshake_done(self, connection: HostConnection) -> None:
        """Free a connection's handshake slot (done, failed, gone or out of time); start the
        next waiting handshakes. Idempotent."""
        handle = self._handshakes.pop(connection, None)
        if handle is None:
            return
        handle.cancel()
        while self._tls_queue and len(self._handshakes) < self.config.max_handshakes:
            waiting = self._tls_queue.popleft()
            if waiting.raw is not None and not waiting.raw.is_closing():  # else: gone, or shed
                self._begin_tls(waiting)

    def lagging(self, connection: HostConnection, size: int) -> None:
        """Forget a connection that is closing because too much waits for it."""
        who = connection.session or connection.address
        log.warning("%s: %d bytes waiting to go out; closing so it resyncs", who, size)
        if connection.session is not None:
            self.forget(connection.session)

    def forget(self, session: Session) -> None:
        """Drop a session whose connection is being shed or closed for lag."""
        self._connections.pop(session.sid, None)
        if not session.closed:
            self.core.close(session)

    @staticmethod
    def _check_path(connection: ServerConnection, request: Request) -> Response | None:
        if request.path != "/sync":
            return connection.respond(HTTPStatus.NOT_FOUND, "Tallyboard syncs at /sync\n")
        return None

    async def _start_web(self) -> None:
        """Serve the browser pages; a taken default port leaves the host serving without them."""
        from sync.web import WebServer  # noqa: PLC0415 (sync.web builds on this module)

        web = WebServer(self)
        try:
            await web.start()
        except OSError as exc:
            if self.config.web_optional:
                log.warning(
                    "no public page: port %s is taken (%s); judges are served as usual."
                    " Start with --web-port N to serve the pages elsewhere",
                    self.config.web_port,
                    exc.strerror or exc,
                )
                return
            assert self._server is not None
            self._server.close()
            await self._server.wait_closed()
            self._server = None
            raise
        self.web = web
        self.core.public_page = self.web_url
        for url in self.web_urls:  # beside the sync address, for the console's log too
            log.info("public page at %s (team page: %steam)", url, url)

    async def _handle(self, connection: ServerConnection) -> None:
        await self.serve_connection(connection, self.core.receive)

    async def serve_connection(
        self,
        connection: ServerConnection,
        receive: Callable[[Session, str | bytes], list[Action]],
    ) -> None:
        """Feed a connection's frames to the core through `receive` until it closes."""
        assert isinstance(connection, HostConnection)
        # The opening handshake's headers are read (the path, by _check_path) and answered:
        # nothing needs them again, and each connection would keep about 3 KB of them.
        # (The request itself stays: websockets reads a connection without one as unopened.)
        if connection.request is not None:
            connection.request.headers = Headers()
        connection.response = None
        session = self.core.open(connection.address)
        connection.session = session
        self._connections[session.sid] = connection
        loop = asyncio.get_running_loop()
        watchdog = loop.call_later(self.config.hello_timeout, self._hello_timeout, session)
        try:
            async for frame in connection:
                self.handshake_done(connection)  # its hello came: the next one may start
                actions = receive(session, frame)
                self.perform(actions)
                if session.authenticated:
                    watchdog.cancel()
                    connection.welcomed()
                # An idle peer's handler waits here for its next frame: let go of the last
                # frame and of the replies sent (a display's welcome and board, ~3 KB), so
                # that they do not stay in memory for every connection.
                del frame, actions
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
        """Carry out the core's actions: frames to sockets, closes, commits (grouped).

        A connection's frames of one call go out in one write: a judge's ack, the echo of its
        ops and its `score_update` in one syscall rather than three (issue 14)."""
        if self.corked is not None:  # within an outer call: it writes them
            self._perform(actions)
            return
        self.corked = {}
        try:
            self._perform(actions)
        finally:
            corked, self.corked = self.corked, None
            for connection in corked:
                connection.send_data()

    def _perform(self, actions: list[Action]) -> None:
        board = False
        for action in actions:
            if isinstance(action, Commit):
                if not action.session.closed:
                    self._queue(action)
                continue
            if isinstance(action, Send):
                targets = []
                for session in action.sessions:
                    connection = self._connections.get(session.sid)
                    if connection is not None:  # one that falls behind goes in its send_data
                        targets.append(connection)
                if targets:
                    broadcast(targets, action.frame)
            elif isinstance(action, Close):
                self._close(action.session, action.code, action.reason)
            board = True
        if board:
            self._notify()

    def _close(self, session: Any, code: int, reason: str) -> None:
        connection = self._connections.pop(session.sid, None)
        if not session.closed:
            self.core.close(session)
        if connection is not None:
            # Kept until done: the loop holds only a weak reference to a task.
            task = asyncio.get_running_loop().create_task(connection.close(code, reason))
            self._closing.add(task)
            task.add_done_callback(self._closed)

    def _closed(self, task: asyncio.Task[None]) -> None:
        self._closing.discard(task)
        if not task.cancelled():
            task.exception()  # a peer gone mid-close is no news: retrieved, not logged

    # --- group commit and coalesced boards ----------------------------------------------------

    def _queue(self, commit: Commit) -> None:
        self._arrived.append(commit)
        if not self._check_scheduled and self._checking is None:
            self._check_scheduled = True
            # Every submit that arrives before this runs joins the same group.
            asyncio.get_running_loop().call_soon(self._check_next)

    def _check_next(self) -> None:
        """Hand the frames that arrived to the worker, unless it checks a group already."""
        self._check_scheduled = False
        if self._checking is not None or not self._arrived:
            return
        verifier, few = self._verifier, self._ops_arrived() <= INLINE_CHECKS
        group, self._arrived = self._arrived, []
        # Not serving (a test driving the core through perform), or too few to hand over.
        if verifier is None or few:
            self._commit(group, frozenset())
            return
        self._checking = group
        # The keys are read here, on the loop; a key that changes before the commit leaves
        # its ops to the core, which verifies whatever it was not handed as checked.
        signers = self.replica.signers(op for commit in group for op in commit.ops)
        check = asyncio.wrap_future(verifier.submit(check_signatures, signers))
        check.add_done_callback(lambda done: self._checked(group, done))

    def _checked(self, group: list[Commit], check: asyncio.Future[frozenset[Checked]]) -> None:
        if self._checking is not group:
            return  # committed already, unchecked, when the server stopped
        self._checking = None
        # The next group's checks run on the worker while this one commits; a group too small
        # to hand over is checked and committed on the loop, so it waits for this commit:
        # groups commit in the order they arrived.
        if self._ops_arrived() > INLINE_CHECKS:
            self._check_next()
        checked: frozenset[Checked] = frozenset()
        failure = None if check.cancelled() else check.exception()
        if failure is None and not check.cancelled():
            checked = check.result()
        else:  # the core checks every signature itself
            log.error("signature checks of %d frames failed", len(group), exc_info=failure)
        self._commit(group, checked)
        self._check_next()  # what arrived and is not on the worker (a small group), after it

    def _ops_arrived(self) -> int:
        return sum(len(ops) for _, ops in self._arrived)

    def _commit_waiting(self) -> None:
        """Commit every frame not committed yet, on the loop, whatever the worker is doing."""
        group = (self._checking or []) + self._arrived
        self._checking, self._arrived = None, []
        if group:
            self._commit(group, frozenset())

    def _commit(self, batch: list[Commit], checked: frozenset[Checked]) -> None:
        try:
            actions = self.core.commit(batch, checked)
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
        if self.core.boards_pending:  # a named board's recomputation held back (4e): tick again
            self.board_changed()

    def _notify(self) -> None:
        for listener in self.listeners:
            listener()
