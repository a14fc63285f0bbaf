"""Tests for File ▸ Print…: pick a document, save it as a PDF or print it; clear refusals."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.controllers import HostController
from desktop.host import ask
from desktop.host.print_dialog import PrintDialog
from desktop.host.window import HostWindow
from storage.replica import Replica
from tests.kit import FakeClock
from tests.report_event import scored_event

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils: .ci/bootstrap installs it"
)


def text_of(path: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(line.split()) for line in out.replace("ﬁ", "fi").splitlines()]


def console(replica: Replica, tmp_path: Path, qtbot: QtBot) -> HostWindow:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = HostWindow(HostController(replica, None), settings, now=FakeClock().seconds)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def event(tmp_path: Path) -> Iterator[Replica]:
    replica = scored_event(tmp_path / "event")
    yield replica
    replica.close()


@pytest.fixture
def window(event: Replica, tmp_path: Path, qtbot: QtBot) -> HostWindow:
    return console(event, tmp_path, qtbot)


def open_print(window: HostWindow) -> PrintDialog:
    action = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "Print…")
    assert action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    action.trigger()
    dialog = window.printing.dialog
    assert isinstance(dialog, PrintDialog)
    assert dialog.isVisible()
    return dialog


def refuse_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_: object) -> None:
        raise AssertionError("no file or printer should be asked for")

    monkeypatch.setattr(ask, "save_path", never)
    monkeypatch.setattr(ask, "print_setup", never)


@needs_poppler
def test_save_as_pdf_writes_the_chosen_document_where_the_user_said(
    window: HostWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    asked: list[str] = []

    def where(parent: QWidget, title: str, suggested: str, filters: str) -> Path:
        asked.append(suggested)
        return tmp_path / "team feedback"  # no suffix typed: .pdf is added

    monkeypatch.setattr(ask, "save_path", where)
    dialog = open_print(window)
    dialog.choose("feedback")
    dialog.pdf_button.click()
    assert asked == ["harbour-finals-2026-feedback.pdf"]
    out = tmp_path / "team feedback.pdf"
    lines = text_of(out)
    assert "Sheet 1 8 90 5 87.50" in lines
    assert "Mean 8.50 85.00 4.75 87.19" in lines
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.message.text() == "Saved Feedback to team feedback.pdf: 4 pages."


@needs_poppler
def test_print_sends_the_document_through_the_print_dialogs_printer(
    window: HostWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = tmp_path / "printer.pdf"
    seen: list[QPrinter] = []

    def to_file(parent: QWidget, printer: QPrinter) -> bool:
        # What a user choosing "Print to file" in the system's dialog does.
        seen.append(printer)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(ask, "print_setup", to_file)
    dialog = open_print(window)
    dialog.choose("results")
    dialog.print_button.click()
    assert "=2 Basalt 62.50 2 7.00 60.00 3.00" in text_of(printed)
    assert seen[0].docName() == "Harbour Finals 2026 — Results"
    assert window.message.text() == "Sent Results to the printer: 1 page."


def test_a_cancelled_print_dialog_prints_nothing_and_keeps_the_dialog(
    window: HostWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ask, "print_setup", lambda *_: False)
    monkeypatch.setattr(ask, "save_path", lambda *_: None)
    dialog = open_print(window)
    assert window.printing.send_to_printer("certificates") is False
    assert window.printing.save_pdf("certificates") is None
    assert dialog.isVisible()
    assert list(tmp_path.glob("*.pdf")) == []


def test_nothing_to_print_is_said_in_the_dialog_before_any_file_is_asked_for(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    replica = Replica.open(tmp_path / "host.db")
    try:
        replica.register_self()
        window = console(replica, tmp_path, qtbot)
        refuse_questions(monkeypatch)
        dialog = open_print(window)
        dialog.choose("certificates")
        dialog.pdf_button.click()
        assert dialog.problem.isVisible()
        assert dialog.problem.text() == (
            "Nothing to print yet: no team is ranked yet, so there are no certificates to print."
        )
        dialog.choose("sheets")
        dialog.print_button.click()
        assert "the event has no criteria yet" in dialog.problem.text()
        assert dialog.isVisible()
    finally:
        replica.close()


def test_an_unwritable_file_is_refused_in_the_banner_and_nothing_is_left(
    window: HostWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ask, "save_path", lambda *_: tmp_path / "gone" / "r.pdf")
    open_print(window)
    assert window.printing.save_pdf("results") is None
    assert window.banner.isVisible()
    assert window.error_label.text().startswith(f"Cannot write {tmp_path / 'gone' / 'r.pdf'}")
    assert not (tmp_path / "gone").exists()


def test_the_judges_names_box_is_the_event_setting(window: HostWindow, event: Replica) -> None:
    dialog = open_print(window)
    assert not dialog.names.isChecked()
    dialog.names.setChecked(True)
    assert event.state.event()["feedback_names_judges"] is True
    dialog.reject()
    assert open_print(window).names.isChecked()


def test_stop_in_the_progress_bar_leaves_no_file_and_says_so(
    window: HostWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ask, "save_path", lambda *_: tmp_path / "sheets.pdf")
    window.printing.show_progress_after_ms = 0  # the bar at once, so that Stop can be pressed

    def press_stop() -> None:
        progress = window.printing.progress
        if progress is not None:
            progress.cancel()
        else:
            QTimer.singleShot(1, press_stop)

    open_print(window)
    QTimer.singleShot(0, press_stop)
    assert window.printing.save_pdf("sheets") is None
    assert window.message.text() == "Stopped: sheets.pdf was not written."
    assert list(tmp_path.glob("*.pdf")) == []
    assert list(tmp_path.glob(".*partial")) == []
