"""The peer link: find the host, keep one WebSocket to it, and drive the peer's protocol core.

Judges, teams and displays all sit on a PeerLink. It picks a host, connects, checks the pin,
times out, and reconnects forever with jittered exponential backoff (PROTOCOL.md section 8);
what the frames mean is `sync.peercore.PeerCore`'s, whose actions it performs. It exposes its
state for the windows to show.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, replace
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from storage.hlc import system_ms
from storage.replica import Replica
from sync import messages as m
from sync import tls
from sync.discovery import Browser, HostInfo, parse_target
from sync.peercore import (
    CLOCK_WARNING_MS,
    Acked,
    Action,
    Close,
    Deliver,
    Fail,
    PeerCore,
    Send,
    Status,
)

log = logging.getLogger("tallyboard.peer")

UPGRADED = (
    "this device has pinned its host's certificate, so it connects with TLS only, though"
    " it was asked for plain ws://"
)


RETRYING = ("connecting", "offline", "searching")


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
    board_top: int | None = None  # a display that shows only the first N rows (docs/protocol.md 4d)
    open_timeout: float = 10.0
    ping_interval: float = 10.0
    browse_interfaces: list[str] | None = None
    rng_seed: int | None = None


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
        self._config = config
        self.now = now
        self.core = PeerCore(
            replica, code=config.code, name=config.name, board_top=config.board_top
        )
        self.backoff = Backoff(rng=random.Random(config.rng_seed))
        self.status = LinkStatus(pending=replica.pending_count())
        self.hosts: dict[str, HostInfo] = {}
        self.on_status: list[Callable[[LinkStatus], None]] = []
        self.on_message: list[Callable[[dict[str, Any]], None]] = []
        self.on_ack: list[Callable[[list[str], list[dict[str, Any]]], None]] = []
        self._ws: ClientConnection | None = None
        self._send_lock = asyncio.Lock()  # frames leave in the order the core made them
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopped = False
        self._browser: Browser | None = None
        self._online = asyncio.Event()
        self._tried_remembered = 0
        self._upgraded = False  # the last session was asked for plain ws:// and used TLS

    # --- state for the user --------------------------------------------------------------------

    @property
    def config(self) -> PeerConfig:
        """How this link reaches its host; without the join code once a welcome made it spent."""
        return replace(self._config, code=self.core.code)

    @property
    def synced(self) -> bool:
        """Whether the event's ops have all arrived since the last welcome."""
        return self.core.synced

    @property
    def last_board(self) -> dict[str, Any] | None:
        """The leaderboard with the highest revision received (kept across restarts)."""
        return self.core.last_board

    @property
    def named_boards(self) -> dict[str, dict[str, Any]]:
        """The named boards held (a round's or prize's, docs/protocol.md 4e), by name."""
        return self.core.named_boards

    @property
    def display_control(self) -> dict[str, Any] | None:
        """The host's last display_control (4e), if any."""
        return self.core.display_control

    @property
    def notifications(self) -> list[dict[str, Any]]:
        """The notifications received, oldest first (kept across restarts)."""
        return self.core.notifications

    @property
    def scores(self) -> dict[str, dict[str, Any]]:
        """The score updates received, one per sheet (kept across restarts)."""
        return self.core.scores

    def _set(self, **changes: Any) -> None:
        if self.status.offered_fp is not None and changes.get("state") in RETRYING:
            # A certificate is on offer ("Trust new host…"): retries in the background leave
            # it, and its reason, showing until a host is reached or the user trusts it.
            changes = {k: v for k, v in changes.items() if k not in ("state", "last_error")}
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
            if self._config.target is None:
                self._browser = Browser(
                    self._hosts_changed, interfaces=self._config.browse_interfaces
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
                    # Not the end: a rogue advertising this event must not halt the device
                    # until a human acts. The offer stands while the link keeps trying its
                    # event's hosts, and ends at the first welcome (docs/protocol.md 8a).
                    self._set(state="refused", last_error=str(exc), offered_fp=exc.presented)
                    log.error("%s", exc)
                    error = str(exc)
                except (
                    OSError,
                    ConnectionClosed,
                    InvalidHandshake,
                    InvalidURI,
                    TimeoutError,
                ) as exc:
                    error = _describe(exc)
                finally:
                    self._ended()
                if self._upgraded:
                    error += f" ({UPGRADED})"
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

    def _ended(self) -> None:
        self._online.clear()
        self._ws = None
        self.core.session = None

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
        if self.status.state in RETRYING or self.status.offered_fp is not None:
            self.poke()

    def _pin(self) -> str | None:
        """Return the host fingerprint this device trusts: pinned before, else from a join link."""
        pinned = self.replica.setting("host_fp") or self._config.fingerprint
        return pinned.lower() if pinned else None

    async def _choose_host(self) -> HostInfo | None:
        config = self._config
        if config.target is not None:
            address, port = parse_target(config.target)
            return HostInfo(address, address, port, config.secure, config.fingerprint)
        pin = self._pin()
        found, reason = pick_host(
            self.hosts.values(), event=self.replica.setting("host_event"), pin=pin
        )
        remembered = self.replica.setting("host_target")
        # A host of the event under another certificate (a rebuilt host, or a rogue) is
        # tried in turn with the address that worked last, where the real host may be back
        # unadvertised: the stranger must not keep a pinned device from its own host.
        stranger = found is not None and pin is not None and found.fingerprint != pin
        if found is not None and (not stranger or remembered in (None, found.target)):
            return found
        if found is not None and self._tried_remembered >= 1:
            self._tried_remembered = 0
            return found
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
            open_timeout=self._config.open_timeout,
            ping_interval=self._config.ping_interval,
            ping_timeout=self._config.ping_interval,
            max_size=m.MAX_FRAME,
            user_agent_header="Tallyboard",
        ) as ws:
            presented = self._check_pin(ws, host) if secure else None
            self._ws = ws  # the core decides what may be sent before its welcome: only hello
            label = host.name if host.name != host.address else host.target
            await self._perform(ws, self.core.connected(host.target, label, presented, self.now()))
            try:
                while not self.core.welcomed:
                    await self._perform(
                        ws, self.core.receive(await self._first_reply(ws), self.now())
                    )
                self.backoff.reset()
                self._online.set()
                async for frame in ws:
                    await self._perform(ws, self.core.receive(frame, self.now()))
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd is not None else None
                await self._perform(
                    ws, self.core.connection_lost(code, exc.rcvd.reason if exc.rcvd else "")
                )
                raise
            await self._perform(ws, self.core.connection_lost(ws.close_code, ws.close_reason or ""))

    def _check_pin(self, ws: ClientConnection, host: HostInfo) -> str | None:
        """Check the pin before any secret (code or token) leaves this device; return what
        the host presented."""
        presented = tls.peer_fingerprint(ws.transport.get_extra_info("ssl_object"))
        pinned = self.replica.setting("host_fp") or self._config.fingerprint or host.fingerprint
        tls.check_pin(presented, pinned)
        return presented

    async def _first_reply(self, ws: ClientConnection) -> str | bytes:
        return await asyncio.wait_for(ws.recv(), self._config.open_timeout)

    async def _perform(self, ws: ClientConnection, actions: list[Action]) -> None:
        """Carry out the core's actions on `ws`, in order."""
        sends: list[str] = []
        for action in actions:
            if isinstance(action, Send):
                sends.append(action.text)
                continue
            if sends:
                await self._write(ws, sends)
                sends = []
            self._act(action)
            if isinstance(action, Close):
                await ws.close(action.code, action.reason)
        if sends:
            await self._write(ws, sends)

    def _act(self, action: Action) -> None:
        """Carry out an action that needs no socket: status, listeners, the end of a session."""
        if isinstance(action, Status):
            self._set(**action.changes)
        elif isinstance(action, Deliver):
            for listener in self.on_message:
                listener(action.message)
        elif isinstance(action, Acked):
            for acked in self.on_ack:
                acked(action.accepted, action.rejected)
        elif isinstance(action, Fail):
            raise ConnectionError(action.reason) if action.retry else Refused(action.reason)

    async def _write(self, ws: ClientConnection, frames: list[str]) -> None:
        async with self._send_lock:
            for frame in frames:
                await ws.send(frame)

    # --- traffic -------------------------------------------------------------------------------

    async def flush(self) -> None:
        """Send every pending op not already in flight, in `n` order, 500 a frame."""
        ws = self._ws
        if ws is not None:
            await self._perform(ws, self.core.flush())

    def saved(self) -> None:
        """Tell the link that a new op is waiting (the UI calls this after `Replica.make`)."""
        actions = self.core.saved()
        sends = [a.text for a in actions if isinstance(a, Send)]
        for action in actions:
            if not isinstance(action, Send):
                self._act(action)
        if sends and self._ws is not None:
            self._spawn(self._write(self._ws, sends))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` as a task this link keeps until it is done (asyncio keeps only weak ones)."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(_ignore_closed)


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
