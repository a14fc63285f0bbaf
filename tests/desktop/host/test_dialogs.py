"""Tests for the console's dialogs, driven through its widgets against a real demo host."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop import host_model as model
from desktop.host.dialogs import AutoAssignDialog, CriterionDialog, ImportTeamsDialog, TeamDialog
from desktop.host.window import HostWindow
from storage.admin import parse_teams_csv
from tests.desktop.conftest import DemoHost


def _unnamed(root: QWidget) -> list[str]:
    """Return the interactive widgets under `root` without an accessible name."""
    kinds = (
        QAbstractButton,
        QLineEdit,
        QComboBox,
        QAbstractSpinBox,
        QAbstractItemView,
        QPlainTextEdit,
    )
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or widget.accessibleName():
            continue
        # Parts of a composite control: a spin box's editor, a combo box's popup list, a tab
        # bar's scroll arrows, a table's headers and corner button.
        if isinstance(widget, QHeaderView) or widget.objectName() == "qt_tableview_cornerbutton":
            continue
        owner = widget.parentWidget()
        while owner is not None and not isinstance(owner, QAbstractSpinBox | QComboBox | QTabBar):
            owner = owner.parentWidget()
        if owner is not None:
            continue
        missing.append(f"{type(widget).__name__} {widget.objectName()!r} {widget.toolTip()!r}")
    return missing


def test_every_control_has_an_accessible_name(
    demo_host: DemoHost, window: HostWindow, tmp_path: Path
) -> None:
    assert _unnamed(window) == []
    window.show_page("Setup")  # a page is drawn, its view handed over, when shown
    setup = window.setup
    for tab in (setup.criteria, setup.teams, setup.judges, setup.prizes, setup.rounds):
        tab.add.click()
        assert tab.form is not None
        assert _unnamed(tab.form) == []
        tab.form.reject()
    finalists = window.open_finalists("finals")
    assert finalists is not None
    assert _unnamed(finalists) == []
    finalists.reject()
    window.setup.assignments.auto.click()
    assert _unnamed(window.dialog) == []  # type: ignore[arg-type]
    window.dialog.reject()  # type: ignore[union-attr]
    sheet = tmp_path / "t.csv"
    sheet.write_text("Team Name\nX\n", encoding="utf-8")
    dialog = window.preview_import(sheet)
    assert dialog is not None
    assert _unnamed(dialog) == []


def test_auto_assign_asks_for_plans_shows_them_and_asks_to_apply(qtbot: QtBot) -> None:
    dialog = AutoAssignDialog(4)
    qtbot.addWidget(dialog)
    assert dialog.k.value() == 3
    assert dialog.k.maximum() == 4
    assert not dialog.apply_button.isEnabled()  # no plan yet
    with qtbot.waitSignal(dialog.plan_requested) as signal:
        dialog.k.setValue(2)
    assert signal.args == [2, False]
    with qtbot.waitSignal(dialog.plan_requested) as signal:
        dialog.keep.setChecked(True)
    assert signal.args == [2, True]
    bodies = [{"judge": "judge-ada", "team": "team-a", "assigned": True}]
    dialog.show_plan(model.PlanView("One to add.", ["⚠ Team A has only 1 judge."], bodies))
    assert dialog.summary.text() == "One to add."
    assert dialog.warnings.item(0).text() == "⚠ Team A has only 1 judge."
    with qtbot.waitSignal(dialog.apply_requested) as signal:
        dialog.apply_button.click()
    assert signal.args == [bodies]
    dialog.show_plan(model.PlanView("Nothing to change.", [], []))
    assert not dialog.apply_button.isEnabled()
    assert dialog.warnings.isHidden()


def test_the_import_preview_asks_to_import_its_preview(qtbot: QtBot) -> None:
    preview = parse_teams_csv("Team Name,Table\nLighthouse,T9\n,T10\n", [])
    dialog = ImportTeamsDialog(preview, "teams.csv")
    qtbot.addWidget(dialog)
    assert dialog.row_problems() == {3: "The team name is empty"}
    with qtbot.waitSignal(dialog.import_requested) as signal:
        dialog.import_button.click()
    assert signal.args == [preview]


def test_a_form_opens_on_its_first_field_and_an_edit_clears_its_problem(qtbot: QtBot) -> None:
    """Issue 10: focus was on Save, so a space typed in "Add a team" pressed it."""
    dialog = TeamDialog()
    qtbot.addWidget(dialog)
    saved: list[dict[str, object]] = []
    dialog.submitted.connect(saved.append)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.name
    QTest.keyClicks(dialog.focusWidget(), "  Red Foxes")
    assert dialog.name.text() == "  Red Foxes"
    assert saved == []
    assert dialog.problem.isHidden()
    dialog.name.clear()
    QTest.keyClick(dialog.name, Qt.Key.Key_Return)
    assert saved == []
    assert dialog.problem.text() == "Give the team a name."
    QTest.keyClicks(dialog.name, "Red Foxes")
    assert dialog.problem.isHidden()  # the name is filled in: the problem is gone


def test_tab_leaves_a_description_box(qtbot: QtBot) -> None:
    for dialog, box, after in (
        (criterion := CriterionDialog(), criterion.description, criterion.weight),
        (team := TeamDialog(), team.members, None),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        box.setFocus()
        QTest.keyClick(box, Qt.Key.Key_Tab)
        assert "\t" not in box.toPlainText()
        assert dialog.focusWidget() is not box
        if after is not None:
            assert after.isAncestorOf(dialog.focusWidget()) or dialog.focusWidget() is after
