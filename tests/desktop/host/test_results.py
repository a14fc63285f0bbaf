"""Tests for the Results page: every (round, prize) board, shared ranks, raw beside normalised."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from desktop.host.competition import RESULTS_MS
from desktop.host.window import HostWindow
from tests.desktop.conftest import DemoHost
from tests.desktop.host.conftest import MakePeer, Run, column, joined_judge, settle
from tests.kit import until


def _titles(window: HostWindow) -> list[str]:
    return [card.title.text() for card in window.results.cards if card.isVisibleTo(window)]


def test_every_board_is_shown_side_by_side_then_stacked(
    demo_host: DemoHost, window: HostWindow, run: Run, qtbot: QtBot
) -> None:
    window.show_page("Results")
    settle(run, window)
    assert _titles(window) == [
        "Round 1 · Overall",
        "Round 1 · Best use of AI",
        "Round 1 · Harbour Open Data Prize (by Port of Harbour Authority)",
        "Finals · Overall",
        "Finals · Best use of AI",
        "Finals · Harbour Open Data Prize (by Port of Harbour Authority)",
    ]
    assert window.results.columns == 2  # 1440 wide: two boards side by side
    window.results.round_choice.setCurrentIndex(window.results.round_choice.findData("finals"))
    assert [t.split(" · ")[0] for t in _titles(window)] == ["Finals"] * 3
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.results.columns == 1)  # narrow: stacked
    # The open-data prize ranks on its own criterion, and says so.
    window.results.round_choice.setCurrentIndex(0)
    open_data = window.results.cards[2]
    assert open_data.facts.text().startswith("On Use of open data.")


def test_shared_ranks_and_a_tie_break_show_as_such(
    demo_host: DemoHost, window: HostWindow, run: Run, peer: MakePeer, asked: list[str]
) -> None:
    ada = joined_judge(demo_host, peer, run)
    scores = {"innovation": 80, "design": 70, "execution": 60}
    for team in ("team-aurora", "team-cobalt"):
        ada.save_sheet("judge-ada", team, scores, "", final=True)
    run(until(lambda: ada.replica.pending_count() == 0))
    window.show_page("Results")
    settle(run, window)
    run(until(lambda: not window._results_timer.isActive(), timeout=5))
    main = window.results.cards[0]
    ranks = dict(zip(column(main.table, 1), column(main.table, 0), strict=True))
    assert ranks["Aurora"] == ranks["Cobalt Cats"] == "=1"
    assert main.table.horizontalHeaderItem(main.table.columnCount() - 1).text() == "Tie-break"
    assert "Equal totals stay shared" in main.facts.text()

    # Normalisation shown: raw and normalised side by side, each judge's harshness below.
    demo_host.controller.set_event("normalise", "shown")
    settle(run, window)
    run(until(lambda: not window._results_timer.isActive(), timeout=5))
    headers = [main.table.horizontalHeaderItem(i).text() for i in range(main.table.columnCount())]
    assert headers[2:4] == ["Raw", "Normalised"]
    assert "Raw totals rank" in main.facts.text()
    assert column(main.harshness, 0) == ["Ada Brennan"]
    assert column(main.harshness, 3) == ["2"]
    assert column(main.harshness, 4) == ["No: left as scored"]  # two equal sheets: no spread
    assert main.flag.isVisibleTo(window)


def test_the_boards_are_recomputed_at_most_once_per_pause_however_many_ops_arrive(
    demo_host: DemoHost, window: HostWindow, run: Run, monkeypatch: Any
) -> None:
    controller = demo_host.controller
    computed: list[int] = []
    real = controller.boards

    def counting() -> Any:
        computed.append(1)
        return real()

    monkeypatch.setattr(controller, "boards", counting)
    window.show_page("Results")
    settle(run, window)
    assert len(computed) == 1
    # A pause longer than the test, so that the count does not depend on the machine's speed.
    window._results_timer.setInterval(60_000)
    window._results_timer.start()
    for n in range(40):  # 40 ops, each reaching the window in its own loop turn
        controller.admin("team.put", {"id": "team-aurora", "name": f"Aurora {n}"})
        settle(run, window)
    assert len(computed) == 1
    assert "Aurora 39" not in column(window.results.cards[0].table, 1)
    window._results_timer.setInterval(RESULTS_MS)
    window._results_timer.start()  # the pause ends: one recomputation, of the latest state
    run(until(lambda: len(computed) > 1, timeout=5))
    assert len(computed) == 2
    assert "Aurora 39" in column(window.results.cards[0].table, 1)
