"""The peer link against a real host: pairing, outbox across outages, pinning, restarts, SIGKILL."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

from storage.replica import Replica
from sync.discovery import Advertiser, HostInfo, parse_join_link
from sync.peer import LinkStatus, PeerConfig, PeerLink, pick_host
from sync.server import HostConfig, HostServer
from sync.tls import fingerprint_pem, make_certificate, server_context
from tests.kit import Cleanup, Codes, closing, demo_replica, free_port, loopback, run, until

ROOT = Path(__file__).resolve().parents[2]
CRITERIA = ("innovation", "design", "execution")
TEAMS = ("team-aurora", "team-basalt", "team-cobalt", "team-driftwood", "team-ember")


def body(team: str, score: int = 80, *, final: bool = True) -> dict[str, Any]:
    return {"team": team, "scores": dict.fromkeys(CRITERIA, score), "comment": "", "final": final}


def demo_host(c: Cleanup, path: Path) -> tuple[Replica, Codes]:
    """Open a demo host replica that `c` closes at the end."""
    replica, codes = demo_replica(path)
    return c.replica(replica), codes


def server(replica: Replica, port: int, *, secure: bool = False) -> HostServer:
    return HostServer(replica, loopback(port=port, secure=secure))


def link(replica: Replica, port: int, code: str | None = None, *, secure: bool = False) -> PeerLink:
    config = PeerConfig(code=code, target=f"127.0.0.1:{port}", secure=secure, rng_seed=7)
    return PeerLink(replica, config)


def test_a_peer_pairs_once_then_comes_back_with_its_token(tmp_path: Path) -> None:
    async def main(c: Cleanup) -> None:
        host, codes = demo_host(c, tmp_path / "host.db")
        port = free_port()
        hub = server(host, port)
        await c.serve(hub)
        judge = c.replica(Replica.open(tmp_path / "judge.db"))
        first = link(judge, port, codes[("judge", "judge-ada")])
        task = c.task(first)
        await first.wait_online(10)
        assert first.status.role == "judge"
        assert first.paired
        await first.stop()
        await task
        again = link(judge, port)  # no code this time
        task = c.task(again)
        await again.wait_online(10)
        assert (again.status.role, again.status.subject) == ("judge", "judge-ada")
        await again.stop()
        await task
        await hub.stop()
        judge.close()
        host.close()

    run(closing(main))


def test_wrong_code_leaves_the_link_refused_with_a_reason(tmp_path: Path) -> None:
    async def main(c: Cleanup) -> None:
        host, _ = demo_host(c, tmp_path / "host.db")
        port = free_port()
        hub = server(host, port)
        await c.serve(hub)
        judge = c.replica(Replica.open(tmp_path / "judge.db"))
        peer = link(judge, port, "ABCD-EFGH")
        await asyncio.wait_for(peer.run(), 10)  # returns: retrying would not help
        assert peer.status.state == "refused"
        assert "join code" in peer.status.last_error
        await hub.stop()
        judge.close()
        host.close()

    run(closing(main))


def test_pending_ops_are_counted_while_the_host_is_down_and_sent_when_it_returns(
    tmp_path: Path,
) -> None:
    async def main(c: Cleanup) -> None:
        host, codes = demo_host(c, tmp_path / "host.db")
        port = free_port()
        hub = server(host, port)
        await c.serve(hub)
        judge = c.replica(Replica.open(tmp_path / "judge.db"))
        peer = link(judge, port, codes[("judge", "judge-ada")])
        seen: list[LinkStatus] = []
        peer.on_status.append(seen.append)
        task = c.task(peer)
        await peer.wait_online(10)
        await hub.stop()
        await until(lambda: peer.status.state == "offline")
        assert peer.status.last_error
        for team in TEAMS[:3]:
            judge.make("sheet.save", body(team), "judge-ada")
            peer.saved()
        assert peer.status.pending == 3
        assert {s.pending for s in seen if s.state == "offline"} >= {3}

        hub = server(host, port)
        await c.serve(hub)
        await until(lambda: peer.status.state == "online" and peer.status.pending == 0)
        assert judge.pending_count() == 0
        assert {s["team"] for s in host.state.sheets()} == set(TEAMS[:3])
        await peer.stop()
        await task
        await hub.stop()
        judge.close()
        host.close()

    run(closing(main))


def test_a_display_restarted_without_a_host_shows_the_last_board(tmp_path: Path) -> None:
    async def main(c: Cleanup) -> None:
        host, codes = demo_host(c, tmp_path / "host.db")
        port = free_port()
        hub = server(host, port)
        await c.serve(hub)
        display = c.replica(Replica.open(tmp_path / "display.db"))
        peer = link(display, port, codes[("display", None)])
        task = c.task(peer)
        await peer.wait_online(10)
        await until(lambda: peer.last_board is not None)
        board = peer.last_board
        await peer.stop()
        await task
        display.close()
        await hub.stop()
        host.close()

        reopened = c.replica(Replica.open(tmp_path / "display.db"))
        alone = link(reopened, port)  # nobody listens on that port now
        assert alone.last_board == board
        task = c.task(alone)
        await until(lambda: alone.status.state == "offline")
        assert alone.last_board == board
        await alone.stop()
        await task
        reopened.close()

    run(closing(main))


def test_a_changed_host_certificate_is_refused_before_any_secret_is_sent(tmp_path: Path) -> None:
    async def main(c: Cleanup) -> None:
        host, codes = demo_host(c, tmp_path / "host.db")
        port = free_port()
        hub = server(host, port, secure=True)
        await c.serve(hub)
        judge = c.replica(Replica.open(tmp_path / "judge.db"))
        peer = link(judge, port, codes[("judge", "judge-ada")], secure=True)
        task = c.task(peer)
        await peer.wait_online(10)
        assert judge.setting("host_fp") == hub.fingerprint
        await hub.stop()
        await until(lambda: peer.status.state == "offline")

        impostor_db, _ = demo_host(c, tmp_path / "impostor.db")
        impostor = server(impostor_db, port, secure=True)
        assert impostor.fingerprint != hub.fingerprint
        await c.serve(impostor)
        await until(lambda: peer.status.offered_fp == impostor.fingerprint, 20)
        assert peer.status.state == "refused"
        assert "certificate changed" in peer.status.last_error
        await peer.stop()  # it would go on trying, offering the new certificate (8a)
        await task
        seen = impostor_db.db.execute_sql("SELECT count(*) FROM device_seen").fetchone()[0]
        assert seen == 0  # the impostor never got a hello, so never a token
        await impostor.stop()
        impostor_db.close()
        judge.close()
        host.close()

    run(closing(main))


def test_a_clock_more_than_a_minute_off_the_hosts_is_reported(tmp_path: Path) -> None:
    async def main(c: Cleanup) -> None:
        host, codes = demo_host(c, tmp_path / "host.db")
        port = free_port()
        hub = server(host, port)
        await c.serve(hub)
        ahead = c.replica(
            Replica.open(tmp_path / "judge.db", now=lambda: host.clock._now() + 120_000)
        )
        peer = link(ahead, port, codes[("judge", "judge-ada")])
        task = c.task(peer)
        await peer.wait_online(10)
        assert peer.status.clock_offset_ms is not None
        assert -125_000 < peer.status.clock_offset_ms < -115_000
        assert peer.status.clock_warning
        await peer.stop()
        await task
        await hub.stop()
        ahead.close()
        host.close()

    run(closing(main))


def _start_host(db: Path, port: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "host",
            "--headless",
            "--insecure",
            "--no-mdns",
            "--no-web",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            str(db),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "listening" in line:
            return process
    raise AssertionError("the host did not start")


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert process.stdout is not None
    process.stdout.close()


def test_a_host_killed_mid_stream_and_restarted_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "host.db"
    host, codes = demo_replica(db)
    host.close()
    port = free_port()

    async def main(c: Cleanup) -> None:
        process = _start_host(db, port)
        judge = c.replica(Replica.open(tmp_path / "judge.db"))
        peer = link(judge, port, codes[("judge", "judge-ada")])
        task = c.task(peer)
        try:
            await peer.wait_online(10)
            made = 0
            for round_no in range(120):
                team = TEAMS[round_no % len(TEAMS)]
                judge.make(
                    "sheet.save", body(team, round_no % 101, final=round_no % 3 == 0), "judge-ada"
                )
                made += 1
                peer.saved()
                await asyncio.sleep(0.005)
                if round_no == 40:
                    await asyncio.to_thread(_kill, process)  # SIGKILL, mid-stream
                if round_no == 80:
                    process = await asyncio.to_thread(_start_host, db, port)
            await until(lambda: judge.pending_count() == 0, 30)
        finally:
            await peer.stop()
            await task
            await asyncio.to_thread(_kill, process)
        assert judge.vv()[judge.device_id] == made
        hosted = c.replica(Replica.open(db))
        assert hosted.vv()[judge.device_id] == made
        mine = hosted.db.execute_sql(
            "SELECT count(*), count(DISTINCT id), sum(status = 'accepted') FROM op"
            " WHERE device = ?",
            (judge.device_id,),
        ).fetchone()
        assert mine == (made, made, made)
        assert hosted.state.sheets() == judge.state.sheets()
        hosted.close()
        judge.close()

    run(closing(main))


def test_a_host_restored_from_an_older_copy_regains_the_ops_it_lost(tmp_path: Path) -> None:
    async def main(c: Cleanup) -> None:
        db = tmp_path / "host.db"
        host, codes = demo_host(c, db)
        port = free_port()
        hub = server(host, port)
        await c.serve(hub)
        judge = c.replica(Replica.open(tmp_path / "judge.db"))
        peer = link(judge, port, codes[("judge", "judge-ada")])
        task = c.task(peer)
        await peer.wait_online(10)
        old_copy = tmp_path / "backup.db"
        copy = sqlite3.connect(old_copy)
        host.db.connection().backup(copy)  # taken before the sheets
        copy.close()
        for team in TEAMS[:3]:
            judge.make("sheet.save", body(team), "judge-ada")
            peer.saved()
        await until(lambda: judge.pending_count() == 0)
        await hub.stop()
        host.close()

        restored = c.replica(Replica.open(old_copy))
        assert restored.state.sheets() == []
        hub = server(restored, port)
        await c.serve(hub)
        judge.make("sheet.save", body(TEAMS[3]), "judge-ada")  # n=4: the restored host lacks 1-3
        peer.saved()
        await until(lambda: len(restored.state.sheets()) == 4 and judge.pending_count() == 0)
        assert restored.state.sheets() == judge.state.sheets()
        assert not judge.rejected()
        await peer.stop()
        await task
        await hub.stop()
        restored.close()
        judge.close()

    run(closing(main))


# --- a pinned peer never downgrades (issue 15, item 6) -----------------------------------------


class RogueHost:
    """A plain ws:// server that records every handshake and frame it is sent."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handshakes: list[str] = []
        self.frames: list[str] = []
        self._server: Any = None

    async def start(self) -> None:
        def record(connection: Any, request: Any) -> None:
            self.handshakes.append(request.path)

        async def handler(ws: Any) -> None:
            with contextlib.suppress(ConnectionClosed):
                async for frame in ws:
                    self.frames.append(str(frame))

        self._server = await serve(handler, "127.0.0.1", self.port, process_request=record)

    async def stop(self) -> None:
        self._server.close()
        await self._server.wait_closed()

    def heard(self, secret: str) -> bool:
        """Tell whether any frame it was sent holds `secret`."""
        return any(secret in frame for frame in self.frames)


