"""What the console's desk shows (a team, a judge, a sheet's history, the activity feed), as text.

The pages in desktop/host/ (team_page, judge_page, sheet_page, activity) render these values;
`storage.history` reads them from the replica. No Qt here beyond `translate`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.i18n import QT_TRANSLATE_NOOP, translate
from desktop.i18n import round_name as i18n_round_name
from desktop.judge_model import format_number
from storage.history import (
    Activity,
    Correction,
    JudgeView,
    Refusal,
    SheetHistory,
    SheetLine,
    TeamView,
    Version,
)
from storage.ops import CORRECTION_KINDS, FIRST_ROUND
from storage.rules import permission

DASH = "—"
# The op kinds as the feed names them (shown through translate).
KINDS: dict[str, str] = {
    "sheet.save": QT_TRANSLATE_NOOP("desk", "Sheet"),
    "event.set": QT_TRANSLATE_NOOP("desk", "Event setting"),
    "team.put": QT_TRANSLATE_NOOP("desk", "Team saved"),
    "team.del": QT_TRANSLATE_NOOP("desk", "Team removed"),
    "criterion.put": QT_TRANSLATE_NOOP("desk", "Criterion saved"),
    "criterion.del": QT_TRANSLATE_NOOP("desk", "Criterion removed"),
    "judge.put": QT_TRANSLATE_NOOP("desk", "Judge saved"),
    "judge.del": QT_TRANSLATE_NOOP("desk", "Judge removed"),
    "assign.put": QT_TRANSLATE_NOOP("desk", "Assignment"),
    "device.put": QT_TRANSLATE_NOOP("desk", "Device paired"),
    "device.revoke": QT_TRANSLATE_NOOP("desk", "Device revoked"),
    "notify": QT_TRANSLATE_NOOP("desk", "Notification"),
    "prize.put": QT_TRANSLATE_NOOP("desk", "Prize saved"),
    "prize.del": QT_TRANSLATE_NOOP("desk", "Prize removed"),
    "round.put": QT_TRANSLATE_NOOP("desk", "Round saved"),
    "round.del": QT_TRANSLATE_NOOP("desk", "Round removed"),
    "round.phase": QT_TRANSLATE_NOOP("desk", "Round phase"),
    "finalist.put": QT_TRANSLATE_NOOP("desk", "Finalist chosen or dropped"),
    "sheet.void": QT_TRANSLATE_NOOP("desk", "Sheet voided"),
    "sheet.restore": QT_TRANSLATE_NOOP("desk", "Sheet restored"),
    "sheet.reopen": QT_TRANSLATE_NOOP("desk", "Sheet reopened"),
    "sheet.relock": QT_TRANSLATE_NOOP("desk", "Sheet relocked"),
    "sheet.enter": QT_TRANSLATE_NOOP("desk", "Paper sheet entered"),
}
# How a sheet's history names each correction (the paper sheet is a version, named apart).
CORRECTION_NAMES: dict[str, str] = {
    "sheet.void": QT_TRANSLATE_NOOP("desk", "Voided by the organiser"),
    "sheet.restore": QT_TRANSLATE_NOOP("desk", "Restored by the organiser"),
    "sheet.reopen": QT_TRANSLATE_NOOP("desk", "Reopened for the judge"),
    "sheet.relock": QT_TRANSLATE_NOOP("desk", "Relocked by the organiser"),
}
OUTCOME_NAMES = {
    "accepted": QT_TRANSLATE_NOOP("desk", "Accepted"),
    "rejected": QT_TRANSLATE_NOOP("desk", "Refused"),
}
FEED_LIMIT = 200  # the feed shows the newest ops; older ones are a filter away


def clock_text(ms: int) -> str:
    """Return a moment as the console shows it: 14:05:09 today's style, local time."""
    return time.strftime("%H:%M:%S", time.localtime(ms / 1000))


def score_text(value: float | None) -> str:
    """Return a sheet score (0..100) to 2 decimals, or a dash."""
    return DASH if value is None else f"{value:.2f}"


def _mark(value: float | None) -> str:
    return DASH if value is None else format_number(value)


def _state(final: bool) -> str:
    return translate("desk", "Final") if final else translate("desk", "Draft")


def sheet_state(final: bool, voided: bool, entered_by: str | None) -> str:
    """Return a sheet's state cell: final or draft, from paper, void."""
    text = _state(final)
    if entered_by:
        text = translate("desk", "{state} (paper)").format(state=text)
    if voided:
        text = translate("desk", "Void · {state}").format(state=text)
    return text


