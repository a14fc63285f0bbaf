"""What the op log and the state say about one sheet, team or judge, and the log as it arrives.

The organiser's desk (issue 12): a sheet's every version and refusal, a team's sheets, a
judge's sheets and harshness, and the activity feed. Building them from rows is pure
(`build_history`, `harshness`); the readers take a replica (this module reads the op log that
the replica writes) and read through indexes: a sheet's ops by the log's (key, hlc) index, a
team's sheets by the scoreboard's judges of the team, a judge's by the state's per-judge
group, the feed newest first by `seq`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from storage.boards import boards
from storage.ops import CORRECTION_KINDS, FIRST_ROUND, Op, round_key
from storage.replica import Replica, _readable
from storage.scoring import sheet_score
from storage.sheets import judge_team_problem, round_criteria, scorable_teams
from storage.state import State

OUTCOMES = ("accepted", "rejected")


@dataclass(frozen=True)
class Logged:
    """An op as the log holds it: the op, its outcome, and where it arrived (`seq`)."""

    op: Op
    status: str
    code: str | None = None
    message: str | None = None
    seq: int = 0


@dataclass(frozen=True)
class Change:
    """One criterion's score from one version to the next (None: not scored)."""

    criterion: str
    old: float | None
    new: float | None


@dataclass(frozen=True)
class Version:
    """One accepted version of a sheet, and what changed from the one before it."""

    op_id: str
    device: str
    device_name: str
    hlc: str
    scores: dict[str, float]
    comment: str
    final: bool
    changes: tuple[Change, ...]  # every criterion scored, for the first version
    comment_changed: bool
    was_final: bool | None  # the version before's final flag; None for the first version
    entered_by: str | None = None  # "admin": entered by the organiser from a paper sheet
    reason: str = ""  # what the organiser typed, for a paper sheet

    @property
    def when_ms(self) -> int:
        """When its device made it (the stamp's wall clock)."""
        return int(self.hlc[:13])


@dataclass(frozen=True)
class Refusal:
    """A submission of a sheet that the host refused, with its reason."""

    op_id: str
    device: str
    device_name: str
    hlc: str
    code: str
    message: str
    body: dict[str, Any]  # {} when the host did not keep it (over 2 KiB)

    @property
    def when_ms(self) -> int:
        """When its device made it (the stamp's wall clock)."""
        return int(self.hlc[:13])


@dataclass(frozen=True)
class Correction:
    """One of the organiser's corrections of a sheet: void, restore, reopen or relock, with
    who made it, when and the reason typed (paper sheets are versions)."""

    op_id: str
    device: str
    device_name: str
    hlc: str
    kind: str
    author: str
    reason: str

    @property
    def when_ms(self) -> int:
        """When it was made (the stamp's wall clock)."""
        return int(self.hlc[:13])


@dataclass(frozen=True)
class SheetHistory:
    """Every accepted version of one judge's sheet for one team and every refusal, in HLC
    order; the last version is the sheet as it stands."""

    judge: str
    team: str
    versions: tuple[Version, ...]
    refusals: tuple[Refusal, ...]
    corrections: tuple[Correction, ...] = ()

    def timeline(self) -> list[Version | Refusal | Correction]:
        """Return versions, refusals and corrections together, oldest first."""
        items: list[Version | Refusal | Correction] = [
            *self.versions,
            *self.refusals,
            *self.corrections,
        ]
        return sorted(items, key=lambda item: _stamp_order(item.hlc, item.op_id))


def _stamp_order(stamp: str, op_id: str) -> tuple[str, int, str]:
    # As the state orders a key's ops (storage.state._order), then by id: a total order.
    return stamp, int(op_id.rsplit("/", 1)[1]), op_id


def device_name(state: State, device: str) -> str:
    """Return the name a device registered with, or a short form of its id."""
    registered = state.device(device)
    name = (registered or {}).get("name")
    return str(name) if name else device[:8]


def _changes(before: Mapping[str, float], after: Mapping[str, float]) -> tuple[Change, ...]:
    return tuple(
        Change(cid, before.get(cid), after.get(cid))
        for cid in sorted(set(before) | set(after))
        if before.get(cid) != after.get(cid)
    )


