"""The console's prizes, rounds, boards and event file (issue 11): the part of `HostWindow`
where the Prizes and Rounds tabs, the Results page and File ▸ Load/Save event file… meet the
controller. Like `DeskWindow`, it builds the pages' view values from the controller's reads
and connects their intents; no page reads the controller.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QStackedWidget, QWidget

from desktop import host_model as model
from desktop.host import ask
from desktop.host import parts as ui
from desktop.host.results import ResultsPage
from desktop.host.rounds import FinalistsDialog
from desktop.i18n import round_name, translate
from storage.eventfile import EventFileError
from storage.rules import Rejection

if TYPE_CHECKING:
    from desktop.controllers import HostController
    from desktop.host.setup import SetupPage

# The Results page recomputes every board from the state: at most once per this many ms while
# ops arrive, never once per op (an event of 3,000 teams must not freeze the console).
RESULTS_MS = 400


class CompetitionWindow:
    """Prizes, rounds, boards and the event file: a mixin of `HostWindow`."""

    controller: HostController
    setup: SetupPage
    results: ResultsPage
    stack: QStackedWidget
    pages: list[Any]
    dialog: QDialog | None
    _stale: set[int]
    _finalists_round: str
    flash: Callable[[str], None]
    show_problem: Callable[[str], None]
    open_dialog: Callable[[QDialog], None]
    save_criterion: Callable[..., None]
    bulk: Callable[[], AbstractContextManager[None]]
    remove: Callable[[str, str], None]

    def widget(self) -> QWidget:
        """Return the window as the parent of its questions and dialogs."""
        return cast(QWidget, self)

    def _results_pages(self) -> None:
        """Make the Results page's redraw timer (the page is made with the others)."""
        self._results_timer = QTimer(self)  # type: ignore[arg-type]
        self._results_timer.setSingleShot(True)
        self._results_timer.setInterval(RESULTS_MS)
        self._results_pending = False
        self._results_timer.timeout.connect(self._results_pause_over)

    def _draw_competition_setup(self) -> None:
        """Hand the Prizes and Rounds tabs, and the team and judge forms, their values."""
        c = self.controller
        self.setup.prizes.show_prizes(c.prizes(), c.teams(), c.judges(), c.all_criteria())
        self.setup.teams.prize_choices = model.prize_choices(c.prizes(), "eligibility", "opt_in")
        self.setup.judges.prize_choices = model.prize_choices(c.prizes(), "judges", "listed")
        self.setup.rounds.show_rounds(c.rounds(), c.round_phases(), c.judges(), c.all_criteria())

    def _wire_prizes(self) -> None:
        """Connect the Prizes tab's intents (issue 11)."""
        prizes = self.setup.prizes
        prizes.save_requested.connect(self.save_prize)
        prizes.remove_requested.connect(lambda ident: self.remove("prize", ident))
        prizes.criterion_save_requested.connect(self.save_prize_criterion)
        prizes.criterion_remove_requested.connect(lambda ident: self.remove("criterion", ident))
        rounds = self.setup.rounds
        rounds.save_requested.connect(self.save_round)
        rounds.remove_requested.connect(lambda ident: self.remove("round", ident))
        rounds.first_round_requested.connect(self.save_first_round)
        rounds.phase_requested.connect(self.set_round_phase)
        rounds.finalists_requested.connect(self.open_finalists)
        rounds.criterion_save_requested.connect(
            lambda rid, ident, values: self.save_criterion(ident, values, ("round", rid), rounds)
        )
        rounds.criterion_remove_requested.connect(lambda ident: self.remove("criterion", ident))

    def _draw_results(self) -> None:
        """Redraw the boards now, or once at the end of the current pause if drawn lately."""
        if self._results_timer.isActive():
            self._results_pending = True
            return
        self._results_pending = False
        self._results_timer.start()
        self._redraw_results()

    def _results_pause_over(self) -> None:
        if self._results_pending:
            self._draw_results()

    def _redraw_results(self) -> None:
        c = self.controller
        if self.stack.currentWidget() is not self.results:
            self._stale.add(self.pages.index(self.results))  # drawn when next shown
            return
        started = time.perf_counter()
        criteria = {str(x["id"]): x for x in c.all_criteria()}
        judges = c.judges()
        views = [model.board_view(b, judges, criteria) for b in c.boards()]
        self.results.show_boards(
            views, [(r["id"], round_name(r["name"], r["id"])) for r in c.rounds()]
        )
        # The pause is at least 4x the last redraw, so however large the event the boards take
        # at most a fifth of the loop while ops pour in (docs/protocol.md, the console).
        spent_ms = (time.perf_counter() - started) * 1000
        self._results_timer.setInterval(max(RESULTS_MS, round(4 * spent_ms)))

    def save_prize(self, ident: str | None, values: dict[str, Any]) -> None:
        """Add or edit a prize, then who opted in and who judges it; answer its form."""
        c, tab = self.controller, self.setup.prizes
        if model.name_taken(values["name"], c.prizes(), ident):
            problem = translate("host", "There is already a prize named {name}.").format(
                name=values["name"].strip()
            )
            self.show_problem(problem)
            tab.show_saved(problem)
            return
        ident = ident or c.new_id("prize", values["name"])
        body = model.prize_body(ident, values, len(c.prizes()))
        refused = c.admin("prize.put", body)
        if refused is None and body["eligibility"] == "opt_in":
            refused = next(iter(c.save_members("team", ident, values["teams"])), None)
        if refused is None and body["judges"] == "listed":
            refused = next(iter(c.save_members("judge", ident, values["judge_ids"])), None)
        answer_form(tab, refused)

    def save_first_round(self, values: dict[str, Any]) -> None:
        """Save the first round's name, normalisation and tie-breaks (event fields that changed)."""
        event = self.controller.event_settings()
        defaults = {"round_name": "Round 1", "normalise": "off", "tie_break": []}
        for field, value in values.items():
            if value != event.get(field, defaults[field]) and self.controller.set_event(
                field, value
            ):
                return  # refused: the banner says why
        self.flash(translate("host", "First round saved."))

    def save_round(self, ident: str | None, values: dict[str, Any]) -> None:
        """Add or edit a later round; answer its form."""
        c, tab = self.controller, self.setup.rounds
        if model.name_taken(values["name"], c.rounds(), ident):
            problem = translate("host", "There is already a round named {name}.").format(
                name=values["name"].strip()
            )
            self.show_problem(problem)
            tab.show_saved(problem)
            return
        ident = ident or c.new_id("round", values["name"])
        answer_form(tab, c.admin("round.put", model.round_body(ident, values)))

    def set_round_phase(self, round_id: str, phase: str) -> None:
        """Move a later round to a phase, asking first (with counts) as the first round does."""
        c = self.controller
        round_ = next((r for r in c.rounds() if r["id"] == round_id), None)
        if round_ is None:
            return
        current = c.round_phases().get(round_id, "setup")
        stakes = c.round_stakes(round_id) if phase in ("locked", "released") else None
        question = model.round_phase_question(round_["name"], current, phase, stakes)
        if question is not None and not ask.confirm(
            self.widget(),
            translate("host", "Change phase"),
            question,
            translate("host", model.PHASE_MOVES[phase][0]),
        ):
            return
        if c.admin("round.phase", {"round": round_id, "phase": phase}) is None:
            self.flash(
                translate("host", "{name} is now in {phase}.").format(
                    name=round_["name"], phase=translate("host", model.PHASES[phase][0]).lower()
                )
            )

    def open_finalists(self, round_id: str) -> FinalistsDialog | None:
        """Open a later round's finalists: the rule's proposal on asking, then by hand."""
        c = self.controller
        ids = [r["id"] for r in c.rounds()]
        if round_id not in ids[1:]:
            return None
        round_, before = c.rounds()[ids.index(round_id)], c.rounds()[ids.index(round_id) - 1]
        teams = [(t["id"], t["name"]) for t in model.by_name(c.teams())]
        chosen = set(c.finalists(round_id)) if round_["finalists"] != "all" else set()
        dialog = FinalistsDialog(
            round_["name"],
            model.finalist_rule_text(round_, round_name(before["name"], before["id"])),
            teams,
            chosen,
            self.widget(),
        )
        self._finalists_round = round_id
        dialog.propose_requested.connect(self._propose_finalists)
        dialog.apply_requested.connect(self._apply_finalists)
        self.open_dialog(dialog)
        return dialog

    def _propose_finalists(self) -> None:
        if isinstance(self.dialog, FinalistsDialog):
            self.dialog.tick(set(self.controller.proposed_finalists(self._finalists_round)))

    def _apply_finalists(self, chosen: list[str]) -> None:
        if self.controller.set_finalists(self._finalists_round, chosen):
            return  # refused: the banner says why, the dialog stays open
        self.flash(translate("host", "{count} finalists chosen.").format(count=len(chosen)))
        if self.dialog is not None:
            self.dialog.accept()

    def save_prize_criterion(self, prize: str, ident: str | None, values: dict[str, Any]) -> None:
        """Add or edit one of a prize's own criteria."""
        self.save_criterion(ident, values, ("prize", prize), self.setup.prizes)

    def load_event_file(self) -> Path | None:
        """Load an event file: every problem listed and nothing changed, or asked, then made."""
        path = ask.open_path(
            self.widget(),
            translate("host", "Load event file"),
            translate("host", "Event files (*.json *.toml);;All files (*)"),
        )
        if path is None:
            return None
        try:
            changes = self.controller.plan_event_file(path)
        except EventFileError as exc:
            self.show_problem(
                translate("host", "{name} was not loaded; nothing changed:").format(name=path.name)
                + "\n"
                + "\n".join(exc.problems)
            )
            return None
        if not changes:
            self.flash(translate("host", "{name} is the event already.").format(name=path.name))
            return path
        if not ask.confirm(
            self.widget(),
            translate("host", "Load event file"),
            translate(
                "host",
                "Make {count} changes so that the event is what {name} describes? What the file"
                " leaves out is removed.",
            ).format(count=len(changes), name=path.name),
            translate("host", "Load"),
        ):
            return None
        with self.bulk():
            refused = self.controller.apply_event_changes(changes)
        if not refused:
            self.flash(
                translate("host", "{name} loaded: {count} changes.").format(
                    name=path.name, count=len(changes)
                )
            )
        return path

    def save_event_file(self) -> Path | None:
        """Write the event's setup as a file (TOML for a .toml name, else JSON)."""
        name = model.slug_name(self.controller.event_settings()["name"])
        path = ask.save_path(
            self.widget(),
            translate("host", "Save event file"),
            f"{name}.event.toml",
            translate("host", "TOML event files (*.toml);;JSON event files (*.json)"),
        )
        if path is None:
            return None
        try:
            self.controller.save_event_file(path)
        except OSError as exc:
            self.show_problem(
                translate("host", "Cannot write {path}: {v1}.").format(
                    path=path, v1=exc.strerror or exc
                )
            )
            return None
        self.flash(translate("host", "Event saved to {name}.").format(name=path.name))
        return path


def answer_form(tab: ui.EntityTab, rejection: Rejection | None) -> None:
    """Answer a tab's form: saved, or the host's reason for refusing it."""
    tab.show_saved(None if rejection is None else rejection.message)