async def pinned_judge(c: Cleanup, tmp_path: Path) -> tuple[Replica, Replica, HostServer, int]:
    """Pair a judge with a TLS host (so it pins it), then stop the host; return both replicas."""
    host, codes = demo_host(c, tmp_path / "host.db")
    port = free_port()
    hub = server(host, port, secure=True)
    await c.serve(hub)
    judge = c.replica(Replica.open(tmp_path / "judge.db"))
    peer = link(judge, port, codes[("judge", "judge-ada")], secure=True)
    task = c.task(peer)
    await peer.wait_online(10)
    await peer.stop()
    await task
    await hub.stop()
    assert judge.setting("host_fp") == hub.fingerprint
    assert judge.setting("token")
    return host, judge, hub, port


def test_a_pinned_peer_never_follows_a_plain_advertisement_of_its_event(tmp_path: Path) -> None:
    async def main(c: Cleanup) -> None:
        host, judge, _, port = await pinned_judge(c, tmp_path)
        token = judge.setting("token")
        assert token is not None
        rogue = RogueHost(free_port())
        await c.serve(rogue)
        # The rogue advertises the victim's own event id, without TLS, on the same network.
        advert = Advertiser(
            "Harbour Hack 2026",
            rogue.port,
            event_id=str(judge.setting("host_event")),
            fingerprint=None,
            bind="127.0.0.1",
        )
        await c.serve(advert)
        peer = PeerLink(judge, PeerConfig(browse_interfaces=["127.0.0.1"], rng_seed=7))
        task = c.task(peer)
        try:
            await until(lambda: "without TLS" in peer.status.last_error or rogue.frames, 20)
            assert not rogue.heard(token), "the pinned judge sent its token over plain ws://"
            assert rogue.handshakes == []
            assert rogue.frames == []
            assert peer.status.state in ("searching", "offline")
            assert f"127.0.0.1:{rogue.port}" in peer.status.last_error

            # The real host comes back at the address the judge remembers: judging goes on.
            hub = server(host, port, secure=True)
            await c.serve(hub)
            peer.poke()
            await peer.wait_online(20)
            await hub.stop()
        finally:
            await peer.stop()
            await task
            await advert.stop()
            await rogue.stop()
        assert rogue.handshakes == []
        assert rogue.frames == []
        judge.close()
        host.close()

    run(closing(main))


