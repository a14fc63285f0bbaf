"""A judges' laptop loses its link while ops are in flight; every op still lands exactly once."""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.lan.conftest import Lan

pytestmark = pytest.mark.lan


def _op_times_ms(host_db: Path) -> list[int]:
    """The wall clock (ms) at which each judge op the host holds was made, from its HLC."""
    conn = sqlite3.connect(host_db)
    try:
        rows = conn.execute("SELECT hlc FROM op WHERE kind = 'sheet.save'").fetchall()
    finally:
        conn.close()
    return [int(hlc[:13]) for (hlc,) in rows]


@pytest.mark.timeout(150)
@pytest.mark.parametrize(
    ("cut_seconds", "rate"),
    [
        # Shorter than the keepalive: TCP retransmits across the gap, the link stays up.
        pytest.param(3.0, 10.0, id="short-cut"),
        # Longer than keepalive ping + pong timeout + close timeout (10 + 10 + 10 s): both ends
        # drop the link; the laptop reconnects and resends every op without an ack, and the
        # host answers those it already committed with their first outcome.
        pytest.param(33.0, 1.5, id="long-cut"),
    ],
)
def test_ops_made_before_during_and_after_a_cut_link_are_each_accepted_once(
    make_lan: Callable[..., Lan],
    converged: Callable[[Path, list[Path]], dict[str, int]],
    tmp_path: Path,
    cut_seconds: float,
    rate: float,
) -> None:
    """The demo's 60 ops, paced at `rate` a second, with the laptop cut off once among them."""
    rng = random.Random(20260301)
    lan = make_lan("a", "b")
    a, b = lan["a"], lan["b"]
    db = tmp_path / "host.db"
    host = lan.start_host(a, db, "--demo", "--no-mdns")
    judges = [c for c in lan.codes(a, db) if c["role"] == "judge"]
    codes = tmp_path / "codes.json"
    codes.write_text(json.dumps(judges), encoding="utf-8")
    data = tmp_path / "judges"
    # --timeout is the rehearsal's own bound; the test's bound on it is below.
    peers = lan.start_main(
        b,
        ["rehearse", "--codes", str(codes), "--data", str(data), "--connect",
         f"{a.address}:8765", "--rate", str(rate), "--timeout", "90"],
        "rehearse",
    )  # fmt: skip

    host.wait_for_log("welcome", len(judges), timeout=30)
    time.sleep(rng.uniform(0.5, 1.5))  # some ops acked, some in flight, most not made yet
    cut_ms = time.time_ns() // 1_000_000
    lan.cut(b)
    time.sleep(cut_seconds)
    lan.heal(b)
    healed_ms = time.time_ns() // 1_000_000

    assert peers.wait(110) == 0, f"{peers.describe()}\n{host.describe()}"
    summary = json.loads(peers.stdout().strip().splitlines()[-1])
    assert summary["judges"] == 4
    assert summary["rejected"] == 0
    assert summary["accepted"] == summary["ops"], summary

    assert host.terminate() == 0, host.describe()
    accepted = converged(db, sorted(data.glob("judge-*.db")))
    assert sum(accepted.values()) == summary["ops"]
    # The cut really fell among the ops: some made before it, some while cut off, some after.
    made = _op_times_ms(db)
    assert any(t < cut_ms for t in made)
    assert any(cut_ms + 200 < t < healed_ms - 200 for t in made)
    assert any(t > healed_ms for t in made)
    if cut_seconds > 30:
        assert host.stderr().count("welcome") > len(judges), f"none reconnected\n{host.describe()}"
