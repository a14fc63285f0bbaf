"""Benchmark the printed documents on a large event: time, pages, size, and the longest step.

Run from the repository root:
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.bench_printing [--teams 150]
The longest gap between two progress steps is how long the console's loop (and so the host's
sockets) waits at most while a document is set (docs/protocol.md section 10).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication

from desktop import printing
from storage.replica import Replica
from tests.kit import FakeClock


def event(folder: Path, teams: int, judges: int, criteria: int) -> Replica:
    """Return a host where every judge has a final sheet, with a comment, for every team."""
    clock = FakeClock()
    host = Replica.open(folder / "host.db", now=clock, durable=False)
    host.register_self()
    for k in range(criteria):
        body = {"id": f"c{k}", "name": f"Criterion {k}", "weight": 1, "min": 0, "max": 10}
        host.admin("criterion.put", {**body, "step": 1, "order": k})
    for t in range(teams):
        host.admin("team.put", {"id": f"t{t}", "name": f"Team {t}", "location": f"Table {t}"})
    host.admin("event.set", {"field": "phase", "value": "scoring"})
    rng = random.Random(1)
    ops = []
    for j in range(judges):
        host.admin("judge.put", {"id": f"j{j}", "name": f"Judge {j}"})
        laptop = Replica.open(folder / f"j{j}.db", now=clock, durable=False)
        body = {"device": laptop.device_id, "pubkey": laptop.key.public_b64, "role": "judge"}
        host.admin("device.put", {**body, "subject": f"j{j}", "name": ""})
        for t in range(teams):
            clock.advance(1000)
            sheet = {
                "team": f"t{t}",
                "scores": {f"c{k}": rng.randint(0, 10) for k in range(criteria)},
                "comment": "Good work. " * rng.randint(1, 12),
                "final": True,
            }
            ops.append(laptop.make("sheet.save", sheet, f"j{j}").to_wire())
        laptop.close()
    host.submit(ops)
    return host


def main() -> None:
    """Print one line per document."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=150)
    parser.add_argument("--judges", type=int, default=8)
    parser.add_argument("--criteria", type=int, default=5)
    args = parser.parse_args()
    QGuiApplication([])
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        host = event(folder, args.teams, args.judges, args.criteria)
        print(f"{args.teams} teams, {args.judges} judges, {len(host.state.sheets())} sheets")
        for what in printing.reports.DOCUMENTS:
            started = time.perf_counter()
            document = printing.build(what, host.state, host.board.rows())
            built = time.perf_counter() - started
            gaps: list[float] = []
            last = [time.perf_counter()]

            def step(
                done: int, total: int, gaps: list[float] = gaps, last: list[float] = last
            ) -> bool:
                now = time.perf_counter()
                gaps.append(now - last[0])
                last[0] = now
                return True

            started = time.perf_counter()
            pages = printing.write_pdf(folder / f"{what}.pdf", document, step)
            took = time.perf_counter() - started
            size = (folder / f"{what}.pdf").stat().st_size // 1024
            print(
                f"{what:<13} {pages:>5} pages  data {built * 1000:6.1f} ms  pdf {took:6.2f} s"
                f"  {size:>6} KB  longest step {max(gaps) * 1000:5.0f} ms"
            )
        host.close()


if __name__ == "__main__":
    main()
