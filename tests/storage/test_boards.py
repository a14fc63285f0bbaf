"""Tests for the boards: every (round, prize), tie-breaks, normalisation, rounds and finalists."""

from __future__ import annotations

import itertools
import statistics
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from storage.boards import (
    Board,
    board,
    boards,
    finalist_bodies,
    main_scoreboard,
    normalise_scores,
    proposed_finalists,
    public_boards,
    team_boards,
)
from storage.sheets import needs_update
from storage.state import State
from tests.conftest import OpFactory

SCALE = {"weight": 1, "min": 0, "max": 100, "step": 1}


class Event:
    """A state built op by op from an admin device and one device per judge."""

    def __init__(self) -> None:
        self.state = State()
        self.admin = OpFactory("admin", seed=1)
        self.judges: dict[str, OpFactory] = {}

    def do(self, kind: str, body: dict[str, Any]) -> Event:
        """Fold an admin op."""
        self.state.apply(self.admin.op(kind, body))
        return self

    def teams(self, *ids: str, prizes: tuple[str, ...] = ()) -> Event:
        for tid in ids:
            self.do("team.put", {"id": tid, "name": tid.upper(), "prizes": list(prizes)})
        return self

    def judge(self, jid: str, prizes: tuple[str, ...] = ()) -> Event:
        self.do("judge.put", {"id": jid, "name": jid, "prizes": list(prizes)})
        return self

    def criterion(self, cid: str, **extra: Any) -> Event:
        return self.do("criterion.put", {"id": cid, "name": cid.title(), **SCALE, **extra})

    def sheet(
        self, jid: str, tid: str, scores: dict[str, float], *, final: bool = True, **extra: Any
    ) -> Event:
        factory = self.judges.setdefault(jid, OpFactory(jid, seed=100 + len(self.judges)))
        body = {"team": tid, "scores": scores, "comment": "", "final": final, **extra}
        self.state.apply(factory.op("sheet.save", body))
        return self


def ranks(found: Board) -> list[tuple[str, int | None]]:
    return [(row.team_id, row.rank) for row in found.rows]


def basic() -> Event:
    return Event().criterion("c1").teams("a", "b", "c").judge("j1").judge("j2")


# --- the main board is today's leaderboard -----------------------------------------------------

