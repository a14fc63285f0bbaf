"""The projector display: the event's leaderboard, big enough to read from the back of the hall.

What it shows follows the host's display control (PROTOCOL.md section 4, docs/protocol.md 4a):
`live` rows with ranks and totals, `progress` (team names and judge counts only), `frozen` (the
board the host froze, tagged as such) and `reveal` (rows revealed from last place to first).
Which board: the host's `display_control` (docs/protocol.md 4e) lists the boards to show (the
main one, a round's, a prize's) and how long each stays up; a ceremony is `reveal` on one
board. With no display_control (an older host) the display shows the main board only.
The pure functions at the top decide what goes where; the widgets only paint it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QEasingCurve,
    QRectF,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QKeySequence,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import i18n, theme
from desktop.boards import BoardLabel, board_label
from desktop.i18n import translate
from desktop.peer_window import PeerWindow
from desktop.qr import QrCode
from desktop.widgets import (
    STATE_TEXT,
)
from storage.ops import FIRST_ROUND
from sync import feeds
from sync.peer import LinkStatus

log = logging.getLogger("tallyboard.desktop")

MODES = ("live", "progress", "frozen", "reveal")
MAX_SLOTS = 10  # rows on one screen at most: ten stay legible from the back of a hall
MIN_SLOTS = 8  # fewer teams get bigger rows, but never taller than an eighth of the list
PAGE_SECONDS = 12  # how long one page of a long board stays up before the list scrolls on
MOVE_MS = 400  # rank changes slide over this long
REVEAL_MS = 900  # a revealed row slides in over this long
GLOW_MS = 3500  # and then glows a little while

# --- what to show (no Qt) ----------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    """One row of the display: a team, or a placeholder for places not yet revealed."""

    key: str  # the team id; placeholders: "hidden/<rank>" or "hidden/rest"
    name: str
    rank: int | None = None
    total: float | None = None
    judges: int | None = None
    placeholder: bool = False


def board_mode(board: dict[str, Any] | None) -> str:
    """Return the display mode a leaderboard_update carries (live when it names none we know)."""
    mode = (board or {}).get("mode")
    return mode if mode in MODES else "live"


def board_rows(board: dict[str, Any] | None) -> list[BoardRow]:
    """Return a board's rows in the order the display shows them.

    Ranked rows by rank (unscored teams last); progress rows by name, because their order on
    the wire follows the ranking and a display in progress mode must not give it away.
    """
    if not board:
        return []
    mode = board_mode(board)
    rows: list[BoardRow] = []
    for raw in board.get("data") or []:
        if not isinstance(raw, dict) or not isinstance(raw.get("team_id"), str):
            continue
        name = str(raw.get("team_name") or raw["team_id"])
        judges = raw.get("judge_count")
        judges = judges if isinstance(judges, int) else None
        if mode == "progress":
            # Section 4: a display never receives (so never shows) what its mode hides.
            rows.append(BoardRow(raw["team_id"], name, judges=judges))
            continue
        rank = raw.get("rank") if isinstance(raw.get("rank"), int) else None
        total = raw.get("total_score")
        total = float(total) if isinstance(total, int | float) else None
        rows.append(BoardRow(raw["team_id"], name, rank, total, judges))
    if mode == "progress":
        return sorted(rows, key=lambda r: (r.name.casefold(), r.key))
    order = {row.key: i for i, row in enumerate(rows)}
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, order[r.key]))


def reveal_slots(revealed: list[BoardRow], capacity: int) -> list[BoardRow]:
    """Return the rows of a reveal screen: places still hidden on top, then the revealed ones.

    Each hidden place gets a placeholder while they all fit; otherwise one row says how many
    are still to come. The best revealed row, the newest, is always shown; rows cut for room
    are the oldest, at the bottom.
    """
    if not revealed or capacity < 1:
        return []
    ranked = sorted(revealed, key=lambda r: (r.rank is None, r.rank or 0))
    hidden = max(0, (ranked[0].rank or 1) - 1)
    if hidden + len(ranked) <= capacity or hidden <= capacity // 2:
        above = [
            BoardRow(f"hidden/{rank}", "", rank, placeholder=True) for rank in range(1, hidden + 1)
        ]
    else:
        above = [BoardRow("hidden/rest", teams_to_come(hidden), placeholder=True)]
    if len(above) >= capacity:
        return ranked[:1]
    return (above + ranked)[:capacity]


def teams_to_come(count: int) -> str:
    """Return the placeholder text for `count` places not revealed yet."""
    return (
        translate("display", "1 more team to reveal")
        if count == 1
        else translate("display", "{count} more teams to reveal").format(count=count)
    )


def fit_rows(count: int, height: float) -> tuple[int, float]:
    """Return how many rows one screen shows and the pitch (row plus gap) of each, in pixels."""
    slots = min(max(count, MIN_SLOTS), MAX_SLOTS)
    return min(count, MAX_SLOTS), max(height, 0.0) / slots


def page_count(count: int, capacity: int) -> int:
    """Return the number of pages a board of `count` rows needs."""
    return max(1, math.ceil(count / capacity)) if capacity > 0 else 1


def page_caption(page: int, count: int, capacity: int) -> str:
    """Return the footer text that says which rows a page shows ("" for a one-page board)."""
    if page_count(count, capacity) <= 1:
        return ""
    first = page * capacity + 1
    last = min(count, first + capacity - 1)
    return translate("display", "Teams {first}–{last} of {count}").format(
        first=first, last=last, count=count
    )


def format_total(total: float | None) -> str:
    """Return a total as the display shows it: two decimals, or a dash when unscored."""
    return "—" if total is None else f"{total:.2f}"


def format_judges(count: int | None) -> str:
    """Return a judge count in words."""
    if not count:
        return translate("display", "No scores yet")
    return (
        translate("display", "1 judge")
        if count == 1
        else translate("display", "{count} judges").format(count=count)
    )


def format_rank(rank: int | None) -> str:
    """Return a rank for its badge."""
    return "–" if rank is None else str(rank)


def medal(rank: int | None) -> str | None:
    """Return gold, silver or bronze for the top three ranks (shared ranks share the medal)."""
    return {1: "gold", 2: "silver", 3: "bronze"}.get(rank or 0)


def local_clock(timestamp: str | None) -> str:
    """Return an ISO 8601 time from the host as hh:mm on this machine's clock ("" if unreadable)."""
    if not timestamp:
        return ""
    try:
        moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%H:%M")


