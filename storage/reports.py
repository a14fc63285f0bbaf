"""What the printed documents say, as plain values: boards, feedback, certificates, blank sheets.

Pure: it reads a `State` and the ranked rows and knows nothing of Qt or of pages; the desktop's
`printing` module lays these values out on paper (docs/protocol.md section 10). A document is
made from "boards" (a title, ranked rows and the criteria): one for each (round, prize) of
`storage.boards`, or the event's leaderboard alone when it has no prizes and no later rounds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage import boards as ranked
from storage.ops import FIRST_ROUND
from storage.scoring import Row, sheet_score
from storage.sheets import (
    prize_takes_judge,
    round_criteria,
    round_judges,
    scoring_for,
    sheet_criteria,
)
from storage.state import State

DOCUMENTS = ("results", "feedback", "certificates", "sheets")
# Certificates go to the teams ranked in the first places of the main board, shared ranks
# included, and to the first place (shared too) of each prize's board.
CERTIFICATE_PLACES = 3
PRIZE_PLACES = 1
# The main board's name in a board's title, beside the prizes' names.
OVERALL = "Overall results"


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
    total: float | None  # the total that ranks the board (normalised when it ranks by it)
    judge_count: int
    means: tuple[float | None, ...]  # in the board's criteria order
    raw: float | None = None  # the mean of the raw sheet scores, when the total is normalised


@dataclass(frozen=True)
class Board:
    """A title (None: the event's own leaderboard), its ranked rows and the criteria."""

    title: str | None
    rows: tuple[BoardRow, ...]
    criteria: tuple[Criterion, ...]
    round_id: str = FIRST_ROUND
    prize_id: str | None = None
    prize: str | None = None  # the prize's name; None on a round's main board
    sponsor: str = ""
    hidden: bool = False
    normalised: bool = False  # ranked by normalised totals (docs/protocol.md 6b)
    round_name: str = ""


@dataclass(frozen=True)
class Placing:
    """A team's place on one board, as its feedback page lists it."""

    board: str
    rank: int | None
    shared: bool
    total: float | None
    round_name: str = ""
    prize: str | None = None
    sponsor: str = ""


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
    placings: tuple[Placing, ...] = ()  # every board it is on, when there is more than one


@dataclass(frozen=True)
class Winner:
    """A certificate: a team placed in the first places of a board."""

    board: str | None
    row: BoardRow
    prize: str | None = None  # the prize's name; None for the main board
    sponsor: str = ""


@dataclass(frozen=True)
class CriteriaGroup:
    """Criteria printed together on a blank sheet: the round's (heading None) or a prize's own."""

    heading: str | None
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class TeamSheet:
    """One team's blank table: its criteria in groups, and the prizes scored on the round's."""

    id: str
    name: str
    location: str
    groups: tuple[CriteriaGroup, ...]
    also_for: tuple[str, ...]  # prizes of no criterion of their own, judged on the round's


@dataclass(frozen=True)
class BlankSheets:
    """A judge's paper sheets: the teams the judge may score, and the criteria to fill in."""

    judge_id: str
    judge_name: str
    teams: tuple[tuple[str, str, str], ...]  # (id, name, location), by name
    criteria: tuple[Criterion, ...]  # the round's
    round_name: str | None = None  # None when the event has no later round
    tables: tuple[TeamSheet, ...] = ()  # in the order of `teams`


def printed(criteria: Iterable[Mapping[str, Any]]) -> tuple[Criterion, ...]:
    """Return criteria (criterion.put values) as printed."""
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
        for c in criteria
    )


def criteria_of(state: State) -> tuple[Criterion, ...]:
    """Return the event's own criteria in their display order, as printed."""
    return printed(state.criteria())


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


def title_of(board: ranked.Board) -> str:
    """Return a board's title: "Round name · Prize name (sponsor)", or the round's overall."""
    return f"{board.round_name} · {prize_title(board.prize_name or OVERALL, board.sponsor)}"


