"""Translate the windows: pick the language, build its .qm from the .ts, install the translators.

The .ts files in resources/i18n/ are the source of each translation (kept in git); the .qm files
Qt loads are generated from them by `pyside6-lrelease`: beside the .ts in a bundle (.ci/package
builds them), else into a cache folder at start-up whenever missing or older than the .ts. When
no .qm can be had the app runs in English, with one warning line.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

import resources
from storage import paths
from storage.ops import EVENT_EXTRA_DEFAULTS, FIRST_ROUND

log = logging.getLogger("tallyboard.desktop")

SOURCE = "en"  # the language the code is written in: no translator needed
LANGUAGES = (SOURCE, "es")
ENV = "TALLYBOARD_LANG"
FOLDER = resources.path("i18n")
_installed: list[QTranslator] = []  # Qt keeps no reference: they must outlive the app's windows


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Return `text` in the installed language (Qt's %n plural form when `n` is given)."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def choose(asked: str | None = None) -> str:
    """Return the language to run in: `asked`, else $TALLYBOARD_LANG, else the system's."""
    wanted = asked or os.environ.get(ENV) or QLocale.system().name()
    code = wanted.replace("-", "_").split("_")[0].lower()
    if code not in LANGUAGES:
        if asked or os.environ.get(ENV):
            log.warning("no %r translation: the windows are in English", wanted)
        return SOURCE
    return code


def cache_dir() -> Path:
    """Return the folder the .qm files are built into (beside the databases: always writable)."""
    return paths.data_dir() / "i18n"


def _lrelease() -> str | None:
    """Return the path of Qt's lrelease: the venv's wrapper, else the one inside PySide6."""
    import PySide6  # noqa: PLC0415  (only to find its folder)

    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    inside = Path(PySide6.__file__).parent / "lrelease"
    return found or (str(inside) if inside.exists() else None)


def qm_file(lang: str, cache: Path | None = None) -> Path:
    """Return the .qm of `lang`, building it from its .ts when missing or stale.

    Raises OSError (or a subprocess error) when it cannot be had.
    """
    ts = FOLDER / f"tallyboard_{lang}.ts"
    shipped = FOLDER / f"tallyboard_{lang}.qm"
    if shipped.exists() and (not ts.exists() or shipped.stat().st_mtime >= ts.stat().st_mtime):
        return shipped
    if not ts.exists():
        raise FileNotFoundError(f"no translation source {ts}")
    built = (cache or cache_dir()) / shipped.name
    if built.exists() and built.stat().st_mtime >= ts.stat().st_mtime:
        return built
    tool = _lrelease()
    if tool is None:
        raise FileNotFoundError("no pyside6-lrelease to build the translation with")
    built.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [tool, "-silent", str(ts), "-qm", str(built)], check=True, capture_output=True, timeout=60
    )
    if not built.exists():
        raise FileNotFoundError(f"lrelease wrote no {built}")
    return built


def install(app: QCoreApplication, lang: str, cache: Path | None = None) -> str:
    """Install the translators of `lang` (ours, then Qt's dialogs'); return the language used."""
    remove(app)
    if lang == SOURCE:
        return SOURCE
    try:
        qm = qm_file(lang, cache)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("cannot build the %s translation (%s): the windows are in English", lang, exc)
        return SOURCE
    ours = QTranslator(app)
    if not ours.load(str(qm)):
        log.warning("cannot load the %s translation %s: the windows are in English", lang, qm)
        return SOURCE
    app.installTranslator(ours)
    _installed.append(ours)
    qt = QTranslator(app)  # the standard buttons of message boxes and file dialogs
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return lang


def remove(app: QCoreApplication) -> None:
    """Remove the translators `install` put in: back to English."""
    while _installed:
        app.removeTranslator(_installed.pop())


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark `text` for translation where it is defined; `translate` it where it is shown."""
    return text


# The first round's name when the organiser never named it: data in English (storage keeps it as
# is), shown in the window's language.
DEFAULT_ROUND_NAME = str(EVENT_EXTRA_DEFAULTS["round_name"])


def round_name(name: object, round_id: str | None = FIRST_ROUND) -> str:
    """Return a round's name as a window shows it: the first round's default translated.

    Only the first round's stored default ("Round 1") is translated; any other name is the
    organiser's and is shown as typed. A name that merely equals the default is taken for it:
    neither the wire nor the state tells an untouched default from the same words typed.
    """
    text = str(name or "")
    if round_id in (FIRST_ROUND, None) and text in ("", DEFAULT_ROUND_NAME):
        return translate("rounds", "Round 1")
    return text
