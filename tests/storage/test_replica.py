"""Tests for the replica: a peer's pending ops and acks, the host's submission, codes, tokens."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import codes
from storage import replica as replica_module
from storage.demo import load_demo, seed_demo
from storage.export import to_csv, to_json
from storage.ops import InvalidOp, Op
from storage.replica import Outcome, Rejected, Replica
from storage.signing import DeviceKey, b64encode, canonical_json
from storage.state import Entry
from tests.kit import BASE_MS, FakeClock

TEN_MINUTES = 10 * 60 * 1000


def sheet(team: str = "t1", *, final: bool = True, **scores: float) -> dict[str, Any]:
    """Return a sheet.save body; all three criteria at 50 unless given."""
    marks = scores or {"a": 50, "b": 50, "c": 50}
    return {"team": team, "scores": marks, "comment": "", "final": final}


def deliver(host: Replica, peer: Replica, ops: Iterable[Op] | None = None) -> list[Outcome]:
    """Submit a peer's ops (its pending ones by default) and record the host's answers."""
    sent = peer.pending() if ops is None else list(ops)
    outcomes = host.submit([op.to_wire() for op in sent])
    peer.record_ack(
        [o.op_id for o in outcomes if o.accepted],
        [o.rejection.to_wire(o.op_id) for o in outcomes if o.rejection is not None],
    )
    return outcomes


def catch_up(host: Replica, peer: Replica) -> int:
    """Send a peer the accepted ops it lacks; return how many were new to it."""
    return peer.receive([op.to_wire() for op in host.accepted_since(peer.vv())], host.vv())


def op_count(replica: Replica) -> int:
    return int(replica.db.execute_sql("SELECT count(*) FROM op").fetchone()[0])


def codes_of(outcomes: Iterable[Outcome]) -> list[str | None]:
    return [None if o.rejection is None else o.rejection.code for o in outcomes]


def pair(host: Replica, peer: Replica, subject: str = "judge-ada") -> None:
    """Register a peer's device on the host as the laptop of judge `subject`."""
    host.admin(
        "device.put",
        {
            "device": peer.device_id,
            "pubkey": peer.key.public_b64,
            "role": "judge",
            "subject": subject,
            "name": "",
        },
    )


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Replica]:
    host = Replica.open(tmp_path / "host.db")
    host.register_self()
    for cid in ("a", "b", "c"):
        host.admin(
            "criterion.put",
            {"id": cid, "name": cid.upper(), "weight": 1, "min": 0, "max": 100, "step": 1},
        )
    host.admin("team.put", {"id": "t1", "name": "Aurora"})
    host.admin("team.put", {"id": "t2", "name": "Basalt"})
    host.admin("judge.put", {"id": "judge-ada", "name": "Ada"})
    host.admin("judge.put", {"id": "judge-bao", "name": "Bao"})
    host.admin("event.set", {"field": "phase", "value": "scoring"})
    yield host
    host.close()


@pytest.fixture
def judge(tmp_path: Path, host: Replica) -> Iterator[Replica]:
    judge = Replica.open(tmp_path / "judge.db", durable=False)
    judge.adopt_event(host.event_id)
    pair(host, judge)
    catch_up(host, judge)
    yield judge
    judge.close()


# --- a peer's own ops ---------------------------------------------------------------------------


def test_make_stores_the_op_as_pending_and_shows_its_effect_at_once(judge: Replica) -> None:
    op = judge.make("sheet.save", sheet(a=85, b=90, c=88), author="judge-ada")
    assert op.id == f"{judge.device_id}/1"
    assert judge.state.sheet("judge-ada", "t1") == {"judge": "judge-ada", **sheet(a=85, b=90, c=88)}
    assert [r.total_score for r in judge.board.rows() if r.team_id == "t1"] == [87.67]
    assert judge.pending() == [op]
    assert judge.pending_count() == 1
    stored = judge.stored(op.id)
    assert stored is not None
    assert (stored.status, stored.code) == ("pending", None)
    assert judge.vv()[judge.device_id] == 1


def test_pending_op_and_its_effect_survive_reopening(tmp_path: Path, judge: Replica) -> None:
    op = judge.make("sheet.save", sheet(a=85, b=90, c=88), author="judge-ada")
    judge.close()
    again = Replica.open(tmp_path / "judge.db", durable=False)
    try:
        assert again.pending() == [op]
        assert again.state.sheet("judge-ada", "t1") is not None
        assert [r.total_score for r in again.board.rows() if r.team_id == "t1"] == [87.67]
        follow = again.make("sheet.save", sheet("t2"), author="judge-ada")
        assert follow.n == 2
        assert follow.hlc > op.hlc
    finally:
        again.close()


def test_pending_lists_own_ops_in_n_order_with_a_limit(judge: Replica) -> None:
    made = [
        judge.make("sheet.save", sheet(team, final=False), author="judge-ada")
        for team in ("t1", "t2", "t1")
    ]
    assert [op.n for op in judge.pending()] == [1, 2, 3]
    assert judge.pending(limit=2) == made[:2]
    assert judge.pending_count() == 3


def test_make_with_a_malformed_body_writes_nothing(judge: Replica) -> None:
    before = (judge.vv(), op_count(judge), dict(judge.state.entries))
    with pytest.raises(InvalidOp):
        judge.make(
            "sheet.save",
            {"team": "t1", "scores": {"a": "high"}, "comment": "", "final": True},
            author="judge-ada",
        )
    assert (judge.vv(), op_count(judge), dict(judge.state.entries)) == before
    assert judge.make("sheet.save", sheet(), author="judge-ada").n == 1


def test_record_ack_accepted_clears_pending_and_keeps_the_effect(
    host: Replica, judge: Replica
) -> None:
    op = judge.make("sheet.save", sheet(), author="judge-ada")
    assert codes_of(deliver(host, judge)) == [None]
    assert judge.pending() == []
    assert judge.pending_count() == 0
    assert judge.stored(op.id).status == "accepted"  # type: ignore[union-attr]
    assert judge.state.sheet("judge-ada", "t1")["scores"] == {"a": 50, "b": 50, "c": 50}  # type: ignore[index]
    assert judge.rejected() == []


