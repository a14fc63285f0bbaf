"""Render the console's Insights page and a page of each printed document, to PNGs.

Run from the repository root:
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.desktop.screenshots_print [out-dir]
Scores the demo event (seeded, reproducible: 4 judges, 8 teams, a sheet every few minutes),
then writes host-insights.png (the window's first size) and print-results.png,
print-feedback.png, print-certificate.png and print-sheets.png (page 1 of each PDF, through
pdftoppm) into out-dir (default docs/screenshots/). With --dark the page in the dark
appearance (host-insights-dark.png); with TALLYBOARD_LANG=es in Spanish (…-es.png).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop import i18n, printing, theme
from desktop.controllers import HostController
from desktop.host.window import HostWindow
from storage.demo import seed_demo
from storage.replica import Replica
from storage.sheets import scorable_teams
from tests.kit import FakeClock

START_MS = 1_773_478_800_000  # 2026-03-14, 09:00 UTC: the demo event's morning
COMMENTS = [
    "Clear pitch; the demo crashed once but recovered well.",
    "Lovely interface. Think about colour-blind users.",
    "Ambitious idea, unfinished build.",
    "",
    "Strong teamwork and a working prototype.",
]


def scored_demo(folder: Path) -> Replica:
    """Return the demo host with most sheets final, one judge harsher than the rest."""
    clock = FakeClock(START_MS)
    host = Replica.open(folder / "host.db", now=clock)
    seed_demo(host)
    rng = random.Random(12)
    state = host.state
    for judge_id in sorted(state.judges()):
        laptop = Replica.open(folder / f"{judge_id}.db", now=clock)
        body = {"device": laptop.device_id, "pubkey": laptop.key.public_b64, "role": "judge"}
        host.admin("device.put", {**body, "subject": judge_id, "name": ""})
        bias = -14 if judge_id == "judge-bao" else rng.uniform(-4, 6)
        teams = scorable_teams(host.state, judge_id)
        rng.shuffle(teams)
        for team_id in teams[: rng.randint(5, 8)]:
            clock.advance(seconds=rng.uniform(60, 420))
            quality = 60 + (sum(map(ord, team_id)) % 30)
            scores = {
                c["id"]: max(0, min(100, round(quality + bias + rng.gauss(0, 8))))
                for c in state.criteria()
            }
            body = {
                "team": team_id,
                "scores": scores,
                "comment": rng.choice(COMMENTS),
                "final": rng.random() > 0.1,
            }
            assert host.submit([laptop.make("sheet.save", body, judge_id).to_wire()])[0].accepted
        laptop.close()
    host.admin("event.set", {"field": "phase", "value": "locked"})
    return host


def main() -> None:
    """Render into the folder given on the command line, or docs/screenshots."""
    args = [arg for arg in sys.argv[1:] if arg != "--dark"]
    out = Path(args[0]) if args else Path("docs/screenshots")
    dark = "--dark" in sys.argv
    app = QApplication(sys.argv[:1])
    theme.apply(app, ui_dark=dark)
    lang = i18n.install(app, i18n.choose(None))  # TALLYBOARD_LANG=es: in Spanish
    suffix = ("-dark" if dark else "") + ("" if lang == "en" else f"-{lang}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        host = scored_demo(folder)
        try:
            settings = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
            window = HostWindow(HostController(host, None), settings, now=lambda: START_MS / 1000)
            window.resize(*HostWindow.DEFAULT_SIZE)
            window.show()
            window.show_page("Insights")
            app.processEvents()
            window.grab().save(str(out / f"host-insights{suffix}.png"))
            print(out / f"host-insights{suffix}.png")
            window.close()
            if dark:
                return
            for what, name in (
                ("results", "results"),
                ("feedback", "feedback"),
                ("certificates", "certificate"),
                ("sheets", "sheets"),
            ):
                pdf = folder / f"{what}.pdf"
                printing.write_pdf(pdf, printing.build(what, host.state, host.board.rows()))
                stem = out / f"print-{name}{suffix}"
                first_page = ["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"]
                subprocess.run(
                    ["pdftoppm", *first_page, str(pdf), str(stem)],
                    check=True,
                    timeout=60,
                )
                print(f"{stem}.png")
        finally:
            host.close()


if __name__ == "__main__":
    main()
