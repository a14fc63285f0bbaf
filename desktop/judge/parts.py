"""The judge window's small builders: a label, a status chip, a card, a heading row."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

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


def card(
    margins: tuple[int, int, int, int] | None = None, spacing: int | None = None
) -> tuple[QFrame, QVBoxLayout]:
    """Return a card and its column layout (the style sheet draws the card)."""
    frame = QFrame()
    set_role(frame, "card")
    layout = QVBoxLayout(frame)
    if margins is not None:
        layout.setContentsMargins(*margins)
    if spacing is not None:
        layout.setSpacing(spacing)
    return frame, layout


def heading_row(title: QWidget, aside: QWidget, spacing: int | None = None) -> QHBoxLayout:
    """Return a row of a title at the left and `aside` at the right."""
    row = QHBoxLayout()
    if spacing is not None:
        row.setSpacing(spacing)
    row.addWidget(title)
    row.addStretch(1)
    row.addWidget(aside)
    return row


def centred_label(text: str, role: str | None = None, *, wrap: bool = False) -> QLabel:
    """Return a label whose text is centred."""
    made = label(text, role, wrap=wrap)
    made.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return made
