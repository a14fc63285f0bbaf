"""The organiser's desk in the console: a team's, a judge's and a sheet's pages, and Activity.

`DeskPages` holds the pages opened from others (a leaderboard row, a team or judge in Setup, a
sheet, an Activity row), with the trail Back walks. `DeskWindow` is the part of `HostWindow`
where these pages and the Activity page meet the controller: it builds their view values
(`desktop.desk_model`) from the controller's reads and connects their intents, as
`HostWindow._wire_pages` does for the other pages; no page reads the controller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QSettings
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QListWidget, QStackedWidget

from desktop import desk_model as desk
from desktop.host import ask
from desktop.host.activity import ActivityPage
from desktop.host.judge_page import JudgePage
from desktop.host.paper_sheet import PaperSheetDialog
from desktop.host.parts import open_dialog
from desktop.host.sheet_page import SheetPage
from desktop.host.team_page import TeamPage
from desktop.i18n import round_name as i18n_round_name
from desktop.i18n import translate
from storage.ops import FIRST_ROUND

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.controllers import HostController
    from desktop.host.overview import OverviewPage
    from desktop.host.setup import SetupPage

# ("team", team, "", "") / ("judge", judge, "", "") / ("sheet", judge, team, round)
Opened = tuple[str, str, str, str]


def sheet_body(judge: str, team: str, round_id: str) -> dict[str, Any]:
    """Return the body fields naming a sheet: its judge and team, and a later round's id
    (`round` is left out for the first round, docs/protocol.md 5c)."""
    body: dict[str, Any] = {"judge": judge, "team": team}
    if round_id != FIRST_ROUND:
        body["round"] = round_id
    return body


class DeskPages(QStackedWidget):
    """The team, judge and sheet pages, and the trail of what was opened (the last is shown)."""

    def __init__(self) -> None:
        super().__init__()
        self.team = TeamPage()
        self.judge = JudgePage()
        self.sheet = SheetPage()
        for page in (self.team, self.judge, self.sheet):
            self.addWidget(page)
        self.trail: list[Opened] = []

    def all_pages(self) -> tuple[TeamPage, JudgePage, SheetPage]:
        """Return the three pages."""
        return self.team, self.judge, self.sheet


class DeskWindow:
    """The desk's part of the console window (a mixin of `HostWindow`)."""

    controller: HostController
    settings: QSettings
    nav: QListWidget
    stack: QStackedWidget
    overview: OverviewPage
    setup: SetupPage
    activity: ActivityPage
    _drawers: list[Callable[[], None]]
    _show_index: Callable[[int], None]
    _refresh_page: Callable[[], None]
    _stale: set[int]
    isVisible: Callable[[], bool]
    _paper: PaperSheetDialog  # the paper sheet form open (window-modal: one at a time)

    def _desk_pages(self) -> None:
        """Add the desk's pages to the stack, after the pages of the nav list."""
        self.desk = DeskPages()
        self.stack.addWidget(self.desk)
        self._drawers.append(self._draw_desk)
        self._came_from = 0  # the nav page the desk was opened from
        item = self.nav.item(self.pages_index(self.activity))
        self._activity_title, self._activity_tip = item.text(), item.toolTip()

    def pages_index(self, page: object) -> int:
        """Return a nav page's row."""
        return self.stack.indexOf(page)  # type: ignore[arg-type]

    def _wire_desk(self) -> None:
        """Connect the intents that open a team, a judge or a sheet, and the Activity page's."""
        self.overview.team_requested.connect(self.open_team)
        self.overview.judge_requested.connect(self.open_judge)
        self.setup.teams.open_requested.connect(self.open_team)
        self.setup.judges.open_requested.connect(self.open_judge)
        self.activity.filter_changed.connect(lambda _: self._draw_activity())
        self.activity.sheet_requested.connect(self.open_sheet)
        self.desk.team.sheet_requested.connect(self.open_sheet)
        self.desk.judge.sheet_requested.connect(self.open_sheet)
        self.desk.sheet.team_requested.connect(self.open_team)
        self.desk.sheet.judge_requested.connect(self.open_judge)
        self.desk.sheet.correction_requested.connect(self.correct_sheet)
        for page in self.desk.all_pages():
            page.back_requested.connect(self.back)
        back = QShortcut(QKeySequence("Alt+Left"), self.desk)
        back.activated.connect(self.back)
        self.controller.logged.connect(self._logged)
        self._show_unseen()

    # --- opening and going back ---

    def open_team(self, team: str) -> None:
        """Open a team's page."""
        self._open(("team", team, "", ""))

    def open_judge(self, judge: str) -> None:
        """Open a judge's page."""
        self._open(("judge", judge, "", ""))

    def open_sheet(self, judge: str, team: str, round_id: str = FIRST_ROUND) -> None:
        """Open a sheet's history (of a round: the first unless named)."""
        self._open(("sheet", judge, team, round_id))

    def _open(self, what: Opened) -> None:
        if self.desk.trail and self.desk.trail[-1] == what and self.desk.isVisible():
            return
        if self.stack.currentWidget() is not self.desk:
            self._came_from = max(0, self.nav.currentRow())
            self.desk.trail = []
            self.nav.blockSignals(True)  # no nav page is current while the desk is shown
            self.nav.setCurrentIndex(QModelIndex())
            self.nav.blockSignals(False)
            self.stack.setCurrentWidget(self.desk)
        self.desk.trail.append(what)
        self._draw_desk()

    def back(self) -> None:
        """Go back to the page this one was opened from."""
        if self.stack.currentWidget() is not self.desk:
            return
        if self.desk.trail:
            self.desk.trail.pop()
        if self.desk.trail:
            self._draw_desk()
        else:
            self.nav.setCurrentRow(self._came_from)
            self._show_index(self._came_from)  # also when the nav kept that row current

    # --- drawing ---

    def _draw_desk(self) -> None:
        if not self.desk.trail:
            return
        kind, first, second, round_id = self.desk.trail[-1]
        c = self.controller
        criteria = c.criteria()
        if kind == "team":
            team = c.team_view(first)
            if team is not None:
                self.desk.team.show_team(desk.team_page_view(team, criteria))
            else:
                self.desk.team.show_heading(
                    translate("desk", "This team is no longer in the event")
                )
            page: TeamPage | JudgePage | SheetPage = self.desk.team
        elif kind == "judge":
            judge = c.judge_view(first)
            if judge is not None:
                self.desk.judge.show_judge(desk.judge_page_view(judge, criteria))
            else:
                self.desk.judge.show_heading(
                    translate("desk", "This judge is no longer in the event")
                )
            page = self.desk.judge
        else:
            found = c.sheet_history(first, second, round_id)
            judge_name, team_name = c.names_of(first, second)
            facts = desk.SheetFacts(*c.sheet_facts(first, second, round_id))
            shown = desk.history_view(
                found, judge_name, team_name, criteria, round_id, c.round_name_of(round_id)
            )
            self.desk.sheet.show_history(shown, desk.sheet_actions(facts))
            page = self.desk.sheet
        self.desk.setCurrentWidget(page)
        page.table.setFocus()

    # --- corrections (issue 12) ---

    def correct_sheet(self, kind: str) -> None:
        """Ask what a correction of the shown sheet changes and why, then make it."""
        page = self.desk.sheet
        if kind == "sheet.enter":
            self._paper_sheet(page.judge, page.team, page.round)
            return
        body = sheet_body(page.judge, page.team, page.round)
        reason = self._ask_reason(kind, body)
        if reason is not None:
            self.controller.correct(kind, {**body, "reason": reason})
            self._draw_desk()

    def _ask_reason(self, kind: str, body: dict[str, Any]) -> str | None:
        """Ask, saying the team's total before and after, for the correction's reason."""
        c = self.controller
        before, after = c.correction_totals(kind, {**body, "reason": "?"})
        judge_name, team_name = c.names_of(body["judge"], body["team"])
        title, text, action = desk.correction_question(kind, judge_name, team_name, before, after)
        return ask.reason(self.desk, title, text, action)

    def _paper_sheet(self, judge: str, team: str, round_id: str) -> None:
        c = self.controller
        criteria, _ = c.paper_criteria(judge, team, round_id)
        judge_name, team_name = c.names_of(judge, team)
        title = translate("desk", "Paper sheet of {judge} for {team}").format(
            judge=judge_name, team=team_name
        )
        if round_name := c.round_name_of(round_id):
            title = translate("desk", "{sheet} · {round}").format(
                sheet=title, round=i18n_round_name(round_name, round_id)
            )
        current = c.sheet_value(judge, team, round_id)
        dialog = PaperSheetDialog(title, criteria, current, self.desk)
        self._paper = dialog
        dialog.submitted.connect(self._paper_submitted)
        open_dialog(dialog)

    def _paper_submitted(self, values: dict[str, Any]) -> None:
        dialog, page, c = self._paper, self.desk.sheet, self.controller
        body = {**sheet_body(page.judge, page.team, page.round), **values}
        before, after = c.correction_totals("sheet.enter", body)
        judge_name, team_name = c.names_of(page.judge, page.team)
        title, text, action = desk.correction_question(
            "sheet.enter", judge_name, team_name, before, after
        )
        text = text.rsplit("\n\n", 1)[0]  # the form holds the reason already
        if not ask.confirm(dialog, title, text, action):
            return
        rejection = c.correct("sheet.enter", body)
        if rejection is not None:
            dialog.show_problem(rejection.message)
            return
        dialog.accept()
        self._draw_desk()

    def _draw_activity(self) -> None:
        c = self.controller
        items = c.activity(self.activity.chosen(), desk.FEED_LIMIT)
        self.activity.show_activity(desk.activity_view(items, c.teams(), c.judges(), c.criteria()))
        # Shown: every refusal logged so far counts as looked at (docs/protocol.md 6e).
        self.settings.setValue(self._seen_key(), c.last_seq())
        self._show_unseen()

    def _seen_key(self) -> str:
        return f"host/activity_seen/{self.controller.event_id()}"

    def _show_unseen(self) -> None:
        """Show on the Activity nav item how many refusals arrived since it was last looked at."""
        raw = self.settings.value(self._seen_key(), 0)
        seen = int(raw) if isinstance(raw, int | str) and str(raw).isdigit() else 0
        unseen = self.controller.refusals_since(seen)
        item = self.nav.item(self.pages_index(self.activity))
        text, tip = desk.activity_nav_text(self._activity_title, unseen)
        item.setText(text)
        item.setToolTip(tip or self._activity_tip)
        # Refusals not looked at stand out in bold (the nav's style sheet sets its colours).
        font = item.font()
        font.setBold(bool(unseen))
        item.setFont(font)

    def _logged(self) -> None:
        """Ops were logged: redraw the Activity page or the desk if shown, else count refusals."""
        self._stale |= {self.pages_index(self.activity), self.pages_index(self.desk)}
        if self.stack.currentWidget() in (self.activity, self.desk) and self.isVisible():
            self._refresh_page()
        self._show_unseen()