@dataclass(frozen=True)
class SheetRow:
    """One sheet in a team's or judge's table: which sheet it opens, and its cells; or a
    round's heading (`heading`: its one cell is the round's name and it opens nothing)."""

    judge: str
    team: str
    cells: list[str]
    counts: bool  # in the team's total (else greyed: a draft, or a removed judge or team)
    voided: bool = False  # shown struck through
    round: str = FIRST_ROUND
    heading: bool = False


@dataclass(frozen=True)
class SheetTable:
    """A table of sheets: its headers and rows."""

    headers: list[str]
    rows: list[SheetRow]


def sheet_table(
    sheets: Sequence[SheetLine], criteria: Sequence[Mapping[str, Any]], first: str
) -> SheetTable:
    """Return sheets as rows: `first` (judge or team name), each criterion, score, state,
    when, comment; under a heading row per round when the sheets name their rounds."""
    headers = [
        translate("desk", "Judge") if first == "judge" else translate("desk", "Team"),
        *(str(c["name"]) for c in criteria),
        translate("desk", "Score"),
        translate("desk", "State"),
        translate("desk", "Saved"),
        translate("desk", "Comment"),
    ]
    rows: list[SheetRow] = []
    heading: tuple[str, str] | None = None
    for line in sheets:
        if line.round_name and (line.round, line.round_name) != heading:
            heading = (line.round, line.round_name)
            name = i18n_round_name(line.round_name, line.round)
            rows.append(SheetRow("", "", [name], True, round=line.round, heading=True))
        who = line.judge_name if first == "judge" else line.team_name
        cells = [
            who,
            *(_mark(line.scores.get(str(c["id"]))) for c in criteria),
            score_text(line.score),
            sheet_state(line.final, line.voided, line.entered_by),
            clock_text(line.when_ms),
            line.comment.replace("\n", " "),
        ]
        rows.append(SheetRow(line.judge, line.team, cells, line.counts, line.voided, line.round))
    return SheetTable(headers, rows)


@dataclass(frozen=True)
class TeamPageView:
    """A team's page: its title, the facts under it, and its sheets."""

    team: str
    title: str
    facts: str
    standing: str
    table: SheetTable
    placings: str = ""  # its place on each board, one line each, when it is on more than one


def placings_text(view: TeamView) -> str:
    """Return a team's place on each of its boards, one line each ("" for a one-board event)."""
    lines = []
    for round_name, prize, rank, total, ranked in view.placings:
        shown = i18n_round_name(round_name, None)
        board = shown if prize is None else f"{shown} · {prize}"
        if rank is None:
            place = translate("desk", "not ranked yet")
        else:
            place = translate("desk", "rank {rank} of {ranked} · total {total}").format(
                rank=rank, ranked=ranked, total=score_text(total)
            )
        lines.append(f"{board}: {place}")
    return "\n".join(lines)


def team_page_view(view: TeamView, criteria: Sequence[Mapping[str, Any]]) -> TeamPageView:
    """Return a team's page."""
    facts = [view.location] if view.location else []
    if view.members:
        facts.append(", ".join(view.members))
    if view.rank is None:
        standing = translate("desk", "Not ranked yet: no final sheet counts.")
    else:
        standing = translate(
            "desk", "Rank {rank} of {ranked} · total {total} · {count} of {expected} final"
        ).format(
            rank=view.rank,
            ranked=view.teams_ranked,
            total=score_text(view.total),
            count=view.judge_count,
            expected=view.expected,
        )
    return TeamPageView(
        view.team,
        view.name,
        " · ".join(facts),
        standing,
        sheet_table(view.sheets, view.columns or criteria, "judge"),
        placings_text(view),
    )


@dataclass(frozen=True)
class JudgePageView:
    """A judge's page: its title, progress, harshness, laptops and sheets."""

    judge: str
    title: str
    progress: str
    harshness: str
    devices: str
    table: SheetTable