def test_rejected_pending_sheet_gives_back_the_earlier_accepted_one(
    host: Replica, judge: Replica
) -> None:
    judge.make("sheet.save", sheet(a=85, b=90, c=88), author="judge-ada")
    deliver(host, judge)
    host.admin("event.set", {"field": "phase", "value": "locked"})
    late = judge.make("sheet.save", sheet(a=10, b=10, c=10), author="judge-ada")
    assert judge.state.sheet("judge-ada", "t1")["scores"]["a"] == 10  # type: ignore[index]
    seen: list[tuple[str, Entry | None]] = []
    judge.listeners.append(lambda key, entry: seen.append((key, entry)))

    assert codes_of(deliver(host, judge)) == ["scoring_closed"]

    assert judge.state.sheet("judge-ada", "t1")["scores"] == {"a": 85, "b": 90, "c": 88}  # type: ignore[index]
    assert [r.total_score for r in judge.board.rows() if r.team_id == "t1"] == [87.67]
    assert [key for key, _ in seen] == ["sheet/judge-ada/t1"]
    (rejected,) = judge.rejected()
    assert (rejected.op, rejected.status, rejected.code) == (late, "rejected", "scoring_closed")
    assert rejected.message
    assert judge.pending_count() == 0


def test_rejected_pending_sheet_with_no_earlier_one_leaves_no_sheet(
    host: Replica, judge: Replica
) -> None:
    op = judge.make("sheet.save", sheet("t9"), author="judge-ada")
    assert judge.state.sheet("judge-ada", "t9") is not None
    assert codes_of(deliver(host, judge)) == ["unknown_team"]
    assert judge.state.sheet("judge-ada", "t9") is None
    assert "sheet/judge-ada/t9" not in judge.state.entries
    assert judge.rejected()[0].op == op
    assert judge.rejected()[0].code == "unknown_team"
    # What is folded in memory is what is stored: reopening gives the same state.
    reopened = Replica(judge.db)
    assert reopened.state.entries == judge.state.entries


def test_rejected_op_does_not_undo_a_later_op_on_the_same_key(
    host: Replica, judge: Replica
) -> None:
    incomplete = judge.make("sheet.save", {**sheet(), "scores": {"a": 1}}, author="judge-ada")
    complete = judge.make("sheet.save", sheet(a=70, b=80, c=90), author="judge-ada")
    assert codes_of(deliver(host, judge)) == ["invalid", None]
    assert judge.state.entries["sheet/judge-ada/t1"].op_id == complete.id
    assert judge.state.entries == Replica(judge.db).state.entries
    assert [s.op.id for s in judge.rejected()] == [incomplete.id]


def test_rejected_filters_by_author_newest_first(host: Replica, judge: Replica) -> None:
    first = judge.make("sheet.save", sheet("t8"), author="judge-ada")
    second = judge.make("sheet.save", sheet("t9"), author="judge-ada")
    deliver(host, judge)
    assert [s.op for s in judge.rejected()] == [second, first]
    assert [s.op for s in judge.rejected("judge-ada")] == [second, first]
    assert judge.rejected("judge-bao") == []


def test_the_same_answer_again_changes_nothing(host: Replica, judge: Replica) -> None:
    op = judge.make("sheet.save", sheet(), author="judge-ada")
    deliver(host, judge)
    before = judge.state.entries.copy()
    judge.record_ack([op.id], [])
    assert judge.stored(op.id).status == "accepted"  # type: ignore[union-attr]
    assert judge.state.entries == before


def test_a_different_answer_from_a_restored_host_replaces_the_old_one(
    host: Replica, judge: Replica
) -> None:
    op = judge.make("sheet.save", sheet(), author="judge-ada")
    deliver(host, judge)
    judge.record_ack([], [{"id": op.id, "code": "scoring_closed", "message": "locked now"}])
    assert judge.stored(op.id).status == "rejected"  # type: ignore[union-attr]
    assert judge.state.sheet("judge-ada", "t1") is None
    judge.record_ack([op.id], [])
    assert judge.stored(op.id).status == "accepted"  # type: ignore[union-attr]
    assert judge.state.sheet("judge-ada", "t1") is not None


def own_to_send(judge: Replica, host_n: int) -> list[Op]:
    """The judge's own ops that `ops_for_host` resends to a host at `host_n` for its device."""
    return [s.op for s in judge.ops_for_host({**judge.vv(), judge.device_id: host_n})]


def test_gap_is_no_outcome_the_op_stays_pending_to_be_resent(host: Replica, judge: Replica) -> None:
    first = judge.make("sheet.save", sheet("t1"), author="judge-ada")
    second = judge.make("sheet.save", sheet("t2"), author="judge-ada")
    outcomes = deliver(host, judge, [second])  # the host lacks op 1
    assert codes_of(outcomes) == ["gap"]
    assert judge.pending_count() == 2
    assert [op.id for op in own_to_send(judge, host.vv().get(judge.device_id, 0))] == [
        first.id,
        second.id,
    ]
    assert codes_of(deliver(host, judge)) == [None, None]
    assert judge.pending_count() == 0


def test_ops_to_send_after_a_welcome_include_answered_ops_the_host_lacks(
    host: Replica, judge: Replica
) -> None:
    ops = [judge.make("sheet.save", sheet(t), author="judge-ada") for t in ("t1", "t2", "t3")]
    deliver(host, judge)
    later = judge.make("sheet.save", sheet("t1", a=60, b=60, c=60), author="judge-ada")
    assert own_to_send(judge, 3) == [later]  # an up-to-date host: only the pending op
    assert own_to_send(judge, 1) == [*ops[1:], later]  # a host restored without ops 2-3


