"""Tests for the Rounds tab: the first round's settings, later rounds, phases and finalists."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.host.dialogs import CriterionDialog
from desktop.host.rounds import FinalistsDialog, RoundDialog
from desktop.host.window import HostWindow
from storage.sheets import round_teams
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import MakePeer, Run, column, joined_judge, settle
from tests.kit import until


def _open_tab(window: HostWindow, run: Run) -> None:
    window.show_page("Setup")
    window.setup.tabs.setCurrentWidget(window.setup.rounds)
    settle(run, window)


def _tick(box: object, ids: set[str]) -> None:
    for i in range(box.count()):  # type: ignore[attr-defined]
        entry = box.item(i)  # type: ignore[attr-defined]
        wanted = entry.data(Qt.ItemDataRole.UserRole) in ids
        entry.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def test_the_first_round_is_renamed_normalised_and_given_ordered_tie_breaks(
    demo_host: DemoHost, window: HostWindow, run: Run
) -> None:
    state = demo_host.replica.state
    _open_tab(window, run)
    tab = window.setup.rounds
    assert tab.round_name.text() == "Round 1"
    tab.round_name.setText("Expo")
    tab.normalise.setCurrentIndex(tab.normalise.findData("ranks"))
    assert "common scale" in tab.normalise_sentence.text()
    ties = tab.ties.list
    keys = [ties.item(i).data(Qt.ItemDataRole.UserRole) for i in range(ties.count())]
    assert keys[:2] == ["#sheets", "#median"]
    assert "open-data" not in keys
    _tick(ties, {"#sheets", "design"})
    ties.setCurrentRow(keys.index("design"))
    for _ in range(keys.index("design")):
        tab.ties.up.click()
    # An op arriving meanwhile (a judge scoring) redraws the tab but keeps the unsaved edits.
    demo_host.controller.admin("team.put", {"id": "team-fjord", "name": "Fjord Two"})
    settle(run, window)
    assert tab.ties.keys() == ["design", "#sheets"]
    assert tab.round_name.text() == "Expo"
    tab.save_first.click()
    assert state.event_setting("round_name") == "Expo"
    assert state.event_setting("normalise") == "ranks"
    assert state.event_setting("tie_break") == ["design", "#sheets"]
    settle(run, window)
    assert tab.ties.keys() == ["design", "#sheets"]
    window.show_page("Results")
    settle(run, window)
    main = window.results.cards[0]
    assert main.title.text() == "Expo · Overall"
    assert "Higher mean of Design, then More final sheets" in main.facts.text()


def test_adding_a_round_and_refusing_a_duplicate_or_a_locked_one(
    demo_host: DemoHost, window: HostWindow, run: Run, asked: list[str]
) -> None:
    state = demo_host.replica.state
    _open_tab(window, run)
    tab = window.setup.rounds
    assert column(tab.table, 0) == ["Finals"]
    tab.add.click()
    form = tab.form
    assert isinstance(form, RoundDialog)
    form.name.setText("Grand final")
    form.finalists.setCurrentIndex(form.finalists.findData("top_per_prize"))
    form.count.setValue(2)
    form.result_rule.setCurrentIndex(form.result_rule.findData("weighted"))
    form.weight.setValue(30)
    _tick(form.judges, {"judge-ada", "judge-bao"})
    form.save_button.click()
    assert not form.isVisible()
    added = next(r for r in state.rounds() if r["name"] == "Grand final")
    assert added["finalists"] == "top_per_prize"
    assert added["finalists_n"] == 2
    assert added["result"] == "weighted"
    assert added["previous_weight"] == 0.3
    assert added["judges"] == ["judge-ada", "judge-bao"]
    assert added["order"] == 2
    settle(run, window)
    assert column(tab.table, 0) == ["Finals", "Grand final"]
    assert tab.table.item(1, 3).text() == "70% this round, 30% the round before"

    tab.add.click()
    form = tab.form
    assert isinstance(form, RoundDialog)
    form.name.setText("FINALS")
    form.save_button.click()
    assert form.isVisible()
    assert "already a round named FINALS" in window.error_label.text()
    form.reject()

    # Its own criterion, then a lock with the first round's kind of question.
    tab.table.selectRow(0)
    tab.add_criterion.click()
    criterion = tab.form
    assert isinstance(criterion, CriterionDialog)
    criterion.name.setText("Pitch")
    criterion.save_button.click()
    assert [c["name"] for c in state.all_criteria() if c.get("round") == "finals"] == ["Pitch"]
    settle(run, window)
    tab.table.selectRow(0)
    tab.criteria_table.selectRow(0)
    tab.edit_criterion.click()
    criterion = tab.form
    assert isinstance(criterion, CriterionDialog)
    assert criterion.name.text() == "Pitch"
    criterion.high.setValue(20)
    criterion.save_button.click()
    pitch = next(c for c in state.all_criteria() if c.get("round") == "finals")
    assert pitch["max"] == 20
    assert pitch["round"] == "finals"
    settle(run, window)
    tab.table.selectRow(0)
    tab.criteria_table.selectRow(0)
    tab.remove_criterion.click()
    assert asked[-1].startswith("Remove Pitch? Scores already given")
    assert not [c for c in state.all_criteria() if c.get("round") == "finals"]
    settle(run, window)
    tab.table.selectRow(0)
    tab.phase.setCurrentIndex(tab.phase.findData("locked"))
    tab.set_phase.click()
    assert asked[-1].startswith("Lock Finals?")
    assert "0 of 0 expected final sheets are in." in asked[-1]
    assert state.round_phase("finals") == "locked"
    assert state.phase == "scoring"  # the first round's phase did not move
    settle(run, window)
    tab.table.selectRow(0)
    tab.edit.click()
    form = tab.form
    assert isinstance(form, RoundDialog)
    form.name.setText("Finale")
    form.save_button.click()
    assert "round.put is closed" in window.error_label.text()
    assert state.round("finals")["name"] == "Finals"  # type: ignore[index]


def test_finalists_are_proposed_by_the_rule_then_changed_by_hand(
    demo_host: DemoHost, window: HostWindow, run: Run, peer: MakePeer
) -> None:
    state = demo_host.replica.state
    ada = joined_judge(demo_host, peer, run)
    for score, team in enumerate(("team-aurora", "team-basalt", "team-cobalt", "team-ember")):
        marks = {"innovation": 60 + 10 * score, "design": 70, "execution": 70}
        ada.save_sheet("judge-ada", team, marks, "", final=True)
    run(until(lambda: ada.replica.pending_count() == 0))
    _open_tab(window, run)
    dialog = window.open_finalists("finals")
    assert isinstance(dialog, FinalistsDialog)
    assert "rank 3 or better on the overall board of Round 1" in dialog.rule.text()
    dialog.propose.click()
    proposed = {"team-basalt", "team-cobalt", "team-ember"}
    assert set(_ticked(dialog)) == proposed
    assert state.finalist_marks("finals") == {}  # nothing applied before Apply
    _tick(dialog.teams, {"team-cobalt", "team-ember", "team-fjord"})  # by hand
    dialog.apply.click()
    assert round_teams(state, "finals") == ["team-cobalt", "team-ember", "team-fjord"]
    assert not dialog.isVisible()


def _ticked(dialog: FinalistsDialog) -> list[str]:
    box = dialog.teams
    return [
        box.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(box.count())
        if box.item(i).checkState() == Qt.CheckState.Checked
    ]
