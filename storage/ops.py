"""Ops: the wire form of every change, its merge key and the structural checks of its body."""

from __future__ import annotations

import functools
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storage import hlc
from storage.signing import canonical_json, valid_public_key

PHASES = ("setup", "scoring", "locked", "released")
DISPLAY_MODES = ("live", "progress", "frozen", "reveal")
ROLES = ("admin", "judge", "team", "display")
AUDIENCES = ("all", "judges", "teams", "judge", "team")

# The organiser's named corrections of a sheet (docs/protocol.md 5c): the only ops that change a
# locked round's results. Each carries the reason the organiser typed.
CORRECTION_KINDS = (
    "sheet.void",
    "sheet.restore",
    "sheet.reopen",
    "sheet.relock",
    "sheet.enter",
)
ADMIN_KINDS = (
    "event.set",
    "team.put",
    "team.del",
    "criterion.put",
    "criterion.del",
    "judge.put",
    "judge.del",
    "assign.put",
    "device.put",
    "device.revoke",
    "notify",
    "prize.put",
    "prize.del",
    "round.put",
    "round.del",
    "round.phase",
    "finalist.put",
    *CORRECTION_KINDS,
)
KINDS = ("sheet.save", *ADMIN_KINDS)

# Event settings: each field is its own merge key, so one op still writes one key.
EVENT_DEFAULTS: dict[str, Any] = {
    "name": "Untitled event",
    "phase": "setup",
    "judges_see_results": False,
    "display_mode": "live",
    "reveal_count": 0,
    "tie_break": [],
    # Whether printed feedback sheets name the judge of each sheet (docs/protocol.md 10).
    "feedback_names_judges": False,
}
# Event fields added with prizes and rounds (issue 11): `State.event()` lists them only once set,
# so an event that never sets them encodes, exports and dumps exactly as before.
EVENT_EXTRA_DEFAULTS: dict[str, Any] = {
    "round_name": "Round 1",
    "normalise": "off",
}
# The display's control over prizes and rounds (docs/protocol.md 4e): which boards the displays
# show, how long each is shown when there are several, and the board a reveal ceremony is on.
# Like the fields above, the folded settings list them only once set.
DISPLAY_DEFAULTS: dict[str, Any] = {
    "display_boards": [],
    "display_rotate": 20,
    "reveal_board": None,
}
MAX_DISPLAY_BOARDS = 20
DISPLAY_ROTATE = (5, 600)  # seconds a display shows each board, when it shows several
# The first round is the event itself: it has no round.put, and this id names it in results.
FIRST_ROUND = "main"
PRIZE_ELIGIBILITY = ("all", "opt_in")
PRIZE_JUDGES = ("all", "listed")
NORMALISE = ("off", "shown", "ranks")
FINALIST_RULES = ("all", "top_overall", "top_per_prize")
ROUND_RESULTS = ("own", "weighted")
# Tie-break keys beside criterion ids: they hold a '#', which no id can, so they never collide.
TIE_SHEETS = "#sheets"
TIE_MEDIAN = "#median"
TIE_RULES = (TIE_SHEETS, TIE_MEDIAN)

