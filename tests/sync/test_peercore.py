"""Tests of the peer's protocol core: a frame in, actions out, on real replicas, no socket.

The frames come from a real `HostCore` where the host would send them, and are written out by
hand where a host would not (malformed, out of order, or from another protocol version).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.replica import Replica
from storage.signing import verify
from sync import messages as m
from sync.hostcore import Commit, HostCore, Session
from sync.hostcore import Send as HostSend
from sync.peer import LinkStatus
from sync.peercore import Acked, Action, Close, Deliver, Fail, PeerCore, Send, Status
from tests.kit import BASE_MS, FakeClock

FP = "f" * 64
TARGET = "127.0.0.1:8765"


class Host:
    """A real host core on a real replica, with one session for the peer under test."""

    def __init__(self, path: Path, clock: FakeClock) -> None:
        self.replica = Replica.open(path, durable=False, now=clock)
        self.replica.register_self()
        self.replica.admin(
            "criterion.put", {"id": "c1", "name": "c1", "weight": 1, "min": 0, "max": 10, "step": 1}
        )
        for tid in ("t1", "t2"):
            self.replica.admin("team.put", {"id": tid, "name": f"Team {tid}"})
        self.replica.admin("judge.put", {"id": "j1", "name": "Judge j1"})
        self.replica.admin("event.set", {"field": "phase", "value": "scoring"})
        self.replica.ensure_codes()
        self.core = HostCore(self.replica, now=clock, rate=1e9, burst=1e9, fingerprint=FP)
        self.session = self.open()

    def open(self) -> Session:
        session = self.core.open("127.0.0.2")
        assert session is not None
        return session

    def code(self, role: str = "judge", subject: str | None = "j1") -> str:
        code = self.replica.code_for(role, subject)
        assert code is not None
        return code

    def frames(self, actions: list[Any]) -> list[str]:
        """The frames `actions` send to this peer's session."""
        return [a.frame for a in actions if isinstance(a, HostSend) and self.session in a.sessions]

    def take(self, frame: str) -> list[str]:
        """Hand the host one frame from the peer (committing any submit); return its answers."""
        actions = self.core.receive(self.session, frame)
        commits = [a for a in actions if isinstance(a, Commit)]
        if commits:
            actions = [a for a in actions if not isinstance(a, Commit)] + self.core.commit(commits)
        return self.frames(actions)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def host(tmp_path: Path, clock: FakeClock) -> Iterator[Host]:
    made = Host(tmp_path / "host.db", clock)
    yield made
    made.replica.close()


@pytest.fixture
def judge(tmp_path: Path, clock: FakeClock) -> Iterator[Replica]:
    replica = Replica.open(tmp_path / "judge.db", durable=False, now=clock)
    yield replica
    replica.close()


def sent(actions: list[Action]) -> list[dict[str, Any]]:
    """The messages the actions send, decoded."""
    return [json.loads(a.text) for a in actions if isinstance(a, Send)]


def status(actions: list[Action]) -> LinkStatus:
    """The link status after the actions' status changes."""
    current = LinkStatus()
    for action in actions:
        if isinstance(action, Status):
            current = LinkStatus(**{**current.__dict__, **action.changes})
    return current


def only(actions: list[Action], kind: type[Any]) -> list[Any]:
    return [a for a in actions if isinstance(a, kind)]


def handshake(core: PeerCore, host: Host, clock: FakeClock, fp: str | None = FP) -> list[Action]:
    """Connect, say hello, and feed the host's answers back until welcomed; return all actions."""
    actions = core.connected(TARGET, "Science Fair", fp, clock())
    out = list(actions)
    frames = [a.text for a in actions if isinstance(a, Send)]
    while frames and not core.welcomed:
        replies = [r for f in frames for r in host.take(f)]
        frames = []
        for reply in replies:
            got = core.receive(reply, clock())
            out += got
            frames += [a.text for a in got if isinstance(a, Send) and not core.welcomed]
    return out


