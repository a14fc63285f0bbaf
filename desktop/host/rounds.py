"""The Setup page's Rounds tab: the first round's name, tie-breaks and normalisation, the later
rounds (criteria, judges, finalists rule, result, phase) and choosing their finalists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop import host_model as model
from desktop.host import parts as ui
from desktop.host.criteria import OwnCriteriaTab, criteria_table
from desktop.host.dialogs import EditDialog
from desktop.host.parts import check_list, ticked
from desktop.host.prizes import choice
from desktop.i18n import DEFAULT_ROUND_NAME, translate
from desktop.i18n import round_name as i18n_round_name
from desktop.theme import set_role


class TieBreakEditor(QWidget):
    """An ordered list of tie-break keys: the ticked ones, top first, split equal totals."""

    def __init__(self) -> None:
        super().__init__()
        self.list = QListWidget()
        self.list.setAccessibleName(translate("host", "Tie-breaks, in order"))
        self.list.setMaximumHeight(170)
        set_role(self.list, "checks")  # the dialogs' roomier rows, on a page too
        self.up = ui.button(translate("host", "Up"), translate("host", "Move the tie-break up"))
        self.down = ui.button(
            translate("host", "Down"), translate("host", "Move the tie-break down")
        )
        buttons = QVBoxLayout()
        buttons.addWidget(self.up)
        buttons.addWidget(self.down)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))

    def set_keys(self, chosen: Sequence[str], choices: Sequence[tuple[str, str]]) -> None:
        """Show the chosen keys first, in order and ticked, then the others."""
        names = dict(choices)
        order = [k for k in chosen if k in names] + [k for k, _ in choices if k not in chosen]
        self.list.clear()
        for key in order:
            entry = QListWidgetItem(names[key])
            entry.setData(Qt.ItemDataRole.UserRole, key)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(entry)

    def keys(self) -> list[str]:
        """Return the ticked keys, in order."""
        return ticked(self.list)

    def _move(self, delta: int) -> None:
        row = self.list.currentRow()
        if row < 0 or not 0 <= row + delta < self.list.count():
            return
        entry = self.list.takeItem(row)
        self.list.insertItem(row + delta, entry)
        self.list.setCurrentRow(row + delta)


def normalise_choice(current: str) -> tuple[QComboBox, Any]:
    """Return the normalisation drop-down and the sentence under it saying what it does."""
    combo = choice(
        translate("host", "Judge normalisation"),
        {k: v[0] for k, v in model.NORMALISING.items()},
        current,
    )
    sentence = ui.label("", "hint", wrap=True)

    def say() -> None:
        sentence.setText(translate("host", model.NORMALISING[combo.currentData()][1]))

    combo.currentIndexChanged.connect(lambda _: say())
    say()
    return combo, sentence


class RoundDialog(EditDialog):
    """Add or edit a later round: name, order, judges, finalists, result, normalisation, ties."""

    def __init__(
        self,
        round_: dict[str, Any] | None,
        judges: Sequence[tuple[str, str]],
        tie_choices: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            translate("host", "Edit round") if round_ else translate("host", "Add a round"), parent
        )
        self.setMinimumWidth(680)
        current = round_ or {}
        self.name = QLineEdit(current.get("name", ""))
        self.name.setAccessibleName(translate("host", "Round name"))
        self.name.setPlaceholderText(translate("host", "e.g. Finals"))
        self.order = QSpinBox()
        self.order.setRange(1, 10_000)
        self.order.setValue(int(current.get("order", 1)))
        self.order.setAccessibleName(translate("host", "Order"))
        self.judges = check_list(
            translate("host", "Judges of the round"), judges, set(current.get("judges", ()))
        )
        self.finalists = choice(
            translate("host", "Finalists"),
            model.FINALIST_RULE_NAMES,
            current.get("finalists", "top_overall"),
        )
        self.count = QSpinBox()
        self.count.setRange(1, 10_000)
        self.count.setValue(max(1, int(current.get("finalists_n", 3))))
        self.count.setAccessibleName(translate("host", "How many finalists"))
        self.result_rule = choice(
            translate("host", "Result"),
            {
                "own": translate("host", "This round's own"),
                "weighted": translate("host", "Combined with the round before"),
            },
            current.get("result", "own"),
        )
        self.weight = QDoubleSpinBox()
        self.weight.setRange(1, 99)
        self.weight.setDecimals(0)
        self.weight.setSuffix(" %")
        self.weight.setValue(round(100 * float(current.get("previous_weight", 0) or 0.5)))
        self.weight.setAccessibleName(translate("host", "Weight of the round before"))
        self.normalise, sentence = normalise_choice(current.get("normalise", "off"))
        self.judges.setMinimumHeight(120)
        self.ties = TieBreakEditor()
        self.ties.list.setMinimumHeight(150)
        self.ties.set_keys(current.get("tie_break", ()), tie_choices)
        rule = QHBoxLayout()
        rule.addWidget(self.finalists, 1)
        rule.addWidget(ui.label(translate("host", "N =")))
        rule.addWidget(self.count)
        result = QHBoxLayout()
        result.addWidget(self.result_rule, 1)
        result.addWidget(ui.label(translate("host", "round before:")))
        result.addWidget(self.weight)
        self.form.addRow(translate("host", "Name"), self.name)
        self.form.addRow(translate("host", "Order"), self.order)
        self.form.addRow(translate("host", "Judges (none ticked: all)"), self.judges)
        self.form.addRow(translate("host", "Finalists"), rule)
        self.form.addRow(translate("host", "Result"), result)
        self.form.addRow(translate("host", "Normalisation"), self.normalise)
        self.form.addRow("", sentence)
        self.form.addRow(translate("host", "Tie-breaks"), self.ties)
        self.finalists.currentIndexChanged.connect(self._follow)
        self.result_rule.currentIndexChanged.connect(self._follow)
        self._follow()

    def _follow(self) -> None:
        self.count.setEnabled(self.finalists.currentData() != "all")
        self.weight.setEnabled(self.result_rule.currentData() == "weighted")

    def values(self) -> dict[str, Any]:
        """Return the form's fields."""
        return {
            "name": self.name.text(),
            "order": self.order.value(),
            "judges": ticked(self.judges),
            "finalists": self.finalists.currentData(),
            "finalists_n": self.count.value(),
            "result": self.result_rule.currentData(),
            "previous_weight": self.weight.value() / 100,
            "normalise": self.normalise.currentData(),
            "tie_break": self.ties.keys(),
        }

    def check(self) -> str | None:
        """A round needs a name."""
        return None if self.name.text().strip() else translate("host", "Give the round a name.")


