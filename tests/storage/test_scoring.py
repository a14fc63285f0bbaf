"""Tests for sheet scores, totals and ranks: worked examples, incremental equals from scratch."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.ops import Op
from storage.scoring import (
    Row,
    Scoreboard,
    apply_move,
    main_board_entry,
    rank_rows,
    scaled,
    sheet_score,
    undo_move,
)
from storage.state import State

# conftest.OpFactory, handed out by the session fixture `op_factory`.
Factory = Any

PERCENT = {"weight": 1, "min": 0, "max": 100, "step": 1}
THREE = {"a": {"id": "a", **PERCENT}, "b": {"id": "b", **PERCENT}, "c": {"id": "c", **PERCENT}}


class Feed:
    """A State and a Scoreboard fed op by op, the way a replica feeds them."""

    def __init__(self, factory: Factory) -> None:
        self.ops = factory
        self.state = State()
        self.board = Scoreboard()

    def apply(self, op: Op) -> None:
        entry = self.state.apply(op)
        if entry is not None:
            self.board.update(op.key, entry)

    def admin(self, kind: str, body: dict[str, Any]) -> None:
        self.apply(self.ops.op(kind, body, author="admin"))

    def criterion(self, cid: str, **scale: Any) -> None:
        self.admin("criterion.put", {"id": cid, "name": cid.title(), **(scale or PERCENT)})

    def team(self, tid: str, name: str | None = None) -> None:
        self.admin("team.put", {"id": tid, "name": name or tid.title()})

    def judge(self, jid: str) -> None:
        self.admin("judge.put", {"id": jid, "name": jid.title()})

    def sheet(self, jid: str, tid: str, scores: dict[str, float], *, final: bool = True) -> None:
        body = {"team": tid, "scores": scores, "comment": "", "final": final}
        self.apply(self.ops.op("sheet.save", body, author=jid))

    def rows(self) -> list[Row]:
        return self.board.rows()

    def row(self, tid: str) -> Row:
        (found,) = [r for r in self.board.rows() if r.team_id == tid]
        return found


@pytest.fixture
def feed(op_factory: Callable[..., Factory]) -> Feed:
    return Feed(op_factory("admin"))


def _wire(rows: Iterable[Row]) -> list[tuple[Any, ...]]:
    return [(r.rank, r.team_id, r.team_name, r.total_score, r.judge_count) for r in rows]


def _assert_same_as_from_scratch(feed: Feed) -> None:
    assert _wire(feed.rows()) == _wire(Scoreboard.from_state(feed.state).rows())


# --- worked examples: pure functions ------------------------------------------------------------


def test_sheet_of_85_90_88_on_three_equal_criteria_scores_87_67() -> None:
    score = sheet_score({"a": 85, "b": 90, "c": 88}, THREE)
    assert score == pytest.approx(263 / 3)
    assert round(score, 2) == 87.67


def test_second_judges_70_80_90_brings_the_team_total_to_83_83() -> None:
    first = sheet_score({"a": 85, "b": 90, "c": 88}, THREE)
    second = sheet_score({"a": 70, "b": 80, "c": 90}, THREE)
    assert first is not None
    assert second == pytest.approx(80.0)
    (row,) = rank_rows([("t1", "Aurora", math.fsum([first, second]) / 2, 2)])
    assert row == Row(1, "t1", "Aurora", 83.83, 2)


def test_weighted_criteria_count_by_weight() -> None:
    criteria = {"a": {**PERCENT, "weight": 2}, "b": {**PERCENT, "weight": 1}}
    assert sheet_score({"a": 100, "b": 40}, criteria) == pytest.approx(80.0)


def test_one_to_ten_in_half_steps_scales_to_zero_to_hundred() -> None:
    scale = {"weight": 1, "min": 1, "max": 10, "step": 0.5}
    assert scaled(1, scale) == 0.0
    assert scaled(5.5, scale) == pytest.approx(50.0)
    assert scaled(10, scale) == 100.0
    assert scaled(7.75, {"weight": 1, "min": 5, "max": 8, "step": 0.25}) == pytest.approx(275 / 3)


def test_scaled_clamps_a_score_outside_a_criterion_scale_changed_later() -> None:
    scale = {"weight": 1, "min": 1, "max": 10, "step": 1}
    assert scaled(85, scale) == 100.0
    assert scaled(0, scale) == 0.0


def test_sheet_score_ignores_criteria_that_no_longer_exist() -> None:
    assert sheet_score({"a": 80, "gone": 0}, THREE) == pytest.approx(80.0)
    assert sheet_score({"gone": 50}, THREE) is None
    assert sheet_score({}, THREE) is None


def test_rank_rows_gives_competition_ranks_1_2_2_4() -> None:
    rows = rank_rows(
        [("d", "D", 70.0, 1), ("b", "B", 80.0, 1), ("a", "A", 90.0, 1), ("c", "C", 80.0, 1)]
    )
    assert [(r.rank, r.team_id) for r in rows] == [(1, "a"), (2, "b"), (2, "c"), (4, "d")]


def test_rank_rows_compares_totals_rounded_to_two_decimals() -> None:
    same = rank_rows([("x", "X", 80.004, 1), ("y", "Y", 79.996, 1)])
    assert [(r.rank, r.total_score) for r in same] == [(1, 80.0), (1, 80.0)]
    apart = rank_rows([("x", "X", 80.004, 1), ("y", "Y", 80.006, 1)])
    assert [(r.rank, r.team_id, r.total_score) for r in apart] == [(1, "y", 80.01), (2, "x", 80.0)]


def test_rank_rows_puts_unscored_teams_last_by_name_without_rank() -> None:
    rows = rank_rows([("z", "zeta", None, 0), ("s", "Scored", 10.0, 1), ("a", "Alpha", None, 0)])
    assert _wire(rows) == [
        (1, "s", "Scored", 10.0, 1),
        (None, "a", "Alpha", None, 0),
        (None, "z", "zeta", None, 0),
    ]


def test_rank_rows_orders_equal_totals_by_name_ignoring_case() -> None:
    rows = rank_rows([("1", "beta", 50.0, 1), ("2", "Alpha", 50.0, 1), ("3", "alpha", 50.0, 1)])
    assert [r.team_id for r in rows] == ["2", "3", "1"]
    assert {r.rank for r in rows} == {1}


def test_rank_rows_tie_break_splits_equal_totals_and_keeps_ties_shared() -> None:
    totals = [("a", "A", 80.0, 1), ("b", "B", 80.0, 1), ("c", "C", 80.0, 1), ("d", "D", 90.0, 1)]
    rows = rank_rows(totals, {"a": (40.0,), "b": (60.0,), "c": (40.0,)})
    assert [(r.rank, r.team_id) for r in rows] == [(1, "d"), (2, "b"), (3, "a"), (3, "c")]


# --- worked examples: the Scoreboard fed by a State ---------------------------------------------


def _two_judge_example(feed: Feed) -> None:
    for cid in ("a", "b", "c"):
        feed.criterion(cid)
    feed.team("t1", "Aurora")
    feed.judge("j1")
    feed.judge("j2")
    feed.sheet("j1", "t1", {"a": 85, "b": 90, "c": 88})


def test_scoreboard_one_judge_85_90_88_gives_87_67(feed: Feed) -> None:
    _two_judge_example(feed)
    assert _wire(feed.rows()) == [(1, "t1", "Aurora", 87.67, 1)]
    _assert_same_as_from_scratch(feed)


def test_scoreboard_second_judge_70_80_90_gives_83_83(feed: Feed) -> None:
    _two_judge_example(feed)
    feed.rows()  # a cached leaderboard must be refreshed by the next sheet
    feed.sheet("j2", "t1", {"a": 70, "b": 80, "c": 90})
    assert _wire(feed.rows()) == [(1, "t1", "Aurora", 83.83, 2)]
    total, count = feed.board.total("t1")
    assert total == pytest.approx((263 / 3 + 80) / 2)
    assert count == 2
    _assert_same_as_from_scratch(feed)


def test_scoreboard_resaved_sheet_replaces_the_judges_earlier_one(feed: Feed) -> None:
    _two_judge_example(feed)
    feed.sheet("j1", "t1", {"a": 10, "b": 20, "c": 30})
    assert feed.row("t1").total_score == 20.0
    assert feed.row("t1").judge_count == 1


def test_scoreboard_weights_and_scales_combine(feed: Feed) -> None:
    feed.criterion("idea", weight=3, min=0, max=100, step=1)
    feed.criterion("demo", weight=1, min=1, max=10, step=0.5)
    feed.team("t1")
    feed.judge("j1")
    feed.sheet("j1", "t1", {"idea": 60, "demo": 10})
    # (3 * 60 + 1 * 100) / 4 = 70
    assert feed.row("t1").total_score == 70.0
    feed.sheet("j1", "t1", {"idea": 60, "demo": 5.5})
    # (3 * 60 + 1 * 50) / 4 = 57.5
    assert feed.row("t1").total_score == 57.5
    _assert_same_as_from_scratch(feed)


def test_scoreboard_weight_change_rescores_saved_sheets(feed: Feed) -> None:
    feed.criterion("a")
    feed.criterion("b")
    feed.team("t1")
    feed.judge("j1")
    feed.sheet("j1", "t1", {"a": 100, "b": 40})
    assert feed.row("t1").total_score == 70.0
    feed.criterion("a", weight=2, min=0, max=100, step=1)
    assert feed.row("t1").total_score == 80.0
    _assert_same_as_from_scratch(feed)


def test_scoreboard_drafts_do_not_count(feed: Feed) -> None:
    _two_judge_example(feed)
    feed.sheet("j2", "t1", {"a": 0, "b": 0, "c": 0}, final=False)
    assert _wire(feed.rows()) == [(1, "t1", "Aurora", 87.67, 1)]
    feed.sheet("j1", "t1", {"a": 85, "b": 90, "c": 88}, final=False)
    assert _wire(feed.rows()) == [(None, "t1", "Aurora", None, 0)]
    _assert_same_as_from_scratch(feed)


def test_scoreboard_removed_judges_sheets_stop_counting_and_return_with_the_judge(
    feed: Feed,
) -> None:
    _two_judge_example(feed)
    feed.sheet("j2", "t1", {"a": 70, "b": 80, "c": 90})
    feed.rows()
    feed.admin("judge.del", {"id": "j2"})
    assert _wire(feed.rows()) == [(1, "t1", "Aurora", 87.67, 1)]
    _assert_same_as_from_scratch(feed)
    feed.judge("j2")
    assert feed.row("t1").total_score == 83.83
    _assert_same_as_from_scratch(feed)


def test_scoreboard_removed_criterion_stops_counting(feed: Feed) -> None:
    _two_judge_example(feed)
    feed.rows()
    feed.admin("criterion.del", {"id": "a"})
    # (90 + 88) / 2 = 89
    assert feed.row("t1").total_score == 89.0
    _assert_same_as_from_scratch(feed)


def test_scoreboard_sheet_with_only_removed_criteria_does_not_count(feed: Feed) -> None:
    _two_judge_example(feed)
    feed.criterion("z")
    feed.sheet("j2", "t1", {"z": 0})
    assert feed.row("t1").judge_count == 2
    feed.admin("criterion.del", {"id": "z"})
    assert _wire(feed.rows()) == [(1, "t1", "Aurora", 87.67, 1)]
    _assert_same_as_from_scratch(feed)


def test_scoreboard_removed_team_disappears(feed: Feed) -> None:
    _two_judge_example(feed)
    feed.team("t2", "Basalt")
    feed.sheet("j1", "t2", {"a": 1, "b": 1, "c": 1})
    assert [r.team_id for r in feed.rows()] == ["t1", "t2"]
    feed.admin("team.del", {"id": "t1"})
    assert _wire(feed.rows()) == [(1, "t2", "Basalt", 1.0, 1)]
    assert feed.board.total("t1") == (None, 0)
    _assert_same_as_from_scratch(feed)


def test_scoreboard_renamed_team_shows_its_new_name(feed: Feed) -> None:
    _two_judge_example(feed)
    feed.rows()
    feed.team("t1", "Aurora Borealis")
    assert _wire(feed.rows()) == [(1, "t1", "Aurora Borealis", 87.67, 1)]


def test_scoreboard_teams_without_final_sheet_come_last_unranked(feed: Feed) -> None:
    _two_judge_example(feed)
    feed.team("t0", "Zephyr")
    feed.team("t9", "Basalt")
    feed.sheet("j2", "t9", {"a": 100, "b": 100, "c": 100}, final=False)
    assert _wire(feed.rows()) == [
        (1, "t1", "Aurora", 87.67, 1),
        (None, "t9", "Basalt", None, 0),
        (None, "t0", "Zephyr", None, 0),
    ]
    _assert_same_as_from_scratch(feed)


def test_scoreboard_competition_ranking_1_2_2_4(feed: Feed) -> None:
    feed.criterion("a")
    feed.judge("j1")
    for tid, mark in (("t1", 90), ("t2", 80), ("t3", 80), ("t4", 70)):
        feed.team(tid)
        feed.sheet("j1", tid, {"a": mark})
    assert [(r.rank, r.team_id) for r in feed.rows()] == [
        (1, "t1"),
        (2, "t2"),
        (2, "t3"),
        (4, "t4"),
    ]
    _assert_same_as_from_scratch(feed)


def test_scoreboard_equality_is_decided_by_the_rounded_total(feed: Feed) -> None:
    # A scale of 0..100000 scales 80004 to 80.004: shown 80.0, as is 79.996; 80.006 shows 80.01.
    feed.criterion("a", weight=1, min=0, max=100000, step=1)
    feed.judge("j1")
    for tid, mark in (("t1", 80004), ("t2", 79996), ("t3", 80006)):
        feed.team(tid)
        feed.sheet("j1", tid, {"a": mark})
    assert [(r.rank, r.team_id, r.total_score) for r in feed.rows()] == [
        (1, "t3", 80.01),
        (2, "t1", 80.0),
        (2, "t2", 80.0),
    ]


def test_scoreboard_tie_break_splits_equal_totals_by_mean_scaled_criterion(feed: Feed) -> None:
    feed.criterion("idea")
    feed.criterion("exec", weight=1, min=1, max=10, step=1)
    feed.judge("j1")
    feed.judge("j2")
    for tid in ("t1", "t2", "t3"):
        feed.team(tid)
    # t1 and t2 total 52.5 (sheets 55 and 50), t3 50; exec means (scaled) t1 50, t2 100, t3 0.
    feed.sheet("j1", "t1", {"idea": 10, "exec": 10})
    feed.sheet("j2", "t1", {"idea": 100, "exec": 1})
    feed.sheet("j1", "t2", {"idea": 10, "exec": 10})
    feed.sheet("j2", "t2", {"idea": 0, "exec": 10})
    feed.sheet("j1", "t3", {"idea": 100, "exec": 1})
    feed.sheet("j2", "t3", {"idea": 100, "exec": 1})
    before = [(r.rank, r.team_id, r.total_score) for r in feed.rows()]
    assert before == [(1, "t1", 52.5), (1, "t2", 52.5), (3, "t3", 50.0)]
    feed.admin("event.set", {"field": "tie_break", "value": ["exec"]})
    assert [(r.rank, r.team_id) for r in feed.rows()] == [(1, "t2"), (2, "t1"), (3, "t3")]
    _assert_same_as_from_scratch(feed)
    feed.admin("event.set", {"field": "tie_break", "value": []})
    assert [(r.rank, r.team_id) for r in feed.rows()] == [(1, "t1"), (1, "t2"), (3, "t3")]


def test_scoreboard_tie_break_leaves_teams_still_equal_sharing_a_rank(feed: Feed) -> None:
    feed.criterion("idea")
    feed.criterion("exec")
    feed.judge("j1")
    for tid in ("t1", "t2", "t3"):
        feed.team(tid)
    feed.sheet("j1", "t1", {"idea": 40, "exec": 60})
    feed.sheet("j1", "t2", {"idea": 40, "exec": 60})
    feed.sheet("j1", "t3", {"idea": 60, "exec": 40})
    feed.admin("event.set", {"field": "tie_break", "value": ["exec"]})
    assert [(r.rank, r.team_id) for r in feed.rows()] == [(1, "t1"), (1, "t2"), (3, "t3")]
    _assert_same_as_from_scratch(feed)


def test_scoreboard_tie_break_does_not_reorder_different_totals(feed: Feed) -> None:
    feed.criterion("idea")
    feed.criterion("exec")
    feed.judge("j1")
    feed.team("t1")
    feed.team("t2")
    feed.sheet("j1", "t1", {"idea": 100, "exec": 0})
    feed.sheet("j1", "t2", {"idea": 0, "exec": 98})
    feed.admin("event.set", {"field": "tie_break", "value": ["exec"]})
    assert [(r.rank, r.team_id) for r in feed.rows()] == [(1, "t1"), (2, "t2")]


def test_scoreboard_revision_counts_changes_that_matter(feed: Feed) -> None:
    _two_judge_example(feed)
    before = feed.board.revision
    feed.admin("notify", {"audience": "all", "message": "Lunch"})
    assert feed.board.revision == before
    feed.sheet("j2", "t1", {"a": 1, "b": 1, "c": 1})
    assert feed.board.revision == before + 1


# --- properties ---------------------------------------------------------------------------------

TEAMS = ("t0", "t1", "t2", "t3")
NAMES = ("Aurora", "aurora", "Basalt", "Cobalt")
JUDGES = ("j0", "j1", "j2")
CRITERIA = ("c0", "c1", "c2")
SCALES = (
    {"min": 0, "max": 100, "step": 1},
    {"min": 1, "max": 10, "step": 0.5},
    {"min": 0, "max": 5, "step": 1},
)

# Marks from a few grids, so that equal totals (and shared ranks) are common.
marks = st.one_of(
    st.sampled_from([0, 50, 100]),
    st.integers(0, 100),
    st.sampled_from([1, 5.5, 10, 2.5]),
)
changes = st.one_of(
    st.tuples(st.just("team.put"), st.sampled_from(TEAMS), st.sampled_from(NAMES)),
    st.tuples(st.just("team.del"), st.sampled_from(TEAMS)),
    st.tuples(st.just("judge.put"), st.sampled_from(JUDGES)),
    st.tuples(st.just("judge.del"), st.sampled_from(JUDGES)),
    st.tuples(
        st.just("criterion.put"),
        st.sampled_from(CRITERIA),
        st.sampled_from([1, 2, 0.5, 3]),
        st.sampled_from(SCALES),
    ),
    st.tuples(st.just("criterion.del"), st.sampled_from(CRITERIA)),
    st.tuples(
        st.just("sheet.save"),
        st.sampled_from(JUDGES),
        st.sampled_from(TEAMS),
        st.dictionaries(st.sampled_from(CRITERIA), marks, max_size=3),
        st.booleans(),
    ),
    st.tuples(st.just("tie_break"), st.lists(st.sampled_from(CRITERIA), unique=True, max_size=2)),
)
# Each change comes with a wall clock (so ops arrive out of HLC order) and "look at rows() now".
steps = st.lists(st.tuples(changes, st.integers(0, 30), st.booleans()), max_size=60)


def _op_of(factory: Factory, change: tuple[Any, ...], ms: int, counter: int) -> Op:
    kind = change[0]
    stamp = {"ms": factory.BASE_MS + ms, "counter": counter}
    if kind == "team.put":
        return factory.op(kind, {"id": change[1], "name": change[2]}, author="admin", **stamp)
    if kind in ("team.del", "judge.del", "criterion.del"):
        return factory.op(kind, {"id": change[1]}, author="admin", **stamp)
    if kind == "judge.put":
        return factory.op(kind, {"id": change[1], "name": change[1]}, author="admin", **stamp)
    if kind == "criterion.put":
        _, cid, weight, scale = change
        body = {"id": cid, "name": cid, "weight": weight, **scale}
        return factory.op(kind, body, author="admin", **stamp)
    if kind == "sheet.save":
        _, jid, tid, scores, final = change
        body = {"team": tid, "scores": scores, "comment": "", "final": final}
        return factory.op(kind, body, author=jid, **stamp)
    body = {"field": "tie_break", "value": change[1]}
    return factory.op("event.set", body, author="admin", **stamp)


def _naive_scale(value: float, criterion: dict[str, Any]) -> float:
    low, high = float(criterion["min"]), float(criterion["max"])
    return min(100.0, max(0.0, (float(value) - low) / (high - low) * 100.0))


def naive_rows(state: State) -> list[tuple[Any, ...]]:
    """Recompute the leaderboard from the state's views alone, the slow obvious way."""
    criteria = {c["id"]: c for c in state.criteria()}
    judges = set(state.judges())
    teams = state.teams()
    tie_break = state.event()["tie_break"]
    counted: dict[str, list[tuple[dict[str, Any], float]]] = {tid: [] for tid in teams}
    for sheet in state.sheets():
        if sheet["team"] not in teams or sheet["judge"] not in judges or not sheet["final"]:
            continue
        parts = [(criteria[c], v) for c, v in sheet["scores"].items() if c in criteria]
        if not parts:
            continue
        weighted = math.fsum(float(c["weight"]) * _naive_scale(v, c) for c, v in parts)
        score = weighted / math.fsum(float(c["weight"]) for c, _ in parts)
        counted[sheet["team"]].append((sheet, score))

    scored = []
    unscored = []
    for tid, team in teams.items():
        sheets = counted[tid]
        if not sheets:
            unscored.append((None, tid, team["name"], None, 0))
            continue
        shown = round(math.fsum(s for _, s in sheets) / len(sheets), 2)
        ties = []
        for cid in tie_break:
            values = [
                _naive_scale(sheet["scores"][cid], criteria[cid])
                for sheet, _ in sheets
                if cid in criteria and cid in sheet["scores"]
            ]
            ties.append(round(math.fsum(values) / len(values), 6) if values else -1.0)
        scored.append((shown, tuple(ties), tid, team["name"], len(sheets)))

    def better(x: tuple[Any, ...], y: tuple[Any, ...]) -> bool:
        return (x[0], x[1]) > (y[0], y[1])

    ranked = [(1 + sum(better(o, s) for o in scored), s) for s in scored]
    ranked.sort(key=lambda p: (p[0], p[1][3].casefold(), p[1][2]))
    unscored.sort(key=lambda r: (r[2].casefold(), r[1]))
    return [(rank, tid, name, shown, n) for rank, (shown, _, tid, name, n) in ranked] + unscored


