"""The judge window's small builders: a label, a status chip."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
)

from desktop.theme import set_role


def label(text: str = "", role: str | None = None, *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if role is not None:
        set_role(label, role)
    label.setWordWrap(wrap)
    return label


def chip(label: QLabel, status: str, text: str) -> None:
    label.setText(text)
    if label.property("chip") != status:
        set_role(label, status, "chip")
        # A label polished before it had a chip keeps its old box (no padding) through a
        # re-polish; a StyleChange event makes it take the new padding.
        QApplication.sendEvent(label, QEvent(QEvent.Type.StyleChange))
