"""The event rules of a sheet: who may score which team, the scale, what a final sheet needs (pure).

Written once, called by the host (`storage.rules`), the judge's window (`desktop.judge_model`),
the organiser's progress (`storage.admin`) and the rehearsal (`sync.rehearse`). The structure
of a sheet (shape, types, sizes) is checked before, by `storage.ops.normalize_body`; the phase
in which a sheet may be saved is the permission matrix of `storage.rules`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from storage.ops import FIRST_ROUND
from storage.state import State

# A score counts as on the grid when it is this close to a grid point, relative to the size of
# the scale's numbers: a typed decimal is off by ~1e-16 of it, and a client that adds up 5,000
# steps one by one by ~1e-13 (measured), yet 1001.8500001 on a 0.01 scale is refused.
RELATIVE_TOLERANCE = 1e-12
# ...and never more than this share of a step, so a value between two steps is never taken.
STEP_TOLERANCE = 1e-3

CONFLICT = "this judge has a conflict of interest with this team"


@dataclass(frozen=True)
class SheetProblem:
    """Why a sheet breaks an event rule: its reject code, the host's sentence, and what it names.

    `criterion` and `value` name the score at fault, `missing` the criteria a final sheet lacks,
    so that the judge's window can say the same thing in its own words.
    """

    code: str
    message: str
    criterion: Mapping[str, Any] | None = None
    value: float | None = None
    missing: tuple[Mapping[str, Any], ...] = ()


def judge_team_problem(
    judge: Mapping[str, Any] | None,
    team_id: str,
    *,
    team_exists: bool,
    assigned: Collection[str],
) -> SheetProblem | None:
    """Return why `judge` may not score `team_id` (docs/protocol.md 6a, step 10), or None.

    `assigned` is the judge's assignment list; an empty one lets it score every team it has no
    conflict with, and any assignment, even to a team since removed, limits it to its list.
    """
    if judge is None:
        return SheetProblem("forbidden", "this judge has been removed from the event")
    if not team_exists:
        return SheetProblem("unknown_team", f"there is no team {team_id!r}")
    if team_id in judge["conflicts"]:
        return SheetProblem("forbidden", CONFLICT)
    if assigned and team_id not in assigned:
        return SheetProblem("forbidden", "this team is not assigned to this judge")
    return None


def may_score(
    state: State, judge_id: str, team_id: str, round_id: str = FIRST_ROUND
) -> SheetProblem | None:
    """Return why a judge may not score a team in a round of this state, or None when it may."""
    problem = judge_team_problem(
        state.judge(judge_id),
        team_id,
        team_exists=state.team(team_id) is not None,
        assigned=state.round_assigned_teams(round_id, judge_id),
    )
    if problem is not None or round_id == FIRST_ROUND:
        return problem
    round_ = state.round(round_id)
    if round_ is None:
        return SheetProblem("invalid", f"there is no round {round_id!r}")
    if round_["judges"] and judge_id not in round_["judges"]:
        return SheetProblem("forbidden", f"this judge does not judge {round_['name']}")
    if not in_round(state, round_, team_id):
        return SheetProblem("forbidden", f"this team is not a finalist of {round_['name']}")
    return None


# --- rounds and prizes: who is judged on which board, on which criteria ---------------------------


def in_round(state: State, round_: Mapping[str, Any], team_id: str) -> bool:
    """Tell whether a live team takes part in a round: every team, or the round's finalists."""
    if round_["finalists"] == "all":
        return True
    return state.finalist_marks(round_["id"]).get(team_id, False)


def round_teams(state: State, round_id: str) -> list[str]:
    """Return, sorted, the live teams that take part in a round."""
    round_ = state.round(round_id)
    if round_ is None:
        return []
    return sorted(t for t in state.teams() if in_round(state, round_, t))


def round_judges(state: State, round_id: str) -> list[str]:
    """Return, sorted, the live judges of a round (a round that lists none has every judge)."""
    round_ = state.round(round_id)
    listed = [] if round_ is None else round_["judges"]
    return sorted(j for j in state.judges() if not listed or j in listed)


def prize_takes_team(prize: Mapping[str, Any], team: Mapping[str, Any]) -> bool:
    """Tell whether a team competes for a prize: every team, or those that opted in."""
    return prize["eligibility"] == "all" or prize["id"] in team.get("prizes", ())


def prize_takes_judge(prize: Mapping[str, Any], judge: Mapping[str, Any]) -> bool:
    """Tell whether a judge scores for a prize: every judge, or those that carry it."""
    return prize["judges"] == "all" or prize["id"] in judge.get("prizes", ())