def _assert_rank_invariants(rows: list[Row], *, tie_break: bool) -> None:
    ranked = [r for r in rows if r.rank is not None]
    assert all(
        r.rank is None and r.total_score is None and r.judge_count == 0 for r in rows[len(ranked) :]
    )
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)
    if ranked:
        assert ranked[0].rank == 1
    for i, row in enumerate(ranked):
        assert row.total_score is not None
        # Competition ranking: one more than the number of teams strictly ahead.
        ahead = sum(1 for other in ranked if other.rank is not None and other.rank < row.rank)
        assert row.rank == ahead + 1
        assert row.rank <= i + 1
    if not tie_break:
        for x in ranked:
            for y in ranked:
                assert (x.rank == y.rank) == (x.total_score == y.total_score)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_incremental_scoreboard_equals_from_scratch_and_naive_recomputation(
    op_factory: Callable[..., Factory], steps: list[tuple[tuple[Any, ...], int, bool]]
) -> None:
    factory = op_factory("admin", seed=7)
    state = State()
    board = Scoreboard()
    for counter, (change, ms, look) in enumerate(steps):
        op = _op_of(factory, change, ms, counter)
        entry = state.apply(op)
        if entry is not None:
            board.update(op.key, entry)
        if look:
            assert _wire(board.rows()) == naive_rows(state)
    rows = board.rows()
    assert _wire(rows) == _wire(Scoreboard.from_state(state).rows())
    assert _wire(rows) == naive_rows(state)
    _assert_rank_invariants(rows, tie_break=bool(state.event()["tie_break"]))


