"""The Setup page's Criteria tab: add, edit, remove and reorder the criteria; and what the
tabs of entities with criteria of their own (prizes, later rounds) share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QTableWidget

from desktop.host import parts as ui
from desktop.host.dialogs import CriterionDialog
from desktop.i18n import translate


def criteria_table(name: str) -> QTableWidget:
    """Return a table of criteria, as `host_model.criterion_cells` fills it."""
    headers = [
        "#",
        translate("host", "Criterion"),
        translate("host", "Weight"),
        translate("host", "Scale"),
        translate("host", "Step"),
        translate("host", "Description"),
    ]
    return ui.table(headers, name, stretch=5)


def ask_to_remove_criterion(
    tab: ui.EntityTab, criterion: Mapping[str, Any] | None, removal: SignalInstance
) -> None:
    """Emit `removal` with the criterion's id once the organiser agrees to remove it."""
    tab.ask_to_remove(
        criterion,
        translate("host", "Remove criterion"),
        translate("host", "Remove {v0}? Scores already given for it stop counting."),
        removal,
    )


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
        self.table = criteria_table(translate("host", "Criteria"))
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
        ask_to_remove_criterion(self, self.selected(), self.remove_requested)

    def move_selected(self, delta: int) -> None:
        """Ask to move the selected criterion up (-1) or down (+1)."""
        key = ui.selected_key(self.table)
        if key in self.entities:
            self.move_requested.emit(key, delta)


class OwnCriteriaTab(ui.EntityTab):
    """A Setup tab whose selected entity (a prize, a later round) has criteria of its own,
    listed in `criteria_table`; a form's values go out as `criterion_save_requested`."""

    # (the entity's id, the criterion's id or None for a new one, the form's values)
    criterion_save_requested = Signal(str, object, dict)
    criterion_remove_requested = Signal(str)
    criteria_table: QTableWidget

    def __init__(self) -> None:
        super().__init__()
        self.own_criteria: list[dict[str, Any]] = []  # every entity's, as last shown
        self._criterion_owner: str | None = None  # the entity whose criterion the form saves

    def current_owner(self) -> str | None:
        """Return the selected entity's id, if any."""
        key = ui.selected_key(self.table)
        return key if key in self.entities else None

    def _selected_criterion(self) -> dict[str, Any] | None:
        key = ui.selected_key(self.criteria_table)
        found = next((c for c in self.own_criteria if c["id"] == key), None)
        if found is None:
            self.says.emit(translate("host", "Select a criterion first."))
        return found

    def _add_criterion(self) -> None:
        self._open_criterion(None)

    def _edit_criterion(self) -> None:
        current = self._selected_criterion()
        if current is not None:
            self._open_criterion(current)

    def _open_criterion(self, current: dict[str, Any] | None) -> None:
        owner = self.current_owner()
        if owner is None:
            return
        dialog = CriterionDialog(current, parent=self.window())
        dialog.submitted.connect(self._criterion_submitted)
        dialog.finished.connect(self._form_closed)
        self.form, self.form_for = dialog, None if current is None else current["id"]
        self._criterion_owner = owner
        ui.open_dialog(dialog)

    def _criterion_submitted(self, values: dict[str, Any]) -> None:
        self.criterion_save_requested.emit(self._criterion_owner, self.form_for, values)

    def _remove_criterion(self) -> None:
        criterion = self._selected_criterion()
        ask_to_remove_criterion(self, criterion, self.criterion_remove_requested)
