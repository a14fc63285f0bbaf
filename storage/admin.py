"""The organiser's logic: readable ids, team CSV import, judge auto-assignment and progress."""

from __future__ import annotations

import csv
import io
import itertools
import random
import re
import unicodedata
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storage.importers import devpost
from storage.ops import MAX_NAME, is_entity_id
from storage.sheets import scorable_teams
from storage.state import State

MAX_ID = 64
# Room for "-<number>" and a readable slug after the prefix, within MAX_ID.
MAX_PREFIX = 32
# docs/protocol.md 5a: a team.put lists at most 50 members.
MAX_MEMBERS = 50

# --- ids -----------------------------------------------------------------------------------------

# Latin letters that NFKD leaves whole (no base letter plus accent), spelled the usual ASCII way.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)
# "O'Brien" reads better as obrien than as o-brien.
_APOSTROPHES = str.maketrans("", "", "'’`")


def slugify(name: str) -> str:
    """Return `name` as lowercase ASCII words joined by '-'; empty when nothing usable is left."""
    text = unicodedata.normalize("NFKD", name.translate(_LETTERS).translate(_APOSTROPHES))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", text))


def new_id(prefix: str, name: str, taken: Collection[str]) -> str:
    """Return a readable id `<prefix>-<slug of name>` that is none of `taken` and not 'admin'.

    A taken id gets -2, -3...; a name without letters or digits becomes `<prefix>-1`, -2...
    Taken ids compare case-insensitively, so two ids never differ only in case. An empty
    prefix gives the bare slug.
    """
    if prefix and (not is_entity_id(prefix) or len(prefix) > MAX_PREFIX):
        raise ValueError(
            f"an id prefix is at most {MAX_PREFIX} letters, digits, '_', '.' or '-'; "
            f"{prefix[:40]!r} is not"
        )
    # 'admin' is the author of the organiser's ops, never a judge's id (docs/protocol.md 5a).
    used = {item.casefold() for item in taken} | {"admin"}
    slug = slugify(name)
    head = f"{prefix}-" if prefix else ""
    for n in itertools.count(1):
        if slug:
            suffix = "" if n == 1 else f"-{n}"
            # A cut may end on a '-' between words; an id ending "-" or holding "--" reads badly.
            body = slug[: MAX_ID - len(head) - len(suffix)].rstrip("-")
            candidate = f"{head}{body}{suffix}"
        else:
            candidate = f"{head}{n}"
        if candidate.casefold() not in used:
            return candidate
    raise AssertionError("unreachable: itertools.count never ends")


# --- team CSV import -----------------------------------------------------------------------------

# Header names, compared case-insensitively; in each tuple the first one present wins.
NAME_HEADERS = (
    "project title",
    "submission title",
    "project name",
    "team name",
    "team",
    "name",
    "title",
)
LOCATION_HEADERS = ("table number", "table", "location", "booth")
MEMBERS_HEADERS = ("team members", "members", "team member names")
# Devpost lists the submitter apart from the "additional" team members numbered from 1.
_SUBMITTER = ("submitter first name", "submitter last name")
_DEVPOST_MEMBER = re.compile(r"team member (\d+) (first|last) name")
_DELIMITERS = ",;\t"
# A one-column file splits on none of the delimiters; this one never occurs in real text.
_NO_DELIMITER = "\x1f"
_MEMBER_SEPARATORS = re.compile(r"[,;\r\n]")
# Excel writes "sep=;" on the first line of a CSV when the delimiter is not the locale's.
_EXCEL_SEP = re.compile(r"sep=([,;\t|])")


@dataclass(frozen=True)
class TeamRow:
    """One data row of an imported sheet: the team it describes, or why it cannot be imported."""

    line: int
    name: str
    location: str = ""
    members: list[str] = field(default_factory=list)
    error: str | None = None
    # The prize names it opted into (Devpost's "Opt-In Prizes"), matched or made by plan_prizes.
    prizes: list[str] = field(default_factory=list)
    # True when `error` is a note that the row was skipped on purpose (a Devpost draft).
    skipped: bool = False