totals = st.lists(
    st.tuples(
        st.one_of(st.none(), st.sampled_from([10.0, 10.004, 9.996, 55.555]), st.floats(0, 100)),
        st.integers(0, 3),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(totals=totals)
def test_rank_rows_invariants(totals: list[tuple[float | None, int]]) -> None:
    rows = rank_rows((f"t{i}", f"Team {i % 4}", t, n) for i, (t, n) in enumerate(totals))
    assert sorted(r.team_id for r in rows) == sorted(f"t{i}" for i in range(len(totals)))
    scored = [t for t, n in totals if t is not None and n > 0]
    assert len([r for r in rows if r.rank is not None]) == len(scored)
    _assert_rank_invariants(rows, tie_break=False)
    shown = [r.total_score for r in rows if r.total_score is not None]
    assert shown == sorted(shown, reverse=True)


def _rank_rows_of(board: Scoreboard, state: State) -> list[Row]:
    """Return rank_rows of the board's own totals, tie values given as Scoreboard always did:
    only for teams that share a shown total."""
    totals = [(tid, team["name"], *board.total(tid)) for tid, team in state.teams().items()]
    groups: dict[float, list[str]] = {}
    for tid, _, total, count in totals:
        if total is not None and count:
            groups.setdefault(round(total, 2), []).append(tid)
    ties = {}
    if state.event()["tie_break"]:
        ties = {tid: board.tie_values(tid) for g in groups.values() if len(g) > 1 for tid in g}
    return rank_rows(totals, ties)


MANY_TEAMS = tuple(f"t{k}" for k in range(12))
many_changes = st.one_of(
    changes,
    st.tuples(st.just("team.put"), st.sampled_from(MANY_TEAMS), st.sampled_from(NAMES)),
    st.tuples(st.just("team.del"), st.sampled_from(MANY_TEAMS)),
    st.tuples(
        st.just("sheet.save"),
        st.sampled_from(JUDGES),
        st.sampled_from(MANY_TEAMS),
        st.dictionaries(st.sampled_from(CRITERIA), marks, min_size=1, max_size=3),
        st.just(True),
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(many_changes, st.integers(0, 30)), max_size=80))
def test_incremental_ranking_equals_rank_rows_of_the_same_totals_after_every_change(
    op_factory: Callable[..., Factory], steps: list[tuple[tuple[Any, ...], int]]
) -> None:
    factory = op_factory("admin", seed=11)
    state = State()
    board = Scoreboard()
    # Judges, criteria and teams first, so that most steps move scored teams past each other.
    start: list[tuple[tuple[Any, ...], int]] = [(("judge.put", j), 0) for j in JUDGES]
    start += [(("criterion.put", c, 1, SCALES[0]), 0) for c in CRITERIA]
    start += [(("team.put", t, NAMES[k % 4]), 0) for k, t in enumerate(MANY_TEAMS)]
    for counter, (change, ms) in enumerate(start + steps):
        op = _op_of(factory, change, ms, counter)
        entry = state.apply(op)
        if entry is not None:
            board.update(op.key, entry)
        assert board.rows() == _rank_rows_of(board, state)


def test_a_moved_team_leaves_every_other_row_object_untouched_outside_what_it_shifts(
    feed: Feed,
) -> None:
    feed.criterion("a", weight=1, min=0, max=100, step=1)
    feed.judge("j1")
    for k in range(10):
        feed.team(f"t{k}", f"Team {k}")
        feed.sheet("j1", f"t{k}", {"a": 90 - k})  # t0 first ... t9 last
    before = feed.rows()
    feed.sheet("j1", "t7", {"a": 85.5})  # from 8th to 6th: t5 and t6 move down one place
    after = feed.rows()
    assert [r.team_id for r in after] == [
        "t0",
        "t1",
        "t2",
        "t3",
        "t4",
        "t7",
        "t5",
        "t6",
        "t8",
        "t9",
    ]
    changed = {r.team_id for r in after if all(r is not o for o in before)}
    assert changed == {"t7", "t5", "t6"}
    assert after == rank_rows((r.team_id, r.team_name, r.total_score, r.judge_count) for r in after)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(many_changes, st.integers(0, 30)), max_size=60))
