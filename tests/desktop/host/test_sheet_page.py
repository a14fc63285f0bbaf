"""Tests for a sheet's history page: newest first, refusals in red, the way to team and judge."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop import desk_model as desk
from desktop import theme
from desktop.host.sheet_page import SheetPage
from storage.history import Change, Refusal, SheetHistory
from tests.desktop.host.conftest import column
from tests.desktop.test_desk_model import CRITERIA, STAMP, version


def test_the_page_lists_versions_and_refusals_and_opens_the_team_and_judge(
    qtbot: QtBot,
) -> None:
    page = SheetPage()
    qtbot.addWidget(page)
    found = SheetHistory(
        "j1",
        "t1",
        (version("d/1", True, None, Change("a", None, 9)),),
        (Refusal("d/2", "dev", "Ada's laptop", STAMP, "scoring_closed", "closed", {}),),
    )
    page.show_history(desk.history_view(found, "Ada", "Aurora", CRITERIA))
    assert page.heading.text() == "Ada's sheet for Aurora"
    assert column(page.table, 2) == ["Refused (scoring_closed)", "First saved as final"]
    assert page.table.item(0, 3).background().color() == theme.colour("bad-row")
    assert page.table.item(1, 3).text() == "Innovation — → 9"
    teams: list[str] = []
    judges: list[str] = []
    page.team_requested.connect(teams.append)
    page.judge_requested.connect(judges.append)
    page.open_team.click()
    page.open_judge.click()
    assert (teams, judges) == (["t1"], ["j1"])