def _plain_join_link(port: int) -> PeerConfig:
    joined = parse_join_link(f"tallyboard://127.0.0.1:{port}/join?tls=0")
    return PeerConfig(target=joined.target, secure=joined.secure, fingerprint=joined.fingerprint)


def _typed_ws_url(port: int) -> PeerConfig:
    return PeerConfig(target=f"ws://127.0.0.1:{port}/sync", secure=False)


@pytest.mark.parametrize("asked", [_typed_ws_url, _plain_join_link], ids=["typed", "link"])
def test_a_pinned_peer_asked_for_plain_ws_speaks_tls_only(
    tmp_path: Path, asked: Callable[[int], PeerConfig]
) -> None:
    async def main(c: Cleanup) -> None:
        host, judge, _, port = await pinned_judge(c, tmp_path)
        token = judge.setting("token")
        assert token is not None
        rogue = RogueHost(free_port())
        await c.serve(rogue)
        peer = PeerLink(judge, replace(asked(rogue.port), rng_seed=7, open_timeout=2.0))
        task = c.task(peer)
        try:
            await until(lambda: peer.status.state == "offline" or bool(rogue.frames), 20)
            assert not rogue.heard(token), "the pinned judge sent its token over plain ws://"
            assert rogue.handshakes == []
            assert rogue.frames == []
            assert "TLS" in peer.status.last_error
        finally:
            await peer.stop()
            await task
            await rogue.stop()

        # The same request aimed at the real host goes online, over TLS, with the pin checked.
        hub = server(host, port, secure=True)
        await c.serve(hub)
        peer = PeerLink(judge, replace(asked(port), rng_seed=7))
        task = c.task(peer)
        await peer.wait_online(10)
        assert judge.setting("host_tls") == "1"
        await peer.stop()
        await task
        await hub.stop()
        judge.close()
        host.close()

    run(closing(main))


