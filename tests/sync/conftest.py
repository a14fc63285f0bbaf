"""Helpers shared by the host's tests: a demo host served on loopback and a raw client of it
(test_server), and the same host as a bare HostCore with peers that trade frames with it in
memory, a frame in and actions out (test_hostcore)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from storage.hlc import system_ms
from storage.replica import Replica
from sync import messages as m
from sync import tls
from sync.hostcore import Action, Close, Commit, HostCore, Send, Session
from sync.server import HostServer
from tests.kit import demo_replica, loopback

CRITERIA = ("innovation", "design", "execution")
TIMEOUT = 5.0


def sheet(
    team: str, scores: tuple[float, ...] = (85, 90, 88), *, final: bool = True
) -> dict[str, Any]:
    """Return a sheet.save body for the demo event's three criteria."""
    return {
        "team": team,
        "scores": dict(zip(CRITERIA, scores, strict=True)),
        "comment": "",
        "final": final,
    }


class Host:
    """A host replica with the demo event, served on loopback."""

    def __init__(self, folder: Path, **config: Any) -> None:
        self.folder = folder
        self.replica, self.codes = demo_replica(folder / "host.db")
        self.server = HostServer(self.replica, loopback(**config))

    @property
    def url(self) -> str:
        return self.server.url

    def code(self, role: str, subject: str | None) -> str:
        return self.codes[(role, subject)]


@asynccontextmanager
async def hosting(folder: Path, **config: Any) -> AsyncIterator[Host]:
    """Serve a demo host for the duration of a block."""
    host = Host(folder, **config)
    await host.server.start()
    try:
        yield host
    finally:
        await host.server.stop()
        host.replica.close()


class Client:
    """A peer's own replica and token, and the hello it says (both kinds of peer below)."""

    def __init__(self, folder: Path, name: str) -> None:
        self.replica = Replica.open(folder / f"{name}.db", durable=False)
        self.inbox: list[dict[str, Any]] = []
        self.token: str | None = None

    def hello(self, *, code: str | None = None, token: str | None = None) -> dict[str, Any]:
        pubkey = None if code is None else self.replica.key.public_b64
        return m.hello(
            self.replica.device_id, code=code, token=token, pubkey=pubkey, vv=self.replica.vv()
        )


class Peer(Client):
    """A raw protocol client with its own replica, for precise checks of every message."""

    def __init__(self, folder: Path, name: str) -> None:
        super().__init__(folder, name)
        self.ws: ClientConnection | None = None

    async def connect(self, url: str, local: str | None = None) -> None:
        context = tls.client_context() if url.startswith("wss:") else None
        self.ws = await connect(
            url,
            ssl=context,
            compression=None,
            proxy=None,
            open_timeout=TIMEOUT,
            local_addr=(local, 0) if local else None,
        )

    async def send(self, message: dict[str, Any] | str) -> None:
        assert self.ws is not None
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def recv(self) -> dict[str, Any]:
        assert self.ws is not None
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
        self.inbox.append(message)
        return message

    async def expect(self, kind: str) -> dict[str, Any]:
        """Return the next message of `kind`, skipping (but keeping) others."""
        while True:
            message = await self.recv()
            if message["type"] == kind:
                return message

    async def quiet(self, seconds: float = 0.3) -> list[dict[str, Any]]:
        """Return every message that arrives within `seconds`."""
        got = []
        assert self.ws is not None
        while True:
            try:
                frame = await asyncio.wait_for(self.ws.recv(), seconds)
            except TimeoutError:
                return got
            got.append(json.loads(frame))

    async def join(self, url: str, code: str) -> dict[str, Any]:
        """Connect, pair with a code and apply the backlog; return the welcome."""
        await self.connect(url)
        await self.send(self.hello(code=code))
        welcome = await self.expect("welcome")
        self.token = welcome["token"]
        if welcome["role"] == "judge":
            ops = await self.expect("ops")
            self.replica.receive(ops["ops"], ops["vv"])
        return welcome

    async def submit(self, *ops: dict[str, Any]) -> dict[str, Any]:
        await self.send({"type": "submit", "ops": list(ops)})
        return await self.expect("ack")

    async def closed(self) -> tuple[int | None, dict[str, Any] | None]:
        """Wait for the host to close the socket; return the close code and the last error."""
        error = None
        assert self.ws is not None
        try:
            while True:
                message = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
                if message["type"] == "error":
                    error = message
        except ConnectionClosed as exc:
            return (exc.rcvd.code if exc.rcvd else None), error

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        self.replica.close()


def judge_op(peer: Peer, body: dict[str, Any], judge: str = "judge-ada") -> dict[str, Any]:
    return peer.replica.make("sheet.save", body, judge).to_wire()


# --- the same host as a bare core: frames in, actions out, no sockets --------------------------


