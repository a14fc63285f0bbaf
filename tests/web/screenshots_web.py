"""Photograph the browser pages at a phone's size, light and dark, in Debian's headless chromium.

A script, not a test: it serves the demo event with its pages on loopback, has Ada score sheets
through a raw peer, gives the AI prize a sponsor, hides the open-data prize and has displays
show the main board and both prizes' boards (the hidden one is never shown). It saves the public
page on the AI prize's board (live) and the team page of Ember Labs, in both prizes, once
results are released (its public prize alone, with its place).

    .venv/bin/python -m tests.web.screenshots_web [folder]

The folder defaults to docs/screenshots.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from tests.web.kit import PHONE, LiveHost, chromium, live_host

SHEETS = {
    "team-aurora": (88, 92, 85),
    "team-basalt": (81, 74, 90),
    "team-cobalt": (79, 88, 70),
    "team-driftwood": (70, 65, 72),
    "team-ember": (92, 81, 77),
    "team-gale": (75, 70, 68),
}
AI = {"round": "main", "prize": "prize-ai"}


def _until(driver: WebDriver, script: str) -> None:
    WebDriverWait(driver, 30, poll_frequency=0.05).until(lambda d: d.execute_script(script))


def shoot(host: LiveHost, path: Path, page: str, ready: str, *, dark: bool) -> Path:
    """Save `page` at a phone's size once `ready` (a script) holds; return the file."""
    driver = chromium(PHONE, dark=dark, scale=2.0)
    try:
        driver.get(host.page + page)
        _until(driver, ready)
        time.sleep(0.3)  # let the last frame paint
        driver.save_screenshot(str(path))
    finally:
        driver.quit()
    return path


def prizes(host: LiveHost) -> None:
    """The AI prize sponsored, the open-data prize hidden, both on the displays' list."""

    async def set_up() -> None:
        state = host.server.replica.state
        ai, data = state.prize("prize-ai"), state.prize("prize-open-data")
        assert ai is not None
        assert data is not None
        host.server.admin("prize.put", {**ai, "sponsor": "Nordlicht Labs"})
        host.server.admin("prize.put", {**data, "hidden": True})
        shown = [{"round": "main", "prize": None}, AI, {"round": "main", "prize": data["id"]}]
        host.server.admin("event.set", {"field": "display_boards", "value": shown})
        host.server.admin("event.set", {"field": "display_rotate", "value": 5})

    host.call(set_up())


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, live_host(Path(scratch)) as host:
        prizes(host)
        for team, scores in SHEETS.items():
            host.score(team, scores)
        host.admin("notify", {"audience": "teams", "message": "Lunch is served in the atrium"})
        host.admin(
            "notify",
            {"audience": "team", "target": "team-ember", "message": "Ember: demo at 15:30"},
        )
        themes = (("", False), ("-dark", True))
        board = (
            "return document.getElementById('board-name').textContent.includes('AI')"
            " && document.querySelectorAll('#rows .row').length >= 4"
        )
        for suffix, dark in themes:  # the public page on the prize's board, judging going on
            print(shoot(host, folder / f"web-public{suffix}.png", "", board, dark=dark))
        host.admin("event.set", {"field": "phase", "value": "released"})
        team = "team#code=" + host.code("team", "team-ember")
        places = "return document.getElementById('prizes').textContent.includes('·')"
        for suffix, dark in themes:  # the team page once results are released
            print(shoot(host, folder / f"web-team{suffix}.png", team, places, dark=dark))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