MAX_OP_BYTES = 64 * 1024
MAX_NAME = 120
MAX_TEXT = 4000
MAX_LIST = 200
MAX_NUMBER = 1e9
MAX_REASON = 500
# Containers inside a body, the body included: no kind needs more than 2 ({"scores": {...}}).
MAX_BODY_DEPTH = 3
# Unknown body fields (a newer peer's additions) are kept, since the signature covers them,
# but only a few small scalars: nothing nests, and no one fills the host's disk with them.
MAX_UNKNOWN_FIELDS = 8
MAX_UNKNOWN_TEXT = 256
# The fields of each entity's `<kind>.put`, in the order an event file writes them
# (storage/eventfile.py): one list, so that a field added to an entity is in both.
PUT_FIELDS: dict[str, tuple[str, ...]] = {
    "criterion": (
        "id",
        "name",
        "description",
        "weight",
        "min",
        "max",
        "step",
        "order",
        "prize",
        "round",
    ),
    "prize": ("id", "name", "sponsor", "eligibility", "judges", "hidden", "order"),
    "round": (
        "id",
        "name",
        "order",
        "judges",
        "finalists",
        "finalists_n",
        "result",
        "previous_weight",
        "normalise",
        "tie_break",
    ),
    "team": ("id", "name", "location", "members", "prizes"),
    "judge": ("id", "name", "conflicts", "prizes"),
}
BODY_FIELDS: dict[str, frozenset[str]] = {
    "sheet.save": frozenset({"team", "scores", "comment", "final", "round"}),
    "event.set": frozenset({"field", "value"}),
    **{f"{kind}.put": frozenset(fields) for kind, fields in PUT_FIELDS.items()},
    **{f"{kind}.del": frozenset({"id"}) for kind in PUT_FIELDS},
    "assign.put": frozenset({"judge", "team", "assigned", "round"}),
    "device.put": frozenset({"device", "pubkey", "role", "subject", "name"}),
    "device.revoke": frozenset({"device"}),
    "notify": frozenset({"audience", "target", "message"}),
    "round.phase": frozenset({"round", "phase"}),
    "finalist.put": frozenset({"round", "team", "finalist"}),
    **dict.fromkeys(
        ("sheet.void", "sheet.restore", "sheet.reopen", "sheet.relock"),
        frozenset({"judge", "team", "round", "reason"}),
    ),
    "sheet.enter": frozenset({"judge", "team", "round", "scores", "comment", "final", "reason"}),
}
# \Z, not $: "$" also matches before a final "\n", which would let "t1\n" pass as an id.
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}\Z")


class InvalidOp(ValueError):
    """An op or op body that breaks the protocol's structure (reject code `invalid`)."""

    code = "invalid"


@dataclass(frozen=True)
class Op:
    """One immutable, signed change made on one device (PROTOCOL.md section 5)."""

    id: str
    device: str
    n: int
    hlc: str
    author: str
    kind: str
    body: dict[str, Any]
    sig: str

    def to_wire(self) -> dict[str, Any]:
        """Return the op as the JSON object that travels and is stored."""
        return {
            "id": self.id,
            "device": self.device,
            "n": self.n,
            "hlc": self.hlc,
            "author": self.author,
            "kind": self.kind,
            "body": self.body,
            "sig": self.sig,
        }

    def payload(self) -> bytes:
        """Return the bytes that `sig` signs: the canonical JSON without `sig`."""
        wire, sig = self.canonical, self._sig_json
        return wire[: -len(sig) - 1] + b"}"

    @functools.cached_property
    def canonical(self) -> bytes:
        """The op's canonical JSON, encoded once: its size, its signed payload (`sig` sorts
        last: the payload is this text without it) and the text it travels as (issue 14)."""
        return canonical_json(self.to_wire())

    @functools.cached_property
    def _sig_json(self) -> bytes:
        return b',"sig":' + canonical_json(self.sig)

    @functools.cached_property
    def body_json(self) -> str:
        """The body's canonical JSON, as the op table stores it; encoded once."""
        return canonical_json(self.body).decode("utf-8")

    @functools.cached_property
    def key(self) -> str:
        """The one state key this op writes; worked out once (the host asks it several times)."""
        return merge_key(self.kind, self.author, self.id, self.body)

    @functools.cached_property
    def value(self) -> dict[str, Any] | None:
        """The value the op's body writes, as `normalize_body` checks and returns it: checked
        once per op, by the rules and the fold alike (issue 14). Raises InvalidOp."""
        return normalize_body(self.kind, self.body)


