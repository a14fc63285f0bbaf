"""Fixtures for the console's tests: the window on the demo event, yes to every question."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop import host_model as model
from desktop.controllers import PeerController
from desktop.host import ask
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.kit import FakeClock, until

Run = Callable[..., Any]
MakePeer = Callable[..., PeerController]


# Where the console's clock stands until a test moves it (2026-03-14, the demo event's day).
CONSOLE_MS = 1_773_480_600_000


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a file of the test's own."""
    return QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def clock() -> FakeClock:
    """The console's clock."""
    return FakeClock(CONSOLE_MS)


@pytest.fixture
def window(demo_host: DemoHost, settings: QSettings, clock: FakeClock, qtbot: QtBot) -> HostWindow:
    """The console on the demo event, shown."""
    win = HostWindow(demo_host.controller, settings, now=clock.seconds)
    qtbot.addWidget(win)
    win.resize(1440, 900)
    win.show()
    return win


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer every confirmation with yes; the questions asked, in order."""
    questions: list[str] = []

    def yes(parent: QWidget, title: str, text: str, action: str) -> bool:
        questions.append(text)
        return True

    monkeypatch.setattr(ask, "confirm", yes)
    return questions


def joined_judge(
    demo_host: DemoHost, make: MakePeer, run: Run, judge: str = "judge-ada"
) -> PeerController:
    """Link a judge's laptop to the demo host and wait until it has the event."""
    peer = make(judge, start=(demo_host, demo_host.code("judge", judge)))
    run(until(lambda: peer.link is not None and peer.link.synced))
    return peer


def settle(run: Run, window: HostWindow) -> None:
    """Let the coalesced `changed` signal reach the window."""
    run(until(lambda: True))
    run(until(lambda: not window.controller._changes._timer.isActive()))


def column(table: Any, index: int) -> list[str]:
    """Return the texts of a table's column."""
    return [table.item(row, index).text() for row in range(table.rowCount())]


def setup_view(
    *,
    phase: str = "setup",
    criteria: tuple[str, ...] = ("innovation", "design"),
    teams: tuple[str, ...] = ("Aurora", "Basalt"),
    judges: tuple[tuple[str, tuple[str, ...]], ...] = (("Ada", ()), ("Bao", ("team-basalt",))),
    assigned: dict[str, set[str]] | None = None,
) -> model.SetupView:
    """Return a small Setup view built from plain values, as the window would hand it over."""
    criteria_values = [
        model.criterion_body(c, c.title(), order=i, description=f"About {c}")
        for i, c in enumerate(criteria)
    ]
    team_values = {
        f"team-{n.lower()}": model.team_put_body(f"team-{n.lower()}", n, f"T{i}", "")
        for i, n in enumerate(teams, 1)
    }
    judge_values = {
        f"judge-{n.lower()}": model.judge_body(f"judge-{n.lower()}", n, conflicts)
        for n, conflicts in judges
    }
    return model.setup_view(
        phase=phase,
        criteria=criteria_values,
        teams=team_values,
        judges=judge_values,
        assigned=assigned if assigned is not None else {j: set() for j in judge_values},
    )


FINGERPRINT = "ab12" * 16


def codes_view(addresses: tuple[str, ...] = ("10.0.0.2:8765",)) -> model.CodesView:
    """Return a Codes view of one judge's code and the displays' code, over TLS."""
    return model.codes_view(
        addresses=list(addresses),
        url=f"wss://{addresses[0]}/sync" if addresses else None,
        fingerprint=FINGERPRINT,
        secure=True,
        join_codes=[
            {"role": "judge", "id": "judge-ada", "name": "Ada", "code": "ABCD-EFGH"},
            {"role": "display", "id": None, "name": "All displays", "code": "WXYZ-2345"},
        ],
    )


def device_row(**changes: Any) -> model.DeviceRow:
    """Return a judge's laptop, offline since 1,000 s after the epoch, with 2 ops unsent."""
    values: dict[str, Any] = {
        "device": "dev-1",
        "label": "Ada's laptop",
        "role": "judge",
        "subject": "judge-ada",
        "subject_name": "Ada Brennan",
        "online": False,
        "revoked": False,
        "pending": 2,
        "last_seen_ms": 1_000_000,
        "clock_offset_ms": None,
        "address": "10.0.0.5",
    }
    values.update(changes)
    return model.DeviceRow(**values)
