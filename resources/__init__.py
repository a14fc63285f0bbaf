"""Locate the files shipped with Tallyboard: style sheets, icons and the demo event."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """Return the path of the resource file `name`."""
    return ROOT / name
