"""The app's wiring: the demo opens a host console plus a display and a judge linked to it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.app import Options, Session
from desktop.display import DisplayWindow
from desktop.host import HostWindow
from desktop.judge import JudgeWindow
from tests.desktop.conftest import until


def test_the_demo_links_a_display_and_a_judge_to_its_host(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    session = Session(Options(mode="demo", db=tmp_path / "demo.db", mdns=False))
    run(session.start())
    try:
        kinds = sorted(type(w).__name__ for w in session.windows)
        assert kinds == sorted([HostWindow.__name__, DisplayWindow.__name__, JudgeWindow.__name__])
        assert all(window.isVisible() for window in session.windows)
        display, judge = session.peers
        run(until(lambda: display.status.state == "online" and judge.has_synced))
        assert judge.status.subject == "judge-ada"
        assert judge.replica.event_id == session.replicas[0].event_id
        run(until(lambda: display.last_board() is not None))
        # A judge's sheet reaches the host and comes back on the display's board.
        error = judge.save_sheet(
            "judge-ada",
            "team-aurora",
            {"innovation": 85, "design": 90, "execution": 88},
            "",
            final=True,
        )
        assert error is None
        run(
            until(
                lambda: (
                    (display.last_board() or {}).get("data", [{}])[0].get("total_score") == 87.67
                )
            )
        )
    finally:
        run(session.stop())
        for window in session.windows:
            window.close()
