"""Worker for test_crash: a judge and its host applying ops in a loop until it is killed."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from storage.replica import Replica

JUDGE = "judge-ada"
TEAMS = ["team-aurora", "team-basalt", "team-cobalt", "team-driftwood", "team-ember"]


def run(folder: Path, seed: int, rounds: int) -> None:
    """Make sheets on the judge, submit them to the host and record the acks, `rounds` times."""
    rng = random.Random(seed)
    host = Replica.open(folder / "host.db")
    judge = Replica.open(folder / "judge.db")
    print("ready", flush=True)
    for _ in range(rounds):
        for _ in range(rng.randint(1, 5)):
            body = {
                "team": rng.choice(TEAMS),
                "scores": {c: rng.randint(0, 100) for c in ("innovation", "design", "execution")},
                "comment": "",
                "final": rng.random() < 0.7,
            }
            judge.make("sheet.save", body, JUDGE)
        outcomes = host.submit([op.to_wire() for op in judge.pending()])
        judge.record_ack(
            [o.op_id for o in outcomes if o.accepted],
            [o.rejection.to_wire(o.op_id) for o in outcomes if o.rejection is not None],
        )
    host.close()
    judge.close()
    print("done", flush=True)


if __name__ == "__main__":
    run(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