class CoreHost:
    """A HostCore on the demo event's real replica, driven as sync.server drives it: each
    submit committed at once, the boards sent after every commit and admin op."""

    def __init__(
        self,
        folder: Path,
        *,
        now: Callable[[], int] = system_ms,
        random_bytes: Callable[[int], bytes] | None = None,
        **limits: float,
    ) -> None:
        self.replica, self.codes = demo_replica(folder / "host.db")
        extra = {} if random_bytes is None else {"random_bytes": random_bytes}
        self.core = HostCore(self.replica, now=now, **limits, **extra)  # type: ignore[arg-type]
        self.peers: dict[int, CorePeer] = {}
        self.log: list[Action] = []  # every action the core returned, in order

    def code(self, role: str, subject: str | None) -> str:
        return self.codes[(role, subject)]

    def perform(self, actions: list[Action]) -> None:
        """Deliver frames to the peers' inboxes, close sessions, commit each submit."""
        self.log += actions
        commits: list[Commit] = []
        for action in actions:
            if isinstance(action, Send):
                for session in action.sessions:
                    peer = self.peers.get(session.sid)
                    if peer is not None:
                        peer.unread.append(json.loads(action.frame))
            elif isinstance(action, Close):
                peer = self.peers.pop(action.session.sid, None)
                if not action.session.closed:
                    self.core.close(action.session)
                if peer is not None:
                    peer.close_code = action.code
            elif not action.session.closed:
                commits.append(action)
        if commits:
            self.perform(self.core.commit(commits))
            self.perform(self.core.boards())

    def admin(self, kind: str, body: dict[str, Any]) -> None:
        """Make an admin op as the console does, and send what it causes."""
        _, actions = self.core.admin(kind, body)
        self.perform(actions)
        self.perform(self.core.boards())

    def revoke(self, device: str) -> None:
        self.perform(self.core.revoke(device))
        self.perform(self.core.boards())


@contextmanager
def core_hosting(folder: Path, **options: Any) -> Iterator[CoreHost]:
    """Hold a demo host core for the duration of a block."""
    host = CoreHost(folder, **options)
    try:
        yield host
    finally:
        host.replica.close()


class CorePeer(Client):
    """A peer that trades frames with a CoreHost in memory; the API of `Peer`, without awaits."""

    def __init__(self, folder: Path, name: str) -> None:
        super().__init__(folder, name)
        self.host: CoreHost | None = None
        self.session: Session | None = None
        self.unread: list[dict[str, Any]] = []
        self.close_code: int | None = None

    def connect(self, host: CoreHost, local: str = "127.0.0.1") -> None:
        """Open a new session, as a new socket would."""
        self.host, self.unread, self.close_code = host, [], None
        self.session = host.core.open(local)
        host.peers[self.session.sid] = self

    def send(self, message: dict[str, Any] | str) -> list[Action]:
        """Hand one frame to the core and perform what it returns; return those actions."""
        assert self.host is not None
        assert self.session is not None
        actions = self.host.core.receive(
            self.session, message if isinstance(message, str) else json.dumps(message)
        )
        self.host.perform(actions)
        return actions

    def recv(self) -> dict[str, Any]:
        assert self.unread, "nothing more was sent to this peer"
        message = self.unread.pop(0)
        self.inbox.append(message)
        return message

    def expect(self, kind: str) -> dict[str, Any]:
        """Return the next message of `kind`, skipping (but keeping) others."""
        while True:
            message = self.recv()
            if message["type"] == kind:
                return message

    def quiet(self, seconds: float = 0.0) -> list[dict[str, Any]]:
        """Return every message sent to this peer and not read yet."""
        got = list(self.unread)
        self.inbox += got
        self.unread = []
        return got

    def join(self, host: CoreHost, code: str) -> dict[str, Any]:
        """Connect, pair with a code and apply the backlog; return the welcome."""
        self.connect(host)
        self.send(self.hello(code=code))
        welcome = self.expect("welcome")
        self.token = welcome["token"]
        if welcome["role"] == "judge":
            ops = self.expect("ops")
            self.replica.receive(ops["ops"], ops["vv"])
        return welcome

    def submit(self, *ops: dict[str, Any]) -> dict[str, Any]:
        self.send({"type": "submit", "ops": list(ops)})
        return self.expect("ack")

    def closed(self) -> tuple[int | None, dict[str, Any] | None]:
        """Return the close code the host gave this session and the last error it sent."""
        errors = [m for m in self.quiet() if m["type"] == "error"]
        return self.close_code, (errors[-1] if errors else None)

    def disconnect(self) -> None:
        """Drop the link, as a socket that closes does."""
        if self.host is not None and self.session is not None and not self.session.closed:
            self.host.peers.pop(self.session.sid, None)
            self.host.core.close(self.session)

    def close(self) -> None:
        self.disconnect()
        self.replica.close()
