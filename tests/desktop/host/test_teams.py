"""Tests for the Teams tab, driven through its widgets against a real demo host."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.host import ask
from desktop.host.dialogs import (
    ImportTeamsDialog,
    TeamDialog,
)
from desktop.host.teams import TeamsTab
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import Run, column, settle, setup_view


def test_csv_import_previews_each_row_and_imports_only_valid_rows(
    demo_host: DemoHost,
    window: HostWindow,
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sheet = tmp_path / "devpost.csv"
    sheet.write_text(
        "Project Title,Submission Url,Table Number,Submitter First Name,Submitter Last Name,"
        "Team Member 1 First Name,Team Member 1 Last Name\n"
        "Lighthouse,https://x/1,T9,Ana,Silva,Ben,Okoro\n"
        ",https://x/2,T10,Cy,Dunn,,\n"
        "aurora,https://x/3,T11,Di,Eze,,\n"
        "Tidepool,https://x/4,T12,Eva,Ford,,\n"
        "Lighthouse,https://x/5,T13,Gus,Hill,,\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(ask, "open_path", lambda *_: sheet)
    window.show_page("Setup")
    before = set(demo_host.replica.state.teams())
    window.setup.teams.import_csv.click()
    dialog = window.dialog
    assert isinstance(dialog, ImportTeamsDialog)
    assert dialog.table.rowCount() == 5
    assert dialog.row_problems() == {
        3: "The team name is empty",
        4: "The event already has a team named 'aurora'",
        6: "The same team name as line 2",
    }
    assert dialog.summary.text().startswith("5 rows: 2 can be imported, 3 cannot")
    assert dialog.import_button.text() == "Import 2 teams"
    dialog.import_button.click()
    assert not dialog.isVisible()
    teams = demo_host.replica.state.teams()
    added = {tid: teams[tid] for tid in set(teams) - before}
    assert sorted(t["name"] for t in added.values()) == ["Lighthouse", "Tidepool"]
    assert added["team-lighthouse"] == {
        "id": "team-lighthouse",
        "name": "Lighthouse",
        "location": "T9",
        "members": ["Ana Silva", "Ben Okoro"],
    }
    assert "Imported 2 teams" in window.message.text()
    settle(run, window)
    assert window.setup.teams.count.text() == "10 teams"


def test_the_tab_shows_its_teams_and_asks_to_save_remove_and_import(
    qtbot: QtBot, asked: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = TeamsTab()
    qtbot.addWidget(tab)
    view = setup_view(teams=("Basalt", "aurora", "Cobalt"))
    tab.show_teams(view.teams, view.team_rows)
    assert column(tab.table, 0) == ["aurora", "Basalt", "Cobalt"]
    assert column(tab.table, 3) == ["team-aurora", "team-basalt", "team-cobalt"]
    assert tab.count.text() == "3 teams"
    said: list[str] = []
    tab.says.connect(said.append)
    tab.remove.click()
    assert said == ["Select a team first."]

    tab.add.click()
    assert isinstance(tab.form, TeamDialog)
    tab.form.name.setText("Driftwood")
    tab.form.members.setPlainText("Ana, Ben")
    with qtbot.waitSignal(tab.save_requested) as signal:
        tab.form.save_button.click()
    assert signal.args == [None, {"name": "Driftwood", "location": "", "members": "Ana, Ben"}]
    tab.show_saved(None)
    assert tab.form is None

    tab.table.selectRow(1)
    with qtbot.waitSignal(tab.remove_requested) as signal:
        tab.remove.click()
    assert signal.args == ["team-basalt"]
    assert "Remove Basalt?" in asked[-1]
    sheet = tmp_path / "teams.csv"
    monkeypatch.setattr(ask, "open_path", lambda *_: sheet)
    with qtbot.waitSignal(tab.import_requested) as signal:
        tab.import_csv.click()
    assert signal.args == [sheet]
    monkeypatch.setattr(ask, "open_path", lambda *_: None)
    with qtbot.assertNotEmitted(tab.import_requested, wait=50):
        tab.import_csv.click()
