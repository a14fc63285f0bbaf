"""Tests for the Assignments tab and its auto-assign dialog, against a real demo host."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.host.assignments import AssignmentsTab
from desktop.host.dialogs import (
    AutoAssignDialog,
)
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import setup_view


def test_auto_assign_warns_by_name_when_conflicts_leave_too_few_judges(
    demo_host: DemoHost, window: HostWindow
) -> None:
    window.show_page("Setup")
    window.setup.assignments.auto.click()
    dialog = window.dialog
    assert isinstance(dialog, AutoAssignDialog)
    dialog.k.setValue(4)
    warnings = [dialog.warnings.item(i).text() for i in range(dialog.warnings.count())]
    assert "⚠ Team Fjord has only 3 judges without a conflict; it gets 3, not 4." in warnings
    assert not dialog.warnings.isHidden()
    dialog.apply_button.click()
    state = demo_host.replica.state
    assert state.assigned_teams("judge-bao") == set(state.teams()) - {"team-fjord"}


def test_the_grid_shows_its_view_and_asks_for_ticks_auto_assign_and_clear(
    qtbot: QtBot, asked: list[str]
) -> None:
    tab = AssignmentsTab()
    qtbot.addWidget(tab)
    said: list[str] = []
    tab.says.connect(said.append)
    tab.auto.click()
    tab.clear.click()
    assert said == ["Add judges and teams first.", "No judge has assignments."]

    tab.show_grid(setup_view().grid)
    assert tab.cell("judge-bao", "team-basalt").text() == "conflict"
    ticks: list[tuple[str, str, bool]] = []
    tab.tick_requested.connect(lambda *args: ticks.append(args))
    tab.cell("judge-ada", "team-basalt").setCheckState(Qt.CheckState.Checked)
    assert ticks == [("judge-ada", "team-basalt", True)]
    with qtbot.waitSignal(tab.auto_assign_requested):
        tab.auto.click()
    tab.clear.click()
    assert said[-1] == "No judge has assignments."
    assert not asked

    tab.show_grid(setup_view(assigned={"judge-ada": {"team-basalt"}, "judge-bao": set()}).grid)
    assert tab.cell("judge-ada", "team-basalt").checkState() == Qt.CheckState.Checked
    assert tab.summary.text().startswith("1 assignments.")
    tab.cell("judge-ada", "team-basalt").setCheckState(Qt.CheckState.Unchecked)
    assert ticks[-1] == ("judge-ada", "team-basalt", False)
    with qtbot.waitSignal(tab.clear_requested):
        tab.clear.click()
    assert asked[-1].startswith("Clear every assignment?")