def link_caption(state: str, board_time: str) -> str:
    """Return the corner indicator's text: the link's state and when the board last changed."""
    words = {
        "online": translate("display", "Online"),
        "offline": translate("display", "Offline"),
        "refused": translate("display", "Refused"),
        "stopped": translate("display", "Offline"),
        "idle": translate("display", "Offline"),
    }
    text = words.get(state) or translate("widgets", STATE_TEXT.get(state, state))
    if board_time:
        return translate("display", "{state} · last update {time}").format(
            state=text, time=board_time
        )
    return text


def headline(mode: str, phase: str = "scoring") -> tuple[str, str, str]:
    """Return the subtitle, the tag and the banner of a mode ("" where there is none).

    Once scoring is locked (or the results released) the live board is no longer live: it
    says so, rather than "● LIVE" over scores that can no longer change.
    """
    over = phase in ("locked", "released")
    if mode == "live" and over:
        if phase == "released":
            return (
                translate("display", "The final results"),
                translate("display", "RESULTS RELEASED"),
                "",
            )
        return (
            translate("display", "Scoring is locked: these are the final scores"),
            translate("display", "LOCKED"),
            "",
        )
    return {
        "live": (translate("display", "Live leaderboard"), translate("display", "● LIVE"), ""),
        "progress": (
            translate("display", "How many judges have scored each team so far"),
            translate("display", "LOCKED") if over else "",
            translate("display", "Judging is over · results soon")
            if over
            else translate("display", "Judging in progress · results later"),
        ),
        "frozen": (translate("display", "Leaderboard"), translate("display", "RESULTS FROZEN"), ""),
        "reveal": (translate("display", "The results, from last place to first"), "", ""),
    }[mode]


def board_phase(board: dict[str, Any] | None, welcome: dict[str, Any]) -> str:
    """Return the event's phase as a display knows it: the board's, else the welcome's.

    The welcome's `event.phase` is current when the display joins; a `leaderboard_update`
    that carries `phase` (docs/protocol.md section 4) brings it up to date.
    """
    if board is not None and isinstance(board.get("phase"), str):
        return str(board["phase"])
    event = welcome.get("event") or {}
    return str(event.get("phase") or "scoring")


def reveal_caption(slots: list[BoardRow]) -> str:
    """Return the reveal tag: how many places are revealed and how many are still to come."""
    revealed = [r for r in slots if not r.placeholder]
    if not revealed:
        return ""
    hidden = max(0, min(r.rank or 1 for r in revealed) - 1)
    if hidden == 0:
        return translate("display", "ALL REVEALED")
    return translate("display", "{v0} REVEALED · {hidden} TO GO").format(
        v0=len(revealed), hidden=hidden
    )


def empty_state(mode: str, have_board: bool) -> tuple[str, str] | None:
    """Return the big message and its line below when there are no rows to show, else None."""
    if not have_board:
        return (
            translate("display", "Waiting for the results"),
            translate("display", "The leaderboard appears here as soon as the host sends it."),
        )
    if mode == "reveal":
        return translate("display", "Results coming up"), translate(
            "display", "Stay tuned: the winners are about to be revealed."
        )
    if mode == "progress":
        return translate("display", "Judging in progress"), translate(
            "display", "No teams have been entered yet."
        )
    return translate("display", "No teams yet"), translate(
        "display", "Teams appear here as soon as the organiser adds them."
    )


def describe_rows(mode: str, rows: list[BoardRow]) -> str:
    """Return what the board shows, as one sentence per row, for screen readers."""
    parts = []
    for row in rows:
        if row.placeholder:
            parts.append(
                row.name
                or translate("display", "Place {rank}: not revealed yet").format(rank=row.rank)
            )
        elif mode == "progress":
            parts.append(f"{row.name}: {format_judges(row.judges)}")
        else:
            rank = (
                translate("display", "unranked")
                if row.rank is None
                else translate("display", "rank {rank}").format(rank=row.rank)
            )
            parts.append(
                f"{rank}, {row.name}, {format_total(row.total)}, {format_judges(row.judges)}"
            )
    return ". ".join(parts)


# --- which board, and its title (docs/protocol.md 4e) -------------------------------------------

# A board's name as the display keeps it: (round id, prize id or None); None is the event's main
# board (the first round's, no prize: the message without `board`).
BoardKey = tuple[str, str | None] | None
ROTATE_DEFAULT = 20  # seconds, as DISPLAY_DEFAULTS says, for a display_control that lacks it
ROTATE_RANGE = (5, 600)


def board_key(name: object) -> BoardKey:
    """Return the key of a board name (`{"round", "prize"}`; null or the main board: None)."""
    key = feeds.board_key(name) if isinstance(name, dict) else None
    return None if key is None or key == feeds.MAIN_BOARD else key


def control_order(control: dict[str, Any] | None) -> list[BoardKey]:
    """Return the boards a display_control lists, in order, once each (none: the main board)."""
    boards = (control or {}).get("boards")
    order: list[BoardKey] = []
    for name in boards if isinstance(boards, list) else []:
        key = board_key(name)
        if key not in order:
            order.append(key)
    return order or [None]


def control_rotate(control: dict[str, Any] | None) -> int:
    """Return the seconds each board stays up when a display shows several."""
    seconds = (control or {}).get("rotate")
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        return ROTATE_DEFAULT
    return min(max(seconds, ROTATE_RANGE[0]), ROTATE_RANGE[1])


def rotation(order: list[BoardKey], held: Collection[BoardKey]) -> list[BoardKey]:
    """Return the boards a display goes through: those listed that it holds rows for (4e)."""
    return [key for key in order if key in held]


