"""What the organiser's console shows and the op bodies it makes, as plain values (no Qt).

The console's widgets render these rows and send these bodies through `HostController`; the
logic lives here so that it can be tested without a window.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop.i18n import QT_TRANSLATE_NOOP, round_name, translate
from storage.admin import Assignment, JudgeProgress, slugify
from storage.boards import Board
from storage.ops import DISPLAY_DEFAULTS, FIRST_ROUND, TIE_MEDIAN, TIE_SHEETS
from storage.scoring import Row
from storage.sheets import (
    CriterionImpact,
    judge_team_problem,
    may_score,
    round_judges,
    round_teams,
)
from storage.state import State
from sync import feeds
from sync.discovery import JoinLink
from sync.web import team_link

# --- names shown for protocol values ---------------------------------------------------------

# Shown through translate("host", ...) where they are shown.
PHASES: dict[str, tuple[str, str]] = {
    "setup": (
        QT_TRANSLATE_NOOP("host", "Setup"),
        QT_TRANSLATE_NOOP("host", "Build the event. Judges can connect, but cannot score yet."),
    ),
    "scoring": (
        QT_TRANSLATE_NOOP("host", "Scoring"),
        QT_TRANSLATE_NOOP("host", "Judges score their teams. Criteria can still be corrected."),
    ),
    "locked": (
        QT_TRANSLATE_NOOP("host", "Locked"),
        QT_TRANSLATE_NOOP(
            "host", "Scores are frozen: nothing that changes the results can change."
        ),
    ),
    "released": (
        QT_TRANSLATE_NOOP("host", "Released"),
        QT_TRANSLATE_NOOP("host", "Teams see the leaderboard and their own scores and comments."),
    ),
}
# Each phase as a move to it: the button that confirms it, and the sentence that says it is done.
PHASE_MOVES: dict[str, tuple[str, str]] = {
    "setup": (
        QT_TRANSLATE_NOOP("host", "Back to setup"),
        QT_TRANSLATE_NOOP("host", "The event is back in setup."),
    ),
    "scoring": (
        QT_TRANSLATE_NOOP("host", "Open scoring"),
        QT_TRANSLATE_NOOP("host", "Scoring is open."),
    ),
    "locked": (
        QT_TRANSLATE_NOOP("host", "Lock scoring"),
        QT_TRANSLATE_NOOP("host", "Scoring is locked."),
    ),
    "released": (
        QT_TRANSLATE_NOOP("host", "Release results"),
        QT_TRANSLATE_NOOP("host", "The results are released."),
    ),
}
DISPLAY_MODES: dict[str, tuple[str, str]] = {
    "live": (
        QT_TRANSLATE_NOOP("host", "Live"),
        QT_TRANSLATE_NOOP("host", "The full leaderboard, updated as sheets arrive."),
    ),
    "progress": (
        QT_TRANSLATE_NOOP("host", "Judging in progress"),
        QT_TRANSLATE_NOOP("host", "Team names and how many judges have scored them."),
    ),
    "frozen": (
        QT_TRANSLATE_NOOP("host", "Frozen"),
        QT_TRANSLATE_NOOP("host", "The board as it is now, until you pick another mode."),
    ),
    "reveal": (
        QT_TRANSLATE_NOOP("host", "Reveal"),
        QT_TRANSLATE_NOOP("host", "Only the places revealed so far, from last place up."),
    ),
}
ROLES = {
    "judge": QT_TRANSLATE_NOOP("host", "Judge"),
    "team": QT_TRANSLATE_NOOP("host", "Team"),
    "display": QT_TRANSLATE_NOOP("host", "Display"),
    "admin": QT_TRANSLATE_NOOP("host", "Host"),
}
AUDIENCES: list[tuple[str, str]] = [
    ("all", QT_TRANSLATE_NOOP("host", "Everybody")),
    ("judges", QT_TRANSLATE_NOOP("host", "All judges")),
    ("teams", QT_TRANSLATE_NOOP("host", "All teams")),
    ("judge", QT_TRANSLATE_NOOP("host", "One judge")),
    ("team", QT_TRANSLATE_NOOP("host", "One team")),
]
# A peer warns its user past this offset (PROTOCOL.md section 6); the console flags it too.
CLOCK_WARNING_MS = 60_000


# --- ids and bodies --------------------------------------------------------------------------

ID_PREFIXES = {"team": "team", "judge": "judge", "criterion": ""}


def used_ids(state: State, kind: str) -> set[str]:
    """Return every id a team, judge or criterion ever had, removed ones included.

    A removed id is never given out again: old sheets, assignments and join codes still name it,
    and a new entity under that id would inherit them.
    """
    prefix = f"{kind}/"
    return {key[len(prefix) :] for key in state.entries if key.startswith(prefix)}


def number(value: float) -> int | float:
    """Return a whole float as an int, so that bodies read 10 rather than 10.0."""
    return int(value) if float(value).is_integer() else float(value)


def criterion_body(
    criterion_id: str,
    name: str,
    *,
    description: str = "",
    weight: float = 1,
    low: float = 0,
    high: float = 10,
    step: float = 1,
    order: int = 0,
    owner: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Return a criterion.put body (docs/protocol.md 5a); `owner` ("prize" or "round", id)."""
    body: dict[str, Any] = {
        "id": criterion_id,
        "name": name.strip(),
        "description": description.strip(),
        "weight": number(weight),
        "min": number(low),
        "max": number(high),
        "step": number(step),
        "order": order,
    }
    if owner is not None:
        body[owner[0]] = owner[1]
    return body


def criterion_problem(name: str, weight: float, low: float, high: float, step: float) -> str | None:
    """Return why a criterion's fields cannot be saved, in the words of the form, or None."""
    if not name.strip():
        return translate("host", "Give the criterion a name.")
    if weight <= 0:
        return translate("host", "The weight must be greater than 0.")
    if low >= high:
        return translate("host", "The lowest score must be below the highest.")
    if step <= 0 or step > high - low:
        return translate(
            "host", "The step must be greater than 0 and at most the range of the scale."
        )
    return None


def next_order(criteria: Sequence[Mapping[str, Any]]) -> int:
    """Return the order that puts a new criterion last."""
    return max((int(c["order"]) for c in criteria), default=-1) + 1


def reorder_bodies(
    criteria: Sequence[Mapping[str, Any]], index: int, delta: int
) -> list[dict[str, Any]]:
    """Return the criterion.put bodies that move criterion `index` by `delta` places.

    The criteria are renumbered 0, 1, 2... in their new order and only those whose order
    changes are written; moving past either end writes nothing.
    """
    target = index + delta
    if not (0 <= index < len(criteria) and 0 <= target < len(criteria)) or delta == 0:
        return []
    moved = list(criteria)
    moved.insert(target, moved.pop(index))
    return [
        {**criterion, "order": order}
        for order, criterion in enumerate(moved)
        if criterion["order"] != order
    ]


def judge_body(
    judge_id: str, name: str, conflicts: Collection[str], prizes: Collection[str] = ()
) -> dict[str, Any]:
    """Return a judge.put body (its prizes only when it carries some, as before prizes)."""
    body: dict[str, Any] = {
        "id": judge_id,
        "name": name.strip(),
        "conflicts": sorted(set(conflicts)),
    }
    if prizes:
        body["prizes"] = sorted(set(prizes))
    return body


def team_put_body(
    team_id: str, name: str, location: str, members_text: str, prizes: Collection[str] = ()
) -> dict[str, Any]:
    """Return a team.put body; members are one per line or separated by commas."""
    members = [m.strip() for line in members_text.splitlines() for m in line.split(",")]
    body: dict[str, Any] = {
        "id": team_id,
        "name": name.strip(),
        "location": location.strip(),
        "members": [m for m in members if m],
    }
    if prizes:  # only when it opted into some: an event without prizes sends what it did
        body["prizes"] = sorted(set(prizes))
    return body


