"""Tests for desktop/qr.py: the QR codes of the pages' addresses, module for module and crisp."""

from __future__ import annotations

import segno
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from desktop.qr import QUIET_ZONE, QrCode, modules, qr_image

LINK = "http://192.168.1.20:8766/team#code=K7QF-M2XD"


def test_the_modules_are_segnos_with_the_quiet_zone() -> None:
    grid = modules(LINK)
    code = segno.make(LINK, error="m", micro=False)
    assert len(grid) == len(code.matrix) + 2 * QUIET_ZONE
    inner = [row[QUIET_ZONE:-QUIET_ZONE] for row in grid[QUIET_ZONE:-QUIET_ZONE]]
    assert inner == [[bool(cell) for cell in row] for row in code.matrix]
    assert not any(grid[0])
    assert not any(row[0] for row in grid)


def test_each_module_is_a_square_of_whole_pixels_in_two_colours_only() -> None:
    grid = modules(LINK)
    for most in (100, 168, 333):
        image = qr_image(LINK, most)
        scale = most // len(grid)
        assert image.width() == image.height() == scale * len(grid) <= most
        dark, light = QColor("#000000").rgb(), QColor("#ffffff").rgb()
        for y in range(image.height()):
            for x in range(image.width()):
                # No grey edge anywhere: every pixel is its module's colour.
                assert image.pixel(x, y) == (dark if grid[y // scale][x // scale] else light)


def test_the_widget_shows_the_text_it_is_given_and_nothing_for_none(qtbot: QtBot) -> None:
    widget = QrCode(168)
    qtbot.addWidget(widget)
    widget.show_text(LINK)
    assert widget.text_shown == LINK
    pixmap = widget.pixmap()
    assert pixmap.width() == qr_image(LINK, 168).width()
    assert pixmap.toImage().convertToFormat(qr_image(LINK, 168).format()) == qr_image(LINK, 168)
    widget.show_text("")
    assert widget.pixmap().isNull()
