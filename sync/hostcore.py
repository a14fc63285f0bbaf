"""The host's protocol state machine: frames in, actions out, no I/O (PROTOCOL.md).

The asyncio driver in `sync.server` owns the sockets and the timers, and performs the actions
this core returns: `Send`, `Close` and `Commit`. This core owns sessions, authentication and
turning accepted ops into the messages each role gets; who may read what is `sync.feeds`'.

Where the replica is written (the boundary the driver sees):
- `commit(batch)` alone writes peers' ops: the driver performs each `Commit` action by calling
  it, so that it can group the submits of many frames into one durable transaction.
- `admin(kind, body)` writes the host's own ops: the console's edits, a revocation, and the
  `device.put` of a device's first pairing (its key must reach every replica, PROTOCOL.md 3).
- Outside ops, `receive` (through a hello or a prove) writes what a host keeps to itself and never
  replicates: a device's token (`issue_token`: section 3, tokens never leave the host), its
  pairing record (`record_pairing`: the join code's use count, docs/protocol.md 3c) and when it
  was last seen (`seen`, as `close` does too: the console's device health). The constructor
  stores the sheet-id salt once; a display frozen stores the board it froze on.
Randomness (tokens, challenge nonces, the salt) comes from the injected `random_bytes`.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from storage import faults
from storage.hlc import system_ms
from storage.ops import Op
from storage.replica import Outcome, Replica
from storage.signing import valid_public_key, verify
from sync import feeds
from sync import messages as m
from sync.limits import FailureThrottle, TokenBucket

log = logging.getLogger("tallyboard.host")


@dataclass(eq=False)
class Session:
    """One peer connection, from its first byte to its close."""

    sid: int
    address: str
    device: str | None = None
    role: str | None = None
    subject: str | None = None
    name: str = ""
    wide: bool = False  # a judge whose stream includes other judges' sheets
    closed: bool = False
    browser: bool = False  # a page on the web port: no device, no token (docs/protocol.md 13)
    bucket: TokenBucket = field(default_factory=TokenBucket)
    # A paired device whose token this host does not know: the nonce it must sign, and its hello.
    challenge: tuple[str, m.Hello] | None = None
    # Ops of this session's submits that its sender holds as accepted (docs/protocol.md 6a).
    history: set[str] = field(default_factory=set)
    # The vv its hello claimed: devices it already knows of, so its vv may tell of them.
    claimed: dict[str, int] = field(default_factory=dict)
    deltas: bool = False  # its hello said it applies `leaderboard_delta` (docs/protocol.md 4d)
    top: int | None = None  # a display that shows only the first `top` rows (4d)
    board_revision: int = 0  # the revision of the last whole board it was sent

    @property
    def authenticated(self) -> bool:
        """Whether the peer has been welcomed."""
        return self.role is not None

    def __str__(self) -> str:
        who = f"{self.role}:{self.subject or '-'}:{(self.device or '?')[:8]}" if self.role else "?"
        return f"#{self.sid} {self.address} {who}"


@dataclass(frozen=True)
class Send:
    """Send one frame, serialized once, to each of `sessions`."""

    sessions: tuple[Session, ...]
    frame: str


@dataclass(frozen=True)
class Close:
    """Close a session's socket with a close code."""

    session: Session
    code: int
    reason: str


class Commit(NamedTuple):
    """Commit the raw ops of one session's submit frame: the driver passes a group of these
    to `HostCore.commit`, the one method that writes peers' ops (the module's docstring)."""

    session: Session
    ops: list[Any]


Action = Send | Close | Commit
Audience = tuple[str, int | None]  # a role, and a display's `top`: who sees one board alike


@dataclass
class _Feed:
    """The board one audience was last sent: its deltas are computed against it (4d)."""

    revision: int
    mode: str | None  # None: the audience may not see a board now
    phase: str | None
    rows: list[dict[str, Any]]
    full: str | None = None  # its `leaderboard_update`, encoded once when first needed


def _ops_messages(ops: list[Op], vv: dict[str, int], skip_empty: bool = False) -> list[str]:
    """Return `ops` frames carrying `ops`, each within the frame limit; only the last one claims
    `vv` (a link cut between frames must not make a peer believe it holds what it never got).
    With no ops, one frame carries the vv alone, unless `skip_empty`."""
    # Each op is encoded once, canonically (Op.canonical: the text its size and signature
    # were checked on), and that text measures it and goes into its frame.
    encoded = [op.canonical.decode("utf-8") for op in ops]
    chunks = m.chunk_encoded(encoded) or ([] if skip_empty else [[]])
    return [
        m.ops_frame(chunk, vv if k == len(chunks) - 1 else {}) for k, chunk in enumerate(chunks)
    ]


