"""The console's Devices page: every paired device's link, unsent work, clock; revoke one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QPushButton, QTableWidgetItem

from desktop import host_model as model
from desktop import theme
from desktop.host import ask
from desktop.host import parts as ui
from desktop.i18n import QT_TRANSLATE_NOOP, translate
from desktop.theme import set_role


class DevicesPage(ui.Page):
    """Every paired device: link, pending work, last contact, clock, address; revoke.

    It renders the `DevicesView` it is shown (its ages counted at the view's `now_ms`, the
    console's clock) and asks for everything through its signals (one block below); each row's
    action buttons are built in `_actions`.
    """

    revoke_requested = Signal(str, str)  # the device, and its label (asked already)

    COLUMNS = (  # shown through translate
        QT_TRANSLATE_NOOP("host", "Device"),
        QT_TRANSLATE_NOOP("host", "Role"),
        QT_TRANSLATE_NOOP("host", "For"),
        QT_TRANSLATE_NOOP("host", "Link"),
        QT_TRANSLATE_NOOP("host", "Unsent"),
        QT_TRANSLATE_NOOP("host", "Last seen"),
        QT_TRANSLATE_NOOP("host", "Clock"),
        QT_TRANSLATE_NOOP("host", "Address"),
        "",
    )

    def __init__(self) -> None:
        super().__init__(
            translate("host", "Devices"),
            translate(
                "host",
                "Every laptop and screen that has joined. Unsent is what a device held back when "
                "it last connected; clock is its offset from this machine.",
            ),
        )
        self.shown = model.DevicesView([], [], "", 0)
        self.table = ui.table(
            [translate("host", c) if c else "" for c in self.COLUMNS],
            translate("host", "Paired devices"),
            stretch=0,
        )
        set_role(self.table, "devices")
        self.table.horizontalHeader().setMinimumSectionSize(88)
        self.table.verticalHeader().setDefaultSectionSize(48)
        self.table.horizontalHeader().setSectionResizeMode(
            len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Fixed
        )
        self.table.setColumnWidth(len(self.COLUMNS) - 1, 136)
        self.empty = ui.label(
            translate("host", "No device has joined yet. Hand out join codes from the Codes page."),
            "hint",
        )
        self.summary = ui.label("", "caption")
        self.summary.setAccessibleName(translate("host", "Device summary"))
        self.content.addWidget(self.empty)
        self.content.addWidget(self.summary)
        self.content.addWidget(self.table, 1)
        self.content.addStretch(0)
        self.revoke_buttons: dict[str, QPushButton] = {}

    def show_devices(self, view: model.DevicesView) -> None:
        """Show every paired device as `view` has it."""
        self.shown = view
        rows = view.rows
        self.empty.setVisible(not rows)
        self.summary.setVisible(bool(rows))
        self.summary.setText(view.summary)
        cells = [(row.device, _cells(line)) for row, line in zip(rows, view.lines, strict=True)]
        ui.fill(self.table, cells)
        self.revoke_buttons = {}
        for index, row in enumerate(rows):
            self.table.setCellWidget(index, len(self.COLUMNS) - 1, ui.cell(self._actions(row)))
        ui.fit_height(self.table)

    def _actions(self, row: model.DeviceRow) -> QPushButton:
        """Build a device's action button (revoke)."""
        button = ui.button(
            translate("host", "Revoked") if row.revoked else translate("host", "Revoke…"),
            translate("host", "Revoke {label} ({subject_name})").format(
                label=row.label, subject_name=row.subject_name
            ),
            "danger",
        )
        button.setEnabled(not row.revoked)
        button.clicked.connect(lambda _=False, r=row: self.revoke(r))
        self.revoke_buttons[row.device] = button
        return button

    def revoke(self, row: model.DeviceRow) -> None:
        """Ask to revoke a device, after asking the organiser."""
        if ask.confirm(
            self,
            translate("host", "Revoke device"),
            translate(
                "host",
                "Revoke {label} ({v1}, {subject_name})? It is disconnected at once and can "
                "never rejoin with this device. Its join code still works: remove or re-create "
                "the judge or team if the person should not come back.",
            ).format(
                label=row.label,
                v1=translate("host", model.ROLES.get(row.role, row.role)),
                subject_name=row.subject_name,
            ),
            translate("host", "Revoke"),
        ):
            self.revoke_requested.emit(row.device, row.label)


def _tone(name: str | None) -> QColor | None:
    return None if name is None else theme.colour(name)


def _cells(line: model.DeviceLine) -> list[QTableWidgetItem | str]:
    """Return a device row's cells, its link, clock and address coloured by their tone."""
    label, role, subject, link, pending, seen, clock, address = line.cells
    return [
        ui.item(label),
        role,
        subject,
        ui.item(link, color=_tone(line.link_tone)),
        pending,
        seen,
        ui.item(clock, color=_tone(line.clock_tone)),
        ui.item(address, color=theme.colour("muted")),
    ]
