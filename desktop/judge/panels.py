"""The judge window's other tabs and its toast: the leaderboard, the notifications."""

from __future__ import annotations

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
from desktop.i18n import translate
from desktop.judge import parts as ui
from desktop.theme import set_role

TOAST_MS = 20_000

# --- leaderboard and notifications ----------------------------------------------------------------


def _card_layout(page: QWidget) -> QVBoxLayout:
    """Put a card on a tab page and return the card's layout."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 12, 0, 0)
    card, layout = ui.card((20, 16, 20, 16), 10)
    outer.addWidget(card)
    return layout


class LeaderboardPanel(QWidget):
    """The live leaderboard, for events that let judges see results."""

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

    def show_board(self, board: Mapping[str, Any] | None) -> None:
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
