"""Tests for the judge window's view model: team statuses, scorable teams, sheet checks, wording."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop import judge_model as jm
from storage import sheets
from storage.replica import StoredOp
from storage.rules import check
from storage.state import State
from tests.conftest import OpFactory

CRITERIA = [
    {"id": "idea", "name": "Idea", "weight": 2, "min": 0, "max": 10, "step": 0.5, "order": 0},
    {"id": "build", "name": "Build", "weight": 1, "min": 1, "max": 5, "step": 1, "order": 1},
]


@pytest.fixture
def event(admin_ops: OpFactory, fold: Callable[..., State]) -> State:
    """Three teams, two criteria, judge j1 (conflict with t3), scoring open."""
    ops = [
        admin_ops.op("event.set", {"field": "name", "value": "Fair"}),
        admin_ops.op("event.set", {"field": "phase", "value": "scoring"}),
        *(admin_ops.op("criterion.put", c) for c in CRITERIA),
        admin_ops.op("team.put", {"id": "t1", "name": "Zephyr", "location": "Table 10"}),
        admin_ops.op("team.put", {"id": "t2", "name": "Anvil", "location": "Table 2"}),
        admin_ops.op("team.put", {"id": "t3", "name": "Comet", "location": "Table 1"}),
        admin_ops.op("judge.put", {"id": "j1", "name": "Ada", "conflicts": ["t3"]}),
    ]
    state: State = fold(ops)
    return state


def sheet(hlc: str = "1", *, final: bool = False, delivery: str = "accepted") -> jm.Sheet:
    return jm.Sheet({"idea": 5}, "", final, hlc, delivery)


def refusal(hlc: str = "2", message: str = "scoring is not open") -> jm.Refusal:
    return jm.Refusal(hlc, "scoring_closed", message, {"idea": 7}, "typed", True)


# --- which teams, in which state ------------------------------------------------------------------


def test_a_judge_scores_every_team_but_conflicts_when_unassigned(event: State) -> None:
    assert jm.visible_teams(event, "j1") == (["t1", "t2"], ["t3"])


def test_assignments_narrow_the_list_and_never_bring_back_a_conflict(
    event: State, admin_ops: OpFactory, fold: Callable[..., State]
) -> None:
    fold([admin_ops.op("assign.put", {"judge": "j1", "team": "t2", "assigned": True})], event)
    assert jm.visible_teams(event, "j1") == (["t2"], ["t3"])


def test_rows_go_by_table_number_with_conflicts_last_and_greyed(event: State) -> None:
    rows = jm.team_rows(event, "j1", {}, {})
    assert [(r.name, r.status, r.scorable) for r in rows] == [
        ("Anvil", jm.NOT_STARTED, True),
        ("Zephyr", jm.NOT_STARTED, True),
        ("Comet", jm.CONFLICT, False),
    ]
    assert rows[2].reason == "conflict of interest"


@pytest.mark.parametrize(
    ("saved", "refused", "status"),
    [
        (None, None, jm.NOT_STARTED),
        (sheet(), None, jm.DRAFT),
        (sheet(final=True), None, jm.FINAL),
        (None, refusal(), jm.REJECTED),
        (sheet("1", final=True), refusal("2"), jm.REJECTED),  # the latest save was refused
        (sheet("3", final=True), refusal("2"), jm.FINAL),  # a later save went through
    ],
)
def test_team_status(saved: jm.Sheet | None, refused: jm.Refusal | None, status: str) -> None:
    assert jm.team_status(saved, refused) == status


def test_a_rejected_sheet_shows_what_the_judge_entered_and_why() -> None:
    row = jm.TeamRow("t1", "Zephyr", "", (), jm.REJECTED, sheet("1"), refusal("2"))
    assert row.entered() == ({"idea": 7}, "typed")
    assert row.reason == "scoring is not open"
    assert jm.short_reason(row) == "scoring was closed"
    assert jm.delivery_text(row) == ("Rejected: scoring is not open", "error")
    assert jm.rejection_notice(row, open_=True).startswith(
        "The host rejected this sheet. Scoring is not open. Your scores are kept"
    )
    assert not row.waiting


def test_latest_refusals_keeps_the_newest_sheet_per_team(judge_ops: OpFactory) -> None:
    first = judge_ops.op("sheet.save", {"team": "t1", "scores": {}, "final": False})
    second = judge_ops.op("sheet.save", {"team": "t1", "scores": {"idea": 3}, "final": True})
    other = judge_ops.op("sheet.save", {"team": "t2", "scores": {}, "final": True})
    stored = [
        StoredOp(second, "rejected", "out_of_range", "too high"),
        StoredOp(other, "rejected", "invalid", "missing: Idea"),
        StoredOp(first, "rejected", "scoring_closed", "closed"),
    ]
    found = jm.latest_refusals(stored)
    assert found["t1"] == jm.Refusal(second.hlc, "out_of_range", "too high", {"idea": 3}, "", True)
    assert found["t2"].message == "missing: Idea"


def test_read_sheets_reports_each_sheets_delivery(
    event: State, judge_ops: OpFactory, fold: Callable[..., State]
) -> None:
    draft = judge_ops.op("sheet.save", {"team": "t1", "scores": {"idea": 4}, "final": False})
    final = judge_ops.op(
        "sheet.save", {"team": "t2", "scores": {"idea": 6, "build": 2}, "final": True}
    )
    fold([draft, final], event)
    sheets = jm.read_sheets(event, "j1", {draft.id: "pending", final.id: "accepted"}.get)
    assert sheets["t1"].delivery == "pending"
    assert not sheets["t1"].final
    assert sheets["t2"].scores == {"idea": 6, "build": 2}
    assert sheets["t2"].final
    rows = jm.team_rows(event, "j1", sheets, {})
    assert [r.waiting for r in rows] == [False, True, False]
    assert jm.progress_text(rows) == "1 of 2 final"


def test_the_snapshot_names_the_judge_and_the_event(event: State) -> None:
    snap = jm.build_snapshot(event, "j1", {}, {})
    assert jm.heading(snap) == "Judging as Ada · Fair"
    assert snap.open
    assert not snap.removed
    assert not snap.judges_see_results
    assert [c["id"] for c in snap.criteria] == ["idea", "build"]
    assert snap.row("t2") is not None
    assert snap.row("nope") is None


def test_a_removed_judge_has_nothing_to_score(event: State) -> None:
    snap = jm.build_snapshot(event, "j9", {}, {})
    assert snap.removed
    assert snap.rows == ()
    assert not snap.open


def test_filter_matches_name_table_members_and_status() -> None:
    rows = [
        jm.TeamRow("a", "Aurora", "Table 1", ("Ines Duarte",), jm.FINAL),
        jm.TeamRow("b", "Basalt", "Table 2", (), jm.DRAFT),
    ]
    assert [r.id for r in jm.filter_rows(rows, "  ")] == ["a", "b"]
    assert [r.id for r in jm.filter_rows(rows, "table 2")] == ["b"]
    assert [r.id for r in jm.filter_rows(rows, "INES")] == ["a"]
    assert [r.id for r in jm.filter_rows(rows, "draft")] == ["b"]


# --- sheets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7.3, 7.5), (7.2, 7.0), (-3, 0), (99, 10), (10, 10), (0.25, 0.5)],
)
def test_snap_puts_a_value_on_the_scale(value: float, expected: float) -> None:
    assert jm.snap(value, CRITERIA[0]) == expected


def test_snap_keeps_whole_scales_whole_and_respects_an_offset_minimum() -> None:
    assert jm.snap(3.4, CRITERIA[1]) == 3
    assert isinstance(jm.snap(3.4, CRITERIA[1]), int)
    odd = {"min": 1, "max": 10, "step": 3}  # 1, 4, 7, 10
    assert [jm.snap(v, odd) for v in (2, 3, 9, 11)] == [1, 4, 10, 10]
    tenth = {"min": 0, "max": 1, "step": 0.1}
    assert jm.snap(0.3, tenth) == 0.3
    assert jm.on_scale(0.3, tenth)


def test_scale_wording() -> None:
    assert jm.scale_text(CRITERIA[0]) == "0–10, step 0.5"
    assert jm.scale_text({"min": -5, "max": 5, "step": 1}) == "-5 to 5, step 1"
    assert jm.weight_text(CRITERIA[0], CRITERIA) == "weight 2 (67%)"
    assert (jm.decimals(CRITERIA[0]), jm.decimals(CRITERIA[1])) == (1, 0)
    assert (jm.is_whole(CRITERIA[0]), jm.is_whole(CRITERIA[1])) == (False, True)
    assert jm.steps(CRITERIA[0]) == 20
    assert [jm.format_number(v) for v in (85, 85.0, 7.5, 0.00001)] == ["85", "85", "7.5", "0.00001"]


def test_a_final_sheet_must_score_every_criterion_a_draft_need_not() -> None:
    assert jm.sheet_problems(CRITERIA, {"idea": 5}, final=False) == []
    assert jm.sheet_problems(CRITERIA, {"idea": 5}, final=True) == [
        "Score every criterion before submitting: Build."
    ]
    assert jm.sheet_problems(CRITERIA, {"idea": 5.2, "build": 2}, final=True) == [
        "Idea takes 0–10, step 0.5; 5.2 is not one of them."
    ]


def test_sheet_problems_follow_the_criteria_and_name_a_score_the_host_would_not_know() -> None:
    scores = {"gone": 1, "build": 9, "idea": 5.2}
    assert jm.sheet_problems(CRITERIA, scores, final=False) == [
        "Idea takes 0–10, step 0.5; 5.2 is not one of them.",
        "Build takes 1–5, step 1; 9 is not one of them.",
        "There is no criterion 'gone'.",
    ]


def test_score_preview_is_the_weighted_mean_on_0_to_100() -> None:
    assert jm.score_preview(CRITERIA, {}) == "–"
    # idea 5/10 = 50 (weight 2), build 5 on 1..5 = 100 (weight 1): (100 + 100) / 3
    assert jm.score_preview(CRITERIA, {"idea": 5, "build": 5}) == "66.67 / 100"


def test_delivery_wording() -> None:
    def row(status: str, saved: jm.Sheet | None) -> jm.TeamRow:
        return jm.TeamRow("t", "T", "", (), status, saved)

    assert jm.delivery_text(row(jm.NOT_STARTED, None)) == ("Not scored yet", "hint")
    assert jm.delivery_text(row(jm.DRAFT, sheet(delivery="pending"))) == (jm.WAITING, "pending")
    assert jm.delivery_text(row(jm.FINAL, sheet(final=True))) == (jm.ACCEPTED, "ok")
    assert jm.delivery_text(row(jm.CONFLICT, None))[1] == "hint"


def test_phase_banner_only_outside_scoring() -> None:
    assert jm.phase_banner("scoring") is None
    for phase in ("setup", "locked", "released"):
        banner = jm.phase_banner(phase)
        assert banner is not None
        assert banner.startswith("Scoring is closed")


# --- notifications and the leaderboard ------------------------------------------------------------


def test_notes_from_ops_and_messages_merge_once_each_newest_first(
    admin_ops: OpFactory, fold: Callable[..., State]
) -> None:
    op = admin_ops.op("notify", {"audience": "judges", "target": None, "message": "Lunch"})
    state = fold([op])
    messages: list[dict[str, Any]] = [
        {"id": op.id, "message": "Lunch", "sent": "2023-11-14T22:13:20.001Z"},
        {"id": "x/9", "message": "Later", "sent": "2030-01-01T00:00:00.000Z"},
        {"message": 5},  # not a notification: ignored
    ]
    notes = jm.merge_notes(jm.judge_notes(state), messages)
    assert [n.message for n in notes] == ["Later", "Lunch"]
    assert notes[1].sent_ms == int(op.hlc[:13])


def test_board_rows_show_unranked_teams_with_dashes() -> None:
    board = {
        "data": [
            {"rank": 1, "team_name": "A", "total_score": 87.666, "judge_count": 3},
            {"rank": None, "team_name": "B", "total_score": None, "judge_count": 0},
        ]
    }
    assert jm.board_rows(board) == [("1", "A", "87.67", "3"), ("–", "B", "–", "0")]
    assert jm.board_rows(None) == []


# --- the judge's check and the host's agree -------------------------------------------------------

STEPS = (0.01, 0.1, 0.25, 0.5, 1, 5)


@st.composite
def scales(draw: st.DrawFn) -> dict[str, Any]:
    """A criterion as an organiser types one: a decimal minimum, a listed step, a whole range."""
    step = draw(st.sampled_from(STEPS))
    low = draw(st.integers(-100_000, 100_000)) / 100
    count = draw(st.integers(2, 2_000))  # one step may fall short of max - min by float error
    high = round(low + count * step + draw(st.sampled_from((0, 0, step / 3))), 4)
    return {"id": "c", "name": "Scale", "weight": 1, "min": low, "max": high, "step": step}


@st.composite
def values(draw: st.DrawFn, criterion: dict[str, Any]) -> float:
    """Any float, weighted towards the grid, its neighbours and what people type near it."""
    low, high, step = criterion["min"], criterion["max"], criterion["step"]
    k = draw(st.integers(-3, round((high - low) / step) + 3))
    on_grid = low + k * step
    return draw(
        st.one_of(
            st.just(on_grid),
            st.just(round(on_grid, 2)),
            st.builds(lambda d: on_grid + d, st.floats(-1e-6, 1e-6)),
            st.builds(lambda d: round(on_grid + d, 7), st.floats(-1e-6, 1e-6)),
            st.floats(low - 10, high + 10),
            st.floats(-2e9, 2e9),
        )
    )


def host_accepts(criterion: dict[str, Any], value: float) -> bool:
    """Return whether the host's rules accept a draft sheet scoring `value` on `criterion`."""
    admin = OpFactory("admin", seed=7)
    state = State()
    for kind, body in (
        ("team.put", {"id": "t1", "name": "Team"}),
        ("judge.put", {"id": "j1", "name": "Ada"}),
        ("criterion.put", criterion),
        ("event.set", {"field": "phase", "value": "scoring"}),
    ):
        state.apply(admin.op(kind, body))
    body = {"team": "t1", "scores": {"c": value}, "comment": "", "final": False}
    op = OpFactory("j1", seed=8).op("sheet.save", body)
    return check(op, "judge", "j1", state, OpFactory.BASE_MS + 60_000) is None


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_the_judge_window_and_the_host_agree_on_every_value(data: st.DataObject) -> None:
    criterion = data.draw(scales())
    for value in data.draw(st.lists(values(criterion), min_size=1, max_size=8)):
        window_accepts = jm.sheet_problems([criterion], {"c": value}, final=False) == []
        assert window_accepts == host_accepts(criterion, value), (criterion, value)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_what_the_window_snaps_a_value_to_is_what_the_host_accepts(data: st.DataObject) -> None:
    criterion = data.draw(scales())
    for value in data.draw(st.lists(values(criterion), min_size=1, max_size=8)):
        snapped = jm.snap(value, criterion)
        assert jm.sheet_problems([criterion], {"c": snapped}, final=False) == [], snapped
        assert host_accepts(criterion, snapped), (criterion, value, snapped)


