"""Benchmark how the host's costs grow with the event (issue 14): four sizes, and the log-log
slope of each figure against the op count.

Per size (teams x judges, 10 final sheets per judge, each team scored by the judges assigned to
it, 5 criteria, 200-character comments), built in a host replica through the real Replica with
signed ops (bench_leaderboard's helpers), it prints: host cold start (Replica.open + HostServer
construction), a fresh judge's pairing (welcome + backlog over a real loopback `ws://` socket:
time and bytes), that judge's reconnect with its token, a display's welcome, `export` CSV and
JSON, and the rebuild of a host from that judge's replica (storage/rebuild.py).

Times are wall-clock seconds in one process (the host's loop and the raw websockets client share
it; the client only receives and decodes). Each timed figure is the median of `--repeat` runs.

Then (`--fan`, default 100,1000) bench_sync's two processes, each pinned to one core, serve the
same event over wss and a raw websockets server beside it: per display count, displays that
ask for deltas (docs/protocol.md 4d) and then displays that do not, each trial one final sheet
of judge j01 (alternating marks, so the team moves) timed from the judge's send to the last
display's board frame, then a raw broadcast of exactly the bytes that trial's displays got,
and that broadcast again after the raw stack's durable commit of the trigger frame (one insert,
WAL, synchronous=FULL: the floor of a host that commits before it tells the displays); also
the bytes a display got and the host's CPU seconds for the submit. Medians of `--fan-reps`
trials after 2 warm-up rounds. Not here: host memory per display connection.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_scale.py   # all four: about 3-7 min
    PYTHONPATH=. .venv/bin/python tests/bench/bench_scale.py --sizes 20x5,200x40

PYTHONPATH=. makes it measure the worktree's code (the shared venv's own path leads to the main
checkout); the first line it prints names the code it measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_leaderboard import build_host
from bench_sync import (
    BOARD_PREFIX,
    TIMEOUT,
    UNLIMITED,
    HostSide,
    PeerSide,
    Signer,
    Worker,
)
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from storage import export
from storage.rebuild import rebuild_host
from storage.replica import Replica
from sync import messages as m
from sync.server import HostConfig, HostServer

SIZES = ((20, 5), (200, 40), (1000, 200), (3000, 500))
SHEETS_PER_JUDGE = 10
CRITERIA = 5
COMMENT = 200  # characters of each sheet's comment
CONFIG = HostConfig(
    bind="127.0.0.1", port=0, secure=False, advertise=False, max_lag_bytes=64 * 1024 * 1024
)


@dataclass
class Figures:
    """One size's measurements: seconds, and bytes where named."""

    teams: int
    judges: int
    ops: int = 0
    values: dict[str, float] = field(default_factory=dict)


def median_of(repeat: int, call: Callable[[], float]) -> float:
    """Return the median of `repeat` calls of `call` (each returns seconds)."""
    return statistics.median(call() for _ in range(repeat))


def build_event(path: Path, teams: int, judges: int, seed: int) -> int:
    """Build the event at `path` through the real Replica; return its op count."""
    rng = random.Random(seed)
    host, devices = build_host(path, teams, judges, CRITERIA, durable=False)
    sheets = []
    for j, device in enumerate(devices):
        for k in range(SHEETS_PER_JUDGE):
            team = f"t{(j * SHEETS_PER_JUDGE + k) % teams:03d}"
            host.admin("assign.put", {"judge": device.judge, "team": team, "assigned": True})
            marks = {f"c{c}": rng.randint(0, 100) for c in range(CRITERIA)}
            comment = "".join(rng.choice("abcdefgh ") for _ in range(COMMENT))
            sheets.append(device.sheet(team, marks, comment))
    for i in range(0, len(sheets), 500):
        outcomes = host.submit(sheets[i : i + 500])
        assert all(o.accepted for o in outcomes), outcomes
    host.ensure_codes()
    ops = int(host.db.execute_sql("SELECT count(*) FROM op").fetchone()[0])
    host.close()
    return ops