def prize_title(name: str, sponsor: str) -> str:
    """Return a prize's name with its sponsor in brackets, when it has one."""
    return f"{name} ({sponsor})" if sponsor else name


def _counted_sheets(state: State, board: ranked.Board) -> dict[str, list[dict[str, Any]]]:
    """Return by team the final sheets that count on `board`, as `storage.boards` counts them."""
    prize = None if board.prize_id is None else state.prize(board.prize_id)
    judges = state.judges()
    takes = {
        j
        for j in round_judges(state, board.round_id)
        if prize is None or prize_takes_judge(prize, judges[j])
    }
    teams = {r.team_id for r in board.rows}
    found: dict[str, list[dict[str, Any]]] = {}
    for sheet in state.standing_sheets(board.round_id):  # void sheets count nowhere
        if not sheet["final"] or sheet["judge"] not in takes or sheet["team"] not in teams:
            continue
        if any(cid in sheet["scores"] for cid in board.criteria):
            found.setdefault(sheet["team"], []).append(sheet)
    return found


def board_of(state: State, board: ranked.Board, title: str | None) -> Board:
    """Return a computed board as printed: its rows with team details and criterion means."""
    by_id = {c["id"]: c for c in state.all_criteria()}
    criteria = printed(by_id[cid] for cid in board.criteria if cid in by_id)
    sheets = _counted_sheets(state, board)
    normalised = board.ranked_by == "normalised"
    out = []
    for row in board.rows:
        team = state.team(row.team_id) or {}
        mine = sheets.get(row.team_id, [])
        means = tuple(
            _mean(float(s["scores"][c.id]) for s in mine if c.id in s["scores"]) for c in criteria
        )
        out.append(
            BoardRow(
                row.rank,
                row.shared,
                row.team_id,
                row.team_name,
                str(team.get("location", "")),
                tuple(team.get("members", ())),
                row.total_score,
                row.judge_count,
                means,
                row.raw_score if normalised else None,
            )
        )
    return Board(
        title,
        tuple(out),
        criteria,
        board.round_id,
        board.prize_id,
        board.prize_name,
        board.sponsor,
        board.hidden,
        normalised,
        board.round_name,
    )


def boards(state: State, rows: Sequence[Row] = ()) -> list[Board]:
    """Return every board to print: for each round in order, its main board then each prize's.

    The event's leaderboard alone, titled None, when it has no prizes and no later rounds.
    `rows` (the live leaderboard) is not needed: every board is computed from `state`, the
    main one ranking as the leaderboard does (`storage.boards`).
    """
    computed = ranked.boards(state)
    sole = len(computed) == 1
    return [board_of(state, b, None if sole else title_of(b)) for b in computed]


def results(state: State, rows: Sequence[Row]) -> list[Board]:
    """Return the boards of the results document; raise NothingToPrint when no team is ranked."""
    found = boards(state, rows)
    if not any(r.rank is not None for b in found for r in b.rows):
        raise NothingToPrint("no team has a final sheet yet, so there are no results to print")
    return found


def _placings(found: Sequence[Board], team_id: str) -> tuple[Placing, ...]:
    """Return a team's place on every board it is on that teams may see (none when one board)."""
    if len(found) < 2:
        return ()
    return tuple(
        Placing(str(b.title), r.rank, r.shared, r.total, b.round_name, b.prize, b.sponsor)
        for b in found
        if not b.hidden
        for r in b.rows
        if r.team_id == team_id
    )


