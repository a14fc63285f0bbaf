"""Who receives what: each role's feeds and the board each display mode shows (PROTOCOL.md 4).

Pure: plain values in, decisions out, no I/O and no sessions of its own. `sync.hostcore` asks
these functions and builds the frames; `desktop.host_model` asks them what a display shows. In
the spirit of cheesy-arena's notifiers, each feed is a snapshot a peer gets on subscribe (its
welcome, in the order of `SNAPSHOT`) and then an update per change, both decided by one rule.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from storage.ops import CORRECTION_KINDS, FIRST_ROUND, Op
from storage.scoring import Move, Row
from sync.messages import is_board_name

ROLES = ("judge", "team", "display")
# PROTOCOL.md section 4, the table's columns: the feeds each role may ever receive. The rules
# below narrow each one by event phase, visibility and subject; none reaches a role not named here.
FEEDS: dict[str, tuple[str, ...]] = {
    "judge": ("ops", "score_update", "leaderboard_update", "judge_notification"),
    "team": ("score_update", "leaderboard_update", "team_notification"),
    "display": ("leaderboard_update",),
}
# The roles an op's fan-out may send anything (ops, scores, notifications, snapshots): all but
# displays, which receive only boards: a fan-out passes over each display once, then none of its
# steps looks at it (with 1,000 displays, each step did; issue 14).
FANOUT_ROLES = frozenset(
    role for role, kinds in FEEDS.items() if set(kinds) - {"leaderboard_update"}
)
# What a welcome's backlog sends after the `welcome` itself, in this order (PROTOCOL.md 4: the
# ops a judge lacks, then the board where the role may see it; then a team's own snapshot).
SNAPSHOT: dict[str, tuple[str, ...]] = {
    "judge": ("ops", "leaderboard_update"),
    "team": ("leaderboard_update", "score_update", "team_notification"),
    "display": ("leaderboard_update",),
}
RECENT_NOTIFICATIONS = 50  # a team's snapshot holds at most its last 50 notifications
# A notification's audience names a whole role (plural) or one subject of it (singular).
NOTE_AUDIENCES = {"judge": ("judges", "judge"), "team": ("teams", "team")}

ScoreView = Literal["with_judge", "anonymous"]


class Reader(Protocol):
    """The one who receives a feed: a session's role, subject and view (sync.hostcore.Session)."""

    role: str | None
    subject: str | None
    device: str | None
    wide: bool  # a judge whose stream includes other judges' sheets
    claimed: dict[str, int]  # the vv its hello claimed


@dataclass(frozen=True)
class Visibility:
    """What the event lets each audience see now: the inputs of every rule below."""

    judges_see_results: bool = False
    released: bool = False
    display_mode: str = "live"
    reveal_count: int = 0

    @classmethod
    def of(cls, event: Mapping[str, Any]) -> Visibility:
        """Return the visibility of an event's settings (storage.state.State.event())."""
        return cls(
            bool(event["judges_see_results"]),
            event["phase"] == "released",
            str(event["display_mode"]),
            int(event["reveal_count"]),
        )


def receives(role: str | None, kind: str) -> bool:
    """Tell whether a role may ever receive messages of `kind` (the section 4 table's rows)."""
    return role is not None and kind in FEEDS.get(role, ())


# A browser page on the host's web port reads as the window it mirrors (docs/protocol.md 13):
# the public page as a display, a team page as that team's window. Every rule below then decides
# what it receives, as for that window: no rule of its own, so a browser follows every change.
PAGES: dict[str, str] = {"public": "display", "team": "team"}


def page_role(page: str) -> str:
    """Return the role a browser page reads as."""
    return PAGES[page]


# --- ops (judges' replication stream) ----------------------------------------------------------


def reads_all_sheets(vis: Visibility) -> bool:
    """Tell whether judges read each other's sheets now (a `wide` stream)."""
    return vis.judges_see_results