def is_device_id(text: object) -> bool:
    """Tell whether `text` is a device id: a UUID in its canonical lowercase form."""
    if not isinstance(text, str) or len(text) != 36:
        return False
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def is_entity_id(text: object) -> bool:
    """Tell whether `text` can name a team, judge or criterion."""
    return isinstance(text, str) and _ID.match(text) is not None


def depth_exceeds(value: object, limit: int) -> bool:
    """Tell whether `value` nests containers deeper than `limit`, without recursing."""
    if not isinstance(value, dict | list):
        return False
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        # Only containers go on the stack: a frame's scalars are most of it (issue 14).
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def _check_unknown_fields(kind: str, body: dict[str, Any]) -> None:
    unknown = [name for name in body if name not in BODY_FIELDS[kind]]
    if len(unknown) > MAX_UNKNOWN_FIELDS:
        raise InvalidOp(f"a body carries at most {MAX_UNKNOWN_FIELDS} fields beyond its kind's")
    for name in unknown:
        value = body[name]
        if len(name) > 64 or not (
            value is None
            or isinstance(value, bool | int | float)
            or (isinstance(value, str) and len(value) <= MAX_UNKNOWN_TEXT)
        ):
            raise InvalidOp(
                f"unknown body field {name[:40]!r} must be null, true/false, a number or at most"
                f" {MAX_UNKNOWN_TEXT} characters of text"
            )


_ENVELOPE = (
    ("id", str),
    ("device", str),
    ("hlc", str),
    ("author", str),
    ("kind", str),
    ("body", dict),
    ("sig", str),
)


def _check_numbering(obj: object) -> dict[str, Any]:
    """Check that an op is an object of the envelope's types, numbered `<device>/<n>`."""
    if not isinstance(obj, dict):
        raise InvalidOp("an op must be a JSON object")
    for name, kind in _ENVELOPE:
        if not isinstance(obj.get(name), kind):
            raise InvalidOp(f"op field {name!r} is missing or of the wrong type")
    n = obj.get("n")
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n < 2**53:
        raise InvalidOp("op field 'n' must be a whole number from 1")
    device = obj["device"]
    if not is_device_id(device):
        raise InvalidOp("op field 'device' must be a lowercase UUID")
    if obj["id"] != f"{device}/{n}":
        raise InvalidOp("op id must be '<device>/<n>'")
    return obj


def _check_origin(obj: dict[str, Any]) -> None:
    """Check an op's stamp, kind, author, signature's size and body's depth."""
    try:
        stamp = hlc.parse(obj["hlc"])
    except hlc.HlcError as exc:
        raise InvalidOp(str(exc)) from exc
    if stamp.device != obj["device"]:
        raise InvalidOp("the hlc must carry the op's own device id")
    if obj["kind"] not in KINDS:
        raise InvalidOp(f"unknown op kind {obj['kind'][:40]!r}")
    author = obj["author"]
    if author != "admin" and not is_entity_id(author):
        raise InvalidOp("op author must be 'admin' or a judge id")
    if len(obj["sig"]) > 200:
        raise InvalidOp("op signature is too long")
    # An op that nests deeply could not be serialized, stored, read back or sent on without
    # running out of stack (docs/protocol.md 5a).
    if depth_exceeds(obj["body"], MAX_BODY_DEPTH):
        raise InvalidOp(f"an op body nests at most {MAX_BODY_DEPTH} levels deep")


def parse_op(obj: object) -> Op:
    """Check the envelope of a wire op and return it, or raise InvalidOp.

    The body's fields are checked by `normalize_body`, through `storage.rules.check`, once the
    op's signature has proved who made it; here only its depth and its unknown fields.
    """
    wire = _check_numbering(obj)
    _check_origin(wire)
    op = Op(
        id=wire["id"],
        device=wire["device"],
        n=wire["n"],
        hlc=wire["hlc"],
        author=wire["author"],
        kind=wire["kind"],
        body=wire["body"],
        sig=wire["sig"],
    )
    try:
        size = len(op.canonical)
    except (ValueError, TypeError) as exc:
        raise InvalidOp("op is not representable as canonical JSON") from exc
    if size > MAX_OP_BYTES:
        raise InvalidOp(f"op is larger than {MAX_OP_BYTES} bytes")
    _check_unknown_fields(op.kind, op.body)  # before anything is stored (docs/protocol.md 5a)
    return op


