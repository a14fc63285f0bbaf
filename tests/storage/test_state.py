"""Tests for the LWW state: per-key merge by HLC, tombstones, views, and replicas converging."""

from __future__ import annotations

import contextlib
import json
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import hlc
from storage.export import to_json
from storage.ops import Op
from storage.replica import Rejected, Replica
from storage.state import Entry, State, entry_for

# conftest.OpFactory, handed out by the session fixture `op_factory`.
Factory = Any
BASE = 1_700_000_000_000


def _team(factory: Factory, tid: str, name: str, ms: int) -> Op:
    return factory.op("team.put", {"id": tid, "name": name}, ms=BASE + ms)


# --- last writer wins ---------------------------------------------------------------------------


def test_greater_hlc_wins_whatever_the_order(op_factory: Callable[..., Factory]) -> None:
    first, second = op_factory("admin", seed=1), op_factory("admin", seed=2)
    old = _team(first, "t1", "Old", 10)
    new = _team(second, "t1", "New", 20)
    for order in ([old, new], [new, old]):
        state = State()
        for op in order:
            state.apply(op)
        assert state.team("t1") == {"id": "t1", "name": "New", "location": "", "members": []}
        assert state.entries["team/t1"].op_id == new.id


def test_apply_returns_the_entry_when_it_wins_and_none_when_older(
    op_factory: Callable[..., Factory],
) -> None:
    factory = op_factory("admin", seed=1)
    old, new = _team(factory, "t1", "Old", 10), _team(factory, "t1", "New", 20)
    state = State()
    assert state.apply(new) == entry_for(new)
    assert state.apply(old) is None
    assert state.apply(new) is None  # the same op again changes nothing
    assert state.team("t1")["name"] == "New"  # type: ignore[index]


def test_same_wall_clock_is_ordered_by_counter_then_device(
    op_factory: Callable[..., Factory],
) -> None:
    low, high = sorted(
        (op_factory("admin", seed=3), op_factory("admin", seed=4)), key=lambda f: f.device
    )
    by_counter = low.op("team.put", {"id": "t1", "name": "Counter"}, ms=BASE, counter=2)
    by_device = high.op("team.put", {"id": "t1", "name": "Device"}, ms=BASE, counter=1)
    lower = low.op("team.put", {"id": "t1", "name": "Lower"}, ms=BASE, counter=1)
    state = State()
    for op in (by_counter, by_device, lower):
        state.apply(op)
    assert state.team("t1")["name"] == "Counter"  # type: ignore[index]
    state = State()
    for op in (lower, by_device):
        state.apply(op)
    assert state.team("t1")["name"] == "Device"  # type: ignore[index]


def test_each_op_writes_only_its_own_key(op_factory: Callable[..., Factory]) -> None:
    factory = op_factory("admin", seed=1)
    state = State()
    state.apply(_team(factory, "t1", "One", 1))
    state.apply(_team(factory, "t2", "Two", 2))
    state.apply(factory.op("team.del", {"id": "t2"}, ms=BASE + 3))
    assert set(state.teams()) == {"t1"}


def test_delete_leaves_a_tombstone_that_beats_older_puts(
    op_factory: Callable[..., Factory],
) -> None:
    factory = op_factory("admin", seed=1)
    put = _team(factory, "t1", "One", 10)
    delete = factory.op("team.del", {"id": "t1"}, ms=BASE + 20)
    late_old_put = _team(factory, "t1", "Stale", 15)
    state = State()
    for op in (put, delete, late_old_put):
        state.apply(op)
    assert state.team("t1") is None
    assert state.teams() == {}
    assert state.entries["team/t1"].value is None
    assert state.entries["team/t1"].op_id == delete.id


def test_put_newer_than_a_delete_brings_the_entity_back(op_factory: Callable[..., Factory]) -> None:
    factory = op_factory("admin", seed=1)
    ops = [
        _team(factory, "t1", "One", 10),
        factory.op("team.del", {"id": "t1"}, ms=BASE + 20),
        _team(factory, "t1", "Again", 30),
    ]
    for order in (ops, ops[::-1]):
        state = State()
        for op in order:
            state.apply(op)
        assert state.team("t1")["name"] == "Again"  # type: ignore[index]