def next_board(
    order: list[BoardKey], held: Collection[BoardKey], current: BoardKey, step: int = 1
) -> BoardKey:
    """Return the board to show after `current` (`step` -1: before it), skipping boards not
    received yet; the first listed board when none is held."""
    shown = rotation(order, held)
    if not shown:
        return order[0] if order else None
    if current not in shown:
        return shown[0]
    return shown[(shown.index(current) + step) % len(shown)]


def first_board(order: list[BoardKey], held: Collection[BoardKey]) -> BoardKey:
    """Return the board a new rotation starts on: the first listed that is held, else the
    first listed (awaited)."""
    shown = rotation(order, held)
    return shown[0] if shown else (order[0] if order else None)


def rotation_caption(order: list[BoardKey], held: Collection[BoardKey], current: BoardKey) -> str:
    """Return the discreet "2 / 3" of a rotation ("" when the display shows one board)."""
    shown = rotation(order, held)
    if len(shown) <= 1 or current not in shown:
        return ""
    return translate("display", "{index} / {count}").format(
        index=shown.index(current) + 1, count=len(shown)
    )


def known_title(key: BoardKey, welcome: dict[str, Any]) -> dict[str, Any] | None:
    """Return a board's title from the welcome's rounds and prizes (4e), for a board whose
    message has not come yet; None for the main board or a board the welcome does not name."""
    if key is None:
        return None
    event = welcome.get("event") or {}
    rounds = {r.get("id"): r for r in event.get("rounds") or [] if isinstance(r, dict)}
    prizes = {p.get("id"): p for p in event.get("prizes") or [] if isinstance(p, dict)}
    round_id, prize_id = key
    if round_id not in rounds or (prize_id is not None and prize_id not in prizes):
        return None
    prize = prizes.get(prize_id) or {}
    return {
        "round_name": str(rounds[round_id].get("name") or ""),
        "prize_name": prize.get("name") if prize_id is not None else None,
        "sponsor": str(prize.get("sponsor") or ""),
    }


def main_round_name(welcome: dict[str, Any]) -> str:
    """Return the first round's name, as the welcome lists the rounds ("" if it does not)."""
    rounds = (welcome.get("event") or {}).get("rounds") or []
    first = rounds[0] if rounds and isinstance(rounds[0], dict) else {}
    return str(first.get("name") or "")


def several_rounds(welcome: dict[str, Any], held: Collection[BoardKey]) -> bool:
    """Return whether the event has more than one round (so a board names its round)."""
    rounds = (welcome.get("event") or {}).get("rounds")
    if isinstance(rounds, list) and len(rounds) > 1:
        return True
    return any(key is not None and key[0] != FIRST_ROUND for key in held)


def board_heading(
    event_name: str,
    label: BoardLabel | None,
    subtitle: str,
    *,
    round_name: str = "",
) -> tuple[str, str]:
    """Return the big title and the line under it for one board.

    A prize's board is titled with the prize ("Best use of AI"), its sponsor and, when the
    event has several rounds, the round named under it; the main board keeps the event's
    name. `subtitle` is the mode's line (`headline`); `round_name` is "" when the round need
    not be named.
    """
    prize = label.prize_name if label else ""
    sponsor = label.sponsor if label and prize else ""
    parts = []
    if sponsor:
        parts.append(translate("display", "Sponsored by {sponsor}").format(sponsor=sponsor))
    if round_name:
        parts.append(round_name)
    if subtitle:
        parts.append(subtitle)
    return prize or event_name, " · ".join(parts)


# --- painting ----------------------------------------------------------------------------------

BACKGROUND = QColor("#0b0f17")
ROW_EVEN = QColor("#182133")
ROW_ODD = QColor("#111827")
TEXT = QColor("#f5f7fa")
MUTED = QColor("#94a3b8")
FAINT = QColor("#475569")
HEADING = MUTED  # column headings: 7.5:1 on the background (FAINT, 2.4:1, was lost at 10 m)
ACCENT = QColor("#60a5fa")
PROGRESS = QColor("#34d399")
MEDALS = {"gold": QColor("#f5c542"), "silver": QColor("#cbd5e1"), "bronze": QColor("#e0955a")}


@dataclass
class _Motion:
    """Where one row is going: slot (position), opacity and horizontal offset, start and end."""

    row: BoardRow
    slot: tuple[float, float]
    alpha: tuple[float, float]
    shift: tuple[float, float]  # in widths of the row
    leaving: bool = False

    def at(self, progress: float) -> tuple[float, float, float]:
        """Return slot, opacity and shift at an eased progress from 0 to 1."""

        def mix(pair: tuple[float, float]) -> float:
            return pair[0] + (pair[1] - pair[0]) * progress

        return mix(self.slot), mix(self.alpha), mix(self.shift)


