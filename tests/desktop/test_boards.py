"""Tests for desktop/boards.py: a board message's name and title, read once for every window."""

from __future__ import annotations

from desktop.boards import BoardLabel, board_label

AI = {"round": "main", "prize": "prize-ai"}
AI_TITLE = {"round_name": "Heats", "prize_name": "Best use of AI", "sponsor": "Acme"}


def test_the_main_board_goes_without_a_name_and_is_the_first_rounds() -> None:
    main = BoardLabel("main", None, named=False)
    assert board_label(None) == main
    assert board_label({"type": "leaderboard_update", "data": []}) == main
    assert board_label({"type": "board_withdrawn", "board": None}) == main


def test_a_named_board_is_its_round_and_prize_with_its_titles_names() -> None:
    message = {"type": "leaderboard_update", "board": AI, "title": AI_TITLE}
    assert board_label(message) == BoardLabel(
        "main", "prize-ai", True, "Heats", "Best use of AI", "Acme"
    )
    overall = {"board": {"round": "finals", "prize": None}, "title": {"round_name": "Finals"}}
    assert board_label(overall) == BoardLabel("finals", None, True, "Finals")
    assert board_label({"board": {"round": "finals"}}) == BoardLabel("finals", None, True)


def test_a_title_stands_in_only_for_a_message_that_came_without_one() -> None:
    known = {"round_name": "Heats", "prize_name": "AI (from the welcome)", "sponsor": ""}
    assert board_label({"board": AI}, known).prize_name == "AI (from the welcome)"
    assert board_label({"board": AI, "title": AI_TITLE}, known).prize_name == "Best use of AI"
    assert board_label(None, AI_TITLE) == BoardLabel(
        "main", None, False, "Heats", "Best use of AI", "Acme"
    )


def test_a_name_that_names_no_board_reads_as_the_main_board_and_titles_read_as_text() -> None:
    # sync.messages refuses such a frame (4400); a board kept from before must not break a window.
    for name in ("main", {"round": 1}, {"round": "main", "prize": 7}):
        assert board_label({"board": name}) == BoardLabel("main", None, named=False)
    odd = {"board": AI, "title": {"round_name": None, "prize_name": "", "sponsor": 0}}
    assert board_label(odd) == BoardLabel("main", "prize-ai", True)
