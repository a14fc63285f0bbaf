"""Tests for the wire messages: decoding frames, checking hello and submit, timestamps."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.ops import is_device_id
from sync import feeds
from sync import messages as m
from sync.messages import (
    CLOSE_MALFORMED,
    CLOSE_TOO_LARGE,
    MAX_FRAME,
    MAX_SUBMIT_OPS,
    Hello,
    ProtocolError,
    decode,
    encode,
    parse_hello,
    parse_submit,
    timestamp,
)

DEVICE = "0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4"
OTHER = "ffffffff-3d4a-4b5c-8d6e-7f8091a2b3c4"
CODE = "K7QF-M2XD"
PUBKEY = "A" * 43 + "="  # base64 of 32 zero bytes
TOKEN = "t0k3n-" + "x" * 40


def bad_request(call: Callable[..., Any], *args: Any) -> ProtocolError:
    """Call `call(*args)`, check that it raised bad_request with close 4400, return the error."""
    with pytest.raises(ProtocolError) as caught:
        call(*args)
    error = caught.value
    assert (error.close_code, error.code) == (CLOSE_MALFORMED, "bad_request")
    assert error.message
    assert str(error) == error.message
    return error


def attempt(call: Callable[[Any], Any], arg: Any) -> tuple[Any, ProtocolError | None]:
    """Return `call(arg)` and no error, or no result and the ProtocolError it raised."""
    try:
        return call(arg), None
    except ProtocolError as error:
        return None, error


def first_hello(**changes: Any) -> dict[str, Any]:
    """A valid first-contact hello (code and key), with fields replaced or (None) removed."""
    message: dict[str, Any] = {
        "type": "hello",
        "protocol": 1,
        "device": DEVICE,
        "code": CODE,
        "pubkey": PUBKEY,
        "vv": {},
    }
    return {k: v for k, v in {**message, **changes}.items() if v is not None}


def token_hello(**changes: Any) -> dict[str, Any]:
    """A valid later hello (token), with fields replaced or (None) removed."""
    message: dict[str, Any] = {
        "type": "hello",
        "protocol": 1,
        "device": DEVICE,
        "token": TOKEN,
        "vv": {DEVICE: 3, OTHER: 0},
    }
    return {k: v for k, v in {**message, **changes}.items() if v is not None}


# --- decode ------------------------------------------------------------------------------------


def test_decode_returns_the_object_of_a_well_formed_frame() -> None:
    frame = '{"type":"submit","ops":[],"unknown":{"nested":[1,2.5,null,true]}}'
    assert decode(frame) == {
        "type": "submit",
        "ops": [],
        "unknown": {"nested": [1, 2.5, None, True]},
    }


def test_decode_keeps_non_ascii_text_raw_and_escaped() -> None:
    assert decode('{"type":"hello","name":"Zoë 🎉"}')["name"] == "Zoë 🎉"
    assert decode(json.dumps({"type": "hello", "name": "Zoë 🎉"}))["name"] == "Zoë 🎉"


@pytest.mark.parametrize("frame", [b'{"type":"hello"}', b"", bytearray(b"{}")])
def test_decode_refuses_binary_frames(frame: bytes) -> None:
    assert "binary" in bad_request(decode, frame).message


@pytest.mark.parametrize(
    "frame",
    ["", "   ", "hello", "{", '{"type":"hello"', "{'type': 'hello'}", '{"type":"a"} {}', "[1,]"],
)
def test_decode_refuses_text_that_is_not_json(frame: str) -> None:
    assert "JSON" in bad_request(decode, frame).message


@pytest.mark.parametrize("frame", ["[]", '[{"type":"hello"}]', '"hello"', "1", "null", "true"])
def test_decode_refuses_json_that_is_not_an_object(frame: str) -> None:
    assert "object" in bad_request(decode, frame).message


@pytest.mark.parametrize(
    "frame",
    ["{}", '{"kind":"hello"}', '{"type":null}', '{"type":1}', '{"type":["hello"]}'],
)
def test_decode_refuses_objects_without_a_string_type(frame: str) -> None:
    assert "'type'" in bad_request(decode, frame).message


@pytest.mark.parametrize(
    "frame",
    [
        "[" * 100_000,
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        '{"type":"submit","ops":' + "[" * 100_000 + "]" * 100_000 + "}",
    ],
    ids=["open-lists", "closed-lists", "objects", "inside-a-message"],
)
def test_decode_turns_deep_nesting_into_bad_request(frame: str) -> None:
    bad_request(decode, frame)


@pytest.mark.parametrize(
    "frame",
    [
        "1" * 5000,
        '{"type":"submit","n":' + "1" * 5000 + "}",
        '{"type":"x","n":-' + "9" * 5000 + "}",
    ],
    ids=["bare", "field", "negative"],
)
def test_decode_turns_huge_integers_into_bad_request(frame: str) -> None:
    bad_request(decode, frame)


def test_decode_accepts_a_frame_of_exactly_one_mebibyte() -> None:
    head = '{"type":"x","pad":"'
    frame = head + "a" * (MAX_FRAME - len(head) - 2) + '"}'
    assert len(frame.encode("utf-8")) == MAX_FRAME
    assert decode(frame)["type"] == "x"


@pytest.mark.parametrize(
    "frame",
    ['{"type":"x","pad":"' + "a" * MAX_FRAME + '"}', "[" * (MAX_FRAME + 1)],
    ids=["object", "garbage"],
)
def test_decode_closes_1009_on_frames_over_one_mebibyte(frame: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode(frame)
    assert caught.value.close_code == CLOSE_TOO_LARGE == 1009
    assert "1 MiB" in caught.value.message


@pytest.mark.parametrize(
    "frame",
    [
        '{"type":"hello","name":"\\ud800"}',
        '{"type":"hello","name":"end \\udfff"}',
        '{"type":"hello","name":"\\ude00\\ud83d"}',
        '{"type":"hello","\\udc00":1}',
        '{"type":"hello","vv":{"a":["\\uDBFF"]}}',
    ],
    ids=["high", "low", "reversed-pair", "in-a-key", "nested-uppercase"],
)
def test_decode_refuses_escaped_lone_surrogates(frame: str) -> None:
    # Not valid Unicode: anything that stored or signed such a string would crash on encoding.
    assert "Unicode" in bad_request(decode, frame).message


def test_decode_accepts_escaped_surrogate_pairs_and_escaped_backslashes() -> None:
    assert decode('{"type":"hello","name":"\\ud83d\\ude00"}')["name"] == "😀"
    assert decode('{"type":"hello","name":"\\\\ud800"}')["name"] == "\\ud800"


@given(
    st.one_of(
        st.text(),
        st.binary(),
        st.text(alphabet='{}[]":,0123456789.eE+-truefalsn \\u').map(lambda t: "{" + t),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["type", "ops", "a"]) | st.text(), inner, max_size=4
                )
            ),
            max_leaves=12,
        ).map(json.dumps),
        st.lists(st.integers(0xD800, 0xDFFF).map(chr) | st.characters(), max_size=6).map(
            lambda chars: json.dumps({"type": "hello", "name": "".join(chars)})
        ),
    )
)
def test_decode_returns_a_typed_object_or_raises_protocol_error(frame: str | bytes) -> None:
    message, error = attempt(decode, frame)
    if error is not None:
        assert error.close_code in (CLOSE_MALFORMED, CLOSE_TOO_LARGE)
        return
    assert isinstance(message, dict)
    assert isinstance(message["type"], str)
    encode(message).encode("utf-8")  # whatever decode lets in can be stored and sent on


# --- encode and timestamp ----------------------------------------------------------------------


def test_encode_is_compact_and_keeps_non_ascii() -> None:
    assert encode({"type": "x", "a": [1, "é"]}) == '{"type":"x","a":[1,"é"]}'


@pytest.mark.parametrize(
    ("now_ms", "text"),
    [
        (0, "1970-01-01T00:00:00.000Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (1_700_000_000_000, "2023-11-14T22:13:20.000Z"),
        (1_700_000_000_999, "2023-11-14T22:13:20.999Z"),
        (1_709_251_199_050, "2024-02-29T23:59:59.050Z"),
    ],
)
def test_timestamp_is_iso_8601_utc_with_milliseconds(now_ms: int, text: str) -> None:
    assert timestamp(now_ms) == text


@given(st.integers(min_value=0, max_value=253_402_300_799_999))  # up to 9999-12-31
def test_timestamp_matches_exact_calendar_arithmetic(now_ms: int) -> None:
    text = timestamp(now_ms)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", text)
    exact = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=now_ms)
    assert datetime.fromisoformat(text) == exact


# --- hello -------------------------------------------------------------------------------------


def test_parse_hello_accepts_a_first_contact() -> None:
    hello = parse_hello(first_hello(name="Judge laptop"))
    assert isinstance(hello, Hello)
    assert (hello.device, hello.code, hello.token, hello.pubkey) == (DEVICE, CODE, None, PUBKEY)
    assert (hello.vv, hello.name) == ({}, "Judge laptop")


def test_parse_hello_accepts_a_later_contact_and_drops_its_pubkey() -> None:
    hello = parse_hello(token_hello(pubkey=PUBKEY, extra={"ignored": True}))
    assert (hello.device, hello.code, hello.token, hello.pubkey) == (DEVICE, None, TOKEN, None)
    assert hello.vv == {DEVICE: 3, OTHER: 0}
    assert hello.name == ""


def test_parse_hello_defaults_a_missing_vv_to_empty() -> None:
    assert parse_hello(token_hello(vv=None)).vv == {}


def test_parse_hello_accepts_the_longest_code_token_and_key() -> None:
    assert parse_hello(first_hello(code="C" * 32, pubkey="P" * 100)).code == "C" * 32
    assert parse_hello(token_hello(token="T" * 200)).token == "T" * 200


def test_parse_hello_accepts_large_version_numbers() -> None:
    assert parse_hello(token_hello(vv={OTHER: 2**60})).vv == {OTHER: 2**60}


def test_parse_hello_cuts_a_long_name_to_120_characters() -> None:
    assert parse_hello(first_hello(name="é" * 500)).name == "é" * 120


@pytest.mark.parametrize("protocol", [0, 2, -1, "1", 1.0, True, None, [1], {"v": 1}])
def test_parse_hello_refuses_any_protocol_but_1(protocol: Any) -> None:
    message = first_hello()
    message["protocol"] = protocol
    assert "protocol 1" in bad_request(parse_hello, message).message


def test_parse_hello_refuses_a_hello_without_protocol() -> None:
    bad_request(parse_hello, first_hello(protocol=None))


@pytest.mark.parametrize(
    "device",
    [
        None,
        "",
        DEVICE.upper(),
        DEVICE.replace("-", ""),
        "{" + DEVICE + "}",
        DEVICE + " ",
        "not-a-uuid",
        42,
        [DEVICE],
    ],
)
def test_parse_hello_refuses_a_bad_device_id(device: Any) -> None:
    message = first_hello()
    message["device"] = device
    assert "'device'" in bad_request(parse_hello, message).message


def test_parse_hello_refuses_both_code_and_token() -> None:
    assert "either" in bad_request(parse_hello, first_hello(token=TOKEN)).message


def test_parse_hello_refuses_neither_code_nor_token() -> None:
    assert "either" in bad_request(parse_hello, first_hello(code=None)).message


def test_parse_hello_treats_null_code_as_absent() -> None:
    message = token_hello()
    message["code"] = None
    assert parse_hello(message).token == TOKEN
    message["token"] = None
    bad_request(parse_hello, message)


@pytest.mark.parametrize("code", [123, ["K7QF-M2XD"], {"c": 1}, True, "C" * 33])
def test_parse_hello_refuses_a_malformed_code(code: Any) -> None:
    assert "'code'" in bad_request(parse_hello, first_hello(code=code)).message


@pytest.mark.parametrize("token", [123, [TOKEN], True, "T" * 201])
def test_parse_hello_refuses_a_malformed_token(token: Any) -> None:
    assert "'token'" in bad_request(parse_hello, token_hello(token=token)).message


@pytest.mark.parametrize("pubkey", [None, 123, [PUBKEY], True, "P" * 101])
def test_parse_hello_refuses_a_code_without_a_usable_pubkey(pubkey: Any) -> None:
    message = first_hello()
    message["pubkey"] = pubkey
    assert "'pubkey'" in bad_request(parse_hello, message).message


@pytest.mark.parametrize(
    "vv",
    [
        [],
        [DEVICE, 1],
        "{}",
        0,
        False,
        {"not-a-device": 1},
        {DEVICE.upper(): 1},
        {DEVICE: -1},
        {DEVICE: True},
        {DEVICE: False},
        {DEVICE: 1.0},
        {DEVICE: 1.5},
        {DEVICE: "1"},
        {DEVICE: None},
        {DEVICE: [1]},
        {DEVICE: 1, OTHER: -5},
    ],
)
def test_parse_hello_refuses_a_malformed_vv(vv: Any) -> None:
    assert "'vv'" in bad_request(parse_hello, token_hello(vv=vv)).message


def test_parse_hello_refuses_an_explicit_null_vv() -> None:
    message = token_hello()
    message["vv"] = None
    bad_request(parse_hello, message)


@pytest.mark.parametrize("name", [None, 1, ["Judge"], {"n": "Judge"}, False])
def test_parse_hello_refuses_a_name_that_is_not_text(name: Any) -> None:
    message = first_hello()
    message["name"] = name
    assert "'name'" in bad_request(parse_hello, message).message


def _hello_like() -> st.SearchStrategy[dict[str, Any]]:
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=8,
    )
    devices = st.sampled_from([DEVICE, OTHER, DEVICE.upper()]) | st.uuids().map(str)
    known = st.fixed_dictionaries(
        {},
        optional={
            "type": st.just("hello"),
            "protocol": st.sampled_from([1, 1.0, True, 2]) | json_values,
            "device": devices | json_values,
            "code": st.just(CODE) | st.text(max_size=40) | json_values,
            "token": st.just(TOKEN) | st.text(max_size=210) | json_values,
            "pubkey": st.just(PUBKEY) | st.text(max_size=110) | json_values,
            "vv": st.dictionaries(
                devices | st.text(max_size=5),
                st.integers(min_value=-2, max_value=2**70) | json_values,
                max_size=4,
            )
            | json_values,
            "name": st.text(max_size=200) | json_values,
            "pending": st.integers(min_value=-2) | json_values,
        },
    )
    extra = st.dictionaries(st.text(max_size=8), json_values, max_size=3)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


@given(_hello_like())
def test_parse_hello_returns_a_sound_hello_or_raises_bad_request(message: dict[str, Any]) -> None:
    hello, error = attempt(parse_hello, message)
    if error is not None:
        assert (error.close_code, error.code) == (CLOSE_MALFORMED, "bad_request")
        return
    assert isinstance(hello, Hello)
    assert type(message["protocol"]) is int
    assert message["protocol"] == 1
    assert is_device_id(hello.device)
    assert (hello.code is None) != (hello.token is None)
    if hello.code is not None:
        assert isinstance(hello.code, str)
        assert isinstance(hello.pubkey, str)
    else:
        assert isinstance(hello.token, str)
        assert hello.pubkey is None
    assert all(is_device_id(device) for device in hello.vv)
    assert all(type(n) is int and n >= 0 for n in hello.vv.values())
    assert isinstance(hello.name, str)
    assert len(hello.name) <= 120


# --- submit ------------------------------------------------------------------------------------


def test_parse_submit_returns_the_raw_ops() -> None:
    ops: list[Any] = [{"id": "x"}, "anything", 3]
    assert parse_submit({"type": "submit", "ops": ops}) == ops
    assert parse_submit({"type": "submit", "ops": []}) == []


@pytest.mark.parametrize("ops", [None, {}, {"0": {}}, "[]", 1, True])
def test_parse_submit_refuses_ops_that_are_not_a_list(ops: Any) -> None:
    assert "'ops'" in bad_request(parse_submit, {"type": "submit", "ops": ops}).message


def test_parse_submit_refuses_a_frame_without_ops() -> None:
    bad_request(parse_submit, {"type": "submit"})


def test_parse_submit_takes_500_ops_a_frame_and_no_more() -> None:
    assert len(parse_submit({"type": "submit", "ops": [{}] * MAX_SUBMIT_OPS})) == 500
    message = {"type": "submit", "ops": [{}] * (MAX_SUBMIT_OPS + 1)}
    assert "500" in bad_request(parse_submit, message).message


@given(
    st.dictionaries(
        st.sampled_from(["type", "ops"]) | st.text(max_size=5),
        st.none()
        | st.integers()
        | st.text(max_size=5)
        | st.lists(st.none() | st.integers(), max_size=600)
        | st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
        max_size=4,
    )
)
def test_parse_submit_returns_a_bounded_list_or_raises_bad_request(
    message: dict[str, Any],
) -> None:
    ops, error = attempt(parse_submit, message)
    if error is not None:
        assert (error.close_code, error.code) == (CLOSE_MALFORMED, "bad_request")
        return
    assert ops is message["ops"]
    assert isinstance(ops, list)
    assert len(ops) <= MAX_SUBMIT_OPS


def test_a_frame_nested_deeper_than_any_message_needs_is_a_bad_request() -> None:
    deep = '{"type":"submit","ops":' + "[" * 20 + "]" * 20 + "}"
    with pytest.raises(ProtocolError) as caught:
        decode(deep)
    assert (caught.value.code, caught.value.close_code) == ("bad_request", CLOSE_MALFORMED)
    assert decode('{"type":"submit","ops":[{"body":{"scores":{"a":[[[1]]]}}}]}')


# --- host -> peer: builders and parsers --------------------------------------------------------

_text = st.text(max_size=12)
_ids = st.text(min_size=1, max_size=12)
_vvs = st.dictionaries(st.sampled_from([DEVICE, OTHER]), st.integers(0, 2**53))
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
_rows = st.lists(
    st.fixed_dictionaries(
        {"team_id": _ids, "team_name": _text, "judge_count": st.integers(0, 50)},
        optional={
            "rank": st.none() | st.integers(1, 50),
            "total_score": st.none() | st.floats(0, 100),
        },
    ),
    max_size=4,
).map(tuple)
_stamps = st.integers(0, 253_402_300_799_999).map(timestamp)


@st.composite
def _deltas(draw: st.DrawFn) -> m.LeaderboardDelta:
    rows = draw(_rows)
    count = draw(st.integers(len(rows), len(rows) + 5))
    places = draw(
        st.lists(st.integers(0, max(count - 1, 0)), min_size=len(rows), max_size=len(rows))
    )
    return m.LeaderboardDelta(
        draw(st.integers(0, 2**53)),
        draw(st.integers(0, 2**53)),
        draw(st.sampled_from(m.DISPLAY_MODES)),
        count,
        tuple(zip(places, rows, strict=True)),
        tuple(draw(st.lists(_ids, max_size=3))),
        draw(_stamps),
        draw(st.none() | st.sampled_from(["scoring", "locked"])),
        draw(st.none() | st.just({"round": "final"})),
        tuple(
            (pos, draw(st.integers(1, count - pos)), draw(st.sampled_from([-2, -1, 1, 3])))
            for pos in draw(st.lists(st.integers(0, max(count - 1, 0)), max_size=2))
            if pos < count
        ),
    )


_deltas = _deltas()
HOST_MESSAGES: st.SearchStrategy[m.HostMessage] = st.one_of(
    st.builds(
        m.Welcome,
        st.sampled_from(m.ROLES),
        st.none() | _ids,
        st.none() | _text,
        _ids,
        _ids,
        st.fixed_dictionaries({"id": _ids}, optional={"name": _text, "criteria": st.just([])}),
        _ids,
        _vvs,
    ),
    st.builds(m.Challenge, _ids, _ids),
    st.builds(
        m.Ack,
        st.lists(_ids, max_size=3).map(tuple),
        st.lists(st.builds(m.Rejected, _ids, _ids, _text), max_size=3).map(tuple),
    ),
    st.builds(
        m.Ops, st.lists(st.dictionaries(_text, _json, max_size=3), max_size=3).map(tuple), _vvs
    ),
    st.builds(
        m.ScoreUpdate,
        st.builds(
            m.Score,
            _ids,
            _text,
            st.dictionaries(_ids, st.integers(0, 10)),
            _text,
            st.booleans(),
            st.none() | _ids,
            _text,
        ),
        _stamps,
    ),
    st.builds(
        m.LeaderboardUpdate, st.integers(0, 2**53), st.sampled_from(m.DISPLAY_MODES), _rows, _stamps
    ),
    _deltas,
    st.builds(
        m.Notification,
        st.sampled_from(["team_notification", "judge_notification"]),
        st.builds(m.Note, _ids, _text, st.sampled_from(["all", "teams", "team"]), _stamps),
        _stamps,
    ),
    st.builds(m.Error, _ids, _text),
    st.builds(
        m.BoardWithdrawn,
        st.none() | st.fixed_dictionaries({"round": _ids, "prize": st.none() | _ids}),
        _stamps,
    ),
)


@given(HOST_MESSAGES)
def test_every_host_message_survives_build_encode_decode_parse(message: m.HostMessage) -> None:
    wire = message.to_wire()
    assert wire["type"] in m.HOST_TYPES
    assert m.parse_host_message(decode(encode(wire))) == message


@given(HOST_MESSAGES, st.dictionaries(st.text(max_size=8).map(lambda k: "x-" + k), _json))
def test_host_message_parsers_ignore_unknown_fields(
    message: m.HostMessage, extra: dict[str, Any]
) -> None:
    assert m.parse_host_message({**extra, **message.to_wire()}) == message


# Frames exactly as the host has always sent them (PROTOCOL.md section 4), byte for byte.
PINNED = [
    (
        m.Welcome("judge", "j1", "Ada", "tok", "h", {"id": "e"}, "0000000000001.0000.h", {"h": 2}),
        '{"type":"welcome","protocol":1,"role":"judge","subject":"j1","subject_name":"Ada",'
        '"token":"tok","host":"h","event":{"id":"e"},"hlc":"0000000000001.0000.h","vv":{"h":2}}',
    ),
    (m.Challenge("n0", "h"), '{"type":"challenge","nonce":"n0","host":"h"}'),
    (
        m.Ack(("d/1",), (m.Rejected("d/2", "gap", "resend from 1"),)),
        '{"type":"ack","accepted":["d/1"],"rejected":[{"id":"d/2","code":"gap",'
        '"message":"resend from 1"}]}',
    ),
    (m.Ops((), {"h": 3}), '{"type":"ops","ops":[],"vv":{"h":3}}'),
    (
        m.ScoreUpdate(
            m.Score("t1", "Team Ä", {"c1": 7}, "", True, None, "ab12"), "1970-01-01T00:00:00.000Z"
        ),
        '{"type":"score_update","data":{"team_id":"t1","team_name":"Team Ä","scores":{"c1":7},'
        '"comment":"","final":true,"judge_id":null,"sheet_id":"ab12"},'
        '"timestamp":"1970-01-01T00:00:00.000Z"}',
    ),
    (
        m.LeaderboardUpdate(
            5,
            "progress",
            ({"team_id": "t1", "team_name": "A", "judge_count": 2},),
            "1970-01-01T00:00:00.005Z",
        ),
        '{"type":"leaderboard_update","revision":5,"mode":"progress","data":[{"team_id":"t1",'
        '"team_name":"A","judge_count":2}],"timestamp":"1970-01-01T00:00:00.005Z"}',
    ),
    (
        m.Notification("team_notification", m.Note("a/3", "Lunch", "teams", "x"), "y"),
        '{"type":"team_notification","data":{"id":"a/3","message":"Lunch","audience":"teams",'
        '"sent":"x"},"timestamp":"y"}',
    ),
    (m.Error("bad_request", "no"), '{"type":"error","code":"bad_request","message":"no"}'),
]


@pytest.mark.parametrize(("message", "frame"), PINNED, ids=[p[0].to_wire()["type"] for p in PINNED])
def test_builders_produce_the_frames_the_host_has_always_sent(
    message: m.HostMessage, frame: str
) -> None:
    assert encode(message.to_wire()) == frame
    assert m.parse_host_message(decode(frame)) == message


def test_error_builds_the_same_frame_as_the_typed_error() -> None:
    assert m.error("revoked", "gone") == m.Error("revoked", "gone").to_wire()


@pytest.mark.parametrize(
    "message",
    [
        {"type": "welcome"},
        {**PINNED[0][0].to_wire(), "protocol": 2},
        {**PINNED[0][0].to_wire(), "role": "admin"},
        {**PINNED[0][0].to_wire(), "token": 7},
        {**PINNED[0][0].to_wire(), "event": {"name": "no id"}},
        {**PINNED[0][0].to_wire(), "vv": {"h": -1}},
        {**PINNED[0][0].to_wire(), "vv": {"h": True}},
        {"type": "challenge", "nonce": None, "host": "h"},
        {"type": "ack", "accepted": [1], "rejected": []},
        {"type": "ack", "accepted": [], "rejected": [{"id": "d/1", "code": "gap"}]},
        {"type": "ack", "accepted": [], "rejected": ["d/1"]},
        {"type": "ops", "ops": {}, "vv": {}},
        {"type": "ops", "ops": [1], "vv": {}},
        {"type": "ops", "ops": []},
        {**PINNED[4][0].to_wire(), "data": []},
        {**PINNED[4][0].to_wire(), "data": {**PINNED[4][0].to_wire()["data"], "final": 1}},
        {**PINNED[4][0].to_wire(), "data": {**PINNED[4][0].to_wire()["data"], "comment": None}},
        {**PINNED[5][0].to_wire(), "mode": "secret"},
        {**PINNED[5][0].to_wire(), "phase": "secret"},
        {**PINNED[5][0].to_wire(), "revision": "5"},
        {**PINNED[5][0].to_wire(), "data": [{"team_id": "t1", "team_name": "A"}]},
        {**PINNED[6][0].to_wire(), "data": {"message": "no id"}},
        {**PINNED[6][0].to_wire(), "timestamp": 0},
        {"type": "error", "code": "x"},
        {"type": "hello"},
        {"type": 3},
    ],
)
def test_host_message_parsers_refuse_what_the_protocol_calls_malformed(
    message: dict[str, Any],
) -> None:
    bad_request(m.parse_host_message, message)


@given(st.dictionaries(st.sampled_from(["type", "data", "ops", "vv", "mode", "code"]), _json))
def test_parse_host_message_returns_a_message_or_raises_bad_request(
    message: dict[str, Any],
) -> None:
    parsed, error = attempt(m.parse_host_message, message)
    assert (parsed is None) != (error is None)
    if error is not None:
        assert (error.close_code, error.code) == (CLOSE_MALFORMED, "bad_request")


# --- peer -> host: builders ----------------------------------------------------------------------


@given(
    st.booleans(),
    _vvs,
    st.text(max_size=120),
    st.none() | st.integers(0, 2**53 - 1),
    st.none() | st.integers(0, 10**13 - 1),
)
def test_hello_builder_round_trips_through_parse_hello(
    first: bool, vv: dict[str, int], name: str, pending: int | None, clock: int | None
) -> None:
    credentials: dict[str, Any] = {"code": CODE, "pubkey": PUBKEY} if first else {"token": TOKEN}
    built = m.hello(DEVICE, vv=vv, name=name, pending=pending, clock_ms=clock, **credentials)
    parsed = parse_hello(decode(encode(built)))
    expected = Hello(
        DEVICE,
        CODE if first else None,
        None if first else TOKEN,
        PUBKEY if first else None,
        vv,
        name,
        pending,
        clock,
    )
    assert parsed == expected


def test_submit_and_prove_builders_round_trip() -> None:
    ops = [{"id": f"{DEVICE}/1"}, {"id": f"{DEVICE}/2"}]
    built = decode(encode(m.submit(ops, [f"{DEVICE}/1", "elsewhere/1"])))
    assert parse_submit(built) == ops
    assert m.parse_history(built, ops) == {f"{DEVICE}/1"}
    assert m.submit(ops) == {"type": "submit", "ops": ops}
    assert m.parse_prove(decode(encode(m.prove("c2ln")))) == "c2ln"


# --- ops frames of ops encoded once (issue 14) ---------------------------------------------------

WIRE_OPS = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.text(min_size=1, max_size=8),
            "n": st.integers(1, 10**6),
            "body": st.fixed_dictionaries(
                {"comment": st.text(max_size=40), "final": st.booleans()}
            ),
        }
    ),
    max_size=20,
)


@given(ops=WIRE_OPS, vv=st.dictionaries(st.text(max_size=8), st.integers(0, 10**6), max_size=4))
def test_an_ops_frame_of_encoded_ops_is_the_text_of_the_frame_encoded_whole(
    ops: list[dict[str, Any]], vv: dict[str, int]
) -> None:
    encoded = [encode(op) for op in ops]
    assert m.ops_frame(encoded, vv) == encode(m.Ops(tuple(ops), vv).to_wire())


@pytest.mark.parametrize(
    ("count", "comment"), [(0, ""), (3, "x" * 60_000), (40, "é" * 15_000), (1200, "short")]
)
def test_encoded_ops_are_split_where_the_ops_themselves_are(count: int, comment: str) -> None:
    ops = [{"id": f"d/{k}", "body": {"comment": comment * (k % 3)}} for k in range(count)]
    encoded = [encode(op) for op in ops]
    by_op = m.chunk_ops(ops)
    assert m.chunk_encoded(encoded) == [[encode(op) for op in chunk] for chunk in by_op]
    if count == 1200:
        assert [len(c) for c in by_op] == [MAX_SUBMIT_OPS, MAX_SUBMIT_OPS, 200]
    if count == 40:
        assert len(by_op) == 2  # 40 ops of up to 60 KB (2 bytes an é): more than one frame


# --- a browser page's hello (docs/protocol.md 13) ----------------------------------------------


def test_a_page_hello_names_its_page_and_a_team_page_its_code() -> None:
    public = m.parse_page_hello({"type": "hello", "protocol": 1, "page": "public", "code": "X"})
    assert public == m.PageHello("public", None)  # a public page's code is ignored, never kept
    team = {"type": "hello", "protocol": 1, "page": "team", "code": "K7QF-M2XD"}
    assert m.parse_page_hello(team) == m.PageHello("team", "K7QF-M2XD")
    wishes = {"deltas": True, "boards": True}
    assert m.parse_page_hello(team | wishes) == m.PageHello("team", "K7QF-M2XD", True, True)
    assert m.parse_page_hello(team | {"boards": False}) == m.PageHello("team", "K7QF-M2XD")


@pytest.mark.parametrize(
    "message",
    [
        {"type": "hello", "protocol": 2, "page": "public"},
        {"type": "hello", "protocol": True, "page": "public"},
        {"type": "hello", "protocol": 1},
        {"type": "hello", "protocol": 1, "page": "judge"},
        {"type": "hello", "protocol": 1, "page": ["public"]},
        {"type": "hello", "protocol": 1, "page": "team"},
        {"type": "hello", "protocol": 1, "page": "team", "code": 12345678},
        {"type": "hello", "protocol": 1, "page": "team", "code": "A" * 33},
        {"type": "hello", "protocol": 1, "page": "public", "boards": 1},
        {"type": "hello", "protocol": 1, "page": "public", "deltas": "yes"},
        {"type": "hello", "protocol": 1, "page": "public", "boards": None},
        {"type": "submit", "ops": []},
    ],
)
def test_a_page_hello_of_the_wrong_shape_is_a_bad_request(message: dict[str, Any]) -> None:
    with pytest.raises(m.ProtocolError) as raised:
        m.parse_page_hello(message)
    assert (raised.value.code, raised.value.close_code) == ("bad_request", 4400)


# --- incremental leaderboards (docs/protocol.md 4d) ----------------------------------------------


def test_a_delta_builds_the_frame_docs_protocol_4d_shows() -> None:
    row = {"rank": 1, "team_id": "t2", "team_name": "B", "total_score": 90.0, "judge_count": 2}
    delta = m.LeaderboardDelta(9, 8, "live", 3, ((0, row),), ("t9",), "x", "scoring")
    assert encode(delta.to_wire()) == (
        '{"type":"leaderboard_delta","revision":9,"base":8,"mode":"live","count":3,'
        '"rows":[{"pos":0,"rank":1,"team_id":"t2","team_name":"B","total_score":90.0,'
        '"judge_count":2}],"removed":["t9"],"ranks":[],"timestamp":"x","phase":"scoring"}'
    )
    assert m.parse_host_message(decode(encode(delta.to_wire()))) == delta


@pytest.mark.parametrize(
    "change",
    [
        {"base": "8"},
        {"count": -1},
        {"rows": [{"pos": 3, "team_id": "t", "team_name": "T", "judge_count": 0}]},
        {"rows": [{"pos": -1, "team_id": "t", "team_name": "T", "judge_count": 0}]},
        {"rows": [{"team_id": "t", "team_name": "T", "judge_count": 0}]},
        {"rows": [{"pos": 0, "team_name": "T", "judge_count": 0}]},
        {"removed": "t1"},
        {"removed": [None]},
        {"mode": "secret"},
        {"board": ["final"]},
        {"ranks": {}},
        {"ranks": [[0, 1]]},
        {"ranks": [[0, 0, 1]]},
        {"ranks": [[2, 2, 1]]},
        {"ranks": [[0, 1, 0]]},
        {"ranks": [[0, 1, True]]},
    ],
)
def test_a_malformed_delta_is_a_bad_request(change: dict[str, Any]) -> None:
    delta = m.LeaderboardDelta(9, 8, "live", 3, (), (), "x").to_wire()
    bad_request(m.parse_host_message, {**delta, **change})


_board_rows = st.dictionaries(
    st.sampled_from([f"t{k}" for k in range(8)]),
    st.tuples(
        st.none() | st.integers(1, 4), st.sampled_from(["a", "B", "b", "c"]), st.integers(0, 3)
    ),
    max_size=8,
)


def _ordered(rows: dict[str, tuple[int | None, str, int]]) -> list[dict[str, Any]]:
    """A board in an order its rows alone decide (rank, name, id; unranked last), as hosts send."""
    board = [
        {"rank": rank, "team_id": tid, "team_name": name, "judge_count": count}
        for tid, (rank, name, count) in rows.items()
    ]
    return sorted(
        board, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["team_name"], r["team_id"])
    )


@given(_board_rows, _board_rows, st.none() | st.integers(1, 8))
def test_the_delta_of_two_boards_applied_to_the_first_gives_the_second(
    before: dict[str, tuple[int | None, str, int]],
    after: dict[str, tuple[int | None, str, int]],
    top: int | None,
) -> None:
    old, new = _ordered(before)[:top], _ordered(after)[:top]
    changed, removed, ranks = feeds.board_delta(old, new)
    delta = m.LeaderboardDelta(
        2, 1, "live", len(new), tuple(changed), tuple(removed), "x", ranks=tuple(ranks)
    )
    assert m.apply_delta(old, m.parse_leaderboard_delta(decode(encode(delta.to_wire())))) == new
    unchanged = [r for r in new if r in old]
    assert all(row not in unchanged for _, row in changed)  # only what changed travels
    shifted = {k for pos, length, _ in ranks for k in range(pos, pos + length)}
    assert not shifted & {pos for pos, _ in changed}


def test_rows_whose_rank_alone_moved_travel_as_runs() -> None:
    old = _ordered({f"t{k}": (k + 1, "a", 1) for k in range(6)})
    # t5 goes from last to first: t0..t4 each move down one rank and nothing else.
    new = _ordered({"t5": (1, "a", 2), **{f"t{k}": (k + 2, "a", 1) for k in range(5)}})
    changed, removed, ranks = feeds.board_delta(old, new)
    assert [(pos, row["team_id"]) for pos, row in changed] == [(0, "t5")]
    assert (removed, ranks) == ([], [(1, 5, 1)])
    delta = m.LeaderboardDelta(2, 1, "live", 6, tuple(changed), (), "x", ranks=tuple(ranks))
    assert m.apply_delta(old, delta) == new
    assert old[0]["rank"] == 1  # the old board's rows are not changed in place


def test_a_delta_that_does_not_fit_its_board_applies_to_nothing() -> None:
    rows = _ordered({"t1": (1, "a", 1), "t2": (2, "b", 1)})
    fits = m.LeaderboardDelta(2, 1, "live", 2, (), (), "x")
    assert m.apply_delta(rows, fits) == rows
    row = rows[0]
    for delta in (
        m.LeaderboardDelta(2, 1, "live", 3, (), (), "x"),  # room for a row it does not hold
        m.LeaderboardDelta(2, 1, "live", 1, (), (), "x"),  # a row more than it leaves room for
        m.LeaderboardDelta(2, 1, "live", 2, ((0, row), (1, row)), (), "x"),  # one team twice
        m.LeaderboardDelta(2, 1, "live", 3, ((0, row), (0, rows[1])), (), "x"),  # one place twice
        m.LeaderboardDelta(2, 1, "live", 2, ((0, row),), (), "x", ranks=((0, 1, 1),)),  # a sent row
        m.LeaderboardDelta(2, 1, "live", 2, (), (), "x", ranks=((0, 2, 1), (1, 1, 1))),  # twice
    ):
        assert m.apply_delta(rows, delta) is None


@pytest.mark.parametrize(
    ("wishes", "deltas", "top"),
    [({}, False, None), ({"deltas": True}, True, None), ({"deltas": False, "top": 10}, False, 10)],
)
def test_parse_hello_reads_the_board_wishes(
    wishes: dict[str, Any], deltas: bool, top: int | None
) -> None:
    hello = parse_hello({**m.hello(DEVICE, token=TOKEN), **wishes})
    assert (hello.deltas, hello.top) == (deltas, top)
    assert m.parse_hello(m.hello(DEVICE, token=TOKEN, deltas=deltas, top=top)) == hello


@pytest.mark.parametrize(
    "wishes",
    [{"deltas": 1}, {"deltas": None}, {"top": 0}, {"top": 10_001}, {"top": 2.5}, {"top": False}],
)
def test_parse_hello_refuses_malformed_board_wishes(wishes: dict[str, Any]) -> None:
    bad_request(parse_hello, {**m.hello(DEVICE, token=TOKEN), **wishes})


def test_a_leaderboard_request_names_its_board_only_when_it_is_not_the_main_one() -> None:
    assert m.leaderboard_request() == {"type": "leaderboard_request"}
    named = m.leaderboard_request({"round": "final", "prize": None})
    assert m.parse_board_name(named) == {"round": "final", "prize": None}
    assert m.parse_board_name(m.leaderboard_request()) is None
    bad_request(m.parse_board_name, {"type": "leaderboard_request", "board": "final"})


MALFORMED_BOARD_NAMES = [
    {},
    {"prize": "ai"},
    {"round": None, "prize": None},
    {"round": 1, "prize": None},
    {"round": ["main"], "prize": None},
    {"round": "main", "prize": 7},
    {"round": "main", "prize": False},
    {"round": "main", "prize": {"id": "ai"}},
]


@pytest.mark.parametrize("name", MALFORMED_BOARD_NAMES)
def test_parse_board_name_refuses_an_object_that_names_no_board(name: dict[str, Any]) -> None:
    assert not m.is_board_name(name)
    assert feeds.board_key(name) is None  # the host's rules read a name the same way
    bad_request(m.parse_board_name, m.leaderboard_request(name))


@pytest.mark.parametrize("name", MALFORMED_BOARD_NAMES)
def test_board_frames_refuse_a_board_name_that_names_no_board(name: dict[str, Any]) -> None:
    withdrawn = {"type": "board_withdrawn", "board": name, "timestamp": "t"}
    bad_request(m.parse_host_message, withdrawn)
    row = {"team_id": "t1", "team_name": "A", "judge_count": 2}
    board = m.LeaderboardUpdate(5, "progress", (row,), "t").to_wire()
    bad_request(m.parse_host_message, {**board, "board": name})


def test_a_board_name_may_leave_out_its_prize_and_carry_fields_it_does_not_know() -> None:
    for name in ({"round": "final"}, {"round": "main", "prize": "ai", "colour": "red"}):
        assert m.is_board_name(name)
        assert m.parse_board_name(m.leaderboard_request(name)) == name
    assert feeds.board_key({"round": "final"}) == ("final", None)
    assert not m.is_board_name(None)
    assert not m.is_board_name("final")


def test_a_board_withdrawn_names_its_board_and_refuses_a_name_that_is_no_object() -> None:
    main = m.BoardWithdrawn(None, "2026-12-02T08:00:00.000Z")
    assert m.encode(main.to_wire()) == (
        '{"type":"board_withdrawn","board":null,"timestamp":"2026-12-02T08:00:00.000Z"}'
    )
    named = {"type": "board_withdrawn", "board": {"round": "main", "prize": "ai"}}
    assert m.parse_host_message({**named, "timestamp": "t"}).board == named["board"]
    for bad in ({**named, "board": "ai", "timestamp": "t"}, named):
        with pytest.raises(m.ProtocolError):
            m.parse_host_message(bad)