def paired(host: Host, judge: Replica, clock: FakeClock) -> PeerCore:
    """A judge's core welcomed by the host with its code, with the backlog applied."""
    core = PeerCore(judge, code=host.code(), name="laptop 7")
    handshake(core, host, clock)
    assert core.welcomed
    return core


def save(judge: Replica, team: str = "t1", score: int = 7) -> str:
    body = {"team": team, "scores": {"c1": score}, "comment": "", "final": True}
    return judge.make("sheet.save", body, "j1").id


# --- hello --------------------------------------------------------------------------------------


def test_hello_with_a_code_carries_the_key_the_name_and_the_clock_passed_in(
    judge: Replica,
) -> None:
    core = PeerCore(judge, code="K7QF-M2XD", name="laptop 7")
    [hello] = sent(core.connected(TARGET, TARGET, None, 1_234))
    assert hello == {
        "type": "hello",
        "protocol": 1,
        "device": judge.device_id,
        "vv": {},
        "name": "laptop 7",
        "pending": 0,
        "clock": 1_234,
        "deltas": True,
        "boards": True,
        "code": "K7QF-M2XD",
        "pubkey": judge.key.public_b64,
    }
    assert m.parse_hello(hello).code == "K7QF-M2XD"  # what the host's parser takes
    assert m.parse_hello(hello).deltas is True
    assert m.parse_hello(hello).boards is True


def test_hello_brings_the_token_once_paired_but_a_code_the_user_gave_comes_first(
    judge: Replica,
) -> None:
    judge.set_setting("token", "tok-1")
    [hello] = sent(PeerCore(judge).connected(TARGET, TARGET, None, 0))
    assert (hello["token"], "code" in hello, "pubkey" in hello) == ("tok-1", False, False)
    [hello] = sent(PeerCore(judge, code="K7QF-M2XD").connected(TARGET, TARGET, None, 0))
    assert (hello["code"], "token" in hello) == ("K7QF-M2XD", False)


def test_an_unpaired_device_without_a_code_sends_nothing_and_stops(judge: Replica) -> None:
    actions = PeerCore(judge).connected(TARGET, TARGET, None, 0)
    assert actions == [Fail("this device is not paired yet: enter a join code", retry=False)]


# --- the handshake ------------------------------------------------------------------------------


