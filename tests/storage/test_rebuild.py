"""Tests for rebuilding a lost host from a judge's replica (storage.rebuild)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from storage.db import DatabaseError
from storage.demo import seed_demo
from storage.ops import Op
from storage.rebuild import REBUILT_SETTING, rebuild_host
from storage.replica import Outcome, Replica, StoredOp
from tests.kit import FakeClock


def sheet(team: str, mark: int, *, final: bool = True) -> dict[str, Any]:
    return {"team": team, "scores": {"c": mark}, "comment": "", "final": final}


@dataclass
class Venue:
    """An old host, judges j1 and j2 paired on laptops A and B, j3 never paired."""

    folder: Path
    clock: FakeClock
    host: Replica
    a: Replica
    b: Replica

    def deliver(self, peer: Replica, host: Replica | None = None, **kwargs: Any) -> list[Outcome]:
        """Send a peer's pending ops to a host and record its answers, as a link does."""
        host = host or self.host
        outcomes = host.submit([op.to_wire() for op in peer.pending()], **kwargs)
        peer.record_ack(
            [o.op_id for o in outcomes if o.accepted],
            [o.rejection.to_wire(o.op_id) for o in outcomes if o.rejection is not None],
        )
        return outcomes

    def catch_up(self, peer: Replica, judge: str, *, wide: bool = False) -> None:
        """Send a judge what it may read (admin ops, its own sheets, all sheets when wide)."""
        ops = [
            op
            for op in self.host.accepted_since(peer.vv())
            if op.kind != "sheet.save" or op.author == judge or wide
        ]
        peer.receive([op.to_wire() for op in ops], self.host.vv())

    def relay(self, peer: Replica, host: Replica) -> list[Outcome]:
        """What a peer sends a host after its welcome: relays and own ops, with history."""
        stored = peer.ops_for_host(host.vv())
        history = {s.op.id for s in stored if s.status == "accepted"}
        outcomes = host.submit([s.op.to_wire() for s in stored], history=history)
        mine = [o for o in outcomes if o.op_id.startswith(peer.device_id)]
        peer.record_ack(
            [o.op_id for o in mine if o.accepted],
            [o.rejection.to_wire(o.op_id) for o in mine if o.rejection is not None],
        )
        return outcomes

    def close(self) -> None:
        for replica in (self.host, self.a, self.b):
            replica.close()


def pair(host: Replica, peer: Replica, judge: str) -> None:
    host.admin(
        "device.put",
        {
            "device": peer.device_id,
            "pubkey": peer.key.public_b64,
            "role": "judge",
            "subject": judge,
            "name": f"laptop of {judge}",
        },
    )


@pytest.fixture
def venue(tmp_path: Path) -> Iterator[Venue]:
    clock = FakeClock(tick=1)
    host = Replica.open(tmp_path / "old-host.db", durable=False, now=clock)
    host.register_self()
    host.admin("event.set", {"field": "name", "value": "Robotics Open"})
    host.admin(
        "criterion.put", {"id": "c", "name": "C", "weight": 1, "min": 0, "max": 10, "step": 1}
    )
    for tid in ("t1", "t2"):
        host.admin("team.put", {"id": tid, "name": f"Team {tid}"})
    for jid, name in (("j1", "Ada"), ("j2", "Bo"), ("j3", "Cy")):
        host.admin("judge.put", {"id": jid, "name": name})
    host.admin("event.set", {"field": "phase", "value": "scoring"})
    a = Replica.open(tmp_path / "a.db", durable=False, now=clock)
    b = Replica.open(tmp_path / "b.db", durable=False, now=clock)
    for peer, judge in ((a, "j1"), (b, "j2")):
        pair(host, peer, judge)
        peer.adopt_event(host.event_id)
    v = Venue(tmp_path, clock, host, a, b)
    v.catch_up(a, "j1")
    v.catch_up(b, "j2")
    yield v
    v.close()


def open_rebuilt(venue: Venue, source: Replica) -> tuple[Replica, Any]:
    target = venue.folder / "new-host.db"
    report = rebuild_host(Path(source.db.database), target, now=venue.clock)
    return Replica.open(target, durable=False, now=venue.clock), report


