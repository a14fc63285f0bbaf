"""The Setup page's Criteria tab: add, edit, remove and reorder the criteria."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop import host_model as model
from desktop.host import ask
from desktop.host import parts as ui
from desktop.host.dialogs import CriterionDialog, Save

if TYPE_CHECKING:
    from desktop.host.window import HostWindow


class CriteriaTab(ui.SetupTab):
    """The criteria: add, edit, remove and reorder."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__(window)
        self.add = ui.button("Add criterion", "Add a criterion", "primary")
        self.edit = ui.button("Edit…", "Edit the selected criterion")
        self.remove = ui.button("Remove", "Remove the selected criterion", "danger")
        self.up = ui.button("Move up", "Move the selected criterion up")
        self.down = ui.button("Move down", "Move the selected criterion down")
        self.layout_.addLayout(ui.toolbar(self.add, self.edit, self.remove, self.up, self.down))
        self.table = ui.table(
            ["#", "Criterion", "Weight", "Scale", "Step", "Description"], "Criteria", stretch=5
        )
        self.layout_.addWidget(self.table, 1)
        self.add.clicked.connect(self.add_criterion)
        self.edit.clicked.connect(self.edit_criterion)
        self.remove.clicked.connect(self.remove_criterion)
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down.clicked.connect(lambda: self.move_selected(1))
        self.table.doubleClicked.connect(self.edit_criterion)

    def refresh(self) -> None:
        """Redraw from the controller."""
        ui.fill(self.table, model.criterion_cells(self.controller.criteria()))

    def _selected(self) -> tuple[int, dict[str, Any]] | None:
        key = ui.selected_key(self.table)
        for index, criterion in enumerate(self.controller.criteria()):
            if criterion["id"] == key:
                return index, criterion
        return None

    def _save(self, current: dict[str, Any] | None) -> Save:
        def save(v: dict[str, Any]) -> str | None:
            if current is None:
                ident = self.controller.new_id("criterion", v["name"])
                order = model.next_order(self.controller.criteria())
            else:
                ident, order = current["id"], current["order"]
            body = model.criterion_body(
                ident,
                v["name"],
                description=v["description"],
                weight=v["weight"],
                low=v["low"],
                high=v["high"],
                step=v["step"],
                order=order,
            )
            rejection = self.controller.admin("criterion.put", body)
            return None if rejection is None else rejection.message

        return save

    def add_criterion(self) -> None:
        """Open the form for a new criterion."""
        self.window_.open_dialog(CriterionDialog(self._save(None), parent=self.window_))

    def edit_criterion(self) -> None:
        """Open the form for the selected criterion."""
        selected = self._selected()
        if selected is None:
            self.window_.flash("Select a criterion first.")
            return
        _, current = selected
        dialog = CriterionDialog(self._save(current), current, parent=self.window_)
        self.window_.open_dialog(dialog)

    def remove_criterion(self) -> None:
        """Remove the selected criterion, after asking."""
        selected = self._selected()
        if selected is None:
            self.window_.flash("Select a criterion first.")
            return
        _, current = selected
        if ask.confirm(
            self.window_,
            "Remove criterion",
            f"Remove {current['name']}? Scores already given for it stop counting.",
            "Remove",
        ):
            self.controller.admin("criterion.del", {"id": current["id"]})

    def move_selected(self, delta: int) -> None:
        """Move the selected criterion up (-1) or down (+1)."""
        selected = self._selected()
        if selected is not None:
            self.controller.move_criterion(selected[0], delta)