def build_history(
    judge: str, team: str, logged: Iterable[Logged], names: Mapping[str, str]
) -> SheetHistory:
    """Return a sheet's history from its logged ops, whatever order they come in.

    `names` maps devices to what to call them. Pending ops (a peer's own, unanswered) are
    left out: the history is what the host decided.
    """
    rows = sorted(logged, key=lambda row: _stamp_order(row.op.hlc, row.op.id))
    versions: list[Version] = []
    refusals: list[Refusal] = []
    corrections: list[Correction] = []
    before: Version | None = None
    for row in rows:
        op, body = row.op, row.op.body
        name = names.get(op.device, op.device[:8])
        if row.status == "rejected":
            refusals.append(
                Refusal(op.id, op.device, name, op.hlc, row.code or "", row.message or "", body)
            )
            continue
        if row.status != "accepted":
            continue
        if op.kind in CORRECTION_KINDS and op.kind != "sheet.enter":
            reason = str(body.get("reason") or "").strip()
            corrections.append(
                Correction(op.id, op.device, name, op.hlc, op.kind, op.author, reason)
            )
            continue
        scores = {str(k): float(v) for k, v in body.get("scores", {}).items()}
        comment = str(body.get("comment") or "").strip()
        version = Version(
            op.id,
            op.device,
            name,
            op.hlc,
            scores,
            comment,
            bool(body.get("final")),
            _changes({} if before is None else before.scores, scores),
            comment != ("" if before is None else before.comment),
            None if before is None else before.final,
            op.author if op.kind == "sheet.enter" else None,
            str(body.get("reason") or "").strip() if op.kind == "sheet.enter" else "",
        )
        versions.append(version)
        before = version
    return SheetHistory(judge, team, tuple(versions), tuple(refusals), tuple(corrections))


_LOG_COLUMNS = "id, device, n, hlc, author, kind, body, sig, status, code, message, seq"


def _logged(rows: Iterable[tuple[Any, ...]]) -> list[Logged]:
    return [Logged(op, row[8], row[9], row[10], int(row[11])) for row, op in _readable(rows)]


def sheet_history(
    replica: Replica, judge: str, team: str, round_id: str = FIRST_ROUND
) -> SheetHistory:
    """Return one judge's sheet for one team, every version, refusal and correction (the keys'
    index: the sheet's own, and its void and reopen marks)."""
    keys = [round_key(what, round_id, judge, team) for what in ("sheet", "void", "reopen")]
    rows = replica.db.execute_sql(
        f"SELECT {_LOG_COLUMNS} FROM op WHERE key IN (?, ?, ?) AND status != 'pending'",
        keys,
    ).fetchall()
    logged = _logged(rows)
    names = {row.op.device: device_name(replica.state, row.op.device) for row in logged}
    return build_history(judge, team, logged, names)


# --- a team's and a judge's sheets ---------------------------------------------------------------


@dataclass(frozen=True)
class SheetLine:
    """One sheet as it stands: whose, of which team, its scores, score and comment."""

    judge: str
    judge_name: str
    team: str
    team_name: str
    scores: dict[str, float]
    score: float | None  # the weighted mean 0..100 of the criteria it scores
    comment: str
    final: bool
    hlc: str
    counts: bool  # a final sheet of a live judge for a live team, not void: it is in the total
    voided: bool = False  # kept and shown struck through; counts nowhere
    entered_by: str | None = None  # "admin": a paper sheet the organiser entered
    round: str = FIRST_ROUND  # the round it scores
    round_name: str = ""  # that round's name, when the event has more than one round

    @property
    def when_ms(self) -> int:
        """When its device made the version that stands."""
        return int(self.hlc[:13])


def _sheet_line(
    state: State,
    judge: str,
    team: str,
    criteria: Mapping[str, Any],
    round_id: str = FIRST_ROUND,
    round_name: str = "",
) -> SheetLine:
    entry = state.entries[round_key("sheet", round_id, judge, team)]
    value = entry.value or {}
    judge_value, team_value = state.judge(judge), state.team(team)
    scores = {str(k): float(v) for k, v in value.get("scores", {}).items()}
    final = bool(value.get("final"))
    score = sheet_score(scores, criteria)
    voided = state.voided(round_id, judge, team)
    counted = final and score is not None and judge_value is not None and team_value is not None
    return SheetLine(
        judge,
        judge_value["name"] if judge_value else judge,
        team,
        team_value["name"] if team_value else team,
        scores,
        score,
        str(value.get("comment") or ""),
        final,
        entry.hlc,
        counted and not voided,
        voided,
        value.get("entered_by"),
        round_id,
        round_name,
    )


