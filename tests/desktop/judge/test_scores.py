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
