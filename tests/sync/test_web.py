"""The host's web port over real sockets on loopback: the pages' files over raw HTTP, and the
pages' WebSocket driven by raw websockets clients (never the product's PeerLink or the page's JS),
checked against what a display and a team window paired on the sync port receive."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

import resources
from sync import web
from tests.kit import run
from tests.sync.conftest import TIMEOUT, Host, Peer, hosting, judge_op, sheet

HIDDEN_KEYS = {"rank", "total_score"}


@asynccontextmanager
async def web_hosting(folder: Path, **config: Any) -> AsyncIterator[Host]:
    """Serve the demo host with its web port on any free port."""
    async with hosting(folder, web_port=0, **config) as host:
        yield host


def web_port(host: Host) -> int:
    assert host.server.web is not None
    return host.server.web.port


async def http_get(
    port: int, target: str, local: str = "127.0.0.1"
) -> tuple[int, dict[str, str], bytes]:
    """Send one raw HTTP/1.1 GET; return the status, the headers (lower-case names), the body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(local, 0))
    writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode("latin-1"))
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), TIMEOUT)  # the host closes after one answer
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


class Browser:
    """A raw websockets client of the pages' socket, as a page's script would be."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.inbox: list[dict[str, Any]] = []

    @classmethod
    async def open(cls, port: int, local: str = "127.0.0.1") -> Browser:
        ws = await connect(
            f"ws://127.0.0.1:{port}{web.LIVE_PATH}",
            compression=None,
            proxy=None,
            open_timeout=TIMEOUT,
            local_addr=(local, 0),
        )
        return cls(ws)

    @classmethod
    async def follow(cls, port: int, code: str | None = None, local: str = "127.0.0.1") -> Browser:
        """Open the public page's socket (or a team's, with its code) and say hello."""
        browser = await cls.open(port, local)
        hello: dict[str, Any] = {"type": "hello", "protocol": 1, "page": "public"}
        if code is not None:
            hello |= {"page": "team", "code": code}
        await browser.ws.send(json.dumps(hello))
        return browser

    async def expect(self, kind: str) -> dict[str, Any]:
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
            self.inbox.append(message)
            if message["type"] == kind:
                return message

    async def quiet(self, seconds: float = 0.3) -> list[dict[str, Any]]:
        got = []
        while True:
            try:
                frame = await asyncio.wait_for(self.ws.recv(), seconds)
            except TimeoutError:
                return got
            message = json.loads(frame)
            self.inbox.append(message)
            got.append(message)

    async def closed(self) -> tuple[int | None, str | None]:
        error = None
        try:
            while True:
                message = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
                if message["type"] == "error":
                    error = message["code"]
        except ConnectionClosed as exc:
            return (exc.rcvd.code if exc.rcvd else None), error

    async def close(self) -> None:
        await self.ws.close()


async def scored(host: Host, folder: Path) -> Peer:
    """Pair Ada and score three teams: totals 87.67, 80 and 60."""
    ada = Peer(folder, "ada")
    await ada.join(host.url, host.code("judge", "judge-ada"))
    for team, scores in (
        ("team-aurora", (85, 90, 88)),
        ("team-basalt", (80, 80, 80)),
        ("team-cobalt", (60, 60, 60)),
    ):
        ack = await ada.submit(judge_op(ada, sheet(team, scores)))
        assert ack["rejected"] == []
    return ada


# --- the files -----------------------------------------------------------------------------------


def test_each_page_and_asset_is_served_with_its_type_and_the_csp(tmp_path: Path) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            port = web_port(host)
            total = 0
            for path, (name, kind) in web.PAGES.items():
                status, headers, body = await http_get(port, path)
                assert status == 200, path
                assert headers["content-type"] == kind
                assert body == (resources.path("web") / name).read_bytes()
                assert int(headers["content-length"]) == len(body)
                assert headers["content-security-policy"] == web.CSP
                assert "'unsafe-inline'" not in web.CSP
                assert headers["x-content-type-options"] == "nosniff"
                assert headers["referrer-policy"] == "no-referrer"
                total += len(body)
            # The query is ignored, never a file name.
            status, _, body = await http_get(port, "/?page=../../pyproject.toml")
            assert status == 200
            assert body == (resources.path("web") / "index.html").read_bytes()
            assert total < 40_000  # the page weight docs/protocol.md 13 states
            for name in ("index.html", "team.html"):
                text = (resources.path("web") / name).read_text()
                # Nothing from elsewhere, nothing inline that the CSP would have to allow.
                assert "http://" not in text
                assert "https://" not in text
                assert "//" not in text
                assert "<style" not in text
                assert " style=" not in text
                assert not re.search(r"<script(?![^>]*\ssrc=)", text)  # no inline script
                assert not re.search(r"<[^>]*\son\w+=", text)  # no inline handler

    run(main())


def test_anything_but_the_pages_is_404_including_path_traversal(tmp_path: Path) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            port = web_port(host)
            for target in (
                "/index.html",
                "/team.html",
                "/team/",
                "/sync",
                "/../pyproject.toml",
                "/%2e%2e/%2e%2e/pyproject.toml",
                "/..%2f..%2fsync%2fweb.py",
                "//etc/passwd",
                "/resources/web/index.html",
                "/tallyboard.js/../../main.py",
                "/web/tallyboard.js",
                "../../etc/passwd",
                "/icon.svg%00.html",
            ):
                status, headers, body = await http_get(port, target)
                assert status == 404, target
                assert body == b"Not found\n"
                assert headers["content-security-policy"] == web.CSP
            # The sync port still answers only /sync.
            sync_port = host.server.port
            status, _, _ = await http_get(sync_port, "/")
            assert status == 404

    run(main())


# --- the public page: what a display receives ---------------------------------------------------


def test_the_public_socket_gets_each_display_mode_and_never_a_hidden_total(tmp_path: Path) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            ada = await scored(host, tmp_path)
            display = Peer(tmp_path, "display")
            await display.join(host.url, host.code("display", None))
            browser = await Browser.follow(web_port(host))
            welcome = await browser.expect("welcome")
            assert (welcome["role"], welcome["subject"], welcome["token"]) == ("display", None, "")
            assert welcome["vv"] == {}
            assert welcome["event"]["name"] == host.replica.state.event()["name"]
            assert welcome["event"]["public_page"] == host.server.web_url
            assert [
                r["total_score"] for r in (await browser.expect("leaderboard_update"))["data"][:3]
            ] == [87.67, 80.0, 60.0]
            await display.expect("leaderboard_update")

            async def both(field: str, value: object) -> tuple[dict[str, Any], dict[str, Any]]:
                host.server.admin("event.set", {"field": field, "value": value})
                return (
                    await browser.expect("leaderboard_update"),
                    await display.expect("leaderboard_update"),
                )

            seen, shown = await both("display_mode", "progress")
            assert seen == shown  # the same frame as the display window's
            assert seen["mode"] == "progress"
            assert all(set(row) == {"team_id", "team_name", "judge_count"} for row in seen["data"])
            # A hidden total moves: the browser hears nothing, like the display.
            await ada.submit(judge_op(ada, sheet("team-cobalt", (100, 100, 100))))
            assert not [m for m in await browser.quiet() if m["type"] == "leaderboard_update"]

            seen, shown = await both("display_mode", "frozen")
            assert seen == shown
            frozen = seen["data"]
            await ada.submit(judge_op(ada, sheet("team-basalt", (10, 10, 10))))
            assert not [m for m in await browser.quiet() if m["type"] == "leaderboard_update"]
            late = await Browser.follow(web_port(host))  # a browser that comes while frozen
            assert (await late.expect("leaderboard_update"))["data"] == frozen

            seen, shown = await both("display_mode", "live")
            assert seen == shown
            assert seen["data"][0]["team_id"] == "team-cobalt"
            every = [m for m in browser.inbox + late.inbox if m["type"] == "leaderboard_update"]
            for message in every:
                if message["mode"] == "progress":
                    assert not any(HIDDEN_KEYS & set(row) for row in message["data"])
            # Nothing but the welcome and boards ever reaches the public page.
            assert {m["type"] for m in browser.inbox} == {"welcome", "leaderboard_update"}
            for peer in (browser, late):
                await peer.close()
            for peer in (ada, display):
                await peer.close()

    run(main())


def test_a_reveal_reaches_the_public_socket_step_by_step(tmp_path: Path) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            ada = await scored(host, tmp_path)
            browser = await Browser.follow(web_port(host))
            await browser.expect("leaderboard_update")
            host.server.admin("event.set", {"field": "display_mode", "value": "reveal"})
            empty = await browser.expect("leaderboard_update")
            assert (empty["mode"], empty["data"]) == ("reveal", [])
            steps = []
            for count in (1, 2, 3):
                host.server.admin("event.set", {"field": "reveal_count", "value": count})
                board = await browser.expect("leaderboard_update")
                steps.append([(row["rank"], row["team_name"]) for row in board["data"]])
            assert steps == [
                [(3, "Cobalt Cats")],
                [(2, "Basalt Robotics"), (3, "Cobalt Cats")],
                [(1, "Aurora"), (2, "Basalt Robotics"), (3, "Cobalt Cats")],
            ]
            # No frame told a row before its step.
            first = [m for m in browser.inbox if m["type"] == "leaderboard_update"][1:3]
            assert all("team-aurora" not in json.dumps(m) for m in first)
            await browser.close()
            await ada.close()

    run(main())


# --- the team page: what the team window receives ------------------------------------------------


def test_the_team_socket_gets_progress_and_notes_and_results_only_once_released(
    tmp_path: Path,
) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            window = Peer(tmp_path, "team")
            await window.join(host.url, host.code("team", "team-aurora"))
            browser = await Browser.follow(web_port(host), host.code("team", "team-aurora").lower())
            welcome = await browser.expect("welcome")
            assert (welcome["role"], welcome["subject"]) == ("team", "team-aurora")
            assert welcome["subject_name"] == "Aurora"
            assert welcome["event"]["phase"] == "scoring"  # how judging is going
            assert welcome["token"] == ""
            assert welcome["vv"] == {}
            ada = await scored(host, tmp_path)
            host.server.admin("notify", {"message": "Lunch is served", "audience": "teams"})
            host.server.admin(
                "notify",
                {"message": "Aurora to room 2", "audience": "team", "target": "team-aurora"},
            )
            host.server.admin(
                "notify",
                {"message": "Basalt to room 3", "audience": "team", "target": "team-basalt"},
            )
            host.server.admin("notify", {"message": "Judges only", "audience": "judges"})
            notes = [await browser.expect("team_notification") for _ in range(2)]
            assert [n["data"]["message"] for n in notes] == ["Lunch is served", "Aurora to room 2"]
            before = await browser.quiet()
            assert not [m for m in before if m["type"] in ("score_update", "leaderboard_update")]
            assert "Basalt to room 3" not in json.dumps(browser.inbox)
            assert "Judges only" not in json.dumps(browser.inbox)

            host.server.admin("event.set", {"field": "phase", "value": "released"})
            await browser.expect("leaderboard_update")
            after = await browser.quiet(0.5)
            board = next(m for m in browser.inbox if m["type"] == "leaderboard_update")
            assert board["data"][0]["team_id"] == "team-aurora"
            update = next(m for m in browser.inbox if m["type"] == "score_update")
            assert update["data"]["team_id"] == "team-aurora"
            assert update["data"]["judge_id"] is None
            assert not [m for m in after if m["type"] == "leaderboard_update"]
            # Exactly what the team window received since, frame for frame.
            # (a snapshot is built for each session: only the moment it left may differ).
            window.inbox += await window.quiet(0.5)

            def sent(inbox: list[dict[str, Any]]) -> list[dict[str, Any]]:
                return [{**m, "timestamp": None} for m in inbox if m["type"] != "welcome"]

            assert sent(browser.inbox) == sent(window.inbox)
            assert all(
                m["data"]["team_id"] == "team-aurora"
                for m in browser.inbox
                if m["type"] == "score_update"
            )
            # A browser that comes after the release gets the team's snapshot: board, sheets, notes.
            late = await Browser.follow(web_port(host), host.code("team", "team-aurora"))
            await late.expect("welcome")
            kinds = [m["type"] for m in await late.quiet(0.5)]
            assert kinds == [
                "leaderboard_update",
                "score_update",
                "team_notification",
                "team_notification",
            ]
            for peer in (browser, late):
                await peer.close()
            for peer in (ada, window):
                await peer.close()

    run(main())


def test_a_browser_team_session_takes_no_device_slot(tmp_path: Path) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            code = host.code("team", "team-aurora")
            usage = host.replica.code_usage()
            devices = dict(host.replica.state.live("device/"))
            browsers = [await Browser.follow(web_port(host), code) for _ in range(5)]
            for browser in browsers:
                await browser.expect("welcome")
            assert host.replica.code_usage() == usage
            assert dict(host.replica.state.live("device/")) == devices
            # The team's laptops still pair: the code's slots are all theirs.
            limit = host.replica.device_limit(code)
            assert limit is not None
            for k in range(limit):
                laptop = Peer(tmp_path, f"laptop{k}")
                assert (await laptop.join(host.url, code))["role"] == "team"
                await laptop.close()
            for browser in browsers:
                await browser.close()

    run(main())


def test_only_a_team_code_opens_the_team_page(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="tallyboard")  # the host's own log, every level

    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            port = web_port(host)
            codes = (host.code("judge", "judge-ada"), host.code("display", None), "ABCD-EFGH")
            for code in codes:
                browser = await Browser.follow(port, code)
                assert await browser.closed() == (4401, "unauthorized")
            right = host.code("team", "team-aurora")
            browser = await Browser.follow(port, right)
            await browser.expect("welcome")
            await browser.close()
            # A code, right or wrong, is never written to the host's log.
            logged = "\n".join(
                r.getMessage() for r in caplog.records if r.name.startswith("tallyboard")
            )
            assert "welcome" in logged  # the log is on
            for code in (*codes, right):
                assert code not in logged
                assert code.replace("-", "") not in logged
            assert len(host.server.core.throttle._by_address["127.0.0.1"]) == 3
            # A hello of the wrong shape, or a second one, is a bad request.
            browser = await Browser.open(port)
            await browser.ws.send(json.dumps({"type": "hello", "protocol": 1, "page": "judge"}))
            assert await browser.closed() == (4400, "bad_request")
            browser = await Browser.follow(port)
            await browser.expect("welcome")
            await browser.ws.send(json.dumps({"type": "hello", "protocol": 1, "page": "public"}))
            assert await browser.closed() == (4400, "bad_request")
            # A page may not speak the sync protocol: a submit is a bad request, never a commit.
            browser = await Browser.follow(port)
            await browser.expect("welcome")
            await browser.ws.send(json.dumps({"type": "submit", "ops": []}))
            assert await browser.closed() == (4400, "bad_request")

    run(main())


def test_wrong_codes_on_the_team_page_are_throttled_with_the_sync_ports(tmp_path: Path) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            port = web_port(host)
            right = host.code("team", "team-aurora")
            for k in range(10):
                browser = await Browser.follow(port, f"WRNG-{k:04d}", local="127.0.0.2")
                assert await browser.closed() == (4401, "unauthorized")
            # Now even the right code is refused unchecked from that address, on both ports.
            browser = await Browser.follow(port, right, local="127.0.0.2")
            assert await browser.closed() == (4429, "too_many_attempts")
            team = Peer(tmp_path, "team")
            await team.connect(host.url, local="127.0.0.2")
            await team.send(team.hello(code=right))
            code, error = await team.closed()
            assert (code, error and error["code"]) == (4429, "too_many_attempts")
            # Another address is served, and the public page needs no code.
            other = await Browser.follow(port, right, local="127.0.0.3")
            assert (await other.expect("welcome"))["subject"] == "team-aurora"
            public = await Browser.follow(port, local="127.0.0.2")
            assert (await public.expect("welcome"))["role"] == "display"
            for peer in (other, public):
                await peer.close()
            team.replica.close()

    run(main())


def test_a_flood_from_one_address_is_shed_and_another_address_is_served(tmp_path: Path) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path, max_web_per_address=4, max_web=12) as host:
            port = web_port(host)
            flood = [await Browser.follow(port, local="127.0.0.2") for _ in range(10)]
            for browser in flood[-4:]:
                await browser.expect("welcome")
            # The oldest six were shed (4429) to make room; the newest four follow the board.
            for browser in flood[:6]:
                code, _ = await browser.closed()
                assert code == 4429
            # Idle TCP that never sends a request counts too, and is shed the same way.
            idle = [
                await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.2", 0))
                for _ in range(6)
            ]
            assert host.server.web is not None
            assert host.server.web.admission.count("127.0.0.2") == 4
            # Another address gets in, and gets the next board.
            others = [await Browser.follow(port, local=f"127.0.0.{k}") for k in (3, 4, 5)]
            for browser in others:
                await browser.expect("leaderboard_update")
            ada = await scored(host, tmp_path)
            for browser in others:
                board = await browser.expect("leaderboard_update")
                assert board["data"][0]["team_id"] in ("team-aurora", "team-basalt", "team-cobalt")
            assert len(host.server.web.admission) <= 12
            for _, writer in idle:
                writer.close()
            for browser in flood[-4:] + others:
                await browser.close()
            await ada.close()

    run(main())


def test_a_page_that_says_no_hello_is_closed(tmp_path: Path) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path, hello_timeout=0.5) as host:
            browser = await Browser.open(web_port(host))
            code, _ = await browser.closed()
            assert code == 4401

    run(main())


def test_the_host_logs_the_public_page_beside_the_sync_address(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="tallyboard")

    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            lines = [r.getMessage() for r in caplog.records if r.name == "tallyboard.host"]
            serving = next(k for k, line in enumerate(lines) if line.startswith("serving event"))
            page = f"http://127.0.0.1:{web_port(host)}/"
            assert lines[serving + 1] == f"public page at {page} (team page: {page}team)"

    run(main())


def test_a_host_serves_no_pages_unless_asked(tmp_path: Path) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            assert host.server.web is None
            assert host.server.web_url is None

    run(main())


def test_a_taken_default_web_port_leaves_judges_served_and_a_chosen_one_refuses(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def main() -> None:
        squatter = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        taken = squatter.sockets[0].getsockname()[1]
        try:
            # Nobody chose the port (the default one): the pages give way, judges do not.
            async with hosting(tmp_path / "a", web_port=taken, web_optional=True) as host:
                assert host.server.web is None
                assert host.server.web_url is None
                ada = Peer(tmp_path / "a", "ada")
                await ada.join(host.url, host.code("judge", "judge-ada"))
                op = judge_op(ada, sheet("team-aurora"))
                assert (await ada.submit(op))["accepted"] == [op["id"]]
            assert f"no public page: port {taken} is taken" in caplog.text
            # A port the organiser asked for is not given up in silence: the host does not start.
            failed = Host(tmp_path / "b", web_port=taken)
            with pytest.raises(OSError, match="address already in use"):
                await failed.server.start()
            assert failed.server._server is None  # the sync port was let go again
            failed.replica.close()
        finally:
            squatter.close()
            await squatter.wait_closed()

    with caplog.at_level(logging.WARNING, logger="tallyboard.host"):
        run(main())


# --- prize and round boards on the pages (docs/protocol.md 4e, 13) -------------------------------

AI = {"round": "main", "prize": "prize-ai"}
OPEN = {"round": "main", "prize": "prize-open-data"}


def _two_prizes(host: Host) -> None:
    """Give the AI prize a sponsor, hide the open-data prize, and show the main board and both
    prizes' boards on displays."""
    state = host.replica.state
    ai, data = state.prize("prize-ai"), state.prize("prize-open-data")
    assert ai is not None
    assert data is not None
    host.server.admin("prize.put", {**ai, "sponsor": "Nordlicht"})
    host.server.admin("prize.put", {**data, "hidden": True})
    main = {"round": "main", "prize": None}
    host.server.admin("event.set", {"field": "display_boards", "value": [main, AI, OPEN]})


