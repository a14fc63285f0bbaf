"""The console's Codes page: every join code, the host's addresses and its fingerprint, and QR
codes of the pages for browsers."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import host_model as model
from desktop.host import ask
from desktop.host import parts as ui
from desktop.i18n import translate
from desktop.qr import QrCode

# The most devices the console lets one code pair: far more than a team has members.
MOST_DEVICES = 99
QR_SIZE = 168  # logical pixels: a phone reads it from an arm's length off a laptop screen


class CodeRow(QWidget):
    """One join code, large, with buttons to copy it and its join link, and how many devices
    it has paired of how many it may (docs/protocol.md 3c), with the organiser's say over that."""

    copy_requested = Signal(str)  # the code or the link, for the clipboard
    allow_requested = Signal(str)  # let one more device pair with this used-up code
    limit_requested = Signal(str, int)  # let this code pair so many devices

    def __init__(self, line: model.CodeLine, *, stacked: bool = False) -> None:
        super().__init__()
        self.setObjectName("codeRow")
        self.line = line
        self.code, self.link = line.code, line.link
        name, code, link = line.name, line.code, line.link
        self.name = ui.label(name)
        self.name.setMinimumWidth(120)
        self._device_controls(line)
        self.code_label = ui.label(code, "code")
        self.code_label.setAccessibleName(
            translate("host", "Join code for {name}").format(name=name)
        )
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = ui.button(
            translate("host", "Copy"),
            translate("host", "Copy the join code for {name}").format(name=name),
        )
        self.copy_link = ui.button(
            translate("host", "Copy link"),
            translate("host", "Copy the join link for {name}").format(name=name),
        )
        self.copy_link.setEnabled(link is not None)
        self.copy_link.setToolTip(link or "")
        self.copy.clicked.connect(lambda: self.copy_requested.emit(self.code))
        self.copy_link.clicked.connect(lambda: self.copy_requested.emit(self.link or ""))
        row = QHBoxLayout()
        row.setSpacing(10)
        if stacked:
            # The display code, alone in a narrow card: the code first, its buttons under it.
            outer = QVBoxLayout(self)
            outer.setContentsMargins(0, 4, 0, 4)
            outer.setSpacing(12)
            self.name.hide()
            outer.addWidget(self.code_label, 0, Qt.AlignmentFlag.AlignLeft)
            outer.addWidget(self.usage)
            row.addWidget(self.copy)
            row.addWidget(self.copy_link)
            row.addStretch(1)
            outer.addLayout(row)
            return
        row.setContentsMargins(0, 4, 0, 4)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(row)
        row.addLayout(self._who(), 1)
        row.addWidget(self.code_label)
        row.addWidget(self.copy)
        row.addWidget(self.copy_link)
        if line.page_link is not None:
            self._page_qr(line, row, outer)

    def _page_qr(self, line: model.CodeLine, row: QHBoxLayout, outer: QVBoxLayout) -> None:
        """Build a team's QR button and, under the row, the QR code of its team page's link."""
        assert line.page_link is not None
        self.qr_button = ui.button(
            translate("host", "QR code"),
            translate("host", "Show the QR code of {name}'s team page").format(name=line.name),
        )
        self.qr_button.setCheckable(True)
        self.qr_button.setToolTip(line.page_link)
        row.addWidget(self.qr_button)
        self.qr = QrCode(QR_SIZE)
        self.qr.setAccessibleName(
            translate("host", "QR code of {name}'s team page").format(name=line.name)
        )
        self.qr.show_text(line.page_link)
        self.qr.hide()
        outer.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignLeft)
        self.qr_button.toggled.connect(self.qr.setVisible)

    def _device_controls(self, line: model.CodeLine) -> None:
        """Build the code's devices, a link that asks for the limit where it has one (not the
        displays'), and Allow another, shown once the code is used up."""
        self.usage: QLabel | QPushButton
        if line.limit is None:
            self.usage = ui.label(line.usage, "hint")
        else:
            self.usage = ui.button(
                line.usage,
                translate("host", "Devices paired with the code for {name}").format(name=line.name),
                "link",
            )
            self.usage.setToolTip(translate("host", "Set how many devices may pair with this code"))
            self.usage.clicked.connect(self._ask_limit)
        self.allow = ui.button(
            translate("host", "Allow another"),
            translate("host", "Let one more device pair with {name}'s code").format(name=line.name),
            "primary",
        )
        self.allow.setVisible(line.used_up)
        self.allow.clicked.connect(lambda: self.allow_requested.emit(self.code))

    def _who(self) -> QVBoxLayout:
        """Build the name, and under it the code's devices with the organiser's two controls."""
        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.name)
        devices = QHBoxLayout()
        devices.setSpacing(6)
        devices.addWidget(self.usage)
        devices.addWidget(self.allow)
        devices.addStretch(1)
        who.addLayout(devices)
        return who

    def _ask_limit(self) -> None:
        current = self.line.limit or 1
        chosen = ask.number(
            self,
            translate("host", "Devices for one join code"),
            translate(
                "host",
                "How many devices may pair with the code for {name}?\n{usage} now. Each laptop "
                "or phone counts once; revoking one frees its place.",
            ).format(name=self.line.name, usage=self.line.usage),
            current,
            1,
            MOST_DEVICES,
        )
        if chosen is not None and chosen != self.line.limit:
            self.limit_requested.emit(self.code, chosen)


