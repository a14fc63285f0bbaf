"""Rate limits of PROTOCOL.md section 7: a token bucket per connection, and join-code throttling."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


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
