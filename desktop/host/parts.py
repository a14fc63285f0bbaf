"""The console's building blocks: labels, buttons, cards, tables and the page frame."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QPainter,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.host import ask
from desktop.i18n import QT_TRANSLATE_NOOP, translate
from desktop.theme import set_role
from storage.ops import FIRST_ROUND

if TYPE_CHECKING:
    from desktop.host.dialogs import EditDialog

ID_ROLE = Qt.ItemDataRole.UserRole


def label(text: str = "", role: str | None = None, *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if role:
        set_role(label, role)
    label.setWordWrap(wrap)
    return label


def button(text: str, name: str, role: str | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    if role:
        set_role(button, role)
    return button


# What a tab says when nothing is selected, by its KIND (whole texts, to translate).
SELECT_FIRST = {
    "criterion": QT_TRANSLATE_NOOP("host", "Select a criterion first."),
    "team": QT_TRANSLATE_NOOP("host", "Select a team first."),
    "judge": QT_TRANSLATE_NOOP("host", "Select a judge first."),
    "": QT_TRANSLATE_NOOP("host", "Select a row first."),
}


class SegmentButton(QPushButton):
    """A button of a segmented choice: as wide as its text in bold, which it is when checked."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.setAccessibleName(name)
        set_role(self, "segment")

    def sizeHint(self) -> QSize:  # Qt override
        # The hint is measured in the unchecked weight; bold, "Released" lost its last letter.
        hint = super().sizeHint()
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.Bold)
        normal = QFont(self.font())  # the style sheet makes a checked button's own font bolder
        normal.setWeight(QFont.Weight.Normal)
        extra = QFontMetrics(bold).horizontalAdvance(self.text())
        extra -= QFontMetrics(normal).horizontalAdvance(self.text())
        focus = 2  # the focus border is 1 px wider a side than the border the hint counts
        return QSize(hint.width() + max(0, extra) + focus, hint.height())

    def minimumSizeHint(self) -> QSize:  # Qt override
        return self.sizeHint()


