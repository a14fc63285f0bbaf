"""Tests for the console's dialogs, driven through its widgets against a real demo host."""

from __future__ import annotations

from pathlib import Path

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

from desktop.host.window import HostWindow
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
    for tab in (setup.criteria, setup.teams, setup.judges):
        tab.add.click()
        assert tab.form is not None
        assert _unnamed(tab.form) == []
        tab.form.reject()
    window.setup.assignments.auto.click()
    assert _unnamed(window.dialog) == []  # type: ignore[arg-type]
    window.dialog.reject()  # type: ignore[union-attr]
    sheet = tmp_path / "t.csv"
    sheet.write_text("Team Name\nX\n", encoding="utf-8")
    dialog = window.preview_import(sheet)
    assert dialog is not None
    assert _unnamed(dialog) == []
