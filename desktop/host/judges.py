"""The Setup page's Judges tab: add, edit (with conflicts of interest) and remove judges."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHeaderView

from desktop import host_model as model
from desktop import theme
from desktop.host import ask
from desktop.host import parts as ui
from desktop.host.dialogs import JudgeDialog, Save

if TYPE_CHECKING:
    from desktop.host.window import HostWindow


class JudgesTab(ui.SetupTab):
    """The judges: add, edit (with conflicts of interest), remove."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__(window)
        self.add = ui.button("Add judge", "Add a judge", "primary")
        self.edit = ui.button("Edit…", "Edit the selected judge")
        self.remove = ui.button("Remove", "Remove the selected judge", "danger")
        self.layout_.addLayout(ui.toolbar(self.add, self.edit, self.remove))
        self.table = ui.table(["Judge", "Conflicts of interest", "Assigned", "Id"], "Judges")
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 220)
        self.layout_.addWidget(self.table, 1)
        self.add.clicked.connect(self.add_judge)
        self.edit.clicked.connect(self.edit_judge)
        self.remove.clicked.connect(self.remove_judge)
        self.table.doubleClicked.connect(self.edit_judge)

    def refresh(self) -> None:
        """Redraw from the controller."""
        lines = model.judge_lines(
            self.controller.teams(), self.controller.judges(), self.controller.assignments()
        )
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

    def _save(self, judge_id: str | None) -> Save:
        def save(v: dict[str, Any]) -> str | None:
            ident = judge_id or self.controller.new_id("judge", v["name"])
            rejection = self.controller.save_judge(ident, v["name"], v["conflicts"])
            return None if rejection is None else rejection.message

        return save

    def add_judge(self) -> None:
        """Open the form for a new judge."""
        teams = self.controller.teams()
        self.window_.open_dialog(JudgeDialog(self._save(None), teams, parent=self.window_))

    def edit_judge(self) -> None:
        """Open the form for the selected judge."""
        judge = self.selected(self.controller.judges(), "judge")
        if judge is not None:
            teams = self.controller.teams()
            dialog = JudgeDialog(self._save(judge["id"]), teams, judge, parent=self.window_)
            self.window_.open_dialog(dialog)

    def remove_judge(self) -> None:
        """Remove the selected judge, after asking."""
        judge = self.selected(self.controller.judges(), "judge")
        if judge is not None and ask.confirm(
            self.window_,
            "Remove judge",
            f"Remove {judge['name']}? Their sheets stop counting and their join code stops "
            "working.",
            "Remove",
        ):
            self.controller.admin("judge.del", {"id": judge["id"]})
