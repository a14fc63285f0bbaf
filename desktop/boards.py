"""A board message's name and title as every window reads them (docs/protocol.md 4e)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storage.ops import FIRST_ROUND
from sync import feeds


@dataclass(frozen=True)
class BoardLabel:
    """Which board a message is and what its title calls it; each window words it its own way."""

    round: str  # the round's id: the first round's for the event's main board
    prize: str | None  # the prize's id; None for a round's overall board
    named: bool  # the message names its board; the event's main board goes without (4e)
    round_name: str = ""  # the title's names, as sent ("" where the title has none)
    prize_name: str = ""
    sponsor: str = ""


def board_label(
    message: Mapping[str, Any] | None, title: Mapping[str, Any] | None = None
) -> BoardLabel:
    """Return the board a board message names, with its title's names (`title` stands in for
    a message that came without one: a title known from the welcome, say)."""
    name = message.get("board") if message else None
    key = feeds.board_key(name) if isinstance(name, Mapping) else None
    sent = message.get("title") if message else None
    texts = sent if isinstance(sent, Mapping) else title or {}
    round_id, prize = (FIRST_ROUND, None) if key is None else key
    return BoardLabel(
        round_id,
        prize,
        key is not None,
        str(texts.get("round_name") or ""),
        str(texts.get("prize_name") or ""),
        str(texts.get("sponsor") or ""),
    )
