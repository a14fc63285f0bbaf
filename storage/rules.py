"""Who may make which op in which phase, and the checks that decide an op's outcome (pure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storage import hlc
from storage.ops import ADMIN_KINDS, KINDS, PHASES, InvalidOp, Op, normalize_body
from storage.sheets import CONFLICT, sheet_problem
from storage.state import State

# PROTOCOL.md section 6: an op stamped more than 10 minutes ahead of the host is refused.
MAX_CLOCK_SKEW_MS = 10 * 60 * 1000
MAX_REMOTE_COUNTER = 9000

ALL_PHASES = frozenset(PHASES)
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
    },
    "judge": {"sheet.save": frozenset({"scoring"})},
    "team": {},
    "display": {},
}
assert all(kind in KINDS for kinds in PERMISSIONS.values() for kind in kinds)
assert set(PERMISSIONS["admin"]) == set(ADMIN_KINDS)

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


def judges_may_save(phase: str) -> bool:
    """Tell whether a judge may save a sheet in `phase` (the permission matrix's one cell)."""
    return permission("judge", "sheet.save", phase) == "ok"


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
    if permission(role, op.kind, state.phase) == "scoring_closed":
        if op.kind == "sheet.save":
            return Rejection(
                "scoring_closed", f"scoring is not open (the event is in {state.phase})"
            )
        return Rejection("scoring_closed", f"{op.kind} is closed while the event is {state.phase}")
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
        normalize_body(op.kind, op.body)
    except InvalidOp as exc:
        return Rejection("invalid", str(exc))
    if op.author != ("admin" if role == "admin" else subject):
        return Rejection(
            "forbidden", "a device may only act for the judge or admin it is paired as"
        )
    if op.kind not in PERMISSIONS.get(role, {}):
        return Rejection("forbidden", f"a {role} may not make {op.kind}")
    return None


def _check_admin(kind: str, body: dict[str, Any], state: State) -> Rejection | None:
    check_kind = _ADMIN_CHECKS.get(kind)
    return None if check_kind is None else check_kind(body, state)


def _check_assign(body: dict[str, Any], state: State) -> Rejection | None:
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
    return None


def _check_event(body: dict[str, Any], state: State) -> Rejection | None:
    if body["field"] == "tie_break":
        for cid in body["value"]:
            if state.criterion(cid) is None:
                return Rejection("unknown_criterion", f"there is no criterion {cid!r}")
    return None


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


# The state checks of admin ops (docs/protocol.md 6a, step 10); kinds not listed have none.
_ADMIN_CHECKS: dict[str, Callable[[dict[str, Any], State], Rejection | None]] = {
    "assign.put": _check_assign,
    "judge.put": _check_judge,
    "event.set": _check_event,
    "device.put": _check_device,
    "notify": _check_notify,
}
