"""Tests for the judge window: joining, keyboard scoring, unsaved changes, the link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop import judge_model as jm
from desktop.controllers import PeerController
from desktop.judge.team_list import badges, name_font_of
from sync.server import HostConfig, HostServer
from tests.desktop.conftest import DemoHost
from tests.desktop.judge.conftest import (
    ADA,
    TEAMS,
    MakeWindow,
    focused,
    joined,
    pick,
    ready,
    type_scores,
)


def test_a_judge_joins_with_a_code_and_sees_its_teams(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(peer("judge"))
    assert win.pages.currentIndex() == 0
    assert win.connect_panel.isVisible()
    panel = win.connect_panel
    qtbot.keyClicks(panel.address, demo_host.target)
    panel.insecure.setChecked(True)
    qtbot.keyClicks(panel.code, demo_host.code("judge", ADA).lower())
    qtbot.keyClick(panel.code, Qt.Key.Key_Return)
    ready(qtbot, win)
    assert win.heading.text() == "Judging as Ada Brennan · Harbour Hack 2026"
    assert [row.name for row in win.team_model.rows] == TEAMS
    assert {row.label for row in win.team_model.rows} == {"Not started"}
    assert win.count_label.text() == "0 of 8 final"
    assert win.phase_chip.text() == "Scoring open"
    assert win.link_bar.link.text().startswith("● Online")


def test_a_wrong_code_is_refused_on_the_connect_screen(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(peer("judge"))
    win.connect_panel.address.setText(demo_host.target)
    win.connect_panel.insecure.setChecked(True)
    win.connect_panel.code.setText("AAAA-AAAA")
    win.connect_panel.connect_button.click()
    qtbot.waitUntil(lambda: win.connect_panel.problem.text().startswith("The host refused"))
    assert win.pages.currentIndex() == 0


def test_a_paired_judge_waits_for_the_event_before_showing_an_empty_list(
    peer: Any, window: MakeWindow
) -> None:
    controller = peer("judge")
    controller.replica.set_setting("token", "a token from an earlier welcome")
    win = window(controller)
    assert win.pages.currentIndex() == 1
    assert win.loading_title.text() == "Getting the event from the host…"


def test_the_judge_is_remembered_with_no_host_around(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot, run: Callable[..., Any]
) -> None:
    controller = joined(demo_host, peer)
    online = window(controller)
    ready(qtbot, online)
    online.close()
    run(controller.stop())
    run(demo_host.server.stop())
    offline = window(PeerController(controller.replica))
    assert offline.pages.currentIndex() == 2
    assert offline.heading.text() == "Judging as Ada Brennan · Harbour Hack 2026"
    assert len(offline.team_model.rows) == 8


def test_a_judge_scores_a_team_by_keyboard_alone(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Cobalt Cats")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is win.editor.rows[0].spin
    for value in ("85", "90", "88"):
        qtbot.keyClicks(focused(), value)
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is win.editor.comment
    qtbot.keyClicks(focused(), "Strong demo, clear pitch.")
    assert win.editor.unsaved.isVisible()
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    def held() -> dict[str, Any] | None:
        return demo_host.replica.state.sheet(ADA, "team-cobalt")

    qtbot.waitUntil(lambda: held() is not None)
    sheet = held()
    assert sheet is not None
    assert sheet["scores"] == {"innovation": 85, "design": 90, "execution": 88}
    assert sheet["final"] is True
    assert sheet["comment"] == "Strong demo, clear pitch."
    qtbot.waitUntil(lambda: win.editor.delivery.text() == jm.ACCEPTED)
    assert win.editor.chip.text() == "Final"
    assert not win.editor.unsaved.isVisible()
    assert win.count_label.text() == "1 of 8 final"
    assert win.link_bar.pending.text() == "All saved work sent"


def test_switching_teams_with_unsaved_changes_asks_first(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Aurora")
    type_scores(qtbot, win, ["42"])
    asked: list[str] = []

    def answer(choice: str) -> Callable[[jm.TeamRow | None], str]:
        def ask(row: jm.TeamRow | None) -> str:
            asked.append(row.name if row else "")
            return choice

        return ask

    win.ask_unsaved = answer("cancel")  # type: ignore[method-assign]
    win.team_view.setFocus()
    win.search.clear()
    qtbot.keyClick(win.team_view, Qt.Key.Key_Down)
    assert asked == ["Aurora"]
    assert win.editor.title.text() == "Aurora"
    assert win.editor.scores() == {"innovation": 42}

    win.ask_unsaved = answer("save")  # type: ignore[method-assign]
    qtbot.keyClick(win.team_view, Qt.Key.Key_Down)
    assert win.editor.title.text() == "Basalt Robotics"
    aurora = win.snap.row("team-aurora")
    assert aurora is not None
    assert aurora.status == jm.DRAFT
    assert aurora.sheet is not None
    assert aurora.sheet.scores == {"innovation": 42}


def test_saved_sheets_wait_while_the_host_is_down_and_go_when_it_is_back(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot, run: Callable[..., Any]
) -> None:
    controller = joined(demo_host, peer)
    win = window(controller)
    ready(qtbot, win)
    port = demo_host.server.port
    run(demo_host.server.stop())
    qtbot.waitUntil(lambda: win.link_bar.link.text().startswith("● Offline"))

    pick(qtbot, win, "Aurora")
    type_scores(qtbot, win, ["80", "81", "82"])
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    pick(qtbot, win, "Fjord")
    type_scores(qtbot, win, ["60"])
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert win.link_bar.pending.text() == "2 waiting to send"
    assert win.editor.delivery.text() == "Saved on this laptop · waiting to send"
    assert [row.name for row in win.team_model.rows if row.waiting] == ["Fjord"]  # filtered
    win.search.clear()
    assert [row.name for row in win.team_model.rows if row.waiting] == ["Aurora", "Fjord"]

    server = HostServer(
        demo_host.replica,
        HostConfig(bind="127.0.0.1", port=port, secure=False, advertise=False, board_interval=0),
    )
    run(server.start())
    try:
        qtbot.waitUntil(
            lambda: win.link_bar.pending.text() == "All saved work sent", timeout=30_000
        )
        qtbot.waitUntil(lambda: win.editor.delivery.text() == jm.ACCEPTED)
        assert not any(row.waiting for row in win.team_model.rows)
        assert demo_host.replica.state.sheet(ADA, "team-fjord") is not None
        assert win.link_bar.link.text().startswith("● Online")
    finally:
        run(server.stop())


def test_a_sheet_sent_as_the_host_locks_scoring_is_shown_rejected_with_its_reason(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Driftwood")
    type_scores(qtbot, win, ["61", "70", "66"])
    # The organiser locks scoring a moment before the judge submits: the laptop does not know.
    demo_host.server.admin("event.set", {"field": "phase", "value": "locked"})
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: win.editor.chip.text() == "Rejected")
    reason = "scoring is not open: the organiser has locked the results"
    assert win.editor.delivery.text() == f"Rejected: {reason}"
    assert win.editor.banner.isVisible()
    assert win.editor.banner_text.text().startswith("Scoring is closed")
    assert (
        "Scoring is not open: the organiser has locked the results."
        in win.editor.banner_text.text()
    )
    assert win.editor.scores() == {"innovation": 61, "design": 70, "execution": 66}
    row = win.snap.row("team-driftwood")
    assert row is not None
    assert (row.label, row.reason) == ("Rejected", reason)
    assert win.phase_chip.text() == "Scoring locked"
    # Locked: read-only until the organiser reopens scoring.
    assert win.editor.rows[0].spin.isReadOnly()
    assert not win.editor.submit_button.isEnabled()
    assert demo_host.replica.state.sheet(ADA, "team-driftwood") is None

    demo_host.server.admin("event.set", {"field": "phase", "value": "scoring"})
    qtbot.waitUntil(win.editor.submit_button.isEnabled)
    assert win.submit_final()  # the kept scores go again
    qtbot.waitUntil(lambda: demo_host.replica.state.sheet(ADA, "team-driftwood") is not None)
    assert win.editor.chip.text() == "Final"


def test_the_first_down_and_enter_open_the_first_team(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    """Issue 10: the list's focus made Aurora current, so Down+Enter opened Basalt Robotics."""
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    assert focused() is win.team_view
    assert win.editor.pages.currentIndex() == 0  # "Pick a team to score", and how
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert win.editor.title.text() == "Aurora"
    assert focused() is win.editor.rows[0].spin


