"""The console's Control page: phase, what the displays show, the event's name, files."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
)

from desktop import host_model as model
from desktop.host import ask
from desktop.host import parts as ui
from desktop.i18n import translate
from desktop.theme import set_role
from storage.scoring import Row


class ControlPage(ui.Page):
    """Phase, what judges see, what the displays show, export and backup."""

    export_requested = Signal(str)  # "csv" (the results) or "json" (the whole event)
    backup_requested = Signal()
    # An event setting to change: (field, value), e.g. ("phase", "locked"), ("reveal_count", 2).
    # A phase change the organiser should weigh has been asked about already.
    setting_requested = Signal(str, object)

    def __init__(self) -> None:
        super().__init__(
            translate("host", "Control"),
            translate("host", "Run the event: open and close scoring, drive the displays."),
        )
        self.shown_event: dict[str, Any] = {}  # the event's settings as last shown
        self.shown_board: list[Row] = []  # and the leaderboard the reveal counts on
        self.shown_stakes: model.PhaseStakes | None = None  # what a lock or release would seal
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.addWidget(self._phase_card(), 0, 0)
        grid.addWidget(self._display_card(), 0, 1)
        grid.addWidget(self._event_card(), 1, 0)
        grid.addWidget(self._files_card(), 1, 1)
        self.content.addLayout(grid)
        self.content.addStretch(1)

        self.phase_group.idClicked.connect(lambda i: self.set_phase(list(model.PHASES)[i]))
        self.display_group.idClicked.connect(
            lambda i: self.set_display(list(model.DISPLAY_MODES)[i])
        )
        self.judges_see.clicked.connect(
            lambda checked: self.setting_requested.emit("judges_see_results", bool(checked))
        )
        self.reveal_next.clicked.connect(self.reveal_one)
        self.reveal_reset.clicked.connect(lambda: self.setting_requested.emit("reveal_count", 0))
        self.rename.clicked.connect(self.rename_event)
        self.name.returnPressed.connect(self.rename_event)
        self.export_csv.clicked.connect(lambda: self.export_requested.emit("csv"))
        self.export_json.clicked.connect(lambda: self.export_requested.emit("json"))
        self.backup.clicked.connect(self.backup_requested)

    def _phase_card(self) -> QFrame:
        phase_card, phase = ui.card(translate("host", "Phase"))
        self.phase_buttons, self.phase_group = self._segments(
            model.PHASES, translate("host", "Phase")
        )
        phase.addLayout(self._segment_row(self.phase_buttons))
        self.phase_note = ui.label("", "hint", wrap=True)
        phase.addWidget(self.phase_note)
        self.judges_see = QCheckBox(
            translate("host", "Judges see the leaderboard and each other's scores")
        )
        self.judges_see.setAccessibleName(translate("host", "Judges see results"))
        phase.addWidget(self.judges_see)
        phase.addStretch(1)
        return phase_card

    def _display_card(self) -> QFrame:
        display_card, display = ui.card(translate("host", "Displays"))
        self.display_buttons, self.display_group = self._segments(
            model.DISPLAY_MODES, translate("host", "Display")
        )
        display.addLayout(self._segment_row(self.display_buttons))
        self.display_note = ui.label("", "hint", wrap=True)
        display.addWidget(self.display_note)
        reveal = QHBoxLayout()
        self.reveal_next = ui.button(
            translate("host", "Reveal next"), translate("host", "Reveal the next place"), "primary"
        )
        self.reveal_reset = ui.button(
            translate("host", "Reset reveal"), translate("host", "Hide every revealed place")
        )
        reveal.addWidget(self.reveal_next)
        reveal.addWidget(self.reveal_reset)
        reveal.addStretch(1)
        display.addLayout(reveal)
        self.reveal_status = ui.label("", wrap=True)
        self.reveal_status.setAccessibleName(translate("host", "Reveal progress"))
        display.addWidget(self.reveal_status)
        display.addStretch(1)
        return display_card

    def _event_card(self) -> QFrame:
        event_card, event = ui.card(
            translate("host", "Event name"), translate("host", "Shown on every device and display.")
        )
        name_row = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName(translate("host", "Event name"))
        self.name.setMaxLength(120)
        self.rename = ui.button(translate("host", "Rename"), translate("host", "Rename the event"))
        name_row.addWidget(self.name, 1)
        name_row.addWidget(self.rename)
        event.addLayout(name_row)
        event.addStretch(1)
        return event_card

    def _files_card(self) -> QFrame:
        files_card, files = ui.card(
            translate("host", "Results and backup"),
            translate(
                "host",
                "Export the results, or copy the whole database (safe while the event runs).",
            ),
        )
        file_row = QHBoxLayout()
        self.export_csv = ui.button(
            translate("host", "Export CSV…"), translate("host", "Export the results as CSV")
        )
        self.export_json = ui.button(
            translate("host", "Export JSON…"), translate("host", "Export the whole event as JSON")
        )
        self.backup = ui.button(
            translate("host", "Back up database…"),
            translate("host", "Back up the database to a file"),
        )
        file_row.addWidget(self.export_csv)
        file_row.addWidget(self.export_json)
        file_row.addWidget(self.backup)
        file_row.addStretch(1)
        files.addLayout(file_row)
        self.file_note = ui.label("", "hint", wrap=True)
        self.file_note.setAccessibleName(translate("host", "Last export"))
        files.addWidget(self.file_note)
        files.addStretch(1)
        return files_card

    def _segments(
        self, choices: dict[str, tuple[str, str]], what: str
    ) -> tuple[dict[str, QPushButton], QButtonGroup]:
        group = QButtonGroup(self)
        group.setExclusive(True)
        buttons: dict[str, QPushButton] = {}
        for index, (key, (source, note)) in enumerate(choices.items()):
            text = translate("host", source)
            button = ui.SegmentButton(text, f"{what}: {text}")  # `what` comes translated
            button.setCheckable(True)
            button.setToolTip(translate("host", note))
            group.addButton(button, index)
            buttons[key] = button
        return buttons, group

    @staticmethod
    def _segment_row(buttons: dict[str, QPushButton]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(0)
        ordered = list(buttons.values())
        for button in ordered:
            edge = "first" if button is ordered[0] else "last" if button is ordered[-1] else ""
            set_role(button, edge, "edge")
            row.addWidget(button)
        row.addStretch(1)
        return row

    def show_event(
        self, event: dict[str, Any], board: list[Row], stakes: model.PhaseStakes | None = None
    ) -> None:
        """Show the event's settings, how far a reveal has gone on `board`, and keep what a
        lock or a release would freeze or publish for the question before it."""
        self.shown_event, self.shown_board = event, board
        self.shown_stakes = stakes if stakes is not None else self.shown_stakes
        self.phase_buttons[event["phase"]].setChecked(True)
        self.phase_note.setText(translate("host", model.PHASES[event["phase"]][1]))
        self.judges_see.setChecked(bool(event["judges_see_results"]))
        mode = event["display_mode"]
        self.display_buttons[mode].setChecked(True)
        self.display_note.setText(translate("host", model.DISPLAY_MODES[mode][1]))
        reveal = model.reveal_state(board, event["reveal_count"])
        in_reveal = mode == "reveal"
        self.reveal_next.setEnabled(in_reveal and reveal.next_rank is not None)
        self.reveal_next.setText(
            translate("host", "Reveal place {next_rank}").format(next_rank=reveal.next_rank)
            if in_reveal and reveal.next_rank is not None
            else translate("host", "Reveal next")
        )
        self.reveal_reset.setEnabled(in_reveal and reveal.shown > 0)
        self.reveal_status.setText(
            reveal.text
            if in_reveal
            else translate("host", "Pick Reveal to show the places one by one.")
        )
        if not self.name.hasFocus():
            self.name.setText(event["name"])

    def set_phase(self, phase: str) -> None:
        """Ask for a phase, asking the organiser first when it matters.

        The window answers a request by showing the event as the host then has it, so a
        refused change puts the buttons back; a cancelled one is put back here.
        """
        question = model.phase_confirmation(self.shown_event["phase"], phase, self.shown_stakes)
        action = translate("host", model.PHASE_MOVES[phase][0])
        if question is None or ask.confirm(
            self, translate("host", "Change phase"), question, action
        ):
            self.setting_requested.emit("phase", phase)
        else:
            self.show_event(self.shown_event, self.shown_board)

    def set_display(self, mode: str) -> None:
        """Ask to switch what the displays show."""
        self.setting_requested.emit("display_mode", mode)

    def show_file_note(self, text: str) -> None:
        """Say where the last export, backup or rebuild went."""
        self.file_note.setText(text)

    def reveal_one(self) -> None:
        """Ask to reveal one more place on the displays."""
        self.setting_requested.emit("reveal_count", int(self.shown_event["reveal_count"]) + 1)

    def rename_event(self) -> None:
        """Ask to rename the event."""
        name = self.name.text().strip()
        if name and name != self.shown_event["name"]:
            self.setting_requested.emit("name", name)
