"""The judge's window: connect, pick a team, score it criterion by criterion, see what was sent.

Everything it shows comes from `desktop.judge_model.snapshot` (the replica, read once per change)
and the PeerController's signals; everything it does goes through the controller.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSettings,
    QSize,
    QSysInfo,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPen,
    QShortcut,
    QValidator,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSplitter,
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

from desktop import judge_model as jm
from desktop import theme
from desktop.controllers import PeerController
from desktop.theme import colour, set_role
from desktop.widgets import (
    ConnectPanel,
    LinkStatusBar,
    add_view_menu,
    offers_new_host,
    restore_geometry,
    save_geometry,
    wire_trust,
)
from sync.peer import LinkStatus

NOT_SCORED = "–"  # what a score box shows before the judge enters a value
TOAST_MS = 20_000

# Chip colours (background, text) per team status; the same palettes as resources/light.qss
# and resources/dark-ui.qss.
CHIP_COLOURS = {
    jm.NOT_STARTED: ("#f2f4f7", "#475467"),
    jm.DRAFT: ("#fef0c7", "#93370d"),
    jm.FINAL: ("#d1fadf", "#05603a"),
    jm.REJECTED: ("#fee4e2", "#b42318"),
    jm.CONFLICT: ("#f2f4f7", "#98a2b3"),
}
DARK_CHIP_COLOURS = {
    jm.NOT_STARTED: ("#232c3a", "#aab4c3"),
    jm.DRAFT: ("#45330f", "#fcd34d"),
    jm.FINAL: ("#12402a", "#86efac"),
    jm.REJECTED: ("#4a1c1a", "#f97066"),
    jm.CONFLICT: ("#232c3a", "#6b7689"),
}


def _label(text: str = "", role: str | None = None, *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if role is not None:
        set_role(label, role)
    label.setWordWrap(wrap)
    return label


def _chip(label: QLabel, status: str, text: str) -> None:
    label.setText(text)
    if label.property("chip") != status:
        set_role(label, status, "chip")
        # A label polished before it had a chip keeps its old box (no padding) through a
        # re-polish; a StyleChange event makes it take the new padding.
        QApplication.sendEvent(label, QEvent(QEvent.Type.StyleChange))


# --- score inputs ---------------------------------------------------------------------------------


def _validate_number(spin: QAbstractSpinBox, state: QValidator.State, text: str) -> Any:
    """Let a number outside the range through as Intermediate, so leaving the box clamps it
    (Qt's own validator would refuse the keystroke: typing 150 in 0–100 would leave 15).
    An empty box, or the "not scored" mark, is a complete answer: not scored."""
    if text.strip() in ("", NOT_SCORED):
        return QValidator.State.Acceptable
    if state == QValidator.State.Invalid:
        _, ok = spin.locale().toDouble(text.strip())
        if ok or text.strip() in ("-", "+"):
            return QValidator.State.Intermediate
    return state


def _fixup_number(spin: QAbstractSpinBox, criterion: Mapping[str, Any], text: str) -> str:
    """Turn what was typed into a value on the scale: clamped, on the step grid; empty: unscored."""
    value, ok = spin.locale().toDouble(text.strip())
    if not ok:
        return spin.specialValueText()
    snapped = jm.snap(value, criterion)
    if isinstance(snapped, int):
        return str(snapped)
    return spin.locale().toString(float(snapped), "f", jm.decimals(criterion))


if TYPE_CHECKING:
    _SpinBase = QAbstractSpinBox
else:
    _SpinBase = object  # a plain mixin at run time: the Qt class comes after it


class _ScoreBox(_SpinBase):
    """What the whole and the fractional score boxes share; mixed in before the Qt class."""

    criterion: Mapping[str, Any]

    def _setup(
        self: Any, criterion: Mapping[str, Any], low: float, high: float, step: float
    ) -> None:
        self.criterion = criterion
        # One step below the minimum stands for "not scored", shown as NOT_SCORED.
        self.setRange(low - step, high)
        self.setSingleStep(step)
        self.setSpecialValueText(NOT_SCORED)
        self.setValue(self.minimum())
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        state, text, pos = super().validate(text, pos)
        return _validate_number(self, state, text), text, pos

    def fixup(self, text: str) -> str:
        return _fixup_number(self, self.criterion, text)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Scrolling the sheet must not change a score the pointer happens to pass over.
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ScoreSpinBox(_ScoreBox, QSpinBox):
    """A whole-number score: typed, clamped to its scale, on its step grid; blank = unscored."""

    def __init__(self, criterion: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        low, high, step = (int(criterion[k]) for k in ("min", "max", "step"))
        self._setup(criterion, low, high, step)

    def valueFromText(self, text: str) -> int:
        if text.strip() in ("", NOT_SCORED):
            return self.minimum()
        return super().valueFromText(text)


class ScoreDoubleSpinBox(_ScoreBox, QDoubleSpinBox):
    """A fractional score: as ScoreSpinBox, with the decimals its scale needs."""

    def __init__(self, criterion: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(jm.decimals(criterion))
        low, high, step = (float(criterion[k]) for k in ("min", "max", "step"))
        self._setup(criterion, low, high, step)

    def valueFromText(self, text: str) -> float:
        if text.strip() in ("", NOT_SCORED):
            return self.minimum()
        return super().valueFromText(text)


class CriterionRow(QFrame):
    """One criterion of the sheet: name, weight, scale, description, a slider and a score box."""

    changed = Signal()

    def __init__(
        self,
        criterion: Mapping[str, Any],
        criteria: Sequence[Mapping[str, Any]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        set_role(self, "judgeRow")
        self.criterion = criterion
        self._syncing = False
        name = criterion["name"]
        scale = jm.scale_text(criterion)
        weight = jm.weight_text(criterion, criteria)
        description = criterion.get("description") or ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 12)
        layout.setSpacing(24)

        text = QVBoxLayout()
        text.setSpacing(3)
        title = QHBoxLayout()
        title.setSpacing(12)
        self.name = _label(name, "judgeCriterion")
        title.addWidget(self.name)
        self.meta = _label(f"{scale}  ·  {weight}", "judgeScale")
        self.meta.setAccessibleName(f"{name} scale and weight")
        title.addWidget(self.meta, 0, Qt.AlignmentFlag.AlignBaseline)
        title.addStretch(1)
        text.addLayout(title)
        self.description = _label(description, "hint", wrap=True)
        if not description:
            # hide(), never setVisible(True): a widget with no parent yet would open a window.
            self.description.hide()
        text.addWidget(self.description)
        layout.addLayout(text, 5)

        self.slider = QSlider(Qt.Orientation.Horizontal)
        set_role(self.slider, "judgeSlider")
        self.slider.setRange(0, jm.steps(criterion))
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the box is the keyboard's input
        self.slider.setAccessibleName(f"{name} slider")
        self.slider.setPageStep(max(1, jm.steps(criterion) // 10))
        self.slider.setMinimumWidth(160)
        # A scale of thousands of steps is typed, not dragged.
        if jm.steps(criterion) > 1000:
            self.slider.hide()
        layout.addWidget(self.slider, 3, Qt.AlignmentFlag.AlignVCenter)
        self.spin: QSpinBox | QDoubleSpinBox
        if jm.is_whole(criterion):
            self.spin = ScoreSpinBox(criterion)
        else:
            self.spin = ScoreDoubleSpinBox(criterion)
        # Its arrow buttons are styled to nothing (light.qss): NoButtons would squeeze the
        # text to a pixel under a style sheet. ↑ and ↓ still step.
        set_role(self.spin, "judgeScore")
        self.spin.lineEdit().setTextMargins(0, 0, 8, 0)
        self.spin.setAccessibleName(f"{name} score")
        self.spin.setAccessibleDescription(f"{scale}; {weight}. {description}".strip())
        self.spin.setToolTip(f"{scale}. Type a number (↑ ↓ step); empty means not scored.")
        self.spin.setFixedWidth(96)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.spin, 0, Qt.AlignmentFlag.AlignVCenter)
        self._spin_moved()

        self.spin.valueChanged.connect(self._spin_moved)
        self.spin.editingFinished.connect(self.snap)
        self.slider.valueChanged.connect(self._slider_moved)

    def value(self) -> float | int | None:
        """Return the score on the scale, or None when not scored."""
        if self.spin.value() <= self.spin.minimum():
            return None
        return jm.snap(self.spin.value(), self.criterion)

    def set_value(self, value: float | None) -> None:
        """Show a score (None: not scored)."""
        target = self.spin.minimum() if value is None else jm.snap(value, self.criterion)
        if self.spin.value() != target:
            self.spin.setValue(target)  # type: ignore[arg-type]

    def set_read_only(self, read_only: bool) -> None:
        """Let the judge read but not change the score."""
        self.spin.setReadOnly(read_only)
        self.slider.setEnabled(not read_only)

    def snap(self) -> None:
        """Move the value shown onto the step grid."""
        value = self.value()
        if value is not None and value != self.spin.value():
            self.spin.setValue(value)  # type: ignore[arg-type]

    def _spin_moved(self) -> None:
        value = self.value()
        if not self._syncing:
            self._syncing = True
            low, step = float(self.criterion["min"]), float(self.criterion["step"])
            self.slider.setValue(0 if value is None else round((float(value) - low) / step))
            self._syncing = False
        set_role(self.slider, "unscored" if value is None else "scored", "score")
        self.changed.emit()

    def _slider_moved(self, position: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        low, step = float(self.criterion["min"]), float(self.criterion["step"])
        self.set_value(low + position * step)
        self._syncing = False


# --- the scoring sheet ----------------------------------------------------------------------------


class SheetEditor(QWidget):
    """The scoring sheet of the selected team. Emits `save_requested(final)`."""

    save_requested = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.team_id: str | None = None
        self.editable = False
        self.rows: list[CriterionRow] = []
        self._criteria: tuple[Mapping[str, Any], ...] = ()
        self._signature: tuple[Any, ...] = ()
        self._baseline: tuple[dict[str, float | int], str] = ({}, "")
        self._loading = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)

        # Page 0: nothing chosen yet.
        empty = QFrame()
        set_role(empty, "card")
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_title = _label("Pick a team to score", "subtitle")
        empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_layout.addWidget(empty_title)
        empty_hint = _label(
            "Use ↑ and ↓ in the list, then Enter. Tab moves from criterion to criterion; "
            "Ctrl+Enter submits the sheet as final.",
            "hint",
            wrap=True,
        )
        empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_layout.addWidget(empty_hint)
        empty_layout.addStretch(1)
        self.pages.addWidget(empty)

        # Page 1: the sheet.
        card = QFrame()
        set_role(card, "card")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 22, 28, 18)
        layout.setSpacing(10)
        head = QHBoxLayout()
        head.setSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = _label("", "title")
        self.title.setAccessibleName("Team")
        titles.addWidget(self.title)
        self.subtitle = _label("", "hint", wrap=True)
        self.subtitle.setAccessibleName("Table and members")
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        self.chip = _label("")
        self.chip.setAccessibleName("Sheet status")
        head.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)

        self.banner = QFrame()
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(14, 10, 14, 10)
        self.banner_text = _label("", wrap=True)
        self.banner_text.setAccessibleName("Sheet notice")
        banner_layout.addWidget(self.banner_text)
        self.banner.hide()
        layout.addWidget(self.banner)

        self.sheet_scroll = QScrollArea()
        self.sheet_scroll.setWidgetResizable(True)
        self.sheet_scroll.setFrameShape(QFrame.Shape.NoFrame)
        set_role(self.sheet_scroll, "judgeSheet")
        self.sheet_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the scores, not here
        self.sheet_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(0)
        self.criteria_box = QVBoxLayout()
        self.criteria_box.setSpacing(0)
        self.body_layout.addLayout(self.criteria_box)
        comment_head = QHBoxLayout()
        comment_head.setSpacing(12)
        comment_head.addWidget(_label("Comment", "judgeCriterion"))
        comment_head.addWidget(
            _label("Feedback for the team; they read it once the results are released.", "hint")
        )
        comment_head.addStretch(1)
        self.body_layout.addSpacing(12)
        self.body_layout.addLayout(comment_head)
        self.body_layout.addSpacing(6)
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)  # Tab leaves the comment: keyboard-only judging
        self.comment.setPlaceholderText("What stood out, what would make it better…")
        self.comment.setAccessibleName("Comment")
        self.comment.setMinimumHeight(72)
        self.comment.setMaximumHeight(120)
        self.body_layout.addWidget(self.comment)
        self.body_layout.addStretch(1)
        self.sheet_scroll.setWidget(body)
        layout.addWidget(self.sheet_scroll, 1)

        self.problem = _label("", "error", wrap=True)
        self.problem.setAccessibleName("Sheet problem")
        self.problem.hide()
        layout.addWidget(self.problem)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        set_role(line, "judgeRule")
        layout.addWidget(line)
        foot = QHBoxLayout()
        foot.setSpacing(10)
        status = QVBoxLayout()
        status.setSpacing(2)
        self.delivery = _label("")
        self.delivery.setAccessibleName("Sent to the host")
        self.delivery.setWordWrap(True)
        status.addWidget(self.delivery)
        self.preview = _label("", "hint")
        self.preview.setAccessibleName("Sheet score")
        status.addWidget(self.preview)
        foot.addLayout(status, 1)
        self.unsaved = _label("Unsaved changes", "judgeUnsaved")
        self.unsaved.setAccessibleName("Unsaved changes")
        self.unsaved.hide()
        foot.addWidget(self.unsaved)
        self.save_button = QPushButton("Save draft")
        self.save_button.setAccessibleName("Save draft")
        self.save_button.setToolTip("Keep this sheet as a draft (Ctrl+S); it does not count yet")
        foot.addWidget(self.save_button)
        self.submit_button = QPushButton("Submit final")
        set_role(self.submit_button, "primary")
        self.submit_button.setAccessibleName("Submit final")
        self.submit_button.setToolTip(
            "Submit this sheet as final (Ctrl+Enter); you can revise it while scoring is open"
        )
        foot.addWidget(self.submit_button)
        layout.addLayout(foot)
        self.pages.addWidget(card)

        self.save_button.clicked.connect(lambda: self.save_requested.emit(False))
        self.submit_button.clicked.connect(lambda: self.save_requested.emit(True))
        self.comment.textChanged.connect(self._changed)

    # --- what is shown ----------------------------------------------------------------------------

    def show_team(
        self,
        row: jm.TeamRow | None,
        criteria: Sequence[Mapping[str, Any]],
        *,
        editable: bool,
        banner: str | None,
    ) -> None:
        """Show a team's sheet; keep what the judge typed unless the team changed."""
        if row is None:
            self.team_id = None
            self.pages.setCurrentIndex(0)
            return
        self.pages.setCurrentIndex(1)
        team_changed = row.id != self.team_id
        signature = tuple(
            (c["id"], c["name"], c["min"], c["max"], c["step"], c["weight"], c.get("description"))
            for c in criteria
        )
        kept = {} if team_changed else self.scores()
        if signature != self._signature:
            self._build(criteria)
            self._signature = signature
            if not team_changed:
                self._load(kept, self.comment.toPlainText(), baseline=False)
        self._criteria = tuple(criteria)
        self.team_id = row.id
        editable = editable and row.scorable
        if team_changed or not self.dirty():
            self._load(*row.entered(), baseline=True)
            self.show_problem("")
        self.editable = editable
        for criterion_row in self.rows:
            criterion_row.set_read_only(not editable)
        self.comment.setReadOnly(not editable)
        self.save_button.setEnabled(editable)
        self.submit_button.setEnabled(editable)

        self.title.setText(row.name)
        details = [row.location] if row.location else []
        if row.members:
            details.append(", ".join(row.members))
        self.subtitle.setText("  ·  ".join(details))
        _chip(self.chip, row.status, row.label)
        text, role = jm.delivery_text(row)
        self.delivery.setText(text)
        set_role(self.delivery, role, "delivery")
        if row.status == jm.REJECTED and row.refusal is not None:
            notice, kind = jm.rejection_notice(row, open_=editable), "error"
            if banner is not None:
                notice = f"{banner}\n{notice}"
        elif banner is not None or not row.scorable:
            notice, kind = banner or text, "warning"
        else:
            notice, kind = "", ""
        self.banner_text.setText(notice)
        set_role(self.banner, kind, "judgeBanner")
        self.banner.setVisible(bool(notice))
        self.save_button.setToolTip(
            "Turn this final sheet back into a draft (Ctrl+S): it stops counting until you "
            "submit it again"
            if row.status == jm.FINAL
            else "Keep this sheet as a draft (Ctrl+S); it does not count yet"
        )
        self._changed()

    def _build(self, criteria: Sequence[Mapping[str, Any]]) -> None:
        for row in self.rows:
            self.criteria_box.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for index, criterion in enumerate(criteria):
            row = CriterionRow(criterion, criteria)
            if index:
                set_role(row, "judgeRowNext")
            row.changed.connect(self._changed)
            self.criteria_box.addWidget(row)
            # Shown now, not on the layout's queued show: Tab skips hidden boxes, and a judge
            # who types ahead of the screen must still go criterion by criterion.
            row.show()
            self.rows.append(row)

    def _load(self, scores: Mapping[str, float], comment: str, *, baseline: bool) -> None:
        self._loading = True
        for row in self.rows:
            row.set_value(scores.get(row.criterion["id"]))
        if self.comment.toPlainText() != comment:
            self.comment.setPlainText(comment)
        self._loading = False
        if baseline:
            self._baseline = (self.scores(), self.comment_text())

    # --- what the judge entered -------------------------------------------------------------------

    def scores(self) -> dict[str, float | int]:
        """Return the scored criteria's values, on their scales."""
        found = {}
        for row in self.rows:
            value = row.value()
            if value is not None:
                found[row.criterion["id"]] = value
        return found

    def commit_typing(self) -> None:
        """Take a number still being typed as entered (Ctrl+Enter straight after "150" saves
        100, the clamped value, not the 15 the box held while 150 was half typed)."""
        for row in self.rows:
            row.spin.interpretText()
            row.snap()

    def comment_text(self) -> str:
        """Return the comment as it will be sent."""
        return self.comment.toPlainText().strip()

    def dirty(self) -> bool:
        """Whether the sheet holds changes not saved on this laptop."""
        if self.team_id is None or not self.editable:
            return False
        return (self.scores(), self.comment_text()) != self._baseline

    def mark_saved(self) -> None:
        """Take what is shown as saved (the replica holds it now)."""
        self._baseline = (self.scores(), self.comment_text())
        self._changed()

    def focus_chain(self) -> list[QWidget]:
        """Return the sheet's inputs in Tab order: criterion boxes, comment, buttons."""
        boxes: list[QWidget] = [row.spin for row in self.rows]
        return [*boxes, self.comment, self.save_button, self.submit_button]

    def first_input(self) -> QWidget:
        """Return the first criterion's box (or the comment): where Enter in the list leads."""
        return self.rows[0].spin if self.rows else self.comment

    def focus_criterion(self, name: str) -> None:
        """Put the keyboard in a criterion's box."""
        for row in self.rows:
            if row.criterion["name"] == name:
                row.spin.setFocus(Qt.FocusReason.TabFocusReason)
                row.spin.selectAll()
                return

    def show_problem(self, text: str) -> None:
        """Say why the sheet could not be saved ('' hides it)."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _changed(self) -> None:
        if self._loading:
            return
        self.unsaved.setVisible(self.dirty())
        self.preview.setText(f"Sheet score {jm.score_preview(self._criteria, self.scores())}")
        if self.problem.isVisible() and not jm.sheet_problems(
            self._criteria, self.scores(), final=False
        ):
            self.show_problem("")


# --- the team list --------------------------------------------------------------------------------

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class TeamListModel(QAbstractListModel):
    """The judge's teams (already filtered), as rows for the list view."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[jm.TeamRow] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [row.name, row.location, row.label, row.reason]
            if row.waiting:
                parts.append("waiting to send")
            return ", ".join(p for p in parts if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.reason or None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not self.rows[index.row()].scorable:
            return Qt.ItemFlag.NoItemFlags  # greyed and skipped by the keyboard
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_rows(self, rows: list[jm.TeamRow]) -> None:
        """Show new rows: in place when the same teams in the same order, else reset."""
        if [r.id for r in rows] == [r.id for r in self.rows]:
            self.rows = rows
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_at(self, index: QModelIndex | QPersistentModelIndex) -> jm.TeamRow | None:
        """Return the team at an index, or None."""
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        return self.rows[index.row()]

    def index_of(self, team_id: str | None) -> QModelIndex:
        """Return the index of a team, or an invalid one."""
        for number, row in enumerate(self.rows):
            if row.id == team_id:
                return self.index(number)
        return QModelIndex()


class TeamDelegate(QStyledItemDelegate):
    """Paint a team as two lines (name; table, reason or "waiting to send") and a status chip."""

    HEIGHT = 58

    def __init__(self, model: TeamListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(option.rect.width(), self.HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row = self.model.row_at(index)
        if row is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(6, 3, -6, -3)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver) and row.scorable
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour("selected"))
            painter.drawRoundedRect(rect, 8, 8)
            painter.setBrush(colour("accent"))
            painter.drawRoundedRect(QRect(rect.left(), rect.top() + 8, 4, rect.height() - 16), 2, 2)
        elif hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour("hover"))
            painter.drawRoundedRect(rect, 8, 8)

        base = QFont(option.font)
        chip_font = QFont(base)
        chip_font.setPointSizeF(base.pointSizeF() * 0.85)
        chip_font.setBold(True)
        chip_metrics = QFontMetrics(chip_font)
        chip_w = chip_metrics.horizontalAdvance(row.label) + 20
        chip_h = chip_metrics.height() + 6
        chip = QRect(rect.right() - 12 - chip_w, rect.center().y() - chip_h // 2, chip_w, chip_h)
        chips = DARK_CHIP_COLOURS if theme.is_dark() else CHIP_COLOURS
        background, text_colour = chips[row.status]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(chip, chip_h / 2, chip_h / 2)
        painter.setFont(chip_font)
        painter.setPen(QColor(text_colour))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, row.label)

        text_left = rect.left() + 16
        text_width = chip.left() - 12 - text_left
        name_font = QFont(base)
        name_font.setBold(True)
        painter.setFont(name_font)
        painter.setPen(colour("strong" if row.scorable else "faint"))
        name_rect = QRect(text_left, rect.top() + 8, text_width, rect.height() // 2 - 6)
        painter.drawText(
            name_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(name_font).elidedText(row.name, Qt.TextElideMode.ElideRight, text_width),
        )
        sub_font = QFont(base)
        sub_font.setPointSizeF(base.pointSizeF() * 0.9)
        painter.setFont(sub_font)
        sub_rect = QRect(text_left, rect.center().y() + 1, text_width, rect.height() // 2 - 8)
        parts = [row.location] if row.location else []
        if row.status == jm.REJECTED:
            parts.append(jm.short_reason(row))
            painter.setPen(colour("bad"))
        elif row.waiting:
            parts.append("waiting to send")
            painter.setPen(colour("warn"))
        else:
            painter.setPen(colour("muted" if row.scorable else "faint"))
        painter.drawText(
            sub_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(sub_font).elidedText(
                "  ·  ".join(parts), Qt.TextElideMode.ElideRight, text_width
            ),
        )
        if selected and option.widget is not None and option.widget.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(colour("focus"), 1.5))
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 8, 8)
        painter.restore()


# --- leaderboard and notifications ----------------------------------------------------------------


def _card_layout(page: QWidget) -> QVBoxLayout:
    """Put a card on a tab page and return the card's layout."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 12, 0, 0)
    card = QFrame()
    set_role(card, "card")
    outer.addWidget(card)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(20, 16, 20, 16)
    layout.setSpacing(10)
    return layout


class LeaderboardPanel(QWidget):
    """The live leaderboard, for events that let judges see results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = _card_layout(self)
        head = QHBoxLayout()
        head.addWidget(_label("Leaderboard", "judgeSection"))
        head.addStretch(1)
        self.updated = _label("Waiting for the first leaderboard from the host…", "hint")
        self.updated.setAccessibleName("Leaderboard updated")
        head.addWidget(self.updated)
        layout.addLayout(head)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Rank", "Team", "Score", "Final sheets"])
        self.table.setAccessibleName("Leaderboard")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setDefaultSectionSize(40)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.table, 1)

    def show_board(self, board: Mapping[str, Any] | None) -> None:
        """Render a `leaderboard_update` message."""
        rows = jm.board_rows(board)
        self.table.setRowCount(len(rows))
        for number, values in enumerate(rows):
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if column == 2:
                    item.setFont(_bold(item.font()))
                self.table.setItem(number, column, item)
        self.table.setCurrentCell(-1, -1)  # no cell outline until the judge moves into the table
        if board:
            sent = jm.clock_text(jm.iso_ms(board.get("timestamp")))
            self.updated.setText(f"Live · updated {sent}" if sent else "Live")


