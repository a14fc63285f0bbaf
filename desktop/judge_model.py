"""The judge window's view model: which teams a judge scores, their status, sheet checks, wording.

Qt-free. `snapshot` reads a replica once and returns plain values; every other function takes
plain values, so the rules a judge sees (what counts as rejected, what a final sheet needs) are
tested without a window.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop.i18n import QT_TRANSLATE_NOOP, translate
from desktop.i18n import round_name as i18n_round_name
from storage.ops import FIRST_ROUND, merge_key, round_key
from storage.replica import Replica, StoredOp
from storage.rules import judges_may_save, may_save
from storage.scoring import sheet_score
from storage.sheets import (
    SheetProblem,
    board_criteria,
    may_score,
    needs_update,
    on_scale,  # the window's check is the host's (re-exported)
    round_criteria,
    round_judges,
    round_teams,
    scorable_teams,
    score_problems,
    scoring_for,
    step_count,
)
from storage.state import State

NOT_STARTED = "not_started"
DRAFT = "draft"
FINAL = "final"
REJECTED = "rejected"
CONFLICT = "conflict"

# English source texts, marked for lupdate; shown through `translate` (one context: "judge").
STATUS_LABEL = {
    NOT_STARTED: QT_TRANSLATE_NOOP("judge", "Not started"),
    DRAFT: QT_TRANSLATE_NOOP("judge", "Draft"),
    FINAL: QT_TRANSLATE_NOOP("judge", "Final"),
    REJECTED: QT_TRANSLATE_NOOP("judge", "Rejected"),
    CONFLICT: QT_TRANSLATE_NOOP("judge", "Conflict of interest"),
}

WAITING = QT_TRANSLATE_NOOP("judge", "Saved on this laptop · waiting to send")
ACCEPTED = QT_TRANSLATE_NOOP("judge", "Accepted by the host")
LOADING = QT_TRANSLATE_NOOP("judge", "Getting the event from the host…")


@dataclass(frozen=True)
class Sheet:
    """What this replica holds as a judge's sheet for one team, and whether the host has it."""

    scores: Mapping[str, float]
    comment: str
    final: bool
    hlc: str
    delivery: str  # pending (saved here, not yet acknowledged) or accepted
    entered_by: str | None = None  # "admin": the organiser entered it from a paper sheet
    reason: str = ""  # why, for a paper sheet


@dataclass(frozen=True)
class Refusal:
    """A sheet the host rejected: why, and what the judge had entered."""

    hlc: str
    code: str
    message: str
    scores: Mapping[str, float]
    comment: str
    final: bool


@dataclass(frozen=True)
class Prize:
    """A prize a judge scores a team for, as its badge and the sheet's group name it."""

    id: str
    name: str
    sponsor: str = ""


@dataclass(frozen=True)
class CriteriaGroup:
    """Criteria of a sheet that rank the same boards: the round's, or one prize's own.

    `prize` is None for the round's own criteria, which also rank `also_for` (the prizes that
    have no criteria of their own).
    """

    criteria: tuple[Mapping[str, Any], ...]
    prize: Prize | None = None
    also_for: tuple[Prize, ...] = ()


@dataclass(frozen=True)
class TeamRow:
    """One team in the judge's list.

    `status` is the sheet's own state (STATUS_LABEL), one value; what is said beside it
    (`missing`: criteria a final sheet lacks, "needs update") never replaces it.
    """

    id: str
    name: str
    location: str
    members: tuple[str, ...]
    status: str
    sheet: Sheet | None = None
    refusal: Refusal | None = None
    # The organiser's corrections this judge sees (docs/protocol.md 5c): the reason typed for a
    # void sheet, and for a sheet reopened for this judge after lock (None: neither).
    voided: str | None = None
    reopened: str | None = None
    prizes: tuple[Prize, ...] = ()  # the prizes this judge scores the team for (scoring_for)
    groups: tuple[CriteriaGroup, ...] = ()  # the sheet's criteria (sheet_criteria), grouped
    missing: tuple[str, ...] = ()  # names of criteria the final sheet lacks (needs_update)
    added: bool = True  # whether they were all added since the sheet was saved

    @property
    def needs_update(self) -> bool:
        """Whether the final sheet lacks a criterion added since (it stays final meanwhile)."""
        return bool(self.missing)

    @property
    def criteria(self) -> tuple[Mapping[str, Any], ...]:
        """Return every criterion the sheet may hold, group by group."""
        return tuple(c for group in self.groups for c in group.criteria)

    @property
    def scorable(self) -> bool:
        """Whether this judge may score the team."""
        return self.status != CONFLICT

    @property
    def label(self) -> str:
        """The status as its chip reads."""
        return translate("judge", STATUS_LABEL[self.status])

    @property
    def reason(self) -> str:
        """Why the team is not scored normally (a rejection's message, a conflict), else ''."""
        if self.status == REJECTED and self.refusal is not None:
            return self.refusal.message
        if self.status == CONFLICT:
            return translate("judge", "conflict of interest")
        if self.voided is not None:
            return translate("judge", "voided by the organiser: {reason}").format(
                reason=self.voided
            )
        if self.reopened is not None:
            return translate("judge", "reopened for you: {reason}").format(reason=self.reopened)
        return ""

    @property
    def waiting(self) -> bool:
        """Whether the latest saved sheet still waits for the host."""
        return (
            self.status != REJECTED
            and self.sheet is not None
            and self.sheet.delivery != ("accepted")
        )

    def entered(self) -> tuple[dict[str, float], str]:
        """Return the scores and comment the sheet form starts from.

        A rejected sheet shows what the judge entered, so it can be sent again once the reason
        is gone (scoring reopened), rather than silently falling back to an older sheet.
        """
        if self.status == REJECTED and self.refusal is not None:
            return dict(self.refusal.scores), self.refusal.comment
        if self.sheet is not None:
            return dict(self.sheet.scores), self.sheet.comment
        return {}, ""


