"""Sheet scores, team totals and competition ranking, kept up to date op by op (pure)."""

from __future__ import annotations

import bisect
import math
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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


_T = TypeVar("_T")


class _once(Generic[_T]):  # lower case: used as a decorator, like functools.cached_property
    """A value computed on first read and kept in the instance, without cached_property's lock
    (3.11 takes one per read until cached: a cost at 3,000 rows a board)."""

    def __init__(self, make: Callable[[Any], _T]) -> None:
        self.make, self.name = make, make.__name__

    def __get__(self, row: Any, owner: type | None = None) -> _T:
        value = self.make(row)
        row.__dict__[self.name] = value  # read from the instance from now on
        return value


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

    def reranked(self, rank: int) -> Row:
        """Return this row at another rank (a cheaper copy than the dataclass's constructor:
        1,800 of them when a team moves 1,800 places)."""
        row = object.__new__(Row)
        row.__dict__.update(
            rank=rank,
            team_id=self.team_id,
            team_name=self.team_name,
            total_score=self.total_score,
            judge_count=self.judge_count,
        )
        return row

    @_once
    def wire(self) -> dict[str, Any]:
        """Return `to_wire()`, made once per row: shared by every board, so never changed."""
        return self.to_wire()

    @_once
    def progress_wire(self) -> dict[str, Any]:
        """Return the row as a `progress` board shows it (no rank, no total), made once."""
        return {
            "team_id": self.team_id,
            "team_name": self.team_name,
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


def main_board_entry(key: str, entry: Entry | None) -> Entry | None:
    """Return what the main Scoreboard takes of a key's entry: a prize's or a round's own
    criterion is no criterion of the main board, so it is passed as absent."""
    value = None if entry is None else entry.value
    if (
        key.startswith("criterion/")
        and value is not None
        and ("prize" in value or "round" in value)
    ):
        return None
    return entry


class Scoreboard:
    """The leaderboard of a replica, updated per state change instead of recomputed per op.

    A sheet change costs one sheet score and marks one team; `rows()` then moves only the
    marked teams in the ranked order (bisect into a list sorted as `rank_rows` sorts) and
    rebuilds only the rows whose place or rank can have changed. Criterion and tie-break
    changes rescore every sheet and sort once, as they must.
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
        self._ranking = _Ranking()
        self._names: list[tuple[str, str]] = []  # (casefolded name, team id), sorted
        self._resort = False  # every team's key may have changed: sort once instead
        self.revision = 0

    @classmethod
    def from_state(cls, state: State) -> Scoreboard:
        """Build the event's main board from a whole state (its entries as `main_board_entry`
        passes them: a prize's or a later round's own criterion is none of the main board's)."""
        board = cls()
        for key, entry in sorted(state.entries.items()):
            board.update(key, main_board_entry(key, entry))
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
            self._dirty.add(team_id)
        elif kind == "team":
            self._set_team(rest, None if value is None else value["name"])
        elif kind == "judge":
            if value is None:
                self._judges.discard(rest)
            else:
                self._judges.add(rest)
            self._dirty.update(self._by_judge.get(rest, ()))
        elif kind == "criterion":
            if value is None:
                self._criteria.pop(rest, None)
            else:
                self._criteria[rest] = value
            self._rescore_all()
        elif key == "event/tie_break":
            self._tie_break = list(value["value"]) if value else []
            self._dirty.update(self._teams)
            self._resort = True
        else:
            return
        self.revision += 1

    def _set_team(self, team_id: str, name: str | None) -> None:
        old = self._teams.pop(team_id, None)
        if old is not None:
            del self._names[bisect.bisect_left(self._names, (old.casefold(), team_id))]
        if name is not None:
            self._teams[team_id] = name
            bisect.insort(self._names, (name.casefold(), team_id))
        self._dirty.add(team_id)

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
        self._dirty.add(team_id)

    def _rescore_all(self) -> None:
        for pair, (final, scores, _) in self._sheets.items():
            self._sheets[pair] = (final, scores, sheet_score(scores, self._criteria))
        self._dirty.update(self._teams)
        self._resort = True

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
        if not self._dirty:
            self._resort = False  # every team is marked with a resort: here there are none
            return
        keys: dict[str, tuple[Any, ...] | None] = {}
        for team_id in self._dirty:
            if team_id not in self._teams:
                self._totals.pop(team_id, None)
                keys[team_id] = None
                continue
            scores = [score for _, _, score in self._final_sheets(team_id)]
            # fsum is exact, so the total is the same whatever order the sheets arrived in.
            total = math.fsum(scores) / len(scores) if scores else None
            self._totals[team_id] = (total, len(scores))
            keys[team_id] = self._key(team_id, total, len(scores))
        self._dirty.clear()
        self._ranking.move(keys, resort=self._resort or len(keys) > 64 + len(self._teams) // 8)
        self._resort = False

    def _key(self, team_id: str, total: float | None, count: int) -> tuple[Any, ...]:
        """Return a team's place in the order `rank_rows` sorts in (see `_Ranking`)."""
        name = self._teams[team_id]
        if total is None or count == 0:
            return (1, name.casefold(), team_id, name)
        # Every scored team carries its tie values: a team alone at its shown total sorts and
        # ranks the same with them as `rank_rows` ranks it without (they only split equals).
        ties = tuple(-v for v in self.tie_values(team_id)) if self._tie_break else ()
        return (0, -round(total, 2), ties, name.casefold(), team_id, name, count)

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

    def tie_values(self, team_id: str) -> tuple[float, ...]:
        """Return a team's tie-break values (descending is better), as `rank_rows` takes them."""
        values = []
        sheets = self._final_sheets(team_id)
        for cid in self._tie_break:
            criterion = self._criteria.get(cid)
            marks = [scaled(s[cid], criterion) for _, s, _ in sheets if criterion and cid in s]
            values.append(round(math.fsum(marks) / len(marks), 6) if marks else -1.0)
        return tuple(values)

    def rows(self) -> list[Row]:
        """Return the ranked leaderboard."""
        self._refresh()
        return list(self._ranking.rows)

    def rows_by_name(self) -> list[Row]:
        """Return the leaderboard's rows by team name (casefolded, then id), without a sort."""
        self._refresh()
        self._ranking.rows  # noqa: B018 - brings each team's row up to date
        return [self._ranking.row_of(team_id) for _, team_id in self._names]

    @property
    def version(self) -> int:
        """Return the ranked board's version: one more per move `moves_since` tells of."""
        self._refresh()
        return self._ranking.version

    def moves_since(self, version: int) -> list[Move] | None:
        """Return what each change of the ranked board since `version` did, oldest first;
        None when that is not told move by move (a resort, or further back than is kept)."""
        self._refresh()
        entries = self._ranking.since(version)
        if entries is None or any(not isinstance(e, Move) for e in entries):
            return None
        return [e for e in entries if isinstance(e, Move)]

    def rows_at(self, version: int) -> list[Row] | None:
        """Return the ranked board as it was at `version` (None: further back than is kept)."""
        self._refresh()
        return self._ranking.rows_at(version)


Run = tuple[int, int, int]  # (place, length, by): rows whose rank alone moved, by `by` each


@dataclass(frozen=True)
class Move:
    """What one team's move did to the ranked board (`Scoreboard.moves_since`).

    `old_place` and `old_row` are the team's on the board before (None: it was not on it),
    `place` and `row` on the board after (None: it is gone). Every other row keeps its order;
    those in `runs` (places on the board after) moved in rank alone, by `by`. `apply_move`
    of it to the board before gives the board after, exactly: a move of 1,800 places is
    told in two rows and one run, not in 1,800 new rows.
    """

    team_id: str
    old_place: int | None
    old_row: Row | None
    place: int | None
    row: Row | None
    runs: tuple[Run, ...] = ()

    @property
    def plain(self) -> bool:
        """Tell whether the team's row came, went, or changed in more than its rank (the
        delta of such a move is its row and the runs, as `feeds.board_delta` gives it)."""
        old, new = self.old_row, self.row
        if old is None or new is None:
            return old is not new
        return (old.team_name, old.total_score, old.judge_count) != (
            new.team_name,
            new.total_score,
            new.judge_count,
        )


def apply_move(rows: Sequence[Row], move: Move) -> list[Row]:
    """Return the board `move` makes of `rows` (the board before it)."""
    board = list(rows)
    _forward(board, move)
    return board


def undo_move(rows: Sequence[Row], move: Move) -> list[Row]:
    """Return the board before `move` from `rows` (the board after it)."""
    board = list(rows)
    for place, length, by in move.runs:
        for k in range(place, place + length):
            row = board[k]
            assert row.rank is not None
            board[k] = row.reranked(row.rank - by)
    if move.place is not None:
        del board[move.place]
    if move.old_row is not None:
        assert move.old_place is not None
        board.insert(move.old_place, move.old_row)
    return board


def _forward(board: list[Row], move: Move, row_of: dict[str, Row] | None = None) -> None:
    """Apply a move to a board in place (and to `row_of`, a team's current row)."""
    if move.old_place is not None:
        del board[move.old_place]
    if move.row is not None:
        assert move.place is not None
        board.insert(move.place, move.row)
    for place, length, by in move.runs:
        for k in range(place, place + length):
            row = board[k]
            assert row.rank is not None
            board[k] = moved = row.reranked(row.rank + by)
            if row_of is not None:
                row_of[moved.team_id] = moved


def _group(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return key[:3]


class _Ranking:
    """Teams in ranked order, kept sorted by bisect: a move touches only what it shifts.

    A key is `(0, -shown, -ties, casefolded name, team id, name, count)` for a scored team and
    `(1, casefolded name, team id, name)` for an unscored one: sorted, they give `rank_rows`'
    order. A scored team's rank is one more than the index of the first key sharing its
    `(0, -shown, -ties)`. Each move is logged as a `Move` (a resort as the rows before it),
    found with bisects alone; `rows` (the `Row` of each key, the same object while unchanged)
    is brought up to date only when read, and `rows_at` gives the rows of a recent version.
    """

    LOG = 4096  # the moves kept: `rows_at` and `since` reach this many versions back

    def __init__(self) -> None:
        self.keys: list[tuple[Any, ...]] = []
        self.version = 0  # one more per logged move or resort
        self._key_of: dict[str, tuple[Any, ...]] = {}
        self._row_of: dict[str, Row] = {}
        self._rows: list[Row] = []
        self._rows_version = 0
        # (version it made, the move; or for a resort, the rows before it)
        self._log: deque[tuple[int, Move | list[Row]]] = deque(maxlen=self.LOG)

    def move(self, keys: dict[str, tuple[Any, ...] | None], resort: bool) -> None:
        """Put each team at its new key (None: gone), logging what each move did."""
        if resort:
            before = list(self.rows)
            for team_id, key in keys.items():
                if key is None:
                    self._key_of.pop(team_id, None)
                    self._row_of.pop(team_id, None)
                else:
                    self._key_of[team_id] = key
            self.keys = sorted(self._key_of.values())
            self.version += 1
            self._log.append((self.version, before))
            return
        for team_id, key in keys.items():
            old = self._key_of.pop(team_id, None)
            if old == key:  # nothing of its row changed (a draft, a judge's other sheet)
                if key is not None:
                    self._key_of[team_id] = key
                continue
            old_place = old_row = None
            if old is not None:
                old_place = bisect.bisect_left(self.keys, old)
                old_row = self._row(old)
                del self.keys[old_place]
            place = row = None
            if key is not None:
                place = bisect.bisect_left(self.keys, key)
                self.keys.insert(place, key)
                self._key_of[team_id] = key
                row = self._row(key)
                self._row_of[team_id] = row
            else:
                self._row_of.pop(team_id, None)
            runs = self._runs(old, key, place)
            self.version += 1
            self._log.append((self.version, Move(team_id, old_place, old_row, place, row, runs)))

    @property
    def rows(self) -> list[Row]:
        """Return the rows of the keys (the list kept here: copy it to keep it)."""
        if self._rows_version != self.version:
            pending = self.since(self._rows_version)
            if pending is None or len(pending) > 8 or any(isinstance(e, list) for e in pending):
                self._rows = self._rebuild(0, len(self.keys))
            else:
                for entry in pending:
                    assert isinstance(entry, Move)
                    _forward(self._rows, entry, self._row_of)
            self._rows_version = self.version
        return self._rows

    def since(self, version: int) -> list[Move | list[Row]] | None:
        """Return the log's entries after `version`, oldest first (None: no longer kept)."""
        missing = self.version - version
        if missing > len(self._log) or missing < 0:
            return None
        return [entry for _, entry in list(self._log)[len(self._log) - missing :]]

    def rows_at(self, version: int) -> list[Row] | None:
        """Return the rows as they were at `version` (None: further back than the log)."""
        entries = self.since(version)
        if entries is None:
            return None
        rows = list(self.rows)
        for entry in reversed(entries):
            rows = list(entry) if isinstance(entry, list) else undo_move(rows, entry)
        return rows

    def row_of(self, team_id: str) -> Row:
        """Return a team's current row."""
        self.rows  # noqa: B018 - brings the rows (and so each team's row) up to date
        return self._row_of[team_id]

    def _row(self, key: tuple[Any, ...]) -> Row:
        """Return the row of a key among the keys now (its rank found by one bisect)."""
        if key[0] == 1:
            return Row(None, key[2], key[3], None, 0)
        rank = bisect.bisect_left(self.keys, _group(key)) + 1
        return Row(rank, key[4], key[5], -key[1], key[6])

    def _runs(
        self, old: tuple[Any, ...] | None, new: tuple[Any, ...] | None, place: int | None
    ) -> tuple[Run, ...]:
        """Return the runs of ranks a team's move from key `old` to `new` (at `place`) shifted.

        A scored row's rank is 1 + the place of its group's first key among the other teams,
        + 1 if the team ranks strictly above its group: so exactly the rows whose group lies
        between the team's two groups move, all by one, up (-1) or down (+1). They are
        contiguous, but for the team itself among its new group when it moved down. `by` is
        +1 for the rows it moved above, -1 for those it fell below.
        """
        was = _group(old) if old is not None and old[0] == 0 else None  # None: unranked
        now = _group(new) if new is not None and new[0] == 0 else None
        if was == now:
            return ()
        keys = self.keys
        end_scored = bisect.bisect_left(keys, (1,))
        if now is not None and (was is None or now < was):  # up: the rows it passed go down
            start, by = bisect.bisect_right(keys, now, key=_group), 1
            end = end_scored if was is None else bisect.bisect_right(keys, was, key=_group)
        else:
            assert was is not None
            start, by = bisect.bisect_right(keys, was, key=_group), -1
            end = end_scored if now is None else bisect.bisect_right(keys, now, key=_group)
        if now is not None and by == -1 and place is not None and start <= place < end:
            spans = [(start, place), (place + 1, end)]
        else:
            spans = [(start, end)]
        return tuple((low, high - low, by) for low, high in spans if high > low)

    def _rebuild(self, low: int, high: int) -> list[Row]:
        """Return the rows of keys [low, high): each team's old `Row` where it is unchanged,
        else a new one. Ranks are counted along the stretch (one bisect for its first scored
        key), not looked up per row: a move of 1,800 places rebuilds 1,800 rows."""
        keys, row_of = self.keys, self._row_of
        found: list[Row] = []
        group: tuple[Any, ...] | None = None
        rank = 0
        for k in range(low, high):
            key = keys[k]
            if key[0] == 1:
                team_id, name = key[2], key[3]
                old = row_of.get(team_id)
                if old is not None and old.rank is None and old.team_name == name:
                    found.append(old)  # an unscored row is (None, id, name, None, 0)
                    continue
                row = Row(None, team_id, name, None, 0)
            else:
                shown = key[:3]
                if shown != group:  # the first of a group of equals: its rank is its place
                    rank = k + 1 if group is not None else bisect.bisect_left(keys, shown) + 1
                    group = shown
                team_id, name, total, count = key[4], key[5], -key[1], key[6]
                old = row_of.get(team_id)
                if (
                    old is not None
                    and old.total_score == total
                    and old.judge_count == count
                    and old.team_name == name
                    and old.rank is not None
                ):
                    if old.rank == rank:
                        found.append(old)  # the same object, so a reader can tell by identity
                        continue
                    row = old.reranked(rank)
                else:
                    row = Row(rank, team_id, name, total, count)
            row_of[team_id] = row
            found.append(row)
        return found
