"""Tests for a judge's page: progress, harshness, laptops, and the sheet it asks for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop import desk_model as desk
from desktop.host.judge_page import JudgePage
from storage.history import Harshness, JudgeView
from tests.desktop.host.conftest import column
from tests.desktop.test_desk_model import CRITERIA, line


def test_the_page_shows_progress_harshness_and_sheets_and_asks_for_a_history(
    qtbot: QtBot,
) -> None:
    page = JudgePage()
    qtbot.addWidget(page)
    view = JudgeView("j1", "Ada", 1, 0, 4, Harshness(1, 75.0, 0.0), (("d", "ThinkPad"),), (line(),))
    page.show_judge(desk.judge_page_view(view, CRITERIA))
    assert page.heading.text() == "Ada"
    assert [f.text() for f in page.facts] == [
        "1 of 4 final · 0 drafts",
        "Marks: mean 75.00, spread 0.00 over 1 final sheets (0–100)",
        "Laptops: ThinkPad",
    ]
    assert column(page.table, 0) == ["Aurora"]
    asked: list[tuple[str, str]] = []
    page.sheet_requested.connect(lambda judge, team: asked.append((judge, team)))
    page.table.setCurrentCell(0, 0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert asked == [("j1", "t1")]
    back: list[bool] = []
    page.back_requested.connect(lambda: back.append(True))
    page.back.click()
    assert back == [True]