def conflict_unassignments(
    state: State, judge_id: str, conflicts: Collection[str]
) -> list[dict[str, Any]]:
    """Return the assign.put bodies that drop a judge's assignments to teams it now conflicts with.

    The host refuses a new conflicting assignment, but an old one would stay in the grid.
    """
    assigned = state.assigned_teams(judge_id)
    return [
        {"judge": judge_id, "team": team, "assigned": False}
        for team in sorted(assigned & set(conflicts))
    ]


def notification_body(audience: str, target: str | None, message: str) -> dict[str, Any]:
    """Return a notify body; the target only counts for one judge or one team."""
    if audience not in dict(AUDIENCES):
        raise ValueError(f"unknown audience {audience!r}")
    return {
        "audience": audience,
        "target": target if audience in ("judge", "team") else None,
        "message": message.strip(),
    }


def read_text_file(path: Path) -> str:
    """Return a text file's contents: UTF-8 (with or without a BOM), else Windows-1252.

    Spreadsheets on Windows still save CSV in the local code page; a wrong guess shows up in
    the import preview, where the organiser can see it before anything is imported.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_NAMED = re.compile(r"\b([Tt]eam|[Jj]udge) ([A-Za-z0-9_.-]+)")


def with_names(text: str, teams: Mapping[str, Any], judges: Mapping[str, Any]) -> str:
    """Return a sentence from storage.admin with "team <id>" and "judge <id>" as names."""

    def named(match: re.Match[str]) -> str:
        kind, ident = match[1], match[2]
        entities = teams if kind.lower() == "team" else judges
        entity = entities.get(ident)
        return f"{kind} {entity['name']}" if entity else match[0]

    return _NAMED.sub(named, text)


# A count of a thing in words: one, many, and a range; whole texts, so that each translates.
COUNTS = {
    "team": (
        QT_TRANSLATE_NOOP("host", "1 team"),
        QT_TRANSLATE_NOOP("host", "{count} teams"),
        QT_TRANSLATE_NOOP("host", "{low}–{high} teams"),
    ),
    "judge": (
        QT_TRANSLATE_NOOP("host", "1 judge"),
        QT_TRANSLATE_NOOP("host", "{count} judges"),
        QT_TRANSLATE_NOOP("host", "{low}–{high} judges"),
    ),
    "device": (
        QT_TRANSLATE_NOOP("host", "1 device"),
        QT_TRANSLATE_NOOP("host", "{count} devices"),
        QT_TRANSLATE_NOOP("host", "{low}–{high} devices"),
    ),
}


def count_text(count: int, noun: str) -> str:
    """Return "1 team", "2 teams" (noun: team, judge or device)."""
    one, many, _ = COUNTS[noun]
    return translate("host", one) if count == 1 else translate("host", many).format(count=count)


def _span(values: list[int], unit: str) -> str:
    """Return '3 teams', '1 team' or '2–4 teams' for sorted counts."""
    low, high = values[0], values[-1]
    if low == high:
        return count_text(low, unit)
    return translate("host", COUNTS[unit][2]).format(low=low, high=high)


def plan_summary(result: Assignment, bodies: Sequence[Mapping[str, Any]]) -> str:
    """Return one paragraph on an auto-assignment: loads, judges per team and the changes."""
    loads = sorted(result.loads().values())
    per_team = sorted(len(judges) for judges in result.by_team().values())
    if not loads or not per_team:
        return translate("host", "Nothing to assign: the event needs judges and teams first.")
    added = sum(1 for body in bodies if body["assigned"])
    removed = len(bodies) - added
    changes = (
        translate("host", "No changes to the current assignments.")
        if not bodies
        else (
            translate("host", "1 assignment to add, {removed} to remove.")
            if added == 1
            else translate("host", "{added} assignments to add, {removed} to remove.")
        ).format(added=added, removed=removed)
    )
    return translate(
        "host", "Each judge scores {loads}; each team gets {judges}. {changes}"
    ).format(loads=_span(loads, "team"), judges=_span(per_team, "judge"), changes=changes)


def assignment_summary(loads: Mapping[str, int], per_team: Mapping[str, int]) -> str:
    """Return one line on the assignment grid: how many pairs, and how even the loads are."""
    listed = sorted(load for load in loads.values() if load)
    if not listed:
        return translate(
            "host", "No assignments: every judge may score every team it has no conflict with."
        )
    counts = sorted(per_team.values())
    free = len(loads) - len(listed)
    text = translate(
        "host", "{v0} assignments. Judges with a list score {v1}; teams have {v2}."
    ).format(v0=sum(listed), v1=_span(listed, "team"), v2=_span(counts, "judge"))
    if free == 1:
        return translate("host", "{text} 1 judge has no list and may score any team.").format(
            text=text
        )
    if free:
        more = translate("host", "{text} {free} judges have no list and may score any team.")
        return more.format(text=text, free=free)
    return text


def setup_hint(phase: str) -> str:
    """Return what the organiser may still change in this phase (docs/protocol.md 6a)."""
    if phase == "setup":
        return translate(
            "host", "Setup: everything can change. Judges cannot score until you open scoring."
        )
    if phase == "scoring":
        return translate(
            "host",
            "Scoring is open: criteria can be corrected but not removed; teams, judges and "
            "assignments can still change.",
        )
    return translate(
        "host",
        "The event is {phase}: names can be corrected, but nothing that changes the results"
        " can change. Reopen scoring on the Control page to edit more.",
    ).format(phase=translate("host", PHASES[phase][0]).lower() if phase in PHASES else phase)


def audience_text(
    audience: str, target: str | None, judges: Mapping[str, Any], teams: Mapping[str, Any]
) -> str:
    """Return who a notification went to, by name."""
    if audience in ("judge", "team"):
        entity = (judges if audience == "judge" else teams).get(str(target))
        return str(entity["name"]) if entity else str(target)
    return translate("host", dict(AUDIENCES)[audience])


def recent_notifications(state: State, limit: int = 5) -> list[tuple[str, str, str]]:
    """Return the last notifications sent, newest first, as (time, audience, message)."""
    entries = sorted(state.live_entries("notify/"), key=lambda item: item[1].hlc, reverse=True)
    judges, teams = state.judges(), state.teams()
    lines = []
    for _, entry in entries[:limit]:
        assert entry.value is not None
        when = time.strftime("%H:%M", time.localtime(int(entry.hlc[:13]) / 1000))
        value = entry.value
        who = audience_text(value["audience"], value["target"], judges, teams)
        lines.append((when, who, value["message"]))
    return lines


# --- leaderboard and progress ----------------------------------------------------------------


@dataclass(frozen=True)
class BoardLine:
    """One leaderboard row as the console shows it."""

    team_id: str
    rank: str
    team: str
    total: str
    judges: str


def board_lines(rows: Sequence[Row], progress: Mapping[str, tuple[int, int]]) -> list[BoardLine]:
    """Return the leaderboard's rows: totals to 2 decimals, judges as final of expected."""
    lines = []
    for row in rows:
        _, expected = progress.get(row.team_id, (row.judge_count, 0))
        judges = (
            translate("host", "{judge_count} of {expected}").format(
                judge_count=row.judge_count, expected=expected
            )
            if expected
            else str(row.judge_count)
        )
        lines.append(
            BoardLine(
                row.team_id,
                "—" if row.rank is None else str(row.rank),
                row.team_name,
                "—" if row.total_score is None else f"{row.total_score:.2f}",
                judges,
            )
        )
    return lines


def percent(done: int, expected: int) -> int:
    """Return done/expected as a whole percentage from 0 to 100 (100 when nothing is expected)."""
    if expected <= 0:
        return 100
    return max(0, min(100, round(100 * done / expected)))


