"""Tests for the console's building blocks: tables that keep their selection, tick cells."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QStyleOptionViewItem, QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from desktop.host import parts as ui


def test_fill_replaces_the_rows_and_keeps_the_selected_key_selected(qtbot: QtBot) -> None:
    table = ui.table(["Team", "Location"], "Teams")
    qtbot.addWidget(table)
    assert ui.selected_key(table) is None
    ui.fill(table, [("team-a", ["Aurora", "T1"]), ("team-b", ["Basalt", "T2"])])
    table.selectRow(1)
    assert ui.selected_key(table) == "team-b"
    # A new team sorts first: the selection follows Basalt's key, not its old row.
    ui.fill(
        table,
        [("team-0", ["Abyss", "T0"]), ("team-a", ["Aurora", "T1"]), ("team-b", ["Basalt", "T2"])],
    )
    assert ui.selected_key(table) == "team-b"
    assert table.item(2, 0).text() == "Basalt"
    assert table.rowCount() == 3


def test_an_item_shows_a_long_text_whole_in_its_tooltip() -> None:
    short, long_ = ui.item("Aurora", "team-a"), ui.item("x" * 41)
    assert short.toolTip() == ""
    assert short.data(ui.ID_ROLE) == "team-a"
    assert long_.toolTip() == "x" * 41


def test_a_tick_cell_toggles_on_space_and_a_conflict_cell_does_not(qtbot: QtBot) -> None:
    grid = QTableWidget(1, 2)
    qtbot.addWidget(grid)
    delegate = ui.CheckDelegate(grid)
    grid.setItemDelegate(delegate)
    tick = QTableWidgetItem()
    tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
    tick.setCheckState(Qt.CheckState.Unchecked)
    conflict = QTableWidgetItem("conflict")
    conflict.setFlags(Qt.ItemFlag.ItemIsEnabled)
    grid.setItem(0, 0, tick)
    grid.setItem(0, 1, conflict)
    space = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier)
    option = QStyleOptionViewItem()
    model = grid.model()
    assert delegate.editorEvent(space, model, option, model.index(0, 0))
    assert ui.checked(model.index(0, 0))
    assert delegate.editorEvent(space, model, option, model.index(0, 0))
    assert not ui.checked(model.index(0, 0))
    assert not delegate.editorEvent(space, model, option, model.index(0, 1))
    assert not ui.checked(model.index(0, 1))


def test_fit_height_makes_a_short_table_no_taller_than_its_rows(qtbot: QtBot) -> None:
    table = ui.table(["Device"], "Devices")
    qtbot.addWidget(table)
    ui.fill(table, [(f"d{i}", [f"Laptop {i}"]) for i in range(2)])
    ui.fit_height(table)
    two = table.maximumHeight()
    ui.fill(table, [(f"d{i}", [f"Laptop {i}"]) for i in range(6)])
    ui.fit_height(table)
    assert table.maximumHeight() - two == 4 * table.verticalHeader().defaultSectionSize()


def test_sentence_capitalises_only_the_first_letter() -> None:
    assert ui.sentence("scores out of range for Design") == "Scores out of range for Design"
    assert ui.sentence("") == ""
