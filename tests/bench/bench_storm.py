"""Benchmark a reconnection storm (issue 14): every judge and team device back at once.

A venue's Wi-Fi comes back: 500 judges' laptops and 3,000 team devices, all paired before,
reconnect to the host over wss within the same moment, each from its own loopback address,
each with its token (judges with their vv), retrying shed or failed attempts with the peer's
own backoff (`sync.peer.Backoff`). Meanwhile a few judges who stayed online save one sheet
after another; their ack latency shows whether acks wait behind the storm's welcomes.

The host runs in one process (pinned to core 0); the online judges in another, and the storm's
devices in several more (all on core 1 by default, the storm's niced below the online judges),
each process a share of the devices on its own event loop. Every process opens its share at
one go instant (a perf_counter reading: one clock for all of them), as fast as it can: no
process's first device waits behind thousands of others on one loop. Each device records when
its TCP connection, its TLS and its welcome were up; the host records when it accepted each
connection, began and finished its TLS, read its hello and welcomed it. Prints figures;
asserts no time.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_storm.py                  # 500 + 3,000
    PYTHONPATH=. .venv/bin/python tests/bench/bench_storm.py --judges 50 --teams 300
    PYTHONPATH=. .venv/bin/python tests/bench/bench_storm.py --processes 1       # as before
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import random
import shutil
import socket
import ssl
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench_sync import Signer, percentile, raise_file_limit, rss_kb
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from storage.replica import Replica
from storage.signing import DeviceKey
from sync import messages as m
from sync import tls
from sync.hostcore import Action, Session
from sync.peer import Backoff
from sync.server import HostConfig, HostConnection, HostServer

CRITERIA = ("c1", "c2", "c3", "c4", "c5")
OPEN_TIMEOUT = 10.0
START_CHUNK = 16  # a storm process starts this many devices, then lets the loop run
DEADLINE = 90.0  # a storm client gives up after this many seconds: the bench stops by itself


def address(k: int) -> str:
    """Return the k-th client's own loopback address (127.1.0.1 on): one device, one address."""
    return f"127.{1 + k // 65024}.{(k // 254) % 256}.{1 + k % 254}"


# --- the host process ------------------------------------------------------------------------


def build_event(path: Path, judges: int, teams: int, online: int) -> dict[str, Any]:
    """Make the event with every device paired and its token issued; return what clients need."""
    replica = Replica.open(path, durable=False)  # setup only: the host reopens it durable
    for c, cid in enumerate(CRITERIA):
        replica.admin(
            "criterion.put",
            {"id": cid, "name": cid, "weight": 1, "min": 0, "max": 10, "step": 1, "order": c},
        )
    for t in range(teams):
        replica.admin("team.put", {"id": f"t{t:04d}", "name": f"Team {t:04d}", "members": []})
    devices: list[dict[str, Any]] = []
    signers: list[Signer] = []
    for j in range(judges + online):
        replica.admin("judge.put", {"id": f"j{j:03d}", "name": f"Judge {j:03d}", "conflicts": []})
        signers.append(Signer(f"j{j:03d}"))
    for k, signer in enumerate(signers):
        devices.append(_register(replica, signer.device, signer.key.public_b64, "judge", k))
    for t in range(teams):
        team = Signer()
        devices.append(_register(replica, team.device, team.key.public_b64, "team", t))
    replica.admin("event.set", {"field": "phase", "value": "scoring"})
    vv = replica.vv()
    admin_vv = {replica.device_id: vv[replica.device_id]}
    replica.close()
    keys = [s.key.private_bytes().hex() for s in signers]
    for device, key in zip(devices, keys, strict=False):
        device["key"] = key
    return {"devices": devices, "admin_vv": admin_vv, "online": online}


def _register(replica: Replica, device: str, pubkey: str, role: str, k: int) -> dict[str, Any]:
    subject = f"j{k:03d}" if role == "judge" else f"t{k:04d}"
    replica.admin(
        "device.put",
        {"device": device, "pubkey": pubkey, "role": role, "subject": subject, "name": "dev"},
    )
    return {
        "device": device,
        "role": role,
        "subject": subject,
        "token": replica.issue_token(device),
    }