def test_the_next_team_to_score_skips_final_sheets_and_conflicts_and_wraps() -> None:
    rows = [
        jm.TeamRow("a", "Aurora", "", (), jm.FINAL),
        jm.TeamRow("b", "Basalt", "", (), jm.CONFLICT),
        jm.TeamRow("c", "Cobalt", "", (), jm.DRAFT),
        jm.TeamRow("d", "Driftwood", "", (), jm.NOT_STARTED),
        jm.TeamRow("e", "Ember", "", (), jm.REJECTED),
    ]
    assert [jm.next_to_score(rows, after).id for after in ("a", "c", "d", None, "gone")] == [
        "c",
        "d",
        "e",
        "c",
        "c",
    ]
    assert jm.next_to_score(rows, "e").id == "c"  # round to the top of the list
    done = [jm.TeamRow("a", "Aurora", "", (), jm.FINAL), jm.TeamRow("b", "B", "", (), jm.CONFLICT)]
    assert jm.next_to_score(done, "a") is None
    assert jm.next_hint(None) == "Every team you may score has a final sheet."


def test_off_scale_text_tells_what_a_typed_value_counts_as_and_nothing_on_the_scale() -> None:
    halves = {"min": 0, "max": 10, "step": 0.5}
    assert jm.off_scale_text("7.5", 7.5, halves) is None
    assert jm.off_scale_text("10", 10, halves) is None
    assert jm.off_scale_text("7.3", 7.3, halves) == (
        "7.3 is not on the scale 0–10, step 0.5: the score is 7.5."
    )
    assert jm.off_scale_text("-2", -2, halves) == (
        "-2 is not on the scale 0–10, step 0.5: the score is 0."
    )