def test_rows_by_name_are_the_rows_in_team_name_order(
    op_factory: Callable[..., Factory], steps: list[tuple[tuple[Any, ...], int]]
) -> None:
    factory = op_factory("admin", seed=5)
    state = State()
    board = Scoreboard()
    for counter, (change, ms) in enumerate(steps):
        op = _op_of(factory, change, ms, counter)
        entry = state.apply(op)
        if entry is not None:
            board.update(op.key, entry)
        rows = board.rows()
        assert board.rows_by_name() == sorted(
            rows, key=lambda r: (r.team_name.casefold(), r.team_id)
        )
        assert all(r.wire == r.to_wire() for r in rows)


def test_a_reranked_row_is_the_row_at_its_new_rank_wire_and_all() -> None:
    row = Row(3, "t1", "Aurora", 81.5, 2)
    moved = row.reranked(4)
    assert moved == Row(4, "t1", "Aurora", 81.5, 2)
    assert hash(moved) == hash(Row(4, "t1", "Aurora", 81.5, 2))
    assert moved.wire == {**row.wire, "rank": 4}
    assert row.rank == 3  # the old row is not changed


def test_a_team_moving_up_rebuilds_only_the_rows_it_passed(feed: Feed) -> None:
    feed.criterion("a")
    feed.judge("j1")
    for k in range(8):
        feed.team(f"t{k}")
        feed.sheet("j1", f"t{k}", {"a": 90 - k * 10})
    feed.team("tz")  # unscored: last, unranked
    before = feed.rows()
    feed.sheet("j1", "t5", {"a": 75})  # from 6th (40) to 3rd (75): t2..t4 shift by one
    after = feed.rows()
    assert [r.team_id for r in after] == ["t0", "t1", "t5", "t2", "t3", "t4", "t6", "t7", "tz"]
    kept = {r.team_id for r, was in zip(after, before, strict=True) if r is was}
    assert kept == {"t0", "t1", "t6", "t7", "tz"}  # the same objects, so feeds skip them by `is`
    assert [r.rank for r in after] == [1, 2, 3, 4, 5, 6, 7, 8, None]


