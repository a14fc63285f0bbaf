"""Tests for the console's view models: rows, texts and op bodies, without a window."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from desktop import host_model as model
from storage.admin import Assignment, JudgeProgress
from storage.boards import Board, BoardRow, Harshness
from storage.scoring import Row
from storage.signing import DeviceKey
from storage.state import State
from sync.discovery import parse_join_link
from tests.conftest import OpFactory

Fold = Callable[..., State]


def _criterion(cid: str, order: int) -> dict[str, object]:
    return model.criterion_body(cid, cid.title(), low=0, high=10, step=1, order=order)


def test_used_ids_keep_removed_ids_so_they_are_never_given_again(
    admin_ops: OpFactory, fold: Fold
) -> None:
    state = fold(
        [
            admin_ops.op("team.put", {"id": "team-a", "name": "A"}),
            admin_ops.op("team.put", {"id": "team-b", "name": "B"}),
            admin_ops.op("team.del", {"id": "team-b"}),
            admin_ops.op("judge.put", {"id": "judge-a", "name": "A"}),
        ]
    )
    assert model.used_ids(state, "team") == {"team-a", "team-b"}
    assert model.used_ids(state, "judge") == {"judge-a"}
    assert model.used_ids(state, "criterion") == set()


def test_criterion_body_writes_whole_numbers_as_ints() -> None:
    body = model.criterion_body(
        "pitch", " Pitch ", weight=2.0, low=0.0, high=10.0, step=0.5, order=3
    )
    assert body == {
        "id": "pitch",
        "name": "Pitch",
        "description": "",
        "weight": 2,
        "min": 0,
        "max": 10,
        "step": 0.5,
        "order": 3,
    }
    assert isinstance(body["weight"], int)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (("Pitch", 1, 0, 10, 1), None),
        (("  ", 1, 0, 10, 1), "name"),
        (("Pitch", 0, 0, 10, 1), "weight"),
        (("Pitch", 1, 10, 10, 1), "lowest"),
        (("Pitch", 1, 0, 10, 11), "step"),
    ],
)
def test_criterion_problem_names_the_field(
    fields: tuple[str, float, float, float, float], problem: str | None
) -> None:
    found = model.criterion_problem(*fields)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found.lower()


def test_reorder_moves_one_criterion_and_renumbers_only_what_changed() -> None:
    criteria = [_criterion("a", 0), _criterion("b", 1), _criterion("c", 5)]
    down = model.reorder_bodies(criteria, 0, 1)
    assert [(b["id"], b["order"]) for b in down] == [("b", 0), ("a", 1), ("c", 2)]
    up = model.reorder_bodies([_criterion("a", 0), _criterion("b", 1)], 1, -1)
    assert [(b["id"], b["order"]) for b in up] == [("b", 0), ("a", 1)]
    assert model.reorder_bodies(criteria, 0, -1) == []
    assert model.reorder_bodies(criteria, 2, 1) == []
    assert up[0]["name"] == "B"  # the rest of the criterion is kept


def test_next_order_puts_a_new_criterion_last() -> None:
    assert model.next_order([]) == 0
    assert model.next_order([_criterion("a", 0), _criterion("b", 7)]) == 8


def test_team_members_split_on_lines_and_commas() -> None:
    body = model.team_put_body("t", " Aurora ", " Table 1 ", "Ines, Kwame\n\n  Lea  \n")
    assert body == {
        "id": "t",
        "name": "Aurora",
        "location": "Table 1",
        "members": ["Ines", "Kwame", "Lea"],
    }


def test_a_new_conflict_drops_that_assignment(admin_ops: OpFactory, fold: Fold) -> None:
    state = fold(
        [
            admin_ops.op("team.put", {"id": "t1", "name": "T1"}),
            admin_ops.op("team.put", {"id": "t2", "name": "T2"}),
            admin_ops.op("judge.put", {"id": "j", "name": "J"}),
            admin_ops.op("assign.put", {"judge": "j", "team": "t1", "assigned": True}),
            admin_ops.op("assign.put", {"judge": "j", "team": "t2", "assigned": True}),
        ]
    )
    assert model.conflict_unassignments(state, "j", ["t2"]) == [
        {"judge": "j", "team": "t2", "assigned": False}
    ]
    assert model.conflict_unassignments(state, "j", []) == []


def test_notification_body_keeps_a_target_only_for_one_recipient() -> None:
    assert model.notification_body("team", "t1", " Hi ") == {
        "audience": "team",
        "target": "t1",
        "message": "Hi",
    }
    assert model.notification_body("all", "t1", "Hi")["target"] is None
    with pytest.raises(ValueError, match="audience"):
        model.notification_body("room", None, "Hi")


def test_board_lines_show_two_decimals_and_judges_of_expected() -> None:
    rows = [
        Row(1, "a", "Aurora", 87.666666, 2),
        Row(None, "b", "Basalt", None, 0),
    ]
    lines = model.board_lines(rows, {"a": (2, 3), "b": (0, 0)})
    assert [(x.rank, x.team, x.total, x.judges) for x in lines] == [
        ("1", "Aurora", "87.67", "2 of 3"),
        ("—", "Basalt", "—", "0"),
    ]


def test_percent_is_clamped_and_full_when_nothing_is_expected() -> None:
    assert model.percent(1, 3) == 33
    assert model.percent(0, 0) == 100
    assert model.percent(5, 3) == 100


def test_reveal_goes_from_last_place_up() -> None:
    rows = [
        Row(1, "a", "A", 90.0, 1),
        Row(2, "b", "B", 80.0, 1),
        Row(2, "c", "C", 80.0, 1),
        Row(None, "d", "D", None, 0),
    ]
    start = model.reveal_state(rows, 0)
    assert (start.shown, start.ranked, start.next_rank) == (0, 3, 2)
    assert "3 places to go" in start.text
    assert model.reveal_state(rows, 2).next_rank == 1
    done = model.reveal_state(rows, 9)
    assert (done.shown, done.next_rank) == (3, None)
    assert done.text == "All 3 places revealed."
    assert "nothing to reveal" in model.reveal_state(rows[3:], 0).text


def test_phase_changes_that_matter_ask_first() -> None:
    assert model.phase_confirmation("setup", "scoring") is None
    assert model.phase_confirmation("scoring", "scoring") is None
    locked = model.phase_confirmation("scoring", "locked")
    released = model.phase_confirmation("locked", "released")
    back = model.phase_confirmation("locked", "scoring")
    assert locked is not None
    assert locked.startswith("Lock the event?")
    assert released is not None
    assert "Release the results?" in released
    assert back is not None
    assert "back to scoring" in back


def _device_put(device: str, role: str, subject: str | None, name: str) -> dict[str, object]:
    return {
        "device": device,
        "pubkey": DeviceKey.generate().public_b64,
        "role": role,
        "subject": subject,
        "name": name,
    }


def test_device_rows_list_every_peer_with_its_health(admin_ops: OpFactory, fold: Fold) -> None:
    host, judge, team, display, gone = (str(uuid.uuid4()) for _ in range(5))
    state = fold(
        [
            admin_ops.op("team.put", {"id": "t1", "name": "Aurora"}),
            admin_ops.op("judge.put", {"id": "j1", "name": "Ada"}),
            admin_ops.op("device.put", _device_put(host, "admin", None, "host")),
            admin_ops.op("device.put", _device_put(display, "display", None, "Projector")),
            admin_ops.op("device.put", _device_put(team, "team", "t1", "")),
            admin_ops.op("device.put", _device_put(judge, "judge", "j1", "Ada's laptop")),
            admin_ops.op("device.put", _device_put(gone, "judge", "j1", "Old laptop")),
            admin_ops.op("device.revoke", {"device": gone}),
        ]
    )
    seen = {
        judge: {"last_seen_ms": 5, "address": "10.0.0.7", "pending": 2, "clock_offset_ms": 0},
        team: {"last_seen_ms": 9, "address": "10.0.0.8", "pending": 0, "clock_offset_ms": -90_000},
    }
    rows = model.device_rows(state, seen, {judge, display})
    assert [r.label for r in rows] == [
        "Ada's laptop",
        "Old laptop",
        f"Device {team[:8]}",
        "Projector",
    ]
    by_device = {r.device: r for r in rows}
    assert host not in by_device  # the host's own device is not a peer
    assert by_device[judge].link == "online"
    assert (by_device[judge].subject_name, by_device[judge].pending) == ("Ada", 2)
    assert by_device[judge].clock_offset_ms is None  # 0: never reported
    assert by_device[team].link == "offline"
    assert by_device[team].clock_offset_ms == -90_000
    assert by_device[gone].link == "revoked"
    assert by_device[display].subject_name == "All displays"
    assert model.device_summary(rows) == "2 online · 1 offline · 1 revoked"


def test_times_and_offsets_read_naturally() -> None:
    assert model.describe_ago(None) == "never"
    assert model.describe_ago(2_000) == "just now"
    assert model.describe_ago(42_000) == "42 s ago"
    assert model.describe_ago(185_000) == "3 min ago"
    assert model.describe_ago(3_900_000) == "1 h 5 min ago"
    assert model.describe_ago(3 * 86_400_000) == "3 d ago"
    assert model.describe_offset(None) == "—"
    assert model.describe_offset(300) == "in sync"
    assert model.describe_offset(2_500) == "+2.5 s"
    assert model.describe_offset(-180_000) == "−3 min"
    assert model.describe_offset(7_200_000) == "+2.0 h"


def test_join_links_parse_back() -> None:
    fingerprint = "ab" * 32
    link = model.join_link("10.0.0.2:8765", "K7QF-M2XD", fingerprint, True)
    assert link is not None
    parsed = parse_join_link(link)
    assert (parsed.target, parsed.code, parsed.fingerprint, parsed.secure) == (
        "10.0.0.2:8765",
        "K7QF-M2XD",
        fingerprint,
        True,
    )
    plain = model.join_link("10.0.0.2:8765", "K7QF-M2XD", None, False)
    assert plain is not None
    assert not parse_join_link(plain).secure
    assert model.join_link(None, "K7QF-M2XD", fingerprint, True) is None


def test_fingerprint_reads_in_groups_of_four_on_two_lines() -> None:
    text = model.format_fingerprint("0123456789abcdef" * 4)
    first, second = text.split("\n")
    assert first.split() == ["0123", "4567", "89ab", "cdef"] * 2
    assert len(second.split()) == 8
    assert "without TLS" in model.format_fingerprint(None)


def test_host_target_brackets_ipv6() -> None:
    assert model.host_target("10.0.0.2", 8765) == "10.0.0.2:8765"
    assert model.host_target("fe80::1", 8765) == "[fe80::1]:8765"


def test_summaries_of_an_assignment() -> None:
    result = Assignment({"j1": {"a", "b"}, "j2": {"b"}}, [])
    bodies = [
        {"judge": "j1", "team": "a", "assigned": True},
        {"judge": "j2", "team": "c", "assigned": False},
    ]
    assert model.plan_summary(result, bodies) == (
        "Each judge scores 1–2 teams; each team gets 1–2 judges. 1 assignment to add, 1 to remove."
    )
    assert "No changes" in model.plan_summary(result, [])
    assert "needs judges and teams" in model.plan_summary(Assignment({}, []), [])
    assert model.assignment_summary({"j1": 2, "j2": 0}, {"a": 1, "b": 1}) == (
        "2 assignments. Judges with a list score 2 teams; teams have 1 judge. "
        "1 judge has no list and may score any team."
    )
    assert model.assignment_summary({"j1": 0}, {"a": 0}).startswith("No assignments")


def test_setup_hint_follows_the_permission_matrix() -> None:
    assert "everything can change" in model.setup_hint("setup")
    assert "not removed" in model.setup_hint("scoring")
    assert "locked" in model.setup_hint("locked")


def test_recent_notifications_newest_first_by_name(admin_ops: OpFactory, fold: Fold) -> None:
    state = fold(
        [
            admin_ops.op("team.put", {"id": "t1", "name": "Aurora"}),
            admin_ops.op("notify", {"audience": "all", "target": None, "message": "First"}),
            admin_ops.op("notify", {"audience": "team", "target": "t1", "message": "Second"}),
        ]
    )
    lines = model.recent_notifications(state)
    assert [(who, message) for _, who, message in lines] == [
        ("Aurora", "Second"),
        ("Everybody", "First"),
    ]
    assert len(model.recent_notifications(state, 1)) == 1


def test_read_text_file_takes_utf8_with_a_bom_or_windows_1252(tmp_path: Path) -> None:
    utf8 = tmp_path / "a.csv"
    utf8.write_bytes("\ufeffTeam Name\nCafé\n".encode())
    assert model.read_text_file(utf8) == "Team Name\nCafé\n"
    legacy = tmp_path / "b.csv"
    legacy.write_bytes("Team Name\nCafé\n".encode("cp1252"))
    assert model.read_text_file(legacy) == "Team Name\nCafé\n"


def test_slug_name_for_file_names() -> None:
    assert model.slug_name("Harbour Hack 2026") == "harbour-hack-2026"
    assert model.slug_name("!!!") == "event"


def test_warnings_name_teams_and_judges() -> None:
    teams = {"team-fjord": {"name": "Fjord"}}
    judges = {"judge-bao": {"name": "Bao Nguyen"}}
    text = "Judge judge-bao has a conflict with team team-fjord; that assignment is dropped"
    assert model.with_names(text, teams, judges) == (
        "Judge Bao Nguyen has a conflict with team Fjord; that assignment is dropped"
    )
    assert model.with_names("Team team-gone has no judge", teams, judges) == (
        "Team team-gone has no judge"
    )


# --- the pages' rows (desktop/host/) -------------------------------------------------------------

TEAMS = {
    "t1": {"id": "t1", "name": "basalt", "location": "T2", "members": ["Ana", "Ben"]},
    "t2": {"id": "t2", "name": "Aurora", "location": "", "members": []},
}
JUDGES = {
    "j1": {"id": "j1", "name": "Zoe", "conflicts": ["t2", "gone"]},
    "j2": {"id": "j2", "name": "ada", "conflicts": []},
}


def test_criterion_and_team_cells_in_the_tables_order() -> None:
    criteria = [
        {"id": "x", "name": "X", "weight": 2.0, "min": 0, "max": 10, "step": 0.5, "description": ""}
    ]
    assert model.criterion_cells(criteria) == [("x", ["1", "X", "2", "0 – 10", "0.5", ""])]
    assert model.team_cells(TEAMS) == [
        ("t2", ["Aurora", "", "", "t2"]),
        ("t1", ["basalt", "T2", "Ana, Ben", "t1"]),
    ]
    assert (model.count_text(1, "team"), model.count_text(0, "team")) == ("1 team", "0 teams")


def test_judge_lines_name_conflicts_and_count_only_existing_teams() -> None:
    lines = model.judge_lines(TEAMS, JUDGES, {"j1": {"t1", "gone"}, "j2": set()})
    assert [line.name for line in lines] == ["ada", "Zoe"]
    ada, zoe = lines
    assert (ada.conflicts, ada.any_conflict, ada.load) == ("None", False, "Any team (no list)")
    assert (zoe.conflicts, zoe.any_conflict, zoe.load) == ("Aurora", True, "1 team")


def test_judge_lines_count_the_teams_the_host_would_let_the_judge_score() -> None:
    # A list holding only removed or conflicting teams lets the judge score nothing (the host's
    # rule, storage.sheets): it is not "any team".
    lines = model.judge_lines(TEAMS, JUDGES, {"j1": {"t2", "gone"}, "j2": {"gone"}})
    assert [(line.name, line.load) for line in lines] == [("ada", "0 teams"), ("Zoe", "0 teams")]


def test_the_assignment_grid_greys_conflicts_and_counts_judges_per_team() -> None:
    grid = model.assignment_grid(TEAMS, JUDGES, {"j1": {"t1"}, "j2": {"t1", "t2"}})
    assert (grid.team_ids, grid.judge_ids) == (["t2", "t1"], ["j2", "j1"])
    assert grid.headers == [("Aurora\n1 judge", "Aurora"), ("basalt\n2 judges", "basalt")]
    assert grid.labels == ["ada  (2)", "Zoe  (1)"]
    conflict = grid.cells[1][0]
    assert conflict.conflict
    assert not conflict.ticked
    assert conflict.name == "Zoe has a conflict with Aurora"
    assert conflict.tip == "Zoe has a conflict of interest with Aurora"
    assert grid.cells[1][1] == model.GridCell(False, True, "Zoe judges basalt", "")
    assert grid.summary.startswith("3 assignments")
    assert model.clear_bodies({"j2": {"t2", "t1"}, "j1": set()}) == [
        {"judge": "j2", "team": "t1", "assigned": False},
        {"judge": "j2", "team": "t2", "assigned": False},
    ]


def test_overview_figures_count_sheets_started_judges_and_devices() -> None:
    progress = [JudgeProgress("j1", "Zoe", 1, 0, 2), JudgeProgress("j2", "ada", 0, 1, 2)]
    figures = model.overview_figures(
        2, 3, {"t1": (1, 2), "t2": (0, 2)}, progress, online=1, paired=4
    )
    assert figures == {
        "teams": ("2", "1 scored"),
        "judges": ("3", "2 started scoring"),
        "sheets": ("1", "of 4 expected (25%)"),
        "online": ("1", "of 4 paired"),
    }


def test_a_device_line_ages_its_last_contact_from_the_clock_it_is_given() -> None:
    row = model.DeviceRow(
        device="d1",
        label="Ada's laptop",
        role="judge",
        subject="j1",
        subject_name="Ada",
        online=False,
        revoked=False,
        pending=3,
        last_seen_ms=1_000_000,
        clock_offset_ms=-90_000,
        address="",
    )
    line = model.device_line(row, now_ms=1_000_000 + 125_000)
    assert line.cells == (
        "Ada's laptop",
        "Judge",
        "Ada",
        "○ Offline",
        "3",
        "2 min ago",
        "−1 min",
        "—",
    )
    assert (line.link_tone, line.clock_tone) == ("warn", "bad")
    later = model.device_line(row, now_ms=1_000_000 + 7_200_000)
    assert later.cells[5] == "2 h 0 min ago"


def test_file_stamp_is_the_local_time_of_the_seconds_given() -> None:
    seconds = time.mktime((2026, 3, 14, 9, 30, 0, 0, 0, -1))
    assert model.file_stamp(seconds) == "20260314-0930"


def test_code_lines_say_how_many_devices_each_code_paired_of_how_many() -> None:
    codes = [
        {"role": "judge", "id": "j1", "name": "Ada", "code": "AAAA-AAAA"},
        {"role": "team", "id": "t1", "name": "Aurora", "code": "BBBB-BBBB"},
        {"role": "display", "id": None, "name": "All displays", "code": "CCCC-CCCC"},
        {"role": "judge", "id": "j2", "name": "Bao", "code": "DDDD-DDDD"},
    ]
    usage = {"AAAA-AAAA": (2, 2), "BBBB-BBBB": (1, 3), "CCCC-CCCC": (1, None)}
    rows = model.code_lines(codes, usage)
    assert [(r.usage, r.used_up) for r in rows] == [
        ("2 of 2 devices, used up", True),
        ("1 of 3 devices", False),
        ("1 device", False),
        ("0 devices", False),  # unknown to `usage`: nothing paired, no limit known
    ]


def test_device_rows_include_the_displays_the_host_registered_alone(
    admin_ops: OpFactory, fold: Fold
) -> None:
    display = str(uuid.uuid4())
    state = fold([admin_ops.op("judge.put", {"id": "j1", "name": "Ada"})])
    hosted = [{"device": display, "pubkey": "", "role": "display", "subject": None, "name": ""}]
    rows = model.device_rows(state, {}, {display}, hosted)
    assert [(r.device, r.role, r.subject_name, r.link) for r in rows] == [
        (display, "display", "All displays", "online")
    ]


def test_the_overview_view_names_recipients_by_name_and_says_when_none_was_sent() -> None:
    view = model.overview_view(
        teams={"team-b": {"name": "basalt"}, "team-a": {"name": "Aurora"}},
        judges={},
        team_progress={"team-a": (1, 2)},
        judge_progress=[],
        board=[Row(1, "team-a", "Aurora", 90.0, 1)],
        recent=[],
        online=0,
        paired=0,
    )
    assert view.targets == {"judge": [], "team": [("team-a", "Aurora"), ("team-b", "basalt")]}
    assert view.recent == "No notification sent yet."
    assert [line.judges for line in view.board] == ["1 of 2"]
    assert view.figures["teams"] == ("2", "1 scored")


def test_the_setup_view_counts_each_tab_and_knows_when_clear_has_work() -> None:
    teams = {"team-a": {"id": "team-a", "name": "A", "location": "", "members": []}}
    judges = {"judge-x": {"id": "judge-x", "name": "X", "conflicts": []}}
    view = model.setup_view(
        phase="scoring", criteria=[_criterion("design", 0)], teams=teams, judges=judges, assigned={}
    )
    assert view.tab_texts == ("Criteria (1)", "Teams (1)", "Judges (1)")
    assert view.hint == model.setup_hint("scoring")
    assert not view.grid.any_assigned
    # A list naming only a removed team still has something to clear.
    grid = model.assignment_grid(teams, judges, {"judge-x": {"team-gone"}})
    assert grid.any_assigned
    assert model.clear_bodies({"judge-x": {"team-gone"}})


def test_the_codes_view_links_each_code_to_the_first_address() -> None:
    codes = [{"role": "team", "id": "team-a", "name": "A", "code": "ABCD-EFGH"}]
    view = model.codes_view(
        addresses=["10.0.0.2:8765", "[fe80::1]:8765"],
        url="wss://10.0.0.2:8765/sync",
        fingerprint="ab" * 32,
        secure=True,
        join_codes=codes,
    )
    (line,) = view.codes
    assert (line.role, line.subject, line.name, line.code) == ("team", "team-a", "A", "ABCD-EFGH")
    assert line.link is not None
    assert parse_join_link(line.link).target == "10.0.0.2:8765"
    assert view.address_text == "10.0.0.2:8765\n[fe80::1]:8765"
    empty = model.codes_view(
        addresses=[], url=None, fingerprint=None, secure=False, join_codes=codes
    )
    assert (empty.address_text, empty.url_text, empty.codes[0].link) == ("Not serving",) * 2 + (
        None,
    )


def test_the_devices_view_ages_every_row_at_the_time_it_is_given() -> None:
    row = model.DeviceRow("d", "Laptop", "judge", "j", "Ada", False, False, None, 0, None, "")
    view = model.devices_view([row], 90_000)
    assert view.now_ms == 90_000
    assert view.lines[0].cells[5] == "1 min ago"
    assert view.summary == "0 online · 1 offline"


def test_the_plan_view_names_its_warnings() -> None:
    result = Assignment({"j1": {"t1"}}, ["team t1 has only 1 judge without a conflict"])
    plan = model.plan_view(result, [], {"t1": {"name": "Fjord"}}, {"j1": {"name": "Ada"}})
    assert plan.warnings == ["⚠ team Fjord has only 1 judge without a conflict."]
    assert plan.summary.endswith("No changes to the current assignments.")


def test_lock_and_release_questions_say_what_they_freeze_or_publish() -> None:
    progress = {"t1": (2, 2), "t2": (1, 3), "t3": (0, 1)}
    judges = [JudgeProgress("j1", "Ada", 2, 1, 3), JudgeProgress("j2", "Bao", 1, 2, 3)]
    devices = [
        model.DeviceRow(f"d{n}", "", "judge", "j1", "Ada", False, revoked, pending, 1, None, "")
        for n, (revoked, pending) in enumerate([(False, 0), (True, 4), (False, None)])
    ]
    stakes = model.phase_stakes(progress, judges, devices)
    assert stakes == model.PhaseStakes(
        final=3, expected=6, drafts=3, short_teams=2, unsent_devices=0
    )
    two = model.phase_stakes(progress, judges, [*devices, replace(devices[0], pending=2)])
    assert two.unsent_devices == 1
    locked = model.phase_confirmation("scoring", "locked", stakes)
    assert locked is not None
    assert locked.startswith("Lock the event?")
    assert locked.endswith(
        "3 of 6 expected final sheets are in.\n"
        "3 drafts are still outstanding: they will not count.\n"
        "2 teams have fewer final sheets than judges planned for them."
    )
    done = model.PhaseStakes(final=6, expected=6, drafts=0, short_teams=0, unsent_devices=1)
    released = model.phase_confirmation("locked", "released", done)
    assert released is not None
    assert released.endswith(
        "6 of 6 expected final sheets are in.\n1 device still holds work it has not sent."
    )
    assert model.phase_confirmation("locked", "scoring", stakes) == model.phase_confirmation(
        "locked", "scoring"
    )  # moving back freezes nothing


def test_a_board_view_marks_shared_ranks_names_tie_breaks_and_shows_its_first_rows() -> None:
    def row(n: int, rank: int | None, shared: bool = False, tie: str | None = None) -> BoardRow:
        total = None if rank is None else 90.0 - rank
        return BoardRow(rank, f"t{n}", f"Team {n}", total, 2, total, None, None, 0, tie, shared)

    rows = [row(1, 1, shared=True), row(2, 1, shared=True), row(3, 3, tie="#sheets")]
    rows += [row(n, n) for n in range(4, 151)]
    board = Board(
        "main", "Expo", "p1", "Best use of AI", "Acme", False, ("c1",), "ranks",
        ("#sheets",), "own", 0.0, rows, [Harshness("j1", 70.0, 0.0, 1, False)],
    )  # fmt: skip
    view = model.board_view(board, {"j1": {"name": "Ada"}}, {"c1": {"name": "Design"}})
    assert view.title == "Expo · Best use of AI (by Acme)"
    assert view.headers == ["Rank", "Team", "Raw", "Normalised", "Sheets", "Tie-break"]
    assert [cells[0] for _, cells in view.rows[:3]] == ["=1", "=1", "3"]
    assert [cells[-1] for _, cells in view.rows[:3]] == ["Shared", "Shared", "More final sheets"]
    assert "Normalised totals rank" in view.facts
    assert len(view.rows) == model.BOARD_ROWS_SHOWN
    assert view.more == 150 - model.BOARD_ROWS_SHOWN
    assert view.judges == [("j1", ["Ada", "70.00", "0.00", "1", "No: left as scored"])]
    assert view.flagged == 1


# --- the boards the displays show (docs/protocol.md 4e) -----------------------------------------

ROUNDS = [{"id": "main", "name": "Heats"}, {"id": "finals", "name": "Finals"}]
PRIZES = [
    {"id": "ai", "name": "Best use of AI", "sponsor": "", "hidden": False},
    {"id": "secret", "name": "Jury's secret pick", "sponsor": "", "hidden": True},
    {"id": "data", "name": "Open Data", "sponsor": "Port Authority", "hidden": False},
]


def test_board_choices_offer_every_round_and_public_prize_never_a_hidden_one() -> None:
    one_round = model.board_choices(ROUNDS[:1], PRIZES)
    assert [c.label for c in one_round] == [
        "Overall",
        "Best use of AI",
        "Open Data (by Port Authority)",
    ]
    assert [c.key for c in one_round] == [("main", None), ("main", "ai"), ("main", "data")]
    both = model.board_choices(ROUNDS, PRIZES)
    assert len(both) == 6
    assert both[3].label == "Finals · Overall"
    assert all(c.prize_id != "secret" for c in both)
    # The boards on the displays come first, in their order; the rest keep the event's order.
    shown = [{"round": "main", "prize": "data"}, {"round": "finals", "prize": None}]
    ordered = model.board_choices(ROUNDS, PRIZES, shown)
    assert [c.key for c in ordered][:3] == [("main", "data"), ("finals", None), ("main", None)]
    assert model.shown_keys([]) == [("main", None)]
    assert model.shown_keys(shown) == [("main", "data"), ("finals", None)]


def test_the_display_boards_value_keeps_the_main_board_alone_as_the_default() -> None:
    main, ai, _data = model.board_choices(ROUNDS[:1], PRIZES)
    assert model.display_boards_value([]) == []
    assert model.display_boards_value([main]) == []
    assert model.display_boards_value([ai, main]) == [
        {"round": "main", "prize": "ai"},
        {"round": "main", "prize": None},
    ]
    assert model.display_settings({}) == {
        "display_boards": [],
        "display_rotate": 20,
        "reveal_board": None,
    }


def test_a_ceremony_moves_on_with_the_count_at_zero_first_then_the_board() -> None:
    main, ai, data = choices = model.board_choices(ROUNDS[:1], PRIZES)
    assert model.stage_choice(choices, None) == main
    assert model.stage_choice(choices, {"round": "main", "prize": "data"}) == data
    assert model.stage_choice(choices, {"round": "main", "prize": "secret"}) is None
    assert model.next_stage(choices, main) == ai
    assert model.next_stage(choices, data) is None
    assert model.stage_moves(ai) == [("reveal_count", 0), ("reveal_board", ai.name)]
    assert model.stage_moves(main) == [("reveal_count", 0), ("reveal_board", None)]


def test_the_organiser_reads_what_the_displays_show() -> None:
    choices = model.board_choices(ROUNDS[:1], PRIZES)
    settings = model.display_settings({})
    assert model.displays_text("live", choices, settings) == "The displays show Overall."
    settings["display_boards"] = [
        {"round": "main", "prize": None},
        {"round": "main", "prize": "ai"},
    ]
    settings["display_rotate"] = 30
    assert model.displays_text("live", choices, settings) == (
        "The displays turn through Overall, Best use of AI, 30 s each."
    )
    settings["reveal_board"] = {"round": "main", "prize": "ai"}
    assert model.displays_text("reveal", choices, settings) == (
        "The displays show Best use of AI, from last place up."
    )


def test_stage_rows_are_a_boards_ranked_rows() -> None:
    row = BoardRow(1, "t", "T", 90.0, 2, 90.0, None, None, 0, None, False)
    board = Board("main", "Heats", "ai", "AI", "", False, (), "off", (), "mean", 0.0, [row])
    assert model.stage_rows(board) == [Row(1, "t", "T", 90.0, 2)]
