"""Tests for the documents' data: boards, feedback (judges' names honoured), winners, sheets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import reports
from storage.replica import Rejected, Replica
from tests.report_event import scored_event


@pytest.fixture
def event(tmp_path: Path) -> Iterator[Replica]:
    replica = scored_event(tmp_path)
    yield replica
    replica.close()


def test_the_board_ranks_with_shared_places_and_criterion_means(event: Replica) -> None:
    (board,) = reports.boards(event.state, event.board.rows())
    assert board.title is None
    assert [c.name for c in board.criteria] == ["Innovation", "Design", "Demo"]
    table = [(r.rank, r.shared, r.team_name, r.total, r.judge_count) for r in board.rows]
    assert table == [
        (1, False, "Aurora", 87.19, 2),
        (2, True, "Basalt", 62.5, 2),
        (2, True, "Cobalt", 62.5, 1),
        (4, False, "Driftwood", 38.75, 1),
        (None, False, "Ember", None, 0),
    ]
    aurora = board.rows[0]
    assert aurora.means == (8.5, 85.0, 4.75)
    assert aurora.location == "Table 1"
    assert aurora.members == ("Ines Duarte", "Kwame Mensah")
    # A draft never counts: Driftwood's means are Alan's final sheet alone.
    assert board.rows[3].means == (4.0, 50.0, 2.0)
    assert board.rows[4].means == (None, None, None)


def test_feedback_hides_judges_names_by_default_and_lists_sheets_best_first(
    event: Replica,
) -> None:
    pages = reports.feedback(event.state, event.board.rows())
    assert [p.row.team_name for p in pages] == ["Aurora", "Basalt", "Cobalt", "Driftwood"]
    aurora = pages[0]
    assert not aurora.names_judges
    assert [s.judge for s in aurora.sheets] == [None, None]
    assert [s.score for s in aurora.sheets] == [87.5, 86.875]
    assert aurora.sheets[0].scores == (8.0, 90.0, 5.0)
    assert aurora.sheets[0].comment == "Polished and accessible."
    comments = [s.comment for p in pages for s in p.sheets]
    assert "DRAFT NEVER PRINTED" not in comments


def test_feedback_names_judges_when_the_event_allows_it(tmp_path: Path) -> None:
    replica = scored_event(tmp_path, names_judges=True)
    try:
        pages = reports.feedback(replica.state, replica.board.rows())
        assert pages[0].names_judges
        assert [s.judge for s in pages[0].sheets] == ["Ada Lovelace", "Grace Hopper"]
        assert [s.judge for s in pages[2].sheets] == ["Alan Turing"]
    finally:
        replica.close()


def test_the_judges_names_setting_defaults_off_and_takes_true_or_false_only(
    tmp_path: Path,
) -> None:
    replica = Replica.open(tmp_path / "host.db")
    try:
        replica.register_self()
        assert replica.state.event()["feedback_names_judges"] is False
        replica.admin("event.set", {"field": "feedback_names_judges", "value": True})
        assert replica.state.event()["feedback_names_judges"] is True
        with pytest.raises(Rejected, match="true or false"):
            replica.admin("event.set", {"field": "feedback_names_judges", "value": "yes"})
        assert replica.state.event()["feedback_names_judges"] is True  # nothing lost
    finally:
        replica.close()


def test_certificates_go_to_the_first_three_places_shared_ranks_included(event: Replica) -> None:
    found = reports.winners(event.state, event.board.rows())
    assert [(w.row.rank, w.row.team_name) for w in found] == [
        (1, "Aurora"),
        (2, "Basalt"),
        (2, "Cobalt"),
    ]
    assert [w.row.team_name for w in reports.winners(event.state, event.board.rows(), 1)] == [
        "Aurora"
    ]


def test_blank_sheets_list_each_judges_teams_and_the_criteria(event: Replica) -> None:
    found = reports.blank_sheets(event.state)
    assert [s.judge_name for s in found] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    by_judge = {s.judge_id: [name for _, name, _ in s.teams] for s in found}
    assert by_judge == {
        "ada": ["Aurora", "Basalt"],  # assigned these two
        "alan": ["Basalt", "Cobalt", "Driftwood", "Ember"],  # a conflict with Aurora
        "grace": ["Aurora", "Basalt", "Cobalt", "Driftwood", "Ember"],  # no list: every team
    }
    demo = found[0].criteria[2]
    assert (demo.name, demo.low, demo.high, demo.step, demo.weight) == ("Demo", 1, 5, 0.5, 1)


def test_an_event_with_nothing_to_print_says_what_is_missing(tmp_path: Path) -> None:
    replica = Replica.open(tmp_path / "host.db")
    try:
        replica.register_self()
        state, rows = replica.state, replica.board.rows()
        with pytest.raises(reports.NothingToPrint, match="no team has a final sheet"):
            reports.results(state, rows)
        with pytest.raises(reports.NothingToPrint, match="no feedback"):
            reports.feedback(state, rows)
        with pytest.raises(reports.NothingToPrint, match="no certificates"):
            reports.winners(state, rows)
        with pytest.raises(reports.NothingToPrint, match="no criteria"):
            reports.blank_sheets(state)
        replica.admin(
            "criterion.put",
            {"id": "c", "name": "C", "weight": 1, "min": 0, "max": 9, "step": 1, "order": 0},
        )
        with pytest.raises(reports.NothingToPrint, match="no judge has a team"):
            reports.blank_sheets(replica.state)
    finally:
        replica.close()