@dataclass(frozen=True)
class Note:
    """A notification for this judge."""

    id: str
    message: str
    sent_ms: int
    audience: str = "judges"


@dataclass(frozen=True)
class RoundChoice:
    """A round the judge judges, as the round selector lists it."""

    id: str
    name: str
    phase: str


@dataclass(frozen=True)
class Update:
    """A final sheet that lacks a criterion it is now scored on (storage.sheets.needs_update)."""

    round_id: str
    team_id: str
    team_name: str
    missing: tuple[str, ...]  # the criteria's names
    added: bool = True  # each was put after the sheet was saved (else: a prize's, left unscored)


@dataclass(frozen=True)
class JudgeSnapshot:
    """Everything the judge window shows of the replica, at one moment."""

    judge_id: str | None
    judge_name: str
    event_name: str
    phase: str
    judges_see_results: bool
    criteria: tuple[Mapping[str, Any], ...]
    rows: tuple[TeamRow, ...]
    removed: bool = False
    notes: tuple[Note, ...] = field(default=())
    round_id: str = FIRST_ROUND
    rounds: tuple[RoundChoice, ...] = ()  # the rounds this judge judges, when there are several
    updates: tuple[Update, ...] = ()  # every final sheet of this judge that needs an update

    @property
    def open(self) -> bool:
        """Whether sheets may be saved now (PROTOCOL.md 6a: judges save only while scoring)."""
        return judges_may_save(self.phase) and not self.removed

    def may_edit(self, row: TeamRow | None) -> bool:
        """Whether the judge may save this sheet now: scoring is open, or the organiser
        reopened this one sheet after lock."""
        return (self.open or (row is not None and row.reopened is not None)) and not self.removed

    def row(self, team_id: str | None) -> TeamRow | None:
        """Return the row of a team, if listed."""
        return next((r for r in self.rows if r.id == team_id), None)


# --- which teams, in which state ------------------------------------------------------------------


def visible_teams(
    state: State, judge_id: str, round_id: str = FIRST_ROUND
) -> tuple[list[str], list[str]]:
    """Return (teams the judge may score in a round, teams listed greyed for a conflict).

    Which teams a judge may score is the host's rule (storage.sheets). Teams neither scorable
    nor conflicted are not listed at all: they are someone else's to judge, or not finalists.
    """
    judge = state.judge(judge_id) or {}
    conflicts = set(judge.get("conflicts", []))
    if round_id == FIRST_ROUND:
        return scorable_teams(state, judge_id), [t for t in state.teams() if t in conflicts]
    teams = round_teams(state, round_id)
    scorable = [t for t in teams if may_score(state, judge_id, t, round_id) is None]
    return scorable, [t for t in teams if t in conflicts]


def judged_rounds(state: State, judge_id: str) -> list[RoundChoice]:
    """Return the rounds a judge judges, in order (the first round always)."""
    return [
        RoundChoice(r["id"], i18n_round_name(r["name"], r["id"]), state.round_phase(r["id"]))
        for r in state.rounds()
        if r["id"] == FIRST_ROUND or judge_id in round_judges(state, r["id"])
    ]


