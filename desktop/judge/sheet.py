"""The scoring sheet of the team the judge picked: the criteria, the comment, save and submit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import judge_model as jm
from desktop.i18n import translate
from desktop.judge import parts as ui
from desktop.judge.scores import CriterionRow
from desktop.theme import set_role

DRAFT_TIP = "Keep this sheet as a draft (Ctrl+S); it does not count yet"
UNFINAL_TIP = (
    "Turn this final sheet back into a draft (Ctrl+S): it stops counting until you submit it again"
)


class EnterButton(QPushButton):
    """A button that Enter presses too, as Space does (outside a dialog Qt takes only Space)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            self.click()
            return
        super().keyPressEvent(event)


def _signature(groups: Sequence[jm.CriteriaGroup], round_title: str) -> tuple[Any, ...]:
    """Return what the sheet's boxes are built from: rebuilt only when it changes."""
    keys = ("id", "name", "min", "max", "step", "weight", "description")
    return (
        round_title,
        *(
            (g.prize, g.also_for, *(tuple(c.get(k) for k in keys) for c in g.criteria))
            for g in groups
        ),
    )


# --- the scoring sheet ----------------------------------------------------------------------------


class SheetEditor(QWidget):
    """The scoring sheet of the selected team. Emits `save_requested(final)`."""

    save_requested = Signal(bool)
    next_requested = Signal()  # open the next team to score (offered once a sheet is submitted)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.team_id: str | None = None
        self.editable = False
        self.rows: list[CriterionRow] = []
        self.group_heads: list[QWidget] = []  # each group's heading, when the sheet has groups
        self._criteria: tuple[Mapping[str, Any], ...] = ()  # every criterion the sheet holds
        self._required: tuple[Mapping[str, Any], ...] = ()  # the round's: the main board's score
        self._signature: tuple[Any, ...] = ()
        self._baseline: tuple[dict[str, float | int], str] = ({}, "")
        self._loading = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        self.pages.addWidget(self._empty_page())  # page 0: nothing chosen yet
        self.pages.addWidget(self._sheet_page())  # page 1: the sheet

        self.save_button.clicked.connect(lambda: self.save_requested.emit(False))
        self.submit_button.clicked.connect(lambda: self.save_requested.emit(True))
        self.comment.textChanged.connect(self._changed)

    # --- building ---------------------------------------------------------------------------------

    @staticmethod
    def _empty_page() -> QFrame:
        empty, layout = ui.card()
        layout.addStretch(1)
        layout.addWidget(ui.centred_label(translate("judge", "Pick a team to score"), "subtitle"))
        hint = ui.centred_label(
            translate(
                "judge",
                "Use ↑ and ↓ in the list, then Enter. Tab moves from criterion to criterion; "
                "Ctrl+Enter submits the sheet as final.",
            ),
            "hint",
            wrap=True,
        )
        layout.addWidget(hint)
        layout.addStretch(1)
        return empty

    def _sheet_page(self) -> QFrame:
        card, layout = ui.card((28, 22, 28, 18), 10)
        layout.addLayout(self._head())
        layout.addWidget(self._banner())
        layout.addWidget(self._scroll(), 1)
        self.problem = ui.label("", "error", wrap=True)
        self.problem.setAccessibleName(translate("judge", "Sheet problem"))
        self.problem.hide()
        layout.addWidget(self.problem)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        set_role(line, "judgeRule")
        layout.addWidget(line)
        layout.addLayout(self._foot())
        return card

    def _head(self) -> QHBoxLayout:
        """Build the team's name, table and members, and the sheet's status chip."""
        head = QHBoxLayout()
        head.setSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = ui.label("", "title")
        self.title.setAccessibleName(translate("judge", "Team"))
        titles.addWidget(self.title)
        self.subtitle = ui.label("", "hint", wrap=True)
        self.subtitle.setAccessibleName(translate("judge", "Table and members"))
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        self.chip = ui.label("")
        self.chip.setAccessibleName(translate("judge", "Sheet status"))
        head.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignTop)
        return head

    def _banner(self) -> QFrame:
        self.banner = QFrame()
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(14, 10, 14, 10)
        self.banner_text = ui.label("", wrap=True)
        self.banner_text.setAccessibleName(translate("judge", "Sheet notice"))
        banner_layout.addWidget(self.banner_text)
        self.banner.hide()
        return self.banner

    def _scroll(self) -> QScrollArea:
        """Build the scrolling part: the criteria, then the comment."""
        self.sheet_scroll = QScrollArea()
        self.sheet_scroll.setWidgetResizable(True)
        self.sheet_scroll.setFrameShape(QFrame.Shape.NoFrame)
        set_role(self.sheet_scroll, "judgeSheet")
        self.sheet_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the scores, not here
        self.sheet_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(0)
        self.criteria_box = QVBoxLayout()
        self.criteria_box.setSpacing(0)
        self.body_layout.addLayout(self.criteria_box)
        comment_head = QHBoxLayout()
        comment_head.setSpacing(12)
        comment_head.addWidget(ui.label(translate("judge", "Comment"), "judgeCriterion"))
        comment_head.addWidget(
            ui.label(
                translate(
                    "judge", "Feedback for the team; they read it once the results are released."
                ),
                "hint",
            )
        )
        comment_head.addStretch(1)
        self.body_layout.addSpacing(12)
        self.body_layout.addLayout(comment_head)
        self.body_layout.addSpacing(6)
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)  # Tab leaves the comment: keyboard-only judging
        self.comment.setPlaceholderText(
            translate("judge", "What stood out, what would make it better…")
        )
        self.comment.setAccessibleName(translate("judge", "Comment"))
        self.comment.setMinimumHeight(72)
        self.comment.setMaximumHeight(120)
        self.body_layout.addWidget(self.comment)
        self.body_layout.addStretch(1)
        self.sheet_scroll.setWidget(body)
        return self.sheet_scroll

    def _foot(self) -> QHBoxLayout:
        """Build what was sent, the sheet's score, and the save and submit buttons."""
        foot = QHBoxLayout()
        foot.setSpacing(10)
        status = QVBoxLayout()
        status.setSpacing(2)
        self.delivery = ui.label("")
        self.delivery.setAccessibleName(translate("judge", "Sent to the host"))
        self.delivery.setWordWrap(True)
        status.addWidget(self.delivery)
        self.preview = ui.label("", "hint")
        self.preview.setAccessibleName(translate("judge", "Sheet score"))
        status.addWidget(self.preview)
        self.next_hint = ui.label("", "hint")
        self.next_hint.setAccessibleName(translate("judge", "Next team to score"))
        self.next_hint.setWordWrap(True)
        self.next_hint.hide()
        status.addWidget(self.next_hint)
        foot.addLayout(status, 1)
        self.next_button = EnterButton(translate("judge", "Next team"))
        self.next_button.setAccessibleName(translate("judge", "Score the next team"))
        self.next_button.setToolTip(
            translate("judge", "Open the next team that has no final sheet (Ctrl+N)")
        )
        self.next_button.clicked.connect(self.next_requested)
        self.next_button.hide()
        foot.addWidget(self.next_button)
        self.unsaved = ui.label(translate("judge", "Unsaved changes"), "judgeUnsaved")
        self.unsaved.setAccessibleName(translate("judge", "Unsaved changes"))
        self.unsaved.hide()
        foot.addWidget(self.unsaved)
        self.save_button = QPushButton(translate("judge", "Save draft"))
        self.save_button.setAccessibleName(translate("judge", "Save draft"))
        self.save_button.setToolTip(DRAFT_TIP)
        foot.addWidget(self.save_button)
        self.submit_button = QPushButton(translate("judge", "Submit final"))
        set_role(self.submit_button, "primary")
        self.submit_button.setAccessibleName(translate("judge", "Submit final"))
        self.submit_button.setToolTip(
            translate(
                "judge",
                "Submit this sheet as final (Ctrl+Enter); you can revise it while scoring is open",
            )
        )
        foot.addWidget(self.submit_button)
        return foot

    # --- what is shown ----------------------------------------------------------------------------

    def show_team(
        self,
        row: jm.TeamRow | None,
        criteria: Sequence[Mapping[str, Any]],
        *,
        editable: bool,
        banner: str | None,
        round_title: str = "",
    ) -> None:
        """Show a team's sheet; keep what the judge typed unless the team changed.

        `criteria` are the round's (what a final sheet needs, what the sheet score counts);
        the sheet holds the row's groups of criteria, or `criteria` alone for a row without.
        """
        if row is None:
            self.team_id = None
            self.pages.setCurrentIndex(0)
            return
        self.pages.setCurrentIndex(1)
        team_changed = row.id != self.team_id
        groups = row.groups or (jm.CriteriaGroup(tuple(criteria)),)
        signature = _signature(groups, round_title)
        kept = {} if team_changed else self.scores()
        if signature != self._signature:
            self._build(groups, round_title)
            self._signature = signature
            if not team_changed:
                self._load(kept, self.comment.toPlainText(), baseline=False)
        self._criteria = tuple(c for group in groups for c in group.criteria)
        self._required = tuple(criteria)
        self.team_id = row.id
        editable = editable and row.scorable
        if team_changed:
            self.offer_next(None)
        if team_changed or not self.dirty():
            self._load(*row.entered(), baseline=True)
            self.show_problem("")
        self.editable = editable
        for criterion_row in self.rows:
            criterion_row.set_read_only(not editable)
            criterion_row.set_missing(criterion_row.criterion["name"] in row.missing)
        self.comment.setReadOnly(not editable)
        self.save_button.setEnabled(editable)
        self.submit_button.setEnabled(editable)

        self._show_header(row, editable, banner)
        self._changed()

    def _show_header(self, row: jm.TeamRow, editable: bool, banner: str | None) -> None:
        """Show the team, the sheet's status and delivery, and any notice above the sheet."""
        self.title.setText(row.name)
        details = [row.location] if row.location else []
        if row.members:
            details.append(", ".join(row.members))
        self.subtitle.setText("  ·  ".join(details))
        ui.chip(self.chip, row.status, row.label)
        text, role = jm.delivery_text(row)
        self.delivery.setText(text)
        set_role(self.delivery, role, "delivery")
        if row.status == jm.REJECTED and row.refusal is not None:
            notice, kind = jm.rejection_notice(row, open_=editable), "error"
            if banner is not None:
                notice = f"{banner}\n{notice}"
        elif row.needs_update:
            notice, kind = jm.update_notice(row, open_=editable), "warning"
            if banner is not None:
                notice = f"{banner}\n{notice}"
        elif banner is not None or not row.scorable:
            notice, kind = banner or text, "warning"
        else:
            notice, kind = "", ""
        self.banner_text.setText(notice)
        set_role(self.banner, kind, "judgeBanner")
        self.banner.setVisible(bool(notice))
        self.save_button.setToolTip(UNFINAL_TIP if row.status == jm.FINAL else DRAFT_TIP)

    def _build(self, groups: Sequence[jm.CriteriaGroup], round_title: str) -> None:
        for widget in [*self.rows, *self.group_heads]:
            self.criteria_box.removeWidget(widget)
            widget.deleteLater()
        self.rows, self.group_heads = [], []
        # Headings only when there is more than one group, or prizes share the round's.
        headed = len(groups) > 1 or any(g.also_for for g in groups)
        for group in groups:
            if headed:
                self._add_head(group, round_title)
            for index, criterion in enumerate(group.criteria):
                # A criterion's weight is shown as its share of its own board's criteria.
                row = CriterionRow(criterion, group.criteria)
                if index:
                    set_role(row, "judgeRowNext")
                row.changed.connect(self._changed)
                self.criteria_box.addWidget(row)
                # Shown now, not on the layout's queued show: Tab skips hidden boxes, and a judge
                # who types ahead of the screen must still go criterion by criterion.
                row.show()
                self.rows.append(row)

    def _add_head(self, group: jm.CriteriaGroup, round_title: str) -> None:
        """Add a group's heading: the prize's name and sponsor, or the round's criteria."""
        head = QFrame()
        set_role(head, "judgeRow")  # transparent, as the criteria under it
        layout = QVBoxLayout(head)
        layout.setContentsMargins(0, 14 if self.group_heads else 2, 0, 2)
        layout.setSpacing(1)
        title = ui.label(jm.group_title(group, round_title), "judgeGroup")
        title.setAccessibleName(translate("judge", "Criteria group"))
        layout.addWidget(title)
        hint = jm.group_hint(group)
        if hint:
            layout.addWidget(ui.label(hint, "hint", wrap=True))
        self.criteria_box.addWidget(head)
        head.show()
        self.group_heads.append(head)

    def _load(self, scores: Mapping[str, float], comment: str, *, baseline: bool) -> None:
        self._loading = True
        for row in self.rows:
            row.set_value(scores.get(row.criterion["id"]))
        if self.comment.toPlainText() != comment:
            self.comment.setPlainText(comment)
        self._loading = False
        if baseline:
            self._baseline = (self.scores(), self.comment_text())

    def forget(self) -> None:
        """Take the next team shown as another sheet (another round's), not the same one."""
        self.team_id = None

    # --- what the judge entered -------------------------------------------------------------------

    def scores(self) -> dict[str, float | int]:
        """Return the scored criteria's values, on their scales."""
        found = {}
        for row in self.rows:
            value = row.value()
            if value is not None:
                found[row.criterion["id"]] = value
        return found

    def commit_typing(self) -> None:
        """Take a number still being typed as entered (Ctrl+Enter straight after "150" saves
        100, the clamped value, not the 15 the box held while 150 was half typed)."""
        for row in self.rows:
            row.spin.interpretText()
            row.snap()

    def comment_text(self) -> str:
        """Return the comment as it will be sent."""
        return self.comment.toPlainText().strip()

    def dirty(self) -> bool:
        """Whether the sheet holds changes not saved on this laptop."""
        if self.team_id is None or not self.editable:
            return False
        return (self.scores(), self.comment_text()) != self._baseline

    def mark_saved(self) -> None:
        """Take what is shown as saved (the replica holds it now)."""
        self._baseline = (self.scores(), self.comment_text())
        self._changed()

    def focus_chain(self) -> list[QWidget]:
        """Return the sheet's inputs in Tab order: criterion boxes, comment, buttons."""
        boxes: list[QWidget] = [row.spin for row in self.rows]
        return [*boxes, self.comment, self.next_button, self.save_button, self.submit_button]

    def first_input(self) -> QWidget:
        """Return the first criterion's box (or the comment): where Enter in the list leads."""
        return self.rows[0].spin if self.rows else self.comment

    def focus_criterion(self, name: str) -> None:
        """Put the keyboard in a criterion's box."""
        for row in self.rows:
            if row.criterion["name"] == name:
                row.spin.setFocus(Qt.FocusReason.TabFocusReason)
                row.spin.selectAll()
                return

    def offer_next(self, hint: str | None, *, button: bool = False) -> None:
        """Show which team is next and put the keyboard on the button that opens it (None hides)."""
        self.next_hint.setText(hint or "")
        self.next_hint.setVisible(bool(hint))
        self.next_button.setVisible(button)
        if button:
            self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_problem(self, text: str) -> None:
        """Say why the sheet could not be saved ('' hides it)."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _changed(self) -> None:
        if self._loading:
            return
        self.unsaved.setVisible(self.dirty())
        if self.dirty():
            self.offer_next(None)  # the sheet changed again: the offer was for a submitted one
        self.preview.setText(
            translate("judge", "Sheet score {v0}").format(
                v0=jm.score_preview(self._required or self._criteria, self.scores())
            )
        )
        if self.problem.isVisible() and not jm.sheet_problems(
            self._criteria, self.scores(), final=False
        ):
            self.show_problem("")