def _later_sheets(
    state: State, *, judge: str | None = None, team: str | None = None
) -> list[SheetLine]:
    """Return the live sheets of every later round of one judge or one team, by round order
    (each round's by key); their scores are the round's own criteria's."""
    found: list[SheetLine] = []
    for round_ in state.rounds()[1:]:
        round_id = str(round_["id"])
        criteria = {c["id"]: c for c in round_criteria(state, round_id)}
        for key, entry in state.live_entries(f"rsheet/{round_id}/"):
            value = entry.value or {}
            if (judge is None or value.get("judge") == judge) and (
                team is None or value.get("team") == team
            ):
                _, _, who, whom = key.split("/")
                found.append(_sheet_line(state, who, whom, criteria, round_id, round_["name"]))
    return found


def sheet_columns(state: State, sheets: Sequence[SheetLine]) -> tuple[dict[str, Any], ...]:
    """Return the criteria a table of sheets shows: each of their rounds' criteria, then a
    prize's own criteria where a sheet holds them (a sheet for a prize scores those too)."""
    found: dict[str, dict[str, Any]] = {}
    for round_id in dict.fromkeys([FIRST_ROUND, *(s.round for s in sheets)]):
        for criterion in round_criteria(state, round_id):
            found.setdefault(str(criterion["id"]), criterion)
    held = {cid for s in sheets for cid in s.scores}
    for criterion in state.all_criteria():
        cid = str(criterion["id"])
        if criterion.get("prize") and cid in held:
            found.setdefault(cid, criterion)
    return tuple(found.values())


def _round_names(state: State, sheets: list[SheetLine]) -> list[SheetLine]:
    """Name the first round's sheets' round when the event has more than one round."""
    rounds = state.rounds()
    if len(rounds) < 2:
        return sheets
    first = str(rounds[0]["name"])
    return [
        replace(s, round_name=first) if s.round == FIRST_ROUND and not s.round_name else s
        for s in sheets
    ]


@dataclass(frozen=True)
class TeamView:
    """A team's page: who it is, where it stands, and every sheet of it."""

    team: str
    name: str
    location: str
    members: tuple[str, ...]
    rank: int | None
    total: float | None
    judge_count: int
    teams_ranked: int
    expected: int  # live judges who may score it (its planned judge count)
    sheets: tuple[SheetLine, ...]  # by judge name
    # Its place on every board it is on, when the event has more than its one board (prizes,
    # later rounds): (round name, prize name or None, rank or None, total or None, ranked).
    placings: tuple[tuple[str, str | None, int | None, float | None, int], ...] = ()
    # The criteria its table shows (sheet_columns); () when made by hand: the caller's.
    columns: tuple[dict[str, Any], ...] = ()


def placings_of(
    state: State, team: str
) -> tuple[tuple[str, str | None, int | None, float | None, int], ...]:
    """Return a team's place on every (round, prize) board it is on; () for a one-board event.

    The organiser's view: hidden prizes are in it. Computed only for events with prizes or
    later rounds, since a plain event's one board is the page's own rank line.
    """
    if not state.prizes() and len(state.rounds()) < 2:
        return ()
    found = []
    for board in boards(state):
        row = next((r for r in board.rows if r.team_id == team), None)
        if row is not None:
            ranked = sum(1 for r in board.rows if r.rank is not None)
            found.append((board.round_name, board.prize_name, row.rank, row.total_score, ranked))
    return tuple(found)


def team_view(replica: Replica, team: str) -> TeamView | None:
    """Return a live team's page, or None when there is no such team."""
    state, board = replica.state, replica.board
    value = state.team(team)
    if value is None:
        return None
    criteria = {c["id"]: c for c in state.criteria()}
    order = {str(r["id"]): n for n, r in enumerate(state.rounds())}
    sheets = [_sheet_line(state, judge, team, criteria) for judge in board.judges_of(team)]
    sheets.sort(key=lambda s: (s.judge_name.casefold(), s.judge))
    later = _later_sheets(state, team=team)
    later.sort(key=lambda s: s.judge_name.casefold())  # stable: the rounds stay in order
    later.sort(key=lambda s: order[s.round])
    sheets = _round_names(state, [*sheets, *later])
    rows = board.rows()
    row = next((r for r in rows if r.team_id == team), None)
    return TeamView(
        team,
        value["name"],
        str(value.get("location") or ""),
        tuple(value.get("members") or ()),
        None if row is None else row.rank,
        None if row is None else row.total_score,
        0 if row is None else row.judge_count,
        sum(1 for r in rows if r.rank is not None),
        sum(
            1
            for judge_id, judge in state.judges().items()
            if judge_team_problem(
                judge, team, team_exists=True, assigned=state.assigned_teams(judge_id)
            )
            is None
        ),
        tuple(sheets),
        placings_of(state, team),
        sheet_columns(state, sheets),
    )