def test_device_revoke_is_not_undone_by_a_later_device_put(
    op_factory: Callable[..., Factory],
) -> None:
    factory = op_factory("admin", seed=1)
    device = op_factory("j1", seed=9)
    register = {
        "device": device.device,
        "pubkey": device.key.public_b64,
        "role": "judge",
        "subject": "j1",
        "name": "laptop",
    }
    ops = [
        factory.op("device.put", register, ms=BASE + 1),
        factory.op("device.revoke", {"device": device.device}, ms=BASE + 2),
        factory.op("device.put", {**register, "name": "renamed"}, ms=BASE + 3),
    ]
    for order in (ops, ops[::-1], [ops[2], ops[0], ops[1]]):
        state = State()
        for op in order:
            state.apply(op)
        assert state.revoked(device.device)
        assert state.device(device.device)["name"] == "renamed"  # type: ignore[index]
    assert not State().revoked(device.device)


def test_sheet_entry_carries_its_judge(op_factory: Callable[..., Factory]) -> None:
    judge = op_factory("j1", seed=2)
    op = judge.op(
        "sheet.save", {"team": "t1", "scores": {"a": 5}, "comment": " ok ", "final": False}
    )
    state = State()
    state.apply(op)
    assert state.sheet("j1", "t1") == {
        "judge": "j1",
        "team": "t1",
        "scores": {"a": 5},
        "comment": "ok",
        "final": False,
    }
    assert state.sheets() == [state.sheet("j1", "t1")]
    assert state.sheet("j2", "t1") is None


def test_put_sets_and_removes_keys_and_their_prefix_index(
    op_factory: Callable[..., Factory],
) -> None:
    factory = op_factory("admin", seed=1)
    op = _team(factory, "t1", "One", 1)
    state = State()
    state.put("team/t1", entry_for(op))
    assert list(state.live("team/")) == [("team/t1", state.team("t1"))]
    state.put("team/t1", None)
    assert list(state.live("team/")) == []
    assert "team/t1" not in state.entries
    state.put("team/t1", None)  # removing an absent key is harmless
    state.apply(op)
    assert set(state.teams()) == {"t1"}


# --- views --------------------------------------------------------------------------------------


def test_event_settings_default_until_set(op_factory: Callable[..., Factory]) -> None:
    factory = op_factory("admin", seed=1)
    state = State()
    assert state.phase == "setup"
    assert state.event()["name"] == "Untitled event"
    assert state.event()["tie_break"] == []
    state.apply(factory.op("event.set", {"field": "phase", "value": "scoring"}))
    state.apply(factory.op("event.set", {"field": "name", "value": "Hack"}))
    assert state.phase == "scoring"
    assert state.event()["name"] == "Hack"
    assert state.event()["display_mode"] == "live"


def test_criteria_come_in_display_order_then_id(op_factory: Callable[..., Factory]) -> None:
    factory = op_factory("admin", seed=1)
    state = State()
    for cid, order in (("z", 0), ("b", 1), ("a", 1), ("m", -1)):
        body = {"id": cid, "name": cid, "weight": 1, "min": 0, "max": 10, "step": 1, "order": order}
        state.apply(factory.op("criterion.put", body))
    state.apply(factory.op("criterion.del", {"id": "b"}))
    assert [c["id"] for c in state.criteria()] == ["m", "z", "a"]


def test_assigned_teams_are_per_judge_even_when_ids_share_a_prefix(
    op_factory: Callable[..., Factory],
) -> None:
    factory = op_factory("admin", seed=1)
    state = State()
    for judge, team, assigned in (("j1", "t1", True), ("j1", "t2", False), ("j10", "t3", True)):
        state.apply(factory.op("assign.put", {"judge": judge, "team": team, "assigned": assigned}))
    assert state.assigned_teams("j1") == {"t1"}
    assert state.assigned_teams("j10") == {"t3"}
    assert state.assigned_teams("j2") == set()


def test_notifications_each_have_their_own_key(op_factory: Callable[..., Factory]) -> None:
    factory = op_factory("admin", seed=1)
    state = State()
    for text in ("one", "two"):
        state.apply(factory.op("notify", {"audience": "all", "message": text}))
    assert sorted(v["message"] for _, v in state.live("notify/")) == ["one", "two"]


# --- property: the state is a function of the set of ops ----------------------------------------

state_changes = st.lists(
    st.tuples(
        st.integers(0, 2),  # which device
        st.sampled_from(["team.put", "team.del", "judge.put", "judge.del", "sheet.save"]),
        st.sampled_from(["x", "y"]),  # which entity
        st.integers(0, 5),  # wall clock
        st.integers(0, 2),  # counter
    ),
    max_size=30,
)