# --- display control ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RevealState:
    """Where a reveal stands: how many places are shown, of how many, and what comes next."""

    shown: int
    ranked: int
    next_rank: int | None

    @property
    def text(self) -> str:
        """The line the control page shows."""
        if self.ranked == 0:
            return translate("host", "No team has a final score yet: nothing to reveal.")
        if self.shown >= self.ranked:
            return translate("host", "All {ranked} places revealed.").format(ranked=self.ranked)
        if self.shown == 0:
            return translate("host", "Nothing revealed yet; {ranked} places to go.").format(
                ranked=self.ranked
            )
        return translate("host", "{shown} of {ranked} places revealed.").format(
            shown=self.shown, ranked=self.ranked
        )


def reveal_state(rows: Sequence[Row], reveal_count: int) -> RevealState:
    """Return the reveal's progress; places are revealed from last to first (sync.feeds)."""
    ranked = feeds.revealable(rows)
    shown = len(feeds.revealed(rows, reveal_count))
    following = len(ranked) - shown - 1
    return RevealState(shown, len(ranked), ranked[following].rank if following >= 0 else None)


# --- the boards the displays show (docs/protocol.md 4e) -----------------------------------------

# A board's key: (round id, prize id or None); the event's main board is (FIRST_ROUND, None).
MAIN_BOARD = (FIRST_ROUND, None)


@dataclass(frozen=True)
class BoardChoice:
    """A board the organiser may put on the displays: a round's main board or a public prize's."""

    round_id: str
    prize_id: str | None
    label: str  # "Best use of AI (by Acme)"; with several rounds "Finals · Overall"

    @property
    def key(self) -> tuple[str, str | None]:
        """The board's (round, prize) key."""
        return (self.round_id, self.prize_id)

    @property
    def name(self) -> dict[str, Any]:
        """The board's name on the wire and in `display_boards` (4e)."""
        return {"round": self.round_id, "prize": self.prize_id}

    @property
    def stage_value(self) -> dict[str, Any] | None:
        """The board as `reveal_board` names it (None: the main board, the default)."""
        return None if self.key == MAIN_BOARD else self.name


def display_settings(event: Mapping[str, Any]) -> dict[str, Any]:
    """Return the display's control fields of the event's settings, defaults filled in."""
    return {field: event.get(field, default) for field, default in DISPLAY_DEFAULTS.items()}


def _board_keys(names: object) -> list[tuple[str, str | None]]:
    listed = names if isinstance(names, list) else []
    found = (feeds.board_key(n) for n in listed if isinstance(n, Mapping))
    return [key for key in found if key is not None]


def board_choices(
    rounds: Sequence[Mapping[str, Any]],
    prizes: Sequence[Mapping[str, Any]],
    display_boards: object = (),
) -> list[BoardChoice]:
    """Return the boards the displays may show: each round's main board and its public prizes'.

    A hidden prize is never offered (4e: it never reaches a display). The boards the displays
    show come first, in their order, then the others in the event's order.
    """
    public = [p for p in prizes if not p.get("hidden")]
    several = len(rounds) > 1
    made = []
    for round_ in rounds:
        for prize in [None, *public]:
            if prize is None:
                text = translate("host", "Overall")
            else:
                text = str(prize["name"])
                if prize.get("sponsor"):
                    text += " " + translate("host", "(by {sponsor})").format(
                        sponsor=prize["sponsor"]
                    )
            if several:
                text = f"{round_['name']} · {text}"
            prize_id = None if prize is None else str(prize["id"])
            made.append(BoardChoice(str(round_["id"]), prize_id, text))
    listed = _board_keys(display_boards)
    place = {key: index for index, key in enumerate(listed)}
    return sorted(made, key=lambda c: place.get(c.key, len(listed)))


def shown_keys(display_boards: object) -> list[tuple[str, str | None]]:
    """Return the boards `display_boards` puts on the displays, in order ([]: the main board)."""
    return _board_keys(display_boards) or [MAIN_BOARD]


def display_boards_value(ticked: Sequence[BoardChoice]) -> list[dict[str, Any]]:
    """Return `display_boards` for the boards ticked, in order (the main board alone, or none
    ticked: [], the default)."""
    if [c.key for c in ticked] in ([], [MAIN_BOARD]):
        return []
    return [c.name for c in ticked]


def stage_choice(choices: Sequence[BoardChoice], reveal_board: object) -> BoardChoice | None:
    """Return the board a ceremony is on (`reveal_board`; None: the main board)."""
    key = (_board_keys([reveal_board]) or [MAIN_BOARD])[0]
    return next((c for c in choices if c.key == key), None)


def next_stage(choices: Sequence[BoardChoice], current: BoardChoice | None) -> BoardChoice | None:
    """Return the board after `current` in the displays' order, or None after the last."""
    if current is None or current not in choices:
        return choices[0] if choices else None
    index = list(choices).index(current)
    return choices[index + 1] if index + 1 < len(choices) else None


def stage_moves(choice: BoardChoice) -> list[tuple[str, object]]:
    """Return the settings that put a board on stage: its places hidden first, then the board
    (two ops in this order, 4e: a display never shows the next board at the old count)."""
    return [("reveal_count", 0), ("reveal_board", choice.stage_value)]


def stage_rows(board: Board) -> list[Row]:
    """Return a board's rows as the leaderboard's, for the reveal's progress on it."""
    return [Row(r.rank, r.team_id, r.team_name, r.total_score, r.judge_count) for r in board.rows]


def displays_text(mode: str, choices: Sequence[BoardChoice], settings: Mapping[str, Any]) -> str:
    """Return what the displays show now, in words, for the organiser (in reveal mode the
    board on stage; the page says how far its reveal has gone beside it)."""
    if mode == "reveal":
        stage = stage_choice(choices, settings.get("reveal_board"))
        label = stage.label if stage is not None else translate("host", "Overall")
        return translate("host", "The displays show {board}, from last place up.").format(
            board=label
        )
    labels = {c.key: c.label for c in choices}
    shown = [labels[key] for key in shown_keys(settings.get("display_boards")) if key in labels]
    if len(shown) <= 1:
        return translate("host", "The displays show {board}.").format(
            board=shown[0] if shown else translate("host", "Overall")
        )
    return translate("host", "The displays turn through {boards}, {seconds} s each.").format(
        boards=", ".join(shown), seconds=settings.get("display_rotate")
    )


@dataclass(frozen=True)
class PhaseStakes:
    """What locking or releasing would freeze or publish as things stand (the question says it)."""

    final: int  # final sheets in
    expected: int  # sheets the assignments call for
    drafts: int  # drafts not yet made final
    short_teams: int  # teams with fewer final sheets than the judges planned for them
    unsent_devices: int  # devices whose ops are still waiting, by their last hello


def phase_stakes(
    team_progress: Mapping[str, tuple[int, int]],
    judge_progress: Sequence[JudgeProgress],
    devices: Sequence[DeviceRow],
) -> PhaseStakes:
    """Count what a lock or a release would freeze or publish."""
    return PhaseStakes(
        final=sum(final for final, _ in team_progress.values()),
        expected=sum(total for _, total in team_progress.values()),
        drafts=sum(row.drafts for row in judge_progress),
        short_teams=sum(1 for final, total in team_progress.values() if final < total),
        unsent_devices=sum(1 for row in devices if row.pending and not row.revoked),
    )


def stakes_text(stakes: PhaseStakes) -> str:
    """Return the sentences that say what stands to be frozen or published."""
    lines = [
        translate("host", "{final} of {expected} expected final sheets are in.").format(
            final=stakes.final, expected=stakes.expected
        )
    ]
    for count, (one, many) in zip(
        (stakes.drafts, stakes.short_teams, stakes.unsent_devices), _STAKES, strict=True
    ):
        if count:
            lines.append(
                translate("host", one)
                if count == 1
                else translate("host", many).format(count=count)
            )
    return "\n".join(lines)


