"""The peer's protocol state machine: frames from the host in, actions out, no I/O (PROTOCOL.md).

Like websockets' own `Protocol` and this project's `sync.hostcore.HostCore`, `PeerCore` never
touches a socket, a timer or the wall clock: `sync.peer.PeerLink` connects, checks the pin,
times out and backs off, and performs the actions this core returns. The replica it is given is
the persistence boundary: every write the peer makes (acks, ops received, settings) goes there.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from storage.ops import Op, is_device_id
from storage.replica import Replica
from sync import messages as m

log = logging.getLogger("tallyboard.peer")

CLOCK_WARNING_MS = 60_000  # section 6: warn when the host's clock differs by more than 60 s
MAX_NOTIFICATIONS = 200  # kept across restarts; older ones are dropped
FATAL_CLOSES = {
    m.CLOSE_UNAUTHORIZED: "the host refused this device",
    m.CLOSE_REPLACED: "another window or laptop took over this device",
    m.CLOSE_MALFORMED: "the host could not understand this device",
}
# Error codes (docs/protocol.md 7a) after which retrying the same hello cannot help.
FATAL_ERRORS = ("unauthorized", "revoked", "bad_request", "replaced")
CLOSE_RESYNC = 1000  # a normal close: the next welcome tells the host's vv


@dataclass(frozen=True)
class Send:
    """Send one text frame to the host."""

    text: str


@dataclass(frozen=True)
class Close:
    """Close the link with a close code (to resync, or after a frame this peer cannot use)."""

    code: int
    reason: str


@dataclass(frozen=True)
class Fail:
    """The session cannot go on: retry later with backoff, or stop (`retry` false)."""

    reason: str
    retry: bool


@dataclass(frozen=True)
class Status:
    """Update these fields of the link's status (`sync.peer.LinkStatus`)."""

    changes: dict[str, Any]


@dataclass(frozen=True)
class Deliver:
    """Tell the link's listeners about a message from the host (the same object kept here)."""

    message: dict[str, Any]


@dataclass(frozen=True)
class Acked:
    """Tell the link's listeners the host's answers about submitted ops."""

    accepted: list[str]
    rejected: list[dict[str, Any]]


Action = Send | Close | Fail | Status | Deliver | Acked


# --- parsers of host-to-peer frames (they move to sync.messages with its symmetric builders) ----


@dataclass(frozen=True)
class Welcome:
    """A host's `welcome`; optional fields that are malformed are read as absent."""

    role: str | None
    subject: str | None
    token: str | None
    event: dict[str, Any]
    hlc: str | None
    vv: dict[str, int]


def _vv(raw: object) -> dict[str, int]:
    """Read a version vector: device ids to whole numbers; anything else is a bad frame."""
    if not isinstance(raw, dict):
        raise m.bad_request("the host sent a 'vv' that is not an object")
    return {
        k: v
        for k, v in raw.items()
        if is_device_id(k) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
    }


def _text(raw: object) -> str | None:
    return raw if isinstance(raw, str) else None


def parse_welcome(message: dict[str, Any]) -> Welcome:
    """Read a `welcome` (PROTOCOL.md section 4), or raise ProtocolError."""
    event = message.get("event")
    return Welcome(
        role=_text(message.get("role")),
        subject=_text(message.get("subject")),
        token=_text(message.get("token")),
        event=event if isinstance(event, dict) else {},
        hlc=_text(message.get("hlc")),
        vv=_vv(message.get("vv", {})),
    )


def parse_challenge(message: dict[str, Any]) -> tuple[str, str]:
    """Return a `challenge`'s nonce and host device id (docs/protocol.md 3b)."""
    nonce, host = message.get("nonce"), message.get("host")
    if not isinstance(nonce, str) or not isinstance(host, str) or len(nonce) > 200:
        raise m.bad_request("the host sent a malformed challenge")
    return nonce, host


