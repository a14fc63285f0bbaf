"""The translation: Spanish windows show no English in their labels; English is the fallback."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QTabBar,
    QTableView,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

import resources
from desktop import i18n, theme
from desktop.controllers import PeerController
from desktop.display import DisplayWindow
from desktop.host.sheet_page import SheetPage
from desktop.host.window import HostWindow
from desktop.judge.team_list import badges, prizes_text
from desktop.judge.window import JudgeWindow
from desktop.team import TeamWindow
from storage import boards
from sync.messages import LeaderboardUpdate
from tests.desktop.conftest import DemoHost, feed
from tests.desktop.test_team import AI, MAIN, _board, _sheet, _welcome
from tests.kit import FakeClock, until

# Words the app's English uses (lower case), none of them Spanish: any left means a string
# that missed the translation. ("Control", "Total" and "no" are Spanish too, so not listed.)
PAGE_WIDTH = 1144  # a page of the console at its first size, 1340 wide, beside the navigation
ENGLISH = {
    "save", "submit", "team", "teams", "judge", "judges", "score", "scores", "scored",
    "connect", "connected", "connecting", "codes", "code", "devices", "device", "setup",
    "overview", "leaderboard", "live", "locked", "released", "help", "view",
    "file", "quit", "close", "open", "cancel", "criteria", "criterion", "assignments",
    "waiting", "offline", "online", "rank", "sheet", "sheets", "draft", "search", "the",
    "and", "of", "to", "your", "with", "is", "not", "for", "this", "yes", "host",
    "display", "about", "zoom", "dark", "light", "theme", "shortcuts", "keyboard", "results",
    "comment", "comments", "notifications", "event", "phase", "join", "pair", "paired",
    "unsaved", "saved", "sent", "pending", "start", "stop", "lock", "unlock", "release",
    "address", "certificate", "serving", "sync", "round",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]+")


def _proper_nouns() -> list[str]:
    """Return the demo event's own texts (names, descriptions): data, never translated."""
    found: list[str] = ["Tallyboard"]

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(resources.path("demo_event.json").read_text(encoding="utf-8")))
    return sorted(set(found), key=len, reverse=True)  # longest first: "Harbour Hack 2026"


PROPER = _proper_nouns()


