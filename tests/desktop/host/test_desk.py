"""Tests for the desk in the console: open a team, a judge, a sheet's history, and go back.

Driven through the widgets (double-clicks and keys) against a real demo host and a real
judge's laptop linked to it over loopback.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from desktop.controllers import PeerController
from desktop.host import ask
from desktop.host.paper_sheet import PaperSheetDialog
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import MakePeer, Run, column, joined_judge, settle
from tests.kit import until

SCORES = {"innovation": 85, "design": 90, "execution": 88}


def double_click(qtbot: QtBot, table: QTableWidget, row: int) -> None:
    """Double-click a table's row, as the organiser would."""
    rect = table.visualItemRect(table.item(row, 0))
    # A real double-click is a press and release, then the double-click: Qt opens a row only
    # when the second press lands on the row the first one pressed.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def press_enter(qtbot: QtBot, table: QTableWidget, row: int) -> None:
    """Select a table's row and press Enter on it."""
    table.setFocus()
    table.setCurrentCell(row, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)


def scored(demo_host: DemoHost, peer: MakePeer, run: Run, window: HostWindow) -> PeerController:
    """Ada's laptop saves a draft, then the final sheet, for Aurora; all acked and shown."""
    judge = joined_judge(demo_host, peer, run)
    judge.save_sheet("judge-ada", "team-aurora", {"innovation": 70}, "", final=False)
    judge.save_sheet("judge-ada", "team-aurora", SCORES, "Clear pitch", final=True)
    run(until(lambda: judge.replica.pending_count() == 0))
    settle(run, window)
    return judge


def test_a_leaderboard_row_opens_the_team_page_by_double_click_or_enter_and_back_returns(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run, qtbot: QtBot
) -> None:
    scored(demo_host, peer, run, window)
    board = window.overview.board
    assert board.item(0, 1).text() == "Aurora"
    double_click(qtbot, board, 0)
    team = window.desk.team
    assert window.stack.currentWidget() is window.desk
    assert window.desk.currentWidget() is team
    assert team.heading.text() == "Aurora"
    assert team.facts[0].text().startswith("Rank 1 of 1 · total 87.67 · 1 of 4 final")
    # The demo has a finals round: the sheets stand under their round's name.
    assert column(team.table, 0) == ["Round 1", "Ada Brennan"]
    assert team.table.columnSpan(0, 0) == team.table.columnCount()
    cells = [team.table.item(1, c).text() for c in range(team.table.columnCount())]
    assert cells[1:4] == ["85", "90", "88"]
    assert cells[4:6] == ["87.67", "Final"]
    assert cells[-1] == "Clear pitch"
    team.back.click()
    assert window.stack.currentWidget() is window.overview
    press_enter(qtbot, board, 0)
    assert window.desk.currentWidget() is team
    qtbot.keyClick(team.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.stack.currentWidget() is window.overview


def test_a_team_of_the_teams_tab_opens_its_page(
    demo_host: DemoHost, window: HostWindow, run: Run, qtbot: QtBot
) -> None:
    window.show_page("Setup")
    window.setup.tabs.setCurrentIndex(1)
    table = window.setup.teams.table
    row = column(table, 0).index("Basalt Robotics")
    press_enter(qtbot, table, row)
    assert window.desk.currentWidget() is window.desk.team
    assert window.desk.team.heading.text() == "Basalt Robotics"
    assert window.desk.team.facts[0].text() == "Not ranked yet: no final sheet counts."
    assert window.setup.teams.form is None  # Enter opens the page; Edit… still edits
    window.back()
    assert window.stack.currentWidget() is window.setup
    double_click(qtbot, table, row)
    assert window.desk.team.heading.text() == "Basalt Robotics"


def test_a_judge_opens_from_the_judges_tab_and_from_the_progress_table(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run, qtbot: QtBot
) -> None:
    scored(demo_host, peer, run, window)
    progress = window.overview.progress
    double_click(qtbot, progress, column(progress, 0).index("Ada Brennan"))
    judge = window.desk.judge
    assert window.desk.currentWidget() is judge
    assert judge.heading.text() == "Ada Brennan"
    assert judge.facts[0].text() == "1 of 8 final · 0 drafts"
    assert judge.facts[1].text() == "Marks: mean 87.67, spread 0.00 over 1 final sheets (0–100)"
    assert judge.facts[2].text().startswith("Laptops: ")
    assert column(judge.table, 0) == ["Round 1", "Aurora"]
    window.back()
    window.show_page("Setup")
    window.setup.tabs.setCurrentIndex(2)
    table = window.setup.judges.table
    press_enter(qtbot, table, column(table, 0).index("Bao Nguyen"))
    assert judge.heading.text() == "Bao Nguyen"
    assert judge.facts[1].text().startswith("No final sheet yet")


def test_a_sheet_opens_its_history_from_the_team_and_judge_pages(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run, qtbot: QtBot
) -> None:
    scored(demo_host, peer, run, window)
    window.open_team("team-aurora")
    press_enter(qtbot, window.desk.team.table, 1)
    sheet = window.desk.sheet
    assert window.desk.currentWidget() is sheet
    assert sheet.heading.text() == "Ada Brennan's sheet for Aurora · Round 1"
    assert sheet.facts[0].text().endswith("2 versions, 0 refused")
    assert column(sheet.table, 2) == ["Draft → final", "First saved as draft"]
    newest = sheet.table.item(0, 3).text()
    assert "Innovation 70 → 85" in newest
    assert "Design — → 90" in newest
    assert "“Clear pitch”" in newest
    assert sheet.sheet_actions.count() == 5  # Void, Restore, Reopen, Relock, Enter paper sheet
    sheet.open_judge.click()
    assert window.desk.currentWidget() is window.desk.judge
    double_click(qtbot, window.desk.judge.table, 1)
    assert window.desk.currentWidget() is sheet
    # Back walks the trail: judge, sheet of the team, team, then the page it began from.
    for shown in (window.desk.judge, sheet, window.desk.team):
        window.back()
        assert window.desk.currentWidget() is shown
    window.back()
    assert window.stack.currentWidget() is window.overview


def test_the_team_page_follows_a_new_sheet_while_open(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run
) -> None:
    judge = scored(demo_host, peer, run, window)
    window.open_team("team-aurora")
    judge.save_sheet("judge-ada", "team-aurora", {**SCORES, "design": 40}, "", final=True)
    run(until(lambda: window.desk.team.table.item(1, 2).text() == "40"))
    assert window.desk.team.facts[0].text().startswith("Rank 1 of 1 · total 71.00")


# --- corrections (issue 12) ----------------------------------------------------------------------


class Reasons:
    """Answer each reason question with the next reason (None: cancel); keep what was asked."""

    def __init__(self, *answers: str | None) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str, str]] = []

    def __call__(self, parent: object, title: str, text: str, action: str) -> str | None:
        self.asked.append((title, text, action))
        return self.answers.pop(0)


