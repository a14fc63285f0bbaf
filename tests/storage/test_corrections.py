"""Tests for the organiser's corrections (void, restore, reopen, relock, paper sheets) across
the state, the rules, the live scoreboard and the boards (docs/protocol.md 5c)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.boards import board, main_scoreboard
from storage.ops import CORRECTION_KINDS, FIRST_ROUND, Op
from storage.rules import check, may_save
from storage.scoring import Scoreboard, main_board_entry
from storage.state import State
from tests.conftest import OpFactory

SCALE = {"weight": 1, "min": 0, "max": 10, "step": 1}
TEAMS = ("t1", "t2", "t3")
JUDGES = ("j1", "j2")
NOW = OpFactory.BASE_MS + 3_600_000


class Event:
    """A state built op by op, each op checked by the host's rules and kept when accepted."""

    def __init__(self, phase: str = "scoring") -> None:
        self.state = State()
        self.admin = OpFactory("admin", seed=1)
        self.devices = {j: OpFactory(j, seed=10 + i) for i, j in enumerate(JUDGES)}
        self.accepted: list[Op] = []
        for team in TEAMS:
            self.do("team.put", {"id": team, "name": team.upper()})
        for judge in JUDGES:
            self.do("judge.put", {"id": judge, "name": judge.upper()})
        self.do("criterion.put", {"id": "c1", "name": "Design", **SCALE})
        self.do("event.set", {"field": "phase", "value": phase})

    def submit(self, op: Op, role: str, subject: str | None) -> str:
        """Check and fold an op as the host does; return `ok` or the reject code."""
        rejection = check(op, role, subject, self.state, NOW, own=role == "admin")
        if rejection is not None:
            return rejection.code
        self.state.apply(op)
        self.accepted.append(op)
        # Every device has seen it (its clock takes the stamp in, PROTOCOL.md 5).
        for device in (self.admin, *self.devices.values()):
            device.ms = max(device.ms, int(op.hlc[:13]))
        return "ok"

    def do(self, kind: str, body: dict[str, Any]) -> str:
        return self.submit(self.admin.op(kind, body), "admin", None)

    def save(self, judge: str, team: str, mark: int, *, final: bool = True) -> str:
        body = {"team": team, "scores": {"c1": mark}, "comment": "", "final": final}
        return self.submit(self.devices[judge].op("sheet.save", body), "judge", judge)

    def correct(self, kind: str, judge: str, team: str, **extra: Any) -> str:
        return self.do(kind, {"judge": judge, "team": team, "reason": "on paper", **extra})

    def total(self, team: str) -> tuple[float | None, int]:
        return main_scoreboard(self.state).total(team)


def paper(mark: int, *, final: bool = True) -> dict[str, Any]:
    return {"scores": {"c1": mark}, "comment": "from paper", "final": final}


# --- each correction ----------------------------------------------------------------------------


def test_a_void_sheet_is_kept_counts_nowhere_and_a_restore_brings_it_back() -> None:
    e = Event()
    assert e.save("j1", "t1", 10) == e.save("j2", "t1", 0) == "ok"
    assert e.total("t1") == (50.0, 2)
    assert e.correct("sheet.void", "j2", "t1") == "ok"
    assert e.state.sheet("j2", "t1") is not None  # kept
    assert e.state.voided(FIRST_ROUND, "j2", "t1")
    assert e.total("t1") == (100.0, 1)
    assert board(e.state, FIRST_ROUND, None).rows[0].judge_count == 1
    assert e.correct("sheet.void", "j2", "t1") == "invalid"  # void already
    assert e.correct("sheet.restore", "j2", "t1") == "ok"
    assert e.total("t1") == (50.0, 2)
    assert e.correct("sheet.restore", "j2", "t1") == "invalid"  # nothing to restore
    assert e.correct("sheet.void", "j1", "t2") == "invalid"  # no such sheet


def test_a_void_sheet_stays_void_when_its_judge_saves_it_again() -> None:
    e = Event()
    e.save("j1", "t1", 10)
    e.correct("sheet.void", "j1", "t1")
    assert e.save("j1", "t1", 9) == "ok"
    assert e.total("t1") == (None, 0)