def texts(window: QWidget) -> list[str]:
    """Return every user-visible text of a window: labels, buttons, actions, titles, headers."""
    found = [window.windowTitle(), window.accessibleName()]
    for widget in [window, *window.findChildren(QWidget)]:
        found.append(widget.accessibleName())
        if isinstance(widget, (QLabel, QAbstractButton)):
            found.append(widget.text())
        elif isinstance(widget, QGroupBox):
            found.append(widget.title())
        elif isinstance(widget, QTabBar):
            found += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QListWidget):
            found += [widget.item(i).text() for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            found += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            found += _headers(widget)
    for action in window.findChildren(QAction):
        found.append(action.text())
    return [text for text in found if text]


def _headers(view: QAbstractItemView) -> list[str]:
    if not isinstance(view, (QTableView, QTreeView)):
        return []
    model = view.model()
    role = Qt.ItemDataRole.DisplayRole
    across = Qt.Orientation.Horizontal
    count = model.columnCount(QModelIndex())
    return [str(model.headerData(i, across, role) or "") for i in range(count)]


def english_left_text(text: str) -> bool:
    """Tell whether a text still holds an English word (proper nouns aside)."""
    bare = text
    for noun in PROPER:
        bare = bare.replace(noun, " ")
    return any(word.lower() in ENGLISH for word in WORD.findall(bare))


def english_left(window: QWidget) -> list[str]:
    """Return the texts of `window` that still hold an English word (proper nouns aside)."""
    return sorted({text for text in texts(window) if english_left_text(text)})


@pytest.fixture
def spanish(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    """Run the test in Spanish (the .qm built into the test's own folder)."""
    assert i18n.install(qapp, "es", cache=tmp_path / "qm") == "es"
    try:
        yield
    finally:
        i18n.remove(qapp)


def _judge(demo_host: DemoHost, peer: Any, qtbot: QtBot, tmp_path: Path) -> JudgeWindow:
    controller = peer("judge", start=(demo_host, demo_host.code("judge", "judge-ada")))
    window = JudgeWindow(controller, QSettings(str(tmp_path / "j.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: len(window.team_model.rows) == 8, timeout=10_000)
    return window


def test_the_spanish_judge_window_shows_no_english(
    spanish: None, demo_host: DemoHost, peer: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _judge(demo_host, peer, qtbot, tmp_path)
    left = english_left(window)
    assert left == [], "\n".join(left)
    window._refresh_timer.stop()


def test_the_spanish_judge_window_says_prizes_rounds_and_updates_in_spanish(
    spanish: None, demo_host: DemoHost, peer: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    controller = peer("judge", start=(demo_host, demo_host.code("judge", "judge-carmen")))
    window = JudgeWindow(controller, QSettings(str(tmp_path / "j.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: len(window.team_model.rows) == 8, timeout=10_000)
    scores = {"innovation": 7, "design": 8, "execution": 9, "open-data": 6}
    assert controller.save_sheet("judge-carmen", "team-ember", scores, "", final=True) is None
    qtbot.waitUntil(lambda: controller.replica.pending_count() == 0, timeout=10_000)
    added = {"id": "pitch", "name": "Pitch", "weight": 1, "min": 0, "max": 10, "step": 1}
    assert demo_host.controller.admin("criterion.put", {**added, "order": 9}) is None
    qtbot.waitUntil(window.updates_banner.isVisible, timeout=10_000)
    window.updates_banner.show_button.click()  # opens Ember Labs, its groups and the notice
    assert window.editor.title.text() == "Ember Labs"
    row = window.snap.row("team-ember")
    assert row is not None
    painted = [text for _, text in badges(row)] + [prizes_text(row)]
    left = english_left(window) + [t for t in painted if english_left_text(t)]
    assert left == [], "\n".join(left)
    assert window.updates_banner.text.text() == ("1 hoja necesita actualizarse: se añadió Pitch")
    window._refresh_timer.stop()


def test_the_spanish_team_and_display_windows_show_no_english(
    spanish: None, demo_host: DemoHost, peer: Callable[..., PeerController], qtbot: QtBot
) -> None:
    team = TeamWindow(peer("team", start=(demo_host, demo_host.code("team", "team-aurora"))))
    display = DisplayWindow(peer("display", start=(demo_host, demo_host.code("display"))))
    for window in (team, display):
        qtbot.addWidget(window)
        window.show()
    qtbot.waitUntil(lambda: display.board is not None, timeout=10_000)
    qtbot.waitUntil(lambda: team.controller.status.state == "online", timeout=10_000)
    left = english_left(team) + english_left(display)
    assert left == [], "\n".join(left)


def test_unpaired_spanish_peer_windows_show_no_english(
    spanish: None, peer: Callable[..., PeerController], qtbot: QtBot, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "u.ini"), QSettings.Format.IniFormat)
    windows: list[QMainWindow] = [
        JudgeWindow(peer("j"), settings),
        TeamWindow(peer("t")),
        DisplayWindow(peer("d")),
    ]
    for window in windows:
        qtbot.addWidget(window)
        window.show()
        left = english_left(window)
        assert left == [], "\n".join(left)
    judge = windows[0]
    assert isinstance(judge, JudgeWindow)
    judge._refresh_timer.stop()


def test_the_spanish_console_shows_no_english_on_any_tab(
    spanish: None, demo_host: DemoHost, qtbot: QtBot, tmp_path: Path, run: Callable[..., Any]
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = HostWindow(demo_host.controller, settings, now=FakeClock(1_773_480_600_000).seconds)
    qtbot.addWidget(window)
    window.resize(1340, 720)
    window.show()
    run(until(lambda: True))
    left = english_left(window)
    assert left == [], "\n".join(left)


def test_english_and_unknown_languages_run_in_english(qapp: QApplication, tmp_path: Path) -> None:
    assert i18n.choose("en") == "en"
    assert i18n.choose("xx") == "en"
    assert i18n.choose("es_ES") == "es"
    assert i18n.install(qapp, i18n.choose("xx"), cache=tmp_path) == "en"
    assert QCoreApplication.translate("JudgeWindow", "Save") == "Save"


def test_the_language_comes_from_the_environment_when_not_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(i18n.ENV, "es")
    assert i18n.choose(None) == "es"
    assert i18n.choose("en") == "en"


def test_spanish_that_cannot_be_built_starts_in_english_with_one_warning(
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = tmp_path / "i18n"
    broken.mkdir()
    (broken / "tallyboard_es.ts").write_text("<TS><context>not a translation", encoding="utf-8")
    monkeypatch.setattr(i18n, "FOLDER", broken)  # a .ts that lrelease cannot read
    with caplog.at_level(logging.WARNING, logger="tallyboard.desktop"):
        assert i18n.install(qapp, "es", cache=tmp_path / "qm") == "en"
    assert len(caplog.records) == 1
    assert "English" in caplog.records[0].getMessage()
    assert not (tmp_path / "qm" / "tallyboard_es.qm").exists()


def test_a_stale_qm_is_rebuilt_from_a_newer_ts(qapp: QApplication, tmp_path: Path) -> None:
    cache = tmp_path / "qm"
    built = i18n.qm_file("es", cache)
    old = built.stat().st_mtime - 3600
    os.utime(built, (old, old))


def test_every_window_command_takes_lang() -> None:
    from main import build_parser  # noqa: PLC0415  (main.py is a script at the root)

    parser = build_parser()
    for argv in (["judge"], ["team"], ["display"], ["host"], ["demo"]):
        assert parser.parse_args([*argv, "--lang", "es"]).lang == "es"
        assert parser.parse_args(argv).lang is None  # then $TALLYBOARD_LANG, else the system's


def test_the_spanish_desk_pages_show_no_english(
    spanish: None,
    demo_host: DemoHost,
    peer: Callable[..., PeerController],
    qtbot: QtBot,
    tmp_path: Path,
    run: Callable[..., Any],
) -> None:
    judge = peer("judge", start=(demo_host, demo_host.code("judge", "judge-ada")))
    run(until(lambda: judge.link is not None and judge.link.synced))
    scores = {"innovation": 7, "design": 8, "execution": 9}
    judge.save_sheet("judge-ada", "team-aurora", {"innovation": 5}, "", final=False)
    judge.save_sheet("judge-ada", "team-aurora", scores, "", final=True)
    run(until(lambda: judge.replica.pending_count() == 0))
    # Corrections too (issue 12): the history's lines, the void sheet's state, the buttons.
    ref = {"judge": "judge-ada", "team": "team-aurora"}
    demo_host.controller.correct("sheet.void", {**ref, "reason": "conflicto de intereses"})
    paper = {**ref, "scores": scores, "comment": "", "final": True, "reason": "hoja firmada"}
    demo_host.controller.correct("sheet.enter", paper)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = HostWindow(demo_host.controller, settings, now=FakeClock(1_773_480_600_000).seconds)
    qtbot.addWidget(window)
    window.resize(1340, 720)
    window.show()
    window.nav.setCurrentRow(window.pages.index(window.activity))
    for opening in (
        lambda: window.open_team("team-aurora"),
        lambda: window.open_judge("judge-ada"),
        lambda: window.open_sheet("judge-ada", "team-aurora"),
    ):
        opening()
    left = english_left(window)
    assert left == [], "\n".join(left)


def test_the_spanish_results_prizes_and_rounds_show_no_english(
    spanish: None,
    demo_host: DemoHost,
    peer: Callable[..., PeerController],
    qtbot: QtBot,
    tmp_path: Path,
    run: Callable[..., Any],
) -> None:
    judge = peer("judge", start=(demo_host, demo_host.code("judge", "judge-ada")))
    run(until(lambda: judge.link is not None and judge.link.synced))
    for team in ("team-aurora", "team-cobalt"):
        judge.save_sheet(
            "judge-ada", team, {"innovation": 7, "design": 8, "execution": 9}, "", final=True
        )
    run(until(lambda: judge.replica.pending_count() == 0))
    demo_host.controller.set_event("normalise", "ranks")
    demo_host.controller.set_event("tie_break", ["#sheets", "design"])
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = HostWindow(demo_host.controller, settings, now=FakeClock(1_773_480_600_000).seconds)
    qtbot.addWidget(window)
    window.resize(1340, 720)
    window.show()
    window.nav.setCurrentRow(window.pages.index(window.results))
    run(until(lambda: bool(window.results.cards)))
    window.nav.setCurrentRow(window.pages.index(window.setup))
    window.setup.rounds.table.selectRow(0)
    window.setup.prizes.table.selectRow(0)
    left = english_left(window)
    for tab in (window.setup.prizes, window.setup.rounds):
        tab.add.click()
        assert tab.form is not None
        left += english_left(tab.form)
        tab.form.reject()
    finalists = window.open_finalists("finals")
    assert finalists is not None
    left += english_left(finalists)
    finalists.reject()
    assert left == [], "\n".join(left)


def test_the_spanish_sheet_page_shows_each_correction_whole(
    spanish: None, qapp: QApplication, qtbot: QtBot
) -> None:
    # In one row with the page links, "Introducir hoja en papel…" ran off the console's first
    # size (1340 wide, the page 1,144 beside the navigation) under the console's style sheet.
    sheet = qapp.styleSheet()
    qapp.setStyleSheet(theme.style_sheet(False))
    try:
        page = SheetPage()
        qtbot.addWidget(page)
        page.resize(PAGE_WIDTH, 600)
        page.show()
        qapp.processEvents()
        for button in page.corrections.values():
            right = button.mapTo(page, QPoint(button.width(), 0)).x()
            assert right <= PAGE_WIDTH, button.text()
            assert button.width() >= button.sizeHint().width(), button.text()
    finally:
        qapp.setStyleSheet(sheet)


def test_the_spanish_team_window_says_prizes_places_and_rounds_in_spanish(
    spanish: None, peer: Callable[..., PeerController], qtbot: QtBot
) -> None:
    prizes = [
        {"id": "prize-ai", "name": "Best use of AI", "sponsor": ""},
        {"id": "prize-open-data", "name": "Harbour Open Data Prize",
         "sponsor": "Port of Harbour Authority"},
    ]  # fmt: skip
    rounds = [
        {"id": "main", "name": "Round 1", "phase": "released"},  # never named: the default
        {"id": "finals", "name": "Finals", "phase": "released"},
    ]
    window = TeamWindow(peer("team"))
    qtbot.addWidget(window)
    window.show()
    feed(
        window.controller,
        _welcome("released", rounds, prizes),
        _board(MAIN),
        _board(AI, prize="prize-ai", names=("Round 1", "Best use of AI", "")),
        _board(MAIN[:2], "finals", names=("Finals", None, "")),
        _sheet("m1", {"innovation": 80, "design": 90}),
        _sheet("f1", {"innovation": 95, "design": 91}, "finals"),
    )
    qtbot.waitUntil(lambda: len(window.score_rows) == 2)
    assert [h.text() for h in window.place_headings] == ["Ronda 1", "Finals"]
    assert [h.text() for h in window.sheet_headings] == ["Ronda 1", "Finals"]
    assert window.results_title.text() == "Sus resultados · Ronda 1"
    assert [value.text() for _, value in window.place_rows] == [
        "=3.º de 4, 80.00",
        "—",
        "2.º de 2, 84.20",
    ]
    left = english_left(window)
    assert left == [], "\n".join(left)


def test_the_spanish_judge_board_picker_and_rounds_say_the_first_round_in_spanish(
    spanish: None, demo_host: DemoHost, peer: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _judge(demo_host, peer, qtbot, tmp_path)
    demo_host.server.admin("event.set", {"field": "judges_see_results", "value": True})
    qtbot.waitUntil(lambda: window.tabs.isTabVisible(window._board_tab), timeout=10_000)
    window.tabs.setCurrentIndex(window._board_tab)
    # The host sends a judge who may see results every board of the event (4e).
    picker = window.leaderboard.picker
    every = boards.boards(demo_host.replica.state)
    qtbot.waitUntil(lambda: picker.count() == len(every), timeout=10_000)
    assert picker.isVisible()
    titles = [picker.itemText(i) for i in range(picker.count())]
    assert titles[0] == "Ronda 1 · General"
    assert "Ronda 1 · Harbour Open Data Prize (Port of Harbour Authority)" in titles
    assert "Finals · General" in titles
    assert [r.name for r in window.snap.rounds][:1] == ["Ronda 1"]
    left = english_left(window)
    assert left == [], "\n".join(left)
    window._refresh_timer.stop()


def test_the_first_rounds_default_name_is_shown_in_the_windows_language(
    qapp: QApplication, tmp_path: Path
) -> None:
    assert i18n.round_name("Round 1") == "Round 1"
    assert i18n.install(qapp, "es", cache=tmp_path / "qm") == "es"
    try:
        assert i18n.round_name("Round 1") == "Ronda 1"
        assert i18n.round_name("") == "Ronda 1"  # a peer of a host that names no round
        assert i18n.round_name("Heats") == "Heats"  # the organiser's own name, as typed
        assert i18n.round_name("Round 1", "finals") == "Round 1"  # a later round's, typed
    finally:
        i18n.remove(qapp)


def test_the_spanish_console_shows_the_default_round_name_in_spanish_and_saves_it_as_data(
    spanish: None, demo_host: DemoHost, qtbot: QtBot, tmp_path: Path, run: Callable[..., Any]
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = HostWindow(demo_host.controller, settings, now=FakeClock(1_773_480_600_000).seconds)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(window.pages.index(window.setup))
    window.setup.tabs.setCurrentWidget(window.setup.rounds)
    rounds = window.setup.rounds
    run(until(lambda: rounds.round_name.text() != ""))
    assert rounds.round_name.text() == "Ronda 1"
    # Saving the first round unchanged writes no name: the event keeps the stored default.
    assert rounds.first_round_values()["round_name"] == "Round 1"
    window.nav.setCurrentRow(window.pages.index(window.results))
    run(until(lambda: bool(window.results.cards)))
    titles = [card.title.text() for card in window.results.cards]
    assert titles[0].startswith("Ronda 1 · ")
    demo_host.controller.set_event("round_name", "Eliminatorias")
    window.nav.setCurrentRow(window.pages.index(window.setup))
    run(until(lambda: rounds.round_name.text() == "Eliminatorias"))
    assert rounds.first_round_values()["round_name"] == "Eliminatorias"


def test_the_spanish_display_names_a_prize_and_its_ceremony_in_spanish(
    spanish: None, peer: Callable[..., PeerController], qtbot: QtBot
) -> None:
    display = DisplayWindow(peer("prize-display"))
    qtbot.addWidget(display)
    display.show()
    name = {"round": "main", "prize": "prize-open-data"}
    title = {
        "round_name": "Round 1",
        "prize_name": "Harbour Open Data Prize",
        "sponsor": "Port of Harbour Authority",
    }
    row = {"rank": 2, "team_id": "t", "team_name": "Aurora", "total_score": 80.0, "judge_count": 2}
    board = LeaderboardUpdate(1, "reveal", (row,), "", "locked", name, title).to_wire()
    control = {"type": "display_control", "boards": [None, name], "rotate": 20, "mode": "reveal"}
    display.controller.named_board_changed.emit(board)
    display.controller.display_control_changed.emit(control)
    assert display.current == ("main", "prize-open-data")
    assert display.subtitle.text().startswith("Patrocinado por Port of Harbour Authority · ")
    left = english_left(display)
    assert left == [], "\n".join(left)


def test_no_text_is_translated_twice_in_one_context() -> None:
    """Two entries for one text in one context leave Qt to pick one: each text is listed once."""
    seen: dict[tuple[str, str], int] = {}
    for ts in sorted(i18n.FOLDER.glob("tallyboard_*.ts")):
        seen.clear()
        for context in ElementTree.parse(ts).getroot().iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                key = (name, message.findtext("source") or "")
                seen[key] = seen.get(key, 0) + 1
        twice = sorted(key for key, n in seen.items() if n > 1)
        assert twice == [], f"{ts.name}: {twice}"
