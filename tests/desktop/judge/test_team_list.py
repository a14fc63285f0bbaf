"""Tests for the judge's team list: conflicts greyed, assignments honoured."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

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
