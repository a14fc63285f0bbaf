"""The organiser's console: set up the event, hand out codes, run the phases and watch devices.

`HostWindow` renders what `HostController` says and calls its methods; it never touches the
database or the network. Every edit is an admin op, so every peer sees it at once; a refused
edit shows the host's reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import resources
from desktop import host_model as model
from desktop import theme
from desktop.controllers import HostController
from desktop.theme import icon, set_role
from desktop.widgets import add_view_menu, restore_geometry, save_geometry
from storage import paths
from storage.admin import TeamsPreview, parse_teams_csv
from storage.db import DatabaseError
from storage.rebuild import rebuild_host

ID_ROLE = Qt.ItemDataRole.UserRole
# How long a refusal stays on screen unless dismissed, and how often "last seen" is redrawn.
BANNER_MS = 15_000
TICK_MS = 5_000
PAGES = ("Overview", "Setup", "Codes", "Devices", "Control")


def console_sheet() -> str:
    """Return the console's own style rules: those that point at icon files by path.

    A style sheet resolves `url()` against the working directory, so rules with images are
    made here with absolute paths, and the rest stay in resources/light.qss.
    """
    down = resources.path("icons/chevron-down.svg").as_posix()
    up = resources.path("icons/chevron-up.svg").as_posix()
    check = resources.path("icons/check.svg").as_posix()
    c = {name: theme.colour_hex(name) for name in theme.COLOURS[theme.LIGHT]}  # this appearance
    return f"""
QComboBox::drop-down {{ border: none; width: 26px; subcontrol-origin: padding;
    subcontrol-position: center right; }}
QComboBox::down-arrow {{ image: url({down}); width: 12px; height: 12px; }}
QAbstractSpinBox {{ padding: 5px 26px 5px 8px; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ subcontrol-origin: border;
    width: 22px; border: none; border-left: 1px solid {c["border"]}; background: transparent; }}
QAbstractSpinBox::up-button {{ subcontrol-position: top right; }}
QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; }}
QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{
    background: {c["hover"]}; }}
QAbstractSpinBox::up-arrow {{ image: url({up}); width: 10px; height: 10px; }}
QAbstractSpinBox::down-arrow {{ image: url({down}); width: 10px; height: 10px; }}
QCheckBox {{ spacing: 10px; }}
QCheckBox::indicator, QListWidget::indicator, QTableWidget[role="grid"]::indicator {{
    width: 18px; height: 18px; border: 1px solid {c["control"]}; border-radius: 4px;
    background: {c["surface"]}; }}
QCheckBox::indicator:checked, QListWidget::indicator:checked,
QTableWidget[role="grid"]::indicator:checked {{ background: {c["accent"]};
    border-color: {c["accent"]}; image: url({check}); }}
QCheckBox::indicator:focus {{ border: 2px solid {c["focus"]}; }}
QDialog QListWidget::item {{ padding: 5px 6px; }}
QTableWidget[console="yes"] {{ outline: 0; }}
QScrollBar:vertical {{ background: transparent; width: 12px; margin: 2px; }}
QScrollBar:horizontal {{ background: transparent; height: 12px; margin: 2px; }}
QScrollBar::handle {{ background: {c["handle"]}; border-radius: 4px; min-height: 32px;
    min-width: 32px; }}
QScrollBar::handle:hover {{ background: {c["handle-hover"]}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
"""


# --- things tests replace: modal questions and file pickers ------------------------------------


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask before a weighty step; True when the user chose `action`."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel)
    box.setParent(parent, box.windowFlags())
    accept = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is accept


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
    """Ask where to write a file."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return Path(path) if path else None


def ask_open_path(parent: QWidget, title: str, filters: str) -> Path | None:
    """Ask which file to read."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(path) if path else None


# --- small builders ------------------------------------------------------------------------------


def _label(text: str = "", role: str | None = None, *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if role:
        set_role(label, role)
    label.setWordWrap(wrap)
    return label


def _button(text: str, name: str, role: str | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    if role:
        set_role(button, role)
    return button


def _card(title: str | None = None, hint: str | None = None) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    set_role(card, "card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(20, 18, 20, 20)
    layout.setSpacing(10)
    if title:
        layout.addWidget(_label(title, "section"))
    if hint:
        layout.addWidget(_label(hint, "hint", wrap=True))
    return card, layout


def _table(headers: Sequence[str], name: str, stretch: int = 1) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setAccessibleName(name)
    set_role(table, "yes", "console")
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(38)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(False)
    header.setMinimumSectionSize(64)
    for column in range(len(headers)):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if column == stretch
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(column, mode)
    return table


def _item(text: str, key: str | None = None, *, color: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text if len(text) > 40 else "")
    if key is not None:
        item.setData(ID_ROLE, key)
    if color is not None:
        item.setForeground(color)
    return item


def _fill(
    table: QTableWidget, rows: Sequence[tuple[str, Sequence[QTableWidgetItem | str]]]
) -> None:
    """Replace a table's rows (key, cells), keeping the selected key selected."""
    selected = _selected_key(table)
    table.setRowCount(len(rows))
    for index, (key, cells) in enumerate(rows):
        for column, cell in enumerate(cells):
            item = cell if isinstance(cell, QTableWidgetItem) else _item(cell)
            item.setData(ID_ROLE, key)
            table.setItem(index, column, item)
        if key == selected:
            table.selectRow(index)


def _selected_key(table: QTableWidget) -> str | None:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return None if item is None else item.data(ID_ROLE)


def _toolbar(*widgets: QWidget, stretch_at: int | None = None) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    for index, widget in enumerate(widgets):
        if index == stretch_at:
            row.addStretch(1)
        row.addWidget(widget)
    if stretch_at is None or stretch_at >= len(widgets):
        row.addStretch(1)
    return row


def _cell(widget: QWidget) -> QWidget:
    """Wrap a widget for a table cell, centred vertically with some air around it."""
    holder = QWidget()
    holder.setObjectName("cell")
    box = QHBoxLayout(holder)
    box.setContentsMargins(8, 0, 8, 0)
    box.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
    return holder


def _fit_height(table: QTableWidget, *, wide: bool = False, least: int = 2) -> None:
    """Let a table be no taller than its rows, so a short list does not end in a blank box."""
    rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
    rows = max(rows, least * table.verticalHeader().defaultSectionSize())
    height = table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + 2
    if wide:
        height += table.horizontalScrollBar().sizeHint().height()
    table.setMaximumHeight(height)


class _CheckDelegate(QStyledItemDelegate):
    """Draw a checkable cell's box in its centre; a click anywhere in the cell toggles it."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Paint the cell's background, then its check box, centred."""
        if not index.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            super().paint(painter, option, index)
            return
        view = QStyleOptionViewItem(option)
        self.initStyleOption(view, index)
        widget = view.widget
        style = widget.style() if widget is not None else QApplication.style()
        checked = _checked(index)
        view.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        view.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view, painter, widget)
        box = QStyleOptionViewItem(view)
        size = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, view, widget)
        box.rect = QRect(0, 0, size, size)
        box.rect.moveCenter(option.rect.center())
        box.state = (box.state & ~QStyle.StateFlag.State_HasFocus) | (
            QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off
        )
        style.drawPrimitive(
            QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck, box, painter, widget
        )

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """Toggle on a left click or Space; swallow the other clicks."""
        flags = index.flags()
        if not (flags & Qt.ItemFlag.ItemIsUserCheckable and flags & Qt.ItemFlag.ItemIsEnabled):
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            if event.button() != Qt.MouseButton.LeftButton:
                return False
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            return True
        elif not (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select)
        ):
            return False
        state = Qt.CheckState.Unchecked if _checked(index) else Qt.CheckState.Checked
        return bool(model.setData(index, state, Qt.ItemDataRole.CheckStateRole))


def _checked(index: QModelIndex | QPersistentModelIndex) -> bool:
    value = index.data(Qt.ItemDataRole.CheckStateRole)
    if value is None:
        return False
    return bool(Qt.CheckState(value) == Qt.CheckState.Checked)


def _sentence(text: str) -> str:
    """Return `text` with a capital first letter (storage messages start in lowercase)."""
    return text[:1].upper() + text[1:]


