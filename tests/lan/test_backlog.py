"""Laptops joining a host with a long history score only once the host's backlog has arrived."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage.demo import seed_demo
from storage.replica import Replica

if TYPE_CHECKING:
    from tests.lan.conftest import Lan

pytestmark = pytest.mark.lan


@pytest.mark.timeout(120)
def test_a_rehearsal_waits_for_the_backlog_that_follows_the_welcome(
    make_lan: Callable[..., Lan],
    converged: Callable[[Path, list[Path]], dict[str, int]],
    tmp_path: Path,
) -> None:
    """Teams and judges come in the backlog's last frame, some hundreds of KB after `welcome`.

    A rehearsal that scored as soon as it was welcomed found no team to score, made no op
    and still exited 0.
    """
    db = tmp_path / "host.db"
    replica = Replica.open(db)
    try:
        replica.register_self()
        with replica.db.atomic():
            for index in range(1500):  # three frames of 500 ops before the event's own
                body = {"audience": "judges", "message": f"note {index}: " + "x" * 300}
                replica.admin("notify", body)
        seed_demo(replica)
    finally:
        replica.close()
    lan = make_lan("a", "b")
    a, b = lan["a"], lan["b"]
    host = lan.start_host(a, db, "--no-mdns")
    judges = [c for c in lan.codes(a, db) if c["role"] == "judge"]
    codes = tmp_path / "codes.json"
    codes.write_text(json.dumps(judges), encoding="utf-8")
    data = tmp_path / "judges"

    result = lan.run_main(
        b,
        ["rehearse", "--codes", str(codes), "--data", str(data),
         "--connect", f"{a.address}:8765", "--timeout", "60"],
        timeout=90,
    )  # fmt: skip
    assert result.returncode == 0, f"{result.stderr}\n{host.describe()}"
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["ops"] == summary["accepted"] == 2 * (8 + 7 + 8 + 7), summary

    assert host.terminate() == 0, host.describe()
    converged(db, sorted(data.glob("judge-*.db")))