def round_criteria(state: State, round_id: str) -> list[dict[str, Any]]:
    """Return a round's criteria: its own when it has any, else the event's."""
    if round_id != FIRST_ROUND:
        own = [c for c in state.all_criteria() if c.get("round") == round_id]
        if own:
            return own
    return state.criteria()


def board_criteria(state: State, round_id: str, prize_id: str | None) -> list[dict[str, Any]]:
    """Return the criteria a board ranks on: the prize's own when it has any, else the round's."""
    if prize_id is not None:
        own = [c for c in state.all_criteria() if c.get("prize") == prize_id]
        if own:
            return own
    return round_criteria(state, round_id)


def scoring_for(
    state: State, judge_id: str, team_id: str, round_id: str = FIRST_ROUND
) -> list[str | None]:
    """Return the boards a judge scores a team for in a round: None (the main board), then the
    ids of the prizes (hidden ones too) that take both; empty when the judge may not score it.

    The one rule of "which prizes is this judge scoring this team for": the host's sheet
    check, the boards and the judge's window all ask it.
    """
    judge, team = state.judge(judge_id), state.team(team_id)
    if judge is None or team is None or may_score(state, judge_id, team_id, round_id):
        return []
    prizes = [
        p["id"] for p in state.prizes() if prize_takes_team(p, team) and prize_takes_judge(p, judge)
    ]
    return [None, *prizes]


def sheet_criteria(
    state: State, judge_id: str, team_id: str, round_id: str = FIRST_ROUND
) -> list[dict[str, Any]]:
    """Return the criteria a judge's sheet for a team may hold: those of every board it is for."""
    found: dict[str, dict[str, Any]] = {}
    for prize_id in scoring_for(state, judge_id, team_id, round_id):
        for criterion in board_criteria(state, round_id, prize_id):
            found.setdefault(criterion["id"], criterion)
    return sorted(found.values(), key=lambda c: (c["order"], c["id"]))


def scorable_teams(
    state: State, judge_id: str, live_teams: Collection[str] | None = None
) -> list[str]:
    """Return, sorted, the live teams a judge may score (`live_teams`: state.teams(), if read)."""
    teams = state.teams() if live_teams is None else live_teams
    judge, assigned = state.judge(judge_id), state.assigned_teams(judge_id)
    return sorted(
        team_id
        for team_id in teams
        if judge_team_problem(judge, team_id, team_exists=True, assigned=assigned) is None
    )


def _scale(criterion: Mapping[str, Any]) -> tuple[float, float, float]:
    return float(criterion["min"]), float(criterion["max"]), float(criterion["step"])


def _tolerance(low: float, high: float, step: float, value: float) -> float:
    size = max(1.0, abs(low), abs(high), abs(value))
    # A few units in the last place at least: a grid finer than floats resolve takes any value.
    return max(min(RELATIVE_TOLERANCE * size, STEP_TOLERANCE * step), 4 * math.ulp(size))


def on_scale(value: float, criterion: Mapping[str, Any]) -> bool:
    """Tell whether `value` is one of a criterion's scores: min + k * step, within min..max.

    A value counts when it is within float error of such a score (see RELATIVE_TOLERANCE).
    """
    value = float(value)
    low, high, step = _scale(criterion)
    if not math.isfinite(value):
        return False
    tolerance = _tolerance(low, high, step, value)
    if not low - tolerance <= value <= high + tolerance:
        return False
    # IEEE remainder: the distance to the nearest multiple of step, exact, whatever the count.
    return abs(math.remainder(value - low, step)) <= tolerance


def step_count(criterion: Mapping[str, Any]) -> int:
    """Return the greatest k for which min + k * step is on the criterion's scale."""
    low, high, step = _scale(criterion)
    quotient = (high - low) / step
    if quotient >= 2**53:
        return 2**53  # a grid finer than floats resolve: the count means nothing more
    count = math.floor(quotient)
    # The division may land a hair off a whole number; decide the top step as on_scale does.
    while count > 0 and low + count * step > high + _tolerance(low, high, step, high):
        count -= 1
    if low + (count + 1) * step <= high + _tolerance(low, high, step, high):
        count += 1
    return count


