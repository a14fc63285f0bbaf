"""Tests for the judge's team list: conflicts greyed, assignments honoured."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from desktop.judge.team_list import TeamDelegate, badges
from tests.desktop.conftest import DemoHost
from tests.desktop.judge.conftest import (
    ADA,
    MakeWindow,
    joined,
)


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


def test_each_team_shows_the_prizes_the_judge_scores_it_for(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer, "judge-carmen"))  # carries the sponsor's prize
    qtbot.waitUntil(lambda: len(win.team_model.rows) == 8)
    shown = {row.name: [b for _, b in badges(row)] for row in win.team_model.rows}
    assert shown["Ember Labs"] == ["Best use of AI", "Harbour Open Data Prize"]
    assert shown["Basalt Robotics"] == ["Harbour Open Data Prize"]
    assert shown["Fjord"] == []
    index = win.team_model.index_of("team-basalt")
    assert win.team_model.data(index, Qt.ItemDataRole.ToolTipRole) == (
        "Scored for: Harbour Open Data Prize (Port of Harbour Authority)"
    )
    # A row with badges is taller by their line; one without keeps its height.
    delegate = win.team_view.itemDelegate()
    option = QStyleOptionViewItem()
    option.font = win.team_view.font()
    fjord = win.team_model.index_of("team-fjord")
    assert delegate.sizeHint(option, fjord).height() == TeamDelegate.HEIGHT
    assert delegate.sizeHint(option, index).height() > TeamDelegate.HEIGHT
    # Filtering by a prize's name finds its teams.
    win.search.setText("open data")
    assert [r.name for r in win.team_model.rows] == [
        "Basalt Robotics",
        "Driftwood",
        "Ember Labs",
        "Harbour Lights",
    ]


def test_a_judge_not_listed_for_a_prize_sees_no_badge_of_it(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    qtbot.waitUntil(lambda: len(win.team_model.rows) == 8)
    shown = {row.name: [b for _, b in badges(row)] for row in win.team_model.rows}
    assert shown["Ember Labs"] == ["Best use of AI"]
    assert shown["Basalt Robotics"] == []
