"""Tests for the desk's view values: plain values in, the texts the console shows out."""

from __future__ import annotations

from dataclasses import replace

from desktop import desk_model as desk
from storage.history import (
    Activity,
    Change,
    Harshness,
    JudgeView,
    Refusal,
    SheetHistory,
    SheetLine,
    TeamView,
    Version,
)
from storage.ops import KINDS

CRITERIA = [{"id": "a", "name": "Innovation"}, {"id": "b", "name": "Design"}]
MS = 1_773_480_600_000
STAMP = f"{MS:013d}.0000.dev"


def line(judge: str = "j1", *, final: bool = True, counts: bool = True) -> SheetLine:
    return SheetLine(
        judge, "Ada", "t1", "Aurora", {"a": 7.5}, 75.0, "Good\nwork", final, STAMP, counts
    )


def test_a_sheet_table_has_a_column_per_criterion_and_a_dash_for_what_is_not_scored() -> None:
    table = desk.sheet_table([line()], CRITERIA, "judge")
    assert table.headers == ["Judge", "Innovation", "Design", "Score", "State", "Saved", "Comment"]
    (row,) = table.rows
    assert row.cells[:5] == ["Ada", "7.5", "—", "75.00", "Final"]
    assert row.cells[5] == desk.clock_text(MS)
    assert row.cells[6] == "Good work"
    assert desk.sheet_table([line()], CRITERIA, "team").rows[0].cells[0] == "Aurora"


def test_a_sheet_table_heads_each_round_s_sheets_with_its_name_when_they_name_it() -> None:
    first = replace(line(), round_name="Round 1")
    finals = [
        replace(line(j), round="fin", round_name="Finals", voided=v)
        for j, v in (("j1", False), ("j2", True))
    ]
    table = desk.sheet_table([first, *finals], CRITERIA, "judge")
    assert [(r.heading, r.cells[0], r.round) for r in table.rows] == [
        (True, "Round 1", "main"),
        (False, "Ada", "main"),
        (True, "Finals", "fin"),
        (False, "Ada", "fin"),
        (False, "Ada", "fin"),
    ]
    assert [r.voided for r in table.rows if not r.heading] == [False, False, True]
    assert [r.cells[4] for r in table.rows if not r.heading][2] == "Void · Final"
    # A one-round event's sheets name no round: no heading.
    assert not any(r.heading for r in desk.sheet_table([line()], CRITERIA, "judge").rows)


def test_a_team_page_says_where_the_team_stands() -> None:
    view = TeamView("t1", "Aurora", "T3", ("Ana", "Ben"), 2, 81.5, 3, 8, 4, (line(),))
    page = desk.team_page_view(view, CRITERIA)
    assert page.standing == "Rank 2 of 8 · total 81.50 · 3 of 4 final"
    assert page.facts == "T3 · Ana, Ben"
    unranked = TeamView("t1", "Aurora", "", (), None, None, 0, 8, 4, ())
    assert desk.team_page_view(unranked, CRITERIA).standing.startswith("Not ranked yet")


def test_a_judge_page_says_how_far_it_has_got_and_how_it_marks() -> None:
    view = JudgeView(
        "j1", "Ada", 3, 1, 8, Harshness(3, 71.234, 4.5), (("d1", "Ada's laptop"),), (line(),)
    )
    page = desk.judge_page_view(view, CRITERIA)
    assert page.progress == "3 of 8 final · 1 drafts"
    assert page.harshness == "Marks: mean 71.23, spread 4.50 over 3 final sheets (0–100)"
    assert page.devices == "Laptops: Ada's laptop"
    none = JudgeView("j1", "Ada", 0, 0, 8, Harshness(0, None, None), (), ())
    assert desk.judge_page_view(none, CRITERIA).devices == "Laptops: No laptop paired"


def version(op: str, final: bool, was: bool | None, *changes: Change, comment: str = "") -> Version:
    return Version(
        op, "dev", "Ada's laptop", STAMP, {}, comment, final, changes, bool(comment), was
    )


def test_a_history_reads_newest_first_with_each_change_and_refusal() -> None:
    found = SheetHistory(
        "j1",
        "t1",
        (
            version("d/1", False, None, Change("a", None, 5)),
            version("d/3", True, False, Change("a", 5, 7), comment="Nice"),
        ),
        (Refusal("d/2", "dev", "Ada's laptop", STAMP, "out_of_range", "too high", {}),),
    )
    view = desk.history_view(found, "Ada", "Aurora", CRITERIA)
    assert view.title == "Ada's sheet for Aurora"
    assert [(x.what, x.refused) for x in view.lines] == [
        ("Draft → final", False),
        ("Refused (out_of_range)", True),
        ("First saved as draft", False),
    ]
    assert view.lines[0].detail == "Innovation 5 → 7; comment changed · “Nice”"
    assert view.lines[1].detail == "too high"
    assert view.standing.endswith("2 versions, 1 refused")


def test_a_history_of_one_version_says_version_in_the_singular() -> None:
    found = SheetHistory("j1", "t1", (version("d/1", True, None, Change("a", None, 5)),), ())
    view = desk.history_view(found, "Ada", "Aurora", CRITERIA)
    assert view.standing.endswith("1 version, 0 refused")  # it read "1 versions"


def activity(seq: int, status: str = "accepted", kind: str = "sheet.save") -> Activity:
    body = {"team": "t1", "scores": {"a": 5}, "final": False}
    code, message = ("forbidden", "not yours") if status == "rejected" else (None, None)
    return Activity(
        seq, f"d/{seq}", "d", "Laptop", "j1", kind, "j1", "t1", STAMP, status, code, message, body
    )


def test_the_feed_names_who_and_what_and_opens_only_sheets() -> None:
    teams = {"t1": {"name": "Aurora"}}
    judges = {"j1": {"name": "Ada"}}
    view = desk.activity_view(
        [activity(3, "rejected"), activity(2), activity(1, kind="assign.put")],
        teams,
        judges,
        CRITERIA,
    )
    assert view.lines[0].cells[1:] == [
        "Refused · forbidden",
        "Sheet",
        "Ada (Laptop)",
        "Aurora",
        "not yours",
    ]
    assert view.lines[1].cells[5] == "Draft: Innovation 5"
    assert [x.sheet for x in view.lines] == [("j1", "t1", "main"), ("j1", "t1", "main"), None]
    assert view.summary == "3 ops. 1 refused."
    assert view.newest == 3
    assert view.teams == [("t1", "Aurora")]


def test_the_feed_names_every_op_kind_in_words() -> None:
    # A raw kind such as "round.put" in the Kind column (and its filter) reads as a bug.
    assert set(desk.KINDS) == set(KINDS)
    line = desk.activity_view([activity(1, kind="round.put")], {}, {}, CRITERIA).lines[0]
    assert line.cells[2] == "Round saved"


def test_the_nav_text_counts_unseen_refusals() -> None:
    assert desk.activity_nav_text("Activity", 0) == ("Activity", "")
    assert desk.activity_nav_text("Activity", 3) == (
        "Activity (3)",
        "3 refused ops not yet looked at",
    )