def card(title: str | None = None, hint: str | None = None) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    set_role(card, "card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(20, 18, 20, 20)
    layout.setSpacing(10)
    if title:
        layout.addWidget(label(title, "section"))
    if hint:
        layout.addWidget(label(hint, "hint", wrap=True))
    return card, layout


def table(headers: Sequence[str], name: str, stretch: int = 1) -> QTableWidget:
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


def item(text: str, key: str | None = None, *, color: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text if len(text) > 40 else "")
    if key is not None:
        item.setData(ID_ROLE, key)
    if color is not None:
        item.setForeground(color)
    return item


def fill(table: QTableWidget, rows: Sequence[tuple[str, Sequence[QTableWidgetItem | str]]]) -> None:
    """Replace a table's rows (key, cells), keeping the selected key selected."""
    selected = selected_key(table)
    table.setRowCount(len(rows))
    for index, (key, cells) in enumerate(rows):
        for column, cell in enumerate(cells):
            entry = cell if isinstance(cell, QTableWidgetItem) else item(cell)
            entry.setData(ID_ROLE, key)
            table.setItem(index, column, entry)
        if key == selected:
            table.selectRow(index)


def selected_key(table: QTableWidget) -> str | None:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return None if item is None else item.data(ID_ROLE)


def toolbar(*widgets: QWidget, stretch_at: int | None = None) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    for index, widget in enumerate(widgets):
        if index == stretch_at:
            row.addStretch(1)
        row.addWidget(widget)
    if stretch_at is None or stretch_at >= len(widgets):
        row.addStretch(1)
    return row


def cell(widget: QWidget) -> QWidget:
    """Wrap a widget for a table cell, centred vertically with some air around it."""
    holder = QWidget()
    holder.setObjectName("cell")
    box = QHBoxLayout(holder)
    box.setContentsMargins(8, 0, 8, 0)
    box.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
    return holder


def fit_height(table: QTableWidget, *, wide: bool = False, least: int = 2) -> None:
    """Let a table be no taller than its rows, so a short list does not end in a blank box."""
    rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
    rows = max(rows, least * table.verticalHeader().defaultSectionSize())
    height = table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + 2
    if wide:
        height += table.horizontalScrollBar().sizeHint().height()
    table.setMaximumHeight(height)


class CheckDelegate(QStyledItemDelegate):
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
        ticked = checked(index)
        view.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        view.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view, painter, widget)
        box = QStyleOptionViewItem(view)
        size = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, view, widget)
        box.rect = QRect(0, 0, size, size)
        box.rect.moveCenter(option.rect.center())
        box.state = (box.state & ~QStyle.StateFlag.State_HasFocus) | (
            QStyle.StateFlag.State_On if ticked else QStyle.StateFlag.State_Off
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
        state = Qt.CheckState.Unchecked if checked(index) else Qt.CheckState.Checked
        return bool(model.setData(index, state, Qt.ItemDataRole.CheckStateRole))


def checked(index: QModelIndex | QPersistentModelIndex) -> bool:
    value = index.data(Qt.ItemDataRole.CheckStateRole)
    if value is None:
        return False
    return bool(Qt.CheckState(value) == Qt.CheckState.Checked)


def sentence(text: str) -> str:
    """Return `text` with a capital first letter (storage messages start in lowercase)."""
    return text[:1].upper() + text[1:]


def copy(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


def open_dialog(dialog: QDialog) -> None:
    """Show a dialog without blocking the loop (the host keeps serving meanwhile)."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()


# --- pages ---------------------------------------------------------------------------------------


class Page(QScrollArea):
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
        self.heading = label(title, "pageTitle")
        heading.addWidget(self.heading)
        self.hint = label(hint, "hint", wrap=True)
        heading.addWidget(self.hint)
        self.content.addLayout(heading)


class SetupTab(QWidget):
    """A tab of the Setup page: a column of a toolbar and a table; it asks through signals."""

    says = Signal(str)  # a short line for the status bar
    table: QTableWidget

    def __init__(self) -> None:
        super().__init__()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 16, 16, 16)
        self.layout_.setSpacing(12)


class EntityTab(SetupTab):
    """A Setup tab of one kind of entity, whose saves and removals are asked for as signals.

    A form's values go out as `save_requested`; the window answers with `show_saved`, which
    closes the form or shows in it why the host refused.
    """

    save_requested = Signal(object, dict)  # the entity's id (None: a new one), the form's values
    open_requested = Signal(str)  # open the entity's page (Enter or a double-click on its row)
    remove_requested = Signal(str)  # the entity's id (the organiser has been asked)
    KIND = ""  # "criterion", "team", "judge": what the tab's messages call one

    def __init__(self) -> None:
        super().__init__()
        self.form: EditDialog | None = None  # the form open now (window-modal: one at a time)
        self.form_for: str | None = None  # the id its values save (None: a new entity)
        self.entities: Mapping[str, dict[str, Any]] = {}  # by id, as last shown
        self.prize_choices: list[tuple[str, str]] = []  # the prizes its forms offer to tick

    def selected(self) -> dict[str, Any] | None:
        """Return the entity selected in `self.table`, or say to select one first."""
        entity = self.entities.get(selected_key(self.table) or "")
        if entity is None:
            self.says.emit(translate("host", SELECT_FIRST.get(self.KIND, SELECT_FIRST[""])))
        return entity

    def ask_to_remove(
        self,
        entity: Mapping[str, Any] | None,
        title: str,
        question: str,
        removal: SignalInstance,
    ) -> None:
        """Emit `removal` with the entity's id once the organiser agrees to remove it (the
        `question` names it as {v0}); with nothing selected (None) there is nothing to ask."""
        if entity is not None and ask.confirm(
            self.window(), title, question.format(v0=entity["name"]), translate("host", "Remove")
        ):
            removal.emit(entity["id"])

    def open_form(self, dialog: EditDialog, ident: str | None) -> None:
        """Open a form whose values ask to save entity `ident` (None: a new one)."""
        # Bound methods, not lambdas holding the dialog: PySide drops a dialog's slots while
        # deleting it, and a closure that owns the dialog's wrapper crashes it there.
        dialog.submitted.connect(self._submitted)
        dialog.finished.connect(self._form_closed)
        self.form, self.form_for = dialog, ident
        open_dialog(dialog)

    def _submitted(self, values: dict[str, Any]) -> None:
        self.save_requested.emit(self.form_for, values)

    def _form_closed(self) -> None:
        self.form, self.form_for = None, None

    def show_saved(self, problem: str | None) -> None:
        """Close the open form (saved), or show in it why the host refused (`problem`)."""
        if self.form is None:
            return
        if problem is None:
            self.form.accept()
        else:
            self.form.show_problem(problem)


class DetailPage(Page):
    """A page the organiser opens from another (a team, a judge, a sheet): Back, a title,
    lines of facts, then a table whose rows open further (Enter or a double-click)."""

    back_requested = Signal()
    FACTS = 1  # how many lines of facts under the title

    def __init__(self, headers: Sequence[str], name: str) -> None:
        super().__init__("", "")
        self.hint.hide()  # the lines of facts say what a hint would
        self.back = button(translate("host", "← Back"), translate("host", "Back (Alt+Left)"))
        self.back.clicked.connect(self.back_requested)
        self.content.insertLayout(0, toolbar(self.back))
        self.facts = [label("", "hint", wrap=True) for _ in range(self.FACTS)]
        for line in self.facts:
            line.setTextFormat(Qt.TextFormat.PlainText)
            self.content.addWidget(line)
        self.table = table(headers, name, stretch=len(headers) - 1)
        self.table.setMinimumHeight(320)
        self.table.activated.connect(self._activated)
        self.content.addWidget(self.table, 1)

    def _activated(self, index: QModelIndex) -> None:
        cell = self.table.item(index.row(), 0)
        if cell is not None and cell.data(ID_ROLE):
            self.open_row(str(cell.data(ID_ROLE)))

    def open_row(self, key: str) -> None:
        """Open what a row stands for (a page says what)."""

    def show_heading(self, title: str, *facts: str) -> None:
        """Show the page's title and its lines of facts."""
        self.heading.setText(title)
        for line, text in zip(self.facts, facts, strict=False):
            line.setText(text)
            line.setVisible(bool(text))

    def set_headers(self, headers: Sequence[str]) -> None:
        """Set the table's columns (the criteria change), the last one stretching."""
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        header = self.table.horizontalHeader()
        for column in range(len(headers)):
            last = column == len(headers) - 1
            mode = (
                QHeaderView.ResizeMode.Stretch if last else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)


def sheet_key(judge: str, team: str, round_id: str = FIRST_ROUND) -> str:
    """Return one key for a judge's sheet of a team in a round (ids never hold a slash, 5a)."""
    return f"{judge}/{team}" if round_id == FIRST_ROUND else f"{judge}/{team}/{round_id}"


def split_sheet_key(key: str) -> tuple[str, str, str]:
    """Return the (judge, team, round) of a sheet key."""
    judge, team, round_id = [*key.split("/", 2), FIRST_ROUND][:3]
    return judge, team, round_id


def tint_row(table: QTableWidget, row: int, text: QColor, background: QColor | None) -> None:
    """Colour one row's cells (a refused op, a sheet that does not count)."""
    for column in range(table.columnCount()):
        cell = table.item(row, column)
        if cell is None:
            continue
        cell.setForeground(text)
        if background is not None:
            cell.setBackground(background)


def check_list(name: str, entries: Sequence[tuple[str, str]], ticked: set[str]) -> QListWidget:
    """Return a list of names to tick, keyed by id (Qt.UserRole)."""
    box = QListWidget()
    box.setAccessibleName(name)
    box.setMaximumHeight(150)
    for ident, text in entries:
        entry = QListWidgetItem(text)
        entry.setData(Qt.ItemDataRole.UserRole, ident)
        entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        entry.setCheckState(Qt.CheckState.Checked if ident in ticked else Qt.CheckState.Unchecked)
        box.addItem(entry)
    return box


def ticked(box: QListWidget) -> list[str]:
    """Return the ids ticked in a check list, in its order."""
    return [
        str(box.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(box.count())
        if box.item(i).checkState() == Qt.CheckState.Checked
    ]