def sheets_author(reader: Reader, wide: bool) -> str | None:
    """Return whose sheets a judge's stream carries: None for every judge's (a wide stream)."""
    # "" is no author's id (ids are 1-64 characters): a reader with no subject reads none.
    return None if wide else (reader.subject or "")


def sheet_judge(op: Op) -> str | None:
    """Return the judge whose sheet an op writes or corrects, or None for other ops."""
    if op.kind == "sheet.save":
        return op.author
    if op.kind in CORRECTION_KINDS:  # an organiser's correction is read as the sheet is
        return str(op.body.get("judge"))
    return None


# The kinds whose readers `may_read_op` tells apart by the op's author or body: every other
# accepted op goes to every judge, so its body need not be decoded for a backlog (issue 14).
READ_BY_CONTENT = frozenset({"sheet.save", *CORRECTION_KINDS, "notify"})


def may_read_op(reader: Reader, op: Op, wide: bool | None = None) -> bool:
    """Tell whether a reader may receive an op; `wide` overrides the reader's current view."""
    if not receives(reader.role, "ops"):
        return False
    judge = sheet_judge(op)
    if judge is not None:
        author = sheets_author(reader, reader.wide if wide is None else wide)
        return author is None or judge == author
    if op.kind == "notify":
        return note_feed(reader, op.body.get("audience"), op.body.get("target")) is not None
    return True


def backlog_ops(
    reader: Reader, lacking: Iterable[Op], winning_sheets: Callable[[], list[Op]], wide: bool
) -> list[Op]:
    """Return the ops of a judge's snapshot: those it lacks and may read, and while results
    are shown every winning sheet (its vv may cover sheets it was never sent)."""
    ops = [op for op in lacking if may_read_op(reader, op, wide)]
    if wide:
        held = {op.id for op in ops}
        ops += [op for op in winning_sheets() if op.id not in held]
    return ops


def known_vv(
    reader: Reader, vv: Mapping[str, int], role_of: Callable[[str], str | None], wide: bool
) -> dict[str, int]:
    """Return the entries of the host's `vv` that a reader may know of.

    Teams and displays receive no ops: they learn of no device. A judge learns of its own
    device (to resend from), the admin devices (whose ops it receives), every judge device
    while results are shown, and of the devices its hello named no more than it claimed
    (so that it relays only what the host lacks, docs/protocol.md 6c).
    """
    if not receives(reader.role, "ops"):
        return {}
    shown = {}
    for device, n in vv.items():
        role = role_of(device)
        if device == reader.device or role == "admin" or (wide and role == "judge"):
            shown[device] = n
        elif device in reader.claimed:
            shown[device] = min(n, reader.claimed[device])
    return shown


# --- score_update --------------------------------------------------------------------------------


def score_feed(reader: Reader, sheet: Mapping[str, Any], vis: Visibility) -> ScoreView | None:
    """Return how a reader sees one sheet's `score_update`, or None if it may not.

    A judge reads its own sheets, and all of them in a wide stream; a team reads the final
    sheets of its own team once results are released, never which judge gave them.
    """
    if not receives(reader.role, "score_update"):
        return None
    if reader.role == "judge":
        return "with_judge" if sheet["judge"] == reader.subject or reader.wide else None
    if vis.released and sheet["final"] and sheet["team"] == reader.subject:
        return "anonymous"
    return None


def scores_snapshot_due(
    role: str | None, changed: Iterable[str], vis: Visibility, round_released: bool = False
) -> bool:
    """Tell whether a change of these event fields sends a role its scores' snapshot again:
    a team's, when results are released, or a later round's are (`round_released`, 4e)."""
    return (
        role is not None
        and "score_update" in SNAPSHOT[role]
        and (("phase" in changed and vis.released) or round_released)
    )


# --- notifications -------------------------------------------------------------------------------


