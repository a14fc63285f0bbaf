"""The Setup page's Judges tab: add, edit (with conflicts of interest) and remove judges."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHeaderView

from desktop import host_model as model
from desktop import theme
from desktop.host import parts as ui
from desktop.host.dialogs import JudgeDialog
from desktop.i18n import translate


class JudgesTab(ui.EntityTab):
    """The judges: add, edit (with conflicts of interest), remove."""

    KIND = "judge"

    def __init__(self) -> None:
        super().__init__()
        self.teams: dict[str, dict[str, Any]] = {}  # the teams a judge can conflict with
        self.add = ui.button(
            translate("host", "Add judge"), translate("host", "Add a judge"), "primary"
        )
        self.edit = ui.button(
            translate("host", "Edit…"), translate("host", "Edit the selected judge")
        )
        self.remove = ui.button(
            translate("host", "Remove"), translate("host", "Remove the selected judge"), "danger"
        )
        self.layout_.addLayout(ui.toolbar(self.add, self.edit, self.remove))
        self.table = ui.table(
            [
                translate("host", "Judge"),
                translate("host", "Conflicts of interest"),
                translate("host", "Assigned"),
                translate("host", "Id"),
            ],
            translate("host", "Judges"),
        )
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 220)
        self.layout_.addWidget(self.table, 1)
        self.add.clicked.connect(self.add_judge)
        self.edit.clicked.connect(self.edit_judge)
        self.remove.clicked.connect(self.remove_judge)
        # Enter or a double-click opens the judge's page; Edit… edits it.
        self.table.activated.connect(self._open_selected)

    def show_judges(
        self,
        judges: dict[str, dict[str, Any]],
        teams: dict[str, dict[str, Any]],
        lines: list[model.JudgeLine],
    ) -> None:
        """Show the judges (by id) as `lines`; `teams` are those a form can mark as conflicts."""
        self.entities, self.teams = judges, teams
        muted = theme.colour("muted")
        ui.fill(
            self.table,
            [
                (
                    line.judge_id,
                    [
                        line.name,
                        ui.item(line.conflicts, color=None if line.any_conflict else muted),
                        line.load,
                        ui.item(line.judge_id, color=muted),
                    ],
                )
                for line in lines
            ],
        )

    def _open_selected(self) -> None:
        judge = self.selected()
        if judge is not None:
            self.open_requested.emit(judge["id"])

    def add_judge(self) -> None:
        """Open the form for a new judge."""
        self.open_form(
            JudgeDialog(self.teams, parent=self.window(), prizes=self.prize_choices), None
        )

    def edit_judge(self) -> None:
        """Open the form for the selected judge."""
        judge = self.selected()
        if judge is not None:
            self.open_form(
                JudgeDialog(self.teams, judge, self.window(), self.prize_choices), judge["id"]
            )

    def remove_judge(self) -> None:
        """Ask to remove the selected judge, after asking the organiser."""
        self.ask_to_remove(
            self.selected(),
            translate("host", "Remove judge"),
            translate(
                "host", "Remove {v0}? Their sheets stop counting and their join code stops working."
            ),
            self.remove_requested,
        )
