"""The peer link: find the host, keep one WebSocket to it, send the outbox, apply what comes back.

Judges, teams and displays all sit on a PeerLink. It reconnects forever with jittered
exponential backoff (PROTOCOL.md section 8) and exposes its state for the windows to show.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from storage.hlc import system_ms
from storage.ops import Op
from storage.replica import Replica
from sync import messages as m
from sync import tls
from sync.discovery import Browser, HostInfo, parse_target

log = logging.getLogger("tallyboard.peer")

CLOCK_WARNING_MS = 60_000  # section 6: warn when the host's clock differs by more than 60 s
FATAL_CLOSES = {
    m.CLOSE_UNAUTHORIZED: "the host refused this device",
    m.CLOSE_REPLACED: "another window or laptop took over this device",
    m.CLOSE_MALFORMED: "the host could not understand this device",
}

UPGRADED = (
    "this device has pinned its host's certificate, so it connects with TLS only, though"
    " it was asked for plain ws://"
)


class Refused(Exception):
    """The host will not take this device as it is: retrying would not help."""


class Backoff:
    """Delays of PROTOCOL.md section 8: from 0.5 s, times 1.5, at most 15 s, with jitter."""

    def __init__(
        self,
        start: float = 0.5,
        factor: float = 1.5,
        cap: float = 15.0,
        rng: random.Random | None = None,
    ) -> None:
        self.start, self.factor, self.cap = start, factor, cap
        self.rng = rng or random.Random()
        self.attempt = 0

    def next(self) -> float:
        """Return the delay before the next attempt (between half and all of the nominal one)."""
        nominal = min(self.cap, self.start * self.factor**self.attempt)
        if nominal < self.cap:
            # Past the cap the exponent must stop growing: factor**attempt overflows a float
            # (OverflowError) after about 1,750 attempts, some hours of a host being away.
            self.attempt += 1
        return nominal * self.rng.uniform(0.5, 1.0)

    def reset(self) -> None:
        """Start again from the shortest delay (after a successful connection)."""
        self.attempt = 0


def pick_host(
    hosts: Iterable[HostInfo], *, event: str | None, pin: str | None
) -> tuple[HostInfo | None, str]:
    """Pick the advertised host to try, by event id and then pin, never by name; or say why none.

    Instance names are only for showing: two rooms may both be called "Science Fair".
    """
    ours = [h for h in hosts if event is None or h.event == event]
    if pin is not None:
        plain = sorted(h.target for h in ours if not h.tls)
        ours = [h for h in ours if h.tls]
        matching = [h for h in ours if h.fingerprint == pin]
        # Before the first welcome (no event yet) the pin alone says which host is ours; after
        # it, another certificate for the event is a rebuilt host, which the user may trust.
        ours = matching or ([] if event is None else ours)
        if not ours and plain:
            return None, (
                f"ignored {', '.join(plain)}: it offers this event without TLS, and this"
                " device talks to its pinned host over TLS only"
            )
    elif event is None and len({(h.event, h.fingerprint) for h in ours}) > 1:
        names = ", ".join(sorted(h.name for h in ours))
        return None, (
            f"several hosts on this network ({names}): pick one or type its address,"
            " or use the organiser's join link"
        )
    if not ours:
        return None, ""
    return min(ours, key=lambda h: (not h.tls, h.target)), ""


@dataclass(frozen=True)
class LinkStatus:
    """What the user sees of the link at all times."""

    state: str = "idle"  # idle, searching, connecting, online, offline, refused, stopped
    host: str = ""
    pending: int = 0
    last_contact_ms: int | None = None
    clock_offset_ms: int | None = None
    last_error: str = ""
    role: str | None = None
    subject: str | None = None
    # Refused because the host's certificate changed: the fingerprint it now presents, which
    # the user may compare with the organiser's console and then trust (`PeerLink.trust`).
    offered_fp: str | None = None

    @property
    def clock_warning(self) -> bool:
        """Whether this device's clock is more than 60 s off the host's."""
        return self.clock_offset_ms is not None and abs(self.clock_offset_ms) > CLOCK_WARNING_MS


@dataclass
class PeerConfig:
    """How a peer reaches its host."""

    code: str | None = None  # a join code, for the first contact
    target: str | None = None  # host:port typed by hand; None: find it over mDNS
    fingerprint: str | None = None  # from a join link; else TXT `fp`, else first use
    secure: bool = True
    name: str = ""  # a label for the console's device list
    open_timeout: float = 10.0
    ping_interval: float = 10.0
    browse_interfaces: list[str] | None = None
    rng_seed: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class PeerLink:
    """One device's link to its host."""

    def __init__(
        self,
        replica: Replica,
        config: PeerConfig,
        *,
        now: Callable[[], int] = system_ms,
    ) -> None:
        self.replica = replica
        self.config = config
        self.now = now
        self.backoff = Backoff(rng=random.Random(config.rng_seed))
        self.status = LinkStatus(pending=replica.pending_count())
        self.hosts: dict[str, HostInfo] = {}
        self.last_board: dict[str, Any] | None = self._load_json("last_board")
        self.notifications: list[dict[str, Any]] = self._load_json("notifications") or []
        self.scores: dict[str, dict[str, Any]] = self._load_json("scores") or {}
        self.on_status: list[Callable[[LinkStatus], None]] = []
        self.on_message: list[Callable[[dict[str, Any]], None]] = []
        self.on_ack: list[Callable[[list[str], list[dict[str, Any]]], None]] = []
        self._ws: ClientConnection | None = None
        self._in_flight: set[str] = set()
        self._wake = asyncio.Event()
        self._stopped = False
        self._browser: Browser | None = None
        self._online = asyncio.Event()
        self._resync: asyncio.Task[None] | None = None
        self._tried_remembered = 0
        self._upgraded = False  # the last session was asked for plain ws:// and used TLS
        # Welcomed is not yet synced: a judge's backlog of ops follows the welcome, and only
        # its last frame carries the host's vv (docs/protocol.md 4a).
        self.synced = False

    # --- state for the user --------------------------------------------------------------------

    def _load_json(self, key: str) -> Any:
        text = self.replica.setting(key)
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    def _set(self, **changes: Any) -> None:
        self.status = replace(self.status, **changes)
        for listener in self.on_status:
            listener(self.status)

    def trust(self, fingerprint: str) -> None:
        """Pin a new host certificate, which the user has compared with the one the organiser's
        console shows (a host rebuilt on another laptop has a new certificate)."""
        self.replica.set_setting("host_fp", fingerprint.lower())

    @property
    def paired(self) -> bool:
        """Whether this device holds a token from its host."""
        return self.replica.setting("token") is not None

    async def wait_online(self, timeout: float | None = None) -> None:
        """Wait until the link has been welcomed."""
        await asyncio.wait_for(self._online.wait(), timeout)

    # --- running -------------------------------------------------------------------------------

    async def run(self) -> None:
        """Stay connected until `stop`, or until the host refuses this device."""
        try:
            if self.config.target is None:
                self._browser = Browser(
                    self._hosts_changed, interfaces=self.config.browse_interfaces
                )
                await self._browser.start()
            while not self._stopped:
                target = await self._choose_host()
                if target is None:
                    continue
                try:
                    await self._session(target)
                    error = "the host closed the link"
                except Refused as exc:
                    self._set(state="refused", last_error=str(exc))
                    log.warning("refused: %s", exc)
                    return
                except tls.PinMismatch as exc:
                    self._set(state="refused", last_error=str(exc), offered_fp=exc.presented)
                    log.error("%s", exc)
                    return
                except (
                    OSError,
                    ConnectionClosed,
                    InvalidHandshake,
                    InvalidURI,
                    TimeoutError,
                    m.ProtocolError,
                ) as exc:
                    error = _describe(exc)
                if self._upgraded:
                    error += f" ({UPGRADED})"
                self._online.clear()
                self._ws = None
                self._in_flight.clear()
                if self._stopped:
                    break
                delay = self.backoff.next()
                self._set(state="offline", last_error=error)
                log.info("link down (%s); next try in %.1f s", error, delay)
                await self._sleep(delay)
        finally:
            if self._browser is not None:
                await self._browser.stop()
                self._browser = None
            if not self._stopped or self.status.state != "refused":
                self._set(state="stopped" if self._stopped else self.status.state)

    async def stop(self) -> None:
        """Close the link and end `run`."""
        self._stopped = True
        self._wake.set()
        if self._ws is not None:
            await self._ws.close()

    def poke(self) -> None:
        """Try again now (the network or mDNS says the host is back)."""
        self._wake.set()

    async def _sleep(self, delay: float) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), delay)

    def _hosts_changed(self, hosts: dict[str, HostInfo]) -> None:
        self.hosts = hosts
        if self.status.state in ("offline", "searching"):
            self.poke()

    def _pin(self) -> str | None:
        """Return the host fingerprint this device trusts: pinned before, else from a join link."""
        pinned = self.replica.setting("host_fp") or self.config.fingerprint
        return pinned.lower() if pinned else None

    async def _choose_host(self) -> HostInfo | None:
        if self.config.target is not None:
            address, port = parse_target(self.config.target)
            return HostInfo(address, address, port, self.config.secure, self.config.fingerprint)
        found, reason = pick_host(
            self.hosts.values(), event=self.replica.setting("host_event"), pin=self._pin()
        )
        if found is not None:
            return found
        remembered = self.replica.setting("host_target")
        if remembered is not None and self._tried_remembered < 1:
            # Discovery is a convenience (section 1): where multicast is blocked, the address
            # that worked last time is tried between looks.
            self._tried_remembered += 1
            address, port = parse_target(remembered)
            secure = self.replica.setting("host_tls") != "0"
            return HostInfo(address, address, port, secure, self.replica.setting("host_fp"))
        self._tried_remembered = 0
        self._set(state="searching", **({"last_error": reason} if reason else {}))
        await self._sleep(5.0)
        return None

    # --- one connection ------------------------------------------------------------------------

    async def _session(self, host: HostInfo) -> None:
        # A device that trusts a pinned certificate speaks TLS only, whatever it was offered
        # (an advertisement, a typed ws:// address, a join link with tls=0): a plain link
        # would hand its token or code to whoever answers (docs/protocol.md 2a).
        secure = host.tls or self._pin() is not None
        self._upgraded = secure and not host.tls
        self._set(state="connecting", host=host.target)
        uri = f"{'wss' if secure else 'ws'}://{host.target}/sync"
        async with connect(
            uri,
            ssl=tls.client_context() if secure else None,
            compression=None,
            proxy=None,
            open_timeout=self.config.open_timeout,
            ping_interval=self.config.ping_interval,
            ping_timeout=self.config.ping_interval,
            max_size=m.MAX_FRAME,
            user_agent_header="Tallyboard",
        ) as ws:
            if secure:
                # Check the pin before any secret (code or token) leaves this device.
                presented = tls.peer_fingerprint(ws.transport.get_extra_info("ssl_object"))
                pinned = (
                    self.replica.setting("host_fp") or self.config.fingerprint or host.fingerprint
                )
                tls.check_pin(presented, pinned)
            await ws.send(m.encode(self._hello()))
            first = await self._first_reply(ws)
            if first.get("type") == "challenge":
                # A host that holds no token for this device (one rebuilt from a judge's
                # replica): prove this device's key, bound to this host and certificate.
                await ws.send(m.encode(self._prove(first, presented if secure else None)))
                first = await self._first_reply(ws)
            if first.get("type") == "error":
                raise self._closed_by_error(ws, first)
            if first.get("type") != "welcome":
                raise m.bad_request("the host did not say welcome")
            self._welcomed(first, host, presented if secure else None)
            self._ws = ws
            self.backoff.reset()
            # Section 6: resend from the host's vv. A host restored from an older copy, or
            # rebuilt from another judge's replica, lacks ops this device had sent (and maybe
            # had answered): they go again, in n order, after the other devices' ops that this
            # replica holds and the host lacks (relayed, docs/protocol.md 6a).
            raw_vv = first.get("vv")
            host_vv = {
                k: v
                for k, v in (raw_vv.items() if isinstance(raw_vv, dict) else ())
                if isinstance(v, int)
            }
            stored = self.replica.ops_for_host(host_vv)
            await self._send(
                [s.op for s in stored], {s.op.id for s in stored if s.status == "accepted"}
            )
            try:
                async for frame in ws:
                    self._receive(m.decode(frame))
            except ConnectionClosed as exc:
                raise self._closed(exc) from exc
            if ws.close_code in FATAL_CLOSES:
                raise Refused(f"{FATAL_CLOSES[ws.close_code]} ({ws.close_reason or ws.close_code})")

    async def _first_reply(self, ws: ClientConnection) -> dict[str, Any]:
        try:
            return m.decode(await asyncio.wait_for(ws.recv(), self.config.open_timeout))
        except ConnectionClosed as exc:
            raise self._closed(exc) from exc

    def _prove(self, challenge: dict[str, Any], fingerprint: str | None) -> dict[str, Any]:
        nonce, host = challenge.get("nonce"), challenge.get("host")
        if not isinstance(nonce, str) or not isinstance(host, str) or len(nonce) > 200:
            raise m.bad_request("the host sent a malformed challenge")
        payload = m.rejoin_payload(self.replica.device_id, host, nonce, fingerprint)
        return {"type": "prove", "sig": self.replica.key.sign(payload)}

    def _closed(self, exc: ConnectionClosed) -> Exception:
        code = exc.rcvd.code if exc.rcvd is not None else None
        if code in FATAL_CLOSES:
            return Refused(f"{FATAL_CLOSES[code]} ({exc.rcvd.reason if exc.rcvd else code})")
        return exc

    def _closed_by_error(self, ws: ClientConnection, message: dict[str, Any]) -> Exception:
        text = str(message.get("message", "error"))
        if message.get("code") in ("unauthorized", "revoked", "bad_request", "replaced"):
            return Refused(text)
        return ConnectionError(text)

    def _hello(self) -> dict[str, Any]:
        hello: dict[str, Any] = {
            "type": "hello",
            "protocol": m.PROTOCOL_VERSION,
            "device": self.replica.device_id,
            "vv": self.replica.vv(),
            "name": self.config.name,
            "pending": self.replica.pending_count(),
            "clock": self.now(),
        }
        token = self.replica.setting("token")
        if self.config.code is not None:
            # A code the user gave pairs this device (again): with its own key and for the same
            # judge or team, it rejoins a host that does not know it (docs/protocol.md 3b).
            hello["code"] = self.config.code
            hello["pubkey"] = self.replica.key.public_b64
        elif token is not None:
            hello["token"] = token
        else:
            raise Refused("this device is not paired yet: enter a join code")
        return hello

    def _welcomed(self, welcome: dict[str, Any], host: HostInfo, fingerprint: str | None) -> None:
        token = welcome.get("token")
        event = welcome.get("event") or {}
        if isinstance(token, str):
            self.replica.set_setting("token", token)
            self.config = replace(self.config, code=None)  # the token serves from now on
        if fingerprint is not None:
            self.replica.set_setting("host_fp", fingerprint)
        if isinstance(event.get("id"), str):
            self.replica.set_setting("host_event", event["id"])
            if self.replica.event_id != event["id"]:
                self.replica.adopt_event(event["id"])
        self.replica.set_setting("host_target", host.target)
        self.replica.set_setting("host_tls", "0" if fingerprint is None else "1")
        stamp = welcome.get("hlc")
        offset = None
        if isinstance(stamp, str):
            try:
                offset = self.replica.clock.offset_ms(stamp)
                self.replica.clock.observe(stamp)
            except ValueError:
                offset = None
        self.event = event
        self._set(
            state="online",
            host=host.name if host.name != host.address else host.target,
            last_contact_ms=self.now(),
            clock_offset_ms=offset,
            last_error="",
            offered_fp=None,
            role=welcome.get("role"),
            subject=welcome.get("subject"),
            pending=self.replica.pending_count(),
        )
        self.synced = welcome.get("role") != "judge"  # only judges get a backlog of ops
        self._online.set()
        for listener in self.on_message:
            listener(welcome)

    # --- traffic -------------------------------------------------------------------------------

    async def flush(self) -> None:
        """Send every pending op not already in flight, in `n` order, 500 a frame."""
        ws = self._ws
        if ws is None:
            return
        await self._send([op for op in self.replica.pending() if op.id not in self._in_flight])

    async def _send(self, ops: list[Op], history: set[str] | None = None) -> None:
        """Send ops in submit frames that fit the frame limit; `history` names those this
        replica holds as accepted by a host of the event (docs/protocol.md 6a)."""
        ws = self._ws
        if ws is None:
            return
        for chunk in m.chunk_ops([op.to_wire() for op in ops]):
            ids = [op["id"] for op in chunk]
            self._in_flight.update(ids)
            message: dict[str, Any] = {"type": "submit", "ops": chunk}
            if history:
                message["history"] = [i for i in ids if i in history]
            await ws.send(m.encode(message))

    def saved(self) -> None:
        """Tell the link that a new op is waiting (the UI calls this after `Replica.make`)."""
        self._set(pending=self.replica.pending_count())
        if self._ws is not None:
            task = asyncio.get_running_loop().create_task(self.flush())
            task.add_done_callback(_ignore_closed)

    def _receive(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "ack":
            accepted = [i for i in message.get("accepted", []) if isinstance(i, str)]
            rejected = [r for r in message.get("rejected", []) if isinstance(r, dict)]
            self.replica.record_ack(accepted, rejected)
            self._in_flight.difference_update(accepted)
            self._in_flight.difference_update(str(r.get("id")) for r in rejected)
            own = f"{self.replica.device_id}/"
            gap = any(r.get("code") == "gap" and str(r.get("id")).startswith(own) for r in rejected)
            if gap and self._ws is not None:
                # The host lacks ops before these: start over from a welcome, which tells
                # its vv, and resend from there.
                log.warning("the host lacks earlier ops of this device; resyncing")
                self._resync = asyncio.get_running_loop().create_task(self._ws.close())
            for acked in self.on_ack:
                acked(accepted, rejected)
        elif kind == "ops":
            ops = message.get("ops", [])
            vv = message.get("vv", {})
            self.replica.receive(ops, {k: v for k, v in vv.items() if isinstance(v, int)})
            if vv:
                self.synced = True
        elif kind == "leaderboard_update":
            current = self.last_board or {}
            if int(message.get("revision", 0)) >= int(current.get("revision", 0)):
                self.last_board = message
                self.replica.set_setting("last_board", json.dumps(message))
        elif kind == "score_update":
            data = message.get("data") or {}
            self.scores[str(data.get("sheet_id"))] = data
            self.replica.set_setting("scores", json.dumps(self.scores))
        elif kind in ("team_notification", "judge_notification"):
            data = message.get("data") or {}
            if all(n.get("id") != data.get("id") for n in self.notifications):
                self.notifications.append(data)
                self.replica.set_setting("notifications", json.dumps(self.notifications[-200:]))
        elif kind == "error":
            self._set(last_error=str(message.get("message", "")))
        self._set(last_contact_ms=self.now(), pending=self.replica.pending_count())
        for listener in self.on_message:
            listener(message)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "the host is not answering (connection refused)"
    if isinstance(exc, TimeoutError):
        return "the host did not answer in time"
    if isinstance(exc, OSError) and exc.errno == 101:
        return "no network"
    if isinstance(exc, ConnectionClosed):
        return f"the link closed ({exc.rcvd.code if exc.rcvd else 'no close frame'})"
    return str(exc) or type(exc).__name__


def _ignore_closed(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and isinstance(task.exception(), ConnectionClosed):
        return
    if not task.cancelled() and task.exception() is not None:
        log.warning("flush failed: %s", task.exception())
