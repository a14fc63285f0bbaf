"""Benchmark the sync link against the raw stack (bare websockets, bare peewee) in the same run."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import math
import multiprocessing
import os
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import traceback
import tracemalloc
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import peewee
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import Server, ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed

from storage.demo import seed_demo
from storage.hlc import HybridClock
from storage.replica import Replica
from storage.signing import DeviceKey, signing_payload
from sync import messages as m
from sync import tls
from sync.peer import PeerConfig, PeerLink
from sync.server import HostConfig, HostServer

BOARD_PREFIX = '{"type":"leaderboard_update"'
CRITERIA = ("innovation", "design", "execution")  # the demo event's criteria, 0-100 step 1
BENCH_TEAMS = 20  # the demo's 8 teams and 12 more: a leaderboard_update of about 2 KB
WAVE = 32  # connections opened at once (the host sheds beyond 32 unauthenticated from one address)
TIMEOUT = 30.0
# The bench's peers send far faster than a person: lift the per-connection frame limit
# (PROTOCOL.md section 7: 50 frames/s, bursts of 200) so that it never closes them. The token
# bucket still runs for every frame, so its cost is counted.
UNLIMITED = 1e9


# --- small helpers ---------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the nearest-rank percentile of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def rss_kb() -> int:
    """Return this process's resident set size in KB (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def raise_file_limit() -> None:
    """Allow enough open sockets for 1,000 connections and their peers."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def pin(cpu: int | None) -> None:
    """Keep this process on one core, when the machine has enough of them (None: any core)."""
    if cpu is not None and hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > cpu:
        os.sched_setaffinity(0, {cpu})


def sheet_scores(rng: random.Random) -> dict[str, int]:
    """Return random marks for the demo's three criteria."""
    return {c: rng.randint(0, 100) for c in CRITERIA}


@dataclass
class Signer:
    """A judge's device that signs its own numbered ops (PROTOCOL.md section 5)."""

    judge: str = ""
    key: DeviceKey = field(default_factory=DeviceKey.generate)
    device: str = field(default_factory=lambda: str(uuid.uuid4()))
    n: int = 0

    def __post_init__(self) -> None:
        self.clock = HybridClock(self.device)

    def sheet(self, team: str, scores: dict[str, int], *, final: bool = True) -> dict[str, Any]:
        """Return this device's next sheet.save as a signed wire op."""
        self.n += 1
        wire: dict[str, Any] = {
            "id": f"{self.device}/{self.n}",
            "device": self.device,
            "n": self.n,
            "hlc": self.clock.tick(),
            "author": self.judge,
            "kind": "sheet.save",
            "body": {"team": team, "scores": scores, "comment": "", "final": final},
        }
        wire["sig"] = self.key.sign(signing_payload(wire))
        return wire

    def hello(self, code: str) -> str:
        """Return a first-contact hello with a join code."""
        return m.encode(
            {
                "type": "hello",
                "protocol": m.PROTOCOL_VERSION,
                "device": self.device,
                "code": code,
                "pubkey": self.key.public_b64,
                "vv": {},
            }
        )


class Profiler:
    """cProfile around the measured parts, reported as the top costs by own time."""

    def __init__(self) -> None:
        self.profile: cProfile.Profile | None = None

    def start(self) -> None:
        """Start profiling."""
        self.profile = cProfile.Profile()
        self.profile.enable()

    def stop(self, sort: str = "tottime", top: int = 40) -> str:
        """Stop and return the top costs as text."""
        if self.profile is None:
            return ""
        self.profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(self.profile, stream=out)
        stats.sort_stats(sort).print_stats(top)
        self.profile = None
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        head = [line for line in lines[:start] if "function calls" in line]
        return "\n".join(head + lines[start:]).rstrip()


# --- the host's side: Tallyboard's HostServer, or the raw stack ---------------------------------


