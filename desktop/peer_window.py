"""The base of the judge's, team's and display's windows: what the three peer windows share.

Each has a controller and settings, a connect panel until the device is paired, the flow that
trusts a host whose certificate changed, and a size and place remembered across runs; the
windows themselves keep only what differs.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import theme
from desktop.controllers import PeerController
from desktop.i18n import QT_TRANSLATE_NOOP, translate
from desktop.widgets import (
    ConnectPanel,
    LinkStatusBar,
    add_help_menu,
    add_view_menu,
    offers_new_host,
    restore_geometry,
    save_geometry,
    wire_trust,
)
from sync.peer import LinkStatus

# Whole texts per role, so that each translates as one (shown through `translate`).
ROLE_TITLE = {
    "judge": QT_TRANSLATE_NOOP("peer_window", "Tallyboard — Judge"),
    "team": QT_TRANSLATE_NOOP("peer_window", "Tallyboard — Team"),
    "display": QT_TRANSLATE_NOOP("peer_window", "Tallyboard — Display"),
}
ROLE_JOIN = {  # "Join as {role}" on the connect panel
    "judge": QT_TRANSLATE_NOOP("peer_window", "a judge"),
    "team": QT_TRANSLATE_NOOP("peer_window", "team"),
    "display": QT_TRANSLATE_NOOP("peer_window", "display"),
}


class PeerWindow(QMainWindow):
    """A peer's window: controller, connect panel, trust-new-host flow and remembered geometry."""

    ROLE: ClassVar[str]  # judge, team or display: the title, the panel's words, settings keys
    MINIMUM: ClassVar[tuple[int, int]]
    DEFAULT_SIZE: ClassVar[tuple[int, int]]  # the first run's size, before any is remembered
    VIEW_MENU: ClassVar[bool] = True

    # Set by windows that switch between their connect page and their main page in `stack`.
    stack: QStackedWidget
    connect_page: QWidget

    def __init__(
        self,
        controller: PeerController,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self._asked = False  # the user asked to connect from the panel: stay there until welcomed
        self.setWindowTitle(translate("peer_window", ROLE_TITLE[self.ROLE]))
        self.setWindowIcon(theme.icon("tallyboard"))
        self.setMinimumSize(*self.MINIMUM)
        if self.VIEW_MENU:
            self.dark_action = add_view_menu(self, settings)
            add_help_menu(self, lambda: None)  # a peer pins the host's print; it has none
        label = translate("peer_window", ROLE_JOIN[self.ROLE])
        self.connect_panel = ConnectPanel(label, settings=settings)
        controller.hosts_changed.connect(self.connect_panel.set_hosts)
        self.connect_panel.connect_requested.connect(self._connect_requested)
        self.build()
        self.restore_geometry(self.DEFAULT_SIZE)

    def build(self) -> None:
        """Build the window's own pages and wire them to the controller."""
        raise NotImplementedError

    # --- building ---

    def add_link_bar(self) -> LinkStatusBar:
        """Put the link's status (and its trust button) in the status bar."""
        self.link_bar = LinkStatusBar()
        self.wire_trust(self.link_bar.trust)
        self.statusBar().addWidget(self.link_bar, 1)
        return self.link_bar

    def wire_trust(self, *buttons: QPushButton) -> None:
        """Make the connect panel's trust button, and `buttons`, run the trust-new-host flow."""
        wire_trust(self, self.controller, *buttons, self.connect_panel.trust)

    @staticmethod
    def centred(
        *widgets: QWidget, below: int = 2, margins: int | None = None, spacing: int | None = None
    ) -> QWidget:
        """Return a page with `widgets` in a column at its centre, more room below than above."""
        page = QWidget()
        outer = QVBoxLayout(page)
        if margins is not None:
            outer.setContentsMargins(margins, margins, margins, margins)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        column = QVBoxLayout()
        if spacing is not None:
            column.setSpacing(spacing)
        for widget in widgets:
            column.addWidget(widget)
        row.addLayout(column)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(below)
        return page

    # --- the link ---

    def start_on(self, main: QWidget) -> None:
        """Open on `main` once paired, else on the connect page with the hosts found so far."""
        self.stack.setCurrentWidget(main if self.controller.paired else self.connect_page)
        if not self.controller.paired:
            self.connect_panel.set_hosts(self.controller.hosts)

    def welcomed_to(self, main: QWidget) -> None:
        """Leave the connect page for `main`: the host has welcomed this device."""
        self._asked = False
        self.stack.setCurrentWidget(main)

    def _connect_requested(self, target: str, code: str, secure: bool, fingerprint: str) -> None:
        self._asked = True
        self.controller.connect_to(target, code, secure, fingerprint)

    def follow_link(self, status: LinkStatus, main: QWidget) -> None:
        """Switch between the connect page and `main` as the link goes.

        On the connect page: say why connecting failed, and leave it when the app started the
        link itself (--connect, the demo). Elsewhere: come back to it when refused, unpaired or
        shown a changed certificate.
        """
        self.connect_panel.trust.setVisible(offers_new_host(status))
        if self.stack.currentWidget() is self.connect_page:
            if status.state == "refused" or (status.state == "offline" and status.last_error):
                self.connect_panel.show_problem(status.last_error)
            if status.state in ("connecting", "online") and not self._asked:
                self.stack.setCurrentWidget(main)
        elif status.state == "refused" and (not self.controller.paired or offers_new_host(status)):
            self.stack.setCurrentWidget(self.connect_page)
            self.connect_panel.show_problem(status.last_error)

    # --- geometry ---

    def restore_geometry(self, default: tuple[int, int]) -> None:
        """Put the window back where the user left it, else give it `default` size."""
        restore_geometry(self, self.settings, f"{self.ROLE}/geometry", default)

    def may_close(self) -> bool:
        """Whether the window may close now (a window with unsaved work may ask first)."""
        return True

    def keeps_geometry(self) -> bool:
        """Whether the size and place are worth remembering as the window closes."""
        return True

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        if not self.may_close():
            event.ignore()
            return
        if self.keeps_geometry():
            save_geometry(self, self.settings, f"{self.ROLE}/geometry")
        super().closeEvent(event)
