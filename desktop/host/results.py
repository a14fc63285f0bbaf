"""The console's Results page: every (round, prize) board, side by side when the window is wide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import host_model as model
from desktop import theme
from desktop.host import parts as ui
from desktop.i18n import translate
from desktop.theme import set_role

# A board card's least width: below two of them side by side, the boards are stacked.
CARD_WIDTH = 500
BOARD_ROWS = 10  # rows a board shows before it scrolls inside (an event of 3,000 teams)


class BoardCard(QFrame):
    """One board: which round and prize it is, how it ranks, its rows, its judges' harshness."""

    def __init__(self) -> None:
        super().__init__()
        set_role(self, "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 18)
        layout.setSpacing(8)
        self.title = ui.label("", "section", wrap=True)
        self.title.setAccessibleName(translate("host", "Board"))
        self.facts = ui.label("", "hint", wrap=True)
        self.table = ui.table([""], translate("host", "Board rows"), stretch=1)
        self.table.horizontalHeader().setMinimumSectionSize(36)
        self.more = ui.label("", "hint", wrap=True)
        self.flag = ui.label("", "error", wrap=True)
        self.harsh_title = ui.label(translate("host", "Judges' harshness"), "subtitle")
        self.harshness = ui.table(
            [
                translate("host", "Judge"),
                translate("host", "Mean"),
                translate("host", "Spread"),
                translate("host", "Sheets"),
                translate("host", "Normalised"),
            ],
            translate("host", "Judges' harshness"),
            stretch=4,
        )
        self.harshness.horizontalHeader().setMinimumSectionSize(36)
        for widget in (self.title, self.facts, self.table, self.more, self.flag, self.harsh_title):
            layout.addWidget(widget)
        layout.addWidget(self.harshness)
        layout.addStretch(1)

    def show_board(self, view: model.BoardView, harshness: bool) -> None:
        """Show one board's view; its judges' figures when asked."""
        self.title.setText(view.title)
        self.facts.setText(view.facts)
        self.table.setColumnCount(len(view.headers))
        self.table.setHorizontalHeaderLabels(view.headers)
        _fill(self.table, view.rows, stretch=1)
        _cap(self.table, BOARD_ROWS)
        self.more.setText(
            translate(
                "host", "The first {shown} of {total} teams; File ▸ Export results has them all."
            ).format(shown=len(view.rows), total=len(view.rows) + view.more)
        )
        self.more.setVisible(bool(view.more))
        self.flag.setText(
            translate("host", "1 judge is left as scored (fewer than 2 sheets, or no spread).")
            if view.flagged == 1
            else translate(
                "host", "{count} judges are left as scored (fewer than 2 sheets, or no spread)."
            ).format(count=view.flagged)
        )
        self.flag.setVisible(bool(view.flagged))
        _fill(self.harshness, view.judges, stretch=4)
        for row, (_, cells) in enumerate(view.judges):
            if cells[-1] != translate("host", "Yes") and view.flagged:
                ui.tint_row(self.harshness, row, theme.colour("bad"), None)
        _cap(self.harshness, 8)
        shown = harshness and bool(view.judges)  # no sheet yet: no figures to show
        self.harsh_title.setVisible(shown)
        self.harshness.setVisible(shown)


def _fill(table: QTableWidget, rows: list[tuple[str, list[str]]], stretch: int) -> None:
    """Fill a table, sizing its columns once at the end.

    Sized to contents while filling, each cell set re-measured its whole column: 1 ms a cell,
    10 s for an event of a few hundred teams (tests/bench/bench_results.py).
    """
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    ui.fill(table, rows)
    table.resizeColumnsToContents()
    for column in range(table.columnCount()):
        if column == stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def _cap(table: QTableWidget, rows: int) -> None:
    """Let a table be as tall as its rows, up to `rows` of them (then it scrolls)."""
    size = table.verticalHeader().defaultSectionSize()
    shown = max(1, min(rows, table.rowCount()))
    height = (
        table.horizontalHeader().sizeHint().height() + shown * size + 2 * table.frameWidth() + 4
    )
    table.setFixedHeight(height)


class ResultsPage(ui.Page):
    """Every board of every round and prize; a round to show, or all of them."""

    def __init__(self) -> None:
        super().__init__(
            translate("host", "Results"),
            translate(
                "host",
                "Every round's boards: the overall board and each prize's. A shared rank shows"
                " as =2; the Tie-break column names what split equal totals.",
            ),
        )
        self.round_choice = QComboBox()
        self.round_choice.setAccessibleName(translate("host", "Round shown"))
        self.harsh = QCheckBox(translate("host", "Show each judge's harshness"))
        self.harsh.setChecked(True)
        self.harsh.setAccessibleName(translate("host", "Show each judge's harshness"))
        self.content.addLayout(
            ui.toolbar(QLabel(translate("host", "Round")), self.round_choice, self.harsh)
        )
        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(16)
        self.content.addWidget(self.grid_holder)
        self.content.addStretch(1)
        self.cards: list[BoardCard] = []
        self.views: list[model.BoardView] = []
        self.round_names: list[tuple[str, str]] = []
        self.columns = 0
        self.round_choice.currentIndexChanged.connect(lambda _: self._draw())
        self.harsh.toggled.connect(lambda _: self._draw())

    def show_boards(self, views: list[model.BoardView], rounds: list[tuple[str, str]]) -> None:
        """Show the boards (in order) of the rounds (id, name) the event has."""
        self.views = views
        if rounds != self.round_names:
            chosen = self.round_choice.currentData()
            self.round_names = rounds
            self.round_choice.blockSignals(True)
            self.round_choice.clear()
            self.round_choice.addItem(translate("host", "Every round"), None)
            for ident, name in rounds:
                self.round_choice.addItem(name, ident)
            self.round_choice.setCurrentIndex(max(0, self.round_choice.findData(chosen)))
            self.round_choice.blockSignals(False)
        self._draw()

    def shown(self) -> list[model.BoardView]:
        """Return the boards of the round chosen (every board when none is)."""
        chosen = self.round_choice.currentData()
        return [v for v in self.views if chosen is None or v.key[0] == chosen]

    def _draw(self) -> None:
        shown = self.shown()
        while len(self.cards) < len(shown):
            self.cards.append(BoardCard())
        for card, view in zip(self.cards, shown, strict=False):
            card.show_board(view, self.harsh.isChecked())
        self._place(len(shown))

    def _place(self, count: int) -> None:
        """Lay the cards out: as many side by side as the width holds (at least one)."""
        self.columns = max(1, self.viewport().width() // CARD_WIDTH)
        for card in self.cards:
            self.grid.removeWidget(card)
            card.hide()
        for index, card in enumerate(self.cards[:count]):
            self.grid.addWidget(
                card, index // self.columns, index % self.columns, Qt.AlignmentFlag.AlignTop
            )
            card.show()
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 1 if column < self.columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        """Lay the boards out again for the new width."""
        super().resizeEvent(event)
        if self.views and max(1, self.viewport().width() // CARD_WIDTH) != self.columns:
            self._place(len(self.shown()))
