"""Tests for the judge's sheet editor: tab order, final sheets, revising."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
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


def test_a_sponsor_prizes_criterion_is_scored_under_its_name_and_sent(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer, "judge-carmen"))
    ready(qtbot, win)
    pick(qtbot, win, "Ember Labs")
    editor = win.editor
    heads = [h.findChildren(QLabel) for h in editor.group_heads]
    assert [[label.text() for label in labels] for labels in heads] == [
        ["Round 1 criteria", "Also count for Best use of AI"],
        [
            "Harbour Open Data Prize",
            "Sponsored by Port of Harbour Authority · scored for this prize only",
        ],
    ]
    assert [row.criterion["id"] for row in editor.rows] == [
        "innovation",
        "design",
        "execution",
        "open-data",
    ]
    # The same off-scale words as any criterion's, on the prize's own scale.
    type_scores(qtbot, win, ["80", "70", "60"])
    qtbot.keyClicks(focused(), "15")
    assert editor.rows[3].warning.text() == "15 is not on the scale 0–10, step 1: the score is 10."
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert editor.scores()["open-data"] == 10
    assert win.submit_final()

    def sent() -> dict[str, Any]:
        return (demo_host.replica.state.sheet("judge-carmen", "team-ember") or {}).get("scores", {})

    qtbot.waitUntil(
        lambda: sent() == {"innovation": 80, "design": 70, "execution": 60, "open-data": 10}
    )


def test_a_final_needs_the_rounds_criteria_but_not_the_prizes_own(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer, "judge-carmen"))
    ready(qtbot, win)
    pick(qtbot, win, "Basalt Robotics")
    type_scores(qtbot, win, ["", "", "", "7"])
    assert not win.submit_final()
    assert win.editor.problem.text() == (
        "Score every criterion before submitting: Innovation, Design, Execution."
    )
    assert focused() is win.editor.rows[0].spin
    win.editor.rows[3].set_value(None)
    for row, value in zip(win.editor.rows, (50, 60, 70), strict=False):
        row.set_value(value)
    assert win.submit_final()
    qtbot.waitUntil(
        lambda: demo_host.replica.state.sheet("judge-carmen", "team-basalt") is not None
    )
    assert win.editor.chip.text() == "Final"


def test_a_sheet_of_one_board_has_no_group_headings(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Basalt Robotics")  # Ada scores it for the main board only
    assert win.editor.group_heads == []
    pick(qtbot, win, "Aurora")  # and Aurora for Best use of AI too, on the same criteria
    assert len(win.editor.group_heads) == 1
    assert len(win.editor.rows) == 3