# --- the organiser's corrections, as the judge sees them (issue 12) -------------------------------


def test_a_reopened_sheet_is_editable_after_lock_with_a_banner_and_its_final_save_closes_it(
    event: State, admin_ops: OpFactory, judge_ops: OpFactory
) -> None:
    body = {"team": "t1", "scores": {"idea": 3, "build": 2}, "comment": "", "final": True}
    judge_ops.ms = admin_ops.ms = max(judge_ops.ms, admin_ops.ms)
    event.apply(judge_ops.op("sheet.save", body))
    admin_ops.ms = judge_ops.ms
    event.apply(admin_ops.op("event.set", {"field": "phase", "value": "locked"}))
    snap = jm.build_snapshot(event, "j1", {}, {})
    assert not snap.may_edit(snap.row("t1"))
    assert jm.sheet_banner(snap, snap.row("t1")) == jm.phase_banner("locked")
    reason = "you typed 3 for 8"
    event.apply(admin_ops.op("sheet.reopen", {"judge": "j1", "team": "t1", "reason": reason}))
    snap = jm.build_snapshot(event, "j1", {}, {})
    row = snap.row("t1")
    assert row is not None
    assert row.reopened == reason
    assert snap.may_edit(row)
    assert not snap.may_edit(snap.row("t2"))  # only the reopened sheet
    assert jm.sheet_banner(snap, row) == (
        "The organiser reopened this sheet for you: you typed 3 for 8. Correct it and submit"
        " it final; it is then locked again."
    )
    assert jm.short_reason(row) == "reopened for you"
    judge_ops.ms = admin_ops.ms
    event.apply(judge_ops.op("sheet.save", {**body, "scores": {"idea": 8, "build": 2}}))
    snap = jm.build_snapshot(event, "j1", {}, {})
    assert not snap.may_edit(snap.row("t1"))


