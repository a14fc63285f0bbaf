"""Tests for the documents' data: boards, feedback (judges' names honoured), winners, sheets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import reports
from storage.replica import Rejected, Replica
from tests.report_event import prized_event, scored_event


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


# --- prizes and rounds (tests/report_event.py: the prized event) --------------------------------


@pytest.fixture
def prized(tmp_path: Path) -> Iterator[Replica]:
    replica = prized_event(tmp_path)
    yield replica
    replica.close()


def _table(board: reports.Board) -> list[tuple[int | None, bool, str, float | None, int]]:
    return [(r.rank, r.shared, r.team_name, r.total, r.judge_count) for r in board.rows]


def test_every_round_and_prize_is_a_board_titled_by_round_prize_and_sponsor(
    prized: Replica,
) -> None:
    found = reports.boards(prized.state, prized.board.rows())
    assert [b.title for b in found] == [
        "Round 1 · Overall results",
        "Round 1 · Best design (Acme Studio)",
        "Round 1 · Best newcomers",
        "Finals · Overall results",
        "Finals · Best design (Acme Studio)",
        "Finals · Best newcomers",
    ]
    main, design, rookie, finals = found[0], found[1], found[2], found[3]
    assert _table(main)[:2] == [(1, False, "Aurora", 87.19, 2), (2, True, "Basalt", 62.5, 2)]
    # A prize with its own criterion ranks on it alone; its means are over it alone.
    assert [c.name for c in design.criteria] == ["Craft"]
    assert _table(design)[:3] == [
        (1, True, "Basalt", 90.0, 1),
        (1, True, "Cobalt", 90.0, 1),
        (3, False, "Aurora", 70.0, 2),
    ]
    assert design.rows[2].means == (7.0,)
    assert [c.name for c in rookie.criteria] == ["Innovation", "Design", "Demo"]
    assert _table(rookie) == [(1, False, "Basalt", 62.5, 2), (2, False, "Driftwood", 38.75, 1)]
    assert rookie.rows[1].means == (4.0, 50.0, 2.0)
    assert not main.normalised
    assert finals.normalised
    # Finals rank by normalised totals: Basalt's raw 70.94 is shown beside its 74.37.
    assert _table(finals) == [
        (1, False, "Aurora", 80.55, 2),
        (2, False, "Basalt", 74.37, 2),
        (3, False, "Cobalt", 68.52, 2),
    ]
    assert finals.rows[1].raw == pytest.approx(70.9375)
    assert finals.rows[0].means == (8.0, 80.0, 4.5)  # the finals' own sheets only


def test_an_event_without_prizes_or_rounds_keeps_one_board_titled_overall(event: Replica) -> None:
    (board,) = reports.boards(event.state, event.board.rows())
    assert board.title is None  # printed as "Overall results", as before
    assert board.prize is None
    assert board.sponsor == ""


def test_certificates_add_each_prizes_first_place_from_its_latest_ranked_round(
    prized: Replica,
) -> None:
    found = reports.winners(prized.state, prized.board.rows())
    table = [(w.board, w.prize, w.sponsor, w.row.rank, w.row.team_name) for w in found]
    assert table == [
        ("Finals · Overall results", None, "", 1, "Aurora"),
        ("Finals · Overall results", None, "", 2, "Basalt"),
        ("Finals · Overall results", None, "", 3, "Cobalt"),
        # The finals scored no Craft: Best design's latest result is round 1's, a shared first.
        ("Round 1 · Best design (Acme Studio)", "Best design", "Acme Studio", 1, "Basalt"),
        ("Round 1 · Best design (Acme Studio)", "Best design", "Acme Studio", 1, "Cobalt"),
        ("Finals · Best newcomers", "Best newcomers", "", 1, "Basalt"),
    ]


def test_feedback_lists_a_teams_rank_on_every_board_it_is_on(prized: Replica) -> None:
    pages = reports.feedback(prized.state, prized.board.rows())
    basalt = next(p for p in pages if p.row.team_name == "Basalt")
    assert [(p.board, p.rank, p.shared, p.total) for p in basalt.placings] == [
        ("Round 1 · Overall results", 2, True, 62.5),
        ("Round 1 · Best design (Acme Studio)", 1, True, 90.0),
        ("Round 1 · Best newcomers", 1, False, 62.5),
        ("Finals · Overall results", 2, False, 74.37),
        ("Finals · Best design (Acme Studio)", None, False, None),
        ("Finals · Best newcomers", 1, False, 70.94),
    ]
    ember = reports.feedback(prized.state, prized.board.rows())
    assert "Ember" not in [p.row.team_name for p in ember]  # no final sheet: no page


def test_a_team_on_one_board_only_has_no_placings_list(event: Replica) -> None:
    pages = reports.feedback(event.state, event.board.rows())
    assert [p.placings for p in pages] == [()] * 4


def test_blank_sheets_group_each_prizes_own_criteria_under_its_name(prized: Replica) -> None:
    found = reports.blank_sheets(prized.state)
    first = [s for s in found if s.round_name == "Round 1"]
    ada = next(s for s in first if s.judge_id == "ada")
    aurora = ada.tables[0]
    assert aurora.name == "Aurora"
    assert [(g.heading, [c.name for c in g.criteria]) for g in aurora.groups] == [
        (None, ["Innovation", "Design", "Demo"]),
        ("Best design (Acme Studio)", ["Craft"]),
    ]
    assert aurora.also_for == ()  # Aurora did not opt in to Best newcomers
    basalt = ada.tables[1]
    assert basalt.also_for == ("Best newcomers",)  # scored on the event's criteria
    # The finals: their own sheets, for the finalists, only for the finals' judges.
    finals = [s for s in found if s.round_name == "Finals"]
    assert [s.judge_name for s in finals] == ["Ada Lovelace", "Grace Hopper"]
    assert [t.name for t in finals[0].tables] == ["Aurora", "Basalt", "Cobalt"]


def test_blank_sheets_of_a_one_round_event_name_no_round(event: Replica) -> None:
    found = reports.blank_sheets(event.state)
    assert {s.round_name for s in found} == {None}
    assert all(len(t.groups) == 1 and t.also_for == () for s in found for t in s.tables)


def test_a_hidden_prize_is_printed_in_the_results_but_never_in_a_teams_feedback(
    tmp_path: Path,
) -> None:
    prized = prized_event(tmp_path, hidden=True)
    try:
        _hidden_prize_checks(prized)
    finally:
        prized.close()


def _hidden_prize_checks(prized: Replica) -> None:
    found = reports.boards(prized.state, prized.board.rows())
    hidden = [b.title for b in found if b.hidden]
    assert hidden == ["Round 1 · Judges' pick", "Finals · Judges' pick"]
    pages = reports.feedback(prized.state, prized.board.rows())
    boards_listed = {p.board for page in pages for p in page.placings}
    assert "Round 1 · Best newcomers" in boards_listed
    assert not any("Judges' pick" in b for b in boards_listed)
    # A hidden prize is still awarded: its first place gets a certificate.
    assert "Judges' pick" in [w.prize for w in reports.winners(prized.state, prized.board.rows())]