def test_a_judge_replica_rebuilds_the_event_and_the_other_judges_relay_what_it_lacked(
    venue: Venue,
) -> None:
    a, b, host = venue.a, venue.b, venue.host
    a.make("sheet.save", sheet("t1", 7), "j1")
    a.make("sheet.save", sheet("t2", 5), "j1")
    b.make("sheet.save", sheet("t1", 9), "j2")
    venue.deliver(a)
    venue.deliver(b)
    acked = {op.id for op in (*own_accepted(a), *own_accepted(b))}
    assert len(acked) == 3
    # The organiser locks scoring; B hears of it, A does not. Then the host laptop dies.
    host.admin("event.set", {"field": "phase", "value": "locked"})
    venue.catch_up(b, "j2")
    venue.catch_up(a, "j1")  # A is current up to the lock...
    lock_n = host.vv()[host.device_id]
    host.admin("notify", {"audience": "judges", "target": None, "message": "Lunch at one"})
    venue.catch_up(b, "j2")  # ...and only B holds the last notification
    b.make("sheet.save", sheet("t2", 4), "j2")  # offline, after the lock: never sent

    new, report = open_rebuilt(venue, a)
    try:
        assert new.event_id == host.event_id
        assert new.device_id != host.device_id
        assert new.state.phase == "locked"
        assert new.vv()[host.device_id] == lock_n
        assert report.source_judge == "Ada"
        assert report.paired == ["Ada", "Bo"]
        assert report.unpaired == ["Cy"]
        assert report.imported > 0
        assert not report.skipped
        assert new.code_for("judge", "j3") is not None  # new codes: none came from the old host
        assert json.loads(new.setting(REBUILT_SETTING) or "{}")["judge"] == "j1"
        # B reconnects: it relays the admin op A lacked, its own acked sheet, then its new one.
        outcomes = venue.relay(b, new)
        decided = {o.op_id: o for o in outcomes}
        assert decided[f"{host.device_id}/{lock_n + 1}"].accepted
        pending = [o for o in outcomes if o.op_id.startswith(b.device_id) and not o.accepted]
        assert [o.rejection.code for o in pending if o.rejection] == ["scoring_closed"]
        for op_id in acked:
            stored = new.stored(op_id)
            assert stored is not None, op_id
            assert stored.status == "accepted", op_id
        for key, entry in host.state.entries.items():
            if not key.startswith("device/"):
                assert new.state.entries.get(key) == entry, key
        assert new.board.rows() == host.board.rows()
        assert b.pending_count() == 0
    finally:
        new.close()


def test_acked_sheets_count_though_the_phase_has_moved_on_and_only_with_a_history_claim(
    venue: Venue,
) -> None:
    """Sheets a judge was told were saved count on the rebuilt host although it is locked
    now; the same op without the claim is decided by today's rules, as any new op."""
    a, b, host = venue.a, venue.b, venue.host
    b.make("sheet.save", sheet("t1", 9), "j2")
    venue.deliver(b)
    host.admin("event.set", {"field": "phase", "value": "locked"})
    venue.catch_up(a, "j1")
    (op,) = own_accepted(b)
    new, _ = open_rebuilt(venue, a)
    try:
        assert new.state.phase == "locked"
        (refused,) = new.submit([op.to_wire()], history=())
        assert refused.rejection is not None
        assert refused.rejection.code == "scoring_closed"
    finally:
        new.close()
    (venue.folder / "new-host.db").unlink()
    new, _ = open_rebuilt(venue, a)
    try:
        (taken,) = new.submit([op.to_wire()], history={op.id})
        assert taken.accepted
        assert new.state.sheet("j2", "t1") == host.state.sheet("j2", "t1")
    finally:
        new.close()


def test_a_history_claim_counts_only_for_ops_stamped_before_the_rebuild(venue: Venue) -> None:
    a, b = venue.a, venue.b
    venue.host.admin("event.set", {"field": "phase", "value": "locked"})
    venue.catch_up(a, "j1")
    new, _ = open_rebuilt(venue, a)
    try:
        # B's clock runs ahead of the rebuild: a sheet made after it is a new op, claim or not.
        venue.clock.ms += 60_000
        b.clock.observe(new.clock.tick())
        op = b.make("sheet.save", sheet("t1", 3), "j2")
        (outcome,) = new.submit([op.to_wire()], history={op.id})
        assert outcome.rejection is not None
        assert outcome.rejection.code == "scoring_closed"
    finally:
        new.close()


def hold_only_the_winning_sheet(venue: Venue) -> tuple[Op, StoredOp]:
    """B saves a draft then a final sheet for t1; A, which sees results, receives only the
    winning one (as a welcome's backlog sends it). Return B's draft and the winning sheet."""
    a, b, host = venue.a, venue.b, venue.host
    host.admin("event.set", {"field": "judges_see_results", "value": True})
    first = b.make("sheet.save", sheet("t1", 2, final=False), "j2")
    b.make("sheet.save", sheet("t1", 8), "j2")
    venue.deliver(b)
    venue.catch_up(a, "j1")
    winning = host.stored(host.state.entries["sheet/j2/t1"].op_id)
    assert winning is not None
    a.receive([winning.op.to_wire()], host.vv())
    return first, winning


