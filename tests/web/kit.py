"""A demo host with its pages, served from a thread of its own, and a headless chromium to read
them: for tests/web/test_browser.py and the screenshots script beside it."""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from sync.server import HostServer
from tests.kit import demo_replica, loopback
from tests.sync.conftest import Peer, judge_op, sheet

T = TypeVar("T")
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
PHONE = (390, 844)
DESKTOP = (1280, 800)


class LiveHost:
    """The demo event served (plain ws://, pages on any free port) by a loop in a thread, so
    that a blocking WebDriver can drive a browser against it; Ada scores through a raw peer."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.call(self._start())

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float = 20.0) -> T:
        """Run a coroutine on the host's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _start(self) -> None:
        # Made on the loop's thread: SQLite connections belong to the thread that opens them.
        self.replica, self.codes = demo_replica(self.folder / "host.db", durable=False)
        self.server = HostServer(self.replica, loopback(web_port=0))
        await self.server.start()
        self.ada = Peer(self.folder, "ada")
        await self.ada.join(self.server.url, self.codes[("judge", "judge-ada")])

    @property
    def page(self) -> str:
        assert self.server.web is not None
        return f"http://127.0.0.1:{self.server.web.port}/"

    def code(self, role: str, subject: str | None) -> str:
        return self.codes[(role, subject)]

    def score(self, team: str, scores: tuple[float, ...]) -> None:
        """Have Ada submit a final sheet; return once the host acked it."""

        async def submit() -> None:
            ack = await self.ada.submit(judge_op(self.ada, sheet(team, scores)))
            assert ack["rejected"] == [], ack

        self.call(submit())

    def admin(self, kind: str, body: dict[str, Any]) -> None:
        """Make an admin op on the host, as the console does."""

        async def make() -> None:
            self.server.admin(kind, body)

        self.call(make())

    def close(self) -> None:
        async def stop() -> None:
            await self.ada.close()
            await self.server.stop()
            self.replica.close()

        try:
            self.call(stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()


@contextmanager
def live_host(folder: Path) -> Iterator[LiveHost]:
    host = LiveHost(folder)
    try:
        yield host
    finally:
        host.close()


def chromium(size: tuple[int, int], *, dark: bool = False, scale: float = 1.0) -> webdriver.Chrome:
    """Start Debian's chromium headless through chromium-driver, at `size` CSS pixels; its
    performance log records the frames its WebSockets receive (`received_frames`)."""
    assert CHROMIUM is not None
    assert CHROMEDRIVER is not None
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # the suite runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-proxy-server",  # the host is on loopback
        "--no-first-run",
        "--disable-extensions",
        f"--window-size={size[0]},{size[1]}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": width < 600},
    )
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]},
    )
    driver.set_page_load_timeout(20)
    return driver


def received_frames(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """Return the JSON frames the page's WebSockets received since the last call, as chromium's
    DevTools saw them arrive (Network.webSocketFrameReceived), not as the script read them."""
    frames = []
    for entry in driver.get_log("performance"):
        event = json.loads(entry["message"])["message"]
        if event.get("method") == "Network.webSocketFrameReceived":
            frames.append(json.loads(event["params"]["response"]["payloadData"]))
    return frames