def default_round(rounds: Sequence[RoundChoice]) -> str:
    """Return the round a judge scores now: the last open for scoring, else the last under way.

    A round in setup has nothing to show yet; with none open or under way, the first round.
    """
    for phase in ("scoring", "locked", "released"):
        found = [r.id for r in rounds if r.phase == phase]
        if found:
            return found[-1]
    return FIRST_ROUND


def team_status(sheet: Sheet | None, refusal: Refusal | None) -> str:
    """Return a scorable team's status: rejected when the judge's latest save was refused."""
    if refusal is not None and (sheet is None or refusal.hlc > sheet.hlc):
        return REJECTED
    if sheet is None:
        return NOT_STARTED
    return FINAL if sheet.final else DRAFT


def sheet_round(body: Mapping[str, Any]) -> str:
    """Return the round a sheet body names (docs/protocol.md 5a: none is the first round)."""
    named = body.get("round")
    return named if isinstance(named, str) and named else FIRST_ROUND


def latest_refusals(
    rejected: Iterable[StoredOp], round_id: str = FIRST_ROUND
) -> dict[str, Refusal]:
    """Return, per team, the newest rejected sheet of this device in a round."""
    found: dict[str, Refusal] = {}
    for stored in rejected:
        op = stored.op
        if op.kind != "sheet.save" or not isinstance(op.body.get("team"), str):
            continue
        if sheet_round(op.body) != round_id:
            continue
        team = op.body["team"]
        if team in found and found[team].hlc >= op.hlc:
            continue
        scores = op.body.get("scores")
        found[team] = Refusal(
            hlc=op.hlc,
            code=stored.code or "invalid",
            message=stored.message or "the host refused this sheet",
            scores=dict(scores) if isinstance(scores, dict) else {},
            comment=str(op.body.get("comment") or ""),
            final=bool(op.body.get("final")),
        )
    return found


def read_sheets(
    state: State,
    judge_id: str,
    delivery_of: Callable[[str], str | None],
    round_id: str = FIRST_ROUND,
) -> dict[str, Sheet]:
    """Return the judge's sheets of a round by team, each with its delivery (`delivery_of`)."""
    # The state indexes keys two levels deep: a later round's are read by round, then judge.
    prefix = f"sheet/{judge_id}/" if round_id == FIRST_ROUND else f"rsheet/{round_id}/"
    sheets: dict[str, Sheet] = {}
    for key, entry in state.live_entries(prefix):
        value = entry.value
        assert value is not None
        if value["judge"] != judge_id:
            continue
        sheets[key.rsplit("/", 1)[1]] = Sheet(
            scores=dict(value["scores"]),
            comment=value.get("comment") or "",
            final=bool(value["final"]),
            hlc=entry.hlc,
            delivery=delivery_of(entry.op_id) or "accepted",
            entered_by=value.get("entered_by"),
            reason=str(value.get("reason") or ""),
        )
    return sheets


def _reason(state: State, what: str, judge_id: str, team_id: str, round_id: str) -> str:
    mark = state.value(round_key(what, round_id, judge_id, team_id)) or {}
    return str(mark.get("reason") or "")


def corrections_of(
    state: State, judge_id: str, team_id: str, round_id: str = FIRST_ROUND
) -> tuple[str | None, str | None]:
    """Return the reasons the judge's sheet for a team in a round is void and is reopened
    (None: not)."""
    voided = state.voided(round_id, judge_id, team_id)
    # Reopened matters only while the round is closed to everyone else (the host's rule).
    reopened = may_save(state, judge_id, team_id, round_id) and not judges_may_save(
        state.round_phase(round_id)
    )
    return (
        _reason(state, "void", judge_id, team_id, round_id) if voided else None,
        _reason(state, "reopen", judge_id, team_id, round_id) if reopened else None,
    )


def _natural(text: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text))


def _prize(value: Mapping[str, Any]) -> Prize:
    return Prize(str(value["id"]), str(value["name"]), str(value.get("sponsor") or ""))


GroupCache = dict[tuple[str | None, ...], tuple[tuple[Prize, ...], tuple[CriteriaGroup, ...]]]