def note_feed(reader: Reader, audience: object, target: object) -> str | None:
    """Return the kind of notification a reader gets for a notice to `audience`, or None."""
    if reader.role not in NOTE_AUDIENCES:
        return None
    kind = f"{reader.role}_notification"
    whole, one = NOTE_AUDIENCES[reader.role]
    if not receives(reader.role, kind):
        return None
    reaches = audience in ("all", whole) or (audience == one and target == reader.subject)
    return kind if reaches else None


def notes_snapshot(reader: Reader, notes: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Return the notifications (oldest first) of a reader's snapshot: its last 50."""
    mine = [n for n in notes if note_feed(reader, n["audience"], n["target"]) is not None]
    return mine[-RECENT_NOTIFICATIONS:]


# --- leaderboard_update --------------------------------------------------------------------------


def revealable(rows: Sequence[Row]) -> list[Row]:
    """Return the rows a reveal goes through: the ranked ones, in rank order."""
    return [row for row in rows if row.rank is not None]


def revealed(rows: Sequence[Row], reveal_count: int) -> list[Row]:
    """Return the rows revealed so far: the last `reveal_count` places, from last to first."""
    ranked = revealable(rows)
    count = min(max(reveal_count, 0), len(ranked))
    return ranked[len(ranked) - count :] if count else []


def display_board(
    vis: Visibility,
    rows: Sequence[Row],
    frozen: Sequence[dict[str, Any]] | None,
    by_name: Sequence[Row] | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """Return the display mode and the rows that mode lets a display see.

    `frozen` is the board as it stood when the display was frozen (kept by the host);
    `by_name` the same rows in team-name order, where the caller keeps them (else sorted here).
    The row objects are each `Row`'s shared wire form: read them, never change them.
    """
    if vis.display_mode == "frozen":
        return "frozen", list(frozen or [])
    if vis.display_mode == "progress":
        # By name: rows in rank order would tell the ranking this mode hides.
        if by_name is None:
            by_name = sorted(rows, key=lambda r: (r.team_name.casefold(), r.team_id))
        return "progress", [r.progress_wire for r in by_name]
    if vis.display_mode == "reveal":
        return "reveal", [row.wire for row in revealed(rows, vis.reveal_count)]
    return "live", [row.wire for row in rows]


def board(
    role: str,
    vis: Visibility,
    rows: Sequence[Row],
    frozen: Sequence[dict[str, Any]] | None = None,
    by_name: Sequence[Row] | None = None,
    staged: bool = True,
) -> tuple[str, list[dict[str, Any]]] | None:
    """Return the mode and rows of the main board a role may see now, or None; `staged`:
    the main board is the one a reveal is on (else a reveal shows none of its rows, 4e)."""
    if not receives(role, "leaderboard_update"):
        return None
    if role == "display":
        return display_board(vis if staged else _unstaged(vis), rows, frozen, by_name)
    if sees_main_board(role, vis):
        return "live", [row.wire for row in rows]
    return None


def sees_main_board(role: str, vis: Visibility) -> bool:
    """Tell whether a role may be sent the main board now (`board` gives it some view)."""
    if not receives(role, "leaderboard_update"):
        return False
    return role == "display" or (
        (role == "judge" and vis.judges_see_results) or (role == "team" and vis.released)
    )


def live_board(role: str, vis: Visibility) -> bool:
    """Tell whether the main board a role may see now is the live one: every row of the
    ranking in rank order, each its `Row`'s wire form (what `move_delta` patches)."""
    if not receives(role, "leaderboard_update"):
        return False
    if role == "display":
        return vis.display_mode not in ("frozen", "progress", "reveal")
    return (role == "judge" and vis.judges_see_results) or (role == "team" and vis.released)


Delta = tuple[list[tuple[int, dict[str, Any]]], list[str], list[tuple[int, int, int]], int]


def moves_delta(moves: Sequence[Move], count: int, top: int | None = None) -> Delta | None:
    """Return a delta (rows, removed, runs of ranks, count) that takes a live board of `count`
    rows to the board after `moves` (the Scoreboard's, oldest first), read off the moves alone:
    each team moved is sent at its last place, every other row keeps its order, and those whose
    rank the moves shifted, net, go as runs. No pass over the rows in Python: a difference
    array of rank shifts (one add at each end of a run; a place taken out or put in moves it,
    in C) and the moved teams' places, O(rows) in C and O(moves^2) in Python.

    With `top`, a reader sent only the first `top` rows: an empty delta when no move touched a
    place above `top` (those rows stayed as they were), else None (the whole boards tell)."""
    if top is not None:
        for move in moves:
            places = [p for p in (move.old_place, move.place) if p is not None]
            if any(p < top for p in places + [p for p, _, _ in move.runs]):
                return None
        return [], [], [], min(count, top)
    tally = _MoveTally(count)
    for move in moves:
        tally.add(move)
    return tally.changed(), tally.removed(), tally.runs(), len(tally.shift) - 1


class _MoveTally:
    """The net effect of a board's moves: where each moved team is now, and the rank shift of
    every other row as a difference array (a row's shift: the sum of `shift[0..its place]`)."""

    def __init__(self, count: int) -> None:
        self.shift = [0] * (count + 1)
        self.at: dict[str, int | None] = {}  # each moved team's place now (None: off the board)
        self.row_of: dict[str, Row] = {}  # its row as its last move left it
        self.lift: dict[str, int] = {}  # the rank later moves' runs added to that row
        self.was_on: dict[str, bool] = {}  # whether it was on the board before the moves

    def _shift_places(self, start: int, by: int) -> None:
        for team, place in self.at.items():
            if place is not None and place >= start:
                self.at[team] = place + by

    def add(self, move: Move) -> None:
        shift, team = self.shift, move.team_id
        self.was_on.setdefault(team, move.old_place is not None)
        if move.old_place is not None:
            q = move.old_place
            shift[q + 1] += shift[q]  # the rows after it keep their shift
            del shift[q]
            self._shift_places(q + 1, -1)
        if move.place is not None:
            shift.insert(move.place, 0)
            self._shift_places(move.place, 1)
            assert move.row is not None
            self.row_of[team] = move.row
        self.at[team], self.lift[team] = move.place, 0
        for place, length, by in move.runs:
            shift[place] += by
            shift[place + length] -= by
            for other, now in self.at.items():
                if now is not None and place <= now < place + length:
                    self.lift[other] += by

    def runs(self) -> list[tuple[int, int, int]]:
        """Return the runs of the rows not moved whose rank shifted, net: between two places
        where the shift steps every row is shifted alike, but for the moved teams' places."""
        shift = self.shift
        rows = len(shift) - 1
        placed = sorted(place for place in self.at.values() if place is not None)
        steps = list(itertools.compress(range(rows + 1), shift))
        runs: list[tuple[int, int, int]] = []
        by = 0
        for start, end in zip(steps, [*steps[1:], rows], strict=False):
            by += shift[start]
            if by == 0 or start >= end:
                continue
            low = start
            for place in placed[
                bisect.bisect_left(placed, start) : bisect.bisect_left(placed, end)
            ]:
                if place > low:
                    runs.append((low, place - low, by))
                low = place + 1
            if end > low:
                runs.append((low, end - low, by))
        return runs

    def changed(self) -> list[tuple[int, dict[str, Any]]]:
        """Return each moved team still on the board at its place, as its row is now."""
        found = []
        for team, place in sorted(self.at.items(), key=lambda item: item[1] or 0):
            if place is None:
                continue
            row = self.row_of[team]
            if self.lift[team]:
                assert row.rank is not None
                row = row.reranked(row.rank + self.lift[team])
            found.append((place, row.wire))
        return found

    def removed(self) -> list[str]:
        """Return the moved teams that were on the board and are no longer."""
        return sorted(t for t, place in self.at.items() if place is None and self.was_on[t])


def top_rows(role: str, rows: list[dict[str, Any]], top: int | None) -> list[dict[str, Any]]:
    """Return the rows of a board that a reader showing only its first `top` is sent: a
    display's (docs/protocol.md 4d); judges and teams always get the whole board."""
    return rows if top is None or role != "display" else rows[:top]


def board_delta(
    old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]
) -> tuple[list[tuple[int, dict[str, Any]]], list[str], list[tuple[int, int, int]]]:
    """Return what turns board `old` into `new`: the rows of `new` that are not in `old` as
    they are (with their places), the teams of `old` that are not in `new`, and the runs
    (place, length, by) of rows whose rank alone moved, by the same `by` each.

    Each board is in an order decided by its rows alone (rank, then name, then id; or name,
    then id), so the rows left out keep their order and fill the places left over
    (`sync.messages.apply_delta`). An unchanged row is usually the same object: `is` first.
    A team that moves up 1,500 places moves 1,500 ranks by one: one run, not 1,500 rows.
    """
    low, end_old, end_new = _shared_ends(old, new)
    before = {old[at]["team_id"]: (at, old[at]) for at in range(low, end_old)}
    changed: list[tuple[int, dict[str, Any]]] = []
    runs: list[tuple[int, int, int]] = []
    last, kept = -1, True  # the old places of the rows left out, so far in order
    run_start, run_end, run_by = 0, 0, 0  # the run being grown: places [start, end), by
    for pos in range(low, end_new):
        row = new[pos]
        found = before.pop(row["team_id"], None)
        if found is None:
            changed.append((pos, row))
            continue
        at, was = found
        if was is not row:
            rank, old_rank = row.get("rank"), was.get("rank")
            if rank is None or old_rank is None or rank == old_rank:
                if was != row:  # not a rank that moved alone: it goes whole
                    changed.append((pos, row))
                    continue
            elif {**was, "rank": rank} != row:
                changed.append((pos, row))
                continue
            else:
                by = int(rank) - int(old_rank)
                if pos != run_end or by != run_by:  # a new run starts here
                    if run_end:
                        runs.append((run_start, run_end - run_start, run_by))
                    run_start, run_by = pos, by
                run_end = pos + 1
        if at < last:
            kept = False
        last = at
    if run_end:
        runs.append((run_start, run_end - run_start, run_by))
    if runs and not kept:
        # A rank that moved with the order (a tie split by a new tie-break) cannot go as a
        # run: the rows a delta leaves out must keep their order. Those rows go whole.
        changed = sorted(changed + [(k, new[k]) for p, n, _ in runs for k in range(p, p + n)])
        runs = []
    return changed, list(before), runs


def _shared_ends(
    old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]
) -> tuple[int, int, int]:
    """Return (low, end of old, end of new): the rows before `low` and after the ends are the
    same objects in both boards, so `board_delta` need not read them (a move shifts only the
    stretch it crossed). Each team is on a board once: what lies between holds the rest."""
    low, end_old, end_new = 0, len(old), len(new)
    while low < end_old and low < end_new and old[low] is new[low]:
        low += 1
    while end_old > low and end_new > low and old[end_old - 1] is new[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    return low, end_old, end_new


# --- named boards and display control (docs/protocol.md 4e) ---------------------------------------

BoardKey = tuple[str, str | None]  # (round id, prize id or None): storage.boards.BoardKey
MAIN_BOARD: BoardKey = (FIRST_ROUND, None)  # the event's main board: the message without `board`


def board_key(name: Mapping[str, Any] | None) -> BoardKey | None:
    """Return the key a wire board name stands for (None or `main` with no prize: the main
    board), or None for a name that names no board (not two strings, or a string and null)."""
    if name is None:
        return MAIN_BOARD
    if not is_board_name(name):
        return None
    return (name["round"], name.get("prize"))


def board_name(key: BoardKey) -> dict[str, Any] | None:
    """Return a board's wire name: None for the main board, which goes without one (4e)."""
    return None if key == MAIN_BOARD else {"round": key[0], "prize": key[1]}


@dataclass(frozen=True)
class BoardFacts:
    """What the rules of 4e need to know of one board of the event."""

    key: BoardKey
    public: bool  # of no hidden prize
    released: bool  # its round is released (the first round: the event's phase)


@dataclass(frozen=True)
class DisplaySettings:
    """The event's display control fields (docs/protocol.md 4e), as board keys."""

    boards: tuple[BoardKey, ...] = ()  # display_boards; () is the main board only
    rotate: int = 20
    reveal_board: BoardKey = MAIN_BOARD

    @classmethod
    def of(cls, setting: Callable[[str], Any]) -> DisplaySettings:
        """Return the settings read with `setting` (storage.state.State.event_setting)."""
        names = setting("display_boards") or []
        keys = tuple(k for n in names if (k := board_key(n)) is not None)
        reveal = board_key(setting("reveal_board")) or MAIN_BOARD
        return cls(keys, int(setting("display_rotate")), reveal)


def named_boards(
    role: str | None,
    vis: Visibility,
    display: DisplaySettings,
    facts: Sequence[BoardFacts],
    team_on: Callable[[BoardKey], bool] | None = None,
) -> list[BoardKey]:
    """Return the boards with a name (all but the main one) a reader of `role` may be sent now,
    in the event's order (docs/protocol.md 4e). `team_on` tells whether the reading team is on
    a board; it is asked only of the public boards of released rounds. A hidden prize's board
    never reaches a team or a display."""
    named = [f for f in facts if f.key != MAIN_BOARD]
    if role == "judge":
        return [f.key for f in named] if vis.judges_see_results else []
    if role == "team":
        return [
            f.key
            for f in named
            if f.public and f.released and team_on is not None and team_on(f.key)
        ]
    if role == "display":
        wanted = {*display.boards, display.reveal_board}
        return [f.key for f in named if f.public and f.key in wanted]
    return []


def display_control(
    vis: Visibility, display: DisplaySettings, facts: Sequence[BoardFacts]
) -> dict[str, Any]:
    """Return what a `display_control` says now, without its timestamp (docs/protocol.md 4e):
    the public boards that exist of `display_boards` (in `reveal` mode the reveal board
    alone), `[null]` when none is left; a reveal board not public is the main board."""
    public = {f.key for f in facts if f.public}
    reveal = display.reveal_board if display.reveal_board in public else MAIN_BOARD
    keys = [reveal] if vis.display_mode == "reveal" else [k for k in display.boards if k in public]
    return {
        "type": "display_control",
        "boards": [board_name(k) for k in keys] or [None],
        "rotate": display.rotate,
        "mode": vis.display_mode,
        "reveal_board": board_name(reveal),
    }


def named_board(
    role: str,
    vis: Visibility,
    rows: Sequence[Row],
    frozen: Sequence[dict[str, Any]] | None = None,
    by_name: Sequence[Row] | None = None,
    staged: bool = False,
) -> tuple[str, list[dict[str, Any]]] | None:
    """Return the mode and rows of a named board that `named_boards` lets a role be sent:
    `live` for judges and teams; a display's in its mode, where `reveal` shows rows only on
    the board on stage (`staged`: the reveal board)."""
    if role == "display":
        return display_board(vis if staged else _unstaged(vis), rows, frozen, by_name)
    if role in ("judge", "team"):
        return "live", [row.wire for row in rows]
    return None


def _unstaged(vis: Visibility) -> Visibility:
    """Return a visibility in which a reveal has revealed nothing (a board not on stage)."""
    if vis.display_mode != "reveal" or not vis.reveal_count:
        return vis
    return Visibility(vis.judges_see_results, vis.released, vis.display_mode, 0)


def main_board_staged(display: DisplaySettings) -> bool:
    """Tell whether the main board is on stage in a reveal: `reveal_board` is null (4e)."""
    return display.reveal_board == MAIN_BOARD
