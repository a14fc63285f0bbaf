"""Who may make which op in which phase, and the checks that decide an op's outcome (pure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storage import hlc
from storage.ops import (
    ADMIN_KINDS,
    CORRECTION_KINDS,
    FIRST_ROUND,
    KINDS,
    PHASES,
    TIE_RULES,
    InvalidOp,
    Op,
)
from storage.sheets import CONFLICT, may_score, sheet_problem
from storage.state import State

# PROTOCOL.md section 6: an op stamped more than 10 minutes ahead of the host is refused.
MAX_CLOCK_SKEW_MS = 10 * 60 * 1000
MAX_REMOTE_COUNTER = 9000

ALL_PHASES = frozenset(PHASES)
_HAS_SHEETS = frozenset({"scoring", "locked", "released"})
# The permission matrix: role -> kind -> phases in which that role may make that kind.
# A kind missing for a role is `forbidden`; a phase missing for an allowed kind is `scoring_closed`.
PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    "admin": {
        "event.set": ALL_PHASES,
        "team.put": ALL_PHASES,
        "team.del": frozenset({"setup", "scoring"}),
        "criterion.put": frozenset({"setup", "scoring"}),
        "criterion.del": frozenset({"setup"}),
        "judge.put": ALL_PHASES,
        "judge.del": frozenset({"setup", "scoring"}),
        "assign.put": frozenset({"setup", "scoring"}),
        "device.put": ALL_PHASES,
        "device.revoke": ALL_PHASES,
        "notify": ALL_PHASES,
        "prize.put": frozenset({"setup", "scoring"}),
        "prize.del": frozenset({"setup", "scoring"}),
        "round.put": frozenset({"setup", "scoring"}),
        "round.del": frozenset({"setup"}),
        "round.phase": ALL_PHASES,
        "finalist.put": frozenset({"setup", "scoring"}),
        # Corrections (docs/protocol.md 5c): once sheets exist, and after lock and release.
        "sheet.void": _HAS_SHEETS,
        "sheet.restore": _HAS_SHEETS,
        "sheet.enter": _HAS_SHEETS,
        "sheet.reopen": frozenset({"locked"}),
        "sheet.relock": ALL_PHASES,  # a reopen left standing can always be taken back
    },
    "judge": {"sheet.save": frozenset({"scoring"})},
    "team": {},
    "display": {},
}
assert all(kind in KINDS for kinds in PERMISSIONS.values() for kind in kinds)
assert set(PERMISSIONS["admin"]) == set(ADMIN_KINDS)

# Why a sheet cannot be saved in each phase judges may not save in, as its judge reads it.
CLOSED_BECAUSE = {
    "setup": "it has not started yet",
    "locked": "the organiser has locked the results",
    "released": "the results are released",
}

REJECT_CODES = (
    "forbidden",
    "invalid",
    "unknown_team",
    "unknown_criterion",
    "out_of_range",
    "scoring_closed",
    "bad_signature",
    "gap",
    "clock_skew",
)


@dataclass(frozen=True)
class Rejection:
    """Why an op was refused: a PROTOCOL.md section 6 code and a sentence for its user."""

    code: str
    message: str

    def to_wire(self, op_id: str) -> dict[str, str]:
        """Return the `rejected` entry of an ack."""
        return {"id": op_id, "code": self.code, "message": self.message}


def permission(role: str, kind: str, phase: str) -> str:
    """Return `ok`, `forbidden` or `scoring_closed` for one cell of the matrix."""
    phases = PERMISSIONS.get(role, {}).get(kind)
    if phases is None:
        return "forbidden"
    return "ok" if phase in phases else "scoring_closed"


# Kinds that change one round's results alone are judged in that round's phase; a kind that
# changes results of every round (teams, judges, the event's and prizes' criteria, prizes) in
# the most advanced phase of any round, so nothing changes a locked round's results
# (docs/protocol.md 6a). With one round both are the event's phase, as before.
_ADVANCE = {phase: rank for rank, phase in enumerate(PHASES)}


def op_round(kind: str, body: dict[str, Any], state: State) -> str | None:
    """Return the round an op changes the results of alone, or None when it is event-wide."""
    if kind in ("round.put", "round.del"):
        return str(body.get("id"))
    if kind == "finalist.put":
        return str(body.get("round"))
    if kind in ("sheet.save", "assign.put", *CORRECTION_KINDS):
        return str(body.get("round") or FIRST_ROUND)
    if kind in ("criterion.put", "criterion.del"):
        current = state.criterion(str(body.get("id"))) or {}
        owners = {current.get("round")} if current else set()
        if kind == "criterion.put":
            owners.add(body.get("round"))
        prized = current.get("prize") is not None or body.get("prize") is not None
        if len(owners) == 1 and None not in owners and not prized:
            return str(owners.pop())  # a round's own criterion, staying one
    return None


def op_phase(kind: str, body: dict[str, Any], state: State) -> str:
    """Return the phase an op is judged in by the permission matrix.

    A round's op: that round's phase. An event-wide op: the most advanced phase of any round,
    which with one round is the event's phase, as before.
    """
    round_id = op_round(kind, body, state)
    if round_id is not None:
        return state.round_phase(round_id)
    return max((state.round_phase(r["id"]) for r in state.rounds()), key=_ADVANCE.__getitem__)


def judges_may_save(phase: str) -> bool:
    """Tell whether a judge may save a sheet in `phase` (the permission matrix's one cell)."""
    return permission("judge", "sheet.save", phase) == "ok"


def may_save(state: State, judge_id: str, team_id: str, round_id: str = FIRST_ROUND) -> bool:
    """Tell whether a judge may save its sheet for a team now: the round is open for scoring,
    or it is locked and the organiser reopened this one sheet (docs/protocol.md 5c)."""
    phase = state.round_phase(round_id)
    if judges_may_save(phase):
        return True
    return phase == "locked" and state.reopened(round_id, judge_id, team_id)


def _save_phase(op: Op, state: State, phase: str) -> str:
    """Return the phase a judge's sheet.save is judged in: a reopened sheet's locked round
    counts as open for that one (judge, team, round)."""
    round_id = str(op.body.get("round") or FIRST_ROUND)
    if op.kind == "sheet.save" and may_save(state, op.author, str(op.body["team"]), round_id):
        return "scoring"
    return phase


def check_clock(op: Op, now_ms: int) -> Rejection | None:
    """Refuse another device's op whose stamp would pull the host's clock too far ahead."""
    stamp = hlc.parse(op.hlc)
    if stamp.wall_ms > now_ms + MAX_CLOCK_SKEW_MS:
        return Rejection(
            "clock_skew", "the device's clock is more than 10 minutes ahead of the host"
        )
    if stamp.counter > MAX_REMOTE_COUNTER and stamp.wall_ms >= now_ms:
        # No real device makes 9,000 stamps in one millisecond; such a future stamp would use
        # up the host's counter (the host then steps ahead, docs/protocol.md 5b).
        return Rejection("clock_skew", "the op's clock stamp is exhausted; check the device clock")
    return None


def check(
    op: Op, role: str, subject: str | None, state: State, now_ms: int, *, own: bool = False
) -> Rejection | None:
    """Decide whether the host accepts `op`, made on a device of `role` bound to `subject`.

    The signature and the op's place in its device's sequence are checked by the replica before.
    The host's `own` ops carry its own clock, which a peer may have pulled ahead: only other
    devices' stamps are checked.
    """
    rejection = None if own else check_clock(op, now_ms)
    if rejection is not None:
        return rejection
    rejection = check_history(op, role, subject)  # what holds in every phase and state
    if rejection is not None:
        return rejection
    round_id = op_round(op.kind, op.body, state)
    if round_id is not None and op.kind != "round.put" and state.round(round_id) is None:
        return Rejection("invalid", f"there is no round {round_id!r}")
    phase = _save_phase(op, state, _phase_of(op, state))
    if permission(role, op.kind, phase) == "scoring_closed":
        if op.kind == "sheet.save":
            return Rejection(
                "scoring_closed", f"scoring is not open: {CLOSED_BECAUSE.get(phase, phase)}"
            )
        return Rejection("scoring_closed", f"{op.kind} is closed while the event is {phase}")
    if op.kind == "sheet.save":
        problem = sheet_problem(state, op.author, op.body)
        return None if problem is None else Rejection(problem.code, problem.message)
    return _check_admin(op.kind, op.body, state)


def check_history(op: Op, role: str, subject: str | None) -> Rejection | None:
    """Decide an op that a host of this event accepted before this host was rebuilt.

    Its acceptance was decided then, against the state of that moment (the phase, the teams,
    the criteria's ranges); deciding it again against today's state would refuse sheets that a
    judge was told were saved. What holds whatever the moment stays checked: the body's shape,
    who may act for whom, and which kinds a role may make at all.
    """
    try:
        op.value  # noqa: B018 (checked once, then kept on the op for the fold)
    except InvalidOp as exc:
        return Rejection("invalid", str(exc))
    if op.author != ("admin" if role == "admin" else subject):
        return Rejection(
            "forbidden", "a device may only act for the judge or admin it is paired as"
        )
    if op.kind not in PERMISSIONS.get(role, {}):
        return Rejection("forbidden", f"a {role} may not make {op.kind}")
    return None


def _phase_of(op: Op, state: State) -> str:
    """Return the phase the matrix judges `op` in."""
    if op.kind in ("event.set", "device.put", "device.revoke", "notify", "round.phase"):
        return state.phase  # open in every phase: nothing to look up
    return op_phase(op.kind, op.body, state)


def _closed_everywhere(state: State) -> bool:
    """Tell whether some round is locked or released: event-wide results are frozen."""
    return _ADVANCE[op_phase("prize.put", {}, state)] >= _ADVANCE["locked"]


def _check_admin(kind: str, body: dict[str, Any], state: State) -> Rejection | None:
    check_kind = _ADMIN_CHECKS.get(kind)
    return None if check_kind is None else check_kind(body, state)


def _check_assign(body: dict[str, Any], state: State) -> Rejection | None:
    rejection = _round_problem(body.get("round"), state)
    if rejection is not None:
        return rejection
    judge = state.judge(body["judge"])
    if judge is None:
        return Rejection("invalid", f"there is no judge {body['judge']!r}")
    if state.team(body["team"]) is None:
        return Rejection("unknown_team", f"there is no team {body['team']!r}")
    if body["assigned"] and body["team"] in judge.get("conflicts", []):
        return Rejection("forbidden", CONFLICT)
    return None


def _check_judge(body: dict[str, Any], state: State) -> Rejection | None:
    for team_id in body.get("conflicts", []):
        if state.team(team_id) is None:
            return Rejection("unknown_team", f"conflict with unknown team {team_id!r}")
    return _check_prizes("judge", body, state.judge(body["id"]), state)


def _check_team(body: dict[str, Any], state: State) -> Rejection | None:
    return _check_prizes("team", body, state.team(body["id"]), state)


def _check_prizes(
    what: str, body: dict[str, Any], current: dict[str, Any] | None, state: State
) -> Rejection | None:
    """Check the prizes a team opts into or a judge carries: they exist, and change no locked
    round's prize boards."""
    prizes = body.get("prizes", [])
    for prize_id in prizes:
        if state.prize(prize_id) is None:
            return Rejection("invalid", f"there is no prize {prize_id!r}")
    if prizes != (current or {}).get("prizes", []) and _closed_everywhere(state):
        return Rejection(
            "scoring_closed", f"a {what}'s prizes are closed while a round is locked or released"
        )
    return None


def _tie_break_problem(keys: list[str], state: State) -> Rejection | None:
    for cid in keys:
        if cid not in TIE_RULES and state.criterion(cid) is None:
            return Rejection("unknown_criterion", f"there is no criterion {cid!r}")
    return None


def _check_event(body: dict[str, Any], state: State) -> Rejection | None:
    if body["field"] == "tie_break":
        return _tie_break_problem(body["value"], state)
    return None


def _round_problem(round_id: object, state: State) -> Rejection | None:
    if round_id is not None and state.round(str(round_id)) is None:
        return Rejection("invalid", f"there is no round {round_id!r}")
    return None


def _check_round(body: dict[str, Any], state: State) -> Rejection | None:
    for judge_id in body.get("judges", []):
        if state.judge(judge_id) is None:
            return Rejection("invalid", f"there is no judge {judge_id!r}")
    return _tie_break_problem(body.get("tie_break", []), state)


def _check_criterion(body: dict[str, Any], state: State) -> Rejection | None:
    prize = body.get("prize")
    if prize is not None and state.prize(prize) is None:
        return Rejection("invalid", f"there is no prize {prize!r}")
    return _round_problem(body.get("round"), state)


def _check_finalist(body: dict[str, Any], state: State) -> Rejection | None:
    if state.team(body["team"]) is None:
        return Rejection("unknown_team", f"there is no team {body['team']!r}")
    return _round_problem(body["round"], state)


def _check_device(body: dict[str, Any], state: State) -> Rejection | None:
    subject, role = str(body.get("subject")), body["role"]
    if role == "judge" and state.judge(subject) is None:
        return Rejection("invalid", f"there is no judge {subject!r}")
    if role == "team" and state.team(subject) is None:
        return Rejection("unknown_team", f"there is no team {subject!r}")
    return None


def _check_notify(body: dict[str, Any], state: State) -> Rejection | None:
    audience, target = body["audience"], str(body.get("target"))
    if audience == "team" and state.team(target) is None:
        return Rejection("unknown_team", f"there is no team {target!r}")
    if audience == "judge" and state.judge(target) is None:
        return Rejection("invalid", f"there is no judge {target!r}")
    return None


def _sheet_named(body: dict[str, Any]) -> tuple[str, str, str, str]:
    """Return (round, judge, team, how the console names it) of a correction's body."""
    round_id = str(body.get("round") or FIRST_ROUND)
    return round_id, body["judge"], body["team"], f"{body['judge']}'s sheet for {body['team']}"


def _check_void(body: dict[str, Any], state: State) -> Rejection | None:
    round_id, judge, team, named = _sheet_named(body)
    if state.round_sheet(round_id, judge, team) is None:
        return Rejection("invalid", f"there is no sheet to void: {named}")
    if state.voided(round_id, judge, team):
        return Rejection("invalid", f"{named} is void already")
    return None


def _check_restore(body: dict[str, Any], state: State) -> Rejection | None:
    round_id, judge, team, named = _sheet_named(body)
    if not state.voided(round_id, judge, team):
        return Rejection("invalid", f"{named} is not void: there is nothing to restore")
    return None


def _check_reopen(body: dict[str, Any], state: State) -> Rejection | None:
    round_id, judge, team, named = _sheet_named(body)
    problem = may_score(state, judge, team, round_id)
    if problem is not None:
        return Rejection(problem.code, problem.message)
    if state.reopened(round_id, judge, team):
        return Rejection("invalid", f"{named} is reopened already")
    return None


def _check_relock(body: dict[str, Any], state: State) -> Rejection | None:
    round_id, judge, team, named = _sheet_named(body)
    if not state.reopened(round_id, judge, team):
        return Rejection("invalid", f"{named} is not reopened: there is nothing to relock")
    return None


def _check_enter(body: dict[str, Any], state: State) -> Rejection | None:
    # A paper sheet obeys the judge's own sheet rules: who may score whom, the scales.
    problem = sheet_problem(state, body["judge"], body)
    return None if problem is None else Rejection(problem.code, problem.message)


# The state checks of admin ops (docs/protocol.md 6a, step 10); kinds not listed have none.
_ADMIN_CHECKS: dict[str, Callable[[dict[str, Any], State], Rejection | None]] = {
    "assign.put": _check_assign,
    "judge.put": _check_judge,
    "event.set": _check_event,
    "device.put": _check_device,
    "notify": _check_notify,
    "team.put": _check_team,
    "criterion.put": _check_criterion,
    "round.put": _check_round,
    "round.phase": lambda body, state: _round_problem(body["round"], state),
    "finalist.put": _check_finalist,
    "sheet.void": _check_void,
    "sheet.restore": _check_restore,
    "sheet.reopen": _check_reopen,
    "sheet.relock": _check_relock,
    "sheet.enter": _check_enter,
}
