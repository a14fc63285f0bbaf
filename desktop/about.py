"""What the Help menu says: the version, the keyboard shortcuts and a short guide (no Qt).

No Qt here, so that `main.py --version` prints the same version without loading it.
"""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

UNKNOWN = "unknown"

# Each window's keys, as the Help ▸ Keyboard shortcuts dialog lists them: (keys, what they do).
SHORTCUTS: dict[str, list[tuple[str, str]]] = {
    "Console, judge and team windows": [
        ("Ctrl+=", "Zoom in"),
        ("Ctrl+-", "Zoom out"),
        ("Ctrl+0", "Actual size"),
        ("Ctrl+Shift+D", "Switch between the light and the dark appearance"),
        ("F1", "Show these shortcuts"),
    ],
    "Judge": [
        ("↓, then Enter", "Open the first team in the list"),
        ("Ctrl+F", "Filter the teams by name, table or status"),
        ("Tab", "Go from criterion to criterion, then the comment"),
        ("Ctrl+S", "Save the sheet as a draft"),
        ("Ctrl+Enter", "Submit the sheet as final"),
        ("Ctrl+N", "Open the next team that has no final sheet"),
    ],
    "Console": [
        ("Ctrl+1 to Ctrl+5", "Overview, Setup, Codes, Devices, Control"),
    ],
    "Display": [
        ("F11", "Full screen on or off"),
        ("Esc", "Leave full screen"),
        ("Page Down, Page Up", "Turn the pages of a long leaderboard"),
    ],
}

GUIDE = [
    (
        "Before the doors open",
        "Start the console on the organiser's laptop. On Setup, enter the criteria, the teams "
        "and the judges, then assign judges to teams. Test the network with `tallyboard "
        "rehearse` if you can.",
    ),
    (
        "Pairing devices",
        "On Codes, each judge, each team and the displays have a join code. A judge's laptop "
        "finds the console on the network; the judge types the code once. Read out the "
        "certificate fingerprint if a laptop asks whether to trust the host.",
    ),
    (
        "Scoring",
        "On Control, open scoring. Judges save drafts and submit final sheets; Overview shows "
        "each judge's progress. A laptop that loses the network keeps every sheet and sends it "
        "when it is back.",
    ),
    (
        "Results",
        "Lock scoring when judging is over: nothing that changes the results can change. Show "
        "the results on the displays (live, frozen, or revealed place by place), then release "
        "them so that teams see their scores and comments.",
    ),
    (
        "If the host laptop fails",
        "Copy any judge's database to a spare laptop and use File ▸ Rebuild host from a "
        "judge's replica. Judges then trust the new certificate and carry on.",
    ),
]


def version() -> str:
    """Return Tallyboard's version, as read once at import (a read in the loop would block it)."""
    return VERSION


def read_version() -> str:
    """Read Tallyboard's version: the installed package's, else the source tree's, else unknown.

    A PyInstaller bundle carries the package's metadata (packaging/tallyboard.spec); a
    checkout run without installing it has pyproject.toml beside the code.
    """
    try:
        return importlib.metadata.version("tallyboard")
    except importlib.metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return UNKNOWN
    found = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    return found.group(1) if found else UNKNOWN


VERSION = read_version()


def about_text(fingerprint: str | None) -> str:
    """Return the About box's text: the version and, on the console, the certificate's pin."""
    lines = [
        f"Tallyboard {version()}",
        "Offline-first judging for hackathons, science fairs and contests.",
    ]
    if fingerprint:
        lines.append(
            "This host's certificate fingerprint (judges' laptops compare it before they "
            f"trust the host): {grouped(fingerprint)}"
        )
    return "\n\n".join(lines)


def grouped(fingerprint: str) -> str:
    """Return a fingerprint in groups of four hex digits, for comparing by eye or aloud."""
    return " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4))
