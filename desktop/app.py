"""Start the desktop app: Qt and asyncio on one loop (qasync), then the window of the mode.

This is the one place where windows, controllers, replicas, the host server and peer links are
wired together.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from desktop import i18n, theme
from desktop.controllers import HostController, PeerController, running_tasks, spawn
from desktop.display import DisplayWindow
from desktop.host import HostWindow
from desktop.judge import JudgeWindow
from desktop.team import TeamWindow
from storage import demo, paths
from storage.db import DatabaseError
from storage.replica import Replica
from sync.peer import PeerConfig
from sync.server import HostConfig, HostServer
from sync.web import DEFAULT_PORT as WEB_PORT

log = logging.getLogger("tallyboard.desktop")


@dataclass
class Options:
    """What the command line asked of the desktop app."""

    mode: str  # host, judge, team, display, demo
    db: Path | None = None
    connect: str | None = None
    code: str | None = None
    insecure: bool = False
    fullscreen: bool = False
    port: int | None = None  # None: the host's 8765, or any free port for the demo
    bind: str = "0.0.0.0"
    mdns: bool = True
    seed_demo: bool = False
    web: bool = True  # serve the pages for browsers (sync.web)
    web_port: int | None = None  # None: the host's 8766, or any free port for the demo
    lang: str | None = None  # None: $TALLYBOARD_LANG, else the system's language
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def database(self) -> Path:
        """Return the database this run opens: `db`, else the mode's file in the app-data folder."""
        if self.db is not None:
            return self.db
        if self.mode in ("host", "demo"):
            return paths.default_db("demo" if self.mode == "demo" or self.seed_demo else "host")
        return paths.default_db(self.mode)


def settings() -> QSettings:
    """Return the user's settings (window geometry, last host, theme)."""
    return QSettings("Tallyboard", "Tallyboard")


def apply_theme(app: QApplication, mode: str, user: QSettings) -> None:
    """Style the app: the display always dark, the other windows as last chosen (View menu)."""
    ui_dark = theme.saved_appearance(user) == theme.DARK
    if mode != "display":  # the display sizes its type to its screen
        theme.set_zoom(theme.saved_zoom(user) or 1.0)
    theme.apply(app, dark=mode == "display", ui_dark=ui_dark)