def test_a_void_sheet_and_a_paper_sheet_say_so_in_the_status_line(
    event: State, admin_ops: OpFactory
) -> None:
    paper = {"scores": {"idea": 4, "build": 5}, "comment": "", "final": True}
    ref = {"judge": "j1", "team": "t1"}
    event.apply(admin_ops.op("sheet.enter", {**ref, **paper, "reason": "your paper sheet"}))
    sheets = jm.read_sheets(event, "j1", lambda _: "accepted")
    snap = jm.build_snapshot(event, "j1", sheets, {})
    row = snap.row("t1")
    assert row is not None
    assert jm.delivery_text(row) == (
        "Entered by the organiser from your paper sheet: your paper sheet",
        "ok",
    )
    event.apply(admin_ops.op("sheet.void", {**ref, "reason": "a conflict came to light"}))
    snap = jm.build_snapshot(event, "j1", sheets, {})
    row = snap.row("t1")
    assert row is not None
    assert row.voided == "a conflict came to light"
    assert jm.delivery_text(row) == (
        "Voided by the organiser: a conflict came to light. This sheet counts on no board.",
        "error",
    )
    assert row.reason == "voided by the organiser: a conflict came to light"
    assert jm.short_reason(row) == "voided by the organiser"


SPONSOR_CRITERION = {
    "id": "api",
    "name": "Use of the API",
    "weight": 1,
    "min": 0,
    "max": 10,
    "step": 1,
    "order": 5,
    "prize": "p-api",
}