class RawServer:
    """The raw stack: a bare websockets server and a bare peewee table, no app logic.

    /display connections only listen; a frame on /trigger is broadcast to them (after an insert
    and commit, when `store_on_trigger`); a submit on /judge is inserted and committed, many
    frames a transaction like the host's group commit, then acked.
    """

    def __init__(self, folder: Path, secure: bool) -> None:
        self.db = peewee.SqliteDatabase(
            str(folder / "raw.db"),
            pragmas={"journal_mode": "wal", "synchronous": "full", "busy_timeout": 5000},
        )
        self.db.connect()
        self.db.execute_sql(
            "CREATE TABLE IF NOT EXISTS op (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, body TEXT)"
        )
        self.displays: set[ServerConnection] = set()
        self.payload = BOARD_PREFIX + "}"
        self.store_on_trigger = False
        self.secure = secure
        self._ssl = None
        if secure:
            cert, key = tls.make_certificate("raw bench")
            self._ssl = tls.server_context(cert, key)
        self._server: Server | None = None
        self._batch: list[tuple[ServerConnection, list[dict[str, Any]]]] = []
        self._scheduled = False
        self._seq = 0

    async def start(self) -> str:
        """Listen on loopback; return the base URL."""
        self._server = await serve(
            self._handle,
            "127.0.0.1",
            0,
            ssl=self._ssl,
            compression=None,
            max_size=m.MAX_FRAME,
            ping_interval=10.0,
            ping_timeout=10.0,
        )
        port = next(iter(self._server.sockets)).getsockname()[1]
        return f"{'wss' if self.secure else 'ws'}://127.0.0.1:{port}"

    async def stop(self) -> None:
        """Close every connection and the database."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self.db.close()

    def set_payload(self, size: int) -> None:
        """Broadcast a message of `size` bytes, shaped like a leaderboard_update."""
        pad = max(0, size - len(BOARD_PREFIX) - len(',"pad":""}'))
        self.payload = BOARD_PREFIX + ',"pad":"' + "x" * pad + '"}'

    def _insert(self, ops: list[dict[str, Any]]) -> None:
        for op in ops:
            self.db.execute_sql(
                "INSERT INTO op (id, body) VALUES (?, ?)", (str(op["id"]), json.dumps(op))
            )

    async def _handle(self, connection: ServerConnection) -> None:
        path = connection.request.path if connection.request else ""
        try:
            if path == "/display":
                self.displays.add(connection)
                await connection.wait_closed()
            elif path == "/trigger":
                async for frame in connection:
                    if self.store_on_trigger:
                        self._seq += 1
                        with self.db.atomic():
                            self._insert([{"id": f"trigger/{self._seq}", "body": frame}])
                    broadcast(self.displays, self.payload)
            elif path == "/judge":
                async for frame in connection:
                    message = json.loads(frame)
                    self._batch.append((connection, message["ops"]))
                    if not self._scheduled:
                        self._scheduled = True
                        asyncio.get_running_loop().call_soon(self._commit)
        except ConnectionClosed:
            pass
        finally:
            self.displays.discard(connection)

    def _commit(self) -> None:
        batch, self._batch = self._batch, []
        self._scheduled = False
        with self.db.atomic():
            for _, ops in batch:
                self._insert(ops)
        for connection, ops in batch:
            ack = {"type": "ack", "accepted": [op["id"] for op in ops], "rejected": []}
            broadcast([connection], json.dumps(ack, separators=(",", ":")))


class HostSide:
    """The host process: serves either Tallyboard or the raw stack; answers the orchestrator."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tallyboard-bench-host-"))
        self.server: HostServer | None = None
        self.raw: RawServer | None = None
        self.replica: Replica | None = None
        self.profiler = Profiler()
        self.traced: tracemalloc.Snapshot | None = None

    async def start_tally(
        self, *, secure: bool, board_interval: float, judges: int
    ) -> dict[str, Any]:
        """Serve a durable demo replica with `judges` more judges and BENCH_TEAMS teams."""
        replica = Replica.open(self.folder / "host.db")  # durable: synchronous=FULL
        seed_demo(replica)
        for t in range(BENCH_TEAMS - len(replica.state.teams())):
            replica.admin("team.put", {"id": f"team-bench-{t:02d}", "name": f"Bench Team {t:02d}"})
        for j in range(judges):
            replica.admin("judge.put", {"id": f"bench-{j:02d}", "name": f"Bench Judge {j:02d}"})
        replica.ensure_codes()
        config = HostConfig(
            bind="127.0.0.1",
            port=0,
            secure=secure,
            advertise=False,
            board_interval=board_interval,
            rate=UNLIMITED,
            burst=UNLIMITED,
        )
        self.replica = replica
        self.server = HostServer(replica, config)
        await self.server.start()
        codes = {f"{c['role']}:{c['id']}": c["code"] for c in replica.join_codes()}
        return {
            "url": self.server.url,
            "target": f"127.0.0.1:{self.server.port}",
            "display": codes["display:None"],
            "judges": [codes[f"judge:bench-{j:02d}"] for j in range(judges)],
            "judge_ids": [f"bench-{j:02d}" for j in range(judges)],
            "teams": sorted(replica.state.teams()),
        }

    async def start_raw(self, *, secure: bool) -> dict[str, Any]:
        """Serve the raw stack."""
        self.raw = RawServer(self.folder, secure)
        return {"url": await self.raw.start()}

    async def configure(self, **options: Any) -> None:
        """Change a running server's settings (board interval, payload, insert on trigger)."""
        if self.server is not None and "board_interval" in options:
            self.server.config.board_interval = float(options["board_interval"])
        if self.raw is not None:
            if "payload" in options:
                self.raw.set_payload(int(options["payload"]))
            if "store_on_trigger" in options:
                self.raw.store_on_trigger = bool(options["store_on_trigger"])

    async def memory(self) -> dict[str, int]:
        """Return the RSS once the loop is idle and garbage is collected."""
        await asyncio.sleep(0.3)
        gc.collect()
        await asyncio.sleep(0.05)
        sessions = len(self.server.core.sessions) if self.server else 0
        raw = len(self.raw.displays) if self.raw else 0
        return {"rss_kb": rss_kb(), "sessions": sessions, "raw_displays": raw}

    async def profile(self, on: bool, sort: str = "tottime", top: int = 40) -> str:
        """Start profiling, or stop and return the top costs."""
        if on:
            self.profiler.start()
            return ""
        return self.profiler.stop(sort, top)

    async def trace(self, on: bool, per: int = 1, top: int = 25) -> str:
        """Start tracing Python allocations, or stop and return the growth since, per `per`."""
        await asyncio.sleep(0.3)
        gc.collect()
        if on:
            tracemalloc.start()
            self.traced = tracemalloc.take_snapshot()
            return ""
        grown = tracemalloc.take_snapshot().compare_to(self.traced, "lineno")
        tracemalloc.stop()
        total = sum(stat.size_diff for stat in grown)
        lines = [f"traced Python allocations: {total / per / 1024:.2f} KB each"]
        for stat in grown[:top]:
            frame = stat.traceback[0]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            lines.append(f"  {stat.size_diff / per:9.0f} B {stat.count_diff / per:6.2f} x  {where}")
        return "\n".join(lines)

    async def cpu(self) -> float:
        """Return the CPU seconds this process has used (user and system)."""
        return time.process_time()

    async def stop(self) -> None:
        """Stop serving."""
        if self.server is not None:
            await self.server.stop()
        if self.replica is not None:
            self.replica.close()
        if self.raw is not None:
            await self.raw.stop()


