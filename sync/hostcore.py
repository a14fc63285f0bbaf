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
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from storage import faults
from storage.boards import Board, compute_board, previous_round
from storage.hlc import system_ms
from storage.ops import FIRST_ROUND, TIE_RULES, Op, round_key
from storage.rebuild import REBUILT_SETTING
from storage.replica import Checked, Outcome, Replica
from storage.scoring import Row
from storage.sheets import prize_takes_team
from storage.signing import valid_public_key, verify
from storage.state import Entry
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
    boards: bool = False  # its hello said it keeps named boards and reads display_control (4e)
    # Per named board, the revision of the last whole one it was sent (4d's board_revision).
    named_revisions: dict[feeds.BoardKey, int] = field(default_factory=dict)
    control: dict[str, Any] | None = None  # the last display_control it was sent (4e)

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
# A role, a display's `top` and a board: who sees one board alike (docs/protocol.md 4d, 4e).
Audience = tuple[str, int | None, feeds.BoardKey]
BOARD_MIN_INTERVAL_MS = 50  # named boards are recomputed at most this often, or 4x their cost


@dataclass
class _Feed:
    """The board one audience was last sent: its deltas are computed against it (4d)."""

    revision: int
    mode: str | None  # None: the audience may not see a board now
    phase: str | None
    rows: list[dict[str, Any]] | None  # None: not made yet (`make` makes them when asked)
    full: str | None = None  # its `leaderboard_update`, encoded once when first needed
    board: dict[str, Any] | None = None  # a named board's wire name (4e); None: the main board
    title: dict[str, Any] | None = None  # a named board's title (4e)
    # A live main board's: the Scoreboard's version its rows are of, their number, and how to
    # make them at a version (a delta told by the Scoreboard's move leaves them unmade).
    version: int | None = None
    count: int = 0
    make: Callable[[int], list[dict[str, Any]] | None] | None = None

    def board_rows(self) -> list[dict[str, Any]] | None:
        """Return its rows, made now if they were not (None: too far back to make)."""
        if self.rows is None and self.make is not None and self.version is not None:
            self.rows = self.make(self.version)
        return self.rows


@dataclass
class _Computed:
    """One board as storage.boards computed it, in the five-field rows the wire sends: each
    `Row` kept the same object as at the last computation where it did not change."""

    rows: list[Row]
    title: dict[str, Any]
    teams: frozenset[str]
    _by_name: list[Row] | None = None

    @property
    def by_name(self) -> list[Row]:
        if self._by_name is None:
            self._by_name = sorted(self.rows, key=lambda r: (r.team_name.casefold(), r.team_id))
        return self._by_name

    @classmethod
    def of(cls, board: Board, before: _Computed | None) -> _Computed:
        """Return a board's rows, reusing the rows of `before` that are equal."""
        kept = {} if before is None else {row.team_id: row for row in before.rows}
        rows = []
        for b in board.rows:
            row = Row(b.rank, b.team_id, b.team_name, b.total_score, b.judge_count)
            old = kept.get(b.team_id)
            rows.append(old if old == row else row)
        title = {"round_name": board.round_name, "prize_name": board.prize_name}
        title["sponsor"] = board.sponsor
        return cls(rows, title, frozenset(r.team_id for r in rows))


def _ops_messages(ops: list[Op], vv: dict[str, int], skip_empty: bool = False) -> list[str]:
    """Return `ops` frames carrying `ops`, each within the frame limit; only the last one claims
    `vv` (a link cut between frames must not make a peer believe it holds what it never got).
    With no ops, one frame carries the vv alone, unless `skip_empty`."""
    # Each op is encoded once, canonically (Op.canonical: the text its size and signature
    # were checked on), and that text measures it and goes into its frame.
    return _encoded_messages([op.canonical.decode("utf-8") for op in ops], vv, skip_empty)


def _encoded_messages(
    encoded: list[str], vv: dict[str, int], skip_empty: bool = False
) -> list[str]:
    """Return the `ops` frames of ops already encoded, split as `_ops_messages` splits them."""
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