class CodesPage(ui.Page):
    """Join codes for judges, teams and displays, the host's addresses and its fingerprint.

    It renders the `CodesView` it is shown and asks for everything through its signals (one
    block below); a row's own controls reach the page through `_wire_row`.
    """

    copy_requested = Signal(str)  # a code, a join link, the address or the fingerprint
    allow_requested = Signal(str)  # one more device for a used-up code
    limit_requested = Signal(str, int)  # so many devices for a code

    def __init__(self) -> None:
        super().__init__(
            translate("host", "Join codes"),
            translate(
                "host",
                "Give each judge and team their own code; one code serves every display. "
                "Codes are secrets: they never leave this machine except as you hand them out.",
            ),
        )
        self.shown = model.CodesView([], None, None, [])
        self.top = top = QHBoxLayout()
        top.setSpacing(16)
        host_card = self._host_card()
        top.addWidget(host_card, 2)
        self.copy_address.clicked.connect(
            lambda: self.copy_requested.emit(
                self.shown.addresses[0] if self.shown.addresses else ""
            )
        )
        self.copy_fingerprint.clicked.connect(
            lambda: self.copy_requested.emit(self.shown.fingerprint or "")
        )

        display_card, self.display_box = ui.card(
            translate("host", "Displays"),
            translate("host", "One code for every projector and screen in the hall."),
        )
        self.display_rows = QVBoxLayout()
        self.display_box.addLayout(self.display_rows)
        self._page_card(self.display_box)
        self.display_box.addStretch(1)
        top.addWidget(display_card, 1)
        self.content.addLayout(top)
        self.columns = columns = QHBoxLayout()
        columns.setSpacing(16)
        judge_card, self.judge_box = ui.card(translate("host", "Judges"))
        team_card, self.team_box = ui.card(translate("host", "Teams"))
        columns.addWidget(judge_card, 1, Qt.AlignmentFlag.AlignTop)
        columns.addWidget(team_card, 1, Qt.AlignmentFlag.AlignTop)
        self.content.addLayout(columns)
        self.content.addStretch(1)
        self.rows: list[CodeRow] = []
        self._side_by_side = ((top, (host_card, display_card)), (columns, (judge_card, team_card)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Lay the cards out side by side where they fit, else one under the other."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width = self.viewport().width()
        margins = self.content.contentsMargins()
        for layout, cards in self._side_by_side:
            need = sum(card.minimumSizeHint().width() for card in cards) + layout.spacing()
            fits = width >= need + margins.left() + margins.right()
            layout.setDirection(
                QBoxLayout.Direction.LeftToRight if fits else QBoxLayout.Direction.TopToBottom
            )

    def _host_card(self) -> QFrame:
        """Build the card of the host's addresses, sync URL and certificate fingerprint."""
        host_card, host = ui.card(translate("host", "How devices reach this host"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        self.addresses = ui.label("", "mono")
        self.addresses.setAccessibleName(translate("host", "Host addresses"))
        self.addresses.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_address = ui.button(
            translate("host", "Copy"), translate("host", "Copy the host address")
        )
        self.url = ui.label("", "mono")
        self.url.setAccessibleName(translate("host", "Sync URL"))
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint = ui.label("", "mono")
        self.fingerprint.setAccessibleName(translate("host", "Certificate fingerprint"))
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_fingerprint = ui.button(
            translate("host", "Copy"), translate("host", "Copy the certificate fingerprint")
        )
        for row, (caption, value, button) in enumerate(
            (
                (translate("host", "Address"), self.addresses, self.copy_address),
                (translate("host", "Sync URL"), self.url, None),
                (translate("host", "Certificate"), self.fingerprint, self.copy_fingerprint),
            )
        ):
            grid.addWidget(ui.label(caption, "caption"), row, 0)
            grid.addWidget(value, row, 1)
            if button is not None:
                grid.addWidget(button, row, 2)
            grid.setRowMinimumHeight(row, 38)
        host.addLayout(grid)
        host.addWidget(
            ui.label(
                translate(
                    "host",
                    "Devices find this host on the network by themselves; where the Wi-Fi blocks "
                    "that, type the address. On first contact a judge's laptop shows the "
                    "certificate fingerprint, and after a host rebuild every laptop asks to trust "
                    "the new one: it must match the one above.",
                ),
                "hint",
                wrap=True,
            )
        )
        host.addStretch(1)  # beside a taller displays' card, the room goes below, not between
        return host_card

    def _page_card(self, box: QVBoxLayout) -> None:
        """Build the public page's address and QR code, under the displays' code."""
        box.addWidget(ui.label(translate("host", "Public page, for phones"), "caption"))
        self.page = ui.label("", "mono")
        self.page.setAccessibleName(translate("host", "Public page address"))
        self.page.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_page = ui.button(
            translate("host", "Copy"), translate("host", "Copy the public page address")
        )
        self.copy_page.clicked.connect(lambda: self.copy_requested.emit(self.shown.page or ""))
        line = QHBoxLayout()
        line.addWidget(self.page, 1)
        line.addWidget(self.copy_page)
        box.addLayout(line)
        self.page_qr = QrCode(QR_SIZE)
        self.page_qr.setAccessibleName(translate("host", "QR code of the public page"))
        box.addWidget(self.page_qr, 0, Qt.AlignmentFlag.AlignLeft)

    def show_codes(self, view: model.CodesView) -> None:
        """Show how devices reach this host and every code (rows rebuilt only when changed)."""
        before, self.shown = self.shown, view
        self.page.setText(view.page_text)
        self.copy_page.setEnabled(view.page is not None)
        if view.page != self.page_qr.text_shown:
            self.page_qr.show_text(view.page or "")
        self.page_qr.setVisible(view.page is not None)
        self.addresses.setText(view.address_text)
        self.url.setText(view.url_text)
        self.fingerprint.setText(view.fingerprint_text)
        self.copy_fingerprint.setEnabled(bool(view.fingerprint))
        if view.codes == before.codes and self.rows:
            return
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        boxes = {"judge": self.judge_box, "team": self.team_box, "display": self.display_rows}
        for line in view.codes:
            row = CodeRow(line, stacked=line.role == "display")
            self._wire_row(row)
            boxes[line.role].addWidget(row)
            self.rows.append(row)
        self._fit()

    def _wire_row(self, row: CodeRow) -> None:
        """Pass a row's requests on as the page's own."""
        row.copy_requested.connect(self.copy_requested)
        row.allow_requested.connect(self.allow_requested)
        row.limit_requested.connect(self.limit_requested)

    def shown_codes(self) -> dict[str, str]:
        """Return the codes on the page by the name they are shown with."""
        return {row.name.text(): row.code for row in self.rows}
