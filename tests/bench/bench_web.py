"""Benchmark the host's web port (issue 13): 1,000 browser WebSockets follow the public board
while judges submit.

Three processes on loopback: the host (a durable demo replica with 20 teams and 8 more judges,
its pages on a web port), the followers (plain websockets clients of the pages' socket, each
saying the public page's hello, with `boards` and `deltas` as the page says them, 32 from
each of 127.0.0.2, .3, ...: the web port's cap per address), and this one, with the judges
(raw peers with their own replicas, as tests/sync does).
It prints, each as one JSON line and then a table:
- the judges' ack latency (median, p99) with no followers, and with N following the board;
- the host's memory per follower (RSS once idle and collected, before and after N connect);
- submit -> last of N followers has the next board, and the same for N desktop displays paired
  on the sync port with the display code (how bench_sync.py measures them), in the same run.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_web.py            # N = 1,000
    PYTHONPATH=. .venv/bin/python tests/bench/bench_web.py --followers 200 --rounds 10

The host is pinned to core 0 and the followers to core 1, as bench_sync.py pins its host and
peers; the judges run unpinned. Times are wall-clock (CLOCK_MONOTONIC, one clock for every
process on the machine).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Coroutine, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from storage.demo import seed_demo
from storage.replica import Replica
from storage.signing import DeviceKey
from sync.server import HostConfig, HostServer
from tests.bench.bench_sync import percentile, pin, raise_file_limit, rss_kb
from tests.sync.conftest import Peer, judge_op

BOARD = '{"type":"leaderboard_'  # a whole board or a delta (the page says `deltas`)
TEAMS = 20
JUDGES = 8
PER_ADDRESS = 32  # the web port's (and the sync port's pre-hello) cap per address
WAVE = 32
UNLIMITED = 1e9  # the judges submit faster than people: lift the frame rate limit


def serve_commands(
    conn: Connection, handlers: dict[str, Callable[..., Coroutine[Any, Any, Any]]]
) -> None:
    """Run a child process: answer each (command, arguments) from `conn` until "stop"."""
    raise_file_limit()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        while True:
            name, kwargs = await loop.run_in_executor(None, conn.recv)
            try:
                result = await handlers[name](**kwargs)
            except Exception as exc:  # the orchestrator prints it and stops
                conn.send(("error", repr(exc)))
                continue
            conn.send(("ok", result))
            if name == "stop":
                return

    asyncio.run(main())


# --- the host process ----------------------------------------------------------------------------


class HostSide:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tallyboard-bench-web-"))
        self.server: HostServer | None = None

    async def start(self) -> dict[str, Any]:
        replica = Replica.open(self.folder / "host.db")  # durable: synchronous=FULL
        seed_demo(replica)
        for t in range(TEAMS - len(replica.state.teams())):
            replica.admin("team.put", {"id": f"team-bench-{t:02d}", "name": f"Bench Team {t:02d}"})
        for j in range(JUDGES):
            replica.admin("judge.put", {"id": f"bench-{j:02d}", "name": f"Bench Judge {j:02d}"})
        replica.ensure_codes()
        config = HostConfig(
            bind="127.0.0.1",
            port=0,
            secure=False,
            advertise=False,
            rate=UNLIMITED,
            burst=UNLIMITED,
            web_port=0,
            max_web=5000,
        )
        self.server = HostServer(replica, config)
        await self.server.start()
        assert self.server.web is not None
        codes = {f"{c['role']}:{c['id']}": c["code"] for c in replica.join_codes()}
        return {
            "url": self.server.url,
            "web": f"ws://127.0.0.1:{self.server.web.port}/live",
            "display": codes["display:None"],
            "judges": {f"bench-{j:02d}": codes[f"judge:bench-{j:02d}"] for j in range(JUDGES)},
            "teams": sorted(replica.state.teams()),
        }

    async def memory(self) -> dict[str, int]:
        await asyncio.sleep(0.3)
        gc.collect()
        await asyncio.sleep(0.05)
        sessions = len(self.server.core.sessions) if self.server else 0
        return {"rss_kb": rss_kb(), "sessions": sessions}

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server.replica.close()


def host_main(conn: Connection) -> None:
    pin(0)  # the host alone on its core: the followers' reading never takes its loop
    side = HostSide()
    serve_commands(conn, {"start": side.start, "memory": side.memory, "stop": side.stop})


# --- the followers' process ----------------------------------------------------------------------


class Followers:
    """N sockets that each wait for boards; armed, they note when each gets the next one."""

    def __init__(self) -> None:
        self.sockets: list[ClientConnection] = []
        self.readers: list[asyncio.Task[None]] = []
        self.arrival: list[float] = []
        self.waiting = 0
        self.done = asyncio.Event()
        self.boards = 0

    async def open(self, url: str, n: int, hello: str, paired: bool) -> int:
        """Open `n` sockets WAVE at a time, 32 an address, each saying `hello`."""
        for first in range(0, n, WAVE):
            batch = range(first, min(n, first + WAVE))
            opened = await asyncio.gather(*(self._one(url, k, hello, paired) for k in batch))
            for ws in opened:
                index = len(self.sockets)
                self.sockets.append(ws)
                self.arrival.append(0.0)
                self.readers.append(asyncio.create_task(self._read(index, ws)))
        return len(self.sockets)

    async def _one(self, url: str, k: int, hello: str, paired: bool) -> ClientConnection:
        address = f"127.0.0.{2 + k // PER_ADDRESS}"
        ws = await connect(
            url, compression=None, proxy=None, open_timeout=30, local_addr=(address, 0)
        )
        text = hello.replace("DEVICE", str(uuid.uuid4())) if paired else hello
        await ws.send(text)
        while not str(await ws.recv()).startswith('{"type":"welcome"'):
            pass
        return ws

    async def _read(self, index: int, ws: ClientConnection) -> None:
        try:
            async for frame in ws:
                if isinstance(frame, str) and frame.startswith(BOARD):
                    self.boards += 1
                    if self.waiting and not self.arrival[index]:
                        self.arrival[index] = time.monotonic()
                        self.waiting -= 1
                        if not self.waiting:
                            self.done.set()
        except ConnectionClosed:
            pass

    async def arm(self) -> int:
        self.arrival = [0.0] * len(self.sockets)
        self.waiting = len(self.sockets)
        self.done = asyncio.Event()
        return self.waiting

    async def wait(self, timeout: float = 10.0) -> dict[str, Any]:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.done.wait(), timeout)
        got = [t for t in self.arrival if t]
        return {
            "last": max(got) if got else 0.0,
            "first": min(got) if got else 0.0,
            "got": len(got),
        }

    async def close(self) -> int:
        for ws in self.sockets:
            await ws.close()
        for task in self.readers:
            task.cancel()
        count = len(self.sockets)
        self.sockets, self.readers, self.arrival = [], [], []
        return count

    async def stop(self) -> None:
        await self.close()


def followers_main(conn: Connection) -> None:
    pin(1)
    crowd = Followers()
    serve_commands(
        conn,
        {
            "open": crowd.open,
            "arm": crowd.arm,
            "wait": crowd.wait,
            "close": crowd.close,
            "stop": crowd.stop,
        },
    )


# --- the orchestrator, with the judges -----------------------------------------------------------


class Child:
    def __init__(self, target: Callable[[Connection], None]) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=target, args=(child,), daemon=True)
        self.process.start()

    async def ask(self, name: str, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        self.conn.send((name, kwargs))
        status, result = await loop.run_in_executor(None, self.conn.recv)
        if status != "ok":
            raise RuntimeError(f"{name}: {result}")
        return result


class Judges:
    """Raw judge peers that submit final sheets and time each ack."""

    def __init__(self, folder: Path, host: dict[str, Any], seed: int) -> None:
        self.folder, self.host = folder, host
        self.random = random.Random(seed)
        self.peers: dict[str, Peer] = {}

    async def join(self) -> None:
        for judge, code in self.host["judges"].items():
            peer = Peer(self.folder, judge)
            await peer.join(self.host["url"], code)
            self.peers[judge] = peer

    def _op(self, judge: str) -> dict[str, Any]:
        team = self.random.choice(self.host["teams"])
        scores = {c: self.random.randint(0, 100) for c in ("innovation", "design", "execution")}
        body = {"team": team, "scores": scores, "comment": "", "final": True}
        return judge_op(self.peers[judge], body, judge)

    async def submit(self, judge: str) -> float:
        """Submit one final sheet; return the ms until its ack."""
        op = self._op(judge)
        start = time.monotonic()
        ack = await self.peers[judge].submit(op)
        assert ack["accepted"] == [op["id"]], ack
        return (time.monotonic() - start) * 1000

    async def load(self, per_judge: int, pause: float) -> list[float]:
        """Every judge submits `per_judge` sheets, one at a time with `pause` s between."""

        async def one(judge: str) -> list[float]:
            times = []
            for _ in range(per_judge):
                times.append(await self.submit(judge))
                await asyncio.sleep(pause * (0.5 + self.random.random()))
            return times

        results = await asyncio.gather(*(one(j) for j in self.peers))
        return [t for times in results for t in times]

    async def close(self) -> None:
        for peer in self.peers.values():
            await peer.close()


async def fan_out(crowd: Child, judges: Judges, rounds: int) -> list[float]:
    """Return, per round, the ms from a judge's submit to the last follower's next board."""
    figures = []
    first = next(iter(judges.peers))
    for _ in range(rounds):
        await asyncio.sleep(0.2)  # past the board interval: the next board is this submit's
        await crowd.ask("arm")
        start = time.monotonic()
        await judges.submit(first)
        seen = await crowd.ask("wait")
        if seen["last"]:
            figures.append((seen["last"] - start) * 1000)
    return figures


def summary(name: str, values: Sequence[float]) -> dict[str, Any]:
    return {
        "figure": name,
        "n": len(values),
        "p50_ms": round(statistics.median(values), 2),
        "p99_ms": round(percentile(values, 0.99), 2),
        "max_ms": round(max(values), 2),
    }


def hello_of(kind: str, served: dict[str, Any]) -> tuple[str, str, bool]:
    """Return the URL, the hello and whether each socket is a paired device, for `kind`."""
    if kind == "followers":
        # The public page's own hello (resources/web/tallyboard.js): named boards and deltas.
        page = {"type": "hello", "protocol": 1, "page": "public", "boards": True, "deltas": True}
        return served["web"], json.dumps(page), False
    # Desktop displays pair with the display code, each its own device (bench_sync's way).
    hello = {
        "type": "hello",
        "protocol": 1,
        "device": "DEVICE",
        "code": served["display"],
        "pubkey": DeviceKey.generate().public_b64,
        "vv": {},
    }
    return served["url"], json.dumps(hello), True


async def phase(
    kind: str, args: argparse.Namespace, emit: Callable[[dict[str, Any]], None]
) -> None:
    """Measure one kind of audience on a fresh host: acks without, memory, acks with, fan-out."""
    host, crowd = Child(host_main), Child(followers_main)
    folder = Path(tempfile.mkdtemp(prefix="tallyboard-bench-judges-"))
    try:
        served = await host.ask("start")
        judges = Judges(folder, served, args.seed)
        await judges.join()
        await judges.load(3, args.pause)  # warm up
        emit(summary(f"ack, no {kind}", await judges.load(args.ops, args.pause)))
        idle = await host.ask("memory")
        url, hello, paired = hello_of(kind, served)
        opened = await crowd.ask("open", url=url, n=args.followers, hello=hello, paired=paired)
        busy = await host.ask("memory")
        kb = (busy["rss_kb"] - idle["rss_kb"]) / max(1, opened)
        emit({"figure": f"host memory per one of {opened} {kind}", "kb": round(kb, 1)})
        emit(summary(f"ack, {opened} {kind}", await judges.load(args.ops, args.pause)))
        rounds = await fan_out(crowd, judges, args.rounds)
        emit(summary(f"submit -> last of {opened} {kind}", rounds))
        await judges.close()
    finally:
        for child in (crowd, host):
            try:
                await child.ask("stop")
            except (RuntimeError, OSError, EOFError):  # stopping anyway
                child.process.kill()
            child.process.join(10)


async def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Measure the browser followers, then desktop displays, each on a host of its own."""
    out: list[dict[str, Any]] = []

    def emit(line: dict[str, Any]) -> None:
        out.append(line)
        print(json.dumps(line), flush=True)

    kinds = ("followers", "displays")
    for kind in kinds if args.first == "followers" else kinds[::-1]:
        await phase(kind, args, emit)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=1000)
    parser.add_argument("--ops", type=int, default=40, help="sheets each judge submits a phase")
    parser.add_argument(
        "--pause", type=float, default=0.05, help="seconds between a judge's sheets"
    )
    parser.add_argument("--rounds", type=int, default=20, help="submit -> last follower rounds")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--first", choices=("followers", "displays"), default="followers")
    args = parser.parse_args(argv)
    import sync  # noqa: PLC0415

    print(f"# measuring {Path(sync.__file__).parent.parent}", flush=True)
    raise_file_limit()
    lines = asyncio.run(run(args))
    print("\n| figure | p50 | p99 | max |\n| --- | --- | --- | --- |")
    for line in lines:
        if "p50_ms" in line:
            ms = [f"{line[k]} ms" for k in ("p50_ms", "p99_ms", "max_ms")]
            print(f"| {line['figure']} | {' | '.join(ms)} |")
        else:
            print(f"| {line['figure']} | {line['kb']} KB | | |")
    return 0


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    sys.exit(main())