def _bold(font: QFont) -> QFont:
    font.setBold(True)
    return font


class NotificationPanel(QWidget):
    """The organiser's notifications, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = _card_layout(self)
        layout.addWidget(_label("From the organiser", "judgeSection"))
        self.list = QListWidget()
        set_role(self.list, "judgeNotes")
        self.list.setAccessibleName("Notifications")
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        self.empty = _label(
            "No notifications yet. Messages from the organiser appear here.", "hint"
        )
        layout.addWidget(self.empty)

    def show_notes(self, notes: Sequence[jm.Note]) -> None:
        """Show the notifications, newest first."""
        self.list.clear()
        for note in notes:
            when = jm.clock_text(note.sent_ms)
            item = QListWidgetItem(f"{note.message}\n{when}" if when else note.message)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{note.message}, sent {when}")
            self.list.addItem(item)
        self.empty.setVisible(not notes)


class Toast(QFrame):
    """A notification as it arrives, above the work area, until dismissed or a while passes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "info", "judgeBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 6, 6)
        layout.setSpacing(12)
        badge = _label("New message", "judgeBadge")
        layout.addWidget(badge)
        self.text = _label("", wrap=True)
        self.text.setAccessibleName("New notification")
        layout.addWidget(self.text, 1)
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.setAccessibleName("Dismiss notification")
        set_role(self.dismiss, "judgeFlat")
        layout.addWidget(self.dismiss)
        self.dismiss.clicked.connect(self.hide)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_notes(self, notes: Sequence[jm.Note]) -> None:
        """Show the newest of the notifications that just arrived."""
        if not notes:
            return
        newest = notes[0]
        more = f"   (+{len(notes) - 1} more in Notifications)" if len(notes) > 1 else ""
        when = jm.clock_text(newest.sent_ms)
        self.text.setText((f"{when}  ·  " if when else "") + f"{newest.message}{more}")
        self.show()
        self._timer.start(TOAST_MS)


