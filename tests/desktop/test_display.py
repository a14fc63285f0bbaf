"""Tests for the projector display: what each mode shows, against a real demo host."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QShortcut
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.boards import board_label
from desktop.controllers import PeerController
from desktop.display import (
    BACKGROUND,
    HEADING,
    MAX_SLOTS,
    BoardKey,
    BoardRow,
    DisplayWindow,
    LeaderboardView,
    board_heading,
    board_key,
    board_mode,
    board_rows,
    control_order,
    control_rotate,
    first_board,
    fit_rows,
    format_judges,
    format_total,
    headline,
    known_title,
    link_caption,
    local_clock,
    main_round_name,
    next_board,
    page_caption,
    reveal_caption,
    reveal_slots,
    rotation,
    rotation_caption,
    several_rounds,
)
from storage.replica import Replica
from sync.messages import LeaderboardUpdate, parse_display_control
from sync.peer import PeerConfig
from tests.desktop.conftest import DemoHost
from tests.kit import until

AURORA = {"innovation": 85, "design": 90, "execution": 88}  # 87.67 (ARCHITECTURE.md example)
BASALT = {"innovation": 95, "design": 92, "execution": 90}  # 92.33


def _row(rank: int | None, team: str, total: float | None = None, judges: int = 1) -> dict:
    return {
        "rank": rank,
        "team_id": team,
        "team_name": team.title(),
        "total_score": total,
        "judge_count": judges,
    }


# --- pure functions ---------------------------------------------------------------------------


def test_live_rows_follow_the_ranking_with_unscored_teams_last() -> None:
    board = {
        "mode": "live",
        "data": [_row(None, "c", None, 0), _row(2, "b", 80.0), _row(1, "a", 90.5)],
    }
    rows = board_rows(board)
    assert [r.key for r in rows] == ["a", "b", "c"]
    assert rows[0] == BoardRow("a", "A", 1, 90.5, 1)


def test_progress_rows_are_ordered_by_name_so_the_ranking_does_not_leak() -> None:
    board = {
        "mode": "progress",
        "data": [
            {"team_id": "z", "team_name": "Zeta", "judge_count": 3},
            {"team_id": "a", "team_name": "alpha", "judge_count": 1},
        ],
    }
    rows = board_rows(board)
    assert [r.name for r in rows] == ["alpha", "Zeta"]
    assert all(r.total is None and r.rank is None for r in rows)
    assert [r.judges for r in rows] == [1, 3]


def test_a_progress_board_never_shows_a_total_even_if_one_were_sent() -> None:
    board = {"mode": "progress", "data": [_row(1, "a", 99.0)]}
    assert board_rows(board)[0].total is None


def test_an_unknown_mode_is_shown_as_live() -> None:
    assert board_mode({"mode": "sparkle"}) == "live"
    assert board_mode(None) == "live"


def test_reveal_puts_placeholders_above_the_revealed_rows() -> None:
    revealed = [BoardRow("h", "H", 8, 60.0, 2), BoardRow("g", "G", 7, 70.0, 2)]
    slots = reveal_slots(revealed, MAX_SLOTS)
    assert [r.key for r in slots] == [f"hidden/{n}" for n in range(1, 7)] + ["g", "h"]
    assert all(r.placeholder for r in slots[:6])
    assert reveal_caption(slots) == "2 REVEALED · 6 TO GO"


def test_reveal_of_a_long_board_folds_hidden_places_and_keeps_the_newest() -> None:
    revealed = [BoardRow(f"t{rank}", f"T{rank}", rank, 50.0, 1) for rank in range(28, 31)]
    slots = reveal_slots(revealed, 10)
    assert slots[0] == BoardRow("hidden/rest", "27 more teams to reveal", placeholder=True)
    assert [r.key for r in slots[1:]] == ["t28", "t29", "t30"]
    many = [BoardRow(f"t{rank}", f"T{rank}", rank, 50.0, 1) for rank in range(3, 31)]
    slots = reveal_slots(many, 10)
    assert [r.key for r in slots[:3]] == ["hidden/1", "hidden/2", "t3"]  # the newest stays
    assert len(slots) == 10


def test_reveal_with_nothing_revealed_is_empty() -> None:
    assert reveal_slots([], 10) == []
    assert reveal_caption([]) == ""


def test_ten_rows_fit_a_screen_and_longer_boards_page() -> None:
    capacity, pitch = fit_rows(30, 800.0)
    assert (capacity, pitch) == (MAX_SLOTS, 80.0)
    assert fit_rows(3, 800.0) == (3, 100.0)  # few teams: big rows, but not giant ones
    assert page_caption(0, 30, 10) == "Teams 1–10 of 30"
    assert page_caption(2, 25, 10) == "Teams 21–25 of 25"
    assert page_caption(0, 8, 10) == ""


def test_formatting() -> None:
    assert format_total(87.666) == "87.67"
    assert format_total(None) == "—"
    assert format_judges(1) == "1 judge"
    assert format_judges(0) == "No scores yet"
    assert local_clock("not a time") == ""
    assert len(local_clock("2026-03-14T12:30:00.000Z")) == 5
    assert link_caption("online", "12:30") == "Online · last update 12:30"
    assert link_caption("offline", "") == "Offline"


# --- the window against a real host ------------------------------------------------------------


@pytest.fixture
def display(
    demo_host: DemoHost, peer: Callable[..., PeerController], qtbot: QtBot
) -> DisplayWindow:
    controller = peer("display", start=(demo_host, demo_host.code("display")))
    window = DisplayWindow(controller)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitUntil(lambda: window.board is not None, timeout=10_000)
    return window


@pytest.fixture
def judge(
    demo_host: DemoHost, peer: Callable[..., PeerController], run: Callable[..., Any]
) -> PeerController:
    controller = peer("judge", start=(demo_host, demo_host.code("judge", "judge-ada")))
    run(until(lambda: controller.link is not None and controller.link.synced))
    return controller


def _save(judge: PeerController, team: str, scores: dict[str, float], comment: str = "") -> None:
    assert judge.save_sheet("judge-ada", team, scores, comment, final=True) is None


def _set(host: DemoHost, field: str, value: object) -> None:
    host.server.admin("event.set", {"field": field, "value": value})


def test_the_display_shows_the_board_after_a_sheet_and_follows_new_ones(
    display: DisplayWindow, judge: PeerController, qtbot: QtBot
) -> None:
    assert display.stack.currentWidget() is display.board_page
    assert display.title.text() == "Harbour Hack 2026"
    assert display.tag.text() == "● LIVE"
    _save(judge, "team-aurora", AURORA)
    qtbot.waitUntil(lambda: display.view.rows()[0].total is not None, timeout=10_000)
    first = display.view.rows()[0]
    assert (first.rank, first.name, first.judges) == (1, "Aurora", 1)
    assert format_total(first.total) == "87.67"
    assert len(display.view.rows()) == 8  # every team; the unscored ones last, with no total
    assert all(r.total is None for r in display.view.rows()[1:])
    assert "rank 1, Aurora, 87.67, 1 judge" in display.view.accessibleDescription()
    assert display.link_label.text().startswith("● Online · last update ")

    _save(judge, "team-basalt", BASALT)
    qtbot.waitUntil(lambda: display.view.rows()[0].key == "team-basalt", timeout=10_000)
    assert [(r.rank, r.key) for r in display.view.rows()[:2]] == [
        (1, "team-basalt"),
        (2, "team-aurora"),
    ]
    assert display.view.animating  # the rows slide to their new places
    qtbot.waitUntil(lambda: not display.view.animating, timeout=2_000)


def test_progress_mode_shows_judge_counts_and_no_totals(
    display: DisplayWindow, judge: PeerController, demo_host: DemoHost, qtbot: QtBot
) -> None:
    _save(judge, "team-harbour", AURORA)
    _set(demo_host, "display_mode", "progress")
    qtbot.waitUntil(lambda: display.mode == "progress", timeout=10_000)
    qtbot.waitUntil(
        lambda: any(r.judges for r in display.view.rows()), timeout=10_000
    )  # the sheet has reached the host
    rows = display.view.rows()
    assert all(r.total is None and r.rank is None for r in rows)
    assert [r.name for r in rows] == sorted((r.name for r in rows), key=str.casefold)
    assert {r.key: r.judges for r in rows}["team-harbour"] == 1
    assert display.banner.isVisible()
    assert display.banner.text().startswith("Judging in progress")
    assert not display.tag.isVisible()
    assert "87.67" not in display.view.accessibleDescription()
    assert "Harbour Lights: 1 judge" in display.view.accessibleDescription()


def test_reveal_shows_rows_from_last_place_as_the_host_reveals_them(
    display: DisplayWindow, judge: PeerController, demo_host: DemoHost, qtbot: QtBot
) -> None:
    _save(judge, "team-aurora", AURORA)  # 87.67: first
    _save(judge, "team-basalt", {"innovation": 70, "design": 70, "execution": 70})  # last
    _save(judge, "team-cobalt", {"innovation": 80, "design": 80, "execution": 80})  # second
    qtbot.waitUntil(lambda: display.view.rows()[2].total is not None, timeout=10_000)
    _set(demo_host, "display_mode", "reveal")
    qtbot.waitUntil(lambda: display.mode == "reveal", timeout=10_000)
    assert display.content.currentWidget() is display.empty_page
    assert display.empty_title.text() == "Results coming up"

    _set(demo_host, "reveal_count", 1)
    qtbot.waitUntil(lambda: display.content.currentWidget() is display.view, timeout=10_000)
    revealed = [r for r in display.view.rows() if not r.placeholder]
    assert [(r.rank, r.key) for r in revealed] == [(3, "team-basalt")]
    assert [r.rank for r in display.view.rows() if r.placeholder] == [1, 2]
    assert display.tag.text() == "1 REVEALED · 2 TO GO"

    _set(demo_host, "reveal_count", 2)
    qtbot.waitUntil(
        lambda: len([r for r in display.view.rows() if not r.placeholder]) == 2, timeout=10_000
    )
    assert [r.key for r in display.view.rows()] == ["hidden/1", "team-cobalt", "team-basalt"]
    assert display.view.animating  # the new row slides in
    assert "87.67" not in display.view.accessibleDescription()  # first place is not out yet

    _set(demo_host, "reveal_count", 3)
    qtbot.waitUntil(lambda: display.tag.text() == "ALL REVEALED", timeout=10_000)
    assert [r.key for r in display.view.rows()] == ["team-aurora", "team-cobalt", "team-basalt"]


def test_a_frozen_board_ignores_new_sheets(
    display: DisplayWindow,
    judge: PeerController,
    demo_host: DemoHost,
    qtbot: QtBot,
    run: Callable[..., Any],
) -> None:
    _save(judge, "team-aurora", AURORA)
    qtbot.waitUntil(lambda: display.view.rows()[0].total is not None, timeout=10_000)
    _set(demo_host, "display_mode", "frozen")
    qtbot.waitUntil(lambda: display.mode == "frozen", timeout=10_000)
    assert display.tag.text() == "RESULTS FROZEN"
    frozen = display.view.rows()
    _save(judge, "team-basalt", BASALT)
    run(until(lambda: judge.replica.pending_count() == 0))
    assert demo_host.replica.state.sheet("judge-ada", "team-basalt") is not None
    qtbot.wait(300)
    assert display.view.rows() == frozen
    assert display.view.rows()[0].key == "team-aurora"


def test_the_last_board_is_shown_after_a_restart_with_no_host(
    tmp_path: Path, demo_host: DemoHost, judge: PeerController, qtbot: QtBot, run: Callable
) -> None:
    _save(judge, "team-aurora", AURORA)
    run(until(lambda: judge.replica.pending_count() == 0))
    first = PeerController(Replica.open(tmp_path / "shown.db", durable=False))

    async def begin() -> None:
        first.start(
            PeerConfig(code=demo_host.code("display"), target=demo_host.target, secure=False)
        )

    run(begin())
    run(until(lambda: _top_total(first) is not None))
    run(first.stop())
    first.replica.close()
    run(demo_host.server.stop())  # the host is gone too

    again = PeerController(Replica.open(tmp_path / "shown.db", durable=False))
    try:
        window = DisplayWindow(again)
        qtbot.addWidget(window)
        window.show()
        assert window.stack.currentWidget() is window.board_page  # paired: no connect panel
        assert window.title.text() == "Harbour Hack 2026"
        assert window.view.rows()[0].name == "Aurora"
        assert format_total(window.view.rows()[0].total) == "87.67"
        assert window.link_label.text().startswith("● Offline · last update ")
    finally:
        again.replica.close()


def _top_total(controller: PeerController) -> float | None:
    rows = (controller.last_board() or {}).get("data") or [{}]
    return rows[0].get("total_score")


def test_an_unpaired_display_joins_from_the_connect_panel(
    demo_host: DemoHost, peer: Callable[..., PeerController], qtbot: QtBot
) -> None:
    controller = peer("fresh")
    window = DisplayWindow(controller)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.connect_page
    panel = window.connect_panel
    assert panel.accessibleName() == "Join as display"
    panel.address.setText(demo_host.target)
    panel.insecure.setChecked(True)
    panel.code.setText("AAAA-AAAA")  # wrong: refused, with the reason on the panel
    qtbot.mouseClick(panel.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(panel.problem.text()), timeout=10_000)
    assert window.stack.currentWidget() is window.connect_page

    panel.code.setText(demo_host.code("display").lower())
    qtbot.mouseClick(panel.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.board_page, timeout=10_000)
    qtbot.waitUntil(lambda: len(window.view.rows()) == 8, timeout=10_000)
    assert controller.paired


def test_f11_toggles_full_screen_and_escape_leaves_it(display: DisplayWindow, qtbot: QtBot) -> None:
    keys = {s.key().toString() for s in display.findChildren(QShortcut)}
    assert {"F11", "Esc"} <= keys
    display.toggle_fullscreen()
    qtbot.waitUntil(display.isFullScreen, timeout=2_000)
    display.leave_fullscreen()
    qtbot.waitUntil(lambda: not display.isFullScreen(), timeout=2_000)
    display.leave_fullscreen()  # Esc outside full screen does nothing
    assert not display.isFullScreen()


def test_every_label_that_informs_has_an_accessible_name(display: DisplayWindow) -> None:
    unnamed = [
        label.text()
        for label in display.board_page.findChildren(QLabel)
        if label.text() and not label.accessibleName() and label.buddy() is None
    ]
    assert unnamed == []
    assert display.view.accessibleName() == "Leaderboard"


def test_a_long_board_pages_ten_rows_at_a_time(
    peer: Callable[..., PeerController], qtbot: QtBot
) -> None:
    window = DisplayWindow(peer("offline-display"))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    rows = [_row(i + 1, f"t{i + 1:02d}", 90.0 - i, 2) for i in range(24)]
    window.show_board({"mode": "live", "revision": 1, "data": rows, "timestamp": ""})
    assert window.view.pages() == 3
    assert [r.key for r in window.view.visible_rows()] == [f"t{i:02d}" for i in range(1, 11)]
    assert window.page_label.text() == "Teams 1–10 of 24"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    assert window.view.visible_rows()[0].key == "t11"
    assert window.page_label.text() == "Teams 11–20 of 24"
    window.view.turn_page(1)
    assert [r.key for r in window.view.visible_rows()] == ["t21", "t22", "t23", "t24"]
    window.view.turn_page(1)  # and round again
    assert window.view.page == 0


def test_type_scales_with_the_window(peer: Callable[..., PeerController], qtbot: QtBot) -> None:
    window = DisplayWindow(peer("scaling-display"))
    qtbot.addWidget(window)
    window.show()

    def title_px() -> int:
        style = window.title.styleSheet()
        return int(style.split("font-size:")[1].split("px")[0])

    window.resize(960, 540)
    qtbot.waitUntil(lambda: window.height() == 540)
    small = title_px()
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.height() == 1080)
    assert title_px() >= 2 * small - 1
    assert title_px() >= 60  # legible from the back of a hall on a 1080p projector


# --- the first hour (issue 10) -----------------------------------------------------------------


def test_a_display_joining_a_locked_event_says_locked_not_live(
    demo_host: DemoHost, peer: Callable[..., PeerController], qtbot: QtBot
) -> None:
    """Before: "● LIVE" and "Live leaderboard" over scores that could no longer change."""
    _set(demo_host, "phase", "locked")
    controller = peer("display", start=(demo_host, demo_host.code("display")))
    window = DisplayWindow(controller)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.board is not None, timeout=10_000)
    qtbot.waitUntil(lambda: window.tag.text() == "LOCKED", timeout=10_000)
    assert "LIVE" not in window.subtitle.text().upper()
    # The demo has a finals round: the main board names its round (the welcome's `rounds`).
    assert window.subtitle.text() == "Round 1 · Scoring is locked: these are the final scores"


def test_a_board_that_carries_the_phase_is_shown_in_it(
    peer: Callable[..., PeerController], qtbot: QtBot
) -> None:
    window = DisplayWindow(peer("phase-display"))
    qtbot.addWidget(window)
    board = {"mode": "live", "revision": 1, "data": [_row(1, "a", 90.0)], "timestamp": ""}
    window.show_board({**board, "phase": "locked"})
    assert window.tag.text() == "LOCKED"
    window.show_board({**board, "phase": "released"})
    assert window.tag.text() == "RESULTS RELEASED"
    window.show_board({**board, "phase": "scoring"})
    assert window.tag.text() == "● LIVE"
    assert headline("progress", "locked")[2] == "Judging is over · results soon"


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_column_headings_are_large_and_bright_enough_for_the_back_of_the_hall(
    peer: Callable[..., PeerController], qtbot: QtBot
) -> None:
    """Before: about 8 px, #475569 on black (2.4:1) in a 540 px window, 17 px at 1080 p."""
    window = DisplayWindow(peer("big-display"))
    qtbot.addWidget(window)
    window.welcomed_to(window.board_page)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitUntil(lambda: window.height() == 1080)
    rows = [_row(i + 1, f"t{i + 1:02d}", 90.0 - i, 2) for i in range(10)]
    window.show_board({"mode": "live", "revision": 1, "data": rows, "timestamp": ""})
    pixels = window.view.heading_font().pixelSize()
    assert pixels >= 1080 * 0.024  # 26 px at 1080p, as tall as the judge counts in the rows
    light, dark = _luminance(HEADING), _luminance(BACKGROUND)
    assert (light + 0.05) / (dark + 0.05) >= 7.0  # WCAG AAA contrast