# --- the peers' side ----------------------------------------------------------------------------


@dataclass
class Judge:
    """A raw protocol judge client: its socket, its signer and the acks it awaits."""

    ws: ClientConnection
    signer: Signer
    acks: asyncio.Queue[tuple[float, dict[str, Any]]] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None


@dataclass
class Crowd:
    """One server's displays and judges, as the peers' process holds them."""

    displays: list[ClientConnection] = field(default_factory=list)
    readers: list[asyncio.Task[None]] = field(default_factory=list)
    arrival: list[float] = field(default_factory=list)
    waiting: int = 0
    all_in: asyncio.Event = field(default_factory=asyncio.Event)
    judges: list[Judge] = field(default_factory=list)


class PeerSide:
    """The peers' process: displays, judges and an offline judge's PeerLink."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tallyboard-bench-peers-"))
        self.crowds: dict[str, Crowd] = {}
        self.board_bytes = 0
        self.rng = random.Random(7)
        self.trials = 0
        self.profiler = Profiler()

    def _crowd(self, group: str) -> Crowd:
        return self.crowds.setdefault(group, Crowd())

    @staticmethod
    async def _connect(url: str) -> ClientConnection:
        secure = url.startswith("wss:")
        return await connect(
            url,
            ssl=tls.client_context() if secure else None,
            compression=None,
            proxy=None,
            open_timeout=TIMEOUT,
            ping_interval=None,
            max_size=m.MAX_FRAME,
        )

    # displays

    async def open_displays(
        self, *, url: str, n: int, code: str | None, group: str = "main"
    ) -> dict[str, Any]:
        """Open `n` displays (with a hello and the display code, unless raw), WAVE at a time."""
        crowd = self._crowd(group)
        started = time.perf_counter()
        for first in range(0, n, WAVE):
            opened = await asyncio.gather(
                *(self._display(url, code) for _ in range(min(WAVE, n - first)))
            )
            for ws in opened:
                index = len(crowd.displays)
                crowd.displays.append(ws)
                crowd.arrival.append(0.0)
                crowd.readers.append(asyncio.create_task(self._read_display(crowd, index, ws)))
        return {"seconds": time.perf_counter() - started, "board_bytes": self.board_bytes}

    async def _display(self, url: str, code: str | None) -> ClientConnection:
        ws = await self._connect(url)
        if code is not None:
            await ws.send(Signer().hello(code))
            welcome = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            assert welcome["type"] == "welcome", welcome
            board = await asyncio.wait_for(ws.recv(), TIMEOUT)
            assert isinstance(board, str), "a text frame"
            assert board.startswith(BOARD_PREFIX), board[:80]
            self.board_bytes = len(board.encode("utf-8"))
        return ws

    async def _read_display(self, crowd: Crowd, index: int, ws: ClientConnection) -> None:
        try:
            async for frame in ws:
                fresh = crowd.arrival[index] == 0.0
                if fresh and isinstance(frame, str) and frame.startswith(BOARD_PREFIX):
                    crowd.arrival[index] = time.perf_counter()
                    crowd.waiting -= 1
                    if crowd.waiting == 0:
                        crowd.all_in.set()
        except ConnectionClosed:
            pass

    # judges

    async def open_judges(
        self, *, url: str, codes: list[str], judge_ids: list[str], group: str = "main"
    ) -> None:
        """Pair one raw judge client per code (or open raw /judge sockets when codes is empty)."""

        async def one(code: str | None, judge_id: str) -> Judge:
            signer = Signer(judge_id)
            ws = await self._connect(url)
            if code is not None:
                await ws.send(signer.hello(code))
                while True:  # the welcome, then the ops this device lacks
                    message = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
                    assert message["type"] in ("welcome", "ops"), message
                    if message["type"] == "ops" and message["vv"]:
                        break
            judge = Judge(ws, signer)
            judge.task = asyncio.create_task(self._read_judge(judge))
            return judge

        crowd = self._crowd(group)
        pairs = (
            list(zip(codes, judge_ids, strict=True)) if codes else [(None, j) for j in judge_ids]
        )
        for first in range(0, len(pairs), WAVE):
            crowd.judges += await asyncio.gather(
                *(one(c, j) for c, j in pairs[first : first + WAVE])
            )

    async def _read_judge(self, judge: Judge) -> None:
        try:
            async for frame in judge.ws:
                if isinstance(frame, str) and frame.startswith('{"type":"ack"'):
                    judge.acks.put_nowait((time.perf_counter(), json.loads(frame)))
        except ConnectionClosed:
            pass

    async def close(self) -> None:
        """Close every display and judge."""
        for crowd in self.crowds.values():
            sockets = crowd.displays + [j.ws for j in crowd.judges]
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
            for task in crowd.readers + [j.task for j in crowd.judges if j.task]:
                task.cancel()
        self.crowds = {}

    # (a) submit to the last display

    async def fan_trial(self, *, group: str, team: str) -> float:
        """Submit one final sheet (or a trigger frame); return ms until the last display has it."""
        crowd = self.crowds[group]
        judge = crowd.judges[0]
        while not judge.acks.empty():
            judge.acks.get_nowait()
        self.trials += 1
        base = 40 + (self.trials % 2) * 30  # alternate, so that every submit changes the board
        op = judge.signer.sheet(team, {c: base + i for i, c in enumerate(CRITERIA)})
        frame = m.encode({"type": "submit", "ops": [op]})
        crowd.arrival = [0.0] * len(crowd.displays)
        crowd.waiting = len(crowd.displays)
        crowd.all_in.clear()
        sent = time.perf_counter()
        await judge.ws.send(frame)
        await asyncio.wait_for(crowd.all_in.wait(), TIMEOUT)
        return (max(crowd.arrival) - sent) * 1000

    async def pause(self, seconds: float) -> None:
        """Let the peers' loop run for a while (what arrives meanwhile is read)."""
        await asyncio.sleep(seconds)

    # (c) ack round trip

    async def ack_trials(
        self, *, count: int, warmup: int, teams: list[str], group: str = "main"
    ) -> list[float]:
        """Submit one op at a time and wait for its ack; return each round trip in ms."""
        judge = self.crowds[group].judges[0]
        ops = [
            judge.signer.sheet(self.rng.choice(teams), sheet_scores(self.rng))
            for _ in range(count + warmup)
        ]
        frames = [m.encode({"type": "submit", "ops": [op]}) for op in ops]
        found = []
        for i, frame in enumerate(frames):
            sent = time.perf_counter()
            await judge.ws.send(frame)
            arrived, ack = await asyncio.wait_for(judge.acks.get(), TIMEOUT)
            assert ack["accepted"] == [ops[i]["id"]], ack
            if i >= warmup:
                found.append((arrived - sent) * 1000)
        return found

    # (d) accepted ops/s with many judges

    async def throughput(
        self, *, per_judge: int, teams: list[str], group: str = "main"
    ) -> dict[str, Any]:
        """Every judge submits `per_judge` ops, one frame at a time, each after the last ack."""
        work = [
            [
                m.encode(
                    {
                        "type": "submit",
                        "ops": [j.signer.sheet(self.rng.choice(teams), sheet_scores(self.rng))],
                    }
                )
                for _ in range(per_judge)
            ]
            for j in self.crowds[group].judges
        ]
        counts = {"accepted": 0, "rejected": 0}

        async def run(judge: Judge, frames: list[str]) -> None:
            for frame in frames:
                await judge.ws.send(frame)
                _, ack = await asyncio.wait_for(judge.acks.get(), TIMEOUT)
                counts["accepted"] += len(ack["accepted"])
                counts["rejected"] += len(ack["rejected"])

        started = time.perf_counter()
        judges = self.crowds[group].judges
        await asyncio.gather(*(run(j, f) for j, f in zip(judges, work, strict=True)))
        elapsed = time.perf_counter() - started
        return {**counts, "seconds": elapsed, "per_s": counts["accepted"] / elapsed}

    # (e) offline ops flushed and acked

    async def offline_flush(
        self,
        *,
        target: str,
        code: str,
        judge_id: str,
        count: int,
        teams: list[str],
        profile: str = "",
    ) -> dict[str, Any]:
        """Pair a judge's PeerLink, make `count` ops offline, reconnect; time until all acked."""
        path = self.folder / f"judge-{uuid.uuid4().hex[:8]}.db"
        config = PeerConfig(code=code, target=target, secure=False, rng_seed=1)
        replica = Replica.open(path)
        link = PeerLink(replica, config)
        task = asyncio.create_task(link.run())
        await link.wait_online(TIMEOUT)
        deadline = time.perf_counter() + TIMEOUT
        while len(replica.state.teams()) < len(teams) and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)
        await link.stop()
        await task
        replica.close()

        # Offline: the judge scores and rescores (1 in 4 a draft); setup, so not durable.
        replica = Replica.open(path, durable=False)
        started = time.perf_counter()
        for i in range(count):
            replica.make(
                "sheet.save",
                {
                    "team": teams[i % len(teams)],
                    "scores": sheet_scores(self.rng),
                    "comment": "",
                    "final": i % 4 != 3,
                },
                judge_id,
            )
        made = time.perf_counter() - started
        replica.close()

        replica = Replica.open(path)  # as the app opens it: durable
        assert replica.pending_count() == count
        link = PeerLink(replica, PeerConfig(target=target, secure=False, rng_seed=1))
        done = asyncio.Event()
        marks: dict[str, float] = {}

        def acked(accepted: list[str], rejected: list[dict[str, Any]]) -> None:
            marks.setdefault("first_ack", time.perf_counter())
            if replica.pending_count() == 0:
                marks["done"] = time.perf_counter()
                done.set()

        link.on_ack.append(acked)
        if profile:
            self.profiler.start()
        started = time.perf_counter()
        task = asyncio.create_task(link.run())
        await link.wait_online(TIMEOUT)
        online = time.perf_counter()
        await asyncio.wait_for(done.wait(), 120)
        profiled = self.profiler.stop(profile) if profile else ""
        await link.stop()
        await task
        rejected = len(replica.rejected())
        replica.close()
        return {
            "seconds": marks["done"] - started,
            "online": online - started,
            "first_ack": marks["first_ack"] - started,
            "rejected": rejected,
            "made_seconds": made,
            "profile": profiled,
        }

    async def raw_flush(self, *, url: str, count: int, teams: list[str]) -> dict[str, Any]:
        """The raw stack's flush: `count` rows pending in peewee, 500 a frame, acks recorded."""
        db = peewee.SqliteDatabase(
            str(self.folder / f"raw-{uuid.uuid4().hex[:8]}.db"),
            pragmas={"journal_mode": "wal", "synchronous": "normal"},
        )
        db.connect()
        db.execute_sql(
            "CREATE TABLE op (n INTEGER PRIMARY KEY, id TEXT UNIQUE, body TEXT, status TEXT)"
        )
        db.execute_sql("CREATE INDEX op_status ON op (status, n)")
        signer = Signer("bench-raw")
        with db.atomic():
            for i in range(count):
                op = signer.sheet(teams[i % len(teams)], sheet_scores(self.rng), final=i % 4 != 3)
                db.execute_sql(
                    "INSERT INTO op (n, id, body, status) VALUES (?, ?, ?, 'pending')",
                    (op["n"], op["id"], json.dumps(op)),
                )
        db.execute_sql("PRAGMA synchronous = FULL")
        done = asyncio.Event()
        left = {"n": count}
        started = time.perf_counter()
        ws = await self._connect(f"{url}/judge")

        async def read() -> None:
            async for frame in ws:
                ack = json.loads(frame)
                with db.atomic():
                    for op_id in ack["accepted"]:
                        db.execute_sql(
                            "UPDATE op SET status = 'accepted' WHERE id = ? AND status = 'pending'",
                            (op_id,),
                        )
                left["n"] = db.execute_sql(
                    "SELECT count(*) FROM op WHERE status = 'pending'"
                ).fetchone()[0]
                if left["n"] == 0:
                    done.set()

        reader = asyncio.create_task(read())
        rows = db.execute_sql("SELECT body FROM op WHERE status = 'pending' ORDER BY n").fetchall()
        pending = [json.loads(body) for (body,) in rows]
        for first in range(0, len(pending), m.MAX_SUBMIT_OPS):
            chunk = pending[first : first + m.MAX_SUBMIT_OPS]
            await ws.send(m.encode({"type": "submit", "ops": chunk}))
        await asyncio.wait_for(done.wait(), 120)
        elapsed = time.perf_counter() - started
        await ws.close()
        reader.cancel()
        db.close()
        return {"seconds": elapsed}

    async def profile(self, on: bool, sort: str = "tottime", top: int = 40) -> str:
        """Start profiling, or stop and return the top costs."""
        if on:
            self.profiler.start()
            return ""
        return self.profiler.stop(sort, top)


