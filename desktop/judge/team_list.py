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

# Badges under a team's name: the prizes the judge scores it for, and "Needs update", each in
# colours no status chip uses, so a final sheet that needs an update reads as both.
BADGE_COLOURS = {"prize": ("#eff4ff", "#1d3f8f"), "update": ("#f4ebff", "#6941c6")}
DARK_BADGE_COLOURS = {"prize": ("#172a4a", "#a8c1f5"), "update": ("#2f1f55", "#d6bbfb")}


def badges(row: jm.TeamRow) -> list[tuple[str, str]]:
    """Return a row's badges as (kind, text): "Needs update" first, then its prizes."""
    found = [("update", translate("judge", jm.NEEDS_UPDATE))] if row.needs_update else []
    return found + [("prize", prize.name) for prize in row.prizes]


def prizes_text(row: jm.TeamRow) -> str:
    """Return "Scored for: Best use of AI, Harbour Open Data Prize (Port of Harbour)", or ''."""
    if not row.prizes:
        return ""
    names = [f"{p.name} ({p.sponsor})" if p.sponsor else p.name for p in row.prizes]
    return translate("judge", "Scored for: {prizes}").format(prizes=", ".join(names))


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
            if row.needs_update:
                parts.append(translate("judge", jm.NEEDS_UPDATE))
            if row.waiting:
                parts.append(translate("judge", "waiting to send"))
            parts.append(prizes_text(row))
            return ", ".join(p for p in parts if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(p for p in (row.reason, prizes_text(row)) if p) or None
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
    """Paint a team as two lines (name; table, reason or "waiting to send") and a status chip,
    and a line of badges under them when it has any (prizes, "Needs update")."""

    HEIGHT = 58

    def __init__(self, model: TeamListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        row = self.model.row_at(index)
        extra = _badge_height(QFont(option.font)) + 4 if row is not None and badges(row) else 0
        return QSize(option.rect.width(), self.HEIGHT + extra)

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
        whole = option.rect.adjusted(6, 3, -6, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver) and row.scorable
        _paint_background(painter, whole, selected=selected, hovered=hovered)
        base = QFont(option.font)
        rect = QRect(whole.left(), whole.top(), whole.width(), self.HEIGHT - 6)  # the two lines
        chip = _paint_chip(painter, rect, base, row)
        text_left = rect.left() + 16
        text_width = chip.left() - 12 - text_left
        name_font = name_font_of(base, row)
        painter.setPen(colour("strong" if row.scorable else "faint"))
        name_rect = QRect(text_left, rect.top() + 8, text_width, rect.height() // 2 - 6)
        _draw_elided(painter, name_font, name_rect, row.name)
        sub_font = QFont(base)
        sub_font.setPointSizeF(base.pointSizeF() * 0.9)
        sub_rect = QRect(text_left, rect.center().y() + 1, text_width, rect.height() // 2 - 8)
        _draw_elided(painter, sub_font, sub_rect, _sub_line(painter, row))
        line = QRect(text_left, rect.bottom() - 2, whole.right() - 12 - text_left, 0)
        _paint_badges(painter, line, base, badges(row))
        if selected and option.widget is not None and option.widget.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(colour("focus"), 1.5))
            painter.drawRoundedRect(whole.adjusted(1, 1, -1, -1), 8, 8)
        painter.restore()


def name_font_of(base: QFont, row: jm.TeamRow) -> QFont:
    """Return the font of a team's name: bold, struck through when its sheet is void (kept,
    counted nowhere), as the console strikes it."""
    font = QFont(base)
    font.setBold(True)
    font.setStrikeOut(row.voided is not None)
    return font


def _badge_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * 0.8)
    font.setBold(True)
    return font


def _badge_height(base: QFont) -> int:
    return QFontMetrics(_badge_font(base)).height() + 4


def _paint_badges(
    painter: QPainter, line: QRect, base: QFont, found: list[tuple[str, str]]
) -> None:
    """Paint badges left to right from `line`'s top left; a name too long is cut with …,
    and those that find no room are counted in a last "+2" badge (the tooltip names them)."""
    height, pad, gap = _badge_height(base), 8, 6
    palette = DARK_BADGE_COLOURS if theme.is_dark() else BADGE_COLOURS
    painter.setFont(_badge_font(base))
    metrics = painter.fontMetrics()  # as the painter will draw it
    x = line.left()
    more = metrics.horizontalAdvance("+99") + 2 * pad + gap  # room kept for the count
    for number, badge in enumerate(found):
        kind, text = badge
        room = line.right() - x - (more if number < len(found) - 1 else 0)
        # +2: elidedText cuts a text given exactly its (rounded) advance at some sizes.
        width = min(metrics.horizontalAdvance(text) + 2 * pad + 2, room)
        if width < metrics.horizontalAdvance("Abc…") + 2 * pad:
            kind, text = "prize", f"+{len(found) - number}"
            width = metrics.horizontalAdvance(text) + 2 * pad
        background, text_colour = palette[kind]
        box = QRect(x, line.top(), width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(box, height / 2, height / 2)
        painter.setPen(QColor(text_colour))
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width - 2 * pad)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, shown)
        if text.startswith("+"):
            return  # the count stands for the rest
        x += width + gap


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
