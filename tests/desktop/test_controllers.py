"""Tests for the controllers: a peer controller saving sheets through a real host."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.controllers import PeerController
from tests.desktop.conftest import DemoHost, until


def test_a_saved_sheet_is_pending_at_once_and_sent_when_online(
    demo_host: DemoHost, peer: Callable[..., PeerController], run: Callable[..., Any]
) -> None:
    judge = peer("judge", start=(demo_host, demo_host.code("judge", "judge-ada")))
    run(until(lambda: judge.link is not None and judge.link.synced))
    assert len(judge.replica.state.teams()) == 8
    error = judge.save_sheet(
        "judge-ada",
        "team-aurora",
        {"innovation": 85, "design": 90, "execution": 88},
        "",
        final=True,
    )
    assert error is None
    run(until(lambda: judge.status.pending == 0 and judge.replica.pending_count() == 0))
    assert demo_host.replica.state.sheet("judge-ada", "team-aurora") is not None
