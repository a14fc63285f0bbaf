"""The judge's team list: the model of its rows and the delegate that paints them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from desktop import judge_model as jm
from desktop import theme
from desktop.i18n import translate
from desktop.theme import colour

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
                parts.append(translate("judge", "waiting to send"))
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
        """Paint a team's row: its background, status chip, name and the line under it."""
        row = self.model.row_at(index)
        if row is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(6, 3, -6, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver) and row.scorable
        _paint_background(painter, rect, selected=selected, hovered=hovered)
        base = QFont(option.font)
        chip = _paint_chip(painter, rect, base, row)
        text_left = rect.left() + 16
        text_width = chip.left() - 12 - text_left
        name_font = QFont(base)
        name_font.setBold(True)
        painter.setPen(colour("strong" if row.scorable else "faint"))
        name_rect = QRect(text_left, rect.top() + 8, text_width, rect.height() // 2 - 6)
        _draw_elided(painter, name_font, name_rect, row.name)
        sub_font = QFont(base)
        sub_font.setPointSizeF(base.pointSizeF() * 0.9)
        sub_rect = QRect(text_left, rect.center().y() + 1, text_width, rect.height() // 2 - 8)
        _draw_elided(painter, sub_font, sub_rect, _sub_line(painter, row))
        if selected and option.widget is not None and option.widget.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(colour("focus"), 1.5))
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 8, 8)
        painter.restore()


def _paint_background(painter: QPainter, rect: QRect, *, selected: bool, hovered: bool) -> None:
    """Paint a selected row (with the accent bar at its left) or a hovered one."""
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


def _paint_chip(painter: QPainter, rect: QRect, base: QFont, row: jm.TeamRow) -> QRect:
    """Paint the sheet's status chip at the row's right; return where it went."""
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
    return chip


def _sub_line(painter: QPainter, row: jm.TeamRow) -> str:
    """Return the line under the name (table, and why refused or what waits); set its pen."""
    parts = [row.location] if row.location else []
    if row.status == jm.REJECTED:
        parts.append(jm.short_reason(row))
        painter.setPen(colour("bad"))
    elif row.waiting:
        parts.append(translate("judge", "waiting to send"))
        painter.setPen(colour("warn"))
    else:
        painter.setPen(colour("muted" if row.scorable else "faint"))
    return "  ·  ".join(parts)


def _draw_elided(painter: QPainter, font: QFont, rect: QRect, text: str) -> None:
    """Draw one line at the left of `rect` in `font`, cut with … if too long."""
    painter.setFont(font)
    elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
