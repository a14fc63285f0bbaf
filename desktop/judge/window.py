"""The judge's window: connect, pick a team, score it criterion by criterion, see what was sent.

Everything it shows comes from the PeerController's `judge_snapshot` (the replica, read once
per change) and its signals; everything it does goes through the controller."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QSysInfo,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import judge_model as jm
from desktop import theme
from desktop.controllers import PeerController
from desktop.i18n import translate
from desktop.judge import parts as ui
from desktop.judge.panels import LeaderboardPanel, NotificationPanel, Toast, UpdatesBanner
from desktop.judge.sheet import SheetEditor
from desktop.judge.team_list import TeamDelegate, TeamListModel
from desktop.peer_window import PeerWindow
from desktop.theme import set_role
from desktop.widgets import (
    offers_new_host,
)
from sync.peer import LinkStatus

# --- the window -----------------------------------------------------------------------------------


class JudgeWindow(PeerWindow):
    """A judge's laptop: the connect screen, then the teams, the sheet, results and messages."""

    ROLE = "judge"
    MINIMUM = (960, 640)
    DEFAULT_SIZE = (1280, 720)

    def build(self) -> None:
        """Build the header and the connect, loading and main pages; follow the controller."""
        controller = self.controller
        self.snap: jm.JudgeSnapshot = controller.judge_snapshot(None)
        self._selected: str | None = None
        self._round: str | None = None  # the round the judge picked; None: the one scored now
        self._shown_round: str | None = None
        self._restoring = False
        self._seen_notes: set[str] | None = None
        self._unread = 0
        theme.notifier().changed.connect(self._follow_theme)

        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        self.setCentralWidget(central)

        root.addWidget(self._header())

        self.pages = QStackedWidget()
        root.addWidget(self.pages, 1)
        self.pages.addWidget(self._connect_page())
        self.pages.addWidget(self._loading_page())
        self.pages.addWidget(self._main_page())

        self.add_link_bar()
        self.statusBar().setSizeGripEnabled(False)
        self.link_bar.show_status(controller.status)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)

        self._follow(controller)
        self.connect_panel.set_hosts(controller.hosts)
        self.leaderboard.show_board(controller.last_board())
        for named in controller.named_boards():
            self.leaderboard.show_named(named)
        self._shortcuts()
        self.refresh()

    # --- building ---------------------------------------------------------------------------------

    def _follow(self, controller: PeerController) -> None:
        """Redraw on what the controller says (coalesced), the leaderboard as it comes."""
        controller.status_changed.connect(self._on_status)
        controller.state_changed.connect(self.schedule_refresh)
        controller.welcomed.connect(self.schedule_refresh)
        controller.synced.connect(self.schedule_refresh)
        controller.notification.connect(self.schedule_refresh)
        controller.board_changed.connect(self.leaderboard.show_board)
        controller.named_board_changed.connect(self.leaderboard.show_named)
        controller.board_withdrawn.connect(self.leaderboard.withdraw)

    def _shortcuts(self) -> None:
        for keys, slot in (
            ("Ctrl+Return", self.submit_final),
            ("Ctrl+Enter", self.submit_final),
            ("Ctrl+S", self.save_draft),
            ("Ctrl+F", self._focus_search),
            ("Ctrl+N", self.open_next),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)

    def _header(self) -> QFrame:
        """Build the header: who is judging, and the event's phase."""
        self.header = QFrame()
        set_role(self.header, "header")
        head = QHBoxLayout(self.header)
        head.setContentsMargins(24, 14, 24, 14)
        head.setSpacing(14)
        self.heading = ui.label("Tallyboard", "judgeHeading")
        self.heading.setAccessibleName(translate("judge", "Judging as"))
        head.addWidget(self.heading, 1)
        self.phase_chip = ui.label("")
        self.phase_chip.setAccessibleName(translate("judge", "Event phase"))
        head.addWidget(self.phase_chip)
        return self.header

    def _connect_page(self) -> QWidget:
        brand = ui.centred_label("Tallyboard", "judgeBrand")
        tagline = ui.centred_label(
            translate(
                "judge", "Score teams on this laptop — it keeps working without the network."
            ),
            "hint",
        )
        self.connect_panel.setFixedWidth(560)
        self.connect_state = ui.centred_label("", "hint", wrap=True)
        self.connect_state.setAccessibleName(translate("judge", "Connection progress"))
        page = self.centred(
            brand, tagline, self.connect_panel, self.connect_state, margins=24, spacing=14
        )
        page.setObjectName("judgeConnect")
        return page

    def _loading_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.loading_title = ui.centred_label(translate("judge", jm.LOADING), "subtitle")
        self.loading_title.setAccessibleName(translate("judge", "Loading"))
        layout.addWidget(self.loading_title)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setFixedSize(260, 6)
        layout.addWidget(bar, 0, Qt.AlignmentFlag.AlignCenter)
        self.loading_hint = ui.centred_label(
            translate("judge", "Your teams and the criteria appear as soon as they arrive."), "hint"
        )
        layout.addWidget(self.loading_hint)
        layout.addStretch(2)
        return page

    def _main_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(10)
        self.toast = Toast()
        layout.addWidget(self.toast)
        self.updates_banner = UpdatesBanner()
        layout.addWidget(self.updates_banner)
        self.removed = ui.label(
            translate(
                "judge", "The organiser removed you from this event: there is nothing to score."
            ),
            "error",
        )
        self.removed.hide()
        layout.addWidget(self.removed)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(translate("judge", "Sections"))
        layout.addWidget(self.tabs, 1)

        self.tabs.addTab(self._scoring_tab(), translate("judge", "Scoring"))

        self.leaderboard = LeaderboardPanel()
        self._board_tab = self.tabs.addTab(self.leaderboard, translate("judge", "Leaderboard"))
        self.tabs.setTabVisible(self._board_tab, False)
        self.notes = NotificationPanel()
        self._notes_tab = self.tabs.addTab(self.notes, translate("judge", "Notifications"))

        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.team_view.installEventFilter(self)
        self.team_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.team_view.activated.connect(self._enter_sheet)
        self.editor.save_requested.connect(self._save)
        self.editor.next_requested.connect(self.open_next)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.updates_banner.show_requested.connect(self.show_updates_first)
        self.updates_first.toggled.connect(self._filter)
        self.round_box.activated.connect(self._round_picked)
        return page

    def _scoring_tab(self) -> QWidget:
        """Build the Scoring tab: the team list beside the sheet, in a splitter."""
        scoring = QWidget()
        scoring_layout = QHBoxLayout(scoring)
        scoring_layout.setContentsMargins(0, 12, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        set_role(self.splitter, "judgeSplit")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(14)
        scoring_layout.addWidget(self.splitter)
        self.splitter.addWidget(self._teams_card())
        self.editor = SheetEditor()
        self.editor.setMinimumWidth(520)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 880])
        return scoring

    def _teams_card(self) -> QFrame:
        """Build the card of the judge's teams: progress, the filter and the list."""
        teams, teams_layout = ui.card((14, 16, 14, 14), 10)
        self.count_label = ui.label("", "hint")
        self.count_label.setAccessibleName(translate("judge", "Final sheets"))
        teams_layout.addLayout(
            ui.heading_row(
                ui.label(translate("judge", "Your teams"), "judgeSection"), self.count_label
            )
        )
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        set_role(self.progress_bar, "judgeProgress")
        self.progress_bar.setAccessibleName(translate("judge", "Final sheets progress"))
        teams_layout.addWidget(self.progress_bar)
        self.round_box = QComboBox()
        self.round_box.setAccessibleName(translate("judge", "Round"))
        self.round_box.setToolTip(translate("judge", "The round whose sheets you see and score"))
        self.round_box.setStyleSheet(theme.combo_sheet())
        self.round_box.hide()
        teams_layout.addWidget(self.round_box)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            translate("judge", "Filter by team, table or status  (Ctrl+F)")
        )
        self.search.setAccessibleName(translate("judge", "Filter teams"))
        self.search.setClearButtonEnabled(True)
        teams_layout.addWidget(self.search)
        self.updates_first = QPushButton(translate("judge", "Needs update first"))
        self.updates_first.setCheckable(True)
        self.updates_first.setAccessibleName(
            translate("judge", "List the sheets that need an update first")
        )
        set_role(self.updates_first, "judgeFlat")
        self.updates_first.hide()
        teams_layout.addWidget(self.updates_first, 0, Qt.AlignmentFlag.AlignLeft)
        self.team_model = TeamListModel(self)
        self.team_view = QListView()
        self.team_view.setModel(self.team_model)
        self.team_view.setItemDelegate(TeamDelegate(self.team_model, self.team_view))
        self.team_view.setAccessibleName(translate("judge", "Teams"))
        self.team_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.team_view.setMouseTracking(True)
        self.team_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        set_role(self.team_view, "judgeTeams")
        teams_layout.addWidget(self.team_view, 1)
        self.no_match = ui.label(translate("judge", "No team matches the filter."), "hint")
        self.no_match.hide()
        teams_layout.addWidget(self.no_match)
        self.no_team = ui.label("", "hint", wrap=True)
        self.no_team.setAccessibleName(translate("judge", "No team in this round"))
        self.no_team.hide()
        teams_layout.addWidget(self.no_team)
        teams.setMinimumWidth(300)
        return teams

    # --- keeping up with the controller ----------------------------------------------------------

    def schedule_refresh(self, *_: object) -> None:
        """Refresh once the current burst of changes is over."""
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    @property
    def judge_id(self) -> str | None:
        """The judge this laptop scores as: from the welcome, kept across restarts."""
        return self.controller.own_subject()

    def _follow_theme(self, dark: bool) -> None:
        """Repaint the team list, whose colours are painted in code."""
        self.team_view.viewport().update()

    def refresh(self) -> None:
        """Read the replica once and show it."""
        chosen = self._round
        if chosen is None and self.editor.dirty():
            chosen = self._shown_round  # never switch rounds under a sheet being typed
        self.snap = self.controller.judge_snapshot(self.judge_id, chosen)
        snap = self.snap
        if snap.round_id != self._shown_round:
            self.editor.forget()  # the same team in another round is another sheet
            self._shown_round = snap.round_id
        self._show_rounds()
        page = self._page()
        arrived = page == 2 and self.pages.currentIndex() != 2
        self.pages.setCurrentIndex(page)
        on_main = page == 2
        self.heading.setText(
            jm.heading(snap) if on_main else translate("judge", "Tallyboard · Judge")
        )
        named = on_main and snap.judge_name
        self.setWindowTitle(
            translate("judge", "{judge_name} — Tallyboard").format(judge_name=snap.judge_name)
            if named
            else translate("judge", "Tallyboard — Judge")
        )
        self.header.setVisible(page != 0)
        self.phase_chip.setVisible(on_main)
        ui.chip(
            self.phase_chip,
            "phase-open" if snap.phase == "scoring" else "phase-closed",
            translate("judge", jm.PHASE_LABEL.get(snap.phase, snap.phase)),
        )
        done, total = jm.progress(snap.rows)
        self.count_label.setText(jm.progress_text(snap.rows))
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.removed.setVisible(snap.removed)

        self._show_rows()
        self._show_sheet()
        self.updates_banner.show_updates(snap.updates if on_main else ())
        self.tabs.setTabVisible(self._board_tab, snap.judges_see_results)
        self._show_notes(snap.notes)
        if arrived and not self.search.hasFocus():
            # The keyboard starts in the team list (in an inactive window, once it activates),
            # before its first row: focus would make the first row current, and the judge's
            # first Down then opened the second team.
            if self._selected is None:
                self.team_view.setCurrentIndex(QModelIndex())
            self.team_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _page(self) -> int:
        if not self.controller.paired:
            return 0
        if not self.controller.has_synced:
            return 1
        return 2

    def _show_rounds(self) -> None:
        """List the rounds the judge judges, when the event has several; select the one shown."""
        rounds = self.snap.rounds
        labels = [jm.round_label(r) for r in rounds]
        if [self.round_box.itemText(i) for i in range(self.round_box.count())] != labels:
            self.round_box.clear()
            for choice, text in zip(rounds, labels, strict=True):
                self.round_box.addItem(text, choice.id)
        self.round_box.setCurrentIndex(self.round_box.findData(self.snap.round_id))
        self.round_box.setVisible(bool(rounds))
        self.round_box.setEnabled(len(rounds) > 1)

    def _round_picked(self, index: int) -> None:
        picked = self.round_box.itemData(index)
        if picked == self.snap.round_id:
            return
        if not self._may_leave_sheet():
            self.round_box.setCurrentIndex(self.round_box.findData(self.snap.round_id))
            return
        self.pick_round(str(picked))

    def _may_leave_sheet(self) -> bool:
        """Ask about unsaved changes before another sheet replaces this one; False: stay."""
        if not self.editor.dirty():
            return True
        choice = self.ask_unsaved(self.snap.row(self._selected))
        return not (choice == "cancel" or (choice == "save" and not self.save_draft()))

    def pick_round(self, round_id: str) -> None:
        """Show a round's teams and sheets; picking the one scored now follows it again."""
        follows = round_id == jm.default_round(self.snap.rounds)
        self._round = None if follows else round_id
        self.editor.forget()
        self.refresh()

    def show_updates_first(self) -> None:
        """List the sheets that need an update first, and open the first of them."""
        self.updates_first.setChecked(True)
        first = next((r for r in self.team_model.rows if r.needs_update), None)
        if first is None and self.snap.updates:
            if not self._may_leave_sheet():
                return
            self.pick_round(self.snap.updates[0].round_id)  # they are all in another round
            first = next((r for r in self.team_model.rows if r.needs_update), None)
        if first is not None and first.id != self._selected and self._may_leave_sheet():
            self.select_team(first.id)

    def _show_rows(self) -> None:
        any_update = any(r.needs_update for r in self.snap.rows)
        self.updates_first.setVisible(any_update)
        filtered = jm.filter_rows(self.snap.rows, self.search.text())
        rows = jm.order_rows(filtered, updates_first=self.updates_first.isChecked())
        self._restoring = True
        try:
            self.team_model.set_rows(rows)
            index = self.team_model.index_of(self._selected)
            if index.isValid() and self.team_view.currentIndex() != index:
                self.team_view.setCurrentIndex(index)
        finally:
            self._restoring = False
        self.no_match.setVisible(bool(self.snap.rows) and not rows)
        empty = jm.empty_round_text(self.snap)
        self.no_team.setText(empty or "")
        self.no_team.setVisible(empty is not None)

    def _show_sheet(self) -> None:
        row = self.snap.row(self._selected)
        self.editor.show_team(
            row,
            self.snap.criteria,
            editable=self.snap.may_edit(row),
            banner=jm.sheet_banner(self.snap, row),
            round_title=jm.round_name(self.snap),
        )
        # Search, list, then criterion by criterion, comment, buttons. Set as one whole chain
        # every time: the sheet rebuilds its boxes when the criteria change, new widgets join the
        # end of the focus chain, and moving one widget alone would cut the chain behind it.
        chain = [self.search, self.team_view, *self.editor.focus_chain()]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _show_notes(self, notes: Sequence[jm.Note]) -> None:
        self.notes.show_notes(notes)
        ids = {n.id for n in notes}
        if self._seen_notes is None:
            self._seen_notes = ids  # what was here before this window opened is not news
        fresh = [n for n in notes if n.id not in self._seen_notes]
        if fresh:
            self._seen_notes |= ids
            self.toast.show_notes(fresh)
            if self.tabs.currentIndex() != self._notes_tab:
                self._unread += len(fresh)
        label = translate("judge", "Notifications")
        if self._unread:
            label = translate("judge", "Notifications ({unread} new)").format(unread=self._unread)
        self.tabs.setTabText(self._notes_tab, label)

    def _tab_changed(self, index: int) -> None:
        if index == self._notes_tab:
            self._unread = 0
            self.tabs.setTabText(self._notes_tab, translate("judge", "Notifications"))

    # --- the link ---------------------------------------------------------------------------------

    def _on_status(self, status: LinkStatus) -> None:
        self.link_bar.show_status(status)
        self.connect_panel.trust.setVisible(offers_new_host(status))
        if status.state == "refused":
            self.connect_panel.show_problem(
                translate("judge", "The host refused: {last_error}").format(
                    last_error=status.last_error
                )
            )
            self.connect_state.setText("")
        elif status.state in ("connecting", "searching"):
            self.connect_state.setText(
                translate("judge", "Connecting to {host}…").format(host=status.host)
                if status.host
                else translate("judge", "Looking for the host…")
            )
        elif status.state == "offline":
            self.connect_state.setText(
                translate(
                    "judge",
                    "Cannot reach the host ({last_error}). Still trying; check the address.",
                ).format(last_error=status.last_error)
            )
        self.loading_hint.setText(
            translate("judge", "Your teams and the criteria appear as soon as they arrive.")
            if status.state == "online"
            else translate("judge", "The host is not reachable right now ({v0}).").format(
                v0=status.last_error or status.state
            )
        )
        self.schedule_refresh()

    def _connect_requested(self, target: str, code: str, secure: bool, fingerprint: str) -> None:
        if not code and not self.controller.paired:
            self.connect_panel.show_problem(
                translate("judge", "Enter the join code the organiser gave you.")
            )
            return
        self.connect_state.setText(
            translate("judge", "Connecting to {target}…").format(target=target)
        )
        self.controller.connect_to(
            target, code, secure, fingerprint, f"Judge laptop ({QSysInfo.machineHostName()})"
        )

    # --- choosing a team --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if watched is self.search and key in (
                Qt.Key.Key_Down,
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            ):
                self._enter_list()
                return True
            if (
                watched is self.team_view
                and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self._enter_sheet()
                return True
        return super().eventFilter(watched, event)

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _enter_list(self) -> None:
        self.team_view.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.team_view.currentIndex().isValid():
            for number, row in enumerate(self.team_model.rows):
                if row.scorable:
                    self.team_view.setCurrentIndex(self.team_model.index(number))
                    break

    def _enter_sheet(self, *_: object) -> None:
        if self._selected is None:
            return
        target = self.editor.first_input()
        target.setFocus(Qt.FocusReason.TabFocusReason)
        if isinstance(target, QAbstractSpinBox):
            target.selectAll()

    def _filter(self) -> None:
        self._show_rows()

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._restoring or not current.isValid():
            return
        row = self.team_model.row_at(current)
        if row is None:
            return
        if row.id == self._selected:
            return
        if self.editor.dirty():
            choice = self.ask_unsaved(self.snap.row(self._selected))
            if choice == "cancel" or (choice == "save" and not self.save_draft()):
                self._restoring = True
                self.team_view.setCurrentIndex(self.team_model.index_of(self._selected))
                self._restoring = False
                return
        self.select_team(row.id)

    def select_team(self, team_id: str) -> None:
        """Show a team's sheet (the list follows)."""
        self._selected = team_id
        index = self.team_model.index_of(team_id)
        if index.isValid() and self.team_view.currentIndex() != index:
            self._restoring = True
            self.team_view.setCurrentIndex(index)
            self._restoring = False
        self._show_sheet()

    def ask_unsaved(self, row: jm.TeamRow | None) -> str:
        """Ask what to do with unsaved changes: "save" (a draft), "discard" or "cancel"."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("judge", "Unsaved changes"))
        name = row.name if row is not None else "this team"
        box.setText(
            translate("judge", "Your sheet for {name} has changes that are not saved.").format(
                name=name
            )
        )
        box.setInformativeText(
            translate("judge", "Save them as a draft on this laptop, or discard them?")
        )
        save = box.addButton(translate("judge", "Save draft"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(
            translate("judge", "Discard"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        if box.clickedButton() is save:
            return "save"
        if box.clickedButton() is discard:
            return "discard"
        return "cancel"

    # --- saving -----------------------------------------------------------------------------------

    def save_draft(self) -> bool:
        """Save the sheet shown as a draft; return whether it was saved."""
        return self._save(False)

    def submit_final(self) -> bool:
        """Submit the sheet shown as final; return whether it was saved."""
        return self._save(True)

    def _save(self, final: bool) -> bool:
        editor, judge = self.editor, self.judge_id
        if editor.team_id is None or judge is None or not editor.editable:
            return False
        editor.commit_typing()
        scores, comment = editor.scores(), editor.comment_text()
        row, required = self.snap.row(editor.team_id), self.snap.criteria
        held = row.criteria if row is not None and row.groups else required
        problems = jm.sheet_problems(held, scores, final=final, required=required)
        if problems:
            editor.show_problem(" ".join(problems))
            missing = [c["name"] for c in required if c["id"] not in scores]
            if final and missing:
                editor.focus_criterion(missing[0])
            return False
        error = self.controller.save_sheet(
            judge, editor.team_id, scores, comment, final=final, round_id=self.snap.round_id
        )
        if error is not None:
            editor.show_problem(translate("judge", "Not saved: {error}").format(error=error))
            return False
        editor.show_problem("")
        editor.mark_saved()
        self.refresh()
        if final:
            after = jm.next_to_score(self.snap.rows, editor.team_id)
            editor.offer_next(jm.next_hint(after), button=after is not None)
        return True

    def open_next(self) -> None:
        """Open the next team without a final sheet, with the keyboard in its first box."""
        after = jm.next_to_score(self.snap.rows, self._selected)
        if after is None:
            self.editor.offer_next(jm.next_hint(None))
            return
        if self.editor.dirty():
            choice = self.ask_unsaved(self.snap.row(self._selected))
            if choice == "cancel" or (choice == "save" and not self.save_draft()):
                return
        if not self.team_model.index_of(after.id).isValid():
            self.search.clear()  # a filter that hides the next team would hide its sheet too
        self.select_team(after.id)
        self._enter_sheet()

    # --- closing ----------------------------------------------------------------------------------

    def may_close(self) -> bool:
        """Ask what to do with unsaved changes first; False when the judge cancels."""
        if self.editor.dirty():
            choice = self.ask_unsaved(self.snap.row(self._selected))
            return not (choice == "cancel" or (choice == "save" and not self.save_draft()))
        return True
