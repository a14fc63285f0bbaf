"""Tests for the rules: every cell of the permission matrix and every reject code of check()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from storage.ops import KINDS, PHASES, ROLES, Op, parse_op
from storage.rules import (
    MAX_CLOCK_SKEW_MS,
    PERMISSIONS,
    REJECT_CODES,
    Rejection,
    check,
    judges_may_save,
    permission,
)
from storage.signing import DeviceKey
from storage.state import State

if TYPE_CHECKING:
    from tests.conftest import OpFactory

OK, SC, NO = "ok", "scoring_closed", "forbidden"

# The permission matrix as PROTOCOL.md and the event's rules describe it, written out cell by
# cell on purpose: it must not be derived from rules.PERMISSIONS, or this test could not fail.
PHASE_COLUMNS = ("setup", "scoring", "locked", "released")
EXPECTED: dict[tuple[str, str], tuple[str, str, str, str]] = {
    # role       kind                 setup scoring locked released
    ("admin", "sheet.save"): (NO, NO, NO, NO),
    ("admin", "event.set"): (OK, OK, OK, OK),
    ("admin", "team.put"): (OK, OK, OK, OK),
    ("admin", "team.del"): (OK, OK, SC, SC),
    ("admin", "criterion.put"): (OK, OK, SC, SC),
    ("admin", "criterion.del"): (OK, SC, SC, SC),
    ("admin", "judge.put"): (OK, OK, OK, OK),
    ("admin", "judge.del"): (OK, OK, SC, SC),
    ("admin", "assign.put"): (OK, OK, SC, SC),
    ("admin", "device.put"): (OK, OK, OK, OK),
    ("admin", "device.revoke"): (OK, OK, OK, OK),
    ("admin", "notify"): (OK, OK, OK, OK),
    ("admin", "prize.put"): (OK, OK, SC, SC),
    ("admin", "prize.del"): (OK, OK, SC, SC),
    ("admin", "round.put"): (OK, OK, SC, SC),
    ("admin", "round.del"): (OK, SC, SC, SC),
    ("admin", "round.phase"): (OK, OK, OK, OK),
    ("admin", "finalist.put"): (OK, OK, SC, SC),
    ("admin", "sheet.void"): (SC, OK, OK, OK),
    ("admin", "sheet.restore"): (SC, OK, OK, OK),
    ("admin", "sheet.enter"): (SC, OK, OK, OK),
    ("admin", "sheet.reopen"): (SC, SC, OK, SC),
    ("admin", "sheet.relock"): (OK, OK, OK, OK),
    ("judge", "sheet.save"): (SC, OK, SC, SC),
    ("judge", "event.set"): (NO, NO, NO, NO),
    ("judge", "team.put"): (NO, NO, NO, NO),
    ("judge", "team.del"): (NO, NO, NO, NO),
    ("judge", "criterion.put"): (NO, NO, NO, NO),
    ("judge", "criterion.del"): (NO, NO, NO, NO),
    ("judge", "judge.put"): (NO, NO, NO, NO),
    ("judge", "judge.del"): (NO, NO, NO, NO),
    ("judge", "assign.put"): (NO, NO, NO, NO),
    ("judge", "device.put"): (NO, NO, NO, NO),
    ("judge", "device.revoke"): (NO, NO, NO, NO),
    ("judge", "notify"): (NO, NO, NO, NO),
    ("judge", "prize.put"): (NO, NO, NO, NO),
    ("judge", "prize.del"): (NO, NO, NO, NO),
    ("judge", "round.put"): (NO, NO, NO, NO),
    ("judge", "round.del"): (NO, NO, NO, NO),
    ("judge", "round.phase"): (NO, NO, NO, NO),
    ("judge", "finalist.put"): (NO, NO, NO, NO),
    ("judge", "sheet.void"): (NO, NO, NO, NO),
    ("judge", "sheet.restore"): (NO, NO, NO, NO),
    ("judge", "sheet.enter"): (NO, NO, NO, NO),
    ("judge", "sheet.reopen"): (NO, NO, NO, NO),
    ("judge", "sheet.relock"): (NO, NO, NO, NO),
    ("team", "sheet.save"): (NO, NO, NO, NO),
    ("team", "event.set"): (NO, NO, NO, NO),
    ("team", "team.put"): (NO, NO, NO, NO),
    ("team", "team.del"): (NO, NO, NO, NO),
    ("team", "criterion.put"): (NO, NO, NO, NO),
    ("team", "criterion.del"): (NO, NO, NO, NO),
    ("team", "judge.put"): (NO, NO, NO, NO),
    ("team", "judge.del"): (NO, NO, NO, NO),
    ("team", "assign.put"): (NO, NO, NO, NO),
    ("team", "device.put"): (NO, NO, NO, NO),
    ("team", "device.revoke"): (NO, NO, NO, NO),
    ("team", "notify"): (NO, NO, NO, NO),
    ("team", "prize.put"): (NO, NO, NO, NO),
    ("team", "prize.del"): (NO, NO, NO, NO),
    ("team", "round.put"): (NO, NO, NO, NO),
    ("team", "round.del"): (NO, NO, NO, NO),
    ("team", "round.phase"): (NO, NO, NO, NO),
    ("team", "finalist.put"): (NO, NO, NO, NO),
    ("team", "sheet.void"): (NO, NO, NO, NO),
    ("team", "sheet.restore"): (NO, NO, NO, NO),
    ("team", "sheet.enter"): (NO, NO, NO, NO),
    ("team", "sheet.reopen"): (NO, NO, NO, NO),
    ("team", "sheet.relock"): (NO, NO, NO, NO),
    ("display", "sheet.save"): (NO, NO, NO, NO),
    ("display", "event.set"): (NO, NO, NO, NO),
    ("display", "team.put"): (NO, NO, NO, NO),
    ("display", "team.del"): (NO, NO, NO, NO),
    ("display", "criterion.put"): (NO, NO, NO, NO),
    ("display", "criterion.del"): (NO, NO, NO, NO),
    ("display", "judge.put"): (NO, NO, NO, NO),
    ("display", "judge.del"): (NO, NO, NO, NO),
    ("display", "assign.put"): (NO, NO, NO, NO),
    ("display", "device.put"): (NO, NO, NO, NO),
    ("display", "device.revoke"): (NO, NO, NO, NO),
    ("display", "notify"): (NO, NO, NO, NO),
    ("display", "prize.put"): (NO, NO, NO, NO),
    ("display", "prize.del"): (NO, NO, NO, NO),
    ("display", "round.put"): (NO, NO, NO, NO),
    ("display", "round.del"): (NO, NO, NO, NO),
    ("display", "round.phase"): (NO, NO, NO, NO),
    ("display", "finalist.put"): (NO, NO, NO, NO),
    ("display", "sheet.void"): (NO, NO, NO, NO),
    ("display", "sheet.restore"): (NO, NO, NO, NO),
    ("display", "sheet.enter"): (NO, NO, NO, NO),
    ("display", "sheet.reopen"): (NO, NO, NO, NO),
    ("display", "sheet.relock"): (NO, NO, NO, NO),
}

CELLS = [
    pytest.param(role, kind, phase, EXPECTED[role, kind][i], id=f"{role}-{kind}-{phase}")
    for (role, kind) in EXPECTED
    for i, phase in enumerate(PHASE_COLUMNS)
]

# The device each role makes its ops on: (author it writes, subject it is paired as).
# A display has no subject, so whatever author it claims is not its own.
ACTORS: dict[str, tuple[str, str | None]] = {
    "admin": ("admin", None),
    "judge": ("j1", "j1"),
    "team": ("t1", "t1"),
    "display": ("display", None),
}

PAIRED = "a0b1c2d3-0000-4000-8000-00000000000f"
PUBKEY = DeviceKey.from_private_bytes(bytes(range(32))).public_b64

# A body of every kind that is valid against Event's state, so only the matrix can refuse it.
CELL_BODIES: dict[str, dict[str, Any]] = {
    "sheet.save": {"team": "t1", "scores": {"c1": 7.5, "c2": 0.3}, "comment": "", "final": True},
    "event.set": {"field": "name", "value": "Finals"},
    "team.put": {"id": "t9", "name": "Late Team"},
    "team.del": {"id": "t3"},
    "criterion.put": {"id": "c9", "name": "Impact", "weight": 2, "min": 1, "max": 5, "step": 1},
    "criterion.del": {"id": "c2"},
    "judge.put": {"id": "j9", "name": "Grace", "conflicts": ["t2"]},
    "judge.del": {"id": "j2"},
    "assign.put": {"judge": "j1", "team": "t1", "assigned": True},
    "device.put": {"device": PAIRED, "pubkey": PUBKEY, "role": "judge", "subject": "j1"},
    "device.revoke": {"device": PAIRED},
    "notify": {"audience": "team", "target": "t1", "message": "Your table is ready"},
    "prize.put": {"id": "p9", "name": "Best pitch"},
    "prize.del": {"id": "p1"},
    "round.put": {"id": "finals", "name": "Grand finals"},
    "round.del": {"id": "finals"},
    "round.phase": {"round": "finals", "phase": "scoring"},
    "finalist.put": {"round": "finals", "team": "t1", "finalist": True},
    # Event holds j2's sheets for t2 (standing) and t3 (void and reopened).
    "sheet.void": {"judge": "j2", "team": "t2", "reason": "scored the wrong team"},
    "sheet.restore": {"judge": "j2", "team": "t3", "reason": "voided by mistake"},
    "sheet.reopen": {"judge": "j1", "team": "t1", "reason": "Ada typed 0.3 for 3"},
    "sheet.relock": {"judge": "j2", "team": "t3", "reason": "fixed"},
    "sheet.enter": {
        "judge": "j1",
        "team": "t1",
        "scores": {"c1": 7.5, "c2": 0.3},
        "comment": "",
        "final": True,
        "reason": "from Ada's paper sheet",
    },
}


class Event:
    """A small event: teams t1-t3, judges j1-j2, criteria c1 (0-10 by 0.5) and c2 (0-1 by 0.1).

    Every op it makes is stamped at or after BASE_MS and before `now`, the host's clock.
    """

    def __init__(self, factory: type[OpFactory], phase: str = "scoring") -> None:
        self.factory = factory
        self.admin = factory("admin", seed=1)
        self.state = State()
        self.now = factory.BASE_MS + 3_600_000
        self.admin_does("team.put", {"id": "t1", "name": "Team One"})
        self.admin_does("team.put", {"id": "t2", "name": "Team Two"})
        self.admin_does("team.put", {"id": "t3", "name": "Team Three"})
        self.admin_does("judge.put", {"id": "j1", "name": "Ada"})
        self.admin_does("judge.put", {"id": "j2", "name": "Bob"})
        self.admin_does(
            "criterion.put",
            {"id": "c1", "name": "Design", "weight": 1, "min": 0, "max": 10, "step": 0.5},
        )
        self.admin_does(
            "criterion.put",
            {"id": "c2", "name": "Polish", "weight": 1, "min": 0, "max": 1, "step": 0.1},
        )
        self.admin_does("prize.put", {"id": "p1", "name": "Best use of AI"})
        # Folded as a replica would hold them, whatever the phase: corrections need sheets.
        bob = factory("j2", seed=sum(map(ord, "j2")))
        for team in ("t2", "t3"):
            body = {"team": team, "scores": {"c1": 5}, "comment": "", "final": False}
            self.state.apply(bob.op("sheet.save", body))
        self.admin_does("sheet.void", {"judge": "j2", "team": "t3", "reason": "test"})
        self.admin_does("sheet.reopen", {"judge": "j2", "team": "t3", "reason": "test"})
        self.admin_does("round.put", {"id": "finals", "name": "Finals"})
        # Both rounds in one phase, so a round's op and an event-wide op meet the same cell.
        self.admin_does("round.phase", {"round": "finals", "phase": phase})
        self.admin_does("event.set", {"field": "phase", "value": phase})

    def admin_does(self, kind: str, body: dict[str, Any]) -> None:
        """Fold an accepted admin op into the state."""
        self.state.apply(self.admin.op(kind, body))

    def op(self, author: str, kind: str, body: dict[str, Any], **kwargs: Any) -> Op:
        """Return an op made on a device of `author`, stamped before the host's clock."""
        return self.factory(author, seed=sum(map(ord, author))).op(kind, body, **kwargs)

    def check(
        self,
        kind: str,
        body: dict[str, Any],
        *,
        role: str = "admin",
        author: str | None = None,
        subject: str | None = None,
        **kwargs: Any,
    ) -> Rejection | None:
        """Check an op made by a device of `role` (author and subject default to the role's)."""
        default_author, default_subject = ACTORS[role]
        op = self.op(default_author if author is None else author, kind, body, **kwargs)
        return check(
            op, role, default_subject if subject is None else subject, self.state, self.now
        )

    def sheet(
        self, scores: dict[str, Any], team: str = "t1", *, final: bool = False, **kwargs: Any
    ) -> Rejection | None:
        """Check a sheet of judge j1, made on its own laptop."""
        body = {"team": team, "scores": scores, "comment": "", "final": final}
        return self.check("sheet.save", body, role="judge", **kwargs)