def feedback(state: State, rows: Sequence[Row]) -> list[Feedback]:
    """Return a feedback page for each team with a final sheet, in the main board's order.

    Its sheets are the first round's; its placings list every board it is on (no hidden
    prize's). Judges' names are on it only when the event's `feedback_names_judges` is on;
    otherwise the sheets are listed best first, so their order says nothing of who wrote them.
    """
    names = bool(state.event()["feedback_names_judges"])
    judges = state.judges()
    found = boards(state, rows)
    board = found[0]  # the first round's main board
    finals = final_sheets(state)
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
        placings = _placings(found, row.team_id)
        pages.append(Feedback(row, board.criteria, tuple(lines), names, placings))
    if not pages:
        raise NothingToPrint("no team has a final sheet yet, so there is no feedback to print")
    return pages


def winners(state: State, rows: Sequence[Row], places: int = CERTIFICATE_PLACES) -> list[Winner]:
    """Return the certificates: the first `places` of the main board, then each prize's first.

    Each is taken from the latest round whose board of it ranks a team, so a finals round
    decides once it is scored, and a prize the finals did not judge keeps its earlier result.
    """
    latest: dict[str | None, Board] = {}
    for board in boards(state, rows):
        if any(r.rank is not None for r in board.rows):
            latest[board.prize_id] = board  # boards come round by round: the last one stays
    order: list[str | None] = [None, *(p["id"] for p in state.prizes())]
    found = []
    for prize_id in order:
        chosen = latest.get(prize_id)
        cut = places if prize_id is None else PRIZE_PLACES
        for row in chosen.rows if chosen else ():
            if chosen and row.rank is not None and row.rank <= cut:
                found.append(Winner(chosen.title, row, chosen.prize, chosen.sponsor))
    if not found:
        raise NothingToPrint("no team is ranked yet, so there are no certificates to print")
    return found


def _team_sheet(state: State, judge_id: str, team: Mapping[str, Any], round_id: str) -> TeamSheet:
    """Return a team's blank table for a judge: the round's criteria, then each prize's own."""
    allowed = {c["id"] for c in sheet_criteria(state, judge_id, team["id"], round_id)}
    groups = [CriteriaGroup(None, printed(round_criteria(state, round_id)))]
    also = []
    for prize_id in scoring_for(state, judge_id, team["id"], round_id)[1:]:
        prize = state.prize(str(prize_id)) or {}
        own = [c for c in state.all_criteria() if c.get("prize") == prize_id and c["id"] in allowed]
        title = prize_title(str(prize.get("name", prize_id)), str(prize.get("sponsor", "")))
        if own:
            groups.append(CriteriaGroup(title, printed(own)))
        else:
            also.append(title)
    where = str(team.get("location", ""))
    return TeamSheet(team["id"], team["name"], where, tuple(groups), tuple(also))


def _round_sheets(state: State, round_: Mapping[str, Any], named: bool) -> list[BlankSheets]:
    """Return each judge's blank sheets for one round, judges by name."""
    teams = state.teams()
    found = []
    for judge_id, judge in state.judges().items():
        mine = [teams[t] for t in sorted(teams) if scoring_for(state, judge_id, t, round_["id"])]
        mine.sort(key=lambda t: (t["name"].casefold(), t["id"]))
        if mine:
            found.append(
                BlankSheets(
                    judge_id,
                    judge["name"],
                    tuple((t["id"], t["name"], t.get("location", "")) for t in mine),
                    printed(round_criteria(state, round_["id"])),
                    str(round_["name"]) if named else None,
                    tuple(_team_sheet(state, judge_id, t, round_["id"]) for t in mine),
                )
            )
    found.sort(key=lambda s: (s.judge_name.casefold(), s.judge_id))
    return found


def blank_sheets(state: State) -> list[BlankSheets]:
    """Return each judge's paper sheets for each round (judges by name; teams by name)."""
    if not criteria_of(state):
        raise NothingToPrint("the event has no criteria yet, so there is no sheet to print")
    rounds = state.rounds()
    found = [s for round_ in rounds for s in _round_sheets(state, round_, len(rounds) > 1)]
    if not found:
        raise NothingToPrint("no judge has a team to score yet, so there is no sheet to print")
    return found
