"""The console's form for a paper sheet: a judge's scores typed in by the organiser (issue 12).

It checks what it holds as the judge's own sheet does (`desktop.judge_model.sheet_problems`,
the host's rule), and asks for the reason the history keeps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from desktop import judge_model
from desktop.host.dialogs import EditDialog
from desktop.i18n import translate
from storage.ops import MAX_REASON, MAX_TEXT


class PaperSheetDialog(EditDialog):
    """Enter a judge's sheet for a team from paper: each criterion, final, comment, reason."""

    def __init__(
        self,
        title: str,
        criteria: Sequence[Mapping[str, Any]],
        current: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.criteria = list(criteria)
        sheet = current or {}
        scores = sheet.get("scores", {})
        self.marks: dict[str, QLineEdit] = {}
        for criterion in self.criteria:
            cid = str(criterion["id"])
            field = QLineEdit(
                judge_model.format_number(scores[cid]) if cid in scores else "",
            )
            field.setAccessibleName(str(criterion["name"]))
            field.setPlaceholderText(judge_model.scale_text(criterion))
            self.marks[cid] = field
            self.form.addRow(str(criterion["name"]), field)
        self.final = QCheckBox(translate("desk", "Final (counts in the total)"))
        self.final.setChecked(bool(sheet.get("final", True)))
        self.comment = QPlainTextEdit(str(sheet.get("comment") or ""))
        self.comment.setAccessibleName(translate("desk", "Comment"))
        self.comment.setFixedHeight(80)
        self.comment.setTabChangesFocus(True)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(translate("desk", "Reason"))
        self.reason.setMaxLength(MAX_REASON)
        self.reason.setPlaceholderText(translate("desk", "e.g. Ada's laptop died; her paper sheet"))
        self.form.addRow("", self.final)
        self.form.addRow(translate("desk", "Comment"), self.comment)
        self.form.addRow(translate("desk", "Reason"), self.reason)
        self.save_button.setText(translate("desk", "Enter sheet"))

    def scores(self) -> dict[str, float | int] | str:
        """Return the typed scores by criterion, or why one is not a number."""
        found: dict[str, float | int] = {}
        for criterion in self.criteria:
            typed = self.marks[str(criterion["id"])].text().strip().replace(",", ".")
            if not typed:
                continue
            try:
                value = float(typed)
            except ValueError:
                return translate("desk", "{name}: “{typed}” is not a number.").format(
                    name=criterion["name"], typed=typed
                )
            found[str(criterion["id"])] = int(value) if value.is_integer() else value
        return found

    def values(self) -> dict[str, Any]:
        """Return the sheet's body fields and the reason."""
        scores = self.scores()
        return {
            "scores": scores if isinstance(scores, dict) else {},
            "comment": self.comment.toPlainText().strip(),
            "final": self.final.isChecked(),
            "reason": self.reason.text().strip(),
        }

    def check(self) -> str | None:
        """Refuse what the host would: a mark off its scale, a final sheet lacking one."""
        scores = self.scores()
        if isinstance(scores, str):
            return scores
        problems = judge_model.sheet_problems(self.criteria, scores, final=self.final.isChecked())
        if problems:
            return problems[0]
        if len(self.comment.toPlainText().strip()) > MAX_TEXT:
            return translate("desk", "The comment is longer than {limit} characters.").format(
                limit=MAX_TEXT
            )
        if not self.reason.text().strip():
            return translate("desk", "Type the reason for entering this sheet.")
        return None
