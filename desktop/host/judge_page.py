"""The console's page of one judge: progress, how it marks, and every sheet it made (issue 12)."""

from __future__ import annotations

from PySide6.QtCore import Signal

from desktop import desk_model as desk
from desktop.host import parts as ui
from desktop.host.team_page import show_sheets
from desktop.i18n import translate


class JudgePage(ui.DetailPage):
    """A judge: progress, harshness and laptops, then its sheets; a sheet opens its history."""

    sheet_requested = Signal(str, str, str)  # judge, team, round
    FACTS = 3

    def __init__(self) -> None:
        super().__init__([translate("desk", "Team")], translate("desk", "Sheets of this judge"))
        self.judge = ""
        self.table.setToolTip(translate("desk", "Enter or double-click: the sheet's history"))

    def show_judge(self, view: desk.JudgePageView) -> None:
        """Show a judge's page."""
        self.judge = view.judge
        self.show_heading(view.title, view.progress, view.harshness, view.devices)
        show_sheets(self, view.table)

    def open_row(self, key: str) -> None:
        """Ask for the history of the sheet in that row (a round's heading opens nothing)."""
        if key:
            self.sheet_requested.emit(*ui.split_sheet_key(key))
