"""The organiser's console: one module per page, tab and the dialogs; the window in window.py."""

from __future__ import annotations

from desktop.host.window import HostWindow

__all__ = ["HostWindow"]