@dataclass
class _SeenAs:
    """What decides, at a tick, which sessions may be sent which board (docs/protocol.md 4e):
    the event's visibility (every board of every role), its display settings (displays'
    boards), and per board its facts (public, released), the teams on it as last computed
    (a team's), and the audiences of it whose feed ended (mode None)."""

    vis: feeds.Visibility
    display: feeds.DisplaySettings
    per_board: dict[feeds.BoardKey, tuple[object, ...]]
    ended: set[Audience]

    @classmethod
    def of(cls, core: HostCore, by_audience: Mapping[Audience, object]) -> _SeenAs:
        vis, display, facts = core._board_context()
        ended = {a for a in by_audience if not _live(core._feeds.get(a))}
        per_board: dict[feeds.BoardKey, tuple[object, ...]] = {}
        for fact in facts:
            computed = core._computed.get(fact.key)
            teams = None if computed is None else computed.teams
            per_board[fact.key] = (fact.public, fact.released, teams)
        per_board.setdefault(feeds.MAIN_BOARD, ())
        for audience in ended:
            per_board[audience[2]] = (*per_board.get(audience[2], ()), audience)
        return cls(vis, display, per_board, ended)

    def live(self, audience: Audience) -> bool:
        return audience not in self.ended

    def affected(
        self, before: _SeenAs | None, held: Iterable[tuple[str, feeds.BoardKey]]
    ) -> set[tuple[str, feeds.BoardKey]]:
        """Return the (role, board) pairs held whose readers may have changed since `before`."""
        if before is None or before.vis != self.vis:
            return set(held)
        found = set()
        displays = before.display != self.display
        for role, key in held:
            if (displays and role == "display") or before.per_board.get(key) != self.per_board.get(
                key
            ):
                found.add((role, key))
        return found


def _live(feed: _Feed | None) -> bool:
    return feed is not None and feed.mode is not None


