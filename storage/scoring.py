"""Sheet scores, team totals and competition ranking, kept up to date op by op (pure)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from storage.state import Entry, State


def scaled(value: float, criterion: Mapping[str, Any]) -> float:
    """Return a criterion score scaled to 0..100 (clamped, in case the scale changed later)."""
    low, high = float(criterion["min"]), float(criterion["max"])
    return min(100.0, max(0.0, (float(value) - low) / (high - low) * 100.0))


def sheet_score(
    scores: Mapping[str, float], criteria: Mapping[str, Mapping[str, Any]]
) -> float | None:
    """Return the weighted mean of a sheet's criteria scaled to 0..100, or None if none count."""
    weights = []
    parts = []
    for cid, value in scores.items():
        criterion = criteria.get(cid)
        if criterion is None:
            continue  # a criterion deleted after the sheet was saved no longer counts
        weight = float(criterion["weight"])
        weights.append(weight)
        parts.append(weight * scaled(value, criterion))
    if not weights:
        return None
    return math.fsum(parts) / math.fsum(weights)


@dataclass(frozen=True)
class Row:
    """One leaderboard row as PROTOCOL.md section 4 sends it."""

    rank: int | None
    team_id: str
    team_name: str
    total_score: float | None
    judge_count: int

    def to_wire(self) -> dict[str, Any]:
        """Return the row as a JSON object."""
        return {
            "rank": self.rank,
            "team_id": self.team_id,
            "team_name": self.team_name,
            "total_score": self.total_score,
            "judge_count": self.judge_count,
        }


def rank_rows(
    totals: Iterable[tuple[str, str, float | None, int]],
    tie_break: Mapping[str, tuple[float, ...]] | None = None,
) -> list[Row]:
    """Rank (team_id, name, total, judge_count) by descending total; equal totals share a rank.

    Totals are compared as shown, rounded to 2 decimals. `tie_break` maps a team to the values
    (descending is better) that split teams of equal totals; teams still equal share a rank
    (competition ranking: 1, 2, 2, 4). Teams without a final sheet come last, unranked.
    """
    tie_break = tie_break or {}
    scored = []
    unscored = []
    for team_id, name, total, count in totals:
        if total is None or count == 0:
            unscored.append(Row(None, team_id, name, None, 0))
        else:
            shown = round(total, 2)
            scored.append((shown, tie_break.get(team_id, ()), team_id, name, count))
    scored.sort(key=lambda t: (-t[0], tuple(-v for v in t[1]), t[3].casefold(), t[2]))
    rows: list[Row] = []
    previous: tuple[float, tuple[float, ...]] | None = None
    rank = 0
    for position, (shown, ties, team_id, name, count) in enumerate(scored, start=1):
        if (shown, ties) != previous:
            rank, previous = position, (shown, ties)
        rows.append(Row(rank, team_id, name, shown, count))
    unscored.sort(key=lambda r: (r.team_name.casefold(), r.team_id))
    return rows + unscored