def code(rejection: Rejection | None) -> str:
    return OK if rejection is None else rejection.code


@pytest.fixture(scope="module")
def event_in(op_factory: type[OpFactory]) -> dict[str, Event]:
    """One Event in each phase, shared by the matrix cells (check() never changes a state)."""
    return {phase: Event(op_factory, phase) for phase in PHASES}


@pytest.fixture
def event(op_factory: type[OpFactory]) -> Event:
    """A fresh Event in the scoring phase, for tests that change it."""
    return Event(op_factory)


# --- the matrix --------------------------------------------------------------------------------


def test_expected_table_has_every_role_and_kind_and_phase() -> None:
    assert set(ROLES) == {"admin", "judge", "team", "display"}
    assert len(KINDS) == 23
    assert set(EXPECTED) == {(role, kind) for role in ROLES for kind in KINDS}
    assert set(PHASE_COLUMNS) == set(PHASES)
    assert len(CELLS) == 4 * 23 * 4
    assert set(CELL_BODIES) == set(KINDS)


@pytest.mark.parametrize(("role", "kind", "phase", "expected"), CELLS)
def test_permission_of_every_cell(role: str, kind: str, phase: str, expected: str) -> None:
    assert permission(role, kind, phase) == expected


@pytest.mark.parametrize(("role", "kind", "phase", "expected"), CELLS)
def test_check_of_every_cell(
    event_in: dict[str, Event], role: str, kind: str, phase: str, expected: str
) -> None:
    event = event_in[phase]
    assert event.state.phase == phase
    assert code(event.check(kind, CELL_BODIES[kind], role=role)) == expected


