"""Tests for the Setup page: its four tabs together, as an organiser sets up an event."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.host.dialogs import (
    AutoAssignDialog,
    CriterionDialog,
    JudgeDialog,
    TeamDialog,
)
from desktop.host.setup import SetupPage
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import MakePeer, Run, column, joined_judge, settle, setup_view
from tests.kit import until


def test_setting_up_an_event_reaches_a_connected_judge(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run, qtbot: QtBot
) -> None:
    judge = joined_judge(demo_host, peer, run)
    state = demo_host.replica.state
    setup = window.setup
    window.show_page("Setup")

    setup.criteria.add.click()
    dialog = setup.criteria.form
    assert isinstance(dialog, CriterionDialog)
    dialog.name.setText("Pitch")
    dialog.weight.setValue(2)
    dialog.high.setValue(10)
    dialog.step.setValue(0.5)
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert state.criterion("pitch") == {
        "id": "pitch",
        "name": "Pitch",
        "description": "",
        "weight": 2,
        "min": 0,
        "max": 10,
        "step": 0.5,
        "order": 3,
    }

    setup.tabs.setCurrentWidget(setup.teams)
    setup.teams.add.click()
    dialog = setup.teams.form
    assert isinstance(dialog, TeamDialog)
    dialog.name.setText("Quantum Quokkas")
    dialog.location.setText("Table 9")
    dialog.members.setPlainText("Rin Sato\nOla Berg")
    dialog.save_button.click()
    team = state.team("team-quantum-quokkas")
    assert team == {
        "id": "team-quantum-quokkas",
        "name": "Quantum Quokkas",
        "location": "Table 9",
        "members": ["Rin Sato", "Ola Berg"],
    }

    setup.tabs.setCurrentWidget(setup.judges)
    setup.judges.add.click()
    dialog = setup.judges.form
    assert isinstance(dialog, JudgeDialog)
    dialog.name.setText("Zoe Park")
    dialog.set_conflict("team-aurora")
    dialog.save_button.click()
    assert state.judge("judge-zoe-park") == {
        "id": "judge-zoe-park",
        "name": "Zoe Park",
        "conflicts": ["team-aurora"],
    }

    settle(run, window)
    assert "Pitch" in column(setup.criteria.table, 1)
    assert "Quantum Quokkas" in column(setup.teams.table, 0)
    judges_row = column(setup.judges.table, 0).index("Zoe Park")
    assert setup.judges.table.item(judges_row, 1).text() == "Aurora"

    # Assign by clicking a cell of the grid; a conflict's cell cannot be ticked.
    setup.tabs.setCurrentWidget(setup.assignments)
    grid = setup.assignments.grid
    conflict = setup.assignments.cell("judge-zoe-park", "team-aurora")
    assert not conflict.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert conflict.text() == "conflict"
    cell = setup.assignments.cell("judge-zoe-park", "team-quantum-quokkas")
    grid.scrollToItem(cell)
    qtbot.mouseClick(
        grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualItemRect(cell).center()
    )
    assert state.assigned_teams("judge-zoe-park") == {"team-quantum-quokkas"}
    settle(run, window)
    ticked = setup.assignments.cell("judge-zoe-park", "team-quantum-quokkas")
    assert ticked.checkState() == Qt.CheckState.Checked

    # Auto-assign two judges per team: balanced, conflicts honoured.
    setup.assignments.auto.click()
    dialog = window.dialog
    assert isinstance(dialog, AutoAssignDialog)
    dialog.k.setValue(2)
    assert "each team gets 2 judges" in dialog.summary.text()
    dialog.apply_button.click()
    judges = state.judges()
    loads = {j: len(state.assigned_teams(j)) for j in judges}
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 2 * len(state.teams())
    for judge_id, judge_value in judges.items():
        assert not state.assigned_teams(judge_id) & set(judge_value["conflicts"])
    settle(run, window)
    assert setup.assignments.summary.text().startswith(f"{2 * len(state.teams())} assignments")

    # The connected judge got every one of these ops.
    def judge_caught_up() -> bool:
        theirs = judge.replica.state
        return (
            theirs.criterion("pitch") == state.criterion("pitch")
            and theirs.team("team-quantum-quokkas") == team
            and theirs.judge("judge-zoe-park") is not None
            and all(theirs.assigned_teams(j) == state.assigned_teams(j) for j in judges)
        )

    run(until(judge_caught_up))


def test_the_page_hands_each_tab_its_part_of_the_view(qtbot: QtBot) -> None:
    page = SetupPage()
    qtbot.addWidget(page)
    page.show_setup(setup_view(phase="locked", criteria=("design",), teams=("Aurora",)))
    assert page.hint.text().startswith("The event is locked")
    assert [page.tabs.tabText(i) for i in range(4)] == [
        "Criteria (1)",
        "Teams (1)",
        "Judges (2)",
        "Assignments",
    ]
    assert column(page.criteria.table, 1) == ["Design"]
    assert page.teams.count.text() == "1 team"
    assert column(page.judges.table, 0) == ["Ada", "Bao"]
    assert page.assignments.team_ids == ["team-aurora"]