def _copy(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


# --- dialogs -------------------------------------------------------------------------------------

Save = Callable[[dict[str, Any]], str | None]


class _EditDialog(QDialog):
    """A form with Save and Cancel; Save calls `save(values)` and stays open on a problem."""

    def __init__(self, title: str, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self._save = save
        self.form = QFormLayout()
        self.form.setSpacing(10)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.problem = _label("", "error", wrap=True)
        self.problem.setAccessibleName("Problem")
        self.problem.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Save")
        set_role(self.save_button, "primary")
        self.save_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(_label(title, "section"))
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        """Return what the form holds."""
        raise NotImplementedError

    def check(self) -> str | None:
        """Return why the form cannot be saved, before asking the host."""
        return None

    def show_problem(self, text: str) -> None:
        """Show why saving failed (a form problem or the host's refusal)."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _submit(self) -> None:
        problem = self.check() or self._save(self.values())
        if problem:
            self.show_problem(problem)
        else:
            self.accept()


def _spin(low: float, high: float, value: float, name: str, decimals: int = 2) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setValue(value)
    spin.setAccessibleName(name)
    spin.lineEdit().setTextMargins(6, 0, 0, 0)  # style sheet padding does not reach it
    return spin


class CriterionDialog(_EditDialog):
    """Add or edit a criterion: name, description, weight and scale."""

    def __init__(
        self, save: Save, criterion: dict[str, Any] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Edit criterion" if criterion else "Add a criterion", save, parent)
        current = criterion or {}
        self.name = QLineEdit(current.get("name", ""))
        self.name.setAccessibleName("Criterion name")
        self.name.setPlaceholderText("e.g. Innovation")
        self.description = QPlainTextEdit(current.get("description", ""))
        self.description.setAccessibleName("Criterion description")
        self.description.setPlaceholderText("What judges should look for (optional)")
        self.description.setFixedHeight(80)
        self.weight = _spin(0.01, 1000, float(current.get("weight", 1)), "Weight")
        self.low = _spin(-1e6, 1e6, float(current.get("min", 0)), "Lowest score")
        self.high = _spin(-1e6, 1e6, float(current.get("max", 10)), "Highest score")
        self.step = _spin(0.01, 1e6, float(current.get("step", 1)), "Step")
        scale = QHBoxLayout()
        scale.addWidget(self.low)
        scale.addWidget(_label("to"))
        scale.addWidget(self.high)
        scale.addWidget(_label("in steps of"))
        scale.addWidget(self.step)
        self.form.addRow("Name", self.name)
        self.form.addRow("Description", self.description)
        self.form.addRow("Weight", self.weight)
        self.form.addRow("Scale", scale)

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


class TeamDialog(_EditDialog):
    """Add or edit a team: name, location (a table number) and members."""

    def __init__(
        self, save: Save, team: dict[str, Any] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Edit team" if team else "Add a team", save, parent)
        current = team or {}
        self.name = QLineEdit(current.get("name", ""))
        self.name.setAccessibleName("Team name")
        self.location = QLineEdit(current.get("location", ""))
        self.location.setAccessibleName("Team location")
        self.location.setPlaceholderText("e.g. Table 12")
        self.members = QPlainTextEdit("\n".join(current.get("members", [])))
        self.members.setAccessibleName("Team members")
        self.members.setPlaceholderText("One name a line")
        self.members.setFixedHeight(110)
        self.form.addRow("Name", self.name)
        self.form.addRow("Location", self.location)
        self.form.addRow("Members", self.members)

    def values(self) -> dict[str, Any]:
        """Return the form's fields."""
        return {
            "name": self.name.text(),
            "location": self.location.text(),
            "members": self.members.toPlainText(),
        }

    def check(self) -> str | None:
        """A team needs a name."""
        return None if self.name.text().strip() else "Give the team a name."


class JudgeDialog(_EditDialog):
    """Add or edit a judge: name and the teams it has a conflict of interest with."""

    def __init__(
        self,
        save: Save,
        teams: dict[str, dict[str, Any]],
        judge: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit judge" if judge else "Add a judge", save, parent)
        current = judge or {}
        self.name = QLineEdit(current.get("name", ""))
        self.name.setAccessibleName("Judge name")
        self.conflicts = QListWidget()
        self.conflicts.setAccessibleName("Conflicts of interest")
        self.conflicts.setMinimumHeight(240)
        chosen = set(current.get("conflicts", []))
        for team_id, team in sorted(teams.items(), key=lambda t: t[1]["name"].casefold()):
            item = QListWidgetItem(team["name"])
            item.setData(ID_ROLE, team_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if team_id in chosen else Qt.CheckState.Unchecked
            )
            self.conflicts.addItem(item)
        self.form.addRow("Name", self.name)
        self.form.addRow("Conflicts", self.conflicts)
        self.form.addRow("", _label("Tick the teams this judge must not score.", "hint"))

    def set_conflict(self, team_id: str, conflict: bool = True) -> None:
        """Tick or untick a team."""
        for row in range(self.conflicts.count()):
            item = self.conflicts.item(row)
            if item.data(ID_ROLE) == team_id:
                state = Qt.CheckState.Checked if conflict else Qt.CheckState.Unchecked
                item.setCheckState(state)

    def values(self) -> dict[str, Any]:
        """Return the form's fields."""
        chosen = [
            self.conflicts.item(row).data(ID_ROLE)
            for row in range(self.conflicts.count())
            if self.conflicts.item(row).checkState() == Qt.CheckState.Checked
        ]
        return {"name": self.name.text(), "conflicts": chosen}

    def check(self) -> str | None:
        """A judge needs a name."""
        return None if self.name.text().strip() else "Give the judge a name."


class ImportTeamsDialog(QDialog):
    """Preview a team sheet row by row, with each row's problem; import only the valid rows."""

    def __init__(
        self,
        preview: TeamsPreview,
        source: str,
        run_import: Callable[[TeamsPreview], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self._run_import = run_import
        self.setWindowTitle("Import teams")
        self.resize(900, 600)
        valid = preview.valid_rows()
        bad = len(preview.rows) - len(valid)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(_label(f"Import teams from {source}", "section"))
        summary = f"{len(preview.rows)} rows: {len(valid)} can be imported"
        summary += f", {bad} cannot (shown in red, with the reason)." if bad else "."
        self.summary = _label(summary, wrap=True)
        self.summary.setAccessibleName("Import summary")
        layout.addWidget(self.summary)
        used = "; ".join(f"{field} ← “{header}”" for field, header in preview.columns.items())
        layout.addWidget(_label(f"Columns used: {used}", "hint", wrap=True))
        self.table = _table(["Line", "Team", "Location", "Members", "Problem"], "Rows to import")
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        rows = []
        for row in preview.rows:
            color = theme.colour("bad") if row.error else None
            cells = [
                _item(str(row.line)),
                _item(row.name or "(empty)", color=color),
                _item(row.location),
                _item(", ".join(row.members)),
                _item(
                    _sentence(row.error) if row.error else "Ready",
                    color=theme.colour("bad") if row.error else theme.colour("good"),
                ),
            ]
            if row.error:
                for cell in cells:
                    cell.setBackground(theme.colour("bad-row"))
            rows.append((str(row.line), cells))
        _fill(self.table, rows)
        self.table.setColumnWidth(1, 220)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        label = f"Import {len(valid)} team" + ("" if len(valid) == 1 else "s")
        self.import_button = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Import the valid rows")
        self.import_button.setEnabled(bool(valid))
        set_role(self.import_button, "primary")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel the import")
        buttons.accepted.connect(self._import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
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
        if self._run_import(self.preview):
            self.accept()


class AutoAssignDialog(QDialog):
    """Give each team k judges, balanced and without conflicts; preview, then apply."""

    def __init__(
        self,
        controller: HostController,
        apply: Callable[[list[dict[str, Any]]], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._apply = apply
        self.bodies: list[dict[str, Any]] = []
        self.setWindowTitle("Auto-assign judges")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(_label("Auto-assign judges", "section"))
        layout.addWidget(
            _label(
                "Each team gets k judges who have no conflict with it, and every judge gets "
                "as even a share of the teams as the conflicts allow.",
                "hint",
                wrap=True,
            )
        )
        form = QFormLayout()
        judges = max(1, len(controller.replica.state.judges()))
        self.k = QSpinBox()
        self.k.setRange(1, judges)
        self.k.setValue(min(3, judges))
        self.k.setAccessibleName("Judges per team")
        self.k.lineEdit().setTextMargins(6, 0, 0, 0)
        self.k.setMaximumWidth(120)
        self.keep = QCheckBox("Keep current assignments and add to them")
        self.keep.setAccessibleName("Keep current assignments")
        form.addRow("Judges per team", self.k)
        form.addRow("", self.keep)
        layout.addLayout(form)
        self.summary = _label("", wrap=True)
        self.summary.setAccessibleName("Assignment preview")
        layout.addWidget(self.summary)
        self.warnings = QListWidget()
        self.warnings.setAccessibleName("Assignment warnings")
        self.warnings.setMaximumHeight(140)
        layout.addWidget(self.warnings)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setAccessibleName("Apply the assignment")
        set_role(self.apply_button, "primary")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel auto-assign")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.k.valueChanged.connect(self.update_preview)
        self.keep.toggled.connect(self.update_preview)
        self.update_preview()

    def update_preview(self) -> None:
        """Plan again with the current k and show the outcome."""
        result, self.bodies = self.controller.plan_assignment(
            self.k.value(), keep_current=self.keep.isChecked()
        )
        self.summary.setText(model.plan_summary(result, self.bodies))
        self.warnings.clear()
        state = self.controller.replica.state
        teams, judges = state.teams(), state.judges()
        for warning in result.warnings:
            self.warnings.addItem(f"⚠ {model.with_names(warning, teams, judges)}.")
        self.warnings.setVisible(bool(result.warnings))
        self.apply_button.setEnabled(bool(self.bodies))

    def _submit(self) -> None:
        if self._apply(self.bodies):
            self.accept()


# --- pages ---------------------------------------------------------------------------------------


class _Page(QScrollArea):
    """A page of the console: a heading, then content, scrolling when the window is small."""

    def __init__(self, title: str, hint: str) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        set_role(self, "page")
        body = QWidget()
        body.setObjectName("page")
        self.setWidget(body)
        self.content = QVBoxLayout(body)
        self.content.setContentsMargins(28, 22, 28, 28)
        self.content.setSpacing(16)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(_label(title, "pageTitle"))
        self.hint = _label(hint, "hint", wrap=True)
        heading.addWidget(self.hint)
        self.content.addLayout(heading)

    def refresh(self) -> None:
        """Redraw from the controller."""
        raise NotImplementedError


class OverviewPage(_Page):
    """Figures at a glance, the live leaderboard, each judge's progress and notifications."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__("Overview", "The live results as the host holds them now.")
        self.window_ = window
        self.controller = window.controller
        tiles = QHBoxLayout()
        tiles.setSpacing(16)
        self.tiles: dict[str, tuple[QLabel, QLabel]] = {}
        for key, caption in (
            ("teams", "Teams"),
            ("judges", "Judges"),
            ("sheets", "Final sheets"),
            ("online", "Devices online"),
        ):
            card, layout = _card()
            layout.setSpacing(2)
            value = _label("0", "stat")
            value.setAccessibleName(caption)
            note = _label("", "hint")
            layout.addWidget(_label(caption, "caption"))
            layout.addWidget(value)
            layout.addWidget(note)
            tiles.addWidget(card)
            self.tiles[key] = (value, note)
        self.content.addLayout(tiles)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        board_card, board = _card(
            "Leaderboard", "Ranked by total; teams without a final sheet last."
        )
        self.board = _table(["Rank", "Team", "Total", "Judges"], "Leaderboard")
        self.board.setMinimumHeight(360)
        board.addWidget(self.board, 1)
        columns.addWidget(board_card, 3)

        side = QVBoxLayout()
        side.setSpacing(16)
        progress_card, progress = _card(
            "Judge progress", "Final sheets of the teams each may score."
        )
        self.progress = _table(["Judge", "Done", "Drafts"], "Judge progress", stretch=1)
        self.progress.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.progress.setColumnWidth(0, 170)
        self.progress.setMinimumHeight(200)
        progress.addWidget(self.progress, 1)
        side.addWidget(progress_card, 1)

        notify_card, notify = _card("Send a notification")
        to_row = QHBoxLayout()
        self.audience = QComboBox()
        self.audience.setAccessibleName("Send to")
        for key, text in model.AUDIENCES:
            self.audience.addItem(text, key)
        self.target = QComboBox()
        self.target.setAccessibleName("Recipient")
        self.target.setMinimumWidth(180)
        to_row.addWidget(_label("To"))
        to_row.addWidget(self.audience)
        to_row.addWidget(self.target, 1)
        notify.addLayout(to_row)
        send_row = QHBoxLayout()
        self.message = QLineEdit()
        self.message.setAccessibleName("Notification message")
        self.message.setPlaceholderText("e.g. Lunch is served in the atrium")
        self.message.setMaxLength(1000)
        self.send = _button("Send", "Send the notification", "primary")
        send_row.addWidget(self.message, 1)
        send_row.addWidget(self.send)
        notify.addLayout(send_row)
        notify.addWidget(_label("Recently sent", "caption"))
        self.recent = _label("", "hint", wrap=True)
        self.recent.setAccessibleName("Recent notifications")
        self.recent.setTextFormat(Qt.TextFormat.PlainText)
        notify.addWidget(self.recent)
        side.addWidget(notify_card)
        columns.addLayout(side, 2)
        self.content.addLayout(columns, 1)

        self.audience.currentIndexChanged.connect(self._fill_targets)
        self.send.clicked.connect(self.send_notification)
        self.message.returnPressed.connect(self.send_notification)

    def refresh(self) -> None:
        """Redraw from the controller."""
        state = self.controller.replica.state
        teams, judges = state.teams(), state.judges()
        team_progress = self.controller.team_progress()
        done = sum(final for final, _ in team_progress.values())
        expected = sum(total for _, total in team_progress.values())
        online = self.controller.online_count()
        progress_rows = self.controller.judge_progress()
        started = sum(1 for row in progress_rows if row.final or row.drafts)
        figures = {
            "teams": (str(len(teams)), f"{sum(1 for f, _ in team_progress.values() if f)} scored"),
            "judges": (str(len(judges)), f"{started} started scoring"),
            "sheets": (str(done), f"of {expected} expected ({model.percent(done, expected)}%)"),
            "online": (str(online), f"of {len(self.controller.devices())} paired"),
        }
        for key, (value, note) in figures.items():
            self.tiles[key][0].setText(value)
            self.tiles[key][1].setText(note)

        lines = model.board_lines(self.controller.replica.board.rows(), team_progress)
        rows = []
        for line in lines:
            cells = [
                _item(line.rank),
                _item(line.team),
                _item(line.total, color=theme.colour("muted") if line.total == "—" else None),
                _item(line.judges),
            ]
            cells[2].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if line.rank in ("1", "2", "3"):
                for cell in cells[:3]:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
            rows.append((line.team_id, cells))
        _fill(self.board, rows)
        _fill(
            self.progress,
            [(row.judge, [row.name, "", str(row.drafts)]) for row in progress_rows],
        )
        for index, row in enumerate(progress_rows):
            bar = QProgressBar()
            set_role(bar, "meter")
            bar.setRange(0, max(1, row.expected))
            bar.setValue(min(row.final, max(1, row.expected)))
            bar.setFormat(f"{row.final} of {row.expected}")
            bar.setAccessibleName(f"{row.name}: {row.final} of {row.expected} final")
            bar.setMinimumWidth(140)
            self.progress.setCellWidget(index, 1, _cell(bar))
        self._fill_targets()
        recent = model.recent_notifications(state, 3)
        self.recent.setText(
            "\n".join(f"{when}  {who}: {message}" for when, who, message in recent)
            or "No notification sent yet."
        )

    def _fill_targets(self) -> None:
        audience = self.audience.currentData()
        state = self.controller.replica.state
        chosen = self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        entities = (
            state.judges() if audience == "judge" else state.teams() if audience == "team" else {}
        )
        for entity_id, entity in sorted(entities.items(), key=lambda e: e[1]["name"].casefold()):
            self.target.addItem(entity["name"], entity_id)
        self.target.setEnabled(bool(entities))
        if not entities:
            self.target.addItem("—", None)
        index = self.target.findData(chosen)
        if index >= 0:
            self.target.setCurrentIndex(index)
        self.target.blockSignals(False)

    def send_notification(self) -> None:
        """Send the message to the chosen audience."""
        text = self.message.text().strip()
        if not text:
            self.window_.flash("Type a message first.")
            return
        audience = self.audience.currentData()
        rejection = self.controller.notify(audience, self.target.currentData(), text)
        if rejection is None:
            self.message.clear()
            who = self.audience.currentText()
            if audience in ("judge", "team"):
                who = self.target.currentText()
            self.window_.flash(f"Notification sent to {who}.")


class CriteriaTab(QWidget):
    """The criteria: add, edit, remove and reorder."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__()
        self.window_ = window
        self.controller = window.controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        self.add = _button("Add criterion", "Add a criterion", "primary")
        self.edit = _button("Edit…", "Edit the selected criterion")
        self.remove = _button("Remove", "Remove the selected criterion", "danger")
        self.up = _button("Move up", "Move the selected criterion up")
        self.down = _button("Move down", "Move the selected criterion down")
        layout.addLayout(_toolbar(self.add, self.edit, self.remove, self.up, self.down))
        self.table = _table(
            ["#", "Criterion", "Weight", "Scale", "Step", "Description"], "Criteria", stretch=5
        )
        layout.addWidget(self.table, 1)
        self.add.clicked.connect(self.add_criterion)
        self.edit.clicked.connect(self.edit_criterion)
        self.remove.clicked.connect(self.remove_criterion)
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down.clicked.connect(lambda: self.move_selected(1))
        self.table.doubleClicked.connect(self.edit_criterion)

    def refresh(self) -> None:
        """Redraw from the replica's state."""
        criteria = self.controller.replica.state.criteria()
        _fill(
            self.table,
            [
                (
                    c["id"],
                    [
                        str(index + 1),
                        c["name"],
                        f"{c['weight']:g}",
                        f"{c['min']:g} – {c['max']:g}",
                        f"{c['step']:g}",
                        c["description"],
                    ],
                )
                for index, c in enumerate(criteria)
            ],
        )

    def _selected(self) -> tuple[int, dict[str, Any]] | None:
        key = _selected_key(self.table)
        for index, criterion in enumerate(self.controller.replica.state.criteria()):
            if criterion["id"] == key:
                return index, criterion
        return None

    def add_criterion(self) -> None:
        """Open the form for a new criterion."""

        def save(v: dict[str, Any]) -> str | None:
            state = self.controller.replica.state
            body = model.criterion_body(
                self.controller.new_id("criterion", v["name"]),
                v["name"],
                description=v["description"],
                weight=v["weight"],
                low=v["low"],
                high=v["high"],
                step=v["step"],
                order=model.next_order(state.criteria()),
            )
            rejection = self.controller.admin("criterion.put", body)
            return None if rejection is None else rejection.message

        self.window_.open_dialog(CriterionDialog(save, parent=self.window_))

    def edit_criterion(self) -> None:
        """Open the form for the selected criterion."""
        selected = self._selected()
        if selected is None:
            self.window_.flash("Select a criterion first.")
            return
        _, current = selected

        def save(v: dict[str, Any]) -> str | None:
            body = model.criterion_body(
                current["id"],
                v["name"],
                description=v["description"],
                weight=v["weight"],
                low=v["low"],
                high=v["high"],
                step=v["step"],
                order=current["order"],
            )
            rejection = self.controller.admin("criterion.put", body)
            return None if rejection is None else rejection.message

        self.window_.open_dialog(CriterionDialog(save, current, parent=self.window_))

    def remove_criterion(self) -> None:
        """Remove the selected criterion, after asking."""
        selected = self._selected()
        if selected is None:
            self.window_.flash("Select a criterion first.")
            return
        _, current = selected
        if confirm(
            self.window_,
            "Remove criterion",
            f"Remove {current['name']}? Scores already given for it stop counting.",
            "Remove",
        ):
            self.controller.admin("criterion.del", {"id": current["id"]})

    def move_selected(self, delta: int) -> None:
        """Move the selected criterion up (-1) or down (+1)."""
        selected = self._selected()
        if selected is None:
            return
        index, _ = selected
        bodies = model.reorder_bodies(self.controller.replica.state.criteria(), index, delta)
        self.controller.admin_all("criterion.put", bodies)


class TeamsTab(QWidget):
    """The teams: add, edit, remove, import from a CSV."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__()
        self.window_ = window
        self.controller = window.controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        self.add = _button("Add team", "Add a team", "primary")
        self.import_csv = _button("Import CSV…", "Import teams from a CSV file")
        self.edit = _button("Edit…", "Edit the selected team")
        self.remove = _button("Remove", "Remove the selected team", "danger")
        self.count = _label("", "hint")
        layout.addLayout(_toolbar(self.add, self.import_csv, self.edit, self.remove))
        self.table = _table(["Team", "Location", "Members", "Id"], "Teams", stretch=2)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 240)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.add.clicked.connect(self.add_team)
        self.edit.clicked.connect(self.edit_team)
        self.remove.clicked.connect(self.remove_team)
        self.import_csv.clicked.connect(self.choose_csv)
        self.table.doubleClicked.connect(self.edit_team)

    def refresh(self) -> None:
        """Redraw from the replica's state."""
        teams = sorted(
            self.controller.replica.state.teams().values(), key=lambda t: t["name"].casefold()
        )
        _fill(
            self.table,
            [
                (
                    t["id"],
                    [
                        t["name"],
                        t["location"],
                        ", ".join(t["members"]),
                        _item(t["id"], color=theme.colour("muted")),
                    ],
                )
                for t in teams
            ],
        )
        self.count.setText(f"{len(teams)} team" + ("" if len(teams) == 1 else "s"))

    def add_team(self) -> None:
        """Open the form for a new team."""

        def save(v: dict[str, Any]) -> str | None:
            team_id = self.controller.new_id("team", v["name"])
            body = model.team_put_body(team_id, v["name"], v["location"], v["members"])
            rejection = self.controller.admin("team.put", body)
            return None if rejection is None else rejection.message

        self.window_.open_dialog(TeamDialog(save, parent=self.window_))

    def edit_team(self) -> None:
        """Open the form for the selected team."""
        team = self.controller.replica.state.team(_selected_key(self.table) or "")
        if team is None:
            self.window_.flash("Select a team first.")
            return

        def save(v: dict[str, Any]) -> str | None:
            body = model.team_put_body(team["id"], v["name"], v["location"], v["members"])
            rejection = self.controller.admin("team.put", body)
            return None if rejection is None else rejection.message

        self.window_.open_dialog(TeamDialog(save, team, parent=self.window_))

    def remove_team(self) -> None:
        """Remove the selected team, after asking."""
        team = self.controller.replica.state.team(_selected_key(self.table) or "")
        if team is None:
            self.window_.flash("Select a team first.")
            return
        if confirm(
            self.window_,
            "Remove team",
            f"Remove {team['name']}? It leaves the leaderboard and its join code stops working.",
            "Remove",
        ):
            self.controller.admin("team.del", {"id": team["id"]})

    def choose_csv(self) -> None:
        """Pick a CSV file (a Devpost export or any sheet with a team name column)."""
        path = ask_open_path(self.window_, "Import teams", "CSV files (*.csv *.txt);;All files (*)")
        if path is not None:
            self.window_.preview_import(path)


class JudgesTab(QWidget):
    """The judges: add, edit (with conflicts of interest), remove."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__()
        self.window_ = window
        self.controller = window.controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        self.add = _button("Add judge", "Add a judge", "primary")
        self.edit = _button("Edit…", "Edit the selected judge")
        self.remove = _button("Remove", "Remove the selected judge", "danger")
        layout.addLayout(_toolbar(self.add, self.edit, self.remove))
        self.table = _table(["Judge", "Conflicts of interest", "Assigned", "Id"], "Judges")
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 220)
        layout.addWidget(self.table, 1)
        self.add.clicked.connect(self.add_judge)
        self.edit.clicked.connect(self.edit_judge)
        self.remove.clicked.connect(self.remove_judge)
        self.table.doubleClicked.connect(self.edit_judge)

    def refresh(self) -> None:
        """Redraw from the replica's state."""
        state = self.controller.replica.state
        teams = state.teams()
        judges = sorted(state.judges().values(), key=lambda j: j["name"].casefold())
        rows = []
        for judge in judges:
            conflicts = ", ".join(
                sorted(teams[t]["name"] for t in judge["conflicts"] if t in teams)
            )
            assigned = state.assigned_teams(judge["id"]) & teams.keys()
            load = (
                f"{len(assigned)} team" + ("" if len(assigned) == 1 else "s")
                if assigned
                else "Any team (no list)"
            )
            rows.append(
                (
                    judge["id"],
                    [
                        judge["name"],
                        _item(
                            conflicts or "None", color=None if conflicts else theme.colour("muted")
                        ),
                        load,
                        _item(judge["id"], color=theme.colour("muted")),
                    ],
                )
            )
        _fill(self.table, rows)

    def _save(self, judge_id: str | None) -> Save:
        def save(v: dict[str, Any]) -> str | None:
            ident = judge_id or self.controller.new_id("judge", v["name"])
            rejection = self.controller.save_judge(ident, v["name"], v["conflicts"])
            return None if rejection is None else rejection.message

        return save

    def add_judge(self) -> None:
        """Open the form for a new judge."""
        teams = self.controller.replica.state.teams()
        self.window_.open_dialog(JudgeDialog(self._save(None), teams, parent=self.window_))

    def edit_judge(self) -> None:
        """Open the form for the selected judge."""
        state = self.controller.replica.state
        judge = state.judge(_selected_key(self.table) or "")
        if judge is None:
            self.window_.flash("Select a judge first.")
            return
        dialog = JudgeDialog(self._save(judge["id"]), state.teams(), judge, parent=self.window_)
        self.window_.open_dialog(dialog)

    def remove_judge(self) -> None:
        """Remove the selected judge, after asking."""
        judge = self.controller.replica.state.judge(_selected_key(self.table) or "")
        if judge is None:
            self.window_.flash("Select a judge first.")
            return
        if confirm(
            self.window_,
            "Remove judge",
            f"Remove {judge['name']}? Their sheets stop counting and their join code stops "
            "working.",
            "Remove",
        ):
            self.controller.admin("judge.del", {"id": judge["id"]})


class AssignmentsTab(QWidget):
    """Who judges whom: a judge x team grid of ticks, and auto-assignment."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__()
        self.window_ = window
        self.controller = window.controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        self.auto = _button("Auto-assign…", "Auto-assign k judges per team", "primary")
        self.clear = _button("Clear all", "Clear every assignment", "danger")
        layout.addLayout(_toolbar(self.auto, self.clear))
        layout.addWidget(
            _label(
                "Tick the teams each judge scores. A judge with no ticks may score every team "
                "it has no conflict with; greyed cells are conflicts of interest.",
                "hint",
                wrap=True,
            )
        )
        self.grid = QTableWidget()
        self.grid.setAccessibleName("Assignments")
        set_role(self.grid, "grid")
        self.grid.setItemDelegate(_CheckDelegate(self.grid))
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.grid.setShowGrid(True)
        self.grid.verticalHeader().setDefaultSectionSize(40)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.grid.horizontalHeader()
        header.setMinimumSectionSize(96)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        layout.addWidget(self.grid, 1)
        self.summary = _label("", "hint", wrap=True)
        self.summary.setAccessibleName("Assignment summary")
        layout.addWidget(self.summary)
        layout.addStretch(0)
        self.judge_ids: list[str] = []
        self.team_ids: list[str] = []
        self.auto.clicked.connect(self.auto_assign)
        self.clear.clicked.connect(self.clear_all)
        self.grid.itemChanged.connect(self._ticked)

    def refresh(self) -> None:
        """Redraw the grid from the replica's state."""
        state = self.controller.replica.state
        teams = sorted(state.teams().values(), key=lambda t: t["name"].casefold())
        judges = sorted(state.judges().values(), key=lambda j: j["name"].casefold())
        self.team_ids = [t["id"] for t in teams]
        self.judge_ids = [j["id"] for j in judges]
        assigned = {j["id"]: state.assigned_teams(j["id"]) for j in judges}
        per_team = {t: sum(1 for a in assigned.values() if t in a) for t in self.team_ids}
        self.grid.blockSignals(True)
        self.grid.setRowCount(len(judges))
        self.grid.setColumnCount(len(teams))
        for column, team in enumerate(teams):
            count = per_team[team["id"]]
            header = QTableWidgetItem(f"{team['name']}\n{count} judge{'s' if count != 1 else ''}")
            header.setToolTip(team["name"])
            self.grid.setHorizontalHeaderItem(column, header)
        labels = []
        for judge in judges:
            load = len(assigned[judge["id"]] & set(self.team_ids))
            labels.append(f"{judge['name']}  ({load or 'any'})")
        self.grid.setVerticalHeaderLabels(labels)
        for row, judge in enumerate(judges):
            for column, team in enumerate(teams):
                item = QTableWidgetItem()
                name = f"{judge['name']} judges {team['name']}"
                if team["id"] in judge["conflicts"]:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    item.setText("conflict")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    item.setForeground(theme.colour("muted"))
                    item.setBackground(theme.colour("conflict"))
                    item.setToolTip(
                        f"{judge['name']} has a conflict of interest with {team['name']}"
                    )
                    name = f"{judge['name']} has a conflict with {team['name']}"
                else:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                    ticked = team["id"] in assigned[judge["id"]]
                    item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                    if ticked:
                        item.setBackground(theme.colour("assigned"))
                item.setData(Qt.ItemDataRole.AccessibleTextRole, name)
                self.grid.setItem(row, column, item)
        self.grid.blockSignals(False)
        self.summary.setText(
            model.assignment_summary(
                {j: len(a & set(self.team_ids)) for j, a in assigned.items()}, per_team
            )
        )
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Spread the columns over the new width."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Give each column its natural width (at most 220 px), sharing out what room is left."""
        columns = self.grid.columnCount()
        if not columns:
            return
        header = self.grid.horizontalHeader()
        natural = [
            min(220, max(96, header.sectionSizeFromContents(c).width() + 4)) for c in range(columns)
        ]
        room = self.grid.width() - self.grid.verticalHeader().width() - 2 * self.grid.frameWidth()
        extra = max(0, room - sum(natural)) // columns
        for column, width in enumerate(natural):
            self.grid.setColumnWidth(column, width + extra)
        # The grid takes the page's height: its two-line headers defeat a fitted height, and
        # a clipped grid of checkboxes is worse than white space below it.

    def cell(self, judge_id: str, team_id: str) -> QTableWidgetItem:
        """Return the grid cell of a judge and a team."""
        item = self.grid.item(self.judge_ids.index(judge_id), self.team_ids.index(team_id))
        assert item is not None
        return item

    def _ticked(self, item: QTableWidgetItem) -> None:
        if not item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return
        judge, team = self.judge_ids[item.row()], self.team_ids[item.column()]
        ticked = item.checkState() == Qt.CheckState.Checked
        if ticked == (team in self.controller.replica.state.assigned_teams(judge)):
            return
        body = {"judge": judge, "team": team, "assigned": ticked}
        if self.controller.admin("assign.put", body) is not None:
            self.refresh()  # refused: show the state as it is

    def auto_assign(self) -> None:
        """Open the auto-assign dialog."""
        state = self.controller.replica.state
        if not state.judges() or not state.teams():
            self.window_.flash("Add judges and teams first.")
            return
        self.window_.open_dialog(
            AutoAssignDialog(self.controller, self.window_.apply_assignment, self.window_)
        )

    def clear_all(self) -> None:
        """Remove every assignment, after asking."""
        state = self.controller.replica.state
        bodies = [
            {"judge": judge, "team": team, "assigned": False}
            for judge in sorted(state.judges())
            for team in sorted(state.assigned_teams(judge))
        ]
        if not bodies:
            self.window_.flash("No judge has assignments.")
            return
        if confirm(
            self.window_,
            "Clear assignments",
            "Clear every assignment? Every judge may then score every team it has no "
            "conflict with.",
            "Clear all",
        ):
            self.window_.apply_assignment(bodies)


class SetupPage(_Page):
    """Criteria, teams, judges and assignments."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__("Event setup", "")
        self.controller = window.controller
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Setup sections")
        self.tabs.setDocumentMode(False)
        self.criteria = CriteriaTab(window)
        self.teams = TeamsTab(window)
        self.judges = JudgesTab(window)
        self.assignments = AssignmentsTab(window)
        self.tabs.addTab(self.criteria, "Criteria")
        self.tabs.addTab(self.teams, "Teams")
        self.tabs.addTab(self.judges, "Judges")
        self.tabs.addTab(self.assignments, "Assignments")
        self.tabs.setMinimumHeight(520)
        self.content.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        """Redraw every tab."""
        state = self.controller.replica.state
        self.hint.setText(model.setup_hint(state.phase))
        counts = (len(state.criteria()), len(state.teams()), len(state.judges()))
        for index, (name, count) in enumerate(
            zip(("Criteria", "Teams", "Judges"), counts, strict=True)
        ):
            self.tabs.setTabText(index, f"{name} ({count})")
        for tab in (self.criteria, self.teams, self.judges, self.assignments):
            tab.refresh()


class CodeRow(QWidget):
    """One join code, large, with buttons to copy it and its join link."""

    def __init__(self, name: str, code: str, link: str | None, *, stacked: bool = False) -> None:
        super().__init__()
        self.setObjectName("codeRow")
        self.code = code
        self.link = link
        self.name = _label(name)
        self.name.setMinimumWidth(120)
        self.code_label = _label(code, "code")
        self.code_label.setAccessibleName(f"Join code for {name}")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = _button("Copy", f"Copy the join code for {name}")
        self.copy_link = _button("Copy link", f"Copy the join link for {name}")
        self.copy_link.setEnabled(link is not None)
        self.copy_link.setToolTip(link or "")
        self.copy.clicked.connect(lambda: _copy(self.code))
        self.copy_link.clicked.connect(lambda: _copy(self.link or ""))
        row = QHBoxLayout()
        row.setSpacing(10)
        if stacked:
            # The display code, alone in a narrow card: the code first, its buttons under it.
            outer = QVBoxLayout(self)
            outer.setContentsMargins(0, 4, 0, 4)
            outer.setSpacing(12)
            self.name.hide()
            outer.addWidget(self.code_label, 0, Qt.AlignmentFlag.AlignLeft)
            row.addWidget(self.copy)
            row.addWidget(self.copy_link)
            row.addStretch(1)
            outer.addLayout(row)
            return
        row.setContentsMargins(0, 4, 0, 4)
        self.setLayout(row)
        row.addWidget(self.name, 1)
        row.addWidget(self.code_label)
        row.addWidget(self.copy)
        row.addWidget(self.copy_link)


class CodesPage(_Page):
    """Join codes for judges, teams and displays, the host's addresses and its fingerprint."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__(
            "Join codes",
            "Give each judge and team their own code; one code serves every display. "
            "Codes are secrets: they never leave this machine except as you hand them out.",
        )
        self.controller = window.controller
        self.window_ = window
        host_card, host = _card("How devices reach this host")
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        self.addresses = _label("", "mono")
        self.addresses.setAccessibleName("Host addresses")
        self.addresses.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_address = _button("Copy", "Copy the host address")
        self.url = _label("", "mono")
        self.url.setAccessibleName("Sync URL")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint = _label("", "mono")
        self.fingerprint.setAccessibleName("Certificate fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_fingerprint = _button("Copy", "Copy the certificate fingerprint")
        for row, (caption, value, button) in enumerate(
            (
                ("Address", self.addresses, self.copy_address),
                ("Sync URL", self.url, None),
                ("Certificate", self.fingerprint, self.copy_fingerprint),
            )
        ):
            grid.addWidget(_label(caption, "caption"), row, 0)
            grid.addWidget(value, row, 1)
            if button is not None:
                grid.addWidget(button, row, 2)
            grid.setRowMinimumHeight(row, 38)
        host.addLayout(grid)
        host.addWidget(
            _label(
                "Devices find this host on the network by themselves; where the Wi-Fi blocks "
                "that, type the address. On first contact a judge's laptop shows the "
                "certificate fingerprint, and after a host rebuild every laptop asks to trust "
                "the new one: it must match the one above.",
                "hint",
                wrap=True,
            )
        )
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(host_card, 2)
        self.copy_address.clicked.connect(
            lambda: _copy(self._addresses[0] if self._addresses else "")
        )
        self.copy_fingerprint.clicked.connect(lambda: _copy(self.controller.fingerprint or ""))
        self._addresses: list[str] = []

        display_card, self.display_box = _card(
            "Displays", "One code for every projector and screen in the hall."
        )
        self.display_rows = QVBoxLayout()
        self.display_box.addLayout(self.display_rows)
        self.display_box.addStretch(1)
        top.addWidget(display_card, 1)
        self.content.addLayout(top)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        judge_card, self.judge_box = _card("Judges")
        team_card, self.team_box = _card("Teams")
        columns.addWidget(judge_card, 1, Qt.AlignmentFlag.AlignTop)
        columns.addWidget(team_card, 1, Qt.AlignmentFlag.AlignTop)
        self.content.addLayout(columns)
        self.content.addStretch(1)
        self.rows: list[CodeRow] = []
        self._shown: list[tuple[str, str, str]] = []

    def refresh(self) -> None:
        """Redraw the codes (rebuilt only when they changed)."""
        self._addresses = self.controller.addresses()
        self.addresses.setText("\n".join(self._addresses) or "Not serving")
        self.url.setText(self.controller.url() or "Not serving")
        self.fingerprint.setText(model.format_fingerprint(self.controller.fingerprint))
        self.copy_fingerprint.setEnabled(bool(self.controller.fingerprint))
        codes = self.controller.replica.join_codes()
        shown = [(c["role"], c["name"], c["code"]) for c in codes]
        if shown == self._shown:
            return
        self._shown = shown
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        target = self._addresses[0] if self._addresses else None
        boxes = {"judge": self.judge_box, "team": self.team_box, "display": self.display_rows}
        for code in codes:
            link = model.join_link(
                target, code["code"], self.controller.fingerprint, self.controller.secure
            )
            row = CodeRow(code["name"], code["code"], link, stacked=code["role"] == "display")
            boxes[code["role"]].addWidget(row)
            self.rows.append(row)

    def shown_codes(self) -> dict[str, str]:
        """Return the codes on the page by the name they are shown with."""
        return {row.name.text(): row.code for row in self.rows}


class DevicesPage(_Page):
    """Every paired device: link, pending work, last contact, clock, address; revoke."""

    COLUMNS = ("Device", "Role", "For", "Link", "Unsent", "Last seen", "Clock", "Address", "")

    def __init__(self, window: HostWindow) -> None:
        super().__init__(
            "Devices",
            "Every laptop and screen that has joined. Unsent is what a device held back when "
            "it last connected; clock is its offset from this machine.",
        )
        self.window_ = window
        self.controller = window.controller
        self.table = _table(self.COLUMNS, "Paired devices", stretch=0)
        set_role(self.table, "devices")
        self.table.horizontalHeader().setMinimumSectionSize(88)
        self.table.verticalHeader().setDefaultSectionSize(48)
        self.table.horizontalHeader().setSectionResizeMode(
            len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Fixed
        )
        self.table.setColumnWidth(len(self.COLUMNS) - 1, 136)
        self.empty = _label(
            "No device has joined yet. Hand out join codes from the Codes page.", "hint"
        )
        self.summary = _label("", "caption")
        self.summary.setAccessibleName("Device summary")
        self.content.addWidget(self.empty)
        self.content.addWidget(self.summary)
        self.content.addWidget(self.table, 1)
        self.content.addStretch(0)
        self.revoke_buttons: dict[str, QPushButton] = {}

    def refresh(self) -> None:
        """Redraw the device list."""
        rows = self.controller.devices()
        now = int(time.time() * 1000)
        self.empty.setVisible(not rows)
        self.summary.setVisible(bool(rows))
        self.summary.setText(model.device_summary(rows))
        cells: list[tuple[str, list[QTableWidgetItem | str]]] = []
        for row in rows:
            link_text, color = {
                "online": ("● Online", theme.colour("good")),
                "offline": ("○ Offline", theme.colour("warn")),
                "revoked": ("✕ Revoked", theme.colour("bad")),
                "never": ("Never connected", theme.colour("muted")),
            }[row.link]
            offset = model.describe_offset(row.clock_offset_ms)
            skewed = row.clock_offset_ms is not None and abs(row.clock_offset_ms) > (
                model.CLOCK_WARNING_MS
            )
            seen = (
                "now"
                if row.online
                else model.describe_ago(
                    None if row.last_seen_ms is None else now - row.last_seen_ms
                )
            )
            cells.append(
                (
                    row.device,
                    [
                        _item(row.label),
                        model.ROLES.get(row.role, row.role),
                        row.subject_name if row.role != "display" else "—",
                        _item(link_text, color=color),
                        "—" if row.pending is None else str(row.pending),
                        seen,
                        _item(
                            offset,
                            color=theme.colour("bad")
                            if skewed
                            else theme.colour("muted")
                            if offset == "—"
                            else None,
                        ),
                        _item(row.address or "—", color=theme.colour("muted")),
                    ],
                )
            )
        _fill(self.table, cells)
        self.revoke_buttons = {}
        for index, row in enumerate(rows):
            button = _button(
                "Revoked" if row.revoked else "Revoke…",
                f"Revoke {row.label} ({row.subject_name})",
                "danger",
            )
            button.setEnabled(not row.revoked)
            button.clicked.connect(lambda _=False, r=row: self.revoke(r))
            self.table.setCellWidget(index, len(self.COLUMNS) - 1, _cell(button))
            self.revoke_buttons[row.device] = button
        _fit_height(self.table)

    def revoke(self, row: model.DeviceRow) -> None:
        """Revoke a device, after asking."""
        if confirm(
            self.window_,
            "Revoke device",
            f"Revoke {row.label} ({model.ROLES.get(row.role, row.role)}, {row.subject_name})? "
            "It is disconnected at once and can never rejoin with this device. Its join code "
            "still works: remove or re-create the judge or team if the person should not "
            "come back.",
            "Revoke",
        ):
            self.controller.revoke(row.device)
            self.window_.flash(f"{row.label} revoked.")


class ControlPage(_Page):
    """Phase, what judges see, what the displays show, export and backup."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__("Control", "Run the event: open and close scoring, drive the displays.")
        self.window_ = window
        self.controller = window.controller
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        phase_card, phase = _card("Phase")
        self.phase_buttons, self.phase_group = self._segments(model.PHASES, "Phase")
        phase.addLayout(self._segment_row(self.phase_buttons))
        self.phase_note = _label("", "hint", wrap=True)
        phase.addWidget(self.phase_note)
        self.judges_see = QCheckBox("Judges see the leaderboard and each other's scores")
        self.judges_see.setAccessibleName("Judges see results")
        phase.addWidget(self.judges_see)
        phase.addStretch(1)
        grid.addWidget(phase_card, 0, 0)

        display_card, display = _card("Displays")
        self.display_buttons, self.display_group = self._segments(model.DISPLAY_MODES, "Display")
        display.addLayout(self._segment_row(self.display_buttons))
        self.display_note = _label("", "hint", wrap=True)
        display.addWidget(self.display_note)
        reveal = QHBoxLayout()
        self.reveal_next = _button("Reveal next", "Reveal the next place", "primary")
        self.reveal_reset = _button("Reset reveal", "Hide every revealed place")
        reveal.addWidget(self.reveal_next)
        reveal.addWidget(self.reveal_reset)
        reveal.addStretch(1)
        display.addLayout(reveal)
        self.reveal_status = _label("", wrap=True)
        self.reveal_status.setAccessibleName("Reveal progress")
        display.addWidget(self.reveal_status)
        display.addStretch(1)
        grid.addWidget(display_card, 0, 1)

        event_card, event = _card("Event name", "Shown on every device and display.")
        name_row = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Event name")
        self.name.setMaxLength(120)
        self.rename = _button("Rename", "Rename the event")
        name_row.addWidget(self.name, 1)
        name_row.addWidget(self.rename)
        event.addLayout(name_row)
        event.addStretch(1)
        grid.addWidget(event_card, 1, 0)

        files_card, files = _card(
            "Results and backup",
            "Export the results, or copy the whole database (safe while the event runs).",
        )
        file_row = QHBoxLayout()
        self.export_csv = _button("Export CSV…", "Export the results as CSV")
        self.export_json = _button("Export JSON…", "Export the whole event as JSON")
        self.backup = _button("Back up database…", "Back up the database to a file")
        file_row.addWidget(self.export_csv)
        file_row.addWidget(self.export_json)
        file_row.addWidget(self.backup)
        file_row.addStretch(1)
        files.addLayout(file_row)
        self.file_note = _label("", "hint", wrap=True)
        self.file_note.setAccessibleName("Last export")
        files.addWidget(self.file_note)
        files.addStretch(1)
        grid.addWidget(files_card, 1, 1)
        self.content.addLayout(grid)
        self.content.addStretch(1)

        self.phase_group.idClicked.connect(lambda i: self.set_phase(list(model.PHASES)[i]))
        self.display_group.idClicked.connect(
            lambda i: self.set_display(list(model.DISPLAY_MODES)[i])
        )
        self.judges_see.clicked.connect(
            lambda checked: self.controller.set_event("judges_see_results", bool(checked))
        )
        self.reveal_next.clicked.connect(self.reveal_one)
        self.reveal_reset.clicked.connect(lambda: self.controller.set_event("reveal_count", 0))
        self.rename.clicked.connect(self.rename_event)
        self.name.returnPressed.connect(self.rename_event)
        self.export_csv.clicked.connect(lambda: window.export("csv"))
        self.export_json.clicked.connect(lambda: window.export("json"))
        self.backup.clicked.connect(window.back_up)

    def _segments(
        self, choices: dict[str, tuple[str, str]], what: str
    ) -> tuple[dict[str, QPushButton], QButtonGroup]:
        group = QButtonGroup(self)
        group.setExclusive(True)
        buttons = {}
        for index, (key, (text, note)) in enumerate(choices.items()):
            button = _button(text, f"{what}: {text}", "segment")
            button.setCheckable(True)
            button.setToolTip(note)
            group.addButton(button, index)
            buttons[key] = button
        return buttons, group

    @staticmethod
    def _segment_row(buttons: dict[str, QPushButton]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(0)
        ordered = list(buttons.values())
        for button in ordered:
            edge = "first" if button is ordered[0] else "last" if button is ordered[-1] else ""
            set_role(button, edge, "edge")
            row.addWidget(button)
        row.addStretch(1)
        return row

    def refresh(self) -> None:
        """Show the event's settings."""
        event = self.controller.replica.state.event()
        self.phase_buttons[event["phase"]].setChecked(True)
        self.phase_note.setText(model.PHASES[event["phase"]][1])
        self.judges_see.setChecked(bool(event["judges_see_results"]))
        mode = event["display_mode"]
        self.display_buttons[mode].setChecked(True)
        self.display_note.setText(model.DISPLAY_MODES[mode][1])
        reveal = model.reveal_state(self.controller.replica.board.rows(), event["reveal_count"])
        in_reveal = mode == "reveal"
        self.reveal_next.setEnabled(in_reveal and reveal.next_rank is not None)
        self.reveal_next.setText(
            f"Reveal place {reveal.next_rank}"
            if in_reveal and reveal.next_rank is not None
            else "Reveal next"
        )
        self.reveal_reset.setEnabled(in_reveal and reveal.shown > 0)
        self.reveal_status.setText(
            reveal.text if in_reveal else "Pick Reveal to show the places one by one."
        )
        if not self.name.hasFocus():
            self.name.setText(event["name"])

    def set_phase(self, phase: str) -> None:
        """Move the event to a phase, asking first when it matters."""
        current = self.controller.replica.state.phase
        question = model.phase_confirmation(current, phase)
        asked = question is None or confirm(
            self.window_, "Change phase", question, model.PHASES[phase][0]
        )
        if asked and self.controller.set_event("phase", phase) is None:
            self.window_.flash(f"The event is now in {model.PHASES[phase][0].lower()}.")
        self.refresh()

    def set_display(self, mode: str) -> None:
        """Switch what the displays show."""
        self.controller.set_event("display_mode", mode)
        self.refresh()

    def reveal_one(self) -> None:
        """Reveal one more place on the displays."""
        count = self.controller.replica.state.event()["reveal_count"]
        self.controller.set_event("reveal_count", int(count) + 1)

    def rename_event(self) -> None:
        """Rename the event."""
        name = self.name.text().strip()
        changed = name and name != self.controller.replica.state.event()["name"]
        if changed and self.controller.set_event("name", name) is None:
            self.window_.flash("Event renamed.")


# --- the window ----------------------------------------------------------------------------------


class HostWindow(QMainWindow):
    """The organiser's console."""

    # A host database to serve instead of this one (one rebuilt from a judge's replica).
    open_database = Signal(object)

    def __init__(
        self, controller: HostController, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.dialog: QDialog | None = None
        self._busy = 0
        self._stale: set[int] = set()
        self.setWindowIcon(icon("tallyboard"))
        self.setMinimumSize(1024, 680)
        self._file_menu()
        self.dark_action = add_view_menu(self, settings)
        self.setStyleSheet(console_sheet())
        theme.notifier().changed.connect(self._follow_theme)

        central = QWidget()
        central.setObjectName("hostRoot")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._header())
        self.banner = self._banner()
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setAccessibleName("Pages")
        set_role(self.nav, "nav")
        self.nav.setFixedWidth(196)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        self.overview = OverviewPage(self)
        self.setup = SetupPage(self)
        self.codes = CodesPage(self)
        self.devices = DevicesPage(self)
        self.control = ControlPage(self)
        self.pages = [self.overview, self.setup, self.codes, self.devices, self.control]
        for number, (title, page) in enumerate(zip(PAGES, self.pages, strict=True), 1):
            item = QListWidgetItem(title)
            item.setToolTip(f"{title} (Ctrl+{number})")
            self.nav.addItem(item)
            self.stack.addWidget(page)
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda row=number - 1: self.nav.setCurrentRow(row))
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        self.message = _label("", "hint")
        self.message.setAccessibleName("Last message")
        self.statusBar().addWidget(self.message, 1)
        self.statusBar().setSizeGripEnabled(False)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(lambda: self.message.setText(""))

        self.nav.currentRowChanged.connect(self._show_index)
        controller.changed.connect(self.refresh)
        controller.devices_changed.connect(self.refresh_devices)
        controller.error.connect(self.show_error)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.refresh_devices)
        self._tick.start()
        self._restore()
        self.refresh()

    # --- layout pieces ---

    def _file_menu(self) -> None:
        menu = self.menuBar().addMenu("&File")
        menu.setAccessibleName("File")

        def add(text: str, tip: str, slot: Callable[[], object]) -> None:
            action = menu.addAction(text)
            action.setStatusTip(tip)
            action.triggered.connect(slot)

        add("Export results…", "Write the results table as CSV", lambda: self.export("csv"))
        add("Export event…", "Write the whole event as JSON", lambda: self.export("json"))
        add("Back up database…", "Copy the live database to a file", self.back_up)
        menu.addSeparator()
        add(
            "Rebuild host from a judge's replica…",
            "The host laptop is lost: rebuild the event from a judge laptop's database",
            self.rebuild_from_replica,
        )

    def _header(self) -> QFrame:
        header = QFrame()
        set_role(header, "header")
        row = QHBoxLayout(header)
        row.setContentsMargins(24, 14, 24, 14)
        row.setSpacing(14)
        logo = QLabel()
        logo.setPixmap(icon("tallyboard").pixmap(36, 36))
        logo.setAccessibleName("Tallyboard")
        row.addWidget(logo)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.event_name = _label("", "title")
        self.event_name.setAccessibleName("Event name")
        self.host_line = _label("", "hint")
        self.host_line.setAccessibleName("Host address")
        titles.addWidget(self.event_name)
        titles.addWidget(self.host_line)
        row.addLayout(titles, 1)
        self.phase_pill = _label("", "pill")
        self.phase_pill.setAccessibleName("Phase")
        self.display_pill = _label("", "pill")
        self.display_pill.setAccessibleName("Display mode")
        self.online_pill = _label("", "pill")
        self.online_pill.setAccessibleName("Devices online")
        for pill in (self.phase_pill, self.display_pill, self.online_pill):
            row.addWidget(pill, 0, Qt.AlignmentFlag.AlignVCenter)
        return header

    def _banner(self) -> QFrame:
        banner = QFrame()
        set_role(banner, "banner")
        row = QHBoxLayout(banner)
        row.setContentsMargins(24, 10, 16, 10)
        self.error_label = _label("", "error", wrap=True)
        self.error_label.setAccessibleName("Problem")
        dismiss = _button("Dismiss", "Dismiss the message")
        dismiss.clicked.connect(banner.hide)
        row.addWidget(self.error_label, 1)
        row.addWidget(dismiss)
        banner.hide()
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.setInterval(BANNER_MS)
        self._banner_timer.timeout.connect(banner.hide)
        return banner

    # --- refreshing ---

    def refresh(self) -> None:
        """Redraw the header and the page on show; the others when next shown.

        Called once per loop turn at most (the controller coalesces its signal), and only the
        visible page is redrawn, so a busy scoring hour does not keep rebuilding hidden grids.
        """
        if self._busy or not self.isVisible():
            return  # a hidden window catches up when shown
        self._stale = set(range(len(self.pages)))
        self._refresh_page()
        event = self.controller.replica.state.event()
        self.setWindowTitle(f"{event['name']} — Tallyboard host")
        self.event_name.setText(event["name"])
        phase = event["phase"]
        self.phase_pill.setText(model.PHASES[phase][0])
        set_role(self.phase_pill, phase, "pill")
        self.display_pill.setText("Display: " + model.DISPLAY_MODES[event["display_mode"]][0])
        self._refresh_header_devices()

    def _follow_theme(self, dark: bool) -> None:
        """Take the new appearance: the console's own rules, and cells coloured in code."""
        self.setStyleSheet(console_sheet())
        self._stale = set(range(len(self.pages)))
        self._refresh_page()

    def refresh_devices(self) -> None:
        """Redraw what depends on the peers' links (and the "last seen" times)."""
        if self._busy or not self.isVisible():
            return
        self._stale |= {self.pages.index(self.devices), self.pages.index(self.overview)}
        self._refresh_page()
        self._refresh_header_devices()

    def _refresh_page(self) -> None:
        index = self.stack.currentIndex()
        if index in self._stale:
            self._stale.discard(index)
            self.pages[index].refresh()

    def _show_index(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self._refresh_page()

    def _refresh_header_devices(self) -> None:
        online = self.controller.online_count()
        self.online_pill.setText(f"● {online} device{'s' if online != 1 else ''} online")
        set_role(self.online_pill, "online" if online else "none", "pill")
        addresses = self.controller.addresses()
        where = ", ".join(addresses) if addresses else "not serving"
        security = "TLS" if self.controller.secure else "no TLS"
        self.host_line.setText(f"Serving at {where} ({security})")

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Hold redraws during long work (an import), then redraw once."""
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1
            if not self._busy:
                self.refresh()

    # --- feedback ---

    def show_error(self, text: str) -> None:
        """Show why the host refused an edit."""
        self.show_problem(f"Refused: {text.rstrip('.')}.")

    def show_problem(self, text: str) -> None:
        """Show a problem in the banner under the header until dismissed (or for a while)."""
        self.error_label.setText(text)
        self.banner.show()
        self._banner_timer.start()

    def flash(self, text: str) -> None:
        """Show a short confirmation in the status bar."""
        self.message.setText(text)
        self._message_timer.start(8000)

    def open_dialog(self, dialog: QDialog) -> None:
        """Show a dialog without blocking the loop (the host keeps serving meanwhile)."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()

    def show_page(self, name: str) -> None:
        """Switch to a page by its title."""
        self.nav.setCurrentRow(PAGES.index(name))

    # --- long work ---

    def _progress(self, label: str, total: int) -> QProgressDialog:
        dialog = QProgressDialog(label, "Stop", 0, total, self)
        dialog.setWindowTitle("Tallyboard")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAccessibleName(label)
        dialog.setValue(0)
        return dialog

    def preview_import(self, path: Path) -> ImportTeamsDialog | None:
        """Read a team sheet and show its preview; nothing is imported until confirmed."""
        try:
            text = model.read_text_file(path)
            names = [t["name"] for t in self.controller.replica.state.teams().values()]
            preview = parse_teams_csv(text, names)
        except (OSError, ValueError) as exc:
            self.show_problem(f"Cannot import {path.name}: {exc}")
            return None
        dialog = ImportTeamsDialog(preview, path.name, self.import_teams, self)
        self.open_dialog(dialog)
        return dialog

    def import_teams(self, preview: TeamsPreview) -> bool:
        """Import the valid rows of a preview, showing progress; return True when done."""
        rows = preview.valid_rows()
        progress = self._progress(f"Importing {len(rows)} teams…", len(rows))

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            return not progress.wasCanceled()

        with self.bulk():
            outcome = self.controller.import_teams(rows, step)
        progress.setValue(len(rows))
        progress.close()
        text = f"Imported {len(outcome.added)} team" + ("" if len(outcome.added) == 1 else "s")
        if outcome.failed:
            text += f"; the host refused {len(outcome.failed)}"
        if outcome.cancelled:
            text += " before you stopped it"
        self.flash(text + ".")
        return True

    def apply_assignment(self, bodies: list[dict[str, Any]]) -> bool:
        """Make the assign.put ops of a plan, showing progress; return True when done."""
        progress = self._progress(f"Saving {len(bodies)} assignments…", len(bodies))

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            return not progress.wasCanceled()

        with self.bulk():
            refused = self.controller.admin_all("assign.put", bodies, step)
        progress.setValue(len(bodies))
        progress.close()
        saved = len(bodies) - len(refused)
        self.flash(f"{saved} assignment change{'s' if saved != 1 else ''} saved.")
        return not refused

    def export(self, fmt: str) -> Path | None:
        """Export the results (csv) or the whole event (json) to a file the user picks."""
        name = model.slug_name(self.controller.replica.state.event()["name"])
        filters = "CSV files (*.csv)" if fmt == "csv" else "JSON files (*.json)"
        title = "Export results" if fmt == "csv" else "Export event"
        suggested = f"{name}-results.csv" if fmt == "csv" else f"{name}-event.json"
        path = ask_save_path(self, title, suggested, filters)
        if path is None:
            return None
        progress = self._progress(f"Exporting to {path.name}…", 0)
        progress.setMinimumDuration(0)
        progress.setCancelButton(None)
        QApplication.processEvents()
        try:
            self.controller.export(path, fmt)
        except OSError as exc:
            self.show_problem(f"Cannot write {path}: {exc.strerror or exc}.")
            return None
        finally:
            progress.close()
        self.control.file_note.setText(f"Exported {fmt.upper()} to {path}")
        self.flash(f"Exported to {path.name}.")
        return path

    def back_up(self) -> Path | None:
        """Copy the live database to a file the user picks."""
        name = model.slug_name(self.controller.replica.state.event()["name"])
        stamp = time.strftime("%Y%m%d-%H%M")
        path = ask_save_path(
            self, "Back up database", f"{name}-{stamp}.tallyboard.db", "Databases (*.db)"
        )
        if path is None:
            return None
        try:
            self.controller.backup(path)
        except OSError as exc:
            self.show_problem(f"Cannot write {path}: {exc.strerror or exc}.")
            return None
        self.control.file_note.setText(f"Backed up to {path}")
        self.flash(f"Database backed up to {path.name}.")
        return path

    def rebuild_from_replica(self) -> Path | None:
        """Rebuild a lost host's database from a judge's replica, then offer to serve it."""
        source = ask_open_path(
            self, "Rebuild the host from a judge's replica", "Databases (*.db);;All files (*)"
        )
        if source is None:
            return None
        stamp = time.strftime("%Y%m%d-%H%M")
        target = ask_save_path(
            self,
            "Save the rebuilt host's database as",
            str(paths.default_db("host").with_name(f"rebuilt-host-{stamp}.db")),
            "Databases (*.db)",
        )
        if target is None:
            return None
        try:
            report = rebuild_host(source, target)
        except (DatabaseError, OSError) as exc:
            self.show_problem(f"Cannot rebuild the host: {exc}")
            return None
        text = (
            "\n".join(report.lines())
            + "\n\nServe the rebuilt host from this console now? Judges' laptops will ask to"
            " trust its new certificate: read its fingerprint to them from the Codes page."
        )
        self.flash(f"Rebuilt host saved to {target.name}.")
        if confirm(self, "Host rebuilt", text, "Serve the rebuilt host"):
            self.open_database.emit(target)
        else:
            self.control.file_note.setText(
                f"Rebuilt host saved to {target}; serve it with `main.py host --db {target}`"
            )
        return target

    # --- geometry ---

    def _restore(self) -> None:
        restore_geometry(self, self.settings, "host/geometry", (1360, 860))
        page = self.settings.value("host/page", 0)
        try:
            index = int(page)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            index = 0
        self.nav.setCurrentRow(index if 0 <= index < len(PAGES) else 0)

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with what changed while hidden."""
        super().showEvent(event)
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the window's size, place and page."""
        save_geometry(self, self.settings, "host/geometry")
        self.settings.setValue("host/page", self.nav.currentRow())
        self.settings.sync()
        super().closeEvent(event)
