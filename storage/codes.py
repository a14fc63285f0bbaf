"""Join codes: 8 unambiguous characters, shown as XXXX-XXXX (PROTOCOL.md section 3)."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L or U/V look-alikes: a code read aloud in a noisy hall is still typed right.
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
LENGTH = 8


def new_code() -> str:
    """Return a new random code, without its dash."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def show(code: str) -> str:
    """Return a code as users see it: XXXX-XXXX."""
    return f"{code[:4]}-{code[4:]}"


def normalize(typed: str) -> str | None:
    """Return the code a user typed (any case; dashes and spaces ignored), or None if invalid."""
    # Pasted codes bring spaces, newlines and typographic dashes along; ignore all of those.
    kept = "".join(ch for ch in typed if not ch.isspace() and ch not in "-\u2010\u2011\u2013\u2014")
    if not kept.isascii():
        return None
    code = kept.upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


# How many devices a join code pairs unless the organiser says otherwise (docs/protocol.md 3c):
# a judge's laptop and a spare; a team's members, at least two; displays without limit.
JUDGE_DEVICES = 2
TEAM_DEVICES_AT_LEAST = 2


def default_device_limit(role: str, members: int = 0) -> int | None:
    """Return how many devices a code of `role` pairs by default (None: no limit)."""
    if role == "judge":
        return JUDGE_DEVICES
    if role == "team":
        return max(TEAM_DEVICES_AT_LEAST, members)
    return None
