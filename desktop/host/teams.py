"""The Setup page's Teams tab: add, edit, remove, and import teams from a CSV file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHeaderView

from desktop import host_model as model
from desktop import theme
from desktop.host import ask
from desktop.host import parts as ui
from desktop.host.dialogs import Save, TeamDialog

if TYPE_CHECKING:
    from desktop.host.window import HostWindow


class TeamsTab(ui.SetupTab):
    """The teams: add, edit, remove, import from a CSV."""

    def __init__(self, window: HostWindow) -> None:
        super().__init__(window)
        self.add = ui.button("Add team", "Add a team", "primary")
        self.import_csv = ui.button("Import CSV…", "Import teams from a CSV file")
        self.edit = ui.button("Edit…", "Edit the selected team")
        self.remove = ui.button("Remove", "Remove the selected team", "danger")
        self.count = ui.label("", "hint")
        self.layout_.addLayout(ui.toolbar(self.add, self.import_csv, self.edit, self.remove))
        self.table = ui.table(["Team", "Location", "Members", "Id"], "Teams", stretch=2)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 240)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.count)
        self.add.clicked.connect(self.add_team)
        self.edit.clicked.connect(self.edit_team)
        self.remove.clicked.connect(self.remove_team)
        self.import_csv.clicked.connect(self.choose_csv)
        self.table.doubleClicked.connect(self.edit_team)

    def refresh(self) -> None:
        """Redraw from the controller."""
        rows = model.team_cells(self.controller.teams())
        muted = theme.colour("muted")
        ui.fill(
            self.table,
            [(key, [*cells[:-1], ui.item(cells[-1], color=muted)]) for key, cells in rows],
        )
        self.count.setText(model.count_text(len(rows), "team"))

    def _save(self, team_id: str | None) -> Save:
        def save(v: dict[str, Any]) -> str | None:
            ident = team_id or self.controller.new_id("team", v["name"])
            body = model.team_put_body(ident, v["name"], v["location"], v["members"])
            rejection = self.controller.admin("team.put", body)
            return None if rejection is None else rejection.message

        return save

    def add_team(self) -> None:
        """Open the form for a new team."""
        self.window_.open_dialog(TeamDialog(self._save(None), parent=self.window_))

    def edit_team(self) -> None:
        """Open the form for the selected team."""
        team = self.selected(self.controller.teams(), "team")
        if team is not None:
            self.window_.open_dialog(TeamDialog(self._save(team["id"]), team, self.window_))

    def remove_team(self) -> None:
        """Remove the selected team, after asking."""
        team = self.selected(self.controller.teams(), "team")
        if team is not None and ask.confirm(
            self.window_,
            "Remove team",
            f"Remove {team['name']}? It leaves the leaderboard and its join code stops working.",
            "Remove",
        ):
            self.controller.admin("team.del", {"id": team["id"]})

    def choose_csv(self) -> None:
        """Pick a CSV file (a Devpost export or any sheet with a team name column)."""
        path = ask.open_path(self.window_, "Import teams", "CSV files (*.csv *.txt);;All files (*)")
        if path is not None:
            self.window_.preview_import(path)
