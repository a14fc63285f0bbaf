"""A criterion's row of the sheet: its score box (typed, snapped to the scale), slider, warning."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QValidator,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop import judge_model as jm
from desktop.i18n import translate
from desktop.judge import parts as ui
from desktop.theme import set_role

NOT_SCORED = "–"  # what a score box shows before the judge enters a value

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
        # What an off-scale number being typed will count as once the box corrects it.
        self._typed_off: float | int | None = None
        name = criterion["name"]
        scale = jm.scale_text(criterion)
        weight = jm.weight_text(criterion, criteria)
        description = criterion.get("description") or ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 12)
        layout.setSpacing(24)
        layout.addLayout(self._texts(name, f"{scale}  ·  {weight}", description), 5)
        layout.addWidget(self._slider(name), 3, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(
            self._box(name, scale, weight, description), 0, Qt.AlignmentFlag.AlignVCenter
        )
        self._spin_moved()

        self.spin.valueChanged.connect(self._spin_moved)
        self.spin.editingFinished.connect(self.snap)
        self.spin.lineEdit().textEdited.connect(self._typed)
        self.slider.valueChanged.connect(self._slider_moved)

    def _texts(self, name: str, meta: str, description: str) -> QVBoxLayout:
        """Build the criterion's name, its scale and weight, and its description."""
        text = QVBoxLayout()
        text.setSpacing(3)
        title = QHBoxLayout()
        title.setSpacing(12)
        self.name = ui.label(name, "judgeCriterion")
        title.addWidget(self.name)
        self.meta = ui.label(meta, "judgeScale")
        self.meta.setAccessibleName(translate("judge", "{name} scale and weight").format(name=name))
        title.addWidget(self.meta, 0, Qt.AlignmentFlag.AlignBaseline)
        title.addStretch(1)
        text.addLayout(title)
        self.description = ui.label(description, "hint", wrap=True)
        if not description:
            # hide(), never setVisible(True): a widget with no parent yet would open a window.
            self.description.hide()
        text.addWidget(self.description)
        # A criterion a final sheet lacks (added since it was saved): said at the criterion too.
        self.note = ui.label(translate("judge", "Not on this final sheet yet"), "judgeUnsaved")
        self.note.setAccessibleName(translate("judge", "{name} missing").format(name=name))
        self.note.hide()
        text.addWidget(self.note)
        # Beside the box, not in a dialog: the judge is told while the number is being typed.
        self.warning = ui.label("", "error", wrap=True)
        self.warning.setAccessibleName(translate("judge", "{name} score problem").format(name=name))
        self.warning.hide()
        text.addWidget(self.warning)
        return text

    def _slider(self, name: str) -> QSlider:
        steps = jm.steps(self.criterion)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        set_role(self.slider, "judgeSlider")
        self.slider.setRange(0, steps)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the box is the keyboard's input
        self.slider.setAccessibleName(translate("judge", "{name} slider").format(name=name))
        self.slider.setPageStep(max(1, steps // 10))
        self.slider.setMinimumWidth(160)
        # A scale of thousands of steps is typed, not dragged.
        if steps > 1000:
            self.slider.hide()
        return self.slider

    def _box(self, name: str, scale: str, weight: str, description: str) -> QAbstractSpinBox:
        """Build the score box: whole numbers or decimals, as the scale's step needs."""
        self.spin: QSpinBox | QDoubleSpinBox
        if jm.is_whole(self.criterion):
            self.spin = ScoreSpinBox(self.criterion)
        else:
            self.spin = ScoreDoubleSpinBox(self.criterion)
        # Its arrow buttons are styled to nothing (light.qss): NoButtons would squeeze the
        # text to a pixel under a style sheet. ↑ and ↓ still step.
        set_role(self.spin, "judgeScore")
        self.spin.lineEdit().setTextMargins(0, 0, 8, 0)
        self.spin.setAccessibleName(translate("judge", "{name} score").format(name=name))
        self.spin.setAccessibleDescription(f"{scale}; {weight}. {description}".strip())
        self.spin.setToolTip(
            translate("judge", "{scale}. Type a number (↑ ↓ step); empty means not scored.").format(
                scale=scale
            )
        )
        self.spin.setFixedWidth(96)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self.spin

    def value(self) -> float | int | None:
        """Return the score on the scale, or None when not scored."""
        if self._typed_off is not None:
            return self._typed_off  # "150" half typed holds 15: count what leaving keeps
        if self.spin.value() <= self.spin.minimum():
            return None
        return jm.snap(self.spin.value(), self.criterion)

    def set_value(self, value: float | None) -> None:
        """Show a score (None: not scored)."""
        self._typed_off = None  # a value set, not typed: it is on the scale
        self.warning.hide()
        target = self.spin.minimum() if value is None else jm.snap(value, self.criterion)
        if self.spin.value() != target:
            self._show(target)

    def set_missing(self, missing: bool) -> None:
        """Say that the final sheet shown lacks this criterion (needs update), or stop saying it."""
        self.note.setVisible(missing)

    def set_read_only(self, read_only: bool) -> None:
        """Let the judge read but not change the score."""
        self.spin.setReadOnly(read_only)
        self.slider.setEnabled(not read_only)

    def snap(self) -> None:
        """Move the value shown onto the step grid."""
        self._typed_off = None  # the box holds the corrected value from here on
        value = self.value()
        if value is not None and value != self.spin.value():
            self._show(value)

    def _show(self, value: float) -> None:
        # A whole scale's box takes ints, a fractional one's floats; snap gave the right kind.
        if isinstance(self.spin, QSpinBox):
            self.spin.setValue(int(value))
        else:
            self.spin.setValue(float(value))

    def _typed(self, text: str) -> None:
        """Tell the judge at once when the number typed is off the scale (on_scale decides)."""
        number, ok = self.spin.locale().toDouble(text.strip())
        problem = jm.off_scale_text(text.strip(), number, self.criterion) if ok else None
        self._typed_off = None if problem is None else jm.snap(number, self.criterion)
        self.warning.setText(problem or "")
        self.warning.setVisible(problem is not None)
        if problem is not None:
            self._show_on_slider(self.value())  # what counts, not the "15" of "150" half typed
        self.changed.emit()

    def _spin_moved(self) -> None:
        value = self.value()
        self._show_on_slider(value)
        set_role(self.slider, "unscored" if value is None else "scored", "score")
        self.changed.emit()

    def _show_on_slider(self, value: float | None) -> None:
        if self._syncing:
            return
        self._syncing = True
        low, step = float(self.criterion["min"]), float(self.criterion["step"])
        self.slider.setValue(0 if value is None else round((float(value) - low) / step))
        self._syncing = False

    def _slider_moved(self, position: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        low, step = float(self.criterion["min"]), float(self.criterion["step"])
        self.set_value(low + position * step)
        self._syncing = False
