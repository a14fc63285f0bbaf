"""The console's Setup page: the criteria, teams, judges and assignments tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget

from desktop import host_model as model
from desktop.host import parts as ui
from desktop.host.assignments import AssignmentsTab
from desktop.host.criteria import CriteriaTab
from desktop.host.judges import JudgesTab
from desktop.host.prizes import PrizesTab
from desktop.host.rounds import RoundsTab
from desktop.host.teams import TeamsTab
from desktop.i18n import translate


class SetupPage(ui.Page):
    """Criteria, teams, judges and assignments; each tab's intents are its own signals."""

    def __init__(self) -> None:
        super().__init__(translate("host", "Event setup"), "")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(translate("host", "Setup sections"))
        self.tabs.setDocumentMode(False)
        self.criteria = CriteriaTab()
        self.teams = TeamsTab()
        self.judges = JudgesTab()
        self.assignments = AssignmentsTab()
        self.prizes = PrizesTab()
        self.rounds = RoundsTab()
        self.tabs.addTab(self.criteria, translate("host", "Criteria"))
        self.tabs.addTab(self.teams, translate("host", "Teams"))
        self.tabs.addTab(self.judges, translate("host", "Judges"))
        self.tabs.addTab(self.assignments, translate("host", "Assignments"))
        self.tabs.addTab(self.prizes, translate("host", "Prizes"))
        self.tabs.addTab(self.rounds, translate("host", "Rounds"))
        self.tabs.setMinimumHeight(520)
        self.content.addWidget(self.tabs, 1)

    def all_tabs(
        self,
    ) -> tuple[CriteriaTab, TeamsTab, JudgesTab, AssignmentsTab, PrizesTab, RoundsTab]:
        """Return the tabs in their order."""
        return self.criteria, self.teams, self.judges, self.assignments, self.prizes, self.rounds

    def show_setup(self, view: model.SetupView) -> None:
        """Show every tab's view, and what the phase still lets the organiser change."""
        self.hint.setText(view.hint)
        for index, text in enumerate(view.tab_texts):
            self.tabs.setTabText(index, text)
        self.criteria.show_criteria(view.criteria, view.criterion_rows)
        self.teams.show_teams(view.teams, view.team_rows)
        self.judges.show_judges(view.judges, view.teams, view.judge_lines)
        self.assignments.show_grid(view.grid)
