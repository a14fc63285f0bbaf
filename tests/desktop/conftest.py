"""Fixtures for window tests: Qt offscreen, one qasync loop per test, a demo host on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.controllers import HostController, PeerController
from storage.boards import Board
from storage.replica import Replica
from sync.messages import LeaderboardUpdate
from sync.peer import PeerConfig, PeerLink
from sync.peercore import Close, Send
from sync.server import HostServer
from tests.kit import demo_replica, loopback

T = TypeVar("T")


@pytest.fixture(autouse=True)
def _no_window_outlives_its_test(qapp: QApplication) -> Iterator[None]:
    """Delete the top-level widgets a test leaves behind once it is over.

    Every style change (a zoom step, the dark theme) re-polishes every widget alive in the
    application, so windows kept alive by earlier tests made each later one slower: a zoom test
    that takes 10 s alone passed 120 s late in the suite.
    """
    before = set(qapp.topLevelWidgets())
    yield
    left = [w for w in qapp.topLevelWidgets() if w not in before]
    for widget in left:
        widget.close()
        widget.deleteLater()
    if left:
        qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync loop that counts as running whenever Qt processes events.

    So `qtbot.waitUntil`, `qtbot.wait` and anything else that spins Qt also runs asyncio:
    sockets and tasks make progress exactly as in the app.
    """
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    deadline = time.monotonic() + 5
    while any(not task.done() for task in pending) and time.monotonic() < deadline:
        qapp.processEvents()
    # Not loop.stop(): on an already-running loop it calls QApplication.exit(), which marks the
    # thread's event loops as quitting for good (Qt 6 `quitNow`), so every later
    # QEventLoop.exec(), as `qtbot.wait` uses, returns at once: the next test's loop never runs.
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    loop.close()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture
def run(qloop: qasync.QEventLoop, qtbot: QtBot) -> Callable[..., Any]:
    """Run a coroutine as a task and spin Qt until it is done; return its result."""

    def runner(coroutine: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        task = qloop.create_task(coroutine)
        qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
        return task.result()

    return runner


@dataclass
class DemoHost:
    """A demo event served on loopback, with its controller and join codes."""

    replica: Replica
    server: HostServer
    controller: HostController
    codes: dict[tuple[str, str | None], str]

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.server.port}"

    def code(self, role: str, subject: str | None = None) -> str:
        return self.codes[(role, subject)]


@pytest.fixture
def demo_host(
    tmp_path: Path, run: Callable[..., Any], request: pytest.FixtureRequest
) -> Iterator[DemoHost]:
    """Serve the demo event (plain ws://, no mDNS) for one test; parametrize it indirectly
    with a dict of HostConfig fields (`{"web_port": 0}`) to serve more."""
    replica, codes = demo_replica(tmp_path / "host.db")
    try:
        server = HostServer(replica, loopback(**getattr(request, "param", {})))
        run(server.start())
        try:
            yield DemoHost(replica, server, HostController(replica, server), codes)
        finally:
            run(server.stop())
    finally:
        replica.close()


@pytest.fixture
def peer(tmp_path: Path, run: Callable[..., Any]) -> Iterator[Callable[..., PeerController]]:
    """Make PeerControllers on their own replicas; `start=(host, code)` links one at once."""
    made: list[PeerController] = []

    def make(name: str, start: tuple[DemoHost, str] | None = None) -> PeerController:
        controller = PeerController(Replica.open(tmp_path / f"{name}.db", durable=False))
        made.append(controller)
        if start is not None:
            host, code = start
            config = PeerConfig(code=code, target=host.target, secure=False)

            async def begin() -> None:  # the link's task needs a running loop
                controller.start(config)

            run(begin())
        return controller

    try:
        yield make
    finally:
        with ExitStack() as closing:  # every replica is closed even if a stop fails
            for controller in made:
                closing.callback(controller.replica.close)
                closing.callback(run, controller.stop())


def feed(controller: PeerController, *messages: dict[str, Any]) -> None:
    """Hand a controller frames from a host as its link does: through the real peer core
    (decoded, checked, kept), delivered to the controller, with no socket in between.

    For messages the host of this tree does not send yet (docs/protocol.md 4e); a controller
    with no link gets one, not started, whose session begins at the first frame.
    """
    link = controller.link
    if link is None:
        link = PeerLink(controller.replica, PeerConfig(code="fed"))
        link.on_status.append(controller._on_status)
        link.on_message.append(controller._on_message)
        controller.link = link
    if link.core.session is None:
        link.core.connected("127.0.0.1:1", "127.0.0.1", None, 0)
    for message in messages:
        for action in link.core.receive(json.dumps(message), 0):
            if not isinstance(action, Send | Close):  # nothing goes back: no host to hear it
                link._act(action)


ROW_FIELDS = ("rank", "team_id", "team_name", "total_score", "judge_count")


def named_board(
    board: Board, revision: int, timestamp: str = "2026-03-14T10:00:00.000Z"
) -> dict[str, Any]:
    """Return a board of storage.boards as a named `leaderboard_update` (docs/protocol.md 4e):
    its name and title, and rows of section 4's five fields, nothing more."""
    rows = tuple({k: row[k] for k in ROW_FIELDS} for row in board.wire_rows())
    return LeaderboardUpdate(
        revision,
        "live",
        rows,
        timestamp,
        None,
        {"round": board.round_id, "prize": board.prize_id},
        {"round_name": board.round_name, "prize_name": board.prize_name, "sponsor": board.sponsor},
    ).to_wire()
