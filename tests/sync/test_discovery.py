"""Tests for discovery: typed addresses, advertised addresses, and mDNS on loopback."""

from __future__ import annotations

import asyncio
import re
import shutil
import time
import uuid
from collections.abc import Callable
from types import SimpleNamespace

import ifaddr
import pytest

from sync.discovery import (
    SERVICE_TYPE,
    Advertiser,
    Browser,
    HostInfo,
    JoinLink,
    _instance_name,
    parse_join_link,
    parse_target,
    serving_addresses,
)

FP = "0123456789abcdef" * 4
LOOPBACK = "127.0.0.1"
FOUND_WITHIN = 6.0  # seconds for a browser to list (or drop) a host on loopback


# --- typed targets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("192.168.1.20", ("192.168.1.20", 8765)),
        ("192.168.1.20:9000", ("192.168.1.20", 9000)),
        ("  judge-host.local:8765 \n", ("judge-host.local", 8765)),
        ("host.local", ("host.local", 8765)),
        ("[::1]:9000", ("::1", 9000)),
        ("[fe80::1%eth0]:1", ("fe80::1%eth0", 1)),
        ("[::1]", ("::1", 8765)),
        ("::1", ("::1", 8765)),
        ("fd00::2", ("fd00::2", 8765)),
        ("host:65535", ("host", 65535)),
    ],
)
def test_parse_target_reads_what_users_type(text: str, expected: tuple[str, int]) -> None:
    assert parse_target(text) == expected


def test_parse_target_uses_the_given_default_port() -> None:
    assert parse_target("host", default_port=9999) == ("host", 9999)
    assert parse_target("[::1]", default_port=9999) == ("::1", 9999)


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_parse_target_refuses_nothing_and_says_what_to_type(text: str) -> None:
    with pytest.raises(ValueError, match=r"type the host's address, like 192\.168\.1\.20:8765"):
        parse_target(text)


@pytest.mark.parametrize("text", [":8765", "[]:8765", "[]"])
def test_parse_target_refuses_a_missing_host(text: str) -> None:
    with pytest.raises(ValueError, match="no host name"):
        parse_target(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [("host:http", "'http'"), ("host:87a5", "'87a5'"), ("[::1]:x", "'x'"), ("host:1.5", "'1.5'")],
)
def test_parse_target_refuses_a_port_that_is_not_a_number(text: str, shown: str) -> None:
    with pytest.raises(ValueError, match=f"{re.escape(shown)} is not a port number"):
        parse_target(text)


@pytest.mark.parametrize(
    ("text", "port"), [("host:0", 0), ("host:70000", 70000), ("host:65536", 65536), ("[::1]:0", 0)]
)
def test_parse_target_refuses_a_port_out_of_range(text: str, port: int) -> None:
    with pytest.raises(ValueError, match=rf"^{port} is not a port number \(1-65535\)$"):
        parse_target(text)


@pytest.mark.parametrize(
    ("host", "target"),
    [
        (HostInfo("A", "192.168.1.20", 8765, True), "192.168.1.20:8765"),
        (HostInfo("A", "host.local", 9000, False), "host.local:9000"),
        (HostInfo("A", "::1", 8765, True), "[::1]:8765"),
        (HostInfo("A", "fe80::1", 1, True), "[fe80::1]:1"),
    ],
)
def test_host_target_is_what_a_user_would_type(host: HostInfo, target: str) -> None:
    assert host.target == target
    assert parse_target(host.target) == (host.address, host.port)


# --- advertised addresses ----------------------------------------------------------------------


def _adapters(*ips: object) -> Callable[[], list[SimpleNamespace]]:
    return lambda: [SimpleNamespace(ips=[SimpleNamespace(ip=ip) for ip in ips])]


@pytest.mark.parametrize("bind", ["192.168.1.20", LOOPBACK, "10.0.0.7"])
def test_serving_addresses_of_a_specific_bind_is_that_address(bind: str) -> None:
    assert serving_addresses(bind) == [bind]


