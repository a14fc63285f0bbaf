"""Tests for the hybrid logical clock: stamp format, monotonic ticks, observing, restarts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.hlc import MAX_COUNTER, HlcError, HybridClock, Stamp, parse, wall_ms
from tests.kit import BASE_MS, FakeClock

DEVICE = "0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4"
OTHER = "ffffffff-3d4a-4b5c-8d6e-7f8091a2b3c4"
T0 = BASE_MS
STAMP_FORMAT = re.compile(r"[0-9]{13}\.[0-9]{4}\.[0-9a-f-]{36}")


def never_sleep(seconds: float) -> None:
    raise AssertionError(f"the clock slept {seconds} s when it had no need to")


def make_clock(fake: FakeClock, last: str | None = None, device: str = DEVICE) -> HybridClock:
    return HybridClock(device, last, now=fake, sleep=fake.sleep)


# --- format ------------------------------------------------------------------------------------


def test_tick_gives_13_digit_ms_4_digit_counter_and_device() -> None:
    fake = FakeClock(T0 + 123)
    stamp = make_clock(fake).tick()
    assert stamp == f"{T0 + 123}.0000.{DEVICE}"
    assert STAMP_FORMAT.fullmatch(stamp)


def test_small_wall_clock_is_zero_padded_to_13_digits() -> None:
    clock = HybridClock(DEVICE, now=lambda: 5, sleep=never_sleep)
    assert clock.tick() == f"0000000000005.0000.{DEVICE}"


def test_stamp_str_pads_fields_and_parse_round_trips() -> None:
    stamp = Stamp(42, 7, "dev")
    assert str(stamp) == "0000000000042.0007.dev"
    assert parse(str(stamp)) == stamp


def test_last_before_any_tick_is_the_zero_stamp() -> None:
    assert HybridClock(DEVICE, now=lambda: T0, sleep=never_sleep).last == f"{0:013d}.0000.{DEVICE}"


def test_stamps_sort_as_text_in_the_same_order_as_parsed() -> None:
    stamps = [
        Stamp(T0, 0, "b"),
        Stamp(T0, 1, "a"),
        Stamp(T0 + 1, 0, "a"),
        Stamp(T0, 0, "a"),
        Stamp(T0, 9999, "z"),
        Stamp(999, 10, "a"),
        Stamp(10_000, 2, "a"),
        Stamp(T0, 0, "ab"),
    ]
    texts = [str(s) for s in stamps]
    assert sorted(texts) == [str(s) for s in sorted(stamps)]


@given(
    st.lists(
        st.builds(
            Stamp,
            st.integers(0, 9_999_999_999_999),
            st.integers(0, MAX_COUNTER),
            st.text("0123456789abcdef-_AZ", min_size=1, max_size=64),
        ),
        min_size=2,
        max_size=20,
    )
)
def test_any_stamps_sort_as_text_as_they_sort_parsed(stamps: list[Stamp]) -> None:
    texts = [str(s) for s in stamps]
    assert [parse(t) for t in sorted(texts)] == sorted(stamps)


def test_wall_ms_reads_the_wall_clock_of_a_stamp() -> None:
    assert wall_ms(f"{T0 + 9}.0042.{DEVICE}") == T0 + 9


def test_offset_ms_is_how_far_a_stamp_is_ahead_of_this_machine() -> None:
    clock = make_clock(FakeClock(T0))
    assert clock.offset_ms(f"{T0 + 61_000}.0000.{OTHER}") == 61_000
    assert clock.offset_ms(f"{T0 - 5}.0003.{OTHER}") == -5


# --- parse -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1700000000000",
        "1700000000000.0000",
        "1700000000000.0000.",
        "170000000000.0000.dev",  # 12-digit wall clock
        "17000000000000.0000.dev",  # 14-digit wall clock
        "1700000000000.000.dev",  # 3-digit counter
        "1700000000000.10000.dev",  # 5-digit counter
        "1700000000000-0000-dev",
        "1700000000000.0000.dev/1",
        "1700000000000.0000.de.v",
        "1700000000000.0000.dev ice",
        "1700000000000.0000." + "d" * 65,
        " 1700000000000.0000.dev",
        "1700000000000.0000.dev ",
        "1700000000000.0000.dev\n",
        "-700000000000.0000.dev",
        "+700000000000.0000.dev",
        "17000000000a0.0000.dev",
        "1700000000000.00x0.dev",
        "١٧٠٠٠٠٠٠٠٠٠٠٠.0000.dev",  # Arabic-Indic digits: \d matches them, text order breaks
        "1700000000000.٠٠٠٠.dev",
        "1700000000000.0000.dév",
    ],
)
def test_parse_rejects_malformed_stamp(text: str) -> None:
    with pytest.raises(HlcError):
        parse(text)


@pytest.mark.parametrize("value", [None, 1700000000000, b"1700000000000.0000.dev", ["x"]])
def test_parse_rejects_non_text(value: object) -> None:
    with pytest.raises(HlcError):
        parse(value)  # type: ignore[arg-type]


def test_hlc_error_is_a_value_error() -> None:
    assert issubclass(HlcError, ValueError)


def test_parse_accepts_device_of_64_characters() -> None:
    device = "A-_z" * 16
    assert parse(f"{T0}.0001.{device}") == Stamp(T0, 1, device)


# --- tick --------------------------------------------------------------------------------------


def test_tick_on_a_frozen_clock_counts_up() -> None:
    clock = HybridClock(DEVICE, now=lambda: T0, sleep=never_sleep)
    stamps = [clock.tick() for _ in range(5)]
    assert stamps == [f"{T0}.{i:04d}.{DEVICE}" for i in range(5)]
    assert clock.last == stamps[-1]


def test_tick_resets_the_counter_when_the_wall_clock_advances() -> None:
    fake = FakeClock(T0)
    clock = make_clock(fake)
    clock.tick()
    clock.tick()
    fake.ms += 3
    assert clock.tick() == f"{T0 + 3}.0000.{DEVICE}"
    assert fake.sleeps == []


def test_tick_stays_monotonic_when_the_wall_clock_goes_backwards() -> None:
    fake = FakeClock(T0)
    clock = make_clock(fake)
    first = clock.tick()
    fake.ms -= 60_000
    second = clock.tick()
    fake.ms -= 1
    third = clock.tick()
    assert first < second < third
    assert second == f"{T0}.0001.{DEVICE}"
    assert third == f"{T0}.0002.{DEVICE}"
    assert fake.sleeps == []


def test_counter_never_passes_9999_the_clock_waits_for_the_wall_clock() -> None:
    fake = FakeClock(T0)
    clock = make_clock(fake)
    stamps = [clock.tick() for _ in range(MAX_COUNTER + 1)]
    assert stamps[-1] == f"{T0}.9999.{DEVICE}"
    assert fake.sleeps == []
    following = clock.tick()
    assert fake.sleeps  # it waited ...
    assert all(0 < s <= 0.01 for s in fake.sleeps)  # ... in short naps ...
    assert following == f"{T0 + 1}.0000.{DEVICE}"  # ... for the next millisecond
    assert stamps[-1] < following


def test_counter_at_9999_keeps_sleeping_until_the_wall_clock_really_moves() -> None:
    ms = T0
    naps = 0

    def now() -> int:
        return ms

    def sleep(seconds: float) -> None:
        nonlocal ms, naps
        naps += 1
        if naps == 5:  # a sluggish wall clock: the first four naps see no change
            ms += 1

    clock = HybridClock(DEVICE, f"{T0}.9999.{DEVICE}", now=now, sleep=sleep)
    assert clock.tick() == f"{T0 + 1}.0000.{DEVICE}"
    assert naps == 5


# --- observe -----------------------------------------------------------------------------------


def test_observe_of_a_greater_stamp_advances_the_clock() -> None:
    fake = FakeClock(T0)
    clock = make_clock(fake)
    clock.tick()
    seen = f"{T0 + 5000}.0007.{OTHER}"
    clock.observe(seen)
    assert clock.last == f"{T0 + 5000}.0007.{DEVICE}"
    following = clock.tick()
    assert following == f"{T0 + 5000}.0008.{DEVICE}"
    assert parse(following) > parse(seen)


def test_observe_of_a_smaller_stamp_changes_nothing() -> None:
    fake = FakeClock(T0)
    clock = make_clock(fake)
    clock.tick()
    clock.tick()
    clock.observe(f"{T0 - 1}.0500.{OTHER}")
    clock.observe(f"{T0}.0000.{OTHER}")
    assert clock.last == f"{T0}.0001.{DEVICE}"
    assert clock.tick() == f"{T0}.0002.{DEVICE}"


def test_observe_of_an_equal_wall_and_counter_keeps_the_next_tick_above_it() -> None:
    fake = FakeClock(T0)
    clock = make_clock(fake)
    clock.tick()
    clock.observe(f"{T0}.0000.{OTHER}")
    assert clock.tick() > f"{T0}.0000.{OTHER}"


def test_observe_of_a_stamp_at_counter_9999_waits_before_the_next_tick() -> None:
    fake = FakeClock(T0)
    clock = make_clock(fake)
    clock.observe(f"{T0 + 3}.9999.{OTHER}")
    assert clock.tick() == f"{T0 + 4}.0000.{DEVICE}"
    assert fake.ms == T0 + 4
    assert len(fake.sleeps) == 4


def test_observe_rejects_a_malformed_stamp_and_keeps_the_clock() -> None:
    clock = make_clock(FakeClock(T0))
    clock.tick()
    with pytest.raises(HlcError):
        clock.observe("99999999999999.0000.x")
    assert clock.last == f"{T0}.0000.{DEVICE}"


# --- restart -----------------------------------------------------------------------------------


def test_restart_from_last_continues_above_it_on_a_frozen_clock() -> None:
    fake = FakeClock(T0)
    clock = make_clock(fake)
    for _ in range(3):
        clock.tick()
    restarted = make_clock(fake, last=clock.last)
    assert restarted.last == clock.last
    assert restarted.tick() == f"{T0}.0003.{DEVICE}"


def test_restart_from_last_continues_above_it_when_the_wall_clock_went_back() -> None:
    fake = FakeClock(T0)
    clock = make_clock(fake)
    clock.observe(f"{T0 + 600_000}.0042.{OTHER}")
    last = clock.last
    fake.ms = T0 - 3_600_000  # the laptop's clock was reset an hour back before the restart
    restarted = make_clock(fake, last=last)
    assert restarted.tick() > last


def test_restart_takes_the_wall_and_counter_of_last_under_its_own_device() -> None:
    clock = HybridClock(DEVICE, f"{T0}.0010.{OTHER}", now=lambda: T0 - 1, sleep=never_sleep)
    assert clock.last == f"{T0}.0010.{DEVICE}"
    assert clock.tick() == f"{T0}.0011.{DEVICE}"


def test_restart_rejects_a_malformed_last() -> None:
    with pytest.raises(HlcError):
        HybridClock(DEVICE, "yesterday", now=lambda: T0, sleep=never_sleep)


# --- property ----------------------------------------------------------------------------------

_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("tick"), st.just(0), st.just(0)),
        st.tuples(st.just("tick"), st.just(0), st.just(0)),
        # observe a stamp up to 5 s either side of the wall clock, often at a full counter
        st.tuples(
            st.just("observe"),
            st.integers(-5000, 5000),
            st.one_of(st.integers(0, MAX_COUNTER), st.just(MAX_COUNTER), st.just(MAX_COUNTER - 1)),
        ),
        st.tuples(st.just("jump"), st.integers(-600_000, 600_000), st.just(0)),
        st.tuples(st.just("restart"), st.just(0), st.just(0)),
    ),
    max_size=60,
)


@settings(deadline=None, max_examples=200)
@given(
    steps=_STEPS,
    start=st.one_of(st.integers(0, MAX_COUNTER), st.integers(MAX_COUNTER - 3, MAX_COUNTER)),
)
def test_ticks_strictly_increase_under_any_interleaving(
    steps: list[tuple[str, int, int]], start: int
) -> None:
    fake = FakeClock(T0)
    # Start from a persisted stamp on the frozen wall clock, often near a full counter.
    clock = make_clock(fake, last=f"{T0}.{start:04d}.{DEVICE}")
    ticks: list[str] = []
    greatest_seen = (T0, start)
    for action, amount, counter in steps:
        if action == "tick":
            stamp = clock.tick()
            assert STAMP_FORMAT.fullmatch(stamp)
            parsed = parse(stamp)
            assert parsed.device == DEVICE
            assert parsed.counter <= MAX_COUNTER
            if ticks:
                assert stamp > ticks[-1]
                assert parsed > parse(ticks[-1])
            assert (parsed.wall_ms, parsed.counter) > greatest_seen
            ticks.append(stamp)
        elif action == "observe":
            seen = Stamp(max(0, fake.ms + amount), counter, OTHER)
            clock.observe(str(seen))
            greatest_seen = max(greatest_seen, (seen.wall_ms, seen.counter))
        elif action == "jump":
            fake.ms = max(0, fake.ms + amount)
        else:
            clock = make_clock(fake, last=clock.last)


# --- a clock that steps (the host's, docs/protocol.md 5b) -----------------------------------------


def test_a_stepping_clock_with_its_counter_exhausted_moves_on_a_millisecond_and_never_sleeps() -> (
    None
):
    fake = FakeClock()
    ahead = T0 + 90_000  # a peer's stamp took this clock 90 s ahead of the wall clock
    clock = HybridClock(DEVICE, now=fake, sleep=never_sleep, steps=True)
    clock.observe(f"{ahead:013d}.9000.{OTHER}")
    stamps = [clock.tick() for _ in range(25_000)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)
    assert parse(stamps[-1]).wall_ms == ahead + 3  # 1 ms per 10,000 stamps, nothing more
    assert fake.ms == T0  # and no one waited for the wall clock


def test_a_clock_that_does_not_step_still_waits_for_the_wall_clock() -> None:
    fake = FakeClock()
    clock = make_clock(fake, f"{T0:013d}.{MAX_COUNTER:04d}.{DEVICE}")
    assert parse(clock.tick()).wall_ms == T0 + 1
    assert fake.sleeps  # section 5, for peers: the counter never passes 9999


def test_peek_reads_the_clock_without_using_up_a_stamp() -> None:
    fake = FakeClock()
    clock = HybridClock(DEVICE, f"{T0:013d}.{MAX_COUNTER:04d}.{DEVICE}", now=fake)
    assert [clock.peek() for _ in range(3)] == [clock.last] * 3
    fake.ms += 5
    assert clock.peek() == f"{T0 + 5:013d}.0000.{DEVICE}"
    assert clock.last == f"{T0:013d}.{MAX_COUNTER:04d}.{DEVICE}"