def test_permission_of_an_unknown_role_or_kind_is_forbidden() -> None:
    assert permission("owner", "team.put", "setup") == NO
    assert permission("admin", "team.rename", "setup") == NO
    assert permission("judge", "sheet.save", "judging") == SC


def test_permissions_name_only_known_roles_and_kinds() -> None:
    assert set(PERMISSIONS) <= set(ROLES)
    assert all(set(kinds) <= set(KINDS) for kinds in PERMISSIONS.values())


def test_matrix_refusal_names_the_role_and_kind(event_in: dict[str, Event]) -> None:
    rejection = event_in["scoring"].check("team.put", CELL_BODIES["team.put"], role="judge")
    assert rejection == Rejection("forbidden", "a judge may not make team.put")


def test_closed_phase_refusal_names_the_phase(event_in: dict[str, Event]) -> None:
    sheet = event_in["locked"].check("sheet.save", CELL_BODIES["sheet.save"], role="judge")
    assert sheet is not None
    assert sheet.code == SC
    assert "locked" in sheet.message
    delete = event_in["released"].check("team.del", CELL_BODIES["team.del"])
    assert delete is not None
    assert delete.code == SC
    assert "team.del" in delete.message
    assert "released" in delete.message


def test_default_phase_is_setup_so_sheets_start_closed(op_factory: type[OpFactory]) -> None:
    admin = op_factory("admin", seed=1)
    state = State()
    state.apply(admin.op("team.put", {"id": "t1", "name": "Team One"}))
    state.apply(admin.op("judge.put", {"id": "j1", "name": "Ada"}))
    sheet = op_factory("j1", seed=2).op("sheet.save", CELL_BODIES["sheet.save"])
    assert state.phase == "setup"
    assert code(check(sheet, "judge", "j1", state, admin.BASE_MS + 1000)) == SC


