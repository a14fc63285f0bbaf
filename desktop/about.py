"""What the Help menu says: the version, the keyboard shortcuts and a short guide (no Qt).

No Qt here, so that `main.py --version` prints the same version without loading it.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Callable
from pathlib import Path

UNKNOWN = "unknown"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark `text` for translation; widgets.py shows it through Qt (this module has no Qt)."""
    return text


def _same(context: str, text: str) -> str:
    return text


# Each window's keys, as the Help ▸ Keyboard shortcuts dialog lists them: (keys, what they do).
SHORTCUTS: dict[str, list[tuple[str, str]]] = {
    QT_TRANSLATE_NOOP("about", "Console, judge and team windows"): [
        ("Ctrl+=", QT_TRANSLATE_NOOP("about", "Zoom in")),
        ("Ctrl+-", QT_TRANSLATE_NOOP("about", "Zoom out")),
        ("Ctrl+0", QT_TRANSLATE_NOOP("about", "Actual size")),
        (
            "Ctrl+Shift+D",
            QT_TRANSLATE_NOOP("about", "Switch between the light and the dark appearance"),
        ),
        ("F1", QT_TRANSLATE_NOOP("about", "Show these shortcuts")),
    ],
    QT_TRANSLATE_NOOP("about", "Judge"): [
        (
            QT_TRANSLATE_NOOP("about", "↓, then Enter"),
            QT_TRANSLATE_NOOP("about", "Open the first team in the list"),
        ),
        ("Ctrl+F", QT_TRANSLATE_NOOP("about", "Filter the teams by name, table or status")),
        ("Tab", QT_TRANSLATE_NOOP("about", "Go from criterion to criterion, then the comment")),
        ("Ctrl+S", QT_TRANSLATE_NOOP("about", "Save the sheet as a draft")),
        ("Ctrl+Enter", QT_TRANSLATE_NOOP("about", "Submit the sheet as final")),
        ("Ctrl+N", QT_TRANSLATE_NOOP("about", "Open the next team that has no final sheet")),
    ],
    QT_TRANSLATE_NOOP("about", "Console"): [
        (
            QT_TRANSLATE_NOOP("about", "Ctrl+1 to Ctrl+5"),
            QT_TRANSLATE_NOOP("about", "Overview, Setup, Codes, Devices, Control"),
        ),
    ],
    QT_TRANSLATE_NOOP("about", "Display"): [
        ("F11", QT_TRANSLATE_NOOP("about", "Full screen on or off")),
        ("Esc", QT_TRANSLATE_NOOP("about", "Leave full screen")),
        (
            QT_TRANSLATE_NOOP("about", "Page Down, Page Up"),
            QT_TRANSLATE_NOOP("about", "Turn the pages of a long leaderboard"),
        ),
    ],
}

GUIDE = [
    (
        QT_TRANSLATE_NOOP("about", "Before the doors open"),
        QT_TRANSLATE_NOOP(
            "about",
            "Start the console on the organiser's laptop. On Setup, enter the criteria, the teams "
            "and the judges, then assign judges to teams. Test the network with `tallyboard "
            "rehearse` if you can.",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("about", "Pairing devices"),
        QT_TRANSLATE_NOOP(
            "about",
            "On Codes, each judge, each team and the displays have a join code. A judge's laptop "
            "finds the console on the network; the judge types the code once. Read out the "
            "certificate fingerprint if a laptop asks whether to trust the host.",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("about", "Scoring"),
        QT_TRANSLATE_NOOP(
            "about",
            "On Control, open scoring. Judges save drafts and submit final sheets; Overview shows "
            "each judge's progress. A laptop that loses the network keeps every sheet and sends it "
            "when it is back.",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("about", "Results"),
        QT_TRANSLATE_NOOP(
            "about",
            "Lock scoring when judging is over: nothing that changes the results can change. Show "
            "the results on the displays (live, frozen, or revealed place by place), then release "
            "them so that teams see their scores and comments.",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("about", "If the host laptop fails"),
        QT_TRANSLATE_NOOP(
            "about",
            "Copy any judge's database to a spare laptop and use File ▸ Rebuild host from a "
            "judge's replica. Judges then trust the new certificate and carry on.",
        ),
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


def about_text(fingerprint: str | None, translate: Callable[[str, str], str] = _same) -> str:
    """Return the About box's text: the version and, on the console, the certificate's pin."""
    lines = [
        f"Tallyboard {version()}",
        translate("about", "Offline-first judging for hackathons, science fairs and contests."),
    ]
    if fingerprint:
        text = translate(
            "about",
            "This host's certificate fingerprint (judges' laptops compare it before they"
            " trust the host): {fingerprint}",
        )
        lines.append(text.format(fingerprint=grouped(fingerprint)))
    return "\n\n".join(lines)


def grouped(fingerprint: str) -> str:
    """Return a fingerprint in groups of four hex digits, for comparing by eye or aloud."""
    return " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4))
