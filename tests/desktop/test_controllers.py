"""Tests for the controllers: a peer saving sheets through a real host; the views they give."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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