@pytest.fixture
def prized(event: State, admin_ops: OpFactory, fold: Callable[..., State]) -> State:
    """The event, with an opt-in prize of the event's criteria and a sponsor's of its own."""
    ops = [
        admin_ops.op("prize.put", {"id": "p-ai", "name": "Best AI", "eligibility": "opt_in"}),
        admin_ops.op(
            "prize.put",
            {"id": "p-api", "name": "API Prize", "sponsor": "Acme", "eligibility": "all"},
        ),
        admin_ops.op("criterion.put", SPONSOR_CRITERION),
        admin_ops.op(
            "team.put", {"id": "t2", "name": "Anvil", "location": "Table 2", "prizes": ["p-ai"]}
        ),
    ]
    state: State = fold(ops, event)
    return state


def test_each_row_names_the_prizes_the_judge_scores_it_for(prized: State) -> None:
    rows = {r.id: r for r in jm.team_rows(prized, "j1", {}, {})}
    assert [p.name for p in rows["t2"].prizes] == ["Best AI", "API Prize"]
    assert [p.name for p in rows["t1"].prizes] == ["API Prize"]
    assert rows["t3"].prizes == ()  # a conflict: scored for nothing
    assert [r.id for r in jm.filter_rows(rows.values(), "best ai")] == ["t2"]