# --- processes ----------------------------------------------------------------------------------


SIDES: dict[str, type] = {"host": HostSide, "peers": PeerSide}


def _worker(conn: Connection, side: type, cpu: int | None) -> None:
    """Run one side's commands, sent over `conn`, on this process's own event loop."""
    raise_file_limit()
    pin(cpu)

    async def serve_commands() -> None:
        handler: Any = side()
        loop = asyncio.get_running_loop()
        try:
            while True:
                name, kwargs = await loop.run_in_executor(None, conn.recv)
                if name == "exit":
                    break
                try:
                    conn.send(("ok", await getattr(handler, name)(**kwargs)))
                except Exception:
                    conn.send(("error", traceback.format_exc()))
        finally:
            shutil.rmtree(handler.folder, ignore_errors=True)
        conn.send(("ok", None))

    asyncio.run(serve_commands())


class Worker:
    """A child process running a side (HostSide, PeerSide or another bench's), driven by
    method calls; `side` is a name in SIDES or the side's class."""

    def __init__(self, side: str | type, cpu: int | None) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        handler = SIDES[side] if isinstance(side, str) else side
        self.process = context.Process(target=_worker, args=(child, handler, cpu), daemon=True)
        self.process.start()

    def __call__(self, name: str, **kwargs: Any) -> Any:
        """Run one command in the child and return its result."""
        self.conn.send((name, kwargs))
        status, result = self.conn.recv()
        if status != "ok":
            raise RuntimeError(f"{name} failed in the child:\n{result}")
        return result

    def close(self) -> None:
        """End the child process."""
        try:
            self("exit")
        finally:
            self.process.join(10)
            if self.process.is_alive():
                self.process.kill()