async def converse(url: str, hello: dict[str, Any], done: Callable[[dict[str, Any]], bool]) -> Any:
    """Send `hello`; receive frames until `done` says so; return (seconds, bytes, frames)."""
    frames: list[dict[str, Any]] = []
    size = 0
    async with connect(url, compression=None, proxy=None, max_size=m.MAX_FRAME) as ws:
        start = time.perf_counter()
        await ws.send(m.encode(hello))
        while True:
            raw = await ws.recv()
            size += len(raw.encode("utf-8") if isinstance(raw, str) else raw)
            frames.append(json.loads(raw))
            assert frames[-1]["type"] != "error", frames[-1]
            if done(frames[-1]):
                return time.perf_counter() - start, size, frames


def synced(frame: dict[str, Any]) -> bool:
    """Tell whether a judge's backlog has ended: the last `ops` frame claims the vv."""
    return frame["type"] == "ops" and bool(frame["vv"])


def board(frame: dict[str, Any]) -> bool:
    """Tell whether a display's welcome has ended: its leaderboard came."""
    return frame["type"] == "leaderboard_update"


async def measure_peers(folder: Path, host: Replica, figures: Figures, repeat: int) -> None:
    """Pair fresh judges and displays, reconnect one judge, then rebuild from its replica."""
    server = HostServer(host, CONFIG)
    await server.start()
    try:
        judge_code = host.code_for("judge", "j00")
        display_code = host.code_for("display", None)
        assert judge_code is not None
        assert display_code is not None
        host.set_device_limit(judge_code, 1000)  # a new laptop each run
        pairings, laptop, welcome = [], None, []
        for k in range(repeat):
            laptop = Replica.open(folder / f"laptop{k}.db", durable=False)
            hello = m.hello(laptop.device_id, code=judge_code, pubkey=laptop.key.public_b64, vv={})
            seconds, size, frames = await converse(server.url, hello, synced)
            pairings.append(seconds)
            laptop.adopt_event(host.event_id)
            for frame in frames[1:]:
                if frame["type"] == "ops":
                    laptop.receive(frame["ops"], frame["vv"] or None)
            welcome = frames
            if k < repeat - 1:
                laptop.close()
        assert laptop is not None
        figures.values["pair_s"] = statistics.median(pairings)
        figures.values["pair_bytes"] = size
        token = welcome[0]["token"]
        reconnects = []
        for _ in range(repeat):
            hello = m.hello(laptop.device_id, token=token, vv=laptop.vv())
            reconnects.append((await converse(server.url, hello, synced))[0])
        figures.values["reconnect_s"] = statistics.median(reconnects)
        displays = []
        for _ in range(repeat):
            device = Replica.open(folder / "display.db", durable=False)
            hello = m.hello(device.device_id, code=display_code, pubkey=device.key.public_b64)
            seconds, size, _ = await converse(server.url, hello, board)
            displays.append(seconds)
            device.close()
            (folder / "display.db").unlink()
        figures.values["display_s"] = statistics.median(displays)
        figures.values["display_bytes"] = size
    finally:
        await server.stop()
    laptop.close()
    source = folder / f"laptop{repeat - 1}.db"

    def rebuild() -> float:
        target = folder / "rebuilt.db"
        start = time.perf_counter()
        rebuild_host(source, target)
        seconds = time.perf_counter() - start
        for path in folder.glob("rebuilt.db*"):
            path.unlink()
        return seconds

    figures.values["rebuild_s"] = median_of(repeat, rebuild)


# --- submit -> last display, beside a raw broadcast of the same bytes (issue 14) ----------------

FAN_SIZES = (100, 1000)
BOARD_FRAME = '{"type":"leaderboard'  # a whole board or a delta