def test_from_state_is_the_main_board_a_prize_criterion_counts_on_none_of_it(feed: Feed) -> None:
    """A prize's own criterion ranks that prize's board only (docs/protocol.md 6b): the main
    board, built whole or fed op by op as the replica feeds it, leaves it out."""
    _two_judge_example(feed)  # 85, 90, 88 on the event's criteria: 87.67
    feed.admin("prize.put", {"id": "ai", "name": "Best use of AI", "eligibility": "all"})
    feed.admin("criterion.put", {"id": "api", "name": "API", "prize": "ai", **PERCENT})
    feed.sheet("j1", "t1", {"a": 85, "b": 90, "c": 88, "api": 0})
    main = Scoreboard.from_state(feed.state)
    assert _wire(main.rows()) == [(1, "t1", "Aurora", 87.67, 1)]
    fed = Scoreboard()
    for key, entry in sorted(feed.state.entries.items()):
        fed.update(key, main_board_entry(key, entry))
    assert _wire(fed.rows()) == _wire(main.rows())


def test_a_tied_team_moving_up_in_place_leaves_the_one_it_was_tied_with_a_rank_lower(
    feed: Feed,
) -> None:
    # Found by tests/sync/test_model.py: A and B share rank 1; A rises, keeping its place at
    # the top, so nothing after it moves, yet B's group now starts one place later.
    feed.criterion("a", weight=1, min=0, max=10, step=1)
    feed.judge("j1")
    for team in ("A", "B", "C"):
        feed.team(team, f"Team {team}")
    feed.sheet("j1", "A", {"a": 3})
    feed.sheet("j1", "B", {"a": 3})
    feed.sheet("j1", "C", {"a": 3})
    assert [r.rank for r in feed.rows()] == [1, 1, 1]
    feed.sheet("j1", "A", {"a": 4})
    after = feed.rows()
    assert [(r.team_id, r.rank) for r in after] == [("A", 1), ("B", 2), ("C", 2)]
    assert after == rank_rows((r.team_id, r.team_name, r.total_score, r.judge_count) for r in after)
    feed.sheet("j1", "C", {"a": 2})  # the last of a tie falls in place: B alone at 2
    assert [(r.team_id, r.rank) for r in feed.rows()] == [("A", 1), ("B", 2), ("C", 3)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(MANY_TEAMS[:6]), st.sampled_from([None, 3, 4, 5])), max_size=40
    )
)
def test_incremental_ranking_with_ties_everywhere_equals_rank_rows(
    op_factory: Callable[..., Factory], moves: list[tuple[str, int | None]]
) -> None:
    # One judge, one criterion and three marks: most moves join, leave or split a tie.
    feed = Feed(op_factory("admin", seed=3))
    feed.criterion("a", weight=1, min=0, max=10, step=1)
    feed.judge("j1")
    for team in MANY_TEAMS[:6]:
        feed.team(team, f"Team {team}")
    for team, mark in moves:
        if mark is None:
            feed.sheet("j1", team, {"a": 3}, final=False)  # a draft: the team leaves the board
        else:
            feed.sheet("j1", team, {"a": mark})
        rows = feed.rows()
        assert rows == rank_rows(
            (r.team_id, r.team_name, r.total_score, r.judge_count) for r in rows
        )


