"""The state folded from ops: per key, the value of the op with the greatest HLC (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from storage.ops import (
    DISPLAY_DEFAULTS,
    EVENT_DEFAULTS,
    EVENT_EXTRA_DEFAULTS,
    FIRST_ROUND,
    PHASES,
    Op,
    round_key,
)


@dataclass(frozen=True)
class Entry:
    """The winning op of one key: its stamp, id, and the value it wrote (None: deleted)."""

    hlc: str
    op_id: str
    author: str
    value: dict[str, Any] | None


def _order(stamp: str, op_id: str) -> tuple[str, int]:
    # Two ops of one device can carry one stamp only if its clock was set back (a laptop
    # restored from a backup); the later op number then wins, the same on every replica.
    return stamp, int(op_id.rsplit("/", 1)[1])


def entry_for(op: Op) -> Entry:
    """Return the state entry an op writes."""
    value = op.value  # normalize_body's, once per op (the rules asked it before)
    if op.kind == "sheet.save" and value is not None:
        value = {"judge": op.author, **value}
    elif op.kind == "sheet.enter" and value is not None:
        value = {**value, "entered_by": op.author}  # a paper sheet: marked as the organiser's
    return Entry(op.hlc, op.id, op.author, value)


class State:
    """Last-writer-wins state of a replica, keyed as `storage.ops.merge_key` says."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        # Keys by prefix ("team/", "assign/<judge>/"), so that views never scan the whole state;
        # and sheet keys by team, so that a team's welcome reads its own sheets, not all of them.
        self._groups: dict[str, set[str]] = {}
        self._team_sheets: dict[str, set[str]] = {}
        # Sorted views of entities that change rarely (criteria, prizes), by their key prefix,
        # kept until a key under it changes: the host's rules read them for every sheet.
        self._views: dict[str, list[dict[str, Any]]] = {}

    def copy(self) -> State:
        """Return an independent copy (entries are immutable, so they are shared)."""
        other = State()
        other.entries = dict(self.entries)
        other._groups = {prefix: set(keys) for prefix, keys in self._groups.items()}
        return other

    def _index(self, key: str) -> None:
        parts = key.split("/")
        self._groups.setdefault(parts[0] + "/", set()).add(key)
        if len(parts) > 2:
            self._groups.setdefault(f"{parts[0]}/{parts[1]}/", set()).add(key)
            if parts[0] == "sheet":
                self._team_sheets.setdefault(parts[2], set()).add(key)

    def _unindex(self, key: str) -> None:
        parts = key.split("/")
        self._groups.get(parts[0] + "/", set()).discard(key)
        if len(parts) > 2:
            self._groups.get(f"{parts[0]}/{parts[1]}/", set()).discard(key)
            if parts[0] == "sheet":
                self._team_sheets.get(parts[2], set()).discard(key)

    def apply(self, op: Op) -> Entry | None:
        """Fold `op` in; return its entry when it won its key, None when an older op."""
        entry = entry_for(
            op
        )  # checks the body first: a malformed one raises InvalidOp, not KeyError
        key = op.key
        current = self.entries.get(key)
        if current is not None and _order(current.hlc, current.op_id) >= _order(op.hlc, op.id):
            return None
        if current is None:
            self._index(key)
        self.entries[key] = entry
        if self._views:
            self._views.pop(key[: key.find("/") + 1], None)
        return entry

    def put(self, key: str, entry: Entry | None) -> None:
        """Set a key's entry outright (used when a pending op is rejected and its key refolded)."""
        if self._views:
            self._views.pop(key[: key.find("/") + 1], None)
        if entry is None:
            if self.entries.pop(key, None) is not None:
                self._unindex(key)
        else:
            if key not in self.entries:
                self._index(key)
            self.entries[key] = entry

    def value(self, key: str) -> dict[str, Any] | None:
        """Return the live value of `key`, or None when absent or deleted."""
        entry = self.entries.get(key)
        return None if entry is None else entry.value

    def live_entries(self, prefix: str) -> Iterator[tuple[str, Entry]]:
        """Yield (key, entry) of every live entry under `prefix`, in key order."""
        for key in sorted(self._groups.get(prefix, ())):
            entry = self.entries[key]
            if entry.value is not None:
                yield key, entry

    def keys(self, prefix: str) -> list[str]:
        """Return every key under `prefix` ("judge/"), deleted ones included, in key order."""
        return sorted(self._groups.get(prefix, ()))

    def live(self, prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield (key, value) of every live entry under `prefix` ("team/" or "assign/<judge>/")."""
        for key, entry in self.live_entries(prefix):
            assert entry.value is not None
            yield key, entry.value

    # Typed views. Ids index the dicts; values are the normalized op bodies.

    def event(self) -> dict[str, Any]:
        """Return the event settings, with defaults for fields never set."""
        settings = dict(EVENT_DEFAULTS)
        for key, value in self.live("event/"):
            settings[key.removeprefix("event/")] = value["value"]
        return settings

    @property
    def phase(self) -> str:
        """The event's phase."""
        value = self.value("event/phase")
        return str(value["value"]) if value else str(EVENT_DEFAULTS["phase"])

    def team(self, team_id: str) -> dict[str, Any] | None:
        """Return a live team."""
        return self.value(f"team/{team_id}")

    def judge(self, judge_id: str) -> dict[str, Any] | None:
        """Return a live judge."""
        return self.value(f"judge/{judge_id}")

    def criterion(self, criterion_id: str) -> dict[str, Any] | None:
        """Return a live criterion."""
        return self.value(f"criterion/{criterion_id}")

    def device(self, device_id: str) -> dict[str, Any] | None:
        """Return a registered device, or None when unknown."""
        return self.value(f"device/{device_id}")

    def revoked(self, device_id: str) -> bool:
        """Tell whether the device was revoked."""
        return self.value(f"revoked/{device_id}") is not None

    def teams(self) -> dict[str, dict[str, Any]]:
        """Return the live teams by id."""
        return {v["id"]: v for _, v in self.live("team/")}

    def judges(self) -> dict[str, dict[str, Any]]:
        """Return the live judges by id."""
        return {v["id"]: v for _, v in self.live("judge/")}

    def criteria(self) -> list[dict[str, Any]]:
        """Return the event's own criteria (of no prize or round) in their display order."""
        return [c for c in self.all_criteria() if "prize" not in c and "round" not in c]

    def all_criteria(self) -> list[dict[str, Any]]:
        """Return every live criterion, the event's, prizes' and rounds', in display order."""
        return list(self._view("criterion/"))

    def _view(self, prefix: str) -> list[dict[str, Any]]:
        """Return the live values under `prefix` in display order (order, then id), kept."""
        view = self._views.get(prefix)
        if view is None:
            view = sorted((v for _, v in self.live(prefix)), key=lambda v: (v["order"], v["id"]))
            self._views[prefix] = view
        return view

    def event_setting(self, field: str) -> Any:
        """Return one event field, with its default (the added fields' too) when never set."""
        value = self.value(f"event/{field}")
        if value is not None:
            return value["value"]
        if field in DISPLAY_DEFAULTS:
            return DISPLAY_DEFAULTS[field]
        return EVENT_DEFAULTS.get(field, EVENT_EXTRA_DEFAULTS.get(field))

    def prizes(self) -> list[dict[str, Any]]:
        """Return the live prizes in their display order."""
        return list(self._view("prize/"))

    def prize(self, prize_id: str) -> dict[str, Any] | None:
        """Return a live prize."""
        return self.value(f"prize/{prize_id}")

    def first_round(self) -> dict[str, Any]:
        """Return the first round: the event itself, shaped like a round.put value."""
        return {
            "id": FIRST_ROUND,
            "name": self.event_setting("round_name"),
            "order": 0,
            "judges": [],
            "finalists": "all",
            "finalists_n": 0,
            "result": "own",
            "previous_weight": 0,
            "normalise": self.event_setting("normalise"),
            "tie_break": list(self.event_setting("tie_break")),
        }

    def rounds(self) -> list[dict[str, Any]]:
        """Return every round in order, the first round (the event) first."""
        later = sorted((v for _, v in self.live("round/")), key=lambda r: (r["order"], r["id"]))
        return [self.first_round(), *later]

    def round(self, round_id: str) -> dict[str, Any] | None:
        """Return a round by id (FIRST_ROUND is the event's own)."""
        return self.first_round() if round_id == FIRST_ROUND else self.value(f"round/{round_id}")

    def round_phase(self, round_id: str) -> str:
        """Return a round's phase: the event's for the first round, `setup` until one is set."""
        if round_id == FIRST_ROUND:
            return self.phase
        value = self.value(f"roundphase/{round_id}")
        return str(value["phase"]) if value else PHASES[0]

    def round_sheets(self, round_id: str) -> list[dict[str, Any]]:
        """Return the live sheets of one round, in key order."""
        if round_id == FIRST_ROUND:
            return self.sheets()
        return [v for _, v in self.live(f"rsheet/{round_id}/")]

    def round_sheet(self, round_id: str, judge_id: str, team_id: str) -> dict[str, Any] | None:
        """Return one judge's sheet for one team in one round."""
        if round_id == FIRST_ROUND:
            return self.sheet(judge_id, team_id)
        return self.value(f"rsheet/{round_id}/{judge_id}/{team_id}")

    def round_assigned_teams(self, round_id: str, judge_id: str) -> set[str]:
        """Return a judge's assignments in one round (empty: no assignment list there)."""
        if round_id == FIRST_ROUND:
            return self.assigned_teams(judge_id)
        return {
            v["team"]
            for _, v in self.live(f"rassign/{round_id}/")
            if v["judge"] == judge_id and v["assigned"]
        }

    def finalist_marks(self, round_id: str) -> dict[str, bool]:
        """Return the organiser's manual finalist choices of a round: team -> added or removed."""
        return {v["team"]: v["finalist"] for _, v in self.live(f"finalist/{round_id}/")}

    def assigned_teams(self, judge_id: str) -> set[str]:
        """Return the teams assigned to a judge (empty: the judge has no assignment list)."""
        return {v["team"] for _, v in self.live(f"assign/{judge_id}/") if v["assigned"]}

    def sheets(self) -> list[dict[str, Any]]:
        """Return every live sheet, in key order."""
        return [v for _, v in self.live("sheet/")]

    def team_sheets(self, team_id: str) -> list[dict[str, Any]]:
        """Return every live sheet for one team, in key order (as `sheets` orders them)."""
        found = (self.entries[key].value for key in sorted(self._team_sheets.get(team_id, ())))
        return [value for value in found if value is not None]

    def sheet(self, judge_id: str, team_id: str) -> dict[str, Any] | None:
        """Return one judge's sheet for one team."""
        return self.value(f"sheet/{judge_id}/{team_id}")

    # Corrections (docs/protocol.md 5c): a sheet's void and reopen marks.

    def voided(self, round_id: str, judge_id: str, team_id: str) -> bool:
        """Tell whether a judge's sheet for a team in a round is void (it counts nowhere)."""
        mark = self.value(round_key("void", round_id, judge_id, team_id))
        return bool(mark and mark["voided"])

    def standing_sheets(self, round_id: str) -> list[dict[str, Any]]:
        """Return a round's live sheets that are not void: the ones any board or table counts."""
        return [
            sheet
            for sheet in self.round_sheets(round_id)
            if not self.voided(round_id, sheet["judge"], sheet["team"])
        ]

    def reopened(self, round_id: str, judge_id: str, team_id: str) -> bool:
        """Tell whether a judge may save its sheet for a team in a locked round again.

        A reopen stands until a relock, or until a final version of the sheet newer than the
        reopen (the judge's or a paper one): that relocks it by itself, on every replica alike.
        """
        mark = self.entries.get(round_key("reopen", round_id, judge_id, team_id))
        if mark is None or mark.value is None or not mark.value["open"]:
            return False
        sheet = self.entries.get(round_key("sheet", round_id, judge_id, team_id))
        if sheet is None or sheet.value is None or not sheet.value["final"]:
            return True
        return _order(sheet.hlc, sheet.op_id) < _order(mark.hlc, mark.op_id)
