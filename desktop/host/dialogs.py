"""The console's dialogs: edit a criterion, a team or a judge; preview an import; auto-assign.

Each form emits `submitted` with its values and stays open until whoever opened it answers
(`accept`, or `show_problem` with the host's refusal); the import and auto-assign dialogs
likewise emit plain values and show what they are handed. None of them touches the database
or the controller.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import host_model as model
from desktop import theme
from desktop.host import parts as ui
from desktop.i18n import translate
from desktop.theme import set_role
from storage.admin import TeamRow, TeamsPreview


class EditDialog(QDialog):
    """A form with Save and Cancel; Save emits `submitted(values)` once the form's check passes."""

    submitted = Signal(dict)  # the form's values; the dialog stays open until answered

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown = False
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.form.setSpacing(10)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.problem = ui.label("", "error", wrap=True)
        self.problem.setAccessibleName(translate("host", "Problem"))
        self.problem.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            translate("host", "Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName(translate("host", "Save"))
        set_role(self.save_button, "primary")
        self.save_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(translate("host", "Cancel"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(ui.label(title, "section"))
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        """Open on the form's first field, and let any edit clear the last problem shown."""
        super().showEvent(event)
        if self._shown:
            return
        self._shown = True
        # Focus on Save made typed spaces press it, and a problem outlived its cause.
        items = [self.form.itemAt(i) for i in range(self.form.count())]
        fields = [item.widget() for item in items if item is not None]
        first = next((f for f in fields if f is not None and _is_field(f)), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        for field in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            field.textChanged.connect(lambda *_: self.show_problem(""))
        for spin in self.findChildren(QDoubleSpinBox):
            spin.valueChanged.connect(lambda *_: self.show_problem(""))

    def values(self) -> dict[str, Any]:
        """Return what the form holds."""
        raise NotImplementedError

    def add_prizes(self, choices: Sequence[tuple[str, str]], chosen: Collection[str]) -> None:
        """Add the prizes to tick (a team's opt-ins, a judge's listed ones), when there are any."""
        self.prizes: QListWidget | None = None
        if choices:
            self.prizes = ui.check_list(translate("host", "Prizes"), choices, set(chosen))
            self.prizes.setMaximumHeight(110)
            self.form.addRow(translate("host", "Prizes"), self.prizes)

    def prize_values(self) -> dict[str, Any]:
        """Return {"prizes": the ticked ids} when the form offers prizes, else nothing."""
        box: QListWidget | None = getattr(self, "prizes", None)
        return {} if box is None else {"prizes": ui.ticked(box)}

    def check(self) -> str | None:
        """Return why the form cannot be saved, before asking the host."""
        return None

    def show_problem(self, text: str) -> None:
        """Show why saving failed (a form problem or the host's refusal)."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _submit(self) -> None:
        problem = self.check()
        if problem:
            self.show_problem(problem)
        else:
            self.submitted.emit(self.values())


def _is_field(widget: QWidget) -> bool:
    """Whether `widget` is a field the user types or picks in (not a label)."""
    return isinstance(widget, QLineEdit | QPlainTextEdit | QAbstractSpinBox | QListWidget)


def _text_box(text: str, name: str, hint: str, height: int) -> QPlainTextEdit:
    """Return a multi-line box that Tab leaves (a tab character is never what is meant)."""
    box = QPlainTextEdit(text)
    box.setAccessibleName(name)
    box.setPlaceholderText(hint)
    box.setFixedHeight(height)
    box.setTabChangesFocus(True)
    return box


def _spin(low: float, high: float, value: float, name: str, decimals: int = 2) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setValue(value)
    spin.setAccessibleName(name)
    spin.lineEdit().setTextMargins(6, 0, 0, 0)  # style sheet padding does not reach it
    return spin


class CriterionDialog(EditDialog):
    """Add or edit a criterion: name, description, weight and scale."""

    def __init__(
        self, criterion: dict[str, Any] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            translate("host", "Edit criterion")
            if criterion
            else translate("host", "Add a criterion"),
            parent,
        )
        current = criterion or {}
        self.name = QLineEdit(current.get("name", ""))
        self.name.setAccessibleName(translate("host", "Criterion name"))
        self.name.setPlaceholderText(translate("host", "e.g. Innovation"))
        self.description = _text_box(
            current.get("description", ""),
            translate("host", "Criterion description"),
            translate("host", "What judges should look for (optional)"),
            80,
        )
        self.weight = _spin(
            0.01, 1000, float(current.get("weight", 1)), translate("host", "Weight")
        )
        self.low = _spin(-1e6, 1e6, float(current.get("min", 0)), translate("host", "Lowest score"))
        self.high = _spin(
            -1e6, 1e6, float(current.get("max", 10)), translate("host", "Highest score")
        )
        self.step = _spin(0.01, 1e6, float(current.get("step", 1)), translate("host", "Step"))
        scale = QHBoxLayout()
        scale.addWidget(self.low)
        scale.addWidget(ui.label(translate("host", "to")))
        scale.addWidget(self.high)
        scale.addWidget(ui.label(translate("host", "in steps of")))
        scale.addWidget(self.step)
        self.form.addRow(translate("host", "Name"), self.name)
        self.form.addRow(translate("host", "Description"), self.description)
        self.form.addRow(translate("host", "Weight"), self.weight)
        self.form.addRow(translate("host", "Scale"), scale)

    def values(self) -> dict[str, Any]:
        """Return the form's fields."""
        return {
            "name": self.name.text(),
            "description": self.description.toPlainText(),
            "weight": self.weight.value(),
            "low": self.low.value(),
            "high": self.high.value(),
            "step": self.step.value(),
        }

    def check(self) -> str | None:
        """Check the scale before asking the host."""
        v = self.values()
        return model.criterion_problem(v["name"], v["weight"], v["low"], v["high"], v["step"])


class TeamDialog(EditDialog):
    """Add or edit a team: name, location (a table number), members and opt-in prizes."""

    def __init__(
        self,
        team: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        prizes: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(
            translate("host", "Edit team") if team else translate("host", "Add a team"), parent
        )
        current = team or {}
        self.name = QLineEdit(current.get("name", ""))
        self.name.setAccessibleName(translate("host", "Team name"))
        self.location = QLineEdit(current.get("location", ""))
        self.location.setAccessibleName(translate("host", "Team location"))
        self.location.setPlaceholderText(translate("host", "e.g. Table 12"))
        self.members = _text_box(
            "\n".join(current.get("members", [])),
            translate("host", "Team members"),
            translate("host", "One name a line"),
            110,
        )
        self.form.addRow(translate("host", "Name"), self.name)
        self.form.addRow(translate("host", "Location"), self.location)
        self.form.addRow(translate("host", "Members"), self.members)
        self.add_prizes(prizes, current.get("prizes", ()))

    def values(self) -> dict[str, Any]:
        """Return the form's fields."""
        return {
            "name": self.name.text(),
            "location": self.location.text(),
            "members": self.members.toPlainText(),
            **self.prize_values(),
        }

    def check(self) -> str | None:
        """A team needs a name."""
        return None if self.name.text().strip() else "Give the team a name."


class JudgeDialog(EditDialog):
    """Add or edit a judge: name and the teams it has a conflict of interest with."""

    def __init__(
        self,
        teams: dict[str, dict[str, Any]],
        judge: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        prizes: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(
            translate("host", "Edit judge") if judge else translate("host", "Add a judge"), parent
        )
        current = judge or {}
        self.name = QLineEdit(current.get("name", ""))
        self.name.setAccessibleName(translate("host", "Judge name"))
        self.conflicts = QListWidget()
        self.conflicts.setAccessibleName(translate("host", "Conflicts of interest"))
        self.conflicts.setMinimumHeight(240)
        chosen = set(current.get("conflicts", []))
        for team_id, team in sorted(teams.items(), key=lambda t: t[1]["name"].casefold()):
            item = QListWidgetItem(team["name"])
            item.setData(ui.ID_ROLE, team_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if team_id in chosen else Qt.CheckState.Unchecked
            )
            self.conflicts.addItem(item)
        self.form.addRow(translate("host", "Name"), self.name)
        self.form.addRow(translate("host", "Conflicts"), self.conflicts)
        self.form.addRow(
            "", ui.label(translate("host", "Tick the teams this judge must not score."), "hint")
        )
        self.add_prizes(prizes, current.get("prizes", ()))

    def set_conflict(self, team_id: str, conflict: bool = True) -> None:
        """Tick or untick a team."""
        for row in range(self.conflicts.count()):
            item = self.conflicts.item(row)
            if item.data(ui.ID_ROLE) == team_id:
                state = Qt.CheckState.Checked if conflict else Qt.CheckState.Unchecked
                item.setCheckState(state)

    def values(self) -> dict[str, Any]:
        """Return the form's fields."""
        chosen = [
            self.conflicts.item(row).data(ui.ID_ROLE)
            for row in range(self.conflicts.count())
            if self.conflicts.item(row).checkState() == Qt.CheckState.Checked
        ]
        return {"name": self.name.text(), "conflicts": chosen, **self.prize_values()}

    def check(self) -> str | None:
        """A judge needs a name."""
        return None if self.name.text().strip() else "Give the judge a name."


def _accept_or_cancel(
    dialog: QDialog,
    layout: QVBoxLayout,
    accept: tuple[str, str],
    cancel_name: str,
    on_accept: Callable[[], None],
) -> tuple[QPushButton, QPushButton]:
    """Add a dialog's primary button (text, accessible name) and Cancel under `layout`."""
    buttons = QDialogButtonBox()
    primary = buttons.addButton(accept[0], QDialogButtonBox.ButtonRole.AcceptRole)
    primary.setAccessibleName(accept[1])
    set_role(primary, "primary")
    cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName(cancel_name)
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return primary, cancel


def _preview_cells(row: TeamRow) -> list[QTableWidgetItem | str]:
    """Return a previewed row's cells: a row that cannot be imported in red, with why."""
    color = theme.colour("bad") if row.error else None
    cells = [
        ui.item(str(row.line)),
        ui.item(row.name or "(empty)", color=color),
        ui.item(row.location),
        ui.item(", ".join(row.members)),
        ui.item(
            ui.sentence(row.error) if row.error else "Ready",
            color=theme.colour("bad") if row.error else theme.colour("good"),
        ),
    ]
    if row.error:
        for cell in cells:
            cell.setBackground(theme.colour("bad-row"))
    return list(cells)


class ImportTeamsDialog(QDialog):
    """Preview a team sheet row by row, with each row's problem; import only the valid rows."""

    import_requested = Signal(object)  # the TeamsPreview to import; accepted once imported

    def __init__(
        self,
        preview: TeamsPreview,
        source: str,
        parent: QWidget | None = None,
        prizes: tuple[list[str], list[str]] = ([], []),
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(translate("host", "Import teams"))
        self.resize(900, 600)
        valid = preview.valid_rows()
        bad = len(preview.rows) - len(valid)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(
            ui.label(
                translate("host", "Import teams from {source}").format(source=source), "section"
            )
        )
        skipped = sum(1 for row in preview.rows if row.skipped)
        summary = f"{len(preview.rows)} rows: {len(valid)} can be imported"
        if skipped:
            summary += f", {skipped} skipped (drafts, not submitted)"
        if bad - skipped:
            summary += f", {bad - skipped} cannot"
        summary += " (shown in red, with the reason)." if bad else "."
        self.summary = ui.label(summary, wrap=True)
        self.summary.setAccessibleName(translate("host", "Import summary"))
        layout.addWidget(self.summary)
        # Devpost's opt-in prizes: (new, matched) names; skipped rows say why in the table.
        self.prizes = ui.label(model.import_prizes_text(*prizes), wrap=True)
        self.prizes.setAccessibleName(translate("host", "Prizes found"))
        self.prizes.setVisible(bool(prizes[0] or prizes[1]))
        layout.addWidget(self.prizes)
        used = "; ".join(f"{field} ← “{header}”" for field, header in preview.columns.items())
        layout.addWidget(
            ui.label(translate("host", "Columns used: {used}").format(used=used), "hint", wrap=True)
        )
        self.table = ui.table(
            [
                translate("host", "Line"),
                translate("host", "Team"),
                translate("host", "Location"),
                translate("host", "Members"),
                translate("host", "Problem"),
            ],
            translate("host", "Rows to import"),
        )
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        ui.fill(self.table, [(str(row.line), _preview_cells(row)) for row in preview.rows])
        self.table.setColumnWidth(1, 220)
        layout.addWidget(self.table, 1)
        label = (
            translate("host", "Import 1 team")
            if len(valid) == 1
            else translate("host", "Import {v0} teams").format(v0=len(valid))
        )
        self.import_button, cancel = _accept_or_cancel(
            self,
            layout,
            (label, translate("host", "Import the valid rows")),
            translate("host", "Cancel the import"),
            self._import,
        )
        self.import_button.setEnabled(bool(valid))
        (self.import_button if valid else cancel).setFocus()

    def row_problems(self) -> dict[int, str]:
        """Return the problem the table shows for each line that has one."""
        problems = {}
        for row in range(self.table.rowCount()):
            line, problem = self.table.item(row, 0), self.table.item(row, 4)
            if line is not None and problem is not None and problem.text() != "Ready":
                problems[int(line.text())] = problem.text()
        return problems

    def _import(self) -> None:
        self.import_requested.emit(self.preview)


class AutoAssignDialog(QDialog):
    """Give each team k judges, balanced and without conflicts; preview, then apply."""

    plan_requested = Signal(int, bool)  # k, keep the current assignments; answered by show_plan
    apply_requested = Signal(list)  # the plan's assign.put bodies; accepted once applied

    def __init__(self, judges: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bodies: list[dict[str, Any]] = []
        self.setWindowTitle(translate("host", "Auto-assign judges"))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(ui.label(translate("host", "Auto-assign judges"), "section"))
        layout.addWidget(
            ui.label(
                translate(
                    "host",
                    "Each team gets k judges who have no conflict with it, and every judge gets "
                    "as even a share of the teams as the conflicts allow.",
                ),
                "hint",
                wrap=True,
            )
        )
        form = QFormLayout()
        judges = max(1, judges)
        self.k = QSpinBox()
        self.k.setRange(1, judges)
        self.k.setValue(min(3, judges))
        self.k.setAccessibleName(translate("host", "Judges per team"))
        self.k.lineEdit().setTextMargins(6, 0, 0, 0)
        self.k.setMaximumWidth(120)
        self.keep = QCheckBox(translate("host", "Keep current assignments and add to them"))
        self.keep.setAccessibleName(translate("host", "Keep current assignments"))
        form.addRow(translate("host", "Judges per team"), self.k)
        form.addRow("", self.keep)
        layout.addLayout(form)
        self.summary = ui.label("", wrap=True)
        self.summary.setAccessibleName(translate("host", "Assignment preview"))
        layout.addWidget(self.summary)
        self.warnings = QListWidget()
        self.warnings.setAccessibleName(translate("host", "Assignment warnings"))
        self.warnings.setMaximumHeight(140)
        layout.addWidget(self.warnings)
        self.apply_button, _ = _accept_or_cancel(
            self,
            layout,
            (translate("host", "Apply"), translate("host", "Apply the assignment")),
            translate("host", "Cancel auto-assign"),
            self._submit,
        )
        self.apply_button.setEnabled(False)  # until a plan is shown
        self.k.valueChanged.connect(self.update_preview)
        self.keep.toggled.connect(self.update_preview)

    def update_preview(self) -> None:
        """Ask for a plan with the current k."""
        self.plan_requested.emit(self.k.value(), self.keep.isChecked())

    def show_plan(self, plan: model.PlanView) -> None:
        """Show a plan: its summary and warnings; Apply makes its bodies."""
        self.bodies = plan.bodies
        self.summary.setText(plan.summary)
        self.warnings.clear()
        self.warnings.addItems(plan.warnings)
        self.warnings.setVisible(bool(plan.warnings))
        self.apply_button.setEnabled(bool(self.bodies))

    def _submit(self) -> None:
        self.apply_requested.emit(self.bodies)
