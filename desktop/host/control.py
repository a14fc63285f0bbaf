"""The console's Control page: phase, what the displays show, the event's name, files."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from desktop import host_model as model
from desktop.host import ask
from desktop.host import parts as ui
from desktop.i18n import translate
from desktop.theme import set_role
from storage.ops import DISPLAY_ROTATE
from storage.scoring import Row


class ControlPage(ui.Page):
    """Phase, what judges see, what the displays show, export and backup."""

    export_requested = Signal(str)  # "csv" (the results) or "json" (the whole event)
    backup_requested = Signal()
    # An event setting to change: (field, value), e.g. ("phase", "locked"), ("reveal_count", 2).
    # A phase change the organiser should weigh has been asked about already.
    setting_requested = Signal(str, object)
    # Several settings to change at once, in order, each only if the one before was taken:
    # [(field, value), ...] (a ceremony's next prize: reveal_count 0, then reveal_board, 4e).
    settings_requested = Signal(list)

    def __init__(self) -> None:
        super().__init__(
            translate("host", "Control"),
            translate("host", "Run the event: open and close scoring, drive the displays."),
        )
        self.shown_event: dict[str, Any] = {}  # the event's settings as last shown
        self.shown_board: list[Row] = []  # and the leaderboard the reveal counts on
        self.shown_stakes: model.PhaseStakes | None = None  # what a lock or release would seal
        self.choices: list[model.BoardChoice] = []  # the boards the displays may show, in order
        self._listed: tuple[object, ...] = ()  # what the boards' list shows, to redraw on change
        self._filling = False  # the list or the combo is being filled, not edited
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        # The phase beside the event's name; the displays' cards across the page: the four
        # modes' buttons in Spanish need 564 px, more than half the console's first size.
        grid.addWidget(self._phase_card(), 0, 0)
        grid.addWidget(self._event_card(), 0, 1)
        grid.addWidget(self._display_card(), 1, 0, 1, 2)
        grid.addWidget(self._boards_card(), 2, 0, 1, 2)  # a sponsor's name is long
        grid.addWidget(self._files_card(), 3, 0, 1, 2)
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
        self.boards_list.itemChanged.connect(lambda _item: self.send_boards())
        # After the drop is done: the answer redraws the list, which a drop must not see.
        self.boards_list.model().rowsMoved.connect(
            lambda *_: QTimer.singleShot(0, self.send_boards)
        )
        self.board_up.clicked.connect(lambda: self.move_board(-1))
        self.board_down.clicked.connect(lambda: self.move_board(1))
        self.rotate.editingFinished.connect(self.send_rotate)
        self.stage.activated.connect(lambda index: self.put_on_stage(self.choices[index]))
        self.next_prize.clicked.connect(self.stage_next)
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
        stage = QHBoxLayout()
        stage_label = QLabel(translate("host", "On stage"))
        self.stage = QComboBox()
        self.stage.setAccessibleName(translate("host", "Board on stage"))
        # As wide as the card lets it, not as its longest board (a sponsor's name is long).
        self.stage.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.stage.setMinimumContentsLength(14)
        self.stage.setToolTip(
            translate("host", "The board the reveal is on; its places start hidden")
        )
        stage_label.setBuddy(self.stage)
        self.next_prize = ui.button(
            translate("host", "Next prize"),
            translate("host", "Put the next board on stage, its places hidden"),
        )
        stage.addWidget(stage_label)
        stage.addWidget(self.stage, 1)
        stage.addWidget(self.next_prize)
        display.addLayout(stage)
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
        self.displays_now = ui.label("", "hint", wrap=True)
        self.displays_now.setAccessibleName(translate("host", "What the displays show"))
        display.addWidget(self.displays_now)
        display.addStretch(1)
        return display_card

    def _boards_card(self) -> QFrame:
        card, layout = ui.card(
            translate("host", "Boards on the displays"),
            translate(
                "host",
                "Tick the boards to show; several take turns, in this order (drag to reorder). "
                "Hidden prizes are never shown.",
            ),
        )
        row = QHBoxLayout()
        self.boards_list = QListWidget()
        self.boards_list.setAccessibleName(translate("host", "Boards on the displays"))
        self.boards_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        row.addWidget(self.boards_list, 1)
        moves = QVBoxLayout()
        self.board_up = ui.button(
            translate("host", "Up"), translate("host", "Show this board earlier")
        )
        self.board_down = ui.button(
            translate("host", "Down"), translate("host", "Show this board later")
        )
        moves.addWidget(self.board_up)
        moves.addWidget(self.board_down)
        moves.addStretch(1)
        row.addLayout(moves)
        layout.addLayout(row)
        turn = QHBoxLayout()
        turn_label = QLabel(translate("host", "Show each board for"))
        self.rotate = QSpinBox()
        low, high = DISPLAY_ROTATE
        self.rotate.setRange(low, high)
        self.rotate.setSuffix(translate("host", " s"))
        self.rotate.setAccessibleName(translate("host", "Seconds each board is shown"))
        turn_label.setBuddy(self.rotate)
        turn.addWidget(turn_label)
        turn.addWidget(self.rotate)
        turn.addStretch(1)
        layout.addLayout(turn)
        layout.addStretch(1)
        return card

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
        self,
        event: dict[str, Any],
        board: list[Row],
        stakes: model.PhaseStakes | None = None,
        choices: list[model.BoardChoice] | None = None,
    ) -> None:
        """Show the event's settings, how far a reveal has gone on `board` (the board on stage),
        the boards the displays may show (`choices`, in the displays' order), and keep what a
        lock or a release would freeze or publish for the question before it."""
        self.shown_event, self.shown_board = event, board
        if choices is not None:
            self.choices = choices
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
        self._show_boards(event, reveal if in_reveal else None)

    def _show_boards(self, event: dict[str, Any], reveal: model.RevealState | None) -> None:
        """Show which boards the displays show, in which order, and the one on stage."""
        settings = model.display_settings(event)
        shown = model.shown_keys(settings["display_boards"])
        listed = (tuple((c.key, c.label) for c in self.choices), tuple(shown))
        self._filling = True
        try:
            if listed != self._listed:
                self._listed = listed
                self.boards_list.clear()
                self.stage.clear()
                for choice in self.choices:
                    item = QListWidgetItem(choice.label)
                    flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                    item.setFlags(flags | Qt.ItemFlag.ItemIsDragEnabled)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
                    ticked = choice.key in shown
                    item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                    item.setData(Qt.ItemDataRole.UserRole, choice)
                    item.setToolTip(choice.label)
                    # Room for the tick box's whole frame (at the font's height it was cut).
                    item.setSizeHint(QSize(0, self.boards_list.fontMetrics().height() + 12))
                    self.boards_list.addItem(item)
                    self.stage.addItem(choice.label)
                self._fit_list()
            stage = model.stage_choice(self.choices, settings["reveal_board"])
            if stage is not None:
                self.stage.setCurrentIndex(self.choices.index(stage))
            if not self.rotate.hasFocus():
                self.rotate.setValue(int(settings["display_rotate"]))
        finally:
            self._filling = False
        in_reveal = event["display_mode"] == "reveal"
        upcoming = model.next_stage(self.choices, stage)
        self.next_prize.setEnabled(in_reveal and upcoming is not None and stage is not None)
        self.next_prize.setToolTip(
            translate("host", "Put {board} on stage, its places hidden").format(
                board=upcoming.label
            )
            if upcoming is not None
            else translate("host", "The last board is on stage")
        )
        self.displays_now.setText(
            model.displays_text(event["display_mode"], self.choices, settings)
        )

    def _fit_list(self) -> None:
        """Make the list as tall as its boards, up to eight (then it scrolls)."""
        box = self.boards_list
        shown = min(max(box.count(), 2), 8)
        row = box.sizeHintForRow(0) if box.count() else box.fontMetrics().height()
        box.setFixedHeight(shown * row + 2 * box.frameWidth() + 4)

    def ticked_boards(self) -> list[model.BoardChoice]:
        """Return the boards ticked in the list, in its order."""
        box = self.boards_list
        return [
            box.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(box.count())
            if box.item(i).checkState() == Qt.CheckState.Checked
        ]

    def send_boards(self) -> None:
        """Ask for the boards ticked, in the list's order, to be shown on the displays."""
        if self._filling:
            return
        value = model.display_boards_value(self.ticked_boards())
        current = model.display_settings(self.shown_event)["display_boards"]
        if value != current:
            self.setting_requested.emit("display_boards", value)
        else:  # no change to ask for (the main board unticked alone): tick it again
            self._listed = ()
            self.show_event(self.shown_event, self.shown_board)

    def move_board(self, step: int) -> None:
        """Move the selected board up (-1) or down (1) the list, and so in the displays' turn."""
        box = self.boards_list
        row = box.currentRow()
        if row < 0 or not 0 <= row + step < box.count():
            return
        self._filling = True
        item = box.takeItem(row)
        box.insertItem(row + step, item)
        box.setCurrentRow(row + step)
        self._filling = False
        self.send_boards()

    def send_rotate(self) -> None:
        """Ask for the seconds each board stays up (once typed, not at every digit)."""
        seconds = self.rotate.value()
        if seconds != model.display_settings(self.shown_event)["display_rotate"]:
            self.setting_requested.emit("display_rotate", seconds)

    def put_on_stage(self, choice: model.BoardChoice) -> None:
        """Move the ceremony to `choice`: its places hidden first, then the board (4e)."""
        if self._filling:
            return
        current = model.stage_choice(self.choices, self.shown_event.get("reveal_board"))
        if choice != current:
            self.settings_requested.emit(model.stage_moves(choice))

    def stage_next(self) -> None:
        """Put the next board on stage (Next prize)."""
        current = model.stage_choice(self.choices, self.shown_event.get("reveal_board"))
        upcoming = model.next_stage(self.choices, current)
        if upcoming is not None:
            self.settings_requested.emit(model.stage_moves(upcoming))

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
