"""The replica's canonical state as JSON or CSV, for results, backups and comparing replicas."""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from storage.replica import Replica

FORMATS = ("json", "csv")
# A cell that begins with one of these is read by spreadsheets as a formula (or, for tab and
# carriage return, shifted into one): OWASP's "CSV injection" list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(text: str) -> str:
    """Return a text cell that no spreadsheet runs as a formula: quoted with a leading `'`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def snapshot(replica: Replica) -> dict[str, Any]:
    """Return the replica's state as plain values; never join codes, tokens or keys."""
    state = replica.state
    criteria = state.criteria()
    return {
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


def to_csv(replica: Replica) -> str:
    """Return the results table: one row per team, with each final sheet's criterion averages.

    Names, ids and locations that start like a formula are prefixed with `'` (docs/protocol.md
    section 10), so that opening the file in a spreadsheet never runs what a team typed.
    """
    state = replica.state
    criteria = state.criteria()
    finals = _final_sheets_by_team(state.sheets(), state.judges().keys())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["rank", "team_id", "team", "location", "total_score", "judge_count"]
        + [neutralise_cell(f"{c['name']} (mean)") for c in criteria]
    )
    for row in replica.board.rows():
        team = state.team(row.team_id) or {}
        final = finals.get(row.team_id, [])
        means = []
        for criterion in criteria:
            marks = [
                float(s["scores"][criterion["id"]]) for s in final if criterion["id"] in s["scores"]
            ]
            means.append(f"{sum(marks) / len(marks):.2f}" if marks else "")
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