def sheet_groups(
    state: State,
    judge_id: str,
    team_id: str,
    round_id: str = FIRST_ROUND,
    cache: GroupCache | None = None,
) -> tuple[tuple[Prize, ...], tuple[CriteriaGroup, ...]]:
    """Return the prizes a judge scores a team for, and the sheet's criteria grouped.

    The round's criteria come first (they rank the main board, and every prize without
    criteria of its own), then each prize's own, in display order: together exactly
    storage.sheets.sheet_criteria. `cache` (one per state and round) keeps the groups of each
    set of boards: thousands of teams share a few.
    """
    boards = tuple(scoring_for(state, judge_id, team_id, round_id))
    if not boards:
        return (), ()
    if cache is not None and boards in cache:
        return cache[boards]
    prizes = [(p, _prize(p)) for p in state.prizes() if p["id"] in boards]
    main = tuple(round_criteria(state, round_id))
    shared, own = [], []
    for value, prize in prizes:
        criteria = tuple(c for c in board_criteria(state, round_id, value["id"]) if c not in main)
        if criteria:
            own.append(CriteriaGroup(criteria, prize))
        else:
            shared.append(prize)
    found = tuple(p for _, p in prizes), (CriteriaGroup(main, None, tuple(shared)), *own)
    if cache is not None:
        cache[boards] = found
    return found


def team_rows(
    state: State,
    judge_id: str,
    sheets: Mapping[str, Sheet],
    refusals: Mapping[str, Refusal],
    round_id: str = FIRST_ROUND,
    updates: Iterable[Update] = (),
) -> list[TeamRow]:
    """Return the judge's list in a round: scorable teams by table, then conflicted ones, greyed."""
    scorable, conflicted = visible_teams(state, judge_id, round_id)
    found = {u.team_id: u for u in updates if u.round_id == round_id}
    teams = state.teams()
    rows = []
    cache: GroupCache = {}
    for team_id in scorable + conflicted:
        team = teams[team_id]
        sheet, refusal = sheets.get(team_id), refusals.get(team_id)
        status = CONFLICT if team_id in conflicted else team_status(sheet, refusal)
        voided, reopened = corrections_of(state, judge_id, team_id, round_id)
        prizes, groups = sheet_groups(state, judge_id, team_id, round_id, cache)
        rows.append(
            TeamRow(
                id=team_id,
                name=team["name"],
                location=team.get("location") or "",
                members=tuple(team.get("members") or ()),
                status=status,
                sheet=sheet,
                refusal=refusal,
                voided=voided,
                reopened=reopened,
                prizes=prizes,
                groups=groups,
                missing=found[team_id].missing if status == FINAL and team_id in found else (),
                added=found[team_id].added if team_id in found else True,
            )
        )
    rows.sort(key=lambda r: (not r.scorable, _natural(r.location or r.name), r.name.casefold()))
    return rows


def sheet_updates(state: State, judge_id: str) -> list[Update]:
    """Return the judge's final sheets that need an update, with names to show."""
    teams = state.teams()
    found = []
    for round_id, team_id, missing in needs_update(state, judge_id):
        names = tuple(str((state.criterion(c) or {"name": c})["name"]) for c in missing)
        team = teams.get(team_id) or {"name": team_id}
        body = {"team": team_id, "round": None if round_id == FIRST_ROUND else round_id}
        saved = state.entries[merge_key("sheet.save", judge_id, "", body)].hlc
        # Added since, or there before and left unscored (a prize's own, which a final may lack):
        # the window says which, never "added" of a criterion the judge skipped.
        added = all(state.entries[f"criterion/{c}"].hlc > saved for c in missing)
        found.append(Update(round_id, team_id, str(team["name"]), names, added))
    return found


def judge_notes(state: State) -> list[Note]:
    """Return the notifications this judge's replica holds as ops (only those meant for it)."""
    return [
        Note(
            id=key.removeprefix("notify/"),
            message=str(entry.value["message"]),
            sent_ms=int(entry.hlc[:13]),
            audience=str(entry.value.get("audience", "judges")),
        )
        for key, entry in state.live_entries("notify/")
        if entry.value is not None
    ]


def iso_ms(text: object) -> int:
    """Return an ISO 8601 time (as messages carry it) in ms since the epoch; 0 if unreadable."""
    if not isinstance(text, str):
        return 0
    try:
        return int(datetime.fromisoformat(text).timestamp() * 1000)
    except ValueError:
        return 0


def merge_notes(*sources: Iterable[Note | Mapping[str, Any]]) -> list[Note]:
    """Merge notifications from ops and `judge_notification` messages: once each, newest first."""
    found: dict[str, Note] = {}
    for source in sources:
        for item in source:
            note = item if isinstance(item, Note) else _note_from_message(item)
            if note is not None and note.id not in found:
                found[note.id] = note
    return sorted(found.values(), key=lambda n: (n.sent_ms, n.id), reverse=True)


