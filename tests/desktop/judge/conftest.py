"""Fixtures for the judge window's tests: windows on controllers, and driving them by keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.controllers import PeerController
from desktop.judge.window import JudgeWindow
from tests.desktop.conftest import DemoHost

ADA = "judge-ada"
TEAMS = [
    "Aurora",
    "Basalt Robotics",
    "Cobalt Cats",
    "Driftwood",
    "Ember Labs",
    "Fjord",
    "Gale Force",
    "Harbour Lights",
]

MakeWindow = Callable[[PeerController], JudgeWindow]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, peer: Any) -> Iterator[MakeWindow]:
    """Open judge windows on controllers; close them before their replicas close."""
    opened: list[JudgeWindow] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    # Closing the last window must not quit the application that later tests run in.
    app.setQuitOnLastWindowClosed(False)

    def make(controller: PeerController) -> JudgeWindow:
        settings = QSettings(str(tmp_path / "judge.ini"), QSettings.Format.IniFormat)
        win = JudgeWindow(controller, settings)
        win.ask_unsaved = lambda row: "discard"  # type: ignore[method-assign]
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow)
        opened.append(win)
        return win

    yield make
    for win in opened:
        win.close()
        win._refresh_timer.stop()


def joined(demo_host: DemoHost, peer: Any, judge: str = ADA) -> PeerController:
    """Return a judge's controller, linked to the demo host with the judge's code."""
    controller: PeerController = peer(judge, start=(demo_host, demo_host.code("judge", judge)))
    return controller


def ready(qtbot: QtBot, win: JudgeWindow) -> None:
    """Wait until the window shows the judge's teams."""
    qtbot.waitUntil(lambda: win.pages.currentIndex() == 2 and len(win.team_model.rows) == 8)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_scores(qtbot: QtBot, win: JudgeWindow, values: list[str]) -> None:
    """Type each criterion's score into the sheet shown, by keyboard."""
    qtbot.keyClick(win.team_view, Qt.Key.Key_Return)  # from the list into the sheet
    for value in values:
        qtbot.keyClicks(focused(), value)
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)


def pick(qtbot: QtBot, win: JudgeWindow, name: str) -> None:
    """Choose a team with the keyboard: Ctrl+F, its name, Down."""
    qtbot.keyClick(focused(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is win.search
    win.search.clear()
    qtbot.keyClicks(win.search, name)
    qtbot.keyClick(win.search, Qt.Key.Key_Down)
    assert focused() is win.team_view
    assert win.editor.title.text() == name