@dataclass(frozen=True)
class TeamsPreview:
    """What an import would add: every data row, and which headers gave name, location, members."""

    rows: list[TeamRow]
    columns: dict[str, str]

    @property
    def errors(self) -> list[str]:
        """One sentence per row that cannot be imported, with its line number."""
        return [f"Line {row.line}: {row.error}." for row in self.rows if row.error is not None]

    def valid_rows(self) -> list[TeamRow]:
        """Return the rows that can be imported, in file order."""
        return [row for row in self.rows if row.error is None]


@dataclass(frozen=True)
class _Layout:
    """Where a sheet keeps each field: column indexes, and the header text shown to the user."""

    name: int
    location: int | None
    members: int | None
    # (first name, last name) column pairs, used when there is no single members column.
    member_pairs: list[tuple[int | None, int | None]]
    columns: dict[str, str]
    # Devpost's columns (storage.importers.devpost): status, highest step, opt-in prizes.
    status: int | None = None
    step: int | None = None
    prizes: int | None = None


def _clean(text: str) -> str:
    # A name is one line: a quoted newline or a run of spaces in a cell becomes one space.
    return " ".join(text.split())


def _name_key(name: str) -> str:
    return _clean(name).casefold()


def _header_key(header: str) -> str:
    return _clean(header.replace("_", " ")).casefold()


def _find_layout(header: list[str]) -> _Layout | None:
    keys = [_header_key(cell) for cell in header]

    def first(names: tuple[str, ...]) -> int | None:
        return next((keys.index(name) for name in names if name in keys), None)

    name = first(NAME_HEADERS)
    if name is None:
        return None
    columns = {"name": _clean(header[name])}
    location = first(LOCATION_HEADERS)
    if location is not None:
        columns["location"] = _clean(header[location])
    members = first(MEMBERS_HEADERS)
    pairs: list[tuple[int | None, int | None]] = []
    if members is not None:
        columns["members"] = _clean(header[members])
    else:
        numbered: dict[int, list[int | None]] = {}
        for index, key in enumerate(keys):
            match = _DEVPOST_MEMBER.fullmatch(key)
            if match:
                pair = numbered.setdefault(int(match[1]), [None, None])
                slot = 0 if match[2] == "first" else 1
                if pair[slot] is None:
                    pair[slot] = index
        described = []
        first_name, last_name = (keys.index(k) if k in keys else None for k in _SUBMITTER)
        if first_name is not None or last_name is not None:
            pairs.append((first_name, last_name))
            described.append("Submitter First Name + Last Name")
        if numbered:
            pairs.extend((p[0], p[1]) for _, p in sorted(numbered.items()))
            low, high = min(numbered), max(numbered)
            span = str(low) if low == high else f"{low}-{high}"
            described.append(f"Team Member {span} First Name + Last Name")
        if pairs:
            columns["members"] = ", ".join(described)
    return _Layout(name, location, members, pairs, columns, *_devpost_columns(header, columns))


def _devpost_columns(
    header: list[str], columns: dict[str, str]
) -> tuple[int | None, int | None, int | None]:
    """Return where Devpost's status, highest step and opt-in prizes are (and name them)."""
    keys = [_header_key(cell) for cell in header]
    found = [
        next((keys.index(n) for n in names if n in keys), None)
        for names in (devpost.STATUS_HEADERS, (devpost.HIGHEST_STEP,), devpost.PRIZES_HEADERS)
    ]
    for what, index in (("status", found[0]), ("prizes", found[2])):
        if index is not None:
            columns[what] = _clean(header[index])
    return found[0], found[1], found[2]