class Scoreboard:
    """The leaderboard of a replica, updated per state change instead of recomputed per op.

    A sheet change costs one sheet score and marks one team; `rows()` then refreshes only the
    marked teams and sorts. Criterion changes rescore every sheet, as they must.
    """

    def __init__(self) -> None:
        self._criteria: dict[str, dict[str, Any]] = {}
        self._teams: dict[str, str] = {}
        self._judges: set[str] = set()
        self._tie_break: list[str] = []
        # (judge, team) -> (final, scores, score); only sheets with at least one counted criterion.
        self._sheets: dict[tuple[str, str], tuple[bool, dict[str, float], float | None]] = {}
        self._by_team: dict[str, set[str]] = {}
        self._by_judge: dict[str, set[str]] = {}
        # (judge, team) of the void sheets: kept, shown, counted nowhere (docs/protocol.md 5c).
        self._voided: set[tuple[str, str]] = set()
        self._totals: dict[str, tuple[float | None, int]] = {}
        self._dirty: set[str] = set()
        self._rows: list[Row] | None = None
        self.revision = 0

    @classmethod
    def from_state(cls, state: State) -> Scoreboard:
        """Build a scoreboard from a whole state."""
        board = cls()
        for key, entry in sorted(state.entries.items()):
            board.update(key, entry)
        return board

    def update(self, key: str, entry: Entry | None) -> None:
        """Take in a key's new winning entry (None: the key has no entry any more)."""
        value = None if entry is None else entry.value
        kind, _, rest = key.partition("/")
        if kind == "sheet":
            judge_id, _, team_id = rest.partition("/")
            self._set_sheet(judge_id, team_id, value)
        elif kind == "void":
            judge_id, _, team_id = rest.partition("/")
            if value is not None and value["voided"]:
                self._voided.add((judge_id, team_id))
            else:
                self._voided.discard((judge_id, team_id))
            self._touch(team_id)
        elif kind == "team":
            if value is None:
                self._teams.pop(rest, None)
            else:
                self._teams[rest] = value["name"]
            self._touch(rest)
        elif kind == "judge":
            if value is None:
                self._judges.discard(rest)
            else:
                self._judges.add(rest)
            for team_id in self._by_judge.get(rest, ()):
                self._touch(team_id)
        elif kind == "criterion":
            if value is None:
                self._criteria.pop(rest, None)
            else:
                self._criteria[rest] = value
            self._rescore_all()
        elif key == "event/tie_break":
            self._tie_break = list(value["value"]) if value else []
            self._rows = None
        else:
            return
        self.revision += 1

    def _set_sheet(self, judge_id: str, team_id: str, value: dict[str, Any] | None) -> None:
        pair = (judge_id, team_id)
        if value is None:
            self._sheets.pop(pair, None)
            self._by_team.get(team_id, set()).discard(judge_id)
            self._by_judge.get(judge_id, set()).discard(team_id)
        else:
            scores = value["scores"]
            self._sheets[pair] = (value["final"], scores, sheet_score(scores, self._criteria))
            self._by_team.setdefault(team_id, set()).add(judge_id)
            self._by_judge.setdefault(judge_id, set()).add(team_id)
        self._touch(team_id)

    def _rescore_all(self) -> None:
        for pair, (final, scores, _) in self._sheets.items():
            self._sheets[pair] = (final, scores, sheet_score(scores, self._criteria))
        self._dirty.update(self._teams)
        self._rows = None

    def _touch(self, team_id: str) -> None:
        self._dirty.add(team_id)
        self._rows = None

    def _final_sheets(self, team_id: str) -> list[tuple[str, dict[str, float], float]]:
        found = []
        for judge_id in self._by_team.get(team_id, ()):
            if judge_id not in self._judges or (judge_id, team_id) in self._voided:
                continue  # a removed judge's sheets, and void ones, no longer count
            final, scores, score = self._sheets[(judge_id, team_id)]
            if final and score is not None:
                found.append((judge_id, scores, score))
        return found

    def _refresh(self) -> None:
        for team_id in self._dirty:
            if team_id not in self._teams:
                self._totals.pop(team_id, None)
                continue
            scores = [score for _, _, score in self._final_sheets(team_id)]
            # fsum is exact, so the total is the same whatever order the sheets arrived in.
            total = math.fsum(scores) / len(scores) if scores else None
            self._totals[team_id] = (total, len(scores))
        self._dirty.clear()

    def voided(self, judge_id: str, team_id: str) -> bool:
        """Tell whether a judge's sheet for a team is void."""
        return (judge_id, team_id) in self._voided

    def judges_of(self, team_id: str) -> list[str]:
        """Return, sorted, every judge with a sheet for the team (removed judges included)."""
        return sorted(self._by_team.get(team_id, ()))

    def total(self, team_id: str) -> tuple[float | None, int]:
        """Return a team's unrounded total and its judge count."""
        self._refresh()
        return self._totals.get(team_id, (None, 0))

    def _tie_values(self, team_id: str) -> tuple[float, ...]:
        values = []
        sheets = self._final_sheets(team_id)
        for cid in self._tie_break:
            criterion = self._criteria.get(cid)
            marks = [scaled(s[cid], criterion) for _, s, _ in sheets if criterion and cid in s]
            values.append(round(math.fsum(marks) / len(marks), 6) if marks else -1.0)
        return tuple(values)

    def rows(self) -> list[Row]:
        """Return the ranked leaderboard."""
        if self._rows is None:
            self._refresh()
            totals = [(tid, name, *self._totals[tid]) for tid, name in self._teams.items()]
            ties: dict[str, tuple[float, ...]] = {}
            if self._tie_break:
                shown: dict[float, list[str]] = {}
                for tid, _, total, _count in totals:
                    if total is not None:
                        shown.setdefault(round(total, 2), []).append(tid)
                for group in shown.values():
                    if len(group) > 1:
                        ties.update({tid: self._tie_values(tid) for tid in group})
            self._rows = rank_rows(totals, ties)
        return list(self._rows)