def test_a_locked_round_takes_a_sheet_only_from_a_reopened_judge_until_relocked() -> None:
    e = Event()
    e.save("j1", "t1", 3)
    e.save("j2", "t1", 5)
    e.do("event.set", {"field": "phase", "value": "locked"})
    assert e.save("j1", "t1", 8) == "scoring_closed"
    assert e.correct("sheet.relock", "j1", "t1") == "invalid"  # not reopened
    assert e.correct("sheet.reopen", "j1", "t1") == "ok"
    assert may_save(e.state, "j1", "t1")
    assert not may_save(e.state, "j1", "t2")
    assert e.save("j2", "t1", 9) == "scoring_closed"  # only that judge
    assert e.save("j1", "t2", 9) == "scoring_closed"  # only that team
    assert e.save("j1", "t1", 7, final=False) == "ok"  # a draft keeps it open
    assert e.state.reopened(FIRST_ROUND, "j1", "t1")
    assert e.correct("sheet.relock", "j1", "t1") == "ok"
    assert e.save("j1", "t1", 8) == "scoring_closed"
    assert e.total("t1") == (50.0, 1)  # the draft 7 does not count; 5 does


def test_a_final_save_after_a_reopen_relocks_it_by_itself() -> None:
    e = Event()
    e.save("j1", "t1", 3)
    e.do("event.set", {"field": "phase", "value": "locked"})
    e.correct("sheet.reopen", "j1", "t1")
    assert e.save("j1", "t1", 8) == "ok"
    assert not e.state.reopened(FIRST_ROUND, "j1", "t1")
    assert e.save("j1", "t1", 9) == "scoring_closed"
    assert e.total("t1") == (80.0, 1)
    assert e.correct("sheet.reopen", "j1", "t1") == "ok"  # it may be reopened again


def test_reopen_is_for_a_locked_round_and_a_judge_who_may_score_the_team() -> None:
    e = Event()
    assert e.correct("sheet.reopen", "j1", "t1") == "scoring_closed"
    e.do("judge.put", {"id": "j2", "name": "J2", "conflicts": ["t2"]})
    e.do("event.set", {"field": "phase", "value": "locked"})
    assert e.correct("sheet.reopen", "j2", "t2") == "forbidden"
    assert e.correct("sheet.reopen", "j9", "t1") == "forbidden"
    assert e.correct("sheet.reopen", "j1", "t9") == "unknown_team"
    e.do("event.set", {"field": "phase", "value": "released"})
    assert e.correct("sheet.reopen", "j1", "t1") == "scoring_closed"


def test_a_paper_sheet_is_the_judges_sheet_marked_and_the_greatest_stamp_wins() -> None:
    e = Event()
    assert e.save("j1", "t1", 4) == "ok"
    e.do("event.set", {"field": "phase", "value": "locked"})
    assert e.correct("sheet.enter", "j1", "t1", **paper(9)) == "ok"
    sheet = e.state.sheet("j1", "t1")
    assert sheet is not None
    assert sheet["scores"] == {"c1": 9}
    assert sheet["entered_by"] == "admin"
    assert sheet["reason"] == "on paper"
    assert e.total("t1") == (90.0, 1)
    # The judge's own later save (its laptop came back; the sheet was reopened) wins.
    e.correct("sheet.reopen", "j1", "t1")
    assert e.save("j1", "t1", 6) == "ok"
    sheet = e.state.sheet("j1", "t1")
    assert sheet is not None
    assert "entered_by" not in sheet
    assert e.total("t1") == (60.0, 1)


def test_a_paper_sheet_obeys_the_judges_sheet_rules() -> None:
    e = Event()
    assert e.correct("sheet.enter", "j1", "t1", **paper(11)) == "out_of_range"
    assert e.correct("sheet.enter", "j1", "t9", **paper(5)) == "unknown_team"
    assert e.correct("sheet.enter", "j9", "t1", **paper(5)) == "forbidden"
    body = {"scores": {}, "comment": "", "final": True}
    assert e.correct("sheet.enter", "j1", "t1", **body) == "invalid"  # a final sheet scores all
    e.do("event.set", {"field": "phase", "value": "setup"})
    assert e.correct("sheet.enter", "j1", "t1", **paper(5)) == "scoring_closed"