class _Scorers:
    """The live sessions that may ever get a `score_update`, grouped once per fan-out so that
    each sheet looks only at the few that could read it, not at every display and judge.

    `feeds.score_feed` still decides for each of them. Who could: a session whose subject is
    the sheet's judge or team, and a judge whose stream is wide (it reads every judge's sheets).
    """

    def __init__(self, live: list[Session]) -> None:
        self.by_subject: dict[str, list[Session]] = {}
        self.wide: list[Session] = []
        for session in live:
            if not feeds.receives(session.role, "score_update"):
                continue  # displays: 100 of them must not cost every sheet 100 checks
            if session.wide:
                self.wide.append(session)
            elif session.subject is not None:
                self.by_subject.setdefault(session.subject, []).append(session)

    def of_sheet(self, judge: str, team: str) -> list[Session]:
        """Return the sessions that could read a sheet of `judge` for `team`, each once."""
        found = self.by_subject.get(judge, []) + self.wide
        if team != judge:  # a judge and a team may share an id
            found += self.by_subject.get(team, [])
        return found


class _OpCandidates:
    """The ops of one fan-out, indexed once so that a narrow judge's stream looks only at the
    ops it could read: every op but other judges' sheets and their corrections
    (`feeds.may_read_op` decides)."""

    def __init__(self, ops: list[Op]) -> None:
        self.ops = ops
        self.others: list[tuple[int, Op]] = []
        self.sheets: dict[str, list[tuple[int, Op]]] = {}
        for k, op in enumerate(ops):
            judge = feeds.sheet_judge(op)
            if judge is not None:
                self.sheets.setdefault(judge, []).append((k, op))
            else:
                self.others.append((k, op))

    def of(self, session: Session) -> list[Op]:
        """Return, in the fan-out's order, the ops that `session` could read."""
        if session.wide:
            return self.ops
        own = self.sheets.get(session.subject or "", [])
        merged = sorted(self.others + own) if own and self.others else (own or self.others)
        return [op for _, op in merged]


