"""The console's Setup page: the criteria, teams, judges and assignments tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget

from desktop import host_model as model
from desktop.host import parts as ui
from desktop.host.assignments import AssignmentsTab
from desktop.host.criteria import CriteriaTab
from desktop.host.judges import JudgesTab
from desktop.host.teams import TeamsTab

if TYPE_CHECKING:
    from desktop.host.window import HostWindow


class SetupPage(ui.Page):
    """Criteria, teams, judges and assignments."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__("Event setup", "")
        self.controller = window.controller
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Setup sections")
        self.tabs.setDocumentMode(False)
        self.criteria = CriteriaTab(window)
        self.teams = TeamsTab(window)
        self.judges = JudgesTab(window)
        self.assignments = AssignmentsTab(window)
        self.tabs.addTab(self.criteria, "Criteria")
        self.tabs.addTab(self.teams, "Teams")
        self.tabs.addTab(self.judges, "Judges")
        self.tabs.addTab(self.assignments, "Assignments")
        self.tabs.setMinimumHeight(520)
        self.content.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        """Redraw every tab."""
        controller = self.controller
        self.hint.setText(model.setup_hint(controller.event_settings()["phase"]))
        counts = (len(controller.criteria()), len(controller.teams()), len(controller.judges()))
        for index, (name, count) in enumerate(
            zip(("Criteria", "Teams", "Judges"), counts, strict=True)
        ):
            self.tabs.setTabText(index, f"{name} ({count})")
        for tab in (self.criteria, self.teams, self.judges, self.assignments):
            tab.refresh()