# Sheets of one criterion and two marks: totals often equal, so moves land among equals.
tied_changes = st.one_of(
    many_changes,
    st.tuples(
        st.just("sheet.save"),
        st.sampled_from(JUDGES),
        st.sampled_from(MANY_TEAMS),
        st.fixed_dictionaries({"c0": st.sampled_from([40, 60])}),
        st.just(True),
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(tied_changes, st.integers(0, 30), st.booleans()), max_size=80))
def test_the_moves_a_scoreboard_reports_applied_to_the_board_before_give_the_board_after(
    op_factory: Callable[..., Factory], steps: list[tuple[tuple[Any, ...], int, bool]]
) -> None:
    """Each change's `moves_since`, applied to the rows before it, gives the rows after it,
    exactly (ranks, rows, order); `rows_at` gives back every earlier board; undoing a move
    gives the board before it. `look`: rows read between changes or not (moves pile up)."""
    factory = op_factory("admin", seed=13)
    state = State()
    board = Scoreboard()
    start: list[tuple[tuple[Any, ...], int, bool]] = [(("judge.put", j), 0, False) for j in JUDGES]
    start += [(("criterion.put", c, 1, SCALES[0]), 0, False) for c in CRITERIA]
    start += [(("team.put", t, NAMES[k % 4]), 0, True) for k, t in enumerate(MANY_TEAMS)]
    seen: dict[int, list[Row]] = {board.version: board.rows()}
    version, rows = board.version, board.rows()
    resorted = False  # a criterion or the tie-break changed: every team is sorted again
    for counter, (change, ms, look) in enumerate(start + steps):
        op = _op_of(factory, change, ms, counter)
        entry = state.apply(op)
        if entry is not None:
            board.update(op.key, entry)
            resorted = resorted or change[0] in ("criterion.put", "criterion.del", "tie_break")
        moves = board.moves_since(version)
        now = board.version
        if moves is not None:
            assert len(moves) == now - version
            board_after = rows
            for move in moves:
                before = board_after
                board_after = apply_move(before, move)
                assert undo_move(board_after, move) == before
                assert move.team_id in {r.team_id for r in before + board_after}
            assert board_after == board.rows()
        else:
            assert resorted  # (held back until a team's total is asked for)
            resorted = False
        if look:
            rows = board.rows()
            assert rows == _rank_rows_of(board, state)
        else:
            rows = board.rows_at(now) or []
        version = now
        seen[now] = rows
        assert rows == board.rows()
    for at, then in seen.items():
        assert board.rows_at(at) == then


