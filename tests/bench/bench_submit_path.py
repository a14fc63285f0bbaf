"""The host's CPU per accepted op on (d)'s submit path, in one process, without sockets.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_submit_path.py [--ops 3000] [--trials 3]
    PYTHONPATH=. .venv/bin/python tests/bench/bench_submit_path.py --callgrind [--ops 400]

The real `HostCore` and `Replica` (durable: synchronous=FULL, in a temporary folder) with
bench_sync (d)'s event: the demo and 12 more teams, 50 judges paired by `hello` frames and 100
displays. Each judge's frames carry one signed `sheet.save`; they are fed to `HostCore.receive`
in batches of `--batch` frames of distinct judges (a (d)-sized group commit), each batch then
committed by `HostCore.commit`, and `HostCore.boards` runs every `--boards-every` batches (the
50 ms tick at about 3,000 ops/s). The driver's socket writes are not counted.

Prints CPU time (`time.process_time`) per op, total and by part (receive: frame parsing;
submit: `Replica.submit`, the checks, the fold and the durable commit; ack and fan-out: the rest
of `commit`; boards), the median of `--trials` fresh hosts.

With `--callgrind` it runs itself twice under `valgrind --tool=callgrind`, with `--ops` and
3x `--ops` ops, and prints the difference of the instruction counts per extra op: a figure
that does not move with the machine's load (the setup, the same in both, cancels out). The
signed frames are made once and cached (keys and device ids come from `--seed`), so that
signing them is not counted.

To compare two commits, run this same file with PYTHONPATH pointing at each, taking turns.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from storage.demo import seed_demo
from storage.hlc import HybridClock
from storage.replica import Replica
from storage.signing import DeviceKey, signing_payload
from sync import messages as m
from sync.hostcore import Commit, HostCore, Session

TEAMS = 20  # as bench_sync (d): the demo's 8 teams and 12 more
CRITERIA = ("innovation", "design", "execution")
UNLIMITED = 1e9


def judge_keys(judges: int, seed: int) -> list[tuple[str, DeviceKey]]:
    """Return each bench judge's device id and key, the same for the same seed."""
    rng = random.Random(seed)
    found = []
    for _ in range(judges):
        device = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        found.append((device, DeviceKey.from_private_bytes(rng.randbytes(32))))
    return found


def make_frames(judges: int, ops: int, seed: int, teams: list[str]) -> list[tuple[int, str]]:
    """Return `ops` submit frames, (judge index, frame), judges taking turns."""
    rng = random.Random(seed + 1)
    keys = judge_keys(judges, seed)
    clocks = [HybridClock(device) for device, _ in keys]
    counts = [0] * judges
    frames = []
    for k in range(ops):
        j = k % judges
        device, key = keys[j]
        counts[j] += 1
        wire: dict[str, Any] = {
            "id": f"{device}/{counts[j]}",
            "device": device,
            "n": counts[j],
            "hlc": clocks[j].tick(),
            "author": f"bench-{j:02d}",
            "kind": "sheet.save",
            "body": {
                "team": rng.choice(teams),
                "scores": {c: rng.randint(0, 100) for c in CRITERIA},
                "comment": "",
                "final": True,
            },
        }
        wire["sig"] = key.sign(signing_payload(wire))
        frames.append((j, m.encode({"type": "submit", "ops": [wire]})))
    return frames


def team_ids() -> list[str]:
    """Return the bench event's team ids (as `build` makes them), without building it."""
    with tempfile.TemporaryDirectory(prefix="tallyboard-bench-teams-") as folder:
        replica = Replica.open(Path(folder) / "t.db", durable=False)
        seed_demo(replica)
        demo = sorted(replica.state.teams())
        replica.close()
    return sorted(demo + [f"team-bench-{t:02d}" for t in range(TEAMS - len(demo))])


