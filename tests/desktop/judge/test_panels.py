"""Tests for the judge window's leaderboard and notification panels."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from desktop.judge.panels import MAIN_BOARD, board_key, board_title
from storage import boards
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


def test_board_titles_name_the_round_the_prize_and_its_sponsor() -> None:
    main = {"type": "leaderboard_update", "data": []}
    assert board_title(main) == "Round 1 · Overall"
    assert board_title(main, "Heats") == "Heats · Overall"
    prize = {
        "board": {"round": "finals", "prize": "ai"},
        "title": {"round_name": "Finals", "prize_name": "Best use of AI", "sponsor": "Acme"},
    }
    assert board_title(prize) == "Finals · Best use of AI (Acme)"
    prize["title"] = {"round_name": "Finals", "prize_name": "Best use of AI", "sponsor": ""}
    assert board_title(prize) == "Finals · Best use of AI"
    overall = {"board": {"round": "finals", "prize": None}, "title": {"round_name": "Finals"}}
    assert board_title(overall) == "Finals · Overall"
    assert board_key(main) == MAIN_BOARD
    assert board_key(prize) != board_key(overall)


def test_named_boards_bring_a_board_picker_and_each_board_shows_as_it_moves(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    controller = joined(demo_host, peer)
    win = window(controller)
    ready(qtbot, win)
    for team, score in (("team-aurora", 90), ("team-ember", 70)):
        scores = {"innovation": score, "design": score, "execution": score}
        assert controller.save_sheet(ADA, team, scores, "", final=True) is None
    qtbot.waitUntil(lambda: controller.replica.pending_count() == 0)
    panel, table = win.leaderboard, win.leaderboard.table
    win.tabs.setCurrentIndex(win._board_tab)
    assert panel.picker.isHidden()  # no named board yet: the tab is as it always was
    demo_host.server.admin("event.set", {"field": "judges_see_results", "value": True})
    qtbot.waitUntil(lambda: win.leaderboard.table.rowCount() == 8)

    # The host sends a judge who may see results every board of the event (4e).
    state = demo_host.replica.state
    every = boards.boards(state)
    ai = boards.board(state, "main", "prize-ai")
    finals = boards.board(state, "finals", None)
    qtbot.waitUntil(lambda: panel.picker.count() == len(every))
    assert panel.picker.isVisible()
    titles = [panel.picker.itemText(i) for i in range(panel.picker.count())]
    assert titles[:2] == ["Round 1 · Overall", "Round 1 · Best use of AI"]
    assert "Finals · Overall" in titles
    assert table.rowCount() == 8  # still the main board until the judge picks another

    panel.picker.setCurrentIndex(1)
    ai_rows = [row.team_name for row in ai.rows]
    assert [table.item(i, 1).text() for i in range(table.rowCount())] == ai_rows
    assert table.accessibleName() == "Leaderboard: Round 1 · Best use of AI"
    # The main board moves on the host; the judge keeps seeing the prize board it picked.
    scores = {"innovation": 100, "design": 100, "execution": 100}
    assert controller.save_sheet(ADA, "team-basalt", scores, "", final=True) is None
    qtbot.waitUntil(
        lambda: (controller.last_board() or {}).get("data", [{}])[0].get("team_id") == "team-basalt"
    )
    assert [table.item(i, 1).text() for i in range(table.rowCount())] == ai_rows
    assert panel.picker.currentIndex() == 1
    panel.picker.setCurrentIndex(0)
    assert table.item(0, 1).text() == "Basalt Robotics"
    panel.picker.setCurrentIndex(titles.index("Finals · Overall"))
    assert table.rowCount() == len(finals.rows)

    # Judges no longer let see results: every board is taken back (4e), none is left shown.
    demo_host.server.admin("event.set", {"field": "judges_see_results", "value": False})
    qtbot.waitUntil(panel.picker.isHidden)
    assert panel.boards == {MAIN_BOARD: None}
    assert table.rowCount() == 0
    assert controller.last_board() is None
