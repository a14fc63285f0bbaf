"""The wire messages of PROTOCOL.md section 4: parse what peers send, build what the host sends."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from storage.ops import MAX_OP_BYTES, depth_exceeds, is_device_id
from storage.signing import canonical_json

PROTOCOL_VERSION = 1
MAX_FRAME = 1024 * 1024  # section 2: at most 1 MiB a frame
MAX_SUBMIT_OPS = 500  # section 4: at most 500 ops a submit frame
PEER_TYPES = ("hello", "submit", "prove")
# No message needs more than 5 levels ({"ops": [{"body": {"scores": {...}}}]}); anything much
# deeper is refused before it reaches code that recurses over it (docs/protocol.md 7a).
MAX_DEPTH = 16
# Room left in a frame for what surrounds its ops (type, vv, history): ops fill the rest.
FRAME_BUDGET = MAX_FRAME - 128 * 1024

# Close codes (section 7, plus 4408 of docs/protocol.md).
CLOSE_MALFORMED = 4400
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_SLOW = 4408
CLOSE_REPLACED = 4409
CLOSE_RATE = 4429
CLOSE_TOO_LARGE = 1009


class ProtocolError(Exception):
    """A peer broke the protocol: the host answers `error` and closes with `close_code`."""

    def __init__(self, close_code: int, code: str, message: str) -> None:
        super().__init__(message)
        self.close_code = close_code
        self.code = code
        self.message = message


def bad_request(message: str) -> ProtocolError:
    """Return the error for malformed input (section 7: `bad_request`, close 4400)."""
    return ProtocolError(CLOSE_MALFORMED, "bad_request", message)


def decode(frame: str | bytes) -> dict[str, Any]:
    """Parse one frame into a message object with a string `type`, or raise ProtocolError."""
    if not isinstance(frame, str):
        raise bad_request("frames must be text, not binary")
    if len(frame) > MAX_FRAME:
        raise ProtocolError(CLOSE_TOO_LARGE, "too_large", "a frame is at most 1 MiB")
    try:
        message = json.loads(frame)
    except (ValueError, RecursionError):
        raise bad_request("a frame must be one JSON object") from None
    if not isinstance(message, dict):
        raise bad_request("a frame must be a JSON object")
    if depth_exceeds(message, MAX_DEPTH):
        raise bad_request(f"a frame nests at most {MAX_DEPTH} levels deep")
    if "\\u" in frame:
        # A \u escape can spell a lone surrogate, which no UTF-8 text can carry: left in, it
        # would raise UnicodeEncodeError wherever the host stores or signs that string.
        try:
            encode(message).encode("utf-8")
        except UnicodeEncodeError:
            raise bad_request("a frame must be valid Unicode text") from None
    if not isinstance(message.get("type"), str):
        raise bad_request("a message needs a string 'type'")
    return message


def encode(message: dict[str, Any]) -> str:
    """Serialize a message once, compactly, for every recipient."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def timestamp(now_ms: int) -> str:
    """Return an ISO 8601 UTC time with milliseconds, as messages carry it."""
    moment = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now_ms % 1000:03d}Z"


@dataclass(frozen=True)
class Hello:
    """A peer's `hello`: first contact with a join code and key, or later with a token."""

    device: str
    code: str | None
    token: str | None
    pubkey: str | None
    vv: dict[str, int]
    name: str
    pending: int | None = None
    clock_ms: int | None = None