def score_problems(
    criteria: Iterable[Mapping[str, Any]],
    scores: Mapping[str, float],
    *,
    final: bool,
    required: Iterable[Mapping[str, Any]] | None = None,
) -> list[SheetProblem]:
    """Return each score of no criterion or off its scale (in `scores` order), then what is missing.

    A draft may miss criteria; a final sheet scores every one of `required` (all of `criteria`
    unless given: a prize's own criteria are not required, docs/protocol.md 6b).
    """
    by_id = {c["id"]: c for c in criteria}
    problems = []
    for cid, value in scores.items():
        criterion = by_id.get(cid)
        if criterion is None:
            problems.append(SheetProblem("unknown_criterion", f"there is no criterion {cid!r}"))
        elif not on_scale(value, criterion):
            problems.append(
                SheetProblem(
                    "out_of_range",
                    f"{criterion['name']} takes {_fmt(criterion['min'])} to "
                    f"{_fmt(criterion['max'])} in steps of {_fmt(criterion['step'])}; "
                    f"{_fmt(value)} is not one of them",
                    criterion,
                    value,
                )
            )
    needed = by_id.values() if required is None else required
    missing = tuple(c for c in needed if c["id"] not in scores)
    if final and missing:
        names = ", ".join(c["name"] for c in missing)
        problems.append(
            SheetProblem(
                "invalid",
                f"a final sheet scores every criterion; missing: {names}",
                None,
                None,
                missing,
            )
        )
    return problems


def sheet_problem(state: State, judge_id: str, body: Mapping[str, Any]) -> SheetProblem | None:
    """Return the first event rule a structurally valid sheet of `judge_id` breaks, or None."""
    round_id = body.get("round") or FIRST_ROUND
    problem = may_score(state, judge_id, body["team"], round_id)
    if problem is not None:
        return problem
    allowed = sheet_criteria(state, judge_id, body["team"], round_id)
    problems = score_problems(
        allowed, body["scores"], final=body["final"], required=round_criteria(state, round_id)
    )
    return problems[0] if problems else None


def missing_criteria(
    state: State, sheet: Mapping[str, Any], round_id: str = FIRST_ROUND
) -> list[dict[str, Any]]:
    """Return the criteria of the boards a final sheet is for that it does not score."""
    if not sheet["final"]:
        return []
    allowed = sheet_criteria(state, sheet["judge"], sheet["team"], round_id)
    return [c for c in allowed if c["id"] not in sheet["scores"]]


def needs_update(state: State, judge_id: str) -> list[tuple[str, str, list[str]]]:
    """Return the judge's final sheets that lack a criterion they are now scored on.

    Each is (round id, team id, missing criterion ids): a criterion added while scoring, or a
    prize the team opted into since. Such a sheet still counts on the criteria it has
    (docs/protocol.md 6b); the judge's window lists it as "needs update".
    """
    found = []
    for round_ in state.rounds():
        for sheet in state.round_sheets(round_["id"]):
            if sheet["judge"] != judge_id:
                continue
            missing = missing_criteria(state, sheet, round_["id"])
            if missing:
                found.append((round_["id"], sheet["team"], [c["id"] for c in missing]))
    return found


def _fmt(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- what a criterion change affects (the console's warning) ------------------------------------


@dataclass(frozen=True)
class CriterionImpact:
    """What a criterion.put or criterion.del would do to the sheets saved so far.

    `needs_update`: final sheets that would lack it (their judges see them as "needs update");
    `rescored`: final sheets that score it, whose sheet scores change with its weight or scale
    (or lose it, for a deletion); `off_scale`: sheets whose mark for it leaves the new scale
    (they count clamped); `judges`: every judge with such a sheet.
    """

    needs_update: int
    rescored: int
    off_scale: int
    judges: tuple[str, ...]


def _missing_everywhere(state: State) -> dict[tuple[str, str, str], set[str]]:
    return {
        (round_["id"], sheet["judge"], sheet["team"]): {
            c["id"] for c in missing_criteria(state, sheet, round_["id"])
        }
        for round_ in state.rounds()
        for sheet in state.round_sheets(round_["id"])
        if sheet["final"]
    }


def criterion_change_impact(
    state: State, kind: str, body: Mapping[str, Any], after: State
) -> CriterionImpact:
    """Count what a criterion change does: `after` is `state` with the change folded in.

    The console folds the op into a copy (`State.copy`) and asks this before it sends it.
    """
    cid = str(body["id"])
    before_missing, after_missing = _missing_everywhere(state), _missing_everywhere(after)
    judges: set[str] = set()
    needs = 0
    for key, missing in after_missing.items():
        if cid in missing and cid not in before_missing.get(key, set()):
            needs += 1
            judges.add(key[1])
    rescored = off_scale = 0
    new = after.criterion(cid) if kind == "criterion.put" else None
    for round_ in state.rounds():
        for sheet in state.round_sheets(round_["id"]):
            if cid not in sheet["scores"]:
                continue
            if new is not None and not on_scale(sheet["scores"][cid], new):
                off_scale += 1
                judges.add(sheet["judge"])
            if sheet["final"] and state.criterion(cid) is not None and state.criterion(cid) != new:
                rescored += 1
                judges.add(sheet["judge"])
    return CriterionImpact(needs, rescored, off_scale, tuple(sorted(judges)))
