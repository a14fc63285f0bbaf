"""The wire messages of PROTOCOL.md section 4, both ways: a builder and a parser for each."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from storage.ops import MAX_OP_BYTES, PHASES, depth_exceeds, is_device_id
from storage.signing import canonical_json

PROTOCOL_VERSION = 1
MAX_FRAME = 1024 * 1024  # section 2: at most 1 MiB a frame
MAX_SUBMIT_OPS = 500  # section 4: at most 500 ops a submit frame
PEER_TYPES = ("hello", "submit", "prove", "leaderboard_request")
MAX_TOP = 10_000  # a hello's `top` (docs/protocol.md 4d)
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


_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)  # built once, not per call


def encode(message: dict[str, Any]) -> str:
    """Serialize a message once, compactly, for every recipient."""
    return _COMPACT.encode(message)


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
    deltas: bool = False  # it applies `leaderboard_delta` (docs/protocol.md 4d)
    top: int | None = None  # a display that shows only the first `top` rows (4d)
    boards: bool = False  # it keeps named boards and reads `display_control` (4e)


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
    clean = _peer_vv(message.get("vv", {}))
    name = message.get("name", "")
    if not isinstance(name, str):
        raise bad_request("'name' must be text")
    return Hello(
        device,
        code,
        token,
        pubkey if code is not None else None,
        clean,
        name[:120],
        # Optional extensions (docs/protocol.md 3a), ignored when malformed: the ops waiting
        # on the device, and its wall clock, for the console's health view.
        _whole_below(message.get("pending"), 2**53),
        _whole_below(message.get("clock"), 10**13),
        *_board_wishes(message),
    )


def _board_wishes(message: dict[str, Any]) -> tuple[bool, int | None, bool]:
    """Return a hello's `deltas`, `top` (docs/protocol.md 4d) and `boards` (4e), or raise
    bad_request."""
    deltas, top = message.get("deltas", False), message.get("top")
    boards = message.get("boards", False)
    if not isinstance(deltas, bool):
        raise bad_request("'deltas' must be true or false")
    if not isinstance(boards, bool):
        raise bad_request("'boards' must be true or false")
    if top is not None and _whole_below(top, MAX_TOP + 1) in (None, 0):
        raise bad_request(f"'top' must be a whole number from 1 to {MAX_TOP}")
    return deltas, top, boards


def _peer_vv(vv: object) -> dict[str, int]:
    """Check a hello's `vv`: device ids to whole numbers."""
    if not isinstance(vv, dict) or len(vv) > 100_000:
        raise bad_request("'vv' must be an object")
    clean: dict[str, int] = {}
    for key, n in vv.items():
        if not is_device_id(key) or isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise bad_request("'vv' maps device ids to whole numbers")
        clean[key] = n
    return clean