# At most this many moves of the ranking since a feed's last tick are told move by move; more
# (a burst, a criterion changed) and the whole boards are compared.
MOVES_A_TICK = 256


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
        # Boards computed by storage.boards (named ones, and the main one where the Scoreboard
        # cannot rank it): recomputed when the state changed, at most once per interval (4e).
        self._changes = 0
        self._computed: dict[feeds.BoardKey, _Computed] = {}
        self._computed_change = -1
        self._computed_ms: int | None = None
        self._compute_cost = 0
        # Whether a computation is due that the interval held back: the driver ticks again.
        self.boards_pending = False
        # The sessions of each named board's audience, as of the last tick and welcomes since.
        self._named_members: dict[Audience, list[Session]] = {}
        self._frozen_named: dict[feeds.BoardKey, list[dict[str, Any]]] = {}
        # Per (role, board), the sessions with `boards` that hold it (were sent it whole), and
        # what decided who may be sent each board at the last tick: a tick withdraws only
        # where that changed, from those holders alone (4e; issue 14).
        self._holders: dict[tuple[str, feeds.BoardKey], dict[int, Session]] = {}
        self._seen_as: _SeenAs | None = None
        self.withdrawal_examined = 0  # sessions the withdrawals looked at (tests, benches)
        replica.listeners.append(self._state_changed)
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
            named = replica.setting("frozen_named")
            for item in json.loads(named) if named else []:
                self._frozen_named[(item["board"][0], item["board"][1])] = item["rows"]

    def _state_changed(self, key: str, entry: Entry | None) -> None:
        self._changes += 1  # the boards storage.boards computes are stale from now on

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
        for key in self._held(session):
            self._holders.get((session.role or "", key), {}).pop(session.sid, None)
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
                return self._board_request(session, message)
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
        """Handle one frame from a browser page (docs/protocol.md 13): its hello, then only
        `leaderboard_request`s."""
        if session.closed:
            return []
        if not session.bucket.allow(self.now()):
            return self._fail(
                session,
                m.ProtocolError(m.CLOSE_RATE, "rate_limited", "too many messages; slow down"),
            )
        try:
            message = m.decode(frame)
            if session.authenticated and message.get("type") == "leaderboard_request":
                return self._board_request(session, message)  # a delta that did not fit (4d)
            hello = m.parse_page_hello(message)
            if session.authenticated:
                raise m.bad_request("hello was already said on this connection")
            return self._browse(session, hello)
        except m.ProtocolError as exc:
            return self._fail(session, exc)

    def _board_request(self, session: Session, message: dict[str, Any]) -> list[Action]:
        """Answer a `leaderboard_request` (docs/protocol.md 4d): the whole board asked for,
        once per revision, where this session may be sent it; else nothing."""
        named = feeds.board_key(m.parse_board_name(message))
        if named == feeds.MAIN_BOARD:
            return self._board_snapshot(session, again=True)
        # A named board: its snapshot where this session may be sent it, else nothing.
        if named is None or named not in self._session_keys(session):
            return []
        return self._named_snapshot(session, named, again=True)

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
        session.deltas, session.boards = hello.deltas, hello.boards
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
            reason = "unknown join code"
            if self.replica.setting(REBUILT_SETTING) is not None:
                # Codes never left the lost host: a laptop that had not finished pairing with
                # it (no token yet) still shows the old code, and needs the new one.
                reason += "; this host was rebuilt with new join codes: ask the organiser"
            raise m.ProtocolError(m.CLOSE_UNAUTHORIZED, "unauthorized", reason)
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
        session.deltas, session.top, session.boards = hello.deltas, hello.top, hello.boards
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

    def _event_summary(self, session: Session) -> dict[str, Any]:
        state = self.replica.state
        event = state.event()
        pages = {} if self.public_page is None else {"public_page": self.public_page}
        prizes = state.prizes()
        if session.role != "judge":  # hidden prizes reach judges alone (4e)
            prizes = [p for p in prizes if not p["hidden"]]
        if session.role == "team":
            team = state.team(session.subject or "") or {}
            prizes = [p for p in prizes if prize_takes_team(p, team)]
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
            # Every round and the prizes this reader may know of, so that a window can list
            # them before any board comes (docs/protocol.md 4e).
            "rounds": [
                {"id": r["id"], "name": r["name"], "phase": state.round_phase(r["id"])}
                for r in state.rounds()
            ],
            "prizes": [{k: p[k] for k in ("id", "name", "sponsor")} for p in prizes],
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
            self._event_summary(session),
            # A reading, not a stamp: a welcome makes nothing, so it uses up none of the counter.
            self.replica.clock.peek(),
            self._known_vv(session),
        )
        actions: list[Action] = [Send((session,), m.encode(welcome.to_wire()))]
        snapshots: dict[str, Callable[[], list[Action]]] = {
            "ops": lambda: self._backlog(session, vv),
            "leaderboard_update": lambda: (
                self._board_snapshot(session)
                + self._welcome_withdrawal(session)
                + self._named_snapshots(session)
            ),
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
        author = feeds.sheets_author(session, wide)
        session.wide = wide
        if wide:
            lacking = self.replica.accepted_since(vv, author)
            ops = feeds.backlog_ops(session, lacking, self._winning_sheets, wide)
            return self._ops_frames(session, ops)
        # A narrow stream: each op's text is spliced from its row, and only the ops whose
        # readers depend on their author or body are decoded to apply the rule (issue 14).
        found = self.replica.accepted_texts_since(vv, author, feeds.READ_BY_CONTENT)
        texts = [t for t, op in found if op is None or feeds.may_read_op(session, op, wide)]
        frames = _encoded_messages(texts, self._known_vv(session))
        return [Send((session,), frame) for frame in frames]

    def _winning_sheets(self) -> list[Op]:
        found = []
        for prefix in ("sheet/", "rsheet/"):  # every round's: later rounds' are rsheet/<round>/
            for _, entry in self.replica.state.live_entries(prefix):
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
        self._hold(session, feeds.MAIN_BOARD, feed.revision)
        return [*actions, Send((session,), self._full_frame(feed))]

    def _scores_snapshot(self, session: Session) -> list[Action]:
        vis = self._visibility()
        state = self.replica.state
        # A team reads only its own team's sheets (feeds.score_feed, which still decides):
        # 3,000 team welcomes must not each sort and check the event's 5,000 sheets (issue 14).
        sheets = (
            state.team_sheets(session.subject or "") if session.role == "team" else state.sheets()
        )
        actions: list[Action] = [
            Send((session,), self._score_frame(sheet, with_judge=view == "with_judge"))
            for sheet in sheets
            if (view := feeds.score_feed(session, sheet, vis)) is not None
        ]
        if session.role != "team":
            return actions
        for round_ in state.rounds()[1:]:  # a later round's sheets, once that round is released
            seen = self._round_visibility(vis, round_["id"])
            if not seen.released:
                continue
            for sheet in state.round_sheets(round_["id"]):
                if sheet["team"] == session.subject and feeds.score_feed(session, sheet, seen):
                    frame = self._score_frame(sheet, with_judge=False, round_id=round_["id"])
                    actions.append(Send((session,), frame))
        return actions

    def _round_visibility(self, vis: feeds.Visibility, round_id: str) -> feeds.Visibility:
        """Return the visibility of a round's sheets: released when that round is (4e)."""
        if round_id == FIRST_ROUND:
            return vis
        return replace(vis, released=self.replica.state.round_phase(round_id) == "released")

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
        """Return the audience of a session's main board."""
        top = session.top if session.role == "display" else None
        return (session.role or "", top, feeds.MAIN_BOARD)

    # --- boards storage.boards computes (docs/protocol.md 4e) ------------------------------------

    def _main_from_boards(self) -> bool:
        """Tell whether the main board must come from storage.boards: the first round ranks by
        normalised totals or breaks ties by a rule the incremental Scoreboard does not know."""
        state = self.replica.state
        return state.event_setting("normalise") == "ranks" or any(
            key in TIE_RULES for key in state.event_setting("tie_break")
        )

    def _main_rows(self) -> list[Row]:
        if self._main_from_boards():
            return self._board(feeds.MAIN_BOARD).rows
        return self.replica.board.rows()

    def _board_context(
        self,
    ) -> tuple[feeds.Visibility, feeds.DisplaySettings, list[feeds.BoardFacts]]:
        """Return what the rules of 4e read: visibility, display settings, every board's facts."""
        state = self.replica.state
        prizes = state.prizes()
        facts = []
        for round_ in state.rounds():
            released = state.round_phase(round_["id"]) == "released"
            facts.append(feeds.BoardFacts((round_["id"], None), True, released))
            for prize in prizes:
                key = (round_["id"], prize["id"])
                facts.append(feeds.BoardFacts(key, not prize["hidden"], released))
        return self._visibility(), feeds.DisplaySettings.of(state.event_setting), facts

    def _session_keys(
        self,
        session: Session,
        context: tuple[feeds.Visibility, feeds.DisplaySettings, list[feeds.BoardFacts]]
        | None = None,
    ) -> list[feeds.BoardKey]:
        """Return the named boards a session may be sent now (feeds.named_boards)."""
        if not session.boards or session.role is None:
            return []  # an old peer (or an old page): the main board alone, as before
        vis, display, facts = context or self._board_context()
        subject = session.subject
        return feeds.named_boards(
            session.role, vis, display, facts, lambda key: subject in self._board(key).teams
        )

    def _board(self, key: feeds.BoardKey) -> _Computed:
        """Return a board as last computed, computing it now if it never was."""
        found = self._computed.get(key)
        if found is None:
            self._compute([key])
            found = self._computed[key]
        return found

    def _compute(self, keys: Iterable[feeds.BoardKey]) -> None:
        """Compute boards from the state as it is now (a weighted round takes the round
        before's same board, computed once here too, as storage.boards.boards does)."""
        state = self.replica.state
        made: dict[feeds.BoardKey, Board] = {}

        def get(key: feeds.BoardKey) -> Board:
            if key not in made:
                round_ = state.round(key[0])
                before = previous_round(state, key[0])
                weighted = round_ is not None and round_["result"] == "weighted"
                previous = get((before, key[1])) if weighted and before is not None else None
                made[key] = compute_board(state, key[0], key[1], previous)
            return made[key]

        for key in keys:
            self._computed[key] = _Computed.of(get(key), self._computed.get(key))

    def _refresh(self, keys: set[feeds.BoardKey]) -> None:
        """Bring the computed boards some session may be sent up to the state: only when it
        changed since, at most once per max(50 ms, 4x the last computation's cost) (4e). A
        board never computed is computed at once; `boards_pending` says one is held back."""
        now = self.now()
        stale = self._changes != self._computed_change
        interval = max(BOARD_MIN_INTERVAL_MS, 4 * self._compute_cost)
        due = self._computed_ms is None or now >= self._computed_ms + interval
        if keys and stale and due:
            changes = self._changes
            self._computed = {k: v for k, v in self._computed.items() if k in keys}
            self._compute(sorted(keys, key=lambda k: (k[0], k[1] or "")))
            self._computed_change, self._computed_ms = changes, now
            self._compute_cost = max(0, self.now() - now)
        else:
            missing = [k for k in keys if k not in self._computed]
            if missing:
                self._compute(missing)
        self.boards_pending = bool(keys) and stale and not due

    # --- publishing boards -----------------------------------------------------------------------

    def _board_view(self, audience: Audience) -> tuple[str, list[dict[str, Any]]] | None:
        """Return the mode and rows of the board an audience may see now, or None (feeds)."""
        role, top, key = audience
        vis = self._visibility()
        display = feeds.DisplaySettings.of(self.replica.state.event_setting)
        if key == feeds.MAIN_BOARD:
            if not feeds.sees_main_board(role, vis):
                return None  # a judge while results are hidden: its rows are not made for it
            by_name: list[Row] | None
            if self._main_from_boards():
                computed = self._board(key)
                rows, by_name = computed.rows, computed.by_name
            else:
                board = self.replica.board
                rows = board.rows()
                by_name = board.rows_by_name() if vis.display_mode == "progress" else None
            staged = feeds.main_board_staged(display)
            view = feeds.board(role, vis, rows, self._frozen_rows, by_name, staged)
        else:
            computed = self._board(key)
            frozen = None
            if role == "display" and vis.display_mode == "frozen":
                frozen = self._frozen_named.get(key)
                if frozen is None:  # shown frozen for the first time: it freezes now
                    frozen = self._frozen_named[key] = [r.to_wire() for r in computed.rows]
                    self._store_frozen_named()
            by_name = computed.by_name if vis.display_mode == "progress" else None
            staged = key == display.reveal_board
            view = feeds.named_board(role, vis, computed.rows, frozen, by_name, staged)
        return None if view is None else (view[0], feeds.top_rows(role, view[1], top))

    def _publish(
        self, audience: Audience, revision: Callable[[], int]
    ) -> m.LeaderboardDelta | None:
        """Bring an audience's feed up to what it may see now; return the delta of the change,
        None when nothing it sees changed. A board it could not see before, of another
        mode, or frozen anew is a new snapshot: its delta has no `base` (0) and goes out whole."""
        feed = self._feeds.get(audience)
        if feed is not None and feed.version is not None:
            told, delta = self._publish_move(audience, feed, revision)
            if told:
                return delta
        view = self._board_view(audience)
        mode, rows = view if view is not None else (None, [])
        key = audience[2]
        named = key != feeds.MAIN_BOARD
        title = self._board(key).title if named and mode is not None else None
        # The phase is part of what a board shows (a display says "Locked"), except on a
        # frozen display, which nothing changes until its mode does (PROTOCOL.md section 4).
        # A later round's board shows its round's phase.
        phase = None if mode in (None, "frozen") else self.replica.state.round_phase(key[0])
        # A board the Scoreboard can no longer give back (a feed left far behind) goes whole.
        before = feed.board_rows() if feed is not None else None
        version = self._live_version(audience, mode)
        if feed is not None and feed.mode == mode and before is not None:
            changed, removed, ranks = feeds.board_delta(before, rows)
            same = feed.phase == phase and feed.title == title
            if not changed and not removed and not ranks and same:
                if feed.version is not None:
                    feed.version = version  # the rows it holds are still the board's
                return None  # a new revision alone would tell of a hidden change
        else:
            changed, removed, ranks = [], [], []
        if mode is None:
            self._feeds[audience] = _Feed(0, None, None, [])
            return None
        # A frozen board changes only when the display is frozen again (a new freeze, on the
        # board of that moment): it goes out whole, as on entering the mode.
        patchable = (
            feed is not None and feed.mode == mode and mode != "frozen" and before is not None
        )
        base = feed.revision if feed is not None and patchable else 0
        name = feeds.board_name(key)
        feed = _Feed(revision(), mode, phase, rows, board=name, title=title, count=len(rows))
        if version is not None:
            feed.version, feed.make = version, self._live_rows_of(audience)
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
            board=name,
            ranks=tuple(ranks),
            title=title,
        )

    def _live_version(self, audience: Audience, mode: str | None) -> int | None:
        """Return the Scoreboard's version when an audience's board is its live main board
        (one `_publish_move` can patch from the Scoreboard's moves), else None."""
        if mode != "live" or audience[2] != feeds.MAIN_BOARD or self._main_from_boards():
            return None
        return self.replica.board.version

    def _live_rows_of(self, audience: Audience) -> Callable[[int], list[dict[str, Any]] | None]:
        """Return how to make an audience's live main board at a version of the Scoreboard."""
        role, top, _ = audience
        board = self.replica.board

        def make(version: int) -> list[dict[str, Any]] | None:
            rows = board.rows_at(version)
            return None if rows is None else feeds.top_rows(role, [r.wire for r in rows], top)

        return make

    def _publish_move(
        self, audience: Audience, feed: _Feed, revision: Callable[[], int]
    ) -> tuple[bool, m.LeaderboardDelta | None]:
        """Publish a live main board's change as the Scoreboard tells it (the teams' moves: their
        rows and the runs of ranks they shifted), reading no other row: (True, the delta or
        None) where it can, else (False, None) and `_publish` compares the whole boards. The
        rows are made only when asked for (a new reader's snapshot)."""
        role, top, key = audience
        if key != feeds.MAIN_BOARD or self._main_from_boards():
            return False, None
        if not feeds.live_board(role, self._visibility()):
            return False, None  # a mode or visibility change: the whole boards tell
        phase = self.replica.state.round_phase(key[0])
        board = self.replica.board
        assert feed.version is not None
        moves = board.moves_since(feed.version)
        if phase != feed.phase or moves is None or len(moves) > MOVES_A_TICK:
            return False, None
        if not moves:
            return True, None  # the ranked board is as it was
        patch = feeds.moves_delta(moves, feed.count, top)
        if patch is None:
            return False, None
        changed, removed, ranks, count = patch
        version = board.version
        if not (changed or removed or ranks):
            feed.version = version  # moves below the rows this audience is sent
            return True, None
        made = _Feed(revision(), "live", phase, None, version=version, count=count, make=feed.make)
        self._feeds[audience] = made
        delta = m.LeaderboardDelta(
            made.revision,
            feed.revision,
            "live",
            count,
            tuple(changed),
            tuple(removed),
            m.timestamp(self.now()),
            phase,
            board=None,
            ranks=tuple(ranks),
            title=None,
        )
        return True, delta

    def _members(self, audience: Audience) -> list[Session]:
        """Return the live sessions of an audience."""
        if audience[2] != feeds.MAIN_BOARD:
            return [s for s in self._named_members.get(audience, []) if not s.closed]
        return [
            s
            for s in self.sessions.values()
            if s.role is not None and self._audience(s) == audience
        ]

    def _publish_now(self, audience: Audience, newcomer: Session) -> list[Action]:
        """Publish an audience's board before a newcomer's snapshot of it, so that the
        snapshot is current and the deltas the others get go on from the same revision."""
        delta = self._publish(audience, self._next_revision)
        if delta is None:
            return []
        others = [s for s in self._members(audience) if s is not newcomer]
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
            key = audience[2]
            for session in whole:
                self._hold(session, key, feed.revision)
            actions.append(Send(tuple(whole), self._full_frame(feed)))
        return actions

    def _full_frame(self, feed: _Feed) -> str:
        if feed.full is None:
            assert feed.mode is not None
            rows = feed.board_rows()  # a feed just published: its version is the board's
            assert rows is not None
            stamp = m.timestamp(self.now())
            board = m.LeaderboardUpdate(
                feed.revision,
                feed.mode,
                tuple(rows),
                stamp,
                feed.phase,
                feed.board,
                feed.title,
            )
            feed.full = m.encode(board.to_wire())
        return feed.full

    def _named_snapshots(self, session: Session) -> list[Action]:
        """Send a newcomer each named board it may be sent, then a display its control (4e)."""
        if not session.boards:
            return []
        context = self._board_context()
        actions: list[Action] = []
        for key in self._session_keys(session, context):
            audience = (session.role or "", self._audience(session)[1], key)
            members = self._named_members.setdefault(audience, [])
            if session not in members:
                members.append(session)
            actions += self._named_snapshot(session, key)
        return actions + self._control_sends([session], context)

    def _named_snapshot(
        self, session: Session, key: feeds.BoardKey, again: bool = False
    ) -> list[Action]:
        """Send a session one named board whole (as `_board_snapshot` does the main one)."""
        audience = (session.role or "", self._audience(session)[1], key)
        actions = self._publish_now(audience, session)
        feed = self._feeds[audience]
        if feed.mode is None or (again and session.named_revisions.get(key) == feed.revision):
            return actions
        self._hold(session, key, feed.revision)
        return [*actions, Send((session,), self._full_frame(feed))]

    def _control_sends(
        self,
        sessions: Iterable[Session],
        context: tuple[feeds.Visibility, feeds.DisplaySettings, list[feeds.BoardFacts]],
    ) -> list[Action]:
        """Send each display with `boards` the display_control it was not sent yet (4e)."""
        vis, display, facts = context
        control: dict[str, Any] | None = None
        due: list[Session] = []
        for session in sessions:
            if session.role != "display" or not session.boards:
                continue
            control = control or feeds.display_control(vis, display, facts)
            if session.control != control:
                session.control = control
                due.append(session)
        if not due or control is None:
            return []
        frame = m.encode({**control, "timestamp": m.timestamp(self.now())})
        return [Send(tuple(due), frame)]

    def boards(self) -> list[Action]:
        """Send each audience what changed in its leaderboard, if anything it sees changed.

        The driver calls this at most once per interval. A board that shows an audience what
        its last one showed (a draft saved, a hidden total moved, a frozen display) is not sent
        again: a new revision alone would tell a display that something hidden changed. Each
        audience's delta and whole board are encoded once, whatever its number of sessions.
        Named boards (4e) and displays' `display_control` follow the main boards.
        """
        by_audience: dict[Audience, list[Session]] = {}
        named: list[Session] = []
        for session in self.sessions.values():
            if session.role is not None:
                by_audience.setdefault(self._audience(session), []).append(session)
                if session.boards:
                    named.append(session)
        context = self._board_context() if named or self._main_from_boards() else None
        if context is not None:
            self._refresh_for(named, context)
            self._group_named(named, context, by_audience)
        else:
            self.boards_pending = False
        self._named_members = {a: s for a, s in by_audience.items() if a[2] != feeds.MAIN_BOARD}
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
        if context is not None:
            actions += self._control_sends(named, context)
        return actions + self._withdrawals(by_audience)

    # --- boards that stop being sent (docs/protocol.md 4e) ------------------------------------

    def _withdrawals(self, by_audience: dict[Audience, list[Session]]) -> list[Action]:
        """Tell each session with `boards` of every board it was sent and may no longer be
        sent (its audience's feed ended, or it left a named board's audience): one
        `board_withdrawn` per board, encoded once. A session only ever holds boards it was
        sent, so a withdrawal names nothing its role may not read (a hidden prize's board
        never reached a team, so it is never withdrawn from one either).

        Who may be sent a board follows from `_SeenAs` alone (with each session's role, top
        and team, fixed from its welcome): a tick where it did not change looks at no
        session; one where it did looks only at the holders of the (role, board) it touched.
        """
        now = _SeenAs.of(self, by_audience)
        affected = now.affected(self._seen_as, self._holders)
        self._seen_as = now
        if not affected:
            return []
        seeing: set[tuple[int, feeds.BoardKey]] = set()
        for audience, sessions in by_audience.items():
            if (audience[0], audience[2]) in affected and now.live(audience):
                seeing.update((s.sid, audience[2]) for s in sessions)
        due: dict[feeds.BoardKey, list[Session]] = {}
        for role, key in sorted(affected, key=lambda a: (a[0], a[1][0], a[1][1] or "")):
            holders = self._holders.get((role, key), {})
            self.withdrawal_examined += len(holders)
            for session in list(holders.values()):
                if (session.sid, key) not in seeing:
                    due.setdefault(key, []).append(session)
                    self._forget_held(session, key)
        return [self._withdrawal(key, sessions) for key, sessions in due.items()]

    def _welcome_withdrawal(self, session: Session) -> list[Action]:
        """After a welcome, withdraw the main board from a session with `boards` whose role
        may not see it now: its device may keep one from before (across restarts, 4d)."""
        feed = self._feeds.get(self._audience(session))
        if not session.boards or (feed is not None and feed.mode is not None):
            return []
        return [self._withdrawal(feeds.MAIN_BOARD, [session])]

    def _withdrawal(self, key: feeds.BoardKey, sessions: Sequence[Session]) -> Send:
        withdrawn = m.BoardWithdrawn(feeds.board_name(key), m.timestamp(self.now()))
        return Send(tuple(sessions), m.encode(withdrawn.to_wire()))

    def _hold(self, session: Session, key: feeds.BoardKey, revision: int) -> None:
        """Note that a session was sent a board whole, at a revision (4d's board_revision);
        one with `boards` now holds it until it is withdrawn or the session closes."""
        if key == feeds.MAIN_BOARD:
            session.board_revision = revision
        else:
            session.named_revisions[key] = revision
        if session.boards and session.role is not None:
            self._holders.setdefault((session.role, key), {})[session.sid] = session

    @staticmethod
    def _held(session: Session) -> list[feeds.BoardKey]:
        """Return the boards a session holds."""
        held = list(session.named_revisions)
        if session.board_revision:
            held.append(feeds.MAIN_BOARD)
        return held

    def _forget_held(self, session: Session, key: feeds.BoardKey) -> None:
        """Note that a session holds a board no more: if it comes back, it comes whole."""
        if key == feeds.MAIN_BOARD:
            session.board_revision = 0
        else:
            session.named_revisions.pop(key, None)
        self._holders.get((session.role or "", key), {}).pop(session.sid, None)

    def _group_named(
        self,
        sessions: list[Session],
        context: tuple[feeds.Visibility, feeds.DisplaySettings, list[feeds.BoardFacts]],
        by_audience: dict[Audience, list[Session]],
    ) -> None:
        """Add each session to the audience of every named board it may be sent now."""
        # The boards depend on the role alone, and on the team for a team: asked once each.
        found: dict[tuple[str | None, str | None], list[feeds.BoardKey]] = {}
        for session in sessions:
            reader = (session.role, session.subject if session.role == "team" else None)
            if reader not in found:
                found[reader] = self._session_keys(session, context)
            for key in found[reader]:
                audience = (session.role or "", self._audience(session)[1], key)
                by_audience.setdefault(audience, []).append(session)

    def _refresh_for(
        self,
        sessions: list[Session],
        context: tuple[feeds.Visibility, feeds.DisplaySettings, list[feeds.BoardFacts]],
    ) -> None:
        """Refresh the boards that some of `sessions` may be sent (and the main board where
        storage.boards computes it): a team may be sent any public board of a released round."""
        vis, display, facts = context
        keys: set[feeds.BoardKey] = set()
        roles = {s.role for s in sessions}
        for role in roles & {"judge", "display"}:
            keys.update(feeds.named_boards(role, vis, display, facts))
        if "team" in roles:
            keys.update(feeds.named_boards("team", vis, display, facts, lambda key: True))
        if self._main_from_boards():
            keys.add(feeds.MAIN_BOARD)
        self._refresh(keys)

    def _score_frame(
        self, sheet: dict[str, Any], *, with_judge: bool = True, round_id: str = FIRST_ROUND
    ) -> str:
        team = self.replica.state.team(sheet["team"]) or {"name": sheet["team"]}
        # A team sees its scores and comments, never which judge gave them: its sheets are
        # told apart by an opaque id that names no judge (a later round's names its round).
        named = f"{sheet['judge']}/{sheet['team']}"
        if round_id != FIRST_ROUND:
            named = f"{round_id}/{named}"
        sheet_id = hmac.new(self._salt, named.encode(), "sha256").hexdigest()[:16]
        score = m.Score(
            sheet["team"],
            team["name"],
            sheet["scores"],
            sheet["comment"],
            sheet["final"],
            sheet["judge"] if with_judge else None,
            sheet_id,
            None if round_id == FIRST_ROUND else round_id,
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

    def commit(
        self, batch: Sequence[Commit], checked: Collection[Checked] = frozenset()
    ) -> list[Action]:
        """Commit the ops of several submit frames in one transaction; ack each, then fan out.

        The one method that writes peers' ops (the module's docstring says what else writes).
        """
        raw = [op for _, ops in batch for op in ops]
        history: set[str] = set()
        for session, _ in batch:
            history |= session.history
            session.history = set()
        outcomes = self.replica.submit(raw, self.now(), history, checked)
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
        live = [s for s in self.sessions.values() if s.role in feeds.FANOUT_ROLES and not s.closed]
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
        # A later round released: its teams' sheets of that round go out as a snapshot does.
        released = any(
            op.kind == "round.phase" and op.body.get("phase") == "released" for op in ops
        )
        for session in live:
            if feeds.scores_snapshot_due(session.role, event_fields, vis, released):
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
        frozen = vis.display_mode == "frozen"
        if frozen and self._main_from_boards():
            self._compute([feeds.MAIN_BOARD])  # the board of this moment, not of the last tick
        self._frozen_rows = self._live_rows() if frozen else None
        self._frozen_named = {}
        if self._frozen_rows is not None:
            self.replica.set_setting("frozen_rows", json.dumps(self._frozen_rows))
            # Each named board a display may be sent freezes on its rows of this moment too.
            _, display, facts = self._board_context()
            keys = feeds.named_boards("display", vis, display, facts)
            self._compute(keys)
            for key in keys:
                self._frozen_named[key] = [row.to_wire() for row in self._computed[key].rows]
            self._store_frozen_named()

    def _store_frozen_named(self) -> None:
        kept = [{"board": list(k), "rows": rows} for k, rows in self._frozen_named.items()]
        self.replica.set_setting("frozen_named", json.dumps(kept))

    def _live_rows(self) -> list[dict[str, Any]]:
        return [row.to_wire() for row in self._main_rows()]

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
        round_id = str(op.body.get("round") or FIRST_ROUND)
        state = self.replica.state
        sheet = state.round_sheet(round_id, judge, op.body["team"])
        entry = state.entries.get(round_key("sheet", round_id, judge, op.body["team"]))
        if sheet is None or entry is None or entry.op_id != op.id:
            return []  # an older op that lost its key to a newer one: nothing changed
        seen = self._round_visibility(vis, round_id)
        readers: dict[feeds.ScoreView, list[Session]] = {"with_judge": [], "anonymous": []}
        for session in scorers.of_sheet(judge, op.body["team"]):
            view = feeds.score_feed(session, sheet, seen)
            if view is not None:
                readers[view].append(session)
        return [
            Send(
                tuple(sessions),
                self._score_frame(sheet, with_judge=view == "with_judge", round_id=round_id),
            )
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
