"""The judge's window: the sheet editor, the team list, the panels; the window in window.py."""

from __future__ import annotations

from desktop.judge.window import JudgeWindow

__all__ = ["JudgeWindow"]
