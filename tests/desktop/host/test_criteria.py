"""Tests for the Criteria tab, driven through its widgets against a real demo host."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.host import ask
from desktop.host.criteria import CriteriaTab
from desktop.host.dialogs import (
    CriterionDialog,
)
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import MakePeer, Run, column, joined_judge, settle, setup_view
from tests.kit import until


def test_editing_reordering_and_a_refused_edit(
    demo_host: DemoHost, window: HostWindow, run: Run, asked: list[str]
) -> None:
    state = demo_host.replica.state
    window.show_page("Setup")
    criteria = window.setup.criteria
    criteria.table.selectRow(2)
    criteria.up.click()
    assert [c["id"] for c in state.criteria()] == ["innovation", "execution", "design"]
    settle(run, window)
    assert column(criteria.table, 1) == ["Innovation", "Execution", "Design"]

    criteria.table.selectRow(0)
    criteria.edit.click()
    dialog = criteria.form
    assert isinstance(dialog, CriterionDialog)
    assert dialog.name.text() == "Innovation"
    dialog.low.setValue(20)
    dialog.high.setValue(10)
    dialog.save_button.click()
    assert dialog.isVisible()  # a form problem keeps the dialog open
    assert "lowest score" in dialog.problem.text()
    dialog.high.setValue(100)
    dialog.weight.setValue(3)
    dialog.save_button.click()
    assert state.criterion("innovation")["weight"] == 3  # type: ignore[index]

    # Criteria cannot be removed once scoring has begun: the host's reason shows.
    criteria.table.selectRow(0)
    criteria.remove.click()
    assert "Remove Innovation?" in asked[-1]
    assert state.criterion("innovation") is not None
    assert window.banner.isVisible()
    assert "criterion.del is closed while the event is scoring" in window.error_label.text()


def test_the_tab_asks_to_save_remove_and_move_as_intents(qtbot: QtBot, asked: list[str]) -> None:
    tab = CriteriaTab()
    qtbot.addWidget(tab)
    view = setup_view(criteria=("innovation", "design", "execution"))
    tab.show_criteria(view.criteria, view.criterion_rows)
    assert column(tab.table, 1) == ["Innovation", "Design", "Execution"]
    said: list[str] = []
    tab.says.connect(said.append)
    tab.edit.click()
    tab.up.click()  # nothing selected: moving says nothing, editing asks to select
    assert said == ["Select a criterion first."]

    tab.add.click()
    form = tab.form
    assert isinstance(form, CriterionDialog)
    form.name.setText("Pitch")
    with qtbot.waitSignal(tab.save_requested) as signal:
        form.save_button.click()
    assert signal.args[0] is None
    assert signal.args[1]["name"] == "Pitch"
    tab.show_saved("criterion.put is closed while the event is locked")
    assert form.isVisible()
    assert "is closed" in form.problem.text()
    tab.show_saved(None)
    assert not form.isVisible()
    assert tab.form is None

    tab.table.selectRow(1)
    tab.edit.click()
    assert tab.form is not None
    assert tab.form.name.text() == "Design"
    with qtbot.waitSignal(tab.save_requested) as signal:
        tab.form.save_button.click()
    assert signal.args[0] == "design"
    tab.form.reject()
    with qtbot.waitSignal(tab.move_requested) as signal:
        tab.down.click()
    assert signal.args == ["design", 1]
    with qtbot.waitSignal(tab.remove_requested) as signal:
        tab.remove.click()
    assert signal.args == ["design"]
    assert "Remove Design?" in asked[-1]


def test_adding_a_criterion_while_judging_warns_with_counts_before_it_is_sent(
    demo_host: DemoHost,
    window: HostWindow,
    run: Run,
    peer: MakePeer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state = demo_host.replica.state
    ada = joined_judge(demo_host, peer, run)
    marks = {"innovation": 80, "design": 70, "execution": 60}
    for team in ("team-aurora", "team-cobalt"):
        ada.save_sheet("judge-ada", team, marks, "", final=True)
    run(until(lambda: ada.replica.pending_count() == 0))
    answers = [False, True]
    questions: list[str] = []

    def answer(parent: QWidget, title: str, text: str, action: str) -> bool:
        questions.append(text)
        return answers.pop(0)

    monkeypatch.setattr(ask, "confirm", answer)
    window.show_page("Setup")
    criteria = window.setup.criteria
    criteria.add.click()
    form = criteria.form
    assert isinstance(form, CriterionDialog)
    form.name.setText("Pitch")
    form.save_button.click()
    assert "Change Pitch while sheets are in?" in questions[0]
    assert "2 final sheets lack it" in questions[0]
    assert "Judges concerned: Ada Brennan." in questions[0]
    assert "Pitch" not in [c["name"] for c in state.criteria()]  # "no": nothing was sent
    assert form.isVisible()
    assert "nothing was sent" in form.problem.text()
    form.save_button.click()
    assert "Pitch" in [c["name"] for c in state.criteria()]
    assert not form.isVisible()

    # A change that touches no saved sheet asks nothing.
    settle(run, window)
    criteria.table.selectRow(column(criteria.table, 1).index("Pitch"))
    criteria.edit.click()
    form = criteria.form
    assert isinstance(form, CriterionDialog)
    form.description.setPlainText("How well it is told")
    form.save_button.click()
    assert len(questions) == 2