# Kinds whose key is their entity's: `<prefix>/<body id>` (a put and its del share it).
_ENTITY_KEYS = {
    "team.put": "team",
    "team.del": "team",
    "criterion.put": "criterion",
    "criterion.del": "criterion",
    "judge.put": "judge",
    "judge.del": "judge",
    "prize.put": "prize",
    "prize.del": "prize",
    "round.put": "round",
    "round.del": "round",
}


# Void and restore share one key, reopen and relock another: the later of each pair stands.
_CORRECTION_KEYS = {
    "sheet.void": "void",
    "sheet.restore": "void",
    "sheet.reopen": "reopen",
    "sheet.relock": "reopen",
}


def _round_key(what: str, round_id: object, judge: str, team: str) -> str:
    # A later round's sheet (or mark) has its own key space: `rsheet/<round>/...`.
    if round_id is not None:
        return f"r{what}/{round_id}/{judge}/{team}"
    return f"{what}/{judge}/{team}"


def round_key(what: str, round_id: str, judge: str, team: str) -> str:
    """Return the key of a judge's `sheet`, or its `void` or `reopen` mark, in a round."""
    return _round_key(what, None if round_id == FIRST_ROUND else round_id, judge, team)


def merge_key(kind: str, author: str, op_id: str, body: dict[str, Any]) -> str:
    """Return the state key an op of `kind` writes (PROTOCOL.md section 5, merge)."""
    if kind in _ENTITY_KEYS:
        return f"{_ENTITY_KEYS[kind]}/{body['id']}"
    if kind in ("sheet.save", "sheet.enter"):
        # A paper sheet writes the judge's own sheet key: the greatest stamp wins, as for any key.
        judge = author if kind == "sheet.save" else body["judge"]
        return _round_key("sheet", body.get("round"), judge, body["team"])
    if kind in _CORRECTION_KEYS:
        what = _CORRECTION_KEYS[kind]
        return _round_key(what, body.get("round"), body["judge"], body["team"])
    if kind == "event.set":
        return f"event/{body['field']}"
    if kind == "assign.put":
        if body.get("round") is not None:
            return f"rassign/{body['round']}/{body['judge']}/{body['team']}"
        return f"assign/{body['judge']}/{body['team']}"
    if kind == "device.put":
        return f"device/{body['device']}"
    if kind == "device.revoke":
        # A separate key, so that a revocation is never undone by a later device.put.
        return f"revoked/{body['device']}"
    if kind == "notify":
        return f"notify/{op_id}"
    if kind == "round.phase":
        return f"roundphase/{body['round']}"
    if kind == "finalist.put":
        return f"finalist/{body['round']}/{body['team']}"
    raise InvalidOp(f"unknown op kind {kind!r}")


# --- body checks -------------------------------------------------------------------------------


def _text(body: dict[str, Any], name: str, limit: int, *, required: bool = True) -> str:
    value = body.get(name, None if required else "")
    if not isinstance(value, str):
        raise InvalidOp(f"{name!r} must be text")
    value = value.strip()
    if required and not value:
        raise InvalidOp(f"{name!r} must not be empty")
    if len(value) > limit:
        raise InvalidOp(f"{name!r} is longer than {limit} characters")
    return value


