"""The test kit: one fake clock, `until`, `run`, and a demo host served on loopback.

Every test module takes these from here instead of keeping a copy; pytest fixtures built on them
live in the conftest.py files.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from storage.demo import seed_demo
from storage.replica import Replica
from storage.signing import DeviceKey
from sync.server import HostConfig, HostServer

T = TypeVar("T")
S = TypeVar("S", bound="Service")
Codes = dict[tuple[str, str | None], str]

# A fixed wall clock (2023-11-14) that fake clocks and op factories start from.
BASE_MS = 1_700_000_000_000
# How long a raw client waits for one frame before the test fails.
TIMEOUT = 5.0


class FakeClock:
    """A wall clock that moves only when a test moves it (or, with `tick`, each time it is read).

    Call it for milliseconds since the epoch (a Replica's, HybridClock's or HostCore's `now`);
    pass `clock.seconds` where seconds are wanted (the console's `now`); `advance` moves it by
    hand and `sleep` (HybridClock's `sleep`) moves it by what was slept, keeping each request.
    """

    def __init__(self, ms: int = BASE_MS, *, tick: int = 0) -> None:
        self.ms = ms
        self.tick = tick
        self.sleeps: list[float] = []

    def __call__(self) -> int:
        """Move by `tick` (stamps of two reads then differ), then return milliseconds."""
        self.ms += self.tick
        return self.ms

    def seconds(self) -> float:
        """Return seconds since the epoch, without moving."""
        return self.ms / 1000

    def advance(self, ms: int = 0, *, seconds: float = 0.0) -> None:
        """Move forward by `ms` milliseconds and `seconds` seconds."""
        self.ms += ms + round(seconds * 1000)

    def sleep(self, seconds: float) -> None:
        """Pretend to sleep: note the request and move by it (at least 1 ms)."""
        assert seconds > 0
        self.sleeps.append(seconds)
        self.ms += max(1, round(seconds * 1000))


async def until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Wait, polling every 20 ms (so the loop runs meanwhile), until `condition()` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


def run(coroutine: Coroutine[Any, Any, T], timeout: float = 90.0) -> T:
    """Run one test's coroutine on a fresh event loop, bounded in time; return its result."""
    return asyncio.run(asyncio.wait_for(coroutine, timeout))


class Service(Protocol):
    """Anything a test starts and stops: a HostServer, an Advertiser, a rogue host."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Runner(Protocol):
    """A link that runs until stopped: a PeerLink."""

    async def run(self) -> None: ...

    async def stop(self) -> None: ...


class Cleanup:
    """Close what a test opened, last first, however the test ends: `async with Cleanup() as c`.

    Each close runs once more after a test that closed it itself, so every one must be idempotent
    (Replica.close, HostServer.stop and PeerLink.stop are).
    """

    def __init__(self) -> None:
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> Cleanup:
        await self._stack.__aenter__()
        return self

    async def __aexit__(self, *exc: Any) -> bool:
        return bool(await self._stack.__aexit__(*exc))

    def replica(self, replica: Replica) -> Replica:
        """Close `replica` at the end."""
        self._stack.callback(replica.close)
        return replica

    async def serve(self, service: S) -> S:
        """Start `service` now and stop it at the end."""
        await service.start()
        self._stack.push_async_callback(service.stop)
        return service

    def task(self, link: Runner) -> asyncio.Task[None]:
        """Run `link` as a task; at the end stop it and wait for the task."""
        task = asyncio.create_task(link.run())

        async def end() -> None:
            await link.stop()
            await task

        self._stack.push_async_callback(end)
        return task


async def closing(main: Callable[[Cleanup], Awaitable[T]]) -> T:
    """Await `main` with a Cleanup of its own: `run(closing(main))`."""
    async with Cleanup() as cleanup:
        return await main(cleanup)


def free_port() -> int:
    """Return a loopback port that is free now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def join_codes(replica: Replica) -> Codes:
    """Return the event's join codes by (role, subject)."""
    return {(c["role"], c["id"]): c["code"] for c in replica.join_codes()}


def demo_replica(path: Path, *, durable: bool = True) -> tuple[Replica, Codes]:
    """Open a host replica at `path` with the demo event; return it and its join codes."""
    replica = Replica.open(path, durable=durable)
    seed_demo(replica)
    return replica, join_codes(replica)


def loopback(**config: Any) -> HostConfig:
    """Return a host config for tests: plain ws:// on 127.0.0.1, any free port, no mDNS."""
    options: dict[str, Any] = {"bind": "127.0.0.1", "port": 0, "secure": False}
    options |= {"advertise": False, "board_interval": 0.0}
    return HostConfig(**(options | config))


@asynccontextmanager
async def served_demo(folder: Path, **config: Any) -> AsyncIterator[tuple[HostServer, Codes]]:
    """Serve the demo event from `folder`/host.db for a block; stop and close even on failure."""
    replica, codes = demo_replica(folder / "host.db", durable=False)
    try:
        server = HostServer(replica, loopback(**config))
        await server.start()
        try:
            yield server, codes
        finally:
            await server.stop()
    finally:
        replica.close()


def hello(
    device: str,
    *,
    code: str | None = None,
    key: DeviceKey | None = None,
    token: str | None = None,
    vv: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Return a protocol-1 hello of `device`: pairing (code and key) or rejoining (token)."""
    message: dict[str, Any] = {"type": "hello", "protocol": 1, "device": device}
    if code is not None:
        message["code"] = code
    if key is not None:
        message["pubkey"] = key.public_b64
    if token is not None:
        message["token"] = token
    if vv is not None:
        message["vv"] = vv
    return message


class Pairing(Protocol):
    """A device a raw client pairs: its id and its key."""

    device: str
    key: DeviceKey


class Client:
    """A raw websockets peer (not the product's PeerLink) that keeps every message it receives."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.inbox: list[dict[str, Any]] = []

    @classmethod
    async def open(cls, url: str) -> Client:
        """Connect to `url`, without compression or proxy."""
        return cls(await connect(url, compression=None, proxy=None, open_timeout=TIMEOUT))

    async def expect(self, kind: str) -> dict[str, Any]:
        """Return the next message of `kind`, keeping every message before it."""
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
            self.inbox.append(message)
            if message["type"] == kind:
                return message

    async def drain(self) -> int:
        """Keep every message already received in the inbox; return how many there were.

        A client that reads nothing for long stops reading its socket once its queue is full, and
        then answers no keepalive ping either: a long test drains its idle clients now and then.
        """
        count = 0
        while True:
            try:
                raw = await asyncio.wait_for(self.ws.recv(), 0.001)
            except TimeoutError:
                return count
            self.inbox.append(json.loads(raw))
            count += 1

    async def expect_any(self, kinds: tuple[str, ...]) -> dict[str, Any] | None:
        """Return the next message of one of `kinds`, or None if the host closed first."""
        try:
            while True:
                message = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
                self.inbox.append(message)
                if message["type"] in kinds:
                    return message
        except ConnectionClosed:
            return None

    async def closed(self) -> tuple[int | None, str | None]:
        """Wait for the host to close; return the close code and the last error code."""
        error = None
        try:
            while True:
                message = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
                if message.get("type") == "error":
                    error = message["code"]
                elif message.get("type") == "challenge":
                    # A paired device's id with a token the host does not know: an attacker
                    # without the device's key can only answer with a signature of nothing.
                    await self.ws.send(json.dumps({"type": "prove", "sig": "AAAA"}))
        except ConnectionClosed as exc:
            return (exc.rcvd.code if exc.rcvd else None), error

    async def join(self, device: Pairing, code: str) -> dict[str, Any]:
        """Pair `device` with `code`; return the welcome once the backlog has come."""
        await self.ws.send(json.dumps(hello(device.device, code=code, key=device.key, vv={})))
        welcome = await self.expect("welcome")
        await self.expect("ops")
        return welcome

    async def close(self) -> None:
        """Close the connection."""
        await self.ws.close()
