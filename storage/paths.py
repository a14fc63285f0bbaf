"""Where Tallyboard keeps its databases when the user names none: the platform's app-data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def data_dir() -> Path:
    """Return the application-data folder (not created here)."""
    override = os.environ.get("TALLYBOARD_HOME")
    if override:
        return Path(override)
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", home / "AppData" / "Roaming")) / "Tallyboard"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Tallyboard"
    return Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "tallyboard"


def default_db(mode: str) -> Path:
    """Return the default database of a mode: host.db, judge.db, team.db or display.db."""
    return data_dir() / f"{mode}.db"
