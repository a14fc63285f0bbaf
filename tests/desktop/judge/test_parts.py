"""Tests for the judge window's small builders: label, chip, card, heading row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel
from pytestqt.qtbot import QtBot

from desktop.judge import parts as ui


def test_a_label_takes_its_role_and_wrap(qtbot: QtBot) -> None:
    plain = ui.label("Tallyboard")
    hint = ui.label("Scores stay on this laptop", "hint", wrap=True)
    assert plain.text() == "Tallyboard"
    assert plain.property("role") is None
    assert not plain.wordWrap()
    assert hint.property("role") == "hint"
    assert hint.wordWrap()
    centred = ui.centred_label("Pick a team", "subtitle")
    assert centred.alignment() == Qt.AlignmentFlag.AlignCenter
    assert centred.property("role") == "subtitle"


def test_a_chip_changes_its_text_and_tone_and_keeps_them(qtbot: QtBot) -> None:
    chip = QLabel()
    qtbot.addWidget(chip)
    ui.chip(chip, "final", "Final")
    assert (chip.text(), chip.property("chip")) == ("Final", "final")
    ui.chip(chip, "draft", "Draft")
    assert (chip.text(), chip.property("chip")) == ("Draft", "draft")
    ui.chip(chip, "draft", "Draft · edited")  # the same tone: only the words change
    assert (chip.text(), chip.property("chip")) == ("Draft · edited", "draft")


def test_a_card_and_a_heading_row_lay_out_what_they_are_given(qtbot: QtBot) -> None:
    card, layout = ui.card((14, 16, 14, 14), 10)
    qtbot.addWidget(card)
    assert isinstance(card, QFrame)
    assert card.property("role") == "card"
    margins = layout.contentsMargins()
    assert (margins.left(), margins.top(), margins.right(), margins.bottom()) == (14, 16, 14, 14)
    assert layout.spacing() == 10
    title, aside = ui.label("Your teams"), ui.label("3 of 8")
    row = ui.heading_row(title, aside)
    layout.addLayout(row)
    # The title at the left, a stretch, the aside at the right.
    assert [row.itemAt(i).widget() for i in range(row.count())] == [title, None, aside]
    assert row.itemAt(1).spacerItem() is not None