@pytest.mark.parametrize("bind", ["0.0.0.0", "", "::"])
def test_serving_addresses_of_every_interface_are_the_non_loopback_ipv4_ones(
    bind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _adapters(
        LOOPBACK, "192.168.1.20", ("fe80::1", 0, 2), "10.0.0.7", "127.0.1.1", "192.168.1.20"
    )
    monkeypatch.setattr(ifaddr, "get_adapters", fake)
    assert serving_addresses(bind) == ["10.0.0.7", "192.168.1.20"]


def test_serving_addresses_fall_back_to_loopback_when_there_is_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ifaddr, "get_adapters", _adapters(LOOPBACK, ("::1", 0, 0)))
    assert serving_addresses("0.0.0.0") == [LOOPBACK]


def test_serving_addresses_of_this_machine_are_ipv4_and_reachable() -> None:
    addresses = serving_addresses("0.0.0.0")
    assert addresses
    assert all(re.fullmatch(r"\d+\.\d+\.\d+\.\d+", address) for address in addresses)
    assert addresses == [LOOPBACK] or not any(a.startswith("127.") for a in addresses)


# --- instance names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "instance"),
    [
        ("Regional Finals", "Regional Finals"),
        ("Finals 2024.1", "Finals 2024 1"),
        ("Hack.the.Planet.", "Hack the Planet"),
        ("Régional ✨ Zoë", "Régional ✨ Zoë"),
        ("...", "Tallyboard"),
        ("", "Tallyboard"),
        ("a" * 100, "a" * 63),
        ("é" * 40, "é" * 31),
        ("🎉" * 20, "🎉" * 15),
        ("日本語" * 10, "日本語" * 7),
    ],
)
def test_advertised_instance_name_is_a_valid_dns_label(name: str, instance: str) -> None:
    advertiser = Advertiser(name, 8765, event_id=str(uuid.uuid4()), fingerprint=FP, bind=LOOPBACK)
    assert advertiser.info.name == f"{instance}.{SERVICE_TYPE}"
    assert "." not in instance
    assert 1 <= len(instance.encode("utf-8")) <= 63


def test_advertised_txt_record_follows_the_protocol() -> None:
    event = str(uuid.uuid4())
    secure = Advertiser("A", 8765, event_id=event, fingerprint=FP, bind=LOOPBACK)
    assert secure.info.properties == {
        b"v": b"1",
        b"event": event.encode(),
        b"tls": b"1",
        b"fp": FP.encode(),
    }
    plain = Advertiser("A", 8765, event_id=event, fingerprint=None, bind=LOOPBACK)
    assert plain.info.properties == {b"v": b"1", b"event": event.encode(), b"tls": b"0"}
    assert secure.info.port == plain.info.port == 8765


# --- mDNS on loopback --------------------------------------------------------------------------