class HostCore:
    """Sessions, handshake, submission and role-filtered fan-out of one host."""

    def __init__(
        self,
        replica: Replica,
        *,
        now: Callable[[], int] = system_ms,
        throttle: FailureThrottle | None = None,
        rate: float = 50.0,
        burst: float = 200.0,
        fingerprint: str | None = None,
        random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        self.replica = replica
        self.random_bytes = random_bytes  # tests pin tokens and nonces with their own
        self.fingerprint = fingerprint  # of the certificate peers see; signed in a rejoin proof
        self.now = now
        self.throttle = throttle or FailureThrottle()
        self.rate, self.burst = rate, burst
        self.sessions: dict[int, Session] = {}
        # The public page's URL while the host serves pages (sync.web; the driver sets it):
        # welcomes name it, so a display can show it as a QR code (docs/protocol.md 13).
        self.public_page: str | None = None
        self._next_sid = 1
        self._by_device: dict[str, Session] = {}
        self._board_revision = 0
        self._frozen_rows: list[dict[str, Any]] | None = None
        # Per audience, the board it was last sent: a board goes out only when that changes.
        self._feeds: dict[Audience, _Feed] = {}
        # docs/protocol.md 5b: nothing a peer sends may make the host wait inside its loop.
        replica.clock.steps = True
        replica.register_self()
        salt = replica.setting("sheet_salt")
        if salt is None:
            salt = random_bytes(16).hex()
            replica.set_setting("sheet_salt", salt)
        self._salt = bytes.fromhex(salt)
        if replica.state.event()["display_mode"] == "frozen":
            frozen = replica.setting("frozen_rows")
            self._frozen_rows = json.loads(frozen) if frozen else self._live_rows()

    def _secret(self) -> str:
        """Return 256 random bits as URL-safe text, as `secrets.token_urlsafe(32)` does."""
        return base64.urlsafe_b64encode(self.random_bytes(32)).rstrip(b"=").decode("ascii")

    # --- sessions ------------------------------------------------------------------------------

    def open(self, address: str) -> Session:
        """Start a session for a new connection.

        The driver caps connections that have not said hello, per address and in all, from the
        TCP accept on (sync.limits.Admission): before TLS, before there is a session.
        """
        session = Session(self._next_sid, address, bucket=TokenBucket(self.rate, self.burst))
        self._next_sid += 1
        self.sessions[session.sid] = session
        return session

    def close(self, session: Session) -> None:
        """Forget a session whose socket closed."""
        session.closed = True
        self.sessions.pop(session.sid, None)
        if session.device and self._by_device.get(session.device) is session:
            del self._by_device[session.device]
            self.replica.seen(session.device, self.now(), session.address)

    def _fail(self, session: Session, error: m.ProtocolError) -> list[Action]:
        log.warning("%s: %s (%s, close %d)", session, error.message, error.code, error.close_code)
        return [
            Send((session,), m.encode(m.error(error.code, error.message))),
            Close(session, error.close_code, error.code),
        ]

    # --- receiving -----------------------------------------------------------------------------

    def receive(self, session: Session, frame: str | bytes) -> list[Action]:
        """Handle one frame; return the actions it causes, a `submit`'s being one `Commit`.

        Submissions are committed by `commit`, so that the driver can group the ops of many
        frames into one transaction.
        """
        if session.closed:
            return []
        if not session.bucket.allow(self.now()):
            return self._fail(
                session,
                m.ProtocolError(m.CLOSE_RATE, "rate_limited", "too many messages; slow down"),
            )
        try:
            message = m.decode(frame)
            kind = message["type"]
            if kind not in m.PEER_TYPES:
                raise m.bad_request(f"unknown message type {kind[:40]!r}")
            if kind == "hello":
                return self._hello(session, m.parse_hello(message))
            if kind == "prove":
                return self._prove(session, m.parse_prove(message))
            if not session.authenticated:
                raise m.ProtocolError(m.CLOSE_UNAUTHORIZED, "unauthorized", "say hello first")
            if kind == "leaderboard_request":
                # Only the event's main board lives on this host: another name gets nothing.
                named = m.parse_board_name(message)
                return [] if named is not None else self._board_snapshot(session, again=True)
            if session.role != "judge":
                raise m.ProtocolError(
                    m.CLOSE_FORBIDDEN, "forbidden", f"a {session.role} device may not submit ops"
                )
            ops = m.parse_submit(message)
            session.history.update(m.parse_history(message, ops))
            return [Commit(session, ops)]
        except m.ProtocolError as exc:
            return self._fail(session, exc)

    def receive_page(self, session: Session, frame: str | bytes) -> list[Action]:
        """Handle one frame from a browser page (docs/protocol.md 13): its hello, nothing else."""
        if session.closed:
            return []
        if not session.bucket.allow(self.now()):
            return self._fail(
                session,
                m.ProtocolError(m.CLOSE_RATE, "rate_limited", "too many messages; slow down"),
            )
        try:
            hello = m.parse_page_hello(m.decode(frame))
            if session.authenticated:
                raise m.bad_request("hello was already said on this connection")
            return self._browse(session, hello)
        except m.ProtocolError as exc:
            return self._fail(session, exc)

    def _browse(self, session: Session, hello: m.PageHello) -> list[Action]:
        """Welcome a browser page as the role it mirrors; a team page proves its team's code.

        A browser is no device: it gets no token, pairs nothing and takes none of the code's
        device slots (docs/security.md, "Pages for browsers"). Wrong codes count in the same
        throttle as the sync port's; any code but a team's is a wrong one.
        """
        role, subject = feeds.page_role(hello.page), None
        if role == "team":
            now = self.now()
            if self.throttle.blocked(session.address, now):
                raise m.ProtocolError(
                    m.CLOSE_RATE,
                    "too_many_attempts",
                    "too many failed join attempts; wait a minute and try again",
                )
            found = self.replica.find_code(hello.code or "")
            if found is None or found[0] != "team" or self._subject_gone(*found):
                self.throttle.failed(session.address, now)
                raise m.ProtocolError(m.CLOSE_UNAUTHORIZED, "unauthorized", "unknown team code")
            subject = found[1]
        session.browser = True
        session.role, session.subject, session.name = role, subject, f"{hello.page} page"
        log.info("welcome %s (%s page)", session, hello.page)
        return self._welcome(session, "", {})

    def _hello(self, session: Session, hello: m.Hello) -> list[Action]:
        if session.authenticated:
            raise m.bad_request("hello was already said on this connection")
        now = self.now()
        if self.throttle.blocked(session.address, now, venue_wide=hello.code is not None):
            raise m.ProtocolError(
                m.CLOSE_RATE,
                "too_many_attempts",
                "too many failed join attempts; wait a minute and try again",
            )
        if hello.code is not None:
            return self._pair(session, hello, hello.code, now)
        return self._rejoin(session, hello, now)

    def _pair(self, session: Session, hello: m.Hello, code: str, now: int) -> list[Action]:
        """Pair a device with a join code: first contact, or the same device again."""
        found = self.replica.find_code(code)
        if found is None:
            self.throttle.failed(session.address, now)
            raise m.ProtocolError(m.CLOSE_UNAUTHORIZED, "unauthorized", "unknown join code")
        role, subject = found
        if self.replica.state.revoked(hello.device):
            raise m.ProtocolError(m.CLOSE_UNAUTHORIZED, "revoked", "this device was revoked")
        if hello.pubkey is None or not valid_public_key(hello.pubkey):
            raise m.bad_request("'pubkey' must be a base64 raw Ed25519 public key")
        registered = self.replica.registration(hello.device)
        if registered is not None:
            self._refuse_another_identity(session, hello, registered, (role, subject), now)
        if self._subject_gone(role, subject):
            raise m.ProtocolError(
                m.CLOSE_UNAUTHORIZED,
                "unauthorized",
                "this join code's judge or team has been removed",
            )
        self._refuse_if_used_up(code, hello.device, registered is not None)
        actions: list[Action] = []
        if registered is None and role != "display":
            _, actions = self.admin(
                "device.put",
                {
                    "device": hello.device,
                    "pubkey": hello.pubkey,
                    "role": role,
                    "subject": subject,
                    "name": hello.name,
                },
            )
        # Displays are registered here alone (no op): they never grow a judge's backlog.
        self.replica.record_pairing(code, hello.device, hello.pubkey, hello.name)
        token = self.replica.issue_token(hello.device, self._secret())
        log.info("%s paired as %s %s", session.address, role, subject or "")
        return actions + self._admit(session, hello, role, subject, token)

    def _refuse_another_identity(
        self,
        session: Session,
        hello: m.Hello,
        registered: dict[str, Any],
        identity: tuple[str, str | None],
        now: int,
    ) -> None:
        """Refuse a code for a paired device whose key, or role and subject, differ."""
        if registered["pubkey"] != hello.pubkey:
            self.throttle.failed(session.address, now)
            raise m.ProtocolError(
                m.CLOSE_UNAUTHORIZED,
                "unauthorized",
                "this device id is paired with another key",
            )
        if (registered["role"], registered["subject"]) != identity:
            # A device's id and public key are public (device.put ops reach every judge):
            # a code for another role or subject must not take an already paired device
            # over. A laptop that changes hands starts afresh with a new identity.
            self.throttle.failed(session.address, now)
            raise m.ProtocolError(
                m.CLOSE_UNAUTHORIZED,
                "unauthorized",
                "this laptop is already paired as someone else; to pair it again, start it"
                " with a new database (--db) or ask the organiser",
            )

    def _rejoin(self, session: Session, hello: m.Hello, now: int) -> list[Action]:
        """Admit a paired device by its token, or challenge it to prove its registered key."""
        assert hello.token is not None
        device = self.replica.token_device(hello.token)
        registered = self.replica.registration(hello.device)
        revoked = self.replica.state.revoked(hello.device)
        paired = registered is not None and registered["role"] != "admin" and not revoked
        if device is None and paired:
            # A paired device this host holds no token for (a host rebuilt from a judge's
            # replica: tokens never leave a host): it proves its registered key instead.
            nonce = self._secret()
            session.challenge = (nonce, hello)
            challenge = m.Challenge(nonce, self.replica.device_id)
            return [Send((session,), m.encode(challenge.to_wire()))]
        if device != hello.device or registered is None:
            self.throttle.failed(session.address, now)
            if revoked:
                raise m.ProtocolError(
                    m.CLOSE_UNAUTHORIZED, "revoked", "this device was revoked by the organiser"
                )
            raise m.ProtocolError(m.CLOSE_UNAUTHORIZED, "unauthorized", "unknown token")
        role, subject = registered["role"], registered["subject"]
        self._refuse_if_gone(role, subject)
        return self._admit(session, hello, role, subject, hello.token)

    def _prove(self, session: Session, sig: str) -> list[Action]:
        """Admit a paired device that signed this host's challenge with its registered key."""
        if session.authenticated or session.challenge is None:
            raise m.bad_request("'prove' answers a challenge, and none is open")
        nonce, hello = session.challenge
        session.challenge = None
        registered = self.replica.registration(hello.device)
        payload = m.rejoin_payload(hello.device, self.replica.device_id, nonce, self.fingerprint)
        if registered is None or not verify(payload, sig, registered["pubkey"]):
            self.throttle.failed(session.address, self.now())
            raise m.ProtocolError(
                m.CLOSE_UNAUTHORIZED, "unauthorized", "the device could not prove its key"
            )
        role, subject = registered["role"], registered["subject"]
        if self.replica.state.revoked(hello.device):
            raise m.ProtocolError(
                m.CLOSE_UNAUTHORIZED, "revoked", "this device was revoked by the organiser"
            )
        self._refuse_if_gone(role, subject)
        log.info("%s proved its key as %s %s", session.address, role, subject or "")
        return self._admit(
            session, hello, role, subject, self.replica.issue_token(hello.device, self._secret())
        )

    def _admit(
        self, session: Session, hello: m.Hello, role: str, subject: str | None, token: str
    ) -> list[Action]:
        """Bind an authenticated session to its device and welcome it."""
        actions: list[Action] = []
        now = self.now()
        previous = self._by_device.get(hello.device)
        if previous is not None and previous is not session:
            log.info("%s takes over from %s", session, previous)
            actions += [
                Send((previous,), m.encode(m.error("replaced", "another connection took over"))),
                Close(previous, m.CLOSE_REPLACED, "replaced"),
            ]
            previous.closed = True
            self.sessions.pop(previous.sid, None)
        session.device, session.role, session.subject, session.name = (
            hello.device,
            role,
            subject,
            hello.name,
        )
        self._by_device[hello.device] = session
        session.claimed = hello.vv
        session.deltas, session.top = hello.deltas, hello.top
        offset = None if hello.clock_ms is None else hello.clock_ms - now
        self.replica.seen(hello.device, now, session.address, hello.pending, offset)
        log.info("welcome %s", session)
        return actions + self._welcome(session, token, hello.vv)

    def _refuse_if_used_up(self, code: str, device: str, registered: bool) -> None:
        """Refuse one device too many for a join code (docs/protocol.md 3c); a device already
        paired as the code's judge or team is that judge's or team's, never one too many."""
        limit = None if registered else self.replica.code_used_up(code, device)
        if limit is not None:
            raise m.ProtocolError(
                m.CLOSE_UNAUTHORIZED,
                "unauthorized",
                f"this join code is used up: it has paired its {limit}"
                f" device{'s' if limit != 1 else ''}; the organiser can allow another device"
                " for it (console: Codes)",
            )

    def _refuse_if_gone(self, role: str, subject: str | None) -> None:
        """Refuse a paired device whose judge or team was removed (or the admin's own key)."""
        if role == "admin" or self._subject_gone(role, subject):
            raise m.ProtocolError(
                m.CLOSE_UNAUTHORIZED,
                "unauthorized",
                "this device's judge or team has been removed",
            )

    def _subject_gone(self, role: str, subject: str | None) -> bool:
        state = self.replica.state
        if role == "judge":
            return subject is None or state.judge(subject) is None
        if role == "team":
            return subject is None or state.team(subject) is None
        return False

    # --- what a session may read: sync.feeds decides, this core builds the frames -------------

    def _visibility(self) -> feeds.Visibility:
        return feeds.Visibility.of(self.replica.state.event())

    def _known_vv(
        self, session: Session, vv: dict[str, int] | None = None, wide: bool | None = None
    ) -> dict[str, int]:
        """Return the entries of the host's vv that a session may know of (feeds.known_vv);
        `wide` is whether judges read every sheet now, when the caller knows already."""
        if not feeds.receives(session.role, "ops"):
            return {}  # what feeds.known_vv says, without copying a vv of 3,500 devices
        if wide is None:
            wide = feeds.reads_all_sheets(self._visibility())
        return feeds.known_vv(
            session, self.replica.vv() if vv is None else vv, self._device_role, wide
        )

    def _device_role(self, device: str) -> str | None:
        registered = self.replica.state.device(device)
        return None if registered is None else str(registered["role"])

    def _event_summary(self) -> dict[str, Any]:
        event = self.replica.state.event()
        pages = {} if self.public_page is None else {"public_page": self.public_page}
        return pages | {
            "id": self.replica.event_id,
            "name": event["name"],
            "phase": event["phase"],
            "judges_see_results": event["judges_see_results"],
            "display_mode": event["display_mode"],
            # Teams and displays receive no ops: the criteria let them label scores.
            "criteria": [
                {k: c[k] for k in ("id", "name", "weight", "min", "max", "step")}
                for c in self.replica.state.criteria()
            ],
        }

    def _subject_name(self, role: str | None, subject: str | None) -> str | None:
        if subject is None:
            return None
        entity = (
            self.replica.state.judge(subject)
            if role == "judge"
            else self.replica.state.team(subject)
        )
        return None if entity is None else str(entity["name"])

    def _welcome(self, session: Session, token: str, vv: dict[str, int]) -> list[Action]:
        """Welcome a session, then send each of its feeds' snapshot (feeds.SNAPSHOT)."""
        assert session.role is not None
        welcome = m.Welcome(
            session.role,
            session.subject,
            self._subject_name(session.role, session.subject),
            token,
            self.replica.device_id,
            self._event_summary(),
            # A reading, not a stamp: a welcome makes nothing, so it uses up none of the counter.
            self.replica.clock.peek(),
            self._known_vv(session),
        )
        actions: list[Action] = [Send((session,), m.encode(welcome.to_wire()))]
        snapshots: dict[str, Callable[[], list[Action]]] = {
            "ops": lambda: self._backlog(session, vv),
            "leaderboard_update": lambda: self._board_snapshot(session),
            "score_update": lambda: self._scores_snapshot(session),
            "team_notification": lambda: self._notes_snapshot(session),
        }
        for kind in feeds.SNAPSHOT[session.role]:
            actions += snapshots[kind]()
        return actions

    def _backlog(self, session: Session, vv: dict[str, int]) -> list[Action]:
        """Send a judge the ops it lacks, and while results are shown the sheets it may read.

        The others' current sheets go with every backlog while results are shown: the judge's
        `vv` may cover sheets it was never sent (made while results were hidden), and the host
        cannot tell whether an earlier copy reached it (a link can be dead before the host
        notices; sending them "once" lost them for good). The peer skips those it holds.
        """
        wide = feeds.reads_all_sheets(self._visibility())
        # Read through the index only what this judge may read: other judges' sheets stay
        # undecoded in a narrow stream (backlog_ops still applies the whole rule).
        lacking = self.replica.accepted_since(vv, feeds.sheets_author(session, wide))
        ops = feeds.backlog_ops(session, lacking, self._winning_sheets, wide)
        session.wide = wide
        return self._ops_frames(session, ops)

    def _winning_sheets(self) -> list[Op]:
        found = []
        for _, entry in self.replica.state.live_entries("sheet/"):
            stored = self.replica.stored(entry.op_id)
            if stored is not None:
                found.append(stored.op)
        return found

    def _ops_frames(self, session: Session, ops: list[Op]) -> list[Action]:
        # Only the last frame claims the host's whole vv: a link cut between frames must not
        # make the peer believe it holds what it never received.
        vv = self._known_vv(session)
        return [Send((session,), frame) for frame in _ops_messages(ops, vv)]

    def _board_snapshot(self, session: Session, again: bool = False) -> list[Action]:
        """Send a session its audience's whole board (a welcome's, or asked `again` after a
        delta it could not apply: once per revision, however often it asks)."""
        audience = self._audience(session)
        actions = self._publish_now(audience, session)
        feed = self._feeds[audience]
        if feed.mode is None or (again and session.board_revision == feed.revision):
            return actions
        session.board_revision = feed.revision
        return [*actions, Send((session,), self._full_frame(feed))]

    def _scores_snapshot(self, session: Session) -> list[Action]:
        vis = self._visibility()
        state = self.replica.state
        # A team reads only its own team's sheets (feeds.score_feed, which still decides):
        # 3,000 team welcomes must not each sort and check the event's 5,000 sheets (issue 14).
        sheets = (
            state.team_sheets(session.subject or "") if session.role == "team" else state.sheets()
        )
        return [
            Send((session,), self._score_frame(sheet, with_judge=view == "with_judge"))
            for sheet in sheets
            if (view := feeds.score_feed(session, sheet, vis)) is not None
        ]

    def _notes_snapshot(self, session: Session) -> list[Action]:
        return [
            Send((session,), self._notification_frame(kind, note))
            for note in feeds.notes_snapshot(session, self._notifications())
            if (kind := feeds.note_feed(session, note["audience"], note["target"])) is not None
        ]

    # --- messages --------------------------------------------------------------------------------

    def _next_revision(self) -> int:
        self._board_revision = max(self._board_revision + 1, self.now())
        return self._board_revision

    def _audience(self, session: Session) -> Audience:
        return (session.role or "", session.top if session.role == "display" else None)

    def _board_view(self, audience: Audience) -> tuple[str, list[dict[str, Any]]] | None:
        """Return the mode and rows of the board an audience may see now, or None (feeds)."""
        role, top = audience
        vis = self._visibility()
        board = self.replica.board
        by_name = board.rows_by_name() if vis.display_mode == "progress" else None
        view = feeds.board(role, vis, board.rows(), self._frozen_rows, by_name)
        return None if view is None else (view[0], feeds.top_rows(role, view[1], top))

    def _publish(
        self, audience: Audience, revision: Callable[[], int]
    ) -> m.LeaderboardDelta | None:
        """Bring an audience's feed up to what it may see now; return the delta of the change,
        None when nothing it sees changed. A board it could not see before, of another
        mode, or frozen anew is a new snapshot: its delta has no `base` (0) and goes out whole."""
        view = self._board_view(audience)
        mode, rows = view if view is not None else (None, [])
        # The phase is part of what a board shows (a display says "Locked"), except on a
        # frozen display, which nothing changes until its mode does (PROTOCOL.md section 4).
        phase = None if mode in (None, "frozen") else self.replica.state.phase
        feed = self._feeds.get(audience)
        if feed is not None and feed.mode == mode:
            changed, removed, ranks = feeds.board_delta(feed.rows, rows)
            if not changed and not removed and not ranks and feed.phase == phase:
                return None  # a new revision alone would tell of a hidden change
        else:
            changed, removed, ranks = [], [], []
        if mode is None:
            self._feeds[audience] = _Feed(0, None, None, [])
            return None
        # A frozen board changes only when the display is frozen again (a new freeze, on the
        # board of that moment): it goes out whole, as on entering the mode.
        patchable = feed is not None and feed.mode == mode and mode != "frozen"
        base = feed.revision if feed is not None and patchable else 0
        feed = _Feed(revision(), mode, phase, rows)
        self._feeds[audience] = feed
        stamp = m.timestamp(self.now())
        return m.LeaderboardDelta(
            feed.revision,
            base,
            mode,
            len(rows),
            tuple(changed),
            tuple(removed),
            stamp,
            phase,
            ranks=tuple(ranks),
        )

    def _publish_now(self, audience: Audience, newcomer: Session) -> list[Action]:
        """Publish an audience's board before a newcomer's snapshot of it, so that the
        snapshot is current and the deltas the others get go on from the same revision."""
        delta = self._publish(audience, self._next_revision)
        if delta is None:
            return []
        others = [
            s
            for s in self.sessions.values()
            if s is not newcomer and s.role is not None and self._audience(s) == audience
        ]
        return self._board_sends(audience, delta, others)

    def _board_sends(
        self, audience: Audience, delta: m.LeaderboardDelta, sessions: Sequence[Session]
    ) -> list[Action]:
        """Send a change to an audience: the delta (encoded once) to the sessions that apply
        deltas, when it has a base; the whole board (encoded once) to every other."""
        feed = self._feeds[audience]
        patched = [s for s in sessions if s.deltas and delta.base]
        whole = [s for s in sessions if not (s.deltas and delta.base)]
        actions: list[Action] = []
        if patched:
            actions.append(Send(tuple(patched), m.encode(delta.to_wire())))
        if whole:
            for session in whole:
                session.board_revision = feed.revision
            actions.append(Send(tuple(whole), self._full_frame(feed)))
        return actions

    def _full_frame(self, feed: _Feed) -> str:
        if feed.full is None:
            assert feed.mode is not None
            stamp = m.timestamp(self.now())
            board = m.LeaderboardUpdate(
                feed.revision, feed.mode, tuple(feed.rows), stamp, feed.phase
            )
            feed.full = m.encode(board.to_wire())
        return feed.full

    def boards(self) -> list[Action]:
        """Send each audience what changed in its leaderboard, if anything it sees changed.

        The driver calls this at most once per interval. A board that shows an audience what
        its last one showed (a draft saved, a hidden total moved, a frozen display) is not sent
        again: a new revision alone would tell a display that something hidden changed. Each
        audience's delta and whole board are encoded once, whatever its number of sessions.
        """
        by_audience: dict[Audience, list[Session]] = {}
        for session in self.sessions.values():
            if session.role is not None:
                by_audience.setdefault(self._audience(session), []).append(session)
        for audience in list(self._feeds):
            if audience not in by_audience:
                del self._feeds[audience]  # a later joiner's welcome publishes it afresh
        actions: list[Action] = []
        revision: list[int] = []  # one revision for every audience that changes now

        def next_revision() -> int:
            if not revision:
                revision.append(self._next_revision())
            return revision[0]

        for audience, sessions in by_audience.items():
            delta = self._publish(audience, next_revision)
            if delta is not None:
                actions += self._board_sends(audience, delta, sessions)
        return actions

    def _score_frame(self, sheet: dict[str, Any], *, with_judge: bool = True) -> str:
        team = self.replica.state.team(sheet["team"]) or {"name": sheet["team"]}
        # A team sees its scores and comments, never which judge gave them: its sheets are
        # told apart by an opaque id that names no judge.
        sheet_id = hmac.new(
            self._salt, f"{sheet['judge']}/{sheet['team']}".encode(), "sha256"
        ).hexdigest()[:16]
        score = m.Score(
            sheet["team"],
            team["name"],
            sheet["scores"],
            sheet["comment"],
            sheet["final"],
            sheet["judge"] if with_judge else None,
            sheet_id,
        )
        return m.encode(m.ScoreUpdate(score, m.timestamp(self.now())).to_wire())

    def _notifications(self) -> list[dict[str, Any]]:
        found = []
        for key, entry in self.replica.state.live_entries("notify/"):
            assert entry.value is not None
            found.append({**entry.value, "id": key.removeprefix("notify/"), "hlc": entry.hlc})
        return sorted(found, key=lambda n: n["hlc"])

    def _notification_frame(self, kind: str, note: Mapping[str, Any]) -> str:
        data = m.Note(
            note["id"], note["message"], note["audience"], m.timestamp(int(note["hlc"][:13]))
        )
        return m.encode(m.Notification(kind, data, m.timestamp(self.now())).to_wire())

    # --- committing and fan-out -------------------------------------------------------------------

    def commit(self, batch: Sequence[Commit]) -> list[Action]:
        """Commit the ops of several submit frames in one transaction; ack each, then fan out.

        The one method that writes peers' ops (the module's docstring says what else writes).
        """
        raw = [op for _, ops in batch for op in ops]
        history: set[str] = set()
        for session, _ in batch:
            history |= session.history
            session.history = set()
        outcomes = self.replica.submit(raw, self.now(), history)
        faults.point("host_committed")
        actions: list[Action] = []
        accepted: list[Op] = []
        position = 0
        for session, ops in batch:
            mine: list[Outcome] = outcomes[position : position + len(ops)]
            position += len(ops)
            ack = m.Ack(
                tuple(o.op_id for o in mine if o.accepted),
                tuple(
                    m.Rejected(o.op_id, o.rejection.code, o.rejection.message)
                    for o in mine
                    if o.rejection
                ),
            )
            if not session.closed:
                actions.append(Send((session,), m.encode(ack.to_wire())))
            for outcome in mine:
                if outcome.rejection is not None:
                    log.info(
                        "%s: op %s rejected: %s", session, outcome.op_id, outcome.rejection.code
                    )
        fanned: set[str] = set()  # an op resubmitted within one batch goes out once
        for held in self.replica.take_stepped_over():  # a rebuilt host's ops held ahead
            fanned.add(held.id)
            accepted.append(held)
        for outcome in outcomes:
            # Only an op this call accepted carries `op`: one held before (a replay, whoever
            # sends it and whatever it says) is answered with its first outcome and causes
            # nothing else (PROTOCOL.md section 6: "changes nothing").
            if outcome.op is not None and outcome.op_id not in fanned:
                fanned.add(outcome.op_id)
                accepted.append(outcome.op)
        return actions + self.fanout(accepted)

    def admin(self, kind: str, body: dict[str, Any]) -> tuple[Op, list[Action]]:
        """Make one of the host's admin ops and return it with the messages it causes."""
        op = self.replica.admin(kind, body)
        return op, self.fanout([op])

    def fanout(self, ops: list[Op]) -> list[Action]:
        """Turn accepted ops into the messages each live session may receive (sync.feeds)."""
        if not ops:
            return []
        live = [s for s in self.sessions.values() if s.role is not None and not s.closed]
        judges = [s for s in live if feeds.receives(s.role, "ops")]
        # A change of visibility or phase changes what each session may read: handle it first.
        event_fields = {op.body["field"] for op in ops if op.kind == "event.set"}
        vis = self._visibility()
        actions = self._rewiden(judges, vis) if "judges_see_results" in event_fields else []
        if "display_mode" in event_fields:
            self._keep_frozen(vis)
        actions += self._fanout_ops(ops, judges)
        scorers = _Scorers(live)  # after _rewiden: a judge's stream may just have widened
        for op in ops:
            if op.kind in ("sheet.save", "sheet.enter"):  # a paper sheet is the judge's sheet
                actions += self._fanout_sheet(op, scorers, vis)
            elif op.kind == "notify":
                actions += self._fanout_notify(op, live)
        for session in live:
            if feeds.scores_snapshot_due(session.role, event_fields, vis):
                actions += self._scores_snapshot(session)
        return actions

    def _rewiden(self, judges: list[Session], vis: feeds.Visibility) -> list[Action]:
        """Widen or narrow each judge's stream to what the event now lets judges read."""
        wide = feeds.reads_all_sheets(vis)
        actions: list[Action] = []
        sheets: list[Op] | None = None
        for session in judges:
            if wide and not session.wide:
                sheets = self._winning_sheets() if sheets is None else sheets
                # These frames go out before the ops that widened the view: they claim no
                # vv, else a link cut right after them would make the peer believe it
                # holds those ops (the ops frame of the fan-out carries the vv).
                actions += [Send((session,), f) for f in _ops_messages(sheets, {}, True)]
            session.wide = wide  # narrowing: from now on it reads only its own sheets again
        return actions

    def _keep_frozen(self, vis: feeds.Visibility) -> None:
        """Keep the board a display froze on; a restarted host keeps showing the same one."""
        self._frozen_rows = self._live_rows() if vis.display_mode == "frozen" else None
        if self._frozen_rows is not None:
            self.replica.set_setting("frozen_rows", json.dumps(self._frozen_rows))

    def _live_rows(self) -> list[dict[str, Any]]:
        return [row.to_wire() for row in self.replica.board.rows()]

    def _fanout_ops(self, ops: list[Op], judges: list[Session]) -> list[Action]:
        """Send each judge the ops it may read; judges that read the same ops share frames.

        A live frame's vv names only the devices of its ops (the host's n for each, filtered as
        ever): peers merge vv entries, and a welcome's last frame tells the whole vv (4a)."""
        vv = self.replica.vv()
        wide = feeds.reads_all_sheets(self._visibility())
        groups: dict[tuple[tuple[str, ...], str], list[Session]] = {}
        shown: dict[str, dict[str, int]] = {}
        candidates = _OpCandidates(ops)
        for session in judges:
            readable = [op for op in candidates.of(session) if feeds.may_read_op(session, op)]
            if readable:
                ids = tuple(op.id for op in readable)
                advanced = {op.device: vv[op.device] for op in readable if op.device in vv}
                seen = self._known_vv(session, vv=advanced, wide=wide)
                key = m.encode(seen)
                shown[key] = seen
                groups.setdefault((ids, key), []).append(session)
        by_id = {op.id: op for op in ops}
        return [
            Send(tuple(sessions), frame)
            for (ids, key), sessions in groups.items()
            for frame in _ops_messages([by_id[i] for i in ids], shown[key])
        ]

    def _fanout_sheet(self, op: Op, scorers: _Scorers, vis: feeds.Visibility) -> list[Action]:
        judge = feeds.sheet_judge(op) or op.author
        sheet = self.replica.state.sheet(judge, op.body["team"])
        if (
            sheet is None
            or self.replica.state.entries[f"sheet/{judge}/{op.body['team']}"].op_id != op.id
        ):
            return []  # an older op that lost its key to a newer one: nothing changed
        readers: dict[feeds.ScoreView, list[Session]] = {"with_judge": [], "anonymous": []}
        for session in scorers.of_sheet(judge, op.body["team"]):
            view = feeds.score_feed(session, sheet, vis)
            if view is not None:
                readers[view].append(session)
        return [
            Send(tuple(sessions), self._score_frame(sheet, with_judge=view == "with_judge"))
            for view, sessions in readers.items()
            if sessions
        ]

    def _fanout_notify(self, op: Op, live: list[Session]) -> list[Action]:
        entry = self.replica.state.entries.get(op.key)
        if entry is None or entry.value is None:
            return []
        note = {**entry.value, "id": op.id, "hlc": op.hlc}
        readers: dict[str, list[Session]] = {"judge_notification": [], "team_notification": []}
        for session in live:
            kind = feeds.note_feed(session, note["audience"], note["target"])
            if kind is not None:
                readers[kind].append(session)
        return [
            Send(tuple(sessions), self._notification_frame(kind, note))
            for kind, sessions in readers.items()
            if sessions
        ]

    def revoke(self, device: str) -> list[Action]:
        """Revoke a device: refuse its token from now on and close its socket (4401)."""
        _, actions = self.admin("device.revoke", {"device": device})
        session = self._by_device.get(device)
        if session is not None:
            actions += [
                Send((session,), m.encode(m.error("revoked", "this device was revoked"))),
                Close(session, m.CLOSE_UNAUTHORIZED, "revoked"),
            ]
            self.close(session)
        return actions
