"""The console's own style rules: those that point at icon files by path."""

from __future__ import annotations

import resources
from desktop import theme


def console_sheet() -> str:
    """Return the console's own style rules: those that point at icon files by path.

    A style sheet resolves `url()` against the working directory, so rules with images are
    made here with absolute paths, and the rest stay in resources/light.qss.
    """
    down = resources.path("icons/chevron-down.svg").as_posix()
    up = resources.path("icons/chevron-up.svg").as_posix()
    check = resources.path("icons/check.svg").as_posix()
    c = {name: theme.colour_hex(name) for name in theme.COLOURS[theme.LIGHT]}  # this appearance
    return f"""
{theme.combo_sheet()}
QAbstractSpinBox {{ padding: 5px 26px 5px 8px; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ subcontrol-origin: border;
    width: 22px; border: none; border-left: 1px solid {c["border"]}; background: transparent; }}
QAbstractSpinBox::up-button {{ subcontrol-position: top right; }}
QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; }}
QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{
    background: {c["hover"]}; }}
QAbstractSpinBox::up-arrow {{ image: url({up}); width: 10px; height: 10px; }}
QAbstractSpinBox::down-arrow {{ image: url({down}); width: 10px; height: 10px; }}
QCheckBox {{ spacing: 10px; }}
QCheckBox::indicator, QListWidget::indicator, QTableWidget[role="grid"]::indicator {{
    width: 18px; height: 18px; border: 1px solid {c["control"]}; border-radius: 4px;
    background: {c["surface"]}; }}
QCheckBox::indicator:checked, QListWidget::indicator:checked,
QTableWidget[role="grid"]::indicator:checked {{ background: {c["accent"]};
    border-color: {c["accent"]}; image: url({check}); }}
QCheckBox::indicator:focus {{ border: 2px solid {c["focus"]}; }}
QDialog QListWidget::item, QListWidget[role="checks"]::item {{ padding: 5px 6px; }}
QTableWidget[console="yes"] {{ outline: 0; }}
QScrollBar:vertical {{ background: transparent; width: 12px; margin: 2px; }}
QScrollBar:horizontal {{ background: transparent; height: 12px; margin: 2px; }}
QScrollBar::handle {{ background: {c["handle"]}; border-radius: 4px; min-height: 32px;
    min-width: 32px; }}
QScrollBar::handle:hover {{ background: {c["handle-hover"]}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
"""