def test_a_welcome_keeps_the_token_pin_event_and_address_and_spends_the_code(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = PeerCore(judge, code=host.code())
    actions = handshake(core, host, clock)
    assert core.welcomed
    assert core.code is None
    assert judge.setting("token")
    assert judge.setting("host_fp") == FP
    assert judge.setting("host_event") == host.replica.event_id == judge.event_id
    assert (judge.setting("host_target"), judge.setting("host_tls")) == (TARGET, "1")
    seen = status(actions)
    assert (seen.state, seen.host, seen.role, seen.subject) == (
        "online",
        "Science Fair",
        "judge",
        "j1",
    )
    assert seen.last_contact_ms == clock()
    assert seen.offered_fp is None
    welcomes = [a.message for a in only(actions, Deliver) if a.message["type"] == "welcome"]
    assert len(welcomes) == 1
    # A judge's backlog follows; only its last frame (with the host's vv) makes it synced.
    assert core.synced
    assert judge.state.teams().keys() == {"t1", "t2"}


def test_a_welcome_without_tls_pins_nothing(host: Host, judge: Replica, clock: FakeClock) -> None:
    handshake(PeerCore(judge, code=host.code()), host, clock, fp=None)
    assert judge.setting("host_fp") is None
    assert judge.setting("host_tls") == "0"


def test_a_display_is_synced_at_its_welcome_a_judge_only_by_its_backlog(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    display = PeerCore(judge, code=host.code("display", None))
    [hello] = [
        a.text for a in display.connected(TARGET, TARGET, FP, clock()) if isinstance(a, Send)
    ]
    welcome = host.take(hello)[0]
    display.receive(welcome, clock())
    assert display.synced
    other = PeerCore(judge, code="X")
    other.connected(TARGET, TARGET, FP, clock())
    welcome_judge = json.loads(welcome) | {"role": "judge", "token": None}
    other.receive(m.encode(welcome_judge), clock())
    assert other.welcomed
    assert not other.synced


def test_a_challenge_is_answered_with_a_proof_bound_to_the_host_and_its_certificate(
    judge: Replica, clock: FakeClock
) -> None:
    judge.set_setting("token", "unknown-to-this-host")
    core = PeerCore(judge)
    core.connected(TARGET, TARGET, FP, clock())
    challenge = {"type": "challenge", "nonce": "n" * 43, "host": "host-device"}
    [prove] = sent(core.receive(m.encode(challenge), clock()))
    assert prove["type"] == "prove"
    payload = m.rejoin_payload(judge.device_id, "host-device", "n" * 43, FP)
    assert verify(payload, prove["sig"], judge.key.public_b64)
    assert not verify(
        m.rejoin_payload(judge.device_id, "host-device", "n" * 43, None),
        prove["sig"],
        judge.key.public_b64,
    )
    # A second challenge in one session is not the protocol: the peer gives up on the link.
    again = core.receive(m.encode(challenge), clock())
    assert only(again, Close) == [Close(4400, "the host did not say welcome")]
    assert only(again, Fail)[0].retry


def test_a_rebuilt_host_welcomes_a_paired_device_that_proves_its_key(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    paired(host, judge, clock)
    judge.set_setting("token", "a token this host never issued")
    host.session = host.open()
    core = PeerCore(judge)
    actions = handshake(core, host, clock)
    assert [m["type"] for m in sent(actions)][:2] == ["hello", "prove"]
    assert core.welcomed
    assert judge.setting("token") != "a token this host never issued"


@pytest.mark.parametrize(
    ("code", "retry"),
    [
        ("unauthorized", False),
        ("revoked", False),
        ("bad_request", False),
        ("replaced", False),
        ("rate_limited", True),
        ("too_many_attempts", True),
    ],
)
def test_an_error_in_the_handshake_ends_the_session_retrying_only_where_it_may_help(
    judge: Replica, code: str, retry: bool
) -> None:
    core = PeerCore(judge, code="ABCD-EFGH")
    core.connected(TARGET, TARGET, None, 0)
    actions = core.receive(m.encode(m.error(code, f"no: {code}")), 0)
    assert actions == [Fail(f"no: {code}", retry=retry)]
    assert not core.welcomed
    assert judge.setting("token") is None


def test_a_wrong_code_is_refused_by_the_real_host_and_the_core_stops(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    actions = handshake(PeerCore(judge, code="ABCD-EFGH"), host, clock)
    [fail] = only(actions, Fail)
    assert not fail.retry
    assert "join code" in fail.reason


def test_a_partial_vv_merges_into_what_the_peer_knows_and_resend_still_works(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = paired(host, judge, clock)
    own = judge.device_id
    hid = host.replica.device_id
    ids = [save(judge, team) for team in ("t1", "t2")]
    for frame in sent(core.saved()):
        for answer in host.take(m.encode(frame)):
            core.receive(answer, clock())
    assert judge.vv()[own] == 2
    core.synced = False
    # A live frame of an admin op names the host's device only; the judge's entry stays.
    _, actions = host.core.admin("team.put", {"id": "t3", "name": "Team t3"})
    [frame] = [json.loads(f) for f in host.frames(actions)]
    assert frame["vv"] == {hid: host.replica.vv()[hid]}
    core.receive(m.encode(frame), clock())
    assert judge.vv() == {hid: host.replica.vv()[hid], own: 2}
    assert core.synced
    # An entry smaller than one held lowers nothing.
    core.receive(m.encode({"type": "ops", "ops": [], "vv": {hid: 1, own: 1}}), clock())
    assert judge.vv() == {hid: host.replica.vv()[hid], own: 2}
    # Resend still goes from the next welcome's vv, whatever the frames said.
    pending = save(judge, "t1", 9)
    core.connected(TARGET, TARGET, FP, clock())
    vv = {hid: host.replica.vv()[hid], own: 1}
    welcome = {"type": "welcome", "role": "judge", "subject": "j1", "event": {}, "vv": vv}
    [submit] = sent(core.receive(m.encode(welcome), clock()))
    assert [op["id"] for op in submit["ops"]] == [ids[1], pending]


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        b'{"type":"welcome"}',
        "[1, 2]",
        '{"kind":"welcome"}',
        '{"type":"ack","accepted":[],"rejected":[]}',
        '{"type":"challenge","nonce":5,"host":"h"}',
        '{"type":"welcome","role":"judge","vv":[1]}',
    ],
    ids=["not-json", "binary", "array", "no-type", "ack-first", "bad-challenge", "bad-vv"],
)
def test_a_bad_frame_before_the_welcome_closes_4400_and_retries_keeping_everything(
    judge: Replica, frame: str | bytes
) -> None:
    judge.set_setting("token", "tok")
    op_id = save(judge)
    core = PeerCore(judge)
    core.connected(TARGET, TARGET, FP, 0)
    actions = core.receive(frame, 0)
    assert [type(a) for a in actions] == [Close, Fail]
    assert only(actions, Close)[0].code == 4400
    assert only(actions, Fail)[0].retry
    assert not core.welcomed
    assert judge.setting("token") == "tok"
    assert judge.setting("host_fp") is None
    assert [op.id for op in judge.pending()] == [op_id]


# --- after the welcome: resend, acks, gaps ------------------------------------------------------


def test_new_ops_wait_for_a_welcome_then_go_once_each(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = PeerCore(judge, code=host.code())
    first = save(judge)
    actions = core.saved()
    assert sent(actions) == []  # no session: counted, not sent
    assert status(actions).pending == 1
    core.connected(TARGET, TARGET, FP, clock())
    assert sent(core.saved()) == []  # not welcomed yet: only the hello may go
    actions = handshake(core, host, clock)
    submits = [s for s in sent(actions) if s["type"] == "submit"]
    assert [[op["id"] for op in s["ops"]] for s in submits] == [[first]]
    second = save(judge, "t2")
    [submit] = sent(core.saved())
    assert [op["id"] for op in submit["ops"]] == [second]
    assert "history" not in submit
    assert sent(core.flush()) == []  # both in flight: nothing sent twice


def test_after_a_welcome_the_peer_resends_from_the_hosts_vv_relays_first_with_history(
    host: Host, judge: Replica, clock: FakeClock, tmp_path: Path
) -> None:
    core = paired(host, judge, clock)
    ids = [save(judge, team) for team in ("t1", "t2")]
    for frame in sent(core.saved()):
        for answer in host.take(m.encode(frame)):
            core.receive(answer, clock())
    assert judge.pending_count() == 0
    pending = save(judge, "t1", 9)
    # A host restored from a copy taken before any of it: its vv lacks the judge and its own
    # last admin op, which the judge holds and relays first.
    host_n = host.replica.vv()[host.replica.device_id]
    vv = {host.replica.device_id: host_n - 1}
    core.connected(TARGET, TARGET, FP, clock())
    welcome = {"type": "welcome", "role": "judge", "subject": "j1", "event": {}, "vv": vv}
    [submit] = sent(core.receive(m.encode(welcome), clock()))
    relayed = f"{host.replica.device_id}/{host_n}"
    assert [op["id"] for op in submit["ops"]] == [relayed, *ids, pending]
    assert submit["history"] == [relayed, *ids]


def test_acks_record_outcomes_and_duplicates_change_nothing(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = paired(host, judge, clock)
    good, bad = save(judge, "t1"), save(judge, "t2", 11)  # 11 is off the 0-10 scale
    answers = [a for f in sent(core.saved()) for a in host.take(m.encode(f))]
    [ack] = [a for a in answers if json.loads(a)["type"] == "ack"]
    actions = core.receive(ack, clock())
    [acked] = only(actions, Acked)
    assert (acked.accepted, [r["code"] for r in acked.rejected]) == ([good], ["out_of_range"])
    assert not only(actions, Close)
    assert status(actions).pending == 0
    assert judge.stored(good).status == "accepted"  # type: ignore[union-attr]
    assert judge.stored(bad).code == "out_of_range"  # type: ignore[union-attr]
    state = dict(judge.state.entries)
    again = core.receive(ack, clock())  # a duplicate ack
    assert only(again, Acked) == [acked]
    assert not only(again, Close)
    assert dict(judge.state.entries) == state
    assert sent(core.flush()) == []


def test_a_gap_about_its_own_op_closes_once_to_resync_and_sends_nothing_more(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = paired(host, judge, clock)
    lost, later = save(judge, "t1"), save(judge, "t2")
    ack = {"type": "ack", "accepted": [], "rejected": [{"id": later, "code": "gap", "message": ""}]}
    actions = core.receive(m.encode(ack), clock())
    assert only(actions, Close) == [Close(1000, "resync")]
    assert only(core.receive(m.encode(ack), clock()), Close) == []  # already closing
    save(judge, "t1", 3)
    assert sent(core.saved()) == []
    assert judge.stored(later).status == "pending"  # type: ignore[union-attr]
    assert judge.stored(lost).status == "pending"  # type: ignore[union-attr]


def test_a_gap_about_a_relayed_op_is_no_reason_to_resync(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = paired(host, judge, clock)
    other = f"{host.replica.device_id}/99"
    ack = {"type": "ack", "accepted": [], "rejected": [{"id": other, "code": "gap", "message": ""}]}
    assert only(core.receive(m.encode(ack), clock()), Close) == []


def test_connection_lost_stops_only_for_the_closes_that_retrying_cannot_help(
    judge: Replica,
) -> None:
    core = PeerCore(judge)
    assert core.connection_lost(4401, "revoked") == [
        Fail("the host refused this device (revoked)", retry=False)
    ]
    assert not core.connection_lost(4409, "")[0].retry
    assert core.connection_lost(1006, "") == []
    assert core.connection_lost(None, "") == []
    assert core.connection_lost(4408, "too far behind") == []


# --- what the host sends ------------------------------------------------------------------------


def test_ops_frames_apply_and_a_frame_with_the_hosts_vv_marks_the_replica_synced(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = paired(host, judge, clock)
    core.synced = False
    _, actions = host.core.admin("team.put", {"id": "t3", "name": "Team t3"})
    frames = host.frames(actions)
    assert frames
    for frame in frames:
        got = core.receive(frame, clock())
        assert only(got, Deliver)[0].message == json.loads(frame)
    assert "t3" in judge.state.teams()
    hid = host.replica.device_id
    assert judge.vv()[hid] == host.replica.vv()[hid]
    assert core.synced


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "ack", "accepted": "x", "rejected": []},
        {"type": "ops", "ops": {}, "vv": {}},
        {"type": "ops", "ops": [], "vv": [1]},
        {"type": "score_update", "data": [1]},
        {"type": "judge_notification", "data": "hi"},
        {"type": "leaderboard_update", "revision": "7", "data": []},
    ],
    ids=["ack", "ops", "vv", "score", "notification", "revision"],
)
def test_a_bad_frame_after_the_welcome_closes_4400_and_loses_nothing(
    host: Host, judge: Replica, clock: FakeClock, frame: dict[str, Any]
) -> None:
    core = paired(host, judge, clock)
    op_id = save(judge)
    before = (judge.vv(), dict(judge.state.entries), core.last_board, list(core.notifications))
    actions = core.receive(m.encode(frame), clock())
    assert [type(a) for a in actions] == [Close, Fail]
    assert only(actions, Fail)[0].retry
    after = (judge.vv(), dict(judge.state.entries), core.last_board, list(core.notifications))
    assert after == before
    assert [op.id for op in judge.pending()] == [op_id]


def test_the_board_with_the_highest_revision_is_kept_across_restarts(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = paired(host, judge, clock)
    newer = {"type": "leaderboard_update", "revision": 9, "mode": "live", "data": []}
    older = {**newer, "revision": 4}
    core.receive(m.encode(newer), clock())
    kept = core.last_board
    assert kept == newer
    delivered = only(core.receive(m.encode(older), clock()), Deliver)[0].message
    assert delivered == older
    assert core.last_board is kept
    assert PeerCore(judge).last_board == newer  # a restart reads it back


def test_the_kept_board_is_the_object_delivered_so_listeners_can_tell_it_is_current(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = paired(host, judge, clock)
    board = {"type": "leaderboard_update", "revision": 1, "mode": "live", "data": []}
    [deliver] = only(core.receive(m.encode(board), clock()), Deliver)
    assert deliver.message is core.last_board


def test_notifications_are_kept_once_each_and_score_updates_one_per_sheet(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = paired(host, judge, clock)
    note = {"type": "judge_notification", "data": {"id": "n1", "message": "Finals at 4"}}
    for _ in range(2):
        core.receive(m.encode(note), clock())
    for score in (5, 8):
        update = {"type": "score_update", "data": {"sheet_id": "s1", "scores": {"c1": score}}}
        core.receive(m.encode(update), clock())
    restarted = PeerCore(judge)
    assert [n["id"] for n in restarted.notifications] == ["n1"]
    assert restarted.scores == {"s1": {"sheet_id": "s1", "scores": {"c1": 8}}}


def test_an_error_after_the_welcome_is_shown_and_an_unknown_message_passed_on(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = paired(host, judge, clock)
    clock.ms += 1000
    actions = core.receive(m.encode(m.error("rate_limited", "slow down")), clock())
    assert status(actions).last_error == "slow down"
    assert status(actions).last_contact_ms == clock()
    future = {"type": "hint", "text": "from protocol 2"}
    actions = core.receive(m.encode(future), clock())
    assert only(actions, Deliver)[0].message == future
    assert not only(actions, Fail)


@pytest.mark.parametrize(("ahead_ms", "warn"), [(0, False), (59_000, False), (120_000, True)])
def test_a_host_clock_more_than_a_minute_off_raises_the_warning(
    judge: Replica, ahead_ms: int, warn: bool
) -> None:
    core = PeerCore(judge, code="K7QF-M2XD")
    core.connected(TARGET, TARGET, None, BASE_MS)
    stamp = f"{BASE_MS + ahead_ms:013d}.0000.{'0' * 8}-0000-4000-8000-{'0' * 12}"
    welcome = {
        "type": "welcome",
        "role": "judge",
        "token": "t",
        "event": {},
        "hlc": stamp,
        "vv": {},
    }
    seen = status(core.receive(m.encode(welcome), BASE_MS))
    assert seen.clock_offset_ms is not None
    assert abs(seen.clock_offset_ms - ahead_ms) < 1_000  # the host is ahead by that much
    assert seen.clock_warning is warn
    assert judge.clock.tick() > stamp  # the clock observed the host's stamp


# --- incremental leaderboards (docs/protocol.md 4d) ----------------------------------------------


def _display(host: Host, judge: Replica, clock: FakeClock, top: int | None = None) -> PeerCore:
    """A display's core (on the `judge` fixture's replica) welcomed with the display code."""
    core = PeerCore(judge, code=host.code("display", None), board_top=top)
    actions = handshake(core, host, clock)
    assert core.welcomed
    hello = sent(actions)[0]
    assert hello["deltas"] is True
    assert hello.get("top") == top
    return core


def _boards_to(core: PeerCore, host: Host, clock: FakeClock) -> list[Action]:
    """Feed the core the boards the host sends its session now."""
    return [a for f in host.frames(host.core.boards()) for a in core.receive(f, clock())]


def test_a_display_applies_the_hosts_deltas_and_delivers_the_whole_board(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = _display(host, judge, clock)
    assert core.last_board is not None
    assert [r["team_id"] for r in core.last_board["data"]] == ["t1", "t2"]
    host.replica.admin("team.put", {"id": "t3", "name": "Alpha"})  # unscored: by name, first
    actions = _boards_to(core, host, clock)
    [deliver] = only(actions, Deliver)
    assert deliver.message["type"] == "leaderboard_update"
    assert deliver.message is core.last_board  # listeners see a board, as from a snapshot
    assert [r["team_id"] for r in core.last_board["data"]] == ["t3", "t1", "t2"]
    assert core.last_board["data"] == [r.to_wire() for r in host.replica.board.rows()]
    assert not sent(actions)
    assert PeerCore(judge).last_board == core.last_board  # kept across restarts


def test_a_delta_that_does_not_fit_the_board_held_asks_for_the_snapshot_again(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = _display(host, judge, clock)
    held = core.last_board
    assert held is not None
    host.replica.admin("team.put", {"id": "t3", "name": "Alpha"})
    host.frames(host.core.boards())  # this delta is lost
    host.replica.admin("team.put", {"id": "t4", "name": "Beta"})
    actions = _boards_to(core, host, clock)
    assert sent(actions) == [{"type": "leaderboard_request"}]
    assert core.last_board is held  # nothing applied
    assert not only(actions, Deliver)  # and nothing shown
    [answer] = host.take(only(actions, Send)[0].text)
    core.receive(answer, clock())
    assert [r["team_id"] for r in core.last_board["data"]] == ["t3", "t4", "t1", "t2"]
    host.replica.admin("team.put", {"id": "t5", "name": "Gamma"})
    assert not sent(_boards_to(core, host, clock))  # the next delta fits again
    assert len(core.last_board["data"]) == 5


def test_a_delta_older_than_the_board_held_is_dropped_without_asking(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = _display(host, judge, clock)
    held = core.last_board
    assert held is not None
    stale = m.LeaderboardDelta(1, 0, "live", 0, (), (), "2026-01-01T00:00:00.000Z").to_wire()
    actions = core.receive(m.encode(stale), clock())
    assert not sent(actions)
    assert core.last_board is held


def test_a_display_showing_the_top_rows_is_sent_only_those(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = _display(host, judge, clock, top=1)
    assert core.last_board is not None
    assert [r["team_id"] for r in core.last_board["data"]] == ["t1"]
    host.replica.admin("team.put", {"id": "t0", "name": "Aardvark"})
    _boards_to(core, host, clock)
    assert [r["team_id"] for r in core.last_board["data"]] == ["t0"]


def test_a_malformed_delta_closes_the_link_and_changes_nothing(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = _display(host, judge, clock)
    held = core.last_board
    assert held is not None
    good = m.LeaderboardDelta(
        held["revision"] + 1, held["revision"], "live", 2, (), (), "2026-01-01T00:00:00.000Z"
    ).to_wire()
    for bad in (
        {**good, "count": "2"},
        {**good, "rows": [{"pos": 5, "team_id": "t1", "team_name": "x", "judge_count": 0}]},
        {**good, "removed": [1]},
        {**good, "mode": "secret"},
        {**good, "board": "final"},
    ):
        actions = core.receive(m.encode(bad), clock())
        assert [type(a) for a in actions] == [Close, Fail]
        assert core.last_board is held


def test_a_withdrawn_board_is_dropped_and_stays_dropped_across_restarts(
    host: Host, judge: Replica, clock: FakeClock
) -> None:
    core = paired(host, judge, clock)
    main = {"type": "leaderboard_update", "revision": 3, "mode": "live", "data": []}
    name = {"round": "finals", "prize": None}
    named = {**main, "board": name}
    other = {**main, "board": {"round": "main", "prize": "ai"}}
    for message in (main, named, other):
        core.receive(m.encode(message), clock())
    withdrawn = m.BoardWithdrawn(name, m.timestamp(clock())).to_wire()
    delivered = only(core.receive(m.encode(withdrawn), clock()), Deliver)[0].message
    assert delivered == withdrawn  # the windows hear of it too
    assert list(core.named_boards.values()) == [other]
    assert core.last_board == main
    core.receive(m.encode(m.BoardWithdrawn(None, m.timestamp(clock())).to_wire()), clock())
    assert core.last_board is None
    assert PeerCore(judge).last_board is None  # a restart does not bring it back
    core.receive(m.encode({**main, "revision": 1}), clock())
    assert core.last_board == {**main, "revision": 1}  # sent again: held again, whole
