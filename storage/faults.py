"""Crash points for tests: TALLYBOARD_CRASH_AT=name[:N] SIGKILLs us at point(name)'s N-th visit."""

from __future__ import annotations

import os
import signal

_NAME, _, _COUNT = os.environ.get("TALLYBOARD_CRASH_AT", "").partition(":")
CRASH_AT: str | None = _NAME or None
_left = [int(_COUNT) if _COUNT.isdigit() else 1]  # visits until the kill, in a list to be updated


def point(name: str) -> None:
    """Kill this process with SIGKILL if it is the crash point chosen, at its N-th visit."""
    if name != CRASH_AT:
        return
    _left[0] -= 1
    if _left[0] <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