def _id(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not is_entity_id(value):
        raise InvalidOp(f"{name!r} must be an id of 1-64 letters, digits, '_', '.' or '-'")
    assert isinstance(value, str)
    return value


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidOp(f"{name!r} must be a number")
    try:
        number = float(value)
    except OverflowError:  # an int beyond any float (10**400): JSON can carry it
        raise InvalidOp(f"{name!r} must be a finite number within ±1e9") from None
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise InvalidOp(f"{name!r} must be a finite number within ±1e9")
    return number


def _bool(body: dict[str, Any], name: str) -> bool:
    value = body.get(name)
    if not isinstance(value, bool):
        raise InvalidOp(f"{name!r} must be true or false")
    return value


def _id_list(value: object, name: str) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_LIST:
        raise InvalidOp(f"{name!r} must be a list of at most {MAX_LIST} ids")
    if not all(is_entity_id(item) for item in value):
        raise InvalidOp(f"{name!r} must hold ids only")
    return sorted(set(value))


def _event_value(field: str, value: object) -> object:
    if field == "name":
        return _text({"name": value}, "name", MAX_NAME)
    if field == "phase":
        if value not in PHASES:
            raise InvalidOp(f"phase must be one of {', '.join(PHASES)}")
        return value
    if field in ("judges_see_results", "feedback_names_judges"):
        return _bool({field: value}, field)
    if field == "tie_break":
        return _tie_break(value, "tie_break")
    if field == "round_name":
        return _text({field: value}, field, MAX_NAME)
    if field == "normalise":
        return _choice({field: value}, field, NORMALISE)
    if field in DISPLAY_DEFAULTS or field in ("display_mode", "reveal_count"):
        return _display_value(field, value)
    raise InvalidOp(f"unknown event field {field[:40]!r}")


def _display_value(field: str, value: object) -> object:
    """Check one of the display's control fields (PROTOCOL.md 4, docs/protocol.md 4e)."""
    if field == "display_mode":
        if value not in DISPLAY_MODES:
            raise InvalidOp(f"display_mode must be one of {', '.join(DISPLAY_MODES)}")
        return value
    if field == "reveal_count":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
            raise InvalidOp("reveal_count must be a whole number from 0")
        return value
    if field == "display_boards":
        if not isinstance(value, list) or len(value) > MAX_DISPLAY_BOARDS:
            raise InvalidOp(f"display_boards must be a list of at most {MAX_DISPLAY_BOARDS} boards")
        names = [board_name(item, "display_boards") for item in value]
        if len({(n["round"], n["prize"]) for n in names}) != len(names):
            raise InvalidOp("display_boards names a board twice")
        return names
    if field == "display_rotate":
        low, high = DISPLAY_ROTATE
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidOp(f"display_rotate must be a whole number of seconds, {low} to {high}")
        return value
    return None if value is None else board_name(value, "reveal_board")


def board_name(value: object, name: str) -> dict[str, Any]:
    """Check a board's name: `{"round": <round id>, "prize": <prize id or null>}` (4d, 4e)."""
    if not isinstance(value, dict) or set(value) != {"round", "prize"}:
        raise InvalidOp(f"{name}: a board is {{'round': <round id>, 'prize': <prize id or null>}}")
    if not is_entity_id(value["round"]):
        raise InvalidOp(f"{name}: a board's 'round' must be a round id")
    if value["prize"] is not None and not is_entity_id(value["prize"]):
        raise InvalidOp(f"{name}: a board's 'prize' must be a prize id or null")
    return {"round": value["round"], "prize": value["prize"]}


def _tie_break(value: object, name: str) -> list[str]:
    """Check an ordered list of tie-breaks: criterion ids, `#sheets` or `#median`."""
    if not isinstance(value, list) or len(value) > 20:
        raise InvalidOp(f"{name} must be a list of at most 20 criterion ids")
    if not all(is_entity_id(item) or item in TIE_RULES for item in value):
        raise InvalidOp(
            f"{name} must hold criterion ids, {TIE_SHEETS!r} (more final sheets) or"
            f" {TIE_MEDIAN!r} (median sheet score)"
        )
    if len(set(value)) != len(value):
        raise InvalidOp(f"{name} must hold distinct criterion ids")
    return list(value)


def _choice(body: dict[str, Any], name: str, choices: tuple[str, ...]) -> str:
    """Return `body[name]`, one of `choices`; absent means the first."""
    value = body.get(name, choices[0])
    if value not in choices:
        raise InvalidOp(f"{name!r} must be one of {', '.join(choices)}")
    assert isinstance(value, str)
    return value


def _whole(body: dict[str, Any], name: str, low: int, high: int, default: int = 0) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidOp(f"{name!r} must be a whole number from {low} to {high}")
    return value


def _optional_id(body: dict[str, Any], name: str) -> str | None:
    """Return an optional id field: absent or null is None."""
    return None if body.get(name) is None else _id(body, name)


def _round_ref(body: dict[str, Any], name: str = "round") -> str | None:
    """Return the later round a body names; the first round is named by leaving it out."""
    round_id = _optional_id(body, name)
    if round_id == FIRST_ROUND:
        raise InvalidOp(f"the first round is named by leaving {name!r} out, not {FIRST_ROUND!r}")
    return round_id


def _extras(**fields: object) -> dict[str, Any]:
    """Return the new optional fields that hold something: absent ones encode as before."""
    return {name: value for name, value in fields.items() if value not in (None, [], False)}


def normalize_body(kind: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """Check a body's structure and return the value it writes (None for a deletion).

    Raises InvalidOp. Checks that need the replica's state (unknown team, out of range) are in
    `storage.rules`.
    """
    normalize = _NORMALIZERS.get(kind)
    if normalize is None:
        raise InvalidOp(f"unknown op kind {kind[:40]!r}")
    return normalize(body)


def _sheet_save(body: dict[str, Any]) -> dict[str, Any]:
    scores = body.get("scores")
    if not isinstance(scores, dict) or len(scores) > MAX_LIST:
        raise InvalidOp(f"'scores' must be an object of at most {MAX_LIST} criteria")
    clean: dict[str, float | int] = {}
    for cid, value in scores.items():
        if not is_entity_id(cid):
            raise InvalidOp("score keys must be criterion ids")
        _number(value, f"scores.{cid}")
        clean[cid] = value
    return {
        "team": _id(body, "team"),
        "scores": clean,
        "comment": _text(body, "comment", MAX_TEXT, required=False),
        "final": _bool(body, "final"),
        **_extras(round=_round_ref(body)),
    }


def _event_set(body: dict[str, Any]) -> dict[str, Any]:
    field = body.get("field")
    if not isinstance(field, str) or "value" not in body:
        raise InvalidOp("event.set needs 'field' and 'value'")
    return {"field": field, "value": _event_value(field, body["value"])}


def _team_put(body: dict[str, Any]) -> dict[str, Any]:
    members = body.get("members", [])
    if not isinstance(members, list) or len(members) > 50:
        raise InvalidOp("'members' must be a list of at most 50 names")
    return {
        "id": _id(body, "id"),
        "name": _text(body, "name", MAX_NAME),
        "location": _text(body, "location", MAX_NAME, required=False),
        "members": [_text({"member": m}, "member", MAX_NAME) for m in members],
        **_extras(prizes=_id_list(body.get("prizes", []), "prizes")),
    }


def _criterion_put(body: dict[str, Any]) -> dict[str, Any]:
    weight = _number(body.get("weight"), "weight")
    low = _number(body.get("min"), "min")
    high = _number(body.get("max"), "max")
    step = _number(body.get("step"), "step")
    order = body.get("order", 0)
    if weight <= 0:
        raise InvalidOp("'weight' must be greater than 0")
    if low >= high:
        raise InvalidOp("'min' must be less than 'max'")
    if step <= 0 or step > high - low:
        raise InvalidOp("'step' must be greater than 0 and at most max - min")
    if isinstance(order, bool) or not isinstance(order, int) or abs(order) > 10_000:
        raise InvalidOp("'order' must be a whole number")
    return {
        "id": _id(body, "id"),
        "name": _text(body, "name", MAX_NAME),
        "description": _text(body, "description", MAX_TEXT, required=False),
        "weight": body["weight"],
        "min": body["min"],
        "max": body["max"],
        "step": body["step"],
        "order": order,
        **_criterion_owner(body),
    }


def _criterion_owner(body: dict[str, Any]) -> dict[str, Any]:
    """Return whose criterion this is: a prize's, a later round's, or (empty) the event's."""
    prize, round_id = _optional_id(body, "prize"), _round_ref(body)
    if prize is not None and round_id is not None:
        raise InvalidOp("a criterion belongs to a prize or to a round, not both")
    return _extras(prize=prize, round=round_id)


def _judge_put(body: dict[str, Any]) -> dict[str, Any]:
    if body.get("id") == "admin":
        raise InvalidOp("'admin' is reserved and cannot be a judge's id")
    return {
        "id": _id(body, "id"),
        "name": _text(body, "name", MAX_NAME),
        "conflicts": _id_list(body.get("conflicts", []), "conflicts"),
        **_extras(prizes=_id_list(body.get("prizes", []), "prizes")),
    }


def _deletion(body: dict[str, Any]) -> None:
    _id(body, "id")


def _assign_put(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "judge": _id(body, "judge"),
        "team": _id(body, "team"),
        "assigned": _bool(body, "assigned"),
        **_extras(round=_round_ref(body)),
    }


def _device_put(body: dict[str, Any]) -> dict[str, Any]:
    device = body.get("device")
    role = body.get("role")
    if not is_device_id(device):
        raise InvalidOp("'device' must be a lowercase UUID")
    if role not in ROLES:
        raise InvalidOp(f"'role' must be one of {', '.join(ROLES)}")
    if not isinstance(body.get("pubkey"), str) or not valid_public_key(body["pubkey"]):
        raise InvalidOp("'pubkey' must be a base64 raw Ed25519 public key")
    subject = _whose(body, "subject", role, f"a {role} device has no subject")
    return {
        "device": device,
        "pubkey": body["pubkey"],
        "role": role,
        "subject": subject,
        "name": _text(body, "name", MAX_NAME, required=False),
    }


def _whose(body: dict[str, Any], name: str, kind: object, absent: str) -> str | None:
    """Return the judge or team id that `name` holds when `kind` is one, else None: a field
    that names no one must be absent (`absent` says so)."""
    if kind in ("judge", "team"):
        return _id(body, name)
    if body.get(name) is not None:
        raise InvalidOp(absent)
    return None


def _device_revoke(body: dict[str, Any]) -> dict[str, Any]:
    if not is_device_id(body.get("device")):
        raise InvalidOp("'device' must be a lowercase UUID")
    return {"device": body["device"], "revoked": True}


def _notify(body: dict[str, Any]) -> dict[str, Any]:
    audience = body.get("audience")
    if audience not in AUDIENCES:
        raise InvalidOp(f"'audience' must be one of {', '.join(AUDIENCES)}")
    target = _whose(body, "target", audience, f"a notification to {audience} has no target")
    return {
        "audience": audience,
        "target": target,
        "message": _text(body, "message", 1000),
    }


def _prize_put(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": _id(body, "id"),
        "name": _text(body, "name", MAX_NAME),
        "sponsor": _text(body, "sponsor", MAX_NAME, required=False),
        "eligibility": _choice(body, "eligibility", PRIZE_ELIGIBILITY),
        "judges": _choice(body, "judges", PRIZE_JUDGES),
        "hidden": _bool({"hidden": body.get("hidden", False)}, "hidden"),
        "order": _whole(body, "order", -10_000, 10_000),
    }


def _round_put(body: dict[str, Any]) -> dict[str, Any]:
    round_id = _round_ref(body, "id")
    if round_id is None:
        raise InvalidOp("'id' must be an id of 1-64 letters, digits, '_', '.' or '-'")
    finalists = _choice(body, "finalists", FINALIST_RULES)
    count = _whole(body, "finalists_n", 0, 10_000)
    if (finalists == "all") != (count == 0):
        raise InvalidOp("'finalists_n' is 0 for all teams, and at least 1 for a top-N rule")
    weight = _number(body.get("previous_weight", 0), "previous_weight")
    result = _choice(body, "result", ROUND_RESULTS)
    if (result == "weighted") != (0 < weight < 1):
        raise InvalidOp("'previous_weight' is 0 for an own result, and within 0..1 for weighted")
    return {
        "id": round_id,
        "name": _text(body, "name", MAX_NAME),
        "order": _whole(body, "order", 1, 10_000, 1),
        "judges": _id_list(body.get("judges", []), "judges"),
        "finalists": finalists,
        "finalists_n": count,
        "result": result,
        "previous_weight": body.get("previous_weight", 0),
        "normalise": _choice(body, "normalise", NORMALISE),
        "tie_break": _tie_break(body.get("tie_break", []), "tie_break"),
    }


def _round_phase(body: dict[str, Any]) -> dict[str, Any]:
    round_id = _round_ref(body)
    if round_id is None:
        raise InvalidOp("'round' names a later round (the first round's phase is event.set)")
    if body.get("phase") not in PHASES:
        raise InvalidOp(f"phase must be one of {', '.join(PHASES)}")
    return {"round": round_id, "phase": body["phase"]}


def _finalist_put(body: dict[str, Any]) -> dict[str, Any]:
    round_id = _round_ref(body)
    if round_id is None:
        raise InvalidOp("'round' names the later round the team is (or is not) a finalist of")
    return {"round": round_id, "team": _id(body, "team"), "finalist": _bool(body, "finalist")}


def _reason(body: dict[str, Any]) -> str:
    """Return the reason the organiser typed for a correction: required, at most MAX_REASON."""
    return _text(body, "reason", MAX_REASON)


def _sheet_ref(body: dict[str, Any]) -> dict[str, Any]:
    """Return the judge, team and (later) round a correction names."""
    if body.get("judge") == "admin":
        raise InvalidOp("'judge' names a judge, not 'admin'")
    return {
        "judge": _id(body, "judge"),
        "team": _id(body, "team"),
        **_extras(round=_round_ref(body)),
    }


def _mark(field: str, value: bool) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Return the check of a void/restore or reopen/relock body, which writes `field`."""

    def normalize(body: dict[str, Any]) -> dict[str, Any]:
        return {**_sheet_ref(body), field: value, "reason": _reason(body)}

    return normalize


def _sheet_enter(body: dict[str, Any]) -> dict[str, Any]:
    ref = _sheet_ref(body)
    sheet = _sheet_save(body)
    return {**ref, **sheet, "reason": _reason(body)}


# One structural check per kind (KINDS): what a valid body of that kind is, written once.
_NORMALIZERS: dict[str, Callable[[dict[str, Any]], dict[str, Any] | None]] = {
    "sheet.save": _sheet_save,
    "event.set": _event_set,
    "team.put": _team_put,
    "team.del": _deletion,
    "criterion.put": _criterion_put,
    "criterion.del": _deletion,
    "judge.put": _judge_put,
    "judge.del": _deletion,
    "assign.put": _assign_put,
    "device.put": _device_put,
    "device.revoke": _device_revoke,
    "notify": _notify,
    "prize.put": _prize_put,
    "prize.del": _deletion,
    "round.put": _round_put,
    "round.del": _deletion,
    "round.phase": _round_phase,
    "finalist.put": _finalist_put,
    "sheet.void": _mark("voided", True),
    "sheet.restore": _mark("voided", False),
    "sheet.reopen": _mark("open", True),
    "sheet.relock": _mark("open", False),
    "sheet.enter": _sheet_enter,
}
