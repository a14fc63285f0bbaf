"""Discovery across namespaces: peers find a TLS host over mDNS alone, pin its TXT fingerprint."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from storage.replica import Replica

if TYPE_CHECKING:
    from tests.lan.conftest import Lan

pytestmark = pytest.mark.lan

SERVICE = "_tallyboard._tcp.local"

# A browser that shares no code with sync.discovery: python-zeroconf's own synchronous API.
BROWSE = """
import json, sys, threading
from zeroconf import IPVersion, ServiceBrowser, Zeroconf

SERVICE = "_tallyboard._tcp.local."
names, found = [], threading.Event()

class Listener:
    def add_service(self, zc, kind, name):
        names.append(name)
        found.set()

    def update_service(self, zc, kind, name):
        pass

    def remove_service(self, zc, kind, name):
        pass

zc = Zeroconf(ip_version=IPVersion.V4Only)
try:
    browser = ServiceBrowser(zc, SERVICE, Listener())
    if not found.wait(15):
        sys.exit("no _tallyboard._tcp service within 15 s")
    info = zc.get_service_info(SERVICE, names[0], timeout=5000)
    if info is None:
        sys.exit(f"{names[0]} did not resolve within 5 s")
    browser.cancel()
    print(json.dumps({
        "names": names,
        "name": info.name,
        "port": info.port,
        "addresses": info.parsed_addresses(IPVersion.V4Only),
        "properties": {k.decode(): (v or b"").decode() for k, v in info.properties.items()},
    }))
finally:
    zc.close()
"""


def _fingerprint(host_stdout: str) -> str:
    for line in host_stdout.splitlines():
        if line.strip().startswith("fingerprint"):
            return line.split()[-1]
    raise AssertionError(f"the host printed no fingerprint:\n{host_stdout}")


def _allowed_teams(snapshot: dict[str, Any], judge_id: str) -> set[str]:
    judge = next(j for j in snapshot["judges"] if j["id"] == judge_id)
    return {t["id"] for t in snapshot["teams"]} - set(judge["conflicts"])


@pytest.mark.timeout(150)
def test_peers_find_a_tls_host_in_another_namespace_over_mdns_and_every_op_is_accepted(
    make_lan: Callable[..., Lan], tmp_path: Path
) -> None:
    lan = make_lan("a", "b")
    a, b = lan["a"], lan["b"]
    db = tmp_path / "host.db"
    host = lan.start_host(a, db, "--demo")
    fingerprint = _fingerprint(host.stdout())
    judges = [c for c in lan.codes(a, db) if c["role"] == "judge"]
    assert len(judges) == 4
    codes = tmp_path / "codes.json"
    codes.write_text(json.dumps(judges), encoding="utf-8")

    # What the host advertises, seen from the other namespace by an independent browser.
    seen = lan.run(b, [sys.executable, "-c", BROWSE], timeout=30)
    assert seen.returncode == 0, f"{seen.stderr}\n{host.describe()}"
    ad = json.loads(seen.stdout)
    assert ad["name"] == f"Harbour Hack 2026.{SERVICE}."
    assert ad["port"] == 8765
    assert ad["addresses"] == [a.address]
    event_id = lan.export(a, db)["event"]["id"]
    assert ad["properties"] == {"v": "1", "event": event_id, "tls": "1", "fp": fingerprint}

    data = tmp_path / "judges"
    result = lan.run_main(
        b,
        ["rehearse", "--codes", str(codes), "--data", str(data), "--timeout", "60"],
        timeout=90,
    )
    assert result.returncode == 0, f"{result.stderr}\n{host.describe()}"
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["judges"] == 4
    assert summary["ops"] > 0
    assert summary["accepted"] == summary["ops"]
    assert summary["rejected"] == 0

    # Each judge found the host by mDNS (no address was given) and pinned the TXT fingerprint.
    for judge in judges:
        replica = Replica.open(data / f"judge-{judge['id']}.db", create=False)
        try:
            assert replica.setting("host_target") == f"{a.address}:8765"
            assert replica.setting("host_fp") == fingerprint
            assert replica.setting("host_event") == event_id
            assert replica.pending_count() == 0
        finally:
            replica.close()

    assert host.terminate() == 0, host.describe()
    snapshot = lan.export(a, db)
    for judge in judges:
        finals = [s["team"] for s in snapshot["sheets"] if s["judge"] == judge["id"] and s["final"]]
        assert sorted(finals) == sorted(_allowed_teams(snapshot, judge["id"])), judge["id"]
    assert len(snapshot["sheets"]) == summary["ops"] // 2  # a draft, then the final, per sheet


@pytest.mark.skipif(shutil.which("dig") is None, reason="dig is not installed (bind9-dnsutils)")
def test_dig_in_another_namespace_reads_the_hosts_dns_sd_records(
    make_lan: Callable[..., Lan], tmp_path: Path
) -> None:
    lan = make_lan("a", "b")
    a, b = lan["a"], lan["b"]
    host = lan.start_host(a, tmp_path / "host.db", "--demo", "--port", "9443")
    fingerprint = _fingerprint(host.stdout())

    def dig(name: str, kind: str) -> list[str]:
        result = lan.run(
            b,
            ["dig", "+short", "+time=2", "+tries=3", "-p", "5353", f"@{a.address}", name, kind],
            timeout=20,
        )
        assert result.returncode == 0, f"dig {name} {kind}: {result.stdout}{result.stderr}"
        return result.stdout.split("\n")[:-1]

    instance = "Harbour\\032Hack\\0322026." + SERVICE
    assert dig(SERVICE, "PTR") == [instance + "."]
    (srv,) = dig(instance, "SRV")
    _priority, _weight, port, target = srv.split()
    assert port == "9443"
    assert dig(target, "A") == [a.address]
    (txt,) = dig(instance, "TXT")
    fields = {part.strip('"') for part in txt.split()}
    assert {"v=1", "tls=1", f"fp={fingerprint}"} <= fields
    assert any(f.startswith("event=") for f in fields)


# Every host advertised within a few seconds, resolved: again python-zeroconf's own sync API.
BROWSE_ALL = """
import json, sys, time
from zeroconf import IPVersion, ServiceBrowser, Zeroconf

