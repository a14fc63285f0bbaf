"""Tests for the Control page, driven through its widgets against a real demo host."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.host import ask
from desktop.host.control import ControlPage
from desktop.host.window import HostWindow
from storage.admin import team_progress
from storage.scoring import Row
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import MakePeer, Run, joined_judge, settle
from tests.kit import until


def test_phase_changes_ask_before_locking_and_show_in_the_header(
    demo_host: DemoHost,
    window: HostWindow,
    run: Run,
    asked: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    control = window.control
    window.show_page("Control")
    control.phase_buttons["locked"].click()
    assert asked[-1].startswith("Lock the event?")
    assert demo_host.replica.state.phase == "locked"
    settle(run, window)
    assert window.phase_pill.text() == "Locked"
    assert control.phase_buttons["locked"].isChecked()

    # Saying no leaves the phase, and the buttons, as they were.
    monkeypatch.setattr(ask, "confirm", lambda *_: False)
    control.phase_buttons["released"].click()
    assert demo_host.replica.state.phase == "locked"
    assert control.phase_buttons["locked"].isChecked()

    monkeypatch.setattr(ask, "confirm", lambda *_: True)
    control.phase_buttons["released"].click()
    assert demo_host.replica.state.phase == "released"
    control.judges_see.click()
    assert demo_host.replica.state.event()["judges_see_results"] is True


def test_display_control_reaches_a_display(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run
) -> None:
    judge = joined_judge(demo_host, peer, run)
    for team, marks in (("team-aurora", 90), ("team-basalt", 70), ("team-cobalt", 80)):
        scores = {"innovation": marks, "design": marks, "execution": marks}
        assert judge.save_sheet("judge-ada", team, scores, "", final=True) is None
    run(until(lambda: judge.replica.pending_count() == 0))
    display = peer("display", start=(demo_host, demo_host.code("display")))

    def board() -> dict[str, Any]:
        return display.last_board() or {}

    run(until(lambda: board().get("mode") == "live" and len(board()["data"]) == 8))
    control = window.control
    window.show_page("Control")

    control.display_buttons["progress"].click()
    run(until(lambda: board().get("mode") == "progress"))
    assert all("total_score" not in row for row in board()["data"])

    control.display_buttons["reveal"].click()
    run(until(lambda: board().get("mode") == "reveal"))
    assert board()["data"] == []
    settle(run, window)
    assert control.reveal_next.text() == "Reveal place 3"
    control.reveal_next.click()
    run(until(lambda: [r["team_name"] for r in board()["data"]] == ["Basalt Robotics"]))
    settle(run, window)
    control.reveal_next.click()
    run(until(lambda: len(board()["data"]) == 2))
    settle(run, window)
    assert control.reveal_status.text() == "2 of 3 places revealed."
    control.reveal_reset.click()
    run(until(lambda: board()["data"] == []))

    control.display_buttons["frozen"].click()
    run(until(lambda: board().get("mode") == "frozen"))
    settle(run, window)
    assert window.display_pill.text() == "Display: Frozen"


def test_export_and_backup_write_files(
    demo_host: DemoHost,
    window: HostWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "results.csv"
    suggested: list[str] = []

    def save_as(parent: QWidget, title: str, name: str, filters: str) -> Path:
        suggested.append(name)
        return target

    monkeypatch.setattr(ask, "save_path", save_as)
    window.control.export_csv.click()
    lines = target.read_text(encoding="utf-8").splitlines()
    assert suggested == ["harbour-hack-2026-results.csv"]
    assert lines[0].startswith("rank,team_id,team,location,total_score,judge_count")
    assert len(lines) == 1 + 8 + 4 + 4  # a row per team per board: the main board, two prizes
    assert str(target) in window.control.file_note.text()
    assert window.message.text() == "Exported to results.csv."

    target = tmp_path / "event.json"
    window.control.export_json.click()
    assert '"Harbour Hack 2026"' in target.read_text(encoding="utf-8")

    target = tmp_path / "backup.db"
    window.control.backup.click()
    with sqlite3.connect(target) as copy:
        count = copy.execute("SELECT count(*) FROM op").fetchone()[0]
    assert count == demo_host.replica.db.execute_sql("SELECT count(*) FROM op").fetchone()[0]
    assert "Backed up to" in window.control.file_note.text()


def test_the_page_asks_for_each_setting_as_an_intent(
    window: HostWindow, qtbot: QtBot, asked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    control = window.control
    window.show_page("Control")
    with qtbot.waitSignal(control.setting_requested) as signal:
        control.judges_see.click()
    assert signal.args == ["judges_see_results", True]
    control.name.setText("  Harbour Hack 2026 finals ")
    with qtbot.waitSignal(control.setting_requested) as signal:
        control.rename.click()
    assert signal.args == ["name", "Harbour Hack 2026 finals"]
    with qtbot.waitSignal(control.setting_requested) as signal:
        control.phase_buttons["locked"].click()
    assert signal.args == ["phase", "locked"]
    assert asked[-1].startswith("Lock the event?")
    # A question answered no asks for nothing.
    monkeypatch.setattr(ask, "confirm", lambda *_: False)
    with qtbot.assertNotEmitted(control.setting_requested, wait=50):
        control.phase_buttons["released"].click()
    assert control.phase_buttons["locked"].isChecked()


def test_the_page_shows_the_event_it_is_given_and_puts_back_a_cancelled_phase(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = ControlPage()
    qtbot.addWidget(page)
    event = {
        "name": "Harbour Hack",
        "phase": "scoring",
        "display_mode": "reveal",
        "judges_see_results": False,
        "reveal_count": 1,
    }
    board = [Row(1, "a", "A", 90.0, 1), Row(2, "b", "B", 80.0, 1), Row(3, "c", "C", 70.0, 1)]
    page.show_event(event, board)
    assert page.phase_buttons["scoring"].isChecked()
    assert page.reveal_next.text() == "Reveal place 2"
    assert page.reveal_status.text() == "1 of 3 places revealed."
    assert page.name.text() == "Harbour Hack"
    with qtbot.waitSignal(page.setting_requested) as signal:
        page.reveal_next.click()
    assert signal.args == ["reveal_count", 2]
    with qtbot.waitSignal(page.setting_requested) as signal:
        page.display_buttons["live"].click()
    assert signal.args == ["display_mode", "live"]
    monkeypatch.setattr(ask, "confirm", lambda *_: False)
    with qtbot.assertNotEmitted(page.setting_requested, wait=50):
        page.phase_buttons["locked"].click()
    assert page.phase_buttons["scoring"].isChecked()
    page.show_file_note("Exported CSV to /tmp/r.csv")
    assert page.file_note.text() == "Exported CSV to /tmp/r.csv"


def test_a_phase_change_is_confirmed_by_its_verb_and_said_in_a_sentence(
    window: HostWindow, demo_host: DemoHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10: the buttons said "Locked" / "Released", the line "The event is now in locked."."""
    actions: list[str] = []

    def yes(parent: object, title: str, text: str, action: str) -> bool:
        actions.append(action)
        return True

    monkeypatch.setattr(ask, "confirm", yes)
    window.show_page("Control")
    window.control.phase_buttons["locked"].click()
    assert window.message.text() == "Scoring is locked."
    window.control.phase_buttons["released"].click()
    assert window.message.text() == "The results are released."
    window.control.phase_buttons["scoring"].click()
    assert actions == ["Lock scoring", "Release results", "Open scoring"]
    assert window.message.text() == "Scoring is open."


