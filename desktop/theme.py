"""Apply Tallyboard's look: the light or dark style sheet from resources/, and its font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QWidget

import resources


def style_sheet(dark: bool) -> str:
    """Return the light (console, judge, team) or dark (display) style sheet."""
    return resources.path("dark.qss" if dark else "light.qss").read_text(encoding="utf-8")


def apply(app: QApplication, *, dark: bool = False) -> None:
    """Give the whole application its style sheet, font and icon."""
    app.setStyle("Fusion")
    font = QFont("DejaVu Sans")
    font.setPointSize(11)
    app.setFont(font)
    app.setStyleSheet(style_sheet(dark))
    app.setWindowIcon(icon("tallyboard"))


def icon(name: str) -> QIcon:
    """Return an SVG icon from resources/icons."""
    return QIcon(str(resources.path(f"icons/{name}.svg")))


def set_role(widget: QWidget, role: str, name: str = "role") -> None:
    """Set a style property (`role`, `link`, `pending`) and re-polish so the sheet applies."""
    widget.setProperty(name, role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