class LeaderboardView(QWidget):
    """The rows of the board, painted; they slide to new places when ranks change."""

    page_changed = Signal()  # a long board turned to another page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(translate("display", "Leaderboard"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.mode = "live"
        self._rows: list[BoardRow] = []  # the board's rows, before the reveal layout
        self._slots: list[BoardRow] = []  # what the screen shows, in order
        self._motions: dict[str, _Motion] = {}
        self._progress = 1.0
        self._glow_key: str | None = None
        self._glow = 0.0
        self.page = 0
        self._top = 0.0  # the first slot on screen (animated when the page turns)

        self._move = QVariantAnimation(self)
        self._move.setStartValue(0.0)
        self._move.setEndValue(1.0)
        self._move.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._move.valueChanged.connect(self._moved)
        self._move.finished.connect(self._settled)
        self._glower = QVariantAnimation(self)
        self._glower.setStartValue(1.0)
        self._glower.setEndValue(0.0)
        self._glower.setDuration(GLOW_MS)
        self._glower.setEasingCurve(QEasingCurve.Type.InQuad)
        self._glower.valueChanged.connect(self._glowed)
        self._scroll = QVariantAnimation(self)
        self._scroll.setDuration(900)
        self._scroll.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._scroll.valueChanged.connect(self._scrolled)
        self._pager = QTimer(self)
        self._pager.setInterval(PAGE_SECONDS * 1000)
        self._pager.timeout.connect(self.next_page)

    # --- what tests and the window read ---

    def rows(self) -> list[BoardRow]:
        """Return the rows the board shows, in order (all pages; reveal placeholders included)."""
        return list(self._slots)

    def visible_rows(self) -> list[BoardRow]:
        """Return the rows of the page on screen."""
        start = self.page * self.capacity()
        return self._slots[start : start + self.capacity()]

    def capacity(self) -> int:
        """Return how many rows one screen holds."""
        return MAX_SLOTS

    def pages(self) -> int:
        """Return how many pages the rows need."""
        return 1 if self.mode == "reveal" else page_count(len(self._slots), self.capacity())

    @property
    def animating(self) -> bool:
        """Whether rows are still moving."""
        return self._move.state() == QVariantAnimation.State.Running

    # --- changes ---

    def set_board(self, mode: str, rows: list[BoardRow], *, animate: bool = True) -> None:
        """Show new rows; rows that stay slide to their new places, new ones fade or slide in."""
        previous_mode, previous_keys = self.mode, {r.key for r in self._slots}
        self.mode, self._rows = mode, rows
        slots = self._layout()
        animate = animate and self.isVisible() and previous_mode == mode and bool(previous_keys)
        motions: dict[str, _Motion] = {}
        current = {key: m.at(self._progress) for key, m in self._motions.items() if not m.leaving}
        revealing = mode == "reveal"
        new_keys = [r.key for r in slots if r.key not in previous_keys and not r.placeholder]
        for index, row in enumerate(slots):
            if row.key in current and animate:
                slot, alpha, shift = current[row.key]
                motions[row.key] = _Motion(row, (slot, index), (alpha, 1.0), (shift, 0.0))
            elif animate:
                shift = 0.45 if revealing and not row.placeholder else 0.0
                motions[row.key] = _Motion(row, (index, index), (0.0, 1.0), (shift, 0.0))
            else:
                motions[row.key] = _Motion(row, (index, index), (1.0, 1.0), (0.0, 0.0))
        if animate:
            for key, (slot, alpha, shift) in current.items():
                if key not in motions:
                    old = self._motions[key].row
                    motions[key] = _Motion(old, (slot, slot), (alpha, 0.0), (shift, 0.0), True)
        self._slots, self._motions = slots, motions
        self._move.stop()
        if revealing and new_keys and previous_mode == "reveal":
            self._glow_key = new_keys[0]  # the best of them: the one just revealed
            self._glower.stop()
            self._glow = 1.0
            self._glower.start()
        elif not revealing:
            self._glow_key, self._glow = None, 0.0
        if animate:
            self._progress = 0.0
            self._move.setDuration(REVEAL_MS if revealing else MOVE_MS)
            self._move.start()
        else:
            self._progress = 1.0
        if self.page >= self.pages():
            self.page, self._top = 0, 0.0
            self.page_changed.emit()
        self._pager_update()
        self.setAccessibleDescription(describe_rows(mode, self.visible_rows()))
        self.update()

    def clear(self) -> None:
        """Forget the rows shown, so the next board starts on its first page, unanimated (the
        display turned to another board: nothing of the last one slides or glows into it)."""
        self.mode, self._rows, self._slots, self._motions = "", [], [], {}
        self._move.stop()
        self._scroll.stop()
        self._glower.stop()
        self._progress, self._glow_key, self._glow = 1.0, None, 0.0
        self.page, self._top = 0, 0.0

    def next_page(self) -> None:
        """Scroll to the next page of a long board (back to the first after the last)."""
        self.turn_page(1)

    def turn_page(self, step: int) -> None:
        """Scroll `step` pages on (or back), wrapping around."""
        pages = self.pages()
        if pages <= 1:
            return
        self.page = (self.page + step) % pages
        self._scroll.stop()
        self._scroll.setStartValue(self._top)
        self._scroll.setEndValue(float(self.page * self.capacity()))
        self._scroll.start()
        self._pager.start()  # a full dwell on the page just reached
        self.page_changed.emit()
        self.setAccessibleDescription(describe_rows(self.mode, self.visible_rows()))

    def _pager_update(self) -> None:
        if self.pages() > 1:
            if not self._pager.isActive():
                self._pager.start()
        else:
            self._pager.stop()

    def _layout(self) -> list[BoardRow]:
        if self.mode == "reveal":
            return reveal_slots(self._rows, self.capacity())
        return list(self._rows)

    def _moved(self, value: float) -> None:
        self._progress = float(value)
        self.update()

    def _settled(self) -> None:
        self._motions = {k: m for k, m in self._motions.items() if not m.leaving}
        self._progress = 1.0
        self.update()

    def _glowed(self, value: float) -> None:
        self._glow = float(value)
        self.update()

    def _scrolled(self, value: float) -> None:
        self._top = float(value)
        self.update()

    # --- geometry ---

    def _metrics(self) -> tuple[QRectF, float, float]:
        """Return the list area, the pitch of a slot and the height of the column headings."""
        width, height = float(self.width()), float(self.height())
        heading = max(32.0, height * 0.07)  # its type: 27 px on a 1080p projector (was 17)
        area = QRectF(0, heading, width, max(0.0, height - heading))
        count = len(self._slots) if self.mode != "reveal" else max(len(self._slots), MIN_SLOTS)
        _, pitch = fit_rows(count, area.height())
        return area, pitch, heading

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        key = event.key()
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_Down, Qt.Key.Key_Space):
            self.turn_page(1)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_Up):
            self.turn_page(-1)
        else:
            super().keyPressEvent(event)

    # --- painting ---

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        area, pitch, heading = self._metrics()
        row_height = pitch * 0.84
        self._paint_headings(painter, QRectF(0, 0, area.width(), heading), row_height)
        painter.setClipRect(area)
        motions = sorted(self._motions.values(), key=lambda m: not m.leaving)
        for motion in motions:
            slot, alpha, shift = motion.at(self._progress)
            y = area.top() + (slot - self._top) * pitch
            if y + row_height < area.top() or y > area.bottom():
                continue
            alpha *= _under_headings(y - area.top(), row_height)
            rect = QRectF(shift * area.width(), y, area.width(), row_height)
            painter.setOpacity(max(0.0, min(1.0, alpha)))
            self._paint_row(painter, rect, motion.row, round(slot))
        painter.end()

    def _columns(self, rect: QRectF) -> tuple[QRectF, QRectF, QRectF, QRectF]:
        """Return the rank, name, judges and total columns of a row."""
        h = rect.height()
        pad = h * 0.28
        rank = QRectF(rect.left() + pad, rect.top(), h * 1.05, h)
        total_w = h * 2.6
        total = QRectF(rect.right() - pad - total_w, rect.top(), total_w, h)
        judges_w = h * 3.4
        judges = QRectF(total.left() - judges_w - pad, rect.top(), judges_w, h)
        name_left = rank.right() + pad
        name = QRectF(name_left, rect.top(), max(0.0, judges.left() - pad - name_left), h)
        return rank, name, judges, total

    def _font(self, pixels: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(8, round(pixels)))
        font.setWeight(weight)
        return font

    def heading_font(self) -> QFont:
        """Return the column headings' font, sized to the view."""
        _, _, heading = self._metrics()
        return self._font(heading * 0.45, QFont.Weight.DemiBold)

    def _paint_headings(self, painter: QPainter, rect: QRectF, row_height: float) -> None:
        if not self._slots:
            return
        rank, name, judges, total = self._columns(QRectF(0, 0, rect.width(), row_height))
        painter.setFont(self.heading_font())
        painter.setPen(HEADING)
        y, h = rect.top(), rect.height()
        bottom = Qt.AlignmentFlag.AlignBottom
        if self.mode == "progress":
            row = QRectF(0, 0, rect.width(), row_height)
            label = self._progress_label(row)
            painter.drawText(
                QRectF(row_height * 0.4, y, name.width(), h), bottom, translate("display", "TEAM")
            )
            painter.drawText(
                QRectF(label.left(), y, label.width(), h), bottom, translate("display", "SCORED BY")
            )
            return
        # Centred over the badges, in all the room left of the names: as wide as a badge,
        # the word was cut to "RANK" minus its last letter.
        centre = bottom | Qt.AlignmentFlag.AlignHCenter
        room = min(rank.center().x() * 2, name.left() - 4)
        painter.drawText(
            QRectF(rank.center().x() - room / 2, y, room, h), centre, translate("display", "RANK")
        )
        painter.drawText(
            QRectF(name.left(), y, name.width(), h), bottom, translate("display", "TEAM")
        )
        right = bottom | Qt.AlignmentFlag.AlignRight
        painter.drawText(
            QRectF(judges.left(), y, judges.width(), h), right, translate("display", "JUDGES")
        )
        painter.drawText(
            QRectF(total.left(), y, total.width(), h), right, translate("display", "SCORE")
        )

    def _paint_row(self, painter: QPainter, rect: QRectF, row: BoardRow, slot: int) -> None:
        h = rect.height()
        radius = h * 0.16
        path = QPainterPath()
        path.addRoundedRect(rect, radius, radius)
        if row.placeholder:
            self._paint_placeholder(painter, rect, row, path)
            return
        accent = MEDALS.get(medal(row.rank) or "") if self.mode != "progress" else None
        base = ROW_EVEN if slot % 2 == 0 else ROW_ODD
        if accent:
            gradient = QLinearGradient(rect.topLeft(), rect.topRight())
            gradient.setColorAt(0.0, _tint(base, accent, 0.24))
            gradient.setColorAt(0.6, _tint(base, accent, 0.07))
            gradient.setColorAt(1.0, _tint(base, accent, 0.04))
            painter.fillPath(path, gradient)
        else:
            painter.fillPath(path, base)
        if row.key == self._glow_key and self._glow > 0:
            glow = QColor(accent or ACCENT)
            glow.setAlphaF(0.35 * self._glow)
            painter.fillPath(path, glow)
            pen = QPen(QColor(accent or ACCENT), max(2.0, h * 0.04))
            pen_color = pen.color()
            pen_color.setAlphaF(self._glow)
            pen.setColor(pen_color)
            painter.setPen(pen)
            painter.drawPath(path)
        if accent:
            bar = QPainterPath()
            bar.addRoundedRect(QRectF(rect.left(), rect.top(), h * 0.09, h), h * 0.045, h * 0.045)
            painter.fillPath(bar, accent)
        rank_rect, name_rect, judges_rect, total_rect = self._columns(rect)
        if self.mode == "progress":
            self._paint_progress(painter, rect, row)
            return
        self._paint_badge(painter, rank_rect, row.rank, accent)
        painter.setPen(TEXT)
        painter.setFont(self._font(h * 0.40, QFont.Weight.DemiBold))
        self._text(painter, name_rect, Qt.AlignmentFlag.AlignLeft, row.name)
        painter.setPen(MUTED)
        painter.setFont(self._font(h * 0.27))
        self._text(painter, judges_rect, Qt.AlignmentFlag.AlignRight, format_judges(row.judges))
        painter.setPen(accent if accent else TEXT)
        painter.setFont(self._font(h * 0.46, QFont.Weight.Bold))
        painter.drawText(
            total_rect,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            format_total(row.total),
        )

    def _paint_badge(
        self, painter: QPainter, rect: QRectF, rank: int | None, accent: QColor | None
    ) -> None:
        h = rect.height()
        size = h * 0.66
        circle = QRectF(rect.center().x() - size / 2, rect.center().y() - size / 2, size, size)
        painter.setPen(Qt.PenStyle.NoPen)
        if accent:
            painter.setBrush(accent)
            painter.drawEllipse(circle)
            painter.setPen(BACKGROUND)
        else:
            painter.setBrush(QColor(255, 255, 255, 18))
            painter.drawEllipse(circle)
            painter.setPen(TEXT)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        text = format_rank(rank)
        painter.setFont(self._font(size * (0.5 if len(text) < 3 else 0.38), QFont.Weight.Bold))
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_placeholder(
        self, painter: QPainter, rect: QRectF, row: BoardRow, path: QPainterPath
    ) -> None:
        h = rect.height()
        painter.fillPath(path, QColor(255, 255, 255, 6))
        pen = QPen(QColor("#334155"), max(1.5, h * 0.025), Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawPath(path)
        rank_rect, name_rect, _, total_rect = self._columns(rect)
        if row.rank is not None:
            painter.setPen(FAINT)
            painter.setFont(self._font(h * 0.34, QFont.Weight.Bold))
            painter.drawText(rank_rect, Qt.AlignmentFlag.AlignCenter, str(row.rank))
        painter.setPen(FAINT)
        painter.setFont(self._font(h * 0.34))
        text = row.name or translate("display", "To be revealed…")
        self._text(painter, name_rect, Qt.AlignmentFlag.AlignLeft, text)
        if row.rank is not None:
            painter.setFont(self._font(h * 0.46, QFont.Weight.Bold))
            painter.drawText(
                total_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, "?"
            )

    def _paint_progress(self, painter: QPainter, rect: QRectF, row: BoardRow) -> None:
        h = rect.height()
        pad = h * 0.4
        count = row.judges or 0
        label_rect = self._progress_label(rect)
        painter.setFont(self._font(h * 0.30, QFont.Weight.DemiBold))
        painter.setPen(PROGRESS if count else MUTED)
        self._text(painter, label_rect, Qt.AlignmentFlag.AlignLeft, format_judges(count))
        # One dot per judge who has scored the team: counts, not a guess at how many will.
        dot = h * 0.24
        gap = dot * 0.5
        shown = min(count, 12)
        right = label_rect.left() - dot
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(PROGRESS)
        for i in range(shown):
            left = right - (i + 1) * dot - i * gap
            painter.drawEllipse(QRectF(left, rect.center().y() - dot / 2, dot, dot))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        dots_left = right - shown * dot - max(0, shown - 1) * gap
        name_rect = QRectF(
            rect.left() + pad, rect.top(), max(0.0, dots_left - pad - rect.left() - pad), h
        )
        painter.setPen(TEXT)
        painter.setFont(self._font(h * 0.40, QFont.Weight.DemiBold))
        self._text(painter, name_rect, Qt.AlignmentFlag.AlignLeft, row.name)

    def _progress_label(self, rect: QRectF) -> QRectF:
        """Return where a progress row says how many judges scored the team."""
        h = rect.height()
        font = self._font(h * 0.30, QFont.Weight.DemiBold)
        width = QFontMetricsF(font).horizontalAdvance(translate("display", "No scores yet"))
        return QRectF(rect.right() - h * 0.4 - width, rect.top(), width, h)

    @staticmethod
    def _text(painter: QPainter, rect: QRectF, align: Qt.AlignmentFlag, text: str) -> None:
        metrics = QFontMetricsF(painter.font())
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, elided)


