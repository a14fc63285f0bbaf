"""Tests for the appearance: View ▸ Dark theme switches, persists and restores; not the display."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

import resources
from desktop import app as desktop_app
from desktop import theme
from desktop.controllers import PeerController
from desktop.display import DisplayWindow
from desktop.host import style
from desktop.host.window import HostWindow
from desktop.judge import JudgeWindow
from desktop.team import TeamWindow
from desktop.widgets import ZoomActions
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import CONSOLE_MS
from tests.kit import FakeClock

LIGHT_SHEET = theme.style_sheet(False)
DARK_UI_SHEET = theme.style_sheet(False, ui_dark=True)
DISPLAY_SHEET = theme.style_sheet(True)


@pytest.fixture(autouse=True)
def light_again(qapp: QApplication) -> Iterator[None]:
    """Start each test light, and leave the app as the other tests expect it."""
    sheet, palette, font = qapp.styleSheet(), qapp.palette(), qapp.font()
    theme.set_ui_dark(False)
    yield
    # Windows the test closed are deleted first: restyling one half torn down crashed Qt
    # (a segmentation fault in set_ui_dark, before this test module's third test).
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    theme.set_zoom(1.0)
    theme.set_ui_dark(False)
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a file of the test's own."""
    return QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)


def _view_actions(window: QMainWindow) -> list[str]:
    menus = [a.menu() for a in window.menuBar().actions() if a.text() == "&View"]
    return [a.text() for menu in menus if menu is not None for a in menu.actions()]


def test_toggling_the_view_action_restyles_the_app_and_persists(
    peer: Callable[..., PeerController], settings: QSettings, qtbot: QtBot, qapp: QApplication
) -> None:
    window = JudgeWindow(peer("judge"), settings)
    qtbot.addWidget(window)
    action = window.dark_action
    assert _view_actions(window) == ["Dark theme", "", "Zoom in", "Zoom out", "Actual size"]
    assert action.isCheckable()
    assert not action.isChecked()
    assert action.shortcut() == QKeySequence("Ctrl+Shift+D")
    assert qapp.styleSheet() == LIGHT_SHEET

    action.trigger()
    assert theme.is_dark()
    assert qapp.styleSheet() == DARK_UI_SHEET
    assert settings.value(theme.SETTING) == "dark"

    action.trigger()
    assert not theme.is_dark()
    assert qapp.styleSheet() == LIGHT_SHEET
    assert settings.value(theme.SETTING) == "light"


def test_a_new_window_with_those_settings_starts_dark(
    peer: Callable[..., PeerController], settings: QSettings, qtbot: QtBot, qapp: QApplication
) -> None:
    first = TeamWindow(peer("team"), settings)
    qtbot.addWidget(first)
    first.dark_action.trigger()
    first.close()
    theme.set_ui_dark(False)  # as a fresh start would be before reading the settings

    second = TeamWindow(peer("team-again"), settings)
    qtbot.addWidget(second)
    assert second.dark_action.isChecked()
    assert theme.is_dark()
    assert qapp.styleSheet() == DARK_UI_SHEET


def test_startup_applies_the_saved_appearance_but_the_display_stays_dark(
    settings: QSettings, qapp: QApplication
) -> None:
    settings.setValue(theme.SETTING, "dark")
    desktop_app.apply_theme(qapp, "judge", settings)
    assert qapp.styleSheet() == DARK_UI_SHEET
    desktop_app.apply_theme(qapp, "display", settings)
    assert qapp.styleSheet() == DISPLAY_SHEET
    settings.setValue(theme.SETTING, "light")
    desktop_app.apply_theme(qapp, "host", settings)
    assert qapp.styleSheet() == LIGHT_SHEET


def test_the_display_window_ignores_the_appearance(
    peer: Callable[..., PeerController], settings: QSettings, qtbot: QtBot, qapp: QApplication
) -> None:
    settings.setValue(theme.SETTING, "dark")
    window = DisplayWindow(peer("display"), settings)
    qtbot.addWidget(window)
    assert not theme.is_dark()
    assert qapp.styleSheet() == LIGHT_SHEET
    assert window.styleSheet() == DISPLAY_SHEET
    assert _view_actions(window) == []
    theme.set_ui_dark(True)
    assert window.styleSheet() == DISPLAY_SHEET


