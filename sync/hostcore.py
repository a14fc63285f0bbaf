"""The host's protocol state machine: messages in, frames and closes out, no I/O (PROTOCOL.md).

The asyncio driver in `sync.server` owns the sockets and the timers; this core owns sessions,
authentication, who may read what, and turning accepted ops into the messages each role gets.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from storage import faults
from storage.hlc import system_ms
from storage.ops import Op
from storage.replica import Outcome, Replica
from storage.signing import valid_public_key, verify
from sync import messages as m
from sync.limits import FailureThrottle, TokenBucket

log = logging.getLogger("tallyboard.host")

RECENT_NOTIFICATIONS = 50


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
    bucket: TokenBucket = field(default_factory=TokenBucket)
    # A paired device whose token this host does not know: the nonce it must sign, and its hello.
    challenge: tuple[str, m.Hello] | None = None
    # Ops of this session's submits that its sender holds as accepted (docs/protocol.md 6a).
    history: set[str] = field(default_factory=set)
    # The vv its hello claimed: devices it already knows of, so its vv may tell of them.
    claimed: dict[str, int] = field(default_factory=dict)

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


Action = Send | Close


def _ops_messages(ops: list[Op], vv: dict[str, int], skip_empty: bool = False) -> list[str]:
    """Return `ops` frames carrying `ops`, each within the frame limit; only the last one claims
    `vv` (a link cut between frames must not make a peer believe it holds what it never got).
    With no ops, one frame carries the vv alone, unless `skip_empty`."""
    chunks = m.chunk_ops([op.to_wire() for op in ops]) or ([] if skip_empty else [[]])
    return [
        m.encode(m.Ops(tuple(chunk), vv if k == len(chunks) - 1 else {}).to_wire())
        for k, chunk in enumerate(chunks)
    ]


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
    ) -> None:
        self.replica = replica
        self.fingerprint = fingerprint  # of the certificate peers see; signed in a rejoin proof
        self.now = now
        self.throttle = throttle or FailureThrottle()
        self.rate, self.burst = rate, burst
        self.sessions: dict[int, Session] = {}
        self._next_sid = 1
        self._by_device: dict[str, Session] = {}
        self._board_revision = 0
        self._frozen_rows: list[dict[str, Any]] | None = None
        # Per audience, what its last board showed: a board goes out only when that changes.
        self._last_board_view: dict[str, str | None] = {}
        # docs/protocol.md 5b: nothing a peer sends may make the host wait inside its loop.
        replica.clock.steps = True
        replica.register_self()
        salt = replica.setting("sheet_salt")
        if salt is None:
            salt = secrets.token_hex(16)
            replica.set_setting("sheet_salt", salt)
        self._salt = bytes.fromhex(salt)
        if replica.state.event()["display_mode"] == "frozen":
            frozen = replica.setting("frozen_rows")
            self._frozen_rows = json.loads(frozen) if frozen else self._rows()

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

    def receive(
        self, session: Session, frame: str | bytes
    ) -> tuple[list[Action], list[Any] | None]:
        """Handle one frame; return the actions, and the raw ops of a `submit` to commit.

        Submissions are committed by `commit`, so that the driver can group the ops of many
        frames into one transaction.
        """
        if session.closed:
            return [], None
        if not session.bucket.allow(self.now()):
            return self._fail(
                session,
                m.ProtocolError(m.CLOSE_RATE, "rate_limited", "too many messages; slow down"),
            ), None
        try:
            message = m.decode(frame)
            kind = message["type"]
            if kind not in m.PEER_TYPES:
                raise m.bad_request(f"unknown message type {kind[:40]!r}")
            if kind == "hello":
                return self._hello(session, m.parse_hello(message)), None
            if kind == "prove":
                return self._prove(session, m.parse_prove(message)), None
            if not session.authenticated:
                raise m.ProtocolError(m.CLOSE_UNAUTHORIZED, "unauthorized", "say hello first")
            if session.role != "judge":
                raise m.ProtocolError(
                    m.CLOSE_FORBIDDEN, "forbidden", f"a {session.role} device may not submit ops"
                )
            ops = m.parse_submit(message)
            session.history.update(m.parse_history(message, ops))
            return [], ops
        except m.ProtocolError as exc:
            return self._fail(session, exc), None

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
        state = self.replica.state
        if hello.code is not None:
            found = self.replica.find_code(hello.code)
            if found is None:
                self.throttle.failed(session.address, now)
                raise m.ProtocolError(m.CLOSE_UNAUTHORIZED, "unauthorized", "unknown join code")
            role, subject = found
            if state.revoked(hello.device):
                raise m.ProtocolError(m.CLOSE_UNAUTHORIZED, "revoked", "this device was revoked")
            if hello.pubkey is None or not valid_public_key(hello.pubkey):
                raise m.bad_request("'pubkey' must be a base64 raw Ed25519 public key")
            registered = self.replica.registration(hello.device)
            if registered is not None and registered["pubkey"] != hello.pubkey:
                self.throttle.failed(session.address, now)
                raise m.ProtocolError(
                    m.CLOSE_UNAUTHORIZED,
                    "unauthorized",
                    "this device id is paired with another key",
                )
            if registered is not None and (registered["role"], registered["subject"]) != (
                role,
                subject,
            ):
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
            if self._subject_gone(role, subject):
                raise m.ProtocolError(
                    m.CLOSE_UNAUTHORIZED,
                    "unauthorized",
                    "this join code's judge or team has been removed",
                )
            self._refuse_if_used_up(hello.code, hello.device, registered is not None)
            actions: list[Action] = []
            if registered is None and role != "display":
                op = self.replica.admin(
                    "device.put",
                    {
                        "device": hello.device,
                        "pubkey": hello.pubkey,
                        "role": role,
                        "subject": subject,
                        "name": hello.name,
                    },
                )
                actions += self.fanout([op])
            # Displays are registered here alone (no op): they never grow a judge's backlog.
            self.replica.record_pairing(hello.code, hello.device, hello.pubkey, hello.name)
            token = self.replica.issue_token(hello.device)
            log.info("%s paired as %s %s", session.address, role, subject or "")
        else:
            assert hello.token is not None
            device = self.replica.token_device(hello.token)
            registered = self.replica.registration(hello.device)
            if (
                device is None
                and registered is not None
                and registered["role"] != "admin"
                and not state.revoked(hello.device)
            ):
                # A paired device this host holds no token for (a host rebuilt from a judge's
                # replica: tokens never leave a host): it proves its registered key instead.
                nonce = secrets.token_urlsafe(32)
                session.challenge = (nonce, hello)
                challenge = m.Challenge(nonce, self.replica.device_id)
                return [Send((session,), m.encode(challenge.to_wire()))]
            if device != hello.device or registered is None:
                self.throttle.failed(session.address, now)
                if state.revoked(hello.device):
                    raise m.ProtocolError(
                        m.CLOSE_UNAUTHORIZED, "revoked", "this device was revoked by the organiser"
                    )
                raise m.ProtocolError(m.CLOSE_UNAUTHORIZED, "unauthorized", "unknown token")
            role, subject = registered["role"], registered["subject"]
            self._refuse_if_gone(role, subject)
            token = hello.token
            actions = []
        return actions + self._admit(session, hello, role, subject, token)

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
        return self._admit(session, hello, role, subject, self.replica.issue_token(hello.device))

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

    # --- what a session may read ----------------------------------------------------------------

    def _judges_see_results(self) -> bool:
        return bool(self.replica.state.event()["judges_see_results"])

    def _released(self) -> bool:
        return self.replica.state.phase == "released"

    def readable_op(self, session: Session, op: Op, wide: bool | None = None) -> bool:
        """Tell whether a session may receive an op (PROTOCOL.md section 4, `ops`)."""
        if session.role != "judge":
            return False
        if op.kind == "sheet.save":
            return op.author == session.subject or (session.wide if wide is None else wide)
        if op.kind == "notify":
            audience = op.body.get("audience")
            return audience in ("all", "judges") or (
                audience == "judge" and op.body.get("target") == session.subject
            )
        return True

    def vv_for(self, session: Session, vv: dict[str, int]) -> dict[str, int]:
        """Return the entries of the host's `vv` that a session may know of.

        Teams and displays receive no ops: they learn of no device. A judge learns of its own
        device (to resend from), the admin devices (whose ops it receives), every judge device
        while results are shown, and of the devices its hello named no more than it claimed
        (so that it relays only what the host lacks, docs/protocol.md 6c).
        """
        if session.role != "judge":
            return {}
        wide = self._judges_see_results()
        shown = {}
        for device, n in vv.items():
            registered = self.replica.state.device(device)
            role = None if registered is None else registered["role"]
            if device == session.device or role == "admin" or (wide and role == "judge"):
                shown[device] = n
            elif device in session.claimed:
                shown[device] = min(n, session.claimed[device])
        return shown

    def _event_summary(self) -> dict[str, Any]:
        event = self.replica.state.event()
        return {
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
            self.vv_for(session, self.replica.vv()),
        )
        actions: list[Action] = [Send((session,), m.encode(welcome.to_wire()))]
        if session.role == "judge":
            actions += self._backlog(session, vv)
        board = self._board_for(session.role or "")
        if board is not None:
            actions.append(Send((session,), board))
        if session.role == "team":
            actions += self._team_backlog(session)
        return actions

    def _backlog(self, session: Session, vv: dict[str, int]) -> list[Action]:
        """Send a judge the ops it lacks, and while results are shown the sheets it may read.

        The others' current sheets go with every backlog while results are shown: the judge's
        `vv` may cover sheets it was never sent (made while results were hidden), and the host
        cannot tell whether an earlier copy reached it (a link can be dead before the host
        notices; sending them "once" lost them for good). The peer skips those it holds.
        """
        wide = self._judges_see_results()
        ops = [op for op in self.replica.accepted_since(vv) if self.readable_op(session, op, wide)]
        if wide:
            held = {op.id for op in ops}
            ops += [op for op in self._winning_sheets() if op.id not in held]
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
        vv = self.vv_for(session, self.replica.vv())
        return [Send((session,), frame) for frame in _ops_messages(ops, vv)]

    def _team_backlog(self, session: Session) -> list[Action]:
        actions = self._team_backlog_scores(session) if self._released() else []
        notes = [n for n in self._notifications() if self._team_may_read(session, n)]
        for note in notes[-RECENT_NOTIFICATIONS:]:
            actions.append(Send((session,), self._notification_frame("team_notification", note)))
        return actions

    # --- messages --------------------------------------------------------------------------------

    def _rows(self) -> list[dict[str, Any]]:
        return [row.to_wire() for row in self.replica.board.rows()]

    def _next_revision(self) -> int:
        self._board_revision = max(self._board_revision + 1, self.now())
        return self._board_revision

    def _board_frame(self, mode: str, rows: list[dict[str, Any]], revision: int) -> str:
        board = m.LeaderboardUpdate(revision, mode, tuple(rows), m.timestamp(self.now()))
        return m.encode(board.to_wire())

    def display_rows(self) -> tuple[str, list[dict[str, Any]]]:
        """Return the display mode and the rows that mode lets a display see."""
        event = self.replica.state.event()
        mode = event["display_mode"]
        if mode == "frozen":
            return mode, list(self._frozen_rows or [])
        rows = self._rows()
        if mode == "progress":
            return mode, [
                {
                    "team_id": r["team_id"],
                    "team_name": r["team_name"],
                    "judge_count": r["judge_count"],
                }
                # By name: rows in rank order would tell the ranking this mode hides.
                for r in sorted(rows, key=lambda r: (r["team_name"].casefold(), r["team_id"]))
            ]
        if mode == "reveal":
            ranked = [r for r in rows if r["rank"] is not None]
            count = min(int(event["reveal_count"]), len(ranked))
            return mode, ranked[len(ranked) - count :] if count else []
        return "live", rows

    def _board_view(self, role: str) -> tuple[str, list[dict[str, Any]]] | None:
        """Return the mode and rows of the board `role` may see now, or None."""
        if role == "display":
            return self.display_rows()
        if (role == "judge" and self._judges_see_results()) or (
            role == "team" and self._released()
        ):
            return "live", self._rows()
        return None

    def _board_for(self, role: str) -> str | None:
        view = self._board_view(role)
        return None if view is None else self._board_frame(*view, self._next_revision())

    def boards(self) -> list[Action]:
        """Send each audience the current leaderboard, if what that audience sees changed.

        The driver calls this at most once per interval. A board that shows an audience what
        its last one showed (a draft saved, a hidden total moved, a frozen display) is not sent
        again: a new revision alone would tell a display that something hidden changed.
        """
        by_role: dict[str, list[Session]] = {}
        for session in self.sessions.values():
            if session.role is not None:
                by_role.setdefault(session.role, []).append(session)
        actions: list[Action] = []
        revision: int | None = None
        for role in ("judge", "team", "display"):
            view = self._board_view(role)
            shown = None if view is None else m.encode({"mode": view[0], "rows": view[1]})
            # Kept for audiences with no one online too: a later joiner gets the board in its
            # welcome, and must not get the same one again with a new revision.
            if self._last_board_view.get(role, "") == shown:
                continue
            self._last_board_view[role] = shown
            if view is None or role not in by_role:
                continue
            revision = self._next_revision() if revision is None else revision
            frame = self._board_frame(*view, revision)
            actions.append(Send(tuple(by_role[role]), frame))
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

    @staticmethod
    def _team_may_read(session: Session, note: dict[str, Any]) -> bool:
        return note["audience"] in ("all", "teams") or (
            note["audience"] == "team" and note["target"] == session.subject
        )

    def _notification_frame(self, kind: str, note: dict[str, Any]) -> str:
        data = m.Note(
            note["id"], note["message"], note["audience"], m.timestamp(int(note["hlc"][:13]))
        )
        return m.encode(m.Notification(kind, data, m.timestamp(self.now())).to_wire())

    # --- committing and fan-out -------------------------------------------------------------------

    def commit(self, batch: list[tuple[Session, list[Any]]]) -> list[Action]:
        """Commit the ops of several submit frames in one transaction; ack each, then fan out."""
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
        """Turn accepted ops into the messages each live session may receive."""
        if not ops:
            return []
        actions: list[Action] = []
        judges = [s for s in self.sessions.values() if s.role == "judge" and not s.closed]
        teams = [s for s in self.sessions.values() if s.role == "team" and not s.closed]
        # A change of visibility or phase changes what each session may read: handle it first.
        event_fields = {op.body["field"] for op in ops if op.kind == "event.set"}
        if "judges_see_results" in event_fields and self._judges_see_results():
            sheets: list[Op] | None = None
            for session in judges:
                if not session.wide:
                    session.wide = True
                    sheets = self._winning_sheets() if sheets is None else sheets
                    # These frames go out before the ops that widened the view: they claim no
                    # vv, else a link cut right after them would make the peer believe it
                    # holds those ops (the ops frame below carries the vv).
                    actions += [Send((session,), f) for f in _ops_messages(sheets, {}, True)]
        elif "judges_see_results" in event_fields:
            # Narrowing: from now on each judge online reads only its own sheets again.
            for session in judges:
                session.wide = False
        if "display_mode" in event_fields:
            mode = self.replica.state.event()["display_mode"]
            self._frozen_rows = self._rows() if mode == "frozen" else None
            if self._frozen_rows is not None:  # a restarted host keeps showing the same board
                self.replica.set_setting("frozen_rows", json.dumps(self._frozen_rows))
        vv = self.replica.vv()
        groups: dict[tuple[tuple[str, ...], str], list[Session]] = {}
        shown: dict[str, dict[str, int]] = {}
        for session in judges:
            ids = tuple(op.id for op in ops if self.readable_op(session, op))
            if ids:
                seen = self.vv_for(session, vv)
                key = m.encode(seen)
                shown[key] = seen
                groups.setdefault((ids, key), []).append(session)
        by_id = {op.id: op for op in ops}
        for (ids, key), sessions in groups.items():
            for frame in _ops_messages([by_id[i] for i in ids], shown[key]):
                actions.append(Send(tuple(sessions), frame))
        for op in ops:
            if op.kind == "sheet.save":
                actions += self._fanout_sheet(op, judges, teams)
            elif op.kind == "notify":
                actions += self._fanout_notify(op, judges, teams)
        if "phase" in event_fields and self._released():
            for session in teams:
                actions += self._team_backlog_scores(session)
        return actions

    def _fanout_sheet(self, op: Op, judges: list[Session], teams: list[Session]) -> list[Action]:
        sheet = self.replica.state.sheet(op.author, op.body["team"])
        if (
            sheet is None
            or self.replica.state.entries[f"sheet/{op.author}/{op.body['team']}"].op_id != op.id
        ):
            return []  # an older op that lost its key to a newer one: nothing changed
        actions: list[Action] = []
        readers = tuple(s for s in judges if s.subject == op.author or s.wide)
        if readers:
            actions.append(Send(readers, self._score_frame(sheet)))
        if self._released():
            own = tuple(s for s in teams if s.subject == sheet["team"])
            if own and sheet["final"]:
                actions.append(Send(own, self._score_frame(sheet, with_judge=False)))
        return actions

    def _fanout_notify(self, op: Op, judges: list[Session], teams: list[Session]) -> list[Action]:
        entry = self.replica.state.entries.get(op.key)
        if entry is None or entry.value is None:
            return []
        note = {**entry.value, "id": op.id, "hlc": op.hlc}
        actions: list[Action] = []
        audience, target = note["audience"], note["target"]
        to_judges = tuple(
            s
            for s in judges
            if audience in ("all", "judges") or (audience == "judge" and s.subject == target)
        )
        if to_judges:
            actions.append(Send(to_judges, self._notification_frame("judge_notification", note)))
        to_teams = tuple(s for s in teams if self._team_may_read(s, note))
        if to_teams:
            actions.append(Send(to_teams, self._notification_frame("team_notification", note)))
        return actions

    def _team_backlog_scores(self, session: Session) -> list[Action]:
        return [
            Send((session,), self._score_frame(sheet, with_judge=False))
            for sheet in self.replica.state.sheets()
            if sheet["team"] == session.subject and sheet["final"]
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
