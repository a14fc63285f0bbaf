"""Tests for the judge's sheet editor: tab order, final sheets, revising."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.desktop.conftest import DemoHost
from tests.desktop.judge.conftest import (
    ADA,
    MakeWindow,
    focused,
    joined,
    pick,
    ready,
    type_scores,
)


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
