"""Tests for the peer windows' shared base: the connect page as the link goes, and geometry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, QSettings
from pytestqt.qtbot import QtBot

from desktop.controllers import PeerController
from desktop.display import DisplayWindow
from desktop.host import HostWindow
from desktop.judge import JudgeWindow
from desktop.team import TeamWindow
from desktop.widgets import FRAME_ALLOWANCE, SMALL_LAPTOP, fit_size
from sync.peer import LinkStatus

MakePeer = Callable[..., PeerController]


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "peer.ini"), QSettings.Format.IniFormat)


def test_a_link_the_app_started_leaves_the_connect_page_and_a_refusal_brings_it_back(
    peer: MakePeer, qtbot: QtBot, tmp_path: Path
) -> None:
    for window_class in (TeamWindow, DisplayWindow):
        controller = peer(f"unpaired-{window_class.__name__}")
        window = window_class(controller, _settings(tmp_path))
        qtbot.addWidget(window)
        assert window.stack.currentWidget() is window.connect_page  # never paired
        window.follow_link(
            LinkStatus(state="connecting", host="127.0.0.1:1"), window.stack.widget(1)
        )
        assert window.stack.currentWidget() is window.stack.widget(1)
        window.follow_link(
            LinkStatus(state="refused", last_error="unknown code"), window.stack.widget(1)
        )
        assert window.stack.currentWidget() is window.connect_page
        assert window.connect_panel.problem.text() == "unknown code"
        assert window.connect_panel.trust.isHidden()
        changed = LinkStatus(
            state="refused", last_error="certificate changed", offered_fp="ab" * 32
        )
        window.follow_link(changed, window.stack.widget(1))
        assert not window.connect_panel.trust.isHidden()


def test_a_link_asked_for_from_the_panel_stays_on_it_until_welcomed(
    peer: MakePeer, qtbot: QtBot, tmp_path: Path
) -> None:
    window = TeamWindow(peer("asked"), _settings(tmp_path))
    qtbot.addWidget(window)
    window._asked = True
    window.follow_link(LinkStatus(state="connecting"), window.page)
    assert window.stack.currentWidget() is window.connect_page


def test_each_window_remembers_its_geometry_under_its_role(
    peer: MakePeer, qtbot: QtBot, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    team = TeamWindow(peer("team"), settings)
    qtbot.addWidget(team)
    team.show()
    assert team.height() == 720  # the default, with nothing saved
    team.resize(900, 600)
    team.close()
    assert settings.value("team/geometry") is not None
    assert settings.value("display/geometry") is None
    again = TeamWindow(peer("team-again"), settings)
    qtbot.addWidget(again)
    assert again.height() == 600


def test_every_window_first_opens_inside_a_1366x768_laptop_screen() -> None:
    """Issue 10: the judge opened at 1280x800 and lost its status bar and Save/Submit row."""
    laptop = QRect(0, 0, *SMALL_LAPTOP)
    for window_class in (JudgeWindow, TeamWindow, DisplayWindow, HostWindow):
        default = window_class.DEFAULT_SIZE
        assert fit_size(default, laptop) == default, window_class.__name__
        assert fit_size(window_class.MINIMUM, laptop) == window_class.MINIMUM


def test_a_size_remembered_on_a_larger_screen_shrinks_to_this_one(
    peer: MakePeer, qtbot: QtBot, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    team = TeamWindow(peer("team"), settings)
    qtbot.addWidget(team)
    team.show()
    team.resize(2400, 1600)  # as on a large monitor
    assert team.height() == 1600
    team.close()
    again = TeamWindow(peer("team-again"), settings)
    qtbot.addWidget(again)
    available = again.screen().availableGeometry()
    assert again.width() + FRAME_ALLOWANCE[0] <= available.width()
    assert again.height() + FRAME_ALLOWANCE[1] <= available.height()


def test_the_judge_and_team_windows_have_view_and_help_menus_and_the_display_none(
    peer: MakePeer, qtbot: QtBot, tmp_path: Path
) -> None:
    for window_class, menus in (
        (JudgeWindow, ["&View", "&Help"]),
        (TeamWindow, ["&View", "&Help"]),
        (DisplayWindow, []),
    ):
        window = window_class(peer(f"menus-{window_class.__name__}"), _settings(tmp_path))
        qtbot.addWidget(window)
        assert [a.text() for a in window.menuBar().actions()] == menus