def _whole_below(value: object, limit: int) -> int | None:
    """Return `value` if it is a whole number from 0 below `limit`, else None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < limit:
        return None
    return value


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
    return [ops[run] for run in _runs(len(ops), lambda k: _cost(encode(ops[k])))]


def chunk_encoded(encoded: list[str]) -> list[list[str]]:
    """Split encoded wire ops into runs that each fit one frame, as `chunk_ops` splits them."""
    return [encoded[run] for run in _runs(len(encoded), lambda k: _cost(encoded[k]))]


def ops_frame(encoded: Sequence[str], vv: dict[str, int]) -> str:
    """Return the `ops` frame of encoded wire ops: the text `encode(Ops(...).to_wire())` gives."""
    return '{"type":"ops","ops":[' + ",".join(encoded) + '],"vv":' + encode(vv) + "}"


def _cost(text: str) -> int:
    return len(text.encode("utf-8")) + 1  # the op and its comma


def _runs(count: int, cost: Callable[[int], int]) -> list[slice]:
    """Return the runs of `count` ops, each within one frame, measuring the k-th by `cost(k)`."""
    if count * MAX_OP_BYTES <= FRAME_BUDGET:
        return [slice(0, count)] if count else []  # no op exceeds MAX_OP_BYTES: no measuring
    runs: list[slice] = []
    start = size = 0
    for k in range(count):
        price = cost(k)
        if k > start and (k - start >= MAX_SUBMIT_OPS or size + price > FRAME_BUDGET):
            runs.append(slice(start, k))
            start, size = k, 0
        size += price
    if start < count:
        runs.append(slice(start, count))
    return runs


def error(code: str, message: str) -> dict[str, Any]:
    """Build an `error` message."""
    return Error(code, message).to_wire()


# --- peer -> host: builders for what `parse_hello`, `parse_submit` and `parse_prove` read ---------


def hello(
    device: str,
    *,
    code: str | None = None,
    token: str | None = None,
    pubkey: str | None = None,
    vv: dict[str, int] | None = None,
    name: str = "",
    pending: int | None = None,
    clock_ms: int | None = None,
    deltas: bool = False,
    top: int | None = None,
) -> dict[str, Any]:
    """Build a `hello`: first contact with `code` and `pubkey`, later contacts with `token`."""
    message: dict[str, Any] = {"type": "hello", "protocol": PROTOCOL_VERSION, "device": device}
    if code is not None:
        message.update(code=code, pubkey=pubkey)
    if token is not None:
        message["token"] = token
    message["vv"] = dict(vv or {})
    if name:
        message["name"] = name
    if pending is not None:
        message["pending"] = pending
    if clock_ms is not None:
        message["clock"] = clock_ms
    if deltas:
        message["deltas"] = True
    if top is not None:
        message["top"] = top
    return message


def leaderboard_request(board: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build a `leaderboard_request`: send me this board's snapshot again (docs/protocol.md 4d)."""
    message: dict[str, Any] = {"type": "leaderboard_request"}
    if board is not None:
        message["board"] = board
    return message


def parse_display_control(message: dict[str, Any]) -> dict[str, Any]:
    """Check a `display_control` (docs/protocol.md 4e) and return it, or raise ProtocolError:
    `boards` a list of board names or null (the main board), `rotate` seconds, `mode`."""
    _of_type(message, "display_control")
    boards = _field(message, "boards", list)
    if not boards or not all(b is None or isinstance(b, dict) for b in boards):
        raise bad_request("display_control: 'boards' must list board names or null")
    rotate = _field(message, "rotate", int)
    if rotate < 1:
        raise bad_request("display_control: 'rotate' must be a number of seconds")
    mode = _field(message, "mode", str)
    if mode not in DISPLAY_MODES:
        raise bad_request(f"display_control: no such mode {mode[:40]!r}")
    _optional(message, "reveal_board", dict)
    return message


def parse_board_title(message: dict[str, Any]) -> dict[str, Any] | None:
    """Return a named board's `title` (docs/protocol.md 4e): its round's and prize's names."""
    title: dict[str, Any] | None = _optional(message, "title", dict)
    return title


def is_board_name(name: object) -> bool:
    """Return whether `name` is a wire board name (4e): string `round`, string or null `prize`."""
    if not isinstance(name, Mapping):
        return False
    round_id, prize = name.get("round"), name.get("prize")
    return isinstance(round_id, str) and (prize is None or isinstance(prize, str))


def parse_board_name(message: dict[str, Any]) -> dict[str, Any] | None:
    """Return the board a message names (absent or null: the event's main board, None), or
    raise bad_request for a name that names no board."""
    board: dict[str, Any] | None = _optional(message, "board", dict)
    if board is not None and not is_board_name(board):
        raise bad_request(f"{message.get('type')}: 'board' must name a round and a prize or null")
    return board


def submit(ops: list[dict[str, Any]], history: list[str] | None = None) -> dict[str, Any]:
    """Build a `submit` of wire ops; `history` names those its sender holds as accepted (6a)."""
    message: dict[str, Any] = {"type": "submit", "ops": ops}
    if history is not None:
        message["history"] = history
    return message