def test_a_checked_segment_has_room_for_its_text_in_bold(qtbot: QtBot) -> None:
    """Issue 10: "Released", checked and so bold, was drawn "Releasec" (larger fonts, zoom)."""
    page = ControlPage()
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    qtbot.waitExposed(page)
    for points in (10, 16):
        font = QFont(page.font())
        font.setPointSize(points)
        page.setFont(font)
        for button in [*page.phase_buttons.values(), *page.display_buttons.values()]:
            button.setChecked(True)
            QApplication.processEvents()
            bold = QFont(button.font())
            bold.setWeight(QFont.Weight.Bold)
            option = QStyleOptionButton()
            button.initStyleOption(option)
            room = button.style().subElementRect(
                QStyle.SubElement.SE_PushButtonContents, option, button
            )
            needed = QFontMetrics(bold).horizontalAdvance(button.text())
            assert room.width() >= needed, (points, button.text())


def test_lock_and_release_say_what_they_freeze_and_publish(
    demo_host: DemoHost, window: HostWindow, peer: MakePeer, run: Run, asked: list[str]
) -> None:
    judge = joined_judge(demo_host, peer, run)
    for team, final in (("team-aurora", True), ("team-basalt", True), ("team-cobalt", False)):
        scores = {"innovation": 70, "design": 70, "execution": 70}
        assert judge.save_sheet("judge-ada", team, scores, "", final=final) is None
    run(until(lambda: judge.replica.pending_count() == 0))
    # What a later hello of the laptop records: two ops it holds and has not sent yet.
    device = judge.replica.device_id
    demo_host.replica.seen(device, 1, "127.0.0.2", pending=2)
    progress = demo_host.replica.state
    expected = sum(total for _, total in team_progress(progress).values())
    short = sum(1 for final, total in team_progress(progress).values() if final < total)
    window.show_page("Control")
    settle(run, window)
    window.refresh_devices()
    window.control.phase_buttons["locked"].click()
    assert demo_host.replica.state.phase == "locked"
    assert asked[-1].startswith("Lock the event?")
    assert asked[-1].endswith(
        f"2 of {expected} expected final sheets are in.\n"
        "1 draft is still outstanding: it will not count.\n"
        f"{short} teams have fewer final sheets than judges planned for them.\n"
        "1 device still holds work it has not sent."
    )
    settle(run, window)
    window.control.phase_buttons["released"].click()
    assert asked[-1].startswith("Release the results?")
    assert f"2 of {expected} expected final sheets are in." in asked[-1]


