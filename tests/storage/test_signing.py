"""Tests for canonical JSON, Ed25519 device keys and op signatures."""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.signing import (
    DeviceKey,
    b64decode,
    b64encode,
    canonical_json,
    signing_payload,
    valid_public_key,
    verify,
)

# RFC 8032, section 7.1, test 1: a fixed key, so a signature can be checked against a known value.
RFC_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC_SIGNATURE = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)


# --- canonical JSON ----------------------------------------------------------------------------


def test_canonical_json_sorts_keys_at_every_level() -> None:
    value = {"b": 1, "a": {"z": 1, "y": [{"d": 0, "c": 0}]}}
    assert canonical_json(value) == b'{"a":{"y":[{"c":0,"d":0}],"z":1},"b":1}'


def test_canonical_json_has_no_spaces() -> None:
    text = canonical_json({"k": [1, 2, {"x": "a b"}], "j": None})
    assert text == b'{"j":null,"k":[1,2,{"x":"a b"}]}'


def test_canonical_json_keeps_non_ascii_unescaped_in_utf8() -> None:
    text = canonical_json({"name": "Équipe Ünïcode ✓ 日本"})
    assert text == '{"name":"Équipe Ünïcode ✓ 日本"}'.encode()
    assert b"\\u" not in text


def test_canonical_json_escapes_what_json_must_escape() -> None:
    assert canonical_json({"s": 'a"b\\c\n'}) == b'{"s":"a\\"b\\\\c\\n"}'


def test_canonical_json_returns_bytes_that_parse_back_to_the_value() -> None:
    value = {"n": 1, "f": 7.5, "t": True, "l": ["x"], "o": {}}
    out = canonical_json(value)
    assert isinstance(out, bytes)
    assert json.loads(out) == value


def test_canonical_json_does_not_depend_on_key_insertion_order() -> None:
    assert canonical_json({"a": 1, "b": 2}) == canonical_json({"b": 2, "a": 1})


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_canonical_json_refuses_nan_and_infinity(number: float) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_json({"score": number})


# --- base64 -----------------------------------------------------------------------------------


def test_b64_round_trips_standard_padded_base64() -> None:
    data = bytes(range(256))
    text = b64encode(data)
    assert text == base64.b64encode(data).decode()
    assert b64decode(text) == data


@pytest.mark.parametrize("text", ["not base64!", "AAA", "AA=A", "éé==", "AAAA\n", "-_-_"])
def test_b64decode_refuses_what_is_not_strict_base64(text: str) -> None:
    with pytest.raises(ValueError, match="not base64"):
        b64decode(text)


# --- keys --------------------------------------------------------------------------------------


def test_device_key_signs_like_rfc_8032() -> None:
    key = DeviceKey.from_private_bytes(RFC_SECRET)
    assert key.public_b64 == b64encode(RFC_PUBLIC)
    assert key.sign(b"") == b64encode(RFC_SIGNATURE)
    assert verify(b"", b64encode(RFC_SIGNATURE), b64encode(RFC_PUBLIC))


def test_device_key_round_trips_through_its_private_bytes() -> None:
    key = DeviceKey.generate()
    raw = key.private_bytes()
    assert len(raw) == 32
    assert DeviceKey.from_private_bytes(raw).public_b64 == key.public_b64


def test_generated_keys_differ() -> None:
    assert DeviceKey.generate().public_b64 != DeviceKey.generate().public_b64


def test_public_key_is_base64_of_32_raw_bytes() -> None:
    key = DeviceKey.generate()
    assert len(b64decode(key.public_b64)) == 32
    assert valid_public_key(key.public_b64)


@pytest.mark.parametrize(
    "text",
    ["", "not base64", b64encode(bytes(31)), b64encode(bytes(33)), b64encode(bytes(64)), "é" * 44],
)
def test_valid_public_key_refuses_what_is_not_a_32_byte_key(text: str) -> None:
    assert not valid_public_key(text)


# --- sign and verify ---------------------------------------------------------------------------


def _op() -> dict[str, Any]:
    return {
        "id": "d/1",
        "device": "d",
        "n": 1,
        "hlc": "1700000000000.0000.d",
        "author": "j1",
        "kind": "sheet.save",
        "body": {"team": "t1", "scores": {"c1": 7.5}, "comment": "très bien", "final": True},
    }


def test_sign_verify_round_trip() -> None:
    key = DeviceKey.generate()
    message = canonical_json(_op())
    signature = key.sign(message)
    assert len(b64decode(signature)) == 64
    assert verify(message, signature, key.public_b64)


def test_signing_payload_is_canonical_json_without_sig() -> None:
    op = _op()
    signed = {**op, "sig": "anything"}
    assert signing_payload(signed) == canonical_json(op)
    assert signing_payload(dict(reversed(list(signed.items())))) == canonical_json(op)


def test_signed_op_verifies_after_a_json_round_trip_in_any_key_order() -> None:
    key = DeviceKey.generate()
    op = _op()
    op["sig"] = key.sign(signing_payload(op))
    received = json.loads(json.dumps(dict(reversed(list(op.items()))), indent=2))
    assert verify(signing_payload(received), received["sig"], key.public_b64)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("n", 2),
        ("author", "j2"),
        ("kind", "team.put"),
        ("hlc", "1700000000001.0000.d"),
        ("body", {"team": "t1", "scores": {"c1": 8}, "comment": "très bien", "final": True}),
        ("body", {"team": "t1", "scores": {"c1": 7.5}, "comment": "tres bien", "final": True}),
        ("extra", "field"),
    ],
)
def test_tampered_payload_fails_verification(field: str, value: object) -> None:
    key = DeviceKey.generate()
    op = _op()
    signature = key.sign(signing_payload(op))
    tampered = {**op, field: value}
    assert not verify(signing_payload(tampered), signature, key.public_b64)


def test_signature_of_another_key_fails_verification() -> None:
    message = canonical_json(_op())
    signature = DeviceKey.generate().sign(message)
    assert not verify(message, signature, DeviceKey.generate().public_b64)


def test_flipped_signature_bit_fails_verification() -> None:
    key = DeviceKey.generate()
    message = b"message"
    raw = bytearray(b64decode(key.sign(message)))
    raw[10] ^= 1
    assert not verify(message, b64encode(bytes(raw)), key.public_b64)


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "!!!!",
        "not base64 at all",
        "é" * 88,
        b64encode(bytes(63)),
        b64encode(bytes(64)),
        "A" * 87,
    ],
)
def test_garbage_signature_fails_verification_without_raising(signature: str) -> None:
    key = DeviceKey.generate()
    assert not verify(b"message", signature, key.public_b64)


@pytest.mark.parametrize(
    "public",
    ["", "!!!!", "é" * 44, b64encode(bytes(31)), b64encode(bytes(33)), "A" * 43],
)
def test_garbage_public_key_fails_verification_without_raising(public: str) -> None:
    key = DeviceKey.generate()
    assert not verify(b"message", key.sign(b"message"), public)


@given(
    message=st.binary(max_size=512), signature=st.text(max_size=120), public=st.text(max_size=60)
)
def test_verify_of_any_text_returns_a_bool_without_raising(
    message: bytes, signature: str, public: str
) -> None:
    assert verify(message, signature, public) in (True, False)
