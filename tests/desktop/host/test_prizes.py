"""Tests for the Prizes tab, driven through its widgets against a real demo host."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.host.dialogs import CriterionDialog, JudgeDialog, TeamDialog
from desktop.host.prizes import PrizeDialog
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import Run, column, settle


def _tick(box: object, ids: set[str]) -> None:
    for i in range(box.count()):  # type: ignore[attr-defined]
        entry = box.item(i)  # type: ignore[attr-defined]
        wanted = entry.data(Qt.ItemDataRole.UserRole) in ids
        entry.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def _open_tab(window: HostWindow, run: Run) -> None:
    window.show_page("Setup")
    window.setup.tabs.setCurrentWidget(window.setup.prizes)
    settle(run, window)


def test_adding_a_prize_with_its_teams_judges_and_own_criterion(
    demo_host: DemoHost, window: HostWindow, run: Run, asked: list[str]
) -> None:
    state = demo_host.replica.state
    _open_tab(window, run)
    tab = window.setup.prizes
    assert column(tab.table, 0) == ["Best use of AI", "Harbour Open Data Prize"]

    tab.add.click()
    form = tab.form
    assert isinstance(form, PrizeDialog)
    assert not form.teams.isEnabled()  # "every team" until opt-in is picked
    form.name.setText("Best beginner team")
    form.sponsor.setText("Harbour Coders")
    form.eligibility.setCurrentIndex(form.eligibility.findData("opt_in"))
    form.judging.setCurrentIndex(form.judging.findData("listed"))
    assert form.teams.isEnabled()
    assert form.judges.isEnabled()
    _tick(form.teams, {"team-aurora", "team-basalt"})
    _tick(form.judges, {"judge-ada"})
    form.save_button.click()
    assert not form.isVisible()
    prize = next(p for p in state.prizes() if p["name"] == "Best beginner team")
    assert prize["sponsor"] == "Harbour Coders"
    assert prize["eligibility"] == "opt_in"
    pid = prize["id"]
    opted = sorted(t for t, v in state.teams().items() if pid in v.get("prizes", ()))
    assert opted == ["team-aurora", "team-basalt"]
    assert "prize-ai" in state.team("team-aurora")["prizes"]  # type: ignore[index]
    assert pid in state.judge("judge-ada")["prizes"]  # type: ignore[index]
    settle(run, window)
    row = column(tab.table, 0).index("Best beginner team")
    assert tab.table.item(row, 2).text() == "Opted in: 2"
    assert tab.table.item(row, 3).text() == "Listed: 1"

    # Its own criterion: added from the prize's side, kept as the prize's.
    tab.table.selectRow(row)
    tab.add_criterion.click()
    criterion_form = tab.form
    assert isinstance(criterion_form, CriterionDialog)
    criterion_form.name.setText("Learning shown")
    criterion_form.save_button.click()
    own = [c for c in state.all_criteria() if c.get("prize") == pid]
    assert [c["name"] for c in own] == ["Learning shown"]
    assert "Learning shown" not in [c["name"] for c in state.criteria()]
    settle(run, window)
    tab.table.selectRow(column(tab.table, 0).index("Best beginner team"))
    assert column(tab.criteria_table, 1) == ["Learning shown"]
    tab.remove_criterion.click()  # none selected: nothing asked
    assert not any("Learning shown" in question for question in asked)
    tab.criteria_table.selectRow(0)
    tab.remove_criterion.click()
    assert asked[-1].startswith("Remove Learning shown? Scores already given")
    assert "criterion.del is closed while the event is scoring" in window.error_label.text()
    settle(run, window)
    tab.table.selectRow(column(tab.table, 0).index("Best beginner team"))

    # Untick a team from the prize's side; editing the team elsewhere keeps its prizes.
    tab.edit.click()
    form = tab.form
    assert isinstance(form, PrizeDialog)
    _tick(form.teams, {"team-aurora"})
    form.save_button.click()
    assert pid not in state.team("team-basalt").get("prizes", ())  # type: ignore[union-attr]
    window.setup.tabs.setCurrentWidget(window.setup.teams)
    settle(run, window)
    teams = window.setup.teams
    teams.table.selectRow(column(teams.table, 0).index("Aurora"))
    teams.edit.click()
    team_form = teams.form
    assert isinstance(team_form, TeamDialog)
    team_form.location.setText("Table 9")
    team_form.save_button.click()
    aurora = state.team("team-aurora")
    assert aurora is not None
    assert aurora["location"] == "Table 9"
    assert aurora["prizes"] == sorted(["prize-ai", pid])


def test_a_duplicate_name_and_a_locked_round_are_refused_in_the_banner(
    demo_host: DemoHost, window: HostWindow, run: Run, asked: list[str]
) -> None:
    state = demo_host.replica.state
    _open_tab(window, run)
    tab = window.setup.prizes
    tab.add.click()
    form = tab.form
    assert isinstance(form, PrizeDialog)
    form.name.setText("best use of ai")
    form.save_button.click()
    assert form.isVisible()
    assert window.banner.isVisible()
    assert "already a prize named best use of ai" in window.error_label.text()
    assert len(state.prizes()) == 2
    form.reject()

    demo_host.controller.set_event("phase", "locked")
    settle(run, window)
    tab.table.selectRow(0)
    tab.edit.click()
    form = tab.form
    assert isinstance(form, PrizeDialog)
    form.sponsor.setText("Someone")
    form.save_button.click()
    assert form.isVisible()
    assert "prize.put is closed" in window.error_label.text()
    assert state.prize("prize-ai")["sponsor"] == ""  # type: ignore[index]
    form.reject()
    tab.table.selectRow(0)
    tab.remove.click()
    assert "Remove Best use of AI?" in asked[-1]
    assert state.prize("prize-ai") is not None


def test_a_team_opts_in_and_a_judge_is_listed_from_their_own_forms(
    demo_host: DemoHost, window: HostWindow, run: Run
) -> None:
    state = demo_host.replica.state
    window.show_page("Setup")
    settle(run, window)
    teams = window.setup.teams
    teams.table.selectRow(column(teams.table, 0).index("Fjord"))
    teams.edit.click()
    form = teams.form
    assert isinstance(form, TeamDialog)
    assert form.prizes is not None  # the opt-in prizes, none ticked yet
    assert [form.prizes.item(i).text() for i in range(form.prizes.count())] == [
        "Best use of AI",
        "Harbour Open Data Prize",
    ]
    _tick(form.prizes, {"prize-open-data"})
    form.save_button.click()
    assert state.team("team-fjord")["prizes"] == ["prize-open-data"]  # type: ignore[index]

    window.setup.tabs.setCurrentWidget(window.setup.judges)
    settle(run, window)
    judges = window.setup.judges
    judges.table.selectRow(column(judges.table, 0).index("Ada Brennan"))
    judges.edit.click()
    judge_form = judges.form
    assert isinstance(judge_form, JudgeDialog)
    assert judge_form.prizes is not None
    assert judge_form.prizes.count() == 1  # only the prize whose judges are listed
    _tick(judge_form.prizes, {"prize-open-data"})
    judge_form.save_button.click()
    assert state.judge("judge-ada")["prizes"] == ["prize-open-data"]  # type: ignore[index]
