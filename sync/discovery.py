"""mDNS/DNS-SD: the host advertises `_tallyboard._tcp.local.`; peers browse for it (section 1)."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import ifaddr
from zeroconf import (
    DNSQuestionType,
    IPVersion,
    NonUniqueNameException,
    ServiceStateChange,
    Zeroconf,
)
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from sync.messages import PROTOCOL_VERSION

log = logging.getLogger("tallyboard.discovery")

SERVICE_TYPE = "_tallyboard._tcp.local."
TAKEN_WAIT_MS = (
    1500  # asks at 0, ~0.3 and ~1.3 s: a responder multicasts a record at most once a second
)
MAX_INSTANCE_NUMBER = 20  # "Name (20)": past that, a clash is a mistake, not two rooms


@dataclass(frozen=True)
class HostInfo:
    """A host found on the network, or typed in by hand."""

    name: str
    address: str
    port: int
    tls: bool
    fingerprint: str | None = None
    event: str | None = None

    @property
    def target(self) -> str:
        """`host:port`, as a user would type it."""
        return (
            f"[{self.address}]:{self.port}"
            if ":" in self.address
            else f"{self.address}:{self.port}"
        )


def parse_target(text: str, *, default_port: int = 8765) -> tuple[str, int]:
    """Parse `host:port` (or `host`, or `[v6]:port`) as typed by a user; raise ValueError."""
    text = text.strip()
    if not text:
        raise ValueError("type the host's address, like 192.168.1.20:8765")
    # A URL copied from a log or a banner (ws://host:port/sync) means its host and port.
    for scheme in ("wss://", "ws://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :].split("/", 1)[0]
    host, port_text = text, ""
    if text.startswith("["):
        host, closed, rest = text[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            raise ValueError(f"{text!r}: write an IPv6 address as [address]:port")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    if not host or "/" in host:
        raise ValueError(f"no host name in {text!r}; type it like 192.168.1.20:8765")
    if port_text and not (port_text.isascii() and port_text.isdigit()):
        raise ValueError(f"{port_text!r} is not a port number")
    port = int(port_text) if port_text else default_port
    if not 0 < port < 65536:
        raise ValueError(f"{port} is not a port number (1-65535)")
    return host, port


@dataclass(frozen=True)
class JoinLink:
    """What a join link carries: where the host is, its certificate, and a join code."""

    target: str
    code: str | None
    fingerprint: str | None
    secure: bool

    def __str__(self) -> str:
        query = {"tls": "1" if self.secure else "0"}
        if self.code:
            query["code"] = self.code
        if self.fingerprint:
            query["fp"] = self.fingerprint
        return f"{JOIN_SCHEME}://{self.target}/join?{urlencode(query)}"


JOIN_SCHEME = "tallyboard"


def parse_join_link(text: str) -> JoinLink:
    """Parse `tallyboard://host:port/join?code=...&fp=...&tls=1` as pasted; raise ValueError."""
    parts = urlsplit(text.strip())
    if parts.scheme != JOIN_SCHEME or not parts.netloc:
        raise ValueError(f"a join link starts with {JOIN_SCHEME}://host:port/")
    host, port = parse_target(parts.netloc)
    query = parse_qs(parts.query)
    fingerprint = query.get("fp", [None])[0]
    if fingerprint is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", fingerprint):
        raise ValueError("the link's certificate fingerprint is not 64 hex digits")
    secure = query.get("tls", ["1"])[0] != "0"
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    code = query.get("code", [None])[0]
    return JoinLink(target, code, fingerprint.lower() if fingerprint else None, secure)


def serving_addresses(bind: str) -> list[str]:
    """Return the IPv4 addresses a host bound to `bind` can be reached at, for its mDNS record.

    Bound to every interface: each non-loopback address (loopback only if there is nothing
    else). Bound to one address: that address.
    """
    if bind not in ("", "0.0.0.0", "::"):
        return [bind]
    found = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str) and not ipaddress.ip_address(ip.ip).is_loopback:
                found.append(ip.ip)
    return sorted(set(found)) or ["127.0.0.1"]


class Advertiser:
    """Advertise one host on mDNS while it runs, and withdraw it on exit."""

    def __init__(
        self,
        name: str,
        port: int,
        *,
        event_id: str,
        fingerprint: str | None,
        bind: str = "0.0.0.0",
    ) -> None:
        self.addresses = serving_addresses(bind)
        self.event_name, self.event_id = name, event_id
        properties = {
            "v": str(PROTOCOL_VERSION),
            "event": event_id,
            "tls": "1" if fingerprint else "0",
        }
        if fingerprint:
            properties["fp"] = fingerprint
        instance = _instance_name(name)
        self.info = AsyncServiceInfo(
            SERVICE_TYPE,
            f"{instance}.{SERVICE_TYPE}",
            port=port,
            properties=properties,
            server=f"tallyboard-{event_id[:8]}.local.",
            parsed_addresses=self.addresses,
        )
        self._zeroconf: AsyncZeroconf | None = None

    @property
    def instance(self) -> str:
        """The instance name as advertised: the event's name, numbered if another host has it."""
        return self.info.name.removesuffix("." + SERVICE_TYPE)

    async def start(self) -> None:
        """Register the service on the interfaces of its addresses, renamed on a conflict."""
        self._zeroconf = AsyncZeroconf(interfaces=self.addresses, ip_version=IPVersion.V4Only)
        try:
            await self._register(self._zeroconf)
        except BaseException:
            await self._zeroconf.async_close()
            self._zeroconf = None
            raise
        log.info(
            "advertising %s on %s port %d",
            self.info.name,
            ", ".join(self.addresses),
            self.info.port,
        )

    async def _register(self, zeroconf: AsyncZeroconf) -> None:
        # Two rooms may both be "Science Fair": RFC 6762 section 9 wants the later one renamed.
        # python-zeroconf's own renaming appends "-2" past the 63-byte label limit (and then
        # fails); ours numbers the name as people do, "Science Fair (2)", within the limit.
        for number in range(2, MAX_INSTANCE_NUMBER + 2):
            if not await self._taken(zeroconf):
                try:
                    await zeroconf.async_register_service(self.info, allow_name_change=False)
                    return
                except NonUniqueNameException:
                    pass
            log.info("%s is taken on this network; trying number %d", self.instance, number)
            self.info.name = f"{_instance_name(self.event_name, number)}.{SERVICE_TYPE}"
        raise RuntimeError(
            f"{MAX_INSTANCE_NUMBER} hosts on this network already advertise an event named"
            f" {self.event_name!r}; rename this event"
        )

    async def _taken(self, zeroconf: AsyncZeroconf) -> bool:
        """Tell whether another responder answers for this instance name now."""
        # zeroconf's probe asks for unicast answers, and only sees a host that is announcing
        # itself at that moment or whose unicast reply reaches it (on one machine several
        # responders share port 5353 and the kernel hands the reply to any of them). A
        # multicast question for the name itself reaches every responder, and every one hears
        # the answer.
        question = AsyncServiceInfo(SERVICE_TYPE, self.info.name)
        return await question.async_request(
            zeroconf.zeroconf, TAKEN_WAIT_MS, question_type=DNSQuestionType.QM
        )

    async def stop(self) -> None:
        """Withdraw the service and close the responder."""
        if self._zeroconf is None:
            return
        try:
            goodbyes = await self._zeroconf.async_unregister_service(self.info)
            # The goodbye packets go out only while this runs: closing first would drop them,
            # and browsers would list the host until its records expire (up to 75 minutes).
            await goodbyes
        finally:
            await self._zeroconf.async_close()
            self._zeroconf = None


