"""The Setup page's Prizes tab: the prizes, who competes and judges for each, their own criteria."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop import host_model as model
from desktop.host import parts as ui
from desktop.host.criteria import OwnCriteriaTab, criteria_table
from desktop.host.dialogs import EditDialog
from desktop.host.parts import check_list, ticked
from desktop.i18n import translate


def choice(name: str, options: Mapping[str, str], current: str) -> QComboBox:
    """Return a drop-down of protocol values shown by their translated names."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    for value, text in options.items():
        combo.addItem(translate("host", text), value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class PrizeDialog(EditDialog):
    """Add or edit a prize: name, sponsor, who competes, who judges, hidden, order."""

    def __init__(
        self,
        prize: dict[str, Any] | None,
        teams: Sequence[tuple[str, str]],
        judges: Sequence[tuple[str, str]],
        members: tuple[set[str], set[str]] = (set(), set()),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            translate("host", "Edit prize") if prize else translate("host", "Add a prize"), parent
        )
        self.setMinimumWidth(560)
        current = prize or {}
        self.name = QLineEdit(current.get("name", ""))
        self.name.setAccessibleName(translate("host", "Prize name"))
        self.name.setPlaceholderText(translate("host", "e.g. Best use of AI"))
        self.sponsor = QLineEdit(current.get("sponsor", ""))
        self.sponsor.setAccessibleName(translate("host", "Sponsor"))
        self.sponsor.setPlaceholderText(translate("host", "Who gives it (optional)"))
        self.eligibility = choice(
            translate("host", "Who competes"), model.ELIGIBILITY, current.get("eligibility", "all")
        )
        self.judging = choice(
            translate("host", "Who judges"), model.PRIZE_JUDGING, current.get("judges", "all")
        )
        self.hidden = QCheckBox(translate("host", "Hidden from displays and teams"))
        self.hidden.setChecked(bool(current.get("hidden", False)))
        self.hidden.setAccessibleName(translate("host", "Hidden from displays and teams"))
        self.order = QSpinBox()
        self.order.setRange(-10_000, 10_000)
        self.order.setValue(int(current.get("order", 0)))
        self.order.setAccessibleName(translate("host", "Order"))
        self.teams = check_list(translate("host", "Teams that opted in"), teams, members[0])
        self.judges = check_list(translate("host", "Judges listed"), judges, members[1])
        self.form.addRow(translate("host", "Name"), self.name)
        self.form.addRow(translate("host", "Sponsor"), self.sponsor)
        self.form.addRow(translate("host", "Competing"), self.eligibility)
        self.form.addRow(translate("host", "Opted in"), self.teams)
        self.form.addRow(translate("host", "Judging"), self.judging)
        self.form.addRow(translate("host", "Judges listed"), self.judges)
        self.form.addRow(translate("host", "Order"), self.order)
        self.form.addRow("", self.hidden)
        self.eligibility.currentIndexChanged.connect(self._follow)
        self.judging.currentIndexChanged.connect(self._follow)
        self._follow()

    def _follow(self) -> None:
        # The lists only mean something for opt-in and listed prizes.
        self.teams.setEnabled(self.eligibility.currentData() == "opt_in")
        self.judges.setEnabled(self.judging.currentData() == "listed")

    def values(self) -> dict[str, Any]:
        """Return the form's fields."""
        return {
            "name": self.name.text(),
            "sponsor": self.sponsor.text(),
            "eligibility": self.eligibility.currentData(),
            "judges": self.judging.currentData(),
            "hidden": self.hidden.isChecked(),
            "order": self.order.value(),
            "teams": ticked(self.teams),
            "judge_ids": ticked(self.judges),
        }

    def check(self) -> str | None:
        """A prize needs a name."""
        return None if self.name.text().strip() else translate("host", "Give the prize a name.")


class PrizesTab(OwnCriteriaTab):
    """The prizes (add, edit, remove) and the selected prize's own criteria."""

    KIND = "prize"

    def __init__(self) -> None:
        super().__init__()
        self.add = ui.button(
            translate("host", "Add prize"), translate("host", "Add a prize"), "primary"
        )
        self.edit = ui.button(
            translate("host", "Edit…"), translate("host", "Edit the selected prize")
        )
        self.remove = ui.button(
            translate("host", "Remove"), translate("host", "Remove the selected prize"), "danger"
        )
        self.layout_.addLayout(ui.toolbar(self.add, self.edit, self.remove))
        self.table = ui.table(
            [
                translate("host", "Prize"),
                translate("host", "Sponsor"),
                translate("host", "Competing"),
                translate("host", "Judging"),
                translate("host", "Criteria"),
                translate("host", "Hidden"),
            ],
            translate("host", "Prizes"),
            stretch=4,
        )
        self.layout_.addWidget(self.table)
        self.criteria_title = ui.label(
            translate("host", "The selected prize's own criteria"), "section"
        )
        self.criteria_hint = ui.label(
            translate(
                "host",
                "A prize with criteria of its own ranks on them alone (a sponsor's own scale);"
                " without any it ranks on the event's.",
            ),
            "hint",
            wrap=True,
        )
        self.add_criterion = ui.button(
            translate("host", "Add criterion"), translate("host", "Add a criterion to the prize")
        )
        self.edit_criterion = ui.button(
            translate("host", "Edit criterion…"), translate("host", "Edit the prize's criterion")
        )
        self.remove_criterion = ui.button(
            translate("host", "Remove criterion"),
            translate("host", "Remove the prize's criterion"),
            "danger",
        )
        self.criteria_table = criteria_table(translate("host", "Prize criteria"))
        self.layout_.addWidget(self.criteria_title)
        self.layout_.addWidget(self.criteria_hint)
        self.layout_.addLayout(
            ui.toolbar(self.add_criterion, self.edit_criterion, self.remove_criterion)
        )
        self.layout_.addWidget(self.criteria_table)
        self.layout_.addStretch(1)
        self.teams: list[tuple[str, str]] = []
        self.judges: list[tuple[str, str]] = []
        self.members: dict[str, tuple[set[str], set[str]]] = {}
        self.add.clicked.connect(self.add_prize)
        self.edit.clicked.connect(self.edit_prize)
        self.table.doubleClicked.connect(self.edit_prize)
        self.remove.clicked.connect(self.remove_prize)
        self.table.itemSelectionChanged.connect(self._show_criteria)
        self.add_criterion.clicked.connect(self._add_criterion)
        self.edit_criterion.clicked.connect(self._edit_criterion)
        self.remove_criterion.clicked.connect(self._remove_criterion)

    def show_prizes(
        self,
        prizes: list[dict[str, Any]],
        teams: Mapping[str, Mapping[str, Any]],
        judges: Mapping[str, Mapping[str, Any]],
        criteria: list[dict[str, Any]],
    ) -> None:
        """Show the prizes, and keep what their forms offer: teams, judges, their criteria."""
        self.entities = {p["id"]: p for p in prizes}
        self.teams = [(t["id"], t["name"]) for t in model.by_name(teams)]
        self.judges = [(j["id"], j["name"]) for j in model.by_name(judges)]
        self.members = {
            p["id"]: (
                set(model.members_of(teams, p["id"])),
                set(model.members_of(judges, p["id"])),
            )
            for p in prizes
        }
        self.own_criteria = [c for c in criteria if c.get("prize")]
        ui.fill(self.table, model.prize_cells(prizes, teams, judges, criteria))
        ui.fit_height(self.table, least=3)
        self._show_criteria()

    def _show_criteria(self) -> None:
        prize = self.current_owner()
        own = [c for c in self.own_criteria if c.get("prize") == prize]
        ui.fill(self.criteria_table, model.criterion_cells(own))
        ui.fit_height(self.criteria_table)
        for button in (self.add_criterion, self.edit_criterion, self.remove_criterion):
            button.setEnabled(prize is not None)

    def add_prize(self) -> None:
        """Open the form for a new prize."""
        self.open_form(PrizeDialog(None, self.teams, self.judges, parent=self.window()), None)

    def edit_prize(self) -> None:
        """Open the form for the selected prize, with who opted in and who judges it."""
        current = self.selected()
        if current is not None:
            members = self.members.get(current["id"], (set(), set()))
            dialog = PrizeDialog(current, self.teams, self.judges, members, self.window())
            self.open_form(dialog, current["id"])

    def remove_prize(self) -> None:
        """Ask to remove the selected prize, after asking the organiser."""
        self.ask_to_remove(
            self.selected(),
            translate("host", "Remove prize"),
            translate("host", "Remove {v0}? Its board and its own criteria go with it."),
            self.remove_requested,
        )
