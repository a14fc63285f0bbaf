"""The Setup page's Teams tab: add, edit, remove, and import teams from a CSV file."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView

from desktop import host_model as model
from desktop import theme
from desktop.host import ask
from desktop.host import parts as ui
from desktop.host.dialogs import TeamDialog
from desktop.i18n import translate


class TeamsTab(ui.EntityTab):
    """The teams: add, edit, remove, import from a CSV."""

    KIND = "team"
    import_requested = Signal(object)  # the Path of a team sheet to preview

    def __init__(self) -> None:
        super().__init__()
        self.add = ui.button(
            translate("host", "Add team"), translate("host", "Add a team"), "primary"
        )
        self.import_csv = ui.button(
            translate("host", "Import CSV…"), translate("host", "Import teams from a CSV file")
        )
        self.edit = ui.button(
            translate("host", "Edit…"), translate("host", "Edit the selected team")
        )
        self.remove = ui.button(
            translate("host", "Remove"), translate("host", "Remove the selected team"), "danger"
        )
        self.count = ui.label("", "hint")
        self.layout_.addLayout(ui.toolbar(self.add, self.import_csv, self.edit, self.remove))
        self.table = ui.table(
            [
                translate("host", "Team"),
                translate("host", "Location"),
                translate("host", "Members"),
                translate("host", "Id"),
            ],
            translate("host", "Teams"),
            stretch=2,
        )
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 240)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.count)
        self.add.clicked.connect(self.add_team)
        self.edit.clicked.connect(self.edit_team)
        self.remove.clicked.connect(self.remove_team)
        self.import_csv.clicked.connect(self.choose_csv)
        # Enter or a double-click opens the team's page; Edit… edits it.
        self.table.activated.connect(self._open_selected)

    def show_teams(
        self, teams: dict[str, dict[str, Any]], rows: list[tuple[str, list[str]]]
    ) -> None:
        """Show the teams (by id) and their table rows, the id greyed."""
        self.entities = teams
        muted = theme.colour("muted")
        ui.fill(
            self.table,
            [(key, [*cells[:-1], ui.item(cells[-1], color=muted)]) for key, cells in rows],
        )
        self.count.setText(model.count_text(len(rows), "team"))

    def _open_selected(self) -> None:
        team = self.selected()
        if team is not None:
            self.open_requested.emit(team["id"])

    def add_team(self) -> None:
        """Open the form for a new team."""
        self.open_form(TeamDialog(parent=self.window(), prizes=self.prize_choices), None)

    def edit_team(self) -> None:
        """Open the form for the selected team."""
        team = self.selected()
        if team is not None:
            self.open_form(TeamDialog(team, self.window(), self.prize_choices), team["id"])

    def remove_team(self) -> None:
        """Ask to remove the selected team, after asking the organiser."""
        self.ask_to_remove(
            self.selected(),
            translate("host", "Remove team"),
            translate(
                "host", "Remove {v0}? It leaves the leaderboard and its join code stops working."
            ),
            self.remove_requested,
        )

    def choose_csv(self) -> None:
        """Pick a CSV file (a Devpost export or any sheet with a team name column)."""
        path = ask.open_path(
            self.window(),
            translate("host", "Import teams"),
            translate("host", "CSV files (*.csv *.txt);;All files (*)"),
        )
        if path is not None:
            self.import_requested.emit(path)
