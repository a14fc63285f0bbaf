"""The console's Overview page: figures at a glance, the leaderboard, progress, notifications."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import host_model as model
from desktop import theme
from desktop.host import parts as ui
from desktop.i18n import QT_TRANSLATE_NOOP, translate
from desktop.theme import set_role
from storage.admin import JudgeProgress

TILES = (
    ("teams", QT_TRANSLATE_NOOP("host", "Teams")),
    ("judges", QT_TRANSLATE_NOOP("host", "Judges")),
    ("sheets", QT_TRANSLATE_NOOP("host", "Final sheets")),
    ("online", QT_TRANSLATE_NOOP("host", "Devices online")),
)


class OverviewPage(ui.Page):
    """Figures at a glance, the live leaderboard, each judge's progress and notifications."""

    # A notification to send: audience, its one judge or team (or None), the text, and the
    # words that name who gets it ("Fjord", "All judges").
    notify_requested = Signal(str, object, str, str)
    says = Signal(str)  # a short line for the status bar
    team_requested = Signal(str)  # a leaderboard row was opened (Enter, double-click)
    judge_requested = Signal(str)  # a judge's progress row was opened

    def __init__(self) -> None:
        super().__init__(
            translate("host", "Overview"),
            translate("host", "The live results as the host holds them now."),
        )
        self.shown = model.OverviewView({}, [], [], {}, "")
        self.content.addLayout(self._tiles())
        columns = QHBoxLayout()
        columns.setSpacing(16)
        board_card, board = ui.card(
            translate("host", "Leaderboard"),
            translate("host", "Ranked by total; teams without a final sheet last."),
        )
        self.board = ui.table(
            [
                translate("host", "Rank"),
                translate("host", "Team"),
                translate("host", "Total"),
                translate("host", "Judges"),
            ],
            translate("host", "Leaderboard"),
        )
        self.board.setMinimumHeight(360)
        board.addWidget(self.board, 1)
        columns.addWidget(board_card, 3)
        side = QVBoxLayout()
        side.setSpacing(16)
        progress_card, progress = ui.card(
            translate("host", "Judge progress"),
            translate("host", "Final sheets of the teams each may score."),
        )
        self.progress = ui.table(
            [translate("host", "Judge"), translate("host", "Done"), translate("host", "Drafts")],
            translate("host", "Judge progress"),
            stretch=1,
        )
        self.progress.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.progress.setColumnWidth(0, 170)
        self.progress.setMinimumHeight(200)
        progress.addWidget(self.progress, 1)
        side.addWidget(progress_card, 1)
        side.addWidget(self._notify_card())
        columns.addLayout(side, 2)
        self.content.addLayout(columns, 1)

        self.board.activated.connect(lambda index: _open(self.board, index, self.team_requested))
        self.progress.activated.connect(
            lambda index: _open(self.progress, index, self.judge_requested)
        )
        self.audience.currentIndexChanged.connect(self._fill_targets)
        self.send.clicked.connect(self.send_notification)
        self.message.returnPressed.connect(self.send_notification)

    def _tiles(self) -> QHBoxLayout:
        tiles = QHBoxLayout()
        tiles.setSpacing(16)
        self.tiles: dict[str, tuple[QLabel, QLabel]] = {}
        for key, source in TILES:
            caption = translate("host", source)
            card, layout = ui.card()
            layout.setSpacing(2)
            value = ui.label("0", "stat")
            value.setAccessibleName(caption)
            note = ui.label("", "hint")
            layout.addWidget(ui.label(caption, "caption"))
            layout.addWidget(value)
            layout.addWidget(note)
            tiles.addWidget(card)
            self.tiles[key] = (value, note)
        return tiles

    def _notify_card(self) -> QFrame:
        notify_card, notify = ui.card(translate("host", "Send a notification"))
        to_row = QHBoxLayout()
        self.audience = QComboBox()
        self.audience.setAccessibleName(translate("host", "Send to"))
        for key, text in model.AUDIENCES:
            self.audience.addItem(translate("host", text), key)
        self.target = QComboBox()
        self.target.setAccessibleName(translate("host", "Recipient"))
        self.target.setMinimumWidth(180)
        to_row.addWidget(ui.label(translate("host", "To")))
        to_row.addWidget(self.audience)
        to_row.addWidget(self.target, 1)
        notify.addLayout(to_row)
        send_row = QHBoxLayout()
        self.message = QLineEdit()
        self.message.setAccessibleName(translate("host", "Notification message"))
        self.message.setPlaceholderText(translate("host", "e.g. Lunch is served in the atrium"))
        self.message.setMaxLength(1000)
        self.send = ui.button(
            translate("host", "Send"), translate("host", "Send the notification"), "primary"
        )
        send_row.addWidget(self.message, 1)
        send_row.addWidget(self.send)
        notify.addLayout(send_row)
        notify.addWidget(ui.label(translate("host", "Recently sent"), "caption"))
        self.recent = ui.label("", "hint", wrap=True)
        self.recent.setAccessibleName(translate("host", "Recent notifications"))
        self.recent.setTextFormat(Qt.TextFormat.PlainText)
        notify.addWidget(self.recent)
        return notify_card

    def show_overview(self, view: model.OverviewView) -> None:
        """Show the tiles, leaderboard, progress, recipients and recent notifications of `view`."""
        self.shown = view
        for key, (value, note) in view.figures.items():
            self.tiles[key][0].setText(value)
            self.tiles[key][1].setText(note)
        ui.fill(self.board, [(line.team_id, _board_cells(line)) for line in view.board])
        self._show_progress(view.progress)
        self._fill_targets()
        self.recent.setText(view.recent)

    def show_sent(self) -> None:
        """Clear the typed message: the host took it."""
        self.message.clear()

    def _show_progress(self, progress_rows: list[JudgeProgress]) -> None:
        ui.fill(
            self.progress,
            [(row.judge, [row.name, "", str(row.drafts)]) for row in progress_rows],
        )
        for index, row in enumerate(progress_rows):
            bar = QProgressBar()
            set_role(bar, "meter")
            bar.setRange(0, max(1, row.expected))
            bar.setValue(min(row.final, max(1, row.expected)))
            # The count beside the bar, not over it: dark text on the fill was unreadable.
            bar.setTextVisible(False)
            bar.setFormat(
                translate("host", "{final} of {expected}").format(
                    final=row.final, expected=row.expected
                )
            )
            bar.setAccessibleName(
                translate("host", "{name}: {final} of {expected} final").format(
                    name=row.name, final=row.final, expected=row.expected
                )
            )
            bar.setMinimumWidth(90)
            count = QLabel(
                translate("host", "{final} of {expected}").format(
                    final=row.final, expected=row.expected
                )
            )
            count.setAccessibleName(translate("host", "{name}: final sheets").format(name=row.name))
            holder = QWidget()
            holder.setObjectName("cell")
            line = QHBoxLayout(holder)
            line.setContentsMargins(8, 0, 8, 0)
            line.addWidget(bar, 1, Qt.AlignmentFlag.AlignVCenter)
            line.addWidget(count, 0, Qt.AlignmentFlag.AlignVCenter)
            self.progress.setCellWidget(index, 1, holder)

    def _fill_targets(self) -> None:
        audience = self.audience.currentData()
        chosen = self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        entities = self.shown.targets.get(audience, []) if audience in ("judge", "team") else []
        for entity_id, name in entities:
            self.target.addItem(name, entity_id)
        self.target.setEnabled(bool(entities))
        if not entities:
            self.target.addItem("—", None)
        index = self.target.findData(chosen)
        if index >= 0:
            self.target.setCurrentIndex(index)
        self.target.blockSignals(False)

    def send_notification(self) -> None:
        """Ask to send the message to the chosen audience."""
        text = self.message.text().strip()
        if not text:
            self.says.emit(translate("host", "Type a message first."))
            return
        audience = self.audience.currentData()
        who = self.audience.currentText()
        if audience in ("judge", "team"):
            who = self.target.currentText()
        self.notify_requested.emit(audience, self.target.currentData(), text, who)


def _board_cells(line: model.BoardLine) -> list[QTableWidgetItem | str]:
    """Return a leaderboard row's cells: the total right-aligned, the first three in bold."""
    cells = [
        ui.item(line.rank),
        ui.item(line.team),
        ui.item(line.total, color=theme.colour("muted") if line.total == "—" else None),
        ui.item(line.judges),
    ]
    cells[2].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if line.rank in ("1", "2", "3"):
        for cell in cells[:3]:
            font = cell.font()
            font.setBold(True)
            cell.setFont(font)
    return list(cells)


def _open(table: QTableWidget, index: QModelIndex, wanted: SignalInstance) -> None:
    """Ask for what an opened row stands for (its key)."""
    cell = table.item(index.row(), 0)
    if cell is not None and cell.data(ui.ID_ROLE):
        wanted.emit(str(cell.data(ui.ID_ROLE)))