def _note_from_message(data: Mapping[str, Any]) -> Note | None:
    message = data.get("message")
    if not isinstance(message, str):
        return None
    note_id = data.get("id")
    return Note(
        id=str(note_id) if note_id is not None else f"message/{message}",
        message=message,
        sent_ms=iso_ms(data.get("sent") or data.get("timestamp")),
        audience=str(data.get("audience") or "judges"),
    )


def build_snapshot(
    state: State,
    judge_id: str | None,
    sheets: Mapping[str, Sheet],
    refusals: Mapping[str, Refusal],
    notes: Iterable[Note] = (),
    round_id: str = FIRST_ROUND,
) -> JudgeSnapshot:
    """Fold what the replica holds of one round into what the window shows."""
    event = state.event()
    judge = state.judge(judge_id) if judge_id else None
    rounds = judged_rounds(state, judge_id) if judge and judge_id else []
    updates = sheet_updates(state, judge_id) if judge and judge_id else []
    return JudgeSnapshot(
        judge_id=judge_id,
        judge_name=judge["name"] if judge else (judge_id or ""),
        event_name=str(event["name"]),
        phase=state.round_phase(round_id),
        judges_see_results=bool(event["judges_see_results"]),
        criteria=tuple(round_criteria(state, round_id)),
        rows=(
            tuple(team_rows(state, judge_id, sheets, refusals, round_id, updates))
            if judge and judge_id
            else ()
        ),
        removed=judge_id is not None and judge is None and bool(state.teams()),
        notes=tuple(notes),
        round_id=round_id,
        rounds=tuple(rounds) if len(state.rounds()) > 1 else (),
        updates=tuple(updates),
    )


def snapshot(
    replica: Replica,
    judge_id: str | None,
    messages: Iterable[Mapping[str, Any]] = (),
    round_id: str | None = None,
) -> JudgeSnapshot:
    """Read a judge's replica (sheets of a round, outcomes, notifications) once.

    `round_id` None: the round the judge scores now (`default_round`); a round that no longer
    exists, or that the judge does not judge, falls back to it too.
    """
    state = replica.state
    if judge_id is None:
        return build_snapshot(state, None, {}, {}, merge_notes(judge_notes(state), messages))
    judged = judged_rounds(state, judge_id)
    if round_id not in {r.id for r in judged}:
        round_id = default_round(judged)
    assert round_id is not None

    def delivery_of(op_id: str) -> str | None:
        stored = replica.stored(op_id)
        return None if stored is None else stored.status

    return build_snapshot(
        state,
        judge_id,
        read_sheets(state, judge_id, delivery_of, round_id),
        latest_refusals(replica.rejected(judge_id), round_id),
        merge_notes(judge_notes(state), messages),
        round_id,
    )


# --- wording --------------------------------------------------------------------------------------


def heading(snap: JudgeSnapshot) -> str:
    """Return the window's heading: who is judging which event."""
    if not snap.judge_name:
        return snap.event_name
    return translate("judge", "Judging as {judge} · {event}").format(
        judge=snap.judge_name, event=snap.event_name
    )


def progress(rows: Iterable[TeamRow]) -> tuple[int, int]:
    """Return (final sheets, teams to score) over the scorable teams."""
    scorable = [r for r in rows if r.scorable]
    return sum(r.status == FINAL for r in scorable), len(scorable)


def progress_text(rows: Iterable[TeamRow]) -> str:
    """Return "5 of 8 final"."""
    done, total = progress(rows)
    return translate("judge", "{done} of {total} final").format(done=done, total=total)


def next_to_score(rows: Sequence[TeamRow], after: str | None) -> TeamRow | None:
    """Return the first team after `after` in list order (wrapping) that lacks a final sheet."""
    ids = [r.id for r in rows]
    start = ids.index(after) + 1 if after in ids else 0
    for row in [*rows[start:], *rows[:start]]:
        if row.scorable and row.status != FINAL and row.id != after:
            return row
    return None


def next_hint(row: TeamRow | None) -> str:
    """Return what the sheet says once submitted: which team is next, and the key that opens it."""
    if row is None:
        return translate("judge", "Every team you may score has a final sheet.")
    return translate(
        "judge", "Submitted. Press Enter to score {team} next (Ctrl+N at any time)."
    ).format(team=row.name)


NEEDS_UPDATE = QT_TRANSLATE_NOOP("judge", "Needs update")


def filter_rows(rows: Iterable[TeamRow], text: str) -> list[TeamRow]:
    """Return the rows whose name, location, members, status, badges or prizes hold `text`."""
    needle = text.strip().casefold()
    if not needle:
        return list(rows)
    return [r for r in rows if any(needle in part.casefold() for part in _searched(r))]


