"""Time the judge window's read of its replica (`judge_model.build_snapshot`) on a large event.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_judge_model.py [--size 3000x500] [--prizes 3]

Folds an event of teams x judges, 3 criteria, and `--prizes` opt-in prizes (each team in one;
the first with a criterion of its own) into a State, and a judge with no assignment list (so
it scores every team) and 60 final sheets; prints the median of 5 snapshots, in ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from desktop import judge_model as jm
from storage.ops import Op
from storage.state import State
from tests.conftest import OpFactory


def event_ops(teams: int, judges: int, prizes: int) -> list[Op]:
    """Return the admin ops of the event, then the judge's sheets."""
    admin = OpFactory("admin", seed=1)
    judge = OpFactory("j0", seed=2, start_ms=OpFactory.BASE_MS + 10_000_000)
    ops = [admin.op("event.set", {"field": "phase", "value": "scoring"})]
    scale: dict[str, Any] = {"weight": 1, "min": 0, "max": 10, "step": 1}
    for order, cid in enumerate(("a", "b", "c")):
        ops.append(admin.op("criterion.put", {"id": cid, "name": cid, "order": order, **scale}))
    for p in range(prizes):
        ops.append(admin.op("prize.put", {"id": f"p{p}", "name": f"P{p}", "eligibility": "opt_in"}))
    if prizes:
        own = {"id": "s", "name": "s", "order": 9, "prize": "p0", **scale}
        ops.append(admin.op("criterion.put", own))
    for t in range(teams):
        body: dict[str, Any] = {"id": f"t{t}", "name": f"Team {t}", "location": f"Table {t}"}
        if prizes:
            body["prizes"] = [f"p{t % prizes}"]
        ops.append(admin.op("team.put", body))
    for j in range(judges):
        ops.append(admin.op("judge.put", {"id": f"j{j}", "name": f"Judge {j}", "conflicts": []}))
    for t in range(0, teams, max(1, teams // 60)):
        sheet = {"team": f"t{t}", "scores": {"a": 5, "b": 5, "c": 5}, "final": True}
        ops.append(judge.op("sheet.save", sheet))
    return ops


def main() -> None:
    """Fold the event and print the median snapshot time."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="3000x500")
    parser.add_argument("--prizes", type=int, default=3)
    args = parser.parse_args()
    teams, judges = (int(part) for part in args.size.split("x"))
    state = State()
    for op in event_ops(teams, judges, args.prizes):
        state.apply(op)
    sheets = jm.read_sheets(state, "j0", lambda _: None)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        snap = jm.build_snapshot(state, "j0", sheets, {})
        times.append(time.perf_counter() - started)
    assert len(snap.rows) == teams
    median = statistics.median(times) * 1000
    print(f"build_snapshot, {teams} teams x {judges} judges, {args.prizes} prizes: {median:.0f} ms")


if __name__ == "__main__":
    main()