# --- the measures -------------------------------------------------------------------------------


@dataclass
class Figures:
    """Everything measured in one run."""

    fan: dict[str, dict[int, list[float]]] = field(default_factory=dict)  # kind -> N -> ms
    memory: dict[str, dict[int, float]] = field(default_factory=dict)  # kind -> N -> KB/conn
    board_bytes: int = 0
    connect_s: dict[str, dict[int, float]] = field(default_factory=dict)
    ack: dict[str, list[float]] = field(default_factory=dict)  # kind -> ms
    rate: dict[str, list[float]] = field(default_factory=dict)  # kind -> ops/s per round
    cpu_us: dict[str, list[float]] = field(default_factory=dict)  # kind -> host CPU per op
    rejected: int = 0
    flush: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    profiles: dict[str, str] = field(default_factory=dict)


def measure_fanout(peers: Worker, n: int, reps: int, gap: float, figures: Figures) -> None:
    """(a) and (b): N displays on each server; memory per connection; submit to the last display.

    Tallyboard and the raw stack run side by side in one host process and their trials take
    turns, so that drift on a noisy machine falls on both alike.
    """
    host = Worker("host", 0)
    try:
        tally = host("start_tally", secure=False, board_interval=0.0, judges=1)
        raw = host("start_raw", secure=False)
        peers(
            "open_judges",
            url=tally["url"],
            codes=tally["judges"],
            judge_ids=tally["judge_ids"],
            group="tally",
        )
        peers("open_judges", url=raw["url"] + "/trigger", codes=[], judge_ids=["raw"], group="raw")
        before = host("memory")
        opened = peers("open_displays", url=tally["url"], n=n, code=tally["display"], group="tally")
        middle = host("memory")
        assert middle["sessions"] == n + 1, middle
        # The raw broadcast sends a message as large as Tallyboard's leaderboard_update.
        figures.board_bytes = opened["board_bytes"]
        host("configure", payload=figures.board_bytes)
        opened_raw = peers(
            "open_displays", url=raw["url"] + "/display", n=n, code=None, group="raw"
        )
        after = host("memory")
        assert after["raw_displays"] == n, after
        figures.memory.setdefault("tally", {})[n] = (middle["rss_kb"] - before["rss_kb"]) / n
        figures.memory.setdefault("raw", {})[n] = (after["rss_kb"] - middle["rss_kb"]) / n
        figures.connect_s.setdefault("tally", {})[n] = opened["seconds"]
        figures.connect_s.setdefault("raw", {})[n] = opened_raw["seconds"]
        settings = (
            ("tally", "tally", {"board_interval": 0.0}),
            ("tally 50ms", "tally", {"board_interval": 0.05}),
            ("raw", "raw", {"store_on_trigger": False}),
            ("raw+commit", "raw", {"store_on_trigger": True}),
        )
        warmup = 2
        for rep in range(warmup + reps):
            for name, group, options in settings:
                host("configure", **options)
                ms = peers("fan_trial", group=group, team=tally["teams"][0])
                peers("pause", seconds=gap)
                if rep >= warmup:
                    figures.fan.setdefault(name, {}).setdefault(n, []).append(ms)
        peers("close")
        host("stop")
    finally:
        host.close()