def _searched(row: TeamRow) -> list[str]:
    parts = [row.name, row.location, row.label, *row.members, *(p.name for p in row.prizes)]
    if row.needs_update:
        parts.append(translate("judge", NEEDS_UPDATE))
    return parts


def order_rows(rows: Iterable[TeamRow], *, updates_first: bool) -> list[TeamRow]:
    """Return the rows with the sheets that need an update first (kept in order) when asked."""
    rows = list(rows)
    return sorted(rows, key=lambda r: not r.needs_update) if updates_first else rows


def updates_banner(updates: Sequence[Update]) -> str | None:
    """Return "2 sheets need an update: Use of open data was added", or None when none do."""
    if not updates:
        return None
    names: list[str] = []
    for update in updates:
        names.extend(n for n in update.missing if n not in names)
    one, added = len(updates) == 1, all(u.added for u in updates)
    if added and len(names) == 1:
        text = (
            "1 sheet needs an update: {criteria} was added"
            if one
            else "{count} sheets need an update: {criteria} was added"
        )
    elif added:
        text = (
            "1 sheet needs an update: {criteria} were added"
            if one
            else "{count} sheets need an update: {criteria} were added"
        )
    else:
        text = (
            "1 sheet needs an update: no score yet for {criteria}"
            if one
            else "{count} sheets need an update: no score yet for {criteria}"
        )
    return translate("judge", text).format(count=len(updates), criteria=", ".join(names))


def update_notice(row: TeamRow, *, open_: bool) -> str:
    """Return the notice over a final sheet that lacks criteria it is now scored on."""
    if not row.needs_update:
        return ""
    if row.added and open_:
        text = (
            "This final sheet has no score for {criteria}, added since you saved it. It still"
            " counts on the criteria it has; score the missing ones and submit it again."
        )
    elif row.added:
        text = (
            "This final sheet has no score for {criteria}, added since you saved it. It"
            " counts on the criteria it has."
        )
    elif open_:
        text = (
            "This final sheet has no score for {criteria}. It counts on the criteria it has;"
            " score the missing ones and submit it again."
        )
    else:
        text = "This final sheet has no score for {criteria}. It counts on the criteria it has."
    return translate("judge", text).format(criteria=", ".join(row.missing))


def group_title(group: CriteriaGroup, round_title: str) -> str:
    """Return a sheet group's heading: a prize's name, or the round's criteria."""
    if group.prize is not None:
        return group.prize.name
    return translate("judge", "{round} criteria").format(round=round_title)


def group_hint(group: CriteriaGroup) -> str:
    """Return what a group's heading says under it: the sponsor, or which prizes share it."""
    if group.prize is not None:
        if group.prize.sponsor:
            return translate("judge", "Sponsored by {sponsor} · scored for this prize only").format(
                sponsor=group.prize.sponsor
            )
        return translate("judge", "Scored for this prize only")
    if group.also_for:
        names = ", ".join(p.name for p in group.also_for)
        return translate("judge", "Also count for {prizes}").format(prizes=names)
    return ""


def round_label(choice: RoundChoice) -> str:
    """Return a round as the selector lists it: "Finals · Scoring open"."""
    phase = translate("judge", PHASE_LABEL.get(choice.phase, choice.phase))
    return translate("judge", "{round} · {phase}").format(round=choice.name, phase=phase)


def empty_round_text(snap: JudgeSnapshot) -> str | None:
    """Return why a later round lists no team (its finalists not chosen yet), or None."""
    if snap.rows or snap.round_id == FIRST_ROUND or snap.removed:
        return None
    return translate(
        "judge", "No team of yours in {round} yet: its teams appear once the organiser picks them."
    ).format(round=round_name(snap))


def round_name(snap: JudgeSnapshot) -> str:
    """Return the name of the round shown ("Round 1" for an event of one round)."""
    for choice in snap.rounds:
        if choice.id == snap.round_id:
            return choice.name
    return translate("judge", "Event")


PHASE_LABEL = {
    "setup": QT_TRANSLATE_NOOP("judge", "Scoring not open yet"),
    "scoring": QT_TRANSLATE_NOOP("judge", "Scoring open"),
    "locked": QT_TRANSLATE_NOOP("judge", "Scoring locked"),
    "released": QT_TRANSLATE_NOOP("judge", "Results released"),
}