# --- reject codes ------------------------------------------------------------------------------


def test_reject_codes_are_those_of_protocol_section_6() -> None:
    assert set(REJECT_CODES) == {
        "forbidden",
        "invalid",
        "unknown_team",
        "unknown_criterion",
        "out_of_range",
        "scoring_closed",
        "bad_signature",
        "gap",
        "clock_skew",
    }


def test_rejection_to_wire_is_an_ack_entry() -> None:
    assert Rejection("gap", "expected op 3").to_wire("d/5") == {
        "id": "d/5",
        "code": "gap",
        "message": "expected op 3",
    }


def test_a_valid_sheet_is_accepted(event: Event) -> None:
    assert event.sheet({"c1": 7.5, "c2": 0.3}, final=True) is None
    assert event.sheet({"c1": 7}) is None


# clock_skew


def test_op_more_than_10_minutes_ahead_is_clock_skew(event: Event) -> None:
    assert MAX_CLOCK_SKEW_MS == 600_000
    assert code(event.sheet({"c1": 5}, ms=event.now + 600_001)) == "clock_skew"
    assert code(event.check("team.put", CELL_BODIES["team.put"], ms=event.now + 600_001)) == (
        "clock_skew"
    )


def test_op_exactly_10_minutes_ahead_is_fine(event: Event) -> None:
    assert event.sheet({"c1": 5}, ms=event.now + 600_000) is None