def prove(sig: str) -> dict[str, Any]:
    """Build a `prove`: the signature of a `challenge`'s rejoin payload (docs/protocol.md 3b)."""
    return {"type": "prove", "sig": sig}


# --- host -> peer: one typed value, builder (`to_wire`) and parser per frame -------------------
#
# Each `to_wire` returns the object the host sends, its keys in the order they have always had on
# the wire (tests pin a few frames byte for byte). Each `parse_*` refuses what PROTOCOL.md calls
# malformed (a missing or mistyped field) with `bad_request` and ignores unknown fields, so that
# `parse_x(decode(encode(x.to_wire()))) == x`.

HOST_TYPES = (
    "welcome",
    "challenge",
    "ack",
    "ops",
    "score_update",
    "leaderboard_update",
    "leaderboard_delta",
    "display_control",
    "board_withdrawn",
    "team_notification",
    "judge_notification",
    "error",
)
ROLES = ("judge", "team", "display")
DISPLAY_MODES = ("live", "progress", "frozen", "reveal")


@dataclass(frozen=True)
class PageHello:
    """A browser page's `hello` on the web port (docs/protocol.md 13): its page, a team's code."""

    page: str
    code: str | None
    deltas: bool = False  # the page applies `leaderboard_delta` (docs/protocol.md 4d, 13)
    boards: bool = False  # the page keeps named boards and reads `display_control` (4e, 13)


def parse_page_hello(message: dict[str, Any]) -> PageHello:
    """Check a browser page's `hello` and return it, or raise ProtocolError."""
    _of_type(message, "hello")
    if _field(message, "protocol", int, "hello") != PROTOCOL_VERSION:
        raise bad_request(f"this host speaks protocol {PROTOCOL_VERSION}")
    page = _field(message, "page", str, "hello")
    if page not in ("public", "team"):
        raise bad_request(f"hello: no such page {page[:40]!r}")
    code = _optional(message, "code", str, "hello")
    if page == "team" and (code is None or len(code) > 32):
        raise bad_request("the team page's hello needs the team's join 'code'")
    # The same wishes as a desktop hello's; a page has no `top` (it shows whole boards).
    deltas, _, boards = _board_wishes(
        {k: message.get(k) for k in ("deltas", "boards") if k in message}
    )
    return PageHello(page, code if page == "team" else None, deltas, boards)


def _field(message: dict[str, Any], key: str, kind: type, where: str | None = None) -> Any:
    """Return `message[key]` if it is of `kind` (a bool is no number), else raise bad_request."""
    value = message.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise bad_request(f"{where or message.get('type')}: {key!r} has the wrong type")
    return value


def _optional(message: dict[str, Any], key: str, kind: type, where: str | None = None) -> Any:
    """Return `message[key]`, which may be absent or null, else of `kind`."""
    return None if message.get(key) is None else _field(message, key, kind, where)


def _vv(message: dict[str, Any], key: str = "vv") -> dict[str, int]:
    vv = _field(message, key, dict)
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in vv.values()):
        raise bad_request(f"{message['type']}: {key!r} maps device ids to whole numbers")
    return dict(vv)