@pytest.mark.parametrize("between", [0.3, 0.5, 0.7])
def test_a_page_turn_never_draws_a_row_over_the_headings(
    peer: Callable[..., PeerController], qtbot: QtBot, between: float
) -> None:
    """Mid-turn, a row cut by the headings' edge is faded, not bright text under them."""
    view = LeaderboardView()
    qtbot.addWidget(view)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Window, BACKGROUND)  # as the display's style sheet
    view.setPalette(palette)
    view.setAutoFillBackground(True)
    view.resize(1280, 600)
    view.show()
    rows = [_row(i + 1, f"t{i + 1:02d}", 90.0 - i, 2) for i in range(24)]
    view.set_board("live", board_rows({"mode": "live", "data": rows}), animate=False)
    view._scrolled(5 + between)  # where a turn's animation passes
    image = view.grab().toImage()
    area, pitch, _ = view._metrics()
    band = range(int(area.top()), int(area.top() + pitch * 0.5))
    brightest = max(
        image.pixelColor(x, y).lightness() for y in band for x in range(0, image.width(), 3)
    )
    assert brightest < 150, brightest  # team names are #f5f7fa (lightness 245)


@pytest.mark.parametrize("demo_host", [{"web_port": 0}], indirect=True)
def test_the_display_shows_the_public_pages_qr_code_when_the_host_serves_it(
    display: DisplayWindow, demo_host: DemoHost
) -> None:
    assert demo_host.server.web is not None
    public = f"http://127.0.0.1:{demo_host.server.web.port}/"
    assert display.page_qr.text_shown == public
    assert display.page_qr.isVisibleTo(display)
    assert public in display.page_hint.text()
    size = display.page_qr.pixmap().width()
    assert size >= 64
    display.resize(1920, 1080)  # a projector: a larger code, still whole pixels a module
    display._scale()
    assert display.page_qr.pixmap().width() > size