def test_op_far_behind_the_host_clock_is_fine(event: Event) -> None:
    assert event.sheet({"c1": 5}, ms=event.now - 86_400_000) is None


def test_future_stamp_with_an_exhausted_counter_is_clock_skew(event: Event) -> None:
    # Taking it would make the host's own clock wait for its wall clock (section 5).
    assert code(event.sheet({"c1": 5}, ms=event.now + 60_000, counter=9001)) == "clock_skew"


def test_past_stamp_with_a_high_counter_is_fine(event: Event) -> None:
    assert event.sheet({"c1": 5}, ms=event.now - 1, counter=9999) is None


def test_clock_skew_is_decided_before_anything_else(event: Event) -> None:
    rejection = event.check("sheet.save", {"scores": "bad"}, role="team", ms=event.now + 600_001)
    assert code(rejection) == "clock_skew"


# invalid


@pytest.mark.parametrize(
    "body",
    [
        {"team": "t1", "scores": [7], "comment": "", "final": False},
        {"team": "t1", "scores": {"c1": "7"}, "comment": "", "final": False},
        {"team": "t1", "scores": {"c1": 7}, "comment": "", "final": "yes"},
        {"scores": {"c1": 7}, "final": False},
    ],
)
def test_sheet_with_a_bad_body_is_invalid(event: Event, body: dict[str, Any]) -> None:
    assert code(event.check("sheet.save", body, role="judge")) == "invalid"


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("team.put", {"id": "t9", "name": ""}),
        ("criterion.put", {**CELL_BODIES["criterion.put"], "min": 5, "max": 1}),
        ("event.set", {"field": "phase", "value": "judging"}),
        ("device.put", {**CELL_BODIES["device.put"], "pubkey": "nope"}),
        ("notify", {"audience": "all", "message": ""}),
    ],
)
def test_admin_op_with_a_bad_body_is_invalid(event: Event, kind: str, body: dict[str, Any]) -> None:
    assert code(event.check(kind, body)) == "invalid"


def test_final_sheet_missing_a_criterion_is_invalid(event: Event) -> None:
    rejection = event.sheet({"c1": 7.5}, final=True)
    assert rejection is not None
    assert rejection.code == "invalid"
    assert "Polish" in rejection.message


def test_draft_sheet_may_miss_criteria(event: Event) -> None:
    assert event.sheet({"c1": 7.5}) is None
    assert event.sheet({}) is None


def test_final_sheet_need_not_score_a_deleted_criterion(op_factory: type[OpFactory]) -> None:
    event = Event(op_factory, "setup")
    event.admin_does("criterion.del", {"id": "c2"})
    event.admin_does("event.set", {"field": "phase", "value": "scoring"})
    assert event.sheet({"c1": 7.5}, final=True) is None


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("assign.put", {"judge": "j404", "team": "t1", "assigned": True}),
        ("device.put", {**CELL_BODIES["device.put"], "subject": "j404"}),
        ("notify", {"audience": "judge", "target": "j404", "message": "Hi"}),
    ],
)
def test_admin_op_naming_an_unknown_judge_is_invalid(
    event: Event, kind: str, body: dict[str, Any]
) -> None:
    assert code(event.check(kind, body)) == "invalid"


def test_admin_op_naming_a_known_judge_is_fine(event: Event) -> None:
    assert event.check("notify", {"audience": "judge", "target": "j2", "message": "Hi"}) is None
    assert event.check("device.put", {**CELL_BODIES["device.put"], "subject": "j2"}) is None


# forbidden


def test_judge_device_acting_for_another_judge_is_forbidden(event: Event) -> None:
    assert code(event.sheet({"c1": 5}, author="j2")) == NO


def test_judge_device_acting_as_admin_is_forbidden(event: Event) -> None:
    assert (
        code(event.check("team.put", CELL_BODIES["team.put"], role="judge", author="admin")) == NO
    )
    assert code(event.sheet({"c1": 5}, author="admin")) == NO


def test_admin_device_writing_a_judge_author_is_forbidden(event: Event) -> None:
    assert code(event.check("team.put", CELL_BODIES["team.put"], author="j1")) == NO