def _host(name: str, event: str, port: int, fp: str | None) -> HostInfo:
    return HostInfo(name, "127.0.0.1", port, fp is not None, fp, event)


FP_A, FP_B = "a" * 64, "b" * 64


def test_pick_host_goes_by_event_id_then_pin_never_by_name() -> None:
    room_a = _host("Science Fair", "event-a", 1001, FP_A)
    room_b = _host("Science Fair (2)", "event-b", 1002, FP_B)
    for hosts in ([room_a, room_b], [room_b, room_a]):
        assert pick_host(hosts, event="event-b", pin=None) == (room_b, "")
        assert pick_host(hosts, event="event-a", pin=FP_A) == (room_a, "")
        assert pick_host(hosts, event=None, pin=FP_B) == (room_b, "")  # first contact, pin given
    # First contact with neither: guessing would hand a join code to the wrong host.
    found, reason = pick_host([room_a, room_b], event=None, pin=None)
    assert found is None
    assert "several hosts" in reason
    assert "Science Fair (2)" in reason
    # One host on the network: trust on first use, as before.
    assert pick_host([room_a], event=None, pin=None) == (room_a, "")


def test_pick_host_never_offers_a_pinned_peer_a_plain_host() -> None:
    rogue = _host("Science Fair", "event-a", 1003, None)
    found, reason = pick_host([rogue], event="event-a", pin=FP_A)
    assert found is None
    assert "127.0.0.1:1003" in reason
    assert "without TLS" in reason
    real = _host("Science Fair", "event-a", 1001, FP_A)
    assert pick_host([rogue, real], event="event-a", pin=FP_A) == (real, "")
    # A pin from a join link before the first welcome: only that certificate's host is ours.
    other_event = _host("Science Fair (2)", "event-b", 1002, FP_B)
    assert pick_host([other_event, rogue], event=None, pin=FP_A)[0] is None