def test_a_display_of_a_host_without_pages_shows_no_qr_code(display: DisplayWindow) -> None:
    assert display.page_qr.text_shown == ""
    assert not display.page_qr.isVisibleTo(display)
    assert not display.page_hint.isVisibleTo(display)


# --- named boards and display control (docs/protocol.md 4e, issue 11) ---------------------------

AI = {"round": "main", "prize": "prize-ai"}
DATA = {"round": "main", "prize": "prize-data"}
FINALS = {"round": "finals", "prize": None}
AI_TITLE = {"round_name": "Round 1", "prize_name": "Best use of AI", "sponsor": ""}
DATA_TITLE = {"round_name": "Round 1", "prize_name": "Open Data", "sponsor": "Port Authority"}
FINALS_TITLE = {"round_name": "Finals", "prize_name": None, "sponsor": ""}


def _board(
    rows: list[dict],
    name: dict | None = None,
    title: dict | None = None,
    mode: str = "live",
    revision: int = 1,
) -> dict[str, Any]:
    """Build a leaderboard_update exactly as the host sends it (4e)."""
    return LeaderboardUpdate(
        revision, mode, tuple(rows), "2026-03-14T12:30:00.000Z", "scoring", name, title
    ).to_wire()


def _control(boards: list, rotate: int = 20, mode: str = "live", reveal: Any = None) -> dict:
    """Build a display_control as the host sends it (4e), checked by the peer's own parser."""
    message = {
        "type": "display_control",
        "boards": boards,
        "rotate": rotate,
        "mode": mode,
        "reveal_board": reveal,
        "timestamp": "2026-03-14T12:30:00.000Z",
    }
    return parse_display_control(message)