def test_the_sheet_groups_the_rounds_criteria_then_each_prizes_own(prized: State) -> None:
    row = next(r for r in jm.team_rows(prized, "j1", {}, {}) if r.id == "t2")
    first, sponsor = row.groups
    assert [c["id"] for c in first.criteria] == ["idea", "build"]
    assert [p.name for p in first.also_for] == ["Best AI"]
    assert jm.group_hint(first) == "Also count for Best AI"
    assert sponsor.prize is not None
    assert sponsor.prize.sponsor == "Acme"
    assert [c["id"] for c in sponsor.criteria] == ["api"]
    assert jm.group_title(sponsor, "Round 1") == "API Prize"
    assert jm.group_hint(sponsor) == "Sponsored by Acme · scored for this prize only"
    # Exactly what the host lets the sheet hold.
    assert [c["id"] for c in row.criteria] == [
        c["id"] for c in sheets.sheet_criteria(prized, "j1", "t2")
    ]


def test_a_final_needs_the_rounds_criteria_not_a_prizes_own(prized: State) -> None:
    row = next(r for r in jm.team_rows(prized, "j1", {}, {}) if r.id == "t1")
    snap = jm.build_snapshot(prized, "j1", {}, {})
    assert [c["id"] for c in snap.criteria] == ["idea", "build"]
    full = {"idea": 5, "build": 3}
    assert jm.sheet_problems(row.criteria, full, final=True, required=snap.criteria) == []
    assert jm.sheet_problems(row.criteria, {**full, "api": 11}, final=True) == [
        "Use of the API takes 0–10, step 1; 11 is not one of them."
    ]
    assert jm.sheet_problems(row.criteria, {"api": 4}, final=True, required=snap.criteria) == [
        "Score every criterion before submitting: Idea, Build."
    ]


@pytest.fixture
def finals(prized: State, admin_ops: OpFactory, fold: Callable[..., State]) -> State:
    """A finals round of the top 1, with Anvil marked its finalist and open for scoring."""
    ops = [
        admin_ops.op(
            "round.put",
            {
                "id": "finals",
                "name": "Finals",
                "order": 1,
                "judges": [],
                "finalists": "top_overall",
                "finalists_n": 1,
                "result": "own",
                "normalise": "off",
                "tie_break": [],
            },
        ),
        admin_ops.op("finalist.put", {"round": "finals", "team": "t2", "finalist": True}),
    ]
    state: State = fold(ops, prized)
    return state


def test_the_judge_scores_the_round_open_for_scoring(
    finals: State, admin_ops: OpFactory, fold: Callable[..., State]
) -> None:
    rounds = jm.judged_rounds(finals, "j1")
    assert [(r.id, r.phase) for r in rounds] == [("main", "scoring"), ("finals", "setup")]
    assert jm.default_round(rounds) == "main"
    fold([admin_ops.op("round.phase", {"round": "finals", "phase": "scoring"})], finals)
    fold([admin_ops.op("event.set", {"field": "phase", "value": "locked"})], finals)
    rounds = jm.judged_rounds(finals, "j1")
    assert jm.default_round(rounds) == "finals"
    assert jm.round_label(rounds[1]) == "Finals · Scoring open"


def test_a_finalists_round_lists_only_its_finalists_and_its_own_sheets(
    finals: State, admin_ops: OpFactory, judge_ops: OpFactory, fold: Callable[..., State]
) -> None:
    fold([admin_ops.op("round.phase", {"round": "finals", "phase": "scoring"})], finals)
    first = judge_ops.op("sheet.save", {"team": "t2", "scores": {"idea": 4}, "final": False})
    later = judge_ops.op(
        "sheet.save",
        {"team": "t2", "scores": {"idea": 6, "build": 2}, "final": True, "round": "finals"},
    )
    fold([first, later], finals)
    assert jm.visible_teams(finals, "j1", "finals") == (["t2"], [])
    main = jm.read_sheets(finals, "j1", lambda _: None)
    kept = jm.read_sheets(finals, "j1", lambda _: None, "finals")
    assert main["t2"].scores == {"idea": 4}
    assert kept["t2"].scores == {"idea": 6, "build": 2}
    snap = jm.build_snapshot(finals, "j1", kept, {}, round_id="finals")
    assert snap.phase == "scoring"
    assert snap.open
    assert [(r.id, r.status) for r in snap.rows] == [("t2", jm.FINAL)]
    assert [c.name for c in snap.rounds] == ["Round 1", "Finals"]


