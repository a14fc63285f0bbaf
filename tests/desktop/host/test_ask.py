"""Tests for the console's questions and file pickers, answered through the real dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.host import ask


def _answer_box(button_text: str) -> None:
    """Once the question is open, click its button named `button_text`."""

    def click() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                for button in widget.buttons():
                    if button.text() == button_text:
                        button.click()
                        return
        QTimer.singleShot(20, click)  # not open yet

    QTimer.singleShot(0, click)


def test_confirm_is_true_only_for_the_named_action(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    _answer_box("Lock")
    assert ask.confirm(parent, "Change phase", "Lock the event?", "Lock") is True
    _answer_box("Cancel")
    assert ask.confirm(parent, "Change phase", "Lock the event?", "Lock") is False


def _answer_picker(path: Path | None) -> None:
    """Once the file dialog is open, pick `path` in it (None: cancel)."""

    def pick() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QFileDialog) and widget.isVisible():
                if path is None:
                    widget.reject()
                else:
                    widget.selectFile(str(path))
                    widget.accept()
                return
        QTimer.singleShot(20, pick)  # not open yet

    QTimer.singleShot(0, pick)


def test_the_pickers_give_the_chosen_path_or_none(qtbot: QtBot, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "results.csv"
    _answer_picker(target)
    assert ask.save_path(parent, "Export results", str(target), "CSV files (*.csv)") == target
    _answer_picker(None)
    assert ask.save_path(parent, "Export results", str(target), "CSV files (*.csv)") is None
    target.write_text("name\nAurora\n", encoding="utf-8")
    _answer_picker(target)
    assert ask.open_path(parent, "Import teams", "CSV files (*.csv)") == target
    _answer_picker(None)
    assert ask.open_path(parent, "Import teams", "CSV files (*.csv)") is None
