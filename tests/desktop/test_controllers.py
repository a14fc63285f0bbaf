"""Tests for the controllers: a peer saving sheets through a real host; the views they give."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.controllers import PeerController
from sync.peer import PeerConfig
from tests.desktop.conftest import DemoHost
from tests.kit import until


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


# --- what the console's pages read (desktop/host/) -----------------------------------------------


def test_the_console_views_read_the_event_without_the_pages_touching_the_replica(
    demo_host: DemoHost,
) -> None:
    controller = demo_host.controller
    assert controller.event_settings()["name"] == "Harbour Hack 2026"
    assert [c["id"] for c in controller.criteria()] == ["innovation", "design", "execution"]
    assert len(controller.teams()) == 8
    assert set(controller.judges()) == set(controller.assignments())
    assert controller.assignments()["judge-bao"] == set()
    assert len(controller.board_rows()) == 8
    assert {c["role"] for c in controller.join_codes()} == {"judge", "team", "display"}
    assert controller.recent_notifications(3) == []


def test_moving_a_criterion_reorders_it_on_the_host(demo_host: DemoHost) -> None:
    assert demo_host.controller.move_criterion(2, -1) == []
    assert [c["id"] for c in demo_host.controller.criteria()] == [
        "innovation",
        "execution",
        "design",
    ]


def test_a_team_sheet_preview_names_duplicates_and_refuses_what_is_not_one(
    demo_host: DemoHost, tmp_path: Path
) -> None:
    sheet = tmp_path / "teams.csv"
    sheet.write_text("Team Name\nAurora\nNewcomers\n", encoding="utf-8")
    preview = demo_host.controller.preview_teams(sheet)
    assert [row.name for row in preview.valid_rows()] == ["Newcomers"]
    (scores := tmp_path / "scores.csv").write_text("Judge,Score\nAda,90\n", encoding="utf-8")
    with pytest.raises(ValueError, match="No column names the teams"):
        demo_host.controller.preview_teams(scores)
    with pytest.raises(FileNotFoundError):
        demo_host.controller.preview_teams(tmp_path / "missing.csv")


def test_a_judge_knows_whose_laptop_it_is_and_reads_its_snapshot(
    demo_host: DemoHost, peer: Callable[..., PeerController], run: Callable[..., Any]
) -> None:
    judge = peer("judge", start=(demo_host, demo_host.code("judge", "judge-ada")))
    run(until(lambda: judge.link is not None and judge.link.synced))
    assert judge.own_subject() == "judge-ada"
    snap = judge.judge_snapshot("judge-ada")
    assert snap.judge_name == "Ada Brennan"
    assert len(snap.rows) == 8


def test_the_console_sees_a_used_up_code_and_lets_one_more_device_pair(
    demo_host: DemoHost, peer: Callable[..., PeerController], run: Callable[..., Any]
) -> None:
    code = demo_host.code("judge", "judge-ada")
    console = demo_host.controller
    laptops = [peer(f"judge{k}", start=(demo_host, code)) for k in range(2)]
    run(until(lambda: all(p.link is not None and p.link.synced for p in laptops)))
    spare = peer("spare", start=(demo_host, code))
    run(until(lambda: spare.status.state == "refused"))
    assert "used up" in spare.status.last_error
    row = next(r for r in console.code_rows() if r.code == code)
    assert (row.used, row.limit, row.used_up) == (2, 2, True)
    assert row.usage == "2 of 2 devices, used up"
    assert console.allow_another_device(code) == 3
    run(spare.restart(PeerConfig(code=code, target=demo_host.target, secure=False)))
    run(until(lambda: spare.link is not None and spare.link.synced))
    row = next(r for r in console.code_rows() if r.code == code)
    assert row.usage == "3 of 3 devices, used up"
    display = next(r for r in console.code_rows() if r.role == "display")
    assert (display.limit, display.usage) == (None, "0 devices")
    assert console.set_device_limit(code, 0) == "a join code pairs at least one device"
    assert console.set_device_limit(code, 4) is None
    assert next(r for r in console.code_rows() if r.code == code).usage == "3 of 4 devices"


def test_the_console_lists_displays_that_no_op_registered(
    demo_host: DemoHost, peer: Callable[..., PeerController], run: Callable[..., Any]
) -> None:
    projector = peer("display", start=(demo_host, demo_host.code("display")))
    run(until(lambda: projector.link is not None and projector.link.synced))
    rows = [r for r in demo_host.controller.devices() if r.role == "display"]
    assert [r.device for r in rows] == [projector.replica.device_id]
    assert rows[0].online
    assert demo_host.replica.state.device(projector.replica.device_id) is None
    demo_host.controller.revoke(projector.replica.device_id)
    rows = [r for r in demo_host.controller.devices() if r.role == "display"]
    assert rows[0].link == "revoked"


def test_the_console_exports_a_csv_without_live_formulas(
    demo_host: DemoHost, tmp_path: Path
) -> None:
    console = demo_host.controller
    assert console.admin("team.put", {"id": "team-aurora", "name": "=HYPERLINK(1)"}) is None
    path = tmp_path / "results.csv"
    console.export(path, "csv")
    assert "'=HYPERLINK(1)" in path.read_text(encoding="utf-8")