EVENTS = st.fixed_dictionaries(
    {
        "criteria": st.lists(st.integers(1, 3), min_size=1, max_size=3),
        "teams": st.integers(1, 5),
        "judges": st.integers(1, 3),
        "sheets": st.lists(
            st.tuples(
                st.integers(0, 2),
                st.integers(0, 4),
                st.lists(st.sampled_from([0, 10, 50, 85, 100]), min_size=3, max_size=3),
                st.booleans(),
                st.integers(0, 2),
            ),
            max_size=20,
        ),
        "tie_break": st.lists(st.sampled_from(["c0", "c1", "c2"]), unique=True, max_size=2),
        "gone_judge": st.booleans(),
        "prize_criterion": st.booleans(),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event=EVENTS)
def test_the_main_board_ranks_as_the_scoreboard_does(event: dict[str, Any]) -> None:
    e = Event()
    for k, weight in enumerate(event["criteria"]):
        e.do("criterion.put", {"id": f"c{k}", "name": f"C{k}", **SCALE, "weight": weight})
    if event["prize_criterion"]:  # a prize's own criterion counts on its board only
        e.do("prize.put", {"id": "p", "name": "Sponsor"}).criterion("own", prize="p")
    e.teams(*(f"t{t}" for t in range(event["teams"])))
    for j in range(event["judges"]):
        e.judge(f"j{j}")
    e.do("event.set", {"field": "tie_break", "value": list(event["tie_break"])})
    for j, t, marks, final, skip in event["sheets"]:
        if j < event["judges"] and t < event["teams"]:
            scores = {f"c{k}": marks[k] for k in range(len(event["criteria"])) if k >= skip}
            if event["prize_criterion"]:
                scores["own"] = marks[0]
            e.sheet(f"j{j}", f"t{t}", scores or {"c0": 1}, final=final)
    if event["gone_judge"]:
        e.do("judge.del", {"id": "j0"})
    expected = [row.to_wire() for row in main_scoreboard(e.state).rows()]
    main = board(e.state)
    keys = ("rank", "team_id", "team_name", "total_score", "judge_count")
    assert [{k: r[k] for k in keys} for r in main.wire_rows()] == expected


# --- prizes -------------------------------------------------------------------------------------


def test_a_prize_board_takes_opted_in_teams_its_judges_and_its_own_criteria() -> None:
    e = basic().do("prize.put", {"id": "api", "name": "Best API use", "sponsor": "Acme"})
    e.do(
        "prize.put",
        {
            "id": "api",
            "name": "Best API use",
            "sponsor": "Acme",
            "eligibility": "opt_in",
            "judges": "listed",
        },
    )
    e.criterion("api-use", prize="api").judge("j2", prizes=("api",))
    e.teams("a", "b", prizes=("api",))
    e.sheet("j1", "a", {"c1": 90}).sheet("j1", "b", {"c1": 40}).sheet("j1", "c", {"c1": 60})
    e.sheet("j2", "a", {"c1": 80, "api-use": 20}).sheet("j2", "b", {"c1": 50, "api-use": 70})
    e.sheet("j2", "c", {"c1": 70, "api-use": 100})  # c did not opt in: not on the prize board
    prize = board(e.state, "main", "api")
    assert prize.criteria == ("api-use",)
    assert ranks(prize) == [("b", 1), ("a", 2)]
    assert [h.judge_id for h in prize.judges] == ["j2"]  # j1 does not carry the prize
    assert prize.sponsor == "Acme"
    main = board(e.state)
    assert main.criteria == ("c1",)
    assert ranks(main) == [("a", 1), ("c", 2), ("b", 3)]
    assert main.rows[0].total_score == 85.0  # the prize's criterion never counts here


def test_a_hidden_prize_never_reaches_displays_and_teams() -> None:
    e = basic().do("prize.put", {"id": "secret", "name": "Judges' pick", "hidden": True})
    e.do("prize.put", {"id": "open", "name": "Crowd", "order": 1})
    e.sheet("j1", "a", {"c1": 50})
    assert [b.prize_id for b in boards(e.state)] == [None, "secret", "open"]
    assert [b.prize_id for b in public_boards(e.state)] == [None, "open"]
    assert [b.prize_id for b in team_boards(e.state, "a")] == [None, "open"]


# --- tie-breaks ---------------------------------------------------------------------------------


def _tied() -> Event:
    e = Event().criterion("c1").criterion("c2").teams("a", "b").judge("j1").judge("j2")
    e.judge("j3")
    # a: one sheet of 60; b: two sheets averaging 60 (their c2 mean is lower).
    e.sheet("j1", "a", {"c1": 60, "c2": 60})
    e.sheet("j1", "b", {"c1": 80, "c2": 40}).sheet("j2", "b", {"c1": 70, "c2": 50})
    return e


@pytest.mark.parametrize(
    ("tie_break", "order", "used"),
    [
        ([], [("a", 1), ("b", 1)], None),
        (["#sheets"], [("b", 1), ("a", 2)], "#sheets"),
        (["c2"], [("a", 1), ("b", 2)], "c2"),
        (["c1", "#sheets"], [("b", 1), ("a", 2)], "c1"),
        (["#median"], [("a", 1), ("b", 1)], None),  # both medians are 60: still shared
    ],
)
def test_tie_breaks_split_equal_totals_or_leave_them_shared(
    tie_break: list[str], order: list[tuple[str, int]], used: str | None
) -> None:
    e = _tied().do("event.set", {"field": "tie_break", "value": tie_break})
    found = board(e.state)
    assert ranks(found) == order
    assert found.tie_break == tuple(tie_break)
    assert {row.tie_break for row in found.rows} == {used}
    assert all(row.shared == (used is None) for row in found.rows)


def test_median_splits_what_the_mean_does_not() -> None:
    e = Event().criterion("c1").teams("a", "b").judge("j1").judge("j2").judge("j3")
    for j, (x, y) in zip(("j1", "j2", "j3"), ((50, 40), (50, 60), (50, 50)), strict=True):
        e.sheet(j, "a", {"c1": x}).sheet(j, "b", {"c1": y})
    e.do("event.set", {"field": "tie_break", "value": ["#median"]})
    assert ranks(board(e.state)) == [("a", 1), ("b", 1)]  # medians equal too (50, 50)
    e.sheet("j3", "b", {"c1": 80}).sheet("j2", "b", {"c1": 30})  # b: 40, 30, 80 -> 50
    e.sheet("j3", "a", {"c1": 50})
    assert board(e.state).rows[0].total_score == 50.0


# --- normalisation ------------------------------------------------------------------------------


def test_normalisation_is_off_by_default_and_shown_beside_raw_when_on() -> None:
    e = basic()
    e.sheet("j1", "a", {"c1": 90}).sheet("j1", "b", {"c1": 80}).sheet("j1", "c", {"c1": 70})
    e.sheet("j2", "a", {"c1": 30}).sheet("j2", "b", {"c1": 50})
    off = board(e.state)
    assert off.normalise == "off"
    assert all(row.normalised_score is None for row in off.rows)
    e.do("event.set", {"field": "normalise", "value": "shown"})
    shown = board(e.state)
    assert shown.ranked_by == "raw"
    assert ranks(shown) == ranks(off)
    assert all(row.normalised_score is not None for row in shown.rows)
    harsh = {h.judge_id: h for h in shown.judges}
    assert harsh["j1"].mean == 80.0
    assert harsh["j1"].count == 3
    assert harsh["j1"].normalised
    assert harsh["j2"].mean == 40.0
    assert harsh["j2"].spread == 10.0
    e.do("event.set", {"field": "normalise", "value": "ranks"})
    ranked = board(e.state)
    assert ranked.ranked_by == "normalised"
    # Raw, a leads on j1's generous marks; normalised, b is the better of j2's two sheets.
    assert ranks(ranked)[0] == ("b", 1)


def test_a_judge_with_one_sheet_or_no_spread_is_left_raw_and_flagged() -> None:
    mapped, figures = normalise_scores({"one": [70.0], "flat": [50.0, 50.0], "ok": [20.0, 80.0]})
    assert mapped["one"] == [70.0]
    assert mapped["flat"] == [50.0, 50.0]
    assert {f.judge_id: f.normalised for f in figures} == {"one": False, "flat": False, "ok": True}
    everything = [70.0, 50.0, 50.0, 20.0, 80.0]
    mean, spread = statistics.fmean(everything), statistics.pstdev(everything)
    assert mapped["ok"] == pytest.approx([mean - spread, mean + spread])


def test_normalised_scores_are_clamped_to_the_scale() -> None:
    mapped, _ = normalise_scores({"wide": [0.0, 0.0, 0.0, 100.0], "narrow": [99.0, 100.0]})
    assert all(0.0 <= v <= 100.0 for scores in mapped.values() for v in scores)


JUDGED = st.lists(  # per judge, a mark for each of 4 teams (None: did not score it)
    st.lists(st.one_of(st.none(), st.integers(30, 60)), min_size=4, max_size=4),
    min_size=2,
    max_size=3,
)


def _event_of(marks: list[list[int | None]], judge: int, how: Any) -> Event:
    e = Event().criterion("c1").teams("t0", "t1", "t2", "t3")
    # One criterion on 0..100 (a sheet's score is its mark), fine-grained so scaling is exact.
    e.do(
        "criterion.put",
        {"id": "c1", "name": "C1", "weight": 1, "min": 0, "max": 100, "step": 0.0001},
    )
    e.do("event.set", {"field": "normalise", "value": "ranks"})
    for j, row in enumerate(marks):
        e.judge(f"j{j}")
        for t, mark in enumerate(row):
            if mark is not None:
                value = how(mark) if j == judge else mark
                e.sheet(f"j{j}", f"t{t}", {"c1": value})
    return e


def _unclamped(marks: list[list[int | None]], judge: int, how: Any) -> bool:
    """Tell whether no normalised sheet score reaches an end of the scale (0 or 100)."""
    by_judge = {
        j: [float(how(m) if j == judge else m) for m in row if m is not None]
        for j, row in enumerate(marks)
    }
    everything = [v for scores in by_judge.values() for v in scores]
    mean, spread = statistics.fmean(everything), statistics.pstdev(everything)
    return all(
        0.0 < mean + spread * (v - statistics.fmean(vs)) / statistics.pstdev(vs) < 100.0
        for vs in by_judge.values()
        for v in vs
    )


def _normalised_order(marks: list[list[int | None]], judge: int, how: Any) -> list[Any]:
    found = board(_event_of(marks, judge, how).state)
    return [(r.team_id, r.rank, r.exact_total) for r in found.rows]


def _apart(order: list[Any]) -> bool:
    """Tell whether distinct totals stay apart once shown (2 decimals) and equal ones equal."""
    totals = sorted(t for _, _, t in order if t is not None)
    return all(b - a > 0.05 or b - a < 1e-9 for a, b in itertools.pairwise(totals))


@settings(max_examples=200, deadline=None)
@given(marks=JUDGED, shift=st.integers(1, 40), factor=st.sampled_from([0.5, 0.8, 1.25, 1.6]))
def test_a_judge_shifting_or_scaling_every_score_changes_no_normalised_ranking(
    marks: list[list[int | None]], shift: int, factor: float
) -> None:
    # Every judge is normalised (a judge left raw, by definition, is not invariant).
    assume(all(len({m for m in row if m is not None}) >= 2 for row in marks))

    def same(mark: int) -> float:
        return mark

    before = _normalised_order(marks, 0, same)
    for how in (lambda m: m + shift, lambda m: m * factor):
        # The invariance is exact while no normalised score is clamped to an end of the scale
        # (a shifted judge moves the board's overall mean and spread, so clamping may differ;
        # docs/protocol.md 6b), and where shown totals keep apart what is apart.
        assume(_unclamped(marks, 0, same) and _unclamped(marks, 0, how))
        after = _normalised_order(marks, 0, how)
        assume(_apart(before) and _apart(after))
        assert [(t, r) for t, r, _ in after] == [(t, r) for t, r, _ in before]


# --- rounds and finalists ------------------------------------------------------------------------


def _two_rounds(rule: str = "top_overall", n: int = 2, **finals: Any) -> Event:
    e = basic().do("prize.put", {"id": "p", "name": "Beginners", "eligibility": "opt_in"})
    e.teams("c", prizes=("p",))
    e.sheet("j1", "a", {"c1": 90}).sheet("j1", "b", {"c1": 80}).sheet("j1", "c", {"c1": 20})
    e.do(
        "round.put",
        {"id": "finals", "name": "Finals", "finalists": rule, "finalists_n": n, **finals},
    )
    return e


def test_top_n_overall_and_per_prize_propose_finalists() -> None:
    assert proposed_finalists(_two_rounds().state, "finals") == ["a", "b"]
    assert proposed_finalists(_two_rounds("top_per_prize", 1).state, "finals") == ["a", "c"]
    # A tie at the cut takes both teams of the shared rank.
    e = _two_rounds(n=1).sheet("j1", "b", {"c1": 90})
    assert proposed_finalists(e.state, "finals") == ["a", "b"]


def test_finalist_bodies_apply_the_rule_and_manual_changes_stay_ops() -> None:
    e = _two_rounds()
    bodies = finalist_bodies(e.state, "finals")
    assert bodies == [
        {"round": "finals", "team": "a", "finalist": True},
        {"round": "finals", "team": "b", "finalist": True},
    ]
    for body in bodies:
        e.do("finalist.put", body)
    e.do("finalist.put", {"round": "finals", "team": "c", "finalist": True})  # manual add
    assert finalist_bodies(e.state, "finals") == [
        {"round": "finals", "team": "c", "finalist": False}
    ]
    finals = board(e.state, "finals")
    assert sorted(r.team_id for r in finals.rows) == ["a", "b", "c"]


def test_a_later_round_has_its_own_sheets_and_the_first_stays_counted() -> None:
    e = _two_rounds()
    for body in finalist_bodies(e.state, "finals"):
        e.do("finalist.put", body)
    e.sheet("j2", "b", {"c1": 95}, round="finals").sheet("j2", "a", {"c1": 60}, round="finals")
    finals, first = board(e.state, "finals"), board(e.state)
    assert finals.round_name == "Finals"
    assert first.round_name == "Round 1"
    assert ranks(finals) == [("b", 1), ("a", 2)]
    assert ranks(first) == [("a", 1), ("b", 2), ("c", 3)]  # acked in round 1: still counted
    assert [b.key for b in boards(e.state)] == [
        ("main", None),
        ("main", "p"),
        ("finals", None),
        ("finals", "p"),
    ]


def test_a_weighted_round_combines_with_the_previous_one() -> None:
    e = _two_rounds(result="weighted", previous_weight=0.25)
    for body in finalist_bodies(e.state, "finals"):
        e.do("finalist.put", body)
    e.sheet("j2", "b", {"c1": 100}, round="finals").sheet("j2", "a", {"c1": 80}, round="finals")
    finals = board(e.state, "finals")
    by_team = {r.team_id: r for r in finals.rows}
    assert by_team["a"].total_score == 0.75 * 80 + 0.25 * 90
    assert by_team["b"].total_score == 0.75 * 100 + 0.25 * 80
    assert by_team["a"].previous_score == 90
    assert by_team["a"].raw_score == 80
    assert ranks(finals) == [("b", 1), ("a", 2)]


def test_a_round_with_its_own_criteria_ranks_on_them() -> None:
    e = _two_rounds().criterion("pitch", round="finals")
    for body in finalist_bodies(e.state, "finals"):
        e.do("finalist.put", body)
    e.sheet("j1", "a", {"pitch": 70}, round="finals")
    finals = board(e.state, "finals")
    assert finals.criteria == ("pitch",)
    assert board(e.state).criteria == ("c1",)
    assert finals.rows[0].total_score == 70.0


# --- criteria changed while judging ------------------------------------------------------------


def test_a_criterion_added_while_scoring_marks_sheets_needing_update_and_the_board_says_so() -> (
    None
):
    e = basic().sheet("j1", "a", {"c1": 80}).sheet("j1", "b", {"c1": 60}, final=False)
    e.criterion("c2")
    assert needs_update(e.state, "j1") == [("main", "a", ["c2"])]  # the draft needs no update
    found = board(e.state)
    assert found.rows[0].total_score == 80.0  # counted on the criteria it has, scaled
    assert found.rows[0].incomplete == 1
    assert found.incomplete_sheets == 1
    e.sheet("j1", "a", {"c1": 80, "c2": 40})
    assert needs_update(e.state, "j1") == []
    assert board(e.state).rows[0].total_score == 60.0
