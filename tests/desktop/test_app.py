"""The app's wiring: the demo opens a host console plus a display and a judge linked to it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMenu

from desktop import widgets
from desktop.app import AppRun, Options
from desktop.display import DisplayWindow
from desktop.host import HostWindow, ask
from desktop.judge import JudgeWindow
from tests.kit import until


def test_the_demo_links_a_display_and_a_judge_to_its_host(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    session = AppRun(Options(mode="demo", db=tmp_path / "demo.db", mdns=False))
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


def test_a_new_demo_event_starts_its_laptops_afresh_and_demos_in_one_folder_never_share_them(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    """Deleting demo.db to start over left the demo's laptops pinned to the old certificate,
    and a second demo in the same folder shared them: both asked to trust a "new host"."""

    def demo_once(db: Path) -> list[str]:
        session = AppRun(Options(mode="demo", db=db, mdns=False))
        run(session.start())
        try:
            display, judge = session.peers
            run(until(lambda: display.status.state == "online" and judge.has_synced))
            return [str(peer.replica.db.database) for peer in session.peers]
        finally:
            run(session.stop())
            for window in session.windows:
                window.close()

    first = demo_once(tmp_path / "demo.db")
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"demo.db{suffix}").unlink(missing_ok=True)
    assert demo_once(tmp_path / "demo.db") == first  # the same laptops, paired afresh
    other = demo_once(tmp_path / "rehearsal.db")
    assert [Path(path).name for path in other] == ["rehearsal-display.db", "rehearsal-judge.db"]


def test_the_console_rebuilds_a_lost_host_from_a_judge_and_the_laptops_trust_it_and_rejoin(
    tmp_path: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """File ▸ Rebuild host from a judge's replica: the console serves the rebuilt event on the
    same port; the judge and display refuse its new certificate until their users trust it,
    then the judge rejoins with no code, the display with the new display code, and the
    judge's acked sheet is on the rebuilt host."""
    session = AppRun(Options(mode="demo", db=tmp_path / "demo.db", mdns=False))
    run(session.start())
    try:
        display, judge = session.peers
        run(until(lambda: display.status.state == "online" and judge.has_synced))
        scores = {"innovation": 85, "design": 90, "execution": 88}
        assert judge.save_sheet("judge-ada", "team-aurora", scores, "", final=True) is None
        run(until(lambda: judge.replica.pending_count() == 0))
        (console,) = [w for w in session.windows if isinstance(w, HostWindow)]
        old_fingerprint = session.servers[0].fingerprint
        target = tmp_path / "rebuilt.db"
        monkeypatch.setattr(ask, "open_path", lambda *_: Path(judge.replica.db.database))
        monkeypatch.setattr(ask, "save_path", lambda *_: target)
        monkeypatch.setattr(ask, "confirm", lambda *_: True)
        menu = console.menuBar().actions()[0].menu()
        assert isinstance(menu, QMenu)
        (action,) = [a for a in menu.actions() if a.text().startswith("Rebuild host")]
        action.trigger()
        run(
            until(
                lambda: (
                    len(session.servers) == 1
                    and session.servers[0].replica.db.database == str(target)
                )
            )
        )
        assert not console.isVisible()
        (new_console,) = [w for w in session.windows if isinstance(w, HostWindow)]
        assert new_console.isVisible()
        server = session.servers[0]
        assert server.fingerprint != old_fingerprint
        # Both laptops are refused, with the new fingerprint offered to compare.
        run(until(lambda: judge.status.offered_fp == server.fingerprint))
        run(until(lambda: display.status.offered_fp == server.fingerprint))
        (judge_window,) = [w for w in session.windows if isinstance(w, JudgeWindow)]
        (display_window,) = [w for w in session.windows if isinstance(w, DisplayWindow)]
        assert judge_window.link_bar.trust.isVisible()
        assert display_window.connect_panel.trust.isVisible()
        asked: list[str] = []
        monkeypatch.setattr(widgets, "ask_trust_new_host", lambda _, fp: asked.append(fp) or True)
        judge_window.link_bar.trust.click()
        display_window.connect_panel.trust.click()
        assert asked == [server.fingerprint, server.fingerprint]
        # The judge rejoins by its key; a display was registered on the lost host alone (no
        # op, docs/protocol.md 3c), so it is refused and joins again with the new display code.
        run(until(lambda: judge.status.state == "online" and display.status.state == "refused"))
        assert "unknown token" in display.status.last_error
        new_code = server.replica.code_for("display", None)
        assert new_code is not None
        display.connect_to(
            f"127.0.0.1:{server.port}", new_code, secure=True, fingerprint=server.fingerprint or ""
        )
        run(until(lambda: display.status.state == "online"))
        assert not judge_window.link_bar.trust.isVisible()
        (sheet_op,) = [
            op
            for op in judge.replica.pending() + judge.replica.accepted_since({})
            if op.kind == "sheet.save"
        ]
        stored = server.replica.stored(sheet_op.id)
        assert stored is not None
        assert stored.status == "accepted"
    finally:
        run(session.stop())
        for window in session.windows:
            window.close()
