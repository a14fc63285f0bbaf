"""Tests for the team window: nothing of the results before release, everything after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QBoxLayout, QLabel
from pytestqt.qtbot import QtBot

from desktop.controllers import PeerController
from desktop.team import (
    Place,
    TeamWindow,
    criteria_order,
    criterion_mean,
    format_score,
    format_sent,
    judging_status,
    order_notifications,
    ordinal,
    own_sheets,
    place_on,
    place_text,
    prettify_id,
    sheets_by_round,
    team_display_name,
    team_places,
)
from sync import messages as m
from sync.messages import LeaderboardUpdate, Score, ScoreUpdate, Welcome
from tests.desktop.conftest import DemoHost, feed
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


# --- prizes, rounds and places: the frames of docs/protocol.md 4e, fed through the peer core ------

CRITERIA = [
    {"id": "innovation", "name": "Innovation", "weight": 1, "min": 0, "max": 100, "step": 1},
    {"id": "design", "name": "Design", "weight": 1, "min": 0, "max": 100, "step": 1},
]
PRIZES = [
    {"id": "ai", "name": "Best use of AI", "sponsor": "Acme Labs"},
    {"id": "green", "name": "Greenest hack", "sponsor": ""},
]


def _welcome(
    phase: str = "released",
    rounds: list[dict[str, Any]] | None = None,
    prizes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    event: dict[str, Any] = {"id": "ev-1", "name": "Harbour Hack", "phase": phase}
    event["criteria"] = CRITERIA
    if rounds is not None:
        event["rounds"] = rounds
    if prizes is not None:
        event["prizes"] = prizes
    return Welcome(
        "team", "team-aurora", "Aurora Labs", "tok", "host", event, "1773480600000.0000.h", {}
    ).to_wire()


def _row(rank: int | None, team: str, total: float | None) -> dict[str, Any]:
    return {
        "rank": rank,
        "team_id": team,
        "team_name": team.removeprefix("team-").title(),
        "total_score": total,
        "judge_count": 0 if total is None else 3,
    }


def _board(
    rows: list[dict[str, Any]],
    round_id: str = "main",
    prize: str | None = None,
    names: tuple[str, str | None, str] = ("Round 1", None, ""),
    revision: int = 10,
) -> dict[str, Any]:
    named = round_id != "main" or prize is not None
    return LeaderboardUpdate(
        revision,
        "live",
        tuple(rows),
        "2026-03-14T10:00:00.000Z",
        "released",
        {"round": round_id, "prize": prize} if named else None,
        {"round_name": names[0], "prize_name": names[1], "sponsor": names[2]} if named else None,
    ).to_wire()


def _sheet(sheet_id: str, scores: dict[str, Any], round_id: str | None = None) -> dict[str, Any]:
    wire = ScoreUpdate(
        Score("team-aurora", "Aurora", scores, "", True, None, sheet_id), "2026-03-14T10:00Z"
    ).to_wire()
    if round_id is not None:
        wire["data"]["round"] = round_id  # a later round's sheet names it (4e)
    return wire


ONE_ROUND = [{"id": "main", "name": "Round 1", "phase": "released"}]
TWO_ROUNDS = [
    {"id": "main", "name": "Round 1", "phase": "released"},
    {"id": "finals", "name": "Grand final", "phase": "released"},
]
MAIN = [_row(1, "team-basalt", 90.0), _row(2, "team-aurora", 84.2), _row(3, "team-cobalt", 70.0)]
AI = [  # Aurora shares 3rd on the AI board
    _row(1, "team-basalt", 91.0),
    _row(2, "team-ember", 88.0),
    _row(3, "team-aurora", 80.0),
    _row(3, "team-cobalt", 80.0),
    _row(None, "team-fjord", None),
]


def test_a_place_says_the_rank_of_how_many_and_the_total_and_shares_a_tie() -> None:
    alone = place_on(_board(MAIN), "team-aurora")
    tied = place_on(_board(AI, prize="ai"), "team-aurora")
    assert alone is not None
    assert tied is not None
    assert place_text(alone) == "2nd of 3, 84.20"
    assert place_text(tied) == "=3rd of 4, 80.00"  # the unranked team is not counted
    assert place_text(Place("x", "X", "", False)) == "—"
    missing = place_on(_board(MAIN), "team-zed")
    assert missing is not None
    assert place_text(missing) == "not ranked"
    assert place_on(None, "team-aurora") is None


def test_the_prizes_are_listed_before_any_result_and_nothing_is_invented() -> None:
    event = _welcome("scoring", ONE_ROUND, PRIZES)["event"]
    [first] = team_places(event, [], "team-aurora", released=False)
    assert first.round == "main"
    assert [(p.name, p.sponsor, p.received) for p in first.places] == [
        ("Best use of AI", "Acme Labs", False),
        ("Greenest hack", "", False),
    ]
    # Released, with only the AI board received: the green prize says nothing of a place.
    ai = _board(AI, prize="ai", names=("Round 1", "Best use of AI", "Acme Labs"))
    [first] = team_places(
        _welcome("released", ONE_ROUND, PRIZES)["event"], [ai], "team-aurora", True
    )
    assert [(p.prize, p.received, p.rank, p.shared) for p in first.places] == [
        ("ai", True, 3, True),
        ("green", False, None, False),
    ]


def test_a_later_round_is_listed_only_once_a_board_of_it_arrives() -> None:
    event = _welcome("released", TWO_ROUNDS, PRIZES)["event"]
    assert [g.round for g in team_places(event, [], "team-aurora", True)] == ["main"]
    finals = _board(MAIN, "finals", names=("Grand final", None, ""))
    groups = team_places(event, [finals], "team-aurora", True)
    assert [(g.round, g.name) for g in groups] == [("main", "Round 1"), ("finals", "Grand final")]
    assert [(p.name, p.rank) for p in groups[1].places] == [("Overall", 2)]


def test_sheets_are_grouped_by_round_in_the_rounds_order() -> None:
    event = _welcome("released", TWO_ROUNDS)["event"]
    sheets = [
        {"sheet_id": "f1", "round": "finals"},
        {"sheet_id": "m1"},
        {"sheet_id": "m2", "round": None},
    ]
    groups = sheets_by_round(sheets, event)
    assert [(r, name, [s["sheet_id"] for s in group]) for r, name, group in groups] == [
        ("main", "Round 1", ["m1", "m2"]),
        ("finals", "Grand final", ["f1"]),
    ]


@pytest.fixture
def fed_team(peer: Callable[..., PeerController], qtbot: QtBot) -> TeamWindow:
    window = TeamWindow(peer("fed-team"))
    qtbot.addWidget(window)
    window.resize(*TeamWindow.DEFAULT_SIZE)
    window.show()
    return window


def _places(window: TeamWindow) -> list[tuple[str, str]]:
    return [(name.text(), value.text()) for name, value in window.place_rows]


def test_an_event_of_one_round_and_no_prize_looks_as_before(
    fed_team: TeamWindow, qtbot: QtBot
) -> None:
    feed(fed_team.controller, _welcome("released", ONE_ROUND, []), _board(MAIN))
    qtbot.waitUntil(lambda: fed_team.rank_value.text() == "2nd")
    assert fed_team.prizes_card.isHidden()
    assert fed_team.place_rows == []
    assert fed_team.results_title.text() == "Your results"
    feed(fed_team.controller, _sheet("s1", {"innovation": 80, "design": 90}))
    qtbot.waitUntil(lambda: len(fed_team.score_rows) == 1)
    assert fed_team.sheet_headings == []  # no round named
    assert [label.text() for label in fed_team.score_rows[0]] == ["Sheet 1", "80", "90"]


def test_a_team_sees_its_prizes_before_release_then_its_place_on_each_board(
    fed_team: TeamWindow, qtbot: QtBot
) -> None:
    controller = fed_team.controller
    feed(controller, _welcome("scoring", ONE_ROUND, PRIZES))
    qtbot.waitUntil(fed_team.prizes_card.isVisible)
    assert _places(fed_team) == [("Best use of AI", ""), ("Greenest hack", "")]
    assert "once the organiser releases" in fed_team.prizes_hint.text()
    assert fed_team.place_headings == []  # one round: no round heading
    # Released: the main board, then the AI prize's; the green one is never sent.
    feed(controller, _board(MAIN))
    feed(controller, _board(AI, prize="ai", names=("Round 1", "Best use of AI", "Acme Labs")))
    qtbot.waitUntil(lambda: _places(fed_team)[0][1] == "=3rd of 4, 80.00")
    assert fed_team.rank_value.text() == "2nd"
    assert _places(fed_team) == [("Best use of AI", "=3rd of 4, 80.00"), ("Greenest hack", "—")]
    frame = fed_team.place_rows[0][0].parentWidget()
    assert frame.accessibleName() == "Best use of AI — =3rd of 4, 80.00"
    sponsors = [label.text() for label in fed_team.prizes_card.findChildren(QLabel)]
    assert "Sponsored by Acme Labs" in sponsors
    # A board that moves is shown as it is now.
    moved = [_row(1, "team-aurora", 95.0), _row(2, "team-basalt", 91.0)]
    feed(
        controller,
        _board(moved, prize="ai", names=("Round 1", "Best use of AI", "Acme Labs"), revision=11),
    )
    qtbot.waitUntil(lambda: _places(fed_team)[0][1] == "1st of 2, 95.00")


def test_a_finalist_sees_the_finals_round_its_boards_and_sheets_under_the_rounds_names(
    fed_team: TeamWindow, qtbot: QtBot
) -> None:
    controller = fed_team.controller
    feed(
        controller,
        _welcome("released", TWO_ROUNDS, PRIZES),
        _board(MAIN),
        _board(MAIN[:2], "finals", names=("Grand final", None, "")),
        _board(AI[:3], "finals", "ai", names=("Grand final", "Best use of AI", "Acme Labs")),
        _sheet("m1", {"innovation": 80, "design": 90}),
        _sheet("f1", {"innovation": 95, "design": 91}, "finals"),
        _sheet("f2", {"innovation": 85, "design": 81}, "finals"),
    )
    qtbot.waitUntil(lambda: len(fed_team.score_rows) == 3)
    assert fed_team.results_title.text() == "Your results · Round 1"
    assert [h.text() for h in fed_team.place_headings] == ["Round 1", "Grand final"]
    assert _places(fed_team) == [
        ("Best use of AI", "—"),  # the first round's AI board was not sent
        ("Greenest hack", "—"),
        ("Overall", "2nd of 2, 84.20"),
        ("Best use of AI", "3rd of 3, 80.00"),
    ]
    assert [h.text() for h in fed_team.sheet_headings] == ["Round 1", "Grand final"]
    assert [row[0].text() for row in fed_team.score_rows] == ["Sheet 1", "Sheet 1", "Sheet 2"]
    assert [label.text() for label in fed_team.score_rows[1]] == ["Sheet 1", "95", "91"]


def test_a_new_welcome_that_takes_results_back_hides_the_places(
    fed_team: TeamWindow, qtbot: QtBot
) -> None:
    controller = fed_team.controller
    ai = _board(AI, prize="ai", names=("Round 1", "Best use of AI", "Acme Labs"))
    feed(controller, _welcome("released", ONE_ROUND, PRIZES), _board(MAIN), ai)
    qtbot.waitUntil(lambda: _places(fed_team)[0][1] == "=3rd of 4, 80.00")
    feed(controller, _welcome("locked", ONE_ROUND, PRIZES))
    qtbot.waitUntil(lambda: _places(fed_team)[0][1] == "")
    assert not fed_team.released


def test_boards_held_at_a_new_welcome_show_again_only_when_sent_again(
    fed_team: TeamWindow, qtbot: QtBot
) -> None:
    controller = fed_team.controller
    finals = _board(MAIN[:2], "finals", names=("Grand final", None, ""))
    feed(controller, _welcome("released", TWO_ROUNDS, PRIZES), _board(MAIN), finals)
    qtbot.waitUntil(lambda: ("Overall", "2nd of 2, 84.20") in _places(fed_team))
    # The link drops and the host welcomes the team again: the finals are no longer released.
    locked = [dict(r, phase="locked") if r["id"] == "finals" else r for r in TWO_ROUNDS]
    feed(controller, _welcome("released", locked, PRIZES))
    qtbot.waitUntil(lambda: all(name != "Overall" for name, _ in _places(fed_team)))
    assert [h.text() for h in fed_team.place_headings] == ["Round 1"]
    # Released again: the host sends the board again, and it shows.
    again = _board(MAIN[:2], "finals", names=("Grand final", None, ""), revision=20)
    feed(controller, again)
    qtbot.waitUntil(lambda: ("Overall", "2nd of 2, 84.20") in _places(fed_team))


def test_at_its_minimum_size_the_window_puts_notifications_under_results_that_would_not_fit(
    fed_team: TeamWindow, qtbot: QtBot
) -> None:
    criteria = {"innovation": 80, "design": 90, "execution": 70, "open-data": 8}
    feed(
        fed_team.controller,
        _welcome("released", TWO_ROUNDS, PRIZES),
        _board(MAIN),
        _sheet("m1", criteria),
    )
    qtbot.waitUntil(lambda: len(fed_team.score_rows) == 1)
    assert fed_team.body.direction() == QBoxLayout.Direction.LeftToRight
    fed_team.resize(*TeamWindow.MINIMUM)
    qtbot.waitUntil(lambda: fed_team.body.direction() == QBoxLayout.Direction.TopToBottom)
    scroll = fed_team.left.parentWidget()
    assert scroll is not None
    qtbot.waitUntil(lambda: fed_team.left.minimumSizeHint().width() <= scroll.width())
    fed_team.resize(*TeamWindow.DEFAULT_SIZE)
    qtbot.waitUntil(lambda: fed_team.body.direction() == QBoxLayout.Direction.LeftToRight)


@given(st.lists(st.one_of(st.none(), st.floats(0, 100, allow_nan=False)), min_size=1, max_size=12))
def test_a_place_is_shared_exactly_when_another_team_has_the_same_rank(
    totals: list[float | None],
) -> None:
    # Ranks as the host gives them (section 6b): descending total, equal totals share a rank.
    scored = sorted((t for t in totals if t is not None), reverse=True)
    rows = [
        _row(None if t is None else 1 + scored.index(t), f"team-{i}", t)
        for i, t in enumerate(totals)
    ]
    board = _board(rows)
    for i, total in enumerate(totals):
        place = place_on(board, f"team-{i}")
        assert place is not None
        assert place.ranked == len(scored)
        if total is None:
            assert place_text(place) == "not ranked"
            continue
        assert place.shared == (scored.count(total) > 1)
        assert place_text(place).startswith("=") == place.shared
        assert place_text(place).endswith(f" of {len(scored)}, {total:.2f}")


def test_boards_the_host_takes_back_leave_the_page_at_once(
    fed_team: TeamWindow, qtbot: QtBot
) -> None:
    """Results taken back while the team is connected (4e): no new welcome, a withdrawal."""
    controller = fed_team.controller
    ai = _board(AI, prize="ai", names=("Round 1", "Best use of AI", "Acme Labs"))
    feed(controller, _welcome("released", ONE_ROUND, PRIZES), _board(MAIN), ai)
    qtbot.waitUntil(lambda: _places(fed_team)[0][1] == "=3rd of 4, 80.00")
    stamp = "2026-12-02T09:00:00.000Z"
    feed(controller, m.BoardWithdrawn({"round": "main", "prize": "ai"}, stamp).to_wire())
    qtbot.waitUntil(lambda: _places(fed_team)[0][1] == "—")
    assert fed_team.released  # the main board still stands
    feed(controller, m.BoardWithdrawn(None, stamp).to_wire())
    qtbot.waitUntil(lambda: not fed_team.released)
    assert controller.last_board() is None
    assert fed_team.phase_pill.text() == "Results not released"
    assert fed_team.judging_title.text() == "Judging has finished"