def test_pick_host_offers_a_new_certificate_for_the_event_so_the_user_can_trust_it() -> None:
    rebuilt = _host("Science Fair", "event-a", 1004, FP_B)
    old = _host("Science Fair", "event-a", 1001, FP_A)
    assert pick_host([rebuilt], event="event-a", pin=FP_A) == (rebuilt, "")
    assert pick_host([rebuilt, old], event="event-a", pin=FP_A) == (old, "")


def test_pick_host_lets_a_peer_paired_without_tls_use_a_plain_host_of_its_event() -> None:
    plain = _host("Demo", "event-a", 1005, None)
    assert pick_host([plain], event="event-a", pin=None) == (plain, "")
    secure = _host("Demo", "event-a", 1006, FP_A)
    assert pick_host([plain, secure], event="event-a", pin=None) == (secure, "")


def test_a_peer_paired_without_tls_and_never_pinned_finds_its_plain_host_by_mdns(
    tmp_path: Path,
) -> None:
    async def main(c: Cleanup) -> None:
        host, codes = demo_host(c, tmp_path / "host.db")
        hub = server(host, free_port())
        await c.serve(hub)
        judge = c.replica(Replica.open(tmp_path / "judge.db"))
        peer = link(judge, hub.port, codes[("judge", "judge-ada")])
        task = c.task(peer)
        await peer.wait_online(10)
        await peer.stop()
        await task
        await hub.stop()
        assert judge.setting("host_fp") is None
        assert judge.setting("host_tls") == "0"

        # The host comes back on another port, advertised without TLS: only mDNS can find it.
        config = HostConfig(bind="127.0.0.1", port=free_port(), secure=False, board_interval=0.0)
        hub = HostServer(host, config)
        await c.serve(hub)
        peer = PeerLink(judge, PeerConfig(browse_interfaces=["127.0.0.1"], rng_seed=7))
        task = c.task(peer)
        await peer.wait_online(20)
        assert peer.status.role == "judge"
        assert judge.setting("host_target") == f"127.0.0.1:{config.port}"
        await peer.stop()
        await task
        await hub.stop()
        judge.close()
        host.close()

    run(closing(main))


# --- a host that sends frames of the wrong shape ------------------------------------------------


class MangledHost:
    """A raw websockets server that welcomes any hello, then sends one frame of the wrong shape."""

    def __init__(self, port: int, bad: dict[str, Any]) -> None:
        self.port = port
        self.bad = bad
        self.connections = 0
        self.closes: list[int | None] = []
        self._server: Any = None

    async def start(self) -> None:
        async def handler(ws: Any) -> None:
            self.connections += 1
            with contextlib.suppress(ConnectionClosed):
                hello = json.loads(await ws.recv())
                welcome = {"type": "welcome", "protocol": 1, "role": "judge", "subject": "j1"}
                await ws.send(json.dumps({**welcome, "token": "t", "event": {}, "vv": {}}))
                await ws.send(json.dumps(self.bad))
                assert hello["type"] == "hello"
                async for _ in ws:
                    pass
            self.closes.append(ws.close_code)

        self._server = await serve(handler, "127.0.0.1", self.port)

    async def stop(self) -> None:
        self._server.close()
        await self._server.wait_closed()


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "ack", "accepted": 5, "rejected": []},
        {"type": "ops", "ops": [], "vv": [1]},
        {"type": "score_update", "data": ["x"]},
        {"type": "leaderboard_update", "revision": "soon", "data": []},
    ],
    ids=["ack", "vv", "score", "revision"],
)
def test_a_frame_of_the_wrong_shape_from_the_host_never_kills_the_link(
    tmp_path: Path, bad: dict[str, Any]
) -> None:
    async def main(c: Cleanup) -> None:
        judge = c.replica(Replica.open(tmp_path / "judge.db"))
        judge.set_setting("token", "t")
        judge.make("sheet.save", body(TEAMS[0]), "j1")
        host = MangledHost(free_port(), bad)
        await c.serve(host)
        peer = link(judge, host.port)
        task = c.task(peer)
        try:
            await until(lambda: host.connections >= 2 or task.done(), 20)
            assert not task.done(), "the link died"
        finally:
            await peer.stop()
            await task
            await host.stop()
        assert 4400 in host.closes
        assert judge.pending_count() == 1  # nothing saved was lost
        judge.close()

    run(closing(main))


