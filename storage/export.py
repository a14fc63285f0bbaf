"""The replica's canonical state as JSON or CSV, for results, backups and comparing replicas."""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from storage import boards as event_boards
from storage.ops import EVENT_EXTRA_DEFAULTS, FIRST_ROUND, TIE_RULES
from storage.replica import Replica
from storage.sheets import round_judges
from storage.state import State

FORMATS = ("json", "csv")
# A cell that begins with one of these is read by spreadsheets as a formula (or, for tab and
# carriage return, shifted into one): OWASP's "CSV injection" list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(text: str) -> str:
    """Return a text cell that no spreadsheet runs as a formula: quoted with a leading `'`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


CRITERION_KEYS = ("id", "name", "description", "weight", "min", "max", "step", "order")


def extended(state: State) -> bool:
    """Tell whether the event uses prizes, rounds or their settings (issue 11).

    An event that does not exports exactly as before (docs/protocol.md 10).
    """
    return bool(
        state.prizes()
        or len(state.rounds()) > 1
        or any(state.value(f"event/{f}") is not None for f in EVENT_EXTRA_DEFAULTS)
        or any(key in TIE_RULES for key in state.event_setting("tie_break"))
        or len(state.all_criteria()) != len(state.criteria())
    )


def _event_model(state: State) -> dict[str, Any]:
    """Return what an extended event adds to the snapshot: prizes, rounds and every board."""
    later = [r for r in state.rounds() if r["id"] != FIRST_ROUND]
    return {
        "criteria": [
            {**{k: c[k] for k in CRITERION_KEYS}, **{k: c[k] for k in ("prize", "round") if k in c}}
            for c in state.all_criteria()
        ],
        "prizes": state.prizes(),
        "rounds": state.rounds(),
        "round_phases": {r["id"]: state.round_phase(r["id"]) for r in later},
        "round_assignments": [
            {"round": v["round"], "judge": v["judge"], "team": v["team"]}
            for _, v in state.live("rassign/")
            if v["assigned"]
        ],
        "finalists": [
            {"round": r["id"], "team": team, "finalist": chosen}
            for r in later
            for team, chosen in sorted(state.finalist_marks(r["id"]).items())
        ],
        "round_sheets": [
            {k: s[k] for k in ("round", "judge", "team", "scores", "comment", "final")}
            for r in later
            for s in state.round_sheets(r["id"])
        ],
        "boards": [b.to_wire() for b in event_boards.boards(state)],
    }


def snapshot(replica: Replica) -> dict[str, Any]:
    """Return the replica's state as plain values; never join codes, tokens or keys."""
    state = replica.state
    criteria = state.criteria()
    plain: dict[str, Any] = {
        "event": {"id": replica.event_id, **state.event()},
        "criteria": [
            {
                k: c[k]
                for k in ("id", "name", "description", "weight", "min", "max", "step", "order")
            }
            for c in criteria
        ],
        "teams": sorted(state.teams().values(), key=lambda t: t["id"]),
        "judges": [
            {"id": j["id"], "name": j["name"], "conflicts": j["conflicts"]}
            for j in sorted(state.judges().values(), key=lambda j: j["id"])
        ],
        "assignments": [
            {"judge": v["judge"], "team": v["team"]}
            for _, v in state.live("assign/")
            if v["assigned"]
        ],
        "sheets": [
            {
                "judge": s["judge"],
                "team": s["team"],
                "scores": s["scores"],
                "comment": s["comment"],
                "final": s["final"],
            }
            for s in state.sheets()
        ],
        "leaderboard": [row.to_wire() for row in replica.board.rows()],
    }
    if not extended(state):
        return plain
    for judge in plain["judges"]:
        prizes = state.judges()[judge["id"]].get("prizes")
        if prizes:
            judge["prizes"] = prizes
    return {**plain, **_event_model(state)}


