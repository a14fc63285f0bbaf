"""Time the console desk's reads (issue 12) on an event of bench_scale's largest size.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_desk.py [--size 3000x500]

Builds the event as `bench_scale.py` does (teams x judges, 10 final sheets a judge, 5
criteria), then prints the median of 5 runs of each read the desk makes: a team's page, a
judge's page, a sheet's history, and the activity feed unfiltered and under each filter.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_scale import build_event

from storage import history
from storage.history import Filter
from storage.replica import Replica


def median_ms(read: Callable[[], object], runs: int = 5) -> float:
    """Return the median time of `runs` calls of `read`, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        read()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    """Build the event and print each read's median time."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="3000x500")
    teams, judges = (int(part) for part in parser.parse_args().size.split("x"))
    path = Path(tempfile.mkdtemp(prefix="tallyboard-desk-")) / "host.db"
    ops = build_event(path, teams, judges, 7)
    host = Replica.open(path, durable=False)
    try:
        first = host.state.sheets()[0]
        reads: dict[str, Callable[[], object]] = {
            "team page": lambda: history.team_view(host, "t001"),
            "judge page": lambda: history.judge_view(host, "j01"),
            "sheet history": lambda: history.sheet_history(host, first["judge"], first["team"]),
            "activity, all": lambda: history.activity(host),
            "activity, one team": lambda: history.activity(host, Filter(team="t001")),
            "activity, one judge": lambda: history.activity(host, Filter(judge="j01")),
            "activity, kind team.put": lambda: history.activity(host, Filter(kind="team.put")),
            "activity, refused": lambda: history.activity(host, Filter(outcome="rejected")),
            "refusals since": lambda: history.rejections_since(host, 0),
        }
        print(f"{teams} teams x {judges} judges, {ops} ops")
        for name, read in reads.items():
            print(f"{name}: {median_ms(read):.1f} ms")
    finally:
        host.close()


if __name__ == "__main__":
    main()
