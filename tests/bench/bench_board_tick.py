"""The host's board tick after one submit, at bench_scale's largest event, without sockets.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_board_tick.py [--teams 3000] [--judges 500]
        [--displays 100] [--top 0] [--trials 40] [--judges-online 1] [--per-tick 1]

The real `Replica` (not durable: the commit is not what is timed) and `HostCore`, the event
built as bench_scale builds it (teams, judges with about 10 final sheets each, 5 criteria),
`--displays` displays paired by `hello` frames asking for deltas (4d), all of one audience
(`--top`: a top-N display; 0: the whole board), and `--judges-online` judges, each welcomed
on one judge's code, who may not see results (so get no board). Each trial submits one final
sheet of one judge that moves its team far (as bench_scale's trials do: marks 30+c and 70+c in
turns; `--per-tick` such submits of as many judges between ticks), then times
`HostCore.boards()` (the tick: ranking, views, diff, encoding) in CPU (`time.process_time`)
and counts the bytes of the board frames it sends. Prints medians and quartiles.
To compare two commits, run this file with PYTHONPATH at each, taking turns.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench_leaderboard import build_host
from bench_sync import Signer

from sync import hostcore
from sync import messages as m
from sync.hostcore import HostCore, Send

CRITERIA = 5
SHEETS_PER_JUDGE = 10
UNLIMITED = 1e9


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=3000)
    parser.add_argument("--judges", type=int, default=500)
    parser.add_argument("--displays", type=int, default=100)
    parser.add_argument("--top", type=int, default=0, help="displays' top N (0: every row)")
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--judges-online", type=int, default=1, help="judges paired, results hidden"
    )
    parser.add_argument(
        "--per-tick", type=int, default=1, help="submits between ticks (each moves a team far)"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="tallyboard-tick-") as folder:
        host, devices = build_host(
            Path(folder) / "host.db", args.teams, args.judges, CRITERIA, durable=False
        )
        sheets = []
        for j, device in enumerate(devices):
            for k in range(SHEETS_PER_JUDGE):
                team = f"t{(j * SHEETS_PER_JUDGE + k) % args.teams:03d}"
                host.admin("assign.put", {"judge": device.judge, "team": team, "assigned": True})
                marks = {f"c{c}": rng.randint(0, 100) for c in range(CRITERIA)}
                sheets.append(device.sheet(team, marks))
        for i in range(0, len(sheets), 500):
            assert all(o.accepted for o in host.submit(sheets[i : i + 500]))
        host.ensure_codes()
        core = HostCore(host, rate=UNLIMITED, burst=UNLIMITED)
        code = host.code_for("display", None)
        assert code is not None
        for d in range(args.displays):
            session = core.open(f"10.0.{d // 250}.{d % 250 + 1}")
            assert session is not None
            hello = json.loads(Signer().hello(code)) | {"deltas": True}
            if args.top:
                hello["top"] = args.top
            sent = core.receive(session, m.encode(hello))
            assert any(isinstance(a, Send) and '"welcome"' in a.frame for a in sent), sent
        judge_code = host.code_for("judge", devices[-1].judge)
        assert judge_code is not None
        # The judge's own laptop (build_host) has paired with this code already.
        paired = len(host.code_devices(judge_code))
        host.set_device_limit(judge_code, paired + args.judges_online)
        for j in range(args.judges_online):  # judges who may not see results: no board
            session = core.open(f"10.1.{j // 250}.{j % 250 + 1}")
            assert session is not None
            sent = core.receive(session, Signer().hello(judge_code))
            assert any(isinstance(a, Send) and '"welcome"' in a.frame for a in sent), sent
        core.boards()
        cpu: list[float] = []
        sizes: list[int] = []
        for trial in range(args.trials):
            base = 30 + (trial % 2) * 40  # in turns: every submit moves its team far
            for k in range(args.per_tick):
                judge, team = devices[k], f"t{k * SHEETS_PER_JUDGE % args.teams:03d}"
                op = judge.sheet(team, {f"c{c}": base + c for c in range(CRITERIA)})
                assert all(o.accepted for o in host.submit([op]))
            start = time.process_time()
            actions = core.boards()
            cpu.append((time.process_time() - start) * 1000)
            frames = {a.frame for a in actions if isinstance(a, Send)}
            sizes.append(sum(len(f.encode("utf-8")) for f in frames))
        host.close()
    quartiles = statistics.quantiles(cpu, n=4)
    print(
        f"{args.teams} teams, {args.judges} judges, {args.displays} displays"
        f" (top {args.top or 'all'}), {args.trials} ticks of {args.per_tick} submits;"
        f" code at {Path(hostcore.__file__).parents[1]}"
    )
    print(
        f"boards() CPU: median {statistics.median(cpu):.2f} ms"
        f" (quartiles {quartiles[0]:.2f} / {quartiles[2]:.2f} ms);"
        f" board bytes a tick: median {statistics.median(sizes):,.0f}"
    )


if __name__ == "__main__":
    main()