# --- a rogue TLS host of the judge's event never halts it (issue 9, item 8) -------------------


class RogueTlsHost:
    """A websockets server over TLS with its own self-signed certificate; counts handshakes."""

    def __init__(self, port: int) -> None:
        self.port = port
        cert_pem, key_pem = make_certificate("Harbour Hack 2026")
        self.fingerprint = fingerprint_pem(cert_pem)
        self._ssl = server_context(cert_pem, key_pem)
        self.handshakes = 0
        self.frames: list[str] = []
        self._server: Any = None

    async def start(self) -> None:
        def record(connection: Any, request: Any) -> None:
            self.handshakes += 1

        async def handler(ws: Any) -> None:
            with contextlib.suppress(ConnectionClosed):
                async for frame in ws:
                    self.frames.append(str(frame))

        self._server = await serve(
            handler, "127.0.0.1", self.port, ssl=self._ssl, process_request=record
        )

    async def stop(self) -> None:
        self._server.close()
        await self._server.wait_closed()


def test_a_rogue_tls_host_of_the_event_never_halts_a_paired_judge(tmp_path: Path) -> None:
    async def main(c: Cleanup) -> None:
        host, judge, _, port = await pinned_judge(c, tmp_path)
        pinned = judge.setting("host_fp")
        rogue = RogueTlsHost(free_port())
        await c.serve(rogue)
        advert = Advertiser(
            "Harbour Hack 2026",
            rogue.port,
            event_id=str(judge.setting("host_event")),
            fingerprint=rogue.fingerprint,
            bind="127.0.0.1",
        )
        await c.serve(advert)
        judge.make("sheet.save", body(TEAMS[0]), "judge-ada")  # scored while the host is away
        peer = PeerLink(judge, PeerConfig(browse_interfaces=["127.0.0.1"], rng_seed=7))
        seen: list[LinkStatus] = []
        peer.on_status.append(seen.append)
        task = c.task(peer)
        hub = None
        try:
            await until(lambda: rogue.handshakes >= 2 or task.done(), 30)
            assert not task.done(), "the link stopped at the rogue's certificate"
            # The window still offers "Trust new host…" for the certificate it was shown.
            assert peer.status.state == "refused"
            assert peer.status.offered_fp == rogue.fingerprint
            assert "certificate changed" in peer.status.last_error
            # The real host comes back where the judge last reached it: no human step.
            hub = server(host, port, secure=True)
            await c.serve(hub)
            await peer.wait_online(30)
            await until(lambda: judge.pending_count() == 0)
            assert peer.status.offered_fp is None
        finally:
            await peer.stop()
            await task
            if hub is not None:
                await hub.stop()
            await advert.stop()
            await rogue.stop()
        assert rogue.frames == []  # no hello, so no token, ever reached it
        assert judge.setting("host_fp") == pinned
        assert host.state.sheet("judge-ada", TEAMS[0]) is not None
        # While it kept trying, the offer never went away (the window read it all along).
        first = next(k for k, s in enumerate(seen) if s.offered_fp)
        online = next(k for k, s in enumerate(seen) if s.state == "online" and k > first)
        offers = seen[first:online]
        assert len(offers) > 2
        assert all(s.state == "refused" and s.offered_fp == rogue.fingerprint for s in offers)
        judge.close()
        host.close()

    run(closing(main))