def test_sheets_held_beyond_a_hole_are_kept_and_answered_when_their_judge_returns(
    venue: Venue,
) -> None:
    """A judge that sees results holds the others' winning sheets, not all their ops: the
    rebuilt host keeps them, and steps its vv over them once the ops before arrive."""
    a, b, host = venue.a, venue.b, venue.host
    first, winning = hold_only_the_winning_sheet(venue)
    assert a.stored(first.id) is None
    new, _ = open_rebuilt(venue, a)
    try:
        assert new.vv().get(b.device_id, 0) == 0  # op 1 is missing: op 2 is held ahead
        assert new.state.sheet("j2", "t1") == host.state.sheet("j2", "t1")
        outcomes = venue.relay(b, new)
        assert [o.accepted for o in outcomes if o.op_id.startswith(b.device_id)] == [True, True]
        assert new.vv()[b.device_id] == 2
        stored = new.stored(winning.op.id)
        assert stored is not None
        assert stored.status == "accepted"
    finally:
        new.close()
    reopened = Replica.open(venue.folder / "new-host.db", durable=False, now=venue.clock)
    try:
        assert reopened.vv()[b.device_id] == 2
    finally:
        reopened.close()


def test_an_admin_op_beyond_a_hole_in_the_relaying_judges_copy_reaches_the_rebuilt_host(
    venue: Venue,
) -> None:
    """Judges hold the admin ops with holes (a notification to the teams reaches no judge), and
    the op before the hole may be lost with the old host: a relay must not stop at the hole, and
    the rebuilt host holds what follows it ahead, and sends it on (found by the model test)."""
    a, b, host = venue.a, venue.b, venue.host
    note = host.admin("notify", {"audience": "teams", "target": None, "message": "Pizza"})
    lock = host.admin("event.set", {"field": "phase", "value": "locked"})
    b.receive([lock.to_wire()], host.vv())  # B hears of the lock; A of neither
    new, _ = open_rebuilt(venue, a)
    try:
        assert new.state.phase == "scoring"
        outcomes = {o.op_id: o for o in venue.relay(b, new)}
        assert note.id not in outcomes  # B never had it
        assert outcomes[lock.id].accepted
        assert new.state.phase == "locked"
        assert new.vv()[host.device_id] == note.n - 1  # the lock is held ahead of the hole
        assert lock.id in {op.id for op in new.accepted_since(a.vv())}  # and A is sent it
        (again,) = new.submit([lock.to_wire()], history={lock.id})  # a replay changes nothing
        assert again.accepted
        assert again.op is None
    finally:
        new.close()
    reopened = Replica.open(venue.folder / "new-host.db", durable=False, now=venue.clock)
    try:
        assert reopened.state.phase == "locked"
        assert reopened.vv()[host.device_id] == note.n - 1
    finally:
        reopened.close()


def test_a_rebuilt_host_reopened_still_holds_ops_ahead(venue: Venue) -> None:
    a, b = venue.a, venue.b
    hold_only_the_winning_sheet(venue)
    new, _ = open_rebuilt(venue, a)
    new.close()
    new = Replica.open(venue.folder / "new-host.db", durable=False, now=venue.clock)
    try:
        outcomes = venue.relay(b, new)
        assert all(o.accepted for o in outcomes if o.op_id.startswith(b.device_id))
        assert new.vv()[b.device_id] == 2
    finally:
        new.close()


def test_the_source_judges_waiting_sheets_are_decided_by_the_rebuild(venue: Venue) -> None:
    a = venue.a
    a.make("sheet.save", sheet("t1", 7), "j1")
    venue.deliver(a)
    waiting = a.make("sheet.save", sheet("t2", 6), "j1")
    refused = a.make("sheet.save", sheet("t9", 6), "j1")  # no such team
    new, report = open_rebuilt(venue, a)
    try:
        assert report.decided == 2
        good, bad = new.stored(waiting.id), new.stored(refused.id)
        assert good is not None
        assert good.status == "accepted"
        assert bad is not None
        assert (bad.status, bad.code) == ("rejected", "unknown_team")
        # When A reconnects it learns the same outcomes, changing nothing on the host.
        outcomes = venue.relay(a, new)
        assert {o.op_id: o.accepted for o in outcomes if o.op_id in (waiting.id, refused.id)} == {
            waiting.id: True,
            refused.id: False,
        }
        assert a.pending_count() == 0
    finally:
        new.close()