def test_receiving_the_echo_of_an_own_pending_op_marks_it_accepted(
    host: Replica, judge: Replica
) -> None:
    op = judge.make("sheet.save", sheet(), author="judge-ada")
    host.submit([op.to_wire()])  # the ack is lost; the replication stream brings the op back
    assert judge.receive([op.to_wire()]) == 0
    assert judge.stored(op.id).status == "accepted"  # type: ignore[union-attr]
    assert judge.pending_count() == 0
    assert judge.state.sheet("judge-ada", "t1") == host.state.sheet("judge-ada", "t1")


def test_receive_takes_only_what_is_new_and_advances_the_version_vector(
    host: Replica, judge: Replica
) -> None:
    host.admin("team.put", {"id": "t3", "name": "Cobalt"})
    wires = [op.to_wire() for op in host.accepted_since({})]
    assert judge.receive(wires) == 1
    assert judge.receive(wires) == 0
    assert judge.vv() == host.vv()
    assert judge.state.team("t3") == host.state.team("t3")


# --- the host's side of submission ------------------------------------------------------------


def test_submit_accepts_a_valid_op_from_a_paired_judge(host: Replica, judge: Replica) -> None:
    op = judge.make("sheet.save", sheet(a=85, b=90, c=88), author="judge-ada")
    (outcome,) = host.submit([op.to_wire()])
    assert outcome == Outcome(op.id, None)
    assert outcome.accepted
    assert host.stored(op.id).status == "accepted"  # type: ignore[union-attr]
    assert host.vv()[judge.device_id] == 1
    assert host.state.sheet("judge-ada", "t1") == judge.state.sheet("judge-ada", "t1")
    assert [(r.rank, r.total_score) for r in host.board.rows() if r.team_id == "t1"] == [(1, 87.67)]
    assert host.clock.last >= op.hlc.replace(judge.device_id, host.device_id)


def test_duplicate_submission_gets_the_same_outcome_and_changes_nothing(
    host: Replica, judge: Replica
) -> None:
    good = judge.make("sheet.save", sheet(), author="judge-ada")
    bad = judge.make("sheet.save", sheet("t9"), author="judge-ada")
    wires = [good.to_wire(), bad.to_wire()]
    first = host.submit(wires)
    assert codes_of(first) == [None, "unknown_team"]
    before = (to_json(host), op_count(host), host.vv())
    host.admin("team.put", {"id": "t9", "name": "Late"})  # would now make `bad` acceptable
    snapshot = (to_json(host), op_count(host), host.vv())
    assert host.submit(wires) == first
    assert host.submit(list(reversed(wires))) == list(reversed(first))
    assert (to_json(host), op_count(host), host.vv()) == snapshot
    assert before[1] + 1 == snapshot[1]


def test_op_that_skips_ahead_is_a_gap_and_is_not_stored(host: Replica, judge: Replica) -> None:
    first = judge.make("sheet.save", sheet(), author="judge-ada")
    second = judge.make("sheet.save", sheet("t2"), author="judge-ada")
    vv = host.vv()
    assert codes_of(host.submit([second.to_wire()])) == ["gap"]
    assert host.stored(second.id) is None
    assert host.vv() == vv
    assert codes_of(host.submit([first.to_wire(), second.to_wire()])) == [None, None]
    assert host.vv()[judge.device_id] == 2


def test_forged_signature_is_refused_without_burning_the_op_number(
    host: Replica, judge: Replica
) -> None:
    real = judge.make("sheet.save", sheet(a=10, b=10, c=10), author="judge-ada")
    forged = {**real.to_wire(), "body": sheet(a=100, b=100, c=100)}
    vv = host.vv()
    (outcome,) = host.submit([forged])
    assert outcome.rejection is not None
    assert outcome.rejection.code == "bad_signature"
    assert host.stored(real.id) is None
    assert host.vv() == vv
    assert host.state.sheet("judge-ada", "t1") is None
    assert codes_of(host.submit([real.to_wire()])) == [None]
    assert host.state.sheet("judge-ada", "t1")["scores"]["a"] == 10  # type: ignore[index]


def test_op_signed_by_another_key_is_refused(host: Replica, judge: Replica) -> None:
    real = judge.make("sheet.save", sheet(), author="judge-ada")
    wire = {k: v for k, v in real.to_wire().items() if k != "sig"}
    wire["sig"] = DeviceKey.generate().sign(canonical_json(wire))
    assert codes_of(host.submit([wire])) == ["bad_signature"]
    assert judge.device_id not in host.vv()
    assert codes_of(host.submit([real.to_wire()])) == [None]


def test_op_of_an_unknown_device_is_refused_until_it_is_paired(
    tmp_path: Path, host: Replica
) -> None:
    stranger = Replica.open(tmp_path / "stranger.db", durable=False)
    try:
        op = stranger.make("sheet.save", sheet(), author="judge-bao")
        assert codes_of(host.submit([op.to_wire()])) == ["bad_signature"]
        assert stranger.device_id not in host.vv()
        assert host.stored(op.id) is None
        pair(host, stranger, "judge-bao")
        assert codes_of(host.submit([op.to_wire()])) == [None]
    finally:
        stranger.close()


def test_rejected_op_advances_the_version_vector_so_the_next_is_accepted(
    host: Replica, judge: Replica
) -> None:
    bad = judge.make("sheet.save", sheet("t9"), author="judge-ada")
    assert codes_of(host.submit([bad.to_wire()])) == ["unknown_team"]
    assert host.vv()[judge.device_id] == 1
    assert host.stored(bad.id).status == "rejected"  # type: ignore[union-attr]
    good = judge.make("sheet.save", sheet(), author="judge-ada")
    assert codes_of(host.submit([good.to_wire()])) == [None]
    assert host.vv()[judge.device_id] == 2
    assert [op.id for op in host.accepted_since({judge.device_id: 0})][-1] == good.id
    assert bad.id not in [op.id for op in host.accepted_since({})]