# What stands to be frozen or published, beyond the sheets in: one and many, whole texts.
_STAKES = (
    (
        QT_TRANSLATE_NOOP("host", "1 draft is still outstanding: it will not count."),
        QT_TRANSLATE_NOOP("host", "{count} drafts are still outstanding: they will not count."),
    ),
    (
        QT_TRANSLATE_NOOP("host", "1 team has fewer final sheets than judges planned for it."),
        QT_TRANSLATE_NOOP(
            "host", "{count} teams have fewer final sheets than judges planned for them."
        ),
    ),
    (
        QT_TRANSLATE_NOOP("host", "1 device still holds work it has not sent."),
        QT_TRANSLATE_NOOP("host", "{count} devices still hold work they have not sent."),
    ),
)


def phase_confirmation(current: str, new: str, stakes: PhaseStakes | None = None) -> str | None:
    """Return the question to ask before moving the event to `new`, or None to go ahead.

    Locking and releasing also say what they freeze or publish, when `stakes` are known.
    """
    if new == current:
        return None
    figures = "" if stakes is None else "\n\n" + stakes_text(stakes)
    if new == "locked":
        return (
            translate(
                "host",
                "Lock the event? Judges can no longer save sheets, and teams, criteria and "
                "assignments can no longer change. You can reopen scoring later.",
            )
            + figures
        )
    if new == "released":
        return (
            translate(
                "host",
                "Release the results? Every team sees the leaderboard and its own scores and "
                "comments at once. What they have seen cannot be taken back.",
            )
            + figures
        )
    if current in ("locked", "released"):
        return translate(
            "host", "Move the event back to {v0}? Judges can change sheets again."
        ).format(v0=translate("host", PHASES[new][0]).lower())
    return None


# --- devices -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceRow:
    """One paired device as the health view shows it."""

    device: str
    label: str
    role: str
    subject: str | None
    subject_name: str
    online: bool
    revoked: bool
    pending: int | None
    last_seen_ms: int | None
    clock_offset_ms: int | None
    address: str

    @property
    def link(self) -> str:
        """Online, offline, revoked or never seen."""
        if self.revoked:
            return "revoked"
        if self.online:
            return "online"
        return "offline" if self.last_seen_ms is not None else "never"


def device_rows(
    state: State,
    seen: Mapping[str, Mapping[str, Any]],
    connected: Collection[str],
    hosted: Iterable[Mapping[str, Any]] = (),
) -> list[DeviceRow]:
    """Return every paired device but the host's own, judges first, then teams, then displays.

    `seen` is what the host recorded of each device (`Replica.seen_devices`); a clock offset of
    exactly 0 means none was reported and shows as unknown. `hosted` are the registrations the
    host keeps alone (`Replica.display_devices`: displays get no `device.put` op).
    """
    rows = []
    registered = [value for _, value in state.live("device/")]
    for value in [*registered, *hosted]:
        if value["role"] == "admin":
            continue
        device = value["device"]
        subject = value.get("subject")
        if value["role"] == "judge":
            entity = state.judge(str(subject)) or {
                "name": translate("host", "{subject} (removed)").format(subject=subject)
            }
        elif value["role"] == "team":
            entity = state.team(str(subject)) or {
                "name": translate("host", "{subject} (removed)").format(subject=subject)
            }
        else:
            entity = {"name": translate("host", "All displays")}
        record = seen.get(device, {})
        offset = record.get("clock_offset_ms")
        rows.append(
            DeviceRow(
                device=device,
                label=value.get("name") or translate("host", "Device {v0}").format(v0=device[:8]),
                role=value["role"],
                subject=subject,
                subject_name=entity["name"],
                online=device in connected,
                revoked=state.revoked(device),
                pending=record.get("pending"),
                last_seen_ms=record.get("last_seen_ms"),
                clock_offset_ms=offset or None,
                address=str(record.get("address") or ""),
            )
        )
    order = {"judge": 0, "team": 1, "display": 2}
    return sorted(
        rows, key=lambda r: (order.get(r.role, 3), r.subject_name.casefold(), r.label, r.device)
    )


def device_summary(rows: Sequence[DeviceRow]) -> str:
    """Return the line above the device list: how many are online, offline and revoked."""
    links = [row.link for row in rows]
    parts = [
        translate("host", "{v0} online").format(v0=links.count("online")),
        translate("host", "{v0} offline").format(v0=links.count("offline")),
    ]
    if links.count("revoked"):
        parts.append(translate("host", "{count} revoked").format(count=links.count("revoked")))
    waiting = sum(row.pending or 0 for row in rows if row.link == "offline")
    if waiting == 1:
        parts.append(translate("host", "1 op unsent at last contact"))
    elif waiting:
        unsent = translate("host", "{count} ops unsent at last contact")
        parts.append(unsent.format(count=waiting))
    return " · ".join(parts)


def describe_ago(ms: int | None) -> str:
    """Return how long ago something happened (the device list, a peer's link line)."""
    if ms is None:
        return "never"
    seconds = max(0, ms // 1000)
    if seconds < 5:
        return translate("host", "just now")
    if seconds < 60:
        return translate("host", "{seconds} s ago").format(seconds=seconds)
    if seconds < 3600:
        return translate("host", "{v0} min ago").format(v0=seconds // 60)
    if seconds < 86400:
        return translate("host", "{v0} h {v1} min ago").format(
            v0=seconds // 3600, v1=seconds % 3600 // 60
        )
    return translate("host", "{v0} d ago").format(v0=seconds // 86400)


def describe_offset(ms: int | None) -> str:
    """Return a device's clock offset from the host's, e.g. '+2.5 s' or '−3 min'."""
    if ms is None:
        return "—"
    sign = "+" if ms >= 0 else "−"
    size = abs(ms)
    if size < 1000:
        return translate("host", "in sync")
    if size < 60_000:
        return translate("host", "{sign}{v1:.1f} s").format(sign=sign, v1=size / 1000)
    if size < 3_600_000:
        return translate("host", "{sign}{v1} min").format(sign=sign, v1=size // 60_000)
    return translate("host", "{sign}{v1:.1f} h").format(sign=sign, v1=size / 3_600_000)


# --- codes and addresses -------------------------------------------------------------------------


def slug_name(name: str) -> str:
    """Return a file-name-friendly form of the event's name."""
    return slugify(name) or "event"


def join_link(target: str | None, code: str, fingerprint: str | None, secure: bool) -> str | None:
    """Return a tallyboard:// link that carries the host, its certificate and a join code."""
    if not target:
        return None
    return str(JoinLink(target, code, fingerprint if secure else None, secure))


def format_fingerprint(fingerprint: str | None) -> str:
    """Return a fingerprint in groups of four hex digits, two lines, for reading aloud."""
    if not fingerprint:
        return translate("host", "None: this host runs without TLS (--insecure)")
    groups = [fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4)]
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])


def host_target(address: str, port: int) -> str:
    """Return host:port, bracketing an IPv6 address."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


# --- the pages' rows (desktop/host/) -------------------------------------------------------------


def file_stamp(seconds: float) -> str:
    """Return the local date and time for a file name, e.g. 20260314-0930."""
    return time.strftime("%Y%m%d-%H%M", time.localtime(seconds))


def by_name(entities: Mapping[str, Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Return teams or judges sorted by name, case aside."""
    return sorted(entities.values(), key=lambda e: str(e["name"]).casefold())


def criterion_cells(criteria: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[str]]]:
    """Return the Criteria table's rows: number, name, weight, scale, step, description."""
    return [
        (
            c["id"],
            [
                str(index + 1),
                c["name"],
                f"{c['weight']:g}",
                f"{c['min']:g} – {c['max']:g}",
                f"{c['step']:g}",
                c["description"],
            ],
        )
        for index, c in enumerate(criteria)
    ]