def test_board_keys_and_the_order_a_control_gives() -> None:
    assert board_key(None) is None
    assert board_key({"round": "main", "prize": None}) is None  # the main board by its name
    assert board_key(AI) == ("main", "prize-ai")
    assert board_key(FINALS) == ("finals", None)
    assert control_order(None) == [None]
    assert control_order(_control([None])) == [None]
    assert control_order(_control([AI, None, AI])) == [("main", "prize-ai"), None]
    assert control_rotate(_control([None], rotate=45)) == 45
    assert control_rotate({"rotate": True}) == 20
    assert control_rotate({"rotate": 1}) == 5


def test_rotation_skips_boards_not_received_and_wraps() -> None:
    ai, data = board_key(AI), board_key(DATA)
    order = [None, ai, data]
    held = {None, data}
    assert rotation(order, held) == [None, data]
    assert next_board(order, held, None) == data
    assert next_board(order, held, data) is None
    assert next_board(order, held, None, -1) == data
    assert next_board(order, held, ai) is None  # the one shown was never held: the first held
    assert next_board([ai], set(), None) == ai  # nothing held yet: the first listed, awaited
    assert next_board(order, held, data, 0) == data  # step 0: stay, if it is still up
    assert next_board(order, held, ai, 0) is None
    assert first_board(order, held) is None
    assert first_board([ai, data], held) == data
    assert first_board([ai], held) == ai
    assert rotation_caption(order, held, data) == "2 / 2"
    assert rotation_caption(order, {data}, data) == ""  # one board up: no indicator
    assert rotation_caption([None], {None}, None) == ""