def test_removed_judge_is_forbidden(event: Event) -> None:
    event.admin_does("judge.del", {"id": "j1"})
    rejection = event.sheet({"c1": 5})
    assert code(rejection) == NO
    assert rejection is not None
    assert "removed" in rejection.message


def test_judge_with_a_conflict_of_interest_is_forbidden(event: Event) -> None:
    event.admin_does("judge.put", {"id": "j1", "name": "Ada", "conflicts": ["t2"]})
    rejection = event.sheet({"c1": 5}, team="t2")
    assert code(rejection) == NO
    assert rejection is not None
    assert "conflict" in rejection.message
    assert event.sheet({"c1": 5}, team="t1") is None


def test_judge_with_an_assignment_list_may_score_only_its_teams(event: Event) -> None:
    event.admin_does("assign.put", {"judge": "j1", "team": "t1", "assigned": True})
    event.admin_does("assign.put", {"judge": "j1", "team": "t3", "assigned": True})
    assert event.sheet({"c1": 5}, team="t1") is None
    assert event.sheet({"c1": 5}, team="t3") is None
    rejection = event.sheet({"c1": 5}, team="t2")
    assert code(rejection) == NO
    assert rejection is not None
    assert "not assigned" in rejection.message


def test_judge_without_an_assignment_list_may_score_any_team(event: Event) -> None:
    event.admin_does("assign.put", {"judge": "j2", "team": "t1", "assigned": True})
    for team in ("t1", "t2", "t3"):
        assert event.sheet({"c1": 5}, team=team) is None


def test_judge_whose_assignments_were_all_withdrawn_may_score_any_team(event: Event) -> None:
    event.admin_does("assign.put", {"judge": "j1", "team": "t1", "assigned": True})
    event.admin_does("assign.put", {"judge": "j1", "team": "t1", "assigned": False})
    assert event.sheet({"c1": 5}, team="t2") is None


def test_assigning_a_judge_to_a_conflicted_team_is_forbidden(event: Event) -> None:
    event.admin_does("judge.put", {"id": "j1", "name": "Ada", "conflicts": ["t2"]})
    body = {"judge": "j1", "team": "t2", "assigned": True}
    assert code(event.check("assign.put", body)) == NO
    assert event.check("assign.put", {**body, "assigned": False}) is None
    assert event.check("assign.put", {**body, "team": "t1"}) is None


# unknown_team


def test_sheet_for_an_unknown_team_is_unknown_team(event: Event) -> None:
    assert code(event.sheet({"c1": 5}, team="t404")) == "unknown_team"


def test_sheet_for_a_deleted_team_is_unknown_team(event: Event) -> None:
    event.admin_does("team.del", {"id": "t3"})
    assert code(event.sheet({"c1": 5}, team="t3")) == "unknown_team"


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("assign.put", {"judge": "j1", "team": "t404", "assigned": True}),
        ("judge.put", {"id": "j9", "name": "Grace", "conflicts": ["t1", "t404"]}),
        ("device.put", {**CELL_BODIES["device.put"], "role": "team", "subject": "t404"}),
        ("notify", {"audience": "team", "target": "t404", "message": "Hi"}),
    ],
)
def test_admin_op_naming_an_unknown_team_is_unknown_team(
    event: Event, kind: str, body: dict[str, Any]
) -> None:
    assert code(event.check(kind, body)) == "unknown_team"


def test_device_put_of_a_known_team_is_fine(event: Event) -> None:
    body = {**CELL_BODIES["device.put"], "role": "team", "subject": "t2"}
    assert event.check("device.put", body) is None


@pytest.mark.parametrize("role", ["admin", "display"])
def test_device_put_of_a_role_without_subject_is_fine(event: Event, role: str) -> None:
    body = {k: v for k, v in CELL_BODIES["device.put"].items() if k != "subject"}
    assert event.check("device.put", {**body, "role": role}) is None


# unknown_criterion


def test_sheet_scoring_an_unknown_criterion_is_unknown_criterion(event: Event) -> None:
    assert code(event.sheet({"c1": 5, "c404": 1})) == "unknown_criterion"


def test_sheet_scoring_a_deleted_criterion_is_unknown_criterion(
    op_factory: type[OpFactory],
) -> None:
    event = Event(op_factory, "setup")
    event.admin_does("criterion.del", {"id": "c2"})
    event.admin_does("event.set", {"field": "phase", "value": "scoring"})
    assert code(event.sheet({"c1": 5, "c2": 0.5})) == "unknown_criterion"