def test_a_refusal_belongs_to_the_round_its_sheet_names(judge_ops: OpFactory) -> None:
    body = {"team": "t1", "scores": {}, "final": True, "round": "finals"}
    refused = StoredOp(judge_ops.op("sheet.save", body), "rejected", "forbidden", "no")
    assert jm.latest_refusals([refused]) == {}
    assert jm.latest_refusals([refused], "finals")["t1"].code == "forbidden"


def test_a_sheet_saved_before_a_criterion_was_added_needs_an_update_and_stays_final(
    event: State, admin_ops: OpFactory, judge_ops: OpFactory, fold: Callable[..., State]
) -> None:
    saved = judge_ops.op(
        "sheet.save", {"team": "t2", "scores": {"idea": 6, "build": 2}, "final": True}
    )
    other = judge_ops.op(
        "sheet.save", {"team": "t1", "scores": {"idea": 6, "build": 2}, "final": True}
    )
    fold([saved, other], event)
    assert jm.updates_banner(jm.build_snapshot(event, "j1", {}, {}).updates) is None
    added = {**CRITERIA[1], "id": "pitch", "name": "Pitch", "order": 2}
    fold([admin_ops.op("criterion.put", added)], event)
    sheets_ = jm.read_sheets(event, "j1", lambda _: None)
    snap = jm.build_snapshot(event, "j1", sheets_, {})
    assert jm.updates_banner(snap.updates) == "2 sheets need an update: Pitch was added"
    row = snap.row("t2")
    assert row is not None
    assert row.status == jm.FINAL
    assert row.missing == ("Pitch",)
    assert jm.update_notice(row, open_=True).startswith(
        "This final sheet has no score for Pitch, added since you saved it."
    )
    assert [r.id for r in jm.filter_rows(snap.rows, "needs update")] == ["t2", "t1"]
    # Brought first on asking, the rest kept in list order.
    assert [r.id for r in jm.order_rows(snap.rows, updates_first=False)] == ["t2", "t1", "t3"]
    later = [snap.rows[2], snap.rows[0], snap.rows[1]]
    assert [r.id for r in jm.order_rows(later, updates_first=True)] == ["t2", "t1", "t3"]
    one = jm.Update("main", "t2", "Anvil", ("Pitch", "Demo"))
    assert jm.updates_banner([one]) == "1 sheet needs an update: Pitch, Demo were added"


def test_a_draft_never_needs_an_update(
    event: State, admin_ops: OpFactory, judge_ops: OpFactory, fold: Callable[..., State]
) -> None:
    fold([judge_ops.op("sheet.save", {"team": "t2", "scores": {"idea": 6}, "final": False})], event)
    fold([admin_ops.op("criterion.put", {**CRITERIA[1], "id": "pitch", "order": 2})], event)
    snap = jm.build_snapshot(event, "j1", jm.read_sheets(event, "j1", lambda _: None), {})
    assert snap.updates == ()
    assert not any(r.needs_update for r in snap.rows)


def test_a_prizes_criterion_left_unscored_is_never_said_to_be_added(
    prized: State, judge_ops: OpFactory, fold: Callable[..., State]
) -> None:
    body = {"team": "t1", "scores": {"idea": 6, "build": 2}, "final": True}
    # Saved after the sponsor's criterion was put (the judge's clock is ahead of the admin's).
    fold([judge_ops.op("sheet.save", body, ms=OpFactory.BASE_MS + 1_000)], prized)
    snap = jm.build_snapshot(prized, "j1", jm.read_sheets(prized, "j1", lambda _: None), {})
    assert jm.updates_banner(snap.updates) == (
        "1 sheet needs an update: no score yet for Use of the API"
    )
    row = snap.row("t1")
    assert row is not None
    assert row.status == jm.FINAL
    assert jm.update_notice(row, open_=False) == (
        "This final sheet has no score for Use of the API. It counts on the criteria it has."
    )