@given(
    st.lists(st.sampled_from([None, ("main", "a"), ("main", "b"), ("r2", None)]), unique=True),
    st.sets(st.sampled_from([None, ("main", "a"), ("main", "b"), ("r2", None)])),
)
def test_turning_through_a_rotation_visits_each_held_board_once(
    order: list[BoardKey], held: set[BoardKey]
) -> None:
    shown = rotation(order, held)
    assume(shown)
    seen, current = [], shown[0]
    for _ in shown:
        seen.append(current)
        current = next_board(order, held, current)
    assert seen == shown
    assert current == shown[0]
    assert next_board(order, held, next_board(order, held, current), -1) == current


def test_a_prize_board_is_titled_with_the_prize_its_sponsor_and_its_round() -> None:
    data, ai, finals = (board_label(None, t) for t in (DATA_TITLE, AI_TITLE, FINALS_TITLE))
    assert board_heading("Harbour Hack", None, "Live leaderboard") == (
        "Harbour Hack",
        "Live leaderboard",
    )
    assert board_heading("Harbour Hack", data, "Live leaderboard") == (
        "Open Data",
        "Sponsored by Port Authority · Live leaderboard",
    )
    assert board_heading("Harbour Hack", ai, "Live leaderboard", round_name="Round 1") == (
        "Best use of AI",
        "Round 1 · Live leaderboard",
    )
    assert board_heading("Harbour Hack", finals, "Leaderboard", round_name="Finals") == (
        "Harbour Hack",
        "Finals · Leaderboard",
    )
    welcome = {
        "event": {
            "rounds": [{"id": "main", "name": "Heats"}, {"id": "finals", "name": "Finals"}],
            "prizes": [{"id": "prize-ai", "name": "Best use of AI", "sponsor": "Acme"}],
        }
    }
    assert known_title(("main", "prize-ai"), welcome) == {
        "round_name": "Heats",
        "prize_name": "Best use of AI",
        "sponsor": "Acme",
    }
    assert known_title(("main", "gone"), welcome) is None
    assert main_round_name(welcome) == "Heats"
    assert several_rounds(welcome, set())
    assert not several_rounds({}, {None, ("main", "prize-ai")})
    assert several_rounds({}, {("finals", None)})