def test_after_submit_final_the_next_unscored_team_is_one_key_away(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Basalt Robotics")
    type_scores(qtbot, win, ["70", "71", "72"])
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert win.editor.next_hint.isVisible()
    assert win.editor.next_hint.text() == (
        "Submitted. Press Enter to score Cobalt Cats next (Ctrl+N at any time)."
    )
    assert focused() is win.editor.next_button
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert win.editor.title.text() == "Cobalt Cats"
    assert focused() is win.editor.rows[0].spin
    assert not win.editor.next_hint.isVisible()
    # Ctrl+N from anywhere: the next team with no final sheet, past the ones already final.
    pick(qtbot, win, "Aurora")
    qtbot.keyClick(focused(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert win.editor.title.text() == "Cobalt Cats"  # Basalt Robotics is final


def test_a_sheet_reopened_after_lock_is_editable_with_a_banner_and_locks_again_when_final(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Driftwood")
    type_scores(qtbot, win, ["61", "70", "66"])
    assert win.submit_final()
    qtbot.waitUntil(lambda: demo_host.replica.state.sheet(ADA, "team-driftwood") is not None)
    demo_host.server.admin("event.set", {"field": "phase", "value": "locked"})
    qtbot.waitUntil(lambda: not win.editor.submit_button.isEnabled())
    reason = "Ada wrote 61 but meant 16"
    body = {"judge": ADA, "team": "team-driftwood", "reason": reason}
    demo_host.server.admin("sheet.reopen", body)
    qtbot.waitUntil(win.editor.submit_button.isEnabled)
    assert not win.editor.rows[0].spin.isReadOnly()
    assert win.editor.banner_text.text().startswith(
        f"The organiser reopened this sheet for you: {reason}."
    )
    win.editor.rows[0].spin.setValue(16)
    assert win.submit_final()
    qtbot.waitUntil(
        lambda: (
            (demo_host.replica.state.sheet(ADA, "team-driftwood") or {}).get("scores", {})
            == {"innovation": 16, "design": 70, "execution": 66}
        )
    )
    qtbot.waitUntil(lambda: not win.editor.submit_button.isEnabled())  # locked again
    assert win.editor.banner_text.text().startswith("Scoring is closed")
    # The organiser voids it: the status line says so, with the reason.
    demo_host.server.admin("sheet.void", {**body, "reason": "a conflict came to light"})
    qtbot.waitUntil(lambda: win.editor.delivery.text().startswith("Voided by the organiser"))
    assert "a conflict came to light" in win.editor.delivery.text()


def test_the_judge_scores_the_finals_once_open_and_only_its_finalists(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    box = win.round_box
    assert box.isVisible()
    # Its drop-down is styled as the console's (chevron), not left a half-native dark box.
    assert "chevron-down.svg" in box.styleSheet()
    assert [box.itemText(i) for i in range(box.count())] == [
        "Round 1 · Scoring open",
        "Finals · Scoring not open yet",
    ]
    assert box.currentData() == "main"
    assert not win.no_team.isVisible()
    box.setCurrentIndex(1)
    box.activated.emit(1)  # the finals, before any finalist is chosen: said, not a blank list
    assert win.team_model.rows == []
    assert win.no_team.text() == (
        "No team of yours in Finals yet: its teams appear once the organiser picks them."
    )
    assert win.phase_chip.text() == "Scoring not open yet"
    box.setCurrentIndex(0)
    box.activated.emit(0)  # the round open for scoring: the window follows it again
    for team in ("team-aurora", "team-ember"):
        demo_host.server.admin("finalist.put", {"round": "finals", "team": team, "finalist": True})
    demo_host.server.admin("round.phase", {"round": "finals", "phase": "scoring"})
    demo_host.server.admin("event.set", {"field": "phase", "value": "locked"})
    qtbot.waitUntil(lambda: win.snap.round_id == "finals")
    assert [row.name for row in win.team_model.rows] == ["Aurora", "Ember Labs"]
    assert box.currentText() == "Finals · Scoring open"
    assert win.phase_chip.text() == "Scoring open"
    pick(qtbot, win, "Ember Labs")
    type_scores(qtbot, win, ["90", "80", "70"])
    assert win.submit_final()
    qtbot.waitUntil(
        lambda: demo_host.replica.state.round_sheet("finals", ADA, "team-ember") is not None
    )
    assert demo_host.replica.state.sheet(ADA, "team-ember") is None  # not a first-round sheet
    # The first round can still be read, locked, with its own sheets.
    win.search.clear()
    box.setCurrentIndex(0)
    box.activated.emit(0)
    assert win.snap.round_id == "main"
    assert len(win.team_model.rows) == 8
    assert not win.snap.open
    assert win.team_model.rows[4].status == jm.NOT_STARTED  # Ember's finals sheet is not here
    # A criterion of the finals' own, added while they are scored: the notice, seen from the
    # first round, brings the judge to the finals sheet that needs it.
    qtbot.waitUntil(lambda: win.controller.replica.pending_count() == 0)
    demo = {"id": "demo", "name": "Live demo", "weight": 1, "min": 0, "max": 10, "step": 1}
    assert (
        demo_host.controller.admin("criterion.put", {**demo, "order": 5, "round": "finals"}) is None
    )
    qtbot.waitUntil(win.updates_banner.isVisible)
    assert win.updates_banner.text.text() == "1 sheet needs an update: Live demo was added"
    win.updates_banner.show_button.click()
    assert win.snap.round_id == "finals"
    assert win.editor.title.text() == "Ember Labs"
    assert win.snap.row("team-ember").missing == ("Live demo",)  # type: ignore[union-attr]


def test_sheets_that_need_an_update_are_announced_once_and_stay_final(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    for name in ("Aurora", "Gale Force"):
        pick(qtbot, win, name)
        type_scores(qtbot, win, ["70", "70", "70"])
        assert win.submit_final()
    qtbot.waitUntil(lambda: win.controller.replica.pending_count() == 0)
    assert not win.updates_banner.isVisible()
    pitch = {"id": "pitch", "name": "Pitch", "weight": 1, "min": 0, "max": 10, "step": 1}
    assert demo_host.controller.admin("criterion.put", {**pitch, "order": 9}) is None
    qtbot.waitUntil(win.updates_banner.isVisible)
    assert win.updates_banner.text.text() == "2 sheets need an update: Pitch was added"
    win.search.clear()
    rows = {row.name: row for row in win.team_model.rows}
    assert rows["Aurora"].status == jm.FINAL
    assert [b for _, b in badges(rows["Aurora"])] == ["Needs update", "Best use of AI"]
    # Still counted on the host as final, on the criteria it has.
    assert (demo_host.replica.state.sheet(ADA, "team-aurora") or {}).get("final") is True
    win.updates_banner.show_button.click()
    assert [row.name for row in win.team_model.rows][:2] == ["Aurora", "Gale Force"]
    assert win.editor.title.text() == "Aurora"
    assert win.editor.banner_text.text().startswith(
        "This final sheet has no score for Pitch, added since you saved it."
    )
    assert [row.note.isVisible() for row in win.editor.rows] == [False, False, False, True]
    win.updates_banner.dismiss.click()
    win.refresh()
    assert not win.updates_banner.isVisible()  # announced once
    win.editor.rows[3].set_value(8)
    assert win.submit_final()
    qtbot.waitUntil(lambda: len(win.snap.updates) == 1)
    assert not win.snap.row("team-aurora").needs_update  # type: ignore[union-attr]
    assert not win.updates_banner.isVisible()
    assert not win.editor.rows[3].note.isVisible()


def test_a_finals_sheet_s_corrections_show_as_the_first_round_s_do_and_void_is_struck(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    for team in ("team-aurora", "team-ember"):
        demo_host.server.admin("finalist.put", {"round": "finals", "team": team, "finalist": True})
    demo_host.server.admin("round.phase", {"round": "finals", "phase": "scoring"})
    demo_host.server.admin("event.set", {"field": "phase", "value": "locked"})
    qtbot.waitUntil(lambda: win.snap.round_id == "finals")
    pick(qtbot, win, "Ember Labs")
    type_scores(qtbot, win, ["90", "80", "70"])
    assert win.submit_final()
    state = demo_host.replica.state
    qtbot.waitUntil(lambda: state.round_sheet("finals", ADA, "team-ember") is not None)
    demo_host.server.admin("round.phase", {"round": "finals", "phase": "locked"})
    qtbot.waitUntil(lambda: not win.editor.submit_button.isEnabled())
    # Reopened for the judge: editable, the reason in the banner, in the finals' list.
    body = {"judge": ADA, "team": "team-ember", "round": "finals", "reason": "Ada meant 60"}
    demo_host.server.admin("sheet.reopen", body)
    qtbot.waitUntil(win.editor.submit_button.isEnabled)
    assert win.snap.round_id == "finals"
    assert not win.editor.rows[0].spin.isReadOnly()
    assert win.editor.banner_text.text().startswith(
        "The organiser reopened this sheet for you: Ada meant 60."
    )
    win.editor.rows[0].spin.setValue(60)
    assert win.submit_final()
    qtbot.waitUntil(
        lambda: (state.round_sheet("finals", ADA, "team-ember") or {})["scores"]["innovation"] == 60
    )
    qtbot.waitUntil(lambda: not win.editor.submit_button.isEnabled())  # locked again
    # Voided: the status line says so, and the team list strikes its name through.
    demo_host.server.admin("sheet.void", {**body, "reason": "a conflict came to light"})
    qtbot.waitUntil(lambda: win.editor.delivery.text().startswith("Voided by the organiser"))
    assert "a conflict came to light" in win.editor.delivery.text()
    ember, aurora = win.snap.row("team-ember"), win.snap.row("team-aurora")
    assert ember is not None
    assert aurora is not None
    assert [row.id for row in win.team_model.rows] == ["team-ember"]  # the list as searched
    base = win.team_view.font()
    assert name_font_of(base, win.team_model.rows[0]).strikeOut()
    assert not name_font_of(base, aurora).strikeOut()
    assert name_font_of(base, aurora).bold()
    # A paper sheet of the finals: marked as the organiser's in that round's list.
    paper = {
        "judge": ADA,
        "team": "team-aurora",
        "round": "finals",
        "scores": {"innovation": 50, "design": 60, "execution": 70},
        "comment": "",
        "final": True,
        "reason": "her signed paper sheet",
    }
    demo_host.server.admin("sheet.enter", paper)
    qtbot.waitUntil(
        lambda: (
            (row := win.snap.row("team-aurora")) is not None
            and row.sheet is not None
            and row.sheet.entered_by == "admin"
        )
    )
    pick(qtbot, win, "Aurora")
    assert win.editor.delivery.text() == (
        "Entered by the organiser from your paper sheet: her signed paper sheet"
    )
    # The first round's own sheet of Ember is none of this.
    assert state.sheet(ADA, "team-ember") is None
    assert not state.voided("main", ADA, "team-ember")