def measure_ack(peers: Worker, count: int, figures: Figures) -> None:
    """(c): one judge, submit then wait for the ack, `count` times; plain and TLS."""
    blocks = 5
    for secure in (False, True):
        suffix = " tls" if secure else ""
        host = Worker("host", 0)
        try:
            tally = host("start_tally", secure=secure, board_interval=0.05, judges=1)
            raw = host("start_raw", secure=secure)
            peers(
                "open_judges",
                url=tally["url"],
                codes=tally["judges"],
                judge_ids=tally["judge_ids"],
                group="tally",
            )
            peers(
                "open_judges", url=raw["url"] + "/judge", codes=[], judge_ids=["raw"], group="raw"
            )
            for block in range(blocks):  # in turns, against drift
                for kind in ("tally", "raw"):
                    found = peers(
                        "ack_trials",
                        count=count // blocks,
                        warmup=20 if block == 0 else 0,
                        teams=tally["teams"],
                        group=kind,
                    )
                    figures.ack.setdefault(kind + suffix, []).extend(found)
            peers("close")
            host("stop")
        finally:
            host.close()


def measure_rate(
    peers: Worker,
    judges: int,
    per_judge: int,
    rounds: int,
    profile: str,
    figures: Figures,
    displays: int = 100,
    host_cpu: int | None = 0,
) -> None:
    """(d): `judges` judges submit concurrently, each one op a frame after the last ack, while
    `displays` displays take every leaderboard the host sends."""
    host = Worker("host", host_cpu)
    try:
        tally = host("start_tally", secure=False, board_interval=0.05, judges=judges)
        raw = host("start_raw", secure=False)
        if displays:
            peers("open_displays", url=tally["url"], n=displays, code=tally["display"], group="d")
        peers(
            "open_judges",
            url=tally["url"],
            codes=tally["judges"],
            judge_ids=tally["judge_ids"],
            group="tally",
        )
        peers(
            "open_judges",
            url=raw["url"] + "/judge",
            codes=[],
            judge_ids=[f"raw-{j}" for j in range(judges)],
            group="raw",
        )
        teams = tally["teams"]
        for kind in ("tally", "raw"):
            peers("throughput", per_judge=5, teams=teams, group=kind)  # warm up
        for _ in range(rounds):  # in turns, against drift
            for kind in ("tally", "raw"):
                cpu = host("cpu")
                result = peers("throughput", per_judge=per_judge, teams=teams, group=kind)
                cpu = host("cpu") - cpu
                figures.rate.setdefault(kind, []).append(result["per_s"])
                figures.cpu_us.setdefault(kind, []).append(cpu / result["accepted"] * 1e6)
                if kind == "tally":
                    figures.rejected += result["rejected"]
        if profile:  # one more round, profiled and not counted
            host("profile", on=True)
            peers("throughput", per_judge=per_judge, teams=teams, group="tally")
            figures.profiles[f"(d) host, {judges} judges"] = host("profile", on=False, sort=profile)
        peers("close")
        host("stop")
    finally:
        host.close()


