"""Tests for the event rules of a sheet: who may score which team, the scale, final sheets."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.sheets import (
    SheetProblem,
    criterion_change_impact,
    judge_team_problem,
    may_score,
    on_scale,
    scorable_teams,
    score_problems,
    scoring_for,
    sheet_criteria,
    sheet_problem,
    step_count,
)
from storage.state import State
from tests.conftest import OpFactory

STEPS = (0.01, 0.1, 0.25, 0.5, 1, 5)
ADA = {"id": "j1", "name": "Ada", "conflicts": ["t3"]}


# --- may judge J score team T -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("judge", "team", "exists", "assigned", "expected"),
    [
        (ADA, "t1", True, set(), None),
        (
            ADA,
            "t3",
            True,
            set(),
            ("forbidden", "this judge has a conflict of interest with this team"),
        ),
        (
            ADA,
            "t3",
            True,
            {"t3"},
            ("forbidden", "this judge has a conflict of interest with this team"),
        ),
        (ADA, "t1", True, {"t2"}, ("forbidden", "this team is not assigned to this judge")),
        (ADA, "t2", True, {"t2"}, None),
        # An assignment to a team since removed still limits the judge to its list.
        (ADA, "t1", True, {"gone"}, ("forbidden", "this team is not assigned to this judge")),
        (ADA, "t9", False, set(), ("unknown_team", "there is no team 't9'")),
        (None, "t1", True, set(), ("forbidden", "this judge has been removed from the event")),
    ],
)
def test_judge_team_problem_on_plain_values(
    judge: dict[str, Any] | None,
    team: str,
    exists: bool,
    assigned: set[str],
    expected: tuple[str, str] | None,
) -> None:
    problem = judge_team_problem(judge, team, team_exists=exists, assigned=assigned)
    assert (None if problem is None else (problem.code, problem.message)) == expected


@pytest.fixture
def event(admin_ops: OpFactory, fold: Callable[..., State]) -> State:
    """Teams t1-t4 (t4 removed), judge j1 (conflict t3, assigned t2 and t3), judge j2 (no list)."""
    ops = [
        *(admin_ops.op("team.put", {"id": t, "name": t}) for t in ("t1", "t2", "t3", "t4")),
        admin_ops.op("team.del", {"id": "t4"}),
        admin_ops.op("judge.put", ADA),
        admin_ops.op("judge.put", {"id": "j2", "name": "Bob"}),
        admin_ops.op("assign.put", {"judge": "j1", "team": "t2", "assigned": True}),
        admin_ops.op("assign.put", {"judge": "j1", "team": "t3", "assigned": True}),
    ]
    state: State = fold(ops)
    return state


def test_scorable_teams_are_the_teams_may_score_lets_through(event: State) -> None:
    assert scorable_teams(event, "j1") == ["t2"]
    assert scorable_teams(event, "j2") == ["t1", "t2", "t3"]
    assert scorable_teams(event, "j9") == []
    for judge in ("j1", "j2", "j9"):
        allowed = [t for t in ("t1", "t2", "t3", "t4") if may_score(event, judge, t) is None]
        assert scorable_teams(event, judge) == allowed
    assert may_score(event, "j2", "t4") == SheetProblem("unknown_team", "there is no team 't4'")


def test_scorable_teams_takes_the_live_teams_a_caller_already_read(event: State) -> None:
    teams = event.teams()
    assert scorable_teams(event, "j2", teams) == scorable_teams(event, "j2") == sorted(teams)


# --- the scale --------------------------------------------------------------------------------


@st.composite
def scales(draw: st.DrawFn) -> dict[str, Any]:
    """A criterion as an organiser types one: a decimal minimum, a listed step, a whole range."""
    step = draw(st.sampled_from(STEPS))
    low = draw(st.integers(-100_000, 100_000)) / 100
    count = draw(st.integers(1, 5_000))
    high = round(low + count * step + draw(st.sampled_from((0, 0, step / 3))), 4)
    return {"id": "c", "name": "Scale", "min": low, "max": high, "step": step}


def places(criterion: dict[str, Any]) -> int:
    """Return the decimals a person types on this scale (those of its min and step)."""
    return max(len(repr(float(criterion[k])).split(".")[1].rstrip("0")) for k in ("min", "step"))


@settings(max_examples=300, deadline=None)
@given(scales(), st.data())
def test_every_step_within_the_range_is_on_the_scale(
    criterion: dict[str, Any], data: st.DataObject
) -> None:
    low, step, top = criterion["min"], criterion["step"], step_count(criterion)
    assert low + top * step <= criterion["max"] + 1e-9 < low + (top + 1) * step
    for k in [*data.draw(st.lists(st.integers(0, top), min_size=1, max_size=10)), 0, top]:
        assert on_scale(low + k * step, criterion), k
        # ...and as a person types it, or a JSON number carries it.
        assert on_scale(round(low + k * step, places(criterion)), criterion), k
        assert on_scale(float(repr(low + k * step)), criterion), k


@settings(max_examples=300, deadline=None)
@given(scales(), st.data())
def test_values_between_steps_are_off_the_scale(
    criterion: dict[str, Any], data: st.DataObject
) -> None:
    low, step = criterion["min"], criterion["step"]
    k = data.draw(st.integers(0, step_count(criterion)))
    fraction = data.draw(st.floats(0.01, 0.99))
    assert not on_scale(low + (k + fraction) * step, criterion)
    # A typed digit too many is no float error: 1e-7 off a 0.01 grid is refused.
    assert not on_scale(low + k * step + step * 1e-5, criterion)


@settings(max_examples=300, deadline=None)
@given(scales(), st.data())
def test_values_outside_the_range_are_off_the_scale(
    criterion: dict[str, Any], data: st.DataObject
) -> None:
    low, high, step = criterion["min"], criterion["max"], criterion["step"]
    below = data.draw(st.floats(max_value=low - step * 1e-3, allow_nan=False))
    above = data.draw(st.floats(min_value=high + step * 1e-3, allow_nan=False))
    k = data.draw(st.integers(1, 1_000))
    for value in (below, above, low - k * step, low + (step_count(criterion) + k) * step):
        assert not on_scale(value, criterion), value


@pytest.mark.parametrize(
    ("value", "criterion", "expected"),
    [
        # The example: the judge's window once took it, the host did not.
        (1001.8500001, {"min": 0, "max": 2000, "step": 0.01}, False),
        (500.0000005, {"min": 499.98, "max": 500, "step": 0.01}, False),
        (1001.85, {"min": 0, "max": 2000, "step": 0.01}, True),
        (0.1 + 0.2, {"min": 0, "max": 1, "step": 0.1}, True),
        (0.7 + 0.1, {"min": 0, "max": 1, "step": 0.1}, True),
        (7.25, {"min": 0, "max": 10, "step": 0.5}, False),
        (10, {"min": 0, "max": 10, "step": 3}, False),
        (9, {"min": 0, "max": 10, "step": 3}, True),
        (math.nan, {"min": 0, "max": 10, "step": 1}, False),
        (math.inf, {"min": 0, "max": 10, "step": 1}, False),
        # A grid finer than floats resolve neither crashes nor overflows.
        (5.0, {"min": 0, "max": 1e9, "step": 1e-300}, True),
    ],
)
def test_on_scale_examples(value: float, criterion: dict[str, Any], expected: bool) -> None:
    assert on_scale(value, criterion) is expected


def test_step_count_decides_the_top_step_as_on_scale_does() -> None:
    assert step_count({"min": 0, "max": 10, "step": 0.5}) == 20
    assert step_count({"min": 0, "max": 10, "step": 3}) == 3
    assert step_count({"min": 0, "max": 0.3, "step": 0.1}) == 3  # 0.3 / 0.1 is 2.9999999999999996
    assert step_count({"min": 0, "max": 19.9999999995, "step": 1}) == 19
    assert step_count({"min": 0, "max": 1e9, "step": 1e-300}) == 2**53


# --- what a sheet needs -------------------------------------------------------------------------

CRITERIA = [
    {"id": "idea", "name": "Idea", "min": 0, "max": 10, "step": 0.5},
    {"id": "build", "name": "Build", "min": 1, "max": 5, "step": 1},
]


def test_score_problems_come_in_scores_order_then_the_missing_criteria() -> None:
    problems = score_problems(CRITERIA, {"nope": 1, "idea": 7.3}, final=True)
    assert [(p.code, p.message) for p in problems] == [
        ("unknown_criterion", "there is no criterion 'nope'"),
        ("out_of_range", "Idea takes 0 to 10 in steps of 0.5; 7.3 is not one of them"),
        ("invalid", "a final sheet scores every criterion; missing: Build"),
    ]
    assert problems[1].criterion == CRITERIA[0]
    assert problems[1].value == 7.3
    assert problems[2].missing == (CRITERIA[1],)


def test_a_draft_may_miss_criteria_and_a_good_final_sheet_has_no_problem() -> None:
    assert score_problems(CRITERIA, {"idea": 5}, final=False) == []
    assert score_problems(CRITERIA, {"idea": 5, "build": 2}, final=True) == []


def test_sheet_problem_asks_who_may_score_before_the_scores(event: State) -> None:
    body = {"team": "t3", "scores": {"nope": 1}, "final": True}
    assert sheet_problem(event, "j2", {**body, "team": "t1"}) == SheetProblem(
        "unknown_criterion", "there is no criterion 'nope'"
    )
    problem = sheet_problem(event, "j1", body)
    assert problem is not None
    assert problem.code == "forbidden"
    assert sheet_problem(event, "j2", {"team": "t1", "scores": {}, "final": True}) is None


# --- prizes, rounds and criteria changed while judging (issue 11) -------------------------------


def _event() -> tuple[State, OpFactory]:
    admin = OpFactory("admin", seed=1)
    state = State()
    for kind, body in (
        (
            "criterion.put",
            {"id": "c1", "name": "Design", "weight": 1, "min": 0, "max": 10, "step": 1},
        ),
        ("prize.put", {"id": "acme", "name": "Acme", "eligibility": "opt_in", "judges": "listed"}),
        (
            "criterion.put",
            {
                "id": "api",
                "name": "API use",
                "weight": 1,
                "min": 0,
                "max": 5,
                "step": 1,
                "prize": "acme",
            },
        ),
        ("team.put", {"id": "t1", "name": "One", "prizes": ["acme"]}),
        ("team.put", {"id": "t2", "name": "Two"}),
        ("judge.put", {"id": "j1", "name": "Ada", "prizes": ["acme"]}),
        ("judge.put", {"id": "j2", "name": "Bao"}),
    ):
        state.apply(admin.op(kind, body))
    return state, admin


def test_scoring_for_names_the_boards_a_judge_scores_a_team_for() -> None:
    state, _ = _event()
    assert scoring_for(state, "j1", "t1") == [None, "acme"]
    assert scoring_for(state, "j1", "t2") == [None]  # t2 did not opt in
    assert scoring_for(state, "j2", "t1") == [None]  # j2 does not carry the prize
    assert [c["id"] for c in sheet_criteria(state, "j1", "t1")] == ["api", "c1"]  # by order, id
    assert scoring_for(state, "j1", "nobody") == []


def test_a_sheet_may_hold_the_criteria_of_its_boards_and_a_final_needs_the_rounds() -> None:
    state, _ = _event()

    def problem(judge: str, team: str, scores: dict[str, Any], final: bool = True) -> Any:
        body = {"team": team, "scores": scores, "comment": "", "final": final}
        found = sheet_problem(state, judge, body)
        return None if found is None else found.code

    assert problem("j1", "t1", {"c1": 5, "api": 3}) is None
    assert problem("j1", "t1", {"c1": 5}) is None  # a prize's criterion is not required
    assert problem("j1", "t1", {"api": 3}) == "invalid"  # the round's criteria are
    assert problem("j2", "t1", {"c1": 5, "api": 3}) == "unknown_criterion"
    assert problem("j1", "t2", {"c1": 5, "api": 3}) == "unknown_criterion"


def test_criterion_change_impact_counts_what_the_console_warns_about() -> None:
    state, admin = _event()
    for judge, team, scores, final in (
        ("j1", "t1", {"c1": 5, "api": 3}, True),
        ("j2", "t1", {"c1": 7}, True),
        ("j2", "t2", {"c1": 9}, False),
    ):
        body = {"team": team, "scores": scores, "comment": "", "final": final}
        state.apply(OpFactory(judge, seed=len(judge) + ord(judge[1])).op("sheet.save", body))
    added = {"id": "c2", "name": "Impact", "weight": 1, "min": 0, "max": 10, "step": 1}
    after = state.copy()
    after.apply(admin.op("criterion.put", added))
    impact = criterion_change_impact(state, "criterion.put", added, after)
    assert (impact.needs_update, impact.rescored, impact.off_scale) == (2, 0, 0)
    assert impact.judges == ("j1", "j2")
    narrowed = {"id": "c1", "name": "Design", "weight": 2, "min": 0, "max": 6, "step": 1}
    after = state.copy()
    after.apply(admin.op("criterion.put", narrowed))
    impact = criterion_change_impact(state, "criterion.put", narrowed, after)
    assert (impact.needs_update, impact.rescored, impact.off_scale) == (0, 2, 2)