async def serve_host(conn: Connection, path: str, profile: bool = False) -> None:
    """Serve the event until told to stop; answer memory and CPU questions meanwhile."""
    profiler = cProfile.Profile() if profile else None
    replica = Replica.open(path, exclusive=True)
    server = HostServer(replica, HostConfig(bind="127.0.0.1", port=0, secure=True, advertise=False))
    timeline = HostTimeline(server)
    await server.start()
    loop = asyncio.get_running_loop()
    conn.send({"url": server.url, "fingerprint": server.fingerprint})
    try:
        while True:
            name = await loop.run_in_executor(None, conn.recv)
            if name == "stop":
                break
            if name == "profile" and profiler is not None:
                profiler.enable()
                conn.send("profiling")
                continue
            conn.send(
                {
                    "cpu": time.process_time(),
                    "rss_kb": rss_kb(),
                    "sessions": len(server.core.sessions),
                    "shed": server.shed,
                    "timeline": timeline.records,
                }
            )
    finally:
        await server.stop()
        replica.close()
    if profiler is not None:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
        conn.send(out.getvalue())
    else:
        conn.send("stopped")


# The host's steps of one connection, in the order they come (perf_counter: one clock for
# every process of the bench), and the host's CPU seconds when it welcomed the connection.
STEPS = ("accept", "tls_begin", "tls_up", "hello", "welcome", "cpu")


class HostTimeline:
    """Record when the host accepted each connection, began and finished its TLS, read its
    hello and welcomed it: the host's own view, apart from its clients'."""

    def __init__(self, server: HostServer) -> None:
        self.records: list[list[float | None]] = []
        self._by_address: dict[str, list[float | None]] = {}
        admit, begin_tls, receive = server.admit, server._begin_tls, server.core.receive
        welcome = server.core._admit
        by_connection: dict[int, list[float | None]] = {}

        def timed_admit(connection: HostConnection) -> None:
            record: list[float | None] = [time.perf_counter(), None, None, None, None, None]
            self.records.append(record)
            self._by_address[connection.address] = record
            by_connection[id(connection)] = record
            admit(connection)

        def timed_begin_tls(connection: HostConnection) -> None:
            record = by_connection.get(id(connection))
            if record is not None:
                record[1] = time.perf_counter()
            begin_tls(connection)

        def timed_receive(session: Session, frame: str | bytes) -> list[Action]:
            record = self._by_address.get(session.address)
            if record is not None and record[3] is None:
                record[3] = time.perf_counter()
            return receive(session, frame)

        def timed_welcome(session: Session, *args: Any) -> list[Action]:
            record = self._by_address.get(session.address)
            if record is not None:
                record[4], record[5] = time.perf_counter(), time.process_time()
            return welcome(session, *args)

        made = HostConnection.connection_made

        def timed_made(connection: HostConnection, transport: asyncio.BaseTransport) -> None:
            if connection.raw is not None and not connection.opened:  # on the TLS transport
                record = by_connection.pop(id(connection), None)
                if record is not None:
                    record[2] = time.perf_counter()
            made(connection, transport)

        server.admit = timed_admit  # type: ignore[method-assign]
        server._begin_tls = timed_begin_tls  # type: ignore[method-assign]
        server.core.receive = timed_receive  # type: ignore[method-assign]
        server.core._admit = timed_welcome  # type: ignore[method-assign]
        HostConnection.connection_made = timed_made  # type: ignore[method-assign]


# --- the clients -----------------------------------------------------------------------------


def hello(device: dict[str, Any], vv: dict[str, int]) -> str:
    """Return a reconnecting device's hello: its token, and a judge's vv."""
    return m.encode(
        m.hello(device["device"], token=device["token"], vv=vv if device["role"] == "judge" else {})
    )


