"""Tests for the judge window's leaderboard and notification panels."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from tests.desktop.conftest import DemoHost
from tests.desktop.judge.conftest import (
    ADA,
    MakeWindow,
    joined,
    ready,
)


def test_the_leaderboard_tab_appears_only_when_judges_may_see_results(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    controller = joined(demo_host, peer)
    win = window(controller)
    ready(qtbot, win)
    assert (
        controller.save_sheet(
            ADA, "team-aurora", {"innovation": 90, "design": 80, "execution": 70}, "", final=True
        )
        is None
    )
    qtbot.waitUntil(lambda: controller.replica.pending_count() == 0)
    assert not win.tabs.isTabVisible(win._board_tab)

    demo_host.server.admin("event.set", {"field": "judges_see_results", "value": True})
    qtbot.waitUntil(lambda: win.tabs.isTabVisible(win._board_tab))
    qtbot.waitUntil(lambda: win.leaderboard.table.rowCount() == 8)
    table = win.leaderboard.table
    assert [table.item(0, c).text() for c in range(4)] == ["1", "Aurora", "80.00", "1"]
    assert win.leaderboard.updated.text().startswith("Live")

    controller.save_sheet(
        ADA, "team-basalt", {"innovation": 100, "design": 100, "execution": 100}, "", final=True
    )
    qtbot.waitUntil(lambda: table.item(0, 1).text() == "Basalt Robotics")

    demo_host.server.admin("event.set", {"field": "judges_see_results", "value": False})
    qtbot.waitUntil(lambda: not win.tabs.isTabVisible(win._board_tab))


def test_notifications_appear_as_they_arrive_newest_first(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    assert not win.toast.isVisible()
    notify = demo_host.server.admin
    notify("notify", {"audience": "judges", "target": None, "message": "Lunch is served."})
    qtbot.waitUntil(win.toast.isVisible)
    assert "Lunch is served." in win.toast.text.text()
    assert win.tabs.tabText(win._notes_tab) == "Notifications (1 new)"

    notify("notify", {"audience": "judge", "target": "judge-bao", "message": "Bao only"})
    notify("notify", {"audience": "judge", "target": ADA, "message": "Ada, see the desk."})
    qtbot.waitUntil(lambda: win.notes.list.count() == 2)
    assert [win.notes.list.item(i).text().split("\n")[0] for i in range(2)] == [
        "Ada, see the desk.",
        "Lunch is served.",
    ]
    assert "Ada, see the desk." in win.toast.text.text()
    win.tabs.setCurrentIndex(win._notes_tab)
    assert win.tabs.tabText(win._notes_tab) == "Notifications"
