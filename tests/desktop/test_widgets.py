"""Tests for the shared widgets: the connect panel and the link status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from desktop import about
from desktop.widgets import (
    ConnectPanel,
    LinkStatusBar,
    add_help_menu,
    describe_link,
    describe_pending,
)
from sync.discovery import HostInfo
from sync.peer import LinkStatus


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_a_typed_address_and_code_are_sent_and_the_address_remembered(
    qtbot: QtBot, tmp_path: Path
) -> None:
    panel = ConnectPanel("a judge", settings=_settings(tmp_path))
    qtbot.addWidget(panel)
    panel.address.setText("192.168.1.20:8765")
    panel.code.setText("k7qf m2xd")
    with qtbot.waitSignal(panel.connect_requested) as signal:
        panel.connect_button.click()
    assert signal.args == ["192.168.1.20:8765", "k7qf m2xd", True, ""]
    again = ConnectPanel("a judge", settings=_settings(tmp_path))
    qtbot.addWidget(again)
    assert again.address.text() == "192.168.1.20:8765"


def test_a_join_link_fills_in_the_host_its_pin_and_the_code(qtbot: QtBot) -> None:
    panel = ConnectPanel("a team")
    qtbot.addWidget(panel)
    panel.code.setText("tallyboard://10.0.0.5:8765/join?tls=1&code=K7QF-M2XD&fp=" + "ab" * 32)
    with qtbot.waitSignal(panel.connect_requested) as signal:
        panel.connect_button.click()
    assert signal.args == ["10.0.0.5:8765", "K7QF-M2XD", True, "ab" * 32]


def test_a_host_picked_from_the_list_is_used_when_no_address_is_typed(qtbot: QtBot) -> None:
    panel = ConnectPanel("display")
    qtbot.addWidget(panel)
    panel.set_hosts([HostInfo("Harbour Hack", "10.0.0.9", 8765, True, "cd" * 32, "e1")])
    assert panel.empty.isHidden()
    panel.code.setText("K7QF-M2XD")
    with qtbot.waitSignal(panel.connect_requested) as signal:
        panel.connect_button.click()
    assert signal.args == ["10.0.0.9:8765", "K7QF-M2XD", True, "cd" * 32]


def test_bad_input_is_explained_and_nothing_is_sent(qtbot: QtBot) -> None:
    panel = ConnectPanel("a judge")
    qtbot.addWidget(panel)
    sent: list[object] = []
    panel.connect_requested.connect(lambda *args: sent.append(args))
    panel.code.setText("K7QF-M2XD")
    panel.connect_button.click()
    assert "No host chosen" in panel.problem.text()
    panel.address.setText("host:99999")
    panel.connect_button.click()
    assert "port number" in panel.problem.text()
    panel.address.setText("host:8765")
    panel.code.setText("O0O0-I1I1")
    panel.connect_button.click()
    assert "8 letters and digits" in panel.problem.text()
    assert sent == []


def test_the_status_bar_shows_the_outbox_and_a_clock_warning(qtbot: QtBot) -> None:
    bar = LinkStatusBar()
    qtbot.addWidget(bar)
    bar.show_status(LinkStatus(state="offline", pending=3, last_error="no network"))
    assert "Offline" in bar.link.text()
    assert bar.pending.text() == "3 waiting to send"
    assert bar.error.text() == "no network"
    bar.show_status(LinkStatus(state="online", host="10.0.0.9:8765", clock_offset_ms=-180_000))
    assert "Online" in bar.link.text()
    assert bar.pending.text() == describe_pending(0)
    assert "3 min ahead of" in bar.clock.text()


def test_the_link_line_says_when_the_host_was_last_heard_from() -> None:
    now = 1_773_480_600_000
    offline = LinkStatus(state="offline", last_contact_ms=now - 185_000)
    assert describe_link(offline, now).endswith(" · last contact 3 min ago")
    offline = LinkStatus(state="offline", last_contact_ms=now - 2_000)
    assert describe_link(offline, now).endswith(" · last contact just now")
    online = LinkStatus(state="online", host="192.168.1.20:8765", last_contact_ms=now)
    assert describe_link(online, now).endswith(" · 192.168.1.20:8765")


def test_the_help_menu_shows_shortcuts_a_guide_and_about(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = add_help_menu(window, lambda: "cd" * 32)
    assert [a.text() for a in menu.actions()] == [
        "Keyboard shortcuts",
        "Running an event",
        "",
        "About Tallyboard",
    ]
    assert menu.actions()[0].shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    texts = []
    for action in (menu.actions()[0], menu.actions()[1], menu.actions()[3]):
        action.trigger()
        box = window.findChild(QMessageBox, "helpBox")
        assert box is not None
        assert box.isVisible()
        texts.append(box.text())
        box.close()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert "Ctrl+N" in texts[0]
    assert "Lock scoring" in texts[1]
    assert about.version() in texts[2]
    assert "cdcd cdcd" in texts[2]
