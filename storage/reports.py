"""What the printed documents say, as plain values: boards, feedback, certificates, blank sheets.

Pure: it reads a `State` and the ranked rows and knows nothing of Qt or of pages; the desktop's
`printing` module lays these values out on paper (docs/protocol.md section 10). A document is
made from "boards" (a title, ranked rows and the criteria), so that prizes and rounds become
more boards later; today there is one, the event's leaderboard.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage.ops import FIRST_ROUND
from storage.scoring import Row, sheet_score
from storage.sheets import scorable_teams
from storage.state import State

DOCUMENTS = ("results", "feedback", "certificates", "sheets")
# Certificates go to the teams ranked in the first places of each board, shared ranks included.
CERTIFICATE_PLACES = 3


class NothingToPrint(ValueError):
    """A document would have no page: its message says what is missing."""


@dataclass(frozen=True)
class Criterion:
    """A criterion as printed: its name, scale and weight."""

    id: str
    name: str
    description: str
    weight: float
    low: float
    high: float
    step: float


@dataclass(frozen=True)
class BoardRow:
    """One ranked team of a board, with the mean of each criterion over its final sheets."""

    rank: int | None
    shared: bool  # another team holds the same rank
    team_id: str
    team_name: str
    location: str
    members: tuple[str, ...]
    total: float | None
    judge_count: int
    means: tuple[float | None, ...]  # in the board's criteria order


@dataclass(frozen=True)
class Board:
    """A title (None: the event's own leaderboard), its ranked rows and the criteria."""

    title: str | None
    rows: tuple[BoardRow, ...]
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class SheetLines:
    """One final sheet as a team's feedback shows it; `judge` is None when names are hidden."""

    judge: str | None
    scores: tuple[float | None, ...]  # in the criteria order; None: not scored
    score: float | None
    comment: str


@dataclass(frozen=True)
class Feedback:
    """A team's feedback page: its place on the board and every final sheet it received."""

    row: BoardRow
    criteria: tuple[Criterion, ...]
    sheets: tuple[SheetLines, ...]
    names_judges: bool


@dataclass(frozen=True)
class Winner:
    """A certificate: a team placed in the first places of a board."""

    board: str | None
    row: BoardRow


@dataclass(frozen=True)
class BlankSheets:
    """A judge's paper sheets: the teams the judge may score, and the criteria to fill in."""

    judge_id: str
    judge_name: str
    teams: tuple[tuple[str, str, str], ...]  # (id, name, location), by name
    criteria: tuple[Criterion, ...]


def criteria_of(state: State) -> tuple[Criterion, ...]:
    """Return the live criteria in their display order, as printed."""
    return tuple(
        Criterion(
            c["id"],
            c["name"],
            c.get("description", ""),
            float(c["weight"]),
            float(c["min"]),
            float(c["max"]),
            float(c["step"]),
        )
        for c in state.criteria()
    )


def final_sheets(state: State) -> dict[str, list[dict[str, Any]]]:
    """Return the final sheets that count (live judges, live teams) by team, in key order."""
    judges, teams = state.judges(), state.teams()
    found: dict[str, list[dict[str, Any]]] = {}
    for sheet in state.standing_sheets(FIRST_ROUND):  # void sheets count nowhere
        if sheet["final"] and sheet["judge"] in judges and sheet["team"] in teams:
            found.setdefault(sheet["team"], []).append(sheet)
    return found


def _mean(values: Iterable[float]) -> float | None:
    marks = list(values)
    return math.fsum(marks) / len(marks) if marks else None


def board_of(
    state: State,
    rows: Sequence[Row],
    title: str | None = None,
    finals: Mapping[str, list[dict[str, Any]]] | None = None,
) -> Board:
    """Return a board of ranked `rows`, each with its team's details and criterion means."""
    criteria = criteria_of(state)
    finals = final_sheets(state) if finals is None else finals
    counts: dict[int, int] = {}
    for row in rows:
        if row.rank is not None:
            counts[row.rank] = counts.get(row.rank, 0) + 1
    out = []
    for row in rows:
        team = state.team(row.team_id) or {}
        sheets = finals.get(row.team_id, [])
        means = tuple(
            _mean(float(s["scores"][c.id]) for s in sheets if c.id in s["scores"]) for c in criteria
        )
        out.append(
            BoardRow(
                row.rank,
                row.rank is not None and counts[row.rank] > 1,
                row.team_id,
                row.team_name,
                str(team.get("location", "")),
                tuple(team.get("members", ())),
                row.total_score,
                row.judge_count,
                means,
            )
        )
    return Board(title, tuple(out), criteria)


def boards(state: State, rows: Sequence[Row]) -> list[Board]:
    """Return every board to print: today one, the event's leaderboard."""
    return [board_of(state, rows)]


def results(state: State, rows: Sequence[Row]) -> list[Board]:
    """Return the boards of the results document; raise NothingToPrint when no team is ranked."""
    found = boards(state, rows)
    if not any(r.rank is not None for b in found for r in b.rows):
        raise NothingToPrint("no team has a final sheet yet, so there are no results to print")
    return found


def feedback(state: State, rows: Sequence[Row]) -> list[Feedback]:
    """Return a feedback page for each team with a final sheet, in the board's order.

    Judges' names are on it only when the event's `feedback_names_judges` is on; otherwise
    the sheets are listed best first, so their order says nothing of who wrote them.
    """
    names = bool(state.event()["feedback_names_judges"])
    judges = state.judges()
    finals = final_sheets(state)
    board = board_of(state, rows, finals=finals)
    by_id = {c["id"]: c for c in state.criteria()}
    pages = []
    for row in board.rows:
        lines = []
        for sheet in finals.get(row.team_id, []):
            scores = sheet["scores"]
            lines.append(
                SheetLines(
                    judges[sheet["judge"]]["name"] if names else None,
                    tuple(float(scores[c.id]) if c.id in scores else None for c in board.criteria),
                    sheet_score(scores, by_id),
                    str(sheet.get("comment", "")),
                )
            )
        if not lines:
            continue
        if names:
            lines.sort(key=lambda line: (str(line.judge).casefold(), -(line.score or 0.0)))
        else:
            lines.sort(key=lambda line: (-(line.score or 0.0), line.comment))
        pages.append(Feedback(row, board.criteria, tuple(lines), names))
    if not pages:
        raise NothingToPrint("no team has a final sheet yet, so there is no feedback to print")
    return pages


def winners(state: State, rows: Sequence[Row], places: int = CERTIFICATE_PLACES) -> list[Winner]:
    """Return a certificate for each team ranked in the first `places` of each board."""
    found = [
        Winner(board.title, row)
        for board in boards(state, rows)
        for row in board.rows
        if row.rank is not None and row.rank <= places
    ]
    if not found:
        raise NothingToPrint("no team is ranked yet, so there are no certificates to print")
    return found


def blank_sheets(state: State) -> list[BlankSheets]:
    """Return each judge's paper sheets (judges by name; teams by name), for the paper fallback."""
    criteria = criteria_of(state)
    if not criteria:
        raise NothingToPrint("the event has no criteria yet, so there is no sheet to print")
    teams = state.teams()
    found = []
    for judge_id, judge in state.judges().items():
        mine = [teams[t] for t in scorable_teams(state, judge_id, teams)]
        mine.sort(key=lambda t: (t["name"].casefold(), t["id"]))
        if mine:
            found.append(
                BlankSheets(
                    judge_id,
                    judge["name"],
                    tuple((t["id"], t["name"], t.get("location", "")) for t in mine),
                    criteria,
                )
            )
    if not found:
        raise NothingToPrint("no judge has a team to score yet, so there is no sheet to print")
    found.sort(key=lambda s: (s.judge_name.casefold(), s.judge_id))
    return found