def to_json(replica: Replica) -> str:
    """Return the snapshot as sorted, indented JSON: byte-identical for replicas of equal state."""
    with _collector_paused():
        return json.dumps(snapshot(replica), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block that makes no cycles.

    Indented JSON is encoded in pure Python: hundreds of thousands of short-lived objects,
    whose allocations set off collections that traverse the replica's whole state each time
    (issue 14: at 3,000 teams a tenth of the export's time, more the larger the event).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


BOARD_COLUMNS = (
    "round",
    "prize",
    "raw_score",
    "normalised_score",
    "previous_score",
    "incomplete",
    "tie_break",
    "shared",
)


def _board_csv(state: State) -> str:
    """Return the table of an extended event: one row per team per board (round and prize).

    Today's columns come first, the criterion means over every criterion (empty where a
    board has none of it), then BOARD_COLUMNS. Each round's final sheets are grouped by team
    once, so the table costs the event's size times its boards (issue 14).
    """
    criteria = state.all_criteria()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["rank", "team_id", "team", "location", "total_score", "judge_count"]
        + [neutralise_cell(f"{c['name']} (mean)") for c in criteria]
        + list(BOARD_COLUMNS)
    )
    finals: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for round_ in state.rounds():
        judges = set(round_judges(state, round_["id"]))
        finals[round_["id"]] = _final_sheets_by_team(state.standing_sheets(round_["id"]), judges)
    for board in event_boards.boards(state):
        on_board = set(board.criteria)
        judged = {h.judge_id for h in board.judges}
        for row in board.rows:
            team = state.team(row.team_id) or {}
            final = [s for s in finals[board.round_id].get(row.team_id, []) if s["judge"] in judged]
            wire = row.to_wire()
            writer.writerow(
                [
                    "" if row.rank is None else row.rank,
                    neutralise_cell(row.team_id),
                    neutralise_cell(row.team_name),
                    neutralise_cell(team.get("location", "")),
                    "" if row.total_score is None else f"{row.total_score:.2f}",
                    row.judge_count,
                    *(_mean_cell(final, c["id"]) if c["id"] in on_board else "" for c in criteria),
                    neutralise_cell(board.round_id),
                    neutralise_cell(board.prize_id or ""),
                    *(_number_cell(wire[k]) for k in ("raw_score", "normalised_score")),
                    _number_cell(wire["previous_score"]),
                    row.incomplete,
                    row.tie_break or "",
                    "yes" if row.shared else "",
                ]
            )
    return buffer.getvalue()


def _mean_cell(sheets: list[dict[str, Any]], cid: str) -> str:
    marks = [float(s["scores"][cid]) for s in sheets if cid in s["scores"]]
    return f"{sum(marks) / len(marks):.2f}" if marks else ""


def _number_cell(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def to_csv(replica: Replica) -> str:
    """Return the results table: one row per team, with each final sheet's criterion averages.

    Names, ids and locations that start like a formula are prefixed with `'` (docs/protocol.md
    section 10), so that opening the file in a spreadsheet never runs what a team typed.
    """
    state = replica.state
    if extended(state):
        return _board_csv(state)
    criteria = state.criteria()
    finals = _final_sheets_by_team(state.standing_sheets(FIRST_ROUND), state.judges().keys())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["rank", "team_id", "team", "location", "total_score", "judge_count"]
        + [neutralise_cell(f"{c['name']} (mean)") for c in criteria]
    )
    for row in replica.board.rows():
        team = state.team(row.team_id) or {}
        final = finals.get(row.team_id, [])
        means = [_mean_cell(final, criterion["id"]) for criterion in criteria]
        writer.writerow(
            [
                "" if row.rank is None else row.rank,
                # Text that users typed is neutralised; numbers written here stay numbers
                # (a negative mean is a number, not a formula).
                neutralise_cell(row.team_id),
                neutralise_cell(row.team_name),
                neutralise_cell(team.get("location", "")),
                "" if row.total_score is None else f"{row.total_score:.2f}",
                row.judge_count,
                *means,
            ]
        )
    return buffer.getvalue()


def _final_sheets_by_team(
    sheets: list[dict[str, Any]], judges: Collection[str]
) -> dict[str, list[dict[str, Any]]]:
    """Return the final sheets of live judges by team, each team's in the sheets' key order."""
    # One pass, so the table costs the event's size, not teams x sheets; the order within a
    # team is kept, since a float sum (a criterion's mean) depends on it.
    found: dict[str, list[dict[str, Any]]] = {}
    for sheet in sheets:
        if sheet["final"] and sheet["judge"] in judges:
            found.setdefault(sheet["team"], []).append(sheet)
    return found


def render(replica: Replica, fmt: str) -> str:
    """Return the export in `fmt` (json or csv)."""
    if fmt == "json":
        return to_json(replica)
    if fmt == "csv":
        return to_csv(replica)
    raise ValueError(f"unknown export format {fmt!r}; choose json or csv")
