"""The event's boards: for every (round, prize), its ranked rows, normalised totals and tie-breaks.

Pure: computed from a `State`, the same on every replica. The main board (first round, no
prize: the event's criteria, all teams, all judges) ranks exactly as `scoring.Scoreboard` does,
which keeps the incremental leaderboard the wire sends; `scoring.rank_rows` is the one ranking
of both. docs/protocol.md 6b states every rule written here.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from storage.ops import FIRST_ROUND, TIE_MEDIAN, TIE_SHEETS
from storage.scoring import Scoreboard, rank_rows, scaled, sheet_score
from storage.sheets import (
    board_criteria,
    prize_takes_judge,
    prize_takes_team,
    round_judges,
    round_teams,
)
from storage.state import State

# A board's key: (round id, prize id); None is the main board of its round.
BoardKey = tuple[str, str | None]


@dataclass(frozen=True)
class BoardRow:
    """One ranked row of a board: the PROTOCOL.md section 4 row, then what a board adds."""

    rank: int | None
    team_id: str
    team_name: str
    total_score: float | None  # the total that ranks, as shown (2 decimals)
    judge_count: int
    raw_score: float | None  # the mean of the round's raw sheet scores (unrounded)
    normalised_score: float | None  # the same of normalised scores; None when normalise is off
    previous_score: float | None  # a combined round: the previous round's total on this board
    incomplete: int  # counted final sheets that lack one of the board's criteria
    tie_break: str | None  # the tie-break key that ordered this row among equal totals
    shared: bool  # its rank is shared with another row: a tie no tie-break split
    exact_total: float | None = None  # the unrounded ranking total (a next round combines it)

    def to_wire(self) -> dict[str, Any]:
        """Return the row as a JSON object: the protocol's five fields first, then the board's."""
        return {
            "rank": self.rank,
            "team_id": self.team_id,
            "team_name": self.team_name,
            "total_score": self.total_score,
            "judge_count": self.judge_count,
            "raw_score": _shown(self.raw_score),
            "normalised_score": _shown(self.normalised_score),
            "previous_score": _shown(self.previous_score),
            "incomplete": self.incomplete,
            "tie_break": self.tie_break,
            "shared": self.shared,
        }


@dataclass(frozen=True)
class Harshness:
    """How one judge scores on one board: mean, spread and count of its counted sheet scores.

    `normalised` is False when the judge's scores were left raw (fewer than 2 sheets, or no
    spread): the console flags that judge.
    """

    judge_id: str
    mean: float
    spread: float
    count: int
    normalised: bool

    def to_wire(self) -> dict[str, Any]:
        """Return the figures as a JSON object."""
        return {
            "judge": self.judge_id,
            "mean": round(self.mean, 2),
            "spread": round(self.spread, 2),
            "count": self.count,
            "normalised": self.normalised,
        }


@dataclass(frozen=True)
class Board:
    """One round's leaderboard for one prize (prize None: the round's main board)."""

    round_id: str
    round_name: str
    prize_id: str | None
    prize_name: str | None
    sponsor: str
    hidden: bool
    criteria: tuple[str, ...]
    normalise: str
    tie_break: tuple[str, ...]
    result: str
    previous_weight: float
    rows: list[BoardRow]
    judges: list[Harshness] = field(default_factory=list)

    @property
    def key(self) -> BoardKey:
        """The board's (round, prize) key."""
        return (self.round_id, self.prize_id)

    @property
    def ranked_by(self) -> str:
        """Which total ranks the board: `normalised` or `raw`."""
        return "normalised" if self.normalise == "ranks" else "raw"

    @property
    def incomplete_sheets(self) -> int:
        """The counted final sheets that lack one of the board's criteria."""
        return sum(row.incomplete for row in self.rows)

    def wire_rows(self) -> list[dict[str, Any]]:
        """Return the rows as the protocol's leaderboard rows with the board's fields."""
        return [row.to_wire() for row in self.rows]

    def to_wire(self) -> dict[str, Any]:
        """Return the whole board as a JSON object (exports, and the wire next)."""
        return {
            "round": self.round_id,
            "round_name": self.round_name,
            "prize": self.prize_id,
            "prize_name": self.prize_name,
            "sponsor": self.sponsor,
            "hidden": self.hidden,
            "criteria": list(self.criteria),
            "normalise": self.normalise,
            "ranked_by": self.ranked_by,
            "tie_break": list(self.tie_break),
            "result": self.result,
            "previous_weight": self.previous_weight,
            "incomplete_sheets": self.incomplete_sheets,
            "judges": [j.to_wire() for j in self.judges],
            "rows": self.wire_rows(),
        }