def _records(text: str, delimiter: str, skip: int) -> Iterator[tuple[int, list[str]]]:
    """Yield (line the record starts on, cells) for each record that is not blank."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True, strict=False
    )
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if start > skip and any(cell.strip() for cell in cells):
                yield start, cells
    except csv.Error as exc:
        raise ValueError(f"Line {last + 1} cannot be read as CSV: {exc}.") from exc


def _delimiters(text: str, header_line: str) -> list[str]:
    """Return the delimiters to try, most likely first: only those the header line contains."""
    present = [d for d in _DELIMITERS if d in header_line]
    if not present:
        return [_NO_DELIMITER]
    try:
        sniffed = csv.Sniffer().sniff(text[:8192], delimiters="".join(present)).delimiter
    except csv.Error:
        sniffed = None
    by_count = sorted(present, key=lambda d: -header_line.count(d))
    return list(dict.fromkeys([d for d in (sniffed, *by_count) if d in present]))


def _has_text(line: str) -> bool:
    return any(not char.isspace() and char not in _DELIMITERS for char in line)


def _split_members(raw: str) -> list[str]:
    return [name for name in map(_clean, _MEMBER_SEPARATORS.split(raw)) if name]


def _unique(names: list[str]) -> list[str]:
    # Devpost may list the submitter again among the numbered members.
    seen: set[str] = set()
    kept = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def _row(line: int, cells: list[str], layout: _Layout) -> TeamRow:
    def cell(index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    if layout.members is not None:
        members = _split_members(cell(layout.members))
    else:
        full = (_clean(f"{cell(first)} {cell(last)}") for first, last in layout.member_pairs)
        members = [name for name in full if name]
    prizes = devpost.split_prizes(cell(layout.prizes))
    row = TeamRow(
        line,
        _clean(cell(layout.name)),
        _clean(cell(layout.location)),
        _unique(members),
        None,
        prizes,
    )
    note = devpost.skip_note(cell(layout.status), cell(layout.step))
    return row if note is None else TeamRow(**{**row.__dict__, "error": note, "skipped": True})


def _row_error(row: TeamRow, existing: set[str], claimed: dict[str, int]) -> str | None:
    if row.error is not None:
        return row.error  # a Devpost draft: skipped, with its note
    if not row.name:
        return "the team name is empty"
    if len(row.name) > MAX_NAME:
        return f"the team name is longer than {MAX_NAME} characters"
    key = _name_key(row.name)
    if key in existing:
        return f"the event already has a team named {row.name!r}"
    if key in claimed:
        return f"the same team name as line {claimed[key]}"
    if len(row.location) > MAX_NAME:
        return f"the location is longer than {MAX_NAME} characters"
    if len(row.members) > MAX_MEMBERS:
        return f"{len(row.members)} members; a team has at most {MAX_MEMBERS}"
    for member in row.members:
        if len(member) > MAX_NAME:
            return f"a member's name is longer than {MAX_NAME} characters ({member[:30]}…)"
    return devpost.prize_problem(row.prizes)


def parse_teams_csv(text: str, existing_names: Collection[str]) -> TeamsPreview:
    """Read a team sheet (a Devpost export or a hand-made CSV) into a preview of its rows.

    Rows that cannot be imported stay in the preview with their error, so the user sees them.
    A row only claims its name once it is valid, so a broken row does not hide a good twin.
    Raises ValueError when the file has no recognisable team name column or is not CSV.
    """
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    skip, forced = 0, None
    if lines and (match := _EXCEL_SEP.fullmatch(lines[0].strip())):
        skip, forced = 1, match[1]
    empty = ValueError("The file holds no rows; it needs a header row and one row per team.")
    header_line = next((line for line in lines[skip:] if _has_text(line)), None)
    if header_line is None:
        raise empty
    found: list[str] = []
    for delimiter in [forced] if forced else _delimiters(text, header_line):
        records = _records(text, delimiter, skip)
        first = next(records, None)
        if first is None:
            raise empty
        layout = _find_layout(first[1])
        if layout is not None:
            break
        found = found or first[1]
    else:
        named = ", ".join(repr(_clean(cell)) for cell in found if _clean(cell))
        raise ValueError(
            f"No column names the teams; the headers found are {named}. "
            "Name the column 'Team Name' or 'Project Title'."
        )
    existing = {_name_key(name) for name in existing_names}
    claimed: dict[str, int] = {}
    rows = []
    for line, cells in records:
        row = _row(line, cells, layout)
        error = _row_error(row, existing, claimed)
        if error is None:
            claimed[_name_key(row.name)] = line
        elif not row.skipped:
            row = TeamRow(row.line, row.name, row.location, row.members, error, row.prizes)
        rows.append(row)
    return TeamsPreview(rows, layout.columns)


def team_body(
    row: TeamRow, team_id: str, prize_ids: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the team.put body that imports `row` as team `team_id`.

    `prize_ids` (from `plan_prizes`) names the prizes of the row's opt-in prize names; without
    it the team opts into none.
    """
    if row.error is not None:
        raise ValueError(f"line {row.line} cannot be imported: {row.error}")
    if not is_entity_id(team_id):
        raise ValueError(f"{team_id!r} is not a team id")
    body: dict[str, Any] = {
        "id": team_id,
        "name": row.name,
        "location": row.location,
        "members": list(row.members),
    }
    if prize_ids is not None and row.prizes:
        body["prizes"] = sorted({prize_ids[name.casefold()] for name in row.prizes})
    return body