def test_a_public_page_with_boards_gets_what_a_display_with_boards_gets_and_no_hidden_prize(
    tmp_path: Path,
) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            _two_prizes(host)
            ada = await scored(host, tmp_path)
            display = Peer(tmp_path, "display")
            await display.connect(host.url)
            await display.send(display.hello(code=host.code("display", None)) | {"boards": True})
            await display.expect("welcome")
            browser = await Browser.open(web_port(host))
            hello = {"type": "hello", "protocol": 1, "page": "public", "boards": True}
            await browser.ws.send(json.dumps(hello))
            welcome = await browser.expect("welcome")
            assert [p["name"] for p in welcome["event"]["prizes"]] == ["Best use of AI"]
            control = await browser.expect("display_control")
            assert control["boards"] == [None, AI]  # the hidden prize is left out
            board = next(
                m for m in browser.inbox if m["type"] == "leaderboard_update" and m.get("board")
            )
            assert board["board"] == AI
            assert board["title"]["prize_name"] == "Best use of AI"
            assert board["title"]["sponsor"] == "Nordlicht"
            # The prize's own board: its teams alone (Basalt is not in the AI prize).
            assert [r["team_name"] for r in board["data"] if r["rank"]] == ["Aurora", "Cobalt Cats"]
            # A ceremony on the prize's board: the page and the display hear the same frames.
            display.inbox.clear()
            await display.quiet(0.3)
            browser.inbox.clear()
            host.server.admin("event.set", {"field": "reveal_board", "value": AI})
            host.server.admin("event.set", {"field": "display_mode", "value": "reveal"})
            host.server.admin("event.set", {"field": "reveal_count", "value": 1})
            seen = await browser.quiet(0.6)
            shown = await display.quiet(0.6)

            def frames(inbox: list[dict[str, Any]]) -> list[dict[str, Any]]:
                return [{**m, "timestamp": None} for m in inbox]

            assert frames(seen) == frames(shown)
            controls = [m for m in seen if m["type"] == "display_control"]
            assert controls[-1]["boards"] == [AI]
            assert controls[-1]["mode"] == "reveal"
            staged = [m for m in seen if m["type"] == "leaderboard_update" and m.get("board") == AI]
            assert len(staged[-1]["data"]) == 1
            everything = json.dumps(welcome) + json.dumps(browser.inbox)
            assert "prize-open-data" not in everything
            assert "Harbour Open Data Prize" not in everything
            await browser.close()
            for peer in (ada, display):
                await peer.close()

    run(main())


