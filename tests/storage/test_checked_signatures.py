"""Signatures checked apart from the loop (`check_signatures`) decide exactly as `submit` alone."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.hlc import system_ms
from storage.replica import Replica, check_signatures
from storage.signing import DeviceKey

from .test_replica import catch_up, pair, sheet


def make_host(path: Path) -> Replica:
    host = Replica.open(path, durable=False)  # the same decisions, faster
    host.register_self()
    for cid in ("a", "b", "c"):
        host.admin(
            "criterion.put",
            {"id": cid, "name": cid.upper(), "weight": 1, "min": 0, "max": 100, "step": 1},
        )
    for team in ("t1", "t2"):
        host.admin("team.put", {"id": team, "name": team.upper()})
    for judge in ("judge-ada", "judge-bao"):
        host.admin("judge.put", {"id": judge, "name": judge})
    host.admin("event.set", {"field": "phase", "value": "scoring"})
    return host


# Per op sent: which judge, which team, a score, and how the wire op is spoiled (or not).
SPOILS = ("none", "body", "sig_of_other", "device_unknown", "resend", "not_a_dict", "bad_sig")
op_plans = st.tuples(
    st.sampled_from(("judge-ada", "judge-bao", "stranger")),
    st.sampled_from(("t1", "t2")),
    st.integers(0, 120),
    st.sampled_from(SPOILS),
)


def spoil(wire: dict[str, Any], how: str, sent: list[object]) -> object:
    if how == "body":
        return {**wire, "body": {**wire["body"], "comment": "changed after signing"}}
    if how == "sig_of_other" and sent and isinstance(sent[-1], dict):
        return {**wire, "sig": sent[-1].get("sig")}
    if how == "device_unknown":
        return {**wire, "device": "not-paired"}
    if how == "resend" and sent:
        return sent[-1]
    if how == "not_a_dict":
        return ["op"]
    if how == "bad_sig":
        return {**wire, "sig": DeviceKey.generate().sign(b"something else")}
    return wire


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(op_plans, min_size=1, max_size=6), min_size=1, max_size=4))
def test_pre_checked_signatures_give_the_same_outcomes_and_rows(
    batches: list[list[tuple[str, str, int, str]]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        plain, split = make_host(root / "plain.db"), make_host(root / "split.db")
        judges = {}
        for name in ("judge-ada", "judge-bao", "stranger"):
            judge = Replica.open(root / f"{name}.db", durable=False)
            judge.adopt_event(plain.event_id)
            if name != "stranger":
                pair(plain, judge, name)
                pair(split, judge, name)
            catch_up(plain, judge)
            judges[name] = judge
        sent: list[object] = []
        try:
            for plans in batches:
                frame = []
                for who, team, score, how in plans:
                    op = judges[who].make(
                        "sheet.save", sheet(team, a=score, b=50, c=50), author=who
                    )
                    wire = spoil(op.to_wire(), how, sent)
                    frame.append(wire)
                    sent.append(wire)
                now = system_ms()  # the same for both hosts
                checked = check_signatures(split.signers(frame))
                a = plain.submit(frame, now)
                b = split.submit(frame, now, checked=checked)
                assert [(o.op_id, o.rejection) for o in a] == [(o.op_id, o.rejection) for o in b]
                assert {d: n for d, n in plain.vv().items() if d != plain.device_id} == {
                    d: n for d, n in split.vv().items() if d != split.device_id
                }
            rows = "SELECT id, device, n, hlc, key, body, sig, status, code, message FROM op"
            judged = " WHERE device != ? ORDER BY id"
            assert (
                plain.db.execute_sql(rows + judged, (plain.device_id,)).fetchall()
                == split.db.execute_sql(rows + judged, (split.device_id,)).fetchall()
            )
            state = "SELECT key, hlc, op_id, value FROM state WHERE key LIKE 'sheet/%' ORDER BY key"
            assert plain.db.execute_sql(state).fetchall() == split.db.execute_sql(state).fetchall()
        finally:
            for replica in (plain, split, *judges.values()):
                replica.close()


def test_check_signatures_keeps_only_the_ops_that_verify(tmp_path: Path) -> None:
    host = make_host(tmp_path / "host.db")
    judge = Replica.open(tmp_path / "judge.db", durable=False)
    judge.adopt_event(host.event_id)
    pair(host, judge, "judge-ada")
    good = judge.make("sheet.save", sheet("t1"), author="judge-ada").to_wire()
    bad = judge.make("sheet.save", sheet("t2"), author="judge-ada").to_wire()
    bad = {**bad, "body": {**bad["body"], "comment": "tampered"}}
    stranger = {**good, "device": "not-paired"}
    signers = host.signers([good, bad, stranger, "junk"])
    assert [raw for raw, _ in signers] == [good, bad]  # an unknown device has no key to check
    checked = check_signatures(signers)
    assert [sig for _, sig, _ in checked] == [good["sig"]]
    outcomes = host.submit([good, bad], checked=checked)
    assert [None if o.rejection is None else o.rejection.code for o in outcomes] == [
        None,
        "bad_signature",
    ]
    judge.close()
    host.close()