def test_judge_may_not_act_for_another_judge(host: Replica, judge: Replica) -> None:
    op = judge.make("sheet.save", sheet(), author="judge-bao")
    assert codes_of(host.submit([op.to_wire()])) == ["forbidden"]
    assert host.state.sheet("judge-bao", "t1") is None


def test_revoked_device_is_forbidden_even_after_pairing_again(
    host: Replica, judge: Replica
) -> None:
    host.admin("device.revoke", {"device": judge.device_id})
    first = judge.make("sheet.save", sheet(), author="judge-ada")
    assert codes_of(host.submit([first.to_wire()])) == ["forbidden"]
    assert host.vv()[judge.device_id] == 1
    pair(host, judge)
    second = judge.make("sheet.save", sheet(), author="judge-ada")
    assert codes_of(host.submit([second.to_wire()])) == ["forbidden"]
    assert host.state.sheet("judge-ada", "t1") is None


def test_op_stamped_more_than_ten_minutes_ahead_is_clock_skew(
    host: Replica, judge: Replica
) -> None:
    ahead = judge.make("sheet.save", sheet(), author="judge-ada")
    stamp_ms = int(ahead.hlc[:13])
    assert codes_of(host.submit([ahead.to_wire()], now_ms=stamp_ms - TEN_MINUTES - 1)) == [
        "clock_skew"
    ]
    assert host.vv()[judge.device_id] == 1
    assert host.state.sheet("judge-ada", "t1") is None
    just = judge.make("sheet.save", sheet(), author="judge-ada")
    assert codes_of(host.submit([just.to_wire()], now_ms=int(just.hlc[:13]) - TEN_MINUTES)) == [
        None
    ]


def test_malformed_op_is_invalid_and_changes_nothing(host: Replica) -> None:
    before = (op_count(host), host.vv())
    outcomes = host.submit([{"id": "x" * 500}, "not an op", {"kind": "sheet.save"}])
    assert codes_of(outcomes) == ["invalid"] * 3
    assert len(outcomes[0].op_id) <= 200
    assert (op_count(host), host.vv()) == before


def test_outcomes_survive_close_and_reopen(tmp_path: Path, host: Replica, judge: Replica) -> None:
    ops = [
        judge.make("sheet.save", sheet(), author="judge-ada"),
        judge.make("sheet.save", sheet("t9"), author="judge-ada"),
    ]
    wires = [op.to_wire() for op in ops]
    first = host.submit(wires)
    before = (to_json(host), op_count(host), host.vv())
    host.close()
    again = Replica.open(tmp_path / "host.db")
    try:
        assert again.submit(wires) == first
        assert (to_json(again), op_count(again), again.vv()) == before
        assert codes_of(
            again.submit([judge.make("sheet.save", sheet("t9"), author="judge-ada").to_wire()])
        ) == ["unknown_team"]
    finally:
        again.close()


def test_accepted_since_yields_what_a_version_vector_lacks_in_arrival_order(
    host: Replica, judge: Replica
) -> None:
    everything = list(host.accepted_since({}))
    assert [op.n for op in everything] == list(range(1, len(everything) + 1))
    assert list(host.accepted_since(host.vv())) == []
    assert list(host.accepted_since({host.device_id: 3})) == everything[3:]
    sheet_op = judge.make("sheet.save", sheet(), author="judge-ada")
    host.submit([sheet_op.to_wire()])
    admin_op = host.admin("team.put", {"id": "t3", "name": "Cobalt"})
    assert list(host.accepted_since({host.device_id: len(everything)})) == [sheet_op, admin_op]
    assert list(host.accepted_since(judge.vv())) == [admin_op]


def test_accepted_since_for_one_judges_sheets_leaves_the_others_out_and_keeps_the_order(
    tmp_path: Path, host: Replica, judge: Replica
) -> None:
    bao = Replica.open(tmp_path / "bao.db", durable=False)
    pair(host, bao, "judge-bao")
    before = host.vv()
    ada_sheet = judge.make("sheet.save", sheet(), author="judge-ada")
    bao_sheets = [bao.make("sheet.save", sheet(team), author="judge-bao") for team in ("t1", "t2")]
    host.submit([ada_sheet.to_wire(), bao_sheets[0].to_wire()])
    admin_op = host.admin("team.put", {"id": "t3", "name": "Cobalt"})
    host.submit([bao_sheets[1].to_wire()])
    everything = host.accepted_since({})
    for author in ("judge-ada", "judge-bao", "judge-nobody", ""):
        expected = [op for op in everything if op.kind != "sheet.save" or op.author == author]
        assert host.accepted_since({}, author) == expected
    assert host.accepted_since(before, "judge-ada") == [ada_sheet, admin_op]
    assert host.accepted_since(before, "judge-bao") == [bao_sheets[0], admin_op, bao_sheets[1]]
    bao.close()


def test_peer_catching_up_holds_the_same_state_as_the_host(host: Replica, judge: Replica) -> None:
    judge.make("sheet.save", sheet(a=85, b=90, c=88), author="judge-ada")
    deliver(host, judge)
    host.admin("team.put", {"id": "t3", "name": "Cobalt"})
    assert catch_up(host, judge) == 1
    assert catch_up(host, judge) == 0
    assert judge.state.entries == host.state.entries
    assert to_json(judge) == to_json(host)


def test_admin_op_refused_by_the_rules_writes_nothing(host: Replica) -> None:
    before = (to_json(host), op_count(host), host.vv())
    with pytest.raises(Rejected) as refused:
        host.admin("criterion.del", {"id": "a"})  # only in setup
    assert refused.value.rejection.code == "scoring_closed"
    assert (to_json(host), op_count(host), host.vv()) == before
    op = host.admin("team.put", {"id": "t3", "name": "Cobalt"})
    assert op.n == host.vv()[host.device_id] == before[2][host.device_id] + 1


def test_register_self_registers_the_admin_device_once(host: Replica) -> None:
    count = op_count(host)
    host.register_self()
    assert op_count(host) == count
    assert host.state.device(host.device_id)["role"] == "admin"  # type: ignore[index]


