"""Tests for the organiser's console, driven through its widgets against a real demo host."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop import host
from desktop.controllers import PeerController
from desktop.host import (
    AutoAssignDialog,
    CriterionDialog,
    ImportTeamsDialog,
    JudgeDialog,
    TeamDialog,
)
from tests.desktop.conftest import DemoHost, until

Run = Callable[..., Any]
MakePeer = Callable[..., PeerController]


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a file of the test's own."""
    return QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(demo_host: DemoHost, settings: QSettings, qtbot: QtBot) -> host.HostWindow:
    """The console on the demo event, shown."""
    win = host.HostWindow(demo_host.controller, settings)
    qtbot.addWidget(win)
    win.resize(1440, 900)
    win.show()
    return win


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer every confirmation with yes; the questions asked, in order."""
    questions: list[str] = []

    def yes(parent: QWidget, title: str, text: str, action: str) -> bool:
        questions.append(text)
        return True

    monkeypatch.setattr(host, "confirm", yes)
    return questions


def _judge(
    demo_host: DemoHost, make: MakePeer, run: Run, judge: str = "judge-ada"
) -> PeerController:
    peer = make(judge, start=(demo_host, demo_host.code("judge", judge)))
    run(until(lambda: peer.link is not None and peer.link.synced))
    return peer


def _settle(run: Run, window: host.HostWindow) -> None:
    """Let the coalesced `changed` signal reach the window."""
    run(until(lambda: True))
    run(until(lambda: not window.controller._changes._timer.isActive()))


def _column(table: Any, column: int) -> list[str]:
    return [table.item(row, column).text() for row in range(table.rowCount())]


# --- setup through the UI ----------------------------------------------------------------------


def test_setting_up_an_event_reaches_a_connected_judge(
    demo_host: DemoHost, window: host.HostWindow, peer: MakePeer, run: Run, qtbot: QtBot
) -> None:
    judge = _judge(demo_host, peer, run)
    state = demo_host.replica.state
    setup = window.setup
    window.show_page("Setup")

    setup.criteria.add.click()
    dialog = window.dialog
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
    dialog = window.dialog
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
    dialog = window.dialog
    assert isinstance(dialog, JudgeDialog)
    dialog.name.setText("Zoe Park")
    dialog.set_conflict("team-aurora")
    dialog.save_button.click()
    assert state.judge("judge-zoe-park") == {
        "id": "judge-zoe-park",
        "name": "Zoe Park",
        "conflicts": ["team-aurora"],
    }

    _settle(run, window)
    assert "Pitch" in _column(setup.criteria.table, 1)
    assert "Quantum Quokkas" in _column(setup.teams.table, 0)
    judges_row = _column(setup.judges.table, 0).index("Zoe Park")
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
    _settle(run, window)
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
    _settle(run, window)
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


def test_editing_reordering_and_a_refused_edit(
    demo_host: DemoHost, window: host.HostWindow, run: Run, asked: list[str]
) -> None:
    state = demo_host.replica.state
    window.show_page("Setup")
    criteria = window.setup.criteria
    criteria.table.selectRow(2)
    criteria.up.click()
    assert [c["id"] for c in state.criteria()] == ["innovation", "execution", "design"]
    _settle(run, window)
    assert _column(criteria.table, 1) == ["Innovation", "Execution", "Design"]

    criteria.table.selectRow(0)
    criteria.edit.click()
    dialog = window.dialog
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


def test_csv_import_previews_each_row_and_imports_only_valid_rows(
    demo_host: DemoHost,
    window: host.HostWindow,
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
    monkeypatch.setattr(host, "ask_open_path", lambda *_: sheet)
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
    _settle(run, window)
    assert window.setup.teams.count.text() == "10 teams"


def test_a_file_that_is_not_a_team_sheet_says_why(window: host.HostWindow, tmp_path: Path) -> None:
    sheet = tmp_path / "scores.csv"
    sheet.write_text("Judge,Score\nAda,90\n", encoding="utf-8")
    assert window.preview_import(sheet) is None
    assert window.banner.isVisible()
    assert "No column names the teams" in window.error_label.text()


# --- control -------------------------------------------------------------------------------------


def test_phase_changes_ask_before_locking_and_show_in_the_header(
    demo_host: DemoHost,
    window: host.HostWindow,
    run: Run,
    asked: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    control = window.control
    window.show_page("Control")
    control.phase_buttons["locked"].click()
    assert asked[-1].startswith("Lock the event?")
    assert demo_host.replica.state.phase == "locked"
    _settle(run, window)
    assert window.phase_pill.text() == "Locked"
    assert control.phase_buttons["locked"].isChecked()

    # Saying no leaves the phase, and the buttons, as they were.
    monkeypatch.setattr(host, "confirm", lambda *_: False)
    control.phase_buttons["released"].click()
    assert demo_host.replica.state.phase == "locked"
    assert control.phase_buttons["locked"].isChecked()

    monkeypatch.setattr(host, "confirm", lambda *_: True)
    control.phase_buttons["released"].click()
    assert demo_host.replica.state.phase == "released"
    control.judges_see.click()
    assert demo_host.replica.state.event()["judges_see_results"] is True


def test_display_control_reaches_a_display(
    demo_host: DemoHost, window: host.HostWindow, peer: MakePeer, run: Run
) -> None:
    judge = _judge(demo_host, peer, run)
    for team, marks in (("team-aurora", 90), ("team-basalt", 70), ("team-cobalt", 80)):
        scores = {"innovation": marks, "design": marks, "execution": marks}
        assert judge.save_sheet("judge-ada", team, scores, "", final=True) is None
    run(until(lambda: judge.replica.pending_count() == 0))
    display = peer("display", start=(demo_host, demo_host.code("display")))

    def board() -> dict[str, Any]:
        return display.last_board() or {}

    run(until(lambda: board().get("mode") == "live" and len(board()["data"]) == 8))
    control = window.control
    window.show_page("Control")

    control.display_buttons["progress"].click()
    run(until(lambda: board().get("mode") == "progress"))
    assert all("total_score" not in row for row in board()["data"])

    control.display_buttons["reveal"].click()
    run(until(lambda: board().get("mode") == "reveal"))
    assert board()["data"] == []
    _settle(run, window)
    assert control.reveal_next.text() == "Reveal place 3"
    control.reveal_next.click()
    run(until(lambda: [r["team_name"] for r in board()["data"]] == ["Basalt Robotics"]))
    _settle(run, window)
    control.reveal_next.click()
    run(until(lambda: len(board()["data"]) == 2))
    _settle(run, window)
    assert control.reveal_status.text() == "2 of 3 places revealed."
    control.reveal_reset.click()
    run(until(lambda: board()["data"] == []))

    control.display_buttons["frozen"].click()
    run(until(lambda: board().get("mode") == "frozen"))
    _settle(run, window)
    assert window.display_pill.text() == "Display: Frozen"


def test_revoking_a_device_cuts_it_off(
    demo_host: DemoHost, window: host.HostWindow, peer: MakePeer, run: Run, asked: list[str]
) -> None:
    judge = _judge(demo_host, peer, run)
    device = judge.replica.device_id
    window.show_page("Devices")
    run(until(lambda: device in window.devices.revoke_buttons))
    run(until(lambda: window.online_pill.text() == "● 1 device online"))
    table = window.devices.table
    assert _column(table, 2) == ["Ada Brennan"]
    assert _column(table, 3) == ["● Online"]
    assert table.item(0, 7).text() == "127.0.0.1"

    window.devices.revoke_buttons[device].click()
    assert "It is disconnected at once" in asked[-1]
    assert demo_host.replica.state.revoked(device)
    run(until(lambda: judge.status.state == "refused"))
    run(until(lambda: _column(window.devices.table, 3) == ["✕ Revoked"]))
    assert not window.devices.revoke_buttons[device].isEnabled()
    assert window.online_pill.text() == "● 0 devices online"


def test_a_notification_reaches_its_team(
    demo_host: DemoHost, window: host.HostWindow, peer: MakePeer, run: Run
) -> None:
    team = peer("team", start=(demo_host, demo_host.code("team", "team-fjord")))
    run(until(lambda: team.status.state == "online"))
    overview = window.overview
    overview.audience.setCurrentIndex(overview.audience.findData("team"))
    overview.target.setCurrentIndex(overview.target.findData("team-fjord"))
    overview.message.setText("Your table has moved to the atrium")
    overview.send.click()
    assert overview.message.text() == ""
    assert window.message.text() == "Notification sent to Fjord."
    run(
        until(
            lambda: any(
                n.get("message") == "Your table has moved to the atrium"
                for n in team.notifications()
            )
        )
    )
    _settle(run, window)
    assert "Fjord: Your table has moved to the atrium" in overview.recent.text()


def test_the_overview_shows_the_leaderboard_and_progress(
    demo_host: DemoHost, window: host.HostWindow, peer: MakePeer, run: Run
) -> None:
    judge = _judge(demo_host, peer, run)
    scores = {"innovation": 85, "design": 90, "execution": 88}
    judge.save_sheet("judge-ada", "team-aurora", scores, "", final=True)
    judge.save_sheet("judge-ada", "team-basalt", {"innovation": 50}, "", final=False)
    run(until(lambda: judge.replica.pending_count() == 0))
    _settle(run, window)
    board = window.overview.board
    assert [board.item(0, c).text() for c in range(4)] == ["1", "Aurora", "87.67", "1 of 4"]
    progress = window.overview.progress
    row = _column(progress, 0).index("Ada Brennan")
    bar = progress.cellWidget(row, 1).findChild(host.QProgressBar)
    assert bar.format() == "1 of 8"
    assert progress.item(row, 2).text() == "1"  # one draft
    assert window.overview.tiles["sheets"][0].text() == "1"


# --- codes, files, window ------------------------------------------------------------------------


def test_the_codes_page_shows_every_code_and_copies_it(
    demo_host: DemoHost, window: host.HostWindow
) -> None:
    window.show_page("Codes")
    codes = demo_host.replica.join_codes()
    shown = window.codes.shown_codes()
    assert len(codes) == 4 + 8 + 1
    assert shown == {c["name"]: c["code"] for c in codes}
    assert window.codes.addresses.text() == demo_host.target
    assert window.codes.url.text() == f"ws://{demo_host.target}/sync"
    row = next(r for r in window.codes.rows if r.name.text() == "Ada Brennan")
    assert row.code_label.text() == demo_host.code("judge", "judge-ada")
    row.copy.click()
    assert QGuiApplication.clipboard().text() == demo_host.code("judge", "judge-ada")
    row.copy_link.click()
    link = QGuiApplication.clipboard().text()
    assert link.startswith(f"tallyboard://{demo_host.target}/join?")
    assert "tls=0" in link


def test_a_new_team_gets_a_code_on_the_page(
    demo_host: DemoHost, window: host.HostWindow, run: Run
) -> None:
    window.show_page("Codes")
    assert demo_host.controller.admin("team.put", {"id": "team-new", "name": "Newcomers"}) is None
    _settle(run, window)
    assert window.codes.shown_codes()["Newcomers"] == demo_host.replica.code_for("team", "team-new")


def test_export_and_backup_write_files(
    demo_host: DemoHost,
    window: host.HostWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "results.csv"
    suggested: list[str] = []

    def save_as(parent: QWidget, title: str, name: str, filters: str) -> Path:
        suggested.append(name)
        return target

    monkeypatch.setattr(host, "ask_save_path", save_as)
    window.control.export_csv.click()
    lines = target.read_text(encoding="utf-8").splitlines()
    assert suggested == ["harbour-hack-2026-results.csv"]
    assert lines[0].startswith("rank,team_id,team,location,total_score,judge_count")
    assert len(lines) == 1 + 8
    assert str(target) in window.control.file_note.text()
    assert window.message.text() == "Exported to results.csv."

    target = tmp_path / "event.json"
    window.control.export_json.click()
    assert '"Harbour Hack 2026"' in target.read_text(encoding="utf-8")

    target = tmp_path / "backup.db"
    window.control.backup.click()
    with sqlite3.connect(target) as copy:
        count = copy.execute("SELECT count(*) FROM op").fetchone()[0]
    assert count == demo_host.replica.db.execute_sql("SELECT count(*) FROM op").fetchone()[0]
    assert "Backed up to" in window.control.file_note.text()


def test_a_cancelled_file_dialog_writes_nothing(
    window: host.HostWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(host, "ask_save_path", lambda *_: None)
    assert window.export("csv") is None
    assert window.back_up() is None
    assert window.control.file_note.text() == ""


def test_window_geometry_and_page_are_remembered(
    demo_host: DemoHost, settings: QSettings, qtbot: QtBot
) -> None:
    first = host.HostWindow(demo_host.controller, settings)
    qtbot.addWidget(first)
    first.show()
    assert first.height() == 860  # the default size, with nothing saved
    # The offscreen screen is 800 px square: restoring clamps a window to it, so the height
    # is what tells a restored size from the default.
    first.resize(1100, 700)
    first.show_page("Devices")
    first.close()
    assert settings.value("host/geometry") is not None
    second = host.HostWindow(demo_host.controller, settings)
    qtbot.addWidget(second)
    assert second.height() == 700
    assert second.stack.currentWidget() is second.devices


def _unnamed(root: QWidget) -> list[str]:
    """Return the interactive widgets under `root` without an accessible name."""
    kinds = (
        QAbstractButton,
        QLineEdit,
        QComboBox,
        QAbstractSpinBox,
        QAbstractItemView,
        QPlainTextEdit,
    )
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or widget.accessibleName():
            continue
        # Parts of a composite control: a spin box's editor, a combo box's popup list, a tab
        # bar's scroll arrows, a table's headers and corner button.
        if isinstance(widget, QHeaderView) or widget.objectName() == "qt_tableview_cornerbutton":
            continue
        owner = widget.parentWidget()
        while owner is not None and not isinstance(owner, QAbstractSpinBox | QComboBox | QTabBar):
            owner = owner.parentWidget()
        if owner is not None:
            continue
        missing.append(f"{type(widget).__name__} {widget.objectName()!r} {widget.toolTip()!r}")
    return missing


def test_every_control_has_an_accessible_name(
    demo_host: DemoHost, window: host.HostWindow, tmp_path: Path
) -> None:
    assert _unnamed(window) == []
    window.setup.criteria.add.click()
    assert _unnamed(window.dialog) == []  # type: ignore[arg-type]
    window.dialog.reject()  # type: ignore[union-attr]
    window.setup.teams.add.click()
    assert _unnamed(window.dialog) == []  # type: ignore[arg-type]
    window.dialog.reject()  # type: ignore[union-attr]
    window.setup.judges.add.click()
    assert _unnamed(window.dialog) == []  # type: ignore[arg-type]
    window.dialog.reject()  # type: ignore[union-attr]
    window.setup.assignments.auto.click()
    assert _unnamed(window.dialog) == []  # type: ignore[arg-type]
    window.dialog.reject()  # type: ignore[union-attr]
    sheet = tmp_path / "t.csv"
    sheet.write_text("Team Name\nX\n", encoding="utf-8")
    dialog = window.preview_import(sheet)
    assert dialog is not None
    assert _unnamed(dialog) == []


def test_a_hidden_page_catches_up_when_shown(
    demo_host: DemoHost, window: host.HostWindow, run: Run
) -> None:
    window.show_page("Overview")
    demo_host.controller.admin("team.put", {"id": "team-late", "name": "Latecomers"})
    _settle(run, window)
    assert window.setup.teams.count.text() != "9 teams"  # not drawn while hidden
    window.show_page("Setup")
    assert window.setup.teams.count.text() == "9 teams"
    assert window.setup.tabs.tabText(1) == "Teams (9)"


def test_auto_assign_warns_by_name_when_conflicts_leave_too_few_judges(
    demo_host: DemoHost, window: host.HostWindow
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


def test_an_export_that_cannot_be_written_says_why(
    window: host.HostWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(host, "ask_save_path", lambda *_: tmp_path / "missing" / "r.csv")
    assert window.export("csv") is None
    assert window.banner.isVisible()
    assert window.error_label.text().startswith("Cannot write")
    assert "No such file or directory" in window.error_label.text()


def test_pages_have_keyboard_shortcuts(window: host.HostWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.codes
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.control