class FinalistsDialog(QDialog):
    """A later round's finalists: "Propose" ticks the rule's pick; add or remove by hand, apply."""

    propose_requested = Signal()
    apply_requested = Signal(list)  # the team ids ticked

    def __init__(
        self,
        name: str,
        rule: str,
        teams: Sequence[tuple[str, str]],
        chosen: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("host", "Finalists of {name}").format(name=name))
        self.resize(520, 560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.addWidget(
            ui.label(translate("host", "Finalists of {name}").format(name=name), "section")
        )
        self.rule = ui.label(rule, "hint", wrap=True)
        layout.addWidget(self.rule)
        self.teams = check_list(translate("host", "Finalists"), teams, chosen)
        self.teams.setMaximumHeight(16_000)
        self.summary = ui.label("", wrap=True)
        layout.addWidget(self.teams, 1)
        layout.addWidget(self.summary)
        self.propose = ui.button(
            translate("host", "Propose"), translate("host", "Tick the teams the rule picks")
        )
        self.apply = ui.button(
            translate("host", "Apply"),
            translate("host", "Make the ticked teams the finalists"),
            "primary",
        )
        cancel = ui.button(translate("host", "Cancel"), translate("host", "Close without changing"))
        layout.addLayout(ui.toolbar(self.propose, self.apply, cancel, stretch_at=1))
        self.propose.clicked.connect(self.propose_requested)
        self.apply.clicked.connect(lambda: self.apply_requested.emit(ticked(self.teams)))
        cancel.clicked.connect(self.reject)
        self.teams.itemChanged.connect(lambda _: self._count())
        self._count()

    def tick(self, chosen: set[str]) -> None:
        """Tick exactly `chosen` (the rule's proposal)."""
        for i in range(self.teams.count()):
            entry = self.teams.item(i)
            wanted = entry.data(Qt.ItemDataRole.UserRole) in chosen
            entry.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self._count()

    def _count(self) -> None:
        self.summary.setText(
            translate("host", "{count} of {total} teams ticked.").format(
                count=len(ticked(self.teams)), total=self.teams.count()
            )
        )


class RoundsTab(OwnCriteriaTab):
    """The first round's settings, and the later rounds with their phases and finalists."""

    KIND = "round"
    # The first round's settings to save: {"round_name", "normalise", "tie_break"}.
    first_round_requested = Signal(dict)
    phase_requested = Signal(str, str)  # (round id, phase): the organiser has been asked
    finalists_requested = Signal(str)  # open a round's finalists

    def __init__(self) -> None:
        super().__init__()
        card, first = ui.card(
            translate("host", "First round"),
            translate(
                "host",
                "The first round is the event itself: its criteria, teams, judges and the phase"
                " on the Control page.",
            ),
        )
        self.round_name = QLineEdit()
        self.round_name.setAccessibleName(translate("host", "First round's name"))
        self.normalise, self.normalise_sentence = normalise_choice("off")
        self.ties = TieBreakEditor()
        self.save_first = ui.button(
            translate("host", "Save first round"),
            translate("host", "Save the first round's name, normalisation and tie-breaks"),
            "primary",
        )
        form = QFormLayout()
        form.addRow(translate("host", "Name"), self.round_name)
        form.addRow(translate("host", "Normalisation"), self.normalise)
        form.addRow("", self.normalise_sentence)
        form.addRow(translate("host", "Tie-breaks"), self.ties)
        first.addLayout(form)
        first.addLayout(ui.toolbar(self.save_first))
        self.layout_.addWidget(card)
        self._first_shown: tuple[Any, ...] | None = None  # the first round as last shown
        self._later_rounds()
        self.save_first.clicked.connect(self._save_first)

    def _later_rounds(self) -> None:
        self.add = ui.button(
            translate("host", "Add round"), translate("host", "Add a round"), "primary"
        )
        self.edit = ui.button(
            translate("host", "Edit…"), translate("host", "Edit the selected round")
        )
        self.remove = ui.button(
            translate("host", "Remove"), translate("host", "Remove the selected round"), "danger"
        )
        self.phase = choice(
            translate("host", "Round phase"), {k: v[0] for k, v in model.PHASES.items()}, "setup"
        )
        self.set_phase = ui.button(
            translate("host", "Set phase"),
            translate("host", "Move the selected round to the phase"),
        )
        self.finalists = ui.button(
            translate("host", "Finalists…"),
            translate("host", "Choose the selected round's finalists"),
        )
        self.layout_.addLayout(
            ui.toolbar(self.add, self.edit, self.remove, self.finalists, self.phase, self.set_phase)
        )
        self.table = ui.table(
            [
                translate("host", "Round"),
                translate("host", "Phase"),
                translate("host", "Finalists"),
                translate("host", "Result"),
                translate("host", "Criteria"),
                translate("host", "Normalisation"),
            ],
            translate("host", "Later rounds"),
            stretch=3,
        )
        self.layout_.addWidget(self.table, 1)
        self.add_criterion = ui.button(
            translate("host", "Add criterion"),
            translate("host", "Add a criterion of the round's own"),
        )
        self.edit_criterion = ui.button(
            translate("host", "Edit criterion…"), translate("host", "Edit the round's criterion")
        )
        self.remove_criterion = ui.button(
            translate("host", "Remove criterion"),
            translate("host", "Remove the round's criterion"),
            "danger",
        )
        self.criteria_table = criteria_table(translate("host", "Round criteria"))
        self.layout_.addWidget(
            ui.label(
                translate(
                    "host",
                    "The selected round's own criteria (none: it is scored on the event's):",
                ),
                "hint",
                wrap=True,
            )
        )
        self.layout_.addLayout(
            ui.toolbar(self.add_criterion, self.edit_criterion, self.remove_criterion)
        )
        self.layout_.addWidget(self.criteria_table)
        self.judges: list[tuple[str, str]] = []
        self.tie_choices: list[tuple[str, str]] = []
        self.phases: dict[str, str] = {}
        self.add.clicked.connect(self.add_round)
        self.edit.clicked.connect(self.edit_round)
        self.table.doubleClicked.connect(self.edit_round)
        self.remove.clicked.connect(self.remove_round)
        self.set_phase.clicked.connect(self._ask_phase)
        self.finalists.clicked.connect(self._ask_finalists)
        self.table.itemSelectionChanged.connect(self._selection)
        self.add_criterion.clicked.connect(self._add_criterion)
        self.edit_criterion.clicked.connect(self._edit_criterion)
        self.remove_criterion.clicked.connect(self._remove_criterion)

    def show_rounds(
        self,
        rounds: list[dict[str, Any]],
        phases: dict[str, str],
        judges: dict[str, dict[str, Any]],
        criteria: list[dict[str, Any]],
    ) -> None:
        """Show the first round's settings and the later rounds."""
        first, later = rounds[0], rounds[1:]
        self.tie_choices = model.tie_break_choices([c for c in criteria if not c.get("prize")])
        choices = model.tie_break_choices(
            [c for c in criteria if not (c.get("prize") or c.get("round"))]
        )
        shown = (first["name"], first["normalise"], list(first["tie_break"]), choices)
        if shown != self._first_shown:  # else keep what the organiser is editing unsaved
            self._first_shown = shown
            # The stored default shows in the window's language (saved back as the default).
            self.round_name.setText(i18n_round_name(first["name"]))
            self.normalise.setCurrentIndex(self.normalise.findData(first["normalise"]))
            self.ties.set_keys(first["tie_break"], choices)
        self.entities = {r["id"]: r for r in later}
        self.phases = phases
        self.judges = [(j["id"], j["name"]) for j in model.by_name(judges)]
        self.own_criteria = [c for c in criteria if c.get("round")]
        ui.fill(self.table, model.round_cells(later, phases, criteria))
        self._selection()

    def first_round_values(self) -> dict[str, Any]:
        """Return what the first round's card holds."""
        return {
            "round_name": self._first_name(),
            "normalise": self.normalise.currentData(),
            "tie_break": self.ties.keys(),
        }

    def _first_name(self) -> str:
        """Return the first round's name typed; the default as shown means the default."""
        text = self.round_name.text().strip()
        return DEFAULT_ROUND_NAME if text == i18n_round_name(DEFAULT_ROUND_NAME) else text

    def _save_first(self) -> None:
        self.first_round_requested.emit(self.first_round_values())

    def _selection(self) -> None:
        current = self.current_owner()
        own = [c for c in self.own_criteria if c.get("round") == current]
        ui.fill(self.criteria_table, model.criterion_cells(own))
        ui.fit_height(self.criteria_table)
        if current is not None:
            self.phase.setCurrentIndex(self.phase.findData(self.phases.get(current, "setup")))
        buttons = (self.add_criterion, self.edit_criterion, self.remove_criterion)
        for button in (self.set_phase, self.finalists, *buttons):
            button.setEnabled(current is not None)

    def add_round(self) -> None:
        """Open the form for a new round (after the last)."""
        dialog = RoundDialog(None, self.judges, self.tie_choices, self.window())
        dialog.order.setValue(len(self.entities) + 1)
        self.open_form(dialog, None)

    def edit_round(self) -> None:
        """Open the form for the selected round."""
        current = self.selected()
        if current is not None:
            self.open_form(
                RoundDialog(current, self.judges, self.tie_choices, self.window()), current["id"]
            )

    def remove_round(self) -> None:
        """Ask to remove the selected round."""
        self.ask_to_remove(
            self.selected(),
            translate("host", "Remove round"),
            translate("host", "Remove {v0}? Its boards, finalists and own criteria go."),
            self.remove_requested,
        )

    def _ask_phase(self) -> None:
        current = self.current_owner()
        if current is not None:
            self.phase_requested.emit(current, self.phase.currentData())

    def _ask_finalists(self) -> None:
        current = self.current_owner()
        if current is not None:
            self.finalists_requested.emit(current)
