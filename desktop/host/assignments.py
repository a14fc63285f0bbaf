"""The Setup page's Assignments tab: a judge x team grid of ticks, and auto-assignment."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from desktop import host_model as model
from desktop import theme
from desktop.host import ask
from desktop.host import parts as ui
from desktop.i18n import translate
from desktop.theme import set_role


class AssignmentsTab(ui.SetupTab):
    """Who judges whom: a judge x team grid of ticks, and auto-assignment."""

    tick_requested = Signal(str, str, bool)  # judge, team, assigned; a refusal redraws the grid
    auto_assign_requested = Signal()  # open the auto-assign dialog (there are judges and teams)
    clear_requested = Signal()  # clear every assignment (the organiser has been asked)

    def __init__(self) -> None:
        super().__init__()
        layout = self.layout_
        self.auto = ui.button(
            translate("host", "Auto-assign…"),
            translate("host", "Auto-assign k judges per team"),
            "primary",
        )
        self.clear = ui.button(
            translate("host", "Clear all"), translate("host", "Clear every assignment"), "danger"
        )
        layout.addLayout(ui.toolbar(self.auto, self.clear))
        layout.addWidget(
            ui.label(
                translate(
                    "host",
                    "Tick the teams each judge scores. A judge with no ticks may score every team "
                    "it has no conflict with; greyed cells are conflicts of interest.",
                ),
                "hint",
                wrap=True,
            )
        )
        self.grid = QTableWidget()
        self.grid.setAccessibleName(translate("host", "Assignments"))
        set_role(self.grid, "grid")
        self.grid.setItemDelegate(ui.CheckDelegate(self.grid))
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.grid.setShowGrid(True)
        self.grid.verticalHeader().setDefaultSectionSize(40)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.grid.horizontalHeader()
        header.setMinimumSectionSize(96)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        layout.addWidget(self.grid, 1)
        self.summary = ui.label("", "hint", wrap=True)
        self.summary.setAccessibleName(translate("host", "Assignment summary"))
        layout.addWidget(self.summary)
        layout.addStretch(0)
        self.shown: model.AssignmentGrid | None = None
        self.judge_ids: list[str] = []
        self.team_ids: list[str] = []
        self.auto.clicked.connect(self.auto_assign)
        self.clear.clicked.connect(self.clear_all)
        self.grid.itemChanged.connect(self._ticked)

    def show_grid(self, grid: model.AssignmentGrid) -> None:
        """Show the grid of who judges whom, and its summary."""
        self.shown = grid
        self.team_ids, self.judge_ids = grid.team_ids, grid.judge_ids
        self.grid.blockSignals(True)
        self.grid.setRowCount(len(grid.judge_ids))
        self.grid.setColumnCount(len(grid.team_ids))
        for column, (text, tip) in enumerate(grid.headers):
            header = QTableWidgetItem(text)
            header.setToolTip(tip)
            self.grid.setHorizontalHeaderItem(column, header)
        self.grid.setVerticalHeaderLabels(grid.labels)
        for row, cells in enumerate(grid.cells):
            for column, cell in enumerate(cells):
                self.grid.setItem(row, column, _grid_item(cell))
        self.grid.blockSignals(False)
        self.summary.setText(grid.summary)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Spread the columns over the new width."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Give each column its natural width (at most 220 px), sharing out what room is left."""
        columns = self.grid.columnCount()
        if not columns:
            return
        header = self.grid.horizontalHeader()
        natural = [
            min(220, max(96, header.sectionSizeFromContents(c).width() + 4)) for c in range(columns)
        ]
        room = self.grid.width() - self.grid.verticalHeader().width() - 2 * self.grid.frameWidth()
        extra = max(0, room - sum(natural)) // columns
        for column, width in enumerate(natural):
            self.grid.setColumnWidth(column, width + extra)
        # The grid takes the page's height: its two-line headers defeat a fitted height, and
        # a clipped grid of checkboxes is worse than white space below it.

    def cell(self, judge_id: str, team_id: str) -> QTableWidgetItem:
        """Return the grid cell of a judge and a team."""
        item = self.grid.item(self.judge_ids.index(judge_id), self.team_ids.index(team_id))
        assert item is not None
        return item

    def _ticked(self, item: QTableWidgetItem) -> None:
        if self.shown is None or not item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return
        row, column = item.row(), item.column()
        ticked = item.checkState() == Qt.CheckState.Checked
        if ticked == self.shown.cells[row][column].ticked:
            return
        self.tick_requested.emit(self.judge_ids[row], self.team_ids[column], ticked)

    def auto_assign(self) -> None:
        """Ask for the auto-assign dialog."""
        if not self.judge_ids or not self.team_ids:
            self.says.emit(translate("host", "Add judges and teams first."))
            return
        self.auto_assign_requested.emit()

    def clear_all(self) -> None:
        """Ask to remove every assignment, after asking the organiser."""
        if self.shown is None or not self.shown.any_assigned:
            self.says.emit(translate("host", "No judge has assignments."))
            return
        if ask.confirm(
            self.window(),
            translate("host", "Clear assignments"),
            translate(
                "host",
                "Clear every assignment? Every judge may then score every team it has no "
                "conflict with.",
            ),
            translate("host", "Clear all"),
        ):
            self.clear_requested.emit()


def _grid_item(cell: model.GridCell) -> QTableWidgetItem:
    """Return a grid cell: a greyed conflict, or a tick box (tinted when ticked)."""
    item = QTableWidgetItem()
    if cell.conflict:
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setText(translate("host", "conflict"))
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setForeground(theme.colour("muted"))
        item.setBackground(theme.colour("conflict"))
        item.setToolTip(cell.tip)
    else:
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if cell.ticked else Qt.CheckState.Unchecked)
        if cell.ticked:
            item.setBackground(theme.colour("assigned"))
    item.setData(Qt.ItemDataRole.AccessibleTextRole, cell.name)
    return item
