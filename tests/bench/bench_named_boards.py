"""Benchmark what named boards (docs/protocol.md 4e) cost the host: computing them, and a tick.

An event of `--teams` teams and `--judges` judges (5 criteria, `--sheets` final sheets per
judge) with two prizes (one every team is on, one half the teams opted into), built through the
real Replica with signed ops (bench_leaderboard's helpers), under a real HostCore whose clock is
moved by hand. It prints, as medians over `--repeat` sheet changes:
- one recomputation of the two prize boards of the first round (storage.boards);
- a `boards()` tick after one sheet, for `--displays` displays that say `boards` and show both
  prizes (each tick due: the clock moves 10 s between changes), and for as many old displays
  that do not (the main board alone, the Scoreboard's path);
- the `display_control`s and board frames such a tick sends.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_named_boards.py
    PYTHONPATH=. .venv/bin/python tests/bench/bench_named_boards.py --teams 3000 --judges 100
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from storage.hlc import system_ms
from storage.signing import DeviceKey
from sync import messages as m
from sync.hostcore import HostCore, Send
from tests.bench.bench_leaderboard import build_host
from tests.kit import FakeClock, join_codes

CRITERIA = 5


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--judges", type=int, default=50)
    parser.add_argument("--sheets", type=int, default=40, help="final sheets per judge")
    parser.add_argument("--displays", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args(argv)
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        host, devices = build_host(
            Path(tmp) / "host.db", args.teams, args.judges, CRITERIA, durable=False
        )
        host.admin("prize.put", {"id": "all", "name": "Everyone's prize", "order": 0})
        host.admin(
            "prize.put",
            {"id": "half", "name": "Half's prize", "eligibility": "opt_in", "order": 1},
        )
        for t in range(0, args.teams, 2):
            host.admin("team.put", {"id": f"t{t:03d}", "name": f"Team {t:03d}", "prizes": ["half"]})
        sheets = []
        for j, device in enumerate(devices):
            for k in range(args.sheets):
                team = f"t{(j * args.sheets + k) % args.teams:03d}"
                marks = {f"c{c}": rng.randint(0, 100) for c in range(CRITERIA)}
                sheets.append(device.sheet(team, marks))
        for i in range(0, len(sheets), 500):
            host.submit(sheets[i : i + 500], system_ms())
        names = [{"round": "main", "prize": p} for p in ("all", "half")]
        host.admin("event.set", {"field": "display_boards", "value": names})
        host.ensure_codes()
        code = join_codes(host)[("display", None)]
        built = time.perf_counter() - start
        clock = FakeClock(system_ms())
        # Two cores on the one replica: one serves displays that say `boards`, one old ones.
        cores = {True: HostCore(host, now=clock), False: HostCore(host, now=clock)}
        pubkey = DeviceKey.generate().public_b64
        for k in range(2 * args.displays):
            core = cores[k < args.displays]
            session = core.open("127.0.0.1")
            hello = m.hello(f"00000000-0000-4000-9000-{k:012d}", code=code, pubkey=pubkey)
            hello |= {"deltas": True, "boards": k < args.displays}
            actions = core.receive(session, m.encode(hello))
            assert session.authenticated, actions
        computes, ticks_new, ticks_old, frames = [], [], [], []
        keys = [("main", "all"), ("main", "half")]
        for _ in range(args.repeat):
            device = rng.choice(devices)
            team = f"t{rng.randrange(args.teams):03d}"
            marks = {f"c{c}": rng.randint(0, 100) for c in range(CRITERIA)}
            clock.advance(seconds=10)
            host.submit([device.sheet(team, marks)], clock())
            began = time.perf_counter()
            actions = cores[True].boards()
            ticks_new.append(time.perf_counter() - began)
            frames.append(sum(len(a.sessions) for a in actions if isinstance(a, Send)))
            began = time.perf_counter()
            cores[False].boards()
            ticks_old.append(time.perf_counter() - began)
            began = time.perf_counter()
            cores[True]._compute(keys)
            computes.append(time.perf_counter() - began)
        host.close()

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:8.2f} ms  (max {max(values) * 1000:.2f})"

    print(
        f"Named boards: {args.teams} teams x {args.judges} judges, {len(sheets)} final sheets,"
        f" 2 prizes; {args.displays} displays each kind (built in {built:.1f} s)"
    )
    print(f"recompute the 2 prize boards (storage.boards)      {ms(computes)}")
    print(f"tick, {args.displays} displays with boards (2 prizes)     {ms(ticks_new)}")
    print(f"tick, {args.displays} old displays (main board only)   {ms(ticks_old)}")
    print(f"deliveries per tick to the new displays: median {statistics.median(frames):.0f}")


if __name__ == "__main__":
    main()
