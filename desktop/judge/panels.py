"""The judge window's other tabs and its toast: the leaderboard, the notifications."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFont,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import judge_model as jm
from desktop.boards import board_label
from desktop.i18n import round_name, translate
from desktop.judge import parts as ui
from desktop.theme import set_role
from storage.ops import FIRST_ROUND

TOAST_MS = 20_000

# --- leaderboard and notifications ----------------------------------------------------------------


def _card_layout(page: QWidget) -> QVBoxLayout:
    """Put a card on a tab page and return the card's layout."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 12, 0, 0)
    card, layout = ui.card((20, 16, 20, 16), 10)
    outer.addWidget(card)
    return layout


MAIN_BOARD = ""  # the picker's key of the event's main board (the message without `board`)


def board_key(message: Mapping[str, Any]) -> str:
    """Return the picker's key of a board message: its name's JSON, or MAIN_BOARD (4e)."""
    label = board_label(message)
    if not label.named:
        return MAIN_BOARD
    return json.dumps({"round": label.round, "prize": label.prize}, sort_keys=True)


def board_title(message: Mapping[str, Any] | None, first_round: str = "") -> str:
    """Return a board's title as the picker lists it: "Finals · Best use of AI (Acme)".

    A named board's title comes with it (docs/protocol.md 4e); the main board is the first
    round's overall one, named after `first_round` (a named board's title says it).
    """
    label = board_label(message)
    if not label.named:
        shown = round_name(first_round)
        return translate("judge", "{round} · Overall").format(round=shown)
    shown = round_name(label.round_name or label.round, label.round)
    if not label.prize:
        return translate("judge", "{round} · Overall").format(round=shown)
    prize_name = label.prize_name or label.prize
    if label.sponsor:
        return translate("judge", "{round} · {prize} ({sponsor})").format(
            round=shown, prize=prize_name, sponsor=label.sponsor
        )
    return translate("judge", "{round} · {prize}").format(round=shown, prize=prize_name)


class LeaderboardPanel(QWidget):
    """The live leaderboard, for events that let judges see results; with a picker of every
    round's and prize's board once the host sends them (docs/protocol.md 4e)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = _card_layout(self)
        self.updated = ui.label(
            translate("judge", "Waiting for the first leaderboard from the host…"), "hint"
        )
        self.updated.setAccessibleName(translate("judge", "Leaderboard updated"))
        layout.addLayout(
            ui.heading_row(
                ui.label(translate("judge", "Leaderboard"), "judgeSection"), self.updated
            )
        )
        # Every board received, by key, in the order first received: the main board first.
        self.boards: dict[str, Mapping[str, Any] | None] = {MAIN_BOARD: None}
        self.picker = QComboBox()
        self.picker.setAccessibleName(translate("judge", "Board"))
        self.picker.setToolTip(translate("judge", "Which board to show: a round's or a prize's"))
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.picker.hide()  # until a named board arrives: an event of one board looks as before
        self.picker.currentIndexChanged.connect(self._picked)
        layout.addWidget(self.picker, 0, Qt.AlignmentFlag.AlignLeft)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [
                translate("judge", "Rank"),
                translate("judge", "Team"),
                translate("judge", "Score"),
                translate("judge", "Final sheets"),
            ]
        )
        self.table.setAccessibleName(translate("judge", "Leaderboard"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setDefaultSectionSize(40)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.table, 1)

    @property
    def shown_key(self) -> str:
        """The key of the board shown (MAIN_BOARD with no picker)."""
        key = self.picker.currentData()
        return key if isinstance(key, str) else MAIN_BOARD

    def show_board(self, board: Mapping[str, Any] | None) -> None:
        """Keep the main board's `leaderboard_update`; render it if it is the one shown."""
        self.boards[MAIN_BOARD] = board
        self._list_boards()
        if self.shown_key == MAIN_BOARD:
            self._render(board)

    def show_named(self, message: Mapping[str, Any]) -> None:
        """Keep a named board's `leaderboard_update` (4e); render it if it is the one shown."""
        key = board_key(message)
        self.boards[key] = message
        self._list_boards()
        if self.shown_key == key:
            self._render(message)

    def withdraw(self, name: Mapping[str, Any] | None) -> None:
        """Drop a board the host took back (4e; None: the main board) and show what is left."""
        key = board_key({"board": name})
        if key == MAIN_BOARD:
            self.boards[MAIN_BOARD] = None
        else:
            self.boards.pop(key, None)
        shown = self.shown_key
        self._list_boards()
        if shown == key or self.shown_key != shown:
            self._render(self.boards.get(self.shown_key))

    def _first_round(self) -> str:
        for message in self.boards.values():
            label = board_label(message)
            titled = isinstance(message, Mapping) and isinstance(message.get("title"), Mapping)
            if titled and label.named and label.round == FIRST_ROUND:
                return label.round_name
        return ""

    def _ordered(self) -> list[str]:
        """Return the keys in the picker's order: rounds as first received, each round's
        overall board before its prizes' (the main board first of all)."""
        rounds: dict[str, int] = {FIRST_ROUND: 0}
        keyed: list[tuple[int, int, int, str]] = []
        for arrival, (key, message) in enumerate(self.boards.items()):
            label = board_label(message)
            if key == MAIN_BOARD or not label.named:
                keyed.append((0, 0, 0, MAIN_BOARD))
                continue
            place = rounds.setdefault(label.round, len(rounds))
            keyed.append((place, 1 if label.prize else 0, arrival, key))
        return [key for *_, key in sorted(keyed)]

    def _list_boards(self) -> None:
        """List every board in the picker, titled; show it once a named board is there."""
        named = any(key != MAIN_BOARD for key in self.boards)
        shown = self.shown_key
        first = self._first_round()
        self.picker.blockSignals(True)
        self.picker.clear()
        for key in self._ordered():
            self.picker.addItem(board_title(self.boards[key], first), key)
        self.picker.setCurrentIndex(max(self.picker.findData(shown), 0))
        self.picker.blockSignals(False)
        self.picker.setVisible(named)

    def _picked(self, _: int) -> None:
        self._render(self.boards.get(self.shown_key))

    def _render(self, board: Mapping[str, Any] | None) -> None:
        """Render a `leaderboard_update` message."""
        rows = jm.board_rows(board)
        self.table.setRowCount(len(rows))
        for number, values in enumerate(rows):
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if column == 2:
                    item.setFont(_bold(item.font()))
                self.table.setItem(number, column, item)
        self.table.setCurrentCell(-1, -1)  # no cell outline until the judge moves into the table
        if board:
            sent = jm.clock_text(jm.iso_ms(board.get("timestamp")))
            self.updated.setText(
                translate("judge", "Live · updated {sent}").format(sent=sent)
                if sent
                else translate("judge", "Live")
            )
        if self.picker.isVisible() or any(key != MAIN_BOARD for key in self.boards):
            self.table.setAccessibleName(
                translate("judge", "Leaderboard: {board}").format(board=self.picker.currentText())
            )