def parse_ack(message: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Return an `ack`'s accepted ids and rejections (items of the wrong type are skipped)."""
    accepted, rejected = message.get("accepted", []), message.get("rejected", [])
    if not isinstance(accepted, list) or not isinstance(rejected, list):
        raise m.bad_request("the host sent an ack whose 'accepted' or 'rejected' is not a list")
    return (
        [i for i in accepted if isinstance(i, str)],
        [r for r in rejected if isinstance(r, dict)],
    )


def parse_ops(message: dict[str, Any]) -> tuple[list[Any], dict[str, int]]:
    """Return an `ops` frame's raw ops (each checked by the replica) and its vv."""
    ops = message.get("ops", [])
    if not isinstance(ops, list):
        raise m.bad_request("the host sent an ops frame whose 'ops' is not a list")
    return ops, _vv(message.get("vv", {}))


def parse_data(message: dict[str, Any]) -> dict[str, Any]:
    """Return the `data` object of a score update or notification."""
    data = message.get("data") or {}
    if not isinstance(data, dict):
        raise m.bad_request(f"the host sent a {message['type']} whose 'data' is not an object")
    return data


def parse_revision(message: dict[str, Any]) -> int:
    """Return a leaderboard's revision (absent: 0)."""
    revision = message.get("revision", 0)
    if isinstance(revision, bool) or not isinstance(revision, int):
        raise m.bad_request("the host sent a leaderboard whose 'revision' is not a number")
    return revision


# --- the core ---------------------------------------------------------------------------------


@dataclass
class _Session:
    """What the core knows of one connection: where to, and how far the handshake got."""

    target: str
    label: str
    fingerprint: str | None  # of the certificate this session presented; None without TLS
    welcomed: bool = False
    challenged: bool = False
    closing: bool = False
    in_flight: set[str] = field(default_factory=set)


class PeerCore:
    """One device's side of the protocol: hello, handshake, resend, and what the host sends."""

    def __init__(
        self,
        replica: Replica,
        *,
        code: str | None = None,
        name: str = "",
        board_top: int | None = None,
    ) -> None:
        self.replica = replica
        self.code = code  # a join code the user gave; forgotten at the welcome it earns
        self.name = name
        self.board_top = board_top  # a display that shows only the first N rows (4d)
        self.session: _Session | None = None
        # Welcomed is not yet synced: a judge's backlog of ops follows the welcome, and only
        # its last frame carries the host's vv (docs/protocol.md 4a).
        self.synced = False
        self.last_board: dict[str, Any] | None = self._load("last_board")
        # Boards other than the event's main one (rounds, prizes: 4d), by their name's JSON;
        # held in memory only.
        self.named_boards: dict[str, dict[str, Any]] = {}
        # What a display shows (4e): the host's last `display_control`, kept across restarts so
        # a display with no host around shows what it showed.
        self.display_control: dict[str, Any] | None = self._load("display_control")
        self.notifications: list[dict[str, Any]] = self._load("notifications") or []
        self.scores: dict[str, dict[str, Any]] = self._load("scores") or {}

    def _load(self, key: str) -> Any:
        text = self.replica.setting(key)
        try:
            return None if text is None else json.loads(text)
        except ValueError:
            return None

    @property
    def welcomed(self) -> bool:
        """Whether the current session has been welcomed (and so may submit)."""
        return self.session is not None and self.session.welcomed

    # --- a session -------------------------------------------------------------------------------

    def connected(
        self, target: str, label: str, fingerprint: str | None, now_ms: int
    ) -> list[Action]:
        """Start a session on a link whose pin has been checked: return the `hello` to send."""
        self.session = _Session(target, label, fingerprint)
        self.synced = False
        hello: dict[str, Any] = {
            "type": "hello",
            "protocol": m.PROTOCOL_VERSION,
            "device": self.replica.device_id,
            "vv": self.replica.vv(),
            "name": self.name,
            "pending": self.replica.pending_count(),
            "clock": now_ms,
            "deltas": True,  # it applies leaderboard_delta (docs/protocol.md 4d)
            "boards": True,  # it keeps named boards and reads display_control (4e)
        }
        if self.board_top is not None:
            hello["top"] = self.board_top
        token = self.replica.setting("token")
        if self.code is not None:
            # A code the user gave pairs this device (again): with its own key and for the same
            # judge or team, it rejoins a host that does not know it (docs/protocol.md 3b).
            hello["code"] = self.code
            hello["pubkey"] = self.replica.key.public_b64
        elif token is not None:
            hello["token"] = token
        else:
            return [Fail("this device is not paired yet: enter a join code", retry=False)]
        return [Send(m.encode(hello))]

    def connection_lost(self, code: int | None, reason: str) -> list[Action]:
        """End the session whose link closed with `code`; say whether retrying can help."""
        self.session = None
        if code in FATAL_CLOSES:
            return [Fail(f"{FATAL_CLOSES[code]} ({reason or code})", retry=False)]
        return []

    def receive(self, frame: str | bytes, now_ms: int) -> list[Action]:
        """Handle one frame from the host; return what to do about it."""
        session = self.session
        if session is None:
            raise RuntimeError("receive before connected")
        try:
            message = m.decode(frame)
            if not session.welcomed:
                return self._handshake(session, message, now_ms)
            return self._traffic(session, message, now_ms)
        except m.ProtocolError as exc:
            log.warning("bad frame from the host: %s", exc.message)
            session.closing = True
            return [Close(m.CLOSE_MALFORMED, exc.message[:120]), Fail(exc.message, retry=True)]

    # --- handshake -------------------------------------------------------------------------------

    def _handshake(self, session: _Session, message: dict[str, Any], now_ms: int) -> list[Action]:
        kind = message["type"]
        if kind == "challenge" and not session.challenged:
            # A host that holds no token for this device (one rebuilt from a judge's replica):
            # prove this device's key, bound to this host and certificate.
            nonce, host = parse_challenge(message)
            session.challenged = True
            payload = m.rejoin_payload(self.replica.device_id, host, nonce, session.fingerprint)
            return [Send(m.encode({"type": "prove", "sig": self.replica.key.sign(payload)}))]
        if kind == "error":
            text = str(message.get("message", "error"))
            return [Fail(text, retry=message.get("code") not in FATAL_ERRORS)]
        if kind != "welcome":
            raise m.bad_request("the host did not say welcome")
        return self._welcomed(session, message, parse_welcome(message), now_ms)

    def _welcomed(
        self, session: _Session, message: dict[str, Any], welcome: Welcome, now_ms: int
    ) -> list[Action]:
        self._remember_host(session, welcome)
        offset = None
        if welcome.hlc is not None:
            try:
                offset = self.replica.clock.offset_ms(welcome.hlc)
                self.replica.clock.observe(welcome.hlc)
            except ValueError:
                offset = None
        session.welcomed = True
        self.synced = welcome.role != "judge"  # only judges get a backlog of ops
        status = Status(
            {
                "state": "online",
                "host": session.label,
                "last_contact_ms": now_ms,
                "clock_offset_ms": offset,
                "last_error": "",
                "offered_fp": None,
                "role": welcome.role,
                "subject": welcome.subject,
                "pending": self.replica.pending_count(),
            }
        )
        return [status, Deliver(message), *self._resend(session, welcome.vv)]

    def _remember_host(self, session: _Session, welcome: Welcome) -> None:
        """Keep what a welcome establishes: the token, the pin, the event, where the host was."""
        if welcome.token is not None:
            self.replica.set_setting("token", welcome.token)
            self.code = None  # the token serves from now on
        if session.fingerprint is not None:
            self.replica.set_setting("host_fp", session.fingerprint)
        event_id = welcome.event.get("id")
        if isinstance(event_id, str):
            self.replica.set_setting("host_event", event_id)
            if self.replica.event_id != event_id:
                self.replica.adopt_event(event_id)
        self.replica.set_setting("host_target", session.target)
        self.replica.set_setting("host_tls", "0" if session.fingerprint is None else "1")

    def _resend(self, session: _Session, host_vv: dict[str, int]) -> list[Action]:
        # Section 6: resend from the host's vv. A host restored from an older copy, or rebuilt
        # from another judge's replica, lacks ops this device had sent (and maybe had answered):
        # they go again, in n order, after the other devices' ops that this replica holds and
        # the host lacks (relayed, docs/protocol.md 6c).
        stored = self.replica.ops_for_host(host_vv)
        history = {s.op.id for s in stored if s.status == "accepted"}
        return self._submits(session, [s.op for s in stored], history)

    # --- after the welcome -----------------------------------------------------------------------

    def saved(self) -> list[Action]:
        """Note a new own op (the UI calls this after `Replica.make`): count it, send it."""
        return [Status({"pending": self.replica.pending_count()}), *self.flush()]

    def flush(self) -> list[Action]:
        """Return submits of every pending op not already in flight, in `n` order."""
        session = self.session
        if session is None or not session.welcomed or session.closing:
            return []
        pending = [op for op in self.replica.pending() if op.id not in session.in_flight]
        return self._submits(session, pending)

    def _submits(
        self, session: _Session, ops: list[Op], history: set[str] | None = None
    ) -> list[Action]:
        """Return submit frames that fit the frame limit; `history` names those this replica
        holds as accepted by a host of the event (docs/protocol.md 6c)."""
        sends: list[Action] = []
        for chunk in m.chunk_ops([op.to_wire() for op in ops]):
            ids = [op["id"] for op in chunk]
            session.in_flight.update(ids)
            message: dict[str, Any] = {"type": "submit", "ops": chunk}
            if history:
                message["history"] = [i for i in ids if i in history]
            sends.append(Send(m.encode(message)))
        return sends

    def _traffic(self, session: _Session, message: dict[str, Any], now_ms: int) -> list[Action]:
        kind = message["type"]
        actions: list[Action] = []
        shown: dict[str, Any] | None = message  # what the listeners are told of
        if kind == "ack":
            actions = self._ack(session, *parse_ack(message))
        elif kind == "ops":
            ops, vv = parse_ops(message)
            self.replica.receive(ops, vv)
            if vv:
                self.synced = True
        elif kind == "leaderboard_update":
            self._board(message, parse_revision(message))
        elif kind == "leaderboard_delta":
            # Listeners get the whole board it makes, as from a leaderboard_update, or nothing.
            actions, shown = self._board_delta(m.parse_leaderboard_delta(message))
        elif kind == "score_update":
            data = parse_data(message)
            self.scores[str(data.get("sheet_id"))] = data
            self.replica.set_setting("scores", json.dumps(self.scores))
        elif kind in ("team_notification", "judge_notification"):
            self._notification(parse_data(message))
        elif kind == "board_withdrawn":
            self._withdrawn(m.parse_board_withdrawn(message).board)
        elif kind == "display_control":
            self.display_control = m.parse_display_control(message)
            self.replica.set_setting("display_control", json.dumps(message))
        elif kind == "error":
            actions = [Status({"last_error": str(message.get("message", ""))})]
        # Anything else (a later protocol's message) is passed on, unread (section 2).
        status = Status({"last_contact_ms": now_ms, "pending": self.replica.pending_count()})
        return [*actions, status] + ([] if shown is None else [Deliver(shown)])

    def _board_delta(self, delta: m.LeaderboardDelta) -> tuple[list[Action], dict[str, Any] | None]:
        """Apply a delta; return what to send (a request for the snapshot when the delta does
        not fit the board held, docs/protocol.md 4d) and the whole board it made, if any."""
        board = self._delta(delta)
        if board is not None:
            return [], board
        held = self._held_board(delta.board)
        if held is not None and held.get("revision", 0) >= delta.revision:
            return [], None  # older than the board held (a snapshot overtook it): nothing
        return [Send(m.encode(m.leaderboard_request(delta.board)))], None

    def _ack(
        self, session: _Session, accepted: list[str], rejected: list[dict[str, Any]]
    ) -> list[Action]:
        self.replica.record_ack(accepted, rejected)
        session.in_flight.difference_update(accepted)
        session.in_flight.difference_update(str(r.get("id")) for r in rejected)
        own = f"{self.replica.device_id}/"
        actions: list[Action] = []
        gap = any(r.get("code") == "gap" and str(r.get("id")).startswith(own) for r in rejected)
        if gap and not session.closing:
            # The host lacks ops before these: start over from a welcome, which tells its vv,
            # and resend from there. A gap about a relayed op proves nothing about this device.
            log.warning("the host lacks earlier ops of this device; resyncing")
            session.closing = True
            actions.append(Close(CLOSE_RESYNC, "resync"))
        actions.append(Acked(accepted, rejected))
        return actions

    def _held_board(self, name: dict[str, Any] | None) -> dict[str, Any] | None:
        return self.last_board if name is None else self.named_boards.get(m.encode(name))

    def _board(self, message: dict[str, Any], revision: int) -> None:
        name = m.parse_board_name(message)
        held = self._held_board(name)
        current = 0 if held is None else int(held.get("revision", 0))
        if revision < current:
            return
        if name is not None:
            self.named_boards[m.encode(name)] = message
            return
        self.last_board = message
        self.replica.set_setting("last_board", json.dumps(message))

    def _withdrawn(self, name: dict[str, Any] | None) -> None:
        """Drop a board the host took back (4e); the main one from the device's store too."""
        if name is not None:
            self.named_boards.pop(m.encode(name), None)
            return
        self.last_board = None
        self.replica.set_setting("last_board", "null")  # loads as None: nothing held

    def _delta(self, delta: m.LeaderboardDelta) -> dict[str, Any] | None:
        """Apply a delta to the board it was made from; return the whole board it makes (as a
        `leaderboard_update`), or None when the board held is not its base."""
        held = self._held_board(delta.board)
        if held is None or held.get("revision") != delta.base or held.get("mode") != delta.mode:
            return None
        rows = held.get("data")
        if not isinstance(rows, list) or not all(
            isinstance(row, dict) and isinstance(row.get("team_id"), str) for row in rows
        ):
            return None
        made = m.apply_delta(rows, delta)
        if made is None:
            return None
        # A delta may leave out the title of the board it patches: the board keeps its own.
        title = delta.title if delta.title is not None else m.parse_board_title(held)
        board = m.LeaderboardUpdate(
            delta.revision,
            delta.mode,
            tuple(made),
            delta.timestamp,
            delta.phase,
            delta.board,
            title,
        ).to_wire()
        self._board(board, delta.revision)
        return board

    def _notification(self, data: dict[str, Any]) -> None:
        if all(n.get("id") != data.get("id") for n in self.notifications):
            self.notifications.append(data)
            recent = self.notifications[-MAX_NOTIFICATIONS:]
            self.replica.set_setting("notifications", json.dumps(recent))