class ScaleHost(HostSide):
    """The host process of bench_sync, serving a built event's database over wss."""

    async def start_event(self, *, path: str, judge: str) -> dict[str, Any]:
        """Serve the replica at `path` (durable, as a host opens it); return its codes."""
        replica = Replica.open(Path(path), exclusive=True)
        config = HostConfig(
            bind="127.0.0.1",
            port=0,
            secure=True,
            advertise=False,
            board_interval=0.0,
            rate=UNLIMITED,
            burst=UNLIMITED,
            max_lag_bytes=64 * 1024 * 1024,
        )
        self.replica = replica
        self.server = HostServer(replica, config)
        self._instrument()
        await self.server.start()
        display, code = replica.code_for("display", None), replica.code_for("judge", judge)
        assert display is not None
        assert code is not None
        replica.set_device_limit(code, 1000)
        teams = sorted(t for t in replica.state.teams() if (judge, t) in _assigned(replica))
        return {"url": self.server.url, "display": display, "judge": code, "teams": teams}

    marks: list[tuple[str, float]]

    def _instrument(self) -> None:
        """Note when a submit reaches each step of the host's path to the displays (wrappers
        around the driver's and the core's methods; the code measured is unchanged)."""
        self.marks = []
        assert self.server is not None
        server, core = self.server, self.server.core

        def wrap(owner: object, name: str, before: str = "", after: str = "") -> None:
            original = getattr(owner, name)

            def timed(*args: Any, **kwargs: Any) -> Any:
                if before:
                    self.marks.append((before, time.perf_counter()))
                result = original(*args, **kwargs)
                if after:
                    self.marks.append((after, time.perf_counter()))
                return result

            setattr(owner, name, timed)

        wrap(core, "receive", before="frame")
        wrap(core.replica, "submit", before="submit", after="committed")
        wrap(server, "_commit", after="acks")
        wrap(core, "boards", before="tick", after="computed")
        wrap(server, "_send_boards", after="sent")

    async def timeline(self, *, reset: bool = False) -> dict[str, float]:
        """Return ms from the submit's frame to each step of its way, or start afresh."""
        if reset:
            self.marks = []
            return {}
        names = [name for name, _ in self.marks]
        if "committed" not in names or "sent" not in names:
            return {}
        committed = names.index("committed")
        frame = max(i for i in range(committed) if names[i] == "frame")
        start = self.marks[frame][1]
        steps: dict[str, float] = {}
        for name, at in self.marks[frame:]:
            if name != "frame":
                steps.setdefault(name, (at - start) * 1000)
        return steps


TIMELINE = (
    ("submit", "frame read, parsed, its session checked"),
    ("committed", "Replica.submit: checked, folded, durable COMMIT"),
    ("acks", "ack, ops echo and score_update sent, fan-out done"),
    ("tick", "board tick starts (next loop turn)"),
    ("computed", "HostCore.boards(): ranking, views, diff, encoding"),
    ("sent", "broadcast to every display written"),
)


def _assigned(replica: Replica) -> set[tuple[str, str]]:
    return {
        (entry.value["judge"], entry.value["team"])
        for _, entry in replica.state.live_entries("assign/")
        if entry.value is not None and entry.value.get("assigned")
    }


