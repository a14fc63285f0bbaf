"""Tests for the desk in the console with a later round: the team page's sheets per round, a
finals sheet's history and its corrections, a prize's own criteria in the sheet table.

Driven through the widgets against a real demo host (its Finals round) and a real judge's
laptop linked to it over loopback, as tests/desktop/host/test_desk.py does for the first round.
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers import PeerController
from desktop.host import ask
from desktop.host.paper_sheet import PaperSheetDialog
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import MakePeer, Run, column, settle
from tests.desktop.host.test_desk import Reasons, double_click, press_enter, scored
from tests.kit import until

ADA, AURORA = "judge-ada", "team-aurora"
FINALS_SCORES = {"innovation": 60, "design": 70, "execution": 80}


def finals_scored(
    demo_host: DemoHost, peer: MakePeer, run: Run, window: HostWindow
) -> PeerController:
    """Ada's first-round sheet for Aurora, then Aurora a finalist and Ada's finals sheet."""
    judge = scored(demo_host, peer, run, window)
    host = demo_host.controller
    assert host.admin("finalist.put", {"round": "finals", "team": AURORA, "finalist": True}) is None
    assert host.admin("round.phase", {"round": "finals", "phase": "scoring"}) is None
    run(until(lambda: judge.replica.state.round_phase("finals") == "scoring"))
    assert (
        judge.save_sheet(ADA, AURORA, FINALS_SCORES, "Finals pitch", final=True, round_id="finals")
        is None
    )
    run(until(lambda: judge.replica.pending_count() == 0))
    assert host.replica.state.round_sheet("finals", ADA, AURORA) is not None
    settle(run, window)
    return judge


def test_the_team_page_lists_its_sheets_per_round_and_a_finals_row_opens_that_sheet(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run, qtbot: QtBot
) -> None:
    finals_scored(demo_host, peer, run, window)
    window.open_team(AURORA)
    team = window.desk.team
    table = team.table
    assert column(table, 0) == ["Round 1", "Ada Brennan", "Finals", "Ada Brennan"]
    for heading in (0, 2):
        assert table.columnSpan(heading, 0) == table.columnCount()
        assert table.item(heading, 0).font().bold()
    assert [table.item(3, c).text() for c in (1, 2, 3, 4, 5)] == [
        "60",
        "70",
        "80",
        "70.00",
        "Final",
    ]
    assert table.item(3, table.columnCount() - 1).text() == "Finals pitch"
    double_click(qtbot, table, 2)  # a heading opens nothing
    assert window.desk.currentWidget() is team
    double_click(qtbot, table, 3)
    sheet = window.desk.sheet
    assert window.desk.currentWidget() is sheet
    assert sheet.heading.text() == "Ada Brennan's sheet for Aurora · Finals"
    assert sheet.round == "finals"
    assert column(sheet.table, 2) == ["First saved as final"]
    assert "Innovation — → 60" in sheet.table.item(0, 3).text()
    # The judge's page lists the finals sheet under its round too, and opens the same sheet.
    sheet.open_judge.click()
    judge = window.desk.judge
    assert column(judge.table, 0) == ["Round 1", "Aurora", "Finals", "Aurora"]
    assert judge.facts[0].text() == "1 of 8 final · 0 drafts"  # the first round's count
    double_click(qtbot, judge.table, 1)
    assert sheet.heading.text() == "Ada Brennan's sheet for Aurora · Round 1"
    assert column(sheet.table, 2) == ["Draft → final", "First saved as draft"]


def test_a_finals_sheet_is_voided_and_restored_with_its_round_s_totals(
    demo_host: DemoHost,
    window: HostWindow,
    peer: MakePeer,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    judge = finals_scored(demo_host, peer, run, window)
    reasons = Reasons("A conflict came to light", "The conflict was a mix-up")
    monkeypatch.setattr(ask, "reason", reasons)
    window.open_team(AURORA)
    window.open_sheet(ADA, AURORA, "finals")
    sheet, host = window.desk.sheet, demo_host.controller
    state = host.replica.state
    sheet.corrections["sheet.void"].click()
    # The Finals board weighs in the first round's total (0.5): 0.5 * 87.67 + 0.5 * 70.
    assert "Aurora's total: 78.83 from 1 final sheets → " in reasons.asked[0][1]
    assert state.voided("finals", ADA, AURORA)
    assert not state.voided("main", ADA, AURORA)  # the first round's sheet is untouched
    assert column(sheet.table, 2)[0] == "Voided by the organiser"
    assert sheet.facts[0].text().startswith("VOID")
    assert sheet.corrections["sheet.restore"].isEnabled()
    assert not sheet.corrections["sheet.void"].isEnabled()
    run(until(lambda: judge.replica.state.voided("finals", ADA, AURORA)))
    window.back()
    table = window.desk.team.table
    assert not table.item(1, 0).font().strikeOut()
    assert table.item(3, 0).font().strikeOut()
    assert table.item(3, 5).text() == "Void · Final"
    assert host.board_rows()[0].total_score == 87.67  # the first round's board
    window.open_sheet(ADA, AURORA, "finals")
    sheet.corrections["sheet.restore"].click()
    assert "→ 78.83 from 1 final sheets" in reasons.asked[1][1]
    assert not state.voided("finals", ADA, AURORA)
    assert column(sheet.table, 2)[:2] == ["Restored by the organiser", "Voided by the organiser"]


def test_a_refused_finals_correction_shows_the_host_s_reason(
    demo_host: DemoHost,
    window: HostWindow,
    peer: MakePeer,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    finals_scored(demo_host, peer, run, window)
    monkeypatch.setattr(ask, "reason", Reasons("   "))
    errors: list[str] = []
    demo_host.controller.error.connect(errors.append)
    window.open_sheet(ADA, AURORA, "finals")
    window.desk.sheet.corrections["sheet.void"].click()
    assert errors == ["'reason' must not be empty"]
    assert not demo_host.controller.replica.state.voided("finals", ADA, AURORA)


def test_a_finals_sheet_reopened_after_its_round_locks_takes_one_save_then_relocks(
    demo_host: DemoHost,
    window: HostWindow,
    peer: MakePeer,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    judge = finals_scored(demo_host, peer, run, window)
    host = demo_host.controller
    assert host.admin("round.phase", {"round": "finals", "phase": "locked"}) is None
    reasons = Reasons("Ada typed 60 for 90", "Another look", "Done")
    monkeypatch.setattr(ask, "reason", reasons)
    window.open_sheet(ADA, AURORA, "finals")
    buttons = window.desk.sheet.corrections
    assert buttons["sheet.reopen"].isEnabled()
    assert not buttons["sheet.relock"].isEnabled()
    buttons["sheet.reopen"].click()
    assert host.replica.state.reopened("finals", ADA, AURORA)
    assert not host.replica.state.reopened("main", ADA, AURORA)
    assert buttons["sheet.relock"].isEnabled()
    run(until(lambda: judge.replica.state.reopened("finals", ADA, AURORA)))
    fixed = {**FINALS_SCORES, "innovation": 90}
    assert judge.save_sheet(ADA, AURORA, fixed, "", final=True, round_id="finals") is None
    run(until(lambda: judge.replica.pending_count() == 0))
    assert (host.replica.state.round_sheet("finals", ADA, AURORA) or {})["scores"] == fixed
    assert not host.replica.state.reopened("finals", ADA, AURORA)  # final: relocked by itself
    # Reopened again and relocked by hand: the judge's next save is refused.
    settle(run, window)
    window.open_sheet(ADA, AURORA, "finals")
    buttons["sheet.reopen"].click()
    buttons["sheet.relock"].click()
    assert column(window.desk.sheet.table, 2)[:2] == [
        "Relocked by the organiser",
        "Reopened for the judge",
    ]
    run(until(lambda: not judge.replica.state.reopened("finals", ADA, AURORA)))
    judge.save_sheet(ADA, AURORA, FINALS_SCORES, "", final=True, round_id="finals")
    run(until(lambda: judge.replica.pending_count() == 0))
    assert judge.replica.rejected(ADA)[-1].code == "scoring_closed"
    assert (host.replica.state.round_sheet("finals", ADA, AURORA) or {})["scores"] == fixed


def test_a_finals_paper_sheet_is_entered_in_that_round(
    demo_host: DemoHost,
    window: HostWindow,
    peer: MakePeer,
    run: Run,
    qtbot: QtBot,
    asked: list[str],
) -> None:
    finals_scored(demo_host, peer, run, window)
    host = demo_host.controller
    window.open_team(AURORA)
    window.open_sheet("judge-bao", AURORA, "finals")
    page = window.desk.sheet
    assert page.heading.text() == "Bao Nguyen's sheet for Aurora · Finals"
    assert not page.corrections["sheet.void"].isEnabled()  # no such sheet yet
    page.corrections["sheet.enter"].click()
    dialog = window._paper
    assert isinstance(dialog, PaperSheetDialog)
    assert dialog.windowTitle() == "Paper sheet of Bao Nguyen for Aurora · Finals"
    assert list(dialog.marks) == ["innovation", "design", "execution"]
    for cid, typed in (("innovation", "50"), ("design", "60"), ("execution", "70")):
        dialog.marks[cid].setText(typed)
    dialog.reason.setText("Bao's laptop died in the finals")
    dialog.save_button.click()
    # The finals' mean of Ada's 70 and Bao's 60, weighed half with the first round's 87.67.
    assert "Aurora's total: 78.83 from 1 final sheets → 76.33 from 2 final sheets." in asked[-1]
    qtbot.waitUntil(lambda: not dialog.isVisible())
    entered = host.replica.state.round_sheet("finals", "judge-bao", AURORA)
    assert entered is not None
    assert (entered["entered_by"], entered["scores"]["design"]) == ("admin", 60)
    assert host.replica.state.sheet("judge-bao", AURORA) is None  # not a first-round sheet
    assert column(page.table, 2)[0] == "Entered from paper by the organiser · First saved as final"
    window.back()
    table = window.desk.team.table
    assert column(table, 0) == ["Round 1", "Ada Brennan", "Finals", "Ada Brennan", "Bao Nguyen"]
    assert table.item(4, 5).text() == "Final (paper)"


def test_the_team_page_shows_a_prize_s_own_criteria_where_a_sheet_holds_them(
    demo_host: DemoHost, window: HostWindow, run: Run
) -> None:
    host = demo_host.controller
    body = {
        "judge": "judge-carmen",
        "team": "team-basalt",
        "scores": {"innovation": 70, "design": 80, "execution": 90, "open-data": 7},
        "comment": "",
        "final": True,
        "reason": "Carmen's paper sheet",
    }
    assert host.correct("sheet.enter", body) is None
    settle(run, window)
    window.open_team("team-basalt")
    table = window.desk.team.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:5] == ["Judge", "Innovation", "Design", "Execution", "Use of open data"]
    assert [table.item(1, c).text() for c in range(5)] == [
        "Carmen Ruiz",
        "70",
        "80",
        "90",
        "7",
    ]
    # A team no sheet of which holds a prize's criteria shows the round's only.
    window.open_team(AURORA)
    table = window.desk.team.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert "Use of open data" not in headers


def test_the_activity_page_files_a_finals_op_under_its_team_and_opens_its_sheet(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run, qtbot: QtBot
) -> None:
    finals_scored(demo_host, peer, run, window)
    host = demo_host.controller
    ref = {"judge": ADA, "team": AURORA, "round": "finals", "reason": "A conflict came to light"}
    assert host.correct("sheet.void", ref) is None
    settle(run, window)
    window.show_page("Activity")
    page = window.activity
    run(until(lambda: page.table.item(0, 2).text() == "Sheet voided"))
    assert page.table.item(0, 4).text() == "Aurora"
    assert page.table.item(1, 2).text() == "Sheet"  # Ada's finals sheet, under her and Aurora
    assert page.table.item(1, 4).text() == "Aurora"
    press_enter(qtbot, page.table, 0)
    assert window.desk.currentWidget() is window.desk.sheet
    assert window.desk.sheet.heading.text() == "Ada Brennan's sheet for Aurora · Finals"