# --- a write that fails -------------------------------------------------------------------------


def fail_state_writes(replica: Replica) -> None:
    """Make every write of the state table fail, as a full disk would, midway through a change."""
    replica.db.execute_sql(
        "CREATE TRIGGER fail_insert BEFORE INSERT ON state"
        " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )


def heal(replica: Replica) -> None:
    replica.db.execute_sql("DROP TRIGGER fail_insert")


def test_failed_make_leaves_no_trace_and_burns_no_op_number(host: Replica, judge: Replica) -> None:
    before = (judge.vv(), op_count(judge), dict(judge.state.entries), judge.board.rows())
    fail_state_writes(judge)
    with pytest.raises(peewee.DatabaseError):
        judge.make("sheet.save", sheet(), author="judge-ada")
    assert (judge.vv(), op_count(judge), dict(judge.state.entries), judge.board.rows()) == before
    heal(judge)
    op = judge.make("sheet.save", sheet(), author="judge-ada")
    assert op.n == 1
    assert codes_of(deliver(host, judge)) == [None]


def test_failed_submit_changes_nothing_so_the_resent_ops_are_accepted(
    host: Replica, judge: Replica
) -> None:
    ops = [judge.make("sheet.save", sheet(team), author="judge-ada") for team in ("t1", "t2")]
    before = (host.vv(), op_count(host), to_json(host))
    fail_state_writes(host)
    with pytest.raises(peewee.DatabaseError):
        host.submit([op.to_wire() for op in ops])
    assert (host.vv(), op_count(host), to_json(host)) == before
    heal(host)
    assert codes_of(host.submit([op.to_wire() for op in ops])) == [None, None]
    assert host.vv()[judge.device_id] == 2


# --- join codes and tokens ------------------------------------------------------------------------


def test_host_secrets_and_settings_stay_in_the_hosts_database_beside_another_replica(
    host: Replica, judge: Replica
) -> None:
    # The judge replica was opened after the host: the host must still use its own file.
    code = host.issue_code("judge", "judge-ada")
    token = host.issue_token(judge.device_id)
    host.set_setting("demo", "seeded")
    assert host.find_code(code) == ("judge", "judge-ada")
    assert host.code_for("judge", "judge-ada") == code
    assert host.token_device(token) == judge.device_id
    assert host.setting("demo") == "seeded"
    assert judge.find_code(code) is None
    assert judge.token_device(token) is None
    assert judge.setting("demo") is None
    for table in ("join_code", "token"):
        assert judge.db.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_issued_code_is_shown_as_two_groups_of_four_from_the_alphabet(host: Replica) -> None:
    shown = host.issue_code("judge", "judge-ada")
    assert len(shown) == 9
    assert shown[4] == "-"
    assert all(ch in codes.ALPHABET for ch in shown.replace("-", ""))
    assert host.code_for("judge", "judge-ada") == shown


def test_find_code_ignores_case_dashes_and_spaces(host: Replica) -> None:
    shown = host.issue_code("judge", "judge-ada")
    plain = shown.replace("-", "")
    for typed in (shown, shown.lower(), plain, plain.lower(), f" {plain[:4]} {plain[4:]} "):
        assert host.find_code(typed) == ("judge", "judge-ada")
    display = host.issue_code("display", None)
    assert host.find_code(display) == ("display", None)


def test_find_code_refuses_unknown_and_malformed_codes(host: Replica) -> None:
    shown = host.issue_code("team", "t1")
    other = "".join("A" if ch != "A" else "B" for ch in shown.replace("-", ""))
    assert host.find_code(other) is None
    assert host.find_code("") is None
    assert host.find_code(shown + "A") is None
    assert host.find_code(shown.replace(shown[0], "0")) is None  # 0 is not in the alphabet


def test_token_names_its_device_until_the_device_is_revoked(host: Replica, judge: Replica) -> None:
    token = host.issue_token(judge.device_id)
    assert len(token) >= 22  # at least 128 bits, URL-safe base64
    assert host.token_device(token) == judge.device_id
    assert host.token_device(token + "x") is None
    assert host.token_device("") is None
    stored = [r[0] for r in host.db.execute_sql("SELECT hash FROM token")]
    assert token not in stored
    host.admin("device.revoke", {"device": judge.device_id})
    assert host.token_device(token) is None


def test_ensure_codes_is_idempotent_and_covers_new_entities(host: Replica) -> None:
    host.ensure_codes()
    issued = host.join_codes()
    assert sorted((c["role"], c["id"]) for c in issued) == [
        ("display", None),
        ("judge", "judge-ada"),
        ("judge", "judge-bao"),
        ("team", "t1"),
        ("team", "t2"),
    ]
    host.ensure_codes()
    assert host.join_codes() == issued
    host.admin("judge.put", {"id": "judge-cy", "name": "Cy"})
    host.ensure_codes()
    now = host.join_codes()
    assert len(now) == len(issued) + 1
    assert [c for c in now if c["id"] != "judge-cy"] == issued
    assert len({c["code"] for c in now}) == len(now)


def test_join_codes_leave_out_removed_judges(host: Replica) -> None:
    host.ensure_codes()
    host.admin("judge.del", {"id": "judge-bao"})
    assert "judge-bao" not in [c["id"] for c in host.join_codes()]


def test_codes_and_tokens_never_appear_in_exports(host: Replica, judge: Replica) -> None:
    seed_demo(host)
    token = host.issue_token(judge.device_id)
    secrets = [c["code"] for c in host.join_codes()]
    assert secrets
    exported = to_json(host) + to_csv(host)
    for code in secrets:
        assert code not in exported
        assert code.replace("-", "") not in exported
    assert token not in exported
    assert b64encode(host.key.private_bytes()) not in exported
    assert "code" not in json.loads(to_json(host))


# --- the demo event -------------------------------------------------------------------------------


def test_seed_demo_seeds_a_usable_event(tmp_path: Path) -> None:
    host = Replica.open(tmp_path / "demo.db")
    try:
        assert seed_demo(host)
        state = host.state
        assert len(state.teams()) >= 6
        assert len(state.judges()) >= 4
        assert [c["name"] for c in state.criteria()] == ["Innovation", "Design", "Execution"]
        assert state.phase == "scoring"
        assert state.event()["name"] == load_demo()["name"]
        display = host.code_for("display", None)
        assert display is not None
        assert host.find_code(display) == ("display", None)
        for judge_id in state.judges():
            assert host.code_for("judge", judge_id) is not None
        assert host.state.device(host.device_id)["role"] == "admin"  # type: ignore[index]
    finally:
        host.close()


def test_seed_demo_twice_duplicates_nothing(tmp_path: Path) -> None:
    host = Replica.open(tmp_path / "demo.db")
    try:
        assert seed_demo(host)
        before = (op_count(host), host.join_codes(), to_json(host))
        assert not seed_demo(host)
        assert (op_count(host), host.join_codes(), to_json(host)) == before
    finally:
        host.close()
    again = Replica.open(tmp_path / "demo.db")
    try:
        assert not seed_demo(again)
        assert (op_count(again), again.join_codes(), to_json(again)) == before
    finally:
        again.close()


def test_demo_judge_can_score_a_demo_team(tmp_path: Path) -> None:
    host = Replica.open(tmp_path / "demo.db")
    laptop = Replica.open(tmp_path / "laptop.db", durable=False)
    try:
        seed_demo(host)
        pair(host, laptop, "judge-ada")
        catch_up(host, laptop)
        ids = [c["id"] for c in host.state.criteria()]
        op = laptop.make(
            "sheet.save",
            {"team": "team-aurora", "scores": dict.fromkeys(ids, 80), "comment": "", "final": True},
            author="judge-ada",
        )
        assert codes_of(deliver(host, laptop, [op])) == [None]
        top = host.board.rows()[0]
        assert (top.rank, top.team_id, top.total_score, top.judge_count) == (
            1,
            "team-aurora",
            80.0,
            1,
        )
    finally:
        laptop.close()
        host.close()


# --- property: a peer whose ops were all answered holds the host's state --------------------------

MARKS = ({"a": 50, "b": 50, "c": 50}, {"a": 100, "b": 0, "c": 85}, {"a": 1})
laptop_steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("make"),
            st.integers(0, 1),
            st.sampled_from(["t1", "t2", "t9"]),  # t9 does not exist: unknown_team
            st.sampled_from(MARKS),  # {"a": 1} as a final sheet is invalid
            st.booleans(),
        ),
        st.tuples(st.just("deliver"), st.integers(0, 1), st.integers(1, 3)),
        st.tuples(st.just("resend"), st.integers(0, 1)),
        st.tuples(st.just("catch_up"), st.integers(0, 1)),
        st.tuples(st.just("reopen"), st.integers(0, 1)),
        st.tuples(st.just("phase"), st.sampled_from(["scoring", "locked"])),
    ),
    max_size=30,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=laptop_steps)