def run(options: Options) -> int:
    """Run the desktop app until its last window closes; return the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Tallyboard")
    app.setOrganizationName("Tallyboard")
    i18n.install(app, i18n.choose(options.lang))  # before any window: they translate as built
    apply_theme(app, options.mode, settings())
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return int(loop.run_until_complete(_main(app, options)))
    except DatabaseError as exc:
        QMessageBox.critical(None, "Tallyboard", str(exc))
        raise


async def _main(app: QApplication, options: Options) -> int:
    closed = asyncio.Event()
    app.setQuitOnLastWindowClosed(False)
    app.lastWindowClosed.connect(closed.set)
    session = AppRun(options)
    try:
        await session.start()
        await closed.wait()
    finally:
        await session.stop()
    return 0


class AppRun:
    """The replicas, servers, links and windows one run of the app owns."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.replicas: list[Replica] = []
        self.servers: list[HostServer] = []
        self.peers: list[PeerController] = []
        self.windows: list[QMainWindow] = []

    def _replica(self, path: Path, *, durable: bool = True) -> Replica:
        # Exclusive: a second window or host on this database is refused, never let in to
        # corrupt it; the lock dies with this process.
        replica = Replica.open(path, durable=durable, exclusive=True)
        self.replicas.append(replica)
        return replica

    async def start(self) -> None:
        """Open what the mode needs and show its windows."""
        mode = self.options.mode
        if mode in ("host", "demo"):
            await self._start_host()
        else:
            self._start_peer(mode, self.options.database, self.options)

    async def _start_host(self) -> None:
        options = self.options
        is_demo = options.mode == "demo" or options.seed_demo
        db = options.database
        replica = self._replica(db)
        fresh = is_demo and demo.seed_demo(replica)
        replica.ensure_codes()  # a judge or team added by a tool (an event file) has none yet
        port = options.port
        if port is None:
            port = 0 if options.mode == "demo" else 8765
        web_port = options.web_port
        if web_port is None:
            web_port = 0 if options.mode == "demo" else WEB_PORT
        server = await self._serve_host(
            replica,
            port,
            web_port if options.web else None,
            web_optional=options.web_port is None,  # the default port, given up if taken
        )
        if options.mode == "demo":
            # The whole system in one command: a display and a judge on their own replicas,
            # linked to this host over loopback like any laptop in the hall.
            folder = db.parent
            target = f"127.0.0.1:{server.port}"
            codes = {(c["role"], c["id"]): c["code"] for c in replica.join_codes()}
            fingerprint = server.fingerprint or ""
            for mode, code in (
                ("display", codes[("display", None)]),
                ("judge", codes[("judge", "judge-ada")]),
            ):
                # Named after the host's database, so two demos in one folder never share a
                # laptop; a new demo event starts its laptops afresh too (the old ones pinned
                # the old event's certificate, and would ask to trust the new one).
                peer_db = folder / f"{db.stem}-{mode}.db"
                if fresh:
                    _remove_database(peer_db)
                peer_options = Options(
                    mode=mode,
                    connect=target,
                    code=code,
                    insecure=options.insecure,
                    extra={"fingerprint": fingerprint},
                )
                self._start_peer(mode, peer_db, peer_options)

    async def _serve_host(
        self, replica: Replica, port: int, web_port: int | None, *, web_optional: bool = False
    ) -> HostServer:
        """Serve a host replica on `port` (its pages on `web_port`) and open its console."""
        options = self.options
        replica.register_self()
        bind = "127.0.0.1" if options.mode == "demo" else options.bind
        config = HostConfig(
            bind=bind,
            port=port,
            secure=not options.insecure,
            advertise=options.mdns,
            web_port=web_port,
            web_optional=web_optional,
        )
        server = HostServer(replica, config)
        await server.start()
        self.servers.append(server)
        window = HostWindow(HostController(replica, server), settings(), now=time.time)
        window.open_database.connect(
            lambda path: spawn(self.switch_host(Path(path), window, server, replica))
        )
        self._show(window)
        return server

    async def switch_host(
        self, db: Path, window: HostWindow, server: HostServer, replica: Replica
    ) -> None:
        """Serve another host database (one rebuilt from a judge's replica) in place of this
        one, on the same port: the old server stops, its console closes, the new one opens."""
        try:
            new = self._replica(db)
        except DatabaseError as exc:
            QMessageBox.critical(
                window,
                "Tallyboard",
                i18n.translate("app", "Cannot open {db}: {exc}").format(db=db, exc=exc),
            )
            return
        port = server.port
        web_port = server.web.port if server.web is not None else None
        await server.stop()
        self.servers.remove(server)
        try:
            await self._serve_host(new, port, web_port)
        except OSError as exc:
            QMessageBox.critical(
                window,
                "Tallyboard",
                i18n.translate("app", "Cannot serve {db}: {exc}").format(db=db, exc=exc),
            )
            self.replicas.remove(new)
            new.close()
            await server.start()  # keep serving the event this console had
            self.servers.append(server)
            return
        window.close()  # after the new console shows: the app lives on
        self.windows.remove(window)
        self.replicas.remove(replica)
        replica.close()

    def _start_peer(self, mode: str, db: Path, options: Options) -> None:
        replica = self._replica(db)
        controller = PeerController(replica)
        self.peers.append(controller)
        window_class = {"judge": JudgeWindow, "team": TeamWindow, "display": DisplayWindow}[mode]
        window = window_class(controller, settings())
        if options.connect or controller.paired:
            fingerprint = str(options.extra.get("fingerprint") or "") or None
            controller.start(
                PeerConfig(
                    code=options.code,
                    target=options.connect,
                    secure=not options.insecure,
                    fingerprint=fingerprint,
                )
            )
        else:
            controller.start_browsing()
        if mode == "display" and options.fullscreen:
            window.showFullScreen()
            self.windows.append(window)
        else:
            self._show(window)

    def _show(self, window: QMainWindow) -> None:
        self.windows.append(window)
        window.show()

    async def stop(self) -> None:
        """Close links, servers and databases, in that order."""
        for task in running_tasks():
            await task
        for peer in self.peers:
            await peer.stop()
        for server in self.servers:
            await server.stop()
        for replica in self.replicas:
            replica.close()


def _remove_database(path: Path) -> None:
    """Remove a SQLite database and the files beside it (WAL, shared memory, lock), if any."""
    for suffix in ("", "-wal", "-shm", ".lock"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