def judge_page_view(view: JudgeView, criteria: Sequence[Mapping[str, Any]]) -> JudgePageView:
    """Return a judge's page."""
    progress = translate("desk", "{final} of {expected} final · {drafts} drafts").format(
        final=view.final, expected=view.expected, drafts=view.drafts
    )
    marks = view.harshness
    if marks.count == 0 or marks.mean is None or marks.spread is None:
        harsh = translate("desk", "No final sheet yet: nothing to say about how this judge marks.")
    else:
        harsh = translate(
            "desk", "Marks: mean {mean}, spread {spread} over {count} final sheets (0–100)"
        ).format(mean=score_text(marks.mean), spread=score_text(marks.spread), count=marks.count)
    devices = ", ".join(name for _, name in view.devices) or translate("desk", "No laptop paired")
    return JudgePageView(
        view.judge,
        view.name,
        progress,
        harsh,
        translate("desk", "Laptops: {devices}").format(devices=devices),
        sheet_table(view.sheets, view.columns or criteria, "team"),
    )


@dataclass(frozen=True)
class HistoryLine:
    """One entry of a sheet's history: when, who, what happened, the score then."""

    op_id: str
    when: str
    who: str
    what: str
    detail: str
    refused: bool
    correction: bool = False  # an organiser's correction (a paper sheet too): it stands out


@dataclass(frozen=True)
class HistoryView:
    """A sheet's history, newest first, and the sheet as it stands."""

    judge: str
    team: str
    title: str
    standing: str
    lines: list[HistoryLine]
    round: str = FIRST_ROUND


def _change_text(history_line: Any, names: Mapping[str, str]) -> str:
    parts = [
        f"{names.get(c.criterion, c.criterion)} {_mark(c.old)} → {_mark(c.new)}"
        for c in history_line.changes
    ]
    if history_line.comment_changed:
        parts.append(translate("desk", "comment changed"))
    return "; ".join(parts) or translate("desk", "no change")


def history_view(
    found: SheetHistory,
    judge_name: str,
    team_name: str,
    criteria: Sequence[Mapping[str, Any]],
    round_id: str = FIRST_ROUND,
    round_name: str = "",
) -> HistoryView:
    """Return a sheet's history as lines, newest first (`round_name`: said in the title, for
    an event of more than one round)."""
    names = {str(c["id"]): str(c["name"]) for c in criteria}
    lines = []
    for item in found.timeline():
        if isinstance(item, Refusal):
            what = translate("desk", "Refused ({code})").format(code=item.code)
            lines.append(
                HistoryLine(
                    item.op_id, clock_text(item.when_ms), item.device_name, what, item.message, True
                )
            )
            continue
        if isinstance(item, Correction):
            lines.append(_correction_line(item))
            continue
        what = _version_what(item)
        detail = _change_text(item, names)
        if item.comment_changed and item.comment:
            detail += " · “" + item.comment.replace("\n", " ") + "”"
        paper = item.entered_by is not None
        if paper:
            what = translate("desk", "Entered from paper by the organiser · {what}").format(
                what=what
            )
            detail = (
                translate("desk", "Reason: {reason}").format(reason=item.reason) + " · " + detail
            )
        lines.append(
            HistoryLine(
                item.op_id,
                clock_text(item.when_ms),
                item.device_name,
                what,
                detail,
                False,
                paper,
            )
        )
    lines.reverse()
    title, standing = _history_heading(found, judge_name, team_name)
    if round_name:
        title = translate("desk", "{sheet} · {round}").format(
            sheet=title, round=i18n_round_name(round_name, round_id)
        )
    return HistoryView(found.judge, found.team, title, standing, lines, round_id)


def _correction_line(item: Correction) -> HistoryLine:
    who = translate("desk", "Organiser ({device})").format(device=item.device_name)
    what = translate("desk", CORRECTION_NAMES.get(item.kind, item.kind))
    detail = translate("desk", "Reason: {reason}").format(reason=item.reason)
    return HistoryLine(item.op_id, clock_text(item.when_ms), who, what, detail, False, True)


def _version_what(item: Version) -> str:
    if item.was_final is None:
        return translate("desk", "First saved as final") if item.final else _first_draft()
    if item.final and not item.was_final:
        return translate("desk", "Draft → final")
    if item.was_final and not item.final:
        return translate("desk", "Final → draft")
    if item.final:
        return translate("desk", "Saved again as final")
    return translate("desk", "Saved again as draft")