class TimedConnection(ClientConnection):
    """A client connection that notes when its transport (TLS, here) was up."""

    tls_up: float | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Note the time: asyncio calls this once the TLS handshake is done."""
        self.tls_up = time.perf_counter()
        super().connection_made(transport)


async def reconnect(
    url: str,
    device: dict[str, Any],
    local: str,
    vv: dict[str, int],
    go: float,
    context: ssl.SSLContext,
) -> dict[str, Any]:
    """Reconnect one device until welcomed (a judge: and its backlog); return its figures:
    each step's time since the go (TCP up, TLS up, WebSocket open, welcome, served) of the
    attempt that succeeded, its attempts and the failures of the others."""
    loop = asyncio.get_running_loop()
    backoff = Backoff(rng=random.Random(device["device"]))
    tries, errors = 0, []
    parts = urlsplit(url)
    target = (parts.hostname, parts.port)
    while time.perf_counter() - go < DEADLINE:
        tries += 1
        steps: dict[str, float] = {"start": time.perf_counter() - go}
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setblocking(False)
            sock.bind((local, 0))
            await asyncio.wait_for(loop.sock_connect(sock, target), OPEN_TIMEOUT)
            steps["tcp"] = time.perf_counter() - go
            async with connect(
                url,
                sock=sock,
                ssl=context,
                compression=None,
                proxy=None,
                open_timeout=OPEN_TIMEOUT,
                ping_interval=None,
                max_size=m.MAX_FRAME,
                create_connection=TimedConnection,
            ) as ws:
                steps["open"] = time.perf_counter() - go
                assert isinstance(ws, TimedConnection)
                assert ws.tls_up is not None
                steps["tls"] = ws.tls_up - go
                await ws.send(hello(device, vv))
                welcome = json.loads(await asyncio.wait_for(ws.recv(), OPEN_TIMEOUT))
                if welcome.get("type") != "welcome":
                    raise RuntimeError(f"{welcome.get('type')}: {welcome.get('code')}")
                steps["welcome"] = time.perf_counter() - go
                if device["role"] == "judge":
                    while (
                        json.loads(await asyncio.wait_for(ws.recv(), OPEN_TIMEOUT))["type"] != "ops"
                    ):
                        pass
                steps["served"] = time.perf_counter() - go
                await ws.close()
                return {"steps": steps, "tries": tries, "errors": errors}
        except (OSError, TimeoutError, ConnectionClosed, InvalidHandshake, RuntimeError) as exc:
            sock.close()
            errors.append(
                type(exc).__name__
                if not isinstance(exc, ConnectionClosed)
                else f"close {exc.rcvd.code if exc.rcvd else None}"
            )
        await asyncio.sleep(backoff.next())
    return {"steps": None, "tries": tries, "errors": errors}


class LeanLink:
    """A storm device's link, lean: TLS through a memory BIO on a plain socket, and the least
    of RFC 6455 that a reconnecting device needs (its upgrade, one masked frame out, the
    host's unmasked frames in).

    The host sees what a `websockets` client would send; the client spends a fraction of the
    CPU (about 3 ms a device with `websockets` and asyncio's TLS layer): 3,500 devices share
    one core here, where each real device has one of its own.
    """

    def __init__(self, local: str, context: ssl.SSLContext) -> None:
        """Make the socket, bound to the device's own address, and the TLS ClientHello: what a
        device can do before its network is back (here: before the go, so that 3,500 devices'
        key shares are not made on one core in the storm's first second)."""
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_side=False)
        self.plain = bytearray()  # decrypted bytes not yet parsed
        try:
            self.sock.setblocking(False)
            self.sock.bind((local, 0))
            self.tls.do_handshake()
        except ssl.SSLWantReadError:
            pass  # the ClientHello waits in `outgoing`
        except OSError:
            self.sock.close()
            raise

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """Return the running loop."""
        return asyncio.get_running_loop()

    async def _flush(self) -> None:
        data = self.outgoing.read()
        if data:
            await self.loop.sock_sendall(self.sock, data)

    async def _fill(self) -> None:
        data = await self.loop.sock_recv(self.sock, 65536)
        if not data:
            raise ConnectionResetError("closed by the host")
        self.incoming.write(data)

    async def handshake(self) -> None:
        """Do the TLS handshake."""
        while True:
            try:
                self.tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                await self._flush()
                await self._fill()
        await self._flush()

    async def send(self, data: bytes) -> None:
        """Send bytes over TLS."""
        self.tls.write(data)
        await self._flush()

    async def _read_some(self) -> None:
        while True:
            try:
                self.plain += self.tls.read(65536)
                return
            except ssl.SSLWantReadError:
                await self._fill()

    async def upgrade(self, host: str) -> None:
        """Open the WebSocket (RFC 6455 section 4.1); raise InvalidHandshake unless 101."""
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        await self.send(
            (
                f"GET /sync HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode("ascii")
        )
        while b"\r\n\r\n" not in self.plain:
            await self._read_some()
        head, _, rest = bytes(self.plain).partition(b"\r\n\r\n")
        self.plain = bytearray(rest)
        if not head.startswith(b"HTTP/1.1 101"):
            raise InvalidHandshake(head.split(b"\r\n", 1)[0].decode("latin-1"))

    async def send_text(self, text: str, opcode: int = 1) -> None:
        """Send one masked frame (a client's frames are masked, RFC 6455 section 5.3)."""
        payload = text.encode("utf-8")
        mask = os.urandom(4)
        size = len(payload)
        head = bytes([0x80 | opcode])
        if size < 126:
            head += bytes([0x80 | size])
        elif size < 65536:
            head += bytes([0x80 | 126]) + size.to_bytes(2, "big")
        else:
            head += bytes([0x80 | 127]) + size.to_bytes(8, "big")
        key = int.from_bytes(mask * (size // 4 + 1), "big") >> (8 * (4 - size % 4))
        masked = (int.from_bytes(payload, "big") ^ key).to_bytes(size, "big") if size else b""
        await self.send(head + mask + masked)

    async def recv(self) -> tuple[int, bytes]:
        """Return the host's next frame: its opcode and payload (a close raises)."""
        while True:
            frame = self._frame()
            if frame is not None:
                opcode, payload = frame
                if opcode == 8:
                    code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None
                    raise RuntimeError(f"close {code}")
                return frame
            await self._read_some()

    def _frame(self) -> tuple[int, bytes] | None:
        data = self.plain
        if len(data) < 2:
            return None
        size, at = data[1] & 0x7F, 2
        if size == 126:
            if len(data) < 4:
                return None
            size, at = int.from_bytes(data[2:4], "big"), 4
        elif size == 127:
            if len(data) < 10:
                return None
            size, at = int.from_bytes(data[2:10], "big"), 10
        if len(data) < at + size:
            return None
        frame = (data[0] & 0x0F, bytes(data[at : at + size]))
        del data[: at + size]
        return frame

    def close(self) -> None:
        """Drop the connection."""
        self.sock.close()


async def reconnect_lean(
    url: str,
    device: dict[str, Any],
    local: str,
    vv: dict[str, int],
    go: float,
    context: ssl.SSLContext,
    prepared: LeanLink | None = None,
) -> dict[str, Any]:
    """What `reconnect` does, through a LeanLink (the first one `prepared` before the go)."""
    loop = asyncio.get_running_loop()
    backoff = Backoff(rng=random.Random(device["device"]))
    tries, errors = 0, []
    parts = urlsplit(url)
    target = (str(parts.hostname), int(parts.port or 0))
    greeting = hello(device, vv)
    while time.perf_counter() - go < DEADLINE:
        tries += 1
        steps: dict[str, float] = {"start": time.perf_counter() - go}
        try:
            link = prepared or LeanLink(local, context)
        except OSError as exc:
            errors.append(type(exc).__name__)
            await asyncio.sleep(backoff.next())
            continue
        prepared = None
        try:
            await asyncio.wait_for(loop.sock_connect(link.sock, target), OPEN_TIMEOUT)
            steps["tcp"] = time.perf_counter() - go
            await asyncio.wait_for(link.handshake(), OPEN_TIMEOUT)
            steps["tls"] = time.perf_counter() - go
            await asyncio.wait_for(link.upgrade(parts.netloc), OPEN_TIMEOUT)
            steps["open"] = time.perf_counter() - go
            await link.send_text(greeting)
            _, payload = await asyncio.wait_for(link.recv(), OPEN_TIMEOUT)
            welcome = json.loads(payload)
            if welcome.get("type") != "welcome":
                raise RuntimeError(f"{welcome.get('type')}: {welcome.get('code')}")
            steps["welcome"] = time.perf_counter() - go
            if device["role"] == "judge":
                while True:
                    _, payload = await asyncio.wait_for(link.recv(), OPEN_TIMEOUT)
                    if json.loads(payload)["type"] == "ops":
                        break
            steps["served"] = time.perf_counter() - go
            await link.send(b"\x88\x82\x00\x00\x00\x00\x03\xe8")  # close 1000, mask of zeros
            link.close()
            return {"steps": steps, "tries": tries, "errors": errors}
        except (OSError, TimeoutError, ssl.SSLError, InvalidHandshake, RuntimeError) as exc:
            link.close()
            errors.append(str(exc) if isinstance(exc, RuntimeError) else type(exc).__name__)
        await asyncio.sleep(backoff.next())
    return {"steps": None, "tries": tries, "errors": errors}


async def storm_share(
    conn: Connection,
    url: str,
    share: list[tuple[int, dict[str, Any]]],
    vv: dict[str, int],
    lean: bool,
) -> None:
    """Reconnect this process's share of the storm at the go instant the parent names (a
    perf_counter reading, one clock for every process); send back each device's figures."""
    # One TLS client context for this process's devices: each real device makes its own on
    # its own CPU, and it costs about 0.24 ms that no host could save.
    context = tls.client_context()
    loop = asyncio.get_running_loop()
    links = [LeanLink(address(k), context) for k, _ in share] if lean else []
    conn.send("ready")
    go = await loop.run_in_executor(None, conn.recv)
    await asyncio.sleep(max(0.0, go - time.perf_counter()))
    cpu = time.process_time()
    tasks = []
    for i, (k, d) in enumerate(share):
        if lean:
            one = reconnect_lean(url, d, address(k), vv, go, context, links[i])
        else:
            one = reconnect(url, d, address(k), vv, go, context)
        tasks.append(asyncio.create_task(one))
        if i % START_CHUNK == START_CHUNK - 1:
            # Let the devices started so far go on (their TLS) before the next ones start:
            # real devices each start on their own CPU, none waits for the others' starts.
            await asyncio.sleep(0)
    results = await asyncio.gather(*tasks)
    conn.send((time.process_time() - cpu, results))


async def online_judges(
    conn: Connection, url: str, devices: list[dict[str, Any]], vv: dict[str, int]
) -> None:
    """Keep judges online and saving sheets one after another until told to stop; send back
    each ack's latency in ms, with the time it was sent (seconds since the storm's go)."""
    links = []
    for k, device in enumerate(devices):
        ws = await connect(
            url,
            ssl=tls.client_context(),
            compression=None,
            proxy=None,
            ping_interval=None,
            max_size=m.MAX_FRAME,
            local_addr=(address(60000 + k), 0),
        )
        await ws.send(hello(device, vv))
        while json.loads(await ws.recv())["type"] != "ops":
            pass
        key = DeviceKey.from_private_bytes(bytes.fromhex(device["key"]))
        signer = Signer(device["subject"], key=key, device=device["device"])
        links.append((ws, signer))
    loop = asyncio.get_running_loop()
    conn.send("ready")
    go = await loop.run_in_executor(None, conn.recv)  # the storm's go, a second from now
    stop = asyncio.Event()
    acks: list[tuple[float, float]] = []
    rng = random.Random(7)

    async def save(ws: Any, signer: Signer) -> None:
        while not stop.is_set():
            team = f"t{rng.randrange(100):04d}"
            op = signer.sheet(team, {c: rng.randint(0, 10) for c in CRITERIA})
            sent = time.perf_counter()
            await ws.send(m.encode({"type": "submit", "ops": [op]}))
            while json.loads(await ws.recv())["type"] != "ack":
                pass
            acks.append((sent - go, (time.perf_counter() - sent) * 1000))
            await asyncio.sleep(0.05)

    tasks = [asyncio.create_task(save(ws, s)) for ws, s in links]
    await loop.run_in_executor(None, conn.recv)  # stop
    stop.set()
    await asyncio.gather(*tasks)
    for ws, _ in links:
        await ws.close()
    conn.send(acks)


def _child(
    conn: Connection, cpus: set[int], nice: int, target: Callable[..., Any], *args: Any
) -> None:
    raise_file_limit()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {c for c in cpus if c < (os.cpu_count() or 1)} or {0})
    if nice:
        os.nice(nice)
    try:
        asyncio.run(target(conn, *args))
    except Exception:
        conn.send(("error", traceback.format_exc()))


def spawn(
    cpus: set[int], target: Callable[..., Any], *args: Any, nice: int = 0
) -> tuple[Connection, Any]:
    """Start `target(conn, *args)` on its own event loop in a child process kept to `cpus`."""
    context = multiprocessing.get_context("spawn")
    mine, theirs = context.Pipe()
    process = context.Process(target=_child, args=(theirs, cpus, nice, target, *args), daemon=True)
    process.start()
    return mine, process


def expect(conn: Connection) -> Any:
    """Return what a child sent, or raise what it failed with."""
    got = conn.recv()
    if isinstance(got, tuple) and got and got[0] == "error":
        raise RuntimeError(got[1])
    return got


# --- the run ---------------------------------------------------------------------------------


def cpu_set(text: str) -> set[int]:
    """Parse "1" or "0,1" into a set of core numbers."""
    return {int(c) for c in text.split(",") if c.strip()}


def run(args: argparse.Namespace) -> None:
    """Build the event, start the host, storm it, print the figures."""
    folder = Path(tempfile.mkdtemp(prefix="tallyboard-storm-"))
    processes = []
    try:
        built = time.perf_counter()
        event = build_event(folder / "host.db", args.judges, args.teams, args.online)
        print(
            f"event: {args.teams} teams, {args.judges} + {args.online} judges, built in"
            f" {time.perf_counter() - built:.1f} s",
            file=sys.stderr,
        )
        host, p = spawn(cpu_set(args.host_cpus), serve_host, str(folder / "host.db"), args.profile)
        processes.append(p)
        url = expect(host)["url"]
        devices, vv = event["devices"], event["admin_vv"]
        steady, stormers = devices[: args.online], devices[args.online :]
        clients = cpu_set(args.client_cpus)
        judges_conn, p = spawn(clients, online_judges, url, steady, vv)
        processes.append(p)
        expect(judges_conn)
        # Each process a share of the devices, taken in turn (each has judges and teams), so
        # that no process holds the storm's first devices back behind its others.
        workers = []
        for w in range(args.processes):
            share = [(k, d) for k, d in enumerate(stormers) if k % args.processes == w]
            # Niced below the online judges, who share their core: a judge's laptop is its own.
            conn, p = spawn(
                clients, storm_share, url, share, vv, args.client == "lean", nice=args.nice
            )
            processes.append(p)
            workers.append(conn)
        for conn in workers:
            expect(conn)  # ready: imports done, loop running
        host.send("stats")
        before = expect(host)
        if args.profile:
            host.send("profile")
            expect(host)
        load = os.getloadavg()
        go = time.perf_counter() + 1.0  # the online judges' figures for a second before it
        judges_conn.send(go)
        for conn in workers:
            conn.send(go)
        results: list[dict[str, Any]] = [{}] * len(stormers)
        client_cpu = 0.0
        for w, conn in enumerate(workers):
            cpu, share_results = expect(conn)
            client_cpu += cpu
            for j, result in enumerate(share_results):
                results[w + j * args.processes] = result
        judges_conn.send("stop")
        acks = expect(judges_conn)
        host.send("stats")
        after = expect(host)
        host.send("stop")
        profiled = expect(host)
        print(
            f"{len(stormers)} devices ({args.client} clients) from {args.processes} processes"
            f" on cores"
            f" {args.client_cpus} (nice {args.nice}), host on {args.host_cpus};"
            f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before,"
            f" {' '.join(f'{x:.2f}' for x in os.getloadavg())} after"
        )
        report(results, stormers, acks, before, after)
        print(f"the storm's clients' CPU {client_cpu:.1f} s in all")
        host_timeline(after["timeline"], go, before["cpu"])
        if args.profile:
            print(f"\nhost profile (cProfile, from just before the storm):\n{profiled}")
    finally:
        for p in processes:
            p.join(10)
            if p.is_alive():
                p.kill()
        shutil.rmtree(folder, ignore_errors=True)


def spread(values: list[float]) -> str:
    """Return first / median / p99 / last of some seconds."""
    if not values:
        return "none"
    return (
        f"first {min(values):.2f}, median {percentile(values, 0.5):.2f},"
        f" p99 {percentile(values, 0.99):.2f}, last {max(values):.2f} s"
    )


def report(
    results: list[dict[str, Any]],
    devices: list[dict[str, Any]],
    acks: list[tuple[float, float]],
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """Print the storm's figures, as its devices saw them."""
    for role in ("judge", "team"):
        mine = [r for r, d in zip(results, devices, strict=True) if d["role"] == role]
        served = [r["steps"]["served"] for r in mine if r["steps"] is not None]
        tries = sum(r["tries"] for r in mine)
        print(f"{role}s served: {len(served)} of {len(mine)}; {spread(served)}; {tries} attempts")
    done = [r["steps"] for r in results if r["steps"] is not None]
    for step, label in (("tcp", "TCP up"), ("tls", "TLS up"), ("welcome", "welcome")):
        print(f"  devices' {label}: {spread([s[step] for s in done])}")
    errors: dict[str, int] = {}
    for r in results:
        for e in r["errors"]:
            errors[e] = errors.get(e, 0) + 1
    print(f"failed attempts: {errors or 'none'}; host shed {after['shed'] - before['shed']}")
    storm_end = max((s["served"] for s in done), default=0.0) + 1.0
    during = [ms for at, ms in acks if 0.0 <= at <= storm_end]
    quiet = [ms for at, ms in acks if at < 0.0]
    for label, values in (("before the storm", quiet), ("during the storm", during)):
        if values:
            print(
                f"online judges' acks {label}: {len(values)}, p50 {percentile(values, 0.5):.1f}"
                f" ms, p99 {percentile(values, 0.99):.1f} ms, max {max(values):.1f} ms"
            )
    print(
        f"host CPU {after['cpu'] - before['cpu']:.1f} s; RSS {before['rss_kb'] / 1024:.0f} ->"
        f" {after['rss_kb'] / 1024:.0f} MB; python {sys.version.split()[0]},"
        f" {os.cpu_count()} cores"
    )


def host_timeline(records: list[list[float | None]], go: float, cpu0: float) -> None:
    """Print the host's own view: when it did each step of the storm's connections."""
    storm = [r for r in records if r[0] is not None and r[0] >= go]
    if not storm:
        print("host: no connection of the storm")
        return
    print(f"host's timeline of the storm ({len(storm)} connections accepted):")
    for i, step in enumerate(STEPS[:5]):
        at = [r[i] - go for r in storm if r[i] is not None]  # type: ignore[operator]
        print(f"  {step:9}: {len(at):5} {spread(at)}")
    welcomed = [r for r in storm if r[4] is not None]
    if not welcomed:
        return
    first = min(welcomed, key=lambda r: r[4])  # type: ignore[arg-type, return-value]
    steps = ", ".join(
        f"{s} {r - go:.3f}" for s, r in zip(STEPS[:5], first[:5], strict=True) if r is not None
    )
    print(
        f"  first welcomed: {steps} s; host CPU from the go to it {first[5] - cpu0:.2f} s"  # type: ignore[operator]
    )
    # How long each welcomed connection spent in each stage (medians): waiting for its turn,
    # in TLS, from TLS up to its hello (its upgrade), from its hello to its welcome.
    stages = (("queued", 0, 1), ("TLS", 1, 2), ("upgrade", 2, 3), ("hello", 3, 4))
    parts = []
    for name, a, b in stages:
        spans = [r[b] - r[a] for r in welcomed if r[a] is not None and r[b] is not None]  # type: ignore[operator]
        if spans:
            parts.append(
                f"{name} {percentile(spans, 0.5) * 1000:.0f} / {percentile(spans, 0.99) * 1000:.0f}"
            )
    print(f"  per welcomed connection, p50 / p99 ms: {', '.join(parts)}")


def main() -> None:
    """Parse the sizes and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--judges", type=int, default=500)
    parser.add_argument("--teams", type=int, default=3000)
    parser.add_argument("--online", type=int, default=5, help="judges saving sheets meanwhile")
    parser.add_argument("--profile", action="store_true", help="cProfile the host's storm")
    parser.add_argument("--processes", type=int, default=8, help="the storm's client processes")
    parser.add_argument("--host-cpus", default="0", help="cores of the host, e.g. 0")
    parser.add_argument("--client-cpus", default="1", help="cores of the clients, e.g. 1")
    parser.add_argument(
        "--client", choices=("lean", "websockets"), default="lean", help="the storm's client"
    )
    parser.add_argument("--nice", type=int, default=5, help="the storm's processes' niceness")
    args = parser.parse_args()
    raise_file_limit()
    run(args)


if __name__ == "__main__":
    main()