def _instance_name(name: str, number: int = 1) -> str:
    """Return the DNS-SD instance name of an event's name, the `number`th host of that name."""
    # Instance names may hold any UTF-8 but dots confuse some browsers; at most 63 bytes.
    clean = name.replace(".", " ").strip() or "Tallyboard"
    suffix = f" ({number})" if number > 1 else ""
    while len((clean + suffix).encode("utf-8")) > 63:
        clean = clean[:-1]
    return clean.rstrip() + suffix


class Browser:
    """Keep a live list of the hosts advertised on the network; call `on_change` as it changes."""

    def __init__(
        self,
        on_change: Callable[[dict[str, HostInfo]], None] | None = None,
        *,
        interfaces: list[str] | None = None,
    ) -> None:
        self.hosts: dict[str, HostInfo] = {}
        self._on_change = on_change
        self._interfaces = interfaces
        self._zeroconf: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Start browsing."""
        if self._interfaces:
            self._zeroconf = AsyncZeroconf(self._interfaces, ip_version=IPVersion.V4Only)
        else:
            self._zeroconf = AsyncZeroconf(ip_version=IPVersion.V4Only)
        self._browser = AsyncServiceBrowser(
            self._zeroconf.zeroconf, SERVICE_TYPE, handlers=[self._on_state_change]
        )

    async def stop(self) -> None:
        """Stop browsing."""
        for task in list(self._tasks):
            task.cancel()
        if self._browser is not None:
            await self._browser.async_cancel()
            self._browser = None
        if self._zeroconf is not None:
            await self._zeroconf.async_close()
            self._zeroconf = None

    def _on_state_change(
        self, zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is ServiceStateChange.Removed:
            if self.hosts.pop(name, None) is not None:
                self._changed()
            return
        task = asyncio.get_running_loop().create_task(self._resolve(service_type, name))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _resolve(self, service_type: str, name: str) -> None:
        assert self._zeroconf is not None
        info = AsyncServiceInfo(service_type, name)
        if not await info.async_request(self._zeroconf.zeroconf, 3000):
            return
        host = host_from_info(info)
        if host is not None and self.hosts.get(name) != host:
            self.hosts[name] = host
            self._changed()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(dict(self.hosts))


def host_from_info(info: AsyncServiceInfo) -> HostInfo | None:
    """Turn a resolved service into a HostInfo, or None when it is not a protocol-1 host."""
    props = {
        k.decode("utf-8", "replace"): (v or b"").decode("utf-8", "replace")
        for k, v in info.properties.items()
    }
    if props.get("v") != str(PROTOCOL_VERSION) or not info.port:
        return None
    addresses = info.parsed_addresses(IPVersion.V4Only)
    if not addresses:
        return None
    tls = props.get("tls") == "1"
    return HostInfo(
        name=info.name.removesuffix("." + SERVICE_TYPE),
        address=addresses[0],
        port=info.port,
        tls=tls,
        fingerprint=props.get("fp") if tls else None,
        event=props.get("event"),
    )