# --- the boards on the displays and the ceremony (docs/protocol.md 4e, issue 11) ---------------


def _setting(demo_host: DemoHost, field: str) -> Any:
    return demo_host.replica.state.event_setting(field)


def _items(control: ControlPage) -> list[tuple[str, bool]]:
    box = control.boards_list
    return [
        (box.item(i).text(), box.item(i).checkState() == Qt.CheckState.Checked)
        for i in range(box.count())
    ]


def _tick(control: ControlPage, text: str) -> None:
    box = control.boards_list
    item = next(box.item(i) for i in range(box.count()) if box.item(i).text() == text)
    item.setCheckState(
        Qt.CheckState.Unchecked
        if item.checkState() == Qt.CheckState.Checked
        else Qt.CheckState.Checked
    )


AI_BOARD = {"round": "main", "prize": "prize-ai"}
DATA_BOARD = {"round": "main", "prize": "prize-open-data"}


def test_the_organiser_picks_the_boards_the_displays_show_and_their_order(
    demo_host: DemoHost, window: HostWindow, run: Run
) -> None:
    control = window.control
    window.show_page("Control")
    settle(run, window)
    assert _items(control) == [
        ("Round 1 · Overall", True),
        ("Round 1 · Best use of AI", False),
        ("Round 1 · Harbour Open Data Prize (by Port of Harbour Authority)", False),
        ("Finals · Overall", False),
        ("Finals · Best use of AI", False),
        ("Finals · Harbour Open Data Prize (by Port of Harbour Authority)", False),
    ]
    assert control.displays_now.text() == "The displays show Round 1 · Overall."
    _tick(control, "Round 1 · Best use of AI")
    assert _setting(demo_host, "display_boards") == [{"round": "main", "prize": None}, AI_BOARD]
    settle(run, window)
    # Move the prize first: the displays show it first.
    control.boards_list.setCurrentRow(1)
    control.board_up.click()
    assert _setting(demo_host, "display_boards") == [AI_BOARD, {"round": "main", "prize": None}]
    settle(run, window)
    assert [t for t, on in _items(control) if on] == [
        "Round 1 · Best use of AI",
        "Round 1 · Overall",
    ]
    control.rotate.setValue(45)
    control.rotate.editingFinished.emit()
    assert _setting(demo_host, "display_rotate") == 45
    settle(run, window)
    assert control.displays_now.text() == (
        "The displays turn through Round 1 · Best use of AI, Round 1 · Overall, 45 s each."
    )
    # Unticking all but the main board goes back to the default: the main board only.
    _tick(control, "Round 1 · Best use of AI")
    assert _setting(demo_host, "display_boards") == []
    settle(run, window)
    _tick(control, "Round 1 · Overall")
    assert _setting(demo_host, "display_boards") == []
    settle(run, window)
    assert ("Round 1 · Overall", True) in _items(control)


