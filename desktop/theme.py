"""Apply Tallyboard's look: the style sheets from resources/, the font, and the appearance.

The console, judge and team windows are light (resources/light.qss) or dark
(resources/dark-ui.qss), as the user chose in View ▸ Dark theme; the choice is kept in the
window's QSettings under `appearance/theme`. The projector display is always dark
(resources/dark.qss) and ignores the choice.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QWidget

import resources

SETTING = "appearance/theme"
ZOOM_SETTING = "appearance/zoom"
ZOOMS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)  # View ▸ Zoom in / out step along these
BASE_POINTS = 11  # the app's font size at zoom 1
_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")
LIGHT = "light"
DARK = "dark"

# Colours that code paints or sets on items, per appearance; the same as the style sheets'.
COLOURS: dict[str, dict[str, str]] = {
    LIGHT: {
        "text": "#1d2330",
        "strong": "#111827",
        "muted": "#667085",
        "faint": "#98a2b3",
        "good": "#067647",
        "warn": "#b54708",
        "bad": "#b42318",
        "bad-row": "#fef3f2",
        "conflict": "#f2f4f7",
        "assigned": "#eef4ff",
        "accent": "#2e6be6",
        "focus": "#2e6be6",
        "selected": "#e8effd",
        "hover": "#f2f4f7",
        "surface": "#ffffff",
        "border": "#e4e7ec",
        "control": "#98a2b3",
        "handle": "#d0d5dd",
        "handle-hover": "#98a2b3",
    },
    DARK: {
        "text": "#e6e9ef",
        "strong": "#f5f7fa",
        "muted": "#9aa5b6",
        "faint": "#6b7689",
        "good": "#4ade80",
        "warn": "#fbbf24",
        "bad": "#f97066",
        "bad-row": "#3a1a1a",
        "conflict": "#232c3a",
        "assigned": "#1b2d4d",
        "accent": "#4f86f0",
        "focus": "#7aa7ff",
        "selected": "#1e3358",
        "hover": "#232c3a",
        "surface": "#181f2a",
        "border": "#2c3646",
        "control": "#7b879a",
        "handle": "#3b4759",
        "handle-hover": "#56647a",
    },
}


class _Notifier(QObject):
    """Tells the windows that the appearance changed (True: dark)."""

    changed = Signal(bool)
    zoomed = Signal(float)  # the zoom of the console, judge and team windows changed


class _State:
    """The current appearance of the console, judge and team windows, and its notifier."""

    dark = False
    zoom = 1.0
    notifier: _Notifier | None = None


def notifier() -> _Notifier:
    """Return the object whose `changed(dark)` signal follows the appearance."""
    if _State.notifier is None:
        _State.notifier = _Notifier()
    return _State.notifier


def combo_sheet() -> str:
    """Return the combo box's drop-down rules (the chevron icon, by absolute path).

    A style sheet that gives QComboBox a border leaves its drop-down drawn half native, a dark
    box at the right edge, unless the drop-down is styled too; url() needs an absolute path.
    """
    down = resources.path("icons/chevron-down.svg").as_posix()
    return (
        "QComboBox::drop-down { border: none; width: 26px; subcontrol-origin: padding;"
        " subcontrol-position: center right; }\n"
        f"QComboBox::down-arrow {{ image: url({down}); width: 12px; height: 12px; }}"
    )


def style_sheet(dark: bool, *, ui_dark: bool = False) -> str:
    """Return the display's dark sheet (`dark`), else the console/judge/team sheet.

    That sheet is resources/light.qss, or resources/dark-ui.qss when `ui_dark`.
    """
    name = "dark.qss" if dark else "dark-ui.qss" if ui_dark else "light.qss"
    sheet = resources.path(name).read_text(encoding="utf-8")
    # The display sizes its type to its screen itself; the other windows follow the zoom.
    return sheet if dark else zoomed(sheet, _State.zoom)


def zoomed(sheet: str, zoom: float) -> str:
    """Return `sheet` with every `font-size: Npt` scaled by `zoom` (whole points, at least 6)."""
    return _FONT_SIZE.sub(lambda m: f"font-size: {max(6, round(float(m[1]) * zoom))}pt", sheet)


def apply(app: QApplication, *, dark: bool = False, ui_dark: bool = False) -> None:
    """Give the whole application its style sheet, font and icon.

    `dark` is the projector display's sheet; otherwise `ui_dark` picks the dark appearance of
    the console, judge and team windows.
    """
    app.setStyle("Fusion")
    font = QFont("DejaVu Sans")
    font.setPointSize(round(BASE_POINTS * _State.zoom))
    app.setFont(font)
    if dark:
        app.setStyleSheet(style_sheet(True))
    else:
        set_ui_dark(ui_dark, app)
    app.setWindowIcon(icon("tallyboard"))


def is_dark() -> bool:
    """True when the console, judge and team windows are dark."""
    return _State.dark


def set_ui_dark(dark: bool, app: QApplication | None = None) -> None:
    """Switch the console, judge and team windows to dark or light, live."""
    app = app or _app()
    changed = dark != _State.dark
    _State.dark = dark
    if app is not None:
        app.setPalette(_dark_palette() if dark else app.style().standardPalette())
        app.setStyleSheet(style_sheet(False, ui_dark=dark))
    if changed:
        notifier().changed.emit(dark)


def zoom() -> float:
    """Return the zoom of the console, judge and team windows (1.0: actual size)."""
    return _State.zoom


def set_zoom(value: float, app: QApplication | None = None) -> None:
    """Zoom the console, judge and team windows' text to `value` (one of ZOOMS), live."""
    app = app or _app()
    changed = value != _State.zoom
    _State.zoom = value
    if app is not None and changed:
        font = app.font()
        font.setPointSize(round(BASE_POINTS * value))
        app.setFont(font)
        app.setStyleSheet(style_sheet(False, ui_dark=_State.dark))
    if changed:
        notifier().zoomed.emit(value)


