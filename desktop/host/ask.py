"""The console's modal questions and file pickers: the one module tests replace.

Callers use them as `ask.confirm(...)`, so a test's monkeypatch of this module reaches them all.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask before a weighty step; True when the user chose `action`."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel)
    box.setParent(parent, box.windowFlags())
    accept = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is accept


def reason(parent: QWidget, title: str, text: str, action: str) -> str | None:
    """Ask for the reason of a correction, under what it changes; None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(text)
    dialog.setOkButtonText(action)
    dialog.setTextValue("")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def save_path(parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
    """Ask where to write a file."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return Path(path) if path else None


def open_path(parent: QWidget, title: str, filters: str) -> Path | None:
    """Ask which file to read."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(path) if path else None


def number(parent: QWidget, title: str, text: str, value: int, low: int, high: int) -> int | None:
    """Ask for a whole number between `low` and `high`; None when the user cancels."""
    chosen, ok = QInputDialog.getInt(parent, title, text, value, low, high, 1)
    return chosen if ok else None


def print_setup(parent: QWidget, printer: QPrinter) -> bool:
    """Ask the system's print dialog for a printer and its options; True to print."""
    dialog = QPrintDialog(printer, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