async def _until(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass; tell whether it held."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def _mine(hosts: dict[str, HostInfo], event: str) -> list[HostInfo]:
    return [host for host in hosts.values() if host.event == event]


async def _round_trip(name: str, fingerprint: str | None) -> None:
    event = str(uuid.uuid4())
    changes: list[dict[str, HostInfo]] = []
    advertiser = Advertiser(name, 8799, event_id=event, fingerprint=fingerprint, bind=LOOPBACK)
    browser = Browser(changes.append, interfaces=[LOOPBACK])
    await advertiser.start()
    try:
        await browser.start()
        assert await _until(lambda: bool(_mine(browser.hosts, event)), FOUND_WITHIN), (
            f"the browser did not find the host within {FOUND_WITHIN} s"
        )
        [host] = _mine(browser.hosts, event)
        instance = advertiser.info.name.removesuffix("." + SERVICE_TYPE)
        assert host == HostInfo(
            name=instance,
            address=LOOPBACK,
            port=8799,
            tls=fingerprint is not None,
            fingerprint=fingerprint,
            event=event,
        )
        assert any(_mine(change, event) == [host] for change in changes)

        await advertiser.stop()
        assert await _until(lambda: not _mine(browser.hosts, event), FOUND_WITHIN), (
            f"the host was still listed {FOUND_WITHIN} s after it stopped advertising"
        )
        assert not _mine(changes[-1], event)
    finally:
        await advertiser.stop()
        await browser.stop()


def test_browser_finds_a_secure_host_and_drops_it_when_it_stops() -> None:
    asyncio.run(_round_trip(f"Régional 2.0 ✨ {uuid.uuid4().hex[:6]}", FP))


def test_browser_finds_a_plain_host_without_fingerprint() -> None:
    asyncio.run(_round_trip(f"Plain demo {uuid.uuid4().hex[:6]}", None))


def test_advertiser_stop_twice_is_harmless() -> None:
    async def run() -> None:
        advertiser = Advertiser(
            "Twice", 8799, event_id=str(uuid.uuid4()), fingerprint=None, bind=LOOPBACK
        )
        await advertiser.stop()  # never started
        await advertiser.start()
        await advertiser.stop()
        await advertiser.stop()

    asyncio.run(run())


async def _dig(*query: str) -> list[str]:
    """Ask the mDNS responders on loopback by unicast; return the `+short` answer lines.

    Several responders may share port 5353 (SO_REUSEPORT spreads unicast queries among them),
    so a query that found nothing is retried a few times, from a new source port each time.
    """
    for _ in range(6):
        process = await asyncio.create_subprocess_exec(
            "dig",
            "-p",
            "5353",
            f"@{LOOPBACK}",
            *query,
            "+short",
            "+tries=1",
            "+time=1",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, _ = await asyncio.wait_for(process.communicate(), 15)
        lines = [line for line in out.decode().splitlines() if line and not line.startswith(";")]
        if lines:
            return lines
    return []


@pytest.mark.skipif(
    shutil.which("dig") is None,
    reason="dig is not installed (Debian: apt-get install bind9-dnsutils); "
    "the Browser round trip tests check the advertisement without it",
)
def test_dig_sees_the_advertised_ptr_srv_and_txt_records() -> None:
    event = str(uuid.uuid4())

    async def run() -> None:
        advertiser = Advertiser(
            f"Dig check 1.0 {event[:6]}", 8798, event_id=event, fingerprint=FP, bind=LOOPBACK
        )
        await advertiser.start()
        try:
            instance = f"Dig\\032check\\0321\\0320\\032{event[:6]}.{SERVICE_TYPE}"
            pointers = await _dig("_tallyboard._tcp.local", "PTR")
            assert instance in pointers, pointers
            srv = await _dig(instance, "SRV")
            assert srv == [f"0 0 8798 tallyboard-{event[:8]}.local."]
            address = await _dig(f"tallyboard-{event[:8]}.local", "A")
            assert address == [LOOPBACK]
            [txt] = await _dig(instance, "TXT")
            assert sorted(re.findall(r'"([^"]*)"', txt)) == sorted(
                ["v=1", f"event={event}", "tls=1", f"fp={FP}"]
            )
        finally:
            await advertiser.stop()

    asyncio.run(run())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ws://10.0.0.5:8765/sync", ("10.0.0.5", 8765)),
        ("WSS://host.local:9000/sync", ("host.local", 9000)),
        ("wss://[fe80::1]:8765/sync", ("fe80::1", 8765)),
    ],
)
def test_a_pasted_sync_url_means_its_host_and_port(typed: str, expected: tuple[str, int]) -> None:
    assert parse_target(typed) == expected


@pytest.mark.parametrize("typed", ["[::1", "[::1]8765", "host:8_765", "host:+80", "host:٨٠"])
def test_malformed_targets_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match=r"port number|IPv6|host name"):
        parse_target(typed)


