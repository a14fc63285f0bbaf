"""Loopback integration: a real host server and real peers speaking PROTOCOL.md over websockets."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidMessage

from storage.demo import seed_demo
from storage.replica import Replica
from sync import tls
from sync.server import HostConfig, HostServer

CRITERIA = ("innovation", "design", "execution")
TIMEOUT = 5.0


def run(coroutine: Awaitable[None]) -> None:
    """Run one test's coroutine on a fresh event loop."""
    asyncio.run(asyncio.wait_for(coroutine, 60))  # type: ignore[arg-type]


def sheet(
    team: str, scores: tuple[float, ...] = (85, 90, 88), *, final: bool = True
) -> dict[str, Any]:
    """Return a sheet.save body for the demo event's three criteria."""
    return {
        "team": team,
        "scores": dict(zip(CRITERIA, scores, strict=True)),
        "comment": "",
        "final": final,
    }


class Host:
    """A host replica with the demo event, served on loopback."""

    def __init__(self, folder: Path, **config: Any) -> None:
        self.folder = folder
        self.replica = Replica.open(folder / "host.db")
        seed_demo(self.replica)
        self.codes = {(c["role"], c["id"]): c["code"] for c in self.replica.join_codes()}
        options = {
            "bind": "127.0.0.1",
            "port": 0,
            "secure": False,
            "advertise": False,
            "board_interval": 0.0,
            **config,
        }
        self.server = HostServer(self.replica, HostConfig(**options))

    @property
    def url(self) -> str:
        return self.server.url

    def code(self, role: str, subject: str | None) -> str:
        return self.codes[(role, subject)]


@asynccontextmanager
async def hosting(folder: Path, **config: Any) -> AsyncIterator[Host]:
    """Serve a demo host for the duration of a block."""
    host = Host(folder, **config)
    await host.server.start()
    try:
        yield host
    finally:
        await host.server.stop()
        host.replica.close()


class Peer:
    """A raw protocol client with its own replica, for precise checks of every message."""

    def __init__(self, folder: Path, name: str) -> None:
        self.replica = Replica.open(folder / f"{name}.db", durable=False)
        self.ws: ClientConnection | None = None
        self.inbox: list[dict[str, Any]] = []
        self.token: str | None = None

    async def connect(self, url: str, local: str | None = None) -> None:
        context = tls.client_context() if url.startswith("wss:") else None
        self.ws = await connect(
            url,
            ssl=context,
            compression=None,
            proxy=None,
            open_timeout=TIMEOUT,
            local_addr=(local, 0) if local else None,
        )

    async def send(self, message: dict[str, Any] | str) -> None:
        assert self.ws is not None
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def recv(self) -> dict[str, Any]:
        assert self.ws is not None
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
        self.inbox.append(message)
        return message

    async def expect(self, kind: str) -> dict[str, Any]:
        """Return the next message of `kind`, skipping (but keeping) others."""
        while True:
            message = await self.recv()
            if message["type"] == kind:
                return message

    async def quiet(self, seconds: float = 0.3) -> list[dict[str, Any]]:
        """Return every message that arrives within `seconds`."""
        got = []
        assert self.ws is not None
        while True:
            try:
                frame = await asyncio.wait_for(self.ws.recv(), seconds)
            except TimeoutError:
                return got
            got.append(json.loads(frame))

    def hello(self, *, code: str | None = None, token: str | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "hello",
            "protocol": 1,
            "device": self.replica.device_id,
            "vv": self.replica.vv(),
        }
        if code is not None:
            message.update(code=code, pubkey=self.replica.key.public_b64)
        if token is not None:
            message["token"] = token
        return message

    async def join(self, url: str, code: str) -> dict[str, Any]:
        """Connect, pair with a code and apply the backlog; return the welcome."""
        await self.connect(url)
        await self.send(self.hello(code=code))
        welcome = await self.expect("welcome")
        self.token = welcome["token"]
        if welcome["role"] == "judge":
            ops = await self.expect("ops")
            self.replica.receive(ops["ops"], ops["vv"])
        return welcome

    async def submit(self, *ops: dict[str, Any]) -> dict[str, Any]:
        await self.send({"type": "submit", "ops": list(ops)})
        return await self.expect("ack")

    async def closed(self) -> tuple[int | None, dict[str, Any] | None]:
        """Wait for the host to close the socket; return the close code and the last error."""
        error = None
        assert self.ws is not None
        try:
            while True:
                message = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
                if message["type"] == "error":
                    error = message
        except ConnectionClosed as exc:
            return (exc.rcvd.code if exc.rcvd else None), error

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        self.replica.close()


def judge_op(peer: Peer, body: dict[str, Any], judge: str = "judge-ada") -> dict[str, Any]:
    return peer.replica.make("sheet.save", body, judge).to_wire()


