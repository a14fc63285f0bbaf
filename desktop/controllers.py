"""Controllers: the only place where windows meet the replica, the peer link and the host server.

Widgets emit intents and render what these objects say; these objects turn intents into ops
and link or server calls, and turn changes underneath into Qt signals (coalesced per loop turn).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from storage import export
from storage.ops import InvalidOp
from storage.replica import Rejected, Replica
from storage.rules import Rejection
from sync.discovery import Browser, HostInfo
from sync.peer import LinkStatus, PeerConfig, PeerLink
from sync.server import HostServer

log = logging.getLogger("tallyboard.desktop")


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

    @property
    def paired(self) -> bool:
        """Whether this device has joined a host before (and may reconnect without a code)."""
        return self.replica.setting("token") is not None

    @property
    def last_target(self) -> str | None:
        """The host:port this device last reached."""
        return self.replica.setting("host_target")

    def start_browsing(self) -> None:
        """List the hosts advertised on the network (for the connect panel)."""
        if self._browser is not None:
            return
        self._browser = Browser(self._hosts_found)
        task = asyncio.get_running_loop().create_task(self._browser.start())
        task.add_done_callback(_log_failure)

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

    def _on_status(self, status: LinkStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _on_message(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "welcome":
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
        elif kind in ("team_notification", "judge_notification"):
            self.notification.emit(message.get("data") or {})
        elif kind == "score_update":
            self.scores_changed.emit()

    def save_sheet(
        self, judge: str, team: str, scores: dict[str, float], comment: str, *, final: bool
    ) -> str | None:
        """Save a sheet durably (draft or final) and queue it for the host; return an error."""
        body = {"team": team, "scores": scores, "comment": comment, "final": final}
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
        self.replica.ensure_codes()
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


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("host discovery failed: %s", task.exception())
