"""The organiser's console window: header, banner, page list, File menu and the long work.

`HostWindow` is where the pages meet `HostController`: it reads the controller, hands each
page its view value (built by `desktop.host_model`), and connects every page's intents to the
controller in `_wire_pages`; no page or dialog reads the controller. It never touches the
database or the network. Every edit is an admin op, so every peer sees it at once; a refused
edit shows the host's reason. Its time comes from the `now` it is given (app.py passes the
system clock, tests a fake).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressDialog,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import host_model as model
from desktop import theme
from desktop.controllers import HostController
from desktop.host import ask
from desktop.host import parts as ui
from desktop.host.activity import ActivityPage
from desktop.host.codes import CodesPage
from desktop.host.competition import CompetitionWindow, answer_form
from desktop.host.control import ControlPage
from desktop.host.desk import DeskWindow
from desktop.host.devices import DevicesPage
from desktop.host.dialogs import AutoAssignDialog, ImportTeamsDialog
from desktop.host.insights import InsightsPage
from desktop.host.overview import OverviewPage
from desktop.host.print_dialog import PrintFlow
from desktop.host.results import ResultsPage
from desktop.host.setup import SetupPage
from desktop.host.style import console_sheet
from desktop.i18n import QT_TRANSLATE_NOOP, translate
from desktop.theme import icon, set_role
from desktop.widgets import add_help_menu, add_view_menu, restore_geometry, save_geometry
from storage import paths
from storage.admin import TeamsPreview
from storage.db import DatabaseError

# How long a refusal stays on screen unless dismissed, and how often "last seen" is redrawn.
BANNER_MS = 15_000
T = TypeVar("T")
Step = Callable[[int, int], bool]  # (done, total) -> go on
TICK_MS = 5_000
PAGES = (  # the pages' names in code; shown through translate
    QT_TRANSLATE_NOOP("host", "Overview"),
    QT_TRANSLATE_NOOP("host", "Setup"),
    QT_TRANSLATE_NOOP("host", "Codes"),
    QT_TRANSLATE_NOOP("host", "Devices"),
    QT_TRANSLATE_NOOP("host", "Control"),
    QT_TRANSLATE_NOOP("host", "Activity"),
    QT_TRANSLATE_NOOP("host", "Insights"),
    QT_TRANSLATE_NOOP("host", "Results"),
)
Clock = Callable[[], float]  # seconds since the epoch, as time.time gives them


class HostWindow(DeskWindow, CompetitionWindow, QMainWindow):
    """The organiser's console."""

    # A host database to serve instead of this one (one rebuilt from a judge's replica).
    open_database = Signal(object)
    MINIMUM = (1024, 680)
    DEFAULT_SIZE = (1340, 720)  # the first run's size: a 1366x768 laptop's screen, less a frame

    def __init__(
        self,
        controller: HostController,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        now: Clock,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.now = now
        self.settings = settings
        self.dialog: QDialog | None = None
        self._busy = 0
        self._stale: set[int] = set()
        self.setWindowIcon(icon("tallyboard"))
        self.setMinimumSize(*self.MINIMUM)
        self._file_menu()
        self.dark_action = add_view_menu(self, settings)
        add_help_menu(self, lambda: self.controller.fingerprint)
        self.setStyleSheet(console_sheet())
        theme.notifier().changed.connect(self._follow_theme)

        central = QWidget()
        central.setObjectName("hostRoot")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._header())
        self.banner = self._banner()
        outer.addWidget(self.banner)
        outer.addLayout(self._body(), 1)
        self.setCentralWidget(central)
        self._status_bar()

        self.nav.currentRowChanged.connect(self._show_index)
        self._wire_pages()
        controller.changed.connect(self.refresh)
        controller.devices_changed.connect(self.refresh_devices)
        controller.error.connect(self.show_error)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.refresh_devices)
        self._tick.start()
        self._restore()
        self.refresh()

    # --- layout pieces ---

    def _wire_pages(self) -> None:
        """Connect each page's intents to the controller (the one place pages meet it)."""
        self.control.export_requested.connect(self.export)
        self.control.backup_requested.connect(self.back_up)
        self.control.setting_requested.connect(self.set_event)
        self.control.settings_requested.connect(self.set_events)
        self.overview.notify_requested.connect(self.notify)
        self.overview.says.connect(self.flash)
        self.devices.revoke_requested.connect(self.revoke)
        self.codes.copy_requested.connect(self.copy)
        self.codes.allow_requested.connect(self.allow_another_device)
        self.codes.limit_requested.connect(self.set_device_limit)
        self._wire_setup()
        self._wire_desk()

    def _wire_setup(self) -> None:
        """Connect the Setup tabs' intents: saves, removals, moves, ticks, imports."""
        setup = self.setup
        for tab in setup.all_tabs():
            tab.says.connect(self.flash)
        for kind, tab in (
            ("criterion", setup.criteria),
            ("team", setup.teams),
            ("judge", setup.judges),
        ):
            tab.remove_requested.connect(lambda ident, kind=kind: self.remove(kind, ident))
        setup.criteria.save_requested.connect(self.save_criterion)
        setup.criteria.move_requested.connect(self.move_criterion)
        setup.teams.save_requested.connect(self.save_team)
        setup.teams.import_requested.connect(self.preview_import)
        setup.judges.save_requested.connect(self.save_judge)
        setup.assignments.tick_requested.connect(self.tick)
        setup.assignments.auto_assign_requested.connect(self.auto_assign)
        setup.assignments.clear_requested.connect(self.clear_assignments)
        self._wire_prizes()

    def _body(self) -> QHBoxLayout:
        """Build the page list and the pages beside it, each with its Ctrl+number shortcut."""
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setAccessibleName(translate("host", "Pages"))
        set_role(self.nav, "nav")
        self.nav.setFixedWidth(196)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        self.overview = OverviewPage()
        self.setup = SetupPage()
        self.codes = CodesPage()
        self.devices = DevicesPage()
        self.control = ControlPage()
        self.activity = ActivityPage()
        self.insights = InsightsPage()
        self.pages = [self.overview, self.setup, self.codes, self.devices, self.control]
        self.results = ResultsPage()
        self.pages += [self.activity, self.insights, self.results]
        # How each page is drawn: its view value, read from the controller now.
        self._drawers: list[Callable[[], None]] = [
            self._draw_overview,
            self._draw_setup,
            self._draw_codes,
            self._draw_devices,
            self._draw_control,
            self._draw_activity,
            lambda: self.insights.show_insights(self.controller.insights()),
            self._draw_results,
        ]
        self._results_pages()
        for number, (source, page) in enumerate(zip(PAGES, self.pages, strict=True), 1):
            title = translate("host", source)
            item = QListWidgetItem(title)
            item.setToolTip(
                translate("host", "{title} (Ctrl+{number})").format(title=title, number=number)
            )
            self.nav.addItem(item)
            self.stack.addWidget(page)
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda row=number - 1: self.nav.setCurrentRow(row))
        self._desk_pages()  # the team, judge and sheet pages: opened from others, not listed
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        return body

    def _status_bar(self) -> None:
        self.message = ui.label("", "hint")
        self.message.setAccessibleName(translate("host", "Last message"))
        self.statusBar().addWidget(self.message, 1)
        self.statusBar().setSizeGripEnabled(False)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(lambda: self.message.setText(""))

    def _file_menu(self) -> None:
        menu = self.menuBar().addMenu(translate("host", "&File"))
        menu.setAccessibleName(translate("host", "File"))

        def add(text: str, tip: str, slot: Callable[[], object]) -> None:
            action = menu.addAction(text)
            action.setStatusTip(tip)
            action.triggered.connect(slot)

        add(
            translate("host", "Export results…"),
            translate("host", "Write the results table as CSV"),
            lambda: self.export("csv"),
        )
        add(
            translate("host", "Export event…"),
            translate("host", "Write the whole event as JSON"),
            lambda: self.export("json"),
        )
        add(
            translate("host", "Load event file…"),
            translate("host", "Make the event what a JSON or TOML event file describes"),
            self.load_event_file,
        )
        add(
            translate("host", "Save event file…"),
            translate("host", "Write the event's setup as a JSON or TOML file"),
            self.save_event_file,
        )
        add(
            translate("host", "Back up database…"),
            translate("host", "Copy the live database to a file"),
            self.back_up,
        )
        self.printing = PrintFlow(self, self.controller)
        add(
            translate("host", "Print…"),
            translate(
                "host",
                "Print the results, feedback, certificates or blank scoring sheets, or save them"
                " as PDF",
            ),
            self.printing.open,
        )
        menu.actions()[-1].setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        menu.addSeparator()
        add(
            translate("host", "Rebuild host from a judge's replica…"),
            translate(
                "host", "The host laptop is lost: rebuild the event from a judge laptop's database"
            ),
            self.rebuild_from_replica,
        )

    def _header(self) -> QFrame:
        header = QFrame()
        set_role(header, "header")
        row = QHBoxLayout(header)
        row.setContentsMargins(24, 14, 24, 14)
        row.setSpacing(14)
        logo = QLabel()
        logo.setPixmap(icon("tallyboard").pixmap(36, 36))
        logo.setAccessibleName("Tallyboard")
        row.addWidget(logo)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.event_name = ui.label("", "title")
        self.event_name.setAccessibleName(translate("host", "Event name"))
        self.host_line = ui.label("", "hint")
        self.host_line.setAccessibleName(translate("host", "Host address"))
        titles.addWidget(self.event_name)
        titles.addWidget(self.host_line)
        row.addLayout(titles, 1)
        self.phase_pill = ui.label("", "pill")
        self.phase_pill.setAccessibleName(translate("host", "Phase"))
        self.display_pill = ui.label("", "pill")
        self.display_pill.setAccessibleName(translate("host", "Display mode"))
        self.online_pill = ui.label("", "pill")
        self.online_pill.setAccessibleName(translate("host", "Devices online"))
        for pill in (self.phase_pill, self.display_pill, self.online_pill):
            row.addWidget(pill, 0, Qt.AlignmentFlag.AlignVCenter)
        return header

    def _banner(self) -> QFrame:
        banner = QFrame()
        set_role(banner, "banner")
        row = QHBoxLayout(banner)
        row.setContentsMargins(24, 10, 16, 10)
        self.error_label = ui.label("", "error", wrap=True)
        self.error_label.setAccessibleName(translate("host", "Problem"))
        dismiss = ui.button(translate("host", "Dismiss"), translate("host", "Dismiss the message"))
        dismiss.clicked.connect(banner.hide)
        row.addWidget(self.error_label, 1)
        row.addWidget(dismiss)
        banner.hide()
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.setInterval(BANNER_MS)
        self._banner_timer.timeout.connect(banner.hide)
        return banner

    # --- refreshing ---

    def refresh(self) -> None:
        """Redraw the header and the page on show; the others when next shown.

        Called once per loop turn at most (the controller coalesces its signal), and only the
        visible page is redrawn, so a busy scoring hour does not keep rebuilding hidden grids.
        """
        if self._busy or not self.isVisible():
            return  # a hidden window catches up when shown
        self._stale = set(range(len(self._drawers)))
        self._refresh_page()
        event = self.controller.event_settings()
        self.setWindowTitle(translate("host", "{v0} — Tallyboard host").format(v0=event["name"]))
        self.event_name.setText(event["name"])
        phase = event["phase"]
        self.phase_pill.setText(translate("host", model.PHASES[phase][0]))
        set_role(self.phase_pill, phase, "pill")
        mode = translate("host", model.DISPLAY_MODES[event["display_mode"]][0])
        self.display_pill.setText(translate("host", "Display: {mode}").format(mode=mode))
        self._refresh_header_devices()

    def _follow_theme(self, dark: bool) -> None:
        """Take the new appearance: the console's own rules, and cells coloured in code."""
        self.setStyleSheet(console_sheet())
        self._stale = set(range(len(self._drawers)))
        self._refresh_page()

    def refresh_devices(self) -> None:
        """Redraw what depends on the peers' links (and the "last seen" times)."""
        if self._busy or not self.isVisible():
            return
        # The Control page too: its lock and release questions count devices with unsent work.
        self._stale |= {self.pages.index(p) for p in (self.devices, self.overview, self.control)}
        self._refresh_page()
        self._refresh_header_devices()

    def _refresh_page(self) -> None:
        index = self.stack.currentIndex()
        if index in self._stale:
            self._stale.discard(index)
            self._drawers[index]()

    def _draw_overview(self) -> None:
        c = self.controller
        view = model.overview_view(
            teams=c.teams(),
            judges=c.judges(),
            team_progress=c.team_progress(),
            judge_progress=c.judge_progress(),
            board=c.board_rows(),
            recent=c.recent_notifications(3),
            online=c.online_count(),
            paired=len(c.devices()),
        )
        self.overview.show_overview(view)

    def _draw_setup(self) -> None:
        c = self.controller
        view = model.setup_view(
            phase=c.event_settings()["phase"],
            criteria=c.criteria(),
            teams=c.teams(),
            judges=c.judges(),
            assigned=c.assignments(),
        )
        self.setup.show_setup(view)
        self._draw_competition_setup()

    def _draw_codes(self) -> None:
        c = self.controller
        view = model.codes_view(
            addresses=c.addresses(),
            url=c.url(),
            fingerprint=c.fingerprint,
            secure=c.secure,
            join_codes=c.join_codes(),
            usage=c.code_usage(),
            page=c.page_url(),
        )
        self.codes.show_codes(view)

    def allow_another_device(self, code: str) -> None:
        """Let one more device pair with a used-up join code."""
        limit = self.controller.allow_another_device(code)
        if limit is not None:
            self.flash(
                translate("host", "{code} may pair one more device now ({limit} in all).").format(
                    code=code, limit=limit
                )
            )
        self._draw_codes()

    def set_device_limit(self, code: str, limit: int) -> None:
        """Let a join code pair `limit` devices; a refusal shows in the banner."""
        if self.controller.set_device_limit(code, limit) is None:
            self.flash(
                translate("host", "{code} may pair {v1}.").format(
                    code=code, v1=model.count_text(limit, "device")
                )
            )
        self._draw_codes()

    def _draw_devices(self) -> None:
        self.devices.show_devices(
            model.devices_view(self.controller.devices(), int(self.now() * 1000))
        )

    def _draw_control(self) -> None:
        c = self.controller
        event = c.event_settings()
        settings = model.display_settings(event)
        choices = model.board_choices(c.rounds(), c.prizes(), settings["display_boards"])
        # The reveal counts on the board on stage (docs/protocol.md 4e): the main board's rows
        # are the incremental leaderboard's; another board is computed for the page.
        stage = model.stage_choice(choices, settings["reveal_board"])
        rows = c.board_rows()
        if stage is not None and stage.key != model.MAIN_BOARD:
            rows = model.stage_rows(c.board(stage.round_id, stage.prize_id))
        self.control.show_event(event, rows, c.phase_stakes(), choices)

    def _show_index(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self._refresh_page()

    def _refresh_header_devices(self) -> None:
        online = self.controller.online_count()
        self.online_pill.setText(
            translate("host", "● 1 device online")
            if online == 1
            else translate("host", "● {online} devices online").format(online=online)
        )
        set_role(self.online_pill, "online" if online else "none", "pill")
        addresses = self.controller.addresses()
        if not addresses:  # a console over a database with no server (yet): no address to give
            self.host_line.setText(translate("host", "Not serving"))
            return
        security = "TLS" if self.controller.secure else translate("host", "no TLS")
        self.host_line.setText(
            translate("host", "Serving at {where} ({security})").format(
                where=", ".join(addresses), security=security
            )
        )

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Hold redraws during long work (an import), then redraw once."""
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1
            if not self._busy:
                self.refresh()

    # --- feedback ---

    def show_error(self, text: str) -> None:
        """Show why the host refused an edit."""
        self.show_problem(translate("host", "Refused: {v0}.").format(v0=text.rstrip(".")))

    def show_problem(self, text: str) -> None:
        """Show a problem in the banner under the header until dismissed (or for a while)."""
        self.error_label.setText(text)
        self.banner.show()
        self._banner_timer.start()

    def flash(self, text: str) -> None:
        """Show a short confirmation in the status bar."""
        self.message.setText(text)
        self._message_timer.start(8000)

    def open_dialog(self, dialog: QDialog) -> None:
        """Show a dialog without blocking the loop (the host keeps serving meanwhile)."""
        self.dialog = dialog
        ui.open_dialog(dialog)

    # --- what the pages ask for ---

    def set_event(self, field: str, value: object) -> None:
        """Change an event setting; say so for the phase and the name (a refusal has its banner).

        The Control page is shown the event as it now is, so a refused change puts it back.
        """
        rejection = self.controller.set_event(field, value)
        self._draw_control()
        if rejection is not None:
            return
        if field == "phase":
            self.flash(translate("host", model.PHASE_MOVES[str(value)][1]))
        elif field == "name":
            self.flash(translate("host", "Event renamed."))

    def set_events(self, changes: list[tuple[str, object]]) -> None:
        """Change several event settings in order, stopping at the first refusal (its banner
        says why): a ceremony's next prize is its count set to 0, then the board (4e)."""
        for field, value in changes:
            if self.controller.set_event(field, value) is not None:
                break
        self._draw_control()

    def notify(self, audience: str, target: str | None, text: str, who: str) -> None:
        """Send a notification; clear the typed message once the host took it."""
        if self.controller.notify(audience, target, text) is None:
            self.overview.show_sent()
            self.flash(translate("host", "Notification sent to {who}.").format(who=who))

    def revoke(self, device: str, label: str) -> None:
        """Revoke a device (the page has asked)."""
        self.controller.revoke(device)
        self.flash(translate("host", "{label} revoked.").format(label=label))

    def copy(self, text: str) -> None:
        """Put a code, a link, the address or the fingerprint on the clipboard."""
        ui.copy(text)

    def save_criterion(
        self,
        ident: str | None,
        values: dict[str, Any],
        owner: tuple[str, str] | None = None,
        tab: ui.EntityTab | None = None,
    ) -> None:
        """Add (`ident` None: last in order) or edit a criterion (a prize's or round's own when
        `owner` says so); answer its form. A change that touches saved sheets asks first."""
        criteria = self.controller.criteria()  # the event's own
        if owner is not None:
            criteria = [c for c in self.controller.all_criteria() if c.get(owner[0]) == owner[1]]
        orders = {c["id"]: int(c["order"]) for c in criteria}
        if ident is None:
            ident = self.controller.new_id("criterion", values["name"])
        body = model.criterion_body(
            ident,
            values["name"],
            description=values["description"],
            weight=values["weight"],
            low=values["low"],
            high=values["high"],
            step=values["step"],
            order=orders.get(ident, model.next_order(criteria)),
            owner=owner,
        )
        tab = tab or self.setup.criteria
        impact = self.controller.criterion_impact("criterion.put", body)
        question = model.impact_question(impact, body["name"], self.controller.judges())
        if question is not None and not ask.confirm(
            self, translate("host", "Change a criterion"), question, translate("host", "Change it")
        ):
            tab.show_saved(translate("host", "Not changed: nothing was sent."))
            return
        answer_form(tab, self.controller.admin("criterion.put", body))

    def save_team(self, ident: str | None, values: dict[str, Any]) -> None:
        """Add (`ident` None) or edit a team; answer its form."""
        ident = ident or self.controller.new_id("team", values["name"])
        kept = (self.controller.teams().get(ident) or {}).get("prizes", ())
        offered = self.setup.teams.prize_choices if "prizes" in values else []
        prizes = model.merged_prizes(kept, offered, values.get("prizes", ()))
        body = model.team_put_body(
            ident, values["name"], values["location"], values["members"], prizes
        )
        answer_form(self.setup.teams, self.controller.admin("team.put", body))

    def save_judge(self, ident: str | None, values: dict[str, Any]) -> None:
        """Add (`ident` None) or edit a judge and its conflicts; answer its form."""
        ident = ident or self.controller.new_id("judge", values["name"])
        kept = (self.controller.judges().get(ident) or {}).get("prizes", ())
        offered = self.setup.judges.prize_choices if "prizes" in values else []
        prizes = model.merged_prizes(kept, offered, values.get("prizes", ()))
        rejection = self.controller.save_judge(ident, values["name"], values["conflicts"], prizes)
        answer_form(self.setup.judges, rejection)

    def remove(self, kind: str, ident: str) -> None:
        """Remove a criterion, team or judge (the page has asked; a refusal has its banner)."""
        self.controller.admin(f"{kind}.del", {"id": ident})

    def move_criterion(self, ident: str, delta: int) -> None:
        """Move a criterion up (-1) or down (+1)."""
        ids = [c["id"] for c in self.controller.criteria()]
        if ident in ids:
            self.controller.move_criterion(ids.index(ident), delta)

    def tick(self, judge: str, team: str, assigned: bool) -> None:
        """Assign a judge a team or not; the grid is shown as the host then has it."""
        c = self.controller
        c.admin("assign.put", {"judge": judge, "team": team, "assigned": assigned})
        self.setup.assignments.show_grid(
            model.assignment_grid(c.teams(), c.judges(), c.assignments())
        )

    def plan(self, k: int, keep_current: bool) -> model.PlanView:
        """Plan `k` judges per team, as the auto-assign dialog shows it."""
        result, bodies = self.controller.plan_assignment(k, keep_current=keep_current)
        return model.plan_view(result, bodies, self.controller.teams(), self.controller.judges())

    def auto_assign(self) -> AutoAssignDialog:
        """Open the auto-assign dialog: it asks for plans, then to apply one."""
        # Bound methods answering `self.dialog` (window-modal: the one open), not closures
        # holding the dialog: PySide drops its slots while deleting it.
        dialog = AutoAssignDialog(len(self.controller.judges()), self)
        dialog.plan_requested.connect(self._show_plan)
        dialog.apply_requested.connect(self._apply_plan)
        self.open_dialog(dialog)
        dialog.update_preview()
        return dialog

    def _show_plan(self, k: int, keep_current: bool) -> None:
        if isinstance(self.dialog, AutoAssignDialog):
            self.dialog.show_plan(self.plan(k, keep_current))

    def _apply_plan(self, bodies: list[dict[str, Any]]) -> None:
        if self.apply_assignment(bodies) and self.dialog is not None:
            self.dialog.accept()

    def clear_assignments(self) -> None:
        """Clear every assignment (the page has asked)."""
        self.apply_assignment(model.clear_bodies(self.controller.assignments()))

    def show_page(self, name: str) -> None:
        """Switch to a page by its title."""
        self.nav.setCurrentRow(PAGES.index(name))

    # --- long work ---

    def _progress(self, label: str, total: int) -> QProgressDialog:
        dialog = QProgressDialog(label, "Stop", 0, total, self)
        dialog.setWindowTitle("Tallyboard")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAccessibleName(label)
        dialog.setValue(0)
        return dialog

    def preview_import(self, path: Path) -> ImportTeamsDialog | None:
        """Read a team sheet and show its preview; nothing is imported until confirmed."""
        try:
            preview = self.controller.preview_teams(path)
        except (OSError, ValueError) as exc:
            self.show_problem(
                translate("host", "Cannot import {name}: {exc}").format(name=path.name, exc=exc)
            )
            return None
        new, ids = self.controller.plan_import_prizes(preview.valid_rows())
        names = {p["id"]: p["name"] for p in self.controller.prizes()}
        named = {ids[n.casefold()] for row in preview.valid_rows() for n in row.prizes}
        found = ([str(b["name"]) for b in new], sorted(names[i] for i in named if i in names))
        dialog = ImportTeamsDialog(preview, path.name, self, found)
        dialog.import_requested.connect(self._import_previewed)
        self.open_dialog(dialog)
        return dialog

    def _import_previewed(self, preview: TeamsPreview) -> None:
        if self.import_teams(preview) and self.dialog is not None:
            self.dialog.accept()

    def import_teams(self, preview: TeamsPreview) -> bool:
        """Import the valid rows of a preview, showing progress; return True when done."""
        rows = preview.valid_rows()
        label = translate("host", "Importing {v0} teams…").format(v0=len(rows))
        outcome = self._with_progress(
            label, len(rows), lambda step: self.controller.import_teams(rows, step)
        )
        added = len(outcome.added)
        said = [
            translate("host", "Imported 1 team.")
            if added == 1
            else translate("host", "Imported {v0} teams.").format(v0=added)
        ]
        if outcome.prizes:
            said.append(translate("host", "New prizes: {count}.").format(count=len(outcome.prizes)))
        if outcome.failed:
            said.append(translate("host", "The host refused {v0}.").format(v0=len(outcome.failed)))
        if outcome.cancelled:
            said.append(translate("host", "You stopped the import before the end."))
        self.flash(" ".join(said))
        return True

    def apply_assignment(self, bodies: list[dict[str, Any]]) -> bool:
        """Make the assign.put ops of a plan, showing progress; return True when done."""
        label = translate("host", "Saving {v0} assignments…").format(v0=len(bodies))
        refused = self._with_progress(
            label, len(bodies), lambda step: self.controller.admin_all("assign.put", bodies, step)
        )
        saved = len(bodies) - len(refused)
        self.flash(
            translate("host", "1 assignment change saved.")
            if saved == 1
            else translate("host", "{saved} assignment changes saved.").format(saved=saved)
        )
        return not refused

    def _with_progress(self, label: str, total: int, work: Callable[[Step], T]) -> T:
        """Run a long piece of console work in one bulk change, with a progress bar to stop it."""
        progress = self._progress(label, total)

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            return not progress.wasCanceled()

        with self.bulk():
            result = work(step)
        progress.setValue(total)
        progress.close()
        return result

    def export(self, fmt: str) -> Path | None:
        """Export the results (csv) or the whole event (json) to a file the user picks."""
        name = model.slug_name(self.controller.event_settings()["name"])
        csv = fmt == "csv"
        if csv:
            filters = translate("host", "CSV files (*.csv)")
            title = translate("host", "Export results")
        else:
            filters = translate("host", "JSON files (*.json)")
            title = translate("host", "Export event")
        suggested = f"{name}-results.csv" if fmt == "csv" else f"{name}-event.json"
        path = ask.save_path(self, title, suggested, filters)
        if path is None:
            return None
        progress = self._progress(
            translate("host", "Exporting to {name}…").format(name=path.name), 0
        )
        progress.setMinimumDuration(0)
        progress.setCancelButton(None)
        QApplication.processEvents()
        try:
            self.controller.export(path, fmt)
        except OSError as exc:
            self.show_problem(
                translate("host", "Cannot write {path}: {v1}.").format(
                    path=path, v1=exc.strerror or exc
                )
            )
            return None
        finally:
            progress.close()
        self.control.show_file_note(
            translate("host", "Exported {v0} to {path}").format(v0=fmt.upper(), path=path)
        )
        self.flash(translate("host", "Exported to {name}.").format(name=path.name))
        return path

    def back_up(self) -> Path | None:
        """Copy the live database to a file the user picks."""
        name = model.slug_name(self.controller.event_settings()["name"])
        stamp = model.file_stamp(self.now())
        path = ask.save_path(
            self,
            translate("host", "Back up database"),
            f"{name}-{stamp}.tallyboard.db",
            translate("host", "Databases (*.db)"),
        )
        if path is None:
            return None
        try:
            self.controller.backup(path)
        except OSError as exc:
            self.show_problem(
                translate("host", "Cannot write {path}: {v1}.").format(
                    path=path, v1=exc.strerror or exc
                )
            )
            return None
        self.control.show_file_note(translate("host", "Backed up to {path}").format(path=path))
        self.flash(translate("host", "Database backed up to {name}.").format(name=path.name))
        return path

    def rebuild_from_replica(self) -> Path | None:
        """Rebuild a lost host's database from a judge's replica, then offer to serve it."""
        source = ask.open_path(
            self,
            translate("host", "Rebuild the host from a judge's replica"),
            translate("host", "Databases (*.db);;All files (*)"),
        )
        if source is None:
            return None
        stamp = model.file_stamp(self.now())
        target = ask.save_path(
            self,
            translate("host", "Save the rebuilt host's database as"),
            str(paths.default_db("host").with_name(f"rebuilt-host-{stamp}.db")),
            translate("host", "Databases (*.db)"),
        )
        if target is None:
            return None
        try:
            report = self.controller.rebuild_host(source, target)
        except (DatabaseError, OSError) as exc:
            self.show_problem(translate("host", "Cannot rebuild the host: {exc}").format(exc=exc))
            return None
        text = (
            "\n".join(report.lines())
            + "\n\nServe the rebuilt host from this console now? Judges' laptops will ask to"
            " trust its new certificate: read its fingerprint to them from the Codes page."
        )
        self.flash(translate("host", "Rebuilt host saved to {name}.").format(name=target.name))
        if ask.confirm(
            self,
            translate("host", "Host rebuilt"),
            text,
            translate("host", "Serve the rebuilt host"),
        ):
            self.open_database.emit(target)
        else:
            self.control.show_file_note(
                translate(
                    "host",
                    "Rebuilt host saved to {target}; serve it with `main.py host --db {target}`",
                ).format(target=target)
            )
        return target

    # --- geometry ---

    def _restore(self) -> None:
        restore_geometry(self, self.settings, "host/geometry", self.DEFAULT_SIZE)
        page = self.settings.value("host/page", 0)
        try:
            index = int(page) if isinstance(page, (int, str)) else 0
        except ValueError:
            index = 0
        self.nav.setCurrentRow(index if 0 <= index < len(PAGES) else 0)

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with what changed while hidden."""
        super().showEvent(event)
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the window's size, place and page."""
        save_geometry(self, self.settings, "host/geometry")
        self.settings.setValue("host/page", self.nav.currentRow())
        self.settings.sync()
        super().closeEvent(event)