# --- the window -----------------------------------------------------------------------------------


class JudgeWindow(QMainWindow):
    """A judge's laptop: the connect screen, then the teams, the sheet, results and messages."""

    def __init__(
        self,
        controller: PeerController,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.snap: jm.JudgeSnapshot = jm.snapshot(controller.replica, None)
        self._selected: str | None = None
        self._restoring = False
        self._seen_notes: set[str] | None = None
        self._unread = 0
        self.setWindowTitle("Tallyboard — Judge")
        self.setMinimumSize(960, 640)
        self.dark_action = add_view_menu(self, settings)
        theme.notifier().changed.connect(self._follow_theme)

        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        self.setCentralWidget(central)

        # Header: who is judging what, the phase, progress.
        self.header = QFrame()
        set_role(self.header, "header")
        head = QHBoxLayout(self.header)
        head.setContentsMargins(24, 14, 24, 14)
        head.setSpacing(14)
        self.heading = _label("Tallyboard", "judgeHeading")
        self.heading.setAccessibleName("Judging as")
        head.addWidget(self.heading, 1)
        self.phase_chip = _label("")
        self.phase_chip.setAccessibleName("Event phase")
        head.addWidget(self.phase_chip)
        root.addWidget(self.header)

        self.pages = QStackedWidget()
        root.addWidget(self.pages, 1)
        self.pages.addWidget(self._connect_page())
        self.pages.addWidget(self._loading_page())
        self.pages.addWidget(self._main_page())

        self.link_bar = LinkStatusBar()
        wire_trust(self, controller, self.link_bar.trust, self.connect_panel.trust)
        self.statusBar().addWidget(self.link_bar, 1)
        self.statusBar().setSizeGripEnabled(False)
        self.link_bar.show_status(controller.status)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)

        controller.status_changed.connect(self._on_status)
        controller.state_changed.connect(self.schedule_refresh)
        controller.welcomed.connect(self.schedule_refresh)
        controller.synced.connect(self.schedule_refresh)
        controller.notification.connect(self.schedule_refresh)
        controller.board_changed.connect(self.leaderboard.show_board)
        controller.hosts_changed.connect(self.connect_panel.set_hosts)
        self.connect_panel.connect_requested.connect(self._on_connect_requested)
        self.connect_panel.set_hosts(controller.hosts)
        self.leaderboard.show_board(controller.last_board())

        for keys, slot in (
            ("Ctrl+Return", self.submit_final),
            ("Ctrl+Enter", self.submit_final),
            ("Ctrl+S", self.save_draft),
            ("Ctrl+F", self._focus_search),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)

        restore_geometry(self, settings, "judge/geometry", (1280, 800))
        self.refresh()

    # --- building ---------------------------------------------------------------------------------

    def _connect_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("judgeConnect")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(14)
        brand = _label("Tallyboard", "judgeBrand")
        brand.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(brand)
        tagline = _label(
            "Score teams on this laptop — it keeps working without the network.", "hint"
        )
        tagline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(tagline)
        self.connect_panel = ConnectPanel("a judge", settings=self.settings)
        self.connect_panel.setFixedWidth(560)
        column.addWidget(self.connect_panel)
        self.connect_state = _label("", "hint", wrap=True)
        self.connect_state.setAccessibleName("Connection progress")
        self.connect_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.connect_state)
        row.addLayout(column)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    def _loading_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.loading_title = _label(jm.LOADING, "subtitle")
        self.loading_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading_title.setAccessibleName("Loading")
        layout.addWidget(self.loading_title)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setFixedSize(260, 6)
        layout.addWidget(bar, 0, Qt.AlignmentFlag.AlignCenter)
        self.loading_hint = _label(
            "Your teams and the criteria appear as soon as they arrive.", "hint"
        )
        self.loading_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.loading_hint)
        layout.addStretch(2)
        return page

    def _main_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(10)
        self.toast = Toast()
        layout.addWidget(self.toast)
        self.removed = _label(
            "The organiser removed you from this event: there is nothing to score.", "error"
        )
        self.removed.hide()
        layout.addWidget(self.removed)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Sections")
        layout.addWidget(self.tabs, 1)

        scoring = QWidget()
        scoring_layout = QHBoxLayout(scoring)
        scoring_layout.setContentsMargins(0, 12, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        set_role(self.splitter, "judgeSplit")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(14)
        scoring_layout.addWidget(self.splitter)

        teams = QFrame()
        set_role(teams, "card")
        teams_layout = QVBoxLayout(teams)
        teams_layout.setContentsMargins(14, 16, 14, 14)
        teams_layout.setSpacing(10)
        title_row = QHBoxLayout()
        title_row.addWidget(_label("Your teams", "judgeSection"))
        title_row.addStretch(1)
        self.count_label = _label("", "hint")
        self.count_label.setAccessibleName("Final sheets")
        title_row.addWidget(self.count_label)
        teams_layout.addLayout(title_row)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        set_role(self.progress_bar, "judgeProgress")
        self.progress_bar.setAccessibleName("Final sheets progress")
        teams_layout.addWidget(self.progress_bar)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by team, table or status  (Ctrl+F)")
        self.search.setAccessibleName("Filter teams")
        self.search.setClearButtonEnabled(True)
        teams_layout.addWidget(self.search)
        self.team_model = TeamListModel(self)
        self.team_view = QListView()
        self.team_view.setModel(self.team_model)
        self.team_view.setItemDelegate(TeamDelegate(self.team_model, self.team_view))
        self.team_view.setAccessibleName("Teams")
        self.team_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.team_view.setMouseTracking(True)
        self.team_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        set_role(self.team_view, "judgeTeams")
        teams_layout.addWidget(self.team_view, 1)
        self.no_match = _label("No team matches the filter.", "hint")
        self.no_match.hide()
        teams_layout.addWidget(self.no_match)
        teams.setMinimumWidth(300)
        self.splitter.addWidget(teams)

        self.editor = SheetEditor()
        self.editor.setMinimumWidth(520)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 880])
        self.tabs.addTab(scoring, "Scoring")

        self.leaderboard = LeaderboardPanel()
        self._board_tab = self.tabs.addTab(self.leaderboard, "Leaderboard")
        self.tabs.setTabVisible(self._board_tab, False)
        self.notes = NotificationPanel()
        self._notes_tab = self.tabs.addTab(self.notes, "Notifications")

        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.team_view.installEventFilter(self)
        self.team_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.team_view.activated.connect(self._enter_sheet)
        self.editor.save_requested.connect(self._save)
        self.tabs.currentChanged.connect(self._tab_changed)
        return page

    # --- keeping up with the replica --------------------------------------------------------------

    def schedule_refresh(self, *_: object) -> None:
        """Refresh once the current burst of changes is over."""
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    @property
    def judge_id(self) -> str | None:
        """The judge this laptop scores as: from the welcome, kept across restarts."""
        subject = self.controller.status.subject or self.controller.welcome_info().get("subject")
        if subject:
            return str(subject)
        device = self.controller.replica.state.device(self.controller.replica.device_id)
        return None if device is None else device.get("subject")

    def _follow_theme(self, dark: bool) -> None:
        """Repaint the team list, whose colours are painted in code."""
        self.team_view.viewport().update()

    def refresh(self) -> None:
        """Read the replica once and show it."""
        self.snap = jm.snapshot(
            self.controller.replica, self.judge_id, self.controller.notifications()
        )
        snap = self.snap
        page = self._page()
        arrived = page == 2 and self.pages.currentIndex() != 2
        self.pages.setCurrentIndex(page)
        on_main = page == 2
        self.heading.setText(jm.heading(snap) if on_main else "Tallyboard · Judge")
        named = on_main and snap.judge_name
        self.setWindowTitle(f"{snap.judge_name} — Tallyboard" if named else "Tallyboard — Judge")
        self.header.setVisible(page != 0)
        self.phase_chip.setVisible(on_main)
        _chip(
            self.phase_chip,
            "phase-open" if snap.phase == "scoring" else "phase-closed",
            jm.PHASE_LABEL.get(snap.phase, snap.phase),
        )
        done, total = jm.progress(snap.rows)
        self.count_label.setText(jm.progress_text(snap.rows))
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.removed.setVisible(snap.removed)

        self._show_rows()
        self._show_sheet()
        self.tabs.setTabVisible(self._board_tab, snap.judges_see_results)
        self._show_notes(snap.notes)
        if arrived and not self.search.hasFocus():
            # The keyboard starts in the team list (in an inactive window, once it activates).
            self.team_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _page(self) -> int:
        if not self.controller.paired:
            return 0
        if not self.controller.has_synced:
            return 1
        return 2

    def _show_rows(self) -> None:
        rows = jm.filter_rows(self.snap.rows, self.search.text())
        self._restoring = True
        try:
            self.team_model.set_rows(rows)
            index = self.team_model.index_of(self._selected)
            if index.isValid() and self.team_view.currentIndex() != index:
                self.team_view.setCurrentIndex(index)
        finally:
            self._restoring = False
        self.no_match.setVisible(bool(self.snap.rows) and not rows)

    def _show_sheet(self) -> None:
        self.editor.show_team(
            self.snap.row(self._selected),
            self.snap.criteria,
            editable=self.snap.open,
            banner=jm.phase_banner(self.snap.phase),
        )
        # Search, list, then criterion by criterion, comment, buttons. Set as one whole chain
        # every time: the sheet rebuilds its boxes when the criteria change, new widgets join the
        # end of the focus chain, and moving one widget alone would cut the chain behind it.
        chain = [self.search, self.team_view, *self.editor.focus_chain()]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _show_notes(self, notes: Sequence[jm.Note]) -> None:
        self.notes.show_notes(notes)
        ids = {n.id for n in notes}
        if self._seen_notes is None:
            self._seen_notes = ids  # what was here before this window opened is not news
        fresh = [n for n in notes if n.id not in self._seen_notes]
        if fresh:
            self._seen_notes |= ids
            self.toast.show_notes(fresh)
            if self.tabs.currentIndex() != self._notes_tab:
                self._unread += len(fresh)
        label = f"Notifications ({self._unread} new)" if self._unread else "Notifications"
        self.tabs.setTabText(self._notes_tab, label)

    def _tab_changed(self, index: int) -> None:
        if index == self._notes_tab:
            self._unread = 0
            self.tabs.setTabText(self._notes_tab, "Notifications")

    # --- the link ---------------------------------------------------------------------------------

    def _on_status(self, status: LinkStatus) -> None:
        self.link_bar.show_status(status)
        self.connect_panel.trust.setVisible(offers_new_host(status))
        if status.state == "refused":
            self.connect_panel.show_problem(f"The host refused: {status.last_error}")
            self.connect_state.setText("")
        elif status.state in ("connecting", "searching"):
            self.connect_state.setText(
                f"Connecting to {status.host}…" if status.host else "Looking for the host…"
            )
        elif status.state == "offline":
            self.connect_state.setText(
                f"Cannot reach the host ({status.last_error}). Still trying; check the address."
            )
        self.loading_hint.setText(
            "Your teams and the criteria appear as soon as they arrive."
            if status.state == "online"
            else f"The host is not reachable right now ({status.last_error or status.state})."
        )
        self.schedule_refresh()

    def _on_connect_requested(self, target: str, code: str, secure: bool, fingerprint: str) -> None:
        if not code and not self.controller.paired:
            self.connect_panel.show_problem("Enter the join code the organiser gave you.")
            return
        self.connect_state.setText(f"Connecting to {target}…")
        self.controller.connect_to(
            target, code, secure, fingerprint, f"Judge laptop ({QSysInfo.machineHostName()})"
        )

    # --- choosing a team --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if watched is self.search and key in (
                Qt.Key.Key_Down,
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            ):
                self._enter_list()
                return True
            if (
                watched is self.team_view
                and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self._enter_sheet()
                return True
        return super().eventFilter(watched, event)

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _enter_list(self) -> None:
        self.team_view.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.team_view.currentIndex().isValid():
            for number, row in enumerate(self.team_model.rows):
                if row.scorable:
                    self.team_view.setCurrentIndex(self.team_model.index(number))
                    break

    def _enter_sheet(self, *_: object) -> None:
        if self._selected is None:
            return
        target = self.editor.first_input()
        target.setFocus(Qt.FocusReason.TabFocusReason)
        if isinstance(target, QAbstractSpinBox):
            target.selectAll()

    def _filter(self) -> None:
        self._show_rows()

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._restoring or not current.isValid():
            return
        row = self.team_model.row_at(current)
        if row is None:
            return
        if row.id == self._selected:
            return
        if self.editor.dirty():
            choice = self.ask_unsaved(self.snap.row(self._selected))
            if choice == "cancel" or (choice == "save" and not self.save_draft()):
                self._restoring = True
                self.team_view.setCurrentIndex(self.team_model.index_of(self._selected))
                self._restoring = False
                return
        self.select_team(row.id)

    def select_team(self, team_id: str) -> None:
        """Show a team's sheet (the list follows)."""
        self._selected = team_id
        index = self.team_model.index_of(team_id)
        if index.isValid() and self.team_view.currentIndex() != index:
            self._restoring = True
            self.team_view.setCurrentIndex(index)
            self._restoring = False
        self._show_sheet()

    def ask_unsaved(self, row: jm.TeamRow | None) -> str:
        """Ask what to do with unsaved changes: "save" (a draft), "discard" or "cancel"."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        name = row.name if row is not None else "this team"
        box.setText(f"Your sheet for {name} has changes that are not saved.")
        box.setInformativeText("Save them as a draft on this laptop, or discard them?")
        save = box.addButton("Save draft", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        if box.clickedButton() is save:
            return "save"
        if box.clickedButton() is discard:
            return "discard"
        return "cancel"

    # --- saving -----------------------------------------------------------------------------------

    def save_draft(self) -> bool:
        """Save the sheet shown as a draft; return whether it was saved."""
        return self._save(False)

    def submit_final(self) -> bool:
        """Submit the sheet shown as final; return whether it was saved."""
        return self._save(True)

    def _save(self, final: bool) -> bool:
        editor, judge = self.editor, self.judge_id
        if editor.team_id is None or judge is None or not editor.editable:
            return False
        editor.commit_typing()
        scores, comment = editor.scores(), editor.comment_text()
        problems = jm.sheet_problems(self.snap.criteria, scores, final=final)
        if problems:
            editor.show_problem(" ".join(problems))
            missing = [c["name"] for c in self.snap.criteria if c["id"] not in scores]
            if final and missing:
                editor.focus_criterion(missing[0])
            return False
        error = self.controller.save_sheet(judge, editor.team_id, scores, comment, final=final)
        if error is not None:
            editor.show_problem(f"Not saved: {error}")
            return False
        editor.show_problem("")
        editor.mark_saved()
        self.refresh()
        return True

    # --- closing ----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.editor.dirty():
            choice = self.ask_unsaved(self.snap.row(self._selected))
            if choice == "cancel" or (choice == "save" and not self.save_draft()):
                event.ignore()
                return
        save_geometry(self, self.settings, "judge/geometry")
        super().closeEvent(event)