def test_a_join_link_round_trips_with_code_pin_and_tls() -> None:
    link = JoinLink("10.0.0.5:8765", "K7QF-M2XD", "AB" * 32, True)
    parsed = parse_join_link(f"  {link}\n")
    assert parsed.target == "10.0.0.5:8765"
    assert parsed.code == "K7QF-M2XD"
    assert parsed.fingerprint == "ab" * 32
    assert parsed.secure is True
    plain = parse_join_link("tallyboard://[::1]:9000/join?tls=0")
    assert (plain.target, plain.code, plain.fingerprint, plain.secure) == (
        "[::1]:9000",
        None,
        None,
        False,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("https://10.0.0.5:8765/join", "starts with tallyboard://"),
        ("tallyboard:///join?code=X", "starts with tallyboard://"),
        ("tallyboard://h:8765/join?fp=abc", "64 hex digits"),
        ("tallyboard://h:99999/join", "not a port number"),
    ],
)
def test_a_bad_join_link_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_join_link(text)


def test_instance_names_cut_to_63_bytes_end_without_a_space() -> None:
    assert not _instance_name("A" * 62 + " é and more").endswith(" ")


# --- two rooms with one event name (issue 15, item 15) -----------------------------------------


async def _two_of_one_name(name: str, gap: float = 0.0) -> tuple[Advertiser, Advertiser]:
    """Advertise two hosts of one event name and two event ids on loopback; browse both."""
    first = Advertiser(name, 8796, event_id=str(uuid.uuid4()), fingerprint=FP, bind=LOOPBACK)
    second = Advertiser(name, 8797, event_id=str(uuid.uuid4()), fingerprint=None, bind=LOOPBACK)
    browser = Browser(interfaces=[LOOPBACK])
    await first.start()
    try:
        await asyncio.sleep(gap)
        await second.start()
        try:
            await browser.start()
            both = lambda: all(_mine(browser.hosts, a.event_id) for a in (first, second))  # noqa: E731
            assert await _until(both, FOUND_WITHIN), f"the browser saw only {list(browser.hosts)}"
            for advertiser in (first, second):
                [host] = _mine(browser.hosts, advertiser.event_id)
                assert host.name == advertiser.instance
                assert host.port == advertiser.info.port
        finally:
            await browser.stop()
            await second.stop()
    finally:
        await first.stop()
    return first, second


def test_a_second_host_of_the_same_name_is_renamed_and_both_are_listed() -> None:
    name = f"Science Fair {uuid.uuid4().hex[:6]}"
    # Started 2.5 s later, when the first host has long stopped announcing itself: only
    # asking the network finds the name taken (zeroconf's own probe did not, on loopback).
    first, second = asyncio.run(_two_of_one_name(name, gap=2.5))
    assert first.instance == name
    assert second.instance == f"{name} (2)"


def test_a_renamed_host_of_a_63_byte_name_still_has_a_valid_name() -> None:
    name = uuid.uuid4().hex[:8] + " Regional Science and Engineering Fair 2026 Hall"
    name = name + "x" * (63 - len(name))
    assert len(name.encode("utf-8")) == 63
    first, second = asyncio.run(_two_of_one_name(name))
    assert first.instance == name
    assert second.instance.endswith(" (2)")
    assert len(second.instance.encode("utf-8")) <= 63
    assert second.instance.removesuffix(" (2)") in name


@pytest.mark.parametrize(
    ("name", "number", "instance"),
    [
        ("Science Fair", 1, "Science Fair"),
        ("Science Fair", 2, "Science Fair (2)"),
        ("Fair 2.0", 12, "Fair 2 0 (12)"),
        ("a" * 63, 3, "a" * 59 + " (3)"),
        ("a" * 58 + " bcde", 2, "a" * 58 + " (2)"),
        ("é" * 40, 2, "é" * 29 + " (2)"),
    ],
)
def test_renamed_instance_names_number_the_event_name_within_63_bytes(
    name: str, number: int, instance: str
) -> None:
    assert _instance_name(name, number) == instance
