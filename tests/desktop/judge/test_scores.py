"""Tests for the sheet's score boxes: typed values are clamped onto the scale."""

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


def test_a_value_off_the_scale_is_told_beside_its_box_and_the_live_score_uses_what_counts(
    demo_host: DemoHost, peer: Any, window: MakeWindow, qtbot: QtBot
) -> None:
    win = window(joined(demo_host, peer))
    ready(qtbot, win)
    pick(qtbot, win, "Aurora")
    innovation, design = win.editor.rows[0], win.editor.rows[1]
    assert innovation.warning.isHidden()
    type_scores(qtbot, win, ["40", "60", "80"])
    innovation.spin.setFocus()
    innovation.spin.selectAll()
    qtbot.keyClicks(innovation.spin, "150")  # still typing: no Tab yet
    assert not innovation.warning.isHidden()
    assert innovation.warning.text() == "150 is not on the scale 0–100, step 1: the score is 100."
    # The live sheet score counts 100 (what leaving the box keeps), never the 15 of "15…".
    assert win.editor.preview.text() == "Sheet score 80.00 / 100"
    assert innovation.slider.value() == 100  # the slider shows it too
    qtbot.keyClick(innovation.spin, Qt.Key.Key_Tab)
    assert innovation.spin.text() == "100"
    assert not innovation.warning.isHidden()  # still said after the box corrected it
    assert design.warning.isHidden()
    design.spin.selectAll()
    qtbot.keyClicks(design.spin, "7.5")
    assert design.warning.text() == "7.5 is not on the scale 0–100, step 1: the score is 8."
    qtbot.keyClick(design.spin, Qt.Key.Key_Tab)
    assert win.editor.scores() == {"innovation": 100, "design": 8, "execution": 80}
    innovation.spin.setFocus()
    innovation.spin.selectAll()
    qtbot.keyClicks(innovation.spin, "90")  # back on the scale: the message goes
    assert innovation.warning.isHidden()
    assert not design.warning.isHidden()  # each box says only its own
