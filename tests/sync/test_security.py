"""Pairing and access under attack: how many code guesses an attacker gets, and what leaks."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.codes import ALPHABET, LENGTH, new_code, show
from storage.demo import seed_demo
from storage.replica import Replica
from storage.signing import DeviceKey
from sync.hostcore import Close, HostCore, Send

MINUTE_MS = 60_000


class FakeClock:
    """Milliseconds that a test moves by hand."""

    def __init__(self) -> None:
        self.ms = 1_800_000_000_000

    def __call__(self) -> int:
        return self.ms


@pytest.fixture
def core(tmp_path: Path) -> Iterator[tuple[HostCore, FakeClock]]:
    replica = Replica.open(tmp_path / "host.db", durable=False)
    seed_demo(replica)
    clock = FakeClock()
    yield HostCore(replica, now=clock), clock
    replica.close()


def _guess(core: HostCore, address: str, code: str) -> str:
    """Try one join code from `address`; return the error code, or "welcome"."""
    session = core.open(address)
    assert session is not None
    hello = {
        "type": "hello",
        "protocol": 1,
        "device": str(uuid.uuid4()),
        "code": code,
        "pubkey": DeviceKey.generate().public_b64,
    }
    actions, _ = core.receive(session, json.dumps(hello))
    frames = [json.loads(a.frame) for a in actions if isinstance(a, Send)]
    if any(f["type"] == "welcome" for f in frames):
        core.close(session)
        return "welcome"
    assert any(isinstance(a, Close) for a in actions)
    core.close(session)
    return next(f["code"] for f in frames if f["type"] == "error")


def _wrong_code(core: HostCore) -> str:
    while True:
        code = new_code()
        if core.replica.find_code(code) is None:
            return show(code)


def guesses_per_minute(core: HostCore, clock: FakeClock, addresses: list[str]) -> int:
    """Guess as fast as possible for one minute; return how many guesses were checked."""
    checked = 0
    end = clock.ms + MINUTE_MS
    while clock.ms < end:
        for address in addresses:
            if _guess(core, address, _wrong_code(core)) == "unauthorized":
                checked += 1
        clock.ms += 50  # 20 attempts a second from each address: far faster than allowed
    return checked


def test_one_address_gets_10_guesses_a_minute(core: tuple[HostCore, FakeClock]) -> None:
    host, clock = core
    assert guesses_per_minute(host, clock, ["10.0.0.66"]) == 10


def test_many_addresses_together_get_60_guesses_a_minute(
    core: tuple[HostCore, FakeClock],
) -> None:
    host, clock = core
    attackers = [f"10.0.1.{i}" for i in range(1, 41)]  # 40 spoofed or borrowed addresses
    assert guesses_per_minute(host, clock, attackers) == 60


def test_a_right_code_is_refused_while_the_venue_is_locked_out_then_works(
    core: tuple[HostCore, FakeClock],
) -> None:
    host, clock = core
    for i in range(60):
        _guess(host, f"10.0.2.{i}", _wrong_code(host))
    right = host.replica.code_for("judge", "judge-ada")
    assert right is not None
    assert _guess(host, "10.0.3.1", right) == "too_many_attempts"
    clock.ms += MINUTE_MS + 1
    assert _guess(host, "10.0.3.1", right) == "welcome"


def test_the_code_space_makes_guessing_hopeless_at_that_rate() -> None:
    space = len(ALPHABET) ** LENGTH
    assert space > 5 * 10**11
    # 60 guesses a minute for a 12-hour event against 100 valid codes:
    chance = 60 * 60 * 12 * 100 / space
    assert chance < 1e-5
