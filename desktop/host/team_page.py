"""The console's page of one team: where it stands, and every sheet of it (issue 12)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTableWidget

from desktop import desk_model as desk
from desktop import theme
from desktop.host import parts as ui
from desktop.i18n import translate


class TeamPage(ui.DetailPage):
    """A team: its rank and total, then each judge's sheet; a sheet opens its history."""

    sheet_requested = Signal(str, str, str)  # judge, team, round
    FACTS = 3  # its standing, who and where it is, its place on each board

    def __init__(self) -> None:
        super().__init__([translate("desk", "Judge")], translate("desk", "Sheets of this team"))
        self.team = ""
        self.table.setToolTip(translate("desk", "Enter or double-click: the sheet's history"))

    def show_team(self, view: desk.TeamPageView) -> None:
        """Show a team's page."""
        self.team = view.team
        self.show_heading(view.title, view.standing, view.facts, view.placings)
        show_sheets(self, view.table)

    def open_row(self, key: str) -> None:
        """Ask for the history of the sheet in that row (a round's heading opens nothing)."""
        if key:
            self.sheet_requested.emit(*ui.split_sheet_key(key))


def show_sheets(page: ui.DetailPage, table: desk.SheetTable) -> None:
    """Fill a page's table with sheets; those that do not count are greyed, void ones struck;
    a round's heading spans the row in bold and cannot be selected."""
    page.set_headers(table.headers)
    page.table.clearSpans()
    ui.fill(
        page.table,
        [
            ("" if r.heading else ui.sheet_key(r.judge, r.team, r.round), r.cells)
            for r in table.rows
        ],
    )
    muted = theme.colour("muted")
    for index, row in enumerate(table.rows):
        if row.heading:
            heading_row(page.table, index)
        elif not row.counts:
            ui.tint_row(page.table, index, muted, None)
        if row.voided:
            strike_row(page.table, index)


def heading_row(table: QTableWidget, row: int) -> None:
    """Make a row a round's heading: its name in bold across the table, not selectable."""
    cell = table.item(row, 0)
    if cell is None:
        return
    font = cell.font()
    font.setBold(True)
    cell.setFont(font)
    cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
    for column in range(1, table.columnCount()):
        table.takeItem(row, column)  # what an earlier fill left under the span
    if table.columnCount() > 1:
        table.setSpan(row, 0, 1, table.columnCount())


def strike_row(table: QTableWidget, row: int) -> None:
    """Strike a row's cells through (a void sheet: kept, counted nowhere)."""
    for column in range(table.columnCount()):
        cell = table.item(row, column)
        if cell is not None:
            font = cell.font()
            font.setStrikeOut(True)
            cell.setFont(font)