def test_a_team_moving_down_among_its_new_equals_splits_the_run_around_itself(
    feed: Feed,
) -> None:
    feed.criterion("a")
    feed.judge("j1")
    for tid, name, mark in [("t0", "Top", 90), ("t1", "Mid", 80), ("t2", "Ann", 70)]:
        feed.team(tid, name)
        feed.sheet("j1", tid, {"a": mark})
    for tid, name in [("t3", "Bea"), ("t4", "Zed")]:
        feed.team(tid, name)
        feed.sheet("j1", tid, {"a": 60})
    before, version = feed.rows(), feed.board.version
    feed.sheet("j1", "t1", {"a": 60})  # Mid from 2nd to 3rd equal, between Bea and Zed
    after = feed.rows()
    assert [(r.rank, r.team_name) for r in after] == [
        (1, "Top"),
        (2, "Ann"),
        (3, "Bea"),
        (3, "Mid"),
        (3, "Zed"),
    ]
    moves = feed.board.moves_since(version)
    assert moves is not None
    assert len(moves) == 1
    (move,) = moves
    assert (move.team_id, move.old_place, move.place, move.plain) == ("t1", 1, 3, True)
    assert move.old_row == before[1]
    assert move.row == after[3]
    assert move.runs == ((1, 2, -1), (4, 1, -1))
    assert apply_move(before, move) == after


def test_a_draft_or_an_unchanged_total_moves_nothing(feed: Feed) -> None:
    feed.criterion("a")
    feed.judge("j1")
    feed.team("t1")
    feed.sheet("j1", "t1", {"a": 50})
    version = feed.board.version
    feed.sheet("j1", "t1", {"a": 70}, final=False)  # a draft replaces the final sheet...
    feed.sheet("j1", "t1", {"a": 50})  # ...and the same final sheet comes back
    assert feed.board.moves_since(version) == []
    assert feed.board.version == version