@dataclass(frozen=True)
class Harshness:
    """How a judge marks: the count, mean and spread (population standard deviation) of the
    scores of its final sheets, 0..100."""

    count: int
    mean: float | None
    spread: float | None


def harshness(scores: Sequence[float]) -> Harshness:
    """Return the count, mean and spread of sheet scores (exact sums: order does not matter)."""
    if not scores:
        return Harshness(0, None, None)
    mean = math.fsum(scores) / len(scores)
    spread = math.sqrt(math.fsum((s - mean) ** 2 for s in scores) / len(scores))
    return Harshness(len(scores), mean, spread)


@dataclass(frozen=True)
class JudgeView:
    """A judge's page: its progress, harshness, devices and every sheet it made."""

    judge: str
    name: str
    final: int  # final sheets of live teams
    drafts: int
    expected: int  # live teams it may score
    harshness: Harshness
    devices: tuple[tuple[str, str], ...]  # (device, name) of its laptops
    sheets: tuple[SheetLine, ...]  # by team name, the first round's, then each later round's
    columns: tuple[dict[str, Any], ...] = ()  # as TeamView's


def judge_view(replica: Replica, judge: str) -> JudgeView | None:
    """Return a live judge's page, or None when there is no such judge."""
    state = replica.state
    value = state.judge(judge)
    if value is None:
        return None
    criteria = {c["id"]: c for c in state.criteria()}
    order = {str(r["id"]): n for n, r in enumerate(state.rounds())}
    sheets = [
        _sheet_line(state, judge, key.rsplit("/", 1)[1], criteria)
        for key, _ in state.live_entries(f"sheet/{judge}/")
    ]
    sheets.sort(key=lambda s: (s.team_name.casefold(), s.team))
    live = [s for s in sheets if state.team(s.team) is not None]
    finals = [s for s in live if s.final]
    later = _later_sheets(state, judge=judge)  # shown, not counted: the counts are the first's
    later.sort(key=lambda s: (s.team_name.casefold(), s.team))
    later.sort(key=lambda s: order[s.round])
    shown = _round_names(state, [*sheets, *later])
    devices = [
        (str(d["device"]), str(d.get("name") or d["device"][:8]))
        for _, d in state.live("device/")
        if d.get("role") == "judge" and d.get("subject") == judge
    ]
    return JudgeView(
        judge,
        value["name"],
        len(finals),
        len(live) - len(finals),
        len(scorable_teams(state, judge)),
        harshness([s.score for s in finals if s.score is not None and not s.voided]),
        tuple(sorted(devices, key=lambda d: (d[1].casefold(), d[0]))),
        tuple(shown),
        sheet_columns(state, shown),
    )


# --- the activity feed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """Which ops the feed shows: about one team, one judge, of one kind, with one outcome."""

    team: str | None = None
    judge: str | None = None
    kind: str | None = None
    outcome: str | None = None  # "accepted" or "rejected"


@dataclass(frozen=True)
class Activity:
    """One op of the log as the feed shows it."""

    seq: int
    op_id: str
    device: str
    device_name: str
    author: str
    kind: str
    judge: str | None  # the judge and team its key names, if any
    team: str | None
    hlc: str
    status: str
    code: str | None
    message: str | None
    body: dict[str, Any]
    round: str = FIRST_ROUND  # the round of the sheet or assignment its key names

    @property
    def when_ms(self) -> int:
        """When its device made it."""
        return int(self.hlc[:13])


def key_subjects(key: str) -> tuple[str | None, str | None]:
    """Return the (judge, team) a merge key names: sheets and assignments both (a later
    round's too), teams and judges their own."""
    parts = key.split("/")
    if parts[0] in ("sheet", "assign", "void", "reopen") and len(parts) == 3:
        return parts[1], parts[2]
    if parts[0] in _LATER_KEYS and len(parts) == 4:
        return parts[2], parts[3]
    if parts[0] == "team" and len(parts) == 2:
        return None, parts[1]
    if parts[0] == "judge" and len(parts) == 2:
        return parts[1], None
    return None, None


def key_round(key: str) -> str:
    """Return the round a sheet's or assignment's merge key is of (the first round's unless
    it is a later round's `r...` key)."""
    parts = key.split("/")
    return parts[1] if parts[0] in _LATER_KEYS and len(parts) == 4 else FIRST_ROUND


