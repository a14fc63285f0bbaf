"""Tests for the Overview page, driven through its widgets against a real demo host."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
)
from pytestqt.qtbot import QtBot

from desktop import host_model as model
from desktop.host.overview import OverviewPage
from desktop.host.window import HostWindow
from storage.admin import JudgeProgress
from storage.scoring import Row
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import MakePeer, Run, column, joined_judge, settle
from tests.kit import until


def test_a_notification_reaches_its_team(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run
) -> None:
    team = peer("team", start=(demo_host, demo_host.code("team", "team-fjord")))
    run(until(lambda: team.status.state == "online"))
    overview = window.overview
    overview.audience.setCurrentIndex(overview.audience.findData("team"))
    overview.target.setCurrentIndex(overview.target.findData("team-fjord"))
    overview.message.setText("Your table has moved to the atrium")
    overview.send.click()
    assert overview.message.text() == ""
    assert window.message.text() == "Notification sent to Fjord."
    run(
        until(
            lambda: any(
                n.get("message") == "Your table has moved to the atrium"
                for n in team.notifications()
            )
        )
    )
    settle(run, window)
    assert "Fjord: Your table has moved to the atrium" in overview.recent.text()


def test_the_overview_shows_the_leaderboard_and_progress(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run
) -> None:
    judge = joined_judge(demo_host, peer, run)
    scores = {"innovation": 85, "design": 90, "execution": 88}
    judge.save_sheet("judge-ada", "team-aurora", scores, "", final=True)
    judge.save_sheet("judge-ada", "team-basalt", {"innovation": 50}, "", final=False)
    run(until(lambda: judge.replica.pending_count() == 0))
    settle(run, window)
    board = window.overview.board
    assert [board.item(0, c).text() for c in range(4)] == ["1", "Aurora", "87.67", "1 of 4"]
    progress = window.overview.progress
    row = column(progress, 0).index("Ada Brennan")
    bar = progress.cellWidget(row, 1).findChild(QProgressBar)
    assert bar.format() == "1 of 8"
    assert progress.item(row, 2).text() == "1"  # one draft
    assert window.overview.tiles["sheets"][0].text() == "1"


def test_the_page_asks_to_send_and_says_when_there_is_nothing_to_send(
    window: HostWindow, qtbot: QtBot
) -> None:
    overview = window.overview
    with (
        qtbot.assertNotEmitted(overview.notify_requested, wait=50),
        qtbot.waitSignal(overview.says) as said,
    ):
        overview.send.click()
    assert said.args == ["Type a message first."]
    assert window.message.text() == "Type a message first."
    overview.audience.setCurrentIndex(overview.audience.findData("judge"))
    overview.target.setCurrentIndex(overview.target.findData("judge-ada"))
    overview.message.setText("  Coffee in the atrium  ")
    with qtbot.waitSignal(overview.notify_requested) as signal:
        overview.send.click()
    assert signal.args == ["judge", "judge-ada", "Coffee in the atrium", "Ada Brennan"]


def test_the_page_draws_the_view_it_is_given(qtbot: QtBot) -> None:
    page = OverviewPage()
    qtbot.addWidget(page)
    teams = {"team-b": {"name": "basalt"}, "team-a": {"name": "Aurora"}}
    view = model.overview_view(
        teams=teams,
        judges={"judge-ada": {"name": "Ada"}},
        team_progress={"team-a": (1, 2), "team-b": (0, 2)},
        judge_progress=[JudgeProgress("judge-ada", "Ada", 1, 1, 4)],
        board=[Row(1, "team-a", "Aurora", 87.666, 1), Row(None, "team-b", "basalt", None, 0)],
        recent=[("09:30", "Fjord", "Lunch is served")],
        online=1,
        paired=3,
    )
    page.show_overview(view)
    assert page.tiles["teams"][0].text() == "2"
    assert page.tiles["online"][1].text() == "of 3 paired"
    assert column(page.board, 2) == ["87.67", "—"]
    assert column(page.board, 3) == ["1 of 2", "0 of 2"]
    assert page.progress.cellWidget(0, 1).findChild(QProgressBar).format() == "1 of 4"
    assert page.recent.text() == "09:30  Fjord: Lunch is served"
    page.audience.setCurrentIndex(page.audience.findData("team"))
    names = [page.target.itemText(i) for i in range(page.target.count())]
    assert names == ["Aurora", "basalt"]
    page.audience.setCurrentIndex(page.audience.findData("all"))
    assert not page.target.isEnabled()
    page.message.setText("Sent already")
    page.show_sent()
    assert page.message.text() == ""


def test_a_judge_s_count_is_beside_its_bar_not_over_the_fill(qtbot: QtBot) -> None:
    """Issue 10: "3 of 8" was drawn over the bar's fill, dark on blue."""
    page = OverviewPage()
    qtbot.addWidget(page)
    view = model.overview_view(
        teams={"team-a": {"name": "Aurora"}},
        judges={"judge-ada": {"name": "Ada"}},
        team_progress={"team-a": (1, 2)},
        judge_progress=[JudgeProgress("judge-ada", "Ada", 3, 0, 8)],
        board=[],
        recent=[],
        online=0,
        paired=1,
    )
    page.show_overview(view)
    cell = page.progress.cellWidget(0, 1)
    assert not cell.findChild(QProgressBar).isTextVisible()
    assert [label.text() for label in cell.findChildren(QLabel)] == ["3 of 8"]
