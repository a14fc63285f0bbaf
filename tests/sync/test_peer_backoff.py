"""Tests for the peer's reconnection backoff and the clock warning of its link status."""

from __future__ import annotations

import random

import pytest

from sync.peer import Backoff, LinkStatus

# start 0.5 s, times 1.5, at most 15 s (PROTOCOL.md section 8)
NOMINAL = [0.5, 0.75, 1.125, 1.6875, 2.53125, 3.796875, 5.6953125, 8.54296875, 12.814453125]
NOMINAL += [15.0] * 5


class EdgeRandom(random.Random):
    """A random source whose `uniform` always gives one end of the range, and records the range."""

    def __init__(self, end: str) -> None:
        super().__init__(0)
        self.end = end
        self.ranges: list[tuple[float, float]] = []

    def uniform(self, a: float, b: float) -> float:
        self.ranges.append((a, b))
        return a if self.end == "low" else b


def delays(backoff: Backoff, count: int) -> list[float]:
    """The next `count` delays of `backoff`."""
    return [backoff.next() for _ in range(count)]


def test_backoff_without_jitter_starts_at_half_a_second_and_grows_by_half() -> None:
    assert delays(Backoff(rng=EdgeRandom("high")), len(NOMINAL)) == pytest.approx(NOMINAL)


def test_backoff_jitter_is_between_half_and_all_of_the_nominal_delay() -> None:
    low, high = EdgeRandom("low"), EdgeRandom("high")
    assert delays(Backoff(rng=low), len(NOMINAL)) == pytest.approx([d / 2 for d in NOMINAL])
    delays(Backoff(rng=high), 3)
    assert set(low.ranges) == set(high.ranges) == {(0.5, 1.0)}


def test_backoff_with_a_real_rng_stays_within_the_jitter_bounds() -> None:
    backoff = Backoff(rng=random.Random(1))
    for _ in range(50):
        got = delays(backoff, len(NOMINAL))
        for delay, nominal in zip(got, NOMINAL, strict=True):
            assert nominal * 0.5 <= delay <= nominal
        backoff.reset()


def test_backoff_never_waits_longer_than_15_seconds() -> None:
    assert max(delays(Backoff(rng=random.Random(2)), 200)) <= 15.0


def test_backoff_keeps_working_after_hours_of_failed_attempts() -> None:
    # At about 11 s an attempt, 5,000 attempts is some 15 hours of a host being away;
    # 1.5 ** n overflows a float once n passes about 1,750.
    backoff = Backoff(rng=EdgeRandom("high"))
    assert delays(backoff, 5000)[-1] == 15.0
    backoff.reset()
    assert backoff.next() == 0.5


def test_backoff_reset_starts_again_from_the_shortest_delay() -> None:
    backoff = Backoff(rng=EdgeRandom("high"))
    delays(backoff, 6)
    backoff.reset()
    assert delays(backoff, 3) == pytest.approx(NOMINAL[:3])


def test_backoff_with_the_same_seed_gives_the_same_delays() -> None:
    first = delays(Backoff(rng=random.Random(42)), 20)
    second = delays(Backoff(rng=random.Random(42)), 20)
    other = delays(Backoff(rng=random.Random(43)), 20)
    assert first == second
    assert first != other


def test_backoff_takes_its_shape_from_arguments() -> None:
    backoff = Backoff(start=1.0, factor=2.0, cap=5.0, rng=EdgeRandom("high"))
    assert delays(backoff, 5) == [1.0, 2.0, 4.0, 5.0, 5.0]


# --- clock warning -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset_ms", "warn"),
    [
        (None, False),
        (0, False),
        (59_999, False),
        (60_000, False),
        (-60_000, False),
        (60_001, True),
        (-60_001, True),
        (3_600_000, True),
        (-86_400_000, True),
    ],
)
def test_link_status_warns_when_clocks_differ_by_more_than_60_seconds(
    offset_ms: int | None, warn: bool
) -> None:
    assert LinkStatus(clock_offset_ms=offset_ms).clock_warning is warn


def test_link_status_starts_idle_without_a_warning() -> None:
    status = LinkStatus()
    assert (status.state, status.pending, status.clock_warning) == ("idle", 0, False)