def _history_heading(found: SheetHistory, judge_name: str, team_name: str) -> tuple[str, str]:
    """Return a history's title and the line under it: the sheet as it stands."""
    title = translate("desk", "{judge}'s sheet for {team}").format(judge=judge_name, team=team_name)
    versions, refusals = len(found.versions), len(found.refusals)
    counts = (
        translate("desk", "1 version, {refusals} refused")
        if versions == 1
        else translate("desk", "{versions} versions, {refusals} refused")
    )
    standing = counts.format(versions=versions, refusals=refusals)
    if found.versions:
        last = found.versions[-1]
        standing = (
            translate("desk", "Stands as {state}, saved {when}.").format(
                state=_state(last.final).lower(), when=clock_text(last.when_ms)
            )
            + " "
            + standing
        )
    voids = [c for c in found.corrections if c.kind in ("sheet.void", "sheet.restore")]
    if voids and voids[-1].kind == "sheet.void":
        standing = translate("desk", "VOID: counts on no board.") + " " + standing
    return title, standing


def _first_draft() -> str:
    return translate("desk", "First saved as draft")


@dataclass(frozen=True)
class ActivityLine:
    """One op in the feed: where it arrived, its cells, and the sheet it opens (if any)."""

    seq: int
    cells: list[str]
    refused: bool
    sheet: tuple[str, str, str] | None  # (judge, team, round) of a sheet op


@dataclass(frozen=True)
class ActivityView:
    """The feed's rows, newest first, what the filters offer, and the line under the table."""

    lines: list[ActivityLine]
    teams: list[tuple[str, str]]  # (id, name) the team filter offers, by name
    judges: list[tuple[str, str]]
    summary: str
    newest: int  # the seq of the newest op shown (0: none)


def _summary(item: Activity, criteria: Mapping[str, str]) -> str:
    if item.status == "rejected":
        return item.message or ""
    body = item.body
    if item.kind in ("sheet.save", "sheet.enter"):
        marks = ", ".join(
            f"{criteria.get(str(k), str(k))} {_mark(float(v))}"
            for k, v in sorted(body.get("scores", {}).items())
        )
        text = f"{_state(bool(body.get('final')))}: {marks}"
        return text if item.kind == "sheet.save" else f"{text} · {body.get('reason', '')}"
    if item.kind in CORRECTION_KINDS:
        return str(body.get("reason", ""))
    if item.kind == "event.set":
        return f"{body.get('field')} = {body.get('value')}"
    if item.kind == "notify":
        return str(body.get("message", ""))
    if item.kind == "assign.put":
        return (
            translate("desk", "assigned")
            if body.get("assigned")
            else translate("desk", "unassigned")
        )
    return str(body.get("name") or body.get("id") or body.get("device") or "")


def activity_view(
    items: Sequence[Activity],
    teams: Mapping[str, Mapping[str, Any]],
    judges: Mapping[str, Mapping[str, Any]],
    criteria: Sequence[Mapping[str, Any]],
) -> ActivityView:
    """Return the feed's lines: time, outcome, kind, who, team, and what it said or why not."""
    names = {str(c["id"]): str(c["name"]) for c in criteria}
    lines = []
    for item in items:
        judge = judges.get(item.judge or "", {}).get("name") or item.judge or ""
        team = teams.get(item.team or "", {}).get("name") or item.team or ""
        if item.author == "admin":
            who = translate("desk", "Organiser")  # the console's own ops
        else:
            who = f"{judge or item.author} ({item.device_name})"
        outcome = translate("desk", OUTCOME_NAMES.get(item.status, item.status))
        if item.code:
            outcome += f" · {item.code}"
        lines.append(
            ActivityLine(
                item.seq,
                [
                    clock_text(item.when_ms),
                    outcome,
                    translate("desk", KINDS.get(item.kind, item.kind)),
                    who,
                    team,
                    _summary(item, names),
                ],
                item.status == "rejected",
                (item.judge, item.team, item.round)
                if item.kind in ("sheet.save", *CORRECTION_KINDS) and item.judge and item.team
                else None,
            )
        )
    shown = len(lines)
    if shown >= FEED_LIMIT:
        summary = translate("desk", "The newest {count} ops; filter to see older ones.")
    elif shown == 1:
        summary = translate("desk", "1 op.")
    else:
        summary = translate("desk", "{count} ops.")
    refused = sum(1 for line in lines if line.refused)
    if refused == 1:
        summary += " " + translate("desk", "1 refused.")
    elif refused:
        summary += " " + translate("desk", "{refused} refused.").format(refused=refused)
    return ActivityView(
        lines,
        sorted(((tid, t["name"]) for tid, t in teams.items()), key=lambda p: p[1].casefold()),
        sorted(((jid, j["name"]) for jid, j in judges.items()), key=lambda p: p[1].casefold()),
        summary.format(count=shown),
        max((line.seq for line in lines), default=0),
    )


