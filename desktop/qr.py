"""QR codes of the pages' addresses (segno), drawn crisp: every module a whole number of pixels."""

from __future__ import annotations

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

QUIET_ZONE = 4  # modules of light margin a reader needs around the code (ISO/IEC 18004)


def modules(text: str) -> list[list[bool]]:
    """Return the dark modules of `text`'s QR code, row by row, quiet zone included."""
    code = segno.make(text, error="m", micro=False)
    return [
        [bool(cell) for cell in row]
        for row in code.matrix_iter(scale=1, border=QUIET_ZONE, verbose=False)
    ]


def qr_image(
    text: str, most: int, dark: QColor | None = None, light: QColor | None = None
) -> QImage:
    """Return `text` as a QR code at most `most` pixels a side, each module a square of whole
    pixels (scaled without smoothing: a blurred edge between modules is what readers miss)."""
    grid = modules(text)
    size = len(grid)
    dark = dark or QColor("#000000")
    light = light or QColor("#ffffff")
    image = QImage(size, size, QImage.Format.Format_RGB32)
    ink, paper = dark.rgb(), light.rgb()
    for y, row in enumerate(grid):
        for x, cell in enumerate(row):
            image.setPixel(x, y, ink if cell else paper)
    scale = max(1, most // size)
    return image.scaled(
        size * scale,
        size * scale,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )


class QrCode(QLabel):
    """A QR code of a text, at most `most` logical pixels a side, sharp on any screen."""

    def __init__(self, most: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.most = most
        self.text_shown = ""
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def show_text(self, text: str) -> None:
        """Show `text` as a QR code (nothing for no text)."""
        self.text_shown = text
        if not text:
            self.clear()
            return
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap.fromImage(qr_image(text, int(self.most * ratio)))
        pixmap.setDevicePixelRatio(ratio)  # whole device pixels a module, never resampled
        self.setPixmap(pixmap)
