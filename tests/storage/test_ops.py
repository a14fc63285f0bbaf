"""Tests for ops: envelope parsing, body normalisation for every kind, and merge keys."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.ops import (
    ADMIN_KINDS,
    KINDS,
    MAX_OP_BYTES,
    MAX_REASON,
    InvalidOp,
    Op,
    depth_exceeds,
    is_device_id,
    is_entity_id,
    merge_key,
    normalize_body,
    parse_op,
)
from storage.signing import DeviceKey, canonical_json, signing_payload, verify
from storage.state import State

if TYPE_CHECKING:
    from tests.conftest import OpFactory

PUBKEY = DeviceKey.from_private_bytes(bytes(range(32))).public_b64
PAIRED = "a0b1c2d3-0000-4000-8000-00000000000f"
SHEET = {"team": "t1", "scores": {"c1": 7.5, "c2": 3}, "comment": " good ", "final": True}

# One well-formed body of every kind.
GOOD_BODIES: dict[str, dict[str, Any]] = {
    "sheet.save": SHEET,
    "event.set": {"field": "phase", "value": "scoring"},
    "team.put": {"id": "t1", "name": "Team One"},
    "team.del": {"id": "t1"},
    "criterion.put": {"id": "c1", "name": "Design", "weight": 1, "min": 0, "max": 10, "step": 0.5},
    "criterion.del": {"id": "c1"},
    "judge.put": {"id": "j1", "name": "Ada"},
    "judge.del": {"id": "j1"},
    "assign.put": {"judge": "j1", "team": "t1", "assigned": True},
    "device.put": {"device": PAIRED, "pubkey": PUBKEY, "role": "judge", "subject": "j1"},
    "device.revoke": {"device": PAIRED},
    "notify": {"audience": "all", "message": "Lunch is served"},
    "prize.put": {"id": "p1", "name": "Best use of AI"},
    "prize.del": {"id": "p1"},
    "round.put": {"id": "finals", "name": "Finals"},
    "round.del": {"id": "finals"},
    "round.phase": {"round": "finals", "phase": "scoring"},
    "finalist.put": {"round": "finals", "team": "t1", "finalist": True},
    "sheet.void": {"judge": "j1", "team": "t1", "reason": "scored the wrong team"},
    "sheet.restore": {"judge": "j1", "team": "t1", "reason": "voided by mistake"},
    "sheet.reopen": {"judge": "j1", "team": "t1", "reason": "typed 3 for 8"},
    "sheet.relock": {"judge": "j1", "team": "t1", "reason": "fixed"},
    "sheet.enter": {**SHEET, "judge": "j1", "reason": "from the paper sheet"},
}


def test_good_bodies_cover_every_kind() -> None:
    assert set(GOOD_BODIES) == set(KINDS)
    assert len(KINDS) == 23
    assert ("sheet.save", *ADMIN_KINDS) == KINDS


# --- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4", "00000000-0000-0000-0000-000000000000"]
)
def test_is_device_id_accepts_canonical_lowercase_uuids(text: str) -> None:
    assert is_device_id(text)


@pytest.mark.parametrize(
    "value",
    [
        "0B6F1C2E-3D4A-4B5C-8D6E-7F8091A2B3C4",
        "0b6f1c2e3d4a4b5c8d6e7f8091a2b3c4",
        "{0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c}",
        "urn:uuid:0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4",
        "0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c",
        "0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3cg",
        "",
        None,
        42,
    ],
)
def test_is_device_id_refuses_anything_else(value: object) -> None:
    assert not is_device_id(value)


@pytest.mark.parametrize("text", ["t1", "A", "team_1.b-2", "x" * 64, "admin", "."])
def test_is_entity_id_accepts_short_ids_of_safe_characters(text: str) -> None:
    assert is_entity_id(text)


@pytest.mark.parametrize(
    "value", ["", "x" * 65, "t 1", "t/1", "t1\n", "\nt1", "é", "t1\x00", None, 1, ["t1"]]
)
def test_is_entity_id_refuses_anything_else(value: object) -> None:
    assert not is_entity_id(value)


# --- parse_op: the envelope --------------------------------------------------------------------


def test_parse_op_accepts_a_well_formed_signed_op(judge_ops: OpFactory) -> None:
    wire = judge_ops.wire("sheet.save", SHEET)
    op = parse_op(wire)
    assert isinstance(op, Op)
    assert op.to_wire() == wire
    assert op.id == f"{judge_ops.device}/1"
    assert op.n == 1
    assert op.author == "j1"
    assert op.payload() == signing_payload(wire)
    assert verify(op.payload(), op.sig, judge_ops.key.public_b64)


def test_parse_op_accepts_every_kind(admin_ops: OpFactory) -> None:
    for kind, body in GOOD_BODIES.items():
        assert parse_op(admin_ops.wire(kind, body)).kind == kind


def test_parse_op_does_not_check_the_body_s_own_fields(admin_ops: OpFactory) -> None:
    # A kind's fields are checked by rules.check once the signature is known good.
    op = parse_op(admin_ops.wire("team.put", {"name": [1, 2], "small": "extra"}))
    assert op.body == {"name": [1, 2], "small": "extra"}


@pytest.mark.parametrize(
    "body",
    [
        {"team": "t1", "scores": {"c1": [[1]]}},  # 4 levels: no kind needs more than 2
        {"team": "t1", "x": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]},
        {"team": "t1", "pad": "x" * 257},  # unknown fields: small scalars only
        {"team": "t1", "x": [1]},
        {"team": "t1", "x": {}},
        {"team": "t1", **{f"x{i}": 1 for i in range(9)}},  # at most 8 of them
        {"team": "t1", "x" * 65: 1},
    ],
)
def test_parse_op_refuses_deep_bodies_and_large_unknown_fields_before_anything_is_stored(
    body: dict[str, Any], judge_ops: OpFactory
) -> None:
    with pytest.raises(InvalidOp):
        parse_op(judge_ops.wire("sheet.save", body))


def test_parse_op_keeps_small_unknown_fields_a_newer_peer_may_add(judge_ops: OpFactory) -> None:
    ops = judge_ops
    extra = {"mood": "calm", "v": 2, "x": None, "ok": True, **{f"y{i}": 0 for i in range(4)}}
    body = {"team": "t1", "scores": {"c1": 1}, "comment": "", "final": False, **extra}
    assert parse_op(ops.wire("sheet.save", body)).body == body


def test_depth_exceeds_counts_containers_without_recursing() -> None:
    deep: Any = 1
    for _ in range(100_000):  # far past the interpreter's recursion limit
        deep = [deep]
    assert depth_exceeds(deep, 16)
    assert not depth_exceeds({"a": [{"b": 1}]}, 3)
    assert depth_exceeds({"a": [{"b": []}]}, 3)
    assert not depth_exceeds("text", 0)


def test_parse_op_ignores_unknown_envelope_fields(admin_ops: OpFactory) -> None:
    wire = admin_ops.wire("team.put", GOOD_BODIES["team.put"])
    assert parse_op({**wire, "extra": 1}).to_wire() == wire


@pytest.mark.parametrize("value", [None, [], "op", 1, 1.5, True])
def test_parse_op_rejects_what_is_not_an_object(value: object) -> None:
    with pytest.raises(InvalidOp, match="JSON object"):
        parse_op(value)


@pytest.mark.parametrize("field", ["id", "device", "n", "hlc", "author", "kind", "body", "sig"])
def test_parse_op_rejects_a_missing_field(admin_ops: OpFactory, field: str) -> None:
    wire = admin_ops.wire("team.put", GOOD_BODIES["team.put"])
    del wire[field]
    with pytest.raises(InvalidOp):
        parse_op(wire)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", 1),
        ("id", None),
        ("device", ["x"]),
        ("hlc", 1700000000000),
        ("author", None),
        ("author", {"id": "admin"}),
        ("kind", 3),
        ("body", []),
        ("body", "{}"),
        ("body", None),
        ("sig", b"sig"),
        ("sig", None),
        ("n", "1"),
        ("n", 1.0),
        ("n", None),
        ("n", [1]),
    ],
)
def test_parse_op_rejects_a_field_of_the_wrong_type(
    admin_ops: OpFactory, field: str, value: object
) -> None:
    wire = admin_ops.wire("team.put", GOOD_BODIES["team.put"])
    wire[field] = value
    with pytest.raises(InvalidOp):
        parse_op(wire)


@pytest.mark.parametrize("n", [True, False, 0, -1, 2**53, 2**64])
def test_parse_op_rejects_n_that_is_not_a_count_from_1(admin_ops: OpFactory, n: object) -> None:
    wire = admin_ops.wire("team.put", GOOD_BODIES["team.put"])
    wire["n"] = n
    wire["id"] = f"{admin_ops.device}/{n}"
    with pytest.raises(InvalidOp, match="'n'"):
        parse_op(wire)


def test_parse_op_accepts_the_largest_n(admin_ops: OpFactory) -> None:
    op = parse_op(admin_ops.wire("team.put", GOOD_BODIES["team.put"], n=2**53 - 1))
    assert op.n == 2**53 - 1


@pytest.mark.parametrize(
    "device",
    [
        "0B6F1C2E-3D4A-4B5C-8D6E-7F8091A2B3C4",
        "0b6f1c2e3d4a4b5c8d6e7f8091a2b3c4",
        "host",
        "",
    ],
)
def test_parse_op_rejects_a_device_that_is_not_a_lowercase_uuid(device: str) -> None:
    wire = _wire_of_device(device)
    with pytest.raises(InvalidOp, match="device"):
        parse_op(wire)


def _wire_of_device(device: str) -> dict[str, Any]:
    """Return a signed team.put wire op of `device`, whatever that id looks like."""
    key = DeviceKey.from_private_bytes(bytes(32))
    wire: dict[str, Any] = {
        "id": f"{device}/1",
        "device": device,
        "n": 1,
        "hlc": f"1700000000000.0000.{device or 'x'}",
        "author": "admin",
        "kind": "team.put",
        "body": GOOD_BODIES["team.put"],
    }
    wire["sig"] = key.sign(signing_payload(wire))
    return wire


@pytest.mark.parametrize(
    "op_id",
    [
        "{device}/2",
        "{device}/01",
        "{device}/1/",
        "{device}-1",
        "{other}/1",
        "{device_upper}/1",
        "1",
        "",
    ],
)
def test_parse_op_rejects_an_id_that_is_not_device_slash_n(
    admin_ops: OpFactory, op_id: str
) -> None:
    wire = admin_ops.wire("team.put", GOOD_BODIES["team.put"])
    assert wire["n"] == 1
    wire["id"] = op_id.format(
        device=admin_ops.device, other=PAIRED, device_upper=admin_ops.device.upper()
    )
    with pytest.raises(InvalidOp, match="op id"):
        parse_op(wire)


@pytest.mark.parametrize(
    "stamp",
    [
        "",
        "yesterday",
        "1700000000000.0000",
        "170000000000.0000.{device}",
        "1700000000000.00000.{device}",
        "1700000000000.0000.{device}\n",
        "١٧٠٠٠٠٠٠٠٠٠٠٠.0000.{device}",
    ],
)
def test_parse_op_rejects_a_malformed_hlc(admin_ops: OpFactory, stamp: str) -> None:
    wire = admin_ops.wire("team.put", GOOD_BODIES["team.put"])
    wire["hlc"] = stamp.format(device=admin_ops.device)
    with pytest.raises(InvalidOp):
        parse_op(wire)


def test_parse_op_rejects_an_hlc_of_another_device(admin_ops: OpFactory) -> None:
    wire = admin_ops.wire("team.put", GOOD_BODIES["team.put"])
    wire["hlc"] = f"1700000000000.0000.{PAIRED}"
    with pytest.raises(InvalidOp, match="own device"):
        parse_op(wire)


@pytest.mark.parametrize("kind", ["", "sheet.delete", "SHEET.SAVE", "team.put ", "x" * 1000])
def test_parse_op_rejects_an_unknown_kind(admin_ops: OpFactory, kind: str) -> None:
    wire = admin_ops.wire(kind, {})
    with pytest.raises(InvalidOp, match="unknown op kind") as caught:
        parse_op(wire)
    assert len(str(caught.value)) < 100  # an attacker's text is cut short in the message


@pytest.mark.parametrize("author", ["", "judge one", "j1/x", "x" * 65, "Ädmin", "j1\n"])
def test_parse_op_rejects_an_author_that_is_not_admin_or_an_id(
    admin_ops: OpFactory, author: str
) -> None:
    with pytest.raises(InvalidOp, match="author"):
        parse_op(admin_ops.wire("team.put", GOOD_BODIES["team.put"], author=author))


def test_parse_op_rejects_a_signature_longer_than_200_characters(admin_ops: OpFactory) -> None:
    wire = admin_ops.wire("team.put", GOOD_BODIES["team.put"])
    wire["sig"] = "A" * 201
    with pytest.raises(InvalidOp, match="signature"):
        parse_op(wire)


def test_parse_op_does_not_verify_the_signature(admin_ops: OpFactory) -> None:
    # The replica verifies it against the device's registered key (PROTOCOL.md section 5).
    wire = admin_ops.wire("team.put", GOOD_BODIES["team.put"])
    wire["sig"] = "A" * 200
    assert parse_op(wire).sig == "A" * 200


def _padded(factory: OpFactory, size: int, char: str = "x") -> dict[str, Any]:
    """Return a signed op whose canonical JSON (with `sig`) is `size` bytes long."""
    # A field of the kind's own: unknown fields are held to small scalars before any size check.
    bare = factory.wire("notify", {"message": ""}, n=1, ms=factory.BASE_MS)
    room = size - len(canonical_json(bare))
    width = len(char.encode())
    assert room >= 0
    assert room % width == 0
    return factory.wire("notify", {"message": char * (room // width)}, n=1, ms=factory.BASE_MS)


def test_parse_op_accepts_an_op_of_exactly_64_kib(admin_ops: OpFactory) -> None:
    wire = _padded(admin_ops, MAX_OP_BYTES)
    assert len(canonical_json(wire)) == MAX_OP_BYTES == 65536
    parse_op(wire)


def test_parse_op_rejects_an_op_larger_than_64_kib(admin_ops: OpFactory) -> None:
    wire = _padded(admin_ops, MAX_OP_BYTES + 1)
    with pytest.raises(InvalidOp, match="larger than"):
        parse_op(wire)


def test_parse_op_counts_the_size_in_utf8_bytes_not_characters(admin_ops: OpFactory) -> None:
    wire = admin_ops.wire("notify", {"message": "é" * 40_000})
    assert len(canonical_json(wire).decode()) < MAX_OP_BYTES < len(canonical_json(wire))
    with pytest.raises(InvalidOp, match="larger than"):
        parse_op(wire)


@pytest.mark.parametrize(
    "bad", [math.nan, math.inf, -math.inf, "\ud800", b"bytes", {1, 2}, object()]
)
def test_parse_op_rejects_a_body_that_is_not_canonical_json(
    admin_ops: OpFactory, bad: object
) -> None:
    wire = admin_ops.wire("notify", {})
    wire["body"] = {"value": bad}
    with pytest.raises(InvalidOp, match="canonical JSON"):
        parse_op(wire)


# --- parse_op: property ------------------------------------------------------------------------

_text = st.one_of(st.text(max_size=20), st.sampled_from(["\ud800", "a\udfffb", "admin", "t1"]))
_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        _text,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_text, children, max_size=4)
    ),
    max_leaves=12,
)


def _assert_op_or_invalid(value: object) -> None:
    try:
        op = parse_op(value)
    except InvalidOp:
        return
    assert isinstance(op, Op)
    assert op.to_wire() == {k: value[k] for k in op.to_wire()}  # type: ignore[index]


@given(_json)
def test_parse_op_of_any_json_value_returns_an_op_or_raises_invalid_op(value: object) -> None:
    _assert_op_or_invalid(value)


@given(
    kind=st.sampled_from([*KINDS, "bogus"]),
    changes=st.dictionaries(
        st.sampled_from(["id", "device", "n", "hlc", "author", "kind", "body", "sig", "extra"]),
        st.one_of(_json, st.just(None)),
        max_size=3,
    ),
    drop=st.sets(st.sampled_from(["id", "device", "n", "hlc", "author", "kind", "body", "sig"])),
    body=st.one_of(st.sampled_from(list(GOOD_BODIES.values())), st.dictionaries(_text, _json)),
)
def test_parse_op_of_a_damaged_op_returns_an_op_or_raises_invalid_op(
    op_factory: type[OpFactory],
    kind: str,
    changes: dict[str, object],
    drop: set[str],
    body: dict[str, Any],
) -> None:
    wire = op_factory("admin", seed=7).wire(kind, {})
    wire["body"] = body  # after signing: the body may not even be representable
    wire.update(changes)
    for name in drop:
        wire.pop(name, None)
    _assert_op_or_invalid(wire)


# --- normalize_body ----------------------------------------------------------------------------


def _invalid(kind: str, body: dict[str, Any], match: str | None = None) -> None:
    with pytest.raises(InvalidOp, match=match):
        normalize_body(kind, body)


def test_invalid_op_has_the_code_invalid() -> None:
    assert InvalidOp.code == "invalid"
    assert issubclass(InvalidOp, ValueError)


def test_normalize_body_rejects_an_unknown_kind() -> None:
    _invalid("sheet.delete", {}, "unknown op kind")


# sheet.save


def test_sheet_save_normalizes_team_scores_comment_and_final() -> None:
    assert normalize_body("sheet.save", SHEET) == {
        "team": "t1",
        "scores": {"c1": 7.5, "c2": 3},
        "comment": "good",
        "final": True,
    }


def test_sheet_save_keeps_whole_scores_as_ints() -> None:
    value = normalize_body("sheet.save", {**SHEET, "scores": {"c1": 3}})
    assert value is not None
    assert type(value["scores"]["c1"]) is int


def test_sheet_save_comment_is_optional_and_scores_may_be_empty() -> None:
    body = {"team": "t1", "scores": {}, "final": False}
    assert normalize_body("sheet.save", body) == {
        "team": "t1",
        "scores": {},
        "comment": "",
        "final": False,
    }


def test_sheet_save_takes_200_criteria_but_not_201() -> None:
    scores = {f"c{i}": 1 for i in range(200)}
    assert normalize_body("sheet.save", {**SHEET, "scores": scores}) is not None
    _invalid("sheet.save", {**SHEET, "scores": {**scores, "c200": 1}}, "scores")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"scores": None}, "scores"),
        ({"scores": [7]}, "scores"),
        ({"scores": {"c 1": 7}}, "criterion ids"),
        ({"scores": {"": 7}}, "criterion ids"),
        ({"scores": {"c1": "7"}}, "number"),
        ({"scores": {"c1": None}}, "number"),
        ({"scores": {"c1": True}}, "number"),
        ({"scores": {"c1": math.nan}}, "finite"),
        ({"scores": {"c1": math.inf}}, "finite"),
        ({"scores": {"c1": 1e9 + 1}}, "finite"),
        ({"scores": {"c1": -(10**10)}}, "finite"),
        ({"team": None}, "team"),
        ({"team": "t 1"}, "team"),
        ({"team": ""}, "team"),
        ({"comment": None}, "comment"),
        ({"comment": 5}, "comment"),
        ({"comment": "x" * 4001}, "comment"),
        ({"final": None}, "final"),
        ({"final": 1}, "final"),
        ({"final": "true"}, "final"),
    ],
)
def test_sheet_save_rejects_a_bad_body(change: dict[str, Any], match: str) -> None:
    _invalid("sheet.save", {**SHEET, **change}, match)


@pytest.mark.parametrize("missing", ["team", "scores", "final"])
def test_sheet_save_rejects_a_missing_field(missing: str) -> None:
    body = {k: v for k, v in SHEET.items() if k != missing}
    _invalid("sheet.save", body, missing)


def test_sheet_save_accepts_a_comment_of_4000_characters_after_stripping() -> None:
    value = normalize_body("sheet.save", {**SHEET, "comment": "  " + "x" * 4000 + "  "})
    assert value is not None
    assert len(value["comment"]) == 4000


# event.set


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("name", "  Finals  ", "Finals"),
        ("phase", "setup", "setup"),
        ("phase", "scoring", "scoring"),
        ("phase", "locked", "locked"),
        ("phase", "released", "released"),
        ("judges_see_results", True, True),
        ("judges_see_results", False, False),
        ("feedback_names_judges", True, True),
        ("feedback_names_judges", False, False),
        ("display_mode", "live", "live"),
        ("display_mode", "progress", "progress"),
        ("display_mode", "frozen", "frozen"),
        ("display_mode", "reveal", "reveal"),
        ("reveal_count", 0, 0),
        ("reveal_count", 100_000, 100_000),
        ("tie_break", [], []),
        ("tie_break", ["c2", "c1"], ["c2", "c1"]),
        ("tie_break", [f"c{i}" for i in range(20)], [f"c{i}" for i in range(20)]),
    ],
)
def test_event_set_accepts_each_field(field: str, value: object, expected: object) -> None:
    assert normalize_body("event.set", {"field": field, "value": value}) == {
        "field": field,
        "value": expected,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("name", None),
        ("name", "x" * 121),
        ("phase", "judging"),
        ("phase", None),
        ("phase", ["setup"]),
        ("judges_see_results", 1),
        ("judges_see_results", "yes"),
        ("feedback_names_judges", 0),
        ("feedback_names_judges", "true"),
        ("display_mode", "dark"),
        ("display_mode", "LIVE"),
        ("reveal_count", -1),
        ("reveal_count", 100_001),
        ("reveal_count", 1.0),
        ("reveal_count", True),
        ("reveal_count", "3"),
        ("tie_break", "c1"),
        ("tie_break", [f"c{i}" for i in range(21)]),
        ("tie_break", ["c1", "c1"]),
        ("tie_break", ["c 1"]),
        ("tie_break", [1]),
        ("colour", "blue"),
        ("", "x"),
    ],
)
def test_event_set_rejects_a_bad_value_or_field(field: str, value: object) -> None:
    _invalid("event.set", {"field": field, "value": value})


@pytest.mark.parametrize(
    "body", [{}, {"field": "name"}, {"value": "x"}, {"field": 1, "value": "x"}, {"field": None}]
)
def test_event_set_needs_a_text_field_and_a_value(body: dict[str, Any]) -> None:
    _invalid("event.set", body, "needs 'field' and 'value'")


@pytest.mark.parametrize(
    "field",
    [
        "name",
        "phase",
        "judges_see_results",
        "feedback_names_judges",
        "display_mode",
        "reveal_count",
        "tie_break",
    ],
)
def test_event_set_rejects_a_null_value_for_every_field(field: str) -> None:
    _invalid("event.set", {"field": field, "value": None})


# team.put


def test_team_put_normalizes_with_optional_location_and_members() -> None:
    assert normalize_body("team.put", {"id": "t1", "name": " Team One "}) == {
        "id": "t1",
        "name": "Team One",
        "location": "",
        "members": [],
    }
    assert normalize_body(
        "team.put", {"id": "t1", "name": "T", "location": " Hall B ", "members": [" Ada ", "Bob"]}
    ) == {"id": "t1", "name": "T", "location": "Hall B", "members": ["Ada", "Bob"]}


def test_team_put_takes_50_members_but_not_51() -> None:
    members = [f"m{i}" for i in range(50)]
    assert normalize_body("team.put", {"id": "t1", "name": "T", "members": members}) is not None
    _invalid("team.put", {"id": "t1", "name": "T", "members": [*members, "x"]}, "members")


@pytest.mark.parametrize(
    "change",
    [
        {"id": None},
        {"id": "t/1"},
        {"name": None},
        {"name": ""},
        {"name": "x" * 121},
        {"location": None},
        {"location": "x" * 121},
        {"members": "Ada"},
        {"members": None},
        {"members": ["Ada", 3]},
        {"members": ["Ada", " "]},
        {"members": ["x" * 121]},
    ],
)
def test_team_put_rejects_a_bad_body(change: dict[str, Any]) -> None:
    _invalid("team.put", {"id": "t1", "name": "Team One", **change})


# criterion.put

CRITERION = GOOD_BODIES["criterion.put"]


def test_criterion_put_normalizes_with_defaults() -> None:
    assert normalize_body("criterion.put", CRITERION) == {
        "id": "c1",
        "name": "Design",
        "description": "",
        "weight": 1,
        "min": 0,
        "max": 10,
        "step": 0.5,
        "order": 0,
    }


def test_criterion_put_keeps_description_and_order() -> None:
    value = normalize_body(
        "criterion.put", {**CRITERION, "description": " How it looks ", "order": -3}
    )
    assert value is not None
    assert value["description"] == "How it looks"
    assert value["order"] == -3


def test_criterion_put_accepts_a_step_equal_to_the_range() -> None:
    assert normalize_body("criterion.put", {**CRITERION, "min": 0, "max": 1, "step": 1}) is not None


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"weight": 0}, "weight"),
        ({"weight": -1}, "weight"),
        ({"weight": None}, "weight"),
        ({"weight": True}, "weight"),
        ({"min": 10, "max": 10}, "'min' must be less"),
        ({"min": 11, "max": 10}, "'min' must be less"),
        ({"min": "0"}, "min"),
        ({"max": math.inf}, "max"),
        ({"step": 0}, "step"),
        ({"step": -0.5}, "step"),
        ({"step": 10.5}, "step"),
        ({"step": None}, "step"),
        ({"order": 1.0}, "order"),
        ({"order": True}, "order"),
        ({"order": 10_001}, "order"),
        ({"order": "1"}, "order"),
        ({"id": "c 1"}, "id"),
        ({"name": ""}, "name"),
        ({"description": 5}, "description"),
        ({"description": "x" * 4001}, "description"),
    ],
)
def test_criterion_put_rejects_a_bad_body(change: dict[str, Any], match: str) -> None:
    _invalid("criterion.put", {**CRITERION, **change}, match)


@pytest.mark.parametrize("missing", ["id", "name", "weight", "min", "max", "step"])
def test_criterion_put_rejects_a_missing_field(missing: str) -> None:
    _invalid("criterion.put", {k: v for k, v in CRITERION.items() if k != missing}, missing)


# judge.put


def test_judge_put_sorts_and_deduplicates_conflicts() -> None:
    assert normalize_body(
        "judge.put", {"id": "j1", "name": " Ada ", "conflicts": ["t2", "t1", "t2"]}
    ) == {
        "id": "j1",
        "name": "Ada",
        "conflicts": ["t1", "t2"],
    }
    assert normalize_body("judge.put", {"id": "j1", "name": "Ada"}) == {
        "id": "j1",
        "name": "Ada",
        "conflicts": [],
    }


@pytest.mark.parametrize(
    "change",
    [
        {"id": ""},
        {"name": None},
        {"conflicts": "t1"},
        {"conflicts": None},
        {"conflicts": ["t 1"]},
        {"conflicts": [1]},
        {"conflicts": [f"t{i}" for i in range(201)]},
    ],
)
def test_judge_put_rejects_a_bad_body(change: dict[str, Any]) -> None:
    _invalid("judge.put", {"id": "j1", "name": "Ada", **change})


# deletions


@pytest.mark.parametrize("kind", ["team.del", "criterion.del", "judge.del"])
def test_deletion_normalizes_to_none(kind: str) -> None:
    assert normalize_body(kind, {"id": "x1"}) is None


@pytest.mark.parametrize("kind", ["team.del", "criterion.del", "judge.del"])
@pytest.mark.parametrize("body", [{}, {"id": None}, {"id": ""}, {"id": "x/1"}, {"id": 1}])
def test_deletion_rejects_a_bad_id(kind: str, body: dict[str, Any]) -> None:
    _invalid(kind, body, "id")


# assign.put


@pytest.mark.parametrize("assigned", [True, False])
def test_assign_put_normalizes(assigned: bool) -> None:
    body = {"judge": "j1", "team": "t1", "assigned": assigned, "extra": 1}
    assert normalize_body("assign.put", body) == {"judge": "j1", "team": "t1", "assigned": assigned}


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"judge": None}, "judge"),
        ({"judge": "j 1"}, "judge"),
        ({"team": None}, "team"),
        ({"team": ""}, "team"),
        ({"assigned": None}, "assigned"),
        ({"assigned": 1}, "assigned"),
    ],
)
def test_assign_put_rejects_a_bad_body(change: dict[str, Any], match: str) -> None:
    _invalid("assign.put", {"judge": "j1", "team": "t1", "assigned": True, **change}, match)


# device.put


@pytest.mark.parametrize(
    ("role", "subject"), [("judge", "j1"), ("team", "t1"), ("admin", None), ("display", None)]
)
def test_device_put_normalizes_each_role(role: str, subject: str | None) -> None:
    body: dict[str, Any] = {"device": PAIRED, "pubkey": PUBKEY, "role": role, "name": " Laptop "}
    if subject is not None:
        body["subject"] = subject
    assert normalize_body("device.put", body) == {
        "device": PAIRED,
        "pubkey": PUBKEY,
        "role": role,
        "subject": subject,
        "name": "Laptop",
    }


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"device": PAIRED.upper()}, "'device'"),
        ({"device": None}, "'device'"),
        ({"role": "owner"}, "role"),
        ({"role": None}, "role"),
        ({"pubkey": None}, "pubkey"),
        ({"pubkey": "not base64"}, "pubkey"),
        ({"pubkey": PUBKEY[:-4]}, "pubkey"),
        ({"subject": None}, "subject"),
        ({"subject": "j 1"}, "subject"),
        ({"role": "display", "subject": "d1"}, "no subject"),
        ({"role": "admin", "subject": "admin"}, "no subject"),
        ({"name": 3}, "name"),
        ({"name": "x" * 121}, "name"),
    ],
)
def test_device_put_rejects_a_bad_body(change: dict[str, Any], match: str) -> None:
    body = {"device": PAIRED, "pubkey": PUBKEY, "role": "judge", "subject": "j1", **change}
    _invalid("device.put", body, match)


def test_device_put_of_a_team_needs_a_subject() -> None:
    _invalid("device.put", {"device": PAIRED, "pubkey": PUBKEY, "role": "team"}, "subject")


# device.revoke


def test_device_revoke_normalizes() -> None:
    assert normalize_body("device.revoke", {"device": PAIRED}) == {
        "device": PAIRED,
        "revoked": True,
    }


@pytest.mark.parametrize(
    "body", [{}, {"device": None}, {"device": "j1"}, {"device": PAIRED.upper()}]
)
def test_device_revoke_rejects_a_bad_device(body: dict[str, Any]) -> None:
    _invalid("device.revoke", body, "device")


# notify


@pytest.mark.parametrize(
    ("audience", "target"),
    [("all", None), ("judges", None), ("teams", None), ("judge", "j1"), ("team", "t1")],
)
def test_notify_normalizes_each_audience(audience: str, target: str | None) -> None:
    body: dict[str, Any] = {"audience": audience, "message": " Lunch "}
    if target is not None:
        body["target"] = target
    assert normalize_body("notify", body) == {
        "audience": audience,
        "target": target,
        "message": "Lunch",
    }


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ({"audience": "everyone", "message": "x"}, "audience"),
        ({"message": "x"}, "audience"),
        ({"audience": "judge", "message": "x"}, "target"),
        ({"audience": "team", "target": "t 1", "message": "x"}, "target"),
        ({"audience": "all", "target": "t1", "message": "x"}, "no target"),
        ({"audience": "judges", "target": "", "message": "x"}, "no target"),
        ({"audience": "all", "message": ""}, "message"),
        ({"audience": "all", "message": "   "}, "message"),
        ({"audience": "all"}, "message"),
        ({"audience": "all", "message": "x" * 1001}, "message"),
    ],
)
def test_notify_rejects_a_bad_body(body: dict[str, Any], match: str) -> None:
    _invalid("notify", body, match)


def test_notify_accepts_a_message_of_1000_characters() -> None:
    assert normalize_body("notify", {"audience": "all", "message": "x" * 1000}) is not None


@given(kind=st.sampled_from([*KINDS, "bogus"]), body=st.dictionaries(_text, _json, max_size=6))
def test_normalize_body_of_any_object_returns_or_raises_invalid_op(
    kind: str, body: dict[str, Any]
) -> None:
    with contextlib.suppress(InvalidOp):
        normalize_body(kind, body)


@given(
    kind=st.sampled_from(KINDS),
    changes=st.dictionaries(
        st.sampled_from(
            [
                "team",
                "scores",
                "comment",
                "final",
                "field",
                "value",
                "id",
                "name",
                "members",
                "location",
                "weight",
                "min",
                "max",
                "step",
                "order",
                "conflicts",
                "judge",
                "assigned",
                "device",
                "pubkey",
                "role",
                "subject",
                "audience",
                "target",
                "message",
            ]
        ),
        _json,
        max_size=3,
    ),
)
def test_normalize_body_of_a_damaged_good_body_returns_or_raises_invalid_op(
    kind: str, changes: dict[str, Any]
) -> None:
    with contextlib.suppress(InvalidOp):
        normalize_body(kind, {**GOOD_BODIES[kind], **changes})


# --- merge keys --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "body", "key"),
    [
        ("sheet.save", SHEET, "sheet/j1/t1"),
        ("event.set", {"field": "phase", "value": "scoring"}, "event/phase"),
        ("event.set", {"field": "tie_break", "value": []}, "event/tie_break"),
        ("team.put", {"id": "t1", "name": "T"}, "team/t1"),
        ("team.del", {"id": "t1"}, "team/t1"),
        ("criterion.put", CRITERION, "criterion/c1"),
        ("criterion.del", {"id": "c1"}, "criterion/c1"),
        ("judge.put", {"id": "j1", "name": "Ada"}, "judge/j1"),
        ("judge.del", {"id": "j1"}, "judge/j1"),
        ("assign.put", {"judge": "j1", "team": "t1", "assigned": True}, "assign/j1/t1"),
        ("device.put", GOOD_BODIES["device.put"], f"device/{PAIRED}"),
        ("device.revoke", {"device": PAIRED}, f"revoked/{PAIRED}"),
        ("notify", {"audience": "all", "message": "x"}, "notify/dev/7"),
    ],
)
def test_merge_key_of_every_kind(kind: str, body: dict[str, Any], key: str) -> None:
    assert merge_key(kind, "j1", "dev/7", body) == key


def test_merge_key_covers_every_kind() -> None:
    for kind in KINDS:
        assert merge_key(kind, "j1", "dev/1", GOOD_BODIES[kind])


def test_merge_key_of_an_unknown_kind_is_invalid() -> None:
    with pytest.raises(InvalidOp):
        merge_key("bogus", "admin", "dev/1", {})


def test_sheets_of_two_judges_for_one_team_have_different_keys() -> None:
    assert merge_key("sheet.save", "j1", "a/1", SHEET) != merge_key(
        "sheet.save", "j2", "a/2", SHEET
    )


def test_put_and_del_of_an_entity_share_its_key() -> None:
    for put, delete in (
        ("team.put", "team.del"),
        ("criterion.put", "criterion.del"),
        ("judge.put", "judge.del"),
    ):
        assert merge_key(put, "admin", "a/1", GOOD_BODIES[put]) == merge_key(
            delete, "admin", "a/2", GOOD_BODIES[delete]
        )


def test_device_revoke_key_differs_from_device_put_so_a_later_put_never_unrevokes(
    admin_ops: OpFactory, fold: Callable[..., State]
) -> None:
    put_key = merge_key("device.put", "admin", "a/1", GOOD_BODIES["device.put"])
    revoke_key = merge_key("device.revoke", "admin", "a/2", GOOD_BODIES["device.revoke"])
    assert put_key != revoke_key
    state = fold(
        [
            admin_ops.op("judge.put", GOOD_BODIES["judge.put"]),
            admin_ops.op("device.put", GOOD_BODIES["device.put"]),
            admin_ops.op("device.revoke", GOOD_BODIES["device.revoke"]),
            admin_ops.op("device.put", {**GOOD_BODIES["device.put"], "name": "re-paired"}),
        ]
    )
    assert state.revoked(PAIRED)
    assert state.device(PAIRED) is not None


def test_notify_ops_never_overwrite_each_other() -> None:
    body = GOOD_BODIES["notify"]
    assert merge_key("notify", "admin", "a/1", body) != merge_key("notify", "admin", "a/2", body)


def test_op_key_is_its_merge_key(admin_ops: OpFactory) -> None:
    for kind, body in GOOD_BODIES.items():
        op = admin_ops.op(kind, body)
        assert op.key == merge_key(kind, "admin", op.id, body)


def test_admin_is_reserved_and_cannot_be_a_judge_id() -> None:
    with pytest.raises(InvalidOp, match="reserved"):
        normalize_body("judge.put", {"id": "admin", "name": "Mallory"})


_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
_SCALARS = st.none() | st.booleans() | st.integers(-(2**60), 2**60) | _TEXT
_BODIES = st.dictionaries(
    _TEXT, _SCALARS | st.lists(_SCALARS, max_size=4) | st.dictionaries(_TEXT, _SCALARS), max_size=6
)


@given(
    body=_BODIES,
    texts=st.lists(_TEXT, min_size=6, max_size=6),
    n=st.integers(1, 2**53 - 1),
)
def test_an_op_encoded_once_gives_the_same_bytes_as_encoding_each_part_apart(
    body: dict[str, Any], texts: list[str], n: int
) -> None:
    # Issue 14: the canonical text is made once per op and its payload cut from it.
    op = Op(texts[0], texts[1], n, texts[2], texts[3], texts[4], body, texts[5])
    assert op.canonical == canonical_json(op.to_wire())
    assert op.payload() == signing_payload(op.to_wire())
    assert op.body_json == canonical_json(body).decode("utf-8")
    key = DeviceKey.generate()
    signed = Op(op.id, op.device, n, op.hlc, op.author, op.kind, body, key.sign(op.payload()))
    assert verify(signed.payload(), signed.sig, key.public_b64)


# --- corrections (docs/protocol.md 5c) ---------------------------------------------------------

CORRECTIONS = ("sheet.void", "sheet.restore", "sheet.reopen", "sheet.relock", "sheet.enter")


@pytest.mark.parametrize("kind", CORRECTIONS)
@pytest.mark.parametrize("reason", [None, "", "   ", 7, "x" * (MAX_REASON + 1)])
def test_a_correction_needs_a_reason_of_bounded_length(kind: str, reason: object) -> None:
    body = {k: v for k, v in GOOD_BODIES[kind].items() if k != "reason"}
    if reason is not None:
        body["reason"] = reason
    with pytest.raises(InvalidOp, match="'reason'"):
        normalize_body(kind, body)
    assert normalize_body(kind, {**body, "reason": "x" * MAX_REASON}) is not None


@pytest.mark.parametrize("kind", CORRECTIONS)
@pytest.mark.parametrize(
    "change",
    [{"judge": "admin"}, {"judge": None}, {"team": "t 1"}, {"round": "main"}, {"round": 3}],
)
def test_a_correction_names_a_judge_a_team_and_a_later_round(
    kind: str, change: dict[str, Any]
) -> None:
    with pytest.raises(InvalidOp):
        normalize_body(kind, {**GOOD_BODIES[kind], **change})


def test_void_and_restore_share_a_key_and_reopen_and_relock_another() -> None:
    def key(kind: str, **extra: Any) -> str:
        return merge_key(kind, "admin", "a/1", {**GOOD_BODIES[kind], **extra})

    assert key("sheet.void") == key("sheet.restore") == "void/j1/t1"
    assert key("sheet.reopen") == key("sheet.relock") == "reopen/j1/t1"
    assert key("sheet.void", round="finals") == "rvoid/finals/j1/t1"
    assert key("sheet.relock", round="finals") == "rreopen/finals/j1/t1"


def test_a_paper_sheet_writes_the_judges_own_sheet_key() -> None:
    paper = merge_key("sheet.enter", "admin", "a/1", GOOD_BODIES["sheet.enter"])
    assert paper == merge_key("sheet.save", "j1", "b/1", SHEET) == "sheet/j1/t1"
    later = {**GOOD_BODIES["sheet.enter"], "round": "finals"}
    assert merge_key("sheet.enter", "admin", "a/1", later) == "rsheet/finals/j1/t1"


def test_a_paper_sheet_is_checked_as_a_sheet_is() -> None:
    with pytest.raises(InvalidOp, match="scores"):
        normalize_body("sheet.enter", {**GOOD_BODIES["sheet.enter"], "scores": {"c1": "8"}})
    with pytest.raises(InvalidOp, match="final"):
        normalize_body("sheet.enter", {**GOOD_BODIES["sheet.enter"], "final": "yes"})
    value = normalize_body("sheet.enter", {**GOOD_BODIES["sheet.enter"], "reason": "  paper "})
    assert value is not None
    assert value["reason"] == "paper"
    assert value["judge"] == "j1"


# --- display control over prize boards (docs/protocol.md 4e) -----------------------------------


def test_display_boards_are_board_names_none_twice() -> None:
    value = [{"round": "main", "prize": None}, {"round": "main", "prize": "ai"}]
    body = normalize_body("event.set", {"field": "display_boards", "value": value})
    assert body == {"field": "display_boards", "value": value}
    for bad, says in [
        ([{"round": "main"}], "a board is"),
        ([{"round": "main", "prize": None}] * 2, "twice"),
        ("main", "list"),
        ([{"round": "", "prize": None}], "round id"),
        ([{"round": "main", "prize": 3}], "prize id"),
        ([{"round": "main", "prize": None, "x": 1}], "a board is"),
        ([{"round": f"r{i}", "prize": None} for i in range(21)], "at most 20"),
    ]:
        with pytest.raises(InvalidOp, match=says):
            normalize_body("event.set", {"field": "display_boards", "value": bad})


def test_display_rotate_and_reveal_board() -> None:
    for seconds in (5, 600):
        assert normalize_body("event.set", {"field": "display_rotate", "value": seconds})
    for bad in (4, 601, True, 20.5, "20"):
        with pytest.raises(InvalidOp, match="display_rotate"):
            normalize_body("event.set", {"field": "display_rotate", "value": bad})
    assert normalize_body("event.set", {"field": "reveal_board", "value": None}) == {
        "field": "reveal_board",
        "value": None,
    }
    on = {"round": "final", "prize": None}
    assert normalize_body("event.set", {"field": "reveal_board", "value": on})["value"] == on
    with pytest.raises(InvalidOp, match="reveal_board"):
        normalize_body("event.set", {"field": "reveal_board", "value": "final"})


def test_display_fields_default_until_set() -> None:
    state = State()
    assert state.event_setting("display_boards") == []
    assert state.event_setting("display_rotate") == 20
    assert state.event_setting("reveal_board") is None
    assert "display_boards" not in state.event()
