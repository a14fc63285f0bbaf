"""Widgets shared by the windows: link status, the connect panel and the View menu."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, QRect, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import about, theme
from desktop.host_model import describe_ago
from desktop.i18n import QT_TRANSLATE_NOOP, translate
from desktop.theme import set_role
from storage.codes import normalize
from sync.discovery import HostInfo, parse_join_link, parse_target
from sync.peer import LinkStatus

if TYPE_CHECKING:
    from desktop.controllers import PeerController

LAST_ADDRESS = "connect/last_address"
LAST_INSECURE = "connect/last_insecure"

STATE_TEXT = {  # shown through `translate`
    "idle": QT_TRANSLATE_NOOP("widgets", "Not connected"),
    "searching": QT_TRANSLATE_NOOP("widgets", "Looking for the host…"),
    "connecting": QT_TRANSLATE_NOOP("widgets", "Connecting…"),
    "online": QT_TRANSLATE_NOOP("widgets", "Online"),
    "offline": QT_TRANSLATE_NOOP("widgets", "Offline — retrying"),
    "refused": QT_TRANSLATE_NOOP("widgets", "Refused"),
    "stopped": QT_TRANSLATE_NOOP("widgets", "Disconnected"),
}


class DarkThemeAction(QAction):
    """View ▸ Dark theme: switches the console, judge and team windows, kept in the settings.

    Checked when the appearance is dark; it follows a switch made in another window too.
    """

    def __init__(self, window: QMainWindow, settings: QSettings | None) -> None:
        super().__init__(translate("widgets", "Dark theme"), window)
        self.settings = settings
        self.setCheckable(True)
        self.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.setStatusTip(translate("widgets", "Switch between the light and the dark appearance"))
        self.setChecked(theme.is_dark())
        self.toggled.connect(self._toggled)
        theme.notifier().changed.connect(self._follow)

    def _toggled(self, dark: bool) -> None:
        theme.save_appearance(self.settings, dark)
        theme.set_ui_dark(dark)

    def _follow(self, dark: bool) -> None:
        if self.isChecked() != dark:
            self.blockSignals(True)
            self.setChecked(dark)
            self.blockSignals(False)


class ZoomActions(QObject):
    """View ▸ Zoom in, Zoom out and Actual size: the text of every window but the display.

    One zoom for the whole app (theme.set_zoom), kept in the settings under `appearance/zoom`.
    """

    def __init__(self, window: QMainWindow, settings: QSettings | None) -> None:
        super().__init__(window)
        self.settings = settings
        self.zoom_in = self._action(
            window, translate("widgets", "Zoom in"), ("Ctrl+=", "Ctrl++"), 1
        )
        self.zoom_out = self._action(window, translate("widgets", "Zoom out"), ("Ctrl+-",), -1)
        self.actual = self._action(window, translate("widgets", "Actual size"), ("Ctrl+0",), 0)
        theme.notifier().zoomed.connect(self._follow)
        self._follow(theme.zoom())

    def _action(self, window: QMainWindow, text: str, keys: tuple[str, ...], step: int) -> QAction:
        action = QAction(text, window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setStatusTip(
            translate("widgets", "{text} (the text of every window but the display)").format(
                text=text
            )
        )
        action.triggered.connect(lambda: self.step(step))
        return action

    def actions(self) -> list[QAction]:
        """Return the three actions, in menu order."""
        return [self.zoom_in, self.zoom_out, self.actual]

    def step(self, step: int) -> None:
        """Zoom one step in (1) or out (-1), or back to actual size (0), and remember it."""
        zooms = theme.ZOOMS
        here = min(range(len(zooms)), key=lambda i: abs(zooms[i] - theme.zoom()))
        value = 1.0 if step == 0 else zooms[max(0, min(len(zooms) - 1, here + step))]
        theme.save_zoom(self.settings, value)
        theme.set_zoom(value)

    def _follow(self, value: float) -> None:
        self.zoom_in.setEnabled(value < theme.ZOOMS[-1])
        self.zoom_out.setEnabled(value > theme.ZOOMS[0])


def add_view_menu(window: QMainWindow, settings: QSettings | None) -> DarkThemeAction:
    """Give `window` a View menu: Dark theme and the zoom, started as the settings keep them.

    The appearance is kept in `settings` under `appearance/theme`, the zoom under
    `appearance/zoom`; when they hold one, the application switches to it now (app.py has
    already applied them at startup).
    """
    saved = theme.saved_appearance(settings)
    if saved is not None and (saved == theme.DARK) != theme.is_dark():
        theme.set_ui_dark(saved == theme.DARK)
    zoom = theme.saved_zoom(settings)
    if zoom is not None:
        theme.set_zoom(zoom)
    action = DarkThemeAction(window, settings)
    bar = window.menuBar()
    bar.setAccessibleName(translate("widgets", "Menu bar"))
    menu = bar.addMenu(translate("widgets", "&View"))
    menu.setAccessibleName(translate("widgets", "View"))
    menu.addAction(action)
    menu.addSeparator()
    menu.addActions(ZoomActions(window, settings).actions())
    more = bar.findChild(QToolButton, "qt_menubar_ext_button")
    if more is not None:  # shown only when the menus do not fit
        more.setAccessibleName(translate("widgets", "More menus"))
    return action


def add_help_menu(window: QMainWindow, fingerprint: Callable[[], str | None]) -> QMenu:
    """Give `window` a Help menu: keyboard shortcuts (F1), a short guide, and About.

    `fingerprint` gives the host certificate's pin for About (None where there is none).
    """
    menu = window.menuBar().addMenu(translate("widgets", "&Help"))
    menu.setAccessibleName(translate("widgets", "Help"))
    keys = menu.addAction(translate("widgets", "Keyboard shortcuts"))
    keys.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    keys.triggered.connect(
        lambda: _show_text(window, translate("widgets", "Keyboard shortcuts"), _shortcuts_html())
    )
    guide = menu.addAction(translate("widgets", "Running an event"))
    guide.triggered.connect(
        lambda: _show_text(window, translate("widgets", "Running an event"), _guide_html())
    )
    menu.addSeparator()
    about_action = menu.addAction(translate("widgets", "About Tallyboard"))
    about_action.triggered.connect(
        lambda: _show_text(
            window,
            translate("widgets", "About Tallyboard"),
            _paragraphs(about.about_text(fingerprint(), translate)),
        )
    )
    return menu


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(part)}</p>" for part in text.split("\n\n"))


def _shortcuts_html() -> str:
    parts = []
    for where, keys in about.SHORTCUTS.items():
        rows = "".join(
            f"<tr><td><b>{html.escape(translate('about', k))}</b>&nbsp;&nbsp;</td>"
            f"<td>{html.escape(translate('about', v))}</td></tr>"
            for k, v in keys
        )
        heading = html.escape(translate("about", where))
        parts.append(f"<h3>{heading}</h3><table>{rows}</table>")
    return "".join(parts)


def _guide_html() -> str:
    return "".join(
        f"<h3>{html.escape(translate('about', title))}</h3>"
        f"<p>{html.escape(translate('about', text))}</p>"
        for title, text in about.GUIDE
    )


def _show_text(parent: QWidget, title: str, body: str) -> QMessageBox:
    """Show a Help text in a box that does not block the loop (the host keeps serving)."""
    box = QMessageBox(QMessageBox.Icon.NoIcon, title, body, QMessageBox.StandardButton.Close)
    box.setParent(parent, box.windowFlags())
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("helpBox")
    box.open()
    return box


# What a window manager adds around a window (borders, title bar); Qt learns it only once the
# window is shown, so room is kept for it in advance.
FRAME_ALLOWANCE = (16, 48)
SMALL_LAPTOP = (1366, 768)  # the smallest screen every window's first size must fit


def fit_size(size: tuple[int, int], available: QRect) -> tuple[int, int]:
    """Return `size` made small enough that it and its frame fit in `available`."""
    width = min(size[0], available.width() - FRAME_ALLOWANCE[0])
    height = min(size[1], available.height() - FRAME_ALLOWANCE[1])
    return width, height


def restore_geometry(
    window: QMainWindow, settings: QSettings | None, key: str, default: tuple[int, int]
) -> None:
    """Put a window back where the user left it (QSettings `key`), else give it `default` size.

    Either way the window fits its screen: a size remembered on a larger screen, or a default
    larger than this one, shrinks to it (never below the window's minimum size).
    """
    geometry = settings.value(key) if settings is not None else None
    restored = (
        isinstance(geometry, QByteArray)
        and not geometry.isEmpty()
        and window.restoreGeometry(geometry)
    )
    size = (window.width(), window.height()) if restored else default
    window.resize(*fit_size(size, window.screen().availableGeometry()))


def save_geometry(window: QMainWindow, settings: QSettings | None, key: str) -> None:
    """Remember a window's size and place under QSettings `key`."""
    if settings is not None:
        settings.setValue(key, window.saveGeometry())


def _hint(text: str) -> QLabel:
    """Return a wrapped hint label."""
    hint = QLabel(text)
    hint.setWordWrap(True)
    set_role(hint, "hint")
    return hint


def describe_link(status: LinkStatus, now_ms: int | None = None) -> str:
    """Return the one line a user reads about the link (state, host, last contact)."""
    text = translate("widgets", STATE_TEXT.get(status.state, status.state))
    if status.state == "online" and status.host:
        return translate("widgets", "{state} · {host}").format(state=text, host=status.host)
    if status.state == "offline" and status.last_contact_ms:
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        ago = describe_ago(now_ms - status.last_contact_ms)
        return translate("widgets", "{state} · last contact {ago}").format(state=text, ago=ago)
    return text


def describe_pending(count: int) -> str:
    """Return the outbox line: what waits to be sent."""
    if count == 0:
        return translate("widgets", "All saved work sent")
    if count == 1:  # lupdate reads no %n plural from translate(): one and many as sentences
        return translate("widgets", "1 waiting to send")
    return translate("widgets", "{count} waiting to send").format(count=count)


grouped_fingerprint = about.grouped  # one rule in one place (about.py has no Qt)


def ask_trust_new_host(parent: QWidget, fingerprint: str) -> bool:
    """Ask whether to trust a host whose certificate changed; True when the user does."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        translate("widgets", "The host's certificate changed"),
        translate(
            "widgets",
            "The host now presents a certificate this laptop has not seen before.\n\n"
            "That happens when the organiser rebuilt the host on another laptop, and also when "
            "someone on this network pretends to be the host. Ask the organiser to read out the "
            "certificate fingerprint from the host console (Codes page), and trust the host only "
            "if it is exactly this one:\n\n{fingerprint}",
        ).format(fingerprint=grouped_fingerprint(fingerprint)),
        QMessageBox.StandardButton.Cancel,
    )
    box.setParent(parent, box.windowFlags())
    trust = box.addButton(
        translate("widgets", "Trust this host"), QMessageBox.ButtonRole.AcceptRole
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is trust


def trust_button() -> QPushButton:
    """The button shown while the link is refused because the host's certificate changed."""
    button = QPushButton(translate("widgets", "Trust new host…"))
    button.setAccessibleName(translate("widgets", "Trust the host's new certificate"))
    button.setToolTip(
        translate("widgets", "Compare the host's new certificate fingerprint with the organiser's")
    )
    button.hide()
    return button


def offers_new_host(status: LinkStatus) -> bool:
    """Whether the link was refused because the host's certificate changed."""
    return status.state == "refused" and status.offered_fp is not None


def wire_trust(parent: QWidget, controller: PeerController, *buttons: QPushButton) -> None:
    """Make `buttons` ask the user to compare the new fingerprint, then trust the host."""

    def ask() -> None:
        fingerprint = controller.status.offered_fp
        if fingerprint is not None and ask_trust_new_host(parent, fingerprint):
            controller.trust_host()

    for button in buttons:
        button.clicked.connect(ask)


class LinkStatusBar(QWidget):
    """Link state, pending ops, clock warning and last error, for a window's status bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.link = QLabel(STATE_TEXT["idle"])
        self.link.setAccessibleName(translate("widgets", "Link state"))
        self.pending = QLabel(describe_pending(0))
        self.pending.setAccessibleName(translate("widgets", "Waiting to send"))
        self.clock = QLabel("")
        self.clock.setAccessibleName(translate("widgets", "Clock warning"))
        self.error = QLabel("")
        self.error.setAccessibleName(translate("widgets", "Last error"))
        set_role(self.error, "hint")
        for label in (self.link, self.pending, self.clock):
            layout.addWidget(label)
        layout.addStretch(1)
        layout.addWidget(self.error)
        self.trust = trust_button()
        layout.addWidget(self.trust)

    def show_status(self, status: LinkStatus) -> None:
        """Render a LinkStatus."""
        self.link.setText("● " + describe_link(status))
        set_role(self.link, status.state, "link")
        self.pending.setText(describe_pending(status.pending))
        set_role(self.pending, "yes" if status.pending else "no", "pending")
        if status.clock_warning and status.clock_offset_ms is not None:
            minutes = abs(status.clock_offset_ms) / 60000
            if status.clock_offset_ms > 0:
                text = translate(
                    "widgets", "This laptop's clock is {minutes:.0f} min behind the host's"
                )
            else:
                text = translate(
                    "widgets", "This laptop's clock is {minutes:.0f} min ahead of the host's"
                )
            self.clock.setText(text.format(minutes=minutes))
            set_role(self.clock, "error")
        else:
            self.clock.setText("")
        self.error.setText(status.last_error if status.state != "online" else "")
        self.trust.setVisible(offers_new_host(status))


class ConnectPanel(QFrame):
    """Pick a host found on the network or type one, enter a join code, and connect.

    Emits `connect_requested(target or "", code, secure, fingerprint or "")`; an empty target
    means "the host found over mDNS", chosen in the list.
    """

    connect_requested = Signal(str, str, bool, str)

    def __init__(
        self, role_label: str, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        set_role(self, "card")
        self._hosts: list[HostInfo] = []
        self._settings = settings
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        title = QLabel(translate("widgets", "Join as {role_label}").format(role_label=role_label))
        set_role(title, "title")
        layout.addWidget(title)
        layout.addWidget(
            _hint(
                translate(
                    "widgets",
                    "Pick the event's host below, or type its address. Then enter the join "
                    "code the organiser gave you, or paste a join link.",
                )
            )
        )
        self.host_list = QListWidget()
        self.host_list.setAccessibleName(translate("widgets", "Hosts found on this network"))
        self.host_list.setMinimumHeight(110)
        layout.addWidget(QLabel(translate("widgets", "Hosts found on this network")))
        layout.addWidget(self.host_list)
        self.empty = _hint(
            translate(
                "widgets",
                "None found yet — still looking. Venue Wi-Fi may block discovery; "
                "type the address instead.",
            )
        )
        layout.addWidget(self.empty)
        layout.addLayout(self._form())
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        set_role(self.problem, "error")
        self.problem.setAccessibleName(translate("widgets", "Connection problem"))
        layout.addWidget(self.problem)
        layout.addLayout(self._buttons())

        if settings is not None:
            # The last address typed by hand (Wi-Fi that blocks discovery stays that way).
            self.address.setText(str(settings.value(LAST_ADDRESS, "") or ""))
            self.insecure.setChecked(str(settings.value(LAST_INSECURE, "false")) == "true")
        self.connect_button.clicked.connect(self._submit)
        self.code.returnPressed.connect(self._submit)
        self.host_list.itemDoubleClicked.connect(lambda _: self.code.setFocus())

    def _form(self) -> QFormLayout:
        """Build the typed address, the join code and the plain-connection box."""
        form = QFormLayout()
        self.address = QLineEdit()
        self.address.setPlaceholderText(
            translate("widgets", "e.g. 192.168.1.20:8765 (leave empty to use the list)")
        )
        self.address.setAccessibleName(translate("widgets", "Host address"))
        form.addRow(translate("widgets", "Host address"), self.address)
        self.code = QLineEdit()
        self.code.setPlaceholderText(translate("widgets", "XXXX-XXXX or a tallyboard:// join link"))
        self.code.setAccessibleName(translate("widgets", "Join code"))
        form.addRow(translate("widgets", "Join code"), self.code)
        self.insecure = QCheckBox(
            translate("widgets", "Plain connection (the host runs with --insecure)")
        )
        self.insecure.setAccessibleName(translate("widgets", "Plain connection without TLS"))
        form.addRow("", self.insecure)
        return form

    def _buttons(self) -> QHBoxLayout:
        """Build the trust-new-host button (hidden until offered) and Connect."""
        row = QHBoxLayout()
        self.trust = trust_button()
        row.addWidget(self.trust)
        row.addStretch(1)
        self.connect_button = QPushButton(translate("widgets", "Connect"))
        set_role(self.connect_button, "primary")
        self.connect_button.setAccessibleName(translate("widgets", "Connect to the host"))
        self.connect_button.setDefault(True)
        row.addWidget(self.connect_button)
        return row

    def set_hosts(self, hosts: list[HostInfo]) -> None:
        """Show the hosts currently advertised on the network."""
        selected = self.host_list.currentRow()
        self._hosts = sorted(hosts, key=lambda h: (h.name.casefold(), h.target))
        self.host_list.clear()
        for host in self._hosts:
            lock = "🔒 " if host.tls else ""
            item = QListWidgetItem(f"{lock}{host.name}    {host.target}")
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                translate("widgets", "{name} at {target}").format(
                    name=host.name, target=host.target
                ),
            )
            self.host_list.addItem(item)
        self.empty.setVisible(not self._hosts)
        if self._hosts:
            self.host_list.setCurrentRow(max(0, min(selected, len(self._hosts) - 1)))

    def show_problem(self, text: str) -> None:
        """Show why connecting failed or was refused."""
        self.problem.setText(text)

    def _submit(self) -> None:
        typed = self.code.text().strip()
        target, fingerprint, secure = self.address.text().strip(), "", not self.insecure.isChecked()
        if typed.lower().startswith("tallyboard://"):
            try:
                link = parse_join_link(typed)
            except ValueError as exc:
                self.show_problem(str(exc))
                return
            target, fingerprint, secure = link.target, link.fingerprint or "", link.secure
            typed = link.code or ""
        code = normalize(typed) if typed else None
        if typed and code is None:
            self.show_problem(
                translate("widgets", "A join code has 8 letters and digits, like K7QF-M2XD.")
            )
            return
        if target:
            try:
                parse_target(target)
            except ValueError as exc:
                self.show_problem(str(exc))
                return
        elif self._hosts and self.host_list.currentRow() >= 0:
            host = self._hosts[self.host_list.currentRow()]
            target, fingerprint, secure = host.target, host.fingerprint or "", host.tls
        else:
            self.show_problem(
                translate("widgets", "No host chosen: pick one in the list or type its address.")
            )
            return
        self.show_problem("")
        if self._settings is not None and self.address.text().strip():
            self._settings.setValue(LAST_ADDRESS, self.address.text().strip())
            self._settings.setValue(LAST_INSECURE, "true" if self.insecure.isChecked() else "false")
        self.connect_requested.emit(target, typed, secure, fingerprint)
