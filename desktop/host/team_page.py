"""The console's page of one team: where it stands, and every sheet of it (issue 12)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTableWidget

from desktop import desk_model as desk
from desktop import theme
from desktop.host import parts as ui
from desktop.i18n import translate


class TeamPage(ui.DetailPage):
    """A team: its rank and total, then each judge's sheet; a sheet opens its history."""

    sheet_requested = Signal(str, str)  # judge, team
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
        """Ask for the history of the sheet in that row."""
        self.sheet_requested.emit(*ui.split_sheet_key(key))


def show_sheets(page: ui.DetailPage, table: desk.SheetTable) -> None:
    """Fill a page's table with sheets; those that do not count are greyed, void ones struck."""
    page.set_headers(table.headers)
    ui.fill(page.table, [(ui.sheet_key(r.judge, r.team), r.cells) for r in table.rows])
    muted = theme.colour("muted")
    for index, row in enumerate(table.rows):
        if not row.counts:
            ui.tint_row(page.table, index, muted, None)
        if row.voided:
            strike_row(page.table, index)


def strike_row(table: QTableWidget, row: int) -> None:
    """Strike a row's cells through (a void sheet: kept, counted nowhere)."""
    for column in range(table.columnCount()):
        cell = table.item(row, column)
        if cell is not None:
            font = cell.font()
            font.setStrikeOut(True)
            cell.setFont(font)
