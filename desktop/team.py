"""The team window: a team's own page, its notifications, and its results once released.

A team receives no ops (PROTOCOL.md section 4): before the organiser releases the results it
knows only the event's phase (from the welcome) and the notifications meant for it. Once
released, it receives the leaderboard and the score sheets of its own team, without the judges'
names (docs/protocol.md 4a). The pure functions at the top decide what to say; the widgets show it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop import theme
from desktop.boards import board_label
from desktop.i18n import round_name, translate
from desktop.peer_window import PeerWindow
from storage.ops import FIRST_ROUND
from sync.peer import LinkStatus

log = logging.getLogger("tallyboard.desktop")

# --- what to say (no Qt) -----------------------------------------------------------------------


def prettify_id(identifier: str | None) -> str:
    """Return a readable name for an id the host gave no name for ("team-aurora" -> "Aurora")."""
    if not identifier:
        return translate("team", "Your team")
    words = re.sub(r"^team[-_.]", "", identifier, flags=re.IGNORECASE)
    words = re.sub(r"[-_.]+", " ", words).strip() or identifier
    return words[0].upper() + words[1:] if words.islower() else words


def own_row(board: dict[str, Any] | None, team: str | None) -> dict[str, Any] | None:
    """Return this team's row of a leaderboard, if it has one."""
    for row in (board or {}).get("data") or []:
        if isinstance(row, dict) and team is not None and row.get("team_id") == team:
            return row
    return None


def team_display_name(
    team: str | None, board: dict[str, Any] | None, scores: list[dict[str, Any]]
) -> str:
    """Return the team's name: from the leaderboard, else a sheet, else its id made readable."""
    row = own_row(board, team)
    if row is not None and row.get("team_name"):
        return str(row["team_name"])
    for sheet in scores:
        if sheet.get("team_id") == team and sheet.get("team_name"):
            return str(sheet["team_name"])
    return prettify_id(team)


def own_sheets(scores: list[dict[str, Any]], team: str | None) -> list[dict[str, Any]]:
    """Return this team's final sheets, in a stable order that says nothing about the judges."""
    mine = [s for s in scores if s.get("team_id") == team and s.get("final", True)]
    return sorted(mine, key=lambda s: str(s.get("sheet_id", "")))


def ranked_count(board: dict[str, Any] | None) -> int:
    """Return how many teams of a leaderboard have a rank."""
    return sum(1 for r in (board or {}).get("data") or [] if isinstance(r, dict) and r.get("rank"))


def ordinal(number: int) -> str:
    """Return 1st, 2nd, 3rd, 4th, 11th, 21st..."""
    # One text per English suffix, so that a language with one ordinal form ("1.º") maps all
    # four to it.
    if 10 <= number % 100 <= 20:
        text = translate("team", "{number}th")
    else:
        text = {
            1: translate("team", "{number}st"),
            2: translate("team", "{number}nd"),
            3: translate("team", "{number}rd"),
        }.get(number % 10) or translate("team", "{number}th")
    return text.format(number=number)


def format_score(value: object) -> str:
    """Return a criterion score as a judge gave it: no trailing zeros, at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_total(total: object) -> str:
    """Return a team's total with two decimals."""
    if isinstance(total, bool) or not isinstance(total, int | float):
        return "—"
    return f"{total:.2f}"


def criterion_label(criterion: str) -> str:
    """Return a criterion's label made from its id, when the welcome did not name it."""
    words = re.sub(r"[-_.]+", " ", criterion).strip() or criterion
    return words[0].upper() + words[1:] if words else criterion


def _parse_time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone() if moment.tzinfo is not None else moment


