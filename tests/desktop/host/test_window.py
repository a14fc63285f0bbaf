"""Tests for the console window: header, banner, pages, File menu and geometry."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.about import version
from desktop.controllers import HostController
from desktop.host import ask
from desktop.host.dialogs import AutoAssignDialog
from desktop.host.window import HostWindow
from storage.demo import seed_demo
from storage.replica import Replica
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import CONSOLE_MS, Run, settle
from tests.kit import FakeClock


def test_a_file_that_is_not_a_team_sheet_says_why(window: HostWindow, tmp_path: Path) -> None:
    sheet = tmp_path / "scores.csv"
    sheet.write_text("Judge,Score\nAda,90\n", encoding="utf-8")
    assert window.preview_import(sheet) is None
    assert window.banner.isVisible()
    assert "No column names the teams" in window.error_label.text()


def test_a_cancelled_file_dialog_writes_nothing(
    window: HostWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ask, "save_path", lambda *_: None)
    assert window.export("csv") is None
    assert window.back_up() is None
    assert window.control.file_note.text() == ""


def test_window_geometry_and_page_are_remembered(
    demo_host: DemoHost, settings: QSettings, qtbot: QtBot
) -> None:
    first = HostWindow(demo_host.controller, settings, now=FakeClock(CONSOLE_MS).seconds)
    qtbot.addWidget(first)
    first.show()
    assert first.height() == 720  # the default size, with nothing saved
    # The offscreen screen is 800 px square: restoring clamps a window to it, so the height
    # is what tells a restored size from the default.
    first.resize(1100, 700)
    first.show_page("Devices")
    first.close()
    assert settings.value("host/geometry") is not None
    second = HostWindow(demo_host.controller, settings, now=FakeClock(CONSOLE_MS).seconds)
    qtbot.addWidget(second)
    assert second.height() == 700
    assert second.stack.currentWidget() is second.devices


def test_a_hidden_page_catches_up_when_shown(
    demo_host: DemoHost, window: HostWindow, run: Run
) -> None:
    window.show_page("Overview")
    demo_host.controller.admin("team.put", {"id": "team-late", "name": "Latecomers"})
    settle(run, window)
    assert window.setup.teams.count.text() != "9 teams"  # not drawn while hidden
    window.show_page("Setup")
    assert window.setup.teams.count.text() == "9 teams"
    assert window.setup.tabs.tabText(1) == "Teams (9)"


def test_an_export_that_cannot_be_written_says_why(
    window: HostWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ask, "save_path", lambda *_: tmp_path / "missing" / "r.csv")
    assert window.export("csv") is None
    assert window.banner.isVisible()
    assert window.error_label.text().startswith("Cannot write")
    assert "No such file or directory" in window.error_label.text()


def test_pages_have_keyboard_shortcuts(window: HostWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.codes
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.control


def test_file_names_are_stamped_with_the_consoles_clock(
    window: HostWindow, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    suggested: list[str] = []

    def cancel(parent: QWidget, title: str, name: str, filters: str) -> None:
        suggested.append(name)

    monkeypatch.setattr(ask, "save_path", cancel)
    monkeypatch.setattr(ask, "open_path", lambda *_: Path("judge.db"))
    clock.ms = round(time.mktime((2026, 3, 14, 9, 30, 0, 0, 0, -1)) * 1000)
    assert window.back_up() is None
    assert window.rebuild_from_replica() is None
    assert suggested[0] == "harbour-hack-2026-20260314-0930.tallyboard.db"
    assert suggested[1].endswith("rebuilt-host-20260314-0930.db")


def test_each_setup_and_codes_intent_reaches_the_controller(
    demo_host: DemoHost, window: HostWindow
) -> None:
    state = demo_host.replica.state
    setup = window.setup
    window.show_page("Setup")
    setup.criteria.edit.click()  # nothing selected
    assert window.message.text() == "Select a criterion first."

    pitch = {"name": "Pitch", "description": "", "weight": 2, "low": 0, "high": 10, "step": 1}
    setup.criteria.save_requested.emit(None, pitch)
    assert state.criterion("pitch")["order"] == 3  # type: ignore[index]
    setup.criteria.save_requested.emit("pitch", {**pitch, "weight": 3})
    assert state.criterion("pitch")["weight"] == 3  # type: ignore[index]
    assert state.criterion("pitch")["order"] == 3  # type: ignore[index]
    setup.criteria.move_requested.emit("pitch", -1)
    assert [c["id"] for c in state.criteria()][2:] == ["pitch", "execution"]
    setup.criteria.remove_requested.emit("pitch")  # refused while scoring: the banner says why
    assert state.criterion("pitch") is not None
    assert "criterion.del is closed" in window.error_label.text()

    setup.teams.save_requested.emit(
        "team-fjord", {"name": "Fjord II", "location": "", "members": "Al"}
    )
    assert state.team("team-fjord")["members"] == ["Al"]  # type: ignore[index]
    setup.teams.remove_requested.emit("team-fjord")
    assert state.team("team-fjord") is None
    setup.judges.save_requested.emit(None, {"name": "Zed Ruiz", "conflicts": ["team-aurora"]})
    assert state.judge("judge-zed-ruiz")["conflicts"] == ["team-aurora"]  # type: ignore[index]
    setup.judges.remove_requested.emit("judge-zed-ruiz")
    assert state.judge("judge-zed-ruiz") is None

    setup.assignments.tick_requested.emit("judge-ada", "team-basalt", True)
    assert state.assigned_teams("judge-ada") == {"team-basalt"}
    assert setup.assignments.cell("judge-ada", "team-basalt").checkState() == Qt.CheckState.Checked
    setup.assignments.clear_requested.emit()
    assert state.assigned_teams("judge-ada") == set()
    setup.assignments.auto_assign_requested.emit()
    assert isinstance(window.dialog, AutoAssignDialog)
    assert window.dialog.summary.text().startswith("Each judge scores")
    window.dialog.reject()

    window.codes.copy_requested.emit("ABCD-EFGH")
    assert QGuiApplication.clipboard().text() == "ABCD-EFGH"


def test_a_refused_form_stays_open_with_the_hosts_reason(
    demo_host: DemoHost, window: HostWindow
) -> None:
    window.show_page("Setup")
    criteria = window.setup.criteria
    criteria.add.click()
    form = criteria.form
    assert form is not None
    form.name.setText("Pitch")  # type: ignore[attr-defined]
    assert demo_host.controller.set_event("phase", "locked") is None
    form.save_button.click()
    assert form.isVisible()
    assert "closed while the event is locked" in form.problem.text()
    assert demo_host.replica.state.criterion("pitch") is None
    assert demo_host.controller.set_event("phase", "scoring") is None
    form.save_button.click()
    assert not form.isVisible()
    assert demo_host.replica.state.criterion("pitch") is not None


def test_a_refused_tick_shows_the_grid_as_the_host_has_it(
    demo_host: DemoHost, window: HostWindow
) -> None:
    window.show_page("Setup")
    grid = window.setup.assignments
    grid.tick_requested.emit("judge-bao", "team-fjord", True)  # a conflict of interest
    assert demo_host.replica.state.assigned_teams("judge-bao") == set()
    assert grid.cell("judge-bao", "team-fjord").text() == "conflict"
    assert window.banner.isVisible()


def test_the_console_has_file_view_and_help_and_about_says_its_version(
    window: HostWindow,
) -> None:
    """The demo host here serves plain ws://, so About has no fingerprint to show (test_widgets
    shows one given)."""
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert list(menus) == ["&File", "&View", "&Help"]
    about = next(a for a in menus["&Help"].actions() if a.text() == "About Tallyboard")
    about.trigger()
    box = window.findChild(QMessageBox, "helpBox")
    assert box is not None
    assert f"Tallyboard {version()}" in box.text()
    assert "fingerprint" not in box.text()
    box.close()


def test_a_console_with_no_server_says_it_is_not_serving(qtbot: QtBot, tmp_path: Path) -> None:
    replica = Replica.open(tmp_path / "host.db", durable=False)
    seed_demo(replica)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = HostWindow(HostController(replica, None), settings, now=FakeClock().seconds)
    qtbot.addWidget(window)
    window.show()
    # It read "Serving at not serving (no TLS)", and in Spanish "Sirviendo en not serving".
    assert window.host_line.text() == "Not serving"
    window.close()
    replica.close()