def test_tie_break_naming_an_unknown_criterion_is_unknown_criterion(event: Event) -> None:
    body = {"field": "tie_break", "value": ["c1", "c404"]}
    assert code(event.check("event.set", body)) == "unknown_criterion"


def test_tie_break_of_known_criteria_is_fine(event: Event) -> None:
    assert event.check("event.set", {"field": "tie_break", "value": ["c2", "c1"]}) is None
    assert event.check("event.set", {"field": "tie_break", "value": []}) is None


# out_of_range


@pytest.mark.parametrize("value", [0, 10, 7, 7.5, 0.5, 9.5, 10.0])
def test_score_on_the_scale_of_design_is_fine(event: Event, value: float) -> None:
    assert event.sheet({"c1": value}) is None


@pytest.mark.parametrize("value", [-0.5, -1, 10.5, 11, 7.3, 7.25, 0.1, 9.99, 1e9])
def test_score_off_the_scale_of_design_is_out_of_range(event: Event, value: float) -> None:
    assert code(event.sheet({"c1": value})) == "out_of_range"


@pytest.mark.parametrize("value", [0, 0.1, 0.2, 0.3, 0.7, 0.9, 1, 0.1 + 0.2, 0.7 + 0.1])
def test_score_on_a_tenths_scale_is_fine_despite_float_error(event: Event, value: float) -> None:
    assert event.sheet({"c2": value}) is None


@pytest.mark.parametrize("value", [-0.1, 1.1, 0.35, 0.05, 0.999])
def test_score_off_a_tenths_scale_is_out_of_range(event: Event, value: float) -> None:
    assert code(event.sheet({"c2": value})) == "out_of_range"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, OK),
        (3, OK),
        (5, OK),
        (2, "out_of_range"),
        (4, "out_of_range"),
        (0, "out_of_range"),
        (7, "out_of_range"),
    ],
)
def test_steps_count_from_the_minimum(
    op_factory: type[OpFactory], value: int, expected: str
) -> None:
    event = Event(op_factory)
    event.admin_does(
        "criterion.put", {"id": "c3", "name": "Odd", "weight": 1, "min": 1, "max": 5, "step": 2}
    )
    assert code(event.sheet({"c3": value})) == expected


def test_out_of_range_message_tells_the_scale(event: Event) -> None:
    rejection = event.sheet({"c1": 7.3})
    assert rejection == Rejection(
        "out_of_range", "Design takes 0 to 10 in steps of 0.5; 7.3 is not one of them"
    )


@pytest.mark.parametrize("phase", PHASES)
def test_judges_may_save_is_the_matrix_cell_of_a_judges_sheet(phase: str) -> None:
    assert judges_may_save(phase) is (
        EXPECTED["judge", "sheet.save"][PHASE_COLUMNS.index(phase)] == OK
    )


def test_the_host_s_own_ops_carry_its_own_clock_and_are_not_held_to_a_peer_s_limits(
    admin_ops: OpFactory,
) -> None:
    # A peer's accepted lead may have pulled the host's clock ahead, and its counter past 9,000.
    now = admin_ops.BASE_MS
    op = parse_op(admin_ops.wire("team.put", {"id": "t1", "name": "A"}, ms=now + 600_001))
    assert check(op, "admin", None, State(), now) is not None
    assert check(op, "admin", None, State(), now, own=True) is None


# --- rounds and prizes: each round has its own phase (issue 11) --------------------------------


def _finals_event(op_factory: type[OpFactory], first: str, finals: str) -> Event:
    """An Event whose first round is in `first` and whose finals round is in `finals`."""
    event = Event(op_factory, first)
    event.admin_does(
        "round.put",
        {"id": "finals", "name": "Finals", "finalists": "top_overall", "finalists_n": 2},
    )
    event.admin_does("round.phase", {"round": "finals", "phase": finals})
    event.admin_does("finalist.put", {"round": "finals", "team": "t1", "finalist": True})
    return event


def test_a_later_rounds_sheet_is_judged_in_that_rounds_phase(
    op_factory: type[OpFactory],
) -> None:
    event = _finals_event(op_factory, "locked", "scoring")
    body = {"team": "t1", "scores": {"c1": 5, "c2": 0.5}, "comment": "", "final": True}
    assert code(event.check("sheet.save", body, role="judge")) == SC
    assert code(event.check("sheet.save", {**body, "round": "finals"}, role="judge")) == OK
    event = _finals_event(op_factory, "scoring", "setup")
    assert code(event.check("sheet.save", body, role="judge")) == OK
    assert code(event.check("sheet.save", {**body, "round": "finals"}, role="judge")) == SC