def _objects(message: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = _field(message, key, list)
    if not all(isinstance(item, dict) for item in items):
        raise bad_request(f"{message['type']}: {key!r} must be a list of objects")
    return list(items)


def _of_type(message: dict[str, Any], *kinds: str) -> str:
    kind = message.get("type")
    if kind not in kinds:
        raise bad_request(f"expected {' or '.join(kinds)}, not {str(kind)[:40]!r}")
    assert isinstance(kind, str)
    return kind


@dataclass(frozen=True)
class Welcome:
    """The host's `welcome`: the peer's role, its token, the event and the host's clock and vv."""

    role: str
    subject: str | None
    subject_name: str | None
    token: str
    host: str
    event: dict[str, Any]
    hlc: str
    vv: dict[str, int]

    def to_wire(self) -> dict[str, Any]:
        """Return the frame's object."""
        return {
            "type": "welcome",
            "protocol": PROTOCOL_VERSION,
            "role": self.role,
            "subject": self.subject,
            "subject_name": self.subject_name,
            "token": self.token,
            "host": self.host,
            "event": self.event,
            "hlc": self.hlc,
            "vv": self.vv,
        }


def parse_welcome(message: dict[str, Any]) -> Welcome:
    """Check a `welcome` and return it, or raise ProtocolError."""
    _of_type(message, "welcome")
    if _field(message, "protocol", int) != PROTOCOL_VERSION:
        raise bad_request(f"this peer speaks protocol {PROTOCOL_VERSION}")
    role = _field(message, "role", str)
    if role not in ROLES:
        raise bad_request(f"welcome: no such role {role[:40]!r}")
    event = _field(message, "event", dict)
    if not isinstance(event.get("id"), str):
        raise bad_request("welcome: the event needs a string 'id'")
    return Welcome(
        role,
        _optional(message, "subject", str),
        _optional(message, "subject_name", str),
        _field(message, "token", str),
        _field(message, "host", str),
        event,
        _field(message, "hlc", str),
        _vv(message),
    )


@dataclass(frozen=True)
class Challenge:
    """The host's `challenge` to a paired device it holds no token for (docs/protocol.md 3b)."""

    nonce: str
    host: str

    def to_wire(self) -> dict[str, Any]:
        """Return the frame's object."""
        return {"type": "challenge", "nonce": self.nonce, "host": self.host}


def parse_challenge(message: dict[str, Any]) -> Challenge:
    """Check a `challenge` and return it, or raise ProtocolError."""
    _of_type(message, "challenge")
    return Challenge(_field(message, "nonce", str), _field(message, "host", str))


@dataclass(frozen=True)
class Rejected:
    """One `rejected` entry of an ack: the op, its section 6 code and a sentence for its user."""

    id: str
    code: str
    message: str

    def to_wire(self) -> dict[str, str]:
        """Return the entry's object."""
        return {"id": self.id, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Ack:
    """The host's `ack` of one submit frame."""

    accepted: tuple[str, ...]
    rejected: tuple[Rejected, ...]

    def to_wire(self) -> dict[str, Any]:
        """Return the frame's object."""
        return {
            "type": "ack",
            "accepted": list(self.accepted),
            "rejected": [r.to_wire() for r in self.rejected],
        }


def parse_ack(message: dict[str, Any]) -> Ack:
    """Check an `ack` and return it, or raise ProtocolError."""
    _of_type(message, "ack")
    accepted = _field(message, "accepted", list)
    if not all(isinstance(i, str) for i in accepted):
        raise bad_request("ack: 'accepted' must be a list of op ids")
    rejected = tuple(
        Rejected(*(_field(r, key, str, "ack rejected") for key in ("id", "code", "message")))
        for r in _objects(message, "rejected")
    )
    return Ack(tuple(accepted), rejected)


@dataclass(frozen=True)
class Ops:
    """An `ops` frame of the replication stream: wire ops, and the vv it lets the peer claim."""

    ops: tuple[dict[str, Any], ...]
    vv: dict[str, int]

    def to_wire(self) -> dict[str, Any]:
        """Return the frame's object."""
        return {"type": "ops", "ops": list(self.ops), "vv": self.vv}


def parse_ops(message: dict[str, Any]) -> Ops:
    """Check an `ops` frame and return it, or raise ProtocolError (each op the replica checks)."""
    _of_type(message, "ops")
    return Ops(tuple(_objects(message, "ops")), _vv(message))


@dataclass(frozen=True)
class Score:
    """A `score_update`'s data: one sheet; `judge_id` is None where the reader may not know it."""

    team_id: str
    team_name: str
    scores: dict[str, Any]
    comment: str
    final: bool
    judge_id: str | None
    sheet_id: str
    round: str | None = None  # a later round's sheet; None: the first round's (4e)


@dataclass(frozen=True)
class ScoreUpdate:
    """The host's `score_update`: one sheet as a judge or a team may read it."""

    data: Score
    timestamp: str

    def to_wire(self) -> dict[str, Any]:
        """Return the frame's object."""
        d = self.data
        data = {
            "team_id": d.team_id,
            "team_name": d.team_name,
            "scores": d.scores,
            "comment": d.comment,
            "final": d.final,
            "judge_id": d.judge_id,
            "sheet_id": d.sheet_id,
        }
        if d.round is not None:
            data["round"] = d.round
        return {"type": "score_update", "data": data, "timestamp": self.timestamp}


def parse_score_update(message: dict[str, Any]) -> ScoreUpdate:
    """Check a `score_update` and return it, or raise ProtocolError."""
    _of_type(message, "score_update")
    data, where = _field(message, "data", dict), "score_update data"
    comment, sheet_id = data.get("comment", ""), data.get("sheet_id", "")
    if not isinstance(comment, str) or not isinstance(sheet_id, str):
        raise bad_request(f"{where}: 'comment' and 'sheet_id' must be text")
    score = Score(
        _field(data, "team_id", str, where),
        _field(data, "team_name", str, where),
        _field(data, "scores", dict, where),
        comment,
        _field(data, "final", bool, where),
        _optional(data, "judge_id", str, where),
        sheet_id,
        _optional(data, "round", str, where),
    )
    return ScoreUpdate(score, _field(message, "timestamp", str))


@dataclass(frozen=True)
class LeaderboardUpdate:
    """The host's `leaderboard_update`: the rows the receiver's display mode lets it see."""

    revision: int
    mode: str
    rows: tuple[dict[str, Any], ...]
    timestamp: str
    phase: str | None = None  # the event's phase (docs/protocol.md 4a), for a display's headline
    board: dict[str, Any] | None = None  # which board (4d); None: the event's main board
    title: dict[str, Any] | None = None  # a named board's round, prize and sponsor names (4e)

    def to_wire(self) -> dict[str, Any]:
        """Return the frame's object."""
        wire: dict[str, Any] = {
            "type": "leaderboard_update",
            "revision": self.revision,
            "mode": self.mode,
            "data": list(self.rows),
            "timestamp": self.timestamp,
        }
        if self.phase is not None:
            wire["phase"] = self.phase
        if self.board is not None:
            wire["board"] = self.board
        if self.title is not None:
            wire["title"] = self.title
        return wire


def _board_fields(message: dict[str, Any]) -> tuple[str, str | None]:
    """Return a board message's mode and phase, or raise bad_request."""
    mode = _field(message, "mode", str)
    if mode not in DISPLAY_MODES:
        raise bad_request(f"{message['type']}: no such mode {mode[:40]!r}")
    phase = message.get("phase")
    if phase is not None and phase not in PHASES:
        raise bad_request(f"{message['type']}: no such phase {str(phase)[:40]!r}")
    return mode, phase


def _board_row(row: dict[str, Any]) -> None:
    _field(row, "team_id", str, "leaderboard row")
    _field(row, "team_name", str, "leaderboard row")
    _field(row, "judge_count", int, "leaderboard row")


def parse_leaderboard_update(message: dict[str, Any]) -> LeaderboardUpdate:
    """Check a `leaderboard_update` and return it, or raise ProtocolError."""
    _of_type(message, "leaderboard_update")
    mode, phase = _board_fields(message)
    rows = _objects(message, "data")
    for row in rows:
        _board_row(row)
    return LeaderboardUpdate(
        _field(message, "revision", int),
        mode,
        tuple(rows),
        _field(message, "timestamp", str),
        phase,
        parse_board_name(message),
        parse_board_title(message),
    )


@dataclass(frozen=True)
class LeaderboardDelta:
    """The host's `leaderboard_delta` (docs/protocol.md 4d): what changed from board `base`.

    `rows` are the rows that entered or changed, each with its place (`pos`, from 0) in the
    new board; `removed` the teams that left it; `count` the new board's length. Every other
    row of the old board stays, in its order, in the places left over; `ranks` are runs
    `(pos, length, by)` of those kept rows whose rank moved by `by` and nothing else.
    """

    revision: int
    base: int
    mode: str
    count: int
    rows: tuple[tuple[int, dict[str, Any]], ...]
    removed: tuple[str, ...]
    timestamp: str
    phase: str | None = None
    board: dict[str, Any] | None = None
    ranks: tuple[tuple[int, int, int], ...] = ()
    title: dict[str, Any] | None = None

    def to_wire(self) -> dict[str, Any]:
        """Return the frame's object."""
        wire: dict[str, Any] = {
            "type": "leaderboard_delta",
            "revision": self.revision,
            "base": self.base,
            "mode": self.mode,
            "count": self.count,
            "rows": [{"pos": pos, **row} for pos, row in self.rows],
            "removed": list(self.removed),
            "ranks": [list(run) for run in self.ranks],
            "timestamp": self.timestamp,
        }
        if self.phase is not None:
            wire["phase"] = self.phase
        if self.board is not None:
            wire["board"] = self.board
        if self.title is not None:
            wire["title"] = self.title
        return wire


def parse_leaderboard_delta(message: dict[str, Any]) -> LeaderboardDelta:
    """Check a `leaderboard_delta` and return it, or raise ProtocolError."""
    _of_type(message, "leaderboard_delta")
    mode, phase = _board_fields(message)
    count = _field(message, "count", int)
    if count < 0:
        raise bad_request("leaderboard_delta: 'count' must not be negative")
    rows = []
    for item in _objects(message, "rows"):
        pos = _field(item, "pos", int, "leaderboard_delta row")
        if not 0 <= pos < count:
            raise bad_request("leaderboard_delta: a row's 'pos' is outside the board")
        _board_row(item)
        rows.append((pos, {k: v for k, v in item.items() if k != "pos"}))
    removed = _field(message, "removed", list)
    if not all(isinstance(team, str) for team in removed):
        raise bad_request("leaderboard_delta: 'removed' must be a list of team ids")
    return LeaderboardDelta(
        _field(message, "revision", int),
        _field(message, "base", int),
        mode,
        count,
        tuple(rows),
        tuple(removed),
        _field(message, "timestamp", str),
        phase,
        parse_board_name(message),
        _rank_runs(message.get("ranks", []), count),
        parse_board_title(message),
    )


def _rank_runs(raw: object, count: int) -> tuple[tuple[int, int, int], ...]:
    """Check a delta's `ranks`: runs [pos, length, by] of whole numbers within the board."""
    if not isinstance(raw, list):
        raise bad_request("leaderboard_delta: 'ranks' must be a list of runs")
    runs = []
    for run in raw:
        whole = isinstance(run, list) and len(run) == 3
        whole = whole and all(isinstance(v, int) and not isinstance(v, bool) for v in run)
        if not whole or run[0] < 0 or run[1] < 1 or run[0] + run[1] > count or run[2] == 0:
            raise bad_request("leaderboard_delta: a rank run is [place, length, by] on the board")
        runs.append((run[0], run[1], run[2]))
    return tuple(runs)


def apply_delta(
    rows: Sequence[dict[str, Any]], delta: LeaderboardDelta
) -> list[dict[str, Any]] | None:
    """Return the board `delta` makes of `rows` (the board of its `base`), or None when the
    two do not fit together (the peer then asks for the snapshot again)."""
    changed = {row["team_id"] for _, row in delta.rows}
    if len(changed) != len(delta.rows):
        return None  # one team in two places
    gone = set(delta.removed)
    kept = iter(
        [row for row in rows if row["team_id"] not in changed and row["team_id"] not in gone]
    )
    placed: list[dict[str, Any] | None] = [None] * delta.count
    for pos, row in delta.rows:
        if placed[pos] is not None:
            return None  # two rows in one place
        placed[pos] = row
    board = [row if row is not None else next(kept, None) for row in placed]
    if any(row is None for row in board) or next(kept, None) is not None:
        return None  # the old board had fewer or more rows than the delta leaves room for
    done = [row for row in board if row is not None]
    for pos, length, by in delta.ranks:
        for k in range(pos, pos + length):
            rank = done[k].get("rank")
            if placed[k] is not None or not isinstance(rank, int) or isinstance(rank, bool):
                return None  # a run over a row the delta sent, or over one without a rank
            placed[k] = done[k] = {**done[k], "rank": rank + by}  # placed: moved once only
    return done


@dataclass(frozen=True)
class BoardWithdrawn:
    """The host's `board_withdrawn` (docs/protocol.md 4e): a board this peer was sent and may
    no longer be, to drop; `board` None is the event's main board. Only for `boards` peers."""

    board: dict[str, Any] | None
    timestamp: str

    def to_wire(self) -> dict[str, Any]:
        """Return the frame's object (`board` is always there, null for the main board)."""
        return {"type": "board_withdrawn", "board": self.board, "timestamp": self.timestamp}


def parse_board_withdrawn(message: dict[str, Any]) -> BoardWithdrawn:
    """Check a `board_withdrawn` and return it, or raise ProtocolError."""
    _of_type(message, "board_withdrawn")
    return BoardWithdrawn(parse_board_name(message), _field(message, "timestamp", str))


@dataclass(frozen=True)
class Note:
    """A notification's data: its op's id, text, audience and when the organiser sent it."""

    id: str
    message: str
    audience: str
    sent: str


@dataclass(frozen=True)
class Notification:
    """The host's `team_notification` or `judge_notification` (`kind`)."""

    kind: str
    data: Note
    timestamp: str

    def to_wire(self) -> dict[str, Any]:
        """Return the frame's object."""
        d = self.data
        data = {"id": d.id, "message": d.message, "audience": d.audience, "sent": d.sent}
        return {"type": self.kind, "data": data, "timestamp": self.timestamp}


def parse_notification(message: dict[str, Any]) -> Notification:
    """Check a `team_notification` or `judge_notification` and return it, or raise."""
    kind = _of_type(message, "team_notification", "judge_notification")
    data = _field(message, "data", dict)
    note = Note(*(_field(data, key, str, kind) for key in ("id", "message", "audience", "sent")))
    return Notification(kind, note, _field(message, "timestamp", str))


@dataclass(frozen=True)
class Error:
    """The host's `error`, sent before it closes the socket (PROTOCOL.md section 7)."""

    code: str
    message: str

    def to_wire(self) -> dict[str, Any]:
        """Return the frame's object."""
        return {"type": "error", "code": self.code, "message": self.message}


def parse_error(message: dict[str, Any]) -> Error:
    """Check an `error` and return it, or raise ProtocolError."""
    _of_type(message, "error")
    return Error(_field(message, "code", str), _field(message, "message", str))


HostMessage = (
    Welcome
    | Challenge
    | Ack
    | Ops
    | ScoreUpdate
    | LeaderboardUpdate
    | LeaderboardDelta
    | BoardWithdrawn
    | Notification
    | Error
)
_HOST_PARSERS: dict[str, Callable[[dict[str, Any]], HostMessage]] = {
    "welcome": parse_welcome,
    "challenge": parse_challenge,
    "ack": parse_ack,
    "ops": parse_ops,
    "score_update": parse_score_update,
    "leaderboard_update": parse_leaderboard_update,
    "leaderboard_delta": parse_leaderboard_delta,
    "board_withdrawn": parse_board_withdrawn,
    "team_notification": parse_notification,
    "judge_notification": parse_notification,
    "error": parse_error,
}


def parse_host_message(message: dict[str, Any]) -> HostMessage:
    """Parse any message a host sends (a decoded frame), or raise ProtocolError."""
    kind = message.get("type")
    parser = _HOST_PARSERS.get(kind) if isinstance(kind, str) else None
    if parser is None:
        raise bad_request(f"unknown message type {str(kind)[:40]!r}")
    return parser(message)
