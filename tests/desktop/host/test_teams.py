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


def test_a_devpost_import_shows_its_prizes_and_skipped_rows_then_opts_teams_in(
    demo_host: DemoHost,
    window: HostWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state = demo_host.replica.state
    sheet = tmp_path / "projects.csv"
    sheet.write_text(
        "Project Title,Submission Url,Project Status,Opt-In Prizes,Submitter First Name,"
        "Submitter Last Name\n"
        'Lighthouse,https://x/1,Submitted (Gallery/Visible),"best USE of ai, Greenest Hack",Ana,'
        "Silva\n"
        "Tidepool,https://x/2,Draft,Greenest Hack,Cy,Dunn\n"
        "Kelp,https://x/3,Submitted (Gallery/Visible),,Di,Eze\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(ask, "open_path", lambda *_: sheet)
    window.show_page("Setup")
    window.setup.teams.import_csv.click()
    dialog = window.dialog
    assert isinstance(dialog, ImportTeamsDialog)
    assert dialog.prizes.text() == (
        "New prizes (made, opt-in): Greenest Hack. Prizes matched to the event's: Best use of AI."
    )
    assert dialog.summary.text().startswith("3 rows: 2 can be imported, 1 skipped")
    assert list(dialog.row_problems()) == [3]  # the draft, with its note
    assert "Draft" in dialog.row_problems()[3]
    assert len(state.prizes()) == 2  # nothing made before the import is confirmed
    dialog.import_button.click()
    green = next(p for p in state.prizes() if p["name"] == "Greenest Hack")
    assert green["eligibility"] == "opt_in"
    lighthouse = next(t for t in state.teams().values() if t["name"] == "Lighthouse")
    assert lighthouse["prizes"] == sorted(["prize-ai", green["id"]])
    kelp = next(t for t in state.teams().values() if t["name"] == "Kelp")
    assert "prizes" not in kelp
    assert "Tidepool" not in [t["name"] for t in state.teams().values()]
    assert "New prizes: 1." in window.message.text()


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