def test_a_later_round_takes_sheets_of_its_finalists_only(op_factory: type[OpFactory]) -> None:
    event = _finals_event(op_factory, "locked", "scoring")
    body = {"team": "t2", "scores": {"c1": 5, "c2": 0.5}, "comment": "", "final": True}
    rejection = event.check("sheet.save", {**body, "round": "finals"}, role="judge")
    assert rejection == Rejection("forbidden", "this team is not a finalist of Finals")
    event.admin_does("finalist.put", {"round": "finals", "team": "t2", "finalist": True})
    assert code(event.check("sheet.save", {**body, "round": "finals"}, role="judge")) == OK
    rejection = event.check("sheet.save", {**body, "round": "semis"}, role="judge")
    assert rejection == Rejection("invalid", "there is no round 'semis'")


@pytest.mark.parametrize(
    ("kind", "body", "expected"),
    [
        # Event-wide changes would alter the locked first round's results.
        ("criterion.put", CELL_BODIES["criterion.put"], SC),
        ("prize.put", CELL_BODIES["prize.put"], SC),
        ("team.del", CELL_BODIES["team.del"], SC),
        ("judge.del", CELL_BODIES["judge.del"], SC),
        ("team.put", {"id": "t2", "name": "Team Two", "prizes": ["p1"]}, SC),
        ("judge.put", {"id": "j2", "name": "Bob", "prizes": ["p1"]}, SC),
        ("assign.put", {"judge": "j1", "team": "t2", "assigned": True}, SC),
        # A rename changes no results; the finals' own changes are the finals' business.
        ("team.put", {"id": "t2", "name": "Team Deux"}, OK),
        ("assign.put", {"judge": "j1", "team": "t2", "assigned": True, "round": "finals"}, OK),
        ("finalist.put", {"round": "finals", "team": "t2", "finalist": True}, OK),
        ("round.put", {"id": "finals", "name": "Grand finals"}, OK),
        (
            "criterion.put",
            {**CELL_BODIES["criterion.put"], "round": "finals"},
            OK,
        ),
    ],
)
def test_nothing_changes_a_locked_rounds_results(
    op_factory: type[OpFactory], kind: str, body: dict[str, Any], expected: str
) -> None:
    event = _finals_event(op_factory, "locked", "scoring")
    assert code(event.check(kind, body)) == expected


def test_a_locked_later_round_closes_its_own_changes(op_factory: type[OpFactory]) -> None:
    event = _finals_event(op_factory, "scoring", "locked")
    finalist = {"round": "finals", "team": "t2", "finalist": True}
    assert code(event.check("finalist.put", finalist)) == SC
    assert code(event.check("criterion.put", CELL_BODIES["criterion.put"])) == SC
    assert code(event.check("round.phase", {"round": "finals", "phase": "scoring"})) == OK


@pytest.mark.parametrize(
    ("kind", "body", "expected"),
    [
        ("team.put", {"id": "t9", "name": "X", "prizes": ["nope"]}, "invalid"),
        ("judge.put", {"id": "j9", "name": "X", "prizes": ["nope"]}, "invalid"),
        ("criterion.put", {**CELL_BODIES["criterion.put"], "prize": "nope"}, "invalid"),
        ("criterion.put", {**CELL_BODIES["criterion.put"], "round": "nope"}, "invalid"),
        ("assign.put", {"judge": "j1", "team": "t1", "assigned": True, "round": "x"}, "invalid"),
        ("round.phase", {"round": "nope", "phase": "scoring"}, "invalid"),
        ("finalist.put", {"round": "finals", "team": "t9", "finalist": True}, "unknown_team"),
        ("round.put", {"id": "semis", "name": "Semis", "judges": ["j9"]}, "invalid"),
        ("round.put", {"id": "semis", "name": "Semis", "tie_break": ["c9"]}, "unknown_criterion"),
        ("event.set", {"field": "tie_break", "value": ["#sheets", "c1", "#median"]}, OK),
        ("team.put", {"id": "t9", "name": "X", "prizes": ["p1"]}, OK),
    ],
)
def test_prize_and_round_references_must_exist(
    event: Event, kind: str, body: dict[str, Any], expected: str
) -> None:
    assert code(event.check(kind, body)) == expected
