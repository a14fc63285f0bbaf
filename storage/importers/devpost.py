"""Devpost's projects export: its status and "Opt-In Prizes" columns, and prizes to create or match.

Devpost's "Export projects data" CSV holds, among others, the columns "Project Title",
"Submission Url", "Project Status", "Judging Status", "Highest Step Completed", "Project
Created At", "About The Project", '"Try it out" Links', "Video Demo Link", "Opt-In Prizes",
"Built With", "Notes", "Team Colleges/Universities", "Additional Team Member Count",
"Submitter First Name", "Submitter Last Name", "Submitter Email" and "Team Member N First
Name" / "Last Name" / "Email". "Opt-In Prizes" is one quoted field holding a comma-separated
list of prize names. "Project Status" reads "Draft" for a project never submitted and
"Submitted (Gallery/Visible)" or "Submitted (Hidden)" for a submitted one. The team sheet
import (`storage.admin.parse_teams_csv`) reads names, tables and members; this module the rest.
"""

from __future__ import annotations

from collections.abc import Collection

from storage.ops import MAX_LIST, MAX_NAME

STATUS_HEADERS = ("project status", "submission status", "status")
PRIZES_HEADERS = ("opt-in prizes", "opt in prizes", "prizes")
HIGHEST_STEP = "highest step completed"


def split_prizes(cell: str) -> list[str]:
    """Return the prize names of an "Opt-In Prizes" cell, in order, each once (any case)."""
    names: list[str] = []
    seen: set[str] = set()
    for part in cell.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def skip_note(status: str, highest_step: str = "") -> str | None:
    """Return why a project is not imported (a draft, not submitted), or None to import it.

    An empty status (a hand-made sheet) imports. Devpost marks submitted projects
    "Submitted (...)"; anything else, "Draft" first, was never submitted.
    """
    text = " ".join(status.split())
    step = " ".join(highest_step.split())
    if text.casefold().startswith("draft") or "not submitted" in text.casefold():
        return f"skipped: a draft, not submitted (Project Status “{text}”)"
    if text and not text.casefold().startswith("submitted"):
        return f"skipped: not a submitted project (Project Status “{text}”)"
    if not text and step and step.casefold() != "submit":
        return f"skipped: not submitted (Highest Step Completed “{step}”)"
    return None


def prize_problem(names: Collection[str]) -> str | None:
    """Return why a row's prize names cannot be imported, or None."""
    if len(names) > MAX_LIST:
        return f"{len(names)} opt-in prizes; a team opts into at most {MAX_LIST}"
    for name in names:
        if len(name) > MAX_NAME:
            return f"a prize name is longer than {MAX_NAME} characters ({name[:30]}…)"
    return None
