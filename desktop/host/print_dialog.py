"""File ▸ Print…: pick a document, then save it as a PDF or send it through the print dialog.

`PrintDialog` only shows the choices and emits them. `PrintFlow` answers it for the console
window, as the window answers its pages: it asks the controller for the document's data
(`document(what)`) and to change the judges'-names setting, asks for a file name or a printer
through `desktop.host.ask`, and tells the window what happened (`show_problem`, `flash`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop import host_model as model
from desktop import printing
from desktop.host import ask
from desktop.host import parts as ui
from desktop.i18n import QT_TRANSLATE_NOOP, translate
from desktop.theme import set_role
from storage.reports import NothingToPrint
from storage.rules import Rejection

CHOICES = (  # (document, its name, what it holds): whole texts, to translate
    (
        "results",
        QT_TRANSLATE_NOOP("host", "Results"),
        QT_TRANSLATE_NOOP("host", "The leaderboard: ranks, totals, judges and criterion means."),
    ),
    (
        "feedback",
        QT_TRANSLATE_NOOP("host", "Feedback for each team"),
        QT_TRANSLATE_NOOP("host", "One page a team: every final sheet's scores and comments."),
    ),
    (
        "certificates",
        QT_TRANSLATE_NOOP("host", "Certificates"),
        QT_TRANSLATE_NOOP("host", "One landscape page for each team in the first three places."),
    ),
    (
        "sheets",
        QT_TRANSLATE_NOOP("host", "Blank scoring sheets"),
        QT_TRANSLATE_NOOP(
            "host", "Each judge's teams with every criterion's scale, to score on paper."
        ),
    ),
)


class PrintDialog(QDialog):
    """The documents to choose from, the judges'-names setting, and Save as PDF or Print."""

    pdf_requested = Signal(str)  # the document to save as a PDF
    print_requested = Signal(str)  # the document to send to a printer
    names_changed = Signal(bool)  # feedback sheets name the judges, or not (an event setting)

    def __init__(self, names_judges: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("host", "Print"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(8)
        layout.addWidget(ui.label(translate("host", "Print or save as PDF"), "section"))
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        for what, name, hint in CHOICES:
            radio = QRadioButton(translate("host", name))
            radio.setAccessibleName(translate("host", name))
            radio.setAccessibleDescription(translate("host", hint))
            self.group.addButton(radio)
            self.choices[what] = radio
            layout.addWidget(radio)
            note = ui.label(translate("host", hint), "hint", wrap=True)
            note.setContentsMargins(26, 0, 0, 6)
            layout.addWidget(note)
        self.choices["results"].setChecked(True)
        self.names = QCheckBox(translate("host", "Feedback sheets name the judges"))
        self.names.setAccessibleName(translate("host", "Feedback sheets name the judges"))
        self.names.setChecked(names_judges)
        self.names.toggled.connect(self.names_changed)
        layout.addWidget(self.names)
        self.problem = ui.label("", "error", wrap=True)
        self.problem.setAccessibleName(translate("host", "Problem"))
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox()
        self.pdf_button = buttons.addButton(
            translate("host", "Save as PDF…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.pdf_button.setAccessibleName(translate("host", "Save as PDF"))
        set_role(self.pdf_button, "primary")
        self.pdf_button.setDefault(True)
        self.print_button = buttons.addButton(
            translate("host", "Print…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.print_button.setAccessibleName(translate("host", "Print"))
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(translate("host", "Cancel"))
        self.pdf_button.clicked.connect(lambda: self.pdf_requested.emit(self.chosen()))
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.chosen()))
        buttons.rejected.connect(self.reject)
        layout.addSpacing(6)
        layout.addWidget(buttons)

    def chosen(self) -> str:
        """Return the document picked."""
        return next(what for what, radio in self.choices.items() if radio.isChecked())

    def choose(self, what: str) -> None:
        """Pick a document."""
        self.choices[what].setChecked(True)

    def show_problem(self, text: str) -> None:
        """Say why the document cannot be had; the dialog stays open for another choice."""
        self.problem.setText(text)
        self.problem.show()


def _pages(count: int) -> str:
    """Return "1 page" or "N pages"."""
    if count == 1:
        return translate("host", "1 page")
    return translate("host", "{count} pages").format(count=count)


@runtime_checkable
class Console(Protocol):
    """What the flow needs of the console window."""

    def show_problem(self, text: str) -> None: ...

    def flash(self, text: str) -> None: ...

    def open_dialog(self, dialog: QDialog) -> None: ...


class Documents(Protocol):
    """What the flow needs of the host's controller."""

    def document(self, what: str) -> printing.Document: ...

    def event_settings(self) -> dict[str, Any]: ...

    def set_event(self, field_name: str, value: Any) -> Rejection | None: ...


class PrintFlow:
    """Answer the print dialog: build the document, then write a PDF or print it."""

    def __init__(self, window: QWidget, controller: Documents) -> None:
        self.window = window
        assert isinstance(window, Console)
        self.console: Console = window
        self.controller = controller
        self.dialog: PrintDialog | None = None
        self.progress: QProgressDialog | None = None
        self.show_progress_after_ms = 300  # short work shows no bar

    def open(self) -> PrintDialog:
        """Show the print dialog (window-modal; the host keeps serving meanwhile)."""
        names = bool(self.controller.event_settings()["feedback_names_judges"])
        dialog = PrintDialog(names, self.window)
        dialog.pdf_requested.connect(self.save_pdf)
        dialog.print_requested.connect(self.send_to_printer)
        dialog.names_changed.connect(self.set_names)
        self.dialog = dialog
        self.console.open_dialog(dialog)
        return dialog

    def _with_progress(self, label: str, work: Callable[[printing.Step], int]) -> int:
        """Run the printing with a progress bar to stop it; its steps keep the loop turning."""
        # A shown, window-modal progress dialog runs Qt's events (and so the host's sockets)
        # at each setValue: the host keeps serving while a long document is set.
        progress = QProgressDialog(label, translate("host", "Stop"), 0, 1, self.window)
        progress.setWindowTitle("Tallyboard")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(self.show_progress_after_ms)
        progress.setAutoReset(False)
        progress.setAutoClose(False)
        progress.setAccessibleName(label)
        progress.setValue(0)
        self.progress = progress

        def step(done: int, total: int) -> bool:
            progress.setMaximum(max(1, total))
            progress.setValue(min(done, total))
            return not progress.wasCanceled()

        try:
            return work(step)
        finally:
            progress.close()
            self.progress = None

    def set_names(self, on: bool) -> None:
        """Make feedback sheets name the judges, or not (an event setting, replicated)."""
        self.controller.set_event("feedback_names_judges", on)

    def _build(self, what: str) -> printing.Document | None:
        try:
            return self.controller.document(what)
        except NothingToPrint as exc:
            text = translate("host", "Nothing to print yet: {why}.").format(why=exc)
            if self.dialog is not None:
                self.dialog.show_problem(text)
            else:
                self.console.show_problem(text)
            return None

    def _done(self, text: str) -> None:
        self.console.flash(text)
        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None

    def save_pdf(self, what: str) -> Path | None:
        """Ask where, then write the document as a PDF there; return the file, or None."""
        document = self._build(what)
        if document is None:
            return None
        suggested = f"{model.slug_name(str(document.event['name']))}-{what}.pdf"
        path = ask.save_path(
            self.window,
            translate("host", "Save {title} as PDF").format(title=document.title),
            suggested,
            translate("host", "PDF files (*.pdf)"),
        )
        if path is None:
            return None
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        label = translate("host", "Writing {name}…").format(name=path.name)
        try:
            pages = self._with_progress(
                label, lambda step: printing.write_pdf(path, document, step)
            )
        except printing.Cancelled:
            self.console.flash(
                translate("host", "Stopped: {name} was not written.").format(name=path.name)
            )
            return None
        except OSError as exc:
            self.console.show_problem(
                translate("host", "Cannot write {path}: {why}.").format(
                    path=path, why=exc.strerror or exc
                )
            )
            return None
        self._done(
            translate("host", "Saved {title} to {name}: {pages}.").format(
                title=document.title, name=path.name, pages=_pages(pages)
            )
        )
        return path

    def send_to_printer(self, what: str) -> bool:
        """Open the system's print dialog, then print the document; True once printed."""
        document = self._build(what)
        if document is None:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setResolution(printing.DPI)  # the layout's units (printing.DPI)
        printer.setPageLayout(printing.page_layout(document))
        printer.setDocName(f"{document.event['name']} — {document.title}")
        if not ask.print_setup(self.window, printer):
            return False
        label = translate("host", "Printing {title}…").format(title=document.title)
        try:
            pages = self._with_progress(
                label, lambda step: printing.render(document, printer, step)
            )
        except printing.Cancelled:
            printer.abort()
            self.console.flash(translate("host", "Printing stopped."))
            return False
        except OSError as exc:
            self.console.show_problem(translate("host", "Cannot print: {why}.").format(why=exc))
            return False
        self._done(
            translate("host", "Sent {title} to the printer: {pages}.").format(
                title=document.title, pages=_pages(pages)
            )
        )
        return True