def team_cells(teams: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, list[str]]]:
    """Return the Teams table's rows by name: name, location, members, id."""
    return [
        (t["id"], [t["name"], t["location"], ", ".join(t["members"]), t["id"]])
        for t in by_name(teams)
    ]


@dataclass(frozen=True)
class JudgeLine:
    """One row of the Judges table."""

    judge_id: str
    name: str
    conflicts: str  # the conflicting teams' names, or "None"
    any_conflict: bool
    load: str  # "3 teams", or "Any team (no list)"


def judge_lines(
    teams: Mapping[str, Mapping[str, Any]],
    judges: Mapping[str, Mapping[str, Any]],
    assigned: Mapping[str, Collection[str]],
) -> list[JudgeLine]:
    """Return the Judges table's rows by name, counting only assignments to existing teams."""
    lines = []
    for judge in by_name(judges):
        names = sorted(teams[t]["name"] for t in judge["conflicts"] if t in teams)
        mine = set(assigned.get(judge["id"], ()))
        # With a list, the teams on it that the judge may score (storage.sheets decides).
        load = {
            t
            for t in teams
            if mine and judge_team_problem(judge, t, team_exists=True, assigned=mine) is None
        }
        lines.append(
            JudgeLine(
                judge_id=judge["id"],
                name=judge["name"],
                conflicts=", ".join(names) or translate("host", "None"),
                any_conflict=bool(names),
                load=count_text(len(load), "team")
                if mine
                else translate("host", "Any team (no list)"),
            )
        )
    return lines


@dataclass(frozen=True)
class GridCell:
    """One cell of the assignment grid: a conflict, or a tick box."""

    conflict: bool
    ticked: bool
    name: str  # what a screen reader says
    tip: str


@dataclass(frozen=True)
class AssignmentGrid:
    """The judge x team grid of the Assignments tab, judges and teams by name."""

    team_ids: list[str]
    judge_ids: list[str]
    headers: list[tuple[str, str]]  # per team column: text (name, judge count), tooltip
    labels: list[str]  # per judge row
    cells: list[list[GridCell]]
    summary: str
    any_assigned: bool  # some judge has a list (Clear all has something to clear)


def assignment_grid(
    teams: Mapping[str, Mapping[str, Any]],
    judges: Mapping[str, Mapping[str, Any]],
    assigned: Mapping[str, Collection[str]],
) -> AssignmentGrid:
    """Return the grid: who is assigned whom, conflicts greyed, and the summary under it."""
    team_rows, judge_rows = by_name(teams), by_name(judges)
    team_ids = [t["id"] for t in team_rows]
    mine = {j["id"]: set(assigned.get(j["id"], ())) for j in judge_rows}
    per_team = {t: sum(1 for a in mine.values() if t in a) for t in team_ids}
    headers = [
        (
            f"{t['name']}\n{count_text(per_team[t['id']], 'judge')}",
            t["name"],
        )
        for t in team_rows
    ]
    labels = [f"{j['name']}  ({len(mine[j['id']] & set(team_ids)) or 'any'})" for j in judge_rows]
    cells = [[_grid_cell(j, t, mine[j["id"]]) for t in team_rows] for j in judge_rows]
    loads = {j: len(a & set(team_ids)) for j, a in mine.items()}
    return AssignmentGrid(
        team_ids,
        [j["id"] for j in judge_rows],
        headers,
        labels,
        cells,
        assignment_summary(loads, per_team),
        any(assigned.values()),
    )


def _grid_cell(judge: Mapping[str, Any], team: Mapping[str, Any], mine: set[str]) -> GridCell:
    if team["id"] in judge["conflicts"]:
        return GridCell(
            conflict=True,
            ticked=False,
            name=f"{judge['name']} has a conflict with {team['name']}",
            tip=f"{judge['name']} has a conflict of interest with {team['name']}",
        )
    return GridCell(False, team["id"] in mine, f"{judge['name']} judges {team['name']}", "")


def clear_bodies(assigned: Mapping[str, Collection[str]]) -> list[dict[str, Any]]:
    """Return the assign.put bodies that clear every assignment, judge by judge."""
    return [
        {"judge": judge, "team": team, "assigned": False}
        for judge in sorted(assigned)
        for team in sorted(assigned[judge])
    ]


def overview_figures(
    teams: int,
    judges: int,
    team_progress: Mapping[str, tuple[int, int]],
    judge_progress: Sequence[JudgeProgress],
    *,
    online: int,
    paired: int,
) -> dict[str, tuple[str, str]]:
    """Return the Overview's tiles: (figure, note) for teams, judges, sheets and online."""
    done = sum(final for final, _ in team_progress.values())
    expected = sum(total for _, total in team_progress.values())
    scored = sum(1 for final, _ in team_progress.values() if final)
    started = sum(1 for row in judge_progress if row.final or row.drafts)
    return {
        "teams": (str(teams), translate("host", "{scored} scored").format(scored=scored)),
        "judges": (
            str(judges),
            translate("host", "{started} started scoring").format(started=started),
        ),
        "sheets": (
            str(done),
            translate("host", "of {expected} expected ({v1}%)").format(
                expected=expected, v1=percent(done, expected)
            ),
        ),
        "online": (str(online), translate("host", "of {paired} paired").format(paired=paired)),
    }


@dataclass(frozen=True)
class DeviceLine:
    """One row of the Devices table: its texts, and the tone (theme colour) of two of them."""

    cells: tuple[str, str, str, str, str, str, str, str]
    link_tone: str
    clock_tone: str | None


LINK_TEXT = {
    "online": (QT_TRANSLATE_NOOP("host", "● Online"), "good"),
    "offline": (QT_TRANSLATE_NOOP("host", "○ Offline"), "warn"),
    "revoked": (QT_TRANSLATE_NOOP("host", "✕ Revoked"), "bad"),
    "never": (QT_TRANSLATE_NOOP("host", "Never connected"), "muted"),
}


def device_line(row: DeviceRow, now_ms: int) -> DeviceLine:
    """Return how the Devices table shows a device at `now_ms` (its last contact as an age)."""
    link, link_tone = LINK_TEXT[row.link]
    link = translate("host", link)
    offset = describe_offset(row.clock_offset_ms)
    skewed = row.clock_offset_ms is not None and abs(row.clock_offset_ms) > CLOCK_WARNING_MS
    clock_tone = "bad" if skewed else "muted" if offset == "—" else None
    if row.online:
        seen = translate("host", "now")
    else:
        seen = describe_ago(None if row.last_seen_ms is None else now_ms - row.last_seen_ms)
    cells = (
        row.label,
        translate("host", ROLES.get(row.role, row.role)),
        row.subject_name if row.role != "display" else "—",
        link,
        "—" if row.pending is None else str(row.pending),
        seen,
        offset,
        row.address or "—",
    )
    return DeviceLine(cells, link_tone, clock_tone)


# --- each page's view value (built by the window from the controller's reads) --------------------