def test_the_source_replica_is_never_written(venue: Venue) -> None:
    a = venue.a
    a.make("sheet.save", sheet("t1", 7), "j1")  # waiting, in A's WAL: the judge window is open
    path = Path(a.db.database)
    files = [path, Path(f"{path}-wal")]
    before = [(f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.exists()]
    new, _ = open_rebuilt(venue, a)
    new.close()
    assert [(f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.exists()] == before
    assert a.pending_count() == 1


def test_ops_whose_signature_does_not_verify_are_left_out(venue: Venue) -> None:
    a = venue.a
    a.make("sheet.save", sheet("t1", 7), "j1")
    venue.deliver(a)
    a.close()
    raw = sqlite3.connect(venue.folder / "a.db")
    with raw:
        raw.execute(
            "UPDATE op SET body = replace(body, '\"c\":7', '\"c\":10') WHERE kind = 'sheet.save'"
        )
    raw.close()
    venue.a = Replica.open(venue.folder / "a.db", durable=False, now=venue.clock)
    new, report = open_rebuilt(venue, venue.a)
    try:
        assert len(report.skipped) == 1
        assert new.state.sheet("j1", "t1") is None
        assert any("signatures do not verify" in line for line in report.lines())
    finally:
        new.close()


def refusal(source: Path, target: Path) -> str:
    with pytest.raises(DatabaseError) as caught:
        rebuild_host(source, target)
    assert not target.exists() or target.stat().st_size == 0
    assert not Path(f"{target}.rebuilding").exists()
    return str(caught.value)


def test_what_cannot_serve_as_a_source_is_refused_with_a_reason(
    venue: Venue, tmp_path: Path
) -> None:
    target = tmp_path / "new.db"
    assert "no replica" in refusal(tmp_path / "missing.db", target)
    assert "host's database" in refusal(Path(venue.host.db.database), target)
    fresh = Replica.open(tmp_path / "fresh.db", durable=False)
    fresh.close()
    assert "never joined" in refusal(tmp_path / "fresh.db", target)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    assert "another program" in refusal(other, target)
    target.write_text("important")
    with pytest.raises(DatabaseError, match="already exists"):
        rebuild_host(Path(venue.a.db.database), target)
    assert target.read_text() == "important"


def test_a_team_replica_holds_no_ops_and_is_refused(venue: Venue, tmp_path: Path) -> None:
    team = Replica.open(tmp_path / "team.db", durable=False, now=venue.clock)
    venue.host.admin(
        "device.put",
        {
            "device": team.device_id,
            "pubkey": team.key.public_b64,
            "role": "team",
            "subject": "t1",
            "name": "",
        },
    )
    # A team is sent no ops; suppose it held the admin ops anyway: it is still no judge.
    team.receive([op.to_wire() for op in venue.host.accepted_since({})], venue.host.vv())
    team.close()
    assert "team's replica" in refusal(tmp_path / "team.db", tmp_path / "new.db")


def own_accepted(replica: Replica) -> list[Op]:
    """Return the ops a judge's laptop holds as accepted by the host (its acked ones)."""
    return [op for op in replica.accepted_since({}) if op.device == replica.device_id]


def test_a_rebuilt_hosts_new_codes_count_the_laptops_the_replica_kept(tmp_path: Path) -> None:
    """docs/protocol.md 3c: a judge's laptops paired before the rebuild use up its new code."""
    host = Replica.open(tmp_path / "old-host.db")
    seed_demo(host)
    laptops = [Replica.open(tmp_path / f"judge{k}.db") for k in range(2)]
    for laptop in laptops:
        laptop.adopt_event(host.event_id)
        body = {"device": laptop.device_id, "pubkey": laptop.key.public_b64}
        host.admin("device.put", {**body, "role": "judge", "subject": "judge-ada", "name": ""})
    for laptop in laptops:
        laptop.receive([op.to_wire() for op in host.accepted_since(laptop.vv())], host.vv())
    host.close()
    laptops[1].close()
    laptops[0].close()
    rebuild_host(tmp_path / "judge0.db", tmp_path / "new-host.db")
    rebuilt = Replica.open(tmp_path / "new-host.db")
    code = rebuilt.code_for("judge", "judge-ada") or ""
    assert sorted(rebuilt.code_devices(code)) == sorted(lap.device_id for lap in laptops)
    assert rebuilt.code_used_up(code, str(uuid.uuid4())) == 2
    assert rebuilt.code_used_up(code, laptops[1].device_id) is None
    rebuilt.close()
