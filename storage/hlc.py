"""Hybrid logical clock stamps that sort as text (PROTOCOL.md section 5)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_COUNTER = 9999
# [0-9], not \d (which takes any Unicode digit), and \Z, not $ (which allows a final "\n").
_STAMP = re.compile(r"^([0-9]{13})\.([0-9]{4})\.([0-9A-Za-z_-]{1,64})\Z")


class HlcError(ValueError):
    """A text is not a valid HLC stamp."""


@dataclass(frozen=True, order=True)
class Stamp:
    """One parsed HLC stamp: wall clock milliseconds, counter, device id."""

    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}.{self.counter:04d}.{self.device}"


def parse(text: str) -> Stamp:
    """Parse `text` as an HLC stamp or raise HlcError."""
    if not isinstance(text, str):
        raise HlcError("hlc must be a string")
    match = _STAMP.match(text)
    if match is None:
        raise HlcError(f"not an hlc stamp: {text[:80]!r}")
    return Stamp(int(match.group(1)), int(match.group(2)), match.group(3))


def wall_ms(stamp: str) -> int:
    """Return the wall-clock milliseconds of a valid stamp."""
    return int(stamp[:13])


def system_ms() -> int:
    """Return the system wall clock in milliseconds."""
    return time.time_ns() // 1_000_000


class HybridClock:
    """A device's clock: monotonic, advanced by every stamp it sees, persisted by its owner.

    `now` returns wall milliseconds; `sleep` waits that many seconds. Both are parameters so that
    tests never sleep for logic. A clock that `steps` never waits: with its counter exhausted it
    moves on to the next millisecond (the host's clock, docs/protocol.md 5b).
    """

    def __init__(
        self,
        device: str,
        last: str | None = None,
        now: Callable[[], int] = system_ms,
        sleep: Callable[[float], None] = time.sleep,
        *,
        steps: bool = False,
    ) -> None:
        self.device = device
        self._now = now
        self._sleep = sleep
        self.steps = steps
        self._wall = 0
        self._counter = 0
        if last:
            stamp = parse(last)
            self._wall, self._counter = stamp.wall_ms, stamp.counter

    @property
    def last(self) -> str:
        """The greatest stamp this clock has made or seen, as this device's stamp."""
        return str(Stamp(self._wall, self._counter, self.device))

    def tick(self) -> str:
        """Return a new stamp greater than every stamp made or seen so far."""
        while True:
            wall = self._now()
            if wall > self._wall:
                self._wall, self._counter = wall, 0
                return self.last
            if self._counter < MAX_COUNTER:
                self._counter += 1
                return self.last
            if self.steps:
                # Still above every stamp made or seen, and ahead of the wall clock by at most
                # the lead already taken plus 1 ms per 10,000 stamps: nobody waits for it.
                self._wall, self._counter = self._wall + 1, 0
                return self.last
            # Section 5: wait for the wall clock rather than let the counter pass 9999.
            self._sleep(0.001)

    def peek(self) -> str:
        """Return this clock's reading, at least the wall clock, without using up a stamp."""
        wall = self._now()
        if wall > self._wall:
            return str(Stamp(wall, 0, self.device))
        return self.last

    def observe(self, stamp: str) -> None:
        """Advance past a stamp received from another device."""
        seen = parse(stamp)
        self._wall, self._counter = max((self._wall, self._counter), (seen.wall_ms, seen.counter))

    def offset_ms(self, stamp: str) -> int:
        """Return how far the wall clock of `stamp` is ahead of this machine's wall clock."""
        return parse(stamp).wall_ms - self._now()
