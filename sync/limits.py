"""Limits of PROTOCOL.md section 7: a token bucket per connection, join-code throttling, and
admission of connections that have not said hello."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass
class TokenBucket:
    """Allow `rate` events a second on average and bursts of `burst` (times in milliseconds)."""

    rate: float = 50.0
    burst: float = 200.0
    tokens: float = -1.0
    last_ms: int = 0

    def allow(self, now_ms: int) -> bool:
        """Take one token if there is one; tell whether the event may go ahead."""
        if self.tokens < 0:
            self.tokens, self.last_ms = self.burst, now_ms
        elapsed = max(0, now_ms - self.last_ms) / 1000.0
        self.tokens = min(self.burst, self.tokens + elapsed * self.rate)
        self.last_ms = now_ms
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass
class FailureThrottle:
    """Refuse join attempts once too many have failed in the last `window_ms`.

    Failures count per source address and in total, so that an attacker who spreads guesses over
    many addresses is still slowed to `total_limit` guesses a window for the whole venue.
    """

    per_address: int = 10
    total_limit: int = 60
    window_ms: int = 60_000
    _by_address: dict[str, deque[int]] = field(default_factory=dict)
    _all: deque[int] = field(default_factory=deque)

    def _trim(self, times: deque[int], now_ms: int) -> None:
        while times and times[0] <= now_ms - self.window_ms:
            times.popleft()

    def blocked(self, address: str, now_ms: int, *, venue_wide: bool = True) -> bool:
        """Tell whether a join attempt from `address` must be refused without being checked.

        `venue_wide=False` looks at the address alone: a token (256 random bits) cannot be
        guessed, so guesses at codes from elsewhere must not lock paired devices out.
        """
        self._trim(self._all, now_ms)
        times = self._by_address.get(address)
        if times is not None:
            self._trim(times, now_ms)
            if not times:
                del self._by_address[address]
                times = None
        return (venue_wide and len(self._all) >= self.total_limit) or (
            times is not None and len(times) >= self.per_address
        )

    def failed(self, address: str, now_ms: int) -> None:
        """Record a failed attempt."""
        self._all.append(now_ms)
        self._by_address.setdefault(address, deque()).append(now_ms)


class Admission(Generic[K]):
    """Count the connections that have not said hello, per source address and in all.

    A newcomer is always let in (a paired judge must always get in): when its address, or the
    host, is at its limit, an older waiting connection is shed instead: the oldest of the
    newcomer's own address when that address is full, else the oldest of the address that holds
    the most. Holding slots therefore cannot keep anyone out; an attacker can only push out a
    device whose handshake is still running, and only by out-numbering it in its own address or
    by holding no more than one slot per address everywhere.
    """

    def __init__(self, per_address: int, total: int) -> None:
        self.per_address = max(1, per_address)
        self.total = max(1, total)
        self._waiting: dict[K, str] = {}  # in the order they came: the first is the oldest
        self._count: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._waiting)

    def __contains__(self, key: object) -> bool:
        return key in self._waiting

    def waiting(self) -> list[K]:
        """Return the waiting connections, oldest first."""
        return list(self._waiting)

    def count(self, address: str) -> int:
        """Return how many connections from `address` are waiting."""
        return self._count[address]

    def admit(self, key: K, address: str) -> list[K]:
        """Let `key` in from `address`; return the connections to shed for it, oldest first."""
        shed: list[K] = []
        while self._count[address] >= self.per_address:
            shed.append(self._shed_oldest(lambda other: other == address))
        while len(self._waiting) >= self.total:
            shed.append(self._shed_oldest(self._holding(max(self._count.values()))))
        self._waiting[key] = address
        self._count[address] += 1
        return shed

    def release(self, key: K) -> None:
        """Stop counting `key` (it said hello, or its socket closed); idempotent."""
        address = self._waiting.pop(key, None)
        if address is not None:
            self._count[address] -= 1
            if not self._count[address]:
                del self._count[address]

    def _holding(self, count: int) -> Callable[[str], bool]:
        """Return a test for addresses holding `count` waiting connections."""
        return lambda address: self._count[address] == count

    def _shed_oldest(self, of: Callable[[str], bool]) -> K:
        """Release and return the oldest waiting connection whose address is `of` that kind."""
        key = next(key for key, address in self._waiting.items() if of(address))
        self.release(key)
        return key


class StepBudget:
    """Run deferrable work (the storm's pairing: TLS handshakes, upgrades) at most `budget`
    seconds a step of the event loop, in the order it came; the rest waits for the next steps.

    Work given while this step still has budget and nothing waits runs at once. Otherwise it
    queues, and the next step (`call_soon`) runs the queue's head until that step's budget is
    spent. What is not given here (an already welcomed judge's frames) then waits behind at most
    one budget of pairing work a step, however many handshakes are under way, instead of behind
    all of those that were ready in that step. `clock` measures the work (seconds, any origin).
    """

    def __init__(
        self,
        budget: float,
        clock: Callable[[], float],
        call_soon: Callable[[Callable[[], None]], object],
    ) -> None:
        self.budget = budget
        self._clock = clock
        self._call_soon = call_soon
        self._queue: deque[Callable[[], None]] = deque()
        self._spent = 0.0  # this step's
        self._scheduled = False  # the next step's start is scheduled
        self.deferred = 0  # jobs that waited for a later step, since the start

    @property
    def waiting(self) -> int:
        """The jobs waiting for a later step."""
        return len(self._queue)

    def run(self, job: Callable[[], None]) -> None:
        """Run `job` now if this step's budget allows and nothing waits, else after those."""
        if not self._queue and self._spent < self.budget:
            self._do(job)
        else:
            self._queue.append(job)
            self.deferred += 1
            self._schedule()

    def _do(self, job: Callable[[], None]) -> None:
        self._schedule()  # the spent time is this step's only: the next one starts afresh
        start = self._clock()
        try:
            job()
        finally:
            self._spent += self._clock() - start

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            self._call_soon(self._next_step)

    def _next_step(self) -> None:
        self._scheduled = False
        self._spent = 0.0
        while self._queue and self._spent < self.budget:
            self._do(self._queue.popleft())