def _op_for(factory: Factory, kind: str, which: str, *, ms: int, counter: int, n: int) -> Op:
    stamp = {"ms": BASE + ms, "counter": counter, "n": n}
    if kind == "team.put":
        return factory.op(kind, {"id": which, "name": f"{which}{n}"}, author="admin", **stamp)
    if kind == "judge.put":
        return factory.op(kind, {"id": which, "name": f"{which}{n}"}, author="admin", **stamp)
    if kind == "sheet.save":
        body = {"team": which, "scores": {"a": n}, "comment": "", "final": n % 2 == 0}
        return factory.op(kind, body, author="j1", **stamp)
    return factory.op(kind, {"id": which}, author="admin", **stamp)


@settings(max_examples=150, deadline=None)
@given(changes=state_changes, data=st.data())
def test_state_is_the_same_for_any_order_of_the_same_ops(
    op_factory: Callable[..., Factory], changes: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    factories = [op_factory("admin", seed=s) for s in (21, 22, 23)]
    ops = []
    seen: set[str] = set()
    for n, (device, kind, which, ms, counter) in enumerate(changes, start=1):
        op = _op_for(factories[device], kind, which, ms=ms, counter=counter, n=n)
        if op.hlc not in seen:  # a device never stamps two ops alike
            seen.add(op.hlc)
            ops.append(op)
    reference = State()
    for op in ops:
        reference.apply(op)
    shuffled = data.draw(st.permutations(ops))
    repeats = data.draw(st.lists(st.sampled_from(ops), max_size=5)) if ops else []
    other = State()
    for op in [*shuffled, *repeats]:
        other.apply(op)
    assert other.entries == reference.entries
    # Every key holds the entry of its op with the greatest stamp.
    for key, entry in reference.entries.items():
        winner = max((op for op in ops if op.key == key), key=lambda op: op.hlc)
        assert entry == entry_for(winner)


# --- property: replicas that hold the same ops export the same bytes ----------------------------

DEVICE_SEEDS = {"second_admin": 31, "ada": 32, "bao": 33, "bao_spare": 34}
TEAMS = ("t0", "t1", "t2")
JUDGES = {"ada": "judge-ada", "bao": "judge-bao", "bao_spare": "judge-bao"}
CRITERIA = ("c0", "c1")
SCALES = ({"min": 0, "max": 100, "step": 1}, {"min": 1, "max": 10, "step": 0.5})
PRIZES = ("p0", "p1")

admin_actions = st.one_of(
    st.tuples(st.just("team.put"), st.sampled_from(TEAMS), st.sampled_from(["A", "B", "b"])),
    st.tuples(st.just("team.del"), st.sampled_from(TEAMS)),
    st.tuples(st.just("judge.put"), st.sampled_from(["judge-ada", "judge-bao"])),
    st.tuples(st.just("judge.del"), st.sampled_from(["judge-ada", "judge-bao"])),
    st.tuples(st.just("criterion.put"), st.sampled_from(CRITERIA), st.sampled_from([1, 2, 0.5])),
    st.tuples(st.just("assign.put"), st.sampled_from(TEAMS), st.booleans()),
    st.tuples(st.just("tie_break"), st.lists(st.sampled_from(CRITERIA), unique=True, max_size=2)),
    st.tuples(st.just("phase"), st.sampled_from(["setup", "scoring", "scoring", "locked"])),
    st.tuples(st.just("notify"), st.sampled_from(["Lunch", "Demo time"])),
    # Prizes and rounds (issue 11): their ops converge like any other.
    st.tuples(st.just("prize.put"), st.sampled_from(PRIZES), st.sampled_from(["all", "opt_in"])),
    st.tuples(st.just("prize.del"), st.sampled_from(PRIZES)),
    st.tuples(st.just("team_prizes"), st.sampled_from(TEAMS), st.lists(st.sampled_from(PRIZES))),
    st.tuples(st.just("judge_prizes"), st.sampled_from(["judge-ada", "judge-bao"]), st.booleans()),
    st.tuples(st.just("round.put"), st.sampled_from(["all", "top_overall"]), st.booleans()),
    st.tuples(st.just("round.phase"), st.sampled_from(["setup", "scoring", "locked"])),
    st.tuples(st.just("finalist.put"), st.sampled_from(TEAMS), st.booleans()),
    st.tuples(st.just("normalise"), st.sampled_from(["off", "shown", "ranks"])),
)
# Marks on each criterion's own scale (c0: 0..100, c1: 1..10 in halves), mostly both criteria.
sheet_scores = st.fixed_dictionaries(
    {},
    optional={
        "c0": st.sampled_from([0, 50, 85, 100]),
        "c1": st.sampled_from([1, 5.5, 10]),
        "own": st.sampled_from([0, 40, 100]),  # prize p0's own criterion
    },
)
sheet_actions = st.tuples(
    st.just("sheet"),
    st.sampled_from(TEAMS),
    sheet_scores,
    st.booleans(),
    st.sampled_from([None, None, "finals"]),  # the round it belongs to (None: the first)
)
actions = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["host", "second_admin"]), admin_actions, st.integers(0, 3)),
        st.tuples(st.sampled_from(["ada", "bao", "bao_spare"]), sheet_actions, st.integers(0, 3)),
        st.tuples(st.sampled_from(["ada", "bao", "bao_spare"]), sheet_actions, st.integers(0, 3)),
    ),
    min_size=1,
    max_size=40,
)


