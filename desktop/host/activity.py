"""The console's Activity page: the op log as it arrives, newest first, refusals standing out."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout

from desktop import desk_model as desk
from desktop import theme
from desktop.host import parts as ui
from desktop.i18n import translate
from storage.history import Filter


class ActivityPage(ui.Page):
    """Every op the host decided, live; filter by team, judge, kind and outcome."""

    filter_changed = Signal(object)  # the Filter chosen
    sheet_requested = Signal(str, str, str)  # judge, team, round: a sheet op's row was opened

    def __init__(self) -> None:
        super().__init__(
            translate("desk", "Activity"),
            translate(
                "desk",
                "Every op the host has decided, newest first: refused ones in red, with the"
                " reason the judge was given. Enter or double-click a sheet to see its history.",
            ),
        )
        self.newest = 0  # the seq of the newest op shown
        self.team = self._combo(translate("desk", "Team"), translate("desk", "All teams"))
        self.judge = self._combo(translate("desk", "Judge"), translate("desk", "All judges"))
        self.kind = self._combo(translate("desk", "Kind"), translate("desk", "All kinds"))
        for key, name in desk.KINDS.items():
            self.kind.addItem(translate("desk", name), key)
        self.outcome = self._combo(translate("desk", "Outcome"), translate("desk", "Any outcome"))
        for key, name in desk.OUTCOME_NAMES.items():
            self.outcome.addItem(translate("desk", name), key)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        for caption, combo in (
            (translate("desk", "Team"), self.team),
            (translate("desk", "Judge"), self.judge),
            (translate("desk", "Kind"), self.kind),
            (translate("desk", "Outcome"), self.outcome),
        ):
            filters.addWidget(ui.label(caption))
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self._chosen)
        self.content.addLayout(filters)
        self.table = ui.table(
            [
                translate("desk", "Made"),
                translate("desk", "Outcome"),
                translate("desk", "Kind"),
                translate("desk", "Who"),
                translate("desk", "Team"),
                translate("desk", "Details"),
            ],
            translate("desk", "Activity"),
            stretch=5,
        )
        self.table.setMinimumHeight(380)
        self.table.activated.connect(self._activated)
        self.content.addWidget(self.table, 1)
        self.summary = ui.label("", "hint")
        self.content.addWidget(self.summary)
        self._sheets: dict[int, tuple[str, str, str]] = {}

    def _combo(self, name: str, every: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(every, None)
        combo.setMinimumContentsLength(10)
        return combo

    def chosen(self) -> Filter:
        """Return the filter the combos show."""
        return Filter(
            self.team.currentData(),
            self.judge.currentData(),
            self.kind.currentData(),
            self.outcome.currentData(),
        )

    def _chosen(self) -> None:
        self.filter_changed.emit(self.chosen())

    def show_activity(self, view: desk.ActivityView) -> None:
        """Show the feed's lines and the teams and judges its filters offer."""
        self._offer(self.team, view.teams)
        self._offer(self.judge, view.judges)
        self.newest = view.newest
        ui.fill(self.table, [(str(line.seq), line.cells) for line in view.lines])
        self._sheets = {line.seq: line.sheet for line in view.lines if line.sheet is not None}
        bad, row = theme.colour("bad"), theme.colour("bad-row")
        for index, line in enumerate(view.lines):
            if line.refused:
                ui.tint_row(self.table, index, bad, row)
        self.summary.setText(view.summary)

    def _offer(self, combo: QComboBox, choices: list[tuple[str, str]]) -> None:
        """Refill a filter's choices, keeping what was chosen (and not asking again)."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for key, name in choices:
            combo.addItem(name, key)
        index = combo.findData(chosen)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def _activated(self, index: QModelIndex) -> None:
        cell = self.table.item(index.row(), 0)
        sheet = None if cell is None else self._sheets.get(int(cell.data(ui.ID_ROLE)))
        if sheet is not None:
            self.sheet_requested.emit(*sheet)