def measure_flush(peers: Worker, count: int, reps: int, profile: str, figures: Figures) -> None:
    """(e): a judge's `count` offline ops, flushed by its PeerLink and acked."""
    for rep in range(reps + (1 if profile else 0)):
        profiling = rep == reps  # one more run, profiled and not counted
        host = Worker("host", 0)
        try:
            info = host("start_tally", secure=False, board_interval=0.05, judges=1)
            if profiling:
                host("profile", on=True)
            result = peers(
                "offline_flush",
                target=info["target"],
                code=info["judges"][0],
                judge_id=info["judge_ids"][0],
                count=count,
                teams=info["teams"],
                profile=profile if profiling else "",
            )
            if profiling:
                name = f"(e) host, {count:,} offline ops (and the judge's pairing)"
                figures.profiles[name] = host("profile", on=False, sort=profile)
                name = "(e) judge's PeerLink, from reconnecting to the last ack"
                figures.profiles[name] = result["profile"]
            else:
                figures.flush.setdefault("tally", []).append(result)
            host("stop")
        finally:
            host.close()
        if profiling:
            continue
        host = Worker("host", 0)
        try:
            info = host("start_raw", secure=False)
            figures.flush.setdefault("raw", []).append(
                peers("raw_flush", url=info["url"], count=count, teams=["t"])
            )
            host("stop")
        finally:
            host.close()


# --- the report ---------------------------------------------------------------------------------


