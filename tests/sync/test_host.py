"""Loopback integration: a real host server and real peers speaking PROTOCOL.md over websockets."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from storage.demo import seed_demo
from storage.replica import Replica
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

    async def connect(self, url: str) -> None:
        self.ws = await connect(url, compression=None, proxy=None, open_timeout=TIMEOUT)

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


def test_unauthenticated_connections_are_capped(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path, max_unauthenticated=2) as host:
            idle = [Peer(tmp_path, f"idle{i}") for i in range(3)]
            for peer in idle[:2]:
                await peer.connect(host.url)
            await idle[2].connect(host.url)
            assert (await idle[2].closed())[0] == 4429
            for peer in idle:
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