def phase_banner(phase: str) -> str | None:
    """Return the read-only banner for a phase in which judges cannot save, or None."""
    if judges_may_save(phase):
        return None
    # Whole sentences, so that each translates as one.
    return {
        "setup": translate(
            "judge",
            "Scoring is closed — it has not opened yet. You can read your teams;"
            " sheets open when it starts.",
        ),
        "locked": translate(
            "judge",
            "Scoring is closed — the organiser has locked the results. Sheets are read-only.",
        ),
        "released": translate(
            "judge", "Scoring is closed — the results have been released. Sheets are read-only."
        ),
    }.get(phase, translate("judge", "Scoring is closed — sheets are read-only."))


def sheet_banner(snap: JudgeSnapshot, row: TeamRow | None) -> str | None:
    """Return the notice over a sheet: its reopening by the organiser, else the phase's."""
    if row is not None and row.reopened is not None and snap.may_edit(row):
        return translate(
            "judge",
            "The organiser reopened this sheet for you: {reason}. Correct it and submit it"
            " final; it is then locked again.",
        ).format(reason=row.reopened)
    return phase_banner(snap.phase)


def delivery_text(row: TeamRow) -> tuple[str, str]:
    """Return what the sheet's status line says, and its style role (ok, pending, error, hint)."""
    if row.voided is not None and row.status != CONFLICT:
        voided = translate(
            "judge", "Voided by the organiser: {reason}. This sheet counts on no board."
        )
        return voided.format(reason=row.voided), "error"
    if (
        row.sheet is not None
        and row.sheet.entered_by is not None
        and row.status != REJECTED
        and row.sheet.delivery == "accepted"
    ):
        paper = translate("judge", "Entered by the organiser from your paper sheet: {reason}")
        return paper.format(reason=row.sheet.reason), "ok"
    if row.status == CONFLICT:
        text = "You have a conflict of interest with this team, so you cannot score it."
        return translate("judge", text), "hint"
    if row.status == REJECTED and row.refusal is not None:
        # The reason is the host's, in English on the wire: only the frame is translated.
        return translate("judge", "Rejected: {reason}").format(reason=row.refusal.message), "error"
    if row.sheet is None:
        return translate("judge", "Not scored yet"), "hint"
    if row.sheet.delivery == "accepted":
        return translate("judge", ACCEPTED), "ok"
    return translate("judge", WAITING), "pending"


SHORT_REASON = {
    "scoring_closed": QT_TRANSLATE_NOOP("judge", "scoring was closed"),
    "out_of_range": QT_TRANSLATE_NOOP("judge", "a score is off the scale"),
    "forbidden": QT_TRANSLATE_NOOP("judge", "not yours to score"),
    "unknown_team": QT_TRANSLATE_NOOP("judge", "team removed"),
    "unknown_criterion": QT_TRANSLATE_NOOP("judge", "criterion removed"),
    "invalid": QT_TRANSLATE_NOOP("judge", "sheet incomplete"),
    "clock_skew": QT_TRANSLATE_NOOP("judge", "laptop clock is wrong"),
}


def short_reason(row: TeamRow) -> str:
    """Return a rejection's reason in a few words, for the team list (the sheet says it all);
    or the organiser's correction of the sheet."""
    if row.status != REJECTED and row.voided is not None:
        return translate("judge", "voided by the organiser")
    if row.status != REJECTED and row.reopened is not None:
        return translate("judge", "reopened for you")
    if row.status != REJECTED or row.refusal is None:
        return row.reason
    return translate(
        "judge", SHORT_REASON.get(row.refusal.code, QT_TRANSLATE_NOOP("judge", "rejected"))
    )


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def rejection_notice(row: TeamRow, *, open_: bool) -> str:
    """Return the banner over a rejected sheet: why, and what the judge can do about it."""
    if row.refusal is None:
        return ""
    why = _sentence(row.refusal.message)
    if open_:
        text = (
            "The host rejected this sheet. {why} Your scores are kept as you entered them:"
            " check them and submit again."
        )
    else:
        text = "The host rejected this sheet. {why} Your scores are kept as you entered them."
    return translate("judge", text).format(why=why)


def format_number(value: float) -> str:
    """Return a score as people write it: 85, 7.5, 0.25 (never 85.0 or 1e-05)."""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


def decimals(criterion: Mapping[str, Any]) -> int:
    """Return how many decimals a criterion's scale needs (its min and step), at most 6."""
    places = 0
    for key in ("min", "step"):
        text = format_number(criterion[key])
        if "." in text:
            places = max(places, len(text.split(".", 1)[1]))
    return min(places, 6)


def is_whole(criterion: Mapping[str, Any]) -> bool:
    """Whether a criterion takes whole numbers only (a QSpinBox suits it)."""
    return all(float(criterion[k]).is_integer() for k in ("min", "max", "step"))