def test_corrections_of_a_later_round_touch_only_that_round() -> None:
    e = Event()
    e.do("round.put", {"id": "finals", "name": "Finals"})
    e.do("round.phase", {"round": "finals", "phase": "scoring"})
    e.save("j1", "t1", 10)
    body = {"team": "t1", "scores": {"c1": 2}, "comment": "", "final": True, "round": "finals"}
    assert e.submit(e.devices["j1"].op("sheet.save", body), "judge", "j1") == "ok"
    assert e.correct("sheet.void", "j1", "t1", round="finals") == "ok"
    assert e.state.voided("finals", "j1", "t1")
    assert not e.state.voided(FIRST_ROUND, "j1", "t1")
    assert e.total("t1") == (100.0, 1)
    assert board(e.state, "finals", None).rows[0].judge_count == 0


# --- properties ---------------------------------------------------------------------------------

STEPS = st.lists(
    st.tuples(
        st.sampled_from(("save", "draft", "phase", *CORRECTION_KINDS)),
        st.sampled_from(JUDGES),
        st.sampled_from(TEAMS),
        st.integers(0, 10),
    ),
    max_size=30,
)
PHASE_CYCLE = ("scoring", "locked", "released", "locked")


def play(steps: list[tuple[str, str, str, int]]) -> Event:
    """Submit each step to a host that checks it; some are refused, as a host would."""
    e = Event()
    phases = iter(PHASE_CYCLE * 10)
    for what, judge, team, mark in steps:
        if what in ("save", "draft"):
            e.save(judge, team, mark, final=what == "save")
        elif what == "phase":
            e.do("event.set", {"field": "phase", "value": next(phases)})
        elif what == "sheet.enter":
            e.correct(what, judge, team, **paper(mark))
        else:
            e.correct(what, judge, team)
    return e


def snapshot(state: State) -> tuple[Any, ...]:
    rows = [r.to_wire() for r in main_scoreboard(state).rows()]
    return dict(state.entries), rows, board(state, FIRST_ROUND, None).wire_rows()


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(steps=STEPS, seed=st.integers(0, 2**32 - 1))
def test_corrections_converge_on_every_replica_in_any_order(
    steps: list[tuple[str, str, str, int]], seed: int
) -> None:
    accepted = play(steps).accepted
    shuffled = list(accepted)
    random.Random(seed).shuffle(shuffled)
    replicas = []
    for ops in (accepted, shuffled, list(reversed(accepted))):
        state, live = State(), Scoreboard()
        for op in ops:
            entry = state.apply(op)
            if entry is not None:  # the live board takes each change as a replica feeds it
                live.update(op.key, main_board(op.key, state))
        replicas.append((snapshot(state), [r.to_wire() for r in live.rows()]))
    assert replicas[0] == replicas[1] == replicas[2]
    assert replicas[0][1] == replicas[0][0][1]  # the live board is the one built at once


def main_board(key: str, state: State) -> Any:
    return main_board_entry(key, state.entries.get(key))


@PROPERTY
@given(steps=STEPS)
def test_a_void_sheet_never_counts(steps: list[tuple[str, str, str, int]]) -> None:
    state = play(steps).state
    live = main_scoreboard(state)
    for team in TEAMS:
        counted = [
            s
            for s in state.sheets()
            if s["team"] == team and s["final"] and not state.voided(FIRST_ROUND, s["judge"], team)
        ]
        marks = [s["scores"]["c1"] * 10.0 for s in counted]
        expected = (sum(marks) / len(marks) if marks else None, len(marks))
        total, count = live.total(team)
        assert count == expected[1]
        assert total == pytest.approx(expected[0])
        row = next(r for r in board(state, FIRST_ROUND, None).rows if r.team_id == team)
        assert row.judge_count == count


@PROPERTY
@given(steps=STEPS)
def test_a_locked_round_changes_only_through_the_named_corrections(
    steps: list[tuple[str, str, str, int]],
) -> None:
    e = Event()
    phases = iter(PHASE_CYCLE * 10)
    for what, judge, team, mark in steps:
        before = snapshot(e.state)[1:]
        reopened = e.state.reopened(FIRST_ROUND, judge, team)
        if what in ("save", "draft"):
            outcome = e.save(judge, team, mark, final=what == "save")
        elif what == "phase":
            outcome = e.do("event.set", {"field": "phase", "value": next(phases)})
        elif what == "sheet.enter":
            outcome = e.correct(what, judge, team, **paper(mark))
        else:
            outcome = e.correct(what, judge, team)
        if e.state.phase in ("locked", "released") and what != "phase":
            if what in ("save", "draft") and not reopened:
                assert outcome == "scoring_closed"
            if snapshot(e.state)[1:] != before:
                assert what in CORRECTION_KINDS or reopened
