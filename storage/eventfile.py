"""The event as one declarative file (JSON or TOML): read, check, plan as admin ops, and write.

`dump_event` writes what an organiser prepares (criteria, prizes, rounds, teams with their
prizes, judges with conflicts and prizes, assignments, finalists, tie-break and normalisation);
`plan_event` turns a file into the admin ops that make a host's event match it, checked by the
same rules as the console's ops (`storage.rules.check`) on a copy of the state, so that a bad
file is refused whole with every problem listed. docs/protocol.md 5a describes the format.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from storage.ops import FIRST_ROUND, PUT_FIELDS, TIE_RULES, InvalidOp, Op, normalize_body
from storage.rules import check
from storage.state import State

FORMATS = ("json", "toml")
# The event fields a file holds: how the event is judged, not how far it has got (its phase,
# display mode and reveal count are the running event's, set in the console).
EVENT_FIELDS = ("name", "judges_see_results", "tie_break", "round_name", "normalise")
SECTIONS = (
    "event",
    "criteria",
    "prizes",
    "rounds",
    "teams",
    "judges",
    "assignments",
    "finalists",
)
_KINDS = {
    "criteria": "criterion",
    "prizes": "prize",
    "rounds": "round",
    "teams": "team",
    "judges": "judge",
}
# An entity's fields are its put op's (storage.ops.PUT_FIELDS), in that order.
_FIELDS: dict[str, tuple[str, ...]] = {
    **{section: PUT_FIELDS[kind] for section, kind in _KINDS.items()},
    "assignments": ("judge", "team", "round"),
    "finalists": ("round", "team"),
}


class EventFileError(ValueError):
    """A file that cannot be loaded: every problem, each with its line or path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Change:
    """One admin op a load makes, and the place in the file it comes from."""

    kind: str
    body: dict[str, Any]
    path: str


# --- reading ---------------------------------------------------------------------------------