@pytest.fixture
def offline(peer: Callable[..., PeerController], qtbot: QtBot) -> DisplayWindow:
    """A display with no host around, fed the host's messages through its controller."""
    window = DisplayWindow(peer("named-display"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


MAIN_ROWS = [_row(1, "aurora", 92.0), _row(2, "basalt", 80.0)]
AI_ROWS = [_row(1, "cobalt", 88.0), _row(2, "aurora", 70.0)]
DATA_ROWS = [_row(1, "delta", 75.5)]


def _feed(window: DisplayWindow, *messages: dict[str, Any]) -> None:
    controller = window.controller
    for message in messages:
        if message["type"] == "display_control":
            controller.display_control_changed.emit(message)
        elif "board" in message:
            controller.named_board_changed.emit(message)
        else:
            controller.board_changed.emit(message)


def _shown(window: DisplayWindow) -> list[str]:
    return [r.key for r in window.view.rows()]


def test_with_no_display_control_the_display_shows_the_main_board_only(
    offline: DisplayWindow,
) -> None:
    """An older host sends no display_control: named boards (if any came) are never shown."""
    _feed(offline, _board(AI_ROWS, AI, AI_TITLE), _board(MAIN_ROWS))
    assert _shown(offline) == ["aurora", "basalt"]
    assert not offline.rotator.isActive()
    assert offline.rotation_label.text() == ""
    offline.rotate()
    assert _shown(offline) == ["aurora", "basalt"]


def test_the_display_rotates_through_the_boards_it_is_told_in_order(
    offline: DisplayWindow,
) -> None:
    _feed(offline, _board(MAIN_ROWS), _control([AI, None, DATA], rotate=30))
    # The AI board has not come yet: the main board is up alone, and nothing rotates.
    assert offline.current is None
    assert _shown(offline) == ["aurora", "basalt"]
    assert not offline.rotator.isActive()
    _feed(offline, _board(AI_ROWS, AI, AI_TITLE))
    assert offline.rotator.isActive()
    assert offline.rotator.interval() == 30_000
    assert offline.rotation_label.text() == "2 / 2"
    offline.rotate()  # what the timer does every 30 s
    assert _shown(offline) == ["cobalt", "aurora"]
    assert offline.title.text() == "Best use of AI"
    assert offline.rotation_label.text() == "1 / 2"
    _feed(offline, _board(DATA_ROWS, DATA, DATA_TITLE))
    offline.rotate()
    offline.rotate()
    assert _shown(offline) == ["delta"]
    assert offline.title.text() == "Open Data"
    assert offline.subtitle.text() == "Sponsored by Port Authority · Live leaderboard"
    assert offline.rotation_label.text() == "3 / 3"
    offline.rotate()
    assert _shown(offline) == ["cobalt", "aurora"]
    # A board on screen changes in place; one that is not on screen waits its turn.
    _feed(offline, _board([_row(1, "aurora", 95.0)], AI, AI_TITLE, revision=2))
    assert _shown(offline) == ["aurora"]
    _feed(offline, _board([_row(1, "basalt", 99.0)], revision=2))
    assert _shown(offline) == ["aurora"]
    offline.rotate()
    assert offline.current is None
    assert _shown(offline) == ["basalt"]
    assert offline.title.text() == "Leaderboard"  # no event name: offline, never welcomed


def test_one_board_does_not_rotate_and_a_board_told_away_is_left(
    offline: DisplayWindow, qtbot: QtBot
) -> None:
    _feed(offline, _board(MAIN_ROWS), _board(AI_ROWS, AI, AI_TITLE), _control([None, AI]))
    assert offline.rotator.isActive()
    _feed(offline, _control([AI]))
    assert offline.current == board_key(AI)
    assert _shown(offline) == ["cobalt", "aurora"]
    assert not offline.rotator.isActive()
    assert offline.rotation_label.isHidden()
    offline.rotate()
    assert offline.current == board_key(AI)
    # The arrow keys turn a rotation by hand.
    _feed(offline, _control([None, AI]))
    assert offline.current is None  # a new list: from its first board
    qtbot.keyClick(offline, Qt.Key.Key_Right)
    assert offline.current == board_key(AI)
    qtbot.keyClick(offline, Qt.Key.Key_Left)
    assert offline.current is None


def test_a_long_prize_board_starts_on_its_first_page_and_pages_as_the_main_board(
    offline: DisplayWindow, qtbot: QtBot
) -> None:
    long_rows = [_row(i + 1, f"t{i + 1:02d}", 90.0 - i, 2) for i in range(24)]
    _feed(offline, _board(MAIN_ROWS), _board(long_rows, AI, AI_TITLE), _control([None, AI]))
    offline.rotate()
    assert offline.view.pages() == 3
    assert offline.view.page == 0
    offline.view.setFocus()
    qtbot.keyClick(offline.view, Qt.Key.Key_PageDown)
    assert offline.page_label.text() == "Teams 11–20 of 24"
    offline.rotate()
    offline.rotate()
    assert offline.view.page == 0
    assert offline.page_label.text() == "Teams 1–10 of 24"


def test_the_ceremony_reveals_a_prize_from_last_place_and_says_which(
    offline: DisplayWindow,
) -> None:
    reveal = [_row(3, "aurora", 61.0), _row(2, "basalt", 70.0), _row(1, "cobalt", 88.0)]
    _feed(
        offline,
        _board(MAIN_ROWS),
        _control([DATA], mode="reveal", reveal=DATA),
        _board([], DATA, DATA_TITLE, mode="reveal"),
    )
    assert offline.mode == "reveal"
    assert offline.title.text() == "Open Data"
    assert offline.subtitle.text() == (
        "Sponsored by Port Authority · The results, from last place to first"
    )
    assert offline.empty_title.text() == "Results coming up"
    _feed(offline, _board(reveal[:1], DATA, DATA_TITLE, mode="reveal", revision=2))
    assert [r.key for r in offline.view.rows() if not r.placeholder] == ["aurora"]
    assert offline.tag.text() == "1 REVEALED · 2 TO GO"
    _feed(offline, _board(reveal[:2], DATA, DATA_TITLE, mode="reveal", revision=3))
    assert offline.tag.text() == "2 REVEALED · 1 TO GO"
    # Next prize: the count goes to 0, then the stage moves; the next board starts hidden,
    # "coming up" (its title from the welcome once known) until its first board comes.
    _feed(
        offline,
        _board([], DATA, DATA_TITLE, mode="reveal", revision=4),
        _control([AI], mode="reveal", reveal=AI),
    )
    assert offline.current == board_key(AI)
    assert offline.board is None
    assert offline.empty_title.text() == "Results coming up"
    assert not offline.rotator.isActive()
    _feed(offline, _board([], AI, AI_TITLE, mode="reveal", revision=5))
    assert offline.title.text() == "Best use of AI"
    assert offline.view.rows() == []


def test_named_boards_and_control_held_by_the_controller_are_shown_at_start(
    peer: Callable[..., PeerController], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller = peer("restart-display")
    monkeypatch.setattr(controller, "named_boards", lambda: [_board(AI_ROWS, AI, AI_TITLE)])
    monkeypatch.setattr(controller, "display_control", lambda: _control([AI]))
    window = DisplayWindow(controller)
    qtbot.addWidget(window)
    assert window.current == board_key(AI)
    assert _shown(window) == ["cobalt", "aurora"]
    assert window.title.text() == "Best use of AI"


def test_a_new_list_of_boards_starts_from_its_first_and_the_same_list_keeps_its_place(
    offline: DisplayWindow,
) -> None:
    _feed(offline, _board(MAIN_ROWS), _board(AI_ROWS, AI, AI_TITLE), _board(DATA_ROWS, DATA))
    _feed(offline, _control([None, AI, DATA]))
    assert offline.current is None
    offline.rotate()
    # Same boards, another dwell or mode: the board on screen stays.
    _feed(offline, _control([None, AI, DATA], rotate=40))
    assert offline.current == board_key(AI)
    assert offline.rotator.interval() == 40_000
    # The organiser put the data prize first: it shows at once.
    _feed(offline, _control([DATA, None, AI], rotate=40))
    assert offline.current == board_key(DATA)
    assert _shown(offline) == ["delta"]


def test_a_board_withdrawn_leaves_the_screen_and_the_rotation(offline: DisplayWindow) -> None:
    """A prize hidden while shown (4e): the display drops it at once, whatever it shows."""
    _feed(offline, _board(MAIN_ROWS), _board(AI_ROWS, AI, AI_TITLE), _board(DATA_ROWS, DATA))
    _feed(offline, _control([AI, DATA]))
    assert offline.current == board_key(AI)
    assert offline.rotator.isActive()
    offline.controller.board_withdrawn.emit(AI)
    assert board_key(AI) not in offline.boards
    assert offline.current == board_key(DATA)
    assert _shown(offline) == ["delta"]
    assert not offline.rotator.isActive()  # one board left: no rotation
    offline.controller.board_withdrawn.emit(AI)  # again, or one never held: nothing changes
    assert _shown(offline) == ["delta"]