class Bench:
    """One fresh host with its judges' and displays' sessions."""

    def __init__(self, folder: Path, judges: int, displays: int, seed: int) -> None:
        self.replica = Replica.open(folder / "host.db")  # durable: synchronous=FULL
        replica = self.replica
        seed_demo(replica)
        for t in range(TEAMS - len(replica.state.teams())):
            replica.admin("team.put", {"id": f"team-bench-{t:02d}", "name": f"Bench Team {t:02d}"})
        for j in range(judges):
            replica.admin("judge.put", {"id": f"bench-{j:02d}", "name": f"Bench Judge {j:02d}"})
        replica.ensure_codes()
        codes = {f"{c['role']}:{c['id']}": c["code"] for c in replica.join_codes()}
        self.core = HostCore(replica, rate=UNLIMITED, burst=UNLIMITED)
        self.judges: list[Session] = []
        for j, (device, key) in enumerate(judge_keys(judges, seed)):
            session = self.core.open("127.0.0.1")
            hello = m.hello(device, code=codes[f"judge:bench-{j:02d}"], pubkey=key.public_b64)
            self.core.receive(session, m.encode(hello))
            assert session.authenticated, "a bench judge was not welcomed"
            self.judges.append(session)
        rng = random.Random(seed + 2)
        for _ in range(displays):
            session = self.core.open("127.0.0.1")
            key = DeviceKey.from_private_bytes(rng.randbytes(32))
            device = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            hello = m.hello(device, code=codes["display:None"], pubkey=key.public_b64)
            self.core.receive(session, m.encode(hello))
            assert session.authenticated, "a bench display was not welcomed"
        self.core.boards()
        self.submit_s = 0.0
        submit = replica.submit

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.process_time()
            try:
                return submit(*args, **kwargs)
            finally:
                self.submit_s += time.process_time() - t0

        replica.submit = timed  # type: ignore[method-assign]

    def run(self, frames: list[tuple[int, str]], batch: int, boards_every: int) -> dict[str, Any]:
        """Feed the frames in batches; return CPU seconds by part and the outcome counts."""
        spent = {"receive": 0.0, "commit": 0.0, "boards": 0.0}
        accepted = rejected = sent = 0
        self.submit_s = 0.0
        clock = time.process_time
        for b, start in enumerate(range(0, len(frames), batch)):
            t0 = clock()
            commits: list[Commit] = []
            for j, frame in frames[start : start + batch]:
                for action in self.core.receive(self.judges[j], frame):
                    assert isinstance(action, Commit), action
                    commits.append(action)
            t1 = clock()
            actions = self.core.commit(commits)
            t2 = clock()
            if (b + 1) % boards_every == 0:
                actions += self.core.boards()
            t3 = clock()
            spent["receive"] += t1 - t0
            spent["commit"] += t2 - t1
            spent["boards"] += t3 - t2
            for action in actions:
                frame = getattr(action, "frame", "")
                if frame.startswith('{"type":"ack"'):
                    ack = json.loads(frame)
                    accepted += len(ack["accepted"])
                    rejected += len(ack["rejected"])
                sent += len(getattr(action, "sessions", ()))
        spent["submit"] = self.submit_s
        spent["commit"] -= self.submit_s
        return {"spent": spent, "accepted": accepted, "rejected": rejected, "sent": sent}


def cached_frames(args: argparse.Namespace, ops: int) -> list[tuple[int, str]]:
    """Return the frames for `ops` ops, made once per setting and kept in the temp folder."""
    name = f"tallyboard-bench-submit-{args.judges}-{ops}-{args.seed}.json"
    path = Path(tempfile.gettempdir()) / name
    if path.exists():
        return [(j, f) for j, f in json.loads(path.read_text())]
    frames = make_frames(args.judges, ops, args.seed, team_ids())
    path.write_text(json.dumps(frames))
    return frames


def one_host(
    args: argparse.Namespace,
    frames: list[tuple[int, str]],
    profiler: cProfile.Profile | None = None,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tallyboard-bench-submit-") as folder:
        bench = Bench(Path(folder), args.judges, args.displays, args.seed)
        if profiler is not None:
            profiler.enable()
        result = bench.run(frames, args.batch, args.boards_every)
        if profiler is not None:
            profiler.disable()
        bench.replica.close()
    return result


def callgrind(args: argparse.Namespace) -> None:
    """Count instructions per op: two runs under callgrind, the difference per extra op."""
    counts = {}
    for ops in (args.ops, 3 * args.ops):
        cached_frames(args, ops)  # signed outside valgrind
        with tempfile.TemporaryDirectory(prefix="tallyboard-callgrind-") as folder:
            out = Path(folder) / "callgrind.out"
            command = [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--ops",
                str(ops),
                "--trials",
                "1",
                "--quiet",
            ]
            for name in ("judges", "displays", "batch", "boards_every", "seed"):
                command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
            subprocess.run(command, check=True, capture_output=True, env=os.environ)
            text = out.read_text(errors="replace")
        found = re.search(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
        assert found, "no instruction count in callgrind's output"
        counts[ops] = int(found.group(1))
        print(f"  {ops:6d} ops: {counts[ops]:,} instructions")
    low, high = args.ops, 3 * args.ops
    per_op = (counts[high] - counts[low]) / (high - low)
    print(f"instructions per op: {per_op:,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=3000)
    parser.add_argument("--judges", type=int, default=50)
    parser.add_argument("--displays", type=int, default=100)
    parser.add_argument("--batch", type=int, default=17, help="frames per group commit")
    parser.add_argument("--boards-every", type=int, default=9, help="batches per boards tick")
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--callgrind", action="store_true", help="count instructions per op")
    parser.add_argument("--quiet", action="store_true", help="print nothing (callgrind's runs)")
    parser.add_argument("--profile", metavar="SORT", help="cProfile one more host (tottime...)")
    args = parser.parse_args()
    if args.callgrind:
        callgrind(args)
        return
    frames = cached_frames(args, args.ops)
    if args.profile:
        profiler = cProfile.Profile()
        one_host(args, frames, profiler)
        pstats.Stats(profiler).sort_stats(args.profile).print_stats(45)
    results = [one_host(args, frames) for _ in range(args.trials)]
    if args.quiet:
        return
    for result in results:
        if result["accepted"] != args.ops or result["rejected"]:
            raise SystemExit(f"not every op was accepted: {result}")
    parts = results[0]["spent"].keys()

    def per_op(part: str | None) -> float:
        totals = [sum(r["spent"].values()) if part is None else r["spent"][part] for r in results]
        return statistics.median(totals) / args.ops * 1e6

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.ops} ops, {args.judges} judges, {args.displays} displays; load {load}")
    print(f"  host CPU per op  {per_op(None):7.1f} us (median of {args.trials})")
    for part in parts:
        print(f"    {part:14} {per_op(part):7.1f} us")
    print(f"  frames to sessions per op: {results[0]['sent'] / args.ops:.1f}")


if __name__ == "__main__":
    main()
