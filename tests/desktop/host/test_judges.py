"""Tests for the Judges tab: what it shows from its view, and the intents it emits."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.host.dialogs import JudgeDialog
from desktop.host.judges import JudgesTab
from tests.desktop.host.conftest import column, setup_view


def test_the_tab_shows_conflicts_and_loads_and_asks_to_save_and_remove(
    qtbot: QtBot, asked: list[str]
) -> None:
    tab = JudgesTab()
    qtbot.addWidget(tab)
    view = setup_view(
        judges=(("Bao", ("team-basalt",)), ("Ada", ())),
        assigned={"judge-ada": {"team-aurora"}, "judge-bao": set()},
    )
    tab.show_judges(view.judges, view.teams, view.judge_lines)
    assert column(tab.table, 0) == ["Ada", "Bao"]
    assert column(tab.table, 1) == ["None", "Basalt"]
    assert column(tab.table, 2) == ["1 team", "Any team (no list)"]

    tab.table.selectRow(1)
    tab.edit.click()
    form = tab.form
    assert isinstance(form, JudgeDialog)
    assert form.values() == {"name": "Bao", "conflicts": ["team-basalt"]}
    form.set_conflict("team-aurora")
    form.set_conflict("team-basalt", False)
    with qtbot.waitSignal(tab.save_requested) as signal:
        form.save_button.click()
    assert signal.args == ["judge-bao", {"name": "Bao", "conflicts": ["team-aurora"]}]
    tab.show_saved("judge.put is closed")
    assert form.isVisible()
    assert form.problem.text() == "judge.put is closed"
    form.reject()

    with qtbot.waitSignal(tab.remove_requested) as signal:
        tab.remove.click()
    assert signal.args == ["judge-bao"]
    assert "Remove Bao?" in asked[-1]
    tab.table.clearSelection()
    with qtbot.waitSignal(tab.says) as said:
        tab.edit.click()
    assert said.args == ["Select a judge first."]
