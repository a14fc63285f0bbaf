"""The Setup page's Criteria tab: add, edit, remove and reorder the criteria."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal

from desktop.host import ask
from desktop.host import parts as ui
from desktop.host.dialogs import CriterionDialog
from desktop.i18n import translate


class CriteriaTab(ui.EntityTab):
    """The criteria: add, edit, remove and reorder."""

    KIND = "criterion"
    move_requested = Signal(str, int)  # a criterion's id, -1 (up) or +1 (down)

    def __init__(self) -> None:
        super().__init__()
        self.add = ui.button(
            translate("host", "Add criterion"), translate("host", "Add a criterion"), "primary"
        )
        self.edit = ui.button(
            translate("host", "Edit…"), translate("host", "Edit the selected criterion")
        )
        self.remove = ui.button(
            translate("host", "Remove"),
            translate("host", "Remove the selected criterion"),
            "danger",
        )
        self.up = ui.button(
            translate("host", "Move up"), translate("host", "Move the selected criterion up")
        )
        self.down = ui.button(
            translate("host", "Move down"), translate("host", "Move the selected criterion down")
        )
        self.layout_.addLayout(ui.toolbar(self.add, self.edit, self.remove, self.up, self.down))
        self.table = ui.table(
            [
                "#",
                translate("host", "Criterion"),
                translate("host", "Weight"),
                translate("host", "Scale"),
                translate("host", "Step"),
                translate("host", "Description"),
            ],
            translate("host", "Criteria"),
            stretch=5,
        )
        self.layout_.addWidget(self.table, 1)
        self.add.clicked.connect(self.add_criterion)
        self.edit.clicked.connect(self.edit_criterion)
        self.remove.clicked.connect(self.remove_criterion)
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down.clicked.connect(lambda: self.move_selected(1))
        self.table.doubleClicked.connect(self.edit_criterion)

    def show_criteria(
        self, criteria: list[dict[str, Any]], rows: list[tuple[str, list[str]]]
    ) -> None:
        """Show the criteria (in their order) and their table rows."""
        self.entities = {criterion["id"]: criterion for criterion in criteria}
        ui.fill(self.table, rows)

    def add_criterion(self) -> None:
        """Open the form for a new criterion."""
        self.open_form(CriterionDialog(parent=self.window()), None)

    def edit_criterion(self) -> None:
        """Open the form for the selected criterion."""
        current = self.selected()
        if current is not None:
            self.open_form(CriterionDialog(current, parent=self.window()), current["id"])

    def remove_criterion(self) -> None:
        """Ask to remove the selected criterion, after asking the organiser."""
        current = self.selected()
        if current is not None and ask.confirm(
            self.window(),
            translate("host", "Remove criterion"),
            translate("host", "Remove {v0}? Scores already given for it stop counting.").format(
                v0=current["name"]
            ),
            translate("host", "Remove"),
        ):
            self.remove_requested.emit(current["id"])

    def move_selected(self, delta: int) -> None:
        """Ask to move the selected criterion up (-1) or down (+1)."""
        key = ui.selected_key(self.table)
        if key in self.entities:
            self.move_requested.emit(key, delta)