def plan_prizes(
    rows: Iterable[TeamRow], prizes: Iterable[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Match the rows' opt-in prize names to the event's prizes by name (any case), or plan new.

    Returns the prize.put bodies to make before the teams (opt-in prizes, so only the teams
    that named them compete) and each name's prize id, keyed by the casefolded name.
    """
    ids = {str(p["name"]).casefold(): str(p["id"]) for p in prizes}
    taken = set(ids.values())
    new: list[dict[str, Any]] = []
    for row in rows:
        for name in row.prizes if row.error is None else ():
            if name.casefold() not in ids:
                prize_id = new_id("prize", name, taken)
                taken.add(prize_id)
                ids[name.casefold()] = prize_id
                new.append({"id": prize_id, "name": name, "eligibility": "opt_in"})
    return new, ids


# --- assignment ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """Which teams each judge scores, and what the organiser should know about it."""

    by_judge: dict[str, set[str]]
    warnings: list[str]

    def by_team(self) -> dict[str, set[str]]:
        """Return the judges of each team that has any."""
        teams: dict[str, set[str]] = {}
        for judge, assigned in self.by_judge.items():
            for team in assigned:
                teams.setdefault(team, set()).add(judge)
        return teams

    def loads(self) -> dict[str, int]:
        """Return how many teams each judge scores."""
        return {judge: len(assigned) for judge, assigned in self.by_judge.items()}


def _judges(count: int) -> str:
    return "no judge" if count == 0 else f"only {count} judge" + ("" if count == 1 else "s")


def auto_assign(
    teams: Sequence[str],
    conflicts: Mapping[str, Collection[str]],
    k: int,
    *,
    keep: Mapping[str, Collection[str]] | None = None,
    seed: int = 0,
) -> Assignment:
    """Give each team `k` judges without a conflict, spreading the work as evenly as possible.

    `conflicts` maps every judge to the teams it must not judge. `keep` holds pairs that stay
    (they count toward `k` and toward the judge's load); kept pairs with a conflict are dropped
    with a warning, and pairs naming an unknown judge or team are ignored. A team gets
    min(k, judges without a conflict) judges, or more if `keep` already gave it more. Among
    those assignments the judges' loads are the most even possible (the least sum of squared
    loads, which also gives the least maximum and the greatest minimum load). `seed` breaks
    ties; the same inputs and seed always give the same result.
    """
    if k < 1:
        raise ValueError(f"each team needs at least 1 judge; k is {k}")
    rng = random.Random(seed)
    # Sorted before shuffling: a set's order changes between runs, the result must not.
    judges = sorted(conflicts)
    rng.shuffle(judges)
    team_ids = sorted(set(teams))
    rng.shuffle(team_ids)
    judge_rank = {judge: index for index, judge in enumerate(judges)}
    team_rank = {team: index for index, team in enumerate(team_ids)}
    banned = {judge: set(conflicts[judge]) for judge in judges}
    eligible = {team: [j for j in judges if team not in banned[j]] for team in team_ids}
    by_judge: dict[str, set[str]] = {judge: set() for judge in judges}
    warnings: list[str] = []
    fixed = _keep(keep or {}, by_judge, banned, judge_rank, team_rank, warnings)
    load = {judge: len(assigned) for judge, assigned in by_judge.items()}
    kept = {team: sum(1 for judge in judges if (judge, team) in fixed) for team in team_ids}
    # The teams with the fewest possible judges first, while those judges still have room.
    for team in sorted(team_ids, key=lambda t: (len(eligible[t]), team_rank[t])):
        target = min(k, len(eligible[team]))
        if len(eligible[team]) < k:
            warnings.append(
                f"Team {team} has {_judges(len(eligible[team]))} without a conflict; "
                f"it gets {target}, not {k}"
            )
        if kept[team] > k:
            warnings.append(f"Team {team} keeps its {kept[team]} judges, more than {k}")
        free = [judge for judge in eligible[team] if team not in by_judge[judge]]
        free.sort(key=lambda judge: (load[judge], judge_rank[judge]))
        for judge in free[: max(0, target - kept[team])]:
            by_judge[judge].add(team)
            load[judge] += 1

    _balance(by_judge, load, eligible, fixed, judge_rank, team_rank)
    if any(by_judge.values()):
        # docs/protocol.md 6a: a judge with no assignment list may score every team.
        warnings += [
            f"Judge {judge} gets no team, and a judge without assignments "
            "may score every team it has no conflict with"
            for judge in judges
            if not by_judge[judge]
        ]
    return Assignment({judge: by_judge[judge] for judge in sorted(by_judge)}, warnings)


def _keep(
    keep: Mapping[str, Collection[str]],
    by_judge: dict[str, set[str]],
    banned: Mapping[str, set[str]],
    judge_rank: Mapping[str, int],
    team_rank: Mapping[str, int],
    warnings: list[str],
) -> set[tuple[str, str]]:
    """Assign the kept pairs of known judges and teams, dropping those with a conflict."""
    fixed: set[tuple[str, str]] = set()
    for judge in sorted(keep, key=lambda j: judge_rank.get(j, -1)):
        if judge not in by_judge:
            continue
        for team in sorted(keep[judge], key=lambda t: team_rank.get(t, -1)):
            if team not in team_rank:
                continue
            if team in banned[judge]:
                warnings.append(
                    f"Judge {judge} has a conflict with team {team}; that assignment is dropped"
                )
                continue
            by_judge[judge].add(team)
            fixed.add((judge, team))
    return fixed


def _balance(
    by_judge: dict[str, set[str]],
    load: dict[str, int],
    eligible: Mapping[str, list[str]],
    fixed: set[tuple[str, str]],
    judge_rank: Mapping[str, int],
    team_rank: Mapping[str, int],
) -> None:
    """Move teams along chains of judges until no chain can make the loads more even.

    A chain moves one team from a judge A to J1, another from J1 to J2, ... and one to B, so A
    loses one, B gains one and the rest stay. When no chain leads from any A to a B with at
    least 2 fewer teams, the sum of squared loads is the least possible (the optimality test of
    a convex-cost flow: no negative cycle), so the loads are as even as the conflicts allow.
    Each move lowers that sum, so the loop ends.
    """
    while True:
        # Only a judge with at least 2 more teams than the lightest can start a chain.
        lightest = min(load.values(), default=0)
        heavy = [judge for judge in by_judge if load[judge] >= lightest + 2]
        for source in sorted(heavy, key=lambda j: (-load[j], judge_rank[j])):
            chain = _chain(source, by_judge, load, eligible, fixed, team_rank)
            if chain:
                for giver, team, taker in chain:
                    by_judge[giver].remove(team)
                    by_judge[taker].add(team)
                load[source] -= 1
                load[chain[-1][2]] += 1
                break
        else:
            return


def _chain(
    source: str,
    by_judge: Mapping[str, set[str]],
    load: Mapping[str, int],
    eligible: Mapping[str, list[str]],
    fixed: set[tuple[str, str]],
    team_rank: Mapping[str, int],
) -> list[tuple[str, str, str]] | None:
    """Return the moves (giver, team, taker) of a chain from `source` to a lighter judge.

    Breadth first, takers in `eligible` order (the seeded judge ranks), so the chain is the
    same on every run.
    """
    came_from: dict[str, tuple[str, str]] = {}
    queue = deque([source])
    seen = {source}
    while queue:
        giver = queue.popleft()
        for team in sorted(by_judge[giver], key=team_rank.__getitem__):
            if (giver, team) in fixed:
                continue
            for taker in eligible[team]:
                if taker in seen or team in by_judge[taker]:
                    continue
                seen.add(taker)
                came_from[taker] = (giver, team)
                if load[taker] <= load[source] - 2:
                    moves = []
                    node = taker
                    while node != source:
                        previous, moved = came_from[node]
                        moves.append((previous, moved, node))
                        node = previous
                    return moves[::-1]
                queue.append(taker)
    return None


def assignment_ops(state: State, result: Assignment) -> list[dict[str, Any]]:
    """Return the assign.put bodies that turn the state's assignments into `result`.

    Only judges in `result` change. New pairs come first: a judge whose old teams were removed
    before its new ones arrived would, for a moment, have no list and so may score every team.
    Pairs naming a team or judge the state no longer holds, or a conflicted pair, are left out,
    since the host would refuse them (docs/protocol.md 6a).
    """
    teams, judges = state.teams(), state.judges()
    added: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    for judge_id in sorted(result.by_judge):
        judge = judges.get(judge_id)
        if judge is None:
            continue
        current = state.assigned_teams(judge_id) & teams.keys()
        wanted = {team for team in result.by_judge[judge_id] if team in teams} - set(
            judge["conflicts"]
        )
        for team in sorted(wanted - current):
            added.append({"judge": judge_id, "team": team, "assigned": True})
        for team in sorted(current - wanted):
            removed.append({"judge": judge_id, "team": team, "assigned": False})
    return added + removed


# --- progress ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgeProgress:
    """How far one judge has got: final and draft sheets, and how many teams it should score."""

    judge: str
    name: str
    final: int
    drafts: int
    expected: int


def judge_progress(state: State) -> list[JudgeProgress]:
    """Return each live judge's progress on live teams, sorted by name."""
    teams = state.teams()
    final: dict[str, int] = {}
    drafts: dict[str, int] = {}
    for sheet in state.sheets():
        if sheet["team"] in teams:
            tally = final if sheet["final"] else drafts
            tally[sheet["judge"]] = tally.get(sheet["judge"], 0) + 1
    rows = [
        JudgeProgress(
            judge_id,
            judge["name"],
            final.get(judge_id, 0),
            drafts.get(judge_id, 0),
            len(scorable_teams(state, judge_id, teams)),
        )
        for judge_id, judge in state.judges().items()
    ]
    return sorted(rows, key=lambda row: (row.name.casefold(), row.judge))


def team_progress(state: State) -> dict[str, tuple[int, int]]:
    """Return, for each live team, (final sheets by live judges, judges expected to score it).

    A judge is expected when it may score the team: the team is on its list, or it has no
    list, and it has no conflict with the team; the same test the host applies to a sheet.
    """
    teams, judges = state.teams(), state.judges()
    final = dict.fromkeys(teams, 0)
    expected = dict.fromkeys(teams, 0)
    for sheet in state.sheets():
        if sheet["final"] and sheet["team"] in teams and sheet["judge"] in judges:
            final[sheet["team"]] += 1
    for judge in judges.values():
        for team in scorable_teams(state, judge["id"], teams):
            expected[team] += 1
    return {team: (final[team], expected[team]) for team in sorted(teams)}