def _under_headings(top: float, row_height: float) -> float:
    """Return the opacity left to a row whose top is `top` below the headings' edge.

    A row a page turn slides under the headings fades out as it goes, gone once half hidden:
    cut off at full strength right under them, it read as drawn over them.
    """
    if top >= 0:
        return 1.0
    shown = (row_height + top) / row_height
    return max(0.0, min(1.0, (shown - 0.5) / 0.5)) ** 2


def _tint(base: QColor, accent: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        base.redF() + (accent.redF() - base.redF()) * amount,
        base.greenF() + (accent.greenF() - base.greenF()) * amount,
        base.blueF() + (accent.blueF() - base.blueF()) * amount,
    )


# --- the window --------------------------------------------------------------------------------


class DisplayWindow(PeerWindow):
    """The projector window: the leaderboard, or the connect panel until the display is paired."""

    ROLE = "display"
    MINIMUM = (640, 400)
    DEFAULT_SIZE = (1280, 720)
    VIEW_MENU = False

    def build(self) -> None:
        """Build the connect page and the board page; follow the controller."""
        controller = self.controller
        # The display is dark whatever the rest of the app uses (the demo runs it beside the
        # light console in one process).
        self.setStyleSheet(theme.style_sheet(dark=True))
        self.setObjectName("display")
        self.board: dict[str, Any] | None = None  # the board on screen
        self.mode = "live"
        self.status = controller.status
        # Every board received, by name (None: the main board), and what the host says to show
        # of them (docs/protocol.md 4e; None: an older host, so the main board only).
        self.boards: dict[BoardKey, dict[str, Any]] = {}
        self.control: dict[str, Any] | None = None
        self.current: BoardKey = None
        self.heading = ""  # the board's title on screen ("": the event's name)
        self.rotator = QTimer(self)
        self.rotator.timeout.connect(self.rotate)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.stack.addWidget(self._build_connect_page())
        self.stack.addWidget(self._build_board_page())

        controller.board_changed.connect(self.show_board)
        controller.named_board_changed.connect(self.show_board)
        controller.display_control_changed.connect(self.show_control)
        controller.board_withdrawn.connect(self.withdraw)
        controller.status_changed.connect(self.show_status)
        controller.welcomed.connect(self._welcomed)

        fullscreen = QShortcut(QKeySequence(Qt.Key.Key_F11), self)
        fullscreen.activated.connect(self.toggle_fullscreen)
        leave = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        leave.activated.connect(self.leave_fullscreen)
        # The next and the previous board of a rotation, by hand (the timer starts again).
        for key, step in ((Qt.Key.Key_Right, 1), (Qt.Key.Key_Left, -1)):
            turn = QShortcut(QKeySequence(key), self)
            turn.activated.connect(lambda step=step: self.turn_board(step))

        event = controller.welcome_info().get("event") or {}
        self.event_name = str(event.get("name") or "")
        self.show_public_page(event.get("public_page"))
        for named in controller.named_boards():
            self.boards[board_key(named.get("board"))] = named
        self.show_board(controller.last_board())
        self.show_control(controller.display_control())
        self.show_status(controller.status)
        self.start_on(self.board_page)

    # --- pages ---

    def _build_connect_page(self) -> QWidget:
        brand = QLabel(translate("display", "Tallyboard display"))
        brand.setAlignment(Qt.AlignmentFlag.AlignCenter)
        theme.set_role(brand, "boardSubtitle")
        brand.setAccessibleName(translate("display", "Tallyboard display"))
        self.wire_trust()
        self.connect_panel.setFixedWidth(620)
        self.connect_panel.setAccessibleName(translate("display", "Join as display"))
        self.connect_state = QLabel("")
        self.connect_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.connect_state.setAccessibleName(translate("display", "Connection state"))
        theme.set_role(self.connect_state, "link")
        page = self.centred(brand, self.connect_panel, self.connect_state, below=1)
        page.setObjectName("connectPage")
        self.connect_page = page
        return page

    def _build_board_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("boardPage")
        layout = QVBoxLayout(page)
        self._board_layout = layout
        layout.addLayout(self._board_header())
        self.banner = _board_label(
            translate("display", "Announcement"), "progressBanner", centred=True
        )
        layout.addWidget(self.banner)
        self.content = QStackedWidget()
        self.view = LeaderboardView()
        self.content.addWidget(self.view)
        self.content.addWidget(self._empty_page())
        layout.addWidget(self.content, 1)
        footer = QHBoxLayout()
        self.page_label = _board_label(translate("display", "Page"), "link")
        footer.addWidget(self.page_label)
        self.rotation_label = _board_label(
            translate("display", "Board shown, of the boards"), "link"
        )
        footer.addWidget(self.rotation_label)
        footer.addStretch(1)
        self.link_label = _board_label(translate("display", "Link to the host"), "link")
        footer.addWidget(self.link_label, 0, Qt.AlignmentFlag.AlignBottom)
        # The public page, for the audience's phones: its address and QR code in the corner.
        self.page_hint = _board_label(translate("display", "Public page"), "link")
        self.page_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        footer.addWidget(self.page_hint, 0, Qt.AlignmentFlag.AlignBottom)
        self.page_qr = QrCode(96)
        self.page_qr.setAccessibleName(translate("display", "QR code of the public page"))
        footer.addWidget(self.page_qr, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(footer)
        self.view.page_changed.connect(self._update_page_label)
        self.board_page = page
        return page

    def _board_header(self) -> QHBoxLayout:
        """Build the event's name, what the board shows, and its state tag."""
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title = _board_label(translate("display", "Event"), "boardTitle")
        # It wraps: a sponsor's name and the mode's line can be longer than the screen.
        self.subtitle = _board_label(
            translate("display", "What the board shows"), "boardSubtitle", wrap=True
        )
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        self.tag = _board_label(translate("display", "Board state"), "boardTag")
        header.addWidget(self.tag, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        return header

    def _empty_page(self) -> QWidget:
        """Build what shows instead of rows: a message, and what it means."""
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(2)
        self.empty_title = _board_label(
            translate("display", "Board message"), "emptyTitle", centred=True, wrap=True
        )
        self.empty_text = _board_label(
            translate("display", "Board message details"), "boardSubtitle", centred=True, wrap=True
        )
        empty_layout.addWidget(self.empty_title)
        empty_layout.addWidget(self.empty_text)
        empty_layout.addStretch(3)
        self.empty_page = empty
        return empty

    # --- what the controller says ---

    def show_board(self, board: dict[str, Any] | None) -> None:
        """Keep a leaderboard_update (the main board's or a named one's, 4e) and render it if
        it is the board on screen (None: nothing received yet)."""
        if board is None:
            if self.current is None and None not in self.boards:
                self._render(None)
            return
        key = board_key(board.get("board"))
        arrived = key not in self.boards
        self.boards[key] = board
        if arrived and self.current not in self.boards and key in self._order():
            # The board on screen is still awaited: show the first listed one that came.
            self.current = next_board(self._order(), self.boards, self.current)
            self.view.clear()
        if key == self.current:
            self._render(board)
        self._update_rotation()

    def withdraw(self, name: dict[str, Any] | None) -> None:
        """Drop a board the host took back (4e): off the screen at once, the rotation going on
        with the boards still held (the main board's withdrawal leaves "waiting")."""
        key = board_key(name)
        if self.boards.pop(key, None) is None:
            return
        if key == self.current:
            self.current = next_board(self._order(), self.boards, self.current)
            self.view.clear()
            self._render(self.boards.get(self.current))
        self._update_rotation()

    def show_control(self, control: dict[str, Any] | None) -> None:
        """Follow the host's display_control (4e): which boards, in which order, how long."""
        if control is None:
            return  # an older host: the main board only, as before
        before = self._order()
        self.control = control
        order = self._order()
        # A new list starts from its first board (the organiser sees the change at once); the
        # same list in another mode or with another dwell keeps the board on screen.
        if order != before:
            chosen = first_board(order, self.boards)
        else:
            chosen = next_board(order, self.boards, self.current, 0)
        if chosen != self.current:
            self.current = chosen
            self.view.clear()
        self._update_rotation(restart=True)
        self._render(self.boards.get(self.current))

    def rotate(self, step: int = 1) -> None:
        """Show the next board of the rotation (the timer's slot; `step` -1: the one before)."""
        chosen = next_board(self._order(), self.boards, self.current, step)
        if chosen != self.current:
            self.current = chosen
            self.view.clear()
            self._render(self.boards.get(chosen))
        self._update_rotation()

    def turn_board(self, step: int) -> None:
        """Turn the rotation by hand (Right, Left): the board reached gets a full dwell."""
        self.rotate(step)
        if self.rotator.isActive():
            self.rotator.start()

    def _order(self) -> list[BoardKey]:
        return control_order(self.control)

    def _update_rotation(self, restart: bool = False) -> None:
        """Run the rotation's timer while several boards are up (one board: no rotation)."""
        order = self._order()
        if len(rotation(order, self.boards)) > 1:
            interval = control_rotate(self.control) * 1000
            if restart or not self.rotator.isActive() or self.rotator.interval() != interval:
                self.rotator.start(interval)
        else:
            self.rotator.stop()
        self.rotation_label.setText(rotation_caption(order, self.boards, self.current))
        self.rotation_label.setVisible(bool(self.rotation_label.text()))

    def _render(self, board: dict[str, Any] | None) -> None:
        """Render the board on screen (None: it has not come yet)."""
        self.board = board
        awaited = (self.control or {}).get("mode") if board is None else None
        mode = awaited if awaited in MODES else board_mode(board)
        rows = board_rows(board)
        self.mode = mode
        self.view.set_board(mode, rows, animate=board is not None)
        welcome = self.controller.welcome_info()
        phase = board_phase(board, welcome)
        subtitle, tag, banner = headline(mode, phase)
        if mode == "reveal":
            tag = reveal_caption(self.view.rows())
        label = board_label(board, known_title(self.current, welcome))
        round_name = ""
        if several_rounds(welcome, self.boards):
            round_name = label.round_name
            round_name = round_name or (main_round_name(welcome) if self.current is None else "")
            # The first round's default name in the display's language (desktop.i18n).
            round_name = i18n.round_name(round_name, self.current[0] if self.current else None)
        self.heading, subtitle = board_heading(
            self.event_name, label, subtitle, round_name=round_name
        )
        self.subtitle.setText(subtitle)
        self.tag.setText(tag)
        self.tag.setVisible(bool(tag))
        still = mode in ("frozen", "reveal") or phase in ("locked", "released")
        theme.set_role(self.tag, "boardTagFrozen" if still else "boardTag")
        self.banner.setText(banner)
        self.banner.setVisible(bool(banner))
        known = board is not None or awaited == "reveal"  # a ceremony's next board: coming up
        empty = empty_state(mode, known) if not self.view.rows() else None
        if empty is not None:
            self.empty_title.setText(empty[0])
            self.empty_text.setText(empty[1])
            self.content.setCurrentWidget(self.empty_page)
        else:
            self.content.setCurrentWidget(self.view)
        self._update_title()
        self._update_page_label()
        self._update_link()

    def show_status(self, status: LinkStatus) -> None:
        """Render the link's state in the corner (and on the connect page)."""
        self.status = status
        self._update_link()
        if self.stack.currentWidget() is self.connect_page:
            self.connect_state.setText(
                ""
                if status.state == "idle"
                else "● " + translate("widgets", STATE_TEXT.get(status.state, ""))
            )
            theme.set_role(self.connect_state, status.state, "link")
        self.follow_link(status, self.board_page)

    def show_public_page(self, url: object) -> None:
        """Show the public page's address and QR code, or nothing when the host serves none."""
        shown = url if isinstance(url, str) and url.startswith("http://") else ""
        self.page_hint.setText(
            translate("display", "Follow on your phone:\n{url}").format(url=shown) if shown else ""
        )
        self.page_hint.setVisible(bool(shown))
        self.page_qr.setVisible(bool(shown))
        if shown != self.page_qr.text_shown:
            self.page_qr.show_text(shown)

    def _welcomed(self, welcome: dict[str, Any]) -> None:
        event = welcome.get("event") or {}
        self.event_name = str(event.get("name") or self.event_name)
        self.show_public_page(event.get("public_page"))
        self.welcomed_to(self.board_page)
        self._update_title()
        self._render(self.board)  # the phase may have changed while away

    # --- keys ---

    def toggle_fullscreen(self) -> None:
        """Enter or leave full screen (F11)."""
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def leave_fullscreen(self) -> None:
        """Leave full screen (Esc)."""
        if self.isFullScreen():
            self.showNormal()

    # --- rendering helpers ---

    def _update_title(self) -> None:
        self.title.setText(self.heading or self.event_name or translate("display", "Leaderboard"))
        self.setWindowTitle(
            translate("display", "{v0} — Display").format(v0=self.event_name or "Tallyboard")
        )

    def _update_page_label(self) -> None:  # also a slot: the view turned a page
        rows = self.view.rows() if self.mode != "reveal" else []
        self.page_label.setText(page_caption(self.view.page, len(rows), self.view.capacity()))

    def _update_link(self) -> None:
        when = local_clock((self.board or {}).get("timestamp"))
        self.link_label.setText("● " + link_caption(self.status.state, when))
        state = "online" if self.status.state == "online" else "offline"
        if self.status.state in ("connecting", "searching", "refused"):
            state = self.status.state
        theme.set_role(self.link_label, state, "link")
        self.link_label.setToolTip(self.status.last_error)

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self._scale()

    def _scale(self) -> None:
        """Size the type to the window: the same proportions on a laptop and a projector."""
        h, w = self.height(), self.width()
        unit = min(h, w * 9 / 16)
        margin = round(unit * 0.045)
        self._board_layout.setContentsMargins(margin * 2, margin, margin * 2, round(margin * 0.6))
        self._board_layout.setSpacing(round(unit * 0.014))
        _pixels(self.title, unit * 0.062, 800)
        _pixels(self.subtitle, unit * 0.028, 400)
        _pixels(self.tag, unit * 0.022, 700, padding=(unit * 0.008, unit * 0.02))
        _pixels(self.banner, unit * 0.03, 700, padding=(unit * 0.012, unit * 0.025))
        _pixels(self.empty_title, unit * 0.09, 800)
        _pixels(self.empty_text, unit * 0.03, 400)
        _pixels(self.page_label, unit * 0.017, 400)
        _pixels(self.rotation_label, unit * 0.017, 400)
        _pixels(self.link_label, unit * 0.017, 400)
        _pixels(self.page_hint, unit * 0.017, 400)
        most = max(64, round(unit * 0.15))
        if most != self.page_qr.most:
            self.page_qr.most = most
            self.page_qr.show_text(self.page_qr.text_shown)

    def keeps_geometry(self) -> bool:
        """Remember the window's size and place, but not full screen's."""
        return not self.isFullScreen()


def _board_label(name: str, role: str, *, centred: bool = False, wrap: bool = False) -> QLabel:
    """Return an empty label of the board page, named for screen readers."""
    label = QLabel("")
    if centred:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setAccessibleName(name)
    label.setWordWrap(wrap)
    theme.set_role(label, role)
    return label


def _pixels(
    label: QLabel, size: float, weight: int, padding: tuple[float, float] | None = None
) -> None:
    """Give a label a pixel font size (a style sheet, so no application sheet overrides it)."""
    style = f"font-size: {max(9, round(size))}px; font-weight: {weight};"
    if padding is not None:
        style += f" padding: {round(padding[0])}px {round(padding[1])}px;"
    label.setStyleSheet(style)