def parse_hello(message: dict[str, Any]) -> Hello:
    """Check a `hello` and return it, or raise ProtocolError."""
    protocol = message.get("protocol")
    if not isinstance(protocol, int) or isinstance(protocol, bool) or protocol != PROTOCOL_VERSION:
        raise bad_request(f"this host speaks protocol {PROTOCOL_VERSION}")
    device = message.get("device")
    if not is_device_id(device):
        raise bad_request("'device' must be a lowercase UUID")
    assert isinstance(device, str)
    code, token, pubkey = message.get("code"), message.get("token"), message.get("pubkey")
    if (code is None) == (token is None):
        raise bad_request("a hello carries either 'code' or 'token'")
    if code is not None and (not isinstance(code, str) or len(code) > 32):
        raise bad_request("'code' must be a join code")
    if token is not None and (not isinstance(token, str) or len(token) > 200):
        raise bad_request("'token' must be a token")
    if code is not None and (not isinstance(pubkey, str) or len(pubkey) > 100):
        raise bad_request("first contact needs 'pubkey'")
    vv = message.get("vv", {})
    if not isinstance(vv, dict) or len(vv) > 100_000:
        raise bad_request("'vv' must be an object")
    clean: dict[str, int] = {}
    for key, n in vv.items():
        if not is_device_id(key) or isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise bad_request("'vv' maps device ids to whole numbers")
        clean[key] = n
    name = message.get("name", "")
    if not isinstance(name, str):
        raise bad_request("'name' must be text")
    pending = message.get("pending")
    if isinstance(pending, bool) or not isinstance(pending, int) or not 0 <= pending < 2**53:
        pending = None  # an optional extension (docs/protocol.md 3a): ignored when malformed
    clock = message.get("clock")
    if isinstance(clock, bool) or not isinstance(clock, int) or not 0 <= clock < 10**13:
        clock = None  # likewise optional: the device's wall clock, for the health view
    return Hello(
        device,
        code,
        token,
        pubkey if code is not None else None,
        clean,
        name[:120],
        pending,
        clock,
    )


def parse_submit(message: dict[str, Any]) -> list[Any]:
    """Check a `submit` frame and return its raw ops (each is checked by the replica)."""
    ops = message.get("ops")
    if not isinstance(ops, list):
        raise bad_request("'ops' must be a list")
    if len(ops) > MAX_SUBMIT_OPS:
        raise bad_request(f"at most {MAX_SUBMIT_OPS} ops a frame")
    return ops


def parse_history(message: dict[str, Any], ops: list[Any]) -> set[str]:
    """Return the ids of a `submit`'s ops that its sender holds as accepted by a host of this
    event (docs/protocol.md 6a: `history`). Optional: anything malformed is ignored."""
    claimed = message.get("history")
    if not isinstance(claimed, list):
        return set()
    ids = {op["id"] for op in ops if isinstance(op, dict) and isinstance(op.get("id"), str)}
    return {c for c in claimed[:MAX_SUBMIT_OPS] if isinstance(c, str) and c in ids}


def parse_prove(message: dict[str, Any]) -> str:
    """Check a `prove` (the answer to a `challenge`) and return its signature."""
    sig = message.get("sig")
    if not isinstance(sig, str) or not 0 < len(sig) <= 200:
        raise bad_request("'sig' must be a base64 signature")
    return sig


def rejoin_payload(device: str, host: str, nonce: str, fingerprint: str | None) -> bytes:
    """Return what a paired device signs to answer a `challenge` (docs/protocol.md 3b).

    The host's device id and certificate fingerprint are in it, so that a proof given to one
    host (or to someone relaying for it under another certificate) is worth nothing elsewhere.
    """
    return canonical_json(
        {
            "purpose": "tallyboard-rejoin",
            "device": device,
            "host": host,
            "nonce": nonce,
            "fp": fingerprint,
        }
    )


def chunk_ops(ops: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split wire ops into runs that each fit one frame: at most 500 ops, and at most
    FRAME_BUDGET bytes (500 ops with long comments would pass the 1 MiB frame limit)."""
    if len(ops) * MAX_OP_BYTES <= FRAME_BUDGET:
        return [ops] if ops else []  # no op exceeds MAX_OP_BYTES: these fit without measuring
    chunks: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    size = 0
    for op in ops:
        cost = len(encode(op).encode("utf-8")) + 1
        if current and (len(current) >= MAX_SUBMIT_OPS or size + cost > FRAME_BUDGET):
            chunks.append(current)
            current, size = [], 0
        current.append(op)
        size += cost
    if current:
        chunks.append(current)
    return chunks


def error(code: str, message: str) -> dict[str, Any]:
    """Build an `error` message."""
    return {"type": "error", "code": code, "message": message}
