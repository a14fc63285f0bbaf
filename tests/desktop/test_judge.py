"""Tests for the judge window against a real demo host on loopback: what the judge sees and does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop import judge_model as jm
from desktop.controllers import PeerController
from desktop.judge import JudgeWindow
from sync.server import HostConfig, HostServer
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


# --- joining --------------------------------------------------------------------------------------


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


# --- scoring --------------------------------------------------------------------------------------


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


def test_tab_order_goes_criterion_by_criterion_then_comment_then_buttons(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Aurora")
    qtbot.keyClick(win.team_view, Qt.Key.Key_Tab)
    order = [focused()]
    for _ in range(5):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        order.append(focused())
    editor = win.editor
    assert order == [
        *(row.spin for row in editor.rows),
        editor.comment,
        editor.save_button,
        editor.submit_button,
    ]
    names = [widget.accessibleName() for widget in order]
    assert names == [
        "Innovation score",
        "Design score",
        "Execution score",
        "Comment",
        "Save draft",
        "Submit final",
    ]


def test_typed_scores_are_clamped_to_the_scale(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Aurora")
    type_scores(qtbot, win, ["150", "-7"])
    assert win.editor.scores() == {"innovation": 100, "design": 0}
    assert win.editor.rows[0].spin.text() == "100"
    assert win.editor.rows[2].spin.text() == "–"  # not scored yet
    assert win.editor.rows[0].meta.text().startswith("0–100, step 1")
    qtbot.keyClicks(focused(), "250")  # into Execution, then straight to Ctrl+S
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    sheet = win.controller.replica.state.sheet(ADA, "team-aurora")
    assert sheet is not None
    assert sheet["scores"] == {"innovation": 100, "design": 0, "execution": 100}


def test_a_final_sheet_needs_every_criterion(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Aurora")
    type_scores(qtbot, win, ["70"])
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert win.editor.problem.text() == (
        "Score every criterion before submitting: Design, Execution."
    )
    assert focused() is win.editor.rows[1].spin
    assert win.controller.replica.pending_count() == 0
    assert win.save_draft()  # a draft may be partial
    assert win.editor.chip.text() == "Draft"


def test_a_final_sheet_can_be_revised_while_scoring_is_open(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Aurora")
    type_scores(qtbot, win, ["70", "70", "70"])
    assert win.submit_final()
    qtbot.waitUntil(lambda: demo_host.replica.state.sheet(ADA, "team-aurora") is not None)
    win.team_view.setFocus()
    type_scores(qtbot, win, ["95"])
    assert win.editor.unsaved.isVisible()
    assert win.submit_final()

    def innovation() -> object:
        sheet = demo_host.replica.state.sheet(ADA, "team-aurora") or {}
        return sheet.get("scores", {}).get("innovation")

    qtbot.waitUntil(lambda: innovation() == 95)


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


def test_conflicts_are_listed_greyed_and_cannot_be_scored(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer, "judge-bao"))
    qtbot.waitUntil(lambda: len(win.team_model.rows) == 8)
    last = win.team_model.rows[-1]
    assert (last.name, last.label) == ("Fjord", "Conflict of interest")
    assert not win.team_model.flags(win.team_model.index(7)) & Qt.ItemFlag.ItemIsEnabled
    assert win.count_label.text() == "0 of 7 final"


def test_an_assigned_judge_sees_only_its_teams(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    for team in ("team-gale", "team-basalt"):
        demo_host.server.admin("assign.put", {"judge": ADA, "team": team, "assigned": True})
    win = window(joined(demo_host, peer))
    qtbot.waitUntil(lambda: win.pages.currentIndex() == 2 and len(win.team_model.rows) == 2)
    assert [row.name for row in win.team_model.rows] == ["Basalt Robotics", "Gale Force"]
    assert win.count_label.text() == "0 of 2 final"


# --- the link, rejections, results and messages ---------------------------------------------------


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
    reason = "scoring is not open (the event is in locked)"
    assert win.editor.delivery.text() == f"Rejected: {reason}"
    assert win.editor.banner.isVisible()
    assert win.editor.banner_text.text().startswith("Scoring is closed")
    assert "Scoring is not open (the event is in locked)." in win.editor.banner_text.text()
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