def activity_nav_text(title: str, unseen: int) -> tuple[str, str]:
    """Return the Activity nav item's text (its title, and the refusals not yet looked at, as
    narrow as the nav is) and its tooltip."""
    if unseen <= 0:
        return title, ""
    tip = (
        translate("desk", "1 refused op not yet looked at")
        if unseen == 1
        else translate("desk", "{count} refused ops not yet looked at").format(count=unseen)
    )
    return f"{title} ({unseen})", tip


# --- corrections (issue 12): what the sheet page offers, and what each confirmation says --------


@dataclass(frozen=True)
class SheetFacts:
    """What decides a sheet's corrections: whether it exists or is void, the round's phase,
    and whether it is reopened."""

    exists: bool
    voided: bool
    phase: str
    reopened: bool


@dataclass(frozen=True)
class SheetActions:
    """Which corrections the sheet page offers now (kind -> enabled), and why others are not."""

    enabled: dict[str, bool]
    hint: str


def sheet_actions(facts: SheetFacts) -> SheetActions:
    """Return which corrections apply to a sheet: the permission matrix's phase, then its state."""
    allowed = {kind: permission("admin", kind, facts.phase) == "ok" for kind in CORRECTION_KINDS}
    enabled = {
        "sheet.void": allowed["sheet.void"] and facts.exists and not facts.voided,
        "sheet.restore": allowed["sheet.restore"] and facts.voided,
        "sheet.reopen": allowed["sheet.reopen"] and not facts.reopened,
        "sheet.relock": facts.reopened,
        "sheet.enter": allowed["sheet.enter"],
    }
    if facts.phase == "setup":
        hint = translate("desk", "Corrections open once scoring has started.")
    elif facts.reopened:
        hint = translate(
            "desk", "Reopened: the judge may save this sheet until it is final or relocked."
        )
    elif facts.phase != "locked":
        hint = translate("desk", "Reopening is for a locked round; the judge can still save now.")
    else:
        hint = ""
    return SheetActions(enabled, hint)


def total_text(total: tuple[float | None, int]) -> str:
    """Return a team's total and its counted sheets, as a confirmation says it."""
    score, count = total
    if score is None or count == 0:
        return translate("desk", "no total (no final sheet counts)")
    return translate("desk", "{total} from {count} final sheets").format(
        total=score_text(score), count=count
    )


def correction_question(
    kind: str,
    judge_name: str,
    team_name: str,
    before: tuple[float | None, int],
    after: tuple[float | None, int],
) -> tuple[str, str, str]:
    """Return a correction's (title, question, button): what it changes, total before/after."""
    names = {"judge": judge_name, "team": team_name}
    change = translate("desk", "{team}'s total: {before} → {after}.").format(
        team=team_name, before=total_text(before), after=total_text(after)
    )
    if kind == "sheet.void":
        title, action = translate("desk", "Void sheet"), translate("desk", "Void")
        text = translate(
            "desk",
            "Void {judge}'s sheet for {team}? It is kept and shown struck through,"
            " and counts on no board.",
        )
    elif kind == "sheet.restore":
        title, action = translate("desk", "Restore sheet"), translate("desk", "Restore")
        text = translate("desk", "Restore {judge}'s sheet for {team}? It counts again.")
    elif kind == "sheet.reopen":
        title, action = translate("desk", "Reopen for the judge"), translate("desk", "Reopen")
        text = translate(
            "desk",
            "Let {judge} save the sheet for {team} again, though the round is locked?"
            " It relocks when they save it final, or when you relock it.",
        )
        change = translate("desk", "{team}'s total stays {before} until they save.").format(
            team=team_name, before=total_text(before)
        )
    elif kind == "sheet.relock":
        title, action = translate("desk", "Relock sheet"), translate("desk", "Relock")
        text = translate("desk", "Relock {judge}'s sheet for {team}? They can no longer save it.")
    else:
        title, action = translate("desk", "Enter paper sheet"), translate("desk", "Enter sheet")
        text = translate(
            "desk", "Enter this sheet as {judge}'s for {team}, marked as entered by the organiser?"
        )
    question = text.format(**names) + "\n\n" + change + "\n\n"
    question += translate("desk", "Type the reason; it is kept in the sheet's history.")
    return title, question, action
