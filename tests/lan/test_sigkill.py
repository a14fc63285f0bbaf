"""SIGKILL of the host and of a judges' laptop at random moments: afterwards all replicas agree."""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.lan.conftest import Lan, Node, Proc

pytestmark = pytest.mark.lan

RATE = 6  # ops a second per laptop: each laptop's 30 ops take at least 4.8 s once welcomed
KILL_WINDOW = (0.3, 4.0)  # seconds after the laptops start: pairing, then ops in flight
SEED_VARIABLE = "TALLYBOARD_LAN_SEED"


def _seed() -> int:
    """A new seed each run (more interleavings over time); set TALLYBOARD_LAN_SEED to replay."""
    text = os.environ.get(SEED_VARIABLE)
    return int(text) if text else random.SystemRandom().randrange(1 << 32)


@pytest.mark.timeout(150)
@pytest.mark.parametrize("round_", [1, 2, 3])
def test_replicas_agree_with_the_host_after_host_and_peer_are_killed_at_random_moments(
    make_lan: Callable[..., Lan],
    converged: Callable[[Path, list[Path]], dict[str, int]],
    tmp_path: Path,
    round_: int,
) -> None:
    """Three rounds, each with its own seed: three interleavings of the kills a run."""
    seed = _seed()
    rng = random.Random(seed)
    replay = f"replay with {SEED_VARIABLE}={seed}"
    print(replay)  # shown with the output of a failed test, whatever made it fail
    lan = make_lan("a", "b", "c")
    a = lan["a"]
    db = tmp_path / "host.db"
    host = lan.start_host(a, db, "--demo")
    judges = [c for c in lan.codes(a, db) if c["role"] == "judge"]
    assert len(judges) == 4

    # Two laptops, two judges each: b finds the host over mDNS, c is given its address.
    laptops: dict[str, tuple[Node, Path, list[str]]] = {}
    for name, group, connect in (
        ("b", judges[:2], []),
        ("c", judges[2:], ["--connect", f"{a.address}:8765"]),
    ):
        codes = tmp_path / f"codes-{name}.json"
        codes.write_text(json.dumps(group), encoding="utf-8")
        args = ["rehearse", "--codes", str(codes), "--data", str(tmp_path / f"data-{name}"),
                "--rate", str(RATE), "--timeout", "100", *connect]  # fmt: skip
        laptops[name] = (lan[name], tmp_path / f"data-{name}", args)

    def start(name: str) -> Proc:
        node, _, args = laptops[name]
        return lan.start_main(node, args, f"rehearse-{name}")

    victim = rng.choice(sorted(laptops))
    events = sorted([(rng.uniform(*KILL_WINDOW), "host"), (rng.uniform(*KILL_WINDOW), victim)])
    started = time.monotonic()
    running = {name: start(name) for name in laptops}
    plan = ", ".join(f"{what} at +{at:.2f} s" for at, what in events)
    restarted: Proc | None = None
    for at, what in events:
        time.sleep(max(0.0, started + at - time.monotonic()))
        if what == "host":
            host.kill()
            # Same database, same port; not waited for, so that the laptop may die meanwhile.
            restarted = lan.start_main(
                a, ["host", "--headless", "--db", str(db), "--bind", "0.0.0.0"], "host"
            )
        else:
            killed = running[what]
            assert killed.popen.poll() is None, f"{what} ended before its kill ({plan}; {replay})"
            killed.kill()
            running[what] = start(what)  # the same folder: it resumes where it was cut off
    assert restarted is not None
    restarted.wait_for_output("listening", 30)

    for name, proc in running.items():
        status = proc.wait(120)
        context = f"{plan}; {replay}\n{proc.describe()}\n{restarted.describe()}"
        assert status == 0, context
        summary = json.loads(proc.stdout().strip().splitlines()[-1])
        assert summary["judges"] == 2, context
        assert summary["rejected"] == 0, context
        if name != victim:
            assert summary["accepted"] == summary["ops"], context

    assert restarted.terminate() == 0, restarted.describe()
    judge_dbs = sorted(path for _, data, _ in laptops.values() for path in data.glob("judge-*.db"))
    assert len(judge_dbs) == 4
    try:
        accepted = converged(db, judge_dbs)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n({plan}; {replay})") from exc
    assert sorted(accepted) == sorted(j["id"] for j in judges)