SERVICE = "_tallyboard._tcp.local."
names = set()

class Listener:
    def add_service(self, zc, kind, name):
        names.add(name)

    def update_service(self, zc, kind, name):
        pass

    def remove_service(self, zc, kind, name):
        pass

zc = Zeroconf(ip_version=IPVersion.V4Only)
try:
    browser = ServiceBrowser(zc, SERVICE, Listener())
    deadline = time.monotonic() + 15
    while len(names) < int(sys.argv[1]) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2)  # a third one would have shown by now
    browser.cancel()
    found = {}
    for name in sorted(names):
        info = zc.get_service_info(SERVICE, name, timeout=5000)
        if info is None:
            sys.exit(f"{name} did not resolve within 5 s")
        found[name] = {
            "port": info.port,
            "addresses": info.parsed_addresses(IPVersion.V4Only),
            "properties": {k.decode(): (v or b"").decode() for k, v in info.properties.items()},
        }
    print(json.dumps(found))
finally:
    zc.close()
"""


@pytest.mark.timeout(200)
def test_two_hosts_of_one_event_name_are_both_found_and_each_judge_syncs_with_its_own(
    make_lan: Callable[..., Lan],
    converged: Callable[[Path, list[Path]], dict[str, int]],
    tmp_path: Path,
) -> None:
    lan = make_lan("a", "b", "c")
    a, b, c = lan["a"], lan["b"], lan["c"]
    rooms = {}
    for node in (a, b):  # one after the other, as two rooms' organisers would start them
        db = tmp_path / f"host-{node.name}.db"
        host = lan.start_host(node, db, "--demo")
        event = lan.export(node, db)["event"]
        judge = next(e for e in lan.codes(node, db) if e["role"] == "judge")
        rooms[node.name] = (node, db, host, event["id"], _fingerprint(host.stdout()), judge)
    assert rooms["a"][3] != rooms["b"][3], "two --demo hosts must be two events"

    seen = lan.run(c, [sys.executable, "-c", BROWSE_ALL, "2"], timeout=40)
    assert seen.returncode == 0, seen.stderr
    ads = json.loads(seen.stdout)
    name = "Harbour Hack 2026"
    assert sorted(ads) == [f"{name} (2).{SERVICE}.", f"{name}.{SERVICE}."], ads
    by_event = {ad["properties"]["event"]: ad for ad in ads.values()}
    for node, _db, _host, event_id, fingerprint, _judge in rooms.values():
        assert by_event[event_id]["addresses"] == [node.address]
        assert by_event[event_id]["properties"]["fp"] == fingerprint

    # One judge of each room, on one laptop, finds its host by mDNS alone (no address given):
    # the fingerprint from the organiser's console says which of the two is its own.
    runs = {}
    for room, (_node, _db, _host, _event, fingerprint, judge) in rooms.items():
        codes = tmp_path / f"codes-{room}.json"
        codes.write_text(json.dumps([judge]), encoding="utf-8")
        args = ["rehearse", "--codes", str(codes), "--data", str(tmp_path / f"judge-{room}")]
        args += ["--fingerprint", fingerprint, "--timeout", "60"]
        runs[room] = lan.start_main(c, args, f"rehearse-{room}")
    for room, proc in runs.items():
        assert proc.wait(90) == 0, f"{proc.describe()}\n{rooms[room][2].describe()}"
        summary = json.loads(proc.stdout().strip().splitlines()[-1])
        assert summary["ops"] > 0
        assert summary["accepted"] == summary["ops"], summary

    judge_dbs, devices = {}, {}
    for room, (node, _db, _host, event_id, fingerprint, judge) in rooms.items():
        judge_dbs[room] = tmp_path / f"judge-{room}" / f"judge-{judge['id']}.db"
        replica = Replica.open(judge_dbs[room], create=False)
        try:
            assert replica.setting("host_event") == event_id
            assert replica.setting("host_fp") == fingerprint
            assert replica.setting("host_target") == f"{node.address}:8765"
            devices[room] = replica.device_id
        finally:
            replica.close()
    for room, other in (("a", "b"), ("b", "a")):
        _node, db, host, *_rest = rooms[room]
        assert host.terminate() == 0, host.describe()
        converged(db, [judge_dbs[room]])
        hosted = Replica.open(db, create=False)
        try:
            assert devices[other] not in hosted.vv(), f"host {room} holds ops of room {other}"
            stray = hosted.db.execute_sql(
                "SELECT count(*) FROM op WHERE device = ?", (devices[other],)
            ).fetchone()[0]
            assert stray == 0, f"host {room} holds ops of room {other}'s judge"
        finally:
            hosted.close()
