"""Every round's and prize's board on the wire (docs/protocol.md 4e), over the real host core.

The demo event has two prizes (`prize-ai`, opt-in; `prize-open-data`, opt-in, judged by listed
judges) and a weighted `finals` round of the top 3. Peers here say `boards` in their hello, as
sync.peercore does, unless a test is about an old peer that does not.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.boards import boards as all_boards
from storage.hlc import system_ms
from storage.replica import Rejected
from storage.scoring import Row
from sync import feeds
from sync import messages as m
from tests.kit import FakeClock, run
from tests.sync.conftest import CoreHost, CorePeer, Peer, core_hosting, hosting, judge_op, sheet

AI = {"round": "main", "prize": "prize-ai"}
OPEN = {"round": "main", "prize": "prize-open-data"}
FINALS = {"round": "finals", "prize": None}
MAIN = {"round": "main", "prize": None}  # the main board's name in display_boards
FINALS_AI = {"round": "finals", "prize": "prize-ai"}


def _name(board: dict[str, Any] | None) -> str:
    return json.dumps(board, sort_keys=True)


class Boards:
    """A peer's boards as it holds them, the main one (`"null"`) and each named one apart:
    snapshots replaced, deltas applied to their base; and every display_control it got."""

    def __init__(self, peer: CorePeer) -> None:
        self.peer = peer
        self.held: dict[str, dict[str, Any]] = {}
        self.controls: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.withdrawn: list[dict[str, Any] | None] = []  # the boards withdrawn, in order
        self.fresh = False

    def read(self) -> None:
        for message in self.peer.quiet():
            self.messages.append(message)
            kind = message["type"]
            if kind == "welcome" or kind.startswith("leaderboard_"):
                self.fresh = kind == "welcome"  # no board since the welcome
            if kind == "leaderboard_update":
                self.held[_name(message.get("board"))] = message
            elif kind == "leaderboard_delta":
                name = _name(message.get("board"))
                delta = m.parse_leaderboard_delta(message)
                base = self.held.get(name)
                assert base is not None, f"a delta before any snapshot of {name}"
                assert delta.base == base["revision"], "a delta that skips one"
                rows = m.apply_delta(base["data"], delta)
                assert rows is not None, "a delta that does not fit its base"
                self.held[name] = m.LeaderboardUpdate(
                    delta.revision,
                    delta.mode,
                    tuple(rows),
                    delta.timestamp,
                    delta.phase,
                    delta.board,
                    delta.title,
                ).to_wire()
            elif kind == "display_control":
                m.parse_display_control(message)
                self.controls.append(message)
            elif kind == "board_withdrawn":
                # After a welcome the main board may be withdrawn unheld (a device keeps one
                # across restarts); any other withdrawal is of a board held.
                name = _name(m.parse_board_withdrawn(message).board)
                welcomed = self.fresh and name == "null"
                assert name in self.held or welcomed, f"{name} withdrawn, never held"
                if self.held.pop(name, None) is not None or not welcomed:
                    self.withdrawn.append(message.get("board"))

    def rows(self, board: dict[str, Any] | None) -> list[dict[str, Any]] | None:
        held = self.held.get(_name(board))
        return None if held is None else list(held["data"])

    def named(self) -> set[str]:
        return {name for name in self.held if name != "null"}


def _join(host: CoreHost, peer: CorePeer, code: str, **wishes: object) -> Boards:
    peer.connect(host)
    peer.send(peer.hello(code=code) | {"boards": True} | wishes)
    welcome = peer.expect("welcome")
    peer.token = welcome["token"]
    peer.unread.insert(0, welcome)  # read() sees the welcome's whole backlog
    reader = Boards(peer)
    reader.read()
    return reader


def _ticking_host(folder: Path) -> CoreHost:
    # Each reading of the clock moves it 1 s: every recomputation is due at once.
    return CoreHost(folder, now=FakeClock(system_ms(), tick=1000))


def _score(host: CoreHost, judge: CorePeer, who: str, team: str, scores: tuple[float, ...]) -> None:
    ack = judge.submit(judge_op(judge, sheet(team, scores), f"judge-{who}"))
    assert ack["accepted"], ack


def _five(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        Row(r.rank, r.team_id, r.team_name, r.total_score, r.judge_count).to_wire() for r in rows
    ]


def _board_rows(host: CoreHost, round_id: str, prize: str | None) -> list[dict[str, Any]]:
    found = {b.key: b for b in all_boards(host.replica.state)}
    return _five(list(found[(round_id, prize)].rows))


def test_an_old_peer_gets_the_main_board_alone_and_no_display_control(tmp_path: Path) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        old = CorePeer(tmp_path, "old")
        old.join(host, host.code("display", None))  # its hello has no `boards`
        new = _join(host, CorePeer(tmp_path, "new"), host.code("display", None))
        host.admin("event.set", {"field": "display_boards", "value": [MAIN, AI, OPEN]})
        _score(host, ada, "ada", "team-aurora", (80, 80, 80))
        new.read()
        seen = old.quiet()
        assert seen, "the old display got its main board"
        assert all(msg["type"] == "leaderboard_update" for msg in seen)
        assert all("board" not in msg and "title" not in msg for msg in old.inbox)
        assert old.inbox[-1]["data"] == new.rows(None)
        assert new.named() == {_name(AI), _name(OPEN)}
        assert new.controls[-1]["boards"] == [None, AI, OPEN]


def test_a_judge_gets_every_board_hidden_prizes_too_while_judges_see_results(
    tmp_path: Path,
) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        host.admin("prize.put", {"id": "secret", "name": "Judges' pick", "hidden": True})
        judge = _join(host, CorePeer(tmp_path, "bao"), host.code("judge", "judge-bao"))
        assert judge.named() == set()
        host.admin("event.set", {"field": "judges_see_results", "value": True})
        judge.read()
        keys = {
            _name({"round": r, "prize": p})
            for r in ("main", "finals")
            for p in (None, "prize-ai", "prize-open-data", "secret")
        } - {_name({"round": "main", "prize": None})}
        assert judge.named() == keys
        ai = judge.held[_name(AI)]
        assert ai["title"] == {
            "round_name": "Round 1",
            "prize_name": "Best use of AI",
            "sponsor": "",
        }
        assert judge.held[_name(OPEN)]["title"]["sponsor"] == "Port of Harbour Authority"
        assert [r["team_id"] for r in ai["data"]] == sorted(
            ["team-aurora", "team-cobalt", "team-ember", "team-gale"]
        )
        assert not judge.controls  # display_control is for displays alone
        host.admin("event.set", {"field": "judges_see_results", "value": False})
        judge.read()
        before = len(judge.messages)
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        _score(host, ada, "ada", "team-aurora", (90, 90, 90))
        judge.read()
        named = [x for x in judge.messages[before:] if "board" in x]
        assert named == []  # results hidden again: no named board moves


def test_a_team_gets_the_public_boards_it_is_on_once_their_round_is_released(
    tmp_path: Path,
) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        aurora = _join(host, CorePeer(tmp_path, "aurora"), host.code("team", "team-aurora"))
        welcome = aurora.messages[0]
        assert [p["id"] for p in welcome["event"]["prizes"]] == ["prize-ai"]  # the one it is on
        assert [r["id"] for r in welcome["event"]["rounds"]] == ["main", "finals"]
        assert welcome["event"]["rounds"][1]["phase"] == "setup"
        assert aurora.held == {}
        host.admin("event.set", {"field": "phase", "value": "released"})
        aurora.read()
        assert aurora.named() == {_name(AI)}  # not the open data prize: it is not on it
        assert aurora.rows(AI) == _board_rows(host, "main", "prize-ai")
        # The finals: not before its round is released, and only once the team is in it.
        for team in ("team-aurora", "team-basalt"):
            host.admin("finalist.put", {"round": "finals", "team": team, "finalist": True})
        host.admin("round.phase", {"round": "finals", "phase": "released"})
        aurora.read()
        assert aurora.named() == {
            _name(AI),
            _name(FINALS),
            _name({"round": "finals", "prize": "prize-ai"}),
        }
        # A request for a board it may not be sent is answered with nothing.
        aurora.peer.send(m.leaderboard_request(OPEN))
        aurora.peer.send(m.leaderboard_request({"round": "finals", "prize": "prize-open-data"}))
        assert aurora.peer.quiet() == []
        aurora.peer.send(m.leaderboard_request(FINALS))
        assert aurora.peer.quiet() == []  # already sent this revision whole: nothing again


def test_a_board_a_team_may_no_longer_see_is_withdrawn_from_those_that_held_it(
    tmp_path: Path,
) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        for team in ("team-aurora", "team-cobalt"):
            host.admin("finalist.put", {"round": "finals", "team": team, "finalist": True})
        aurora = _join(host, CorePeer(tmp_path, "aurora"), host.code("team", "team-aurora"))
        basalt = _join(host, CorePeer(tmp_path, "basalt"), host.code("team", "team-basalt"))
        old = CorePeer(tmp_path, "old")
        old.join(host, host.code("team", "team-aurora"))  # no `boards`: nothing new for it
        host.admin("event.set", {"field": "phase", "value": "released"})
        host.admin("round.phase", {"round": "finals", "phase": "released"})
        for reader in (aurora, basalt):
            reader.read()
        assert _name(AI) in aurora.named()
        assert _name(AI) not in basalt.named()
        assert _name(FINALS) in aurora.named()
        assert _name(FINALS) not in basalt.named()
        old.quiet()
        # The results taken back (the finals' stay released): the first round's boards go.
        host.admin("event.set", {"field": "phase", "value": "locked"})
        aurora.read()
        basalt.read()
        assert sorted(map(_name, aurora.withdrawn)) == sorted(map(_name, [None, AI]))
        assert sorted(map(_name, basalt.withdrawn)) == sorted(map(_name, [None, OPEN]))
        assert aurora.named() == {_name(FINALS), _name(FINALS_AI)}
        assert all(x["type"] != "board_withdrawn" for x in old.quiet())
        # The finals' release taken back: its boards go. (No prize can be hidden or deleted
        # while a team holds its board: prizes are closed once a round is locked.)
        host.admin("round.phase", {"round": "finals", "phase": "locked"})
        aurora.read()
        assert sorted(map(_name, aurora.withdrawn[2:])) == sorted(map(_name, [FINALS, FINALS_AI]))
        assert aurora.held == {}
        assert len(basalt.withdrawn) == 2
        assert all(x["type"] != "board_withdrawn" for x in old.quiet())
        # Released again: the main board comes back whole, as the first time.
        host.admin("event.set", {"field": "phase", "value": "released"})
        aurora.read()
        assert aurora.rows(None) is not None


def test_a_withdrawal_never_names_a_prize_the_team_was_not_sent(tmp_path: Path) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        prize = host.replica.state.prize("prize-ai")
        assert prize is not None
        host.admin("prize.put", {**prize, "hidden": True})
        aurora = _join(host, CorePeer(tmp_path, "aurora"), host.code("team", "team-aurora"))
        host.admin("event.set", {"field": "phase", "value": "released"})
        host.admin("event.set", {"field": "phase", "value": "scoring"})
        host.admin("prize.del", {"id": "prize-ai"})
        aurora.read()
        assert aurora.withdrawn == [None]  # the main board it held, nothing of the hidden prize
        assert all("prize-ai" not in json.dumps(x) for x in aurora.messages)


def test_a_judge_no_longer_let_see_results_has_every_board_withdrawn(tmp_path: Path) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        judge = _join(host, CorePeer(tmp_path, "bao"), host.code("judge", "judge-bao"))
        host.admin("event.set", {"field": "judges_see_results", "value": True})
        judge.read()
        held = set(judge.held)
        assert _name(None) in held
        assert len(held) > 1
        host.admin("event.set", {"field": "judges_see_results", "value": False})
        judge.read()
        assert judge.held == {}
        assert {_name(b) for b in judge.withdrawn} == held


def test_a_display_told_to_show_others_has_the_old_ones_withdrawn(tmp_path: Path) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        host.admin("event.set", {"field": "display_boards", "value": [MAIN, AI, OPEN]})
        display = _join(host, CorePeer(tmp_path, "d"), host.code("display", None))
        assert display.named() == {_name(AI), _name(OPEN)}
        host.admin("event.set", {"field": "display_boards", "value": [OPEN, AI]})
        display.read()
        assert display.withdrawn == []  # the same boards in another order
        host.admin("event.set", {"field": "display_boards", "value": [OPEN]})
        display.read()
        assert display.withdrawn == [AI]
        assert display.controls[-1]["boards"] == [OPEN]
        host.admin("event.set", {"field": "display_boards", "value": [OPEN, AI]})
        display.read()
        assert display.rows(AI) is not None  # back, whole
        prize = host.replica.state.prize("prize-ai")
        assert prize is not None
        host.admin("prize.put", {**prize, "hidden": True})
        display.read()
        assert display.withdrawn == [AI, AI]
        assert display.controls[-1]["boards"] == [OPEN]
        assert display.rows(None) is not None  # the main board: a display always may see it


def test_a_team_welcomed_while_results_are_withheld_drops_the_board_it_kept(
    tmp_path: Path,
) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        host.admin("event.set", {"field": "phase", "value": "released"})
        aurora = _join(host, CorePeer(tmp_path, "aurora"), host.code("team", "team-aurora"))
        assert aurora.rows(None) is not None
        assert aurora.withdrawn == []  # released: its board, no withdrawal
        aurora.peer.disconnect()
        host.admin("event.set", {"field": "phase", "value": "locked"})
        aurora.peer.connect(host)
        aurora.peer.send(aurora.peer.hello(token=aurora.peer.token) | {"boards": True})
        aurora.read()
        assert [x["type"] for x in aurora.messages[-2:]] == ["welcome", "board_withdrawn"]
        assert aurora.withdrawn == [None]
        old = CorePeer(tmp_path, "old")
        old.join(host, host.code("team", "team-aurora"))
        assert all(x["type"] != "board_withdrawn" for x in old.quiet() + old.inbox)


def test_a_tick_where_no_board_is_seen_otherwise_looks_at_no_session(tmp_path: Path) -> None:
    # Counted, not timed: the sessions the withdrawals looked at (issue 14: 3,500 a tick).
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        host.admin("event.set", {"field": "judges_see_results", "value": True})
        host.admin("event.set", {"field": "display_boards", "value": [MAIN, AI, OPEN]})
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        readers = {
            "aurora": _join(host, CorePeer(tmp_path, "aurora"), host.code("team", "team-aurora")),
            "basalt": _join(host, CorePeer(tmp_path, "basalt"), host.code("team", "team-basalt")),
            "bao": _join(host, CorePeer(tmp_path, "bao"), host.code("judge", "judge-bao")),
            "d1": _join(host, CorePeer(tmp_path, "d1"), host.code("display", None)),
            "d2": _join(host, CorePeer(tmp_path, "d2"), host.code("display", None), deltas=True),
        }

        def quiet_ticks() -> None:
            looked = host.core.withdrawal_examined
            _score(host, ada, "ada", "team-aurora", (80, 80, 80))  # rows move, no readers
            _score(host, ada, "ada", "team-aurora", (60, 70, 80))
            _score(host, ada, "ada", "team-basalt", (50, 70, 80))
            for _ in range(3):
                host.perform(host.core.boards())
            for reader in readers.values():
                before = len(reader.withdrawn)
                reader.read()
                assert reader.withdrawn[before:] == []
            assert host.core.withdrawal_examined == looked

        host.perform(host.core.boards())
        quiet_ticks()
        # The displays' boards change: the displays' holdings alone are looked at.
        looked = host.core.withdrawal_examined
        held = sum(len(readers[d].held) for d in ("d1", "d2"))
        host.admin("event.set", {"field": "display_boards", "value": [MAIN, OPEN]})
        assert host.core.withdrawal_examined == looked + held
        for name, reader in readers.items():
            reader.read()
            assert reader.withdrawn == ([AI] if name.startswith("d") else []), name
        # A prize hidden: the holders of its boards alone (the judge keeps them: judges see all).
        looked = host.core.withdrawal_examined
        holding = {name for name, r in readers.items() if _name(OPEN) in r.held}
        assert holding == {"d1", "d2", "bao"}  # no round is released to teams yet
        boards_held = sum("prize-open-data" in name for r in readers.values() for name in r.held)
        assert boards_held == 4  # and the judge the finals' board of that prize
        prize = host.replica.state.prize("prize-open-data")
        assert prize is not None
        host.admin("prize.put", {**prize, "hidden": True})
        assert host.core.withdrawal_examined == looked + boards_held
        for name, reader in readers.items():
            before = len(reader.withdrawn)
            reader.read()
            told = [OPEN] if name in {"d1", "d2"} else []
            assert reader.withdrawn[before:] == told, name
        assert _name(OPEN) in readers["bao"].held
        # The finals released: the teams on them hold their boards; sheets still move nothing.
        for team in ("team-aurora", "team-cobalt"):
            host.admin("finalist.put", {"round": "finals", "team": team, "finalist": True})
        host.admin("round.phase", {"round": "finals", "phase": "released"})
        readers["aurora"].read()
        assert _name(FINALS) in readers["aurora"].held
        quiet_ticks()
        # The finals' release taken back: every holder of the finals' boards is told.
        host.admin("round.phase", {"round": "finals", "phase": "locked"})
        readers["aurora"].read()
        assert readers["aurora"].named() == set()
        assert _name(FINALS) in readers["bao"].held  # judges see every round's boards


def test_a_team_never_gets_a_hidden_prizes_board_nor_hears_of_the_prize(tmp_path: Path) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        prize = host.replica.state.prize("prize-ai")
        assert prize is not None
        host.admin("prize.put", {**prize, "hidden": True})
        host.admin("event.set", {"field": "phase", "value": "released"})
        later = _join(host, CorePeer(tmp_path, "aurora2"), host.code("team", "team-aurora"))
        assert later.named() == set()
        assert later.messages[0]["event"]["prizes"] == []
        assert later.rows(None) is not None  # its main board, as ever
        later.peer.send(m.leaderboard_request(AI))
        later.peer.send(m.leaderboard_request(OPEN))
        assert later.peer.quiet() == []


def test_a_later_rounds_sheet_reaches_its_team_with_its_round_once_released(tmp_path: Path) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        host.admin("finalist.put", {"round": "finals", "team": "team-aurora", "finalist": True})
        host.admin("round.phase", {"round": "finals", "phase": "scoring"})
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        aurora = CorePeer(tmp_path, "aurora")
        aurora.join(host, host.code("team", "team-aurora"))
        body = sheet("team-aurora", (70, 70, 70)) | {"round": "finals"}
        ack = ada.submit(judge_op(ada, body))
        assert ack["accepted"]
        update = ada.expect("score_update")
        assert update["data"]["round"] == "finals"
        assert update["data"]["judge_id"] == "judge-ada"
        assert [x for x in aurora.quiet() if x["type"] == "score_update"] == []
        main = ada.submit(judge_op(ada, sheet("team-aurora", (70, 70, 70))))
        assert main["accepted"]
        assert "round" not in ada.expect("score_update")["data"]
        host.admin("round.phase", {"round": "finals", "phase": "released"})
        scores = [x for x in aurora.quiet() if x["type"] == "score_update"]
        assert [x["data"].get("round") for x in scores] == ["finals"]  # the first round: not yet
        assert scores[0]["data"]["judge_id"] is None
        # Its opaque id differs from the first round's sheet of the same judge and team.
        host.admin("event.set", {"field": "phase", "value": "released"})
        both = [x for x in aurora.quiet() if x["type"] == "score_update"]
        ids = {x["data"].get("round"): x["data"]["sheet_id"] for x in both}
        assert set(ids) == {None, "finals"}
        assert ids[None] != ids["finals"]
        # A judge let see results is sent every round's winning sheets.
        bao = CorePeer(tmp_path, "bao")
        bao.join(host, host.code("judge", "judge-bao"))
        host.admin("event.set", {"field": "judges_see_results", "value": True})
        sent = [o["body"] for x in bao.quiet() if x["type"] == "ops" for o in x["ops"]]
        assert {"finals"} <= {b.get("round") for b in sent if "scores" in b}


def test_a_display_gets_its_boards_in_its_mode_and_a_control_when_it_changes(
    tmp_path: Path,
) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        for team, mark in (("team-aurora", 90), ("team-cobalt", 60), ("team-gale", 75)):
            _score(host, ada, "ada", team, (mark, mark, mark))
        display = _join(host, CorePeer(tmp_path, "d"), host.code("display", None))
        assert display.named() == set()
        assert display.controls[-1]["boards"] == [None]
        count = len(display.controls)
        host.admin("event.set", {"field": "display_rotate", "value": 20})  # no change: no control
        display.read()
        assert len(display.controls) == count
        host.admin("event.set", {"field": "display_boards", "value": [AI, FINALS]})
        display.read()
        assert display.named() == {_name(AI), _name(FINALS)}
        assert display.controls[-1]["boards"] == [AI, FINALS]
        assert [r["total_score"] for r in display.rows(AI) or []] == [90.0, 75.0, 60.0, None]
        # progress: names and counts, by name, on every board.
        host.admin("event.set", {"field": "display_mode", "value": "progress"})
        display.read()
        for name in (None, AI):
            rows = display.rows(name) or []
            assert all(set(r) == {"team_id", "team_name", "judge_count"} for r in rows)
        assert [r["team_name"] for r in display.rows(AI) or []] == [
            "Aurora",
            "Cobalt Cats",
            "Ember Labs",
            "Gale Force",
        ]
        # reveal on the AI prize: its last place alone; the main board shows none.
        host.admin("event.set", {"field": "reveal_board", "value": AI})
        host.admin("event.set", {"field": "reveal_count", "value": 1})
        host.admin("event.set", {"field": "display_mode", "value": "reveal"})
        display.read()
        assert display.controls[-1]["boards"] == [AI]
        assert display.controls[-1]["reveal_board"] == AI
        assert [r["team_id"] for r in display.rows(AI) or []] == ["team-cobalt"]
        assert display.rows(None) == []
        assert display.rows(FINALS) == []
        # frozen: each board keeps its rows of that moment, whatever is scored after.
        host.admin("event.set", {"field": "display_mode", "value": "live"})
        host.admin("event.set", {"field": "display_mode", "value": "frozen"})
        display.read()
        frozen = display.rows(AI)
        _score(host, ada, "ada", "team-ember", (99, 99, 99))
        display.read()
        assert display.rows(AI) == frozen
        assert all(r["team_id"] != "team-ember" or r["total_score"] is None for r in frozen or [])
        # A prize hidden: left out of the control, its board never sent to a newcomer.
        host.admin("event.set", {"field": "display_mode", "value": "live"})
        prize = host.replica.state.prize("prize-ai")
        assert prize is not None
        host.admin("prize.put", {**prize, "hidden": True})
        display.read()
        assert display.controls[-1]["boards"] == [FINALS]
        newcomer = _join(host, CorePeer(tmp_path, "d2"), host.code("display", None))
        assert newcomer.named() == {_name(FINALS)}
        assert all(x.get("board") != AI for x in newcomer.messages)
        host.admin("prize.del", {"id": "prize-open-data"})
        host.admin("event.set", {"field": "display_boards", "value": [AI, OPEN]})
        newcomer.read()
        assert newcomer.controls[-1]["boards"] == [None]  # nothing public left: the main board


def test_top_applies_to_each_named_board(tmp_path: Path) -> None:
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        host.admin("event.set", {"field": "display_boards", "value": [MAIN, AI]})
        display = _join(
            host, CorePeer(tmp_path, "d"), host.code("display", None), top=2, deltas=True
        )
        for team, mark in (("team-aurora", 90), ("team-cobalt", 60), ("team-gale", 75)):
            _score(host, ada, "ada", team, (mark, mark, mark))
        display.read()
        assert [r["team_id"] for r in display.rows(AI) or []] == ["team-aurora", "team-gale"]
        assert len(display.rows(None) or []) == 2
        assert any(
            x["type"] == "leaderboard_delta" and x.get("board") == AI for x in display.messages
        )


def test_a_sheets_tie_break_ranks_the_main_board_as_the_console_does(tmp_path: Path) -> None:
    """The Scoreboard splits ties by criteria alone: `#sheets` must come from storage.boards."""
    with core_hosting(tmp_path, now=FakeClock(system_ms(), tick=1000)) as host:
        host.admin("event.set", {"field": "tie_break", "value": ["#sheets"]})
        judges = {}
        for who in ("ada", "bao"):
            judges[who] = CorePeer(tmp_path, who)
            judges[who].join(host, host.code("judge", f"judge-{who}"))
        old = CorePeer(tmp_path, "old")
        old.join(host, host.code("display", None))
        # Basalt: two sheets of 80; Aurora: one of 80. Equal totals, more sheets first.
        _score(host, judges["ada"], "ada", "team-aurora", (80, 80, 80))
        _score(host, judges["ada"], "ada", "team-basalt", (80, 80, 80))
        _score(host, judges["bao"], "bao", "team-basalt", (80, 80, 80))
        board = [x for x in old.quiet() if x["type"] == "leaderboard_update"][-1]
        assert board["data"] == _board_rows(host, "main", None)
        assert [(r["rank"], r["team_id"]) for r in board["data"][:2]] == [
            (1, "team-basalt"),
            (2, "team-aurora"),
        ]


def test_named_boards_are_recomputed_at_most_once_per_interval(tmp_path: Path) -> None:
    clock = FakeClock(system_ms())
    with core_hosting(tmp_path, now=clock) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        host.admin("event.set", {"field": "display_boards", "value": [AI]})
        display = _join(host, CorePeer(tmp_path, "d"), host.code("display", None), deltas=True)
        clock.advance(1000)
        _score(host, ada, "ada", "team-aurora", (90, 90, 90))  # computed: the interval had passed
        display.read()
        assert (display.rows(AI) or [])[0]["total_score"] == 90.0
        assert not host.core.boards_pending
        clock.advance(10)
        _score(host, ada, "ada", "team-cobalt", (95, 95, 95))  # within 50 ms: held back
        display.read()
        assert (display.rows(AI) or [])[0]["team_id"] == "team-aurora"
        assert (display.rows(None) or [])[0]["team_id"] == "team-cobalt"  # the main board is not
        assert host.core.boards_pending  # the driver ticks again
        host.perform(host.core.boards())
        display.read()
        assert (display.rows(AI) or [])[0]["team_id"] == "team-aurora"
        clock.advance(50)
        host.perform(host.core.boards())
        display.read()
        assert (display.rows(AI) or [])[0]["team_id"] == "team-cobalt"
        assert not host.core.boards_pending
        host.perform(host.core.boards())  # nothing changed since: nothing is sent
        assert display.peer.quiet() == []


# --- any event: deltas on named boards give the board recomputed, and nothing a rule hides ------

TEAMS = ("team-aurora", "team-basalt", "team-cobalt", "team-ember", "team-gale")
BOARD_NAMES = (None, AI, OPEN, FINALS, {"round": "finals", "prize": "prize-ai"})

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("sheet"),
            st.sampled_from(("ada", "carmen")),
            st.sampled_from(TEAMS),
            st.sampled_from((0, 40, 60, 100)),
            st.booleans(),
        ),
        st.tuples(
            st.just("display_mode"), st.sampled_from(("live", "progress", "reveal", "frozen"))
        ),
        st.tuples(st.just("reveal_count"), st.integers(0, 4)),
        st.tuples(st.just("reveal_board"), st.sampled_from(BOARD_NAMES)),
        st.tuples(
            st.just("display_boards"),
            st.lists(st.sampled_from((MAIN, *BOARD_NAMES[1:])), max_size=3, unique_by=_name),
        ),
        st.tuples(st.just("phase"), st.sampled_from(("scoring", "released"))),
        st.tuples(st.just("finals"), st.sampled_from(("scoring", "released"))),
        st.tuples(st.just("finalist"), st.sampled_from(TEAMS), st.booleans()),
        st.tuples(st.just("judges_see_results"), st.booleans()),
        st.tuples(st.just("hide"), st.sampled_from(("prize-ai", "prize-open-data")), st.booleans()),
        st.tuples(st.just("tie_break"), st.sampled_from(([], ["#sheets"], ["design"]))),
    ),
    max_size=12,
)


def _step(host: CoreHost, judges: dict[str, CorePeer], step: tuple[Any, ...]) -> None:
    with contextlib.suppress(Rejected):  # refused as the console would be: no step
        _do_step(host, judges, step)
    # As sync.server does: tick again while a recomputation is held back by the interval
    # (the ticking clock makes each computation look 1 s long, so a few ticks are due).
    for _ in range(50):
        if not host.core.boards_pending:
            break
        host.perform(host.core.boards())
    assert not host.core.boards_pending


def _do_step(host: CoreHost, judges: dict[str, CorePeer], step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "sheet":
        _, who, team, mark, final = step
        body = sheet(team, (mark, mark, mark), final=final)
        judges[who].submit(judge_op(judges[who], body, f"judge-{who}"))
    elif kind == "finals":
        host.admin("round.phase", {"round": "finals", "phase": step[1]})
    elif kind == "finalist":
        host.admin("finalist.put", {"round": "finals", "team": step[1], "finalist": step[2]})
    elif kind == "hide":
        prize = host.replica.state.prize(step[1])
        assert prize is not None
        host.admin("prize.put", {**prize, "hidden": step[2]})
    else:
        host.admin("event.set", {"field": kind, "value": step[1]})


def _expected(host: CoreHost, role: str, subject: str | None, top: int | None) -> dict[str, Any]:
    """Return the named boards a reader should hold now, from the state alone."""
    state = host.replica.state
    vis = feeds.Visibility.of(state.event())
    display = feeds.DisplaySettings.of(state.event_setting)
    found = {b.key: b for b in all_boards(state)}
    facts = [
        feeds.BoardFacts(k, not b.hidden, state.round_phase(k[0]) == "released")
        for k, b in found.items()
    ]
    keys = feeds.named_boards(
        role, vis, display, facts, lambda k: any(r.team_id == subject for r in found[k].rows)
    )
    frozen_text = host.replica.setting("frozen_named")
    frozen = {tuple(i["board"]): i["rows"] for i in json.loads(frozen_text or "[]")}
    expected = {}
    for key in keys:
        rows = [
            Row(r.rank, r.team_id, r.team_name, r.total_score, r.judge_count)
            for r in found[key].rows
        ]
        view = feeds.named_board(
            role, vis, rows, frozen.get(key), None, key == display.reveal_board
        )
        assert view is not None
        expected[_name(feeds.board_name(key))] = (view[0], feeds.top_rows(role, view[1], top))
    return expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_named_boards_applied_equal_the_boards_recomputed_and_keep_every_rule(
    steps: list[tuple[Any, ...]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        host = _ticking_host(folder)
        try:
            judges = {}
            for who in ("ada", "carmen"):
                judges[who] = CorePeer(folder, who)
                judges[who].join(host, host.code("judge", f"judge-{who}"))
            display = host.code("display", None)
            readers = {
                ("display", None, None): _join(host, CorePeer(folder, "d1"), display, deltas=True),
                ("display", None, 2): _join(
                    host, CorePeer(folder, "d2"), display, deltas=True, top=2
                ),
                ("team", "team-ember", None): _join(
                    host, CorePeer(folder, "t1"), host.code("team", "team-ember"), deltas=True
                ),
                ("team", "team-basalt", None): _join(
                    host, CorePeer(folder, "t2"), host.code("team", "team-basalt")
                ),
                ("judge", "judge-bao", None): _join(
                    host, CorePeer(folder, "j1"), host.code("judge", "judge-bao"), deltas=True
                ),
            }
            for step in steps:
                _step(host, judges, step)
                hidden = {p["id"] for p in host.replica.state.prizes() if p["hidden"]}
                for (role, subject, top), reader in readers.items():
                    reader.read()
                    expected = _expected(host, role, subject, top)
                    for name, (mode, rows) in expected.items():
                        held = reader.held.get(name)
                        assert held is not None, (role, name)
                        assert (held["mode"], held["data"]) == (mode, rows), (role, subject, name)
                    # Nothing it may no longer see stays held: what stopped is withdrawn (4e).
                    named = set(reader.held) - {_name(None)}  # `expected` lists named ones
                    assert named <= set(expected), (role, subject)
                    # The main board too: held only while the role may see it.
                    vis = feeds.Visibility.of(host.replica.state.event())
                    if feeds.board(role, vis, []) is None:
                        assert _name(None) not in reader.held, (role, subject)
                    for message in reader.messages:  # this step's, sent after its op
                        if message["type"] == "board_withdrawn":
                            continue  # of a board it held (Boards.read checks), hidden since
                        board = message.get("board")
                        if role != "judge" and board is not None:
                            assert board["prize"] not in hidden, (role, board)
                        if role == "team" and board is not None:
                            assert subject in {r["team_id"] for r in message.get("data", [])} or (
                                message["type"] == "leaderboard_delta"
                            )
                    if role == "display" and reader.controls:
                        control = reader.controls[-1]
                        assert all(b is None or b["prize"] not in hidden for b in control["boards"])
                    reader.messages.clear()
        finally:
            host.replica.close()


# --- over a real socket, with the real driver ---------------------------------------------------


def test_a_display_over_a_socket_gets_its_public_boards_and_never_a_hidden_one(
    tmp_path: Path,
) -> None:
    async def main() -> None:
        async with hosting(tmp_path) as host:
            prize = host.replica.state.prize("prize-open-data")
            assert prize is not None
            host.server.admin("prize.put", {**prize, "hidden": True})
            host.server.admin("event.set", {"field": "display_boards", "value": [AI, OPEN]})
            ada, display = Peer(tmp_path, "ada"), Peer(tmp_path, "display")
            await ada.join(host.url, host.code("judge", "judge-ada"))
            await display.connect(host.url)
            await display.send(display.hello(code=host.code("display", None)) | {"boards": True})
            await display.expect("welcome")
            named = await display.expect("leaderboard_update")
            while "board" not in named:
                named = await display.expect("leaderboard_update")
            assert named["board"] == AI
            assert named["title"]["prize_name"] == "Best use of AI"
            control = await display.expect("display_control")
            assert control["boards"] == [AI]  # the hidden prize is left out
            # Two sheets at once: the second lands within the interval, and still goes out.
            for team in ("team-aurora", "team-gale"):
                await ada.submit(judge_op(ada, sheet(team, (70, 70, 70))))
            seen = await display.quiet(1.0)
            ai = [x for x in seen if x.get("board") == AI]
            assert ai, "the AI prize's board moved"
            totals = {r["team_id"]: r["total_score"] for r in ai[-1]["data"]}
            assert totals["team-aurora"] == totals["team-gale"] == 70.0
            for message in display.inbox + seen:
                board = message.get("board")
                assert board is None or board["prize"] != "prize-open-data"
            await ada.close()
            await display.close()

    run(main())