def saved_zoom(settings: QSettings | None) -> float | None:
    """Return the zoom kept in `settings`, None when never chosen (or not one of ZOOMS)."""
    if settings is None:
        return None
    try:
        value = float(str(settings.value(ZOOM_SETTING)))
    except ValueError:
        return None
    return value if value in ZOOMS else None


def save_zoom(settings: QSettings | None, value: float) -> None:
    """Keep the chosen zoom in `settings`."""
    if settings is not None:
        settings.setValue(ZOOM_SETTING, str(value))
        settings.sync()


def saved_appearance(settings: QSettings | None) -> str | None:
    """Return the appearance kept in `settings` ("light" or "dark"), None when never chosen."""
    if settings is None:
        return None
    value = settings.value(SETTING)
    return str(value) if value in (LIGHT, DARK) else None


def save_appearance(settings: QSettings | None, dark: bool) -> None:
    """Keep the chosen appearance in `settings`."""
    if settings is not None:
        settings.setValue(SETTING, DARK if dark else LIGHT)
        settings.sync()


def colour_hex(name: str) -> str:
    """Return a named colour of the current appearance as #rrggbb."""
    return COLOURS[DARK if _State.dark else LIGHT][name]


def colour(name: str) -> QColor:
    """Return a named colour of the current appearance (for paint code and table items)."""
    return QColor(colour_hex(name))


def icon(name: str) -> QIcon:
    """Return an SVG icon from resources/icons."""
    return QIcon(str(resources.path(f"icons/{name}.svg")))


def set_role(widget: QWidget, role: str, name: str = "role") -> None:
    """Set a style property (`role`, `link`, `pending`) and re-polish so the sheet applies."""
    widget.setProperty(name, role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def _app() -> QApplication | None:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else None


def _dark_palette() -> QPalette:
    """The palette under the dark sheet, for what Fusion paints itself (menus, placeholders)."""
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, value in (
        (roles.Window, "#0f141b"),
        (roles.WindowText, "#e6e9ef"),
        (roles.Base, "#181f2a"),
        (roles.AlternateBase, "#1d2532"),
        (roles.Text, "#e6e9ef"),
        (roles.Button, "#181f2a"),
        (roles.ButtonText, "#e6e9ef"),
        (roles.BrightText, "#ffffff"),
        (roles.Highlight, "#2e6be6"),
        (roles.HighlightedText, "#ffffff"),
        (roles.ToolTipBase, "#f5f7fa"),
        (roles.ToolTipText, "#111827"),
        (roles.PlaceholderText, "#8a95a8"),
        (roles.Link, "#8fb3ff"),
        (roles.Light, "#3b4759"),
        (roles.Midlight, "#2c3646"),
        (roles.Mid, "#232c3a"),
        (roles.Dark, "#0b0f15"),
        (roles.Shadow, "#000000"),
    ):
        palette.setColor(role, QColor(value))
    for role, value in (
        (roles.WindowText, "#6b7689"),
        (roles.Text, "#6b7689"),
        (roles.ButtonText, "#6b7689"),
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(value))
    return palette