def report(figures: Figures, args: argparse.Namespace, started: float) -> None:
    """Print the table: each figure, its raw baseline, the ratio and the target."""
    rows: list[tuple[str, str, str, str, str, str]] = []

    def add(what: str, mine: float, raw: float, unit: str, target: str, met: bool | None) -> None:
        ratio = f"{mine / raw:.2f}x" if raw else "-"
        verdict = "-" if met is None else ("yes" if met else "NO")
        rows.append((what, f"{mine:,.2f} {unit}", f"{raw:,.2f} {unit}", ratio, target, verdict))

    med = statistics.median
    for n in args.ns if figures.fan else []:
        raw = med(figures.fan["raw"][n])
        for kind, label in (("tally", "board_interval 0"), ("tally 50ms", "board_interval 0.05")):
            mine = med(figures.fan[kind][n])
            add(
                f"(a) submit -> last of {n:,} displays, p50, {label}",
                mine,
                raw,
                "ms",
                "<= 1.3x raw",
                mine <= 1.3 * raw,
            )
        mine = med(figures.fan["tally"][n])
        add(
            f"    same, vs raw insert+commit+broadcast, N={n:,}",
            mine,
            med(figures.fan["raw+commit"][n]),
            "ms",
            "(context)",
            None,
        )
    for n in args.ns if figures.memory else []:
        mine, raw = figures.memory["tally"][n], figures.memory["raw"][n]
        add(f"(b) host memory per display, N={n:,}", mine, raw, "KB", "< 20 KB", mine < 20)
    for suffix, label in (("", "ws"), (" tls", "wss")) if figures.ack else ():
        mine_all, raw_all = figures.ack["tally" + suffix], figures.ack["raw" + suffix]
        mine, raw = med(mine_all), med(raw_all)
        met = mine <= 1.5 if not suffix else None
        target = "<= 1.5 ms" if not suffix else "(context)"
        add(f"(c) ack round trip, one judge, p50, {label}", mine, raw, "ms", target, met)
        mine, raw = percentile(mine_all, 0.99), percentile(raw_all, 0.99)
        add(f"    p99, {label}", mine, raw, "ms", "(context)", None)
    if figures.rate:
        mine, raw = med(figures.rate["tally"]), med(figures.rate["raw"])
        add(
            f"(d) accepted ops/s, {args.judges} judges, {args.displays} displays",
            mine,
            raw,
            "ops/s",
            ">= 3,000",
            mine >= 3000,
        )
        mine, raw = med(figures.cpu_us["tally"]), med(figures.cpu_us["raw"])
        add("    host CPU per accepted op", mine, raw, "us", "(context)", None)
    if figures.flush:
        mine = med([r["seconds"] for r in figures.flush["tally"]])
        raw = med([r["seconds"] for r in figures.flush["raw"]])
        what = f"(e) {args.offline_ops:,} offline ops flushed and acked"
        add(what, mine, raw, "s", "<= 3 s", mine <= 3)

    headers = ("measure", "Tallyboard", "raw stack", "ratio", "target", "met")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print()
    print(line.format(*headers))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))

    print()
    if figures.fan:
        print(f"leaderboard_update: {figures.board_bytes:,} bytes ({BENCH_TEAMS} teams); the raw")
        print("broadcast sends a message of that size. Samples (ms), medians of which are above:")
    for kind in ("tally", "tally 50ms", "raw", "raw+commit") if figures.fan else ():
        for n in args.ns:
            values = figures.fan[kind][n]
            print(
                f"  (a) {kind:<11} N={n:<5,} min {min(values):7.2f}  p50 {med(values):7.2f}"
                f"  max {max(values):7.2f}  (n={len(values)})"
            )
    for kind in ("tally", "raw") if figures.connect_s else ():
        for n in args.ns:
            print(f"  connect {n:,} displays ({kind}): {figures.connect_s[kind][n]:.2f} s")
    if figures.rate:
        print(
            "  (d) ops/s per round: tally "
            + ", ".join(f"{v:,.0f}" for v in figures.rate["tally"])
            + "; raw "
            + ", ".join(f"{v:,.0f}" for v in figures.rate["raw"])
            + f"; tally rejected {figures.rejected}"
        )
    for result in figures.flush.get("tally", []):
        print(
            f"  (e) tally: online after {result['online']:.2f} s,"
            f" first ack {result['first_ack']:.2f} s,"
            f" all acked {result['seconds']:.2f} s, rejected {result['rejected']}"
            f" (making the ops offline took {result['made_seconds']:.1f} s, not counted)"
        )
    for name, text in figures.profiles.items():
        print()
        print(f"profile: {name}")
        print(text)
    print()
    pinned = "the host on any core in (d), the peers" if args.host_any_core else "host and peers"
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {pinned} pinned to one"
        f" core each; total {time.perf_counter() - started:.0f} s"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Run every measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller N and fewer repetitions")
    parser.add_argument("--ns", type=lambda s: [int(x) for x in s.split(",")], default=None)
    parser.add_argument("--reps", type=int, default=None, help="fan-out trials per setting")
    parser.add_argument("--gap", type=float, default=0.1, help="seconds between fan-out trials")
    parser.add_argument("--acks", type=int, default=500, help="sequential submits timed in (c)")
    parser.add_argument("--judges", type=int, default=50)
    parser.add_argument("--per-judge", type=int, default=None, help="ops per judge per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--displays", type=int, default=100, help="displays attached in (d)")
    parser.add_argument(
        "--host-any-core",
        action="store_true",
        help="(d): the host may run on every core (its signature worker too), the peers on one",
    )
    parser.add_argument("--offline-ops", type=int, default=None)
    parser.add_argument("--flush-reps", type=int, default=3)
    parser.add_argument("--only", default="abcde", help="which measures to run, e.g. 'cd'")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="tottime",
        default="",
        help="cProfile one extra, uncounted round of (d) and (e); sort key (tottime, cumulative)",
    )
    args = parser.parse_args(argv)
    args.ns = args.ns or ([50, 200] if args.quick else [100, 1000])
    args.reps = args.reps or (7 if args.quick else 21)
    args.per_judge = args.per_judge or (30 if args.quick else 100)
    args.offline_ops = args.offline_ops or (2000 if args.quick else 10_000)
    if args.quick:
        args.acks = min(args.acks, 200)
        args.rounds = min(args.rounds, 2)
        args.flush_reps = min(args.flush_reps, 1)
    raise_file_limit()
    started = time.perf_counter()
    figures = Figures()
    peers = Worker("peers", 1)
    try:
        if "a" in args.only or "b" in args.only:
            for n in args.ns:
                print(f"measuring (a) and (b), N={n}...", file=sys.stderr, flush=True)
                measure_fanout(peers, n, args.reps, args.gap, figures)
        if "c" in args.only:
            print("measuring (c)...", file=sys.stderr, flush=True)
            measure_ack(peers, args.acks, figures)
        if "d" in args.only:
            print("measuring (d)...", file=sys.stderr, flush=True)
            measure_rate(
                peers,
                args.judges,
                args.per_judge,
                args.rounds,
                args.profile,
                figures,
                args.displays,
                None if args.host_any_core else 0,
            )
        if "e" in args.only:
            print("measuring (e)...", file=sys.stderr, flush=True)
            measure_flush(peers, args.offline_ops, args.flush_reps, args.profile, figures)
    finally:
        peers.close()
    report(figures, args, started)


if __name__ == "__main__":
    main()