class FakeTime:
    """A wall clock that moves only when told to."""

    def __init__(self) -> None:
        self.ms = BASE

    def __call__(self) -> int:
        return self.ms


def _admin_body(action: tuple[Any, ...]) -> tuple[str, dict[str, Any]]:
    kind = action[0]
    if kind == "team.put":
        return kind, {"id": action[1], "name": action[2], "members": ["M"]}
    if kind in ("team.del", "judge.del"):
        return kind, {"id": action[1]}
    if kind == "judge.put":
        return kind, {"id": action[1], "name": action[1].upper()}
    if kind == "criterion.put":
        cid = action[1]
        scale = SCALES[CRITERIA.index(cid)]
        return kind, {"id": cid, "name": cid, "weight": action[2], **scale}
    if kind == "assign.put":
        return kind, {"judge": "judge-ada", "team": action[1], "assigned": action[2]}
    if kind == "tie_break":
        return "event.set", {"field": "tie_break", "value": action[1]}
    if kind == "phase":
        return "event.set", {"field": "phase", "value": action[1]}
    if kind == "notify":
        return "notify", {"audience": "all", "message": action[1]}
    return _event_model_body(action)


def _event_model_body(action: tuple[Any, ...]) -> tuple[str, dict[str, Any]]:
    kind = action[0]
    if kind == "prize.put":
        return kind, {"id": action[1], "name": action[1].upper(), "eligibility": action[2]}
    if kind == "prize.del":
        return kind, {"id": action[1]}
    if kind == "team_prizes":
        return "team.put", {"id": action[1], "name": action[1].upper(), "prizes": action[2]}
    if kind == "judge_prizes":
        return "judge.put", {"id": action[1], "name": action[1], "prizes": ["p0"] * action[2]}
    if kind == "round.put":
        rule = {"finalists": action[1], "finalists_n": 0 if action[1] == "all" else 2}
        weighted = {"result": "weighted", "previous_weight": 0.5} if action[2] else {}
        return kind, {"id": "finals", "name": "Finals", **rule, **weighted}
    if kind == "round.phase":
        return kind, {"round": "finals", "phase": action[1]}
    if kind == "finalist.put":
        return kind, {"round": "finals", "team": action[1], "finalist": action[2]}
    return "event.set", {"field": "normalise", "value": action[1]}