def test_a_page_with_deltas_is_sent_deltas_and_may_ask_for_the_whole_board_again(
    tmp_path: Path,
) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            ada = await scored(host, tmp_path)
            browser = await Browser.open(web_port(host))
            hello = {"type": "hello", "protocol": 1, "page": "public", "deltas": True}
            await browser.ws.send(json.dumps(hello))
            first = await browser.expect("leaderboard_update")
            await ada.submit(judge_op(ada, sheet("team-driftwood", (99, 99, 99))))
            delta = await browser.expect("leaderboard_delta")
            assert delta["base"] == first["revision"]
            assert [r["team_id"] for r in delta["rows"]] == ["team-driftwood"]
            await browser.ws.send(json.dumps({"type": "leaderboard_request"}))
            again = await browser.expect("leaderboard_update")
            assert again["revision"] == delta["revision"]
            assert again["data"][0]["team_id"] == "team-driftwood"
            # Once per revision, however often it asks; the socket stays open.
            await browser.ws.send(json.dumps({"type": "leaderboard_request"}))
            assert await browser.quiet() == []
            await browser.ws.send(json.dumps({"type": "submit", "ops": []}))
            assert await browser.closed() == (4400, "bad_request")
            await ada.close()

    run(main())


def test_a_team_page_with_boards_lists_its_public_prizes_and_gets_their_boards_once_released(
    tmp_path: Path,
) -> None:
    async def main() -> None:
        async with web_hosting(tmp_path) as host:
            _two_prizes(host)
            ada = await scored(host, tmp_path)
            await ada.submit(judge_op(ada, sheet("team-ember", (70, 70, 70))))
            browser = await Browser.open(web_port(host))
            hello = {"type": "hello", "protocol": 1, "page": "team", "boards": True}
            await browser.ws.send(json.dumps(hello | {"code": host.code("team", "team-ember")}))
            welcome = await browser.expect("welcome")
            # Ember is in both prizes; the hidden one is never named to it.
            assert welcome["event"]["prizes"] == [
                {"id": "prize-ai", "name": "Best use of AI", "sponsor": "Nordlicht"}
            ]
            assert not [m for m in await browser.quiet() if m["type"] == "leaderboard_update"]
            host.server.admin("event.set", {"field": "phase", "value": "released"})
            await browser.expect("leaderboard_update")
            await browser.quiet(0.5)
            boards = [m for m in browser.inbox if m["type"] == "leaderboard_update"]
            assert {json.dumps(m.get("board")) for m in boards} == {"null", json.dumps(AI)}
            ai = next(m for m in boards if m.get("board") == AI)
            mine = next(r for r in ai["data"] if r["team_id"] == "team-ember")
            assert (mine["rank"], mine["total_score"]) == (2, 70.0)
            assert "prize-open-data" not in json.dumps(browser.inbox)
            await browser.close()
            await ada.close()

    run(main())
