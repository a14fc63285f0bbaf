"""Apply Tallyboard's look: the style sheets from resources/, the font, and the appearance.

The console, judge and team windows are light (resources/light.qss) or dark
(resources/dark-ui.qss), as the user chose in View ▸ Dark theme; the choice is kept in the
window's QSettings under `appearance/theme`. The projector display is always dark
(resources/dark.qss) and ignores the choice.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QWidget

import resources

SETTING = "appearance/theme"
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


class _State:
    """The current appearance of the console, judge and team windows, and its notifier."""

    dark = False
    notifier: _Notifier | None = None


def notifier() -> _Notifier:
    """Return the object whose `changed(dark)` signal follows the appearance."""
    if _State.notifier is None:
        _State.notifier = _Notifier()
    return _State.notifier


def style_sheet(dark: bool, *, ui_dark: bool = False) -> str:
    """Return the display's dark sheet (`dark`), else the console/judge/team sheet.

    That sheet is resources/light.qss, or resources/dark-ui.qss when `ui_dark`.
    """
    name = "dark.qss" if dark else "dark-ui.qss" if ui_dark else "light.qss"
    return resources.path(name).read_text(encoding="utf-8")


def apply(app: QApplication, *, dark: bool = False, ui_dark: bool = False) -> None:
    """Give the whole application its style sheet, font and icon.

    `dark` is the projector display's sheet; otherwise `ui_dark` picks the dark appearance of
    the console, judge and team windows.
    """
    app.setStyle("Fusion")
    font = QFont("DejaVu Sans")
    font.setPointSize(11)
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