def open_sheet(window: HostWindow) -> None:
    window.open_team("team-aurora")
    window.open_sheet("judge-ada", "team-aurora")


def test_void_and_restore_say_the_total_before_and_after_and_the_team_page_strikes_it(
    demo_host: DemoHost,
    window: HostWindow,
    peer: MakePeer,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scored(demo_host, peer, run, window)
    reasons = Reasons(None, "Ada has a conflict with Aurora", "The conflict was a mix-up")
    monkeypatch.setattr(ask, "reason", reasons)
    open_sheet(window)
    sheet = window.desk.sheet
    buttons = sheet.corrections
    assert buttons["sheet.void"].isEnabled()
    assert not buttons["sheet.restore"].isEnabled()
    buttons["sheet.void"].click()  # cancelled: nothing changes
    assert demo_host.controller.board_rows()[0].judge_count == 1
    buttons["sheet.void"].click()
    title, text, action = reasons.asked[1]
    assert (title, action) == ("Void sheet", "Void")
    assert "Aurora's total: 87.67 from 1 final sheets → no total (no final sheet counts)." in text
    state = demo_host.controller.replica.state
    assert state.voided("main", "judge-ada", "team-aurora")
    assert column(sheet.table, 2)[0] == "Voided by the organiser"
    assert sheet.table.item(0, 3).text() == "Reason: Ada has a conflict with Aurora"
    assert sheet.table.item(0, 1).text().startswith("Organiser")
    assert sheet.facts[0].text().startswith("VOID")
    assert buttons["sheet.restore"].isEnabled()
    assert not buttons["sheet.void"].isEnabled()
    window.back()
    team = window.desk.team
    assert team.table.item(1, 0).font().strikeOut()
    assert team.facts[0].text() == "Not ranked yet: no final sheet counts."
    window.open_sheet("judge-ada", "team-aurora")
    buttons["sheet.restore"].click()
    assert "no total (no final sheet counts) → 87.67 from 1 final sheets" in reasons.asked[2][1]
    assert not state.voided("main", "judge-ada", "team-aurora")
    assert column(sheet.table, 2)[:2] == ["Restored by the organiser", "Voided by the organiser"]
    assert demo_host.controller.board_rows()[0].total_score == 87.67


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(
    demo_host: DemoHost,
    window: HostWindow,
    peer: MakePeer,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scored(demo_host, peer, run, window)
    monkeypatch.setattr(ask, "reason", Reasons("   "))
    errors: list[str] = []
    demo_host.controller.error.connect(errors.append)
    open_sheet(window)
    window.desk.sheet.corrections["sheet.void"].click()
    assert errors == ["'reason' must not be empty"]
    assert not demo_host.controller.replica.state.voided("main", "judge-ada", "team-aurora")


def test_reopen_after_lock_lets_the_judge_save_once_then_relock_closes_it(
    demo_host: DemoHost,
    window: HostWindow,
    peer: MakePeer,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    judge = scored(demo_host, peer, run, window)
    host = demo_host.controller
    host.set_event("phase", "locked")
    reasons = Reasons("Ada typed 85 for 58", "Ada asked for another look", "Done")
    monkeypatch.setattr(ask, "reason", reasons)
    open_sheet(window)
    buttons = window.desk.sheet.corrections
    assert buttons["sheet.reopen"].isEnabled()
    assert not buttons["sheet.relock"].isEnabled()
    buttons["sheet.reopen"].click()
    assert "Aurora's total stays 87.67 from 1 final sheets until they save." in reasons.asked[0][1]
    run(until(lambda: judge.replica.state.reopened("main", "judge-ada", "team-aurora")))
    assert buttons["sheet.relock"].isEnabled()
    judge.save_sheet("judge-ada", "team-aurora", {**SCORES, "innovation": 58}, "", final=True)
    run(until(lambda: judge.replica.pending_count() == 0))
    settle(run, window)
    assert host.board_rows()[0].total_score == 78.67
    assert not host.replica.state.reopened("main", "judge-ada", "team-aurora")
    # Reopened again, then relocked by hand: the judge's next save is refused.
    window.open_sheet("judge-ada", "team-aurora")
    buttons["sheet.reopen"].click()
    buttons["sheet.relock"].click()
    assert column(window.desk.sheet.table, 2)[:2] == [
        "Relocked by the organiser",
        "Reopened for the judge",
    ]
    run(until(lambda: not judge.replica.state.reopened("main", "judge-ada", "team-aurora")))
    judge.save_sheet("judge-ada", "team-aurora", SCORES, "", final=True)
    run(until(lambda: judge.replica.pending_count() == 0))
    assert judge.replica.rejected("judge-ada")[-1].code == "scoring_closed"
    assert host.board_rows()[0].total_score == 78.67


def test_a_paper_sheet_is_checked_as_the_judge_s_is_and_marked_as_the_organiser_s(
    demo_host: DemoHost,
    window: HostWindow,
    run: Run,
    qtbot: QtBot,
    asked: list[str],
) -> None:
    host = demo_host.controller
    host.set_event("phase", "locked")
    window.open_team("team-aurora")
    window.open_sheet("judge-ada", "team-aurora")
    window.desk.sheet.corrections["sheet.enter"].click()
    dialog = window._paper
    assert isinstance(dialog, PaperSheetDialog)
    assert list(dialog.marks) == ["innovation", "design", "execution"]
    dialog.marks["innovation"].setText("150")
    dialog.marks["design"].setText("90")
    dialog.save_button.click()
    assert dialog.problem.text() == "Innovation takes 0–100, step 1; 150 is not one of them."
    dialog.marks["innovation"].setText("85")
    dialog.save_button.click()
    assert dialog.problem.text() == "Score every criterion before submitting: Execution."
    dialog.marks["execution"].setText("88")
    dialog.save_button.click()
    assert dialog.problem.text() == "Type the reason for entering this sheet."
    dialog.comment.setPlainText("Great demo (paper)")
    dialog.reason.setText("Ada's laptop died; her signed paper sheet")
    dialog.save_button.click()
    assert asked[-1].startswith("Enter this sheet as Ada Brennan's for Aurora")
    assert (
        "Aurora's total: no total (no final sheet counts) → 87.67 from 1 final sheets."
        in (asked[-1])
    )
    qtbot.waitUntil(lambda: not dialog.isVisible())
    sheet = host.replica.state.sheet("judge-ada", "team-aurora")
    assert sheet is not None
    assert (sheet["entered_by"], sheet["comment"]) == ("admin", "Great demo (paper)")
    assert host.board_rows()[0].total_score == 87.67
    page = window.desk.sheet
    assert column(page.table, 2)[0] == (
        "Entered from paper by the organiser · First saved as final"
    )
    assert (
        page.table.item(0, 3).text().startswith("Reason: Ada's laptop died; her signed paper sheet")
    )
    window.back()
    assert window.desk.team.table.item(1, 4 + 1).text() == "Final (paper)"