# --- handshake -----------------------------------------------------------------------------------


def test_judge_pairs_with_a_code_and_gets_welcome_then_the_ops_it_lacks(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            judge = Peer(tmp_path, "judge")
            welcome = await judge.join(host.url, host.code("judge", "judge-ada").lower())
            assert welcome["protocol"] == 1
            assert welcome["role"] == "judge"
            assert welcome["subject"] == "judge-ada"
            assert welcome["subject_name"] == "Ada Brennan"
            assert [c["id"] for c in welcome["event"]["criteria"]] == list(CRITERIA)
            assert len(welcome["token"]) >= 22  # 128 bits and more
            assert welcome["host"] == host.replica.device_id
            assert welcome["event"]["id"] == host.replica.event_id
            assert welcome["event"]["phase"] == "scoring"
            assert welcome["hlc"].endswith("." + host.replica.device_id)
            assert set(judge.replica.state.teams()) == set(host.replica.state.teams())
            assert [c["id"] for c in judge.replica.state.criteria()] == list(CRITERIA)
            # Judges do not see the leaderboard unless the event lets them.
            assert not [m for m in await judge.quiet() if m["type"] == "leaderboard_update"]
            await judge.close()

    run(main())


def test_sheet_is_acked_then_fanned_out_to_each_role_as_it_may_read(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            ada, bao = Peer(tmp_path, "ada"), Peer(tmp_path, "bao")
            display, team = Peer(tmp_path, "display"), Peer(tmp_path, "team")
            await ada.join(host.url, host.code("judge", "judge-ada"))
            await bao.join(host.url, host.code("judge", "judge-bao"))
            await display.join(host.url, host.code("display", None))
            await team.join(host.url, host.code("team", "team-aurora"))
            first = await display.expect("leaderboard_update")
            assert first["mode"] == "live"
            assert all(row["total_score"] is None for row in first["data"])

            op = judge_op(ada, sheet("team-aurora"))
            ack = await ada.submit(op)
            assert ack == {"type": "ack", "accepted": [op["id"]], "rejected": []}
            stored = host.replica.stored(op["id"])
            assert stored is not None
            assert stored.status == "accepted"

            update = await ada.expect("score_update")
            assert update["data"]["team_id"] == "team-aurora"
            assert update["data"]["judge_id"] == "judge-ada"
            assert update["data"]["final"] is True
            assert update["timestamp"].endswith("Z")
            echoed = [m for m in ada.inbox if m["type"] == "ops"][-1]  # sent before the update
            assert [o["id"] for o in echoed["ops"]] == [op["id"]]

            board = await display.expect("leaderboard_update")
            assert board["revision"] > first["revision"]
            assert board["data"][0] == {
                "rank": 1,
                "team_id": "team-aurora",
                "team_name": "Aurora",
                "total_score": 87.67,
                "judge_count": 1,
            }
            # Another judge, a team before release: nothing of this sheet reaches them.
            for other in (bao, team):
                for message in await other.quiet():
                    assert message["type"] not in ("score_update", "leaderboard_update")
                    assert op["id"] not in [o["id"] for o in message.get("ops", [])]
            for peer in (ada, bao, display, team):
                await peer.close()

    run(main())


def test_every_reject_code_comes_back_in_the_ack_and_a_resubmission_gets_the_same(
    tmp_path: Path,
) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            bao = Peer(tmp_path, "bao")
            await bao.join(host.url, host.code("judge", "judge-bao"))
            cases = {
                "out_of_range": sheet("team-aurora", (101, 50, 50)),
                "unknown_team": sheet("team-nowhere"),
                "unknown_criterion": {
                    "team": "team-aurora",
                    "scores": {"charm": 5},
                    "comment": "",
                    "final": False,
                },
                "forbidden": sheet("team-fjord"),  # Bao has a conflict with Fjord
                "invalid": {
                    "team": "team-aurora",
                    "scores": {"design": 5},
                    "comment": "",
                    "final": True,
                },
            }
            for expected, body in cases.items():
                op = judge_op(bao, body, "judge-bao")
                ack = await bao.submit(op)
                assert ack["accepted"] == []
                assert ack["rejected"][0]["id"] == op["id"]
                assert ack["rejected"][0]["code"] == expected, ack
                assert ack["rejected"][0]["message"]
                assert await bao.submit(op) == ack  # the same outcome, nothing changed

            # A forged signature proves nothing: it does not burn the op's number.
            real = judge_op(bao, sheet("team-aurora"), "judge-bao")
            forged = {**real, "body": sheet("team-aurora", (0, 0, 0))}
            ack = await bao.submit(forged)
            assert ack["rejected"][0]["code"] == "bad_signature"
            ahead = bao.replica.make("sheet.save", sheet("team-basalt"), "judge-bao").to_wire()
            gap = await bao.submit(ahead)
            assert gap["rejected"][0]["code"] == "gap"
            ack = await bao.submit(real, ahead)
            assert ack["accepted"] == [real["id"], ahead["id"]]

            host.server.admin("event.set", {"field": "phase", "value": "locked"})
            late = judge_op(bao, sheet("team-cobalt"), "judge-bao")
            assert (await bao.submit(late))["rejected"][0]["code"] == "scoring_closed"
            await bao.close()

            skewed = Replica.open(
                tmp_path / "skewed.db", now=lambda: host.replica.clock._now() + 11 * 60_000
            )
            peer = Peer(tmp_path, "unused")
            peer.replica.close()
            peer.replica = skewed
            await peer.join(host.url, host.code("judge", "judge-carmen"))
            host.server.admin("event.set", {"field": "phase", "value": "scoring"})
            ack = await peer.submit(judge_op(peer, sheet("team-aurora"), "judge-carmen"))
            assert ack["rejected"][0]["code"] == "clock_skew"
            await peer.close()

    run(main())


def test_token_works_after_a_host_restart_and_only_for_its_own_device(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            ada = Peer(tmp_path, "ada")
            await ada.join(host.url, host.code("judge", "judge-ada"))
            await ada.ws.close()  # type: ignore[union-attr]
        async with hosting(tmp_path) as host:
            await ada.connect(host.url)
            await ada.send(ada.hello(token=ada.token))
            welcome = await ada.expect("welcome")
            assert (welcome["role"], welcome["subject"]) == ("judge", "judge-ada")

            thief = Peer(tmp_path, "thief")
            await thief.connect(host.url)
            await thief.send(thief.hello(token=ada.token))
            code, error = await thief.closed()
            assert code == 4401
            assert error is not None
            assert error["code"] == "unauthorized"
            await thief.connect(host.url)
            await thief.send(thief.hello(code="ZZZZ-ZZZZ"))
            assert (await thief.closed())[0] == 4401
            await thief.close()
            await ada.close()

    run(main())


def test_revoked_device_is_closed_and_its_token_refused(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            ada = Peer(tmp_path, "ada")
            await ada.join(host.url, host.code("judge", "judge-ada"))
            host.server.revoke(ada.replica.device_id)
            code, error = await ada.closed()
            assert code == 4401
            assert error is not None
            assert error["code"] == "revoked"
            await ada.connect(host.url)
            await ada.send(ada.hello(token=ada.token))
            assert (await ada.closed())[0] == 4401
            await ada.close()

    run(main())


def test_a_second_connection_of_a_device_takes_over_with_4409(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            ada = Peer(tmp_path, "ada")
            await ada.join(host.url, host.code("judge", "judge-ada"))
            first = ada.ws
            second = await connect(host.url, compression=None, proxy=None)
            await second.send(json.dumps(ada.hello(token=ada.token)))
            assert json.loads(await second.recv())["type"] == "welcome"
            ada.ws = first
            assert (await ada.closed())[0] == 4409
            await second.close()
            await ada.close()

    run(main())


async def _closing(url: str, frames: list[str | bytes], folder: Path) -> tuple[int | None, Any]:
    peer = Peer(folder, "probe")
    await peer.connect(url)
    for frame in frames:
        assert peer.ws is not None
        await peer.ws.send(frame)
    result = await peer.closed()
    await peer.close()
    return result


@pytest.mark.parametrize(
    ("frames", "close_code", "error_code"),
    [
        (["this is not json"], 4400, "bad_request"),
        (["[1, 2, 3]"], 4400, "bad_request"),
        (['{"type": "gossip"}'], 4400, "bad_request"),
        (['{"no_type": 1}'], 4400, "bad_request"),
        ([b"\x00binary"], 4400, "bad_request"),
        (['{"type": "hello", "protocol": 2, "device": "x"}'], 4400, "bad_request"),
        (['{"type": "submit", "ops": []}'], 4401, "unauthorized"),
        (["[" * 50_000 + "]" * 50_000], 4400, "bad_request"),
        (["x" * (1024 * 1024 + 1)], 1009, None),
    ],
)
def test_malformed_input_gets_its_error_and_close_code_and_changes_nothing(
    tmp_path: Path, frames: list[str | bytes], close_code: int, error_code: str | None
) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            display = Peer(tmp_path, "display")
            await display.join(host.url, host.code("display", None))
            await display.expect("leaderboard_update")
            before = host.replica.vv()
            code, error = await _closing(host.url, frames, tmp_path)
            assert code == close_code
            assert (error or {}).get("code") == error_code
            assert host.replica.vv() == before
            # The other peer is still served.
            host.server.admin("event.set", {"field": "display_mode", "value": "progress"})
            assert (await display.expect("leaderboard_update"))["mode"] == "progress"
            await display.close()

    run(main())


def test_team_and_display_may_not_submit(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            team = Peer(tmp_path, "team")
            await team.join(host.url, host.code("team", "team-aurora"))
            await team.send({"type": "submit", "ops": []})
            code, error = await team.closed()
            assert code == 4403
            assert error is not None
            assert error["code"] == "forbidden"
            await team.close()

    run(main())


def test_a_flooding_peer_is_closed_with_4429_and_others_are_served(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path, rate=5.0, burst=20.0) as host:
            ada = Peer(tmp_path, "ada")
            await ada.join(host.url, host.code("judge", "judge-ada"))
            flood = Peer(tmp_path, "flood")
            await flood.join(host.url, host.code("judge", "judge-bao"))
            for _ in range(40):
                try:
                    await flood.send({"type": "submit", "ops": []})
                except ConnectionClosed:
                    break
            code, error = await flood.closed()
            assert code == 4429
            assert error is not None
            assert error["code"] == "rate_limited"
            ack = await ada.submit(judge_op(ada, sheet("team-aurora")))
            assert len(ack["accepted"]) == 1
            await flood.close()
            await ada.close()

    run(main())


def test_wrong_join_codes_are_throttled_even_before_a_right_one(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            guesser = Peer(tmp_path, "guesser")
            for _ in range(10):
                await guesser.connect(host.url)
                await guesser.send(guesser.hello(code="ABCD-EFGH"))
                assert (await guesser.closed())[0] == 4401
            await guesser.connect(host.url)
            await guesser.send(guesser.hello(code=host.code("judge", "judge-ada")))
            code, error = await guesser.closed()
            assert code == 4429
            assert error is not None
            assert error["code"] == "too_many_attempts"
            await guesser.close()

    run(main())


def test_unauthenticated_connections_are_capped_by_shedding_the_oldest(tmp_path: Path) -> None:
    # Refusing the newest let idle sockets lock everyone out (issue 15, item 3): the oldest goes.
    async def main() -> None:
        async with hosting(tmp_path, max_unauthenticated=2) as host:
            idle = [Peer(tmp_path, f"idle{i}") for i in range(3)]
            for i, peer in enumerate(idle):
                await peer.connect(host.url, local=f"127.0.0.{2 + i}")
            assert (await idle[0].closed())[0] == 4429
            await idle[2].send(idle[2].hello(code=host.code("judge", "judge-ada")))
            assert (await idle[2].expect("welcome"))["role"] == "judge"
            await idle[1].send(idle[1].hello(code=host.code("judge", "judge-bao")))
            assert (await idle[1].expect("welcome"))["role"] == "judge"
            for peer in idle:
                await peer.close()

    run(main())


def test_one_address_holds_at_most_its_share_of_unauthenticated_connections(
    tmp_path: Path,
) -> None:
    async def main() -> None:
        async with hosting(tmp_path, max_unauthenticated_per_address=2) as host:
            crowd = [Peer(tmp_path, f"crowd{i}") for i in range(3)]
            other = Peer(tmp_path, "other")
            await other.connect(host.url, local="127.0.0.3")
            for peer in crowd:
                await peer.connect(host.url, local="127.0.0.2")
            assert (await crowd[0].closed())[0] == 4429  # its own address's oldest, not another's
            await other.send(other.hello(code=host.code("judge", "judge-ada")))
            assert (await other.expect("welcome"))["role"] == "judge"
            for peer in [*crowd, other]:
                await peer.close()

    run(main())


async def _scored(host: Host, folder: Path) -> Peer:
    """Pair Ada and have her score three teams: Aurora 87.67, Basalt 80, Cobalt 60."""
    ada = Peer(folder, "ada")
    await ada.join(host.url, host.code("judge", "judge-ada"))
    ops = [
        judge_op(ada, sheet(team, scores))
        for team, scores in (
            ("team-aurora", (85, 90, 88)),
            ("team-basalt", (70, 80, 90)),
            ("team-cobalt", (60, 60, 60)),
        )
    ]
    assert len((await ada.submit(*ops))["accepted"]) == 3
    return ada


def test_display_modes_hide_what_they_must(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            ada = await _scored(host, tmp_path)
            display = Peer(tmp_path, "display")
            await display.join(host.url, host.code("display", None))
            live = await display.expect("leaderboard_update")
            assert [r["total_score"] for r in live["data"][:3]] == [87.67, 80.0, 60.0]

            host.server.admin("event.set", {"field": "display_mode", "value": "progress"})
            progress = await display.expect("leaderboard_update")
            assert progress["mode"] == "progress"
            assert all(
                set(row) == {"team_id", "team_name", "judge_count"} for row in progress["data"]
            )
            names = [row["team_name"] for row in progress["data"]]
            assert names == sorted(names, key=str.casefold)  # rank order would leak the ranking

            host.server.admin("event.set", {"field": "display_mode", "value": "reveal"})
            hidden = await display.expect("leaderboard_update")
            assert (hidden["mode"], hidden["data"]) == ("reveal", [])
            host.server.admin("event.set", {"field": "reveal_count", "value": 1})
            one = await display.expect("leaderboard_update")
            assert [r["team_name"] for r in one["data"]] == ["Cobalt Cats"]  # last place first
            host.server.admin("event.set", {"field": "reveal_count", "value": 2})
            two = await display.expect("leaderboard_update")
            assert [r["rank"] for r in two["data"]] == [2, 3]

            host.server.admin("event.set", {"field": "display_mode", "value": "frozen"})
            frozen = await display.expect("leaderboard_update")
            assert frozen["mode"] == "frozen"
            assert frozen["data"][0]["total_score"] == 87.67
            late = judge_op(ada, sheet("team-driftwood", (100, 100, 100)))
            assert (await ada.submit(late))["accepted"] == [late["id"]]
            assert not [m for m in await display.quiet() if m["type"] == "leaderboard_update"]
            # A display that connects while frozen sees the frozen board, not the new one.
            second = Peer(tmp_path, "display2")
            await second.join(host.url, host.code("display", None))
            board = await second.expect("leaderboard_update")
            assert board["data"] == frozen["data"]

            host.server.admin("event.set", {"field": "display_mode", "value": "live"})
            thawed = await display.expect("leaderboard_update")
            assert thawed["data"][0]["team_name"] == "Driftwood"
            for peer in (ada, display, second):
                await peer.close()

    run(main())


def test_team_sees_its_results_only_once_released_and_never_the_judge(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            team = Peer(tmp_path, "team")
            await team.join(host.url, host.code("team", "team-aurora"))
            ada = await _scored(host, tmp_path)
            for message in await team.quiet():
                assert message["type"] not in ("score_update", "leaderboard_update")

            host.server.admin("event.set", {"field": "phase", "value": "released"})
            after = await team.quiet(0.5)
            board = next(m for m in after if m["type"] == "leaderboard_update")
            assert board["data"][0]["team_id"] == "team-aurora"
            update = next(m for m in after if m["type"] == "score_update")
            assert update["data"]["team_id"] == "team-aurora"
            assert update["data"]["scores"] == {"innovation": 85, "design": 90, "execution": 88}
            assert update["data"]["judge_id"] is None
            assert "judge-ada" not in json.dumps(update)
            # Only its own team's sheets.
            assert all(
                m["data"]["team_id"] == "team-aurora"
                for m in team.inbox
                if m["type"] == "score_update"
            )

            rejoined = Peer(tmp_path, "team-again")
            await rejoined.join(host.url, host.code("team", "team-aurora"))
            backlog = await rejoined.quiet(0.5)
            assert [m["type"] for m in backlog].count("leaderboard_update") == 1
            scores = [m["data"]["team_id"] for m in backlog if m["type"] == "score_update"]
            assert scores == ["team-aurora"]
            for peer in (team, ada, rejoined):
                await peer.close()

    run(main())


def test_notifications_reach_exactly_their_audience(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            ada, bao = Peer(tmp_path, "ada"), Peer(tmp_path, "bao")
            aurora, basalt = Peer(tmp_path, "aurora"), Peer(tmp_path, "basalt")
            await ada.join(host.url, host.code("judge", "judge-ada"))
            await bao.join(host.url, host.code("judge", "judge-bao"))
            await aurora.join(host.url, host.code("team", "team-aurora"))
            await basalt.join(host.url, host.code("team", "team-basalt"))
            sends = [
                {"audience": "all", "target": None, "message": "Lunch is served"},
                {"audience": "judge", "target": "judge-ada", "message": "Ada, table 3 please"},
                {"audience": "team", "target": "team-aurora", "message": "Aurora: demo at 2"},
                {"audience": "judges", "target": None, "message": "Judges: 10 minutes"},
            ]
            for body in sends:
                host.server.admin("notify", body)
            got = {}
            for name, peer in (("ada", ada), ("bao", bao), ("aurora", aurora), ("basalt", basalt)):
                got[name] = sorted(
                    m["data"]["message"]
                    for m in await peer.quiet()
                    if m["type"].endswith("_notification")
                )
            assert got["ada"] == ["Ada, table 3 please", "Judges: 10 minutes", "Lunch is served"]
            assert got["bao"] == ["Judges: 10 minutes", "Lunch is served"]
            assert got["aurora"] == ["Aurora: demo at 2", "Lunch is served"]
            assert got["basalt"] == ["Lunch is served"]
            types = {m["type"] for m in aurora.inbox}
            assert "judge_notification" not in types
            # A team that connects later still sees what was meant for it.
            late = Peer(tmp_path, "late")
            await late.join(host.url, host.code("team", "team-aurora"))
            missed = [
                m["data"]["message"] for m in await late.quiet() if m["type"] == "team_notification"
            ]
            assert missed == ["Lunch is served", "Aurora: demo at 2"]
            for peer in (ada, bao, aurora, basalt, late):
                await peer.close()

    run(main())


def test_judges_get_each_others_sheets_once_the_event_lets_them(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            ada = await _scored(host, tmp_path)
            bao = Peer(tmp_path, "bao")
            await bao.join(host.url, host.code("judge", "judge-bao"))
            assert bao.replica.state.sheets() == []
            host.server.admin("event.set", {"field": "judges_see_results", "value": True})
            ops = await bao.expect("ops")
            bao.replica.receive(ops["ops"], ops["vv"])
            await bao.expect("leaderboard_update")
            assert len(bao.replica.state.sheets()) == 3

            # A judge that was away when the view widened gets the sheets on its return.
            carmen = Peer(tmp_path, "carmen")
            await carmen.join(host.url, host.code("judge", "judge-carmen"))
            host.server.admin("event.set", {"field": "judges_see_results", "value": False})
            await carmen.ws.close()  # type: ignore[union-attr]
            host.server.admin("event.set", {"field": "judges_see_results", "value": True})
            await carmen.connect(host.url)
            await carmen.send(carmen.hello(token=carmen.token))
            await carmen.expect("welcome")
            backlog = await carmen.expect("ops")
            carmen.replica.receive(backlog["ops"], backlog["vv"])
            assert len(carmen.replica.state.sheets()) == 3
            for peer in (ada, bao, carmen):
                await peer.close()

    run(main())


class StalledTransport:
    """A real transport that reports a send buffer full of what a stalled peer never read."""

    def __init__(self, real: Any, buffered: int) -> None:
        self._real = real
        self.buffered = buffered

    def get_write_buffer_size(self) -> int:
        return self.buffered

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_a_peer_too_far_behind_is_closed_with_4408_and_the_others_still_get_the_board(
    tmp_path: Path,
) -> None:
    async def main() -> None:
        async with hosting(tmp_path, max_lag_bytes=64 * 1024) as host:
            fast, stalled = Peer(tmp_path, "fast"), Peer(tmp_path, "stalled")
            await fast.join(host.url, host.code("display", None))
            await stalled.join(host.url, host.code("display", None))
            await fast.expect("leaderboard_update")
            # The stalled display's socket buffer is full: pretend so on the host's side.
            connections = host.server._connections
            sid = next(
                s for s, c in connections.items() if c.remote_address == stalled.ws.local_address
            )  # type: ignore[union-attr]
            connection = connections[sid]
            connection.transport = StalledTransport(connection.transport, 64 * 1024 + 1)  # type: ignore[assignment]
            host.server.admin("event.set", {"field": "display_mode", "value": "progress"})
            assert (await fast.expect("leaderboard_update"))["mode"] == "progress"
            assert sid not in connections  # dropped at once, not left to hold frames
            code, _ = await stalled.closed()
            assert code == 4408
            await fast.close()
            await stalled.close()

    run(main())


# --- hostile sockets (issue 15): lock-out, ping floods, idle TCP before TLS ----------------------
# The attackers are raw sockets and raw websockets clients, never the project's own PeerLink.
# Other source addresses are other loopback addresses (the whole of 127.0.0.0/8 is loopback).

PING = 0x9
TEXT = 0x1


def client_frame(opcode: int, payload: bytes) -> bytes:
    """Return one masked client frame (RFC 6455 section 5.2) of less than 64 KiB."""
    mask = os.urandom(4)
    size = len(payload)
    length = bytes([0x80 | size]) if size < 126 else bytes([0x80 | 126]) + size.to_bytes(2, "big")
    return (
        bytes([0x80 | opcode])
        + length
        + mask
        + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    )


class RawClient:
    """A hostile client on a blocking socket that reads only what it chooses (run in a thread)."""

    def __init__(self, port: int, *, local: str = "127.0.0.1", secure: bool = False) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a small window: fills fast
        sock.bind((local, 0))
        sock.settimeout(TIMEOUT)
        sock.connect(("127.0.0.1", port))
        self.port = port
        self.sock: socket.socket = tls.client_context().wrap_socket(sock) if secure else sock

    def upgrade(self) -> None:
        """Open the WebSocket (HTTP upgrade) and read the 101 response, and nothing after it."""
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /sync HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        response = b""
        while not response.endswith(b"\r\n\r\n"):
            byte = self.sock.recv(1)
            assert byte, response
            response += byte
        assert response.startswith(b"HTTP/1.1 101"), response

    def send_json(self, message: dict[str, Any]) -> None:
        self.sock.sendall(client_frame(TEXT, json.dumps(message).encode()))

    def flood_pings(self, most: int) -> int:
        """Send 125-byte pings and never read; return the bytes sent when the host cut us off.

        Returns `most` when the host let all of them in.
        """
        batch = client_frame(PING, b"p" * 125) * 64
        sent = 0
        try:
            while sent < most:
                self.sock.sendall(batch)
                sent += len(batch)
        except TimeoutError:
            return most  # the host stopped reading but kept the socket: not cut off
        except OSError:  # reset or broken pipe (ssl.SSLError is an OSError too)
            return sent
        return most

    def closed_by_host(self) -> bool:
        """Tell whether the host has closed this socket (without waiting)."""
        self.sock.setblocking(False)
        try:
            return self.sock.recv(4096) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True
        finally:
            self.sock.settimeout(TIMEOUT)

    def close(self) -> None:
        self.sock.close()


async def rejoin(peer: Peer, url: str) -> None:
    """Reconnect a paired peer with its token and take its welcome (and backlog)."""
    assert peer.token is not None
    await peer.connect(url)
    await peer.send(peer.hello(token=peer.token))
    welcome = await peer.expect("welcome")
    if welcome["role"] == "judge":
        ops = await peer.expect("ops")
        peer.replica.receive(ops["ops"], ops["vv"])


async def judge_served_during(
    judge: Peer, url: str, attack: asyncio.Future[Any], *, at_least: int = 3
) -> int:
    """Reconnect a paired judge and have sheets acked, one after another, while `attack` runs.

    Each ack is awaited at most TIMEOUT (5 s) by Peer.expect; returns how many were acked.
    """
    await rejoin(judge, url)
    acked = 0
    while acked < at_least or not attack.done():
        ack = await judge.submit(judge_op(judge, sheet("team-aurora", (acked % 100, 50, 50))))
        assert len(ack["accepted"]) == 1, ack
        acked += 1
        await asyncio.sleep(0.02)
        if acked >= 500:  # a bound, should the attack hang
            break
    return acked


async def paired(host: Host, folder: Path, name: str, role: str, subject: str | None) -> Peer:
    """Pair a peer with its code, then drop the link; it keeps its token."""
    peer = Peer(folder, name)
    url = host.url
    await peer.join(url, host.code(role, subject))
    assert peer.ws is not None
    await peer.ws.close()
    return peer


def test_idle_pre_hello_sockets_from_many_addresses_never_lock_out_a_paired_judge(
    tmp_path: Path,
) -> None:
    # Issue 15, item 3: 64 sockets that never say hello, reopened as the host closes them,
    # held the host-wide cap and every other connection, paired judges included, got 4429.
    async def main() -> None:
        async with hosting(tmp_path) as host:
            ada = await paired(host, tmp_path, "ada", "judge", "judge-ada")
            cap = host.server.config.max_unauthenticated
            stop = asyncio.Event()
            closes: list[int | None] = []
            shed_early: list[str] = []
            url = host.url

            async def hold(address: str) -> None:
                # Reopen the slot as the host sheds it, a bounded number of times.
                for _ in range(20):
                    try:
                        ws = await connect(
                            url,
                            compression=None,
                            proxy=None,
                            ping_interval=None,
                            local_addr=(address, 0),
                            open_timeout=TIMEOUT,
                        )
                    except (InvalidMessage, OSError):
                        shed_early.append(address)  # shed before its handshake was through
                        continue
                    closed = asyncio.ensure_future(ws.wait_closed())
                    stopping = asyncio.ensure_future(stop.wait())
                    await asyncio.wait(
                        [closed, stopping], timeout=TIMEOUT, return_when=asyncio.FIRST_COMPLETED
                    )
                    stopping.cancel()
                    if stop.is_set():
                        closed.cancel()
                        await ws.close()
                        return
                    closes.append(ws.close_code)

            addresses = [f"127.0.0.{2 + i % 8}" for i in range(cap + cap // 8)]
            holders = [asyncio.create_task(hold(a)) for a in addresses]
            await asyncio.sleep(0.5)  # every slot is taken, and the churn is on
            attack = asyncio.ensure_future(asyncio.sleep(1.0))
            assert await judge_served_during(ada, host.url, attack) >= 3
            stop.set()
            await asyncio.gather(*holders)
            assert closes  # the oldest idle sockets were shed, with 4429
            assert set(closes) <= {4429}
            await ada.close()

    run(main())


def _secure_hosting(folder: Path, **config: Any) -> Any:
    return hosting(folder, secure=True, **config)


@pytest.mark.parametrize("who", ["no hello", "paired team"])
def test_a_ping_flood_that_never_reads_is_cut_off_and_a_judge_is_served(
    tmp_path: Path, who: str
) -> None:
    # Issue 15, item 4: pings answered with pongs that the client never reads grew the host's
    # buffer without limit (+717 MiB in 26 s with no hello, +892 MiB from a paired team).
    limit = 256 * 1024
    most = 32 * 1024 * 1024  # what the flood may send if the host never cuts it off

    async def main() -> None:
        async with _secure_hosting(tmp_path, max_lag_bytes=limit) as host:
            ada = await paired(host, tmp_path, "ada", "judge", "judge-ada")
            team = await paired(host, tmp_path, "team", "team", "team-aurora")

            def flood() -> int:
                client = RawClient(host.server.port, local="127.0.0.2", secure=True)
                try:
                    client.upgrade()
                    if who == "paired team":
                        client.send_json(team.hello(token=team.token))
                    return client.flood_pings(most)
                finally:
                    client.close()

            attack = asyncio.ensure_future(asyncio.to_thread(flood))
            assert await judge_served_during(ada, host.url, attack) >= 3
            sent = await attack
            # Cut off once its pongs pass the bound; the kernel's socket buffers (at most a few
            # MiB on loopback) hold the rest of what it sent.
            assert sent < most // 4, sent
            await ada.close()
            team.replica.close()

    run(main())


def test_idle_tcp_before_tls_is_capped_per_address_and_in_all_and_a_judge_gets_in(
    tmp_path: Path,
) -> None:
    # Issue 15, item 5: every accepted TCP connection held asyncio's 256 KiB TLS buffer until
    # its handshake timed out (10 s), however many came from one address.
    async def main() -> None:
        async with _secure_hosting(tmp_path) as host:
            ada = await paired(host, tmp_path, "ada", "judge", "judge-ada")
            config = host.server.config
            port = host.server.port

            def wave() -> list[RawClient]:
                many = [RawClient(port, local="127.0.0.2") for _ in range(40)]
                return many + [RawClient(port, local=f"127.0.0.{3 + i % 8}") for i in range(80)]

            idle = await asyncio.to_thread(wave)
            try:
                for _ in range(50):  # up to 5 s for the host to shed what is over its caps
                    still = [c for c in idle if not c.closed_by_host()]
                    if len(still) <= config.max_unauthenticated:
                        break
                    await asyncio.sleep(0.1)
                assert len(still) <= config.max_unauthenticated
                one = [c for c in still if c.sock.getsockname()[0] == "127.0.0.2"]
                assert len(one) <= config.max_unauthenticated_per_address
                attack = asyncio.ensure_future(asyncio.sleep(0.5))
                assert await judge_served_during(ada, host.url, attack) >= 3
            finally:
                for client in idle:
                    client.close()
            await ada.close()

    run(main())


def test_tcp_that_never_starts_tls_is_closed_after_the_handshake_timeout(tmp_path: Path) -> None:
    async def main() -> None:
        async with _secure_hosting(tmp_path, tls_timeout=0.5) as host:
            client = await asyncio.to_thread(RawClient, host.server.port)
            try:
                for _ in range(50):  # the host closes it after 0.5 s; allow 5 s
                    if client.closed_by_host():
                        break
                    await asyncio.sleep(0.1)
                assert client.closed_by_host()
            finally:
                client.close()

    run(main())


def _peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_waves_of_idle_tcp_before_tls_leave_the_host_memory_bounded(tmp_path: Path) -> None:
    # The same attack in waves: each wave of idle sockets opened at once, then dropped.
    async def main() -> None:
        async with _secure_hosting(tmp_path) as host:
            port = host.server.port
            await asyncio.sleep(0.1)
            Path("/proc/self/clear_refs").write_text("5")  # restart the peak RSS count here
            before = _peak_rss_kb()
            for _ in range(3):
                wave = await asyncio.to_thread(
                    lambda: [RawClient(port, local=f"127.0.1.{1 + i % 50}") for i in range(400)]
                )
                await asyncio.sleep(0.5)  # the host accepts them all meanwhile
                for client in wave:
                    client.close()
                await asyncio.sleep(0.2)
            # Before: 400 x 256 KiB of TLS buffers at once (100 MiB); now at most 64 small ones.
            assert _peak_rss_kb() - before < 24 * 1024

    run(main())
