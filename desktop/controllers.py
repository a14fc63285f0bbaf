"""Controllers: the only place where windows meet the replica, the peer link and the host server.

Widgets emit intents and render what these objects say; these objects turn intents into ops
and link or server calls, and turn changes underneath into Qt signals (coalesced per loop turn).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop import host_model, insights_model, judge_model, printing
from storage import admin as organiser
from storage import eventfile, export, history
from storage.boards import Board, finalist_changes, main_scoreboard, proposed_finalists
from storage.boards import board as one_board
from storage.boards import boards as all_boards
from storage.hlc import system_ms
from storage.ops import FIRST_ROUND, InvalidOp, Op
from storage.rebuild import RebuildReport, rebuild_host
from storage.replica import Rejected, Replica
from storage.rules import Rejection
from storage.scoring import Row
from storage.sheets import (
    CriterionImpact,
    criterion_change_impact,
    round_criteria,
    round_teams,
    sheet_criteria,
)
from storage.state import State
from sync.discovery import Browser, HostInfo, serving_addresses
from sync.peer import LinkStatus, PeerConfig, PeerLink
from sync.server import HostServer

log = logging.getLogger("tallyboard.desktop")

WELCOME_SETTING = "last_welcome"  # the replica setting that keeps the last welcome's summary
SYNCED_SETTING = "synced_once"  # set once a judge's first backlog has fully arrived


def _round_total(state: State, round_id: str, team: str) -> tuple[float | None, int]:
    """Return a team's (total, counted final sheets) on a later round's main board."""
    row = next((r for r in one_board(state, round_id).rows if r.team_id == team), None)
    return (None, 0) if row is None else (row.total_score, row.judge_count)


class _Coalescer(QObject):
    """Emit `fired` once per event-loop turn however many times `poke` was called."""

    fired = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fired)

    def poke(self, *_: object) -> None:
        """Ask for one `fired` soon."""
        if not self._timer.isActive():
            self._timer.start()


class PeerController(QObject):
    """A judge's, team's or display's replica and link, as the windows see them."""

    status_changed = Signal(object)  # LinkStatus
    state_changed = Signal()  # the replica's state changed (ops received, saved, acked)
    board_changed = Signal(object)  # the last leaderboard_update message
    # A named board's last leaderboard_update (a round's or prize's, docs/protocol.md 4e).
    named_board_changed = Signal(object)
    display_control_changed = Signal(object)  # the host's last display_control (4e)
    # A board the host took back (4e): its name, None for the main board; the link dropped it.
    board_withdrawn = Signal(object)
    notification = Signal(object)  # a notification's data
    scores_changed = Signal()  # score updates for a team's own results
    welcomed = Signal(object)  # the welcome message
    synced = Signal()  # the event's ops have arrived after a welcome: the replica is current
    hosts_changed = Signal(object)  # list[HostInfo] advertised on the network

    def __init__(self, replica: Replica, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.replica = replica
        self.link: PeerLink | None = None
        self._task: asyncio.Task[None] | None = None
        self._changes = _Coalescer(self)
        self._changes.fired.connect(self.state_changed)
        replica.listeners.append(self._changes.poke)
        self.status = LinkStatus(pending=replica.pending_count())
        self._browser: Browser | None = None
        self.hosts: list[HostInfo] = []
        self.synced.connect(self._remember_synced)

    @property
    def paired(self) -> bool:
        """Whether this device has joined a host before (and may reconnect without a code)."""
        return self.replica.setting("token") is not None

    def start_browsing(self) -> None:
        """List the hosts advertised on the network (for the connect panel)."""
        if self._browser is not None:
            return
        self._browser = Browser(self._hosts_found)
        spawn(self._browser.start())

    def _hosts_found(self, hosts: dict[str, HostInfo]) -> None:
        self.hosts = list(hosts.values())
        self.hosts_changed.emit(self.hosts)

    async def _stop_browsing(self) -> None:
        if self._browser is not None:
            await self._browser.stop()
            self._browser = None

    def start(self, config: PeerConfig) -> None:
        """Start (or restart) the link with a way to reach the host."""
        if self._task is not None and not self._task.done():
            raise RuntimeError("the link is already running")
        link = PeerLink(self.replica, config)
        link.on_status.append(self._on_status)
        link.on_message.append(self._on_message)
        self.link = link
        if link.last_board is not None:
            self.board_changed.emit(link.last_board)
        self._task = asyncio.get_running_loop().create_task(link.run())

    async def stop(self) -> None:
        """Close the link (and stop browsing)."""
        await self._stop_browsing()
        if self.link is not None:
            await self.link.stop()
        if self._task is not None:
            await self._task
            self._task = None

    def last_board(self) -> dict[str, Any] | None:
        """Return the last leaderboard this device received, even with no host around."""
        if self.link is not None:
            return self.link.last_board
        return PeerLink(self.replica, PeerConfig()).last_board

    def named_boards(self) -> list[dict[str, Any]]:
        """Return the named boards this link holds (in memory only: none with no host)."""
        return [] if self.link is None else list(self.link.named_boards.values())

    def display_control(self) -> dict[str, Any] | None:
        """Return the host's last display_control (4e), even with no host around."""
        if self.link is not None:
            return self.link.display_control
        return PeerLink(self.replica, PeerConfig()).display_control

    def notifications(self) -> list[dict[str, Any]]:
        """Return the notifications this device received (oldest first), even offline."""
        link = self.link or PeerLink(self.replica, PeerConfig())
        return list(link.notifications)

    def scores(self) -> list[dict[str, Any]]:
        """Return the score updates this device received (one per sheet), even offline."""
        link = self.link or PeerLink(self.replica, PeerConfig())
        return list(link.scores.values())

    def welcome_info(self) -> dict[str, Any]:
        """Return the last welcome's role, subject and event summary (kept across restarts)."""
        text = self.replica.setting(WELCOME_SETTING)
        try:
            info = json.loads(text) if text else {}
        except ValueError:
            info = {}
        return info if isinstance(info, dict) else {}

    @property
    def has_synced(self) -> bool:
        """Whether this replica has received the whole event at least once (so it can work
        offline), as opposed to a first welcome whose backlog is still on its way."""
        if self.link is not None and self.link.synced:
            return True
        return self.replica.setting(SYNCED_SETTING) == "1"

    def _remember_synced(self) -> None:
        if self.replica.setting(SYNCED_SETTING) != "1":
            self.replica.set_setting(SYNCED_SETTING, "1")

    @property
    def running(self) -> bool:
        """Whether the link is running (connecting, online or retrying)."""
        return self._task is not None and not self._task.done()

    async def restart(self, config: PeerConfig) -> None:
        """Stop the running link, if any (browsing goes on), and start one with `config`."""
        if self.link is not None:
            await self.link.stop()
        if self._task is not None:
            await self._task
            self._task = None
        self.start(config)

    def connect_to(
        self, target: str, code: str, secure: bool, fingerprint: str, name: str = ""
    ) -> None:
        """Connect as the connect panel asks, replacing a link that is still retrying."""
        config = PeerConfig(
            code=code or None,
            target=target or None,
            secure=secure,
            fingerprint=fingerprint or None,
            name=name,
        )
        if self.running:
            spawn(self.restart(config))
        else:
            self.start(config)

    def trust_host(self) -> bool:
        """Trust the certificate the host now presents, which the user has compared with the
        organiser's console (a host rebuilt on another laptop), and connect again at once."""
        fingerprint = self.status.offered_fp
        if fingerprint is None or self.link is None:
            return False
        self.link.trust(fingerprint)
        spawn(self.restart(self.link.config))
        return True

    def _on_status(self, status: LinkStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _on_message(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "welcome":
            # Kept so a window knows whose device this is, and the event's name, with no host
            # around. The token is not copied: it stays in its own setting only.
            info = {key: message.get(key) for key in ("role", "subject", "subject_name", "event")}
            self.replica.set_setting(WELCOME_SETTING, json.dumps(info))
            self.welcomed.emit(message)
            if self.link is not None and self.link.synced:
                self.synced.emit()
        elif kind == "ops":
            if self.link is not None and self.link.synced and message.get("vv"):
                self.synced.emit()
        elif kind == "leaderboard_update":
            assert self.link is not None
            if self.link.last_board is message:
                self.board_changed.emit(message)
            elif any(held is message for held in self.link.named_boards.values()):
                self.named_board_changed.emit(message)
        elif kind == "board_withdrawn":
            self.board_withdrawn.emit(message.get("board"))
        elif kind == "display_control":
            self.display_control_changed.emit(message)
        elif kind in ("team_notification", "judge_notification"):
            self.notification.emit(message.get("data") or {})
        elif kind == "score_update":
            self.scores_changed.emit()

    def save_sheet(
        self,
        judge: str,
        team: str,
        scores: dict[str, float],
        comment: str,
        *,
        final: bool,
        round_id: str = FIRST_ROUND,
    ) -> str | None:
        """Save a sheet durably (draft or final) and queue it for the host; return an error."""
        body: dict[str, Any] = {"team": team, "scores": scores, "comment": comment, "final": final}
        if round_id != FIRST_ROUND:
            body["round"] = round_id  # a first-round sheet names no round (docs/protocol.md 5a)
        try:
            self.replica.make("sheet.save", body, judge)
        except InvalidOp as exc:
            return str(exc)
        if self.link is not None:
            self.link.saved()
        self.status = LinkStatus(
            **{**self.status.__dict__, "pending": self.replica.pending_count()}
        )
        self.status_changed.emit(self.status)
        return None

    # --- views of the judge's window (desktop/judge/) -------------------------------------------

    def own_subject(self) -> str | None:
        """Return whose device this is: the welcome's subject, else the replica's device record."""
        subject = self.status.subject or self.welcome_info().get("subject")
        if subject:
            return str(subject)
        device = self.replica.state.device(self.replica.device_id)
        return None if device is None else device.get("subject")

    def judge_snapshot(
        self, judge_id: str | None, round_id: str | None = None
    ) -> judge_model.JudgeSnapshot:
        """Read what a judge's window shows of a round (None: the one it scores now) once."""
        return judge_model.snapshot(self.replica, judge_id, self.notifications(), round_id)


class HostController(QObject):
    """The organiser's event: admin ops through the host server, and what the console shows."""

    changed = Signal()  # the event's state changed
    devices_changed = Signal()  # a peer connected, left, or was revoked
    error = Signal(str)  # an edit was refused; the sentence says why

    def __init__(self, replica: Replica, server: HostServer | None, parent: QObject | None = None):
        super().__init__(parent)
        self.replica = replica
        self.server = server
        self._changes = _Coalescer(self)
        self._changes.fired.connect(self.changed)
        replica.listeners.append(self._changes.poke)
        self._devices = _Coalescer(self)
        self._devices.fired.connect(self.devices_changed)
        self._logged = _Coalescer(self)  # ops logged, refused ones too (the Activity page)
        self._logged.fired.connect(self.logged)
        replica.log_listeners.append(self._logged.poke)
        if server is not None:
            server.listeners.append(self._devices.poke)

    @property
    def fingerprint(self) -> str | None:
        """The host certificate's fingerprint, for peers to compare."""
        return None if self.server is None else self.server.fingerprint

    def admin(self, kind: str, body: dict[str, Any]) -> Rejection | None:
        """Make an admin op; return the rejection (also emitted as `error`) if refused."""
        try:
            if self.server is not None:
                self.server.admin(kind, body)
            else:
                self.replica.admin(kind, body)
        except Rejected as exc:
            self.error.emit(exc.rejection.message)
            return exc.rejection
        except InvalidOp as exc:
            rejection = Rejection("invalid", str(exc))
            self.error.emit(rejection.message)
            return rejection
        if kind in ("judge.put", "team.put"):
            self.replica.ensure_codes()  # a new judge or team needs its join code at once
        return None

    def revoke(self, device: str) -> None:
        """Revoke a device and close its link."""
        if self.server is not None:
            self.server.revoke(device)
        else:
            self.admin("device.revoke", {"device": device})

    def connected_devices(self) -> set[str]:
        """Return the devices with a live link now."""
        if self.server is None:
            return set()
        return {s.device for s in self.server.core.sessions.values() if s.device}

    def export(self, path: Path, fmt: str) -> None:
        """Write the results (csv) or the whole state (json) to a file."""
        path.write_text(export.render(self.replica, fmt), encoding="utf-8")

    def backup(self, path: Path) -> None:
        """Copy the live database to `path` with SQLite's online backup (consistent mid-event)."""
        source = self.replica.db.connection()
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()

    # --- paper and pictures (File ▸ Print…, the Insights page) ---------------------------------

    def document(self, what: str) -> printing.Document:
        """Gather a printed document's data; raise NothingToPrint when it would have no page."""
        return printing.build(what, self.replica.state, self.replica.board.rows())

    def insights(self) -> insights_model.InsightsView:
        """Return the Insights page's figures: distributions, harshness, sheets over time."""
        state = self.replica.state
        records = insights_model.sheet_records(state)
        return insights_model.insights_view(state.criteria(), state.judges(), records)

    # --- the organiser's console (desktop/host/) ------------------------------------------------

    @property
    def secure(self) -> bool:
        """Whether peers reach this host over TLS."""
        return self.server is not None and self.server.config.secure

    def _port(self) -> int | None:
        if self.server is None:
            return None
        try:
            return self.server.port
        except (AssertionError, IndexError):  # not listening (yet, or any more)
            return None

    def url(self) -> str | None:
        """Return the URL peers sync at, or None when the server is not listening."""
        if self._port() is None:
            return None
        assert self.server is not None
        return self.server.url

    def page_url(self) -> str | None:
        """Return the public page's URL, or None when the host serves no pages."""
        return None if self.server is None or self._port() is None else self.server.web_url

    def addresses(self) -> list[str]:
        """Return host:port for each address peers can reach this host at (as advertised)."""
        port = self._port()
        if self.server is None or port is None:
            return []
        return [
            host_model.host_target(address, port)
            for address in serving_addresses(self.server.config.bind)
        ]

    def new_id(self, kind: str, name: str) -> str:
        """Return a readable, never used id for a new team, judge or criterion named `name`."""
        taken = host_model.used_ids(self.replica.state, kind)
        return organiser.new_id(host_model.ID_PREFIXES[kind], name, taken)

    def admin_all(
        self,
        kind: str,
        bodies: Sequence[dict[str, Any]],
        progress: Callable[[int, int], bool] | None = None,
    ) -> list[Rejection]:
        """Make one admin op per body, in order; return the refusals.

        `progress(done, total)` is called before each op; returning False stops there.
        """
        refused = []
        for done, body in enumerate(bodies):
            if progress is not None and not progress(done, len(bodies)):
                break
            rejection = self.admin(kind, body)
            if rejection is not None:
                refused.append(rejection)
        return refused

    def save_judge(
        self,
        judge_id: str,
        name: str,
        conflicts: Iterable[str],
        prizes: Iterable[str] | None = None,
    ) -> Rejection | None:
        """Add or edit a judge (its prizes kept unless given), and drop its assignments to teams
        it now has a conflict with."""
        conflicts = list(conflicts)
        if prizes is None:
            prizes = (self.replica.state.judge(judge_id) or {}).get("prizes", ())
        body = host_model.judge_body(judge_id, name, conflicts, list(prizes))
        rejection = self.admin("judge.put", body)
        if rejection is not None:
            return rejection
        undo = host_model.conflict_unassignments(self.replica.state, judge_id, conflicts)
        refused = self.admin_all("assign.put", undo)
        return refused[0] if refused else None

    def import_teams(
        self,
        rows: Sequence[organiser.TeamRow],
        progress: Callable[[int, int], bool] | None = None,
    ) -> ImportOutcome:
        """Add the valid rows of a team sheet as teams, each under a new readable id.

        `progress(done, total)` is called before each row; returning False stops the import.
        """
        outcome = ImportOutcome()
        valid = [row for row in rows if row.error is None]
        # Devpost's opt-in prizes first: matched by name, or made (opt-in) before the teams.
        new_prizes, prize_ids = self.plan_import_prizes(valid)
        for body in new_prizes:
            if self.admin("prize.put", body) is None:
                outcome.prizes.append(body["id"])
        for done, row in enumerate(valid):
            if progress is not None and not progress(done, len(valid)):
                outcome.cancelled = True
                break
            team_id = self.new_id("team", row.name)
            rejection = self.admin("team.put", organiser.team_body(row, team_id, prize_ids))
            if rejection is None:
                outcome.added.append(team_id)
            else:
                outcome.failed.append((row, rejection))
        return outcome

    def plan_assignment(
        self, k: int, *, keep_current: bool = False, seed: int = 0
    ) -> tuple[organiser.Assignment, list[dict[str, Any]]]:
        """Plan `k` judges per team (balanced, no conflicts) and the assign.put bodies it takes."""
        state = self.replica.state
        judges = state.judges()
        conflicts = {judge_id: judge["conflicts"] for judge_id, judge in judges.items()}
        keep = {j: state.assigned_teams(j) for j in judges} if keep_current else None
        result = organiser.auto_assign(list(state.teams()), conflicts, k, keep=keep, seed=seed)
        return result, organiser.assignment_ops(state, result)

    def judge_progress(self) -> list[organiser.JudgeProgress]:
        """Return each judge's final sheets, drafts and expected sheets."""
        return organiser.judge_progress(self.replica.state)

    def team_progress(self) -> dict[str, tuple[int, int]]:
        """Return each team's (final sheets, judges expected)."""
        return organiser.team_progress(self.replica.state)

    def phase_stakes(self) -> host_model.PhaseStakes:
        """Return what locking or releasing would freeze or publish now."""
        return host_model.phase_stakes(self.team_progress(), self.judge_progress(), self.devices())

    def devices(self) -> list[host_model.DeviceRow]:
        """Return every paired device with its link, last contact, pending ops and address."""
        return host_model.device_rows(
            self.replica.state,
            self.replica.seen_devices(),
            self.connected_devices(),
            self.replica.display_devices(),
        )

    def code_rows(self) -> list[host_model.CodeLine]:
        """Return every join code with how many devices it paired of how many it may."""
        return host_model.code_lines(self.replica.join_codes(), self.code_usage())

    def code_usage(self) -> dict[str, tuple[int, int | None]]:
        """Return, per join code, (devices paired, how many it may pair; None: any number)."""
        return self.replica.code_usage()

    def set_device_limit(self, code: str, limit: int | None) -> str | None:
        """Let a join code pair `limit` devices (None: its role's default); return why not."""
        try:
            self.replica.set_device_limit(code, limit)
        except (KeyError, ValueError) as exc:
            message = str(exc.args[0]) if exc.args else str(exc)
            self.error.emit(message)
            return message
        self._changes.poke()
        return None

    def allow_another_device(self, code: str) -> int | None:
        """Let one more device pair with a used-up join code; return its limit now."""
        limit = self.replica.allow_another_device(code)
        self._changes.poke()
        return limit

    def online_count(self) -> int:
        """Return how many paired devices have a live link now."""
        return len(self.connected_devices())

    def set_event(self, field_name: str, value: Any) -> Rejection | None:
        """Change one event setting (name, phase, display mode...)."""
        return self.admin("event.set", {"field": field_name, "value": value})

    def notify(self, audience: str, target: str | None, message: str) -> Rejection | None:
        """Send a notification to everybody, all judges, all teams, one judge or one team."""
        return self.admin("notify", host_model.notification_body(audience, target, message))

    # --- views and intents of the console's pages (desktop/host/) -------------------------------
    # The pages read these plain values and never the replica; kept in one block so the
    # controller's other changes merge apart from it.

    def event_settings(self) -> dict[str, Any]:
        """Return the event's settings (name, phase, display mode, reveal count...)."""
        return self.replica.state.event()

    def criteria(self) -> list[dict[str, Any]]:
        """Return the criteria in their order."""
        return self.replica.state.criteria()

    def teams(self) -> dict[str, dict[str, Any]]:
        """Return the teams by id."""
        return self.replica.state.teams()

    def judges(self) -> dict[str, dict[str, Any]]:
        """Return the judges by id."""
        return self.replica.state.judges()

    def assignments(self) -> dict[str, set[str]]:
        """Return the teams each judge is assigned (an empty set: any team it may score)."""
        state = self.replica.state
        return {judge: state.assigned_teams(judge) for judge in state.judges()}

    def board_rows(self) -> list[Row]:
        """Return the live leaderboard's rows."""
        return self.replica.board.rows()

    def join_codes(self) -> list[dict[str, Any]]:
        """Return every join code with its role, subject and name."""
        return self.replica.join_codes()

    def recent_notifications(self, limit: int) -> list[tuple[str, str, str]]:
        """Return the last notifications sent, newest first, as (time, audience, message)."""
        return host_model.recent_notifications(self.replica.state, limit)

    def preview_teams(self, path: Path) -> organiser.TeamsPreview:
        """Read a team sheet into a preview; raise OSError or ValueError saying why not."""
        text = host_model.read_text_file(path)
        names = [team["name"] for team in self.replica.state.teams().values()]
        return organiser.parse_teams_csv(text, names)

    def move_criterion(self, index: int, delta: int) -> list[Rejection]:
        """Move the criterion at `index` up (-1) or down (+1); return the refusals."""
        bodies = host_model.reorder_bodies(self.replica.state.criteria(), index, delta)
        return self.admin_all("criterion.put", bodies)

    def rebuild_host(self, source: Path, target: Path) -> RebuildReport:
        """Rebuild a lost host's database at `target` from a judge's replica at `source`."""
        return rebuild_host(source, target)

    # --- the organiser's desk (issue 12): a team, a judge, a sheet, the activity feed -----------

    logged = Signal()  # ops were logged (accepted or refused), once per loop turn

    def event_id(self) -> str:
        """Return the event's id (what the console's own reading marks are kept under)."""
        return self.replica.event_id

    def team_view(self, team: str) -> history.TeamView | None:
        """Return a team's page: its standing and every sheet of it."""
        return history.team_view(self.replica, team)

    def judge_view(self, judge: str) -> history.JudgeView | None:
        """Return a judge's page: progress, harshness and every sheet it made."""
        return history.judge_view(self.replica, judge)

    def sheet_history(
        self, judge: str, team: str, round_id: str = FIRST_ROUND
    ) -> history.SheetHistory:
        """Return one judge's sheet for one team in a round: every version and refusal."""
        return history.sheet_history(self.replica, judge, team, round_id)

    def round_name_of(self, round_id: str) -> str:
        """Return a round's name for a sheet's page: "" for an event of one round."""
        state = self.replica.state
        if len(state.rounds()) < 2:
            return ""
        return str((state.round(round_id) or {}).get("name") or round_id)

    def activity(self, chosen: history.Filter, limit: int) -> list[history.Activity]:
        """Return the newest ops of the log that pass a filter, newest first."""
        return history.activity(self.replica, chosen, limit=limit)

    def last_seq(self) -> int:
        """Return where the newest op of the log arrived."""
        return history.last_seq(self.replica)

    def refusals_since(self, seq: int) -> int:
        """Return how many refused ops arrived after `seq`."""
        return history.rejections_since(self.replica, seq)

    # --- corrections (issue 12, docs/protocol.md 5c) --------------------------------------------

    def sheet_facts(
        self, judge: str, team: str, round_id: str = FIRST_ROUND
    ) -> tuple[bool, bool, str, bool]:
        """Return whether a sheet exists, is void, its round's phase, and whether reopened."""
        state = self.replica.state
        return (
            state.round_sheet(round_id, judge, team) is not None,
            state.voided(round_id, judge, team),
            state.round_phase(round_id),
            state.reopened(round_id, judge, team),
        )

    def paper_criteria(
        self, judge: str, team: str, round_id: str = FIRST_ROUND
    ) -> tuple[list[dict[str, Any]], set[str]]:
        """Return the criteria a judge's sheet for a team holds, and the ids a final one needs."""
        state = self.replica.state
        required = {c["id"] for c in round_criteria(state, round_id)}
        return sheet_criteria(state, judge, team, round_id), required

    def sheet_value(
        self, judge: str, team: str, round_id: str = FIRST_ROUND
    ) -> dict[str, Any] | None:
        """Return a judge's sheet for a team in a round as it stands."""
        return self.replica.state.round_sheet(round_id, judge, team)

    def correction_totals(
        self, kind: str, body: dict[str, Any]
    ) -> tuple[tuple[float | None, int], tuple[float | None, int]]:
        """Return a team's (total, final sheets) now and once a correction is made; raise
        InvalidOp for a malformed body. The op is folded into a copy of the state only."""
        state = self.replica.state
        after = state.copy()
        # Stamped after everything: the greatest stamp wins its key, as the real op will.
        stamp = f"9999999999999.9999.{self.replica.device_id}"
        draft = Op(
            f"{self.replica.device_id}/0", self.replica.device_id, 0, stamp, "admin", kind, body, ""
        )
        after.apply(draft)
        team = str(body["team"])
        round_id = str(body.get("round") or FIRST_ROUND)
        if round_id == FIRST_ROUND:
            return self.replica.board.total(team), main_scoreboard(after).total(team)
        return _round_total(self.replica.state, round_id, team), _round_total(after, round_id, team)

    def correct(self, kind: str, body: dict[str, Any]) -> Rejection | None:
        """Make a correction of a sheet; return the host's refusal (also emitted) if refused."""
        return self.admin(kind, body)

    def names_of(self, judge: str, team: str) -> tuple[str, str]:
        """Return a judge's and a team's names (their ids when removed)."""
        state = self.replica.state
        return (state.judge(judge) or {}).get("name", judge), (state.team(team) or {}).get(
            "name", team
        )

    # --- prizes, rounds, boards and the event file (issue 11) -----------------------------------

    def prizes(self) -> list[dict[str, Any]]:
        """Return the prizes in display order."""
        return self.replica.state.prizes()

    def all_criteria(self) -> list[dict[str, Any]]:
        """Return every criterion: the event's, the prizes' and the later rounds' own."""
        return self.replica.state.all_criteria()

    def rounds(self) -> list[dict[str, Any]]:
        """Return every round in order, the first (the event) first."""
        return self.replica.state.rounds()

    def round_phases(self) -> dict[str, str]:
        """Return each round's phase."""
        state = self.replica.state
        return {r["id"]: state.round_phase(r["id"]) for r in state.rounds()}

    def boards(self) -> list[Board]:
        """Return every (round, prize) board, computed from the state now."""
        return all_boards(self.replica.state)

    def board(self, round_id: str, prize_id: str | None) -> Board:
        """Return one (round, prize) board, computed from the state now (the ceremony's)."""
        return one_board(self.replica.state, round_id, prize_id)

    def round_stakes(self, round_id: str) -> host_model.PhaseStakes:
        """Return what locking or releasing a later round would freeze or publish."""
        return host_model.round_stakes(self.replica.state, round_id, self.devices())

    def save_members(self, kind: str, prize_id: str, chosen: Iterable[str]) -> list[Rejection]:
        """Make exactly `chosen` teams (kind "team") or judges carry a prize; return refusals."""
        state = self.replica.state
        entities = state.teams() if kind == "team" else state.judges()
        keys = host_model.TEAM_FIELDS if kind == "team" else host_model.JUDGE_FIELDS
        bodies = host_model.member_bodies(entities, prize_id, set(chosen), keys)
        return self.admin_all(f"{kind}.put", bodies)

    def proposed_finalists(self, round_id: str) -> list[str]:
        """Return the teams a later round's finalist rule picks from the round before."""
        return proposed_finalists(self.replica.state, round_id)

    def finalists(self, round_id: str) -> list[str]:
        """Return a later round's teams now (its finalists, or every team)."""
        return round_teams(self.replica.state, round_id)

    def set_finalists(self, round_id: str, chosen: Iterable[str]) -> list[Rejection]:
        """Make a later round's finalists exactly `chosen`; return the refusals."""
        marks = self.replica.state.finalist_marks(round_id)
        return self.admin_all("finalist.put", finalist_changes(round_id, marks, set(chosen)))

    def criterion_impact(self, kind: str, body: dict[str, Any]) -> CriterionImpact:
        """Count the saved sheets a criterion change would touch, before it is made."""
        state = self.replica.state
        after = eventfile.folded(state, kind, body, system_ms())
        return criterion_change_impact(state, kind, body, after)

    def plan_event_file(self, path: Path) -> list[eventfile.Change]:
        """Return the changes that make the event what a file describes, all checked on a copy;
        raise EventFileError listing every problem (nothing is changed either way)."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise eventfile.EventFileError([f"{path.name}: {exc}"]) from exc
        state = self.replica.state
        doc = eventfile.parse_text(text, eventfile.format_of(path.name))
        changes = eventfile.plan_event(doc, state)
        problems = eventfile.check_plan(changes, state, system_ms())
        if problems:
            raise eventfile.EventFileError(problems)
        return changes

    def apply_event_changes(self, changes: Sequence[eventfile.Change]) -> list[Rejection]:
        """Make planned event file changes, in order, as the console's own ops; return refusals.

        They were checked on a copy just before, so only an op in between could refuse one.
        """
        refused = []
        for change in changes:
            rejection = self.admin(change.kind, change.body)
            if rejection is not None:
                refused.append(rejection)
        return refused

    def save_event_file(self, path: Path) -> None:
        """Write the event as a file (TOML for a .toml name, else JSON)."""
        fmt = eventfile.format_of(path.name)
        path.write_text(eventfile.render(self.replica.state, fmt), encoding="utf-8")

    def plan_import_prizes(
        self, rows: Sequence[organiser.TeamRow]
    ) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """Return the prizes an import would make (new) and each opt-in name's prize id."""
        return organiser.plan_prizes(rows, self.replica.state.prizes())


@dataclass
class ImportOutcome:
    """What a team import did: the ids it added, the rows the host refused, whether stopped."""

    added: list[str] = field(default_factory=list)
    prizes: list[str] = field(default_factory=list)  # the prizes it made (Devpost's opt-ins)
    failed: list[tuple[organiser.TeamRow, Rejection]] = field(default_factory=list)
    cancelled: bool = False


# Tasks the windows and controllers started: asyncio keeps only a weak reference to a task, so
# each is kept here until it ends (and the app awaits what is left when it stops).
_TASKS: set[asyncio.Task[None]] = set()


def spawn(coroutine: Coroutine[object, object, None]) -> asyncio.Task[None]:
    """Run `coroutine` as a task, kept referenced until it ends; log a failure."""
    task = asyncio.get_running_loop().create_task(coroutine)
    _TASKS.add(task)
    task.add_done_callback(_finished)
    return task


def running_tasks() -> list[asyncio.Task[None]]:
    """Return the tasks `spawn` started that have not ended yet."""
    return list(_TASKS)


def _finished(task: asyncio.Task[None]) -> None:
    _TASKS.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.warning("%s failed", task.get_name(), exc_info=task.exception())
