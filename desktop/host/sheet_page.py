"""The console's page of one sheet: its every version and refusal, newest first (issue 12)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from desktop import desk_model as desk
from desktop import theme
from desktop.host import parts as ui
from desktop.i18n import QT_TRANSLATE_NOOP, translate
from storage.ops import FIRST_ROUND

# The sheet's corrections, in the order of their buttons (docs/protocol.md 5c).
ACTIONS = (
    (
        "sheet.void",
        QT_TRANSLATE_NOOP("desk", "Void…"),
        QT_TRANSLATE_NOOP("desk", "Void this sheet: kept, counted nowhere"),
    ),
    (
        "sheet.restore",
        QT_TRANSLATE_NOOP("desk", "Restore…"),
        QT_TRANSLATE_NOOP("desk", "Count this void sheet again"),
    ),
    (
        "sheet.reopen",
        QT_TRANSLATE_NOOP("desk", "Reopen for the judge…"),
        QT_TRANSLATE_NOOP("desk", "Let the judge save this sheet again after lock"),
    ),
    (
        "sheet.relock",
        QT_TRANSLATE_NOOP("desk", "Relock…"),
        QT_TRANSLATE_NOOP("desk", "Close the reopened sheet again"),
    ),
    (
        "sheet.enter",
        QT_TRANSLATE_NOOP("desk", "Enter paper sheet…"),
        QT_TRANSLATE_NOOP("desk", "Type in the judge's paper sheet"),
    ),
)


class SheetPage(ui.DetailPage):
    """One judge's sheet for one team, as the op log tells it; refusals and corrections stand out.

    `sheet_actions` holds the organiser's corrections of the sheet: void and restore, reopen
    after lock and relock, paper entry; each asks for confirmation and a reason (DeskWindow).
    """

    team_requested = Signal(str)
    judge_requested = Signal(str)
    correction_requested = Signal(str)  # the correction's op kind
    FACTS = 2

    def __init__(self) -> None:
        super().__init__(
            [
                translate("desk", "When"),
                translate("desk", "Who"),
                translate("desk", "What"),
                translate("desk", "Details"),
            ],
            translate("desk", "History of this sheet"),
        )
        self.judge = self.team = ""
        self.round = FIRST_ROUND
        self.open_team = ui.button(
            translate("desk", "Team's page"), translate("desk", "Open the team's page")
        )
        self.open_judge = ui.button(
            translate("desk", "Judge's page"), translate("desk", "Open the judge's page")
        )
        self.open_team.clicked.connect(lambda: self.team_requested.emit(self.team))
        self.open_judge.clicked.connect(lambda: self.judge_requested.emit(self.judge))
        self.sheet_actions = QHBoxLayout()
        self.sheet_actions.setSpacing(8)
        self.corrections: dict[str, QPushButton] = {}
        for kind, text, tip in ACTIONS:
            action = ui.button(translate("desk", text), translate("desk", tip))
            action.setToolTip(translate("desk", tip))
            action.clicked.connect(lambda _=False, k=kind: self.correction_requested.emit(k))
            self.corrections[kind] = action
            self.sheet_actions.addWidget(action)
        # The corrections on their own row under the page links: in one row the longer
        # languages' buttons ran off the console's first size (Spanish needs 1,243 of 1,144).
        actions_row = QHBoxLayout()
        actions_row.addLayout(self.sheet_actions)
        actions_row.addStretch(1)
        at = self.content.indexOf(self.table)
        self.content.insertLayout(at, ui.toolbar(self.open_team, self.open_judge))
        self.content.insertLayout(at + 1, actions_row)

    def show_history(
        self, view: desk.HistoryView, actions: desk.SheetActions | None = None
    ) -> None:
        """Show a sheet's history, newest first, and the corrections it takes now (none if
        not given)."""
        self.judge, self.team, self.round = view.judge, view.team, view.round
        self.show_heading(view.title, view.standing, "" if actions is None else actions.hint)
        for kind, button in self.corrections.items():
            button.setEnabled(actions is not None and actions.enabled.get(kind, False))
        ui.fill(
            self.table,
            [(line.op_id, [line.when, line.who, line.what, line.detail]) for line in view.lines],
        )
        bad, row = theme.colour("bad"), theme.colour("bad-row")
        for index, line in enumerate(view.lines):
            if line.refused:
                ui.tint_row(self.table, index, bad, row)
            elif line.correction:
                ui.tint_row(self.table, index, theme.colour("accent"), None)