class ScalePeers(PeerSide):
    """The peers' process of bench_sync: displays that may ask for deltas, a judge of `c0..`."""

    deltas = False
    sizes: list[int]

    async def open_displays(
        self, *, url: str, n: int, code: str | None, group: str = "main", deltas: bool = False
    ) -> dict[str, Any]:
        """Open `n` displays; with `deltas` their hello asks for leaderboard_delta (4d)."""
        self.deltas = deltas
        return await super().open_displays(url=url, n=n, code=code, group=group)

    async def _display(self, url: str, code: str | None) -> ClientConnection:
        ws = await self._connect(url)
        if code is not None:
            hello = json.loads(Signer().hello(code)) | ({"deltas": True} if self.deltas else {})
            await ws.send(m.encode(hello))
            welcome = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            assert welcome["type"] == "welcome", welcome
            board = await asyncio.wait_for(ws.recv(), TIMEOUT)
            assert isinstance(board, str)
            assert board.startswith(BOARD_PREFIX), board[:80]
            self.board_bytes = len(board.encode("utf-8"))
        return ws

    async def _read_display(self, crowd: Any, index: int, ws: ClientConnection) -> None:
        try:
            async for frame in ws:
                fresh = crowd.arrival[index] == 0.0
                if fresh and isinstance(frame, str) and frame.startswith(BOARD_FRAME):
                    crowd.arrival[index] = time.perf_counter()
                    if index == 0:
                        self.frame_bytes = len(frame.encode("utf-8"))
                    crowd.waiting -= 1
                    if crowd.waiting == 0:
                        crowd.all_in.set()
        except ConnectionClosed:
            pass

    async def scale_trial(self, *, group: str, judges: str, team: str) -> dict[str, float]:
        """Submit one final sheet of 5 criteria (or a trigger) from the judge of `judges`;
        return ms to the last display of `group` and the bytes its first display received."""
        crowd = self.crowds[group]
        judge = self.crowds[judges].judges[0]
        judge.signer.trials = getattr(judge.signer, "trials", 0) + 1
        base = 30 + (judge.signer.trials % 2) * 40  # alternate: every submit moves the team
        op = judge.signer.sheet(team, {f"c{c}": base + c for c in range(CRITERIA)})
        crowd.arrival = [0.0] * len(crowd.displays)
        crowd.waiting = len(crowd.displays)
        crowd.all_in.clear()
        self.frame_bytes = 0
        sent = time.perf_counter()
        await judge.ws.send(m.encode({"type": "submit", "ops": [op]}))
        try:
            await asyncio.wait_for(crowd.all_in.wait(), TIMEOUT)
        except TimeoutError:
            acks = [judge.acks.get_nowait() for _ in range(judge.acks.qsize())]
            raise RuntimeError(f"{crowd.waiting} displays waiting; the acks: {acks}") from None
        return {"ms": (max(crowd.arrival) - sent) * 1000, "bytes": self.frame_bytes}

    async def close_group(self, *, group: str) -> None:
        """Close one group's displays (its judges stay)."""
        crowd = self.crowds[group]
        await asyncio.gather(*(ws.close() for ws in crowd.displays), return_exceptions=True)
        for task in crowd.readers:
            task.cancel()
        crowd.displays, crowd.readers, crowd.arrival = [], [], []


def measure_fanout(
    path: Path, figures: Figures, sizes: Sequence[int], reps: int, profile: str = ""
) -> None:
    """Submit -> last of N wss displays, with deltas and with whole boards, each trial beside a
    raw broadcast of exactly the bytes that trial's displays received; host CPU per submit."""
    host, peers = Worker(ScaleHost, 0), Worker(ScalePeers, 1)
    try:
        tally = host("start_event", path=str(path), judge="j01")
        raw = host("start_raw", secure=True)
        peers(
            "open_judges",
            url=tally["url"],
            codes=[tally["judge"]],
            judge_ids=["j01"],
            group="tally",
        )
        peers("open_judges", url=raw["url"] + "/trigger", codes=[], judge_ids=["raw"], group="raw")
        for n in sizes:
            peers("open_displays", url=raw["url"] + "/display", n=n, code=None, group="raw")
            for deltas in (True, False):
                kind = "delta" if deltas else "whole"
                opened = peers(
                    "open_displays",
                    url=tally["url"],
                    n=n,
                    code=tally["display"],
                    group=kind,
                    deltas=deltas,
                )
                figures.values["snapshot_bytes"] = opened["board_bytes"]
                _fan_trials(host, peers, tally["teams"][0], kind, n, reps, figures)
                if profile and deltas:  # one more round of trials, profiled, not counted
                    host("profile", on=True)
                    _fan_trials(host, peers, tally["teams"][0], kind, n, reps, Figures(0, 0))
                    print(f"# host profile, {n} displays with deltas (raw trials included)")
                    print(host("profile", on=False, sort=profile, top=35), flush=True)
                peers("close_group", group=kind)
            peers("close_group", group="raw")
        peers("close")
        host("stop")
    finally:
        peers.close()
        host.close()


