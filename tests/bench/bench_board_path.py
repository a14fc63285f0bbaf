"""The host's per-submit board path in isolation (issue 14, session 5): the Scoreboard's
refresh, the display's view and `feeds.board_delta`, when one sheet moves one team far.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_board_path.py [--teams 3000] [--moves 40]

Prints the median of each piece over `--moves` submits, each moving a team from the last
place `--span` places up (default: to the first) and back (every row between shifting by one
rank); bench_scale's submits move a team about 1,830 places of 3,000.
"""

from __future__ import annotations

import argparse
import statistics
import time

from storage.scoring import Scoreboard
from storage.state import Entry
from sync import feeds


def _entry(value: dict[str, object]) -> Entry:
    return Entry("0", "d/1", "d", value)


def build(teams: int) -> Scoreboard:
    board = Scoreboard()
    board.update("criterion/c", _entry({"min": 0, "max": 100, "weight": 1}))
    board.update("judge/j", _entry({"name": "J"}))
    for t in range(teams):
        board.update(f"team/t{t:05d}", _entry({"name": f"Team {t:05d}"}))
        score = 10 + 80 * t / teams
        board.update(f"sheet/j/t{t:05d}", _entry({"final": True, "scores": {"c": score}}))
    board.rows()
    return board


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=3000)
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--span", type=int, help="places each move crosses (default: all)")
    args = parser.parse_args()
    board = build(args.teams)
    vis = feeds.Visibility(display_mode="live")
    old = feeds.board("display", vis, board.rows())
    assert old is not None
    times: dict[str, list[float]] = {"refresh": [], "view": [], "board_delta": [], "all": []}
    for n in range(args.moves):
        span = min(args.span or args.teams, args.teams) - 1
        ranked = board.rows()
        first = ranked[-1 - span if n % 2 else -1]
        score = 5.0 if n % 2 else 95.0
        if not n % 2 and span < args.teams - 1:  # just above the team `span` places up
            score = float(ranked[-1 - span].total_score or 0) + 0.01
        board.update(f"sheet/j/{first.team_id}", _entry({"final": True, "scores": {"c": score}}))
        t0 = time.perf_counter()
        rows = board.rows()
        t1 = time.perf_counter()
        new = feeds.board("display", vis, rows)
        assert new is not None
        t2 = time.perf_counter()
        changed, removed, runs = feeds.board_delta(old[1], new[1])
        t3 = time.perf_counter()
        assert (len(changed), removed, len(runs)) == (1, [], 1), (changed, runs)
        old = new
        for name, spent in (("refresh", t1 - t0), ("view", t2 - t1), ("board_delta", t3 - t2)):
            times[name].append(spent)
        times["all"].append(t3 - t0)
    span = args.span or args.teams
    print(f"{args.teams} teams, {args.moves} moves of one team across {span} places (medians):")
    for name, spent in times.items():
        print(f"  {name:12} {statistics.median(spent) * 1000:7.3f} ms")


if __name__ == "__main__":
    main()
