"""Tests for the Devpost projects export: opt-in prizes, drafts skipped, prizes made or matched."""

from __future__ import annotations

import pytest

from storage.admin import parse_teams_csv, plan_prizes, team_body
from storage.importers.devpost import skip_note, split_prizes
from storage.ops import normalize_body

# The columns of Devpost's "Export projects data" CSV, as its export writes them.
HEADER = (
    "Project Title,Submission Url,Project Status,Judging Status,Highest Step Completed,"
    'Project Created At,About The Project,"""Try it out"" Links",Video Demo Link,'
    "Opt-In Prizes,Built With,Notes,Team Colleges/Universities,Additional Team Member Count,"
    "Submitter First Name,Submitter Last Name,Submitter Email,"
    "Team Member 1 First Name,Team Member 1 Last Name,Team Member 1 Email"
)


def row(title: str, status: str, prizes: str, step: str = "Submit") -> str:
    return (
        f"{title},https://devpost.com/software/x,{status},Pending,{step},"
        f'04/13/2024 09:12:44,About,,,"{prizes}",python,,,1,Ada,Brennan,ada@example.edu,'
        "Mei,Chen,mei@example.edu"
    )


SHEET = "\n".join(
    [
        HEADER,
        row("Aurora", "Submitted (Gallery/Visible)", "Best Use of AI, Acme API Prize"),
        row("Basalt", "Submitted (Hidden)", "best use of ai"),
        row("Cobalt", "Draft", "Best Use of AI", step="Details"),
        row("Driftwood", "Submitted (Gallery/Visible)", ""),
        row("Ember", "Not Submitted", "Acme API Prize"),
    ]
)


def test_opt_in_prizes_are_one_quoted_field_of_comma_separated_names() -> None:
    assert split_prizes(" Best Use of AI,Acme  API Prize , best use of AI,, ") == [
        "Best Use of AI",
        "Acme API Prize",
    ]
    assert split_prizes("") == []


@pytest.mark.parametrize(
    ("status", "step", "skipped"),
    [
        ("Submitted (Gallery/Visible)", "Submit", False),
        ("Submitted (Hidden)", "Submit", False),
        ("Draft", "Details", True),
        ("Not Submitted", "", True),
        ("Withdrawn", "", True),
        ("", "", False),  # a hand-made sheet has no status: it imports
        ("", "Details", True),
    ],
)
def test_drafts_and_projects_not_submitted_are_skipped(
    status: str, step: str, skipped: bool
) -> None:
    assert (skip_note(status, step) is not None) is skipped


def test_a_devpost_export_gives_prizes_per_team_and_skips_drafts_with_a_note() -> None:
    preview = parse_teams_csv(SHEET, existing_names=[])
    assert preview.columns["prizes"] == "Opt-In Prizes"
    assert preview.columns["status"] == "Project Status"
    assert [(r.name, r.prizes) for r in preview.valid_rows()] == [
        ("Aurora", ["Best Use of AI", "Acme API Prize"]),
        ("Basalt", ["best use of ai"]),
        ("Driftwood", []),
    ]
    assert preview.errors == [
        "Line 4: skipped: a draft, not submitted (Project Status “Draft”).",
        "Line 6: skipped: a draft, not submitted (Project Status “Not Submitted”).",
    ]
    assert [r.skipped for r in preview.rows] == [False, False, True, False, True]


def test_prizes_are_matched_by_name_or_made_as_opt_in_prizes() -> None:
    preview = parse_teams_csv(SHEET, existing_names=[])
    existing = [{"id": "ai", "name": "Best use of AI"}]
    new, ids = plan_prizes(preview.rows, existing)
    assert new == [
        {"id": "prize-acme-api-prize", "name": "Acme API Prize", "eligibility": "opt_in"}
    ]
    assert all(normalize_body("prize.put", body) for body in new)
    aurora, basalt, driftwood = preview.valid_rows()
    assert team_body(aurora, "t1", ids)["prizes"] == ["ai", "prize-acme-api-prize"]
    assert team_body(basalt, "t2", ids)["prizes"] == ["ai"]
    assert "prizes" not in team_body(driftwood, "t3", ids)
    assert "prizes" not in team_body(aurora, "t1")  # without a plan, as before
    for body in (team_body(aurora, "t1", ids), team_body(basalt, "t2", ids)):
        assert normalize_body("team.put", body)["prizes"] == body["prizes"]  # type: ignore[index]
