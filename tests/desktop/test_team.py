"""Tests for the team window: nothing of the results before release, everything after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers import PeerController
from desktop.team import (
    TeamWindow,
    criteria_order,
    criterion_mean,
    format_score,
    format_sent,
    judging_status,
    order_notifications,
    ordinal,
    own_sheets,
    prettify_id,
    team_display_name,
)
from tests.desktop.conftest import DemoHost
from tests.kit import until

AURORA = {"innovation": 85, "design": 90, "execution": 88}  # 87.67


# --- pure functions ---------------------------------------------------------------------------


def test_an_id_without_a_name_is_made_readable() -> None:
    assert prettify_id("team-aurora") == "Aurora"
    assert prettify_id("team_big_bang") == "Big bang"
    assert prettify_id("Cobalt-Cats") == "Cobalt Cats"
    assert prettify_id(None) == "Your team"


def test_the_team_name_comes_from_the_board_then_the_sheets_then_the_id() -> None:
    board = {"data": [{"team_id": "t1", "team_name": "Aurora Labs", "rank": 1}]}
    sheets = [{"team_id": "t1", "team_name": "Aurora (sheet)"}]
    assert team_display_name("t1", board, sheets) == "Aurora Labs"
    assert team_display_name("t1", None, sheets) == "Aurora (sheet)"
    assert team_display_name("team-t1", None, []) == "T1"


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


def test_scores_are_shown_as_given() -> None:
    assert format_score(85) == "85"
    assert format_score(7.5) == "7.5"
    assert format_score(7.125) == "7.12"
    assert format_score(None) == "—"
    assert format_score(True) == "—"


def test_own_sheets_are_final_ones_of_this_team_in_a_stable_order() -> None:
    scores = [
        {"sheet_id": "b", "team_id": "t1", "final": True},
        {"sheet_id": "a", "team_id": "t1", "final": True},
        {"sheet_id": "c", "team_id": "t2", "final": True},
        {"sheet_id": "d", "team_id": "t1", "final": False},
    ]
    assert [s["sheet_id"] for s in own_sheets(scores, "t1")] == ["a", "b"]


def test_criteria_keep_the_sheets_order_and_average_what_was_scored() -> None:
    sheets = [{"scores": {"b": 80, "a": 70}}, {"scores": {"a": 90, "c": 60}}]
    assert criteria_order(sheets) == ["b", "a", "c"]
    assert criterion_mean(sheets, "a") == 80.0
    assert criterion_mean(sheets, "c") == 60.0
    assert criterion_mean(sheets, "zzz") is None


def test_notifications_are_newest_first() -> None:
    notes = [
        {"id": "1", "sent": "2026-03-14T09:00:00.000Z"},
        {"id": "2", "sent": "2026-03-14T11:00:00.000Z"},
        {"id": "3", "sent": "2026-03-14T10:00:00.000Z"},
    ]
    assert [n["id"] for n in order_notifications(notes)] == ["2", "3", "1"]


def test_when_a_notification_was_sent() -> None:
    now = datetime(2026, 3, 14, 15, 0).astimezone()
    today = now.replace(hour=9, minute=5)
    assert format_sent(today.isoformat(), now) == "09:05"
    assert format_sent((now - timedelta(days=2)).isoformat(), now).endswith("15:00")
    assert format_sent((now - timedelta(days=2)).isoformat(), now) != "15:00"
    assert format_sent("garbage", now) == ""


def test_what_a_team_is_told_of_judging_is_only_what_it_knows() -> None:
    assert judging_status("scoring", False)[0] == "Judging is under way"
    assert "private" in judging_status("scoring", False)[1]
    assert judging_status("locked", False)[0] == "Judging has finished"
    assert judging_status(None, False)[0] == "Waiting for the host"
    assert judging_status("scoring", True)[0] == "Judging is complete"


# --- the window against a real host ------------------------------------------------------------


@pytest.fixture
def judge(
    demo_host: DemoHost, peer: Callable[..., PeerController], run: Callable[..., Any]
) -> PeerController:
    controller = peer("judge", start=(demo_host, demo_host.code("judge", "judge-ada")))
    run(until(lambda: controller.link is not None and controller.link.synced))
    return controller


@pytest.fixture
def team(demo_host: DemoHost, peer: Callable[..., PeerController], qtbot: QtBot) -> TeamWindow:
    controller = peer("team", start=(demo_host, demo_host.code("team", "team-aurora")))
    window = TeamWindow(controller)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: controller.status.state == "online", timeout=10_000)
    return window


def _score(judge: PeerController, run: Callable[..., Any], comment: str) -> None:
    error = judge.save_sheet("judge-ada", "team-aurora", AURORA, comment, final=True)
    assert error is None
    run(until(lambda: judge.replica.pending_count() == 0))


def test_a_team_sees_nothing_of_its_results_before_release(
    team: TeamWindow, judge: PeerController, run: Callable[..., Any], qtbot: QtBot
) -> None:
    _score(judge, run, "Great demo")
    qtbot.wait(200)  # had the host sent anything, it would have arrived by now
    assert team.stack.currentWidget() is team.page
    assert team.name_label.text() == "Aurora"  # from the team's id: the welcome gives no name
    assert team.event_label.text().startswith("Harbour Hack 2026")
    assert not team.released
    assert team.phase_pill.text() == "Results not released"
    assert team.judging_title.text() == "Judging is under way"
    assert team.results_stack.currentIndex() == 0
    assert team.waiting_title.text() == "Results are not released yet"
    assert team.sheets_card.isHidden()
    assert team.score_rows == []
    assert team.comment_labels == []
    assert team.controller.scores() == []
    assert team.controller.last_board() is None


def test_after_release_a_team_sees_its_rank_total_scores_and_comments(
    team: TeamWindow,
    judge: PeerController,
    demo_host: DemoHost,
    run: Callable[..., Any],
    qtbot: QtBot,
) -> None:
    _score(judge, run, "Great demo")
    demo_host.server.admin("event.set", {"field": "phase", "value": "released"})
    qtbot.waitUntil(lambda: team.released and len(team.score_rows) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: team.rank_value.text() == "1st", timeout=10_000)
    assert team.phase_pill.text() == "Results released"
    assert team.rank_note.text() == "of 1 team"  # the only team scored so far
    assert team.total_value.text() == "87.67"
    assert team.judges_value.text() == "1"
    assert team.judging_card.isHidden()
    assert not team.sheets_card.isHidden()
    assert [label.text() for label in team.score_rows[0]] == [
        "Sheet 1",
        "85",
        "90",
        "88",
    ]  # the event's criterion order
    assert [label.text() for label in team.comment_labels] == ["“Great demo”"]
    # A team sees its scores and comments, never who gave them (docs/protocol.md 4a).
    assert all(sheet["judge_id"] is None for sheet in team.controller.scores())
    assert "Ada" not in team.score_rows[0][0].accessibleDescription()


def test_a_team_reconnecting_after_release_shows_its_results_at_once(
    demo_host: DemoHost,
    judge: PeerController,
    peer: Callable[..., PeerController],
    run: Callable[..., Any],
    qtbot: QtBot,
) -> None:
    _score(judge, run, "")
    demo_host.server.admin("event.set", {"field": "phase", "value": "released"})
    controller = peer("late-team", start=(demo_host, demo_host.code("team", "team-aurora")))
    window = TeamWindow(controller)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.total_value.text() == "87.67", timeout=10_000)
    assert window.released
    assert window.comment_labels == []
    assert [label.text() for label in window.score_rows[0]] == [
        "Sheet 1",
        "85",
        "90",
        "88",
    ]  # the event's criterion order


def test_notifications_appear_newest_first_and_only_those_meant_for_the_team(
    team: TeamWindow, demo_host: DemoHost, qtbot: QtBot
) -> None:
    assert team.notes_empty.isVisibleTo(team)
    notify = demo_host.server.admin
    notify("notify", {"audience": "teams", "target": None, "message": "Lunch at noon"})
    notify("notify", {"audience": "team", "target": "team-basalt", "message": "Not for Aurora"})
    notify("notify", {"audience": "judges", "target": None, "message": "Judges only"})
    notify("notify", {"audience": "team", "target": "team-aurora", "message": "Table 1, 15:20"})
    qtbot.waitUntil(lambda: len(team.note_frames) == 2, timeout=10_000)
    qtbot.wait(200)
    texts = [frame.accessibleDescription() for frame in team.note_frames]
    assert texts == ["Table 1, 15:20", "Lunch at noon"]
    assert not team.notes_empty.isVisibleTo(team)
    assert team.notes_count.text() == "2"


def test_an_unpaired_team_window_offers_the_connect_panel(
    peer: Callable[..., PeerController], qtbot: QtBot
) -> None:
    window = TeamWindow(peer("fresh-team"))
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.connect_page
    assert window.connect_panel.accessibleName() == "Join as team"
