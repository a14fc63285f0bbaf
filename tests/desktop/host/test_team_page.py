"""Tests for a team's page: what it shows, and the sheet it asks for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop import desk_model as desk
from desktop import theme
from desktop.host.team_page import TeamPage
from storage.history import TeamView
from tests.desktop.host.conftest import column
from tests.desktop.test_desk_model import CRITERIA, line


def test_the_page_shows_each_sheet_greys_drafts_and_asks_for_a_sheet_s_history(
    qtbot: QtBot,
) -> None:
    page = TeamPage()
    qtbot.addWidget(page)
    sheets = (line("j1"), line("j2", final=False, counts=False))
    view = TeamView("t1", "Aurora", "T3", (), 1, 75.0, 1, 2, 2, sheets)
    page.show_team(desk.team_page_view(view, CRITERIA))
    assert page.heading.text() == "Aurora"
    assert page.facts[0].text() == "Rank 1 of 2 · total 75.00 · 1 of 2 final"
    assert page.facts[1].text() == "T3"
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    assert headers[:3] == ["Judge", "Innovation", "Design"]
    assert column(page.table, 3) == ["75.00", "75.00"]
    assert column(page.table, 4) == ["Final", "Draft"]
    assert page.table.item(1, 0).foreground().color() == theme.colour("muted")
    asked: list[tuple[str, str]] = []
    page.sheet_requested.connect(lambda judge, team: asked.append((judge, team)))
    page.table.setCurrentCell(1, 2)
    qtbot.keyClick(page.table, Qt.Key.Key_Enter)
    assert asked == [("j2", "t1")]