def scale_text(criterion: Mapping[str, Any]) -> str:
    """Return "0–100, step 1"."""
    low, high = format_number(criterion["min"]), format_number(criterion["max"])
    step = format_number(criterion["step"])
    if float(criterion["min"]) < 0:
        return translate("judge", "{low} to {high}, step {step}").format(
            low=low, high=high, step=step
        )
    return translate("judge", "{low}–{high}, step {step}").format(low=low, high=high, step=step)


def weight_text(criterion: Mapping[str, Any], criteria: Iterable[Mapping[str, Any]]) -> str:
    """Return "weight 2 (40%)": the weight and its share of the sheet."""
    total = math.fsum(float(c["weight"]) for c in criteria)
    share = float(criterion["weight"]) / total * 100 if total else 0.0
    weight = format_number(criterion["weight"])
    return translate("judge", "weight {weight} ({share:.0f}%)").format(weight=weight, share=share)


def steps(criterion: Mapping[str, Any]) -> int:
    """Return how many steps a criterion's scale has from min to max."""
    return step_count(criterion)


def snap(value: float, criterion: Mapping[str, Any]) -> float | int:
    """Return `value` moved onto the criterion's scale: within min..max, on the step grid."""
    low, step = float(criterion["min"]), float(criterion["step"])
    # Half a step rounds up (7.25 on a 0.5 grid is 7.5), as people round, not to even.
    index = min(max(math.floor((float(value) - low) / step + 0.5), 0), steps(criterion))
    snapped = round(low + index * step, decimals(criterion))
    return int(snapped) if is_whole(criterion) else snapped


def off_scale_text(typed: str, value: float, criterion: Mapping[str, Any]) -> str | None:
    """Return what to tell a judge who typed `value` off the criterion's scale (None: on it)."""
    if on_scale(value, criterion):
        return None
    return translate("judge", "{typed} is not on the scale {scale}: the score is {score}.").format(
        typed=typed, scale=scale_text(criterion), score=format_number(snap(value, criterion))
    )


def sheet_problems(
    criteria: Iterable[Mapping[str, Any]],
    scores: Mapping[str, float],
    *,
    final: bool,
    required: Iterable[Mapping[str, Any]] | None = None,
) -> list[str]:
    """Return why the host would refuse a sheet as it is (empty: it would not), in plain words.

    `required`: what a final sheet must score (the round's criteria), all of `criteria` if None.
    """
    criteria = list(criteria)
    order = {c["id"]: index for index, c in enumerate(criteria)}
    found = score_problems(criteria, scores, final=final, required=required)
    # Stable: problems of no listed criterion, then what a final sheet lacks, stay last.
    found.sort(key=lambda p: len(order) if p.criterion is None else order[p.criterion["id"]])
    return [_problem_text(problem) for problem in found]


def _problem_text(problem: SheetProblem) -> str:
    criterion, value = problem.criterion, problem.value
    if problem.code == "out_of_range" and criterion is not None and value is not None:
        shown = format_number(value)
        return translate("judge", "{name} takes {scale}; {shown} is not one of them.").format(
            name=criterion["name"], scale=scale_text(criterion), shown=shown
        )
    if problem.missing:
        names = ", ".join(c["name"] for c in problem.missing)
        return translate("judge", "Score every criterion before submitting: {names}.").format(
            names=names
        )
    return _sentence(problem.message)


def score_preview(criteria: Iterable[Mapping[str, Any]], scores: Mapping[str, float]) -> str:
    """Return the sheet's score as the leaderboard will count it ("87.67 / 100"), or "–"."""
    score = sheet_score(scores, {c["id"]: c for c in criteria})
    return "–" if score is None else f"{score:.2f} / 100"


def board_rows(board: Mapping[str, Any] | None) -> list[tuple[str, str, str, str]]:
    """Return a leaderboard's rows as (rank, team, total, final sheets) texts."""
    rows = []
    for row in (board or {}).get("data") or []:
        if not isinstance(row, Mapping):
            continue
        rank, total = row.get("rank"), row.get("total_score")
        rows.append(
            (
                "–" if rank is None else str(rank),
                str(row.get("team_name", "")),
                "–" if not isinstance(total, int | float) else f"{total:.2f}",
                str(row.get("judge_count", 0)),
            )
        )
    return rows


def clock_text(ms: int) -> str:
    """Return a local wall-clock time, "14:05"."""
    if ms <= 0:
        return ""
    return datetime.fromtimestamp(ms / 1000).strftime("%H:%M")