def order_notifications(notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return notifications newest first (by when the organiser sent them, else arrival)."""
    indexed = list(enumerate(notes))
    indexed.sort(key=lambda pair: (str(pair[1].get("sent") or ""), pair[0]), reverse=True)
    return [note for _, note in indexed]


def format_sent(sent: object, now: datetime | None = None) -> str:
    """Return when a notification was sent: hh:mm today, else the day too."""
    moment = _parse_time(sent)
    if moment is None:
        return ""
    now = now or datetime.now().astimezone()
    if moment.tzinfo is not None and now.tzinfo is None:
        now = now.astimezone()
    days = (now.date() - moment.date()).days
    if days == 0:
        return moment.strftime("%H:%M")
    if 0 < days < 7:
        return moment.strftime("%a %H:%M")
    return moment.strftime("%d %b %H:%M").lstrip("0")


def judging_status(phase: str | None, released: bool) -> tuple[str, str]:
    """Return what a team honestly knows of how judging is going: a headline and a line."""
    if released:
        return (
            translate("team", "Judging is complete"),
            translate(
                "team",
                "The organiser has released the results: your rank, total and every score sheet "
                "are below.",
            ),
        )
    private = translate(
        "team",
        "How many judges have scored you, and what they gave, stays private until the "
        "organiser releases the results.",
    )
    if phase == "setup":
        return translate("team", "Judging has not started yet"), private
    if phase == "scoring":
        return translate("team", "Judging is under way"), private
    if phase == "locked":
        return translate("team", "Judging has finished"), translate(
            "team", "The scores are in. Results will be released soon."
        )
    return translate("team", "Waiting for the host"), translate(
        "team", "Connect to the event's host to see how judging is going."
    )


def criteria_order(sheets: list[dict[str, Any]]) -> list[str]:
    """Return the criteria the sheets score, in the order the judges' sheets list them."""
    found: dict[str, None] = {}
    for sheet in sheets:
        for criterion in sheet.get("scores") or {}:
            found.setdefault(str(criterion), None)
    return list(found)


def criterion_mean(sheets: list[dict[str, Any]], criterion: str) -> float | None:
    """Return the mean of the scores the sheets give one criterion (None if none scores it)."""
    values = [
        float(v)
        for s in sheets
        if isinstance(v := (s.get("scores") or {}).get(criterion), int | float)
        and not isinstance(v, bool)
    ]
    return sum(values) / len(values) if values else None


def describe_sheet(index: int, sheet: dict[str, Any]) -> str:
    """Return one sheet as a sentence (for screen readers and copy)."""
    scores = sheet.get("scores") or {}
    parts = [f"{criterion_label(k)} {format_score(v)}" for k, v in scores.items()]
    listed = ", ".join(parts) or translate("team", "no scores")
    comment = str(sheet.get("comment") or "").strip()
    if comment:
        text = translate("team", "Sheet {index}: {scores}. Comment: {comment}")
    else:
        text = translate("team", "Sheet {index}: {scores}. No comment")
    return text.format(index=index, scores=listed, comment=comment)


# --- prizes and places (docs/protocol.md 4e) -------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One board a team is on: a round's overall board or a prize's, and its place there."""

    prize: str | None  # the prize's id; None: the round's overall board
    name: str
    sponsor: str
    received: bool  # whether the host sent this board (nothing is guessed for one it did not)
    rank: int | None = None
    shared: bool = False
    ranked: int = 0
    total: float | None = None


@dataclass(frozen=True)
class RoundPlaces:
    """A round's boards, as the team window lists them under the round's name."""

    round: str
    name: str
    places: tuple[Place, ...]


def place_on(board: dict[str, Any] | None, team: str | None) -> Place | None:
    """Return the team's rank (shared or not), the ranked count and its total on a board."""
    if board is None:
        return None
    rows = [r for r in board.get("data") or [] if isinstance(r, dict)]
    row = own_row(board, team)
    rank = row.get("rank") if row else None
    rank = rank if isinstance(rank, int) and not isinstance(rank, bool) else None
    total = row.get("total_score") if row else None
    shared = rank is not None and sum(1 for r in rows if r.get("rank") == rank) > 1
    return Place(
        None,
        "",
        "",
        True,
        rank,
        shared,
        ranked_count(board),
        float(total) if isinstance(total, int | float) and not isinstance(total, bool) else None,
    )


def place_text(place: Place) -> str:
    """Return a place as a team reads it: "2nd of 14, 84.20", "=3rd of 14, 80.00"."""
    if not place.received:
        return "—"
    if place.rank is None:
        return translate("team", "not ranked")
    shown = ordinal(place.rank)
    if place.shared:
        shown = translate("team", "={place}").format(place=shown)
    return translate("team", "{place} of {count}, {total}").format(
        place=shown, count=place.ranked, total=format_total(place.total)
    )


def describe_place(place: Place) -> str:
    """Return a place as one sentence: "Best use of AI — 2nd of 14, 84.20"."""
    if not place.received:
        return translate("team", "{board} — no result received").format(board=place.name)
    return translate("team", "{board} — {place}").format(board=place.name, place=place_text(place))


def team_places(
    event: dict[str, Any],
    named: list[dict[str, Any]],
    team: str | None,
    released: bool,
) -> list[RoundPlaces]:
    """Return the prizes a team is on and its place on each board received, round by round.

    The first round lists the welcome's prizes (docs/protocol.md 4e: the public prizes the team
    is on) even before any result; its overall board is the results card's. A later round is
    listed only once a board of it arrives (a finalist's), its overall board first.
    """
    rounds = [r for r in event.get("rounds") or [] if isinstance(r, dict) and r.get("id")]
    names = {str(r["id"]): round_name(r.get("name"), str(r["id"])) for r in rounds}
    prizes = [p for p in event.get("prizes") or [] if isinstance(p, dict) and p.get("id")]
    boards: dict[tuple[str, str | None], dict[str, Any]] = {}
    for message in named:
        label = board_label(message)
        if label.round == FIRST_ROUND and not released:
            continue
        boards[(label.round, label.prize)] = message
        if label.round not in names:
            names[label.round] = round_name(label.round_name, label.round)
    order = [FIRST_ROUND, *[r for r in names if r != FIRST_ROUND]]
    found: list[RoundPlaces] = []
    for round_id in order:
        places = _round_places(round_id, prizes, boards, team)
        if places:
            name = names.get(round_id) or round_name("", FIRST_ROUND)
            found.append(RoundPlaces(round_id, name, tuple(places)))
    return found


def _round_places(
    round_id: str,
    prizes: list[dict[str, Any]],
    boards: dict[tuple[str, str | None], dict[str, Any]],
    team: str | None,
) -> list[Place]:
    """Return one round's places: its overall board (a later round's), then each prize's."""
    listed: list[tuple[str | None, str, str]] = []
    if round_id != FIRST_ROUND:
        listed.append((None, translate("team", "Overall"), ""))
    listed += [
        (str(p["id"]), str(p.get("name") or p["id"]), str(p.get("sponsor") or "")) for p in prizes
    ]
    known = {prize for prize, _, _ in listed}
    for (board_round, prize), held in boards.items():
        if board_round == round_id and prize not in known:
            label = board_label(held)
            listed.append((prize, label.prize_name or str(prize), label.sponsor))
            known.add(prize)
    places: list[Place] = []
    for prize, name, sponsor in listed:
        message = boards.get((round_id, prize))
        if round_id != FIRST_ROUND and message is None:
            continue  # a later round shows only the boards the team was sent
        got = place_on(message, team)
        if got is None:
            places.append(Place(prize, name, sponsor, False))
        else:
            places.append(
                Place(prize, name, sponsor, True, got.rank, got.shared, got.ranked, got.total)
            )
    return places


def sheets_by_round(
    sheets: list[dict[str, Any]], event: dict[str, Any]
) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """Return the sheets grouped by round, in the rounds' order: (round id, its name, sheets)."""
    rounds = [
        str(r["id"]) for r in event.get("rounds") or [] if isinstance(r, dict) and r.get("id")
    ]
    names = {
        str(r["id"]): str(r.get("name") or "")
        for r in event.get("rounds") or []
        if isinstance(r, dict) and r.get("id")
    }
    groups: dict[str, list[dict[str, Any]]] = {}
    for sheet in sheets:
        groups.setdefault(str(sheet.get("round") or FIRST_ROUND), []).append(sheet)
    order = [r for r in [FIRST_ROUND, *rounds] if r in groups]
    order = list(dict.fromkeys(order + sorted(groups)))
    return [
        (r, round_name(names.get(r, "" if r == FIRST_ROUND else r), r), groups[r]) for r in order
    ]


# --- the window --------------------------------------------------------------------------------


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _card(title: str | None = None) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    theme.set_role(frame, "card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 18, 20, 20)
    layout.setSpacing(10)
    if title:
        label = QLabel(title)
        label.setAccessibleName(title)
        theme.set_role(label, "teamSection")
        layout.addWidget(label)
    return frame, layout


def _note_frame() -> tuple[QFrame, QVBoxLayout]:
    """Return a note's frame (a notification, a judge's comment) and its column."""
    frame = QFrame()
    theme.set_role(frame, "teamNote")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 8, 12, 10)
    layout.setSpacing(2)
    return frame, layout


def _average_rows(grid: QGridLayout, sheets: list[dict[str, Any]], criteria: list[str]) -> None:
    """Add a rule and each criterion's mean under the sheets' rows."""
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    theme.set_role(line, "teamRule")
    grid.addWidget(line, len(sheets) + 1, 0, 1, len(criteria) + 1)
    average_row = len(sheets) + 2
    grid.addWidget(
        _label(translate("team", "Average"), "teamSheetTitle", translate("team", "Average")),
        average_row,
        0,
    )
    for column, criterion in enumerate(criteria, 1):
        mean = criterion_mean(sheets, criterion)
        text = "—" if mean is None else f"{mean:.2f}"
        label = criterion_label(criterion)
        cell = _label(text, "teamAverage", translate("team", "Average {label}").format(label=label))
        grid.addWidget(cell, average_row, column, RIGHT)


def _hint(text: str, name: str) -> QLabel:
    """Return a wrapped hint: the small print under a card's title."""
    return _label(text, "hint", name, wrap=True)


def _label(text: str, role: str, name: str, *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    theme.set_role(label, role)
    label.setAccessibleName(name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _clear(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        if widget is not None:
            widget.hide()  # at once: deleteLater waits for the next loop turn
            widget.deleteLater()
        else:
            inner = item.layout()
            if inner is not None:
                _clear(inner)


class TeamWindow(PeerWindow):
    """A team's window: the connect panel until paired, then its page."""

    ROLE = "team"
    MINIMUM = (760, 520)
    DEFAULT_SIZE = (1100, 720)

    def build(self) -> None:
        """Build the connect page and the team's page; follow the controller."""
        controller = self.controller
        self.setObjectName("teamWindow")
        info = controller.welcome_info()
        event = info.get("event") or {}
        self.team: str | None = info.get("subject")
        self.event_name = str(event.get("name") or "")
        self.phase: str | None = event.get("phase")
        self.board = controller.last_board()
        self.released = self.board is not None or bool(own_sheets(controller.scores(), self.team))
        self.score_rows: list[list[QLabel]] = []  # per sheet: its label, then one per criterion
        self.comment_labels: list[QLabel] = []
        self.note_frames: list[QFrame] = []
        self.place_rows: list[tuple[QLabel, QLabel]] = []  # per board listed: its name, its place
        self.place_headings: list[QLabel] = []  # the prizes card's round names
        self._stale: set[int] = set()  # the named boards held at the last welcome (4e)
        self.sheet_headings: list[QLabel] = []  # the sheets card's round names

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.connect_panel.setAccessibleName(translate("team", "Join as team"))
        self.connect_panel.setFixedWidth(560)
        self.connect_page = self.centred(self.connect_panel)
        self.stack.addWidget(self.connect_page)
        self.page = self._build_page()
        self.stack.addWidget(self.page)

        self.add_link_bar()
        self.link_bar.pending.hide()  # a team never sends ops: "all saved work sent" means nothing
        self.link_bar.show_status(controller.status)

        controller.status_changed.connect(self.show_status)
        controller.welcomed.connect(self._welcomed)
        controller.board_changed.connect(self._board_changed)
        controller.named_board_changed.connect(self._named_board_changed)
        controller.board_withdrawn.connect(self._board_withdrawn)
        controller.scores_changed.connect(self._scores_changed)
        controller.notification.connect(self._notified)

        self.start_on(self.page)
        self.refresh()

    # --- layout ---

    def _build_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.page_layout = layout
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(16)
        layout.addWidget(self._header())
        body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body = body
        body.setSpacing(16)
        left = QWidget()
        self.left = left
        left.installEventFilter(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        column.addWidget(self._judging_card())
        column.addWidget(self._results_card())
        column.addWidget(self._prizes_card())
        column.addWidget(self._sheets_card())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("teamScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(left)
        scroll.setAccessibleName(translate("team", "Judging and results"))
        scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        body.addWidget(scroll, 3)
        body.addWidget(self._notes_card(), 2)
        layout.addLayout(body, 1)
        return page

    def _header(self) -> QFrame:
        """Build the team's name, the event's, and whether results are out."""
        header, head = _card()
        head.setContentsMargins(24, 18, 24, 18)
        row = QHBoxLayout()
        names = QVBoxLayout()
        names.setSpacing(2)
        self.name_label = _label("", "teamName", translate("team", "Team"))
        self.event_label = _label("", "subtitle", translate("team", "Event"))
        names.addWidget(self.name_label)
        names.addWidget(self.event_label)
        row.addLayout(names, 1)
        self.phase_pill = _label("", "teamPill", translate("team", "Results"))
        row.addWidget(self.phase_pill, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addLayout(row)
        return header

    def _judging_card(self) -> QFrame:
        progress, progress_layout = _card(translate("team", "How judging is going"))
        self.judging_card = progress
        self.judging_title = _label("", "teamMessage", translate("team", "How judging is going"))
        self.judging_text = _label("", "hint", translate("team", "Judging details"), wrap=True)
        progress_layout.addWidget(self.judging_title)
        progress_layout.addWidget(self.judging_text)
        return progress

    def _results_card(self) -> QFrame:
        """Build the results: a waiting note until released, then rank, total and judges."""
        results, results_layout = _card(translate("team", "Your results"))
        item = results_layout.itemAt(0)
        title = item.widget() if item is not None else None
        assert isinstance(title, QLabel)
        self.results_title = title
        self.results_stack = QStackedWidget()
        waiting = QWidget()
        waiting.setObjectName("teamPane")
        waiting_layout = QVBoxLayout(waiting)
        waiting_layout.setContentsMargins(0, 0, 0, 0)
        self.waiting_title = _label(
            translate("team", "Results are not released yet"),
            "teamMessage",
            translate("team", "Results"),
        )
        self.waiting_text = _label(
            translate(
                "team",
                "When the organiser releases them, your rank, your total and each judge's scores "
                "and comments appear here.",
            ),
            "hint",
            translate("team", "About the results"),
            wrap=True,
        )
        waiting_layout.addWidget(self.waiting_title)
        waiting_layout.addWidget(self.waiting_text)
        waiting_layout.addStretch(1)
        self.results_stack.addWidget(waiting)
        stats = QWidget()
        stats.setObjectName("teamPane")
        stats_layout = QHBoxLayout(stats)
        stats_layout.setContentsMargins(0, 0, 0, 0)
        stats_layout.setSpacing(12)
        self.rank_value, self.rank_note = self._stat(stats_layout, translate("team", "Rank"))
        self.total_value, self.total_note = self._stat(stats_layout, translate("team", "Total"))
        self.judges_value, self.judges_note = self._stat(stats_layout, translate("team", "Judges"))
        self.results_stack.addWidget(stats)
        self.results_stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        results_layout.addWidget(self.results_stack)
        return results

    def _prizes_card(self) -> QFrame:
        """Build the prizes the team is in and, once released, its place on each board."""
        prizes, prizes_layout = _card(translate("team", "Prizes"))
        self.prizes_hint = _hint("", translate("team", "About the prizes"))
        prizes_layout.addWidget(self.prizes_hint)
        self.prizes_box = QVBoxLayout()
        self.prizes_box.setSpacing(6)
        prizes_layout.addLayout(self.prizes_box)
        self.prizes_card = prizes
        return prizes

    def _sheets_card(self) -> QFrame:
        sheets, sheets_layout = _card(translate("team", "Score sheets"))
        self.sheets_hint = _hint(
            translate(
                "team", "Each sheet is one judge's scores; the judges' names are not shared."
            ),
            translate("team", "About the score sheets"),
        )
        sheets_layout.addWidget(self.sheets_hint)
        self.sheets_box = QVBoxLayout()
        self.sheets_box.setSpacing(8)
        sheets_layout.addLayout(self.sheets_box)
        self.sheets_card = sheets
        return sheets

    def _notes_card(self) -> QFrame:
        """Build the notifications: a count, an empty note, and the list, newest first."""
        notes, notes_layout = _card()
        title_row = QHBoxLayout()
        notes_title = _label(
            translate("team", "Notifications"), "teamSection", translate("team", "Notifications")
        )
        title_row.addWidget(notes_title)
        title_row.addStretch(1)
        self.notes_count = _label("", "hint", translate("team", "Number of notifications"))
        title_row.addWidget(self.notes_count)
        notes_layout.addLayout(title_row)
        self.notes_empty = _hint(
            translate(
                "team", "Nothing yet. Messages from the organiser appear here, newest first."
            ),
            translate("team", "No notifications"),
        )
        notes_layout.addWidget(self.notes_empty)
        notes_scroll = QScrollArea()
        notes_scroll.setWidgetResizable(True)
        notes_scroll.setFrameShape(QFrame.Shape.NoFrame)
        notes_scroll.setAccessibleName(translate("team", "Notifications, newest first"))
        notes_scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        notes_holder = QWidget()
        notes_holder.setObjectName("notesHolder")
        self.notes_box = QVBoxLayout(notes_holder)
        self.notes_box.setContentsMargins(0, 0, 4, 0)
        self.notes_box.setSpacing(8)
        notes_scroll.setWidget(notes_holder)
        notes_layout.addWidget(notes_scroll, 1)
        return notes

    def _stat(self, row: QHBoxLayout, name: str) -> tuple[QLabel, QLabel]:
        tile = QFrame()
        theme.set_role(tile, "teamTile")
        layout = QVBoxLayout(tile)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(2)
        caption = _label(name.upper(), "teamStatLabel", name)
        value = _label("—", "teamStat", name)
        note = _label("", "hint", translate("team", "{name} details").format(name=name))
        layout.addWidget(caption)
        layout.addWidget(value)
        layout.addWidget(note)
        row.addWidget(tile, 1)
        return value, note

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the page readable at every width (see `_fit_body`)."""
        super().resizeEvent(event)
        if hasattr(self, "body"):  # a resize may come before the page is built
            self._fit_body()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Fit the page again once the results column has laid out what it was given (new
        labels take their style's fonts, and so their widths, only then)."""
        if watched is self.left and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self, self._fit_body)
        return super().eventFilter(watched, event)

    def _fit_body(self) -> None:
        """Put the notifications under the results when beside them the results would not fit
        (a narrow window: tiles and score columns cut off), else beside them as usual."""
        margins = self.page_layout.contentsMargins()
        inner = self.width() - margins.left() - margins.right()  # the page spans the window
        beside = (inner - self.body.spacing()) * 3 / 5  # the results column's share beside
        need = self.left.minimumSizeHint().width() + self.style().pixelMetric(
            QStyle.PixelMetric.PM_ScrollBarExtent
        )
        direction = (
            QBoxLayout.Direction.TopToBottom if beside < need else QBoxLayout.Direction.LeftToRight
        )
        if self.body.direction() != direction:
            self.body.setDirection(direction)

    # --- what the controller says ---

    def show_status(self, status: LinkStatus) -> None:
        """Show the link's state; on the connect page, why connecting failed."""
        self.link_bar.show_status(status)
        if self.team is None and status.subject:
            self.team = status.subject
        self.follow_link(status, self.page)

    def _welcomed(self, welcome: dict[str, Any]) -> None:
        event = welcome.get("event") or {}
        self.team = welcome.get("subject") or self.team
        self.event_name = str(event.get("name") or self.event_name)
        self.phase = event.get("phase") or self.phase
        # The welcome is the freshest word on the phase: results the host has since taken back
        # are not shown, whatever this device kept.
        self.released = self.phase == "released"
        # A team starts afresh at each welcome (docs/protocol.md 4e): boards held from before
        # are shown again only when the host sends them again.
        self._stale = {id(m) for m in self.controller.named_boards()}
        self.welcomed_to(self.page)
        self.refresh()

    def _board_changed(self, board: dict[str, Any]) -> None:
        self.board = board
        self.released = True  # a team receives a leaderboard only once results are released
        self.phase = "released"
        self.refresh()

    def _named_board_changed(self, _: dict[str, Any]) -> None:
        # A named board is sent only once its round is released (4e); the first round's is
        # released with the main board, so only that one says the results are out.
        self._show_places()

    def _board_withdrawn(self, name: dict[str, Any] | None) -> None:
        """A board the host took back (4e; the link dropped it): the main one means the results
        were taken back, so the page no longer shows them (nor the sheets), as before release."""
        if name is None:
            self.board = None
            self.released = False
            if self.phase == "released":
                self.phase = "locked"  # its best guess: results held back after judging
            self.refresh()
        else:
            self._show_places()

    def _scores_changed(self) -> None:
        self.released = True
        self.phase = "released"
        self.refresh()

    def _notified(self, _: dict[str, Any]) -> None:
        self._show_notifications()

    # --- rendering ---

    def refresh(self) -> None:
        """Render everything from what the controller holds."""
        scores = self.controller.scores()
        board = self.board if self.released else None
        name = team_display_name(self.team, board, scores if self.released else [])
        known = self.controller.welcome_info().get("subject_name")
        if isinstance(known, str) and known and name == prettify_id(self.team):
            name = known  # the welcome names the team, before any result does
        self.name_label.setText(name)
        self.setWindowTitle(translate("team", "{name} — Tallyboard").format(name=name))
        self.event_label.setText(
            translate("team", "{event_name} · team page").format(event_name=self.event_name)
            if self.event_name
            else translate("team", "Team page")
        )
        self.phase_pill.setText(
            translate("team", "Results released")
            if self.released
            else translate("team", "Results not released")
        )
        theme.set_role(self.phase_pill, "released" if self.released else "waiting", "tone")
        headline, detail = judging_status(self.phase, self.released)
        self.judging_title.setText(headline)
        self.judging_text.setText(detail)
        self._show_results(board, own_sheets(scores, self.team) if self.released else [])
        self._show_places()
        self._show_notifications()
        self._fit_body()

    def _show_results(self, board: dict[str, Any] | None, sheets: list[dict[str, Any]]) -> None:
        row = own_row(board, self.team)
        self.results_stack.setCurrentIndex(1 if self.released else 0)
        if self.released:
            rank = row.get("rank") if row else None
            teams = ranked_count(board)
            self.rank_value.setText(ordinal(rank) if isinstance(rank, int) else "—")
            self.rank_note.setText(
                (
                    translate("team", "of 1 team")
                    if teams == 1
                    else translate("team", "of {teams} teams").format(teams=teams)
                )
                if teams
                else translate("team", "not ranked")
            )
            self.total_value.setText(format_total(row.get("total_score") if row else None))
            self.total_note.setText(translate("team", "mean of the final sheets"))
            count = row.get("judge_count") if row else len(sheets)
            count = count if isinstance(count, int) else len(sheets)
            self.judges_value.setText(str(count))
            self.judges_note.setText(
                translate("team", "judge scored you")
                if count == 1
                else translate("team", "judges scored you")
            )
            for label, text in (
                (
                    self.rank_value,
                    translate("team", "Rank: {rank} {note}").format(
                        rank=self.rank_value.text(), note=self.rank_note.text()
                    ),
                ),
                (
                    self.total_value,
                    translate("team", "Total: {total}").format(total=self.total_value.text()),
                ),
                (self.judges_value, translate("team", "Judges: {count}").format(count=count)),
            ):
                label.setAccessibleDescription(text)
        self.judging_card.setVisible(not self.released)
        self.sheets_card.setVisible(self.released)
        self._show_sheets(sheets)

    def _show_sheets(self, sheets: list[dict[str, Any]]) -> None:
        _clear(self.sheets_box)
        self.score_rows, self.comment_labels = [], []
        self.sheet_headings = []
        if not sheets:
            self.sheets_box.addWidget(
                _label(
                    translate("team", "No score sheets received yet."),
                    "hint",
                    translate("team", "Sheets"),
                )
            )
            return
        event = self.controller.welcome_info().get("event") or {}
        known = [c for c in event.get("criteria") or [] if isinstance(c, dict) and "id" in c]
        names = {str(c["id"]): str(c.get("name") or c["id"]) for c in known}
        groups = sheets_by_round(sheets, event)
        # An event of one round shows its sheets as it always did; with a later round's sheets,
        # each round's come under its name (docs/protocol.md 4e).
        titled = len(groups) > 1 or any(round_id != FIRST_ROUND for round_id, _, _ in groups)
        for number, (_, title, group) in enumerate(groups):
            if titled:
                if number:
                    self.sheets_box.addSpacing(10)
                heading = _label(
                    title,
                    "teamSection",
                    translate("team", "Score sheets · {round}").format(round=title),
                )
                self.sheet_headings.append(heading)
                self.sheets_box.addWidget(heading)
            scored = criteria_order(group)
            # The event's own order and names (from the welcome), then anything it did not list.
            criteria = [c for c in names if c in scored] + [c for c in scored if c not in names]
            self.sheets_box.addWidget(self._sheet_table(group, criteria, names))
            self._show_comments(group)

    def _show_places(self) -> None:
        """List the prizes (before any result) and the team's place on each board received."""
        _clear(self.prizes_box)
        self.place_rows = []
        self.place_headings = []
        event = self.controller.welcome_info().get("event") or {}
        # What a welcome finds held is from before it: the host sends again what still stands.
        named = [m for m in self.controller.named_boards() if id(m) not in self._stale]
        found = team_places(event, named, self.team, self.released)
        several = len(event.get("rounds") or []) > 1
        self.results_title.setText(
            translate("team", "Your results · {round}").format(
                round=round_name((event.get("rounds") or [{}])[0].get("name"), FIRST_ROUND)
            )
            if several
            else translate("team", "Your results")
        )
        self.prizes_card.setVisible(bool(found))
        if not found:
            return
        received = any(place.received for group in found for place in group.places)
        self.prizes_hint.setText(
            translate("team", "Your place on each board the organiser has released.")
            if received
            else translate(
                "team",
                "The prizes your team competes for. Your place on each appears here once the "
                "organiser releases the results.",
            )
        )
        for number, group in enumerate(found):
            if several or len(found) > 1:
                heading = _label(group.name, "teamSheetTitle", group.name)
                if number:
                    self.prizes_box.addSpacing(8)
                self.prizes_box.addWidget(heading)
                self.place_headings.append(heading)
            for place in group.places:
                self.prizes_box.addWidget(self._place_row(place))

    def _place_row(self, place: Place) -> QFrame:
        """Build one board's line: the prize's name and sponsor, then the team's place."""
        frame = QFrame()
        theme.set_role(frame, "teamNote")
        row = QHBoxLayout(frame)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(12)
        names = QVBoxLayout()
        names.setSpacing(0)
        name = _label(place.name, "teamSheetTitle", place.name, wrap=True)
        names.addWidget(name)
        if place.sponsor:
            names.addWidget(
                _label(
                    translate("team", "Sponsored by {sponsor}").format(sponsor=place.sponsor),
                    "hint",
                    translate("team", "Sponsor"),
                    wrap=True,
                )
            )
        row.addLayout(names, 1)
        shown = place_text(place) if place.received or self.released else ""
        value = _label(shown, "teamScore", describe_place(place))
        value.setAlignment(RIGHT)
        row.addWidget(value, 0, RIGHT)
        frame.setAccessibleName(describe_place(place) if place.received else place.name)
        self.place_rows.append((name, value))
        return frame

    def _sheet_table(
        self, sheets: list[dict[str, Any]], criteria: list[str], names: dict[str, str]
    ) -> QFrame:
        """Build the grid of scores: a column per criterion, a row per sheet, then averages."""
        table = QFrame()
        theme.set_role(table, "teamSheet")
        table.setAccessibleName(translate("team", "Scores per sheet"))
        table.setAccessibleDescription(
            ". ".join(describe_sheet(i, sheet) for i, sheet in enumerate(sheets, 1))
        )
        grid = QGridLayout(table)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(6)
        for column, criterion in enumerate(criteria, 1):
            label = names.get(criterion) or criterion_label(criterion)
            heading = _label(
                label.upper(),
                "teamStatLabel",
                translate("team", "Criterion {label}").format(label=label),
            )
            grid.addWidget(heading, 0, column, RIGHT)
        for index, sheet in enumerate(sheets, 1):
            scores = sheet.get("scores") or {}
            name = _label(
                translate("team", "Sheet {index}").format(index=index),
                "teamCriterion",
                translate("team", "Sheet {index}").format(index=index),
            )
            name.setAccessibleDescription(describe_sheet(index, sheet))
            row = [name]
            grid.addWidget(name, index, 0)
            for column, criterion in enumerate(criteria, 1):
                label = names.get(criterion) or criterion_label(criterion)
                cell = _label(
                    format_score(scores.get(criterion)),
                    "teamScore",
                    translate("team", "Sheet {index}, {label}").format(index=index, label=label),
                )
                grid.addWidget(cell, index, column, RIGHT)
                row.append(cell)
            self.score_rows.append(row)
        if len(sheets) > 1:
            _average_rows(grid, sheets, criteria)
        grid.setColumnStretch(0, 1)
        return table

    def _show_comments(self, sheets: list[dict[str, Any]]) -> None:
        comments = [(i, str(s.get("comment") or "").strip()) for i, s in enumerate(sheets, 1)]
        comments = [(i, text) for i, text in comments if text]
        self.sheets_box.addSpacing(6)
        self.sheets_box.addWidget(
            _label(
                translate("team", "What the judges wrote"),
                "teamSheetTitle",
                translate("team", "Comments"),
            )
        )
        if not comments:
            self.sheets_box.addWidget(
                _label(
                    translate("team", "The judges left no comments."),
                    "hint",
                    translate("team", "Comments"),
                )
            )
        for index, text in comments:
            frame, layout = _note_frame()
            layout.addWidget(
                _label(
                    translate("team", "SHEET {index}").format(index=index),
                    "teamTime",
                    translate("team", "Sheet {index}").format(index=index),
                )
            )
            quote = _label(
                f"“{text}”",
                "teamQuote",
                translate("team", "Sheet {index} comment").format(index=index),
                wrap=True,
            )
            layout.addWidget(quote)
            self.comment_labels.append(quote)
            self.sheets_box.addWidget(frame)

    def _show_notifications(self) -> None:
        notes = order_notifications(self.controller.notifications())
        self.notes_empty.setVisible(not notes)
        self.notes_count.setText(f"{len(notes)}" if notes else "")
        _clear(self.notes_box)
        self.note_frames = [self._note_widget(note) for note in notes]
        for frame in self.note_frames:
            self.notes_box.addWidget(frame)
        self.notes_box.addStretch(1)

    @staticmethod
    def _note_widget(note: dict[str, Any]) -> QFrame:
        frame, layout = _note_frame()
        when = format_sent(note.get("sent"))
        if note.get("audience") in ("all", "teams"):
            audience = translate("team", "to every team")
        else:
            audience = translate("team", "to your team")
        shown = translate("team", "{when} · {audience}").format(when=when, audience=audience)
        meta = _label(shown if when else audience, "teamTime", translate("team", "Sent"))
        text = _label(
            str(note.get("message", "")),
            "teamNoteText",
            translate("team", "Notification"),
            wrap=True,
        )
        frame.setAccessibleName(translate("team", "Notification {when}").format(when=when).strip())
        frame.setAccessibleDescription(str(note.get("message", "")))
        layout.addWidget(meta)
        layout.addWidget(text)
        return frame
