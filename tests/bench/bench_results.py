"""Time the console's Results page reads (issue 11) on an event of bench_scale's largest size.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_results.py [--size 3000x500]

Builds the event as `bench_scale.py` does (teams x judges, 10 final sheets a judge, 5
criteria), adds two prizes (every team; half the teams opted in) and normalisation, then
prints the median of 5 runs of `boards(state)` and of turning the boards into the page's
views. The window recomputes at most once per `RESULTS_MS` however many ops arrive.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_desk import median_ms
from bench_scale import build_event
from PySide6.QtWidgets import QApplication

from desktop import host_model as model
from desktop.host import HostWindow
from desktop.host.results import ResultsPage
from storage.boards import boards
from storage.replica import Replica


def redraw_ms(host: Replica) -> float:
    """Return the median time of the Results page's whole redraw: boards, views and widgets."""
    app = QApplication.instance() or QApplication([])
    page = ResultsPage()
    page.resize(*HostWindow.DEFAULT_SIZE)
    page.show()
    state = host.state
    criteria = {c["id"]: c for c in state.all_criteria()}
    rounds = [(r["id"], r["name"]) for r in state.rounds()]

    def redraw() -> None:
        views = [model.board_view(b, state.judges(), criteria) for b in boards(state)]
        page.show_boards(views, rounds)
        app.processEvents()  # the layout and paint of the new rows

    spent = median_ms(redraw)
    page.close()
    return spent


def main() -> None:
    """Build the event and print each read's median time."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="3000x500")
    teams, judges = (int(part) for part in parser.parse_args().size.split("x"))
    path = Path(tempfile.mkdtemp(prefix="tallyboard-results-")) / "host.db"
    ops = build_event(path, teams, judges, 7)
    host = Replica.open(path, durable=False)
    try:
        host.admin("prize.put", {"id": "p-all", "name": "Open", "eligibility": "all"})
        host.admin("prize.put", {"id": "p-opt", "name": "Opt-in", "eligibility": "opt_in"})
        for _, team in sorted(host.state.teams().items())[::2]:
            host.admin("team.put", {**team, "prizes": ["p-opt"]})
        host.admin("event.set", {"field": "normalise", "value": "shown"})
        host.admin(
            "round.put",
            {"id": "finals", "name": "Finals", "order": 1, "finalists": "top_overall",
             "finalists_n": 10, "result": "weighted", "previous_weight": 0.5, "normalise": "off"},
        )  # fmt: skip
        state = host.state
        criteria = {c["id"]: c for c in state.all_criteria()}
        found = boards(state)
        print(f"{teams} teams x {judges} judges, {ops} ops, {len(found)} boards")
        print(f"boards(state): {median_ms(lambda: boards(state)):.1f} ms")
        views = median_ms(
            lambda: [model.board_view(b, state.judges(), criteria) for b in boards(state)]
        )
        print(f"boards + views: {views:.1f} ms")
        print(f"the Results page's whole redraw (offscreen): {redraw_ms(host):.1f} ms")
    finally:
        host.close()


if __name__ == "__main__":
    main()