def _fan_trials(
    host: Worker, peers: Worker, team: str, kind: str, n: int, reps: int, figures: Figures
) -> None:
    tally_ms, raw_ms, stored_ms, sizes, cpu = [], [], [], [], []
    steps: dict[str, list[float]] = {}
    for rep in range(2 + reps):  # 2 warm-up rounds
        host("timeline", reset=True)
        before = host("cpu")
        trial = peers("scale_trial", group=kind, judges="tally", team=team)
        spent = host("cpu") - before
        if rep >= 2:
            for name, ms in host("timeline").items():
                steps.setdefault(name, []).append(ms)
        peers("pause", seconds=0.1)
        host("configure", payload=trial["bytes"])
        raw = peers("scale_trial", group="raw", judges="raw", team=team)
        peers("pause", seconds=0.1)
        # The raw stack's floor for a durable host: the trigger frame inserted and committed
        # (WAL, synchronous=FULL, bench_sync's RawServer) before the same broadcast.
        host("configure", store_on_trigger=True)
        stored = peers("scale_trial", group="raw", judges="raw", team=team)
        host("configure", store_on_trigger=False)
        peers("pause", seconds=0.1)
        if rep >= 2:
            tally_ms.append(trial["ms"])
            raw_ms.append(raw["ms"])
            stored_ms.append(stored["ms"])
            sizes.append(trial["bytes"])
            cpu.append(spent)
    figures.values[f"fan_{kind}_{n}_ms"] = statistics.median(tally_ms) / 1000
    figures.values[f"fan_raw_{kind}_{n}_ms"] = statistics.median(raw_ms) / 1000
    figures.values[f"fan_{kind}_{n}_ratio"] = statistics.median(
        t / r for t, r in zip(tally_ms, raw_ms, strict=True)
    )
    figures.values[f"fan_stored_{kind}_{n}_ms"] = statistics.median(stored_ms) / 1000
    figures.values[f"fan_{kind}_{n}_stored_ratio"] = statistics.median(
        t / r for t, r in zip(tally_ms, stored_ms, strict=True)
    )
    figures.values[f"fan_{kind}_{n}_bytes"] = statistics.median(sizes)
    figures.values[f"fan_{kind}_{n}_cpu_s"] = statistics.median(cpu)
    for name, values in steps.items():
        figures.values[f"step_{kind}_{n}_{name}"] = statistics.median(values) / 1000


def measure(
    teams: int,
    judges: int,
    repeat: int,
    seed: int,
    fan: Sequence[int] = (),
    reps: int = 7,
    profile: str = "",
) -> Figures:
    """Build one size and measure it; with `fan`, submit -> last of so many wss displays."""
    figures = Figures(teams, judges)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        path = folder / "host.db"
        figures.ops = build_event(path, teams, judges, seed)

        def cold() -> float:
            start = time.perf_counter()
            replica = Replica.open(path, exclusive=True)
            HostServer(replica, CONFIG)
            seconds = time.perf_counter() - start
            replica.close()
            return seconds

        figures.values["cold_s"] = median_of(repeat, cold)
        host = Replica.open(path, exclusive=True)
        try:
            for fmt in export.FORMATS:
                figures.values[f"export_{fmt}_s"] = median_of(
                    repeat, lambda fmt=fmt: timed(lambda: export.render(host, fmt))
                )
            asyncio.run(measure_peers(folder, host, figures, repeat))
        finally:
            host.close()
        if fan:
            measure_fanout(path, figures, fan, reps, profile)
    return figures


def timed(call: Callable[[], object]) -> float:
    """Return the seconds `call` took."""
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


COLUMNS = (
    ("cold_s", "host cold start"),
    ("pair_s", "fresh judge pairing"),
    ("pair_bytes", "  its welcome + backlog"),
    ("reconnect_s", "judge reconnect (token)"),
    ("display_s", "display welcome"),
    ("display_bytes", "  its bytes"),
    ("export_csv_s", "export csv"),
    ("export_json_s", "export json"),
    ("rebuild_s", "rebuild from a judge"),
)


def slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Return the least-squares slope of log(ys) against log(xs)."""
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-9)) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum(
        (a - mx) ** 2 for a in lx
    )


def cell(key: str, value: float) -> str:
    """Format a figure: bytes as KB, seconds as ms."""
    if key.endswith("_bytes"):
        return f"{value / 1024:,.1f} KB"
    return f"{value * 1000:,.1f} ms"


def report(all_figures: list[Figures]) -> None:
    """Print the table as Markdown: one row per figure, one column per size, then the slopes."""
    heads = [f"{f.teams:,}x{f.judges:,} ({f.ops:,} ops)" for f in all_figures]
    many = len(all_figures) > 1
    print("| figure | " + " | ".join(heads) + (" | slope | last step |" if many else " |"))
    print("| --- " * (len(heads) + 1 + 2 * many) + "|")
    ops = [float(f.ops) for f in all_figures]
    for key, label in COLUMNS:
        values = [f.values[key] for f in all_figures]
        row = f"| {label} | " + " | ".join(cell(key, v) for v in values)
        if many:
            last = slope(ops[-2:], values[-2:])
            row += f" | {slope(ops, values):.2f} | {last:.2f}"
        print(row + " |")


def report_fan(all_figures: list[Figures], sizes: Sequence[int]) -> None:
    """Print submit -> last display per size: deltas and whole boards, each beside raw."""
    heads = [f"{f.teams:,}x{f.judges:,}" for f in all_figures]
    print()
    print("| figure | " + " | ".join(heads) + " |")
    print("| --- " * (len(heads) + 1) + "|")
    print(
        "| snapshot (whole board) | "
        + " | ".join(cell("x_bytes", f.values["snapshot_bytes"]) for f in all_figures)
        + " |"
    )
    for n in sizes:
        for kind, label in (("delta", "deltas"), ("whole", "whole boards")):
            rows = (
                (f"{n:,} wss displays, {label}: last display", f"fan_{kind}_{n}_ms", "s"),
                ("  raw broadcast of the same bytes", f"fan_raw_{kind}_{n}_ms", "s"),
                ("  ratio to raw", f"fan_{kind}_{n}_ratio", "x"),
                (
                    "  raw: durable commit of the frame, then that broadcast",
                    f"fan_stored_{kind}_{n}_ms",
                    "s",
                ),
                ("  ratio to raw with its commit", f"fan_{kind}_{n}_stored_ratio", "x"),
                ("  bytes per update", f"fan_{kind}_{n}_bytes", "bytes"),
                ("  host CPU per submit", f"fan_{kind}_{n}_cpu_s", "s"),
            )
            rows += tuple(
                (f"  host: {step}, at", f"step_{kind}_{n}_{name}", "s")
                for name, step in TIMELINE
                if all(f"step_{kind}_{n}_{name}" in f.values for f in all_figures)
            )
            for text, key, unit in rows:
                values = [f.values[key] for f in all_figures]
                if unit == "x":
                    shown = [f"{v:.2f}x" for v in values]
                elif unit == "bytes":
                    shown = [cell("x_bytes", v) for v in values]
                else:
                    shown = [cell("x_s", v) for v in values]
                print(f"| {text} | " + " | ".join(shown) + " |")


def main(argv: Sequence[str] | None = None) -> None:
    """Run the chosen sizes and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes",
        default=",".join(f"{t}x{j}" for t, j in SIZES),
        help="teams x judges, comma-separated (default: all four; 3000x500 alone takes minutes)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per timed figure (median)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--fan",
        default=",".join(str(n) for n in FAN_SIZES),
        help="wss display counts for submit -> last display (empty: skip it)",
    )
    parser.add_argument("--fan-reps", type=int, default=7, help="trials per display count")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="tottime",
        default="",
        help="cProfile the host over one more, uncounted round of the deltas' trials; sort key",
    )
    args = parser.parse_args(argv)
    fan = [int(n) for n in args.fan.split(",") if n]
    started = time.perf_counter()
    print(f"# code from {Path(export.__file__).parent.parent}", flush=True)
    results = []
    for size in args.sizes.split(","):
        teams, judges = (int(part) for part in size.lower().split("x"))
        begun = time.perf_counter()
        results.append(
            measure(teams, judges, args.repeat, args.seed, fan, args.fan_reps, args.profile)
        )
        print(f"# {size}: {time.perf_counter() - begun:.1f} s", flush=True)
    report(results)
    if fan:
        report_fan(results, fan)
    print(f"# total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
