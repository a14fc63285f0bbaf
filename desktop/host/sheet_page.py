"""The console's page of one sheet: its every version and refusal, newest first (issue 12)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout

from desktop import desk_model as desk
from desktop import theme
from desktop.host import parts as ui
from desktop.i18n import translate


class SheetPage(ui.DetailPage):
    """One judge's sheet for one team, as the op log tells it; refusals stand out.

    `sheet_actions` is the row for what the organiser may do to the sheet (corrections: void and
    restore, reopen after lock, paper entry); it is empty until those are added.
    """

    team_requested = Signal(str)
    judge_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__(
            [
                translate("desk", "When"),
                translate("desk", "Who"),
                translate("desk", "What"),
                translate("desk", "Details"),
            ],
            translate("desk", "History of this sheet"),
        )
        self.judge = self.team = ""
        self.open_team = ui.button(
            translate("desk", "Team's page"), translate("desk", "Open the team's page")
        )
        self.open_judge = ui.button(
            translate("desk", "Judge's page"), translate("desk", "Open the judge's page")
        )
        self.open_team.clicked.connect(lambda: self.team_requested.emit(self.team))
        self.open_judge.clicked.connect(lambda: self.judge_requested.emit(self.judge))
        self.sheet_actions = QHBoxLayout()  # a sheet's corrections go here (issue 12, corrections)
        self.sheet_actions.setSpacing(8)
        row = ui.toolbar(self.open_team, self.open_judge)
        row.insertLayout(2, self.sheet_actions)
        self.content.insertLayout(self.content.indexOf(self.table), row)

    def show_history(self, view: desk.HistoryView) -> None:
        """Show a sheet's history, newest first."""
        self.judge, self.team = view.judge, view.team
        self.show_heading(view.title, view.standing)
        ui.fill(
            self.table,
            [(line.op_id, [line.when, line.who, line.what, line.detail]) for line in view.lines],
        )
        bad, row = theme.colour("bad"), theme.colour("bad-row")
        for index, line in enumerate(view.lines):
            if line.refused:
                ui.tint_row(self.table, index, bad, row)