def _bold(font: QFont) -> QFont:
    font.setBold(True)
    return font


class NotificationPanel(QWidget):
    """The organiser's notifications, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = _card_layout(self)
        layout.addWidget(ui.label(translate("judge", "From the organiser"), "judgeSection"))
        self.list = QListWidget()
        set_role(self.list, "judgeNotes")
        self.list.setAccessibleName(translate("judge", "Notifications"))
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        self.empty = ui.label(
            translate("judge", "No notifications yet. Messages from the organiser appear here."),
            "hint",
        )
        layout.addWidget(self.empty)

    def show_notes(self, notes: Sequence[jm.Note]) -> None:
        """Show the notifications, newest first."""
        self.list.clear()
        for note in notes:
            when = jm.clock_text(note.sent_ms)
            item = QListWidgetItem(f"{note.message}\n{when}" if when else note.message)
            spoken = translate("judge", "{message}, sent {when}").format(
                message=note.message, when=when
            )
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            self.list.addItem(item)
        self.empty.setVisible(not notes)


class Toast(QFrame):
    """A notification as it arrives, above the work area, until dismissed or a while passes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "info", "judgeBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 6, 6)
        layout.setSpacing(12)
        badge = ui.label(translate("judge", "New message"), "judgeBadge")
        layout.addWidget(badge)
        self.text = ui.label("", wrap=True)
        self.text.setAccessibleName(translate("judge", "New notification"))
        layout.addWidget(self.text, 1)
        self.dismiss = QPushButton(translate("judge", "Dismiss"))
        self.dismiss.setAccessibleName(translate("judge", "Dismiss notification"))
        set_role(self.dismiss, "judgeFlat")
        layout.addWidget(self.dismiss)
        self.dismiss.clicked.connect(self.hide)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_notes(self, notes: Sequence[jm.Note]) -> None:
        """Show the newest of the notifications that just arrived."""
        if not notes:
            return
        newest = notes[0]
        more = f"   (+{len(notes) - 1} more in Notifications)" if len(notes) > 1 else ""
        when = jm.clock_text(newest.sent_ms)
        self.text.setText((f"{when}  ·  " if when else "") + f"{newest.message}{more}")
        self.show()
        self._timer.start(TOAST_MS)


class UpdatesBanner(QFrame):
    """Says once that final sheets need an update (a criterion added since), until dismissed.

    It comes back only when another sheet comes to need one; "Show them" brings them first.
    """

    show_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "warning", "judgeBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 6, 6)
        layout.setSpacing(12)
        self.text = ui.label("", wrap=True)
        self.text.setAccessibleName(translate("judge", "Sheets that need an update"))
        layout.addWidget(self.text, 1)
        self.show_button = QPushButton(translate("judge", "Show them first"))
        self.show_button.setAccessibleName(
            translate("judge", "Show the sheets that need an update")
        )
        layout.addWidget(self.show_button)
        self.dismiss = QPushButton(translate("judge", "Dismiss"))
        self.dismiss.setAccessibleName(translate("judge", "Dismiss the update notice"))
        set_role(self.dismiss, "judgeFlat")
        layout.addWidget(self.dismiss)
        self.show_button.clicked.connect(self.show_requested)
        self.dismiss.clicked.connect(self._dismissed)
        self._seen: set[tuple[str, str, tuple[str, ...]]] = set()
        self._current: set[tuple[str, str, tuple[str, ...]]] = set()
        self.hide()

    def show_updates(self, updates: Sequence[jm.Update]) -> None:
        """Show the notice while some sheet needs an update that the judge has not dismissed."""
        self._current = {(u.round_id, u.team_id, u.missing) for u in updates}
        text = jm.updates_banner(updates)
        self.text.setText(text or "")
        self.setVisible(text is not None and not self._current <= self._seen)

    def _dismissed(self) -> None:
        self._seen |= self._current
        self.hide()
