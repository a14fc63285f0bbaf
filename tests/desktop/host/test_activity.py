"""Tests for the Activity page: live as a judge's ops are accepted or refused, filters, the count.

Against a real demo host and a real judge's laptop linked to it over loopback.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop import desk_model as desk
from desktop import theme
from desktop.host.activity import ActivityPage
from desktop.host.window import HostWindow
from storage.history import Filter
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import MakePeer, Run, column, joined_judge
from tests.desktop.host.test_desk import SCORES, press_enter
from tests.kit import until


def nav_text(window: HostWindow) -> str:
    return window.nav.item(window.pages.index(window.activity)).text()


def test_the_page_updates_live_as_a_judge_s_ops_are_accepted_and_refused(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run, qtbot: QtBot
) -> None:
    judge = joined_judge(demo_host, peer, run)
    window.show_page("Activity")
    page = window.activity
    judge.save_sheet("judge-ada", "team-aurora", SCORES, "", final=True)
    run(until(lambda: page.table.item(0, 2).text() == "Sheet"))
    assert page.table.item(0, 1).text() == "Accepted"
    assert page.table.item(0, 3).text().startswith("Ada Brennan (")
    assert page.table.item(0, 4).text() == "Aurora"
    assert page.table.item(0, 5).text() == "Final: Design 90, Execution 88, Innovation 85"
    demo_host.controller.set_event("phase", "locked")
    judge.save_sheet("judge-ada", "team-basalt", SCORES, "", final=True)
    run(until(lambda: page.table.item(0, 1).text() == "Refused · scoring_closed"))
    assert page.table.item(0, 4).text() == "Basalt Robotics"
    assert (
        page.table.item(0, 5).text() == "scoring is not open: the organiser has locked the results"
    )
    assert page.table.item(0, 0).foreground().color() == theme.colour("bad")
    assert page.table.item(1, 2).text() == "Event setting"  # the lock, between them
    assert nav_text(window) == "Activity"  # looked at as it arrived
    # A refused sheet opens its history, the refusal first.
    press_enter(qtbot, page.table, 0)
    assert window.desk.currentWidget() is window.desk.sheet
    assert column(window.desk.sheet.table, 2) == ["Refused (scoring_closed)"]


def test_filters_narrow_the_feed_by_team_judge_kind_and_outcome(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run
) -> None:
    judge = joined_judge(demo_host, peer, run)
    judge.save_sheet("judge-ada", "team-aurora", SCORES, "", final=True)
    judge.save_sheet("judge-ada", "team-basalt", {**SCORES, "design": 900}, "", final=True)
    run(until(lambda: judge.replica.pending_count() == 0))
    window.show_page("Activity")
    page = window.activity

    def choose(combo_name: str, value: str | None) -> list[str]:
        combo = getattr(page, combo_name)
        combo.setCurrentIndex(combo.findData(value))
        return column(page.table, 1)

    assert choose("outcome", "rejected") == ["Refused · out_of_range"]
    assert choose("outcome", None)[:2] == ["Refused · out_of_range", "Accepted"]
    assert choose("kind", "sheet.save") == ["Refused · out_of_range", "Accepted"]
    assert choose("team", "team-aurora") == ["Accepted"]
    assert page.chosen() == Filter("team-aurora", None, "sheet.save", None)
    choose("team", None)
    assert choose("judge", "judge-bao") == []
    assert page.summary.text() == "0 ops."
    assert choose("judge", "judge-ada") == ["Refused · out_of_range", "Accepted"]
    assert page.summary.text() == "2 ops. 1 refused."


def test_the_nav_counts_refusals_not_yet_looked_at(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run
) -> None:
    judge = joined_judge(demo_host, peer, run)
    window.show_page("Activity")  # everything so far is looked at
    window.show_page("Overview")
    for team in ("team-aurora", "team-basalt"):
        judge.save_sheet("judge-ada", team, {**SCORES, "design": 900}, "", final=True)
    run(until(lambda: nav_text(window) == "Activity (2)"))
    item = window.nav.item(window.pages.index(window.activity))
    assert item.font().bold()
    assert item.toolTip() == "2 refused ops not yet looked at"
    window.show_page("Activity")
    assert nav_text(window) == "Activity"
    assert not item.font().bold()


def test_the_page_keeps_its_filters_when_redrawn_and_asks_for_each_change(qtbot: QtBot) -> None:
    page = ActivityPage()
    qtbot.addWidget(page)
    asked: list[Filter] = []
    page.filter_changed.connect(asked.append)
    view = desk.ActivityView([], [("t1", "Aurora"), ("t2", "Basalt")], [("j1", "Ada")], "", 0)
    page.show_activity(view)
    page.team.setCurrentIndex(page.team.findData("t2"))
    page.show_activity(view)  # a live redraw
    assert page.team.currentData() == "t2"
    assert asked == [Filter(team="t2")]
    assert [page.kind.itemText(i) for i in range(3)] == ["All kinds", "Sheet", "Event setting"]