# The keys of a judge's sheet for a team and what names both: its assignment and corrections;
# a later round's are these prefixed with "r" (`rsheet/<round>/<judge>/<team>`).
_TEAM_KEYS = ("sheet", "assign", "void", "reopen")
_LATER_KEYS = tuple(f"r{what}" for what in _TEAM_KEYS)


def _later_rounds(state: State) -> list[str]:
    return [str(r["id"]) for r in state.rounds()[1:]]


def _prefix_range(prefix: str) -> tuple[str, str]:
    # Keys that start with `prefix` sort in [prefix, prefix + U+10FFFF): an index range.
    return prefix, prefix + "\U0010ffff"


def _judge_ids(state: State) -> list[str]:
    """Every judge id the state has held, removed ones included (their sheets stay logged)."""
    return [key.split("/", 1)[1] for key in state.keys("judge/")]


def _where(state: State, chosen: Filter) -> tuple[list[str], list[Any]]:
    """Return the SQL conditions and parameters of a filter, each one an index can answer."""
    terms: list[str] = ["status != 'pending'"]
    params: list[Any] = []
    if chosen.team is not None:
        keys = [f"team/{chosen.team}"]
        for judge in _judge_ids(state):
            keys += [f"{what}/{judge}/{chosen.team}" for what in _TEAM_KEYS]
            for round_id in _later_rounds(state):
                keys += [f"{what}/{round_id}/{judge}/{chosen.team}" for what in _LATER_KEYS]
        terms.append(f"key IN ({', '.join('?' * len(keys))})")
        params += keys
    if chosen.judge is not None:
        devices = [
            str(d["device"])
            for _, d in state.live("device/")
            if d.get("role") == "judge" and d.get("subject") == chosen.judge
        ]
        later = _later_rounds(state)
        ranges = len(_TEAM_KEYS) + len(_LATER_KEYS) * len(later)
        ors = ["key = ?", *["(key >= ? AND key < ?)"] * ranges]
        params += [f"judge/{chosen.judge}"]
        for what in _TEAM_KEYS:
            params += [*_prefix_range(f"{what}/{chosen.judge}/")]
        for round_id in later:
            for what in _LATER_KEYS:
                params += [*_prefix_range(f"{what}/{round_id}/{chosen.judge}/")]
        if devices:
            ors.append(f"device IN ({', '.join('?' * len(devices))})")
            params += devices
        terms.append(f"({' OR '.join(ors)})")
    if chosen.kind is not None:
        terms.append("kind = ?")
        params.append(chosen.kind)
    if chosen.outcome is not None:
        terms.append("status = ?")
        params.append(chosen.outcome)
    return terms, params


def activity(
    replica: Replica,
    chosen: Filter = Filter(),
    *,
    limit: int = 200,
    before: int | None = None,
) -> list[Activity]:
    """Return the newest `limit` ops of the log that pass `chosen`, newest first (`before`: only
    ops that arrived before that `seq`, for the next page)."""
    terms, params = _where(replica.state, chosen)
    if before is not None:
        terms.append("seq < ?")
        params.append(before)
    rows = replica.db.execute_sql(
        f"SELECT {_LOG_COLUMNS}, key FROM op WHERE {' AND '.join(terms)} ORDER BY seq DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    keys = {int(row[11]): str(row[12]) for row in rows}
    names: dict[str, str] = {}
    found = []
    for item in _logged(rows):
        op = item.op
        if op.device not in names:
            names[op.device] = device_name(replica.state, op.device)
        judge, team = key_subjects(keys[item.seq])
        found.append(
            Activity(
                item.seq,
                op.id,
                op.device,
                names[op.device],
                op.author,
                op.kind,
                judge,
                team,
                op.hlc,
                item.status,
                item.code,
                item.message,
                op.body,
                key_round(keys[item.seq]),
            )
        )
    return found


def last_seq(replica: Replica) -> int:
    """Return the `seq` of the newest op in the log (0: none)."""
    row = replica.db.execute_sql("SELECT max(seq) FROM op").fetchone()
    return int(row[0] or 0)


def rejections_since(replica: Replica, seq: int) -> int:
    """Return how many refused ops arrived after `seq` (the refusals index)."""
    row = replica.db.execute_sql(
        "SELECT count(*) FROM op WHERE status = 'rejected' AND seq > ?", (seq,)
    ).fetchone()
    return int(row[0])