def test_the_host_console_and_other_windows_follow_a_switch(
    demo_host: DemoHost,
    peer: Callable[..., PeerController],
    settings: QSettings,
    qtbot: QtBot,
) -> None:
    console = HostWindow(demo_host.controller, settings, now=FakeClock(CONSOLE_MS).seconds)
    qtbot.addWidget(console)
    console.show()
    judge = JudgeWindow(peer("judge"))
    qtbot.addWidget(judge)
    light = console.styleSheet()
    assert theme.COLOURS[theme.LIGHT]["surface"] in light

    console.dark_action.trigger()
    assert judge.dark_action.isChecked()
    dark = console.styleSheet()
    assert dark == style.console_sheet()
    assert dark != light
    assert theme.COLOURS[theme.DARK]["surface"] in dark
    assert theme.COLOURS[theme.LIGHT]["surface"] not in dark
    assert settings.value(theme.SETTING) == "dark"
    console.close()


def test_painted_colours_follow_the_appearance() -> None:
    assert theme.colour("strong").name() == theme.COLOURS[theme.LIGHT]["strong"]
    theme.set_ui_dark(True)
    assert theme.colour("strong").name() == theme.COLOURS[theme.DARK]["strong"]
    assert set(theme.COLOURS[theme.LIGHT]) == set(theme.COLOURS[theme.DARK])


def _selectors(name: str) -> list[str]:
    text = re.sub(r"/\*.*?\*/", "", resources.path(name).read_text(encoding="utf-8"), flags=re.S)
    return [" ".join(s.split()) for s in re.findall(r"([^{}]+)\{", text)]


def test_the_dark_sheet_mirrors_every_rule_of_the_light_one() -> None:
    assert _selectors("dark-ui.qss") == _selectors("light.qss")


# --- zoom (issue 10) ---------------------------------------------------------------------------


def _zoom(window: QMainWindow) -> ZoomActions:
    found = window.findChild(ZoomActions)
    assert found is not None
    return found


def test_zoom_in_and_out_by_keyboard_scale_the_text_and_are_remembered(
    peer: Callable[..., PeerController], settings: QSettings, qtbot: QtBot, qapp: QApplication
) -> None:
    window = JudgeWindow(peer("judge"), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    before = window.heading.font().pointSize()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert theme.zoom() == 1.25
    assert settings.value(theme.ZOOM_SETTING) == "1.25"
    assert qapp.styleSheet() == theme.zoomed(LIGHT_SHEET, 1.25)
    assert window.heading.font().pointSize() == round(before * 1.25)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert theme.zoom() == 1.1
    window.close()
    theme.set_zoom(1.0)  # as a fresh start would be before reading the settings

    for other in (TeamWindow(peer("team"), settings), JudgeWindow(peer("judge-2"), settings)):
        qtbot.addWidget(other)
        assert theme.zoom() == 1.1  # every window of the app, from the settings
    _zoom(other).actual.trigger()
    assert theme.zoom() == 1.0
    assert qapp.styleSheet() == LIGHT_SHEET


def test_the_console_zooms_too_and_zoom_stops_at_its_ends(
    demo_host: DemoHost, settings: QSettings, qtbot: QtBot, qapp: QApplication
) -> None:
    window = HostWindow(demo_host.controller, settings, now=FakeClock())
    qtbot.addWidget(window)
    zoom = _zoom(window)
    assert [k.toString() for k in zoom.zoom_in.shortcuts()] == ["Ctrl+=", "Ctrl++"]
    assert zoom.zoom_out.shortcut() == QKeySequence("Ctrl+-")
    for _ in range(len(theme.ZOOMS)):
        zoom.zoom_in.trigger()
    assert theme.zoom() == theme.ZOOMS[-1]
    assert not zoom.zoom_in.isEnabled()
    for _ in range(len(theme.ZOOMS)):
        zoom.zoom_out.trigger()
    assert theme.zoom() == theme.ZOOMS[0]
    assert not zoom.zoom_out.isEnabled()


def test_the_display_s_sheet_and_startup_ignore_the_zoom(
    settings: QSettings, qapp: QApplication
) -> None:
    settings.setValue(theme.ZOOM_SETTING, "1.4")
    desktop_app.apply_theme(qapp, "display", settings)
    assert theme.zoom() == 1.0
    assert qapp.styleSheet() == DISPLAY_SHEET
    desktop_app.apply_theme(qapp, "judge", settings)
    assert theme.zoom() == 1.4
    assert theme.style_sheet(True) == DISPLAY_SHEET
    assert "font-size: 15pt" in qapp.styleSheet()  # the sheet's 11 pt, zoomed


def test_zoomed_scales_point_sizes_only() -> None:
    sheet = "* { font-size: 11pt; } QLabel { font-size: 9pt; padding: 7px 16px; }"
    assert theme.zoomed(sheet, 2.0) == (
        "* { font-size: 22pt; } QLabel { font-size: 18pt; padding: 7px 16px; }"
    )
    assert theme.zoomed(sheet, 0.5) == (
        "* { font-size: 6pt; } QLabel { font-size: 6pt; padding: 7px 16px; }"
    )