def parse_text(text: str, fmt: str) -> dict[str, Any]:
    """Read a file's text as JSON or TOML; raise EventFileError naming the line at fault."""
    try:
        if fmt == "json":
            data = json.loads(text)
        elif fmt == "toml":
            data = tomllib.loads(text)
        else:
            raise EventFileError([f"unknown event file format {fmt!r}; choose json or toml"])
    except json.JSONDecodeError as exc:
        raise EventFileError([f"line {exc.lineno}: not JSON: {exc.msg}"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise EventFileError([f"not TOML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise EventFileError(["the file must hold one object (a table) at the top"])
    return data


def format_of(path: str) -> str:
    """Return the format a file name says (.toml is TOML, anything else JSON)."""
    return "toml" if path.lower().endswith(".toml") else "json"


def _items(
    doc: dict[str, Any], section: str, problems: list[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (path, item) of a list section; problems get what is not a list of objects."""
    value = doc.get(section, [])
    if not isinstance(value, list):
        problems.append(f"{section}: must be a list")
        return
    for index, item in enumerate(value):
        path = f"{section}[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{path}: must be an object")
            continue
        unknown = sorted(set(item) - set(_FIELDS[section]))
        if unknown:
            problems.append(f"{path}: unknown field {unknown[0]!r}")
            continue
        yield path, item


def _body(kind: str, item: dict[str, Any], path: str, problems: list[str]) -> dict[str, Any] | None:
    """Return the normalized body of an item, or None with its problem noted."""
    try:
        value = normalize_body(kind, item)
    except InvalidOp as exc:
        problems.append(f"{path}: {exc}")
        return None
    assert value is not None
    return value


def _entities(
    doc: dict[str, Any], problems: list[str]
) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Return each entity section's (path, body), checked by the ops' structural rules."""
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for section, kind in _KINDS.items():
        seen: dict[str, str] = {}
        bodies = []
        for position, (path, item) in enumerate(_items(doc, section, problems)):
            given = item
            if section in ("criteria", "prizes", "rounds"):  # order: the place in the file
                given = {"order": position + 1 if section == "rounds" else position, **item}
            body = _body(f"{kind}.put", given, path, problems)
            if body is None:
                continue
            if body["id"] in seen:
                problems.append(f"{path}: the id {body['id']!r} is used by {seen[body['id']]} too")
                continue
            seen[body["id"]] = path
            bodies.append((path, body))
        found[section] = bodies
    return found


def _event_changes(doc: dict[str, Any], state: State, problems: list[str]) -> list[Change]:
    event = doc.get("event", {})
    if not isinstance(event, dict):
        problems.append("event: must be an object")
        return []
    changes = []
    for field in sorted(set(event) - set(EVENT_FIELDS)):
        problems.append(
            f"event.{field}: unknown event field (a file holds {', '.join(EVENT_FIELDS)})"
        )
    for field in EVENT_FIELDS:
        # A field the file leaves out is the default: the file is the whole event.
        value = event.get(field, _default(field))
        body = _body("event.set", {"field": field, "value": value}, f"event.{field}", problems)
        if body is not None and state.event_setting(field) != body["value"]:
            changes.append(Change("event.set", body, f"event.{field}"))
    return changes


def _default(field: str) -> Any:
    return State().event_setting(field)


# --- planning --------------------------------------------------------------------------------


def _round_as_far_as(body: dict[str, Any], state: State) -> dict[str, Any]:
    """Return a round's body with only the judges and tie-break criteria `state` holds now."""
    judges = [j for j in body.get("judges", []) if state.judge(j) is not None]
    ties = [k for k in body.get("tie_break", []) if k in TIE_RULES or state.criterion(k)]
    return {**body, "judges": judges, "tie_break": ties}


def _current(state: State, section: str) -> dict[str, dict[str, Any]]:
    if section == "criteria":
        return {c["id"]: c for c in state.all_criteria()}
    if section == "prizes":
        return {p["id"]: p for p in state.prizes()}
    if section == "rounds":
        return {r["id"]: r for r in state.rounds() if r["id"] != FIRST_ROUND}
    return state.teams() if section == "teams" else state.judges()


def _assignment_changes(doc: dict[str, Any], state: State, problems: list[str]) -> list[Change]:
    wanted: dict[tuple[str | None, str, str], str] = {}
    for path, item in _items(doc, "assignments", problems):
        body = _body("assign.put", {**item, "assigned": True}, path, problems)
        if body is not None:
            wanted[(body.get("round"), body["judge"], body["team"])] = path
    held = {(None, v["judge"], v["team"]) for _, v in state.live("assign/") if v["assigned"]}
    held |= {
        (v["round"], v["judge"], v["team"]) for _, v in state.live("rassign/") if v["assigned"]
    }
    changes = []
    for key in sorted(set(wanted) - held, key=str):
        changes.append(Change("assign.put", _assign_body(key, True), wanted[key]))
    for key in sorted(held - set(wanted), key=str):
        changes.append(Change("assign.put", _assign_body(key, False), "assignments"))
    return changes


def _assign_body(key: tuple[str | None, str, str], assigned: bool) -> dict[str, Any]:
    round_id, judge, team = key
    body: dict[str, Any] = {"judge": judge, "team": team, "assigned": assigned}
    if round_id is not None:
        body["round"] = round_id
    return body


def _finalist_changes(doc: dict[str, Any], state: State, problems: list[str]) -> list[Change]:
    wanted: dict[tuple[str, str], str] = {}
    for path, item in _items(doc, "finalists", problems):
        body = _body("finalist.put", {**item, "finalist": True}, path, problems)
        if body is not None:
            wanted[(body["round"], body["team"])] = path
    held = {
        (r["id"], team)
        for r in state.rounds()[1:]
        for team, chosen in state.finalist_marks(r["id"]).items()
        if chosen
    }
    changes = [
        Change("finalist.put", {"round": r, "team": t, "finalist": True}, wanted[(r, t)])
        for r, t in sorted(set(wanted) - held)
    ]
    changes += [
        Change("finalist.put", {"round": r, "team": t, "finalist": False}, "finalists")
        for r, t in sorted(held - set(wanted))
    ]
    return changes


def plan_event(doc: dict[str, Any], state: State) -> list[Change]:
    """Return the admin ops that make `state`'s event what `doc` describes.

    Entities the file leaves out are deleted (the file is the whole event); a put is made only
    where the file differs. Raises EventFileError with every structural problem.
    """
    problems: list[str] = []
    for section in sorted(set(doc) - set(SECTIONS)):
        problems.append(f"{section}: unknown section (a file holds {', '.join(SECTIONS)})")
    changes: list[Change] = []
    entities = _entities(doc, problems)
    deletions = []
    completed: list[Change] = []  # rounds' second puts, once what they refer to exists
    for section in ("prizes", "rounds", "criteria", "teams", "judges"):
        current = _current(state, section)
        kind = _KINDS[section]
        for path, body in entities[section]:
            if current.get(body["id"]) == body:
                continue
            put = body
            if section == "rounds":
                # A round names judges and (tie-break) criteria that may be new, and a round's
                # own criterion needs its round: put the round first with only the references
                # that exist already, then whole after the criteria and judges.
                put = _round_as_far_as(body, state)
                if put != body:
                    completed.append(Change(f"{kind}.put", body, path))
                    if current.get(body["id"]) == put:
                        continue
            changes.append(Change(f"{kind}.put", put, path))
        wanted = {body["id"] for _, body in entities[section]}
        deletions += [
            Change(f"{kind}.del", {"id": gone}, section) for gone in sorted(set(current) - wanted)
        ]
    changes += completed
    changes += _event_changes(doc, state, problems)  # after the criteria its tie-break names
    changes += _assignment_changes(doc, state, problems)
    changes += _finalist_changes(doc, state, problems)
    if problems:
        raise EventFileError(problems)
    # Deletions last, judges and teams before what they referred to.
    order = {"judge.del": 0, "team.del": 1, "criterion.del": 2, "round.del": 3, "prize.del": 4}
    return changes + sorted(deletions, key=lambda c: order[c.kind])


def check_plan(changes: list[Change], state: State, now_ms: int) -> list[str]:
    """Return every problem the rules find with the changes, made in order on a copy of `state`."""
    scratch = state.copy()
    problems = []
    for n, change in enumerate(changes, start=1):
        op = _scratch_op(change, n, now_ms)
        rejection = check(op, "admin", None, scratch, now_ms, own=True)
        if rejection is None:
            scratch.apply(op)
        else:
            problems.append(f"{change.path}: {rejection.message} ({rejection.code})")
    return problems


_SCRATCH_DEVICE = "00000000-0000-4000-8000-000000000000"


def _scratch_op(change: Change, n: int, now_ms: int) -> Op:
    # A stamp after every real one (a whole day ahead), so the scratch op wins its key.
    stamp = f"{now_ms + 86_400_000:013d}.{n % 10_000:04d}.{_SCRATCH_DEVICE}"
    return Op(
        id=f"{_SCRATCH_DEVICE}/{n}",
        device=_SCRATCH_DEVICE,
        n=n,
        hlc=stamp,
        author="admin",
        kind=change.kind,
        body=change.body,
        sig="",
    )


def folded(state: State, kind: str, body: dict[str, Any], now_ms: int) -> State:
    """Return a copy of `state` with one admin op folded in, unchecked (what a change would do)."""
    scratch = state.copy()
    scratch.apply(_scratch_op(Change(kind, body, ""), 1, now_ms))
    return scratch


# --- writing -----------------------------------------------------------------------------------


def dump_event(state: State) -> dict[str, Any]:
    """Return the event as a file describes it, in a fixed order (so dumps compare as bytes)."""
    event = {f: state.event_setting(f) for f in ("name", "judges_see_results", "tie_break")}
    # The added fields only where they differ from their default: a plain event dumps plain.
    event.update(
        {
            f: state.event_setting(f)
            for f in EVENT_FIELDS[3:]
            if state.event_setting(f) != _default(f)
        }
    )
    doc: dict[str, Any] = {"event": event}
    doc["criteria"] = [_pick(c, "criteria") for c in state.all_criteria()]
    doc["prizes"] = [_pick(p, "prizes") for p in state.prizes()]
    doc["rounds"] = [_pick(r, "rounds") for r in state.rounds()[1:]]
    doc["teams"] = [_pick(t, "teams") for _, t in sorted(state.teams().items())]
    doc["judges"] = [_pick(j, "judges") for _, j in sorted(state.judges().items())]
    assigned = [(None, v["judge"], v["team"]) for _, v in state.live("assign/") if v["assigned"]]
    assigned += [
        (v["round"], v["judge"], v["team"]) for _, v in state.live("rassign/") if v["assigned"]
    ]
    doc["assignments"] = [
        {k: v for k, v in (("judge", j), ("team", t), ("round", r)) if v is not None}
        for r, j, t in sorted(assigned, key=lambda a: (a[0] or "", a[1], a[2]))
    ]
    doc["finalists"] = [
        {"round": r["id"], "team": team}
        for r in state.rounds()[1:]
        for team, chosen in sorted(state.finalist_marks(r["id"]).items())
        if chosen
    ]
    return {k: v for k, v in doc.items() if v or k == "event"}


def _pick(value: dict[str, Any], section: str) -> dict[str, Any]:
    return {k: value[k] for k in _FIELDS[section] if k in value and value[k] not in (None, [])}


def to_json(doc: dict[str, Any]) -> str:
    """Return a dumped event as JSON text."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+\Z")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # finite (ops refuse inf and nan); repr reads back as the same float
    if isinstance(value, str):
        # JSON's escapes are TOML's; TOML also refuses a raw DEL in a basic string.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _toml_table(table: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in table.items():
        assert _BARE_KEY.match(key), key
        lines.append(f"{key} = {_toml_value(value)}")
    return lines


def to_toml(doc: dict[str, Any]) -> str:
    """Return a dumped event as TOML text (tomllib reads it back as the same values)."""
    lines = ["[event]", *_toml_table(doc["event"])]
    for section in SECTIONS[1:]:
        for item in doc.get(section, []):
            lines += ["", f"[[{section}]]", *_toml_table(item)]
    return "\n".join(lines) + "\n"


def render(state: State, fmt: str) -> str:
    """Return the event file of a state in `fmt` (json or toml)."""
    doc = dump_event(state)
    writers: dict[str, Callable[[dict[str, Any]], str]] = {"json": to_json, "toml": to_toml}
    if fmt not in writers:
        raise ValueError(f"unknown event file format {fmt!r}; choose json or toml")
    return writers[fmt](doc)
