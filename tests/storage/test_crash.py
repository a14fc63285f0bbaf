"""A process killed with SIGKILL while applying ops leaves databases with all or none of each op."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.demo import seed_demo
from storage.ops import Op
from storage.replica import Replica
from storage.scoring import Scoreboard
from storage.state import State

WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[2]


def _setup(folder: Path) -> None:
    host = Replica.open(folder / "host.db")
    seed_demo(host)
    judge = Replica.open(folder / "judge.db")
    host.admin(
        "device.put",
        {
            "device": judge.device_id,
            "pubkey": judge.key.public_b64,
            "role": "judge",
            "subject": "judge-ada",
            "name": "laptop",
        },
    )
    judge.receive([op.to_wire() for op in host.accepted_since(judge.vv())], host.vv())
    host.close()
    judge.close()


def _start(folder: Path, seed: int, rounds: int) -> subprocess.Popen[str]:
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), str(folder), str(seed), str(rounds)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "ready"
    return worker


def _ops(path: Path) -> list[tuple[Op, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT id, device, n, hlc, author, kind, body, sig, status FROM op"
        ).fetchall()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    return [(Op(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7]), r[8]) for r in rows]


def _check_consistent(path: Path) -> Replica:
    """Check that the stored state, version vector and board are exactly the fold of the op log."""
    ops = _ops(path)
    replica = Replica.open(path)
    fold = State()
    for op, status in random.Random(7).sample(ops, len(ops)):
        if status != "rejected":
            fold.apply(op)
    assert replica.state.entries == fold.entries
    highest: dict[str, int] = {}
    for op, _ in ops:
        highest[op.device] = max(highest.get(op.device, 0), op.n)
    for device, top in highest.items():
        numbers = sorted(op.n for op, _ in ops if op.device == device)
        assert numbers == list(range(1, top + 1)), "an op is missing from the middle of the log"
        assert replica.vv()[device] == top
    assert replica.board.rows() == Scoreboard.from_state(fold).rows()
    return replica


@pytest.mark.slow
def test_sigkill_while_applying_ops_leaves_each_op_whole(tmp_path: Path) -> None:
    _setup(tmp_path)
    rng = random.Random(2026)
    for round_no in range(10):
        worker = _start(tmp_path, seed=round_no, rounds=10_000)
        time.sleep(rng.uniform(0.05, 0.5))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        assert worker.stdout is not None
        worker.stdout.close()
        assert worker.returncode == -signal.SIGKILL
        host = _check_consistent(tmp_path / "host.db")
        judge = _check_consistent(tmp_path / "judge.db")
        # An ack is recorded only after the host committed: every op the judge holds as
        # accepted is accepted on the host, with the very same content.
        for op in judge.accepted_since({}):
            if op.device == judge.device_id:
                stored = host.stored(op.id)
                assert stored is not None
                assert stored.status == "accepted"
                assert stored.op == op
        host.close()
        judge.close()

    # A run that is not killed flushes whatever the kills left pending; nothing counts twice.
    worker = _start(tmp_path, seed=99, rounds=1)
    assert worker.wait(timeout=60) == 0
    assert worker.stdout is not None
    assert worker.stdout.read().strip() == "done"
    worker.stdout.close()
    host = _check_consistent(tmp_path / "host.db")
    judge = _check_consistent(tmp_path / "judge.db")
    assert judge.pending_count() == 0
    judge_ops = [op for op in judge.accepted_since({}) if op.device == judge.device_id]
    assert judge.vv()[judge.device_id] == host.vv()[judge.device_id] == len(judge_ops)
    assert host.state.sheets() == judge.state.sheets()
    host.close()
    judge.close()