def test_peers_whose_ops_were_all_answered_hold_the_hosts_state(
    steps: list[tuple[Any, ...]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        host = Replica.open(folder / "host.db", durable=False, now=FakeClock(tick=1))
        paths = [folder / "ada-1.db", folder / "ada-2.db"]
        # Two laptops of one judge, clocks a little apart.
        clocks = [FakeClock(BASE_MS - 5, tick=1), FakeClock(BASE_MS + 3, tick=1)]
        laptops = [
            Replica.open(p, durable=False, now=c) for p, c in zip(paths, clocks, strict=True)
        ]
        try:
            host.register_self()
            for cid in ("a", "b", "c"):
                host.admin(
                    "criterion.put",
                    {"id": cid, "name": cid, "weight": 1, "min": 0, "max": 100, "step": 1},
                )
            for tid in ("t1", "t2"):
                host.admin("team.put", {"id": tid, "name": tid})
            host.admin("judge.put", {"id": "judge-ada", "name": "Ada"})
            host.admin("event.set", {"field": "phase", "value": "scoring"})
            for laptop in laptops:
                laptop.adopt_event(host.event_id)
                pair(host, laptop)
                catch_up(host, laptop)

            for step in steps:
                action, which = step[0], step[1]
                if action == "phase":
                    host.admin("event.set", {"field": "phase", "value": which})
                    continue
                laptop = laptops[which]
                if action == "make":
                    body = {"team": step[2], "scores": step[3], "comment": "", "final": step[4]}
                    laptop.make("sheet.save", body, author="judge-ada")
                elif action == "deliver":
                    deliver(host, laptop, laptop.pending(limit=step[2]))
                elif action == "resend":
                    mine = list(host.accepted_since({}))  # any, to mix in others' ops too
                    deliver(host, laptop, [*mine[-2:], *laptop.pending()])
                elif action == "catch_up":
                    catch_up(host, laptop)
                else:
                    laptop.close()
                    laptops[which] = Replica.open(paths[which], durable=False, now=clocks[which])

            for laptop in laptops:
                deliver(host, laptop)
            for laptop in laptops:
                catch_up(host, laptop)
                assert laptop.pending_count() == 0
                assert laptop.state.entries == host.state.entries
                assert to_json(laptop) == to_json(host)
                for n in range(1, laptop.vv().get(laptop.device_id, 0) + 1):
                    mine, theirs = (
                        laptop.stored(f"{laptop.device_id}/{n}"),
                        host.stored(f"{laptop.device_id}/{n}"),
                    )
                    assert mine is not None
                    assert theirs is not None
                    assert (mine.status, mine.code) == (theirs.status, theirs.code)
        finally:
            for laptop in laptops:
                laptop.close()
            host.close()


# --- hostile ops: what the host keeps of them (issue 15) ------------------------------------------


def test_a_replay_is_answered_with_its_first_outcome_and_carries_no_op_to_fan_out(
    host: Replica, judge: Replica
) -> None:
    op = judge.make("sheet.save", sheet(), author="judge-ada")
    (first,) = host.submit([op.to_wire()])
    assert first.op == op
    unsigned = {**op.to_wire(), "body": {}, "sig": "A" * 86 + "=="}
    (again,) = host.submit([unsigned])
    assert (again.accepted, again.op) == (True, None)


def test_the_host_keeps_only_the_outcome_of_a_large_refused_op(
    host: Replica, judge: Replica
) -> None:
    long = {**sheet(), "comment": "x" * 60_000}  # refused: a comment is at most 4,000
    wire = judge._new_op("sheet.save", long, "judge-ada").to_wire()
    (outcome,) = host.submit([wire])
    assert outcome.rejection is not None
    assert outcome.rejection.code == "invalid"
    stored = host.stored(wire["id"])
    assert stored is not None
    assert stored.status == "rejected"
    assert stored.op.body == {}
    assert stored.message == outcome.rejection.message
    assert host.submit([wire]) == [outcome]  # the same answer again
    judge._vv[judge.device_id] = 1  # the large op used number 1
    small = judge.make("sheet.save", sheet("t9"), author="judge-ada")  # refused: unknown team
    assert codes_of(host.submit([small.to_wire()])) == ["unknown_team"]
    assert host.stored(small.id).op.body == small.body  # type: ignore[union-attr]


def test_an_op_stored_before_bodies_were_bounded_is_left_out_not_a_crash(
    host: Replica, judge: Replica
) -> None:
    op = judge.make("sheet.save", sheet(), author="judge-ada")
    host.submit([op.to_wire()])
    poison = "[" * 100_000 + "]" * 100_000  # as a host before the fix could have stored it
    host.db.execute_sql("UPDATE op SET body = ? WHERE id = ?", (poison, op.id))
    assert op.id not in [o.id for o in host.accepted_since({})]
    assert host.stored(op.id) is None
    reopened = Replica.open(Path(host.db.database), durable=False)
    try:
        assert [o.id for o in reopened.accepted_since({})] == [
            o.id for o in host.accepted_since({})
        ]
    finally:
        reopened.close()


# --- how many devices a join code pairs (docs/protocol.md 3c) --------------------------------


def _pair_new(host: Replica, code: str) -> str:
    device = str(uuid.uuid4())
    host.record_pairing(code, device, DeviceKey.generate().public_b64)
    return device


def test_codes_pair_two_devices_a_judge_the_members_a_team_and_any_number_of_displays(
    host: Replica,
) -> None:
    host.admin("team.put", {"id": "t3", "name": "Cobalt", "members": ["a", "b", "c", "d"]})
    host.ensure_codes()
    assert host.device_limit(host.code_for("judge", "judge-ada") or "") == 2
    assert host.device_limit(host.code_for("team", "t1") or "") == 2  # no members: at least 2
    assert host.device_limit(host.code_for("team", "t3") or "") == 4
    display = host.code_for("display", None) or ""
    assert host.device_limit(display) is None
    for _ in range(20):
        assert host.code_used_up(display, str(uuid.uuid4())) is None
        _pair_new(host, display)
    assert len(host.display_devices()) == 20
    with pytest.raises(KeyError):
        host.device_limit("ZZZZ-ZZZZ")


def test_a_used_up_code_pairs_its_own_devices_again_and_one_more_once_allowed(
    host: Replica,
) -> None:
    host.ensure_codes()
    code = host.code_for("judge", "judge-ada") or ""
    first, second = _pair_new(host, code), _pair_new(host, code)
    third = str(uuid.uuid4())
    assert host.code_used_up(code, third) == 2
    assert host.code_used_up(code, first) is None
    assert host.code_used_up(code.lower().replace("-", ""), second) is None  # as typed
    assert host.allow_another_device(code) == 3
    assert host.code_used_up(code, third) is None
    host.record_pairing(code, third, DeviceKey.generate().public_b64)
    assert host.code_used_up(code, str(uuid.uuid4())) == 3
    assert host.code_usage()[code] == (3, 3)
    host.set_device_limit(code, 5)
    assert host.device_limit(code) == 5
    host.set_device_limit(code, None)  # back to the default
    assert host.device_limit(code) == 2
    for bad in (0, -1):
        with pytest.raises(ValueError, match="at least one"):
            host.set_device_limit(code, bad)


def test_a_revoked_device_frees_its_place(host: Replica) -> None:
    host.ensure_codes()
    code = host.code_for("judge", "judge-ada") or ""
    lost = _pair_new(host, code)
    _pair_new(host, code)
    assert host.code_used_up(code, str(uuid.uuid4())) == 2
    host.admin("device.revoke", {"device": lost})
    assert host.code_used_up(code, str(uuid.uuid4())) is None
    assert lost not in host.code_devices(code)  # the host refuses it as revoked anyway


def test_a_display_is_registered_on_the_host_alone(host: Replica) -> None:
    host.ensure_codes()
    key = DeviceKey.generate()
    device = str(uuid.uuid4())
    vv = host.vv()
    host.record_pairing(host.code_for("display", None) or "", device, key.public_b64, "Hall A")
    assert host.vv() == vv  # no op, so nothing for any judge's backlog
    assert host.registration(device) == {
        "device": device,
        "pubkey": key.public_b64,
        "role": "display",
        "subject": None,
        "name": "Hall A",
    }
    assert host.state.device(device) is None
    assert '"Hall A"' not in to_json(host)  # host-only, like the codes


# --- what a device still holds unsent (the console's Devices page) ------------------------------


def waiting(host: Replica, device: str) -> int:
    return int(host.seen_devices()[device]["pending"])


def test_ops_that_arrive_after_the_hello_are_not_counted_as_unsent(
    host: Replica, judge: Replica
) -> None:
    for team in ("t1", "t2"):
        judge.make("sheet.save", sheet(team), author="judge-ada")
    host.seen(judge.device_id, BASE_MS, "127.0.0.2", pending=judge.pending_count())
    assert waiting(host, judge.device_id) == 2
    deliver(host, judge, judge.pending()[:1])
    assert waiting(host, judge.device_id) == 1
    deliver(host, judge)
    assert judge.pending_count() == 0
    assert waiting(host, judge.device_id) == 0


def test_a_rejected_op_is_not_counted_as_unsent(host: Replica, judge: Replica) -> None:
    judge.make("sheet.save", sheet(), author="judge-ada")
    host.admin("event.set", {"field": "phase", "value": "locked"})
    host.seen(judge.device_id, BASE_MS, "127.0.0.2", pending=1)
    assert codes_of(deliver(host, judge)) == ["scoring_closed"]
    assert waiting(host, judge.device_id) == 0


def test_ops_the_host_held_before_it_restarted_are_not_unsent_once_answered_again(
    tmp_path: Path, host: Replica, judge: Replica
) -> None:
    made = [judge.make("sheet.save", sheet(team), author="judge-ada") for team in ("t1", "t2")]
    host.admin("event.set", {"field": "phase", "value": "locked"})
    host.submit([op.to_wire() for op in made[:1]])  # the answers are lost with the host
    host.admin("event.set", {"field": "phase", "value": "scoring"})
    host.submit([op.to_wire() for op in made[1:]])
    host.close()  # closing twice is harmless: the fixture closes it again
    again = Replica.open(tmp_path / "host.db")
    try:
        again.seen(judge.device_id, BASE_MS, "127.0.0.2", pending=judge.pending_count())
        assert waiting(again, judge.device_id) == 2
        assert codes_of(deliver(again, judge)) == ["scoring_closed", None]
        assert judge.pending_count() == 0
        assert waiting(again, judge.device_id) == 0
    finally:
        again.close()
    reopened = Replica.open(tmp_path / "host.db")
    try:
        assert waiting(reopened, judge.device_id) == 0  # the count survives a restart
    finally:
        reopened.close()


def test_a_later_hello_counts_afresh(host: Replica, judge: Replica) -> None:
    judge.make("sheet.save", sheet(), author="judge-ada")
    host.seen(judge.device_id, BASE_MS, "127.0.0.2", pending=1)
    deliver(host, judge)
    judge.make("sheet.save", sheet("t2"), author="judge-ada")
    host.seen(judge.device_id, BASE_MS + 1, "127.0.0.2", pending=1)
    assert waiting(host, judge.device_id) == 1
    host.seen(judge.device_id, BASE_MS + 2, "127.0.0.2")  # a close: no new count
    assert waiting(host, judge.device_id) == 1


def test_past_its_cap_a_device_s_refused_ops_are_not_kept_and_answered_alike(
    host: Replica, judge: Replica, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replica_module, "MAX_KEPT_REJECTED_PER_DEVICE", 3)
    ops = [judge.make("sheet.save", sheet(a=500), author="judge-ada") for _ in range(5)]
    first = deliver(host, judge, ops)
    assert codes_of(first) == ["out_of_range"] * 3 + ["forbidden"] * 2
    assert [host.stored(op.id) is not None for op in ops] == [True] * 3 + [False] * 2
    assert host.vv()[judge.device_id] == 5  # handled, kept or not: nothing blocks the next op
    assert host.submit([op.to_wire() for op in ops]) == first  # exactly the first answers
    good = judge.make("sheet.save", sheet(a=50, b=50, c=50), author="judge-ada")
    assert deliver(host, judge, [good])[0].accepted


def test_code_usage_asks_one_query_whatever_the_number_of_codes(host: Replica) -> None:
    for k in range(30):
        host.admin("team.put", {"id": f"x{k}", "name": f"X{k}", "members": ["a", "b", "c"]})
    host.ensure_codes()
    judge = host.code_for("judge", "judge-ada") or ""
    team = host.code_for("team", "x3") or ""
    display = host.code_for("display", None) or ""
    lost = _pair_new(host, judge)
    _pair_new(host, judge)
    _pair_new(host, team)
    for _ in range(3):
        _pair_new(host, display)
    host.admin("device.revoke", {"device": lost})
    host.set_device_limit(team, 7)
    expected = {
        code: (len(host.code_devices(code)), host.device_limit(code))
        for code in (c["code"] for c in host.join_codes())
    }
    statements: list[str] = []
    connection = host.db.connection()
    connection.set_trace_callback(statements.append)
    try:
        usage = host.code_usage()
    finally:
        connection.set_trace_callback(None)
    assert usage == expected
    assert usage[judge] == (1, 2)
    assert usage[team] == (1, 7)
    assert usage[display] == (3, None)
    assert usage[host.code_for("team", "x4") or ""] == (0, 3)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_a_last_seen_record_commits_without_a_sync_and_the_next_op_is_durable_again(
    tmp_path: Path,
) -> None:
    # Issue 14: every hello and every close synced the disk for the console's health view;
    # 3,500 devices reconnecting at once waited 7,000 syncs in the host's loop.
    host = Replica.open(tmp_path / "host.db")
    try:
        levels: list[str] = []
        connection = host.db.connection()
        connection.set_trace_callback(levels.append)
        host.seen("dev-1", 1000, "127.0.0.2", pending=3)
        connection.set_trace_callback(None)
        assert "PRAGMA synchronous = NORMAL" in levels
        assert host.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL again
        other = sqlite3.connect(tmp_path / "host.db")  # committed: another reader sees it
        assert other.execute("SELECT address FROM device_seen").fetchall() == [("127.0.0.2",)]
        other.close()
        with host.db.atomic():  # inside a transaction it joins it, and changes no pragma
            connection.set_trace_callback(levels.append)
            levels.clear()
            host.seen("dev-1", 2000, "127.0.0.3")
            connection.set_trace_callback(None)
        assert not [s for s in levels if "PRAGMA" in s]
        host.admin("team.put", {"id": "t9", "name": "Nine"})
        assert host.seen_devices()["dev-1"]["last_seen_ms"] == 2000
    finally:
        host.close()
