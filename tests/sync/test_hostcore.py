"""The host core in websockets' style: a HostCore on a real replica, a frame in, actions out.

No sockets: each test's peers trade frames with the core in memory (tests/sync/conftest.py),
and what needs a socket (admission, lag, TLS, the driver's timers) is in test_server.py.
"""

from __future__ import annotations

import base64
import json
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.rebuild import REBUILT_SETTING
from storage.replica import Replica
from storage.scoring import Scoreboard
from sync import feeds
from sync import messages as m
from sync.hostcore import Commit, Send
from tests.sync.conftest import CoreHost, CorePeer, core_hosting, judge_op, sheet

CRITERIA = ("innovation", "design", "execution")


def test_judge_pairs_with_a_code_and_gets_welcome_then_the_ops_it_lacks(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        judge = CorePeer(tmp_path, "judge")
        welcome = judge.join(host, host.code("judge", "judge-ada").lower())
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
        assert not [m for m in judge.quiet() if m["type"] == "leaderboard_update"]
        judge.close()


def test_sheet_is_acked_then_fanned_out_to_each_role_as_it_may_read(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        ada, bao = CorePeer(tmp_path, "ada"), CorePeer(tmp_path, "bao")
        display, team = CorePeer(tmp_path, "display"), CorePeer(tmp_path, "team")
        ada.join(host, host.code("judge", "judge-ada"))
        bao.join(host, host.code("judge", "judge-bao"))
        display.join(host, host.code("display", None))
        team.join(host, host.code("team", "team-aurora"))
        first = display.expect("leaderboard_update")
        assert first["mode"] == "live"
        assert all(row["total_score"] is None for row in first["data"])

        op = judge_op(ada, sheet("team-aurora"))
        ack = ada.submit(op)
        assert ack == {"type": "ack", "accepted": [op["id"]], "rejected": []}
        stored = host.replica.stored(op["id"])
        assert stored is not None
        assert stored.status == "accepted"

        update = ada.expect("score_update")
        assert update["data"]["team_id"] == "team-aurora"
        assert update["data"]["judge_id"] == "judge-ada"
        assert update["data"]["final"] is True
        assert update["timestamp"].endswith("Z")
        echoed = [m for m in ada.inbox if m["type"] == "ops"][-1]  # sent before the update
        assert [o["id"] for o in echoed["ops"]] == [op["id"]]

        board = display.expect("leaderboard_update")
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
            for message in other.quiet():
                assert message["type"] not in ("score_update", "leaderboard_update")
                assert op["id"] not in [o["id"] for o in message.get("ops", [])]
        for peer in (ada, bao, display, team):
            peer.close()


def test_every_reject_code_comes_back_in_the_ack_and_a_resubmission_gets_the_same(
    tmp_path: Path,
) -> None:
    with core_hosting(tmp_path) as host:
        bao = CorePeer(tmp_path, "bao")
        bao.join(host, host.code("judge", "judge-bao"))
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
            ack = bao.submit(op)
            assert ack["accepted"] == []
            assert ack["rejected"][0]["id"] == op["id"]
            assert ack["rejected"][0]["code"] == expected, ack
            assert ack["rejected"][0]["message"]
            assert bao.submit(op) == ack  # the same outcome, nothing changed

        # A forged signature proves nothing: it does not burn the op's number.
        real = judge_op(bao, sheet("team-aurora"), "judge-bao")
        forged = {**real, "body": sheet("team-aurora", (0, 0, 0))}
        ack = bao.submit(forged)
        assert ack["rejected"][0]["code"] == "bad_signature"
        ahead = bao.replica.make("sheet.save", sheet("team-basalt"), "judge-bao").to_wire()
        gap = bao.submit(ahead)
        assert gap["rejected"][0]["code"] == "gap"
        ack = bao.submit(real, ahead)
        assert ack["accepted"] == [real["id"], ahead["id"]]

        host.admin("event.set", {"field": "phase", "value": "locked"})
        late = judge_op(bao, sheet("team-cobalt"), "judge-bao")
        assert (bao.submit(late))["rejected"][0]["code"] == "scoring_closed"
        bao.close()

        skewed = Replica.open(
            tmp_path / "skewed.db", now=lambda: host.replica.clock._now() + 11 * 60_000
        )
        peer = CorePeer(tmp_path, "unused")
        peer.replica.close()
        peer.replica = skewed
        peer.join(host, host.code("judge", "judge-carmen"))
        host.admin("event.set", {"field": "phase", "value": "scoring"})
        ack = peer.submit(judge_op(peer, sheet("team-aurora"), "judge-carmen"))
        assert ack["rejected"][0]["code"] == "clock_skew"
        peer.close()


def test_token_works_after_a_host_restart_and_only_for_its_own_device(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        ada.disconnect()
    with core_hosting(tmp_path) as host:
        ada.connect(host)
        ada.send(ada.hello(token=ada.token))
        welcome = ada.expect("welcome")
        assert (welcome["role"], welcome["subject"]) == ("judge", "judge-ada")

        thief = CorePeer(tmp_path, "thief")
        thief.connect(host)
        thief.send(thief.hello(token=ada.token))
        code, error = thief.closed()
        assert code == 4401
        assert error is not None
        assert error["code"] == "unauthorized"
        thief.connect(host)
        thief.send(thief.hello(code="ZZZZ-ZZZZ"))
        assert (thief.closed())[0] == 4401
        thief.close()
        ada.close()


def test_revoked_device_is_closed_and_its_token_refused(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        host.revoke(ada.replica.device_id)
        code, error = ada.closed()
        assert code == 4401
        assert error is not None
        assert error["code"] == "revoked"
        ada.connect(host)
        ada.send(ada.hello(token=ada.token))
        assert (ada.closed())[0] == 4401
        ada.close()


def test_a_second_connection_of_a_device_takes_over_with_4409(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        first = ada.session
        second = host.core.open("127.0.0.1")
        actions = host.core.receive(second, json.dumps(ada.hello(token=ada.token)))
        host.perform(actions)
        sent = [json.loads(a.frame) for a in actions if isinstance(a, Send)]
        assert [a.sessions for a in actions if isinstance(a, Send)][1] == (second,)
        assert sent[1]["type"] == "welcome"
        assert sent[0] == {
            "type": "error",
            "code": "replaced",
            "message": "another connection took over",
        }
        assert (ada.closed())[0] == 4409
        assert first is not None
        assert first.closed
        assert not second.closed
        ada.close()


def test_team_and_display_may_not_submit(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        team = CorePeer(tmp_path, "team")
        team.join(host, host.code("team", "team-aurora"))
        team.send({"type": "submit", "ops": []})
        code, error = team.closed()
        assert code == 4403
        assert error is not None
        assert error["code"] == "forbidden"
        team.close()


def test_a_flooding_peer_is_closed_with_4429_and_others_are_served(tmp_path: Path) -> None:
    with core_hosting(tmp_path, rate=5.0, burst=20.0) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        flood = CorePeer(tmp_path, "flood")
        flood.join(host, host.code("judge", "judge-bao"))
        for _ in range(40):
            if flood.close_code is not None:  # the socket would be closed: sending fails
                break
            flood.send({"type": "submit", "ops": []})
        code, error = flood.closed()
        assert code == 4429
        assert error is not None
        assert error["code"] == "rate_limited"
        ack = ada.submit(judge_op(ada, sheet("team-aurora")))
        assert len(ack["accepted"]) == 1
        flood.close()
        ada.close()


def test_wrong_join_codes_are_throttled_even_before_a_right_one(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        guesser = CorePeer(tmp_path, "guesser")
        for _ in range(10):
            guesser.connect(host)
            guesser.send(guesser.hello(code="ABCD-EFGH"))
            assert (guesser.closed())[0] == 4401
        guesser.connect(host)
        guesser.send(guesser.hello(code=host.code("judge", "judge-ada")))
        code, error = guesser.closed()
        assert code == 4429
        assert error is not None
        assert error["code"] == "too_many_attempts"
        guesser.close()


def _scored(host: CoreHost, folder: Path) -> CorePeer:
    """Pair Ada and have her score three teams: Aurora 87.67, Basalt 80, Cobalt 60."""
    ada = CorePeer(folder, "ada")
    ada.join(host, host.code("judge", "judge-ada"))
    ops = [
        judge_op(ada, sheet(team, scores))
        for team, scores in (
            ("team-aurora", (85, 90, 88)),
            ("team-basalt", (70, 80, 90)),
            ("team-cobalt", (60, 60, 60)),
        )
    ]
    assert len((ada.submit(*ops))["accepted"]) == 3
    return ada


def test_display_modes_hide_what_they_must(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        ada = _scored(host, tmp_path)
        display = CorePeer(tmp_path, "display")
        display.join(host, host.code("display", None))
        live = display.expect("leaderboard_update")
        assert [r["total_score"] for r in live["data"][:3]] == [87.67, 80.0, 60.0]

        host.admin("event.set", {"field": "display_mode", "value": "progress"})
        progress = display.expect("leaderboard_update")
        assert progress["mode"] == "progress"
        assert all(set(row) == {"team_id", "team_name", "judge_count"} for row in progress["data"])
        names = [row["team_name"] for row in progress["data"]]
        assert names == sorted(names, key=str.casefold)  # rank order would leak the ranking

        host.admin("event.set", {"field": "display_mode", "value": "reveal"})
        hidden = display.expect("leaderboard_update")
        assert (hidden["mode"], hidden["data"]) == ("reveal", [])
        host.admin("event.set", {"field": "reveal_count", "value": 1})
        one = display.expect("leaderboard_update")
        assert [r["team_name"] for r in one["data"]] == ["Cobalt Cats"]  # last place first
        host.admin("event.set", {"field": "reveal_count", "value": 2})
        two = display.expect("leaderboard_update")
        assert [r["rank"] for r in two["data"]] == [2, 3]

        host.admin("event.set", {"field": "display_mode", "value": "frozen"})
        frozen = display.expect("leaderboard_update")
        assert frozen["mode"] == "frozen"
        assert frozen["data"][0]["total_score"] == 87.67
        late = judge_op(ada, sheet("team-driftwood", (100, 100, 100)))
        assert (ada.submit(late))["accepted"] == [late["id"]]
        assert not [m for m in display.quiet() if m["type"] == "leaderboard_update"]
        # A display that connects while frozen sees the frozen board, not the new one.
        second = CorePeer(tmp_path, "display2")
        second.join(host, host.code("display", None))
        board = second.expect("leaderboard_update")
        assert board["data"] == frozen["data"]

        host.admin("event.set", {"field": "display_mode", "value": "live"})
        thawed = display.expect("leaderboard_update")
        assert thawed["data"][0]["team_name"] == "Driftwood"
        for peer in (ada, display, second):
            peer.close()


def test_team_sees_its_results_only_once_released_and_never_the_judge(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        team = CorePeer(tmp_path, "team")
        team.join(host, host.code("team", "team-aurora"))
        ada = _scored(host, tmp_path)
        for message in team.quiet():
            assert message["type"] not in ("score_update", "leaderboard_update")

        host.admin("event.set", {"field": "phase", "value": "released"})
        after = team.quiet(0.5)
        board = next(m for m in after if m["type"] == "leaderboard_update")
        assert board["data"][0]["team_id"] == "team-aurora"
        update = next(m for m in after if m["type"] == "score_update")
        assert update["data"]["team_id"] == "team-aurora"
        assert update["data"]["scores"] == {"innovation": 85, "design": 90, "execution": 88}
        assert update["data"]["judge_id"] is None
        assert "judge-ada" not in json.dumps(update)
        # Only its own team's sheets.
        assert all(
            m["data"]["team_id"] == "team-aurora" for m in team.inbox if m["type"] == "score_update"
        )

        rejoined = CorePeer(tmp_path, "team-again")
        rejoined.join(host, host.code("team", "team-aurora"))
        backlog = rejoined.quiet(0.5)
        assert [m["type"] for m in backlog].count("leaderboard_update") == 1
        scores = [m["data"]["team_id"] for m in backlog if m["type"] == "score_update"]
        assert scores == ["team-aurora"]
        for peer in (team, ada, rejoined):
            peer.close()


def test_notifications_reach_exactly_their_audience(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        ada, bao = CorePeer(tmp_path, "ada"), CorePeer(tmp_path, "bao")
        aurora, basalt = CorePeer(tmp_path, "aurora"), CorePeer(tmp_path, "basalt")
        ada.join(host, host.code("judge", "judge-ada"))
        bao.join(host, host.code("judge", "judge-bao"))
        aurora.join(host, host.code("team", "team-aurora"))
        basalt.join(host, host.code("team", "team-basalt"))
        sends = [
            {"audience": "all", "target": None, "message": "Lunch is served"},
            {"audience": "judge", "target": "judge-ada", "message": "Ada, table 3 please"},
            {"audience": "team", "target": "team-aurora", "message": "Aurora: demo at 2"},
            {"audience": "judges", "target": None, "message": "Judges: 10 minutes"},
        ]
        for body in sends:
            host.admin("notify", body)
        got = {}
        for name, peer in (("ada", ada), ("bao", bao), ("aurora", aurora), ("basalt", basalt)):
            got[name] = sorted(
                m["data"]["message"] for m in peer.quiet() if m["type"].endswith("_notification")
            )
        assert got["ada"] == ["Ada, table 3 please", "Judges: 10 minutes", "Lunch is served"]
        assert got["bao"] == ["Judges: 10 minutes", "Lunch is served"]
        assert got["aurora"] == ["Aurora: demo at 2", "Lunch is served"]
        assert got["basalt"] == ["Lunch is served"]
        types = {m["type"] for m in aurora.inbox}
        assert "judge_notification" not in types
        # A team that connects later still sees what was meant for it.
        late = CorePeer(tmp_path, "late")
        late.join(host, host.code("team", "team-aurora"))
        missed = [m["data"]["message"] for m in late.quiet() if m["type"] == "team_notification"]
        assert missed == ["Lunch is served", "Aurora: demo at 2"]
        for peer in (ada, bao, aurora, basalt, late):
            peer.close()


def test_judges_get_each_others_sheets_once_the_event_lets_them(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        ada = _scored(host, tmp_path)
        bao = CorePeer(tmp_path, "bao")
        bao.join(host, host.code("judge", "judge-bao"))
        assert bao.replica.state.sheets() == []
        host.admin("event.set", {"field": "judges_see_results", "value": True})
        ops = bao.expect("ops")
        bao.replica.receive(ops["ops"], ops["vv"])
        bao.expect("leaderboard_update")
        assert len(bao.replica.state.sheets()) == 3

        # A judge that was away when the view widened gets the sheets on its return.
        carmen = CorePeer(tmp_path, "carmen")
        carmen.join(host, host.code("judge", "judge-carmen"))
        host.admin("event.set", {"field": "judges_see_results", "value": False})
        carmen.disconnect()
        host.admin("event.set", {"field": "judges_see_results", "value": True})
        carmen.connect(host)
        carmen.send(carmen.hello(token=carmen.token))
        carmen.expect("welcome")
        backlog = carmen.expect("ops")
        carmen.replica.receive(backlog["ops"], backlog["vv"])
        assert len(carmen.replica.state.sheets()) == 3
        for peer in (ada, bao, carmen):
            peer.close()


def test_a_narrow_judges_pairing_never_reads_the_other_judges_sheets(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with core_hosting(tmp_path) as host:
        ada = _scored(host, tmp_path)
        # Ada's three sheets, stored with bodies that cannot be read back: a backlog that reads
        # them (to throw them away) logs each one; the one read through the index never sees them.
        host.replica.db.execute_sql(
            "UPDATE op SET body = '{' WHERE kind = 'sheet.save' AND author = 'judge-ada'"
        )
        bao = CorePeer(tmp_path, "bao")
        with caplog.at_level(logging.ERROR):
            bao.join(host, host.code("judge", "judge-bao"))
        assert [r.getMessage() for r in caplog.records if "read back" in r.getMessage()] == []
        # Bao has every admin op: the event's teams, criteria and judges, and no sheet.
        assert set(bao.replica.state.teams()) == set(host.replica.state.teams())
        assert set(bao.replica.state.judges()) == set(host.replica.state.judges())
        assert bao.replica.state.sheets() == []
        for peer in (ada, bao):
            peer.close()


# --- a frame in, actions out (websockets' style) ------------------------------------------------


def counting_bytes() -> Callable[[int], bytes]:
    """Return a `random_bytes` that gives 0x01..., then 0x02..., so tests can pin secrets."""
    calls = [0]

    def random_bytes(n: int) -> bytes:
        calls[0] += 1
        return bytes([calls[0]]) * n

    return random_bytes


def secret(fill: int) -> str:
    return base64.urlsafe_b64encode(bytes([fill]) * 32).rstrip(b"=").decode("ascii")


def test_a_first_hello_gives_a_welcome_with_the_injected_token_then_the_backlog(
    tmp_path: Path,
) -> None:
    with core_hosting(tmp_path, random_bytes=counting_bytes()) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.connect(host)
        actions = ada.send(ada.hello(code=host.code("judge", "judge-ada")))
        assert all(isinstance(a, Send) for a in actions)
        mine = [json.loads(a.frame) for a in actions if isinstance(a, Send)]
        # Its device.put goes to the judges online (none); this session is welcomed after it.
        assert [f["type"] for f in mine] == ["welcome", "ops"]
        assert all(a.sessions == (ada.session,) for a in actions if isinstance(a, Send))
        welcome = mine[0]
        # The salt took the first draw (16 bytes) at the core's start; the token the second.
        assert welcome["token"] == secret(2)
        assert host.replica.token_device(secret(2)) == ada.replica.device_id
        assert m.parse_welcome(welcome).role == "judge"
        ada.close()


def test_a_submit_gives_one_commit_and_the_commit_gives_the_ack_then_the_fan_out(
    tmp_path: Path,
) -> None:
    with core_hosting(tmp_path) as host:
        ada, bao = CorePeer(tmp_path, "ada"), CorePeer(tmp_path, "bao")
        ada.join(host, host.code("judge", "judge-ada"))
        bao.join(host, host.code("judge", "judge-bao"))
        op = judge_op(ada, sheet("team-aurora"))
        before = host.replica.vv()
        assert ada.session is not None
        actions = host.core.receive(ada.session, json.dumps({"type": "submit", "ops": [op]}))
        assert actions == [Commit(ada.session, [op])]
        assert host.replica.vv() == before  # nothing is written until the driver commits
        committed = host.core.commit(actions)  # type: ignore[arg-type]
        frames = [(a.sessions, json.loads(a.frame)) for a in committed if isinstance(a, Send)]
        assert frames[0] == ((ada.session,), m.Ack((op["id"],), ()).to_wire())
        assert [f["type"] for s, f in frames[1:] if ada.session in s] == ["ops", "score_update"]
        assert not [f for s, f in frames if bao.session in s]
        assert host.replica.vv()[ada.replica.device_id] == 1
        ada.close()
        bao.close()


def test_a_rebuilt_hosts_challenge_carries_the_injected_nonce(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        ada.disconnect()
    # A host that knows the device (its device.put) but holds no token for it.
    (tmp_path / "rebuilt").mkdir()
    with core_hosting(tmp_path / "rebuilt", random_bytes=counting_bytes()) as rebuilt:
        rebuilt.replica.receive(
            [s.op.to_wire() for s in ada.replica.ops_for_host({})], ada.replica.vv()
        )
        ada.connect(rebuilt)
        actions = ada.send(ada.hello(token=ada.token))
        sent = [json.loads(a.frame) for a in actions if isinstance(a, Send)]
        assert [m.parse_host_message(f) for f in sent] == [
            m.Challenge(secret(2), rebuilt.replica.device_id)
        ]
        ada.close()


def test_an_old_code_on_a_rebuilt_host_is_refused_with_where_to_get_the_new_one(
    tmp_path: Path,
) -> None:
    """A laptop the lost host paired but never welcomed holds only that host's code."""
    with core_hosting(tmp_path) as host:
        old_code = host.code("judge", "judge-ada")
        ada = CorePeer(tmp_path, "ada")
        ada.connect(host)
        ada.send(ada.hello(code="ZZZZ-ZZZZ"))
        assert ada.closed()[1] == {
            "type": "error",
            "code": "unauthorized",
            "message": "unknown join code",
        }
        host.replica.set_setting(REBUILT_SETTING, json.dumps({"judge": "judge-bao"}))
        host.replica.db.execute_sql("DELETE FROM join_code")  # a rebuilt host's are new
        host.replica.ensure_codes()
        ada.connect(host)
        ada.send(ada.hello(code=old_code))
        code, error = ada.closed()
        assert code == m.CLOSE_UNAUTHORIZED
        assert error is not None
        assert error["message"].startswith("unknown join code; ")
        assert "rebuilt" in error["message"]
        assert "organiser" in error["message"]
        new_code = host.replica.code_for("judge", "judge-ada")
        assert new_code is not None
        assert new_code != old_code
        assert ada.join(host, new_code)["role"] == "judge"
        ada.close()


def test_a_display_learns_the_phase_with_its_board_and_a_frozen_one_hears_nothing(
    tmp_path: Path,
) -> None:
    """A display online when scoring is locked must say so at once, not at its next welcome."""
    with core_hosting(tmp_path) as host:
        display = CorePeer(tmp_path, "display")
        display.join(host, host.code("display", None))
        assert display.expect("leaderboard_update")["phase"] == "scoring"
        host.admin("event.set", {"field": "phase", "value": "locked"})
        locked = display.expect("leaderboard_update")
        assert (locked["mode"], locked["phase"]) == ("live", "locked")
        host.admin("event.set", {"field": "display_mode", "value": "frozen"})
        assert display.expect("leaderboard_update")["mode"] == "frozen"
        host.admin("event.set", {"field": "phase", "value": "released"})
        assert not [m for m in display.quiet() if m["type"] == "leaderboard_update"]
        host.admin("event.set", {"field": "display_mode", "value": "live"})
        assert display.expect("leaderboard_update")["phase"] == "released"
        display.close()


def test_a_live_ops_frame_names_only_the_devices_its_ops_advanced(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        ada, bao = CorePeer(tmp_path, "ada"), CorePeer(tmp_path, "bao")
        ada.join(host, host.code("judge", "judge-ada"))
        bao.join(host, host.code("judge", "judge-bao"))
        bao.submit(judge_op(bao, sheet("team-aurora"), "judge-bao"))
        op = judge_op(ada, sheet("team-aurora"))
        ada.submit(op)
        ada.quiet()
        echoed = [m for m in ada.inbox if m["type"] == "ops"][-1]
        assert [o["id"] for o in echoed["ops"]] == [op["id"]]
        assert echoed["vv"] == {ada.replica.device_id: 1}  # not the host's, nor Bao's
        # A welcome's last frame still tells the whole vv the judge may know of.
        ada.disconnect()
        ada.connect(host)
        ada.send(ada.hello(token=ada.token))
        ada.expect("welcome")
        backlog = [m for m in ada.quiet() if m["type"] == "ops"]
        hid = host.replica.device_id
        assert backlog[-1]["vv"] == {hid: host.replica.vv()[hid], ada.replica.device_id: 1}
        for peer in (ada, bao):
            peer.close()


# --- incremental leaderboards (docs/protocol.md 4d) ----------------------------------------------

TEAMS = (
    "team-aurora",
    "team-basalt",
    "team-cobalt",
    "team-driftwood",
    "team-ember",
    "team-fjord",
    "team-gale",
    "team-harbour",
)


class BoardReader:
    """A peer's boards as it holds them: snapshots replaced, deltas applied to their base."""

    def __init__(self, peer: CorePeer) -> None:
        self.peer = peer
        self.board: dict[str, object] | None = None
        self.deltas: list[dict[str, object]] = []  # every delta received, as sent

    def read(self) -> None:
        for message in self.peer.quiet():
            if message["type"] == "leaderboard_update":
                self.board = message
            elif message["type"] == "leaderboard_delta":
                self.deltas.append(message)
                assert self.board is not None, "a delta before any snapshot"
                delta = m.parse_leaderboard_delta(message)
                assert delta.base == self.board["revision"], "a delta that skips one"
                rows = m.apply_delta(self.board["data"], delta)  # type: ignore[arg-type]
                assert rows is not None, "a delta that does not fit its base"
                self.board = m.LeaderboardUpdate(
                    delta.revision, delta.mode, tuple(rows), delta.timestamp, delta.phase
                ).to_wire()

    @property
    def rows(self) -> list[dict[str, object]] | None:
        return None if self.board is None else list(self.board["data"])  # type: ignore[call-overload]


def _join_for_boards(host: CoreHost, peer: CorePeer, code: str, **wishes: object) -> BoardReader:
    peer.connect(host)
    hello = peer.hello(code=code) | wishes
    peer.send(hello)
    welcome = peer.expect("welcome")
    peer.token = welcome["token"]
    return BoardReader(peer)


def _expected_board(host: CoreHost, role: str, top: int | None) -> tuple[str, list[Any]] | None:
    """Return the board a peer of `role` should hold now, from the host's state alone: the
    board rebuilt from scratch, the frozen board as stored, each mode's rule (feeds.board)."""
    replica = host.replica
    vis = feeds.Visibility.of(replica.state.event())
    frozen_text = replica.setting("frozen_rows")
    frozen = json.loads(frozen_text) if vis.display_mode == "frozen" and frozen_text else None
    rows = Scoreboard.from_state(replica.state).rows()
    view = feeds.board(role, vis, rows, frozen)
    if view is None:
        return None
    return view[0], view[1][:top] if top is not None and role == "display" else view[1]


board_steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("sheet"),
            st.sampled_from(("ada", "carmen")),
            st.sampled_from(TEAMS),
            st.tuples(*[st.sampled_from((0, 40, 50, 60, 100))] * 3),
            st.booleans(),
        ),
        st.tuples(
            st.just("display_mode"), st.sampled_from(("live", "progress", "reveal", "frozen"))
        ),
        st.tuples(st.just("reveal_count"), st.integers(0, 9)),
        st.tuples(st.just("phase"), st.sampled_from(("scoring", "locked", "released"))),
        st.tuples(st.just("judges_see_results"), st.booleans()),
        st.tuples(
            st.just("rename"), st.sampled_from(TEAMS), st.sampled_from(("Aurora", "zed", "Émile"))
        ),
        st.tuples(
            st.just("tie_break"), st.sampled_from(([], ["design"], ["execution", "innovation"]))
        ),
    ),
    max_size=14,
)


def _board_step(host: CoreHost, judges: dict[str, CorePeer], step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "sheet":
        _, who, team, scores, final = step
        judges[who].submit(judge_op(judges[who], sheet(team, scores, final=final), f"judge-{who}"))
    elif kind == "rename":  # a rename keeps the rest of the team (its prizes among them)
        team = host.replica.state.team(step[1])
        assert team is not None
        host.admin("team.put", {**team, "name": step[2]})
    else:
        host.admin("event.set", {"field": kind, "value": step[1]})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=board_steps)
def test_deltas_applied_to_the_snapshot_always_equal_the_board_the_host_would_send_now(
    steps: list[tuple[Any, ...]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp, core_hosting(Path(tmp)) as host:
        folder = Path(tmp)
        judges = {}
        for who in ("ada", "carmen"):
            judges[who] = CorePeer(folder, who)
            judges[who].join(host, host.code("judge", f"judge-{who}"))
        display = host.code("display", None)
        readers = {
            ("display", None): _join_for_boards(host, CorePeer(folder, "d1"), display, deltas=True),
            ("display", 3): _join_for_boards(
                host, CorePeer(folder, "d2"), display, deltas=True, top=3
            ),
            ("team", None): _join_for_boards(
                host, CorePeer(folder, "t1"), host.code("team", "team-aurora"), deltas=True
            ),
            ("judge", None): _join_for_boards(
                host, CorePeer(folder, "j1"), host.code("judge", "judge-bao"), deltas=True
            ),
        }
        old = _join_for_boards(host, CorePeer(folder, "d3"), display)  # no deltas: whole boards
        for step in [None, *steps]:
            if step is not None:
                _board_step(host, judges, step)
            for (role, top), reader in readers.items():
                reader.read()
                expected = _expected_board(host, role, top)
                held = None if reader.board is None else (reader.board["mode"], reader.rows)
                if expected is None:
                    continue  # a board it may not see: it keeps the last one it was sent
                assert held == expected
            old.read()
            assert not old.deltas
            assert (old.board or {}).get("data") == readers[("display", None)].rows
        for reader in readers.values():
            for delta in reader.deltas:
                if delta["mode"] == "progress":  # no total or rank a mode hides, ever
                    assert all(
                        set(r) == {"pos", "team_id", "team_name", "judge_count"}
                        for r in delta["rows"]
                    )  # type: ignore[attr-defined]
                    assert not delta["ranks"]  # and no rank moved
                assert delta["mode"] != "frozen"  # a frozen board never changes


def test_a_delta_carries_only_the_rows_that_changed_and_a_display_its_top_rows(
    tmp_path: Path,
) -> None:
    with core_hosting(tmp_path) as host:
        ada = _scored(host, tmp_path)  # aurora 87.67, basalt 80, cobalt 60
        whole = _join_for_boards(
            host, CorePeer(tmp_path, "d1"), host.code("display", None), deltas=True
        )
        top = _join_for_boards(
            host, CorePeer(tmp_path, "d2"), host.code("display", None), deltas=True, top=2
        )
        whole.read()
        top.read()
        assert len(whole.rows or []) == 8
        assert [r["team_id"] for r in top.rows or []] == ["team-aurora", "team-basalt"]
        # Cobalt to 90: first place; aurora and basalt move down one rank; nothing else changes.
        ada.submit(judge_op(ada, sheet("team-cobalt", (90, 90, 90))))
        [delta] = [x for x in whole.peer.unread if x["type"] == "leaderboard_delta"]
        assert [(r["pos"], r["team_id"], r["rank"]) for r in delta["rows"]] == [
            (0, "team-cobalt", 1),
        ]
        assert delta["ranks"] == [[1, 2, 1]]  # aurora and basalt: one rank down, nothing else
        assert delta["removed"] == []
        assert delta["count"] == 8
        [cut] = [x for x in top.peer.unread if x["type"] == "leaderboard_delta"]
        assert [r["team_id"] for r in cut["rows"]] == ["team-cobalt"]
        assert cut["ranks"] == [[1, 1, 1]]
        assert cut["removed"] == ["team-basalt"]  # it left the top 2
        assert cut["base"] == top.board["revision"]  # type: ignore[index]
        whole.read()
        top.read()
        assert [r["team_id"] for r in top.rows or []] == ["team-cobalt", "team-aurora"]
        # A draft changes nothing anyone sees: no delta, not even an empty one.
        ada.submit(judge_op(ada, sheet("team-ember", (1, 1, 1), final=False)))
        assert not [x for x in whole.peer.unread if x["type"].startswith("leaderboard")]


def test_a_peer_that_asks_again_gets_the_snapshot_once_per_revision(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        reader = _join_for_boards(
            host, CorePeer(tmp_path, "d1"), host.code("display", None), deltas=True
        )
        reader.read()
        first = reader.board
        assert first is not None
        for _ in range(5):
            reader.peer.send(m.leaderboard_request())
        assert not reader.peer.unread  # it holds this revision's board already
        ada = _scored(host, tmp_path)
        reader.peer.quiet()  # the deltas, "lost"
        reader.peer.send(m.leaderboard_request())
        reader.peer.send(m.leaderboard_request())
        [again] = reader.peer.quiet()
        assert again["type"] == "leaderboard_update"
        assert again["revision"] > first["revision"]  # type: ignore[operator]
        assert again["data"] == _expected_board(host, "display", None)[1]  # type: ignore[index]
        # A board this host does not hold (a round, a prize) gets nothing.
        reader.peer.send(m.leaderboard_request({"round": "final"}))
        assert not reader.peer.unread
        ada.close()


def test_a_judge_may_not_ask_for_a_board_it_may_not_see(tmp_path: Path) -> None:
    with core_hosting(tmp_path) as host:
        ada = CorePeer(tmp_path, "ada")
        ada.join(host, host.code("judge", "judge-ada"))
        ada.quiet()
        ada.send(m.leaderboard_request())
        assert not ada.unread  # judges do not see results in the demo event
        host.admin("event.set", {"field": "judges_see_results", "value": True})
        assert [x["type"] for x in ada.quiet() if x["type"].startswith("leaderboard")] == [
            "leaderboard_update"
        ]


@pytest.mark.parametrize(
    ("wishes", "reason"),
    [
        ({"deltas": "yes"}, "'deltas'"),
        ({"top": 0}, "'top'"),
        ({"top": 10_001}, "'top'"),
        ({"top": True}, "'top'"),
    ],
)
def test_a_hello_with_malformed_board_wishes_is_refused(
    tmp_path: Path, wishes: dict[str, object], reason: str
) -> None:
    with core_hosting(tmp_path) as host:
        peer = CorePeer(tmp_path, "d1")
        peer.connect(host)
        peer.send(peer.hello(code=host.code("display", None)) | wishes)
        code, error = peer.closed()
        assert code == 4400
        assert error is not None
        assert reason in error["message"]


@pytest.mark.parametrize("name", ["final", {"round": 1}, {"round": "final", "prize": 7}])
def test_a_request_for_a_board_name_that_names_no_board_is_refused(
    tmp_path: Path, name: object
) -> None:
    with core_hosting(tmp_path) as host:
        reader = _join_for_boards(
            host, CorePeer(tmp_path, "d1"), host.code("display", None), deltas=True
        )
        reader.peer.quiet()
        reader.peer.send({"type": "leaderboard_request", "board": name})
        code, error = reader.peer.closed()
        assert code == 4400
        assert error is not None
        assert "'board'" in error["message"]


def test_a_tick_makes_no_board_rows_for_judges_who_may_not_see_results(tmp_path: Path) -> None:
    """A live display's delta is read off the ranking's moves; a judge online while results
    are hidden must not make the host build the whole board each tick for a view it gets none
    of (issue 14: 4.8 ms a tick at 3,000 teams)."""
    with core_hosting(tmp_path) as host:
        ada = _scored(host, tmp_path)  # a judge online; results are hidden from judges
        whole = _join_for_boards(
            host, CorePeer(tmp_path, "d1"), host.code("display", None), deltas=True
        )
        whole.read()
        board = host.replica.board
        made = []
        rows = board.rows
        board.rows = lambda: made.append(1) or rows()  # type: ignore[method-assign]
        ada.submit(judge_op(ada, sheet("team-cobalt", (90, 90, 90))))
        assert [x for x in whole.peer.unread if x["type"] == "leaderboard_delta"]
        assert made == []