def targets(entities: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Return the judges or teams a notification can go to, as (id, name) by name."""
    ordered = sorted(entities.items(), key=lambda e: str(e[1]["name"]).casefold())
    return [(entity_id, str(entity["name"])) for entity_id, entity in ordered]


@dataclass(frozen=True)
class OverviewView:
    """What the Overview page shows: tiles, leaderboard, progress, recipients, recent sends."""

    figures: dict[str, tuple[str, str]]
    board: list[BoardLine]
    progress: list[JudgeProgress]
    targets: dict[str, list[tuple[str, str]]]  # "judge" and "team": (id, name) by name
    recent: str


def overview_view(
    *,
    teams: Mapping[str, Mapping[str, Any]],
    judges: Mapping[str, Mapping[str, Any]],
    team_progress: Mapping[str, tuple[int, int]],
    judge_progress: Sequence[JudgeProgress],
    board: Sequence[Row],
    recent: Sequence[tuple[str, str, str]],
    online: int,
    paired: int,
) -> OverviewView:
    """Return the Overview page's view from the controller's reads."""
    figures = overview_figures(
        len(teams), len(judges), team_progress, judge_progress, online=online, paired=paired
    )
    return OverviewView(
        figures=figures,
        board=board_lines(board, team_progress),
        progress=list(judge_progress),
        targets={"judge": targets(judges), "team": targets(teams)},
        recent="\n".join(f"{when}  {who}: {message}" for when, who, message in recent)
        or translate("host", "No notification sent yet."),
    )


@dataclass(frozen=True)
class SetupView:
    """What the Setup page's four tabs show, and the entities their forms edit."""

    hint: str
    tab_texts: tuple[str, str, str]  # "Criteria (3)", "Teams (8)", "Judges (4)"
    criteria: list[dict[str, Any]]  # in their order
    teams: dict[str, dict[str, Any]]
    judges: dict[str, dict[str, Any]]
    criterion_rows: list[tuple[str, list[str]]]
    team_rows: list[tuple[str, list[str]]]
    judge_lines: list[JudgeLine]
    grid: AssignmentGrid


def setup_view(
    *,
    phase: str,
    criteria: Sequence[dict[str, Any]],
    teams: Mapping[str, dict[str, Any]],
    judges: Mapping[str, dict[str, Any]],
    assigned: Mapping[str, Collection[str]],
) -> SetupView:
    """Return the Setup page's view from the controller's reads."""
    return SetupView(
        hint=setup_hint(phase),
        tab_texts=(
            translate("host", "Criteria ({v0})").format(v0=len(criteria)),
            translate("host", "Teams ({v0})").format(v0=len(teams)),
            translate("host", "Judges ({v0})").format(v0=len(judges)),
        ),
        criteria=list(criteria),
        teams=dict(teams),
        judges=dict(judges),
        criterion_rows=criterion_cells(criteria),
        team_rows=team_cells(teams),
        judge_lines=judge_lines(teams, judges, assigned),
        grid=assignment_grid(teams, judges, assigned),
    )


@dataclass(frozen=True)
class PlanView:
    """An auto-assignment as its dialog shows it: a summary, named warnings, the op bodies."""

    summary: str
    warnings: list[str]
    bodies: list[dict[str, Any]]


def plan_view(
    result: Assignment,
    bodies: Sequence[dict[str, Any]],
    teams: Mapping[str, Any],
    judges: Mapping[str, Any],
) -> PlanView:
    """Return what the auto-assign dialog shows of a plan."""
    warnings = [f"⚠ {with_names(warning, teams, judges)}." for warning in result.warnings]
    return PlanView(plan_summary(result, bodies), warnings, list(bodies))


@dataclass(frozen=True)
class CodeLine:
    """One join code on the Codes page: whose it is, the code, its join link, and how many
    devices it has paired of how many it may (docs/protocol.md 3c)."""

    role: str
    subject: str | None  # the judge or team (None: the displays' code)
    name: str
    code: str
    link: str | None
    used: int = 0
    limit: int | None = None  # None: any number (the displays' code)
    page_link: str | None = None  # a team's link to its page for browsers (sync.web)

    @property
    def used_up(self) -> bool:
        """Whether the next new device would be refused."""
        return self.limit is not None and self.used >= self.limit

    @property
    def usage(self) -> str:
        """The code's devices in words: '1 of 2 devices', '2 of 2 devices, used up', '5 devices'."""
        if self.limit is None:
            return count_text(self.used, "device")
        if self.limit == 1:
            text = translate("host", "{used} of 1 device").format(used=self.used)
        else:
            text = translate("host", "{used} of {limit} devices")
            text = text.format(used=self.used, limit=self.limit)
        return translate("host", "{text}, used up").format(text=text) if self.used_up else text


@dataclass(frozen=True)
class CodesView:
    """What the Codes page shows: how devices reach this host, and every join code."""

    addresses: list[str]
    url: str | None
    fingerprint: str | None
    codes: list[CodeLine]
    page: str | None = None  # the public page's URL, while the host serves pages

    @property
    def page_text(self) -> str:
        """The public page's URL."""
        return self.page or translate("host", "Not serving pages")

    @property
    def address_text(self) -> str:
        """The addresses, one a line."""
        return "\n".join(self.addresses) or translate("host", "Not serving")

    @property
    def url_text(self) -> str:
        """The sync URL."""
        return self.url or translate("host", "Not serving")

    @property
    def fingerprint_text(self) -> str:
        """The fingerprint, for reading aloud."""
        return format_fingerprint(self.fingerprint)


def code_lines(
    join_codes: Iterable[Mapping[str, Any]],
    usage: Mapping[str, tuple[int, int | None]],
    link: Callable[[str], str | None] = lambda code: None,
) -> list[CodeLine]:
    """Return the Codes page's lines: `Replica.join_codes` joined with `Replica.code_usage`."""
    return [
        CodeLine(
            role=str(c["role"]),
            subject=c["id"],
            name=str(c["name"]),
            code=str(c["code"]),
            link=link(str(c["code"])),
            used=usage.get(c["code"], (0, None))[0],
            limit=usage.get(c["code"], (0, None))[1],
        )
        for c in join_codes
    ]


def codes_view(
    *,
    addresses: Sequence[str],
    url: str | None,
    fingerprint: str | None,
    secure: bool,
    join_codes: Sequence[Mapping[str, Any]],
    usage: Mapping[str, tuple[int, int | None]] | None = None,
    page: str | None = None,
) -> CodesView:
    """Return the Codes page's view; each link names the first address, and each team's
    page link the public page's (its code in the fragment, which browsers never send)."""
    target = addresses[0] if addresses else None
    lines = code_lines(
        join_codes, usage or {}, lambda code: join_link(target, code, fingerprint, secure)
    )
    if page is not None:
        lines = [
            replace(line, page_link=team_link(page, line.code)) if line.role == "team" else line
            for line in lines
        ]
    return CodesView(list(addresses), url, fingerprint, lines, page)


@dataclass(frozen=True)
class DevicesView:
    """What the Devices page shows at `now_ms`: every device's row and line, and a summary."""

    rows: list[DeviceRow]
    lines: list[DeviceLine]
    summary: str
    now_ms: int


def devices_view(rows: Sequence[DeviceRow], now_ms: int) -> DevicesView:
    """Return the Devices page's view at `now_ms` (the console's clock)."""
    return DevicesView(
        list(rows), [device_line(row, now_ms) for row in rows], device_summary(rows), now_ms
    )


# --- prizes, rounds, tie-breaks, normalisation and boards (issue 11) -----------------------------

ID_PREFIXES.update({"prize": "prize", "round": "round"})
ELIGIBILITY = {
    "all": QT_TRANSLATE_NOOP("host", "Every team"),
    "opt_in": QT_TRANSLATE_NOOP("host", "Teams that opted in"),
}
PRIZE_JUDGING = {
    "all": QT_TRANSLATE_NOOP("host", "Every judge"),
    "listed": QT_TRANSLATE_NOOP("host", "The judges listed"),
}
NORMALISING: dict[str, tuple[str, str]] = {
    "off": (
        QT_TRANSLATE_NOOP("host", "Off"),
        QT_TRANSLATE_NOOP("host", "Totals are the judges' own scores, as given to the rubric."),
    ),
    "shown": (
        QT_TRANSLATE_NOOP("host", "Shown"),
        QT_TRANSLATE_NOOP(
            "host",
            "Each judge's scores are also put on one common scale (a harsh judge's lifted, a"
            " generous one's lowered) and shown beside the raw totals; the raw totals rank.",
        ),
    ),
    "ranks": (
        QT_TRANSLATE_NOOP("host", "Ranks"),
        QT_TRANSLATE_NOOP(
            "host",
            "Each judge's scores are put on one common scale and those totals rank the board:"
            " use it when judges saw different teams. A judge with fewer than 2 sheets or no"
            " spread is left as scored, and flagged.",
        ),
    ),
}
TIE_BREAKS = {
    TIE_SHEETS: QT_TRANSLATE_NOOP("host", "More final sheets"),
    TIE_MEDIAN: QT_TRANSLATE_NOOP("host", "Higher median sheet score"),
}
BOARD_RANKING = {
    "raw": QT_TRANSLATE_NOOP("host", "Raw totals rank; normalised totals are shown beside them."),
    "normalised": QT_TRANSLATE_NOOP("host", "Normalised totals rank; raw totals are shown beside."),
}
FINALIST_RULE_NAMES = {
    "all": QT_TRANSLATE_NOOP("host", "Every team"),
    "top_overall": QT_TRANSLATE_NOOP("host", "Top N overall"),
    "top_per_prize": QT_TRANSLATE_NOOP("host", "Top N of each prize"),
}


def tie_break_name(key: str, criteria: Mapping[str, Mapping[str, Any]]) -> str:
    """Return what a tie-break key is called: a rule, or a criterion's mean."""
    if key in TIE_BREAKS:
        return translate("host", TIE_BREAKS[key])
    name = criteria[key]["name"] if key in criteria else key
    return translate("host", "Higher mean of {name}").format(name=name)


def tie_break_text(keys: Sequence[str], criteria: Mapping[str, Mapping[str, Any]]) -> str:
    """Return the sentence saying how equal totals are split, in order."""
    if not keys:
        return translate("host", "Equal totals stay shared (1, 2, 2, 4).")
    names = translate("host", ", then ").join(tie_break_name(k, criteria) for k in keys)
    return translate("host", "Equal totals are split by: {names}; ties left stay shared.").format(
        names=names
    )


def tie_break_choices(criteria: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Return every key a tie-break may use with its name: the rules, then each criterion."""
    by_id = {str(c["id"]): c for c in criteria}
    return [(k, tie_break_name(k, by_id)) for k in (*TIE_BREAKS, *by_id)]


def name_taken(name: str, entities: Iterable[Mapping[str, Any]], ident: str | None) -> bool:
    """Tell whether another entity (not `ident`) has this name, in any case."""
    key = name.strip().casefold()
    return any(str(e["name"]).casefold() == key and e["id"] != ident for e in entities)


def prize_body(prize_id: str, values: Mapping[str, Any], order: int) -> dict[str, Any]:
    """Return a prize.put body from the prize form's values."""
    return {
        "id": prize_id,
        "name": str(values["name"]).strip(),
        "sponsor": str(values.get("sponsor", "")).strip(),
        "eligibility": values.get("eligibility", "all"),
        "judges": values.get("judges", "all"),
        "hidden": bool(values.get("hidden", False)),
        "order": int(values.get("order", order)),
    }


def with_prize(body: Mapping[str, Any], prize_id: str, member: bool) -> dict[str, Any]:
    """Return a team's or judge's value with `prize_id` among its prizes or not."""
    prizes = set(body.get("prizes", ())) - {prize_id}
    if member:
        prizes.add(prize_id)
    changed = dict(body)
    changed["prizes"] = sorted(prizes)
    return changed


def member_bodies(
    entities: Mapping[str, Mapping[str, Any]],
    prize_id: str,
    chosen: Collection[str],
    keys: tuple[str, ...],
) -> list[dict[str, Any]]:
    """Return the put bodies (fields `keys`) that make exactly `chosen` carry the prize."""
    bodies = []
    for ident, entity in sorted(entities.items()):
        has = prize_id in entity.get("prizes", ())
        if has != (ident in chosen):
            changed = with_prize(entity, prize_id, ident in chosen)
            bodies.append({k: changed[k] for k in (*keys, "prizes") if k in changed})
    return bodies


TEAM_FIELDS = ("id", "name", "location", "members")
JUDGE_FIELDS = ("id", "name", "conflicts")


def members_of(entities: Mapping[str, Mapping[str, Any]], prize_id: str) -> list[str]:
    """Return, sorted, the teams or judges whose prizes name `prize_id`."""
    return sorted(i for i, e in entities.items() if prize_id in e.get("prizes", ()))


def prize_cells(
    prizes: Sequence[Mapping[str, Any]],
    teams: Mapping[str, Mapping[str, Any]],
    judges: Mapping[str, Mapping[str, Any]],
    criteria: Sequence[Mapping[str, Any]],
) -> list[tuple[str, list[str]]]:
    """Return the Prizes tab's rows: name, sponsor, who competes, who judges, criteria, hidden."""
    rows = []
    for p in prizes:
        pid = str(p["id"])
        if p["eligibility"] == "all":
            who = translate("host", "Every team")
        else:
            who = translate("host", "Opted in: {count}").format(count=len(members_of(teams, pid)))
        if p["judges"] == "all":
            judged = translate("host", "Every judge")
        else:
            judged = translate("host", "Listed: {count}").format(count=len(members_of(judges, pid)))
        own = [str(c["name"]) for c in criteria if c.get("prize") == pid]
        rows.append(
            (
                pid,
                [
                    str(p["name"]),
                    str(p.get("sponsor", "")),
                    who,
                    judged,
                    ", ".join(own) or translate("host", "The event's"),
                    translate("host", "Hidden") if p.get("hidden") else "",
                ],
            )
        )
    return rows


def round_body(round_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Return a round.put body from the round form's values."""
    finalists = values.get("finalists", "all")
    weighted = values.get("result") == "weighted"
    return {
        "id": round_id,
        "name": str(values["name"]).strip(),
        "order": int(values.get("order", 1)),
        "judges": sorted(values.get("judges", ())),
        "finalists": finalists,
        "finalists_n": 0 if finalists == "all" else max(1, int(values.get("finalists_n", 1))),
        "result": "weighted" if weighted else "own",
        "previous_weight": number(float(values.get("previous_weight", 0.5))) if weighted else 0,
        "normalise": values.get("normalise", "off"),
        "tie_break": list(values.get("tie_break", ())),
    }


def round_cells(
    rounds: Sequence[Mapping[str, Any]],
    phases: Mapping[str, str],
    criteria: Sequence[Mapping[str, Any]],
) -> list[tuple[str, list[str]]]:
    """Return the Rounds tab's rows: name, phase, finalists, result, criteria, normalisation."""
    rows = []
    for r in rounds:
        rid = str(r["id"])
        own = [str(c["name"]) for c in criteria if c.get("round") == rid]
        if r["finalists"] == "all":
            finalists = translate("host", "Every team")
        elif r["finalists"] == "top_overall":
            finalists = translate("host", "Top {n} overall").format(n=r["finalists_n"])
        else:
            finalists = translate("host", "Top {n} of each prize").format(n=r["finalists_n"])
        if r["result"] == "weighted":
            result = translate("host", "{own}% this round, {previous}% the round before").format(
                own=round(100 * (1 - float(r["previous_weight"]))),
                previous=round(100 * float(r["previous_weight"])),
            )
        else:
            result = translate("host", "This round's own")
        cells = [
            str(r["name"]),
            translate("host", PHASES[phases.get(rid, "setup")][0]),
            finalists,
            result,
            ", ".join(own) or translate("host", "The event's"),
            translate("host", NORMALISING[str(r["normalise"])][0]),
        ]
        rows.append((rid, cells))
    return rows


def round_stakes(state: State, round_id: str, devices: Sequence[DeviceRow]) -> PhaseStakes:
    """Count what locking or releasing one round would freeze or publish."""
    teams, judges = round_teams(state, round_id), round_judges(state, round_id)
    final = dict.fromkeys(teams, 0)
    drafts = 0
    for sheet in state.round_sheets(round_id):
        if sheet["team"] in final and sheet["judge"] in judges:
            if sheet["final"]:
                final[sheet["team"]] += 1
            else:
                drafts += 1
    expected = {
        t: sum(1 for j in judges if may_score(state, j, t, round_id) is None) for t in teams
    }
    return PhaseStakes(
        final=sum(final.values()),
        expected=sum(expected.values()),
        drafts=drafts,
        short_teams=sum(1 for t in teams if final[t] < expected[t]),
        unsent_devices=sum(1 for row in devices if row.pending and not row.revoked),
    )


@dataclass(frozen=True)
class BoardView:
    """One board as the Results page shows it: which round and prize, its rows, its judges."""

    key: tuple[str, str | None]
    title: str  # "Finals · Best use of AI"
    facts: str  # how it ranks: on which criteria, by which total, tie-breaks
    headers: list[str]
    rows: list[tuple[str, list[str]]]
    judges: list[tuple[str, list[str]]]  # harshness: judge, mean, spread, sheets, normalised
    flagged: int  # judges left unnormalised while the board normalises
    more: int = 0  # rows left out after the first BOARD_ROWS_SHOWN (the export has them all)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


# A board shows its first rows only: a card of 3,000 rows took seconds to lay out, and the
# organiser reads the top of a board; the CSV export and the desk have every team.
BOARD_ROWS_SHOWN = 100


def board_view(
    board: Board,
    judges: Mapping[str, Mapping[str, Any]],
    criteria: Mapping[str, Mapping[str, Any]],
) -> BoardView:
    """Return one board's view: shared ranks marked "=", the tie-break that split a group."""
    prize = board.prize_name or translate("host", "Overall")
    title = f"{round_name(board.round_name, board.round_id)} · {prize}"
    if board.sponsor:
        title += " " + translate("host", "(by {sponsor})").format(sponsor=board.sponsor)
    names = ", ".join(str(criteria[c]["name"]) for c in board.criteria if c in criteria)
    facts = [translate("host", "On {names}.").format(names=names)]
    normalised = board.normalise != "off"
    if normalised:
        facts.append(translate("host", BOARD_RANKING[board.ranked_by]))
    facts.append(tie_break_text(board.tie_break, criteria))
    if board.incomplete_sheets:
        facts.append(
            translate(
                "host", "{count} sheets lack one of its criteria: they count on the rest."
            ).format(count=board.incomplete_sheets)
        )
    headers = [translate("host", "Rank"), translate("host", "Team")]
    if normalised:
        headers += [translate("host", "Raw"), translate("host", "Normalised")]
    else:
        headers.append(translate("host", "Total"))
    headers.append(translate("host", "Sheets"))
    split_shown = bool(board.tie_break) or any(r.shared for r in board.rows)
    if split_shown:
        headers.append(translate("host", "Tie-break"))
    rows = []
    for r in board.rows[:BOARD_ROWS_SHOWN]:
        rank = "—" if r.rank is None else (f"={r.rank}" if r.shared else str(r.rank))
        cells = [rank, r.team_name]
        if normalised:
            cells += [_score(r.raw_score), _score(r.normalised_score)]
        else:
            cells.append(_score(r.total_score))
        cells.append(str(r.judge_count))
        if split_shown:
            split = tie_break_name(r.tie_break, criteria) if r.tie_break else ""
            cells.append(translate("host", "Shared") if r.shared else split)
        rows.append((r.team_id, cells))
    state_of = {True: translate("host", "Yes"), False: translate("host", "No: left as scored")}
    harsh = [
        (
            h.judge_id,
            [
                str(judges.get(h.judge_id, {}).get("name", h.judge_id)),
                f"{h.mean:.2f}",
                f"{h.spread:.2f}",
                str(h.count),
                state_of[h.normalised] if normalised else translate("host", "Off"),
            ],
        )
        for h in board.judges
    ]
    flagged = sum(1 for h in board.judges if not h.normalised) if normalised else 0
    more = max(0, len(board.rows) - BOARD_ROWS_SHOWN)
    return BoardView(board.key, title, " ".join(facts), headers, rows, harsh, flagged, more)


def impact_question(impact: CriterionImpact, name: str, judges: Mapping[str, Any]) -> str | None:
    """Return the question to ask before a criterion change that touches saved sheets, or None."""
    if not (impact.needs_update or impact.rescored or impact.off_scale):
        return None
    lines = [translate("host", "Change {name} while sheets are in?").format(name=name)]
    if impact.needs_update:
        lines.append(
            translate(
                "host",
                "{count} final sheets lack it: they count on the criteria they have and show"
                " as needing an update to their judges.",
            ).format(count=impact.needs_update)
        )
    if impact.rescored:
        lines.append(
            translate("host", "{count} final sheets that score it are rescored.").format(
                count=impact.rescored
            )
        )
    if impact.off_scale:
        lines.append(
            translate("host", "{count} marks fall off the new scale: they count clamped.").format(
                count=impact.off_scale
            )
        )
    who = ", ".join(str(judges.get(j, {}).get("name", j)) for j in impact.judges)
    lines.append(translate("host", "Judges concerned: {who}.").format(who=who))
    return "\n\n".join(lines)


def round_phase_question(
    name: str, current: str, new: str, stakes: PhaseStakes | None = None
) -> str | None:
    """Return the question to ask before moving a later round to `new`, or None to go ahead.

    The same questions the first round's phase asks (`phase_confirmation`), naming the round.
    """
    if new == current:
        return None
    figures = "" if stakes is None else "\n\n" + stakes_text(stakes)
    if new == "locked":
        return (
            translate(
                "host",
                "Lock {name}? Its judges can no longer save sheets, and its results can no"
                " longer change. You can reopen scoring later.",
            ).format(name=name)
            + figures
        )
    if new == "released":
        return (
            translate(
                "host",
                "Release the results of {name}? What teams and displays have seen cannot be"
                " taken back.",
            ).format(name=name)
            + figures
        )
    if current in ("locked", "released"):
        return translate(
            "host", "Move {name} back to {phase}? Judges can change sheets again."
        ).format(name=name, phase=translate("host", PHASES[new][0]).lower())
    return None


def finalist_rule_text(round_: Mapping[str, Any], before: str) -> str:
    """Return the sentence saying what a round's finalist rule picks."""
    n = round_["finalists_n"]
    if round_["finalists"] == "top_overall":
        return translate(
            "host", "The rule: rank {n} or better on the overall board of {before}."
        ).format(n=n, before=before)
    if round_["finalists"] == "top_per_prize":
        return translate(
            "host", "The rule: rank {n} or better on any board of {before}, each prize's too."
        ).format(n=n, before=before)
    return translate("host", "Every team takes part: there is nothing to choose.")


def import_prizes_text(new: Sequence[str], matched: Sequence[str]) -> str:
    """Return what an import does with the opt-in prizes it found: new ones, matched ones."""
    lines = []
    if new:
        lines.append(
            translate("host", "New prizes (made, opt-in): {names}.").format(names=", ".join(new))
        )
    if matched:
        lines.append(
            translate("host", "Prizes matched to the event's: {names}.").format(
                names=", ".join(matched)
            )
        )
    return " ".join(lines)


def prize_choices(
    prizes: Sequence[Mapping[str, Any]], field: str, value: str
) -> list[tuple[str, str]]:
    """Return (id, name) of the prizes whose `field` is `value`: what a team's or judge's form
    offers (opt-in prizes to a team, prizes of listed judges to a judge)."""
    return [(str(p["id"]), str(p["name"])) for p in prizes if p[field] == value]


def merged_prizes(
    old: Collection[str], offered: Iterable[tuple[str, str]], ticked: Collection[str]
) -> list[str]:
    """Return an entity's prizes after its form: the ones offered as ticked, the others kept."""
    shown = {ident for ident, _ in offered}
    return sorted((set(old) - shown) | (set(ticked) & shown))