def _shown(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _mean(values: list[float]) -> float:
    # fsum is exact: the same on every replica whatever order the sheets arrived in.
    return math.fsum(values) / len(values)


def _spread(values: list[float]) -> float:
    """Return the population standard deviation (0 for fewer than 2 values)."""
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


# --- the main board, fed to the incremental Scoreboard ------------------------------------------


def main_scoreboard(state: State) -> Scoreboard:
    """Build the main board's incremental Scoreboard from a whole state."""
    return Scoreboard.from_state(state)


# --- counting sheets on a board --------------------------------------------------------------


@dataclass
class _Counted:
    """A board's counted final sheets: per team, (judge, scores, raw sheet score)."""

    by_team: dict[str, list[tuple[str, Mapping[str, float], float]]]
    incomplete: dict[str, int]


def _count(
    state: State,
    round_id: str,
    teams: Iterable[str],
    judges: Iterable[str],
    criteria: Mapping[str, Mapping[str, Any]],
) -> _Counted:
    team_set, judge_set = set(teams), set(judges)
    counted = _Counted({t: [] for t in team_set}, dict.fromkeys(team_set, 0))
    for sheet in state.standing_sheets(round_id):  # a void sheet counts on no board
        if not sheet["final"] or sheet["judge"] not in judge_set or sheet["team"] not in team_set:
            continue
        score = sheet_score(sheet["scores"], criteria)
        if score is None:
            continue  # scores none of this board's criteria: not a sheet of this board
        counted.by_team[sheet["team"]].append((sheet["judge"], sheet["scores"], score))
        if any(cid not in sheet["scores"] for cid in criteria):
            counted.incomplete[sheet["team"]] += 1
    return counted


def normalise_scores(
    by_judge: Mapping[str, list[float]],
) -> tuple[dict[str, list[float]], list[Harshness]]:
    """Map each judge's scores to z-scores over its own, then back by the overall mean and spread.

    A judge with fewer than 2 scores or none of spread is left raw (and flagged in its
    Harshness). Mapped scores are clamped to 0..100. Returns the scores in the same order.
    """
    everything = [s for scores in by_judge.values() for s in scores]
    mean, spread = (_mean(everything), _spread(everything)) if everything else (0.0, 0.0)
    mapped: dict[str, list[float]] = {}
    figures = []
    for judge_id in sorted(by_judge):
        scores = by_judge[judge_id]
        own_mean, own_spread = _mean(scores), _spread(scores)
        ok = len(scores) >= 2 and own_spread > 0
        if ok:
            mapped[judge_id] = [
                min(100.0, max(0.0, mean + spread * (s - own_mean) / own_spread)) for s in scores
            ]
        else:
            mapped[judge_id] = list(scores)
        figures.append(Harshness(judge_id, own_mean, own_spread, len(scores), ok))
    return mapped, figures


def _tie_values(
    keys: tuple[str, ...],
    sheets: list[tuple[str, Mapping[str, float], float]],
    ranking_scores: list[float],
    criteria: Mapping[str, Mapping[str, Any]],
) -> tuple[float, ...]:
    """Return a team's values for each tie-break key (greater is better; -1: nothing to compare)."""
    values = []
    for key in keys:
        if key == TIE_SHEETS:
            values.append(float(len(sheets)))
        elif key == TIE_MEDIAN:
            values.append(round(statistics.median(ranking_scores), 6) if ranking_scores else -1.0)
        else:
            criterion = criteria.get(key)
            marks = [scaled(s[key], criterion) for _, s, _ in sheets if criterion and key in s]
            values.append(round(math.fsum(marks) / len(marks), 6) if marks else -1.0)
    return tuple(values)


# --- one board -------------------------------------------------------------------------------


def _board_members(
    state: State, round_id: str, prize: Mapping[str, Any] | None
) -> tuple[list[str], list[str]]:
    teams, judges = round_teams(state, round_id), round_judges(state, round_id)
    if prize is None:
        return teams, judges
    live_teams, live_judges = state.teams(), state.judges()
    return (
        [t for t in teams if prize_takes_team(prize, live_teams[t])],
        [j for j in judges if prize_takes_judge(prize, live_judges[j])],
    )


def _normalised(counted: _Counted) -> tuple[dict[str, list[float]], list[Harshness]]:
    """Return each team's normalised sheet scores (in its sheets' order) and the harshness."""
    by_judge: dict[str, list[float]] = {}
    for team_id in sorted(counted.by_team):
        for judge_id, _, score in counted.by_team[team_id]:
            by_judge.setdefault(judge_id, []).append(score)
    mapped, harshness = normalise_scores(by_judge)
    # Taken back in the order by_judge was filled: team by team, sheet by sheet.
    place = {j: iter(scores) for j, scores in mapped.items()}
    normalised = {
        team_id: [next(place[j]) for j, _, _ in counted.by_team[team_id]]
        for team_id in sorted(counted.by_team)
    }
    return normalised, harshness


def compute_board(
    state: State,
    round_id: str,
    prize_id: str | None,
    previous: Board | None = None,
) -> Board:
    """Compute one board; `previous` is the same prize's board of the round before (combined)."""
    round_ = state.round(round_id)
    if round_ is None:
        raise KeyError(f"there is no round {round_id!r}")
    prize = None if prize_id is None else state.prize(prize_id)
    if prize_id is not None and prize is None:
        raise KeyError(f"there is no prize {prize_id!r}")
    teams, judges = _board_members(state, round_id, prize)
    criteria = {c["id"]: c for c in board_criteria(state, round_id, prize_id)}
    counted = _count(state, round_id, teams, judges, criteria)
    normalise = str(round_["normalise"])
    normalised, harshness = _normalised(counted)
    weight = float(round_["previous_weight"])
    combined = round_["result"] == "weighted" and previous is not None
    before = {r.team_id: r for r in previous.rows} if combined and previous else {}
    names = state.teams()
    totals, ties, extra = [], {}, {}
    keys = tuple(round_["tie_break"])
    for team_id in teams:
        sheets = counted.by_team[team_id]
        raw_scores = [score for _, _, score in sheets]
        raw = _mean(raw_scores) if raw_scores else None
        norm = _mean(normalised[team_id]) if raw_scores and normalise != "off" else None
        ranking = norm if normalise == "ranks" else raw
        ranking_scores = normalised[team_id] if normalise == "ranks" else raw_scores
        prev_row = before.get(team_id)
        prev = None if prev_row is None else prev_row.exact_total
        if ranking is not None and prev is not None:
            ranking = (1 - weight) * ranking + weight * prev
        totals.append((team_id, names[team_id]["name"], ranking, len(sheets)))
        ties[team_id] = _tie_values(keys, sheets, ranking_scores, criteria)
        extra[team_id] = (raw, norm, prev, counted.incomplete[team_id], ranking)
    ranked = rank_rows(totals, ties)
    rows = _rows(ranked, ties, keys, extra)
    return Board(
        round_id=round_id,
        round_name=str(round_["name"]),
        prize_id=prize_id,
        prize_name=None if prize is None else str(prize["name"]),
        sponsor="" if prize is None else str(prize["sponsor"]),
        hidden=bool(prize and prize["hidden"]),
        criteria=tuple(criteria),
        normalise=normalise,
        tie_break=keys,
        result=str(round_["result"]),
        previous_weight=weight,
        rows=rows,
        judges=harshness,
    )


def _rows(
    ranked: list[Any],
    ties: Mapping[str, tuple[float, ...]],
    keys: tuple[str, ...],
    extra: Mapping[str, tuple[float | None, float | None, float | None, int, float | None]],
) -> list[BoardRow]:
    """Attach to each ranked row its figures and which tie-break, if any, ordered it."""
    groups: dict[float, list[str]] = {}
    ranks: dict[int, int] = {}
    for row in ranked:
        if row.rank is not None:
            groups.setdefault(row.total_score, []).append(row.team_id)
            ranks[row.rank] = ranks.get(row.rank, 0) + 1
    rows = []
    for row in ranked:
        raw, norm, prev, incomplete, exact = extra[row.team_id]
        used = None
        group = groups.get(row.total_score, []) if row.rank is not None else []
        if len(group) > 1:
            for index, key in enumerate(keys):
                if len({ties[t][index] for t in group}) > 1:
                    used = key
                    break
        rows.append(
            BoardRow(
                rank=row.rank,
                team_id=row.team_id,
                team_name=row.team_name,
                total_score=row.total_score,
                judge_count=row.judge_count,
                raw_score=raw,
                normalised_score=norm,
                previous_score=prev,
                incomplete=incomplete,
                tie_break=used,
                shared=row.rank is not None and ranks[row.rank] > 1,
                exact_total=exact if row.rank is not None else None,
            )
        )
    return rows


# --- every board -------------------------------------------------------------------------------


def boards(state: State) -> list[Board]:
    """Return every board: for each round in order, its main board then each prize's."""
    prize_ids: list[str | None] = [None, *(p["id"] for p in state.prizes())]
    found: list[Board] = []
    previous: dict[str | None, Board] = {}
    for round_ in state.rounds():
        current = {}
        for prize_id in prize_ids:
            board = compute_board(state, round_["id"], prize_id, previous.get(prize_id))
            current[prize_id] = board
            found.append(board)
        previous = current
    return found


def board(state: State, round_id: str = FIRST_ROUND, prize_id: str | None = None) -> Board:
    """Return one board (its round's earlier rounds are computed for a combined result)."""
    for candidate in boards(state) if _needs_previous(state, round_id) else ():
        if candidate.key == (round_id, prize_id):
            return candidate
    return compute_board(state, round_id, prize_id)


def _needs_previous(state: State, round_id: str) -> bool:
    round_ = state.round(round_id)
    return round_ is not None and round_["result"] == "weighted"


def public_boards(state: State) -> list[Board]:
    """Return the boards displays and teams may see: every board of no hidden prize."""
    return [b for b in boards(state) if not b.hidden]


def team_boards(state: State, team_id: str) -> list[Board]:
    """Return the boards a team is on and may see (no hidden prize)."""
    return [b for b in public_boards(state) if any(r.team_id == team_id for r in b.rows)]


# --- finalists -----------------------------------------------------------------------------------


def previous_round(state: State, round_id: str) -> str | None:
    """Return the id of the round before `round_id`, or None for the first round."""
    ids = [r["id"] for r in state.rounds()]
    index = ids.index(round_id) if round_id in ids else 0
    return ids[index - 1] if index > 0 else None


def proposed_finalists(state: State, round_id: str) -> list[str]:
    """Return, sorted, the teams a later round's rule picks from the round before.

    `top_overall`: rank N or better on the previous round's main board; `top_per_prize`: rank
    N or better on any of its boards (the main board and each prize's, hidden ones too). A
    tie at the cut takes every team of the shared rank: nothing is broken silently.
    """
    round_ = state.round(round_id)
    before = previous_round(state, round_id)
    if round_ is None or before is None or round_["finalists"] == "all":
        return []
    count = int(round_["finalists_n"])
    chosen: set[str] = set()
    for candidate in boards(state):
        if candidate.round_id != before:
            continue
        if round_["finalists"] == "top_overall" and candidate.prize_id is not None:
            continue
        chosen.update(r.team_id for r in candidate.rows if r.rank is not None and r.rank <= count)
    return sorted(chosen)


def finalist_bodies(state: State, round_id: str) -> list[dict[str, Any]]:
    """Return the finalist.put bodies that make a round's finalists its rule's proposal."""
    proposed = set(proposed_finalists(state, round_id))
    return finalist_changes(round_id, state.finalist_marks(round_id), proposed)


def finalist_changes(
    round_id: str, marks: Mapping[str, bool], chosen: Collection[str]
) -> list[dict[str, Any]]:
    """Return the finalist.put bodies that make a round's finalists exactly `chosen`, given
    its manual marks (`State.finalist_marks`): an op only for a team whose mark changes."""
    bodies = [
        {"round": round_id, "team": t, "finalist": True}
        for t in sorted(chosen)
        if not marks.get(t, False)
    ]
    bodies += [
        {"round": round_id, "team": t, "finalist": False}
        for t, mark in sorted(marks.items())
        if mark and t not in chosen
    ]
    return bodies