def test_a_hidden_prize_is_never_offered_to_the_displays(
    demo_host: DemoHost, window: HostWindow, run: Run
) -> None:
    prize = demo_host.replica.state.prize("prize-ai")
    assert prize is not None
    demo_host.server.admin("prize.put", {**prize, "hidden": True})
    window.show_page("Control")
    settle(run, window)
    texts = [text for text, _ in _items(window.control)]
    assert texts
    assert not any("Best use of AI" in text for text in texts)
    combo = window.control.stage
    assert not any("Best use of AI" in combo.itemText(i) for i in range(combo.count()))


def test_the_ceremony_runs_prize_by_prize_on_the_board_on_stage(
    demo_host: DemoHost,
    window: HostWindow,
    peer: MakePeer,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    judge = joined_judge(demo_host, peer, run)
    for team, marks in (("team-aurora", 90), ("team-basalt", 70), ("team-cobalt", 80)):
        scores = {"innovation": marks, "design": marks, "execution": marks}
        assert judge.save_sheet("judge-ada", team, scores, "", final=True) is None
    run(until(lambda: judge.replica.pending_count() == 0))
    control = window.control
    window.show_page("Control")
    control.display_buttons["reveal"].click()
    settle(run, window)
    assert control.reveal_next.text() == "Reveal place 3"  # the main board: 3 teams scored
    control.reveal_next.click()
    settle(run, window)
    assert _setting(demo_host, "reveal_count") == 1

    # Every setting the page asks for, in order, on its way to the host.
    sent: list[tuple[str, object]] = []
    real = demo_host.controller.set_event

    def record(field: str, value: object) -> Any:
        sent.append((field, value))
        return real(field, value)

    monkeypatch.setattr(demo_host.controller, "set_event", record)
    stage = [control.stage.itemText(i) for i in range(control.stage.count())]
    control.stage.activated.emit(stage.index("Round 1 · Best use of AI"))
    assert sent == [("reveal_count", 0), ("reveal_board", AI_BOARD)]
    settle(run, window)
    # The count is on the AI board's rows: Aurora and Cobalt carry it, Basalt does not.
    assert control.reveal_next.text() == "Reveal place 2"
    assert control.displays_now.text() == (
        "The displays show Round 1 · Best use of AI, from last place up."
    )
    assert control.reveal_status.text() == "Nothing revealed yet; 2 places to go."
    control.reveal_next.click()
    settle(run, window)
    assert control.reveal_status.text() == "1 of 2 places revealed."
    sent.clear()
    control.next_prize.click()
    assert sent == [("reveal_count", 0), ("reveal_board", DATA_BOARD)]
    settle(run, window)
    assert _setting(demo_host, "reveal_board") == DATA_BOARD
    assert control.stage.currentText().startswith("Round 1 · Harbour Open Data Prize")
    assert control.reveal_status.text() == "No team has a final score yet: nothing to reveal."


def test_a_refused_first_setting_sends_no_second_and_says_why(
    demo_host: DemoHost, window: HostWindow, run: Run
) -> None:
    window.set_events([("reveal_count", -1), ("reveal_board", AI_BOARD)])
    assert _setting(demo_host, "reveal_board") is None
    assert window.error_label.text().startswith("Refused: reveal_count must be a whole number")


def test_a_board_dragged_to_another_place_is_shown_in_that_order(
    demo_host: DemoHost, window: HostWindow, run: Run, qtbot: QtBot
) -> None:
    control = window.control
    window.show_page("Control")
    settle(run, window)
    _tick(control, "Round 1 · Best use of AI")
    settle(run, window)
    # What a drop does to the list's model (InternalMove): the row moves, then rowsMoved.
    model = control.boards_list.model()
    assert model.moveRow(QModelIndex(), 1, QModelIndex(), 0)
    qtbot.waitUntil(lambda: _setting(demo_host, "display_boards")[0] == AI_BOARD)
    assert _setting(demo_host, "display_boards") == [AI_BOARD, {"round": "main", "prize": None}]