def _source_ops(
    folder: Path, steps: list[tuple[Any, ...]], op_factory: Any
) -> tuple[str, str, list[dict[str, Any]]]:
    """Run a host with a second admin device and three judge laptops; return its accepted ops."""
    time = FakeTime()
    host = Replica.open(folder / "host.db", durable=False, now=time)
    try:
        host.register_self()
        for cid, scale in zip(CRITERIA, SCALES, strict=True):
            host.admin("criterion.put", {"id": cid, "name": cid, "weight": 1, **scale})
        for tid in TEAMS:
            host.admin("team.put", {"id": tid, "name": tid.upper()})
        for jid in ("judge-ada", "judge-bao"):
            host.admin("judge.put", {"id": jid, "name": jid})
        host.admin("prize.put", {"id": "p0", "name": "P0", "judges": "listed"})
        host.admin(
            "criterion.put", {"id": "own", "name": "own", "weight": 1, **SCALES[0], "prize": "p0"}
        )
        host.admin("round.put", {"id": "finals", "name": "Finals"})
        host.admin("round.phase", {"round": "finals", "phase": "scoring"})
        devices: dict[str, tuple[Factory, hlc.HybridClock]] = {}
        # Laptop clocks run a little behind or ahead, so HLC order differs from arrival order.
        for offset, (name, seed) in zip((-7, 5, -3, 2), DEVICE_SEEDS.items(), strict=True):
            author = "admin" if name == "second_admin" else JUDGES[name]
            factory = op_factory(author, seed=seed)

            def skewed(offset: int = offset) -> int:
                return time.ms + offset

            devices[name] = (factory, hlc.HybridClock(factory.device, now=skewed))
            role = "admin" if author == "admin" else "judge"
            host.admin(
                "device.put",
                {
                    "device": factory.device,
                    "pubkey": factory.key.public_b64,
                    "role": role,
                    "subject": None if role == "admin" else author,
                    "name": name,
                },
            )
        host.admin("event.set", {"field": "phase", "value": "scoring"})

        for actor, action, advance in steps:
            time.ms += advance
            if action[0] == "sheet":
                kind = "sheet.save"
                body = {"team": action[1], "scores": action[2], "comment": "", "final": action[3]}
                if action[4] is not None:
                    body["round"] = action[4]
            else:
                kind, body = _admin_body(action)
            if actor == "host":
                if kind == "sheet.save":
                    continue
                with contextlib.suppress(Rejected):
                    host.admin(kind, body)
                continue
            factory, clock = devices[actor]
            stamp = hlc.parse(clock.tick())
            wire = factory.wire(kind, body, ms=stamp.wall_ms, counter=stamp.counter)
            (outcome,) = host.submit([wire])
            assert outcome.rejection is None or outcome.rejection.code not in (
                "gap",
                "bad_signature",
            )
        ops = [op.to_wire() for op in host.accepted_since({})]
        return host.event_id, to_json(host), ops
    finally:
        host.close()


def _deliver(
    path: Path, event_id: str, batches: list[list[dict[str, Any]]], reopen: list[bool]
) -> str:
    replica = Replica.open(path, durable=False)
    try:
        replica.adopt_event(event_id)
        for batch, close_after in zip(batches, reopen, strict=True):
            replica.receive(json.loads(json.dumps(batch)))
            if close_after:
                replica.close()
                replica = Replica.open(path, durable=False)
        live = to_json(replica)
        replica.close()
        replica = Replica.open(path, durable=False)
        assert to_json(replica) == live, "what a replica shows must be what it stored"
        return live
    finally:
        replica.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=actions, data=st.data())
def test_replicas_holding_the_same_ops_export_identical_json(
    op_factory: Callable[..., Factory], steps: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        event_id, host_json, ops = _source_ops(folder, steps, op_factory)
        canonical = _deliver(folder / "canonical.db", event_id, [ops], [False])
        assert canonical == host_json
        for number in range(3):
            rng = random.Random(data.draw(st.integers(0, 2**32 - 1), label="shuffle seed"))
            order = ops + rng.sample(ops, k=min(len(ops), rng.randint(0, 5)))
            rng.shuffle(order)
            cuts = sorted(
                rng.sample(range(1, len(order)), k=min(len(order) - 1, rng.randint(0, 4)))
            )
            batches = [order[a:b] for a, b in zip([0, *cuts], [*cuts, len(order)], strict=True)]
            reopen = [rng.random() < 0.5 for _ in batches]
            assert _deliver(folder / f"peer{number}.db", event_id, batches, reopen) == canonical


def test_a_teams_sheets_are_its_share_of_all_sheets_in_the_same_order() -> None:
    # Issue 14: a team's welcome read, sorted and checked every sheet of the event.
    state = State()
    for j in ("j2", "j1", "j3"):
        for t in ("t1", "t2", "t10"):
            value = {"judge": j, "team": t, "scores": {}, "comment": "", "final": True}
            state.put(f"sheet/{j}/{t}", Entry("0", f"{j}{t}", j, value))
    state.put("sheet/j1/t1", None)  # gone: it leaves the team's sheets too
    state.put("team/t1", Entry("0", "x", "admin", {"id": "t1"}))
    for team in ("t1", "t2", "t10", "t9"):
        assert state.team_sheets(team) == [s for s in state.sheets() if s["team"] == team]
    assert [s["judge"] for s in state.team_sheets("t1")] == ["j2", "j3"]
