"""Tests for the desk's reading of the log: sheet histories, team and judge pages, the feed."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import history
from storage.history import Change, Filter, Logged
from storage.replica import Replica
from tests.conftest import OpFactory
from tests.storage.test_replica import catch_up, deliver, host, pair, sheet

__all__ = ["host"]  # the fixture, imported for the tests below


@pytest.fixture
def ada(tmp_path: Path, host: Replica) -> Iterator[Replica]:
    """Judge Ada's laptop, paired as "Ada's laptop" and holding the event."""
    judge = Replica.open(tmp_path / "ada.db", durable=False)
    judge.adopt_event(host.event_id)
    host.admin(
        "device.put",
        {
            "device": judge.device_id,
            "pubkey": judge.key.public_b64,
            "role": "judge",
            "subject": "judge-ada",
            "name": "Ada's laptop",
        },
    )
    catch_up(host, judge)
    yield judge
    judge.close()


def save(host: Replica, judge: Replica, body: dict[str, object], author: str = "judge-ada") -> str:
    """Make a sheet on the judge's laptop and submit it; return its op id."""
    op = judge.make("sheet.save", body, author)
    deliver(host, judge, [op])
    return op.id


def test_a_sheet_s_history_has_every_version_with_who_when_and_what_changed(
    host: Replica, ada: Replica
) -> None:
    first = save(host, ada, sheet(final=False, a=50, b=40))
    second = save(host, ada, {**sheet(a=70, b=40, c=60), "comment": "Strong demo"})
    found = history.sheet_history(host, "judge-ada", "t1")
    assert [v.op_id for v in found.versions] == [first, second]
    one, two = found.versions
    assert one.changes == (Change("a", None, 50.0), Change("b", None, 40.0))
    assert (one.final, one.was_final, one.comment_changed) == (False, None, False)
    assert two.changes == (Change("a", 50.0, 70.0), Change("c", None, 60.0))
    assert (two.final, two.was_final, two.comment_changed) == (True, False, True)
    assert two.comment == "Strong demo"
    assert two.device_name == "Ada's laptop"
    assert two.device == ada.device_id
    assert two.when_ms == int(ada.stored(second).op.hlc[:13])  # type: ignore[union-attr]
    assert one.when_ms <= two.when_ms
    assert found.refusals == ()


def test_refused_submissions_are_in_the_history_with_their_code_and_message(
    host: Replica, ada: Replica
) -> None:
    kept = save(host, ada, sheet(a=50, b=50, c=50))
    off_scale = save(host, ada, sheet(a=150, b=50, c=50))
    host.admin("event.set", {"field": "phase", "value": "locked"})
    late = save(host, ada, sheet(a=60, b=50, c=50))
    found = history.sheet_history(host, "judge-ada", "t1")
    assert [v.op_id for v in found.versions] == [kept]
    assert [(r.op_id, r.code) for r in found.refusals] == [
        (off_scale, "out_of_range"),
        (late, "scoring_closed"),
    ]
    assert all(r.message and r.device_name == "Ada's laptop" for r in found.refusals)
    assert found.refusals[1].body["scores"]["a"] == 60
    assert [item.op_id for item in found.timeline()] == [kept, off_scale, late]


def test_nothing_is_ever_dropped_from_a_history(
    tmp_path: Path, host: Replica, ada: Replica
) -> None:
    ids = [save(host, ada, sheet(final=False, a=float(a), b=1, c=1)) for a in range(10, 60, 10)]
    path = Path(str(host.db.database))
    host.close()
    again = Replica.open(path)
    try:
        found = history.sheet_history(again, "judge-ada", "t1")
        assert [v.op_id for v in found.versions] == ids
        assert [c.new for v in found.versions for c in v.changes if c.criterion == "a"] == [
            10,
            20,
            30,
            40,
            50,
        ]
    finally:
        again.close()


def _logged_ops(seed: int) -> list[Logged]:
    """Two laptops of one judge and a stranger writing one sheet, some of it refused."""
    rng = random.Random(seed)
    laptops = [OpFactory("judge-ada", seed=seed * 2 + k + 1) for k in range(2)]
    rows = []
    for index in range(rng.randrange(1, 8)):
        maker = rng.choice(laptops)
        maker.ms += rng.randrange(0, 3)  # equal stamps of two devices happen
        scores = {c: rng.randrange(0, 5) for c in rng.sample("abc", rng.randrange(1, 4))}
        body = {"team": "t1", "scores": scores, "comment": rng.choice(["", "ok"]), "final": False}
        op = maker.op("sheet.save", body)
        refused = rng.random() < 0.3
        rows.append(
            Logged(
                op,
                "rejected" if refused else "accepted",
                "out_of_range" if refused else None,
                "no" if refused else None,
                index,
            )
        )
    return rows


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10_000), order=st.randoms(use_true_random=False))
def test_a_history_is_the_same_whatever_order_the_ops_arrived_in(
    seed: int, order: random.Random
) -> None:
    rows = _logged_ops(seed)
    names = {row.op.device: row.op.device[:4] for row in rows}
    shuffled = list(rows)
    order.shuffle(shuffled)
    expected = history.build_history("judge-ada", "t1", rows, names)
    assert history.build_history("judge-ada", "t1", shuffled, names) == expected
    # The last version is the one the state keeps: the greatest stamp wins (PROTOCOL.md 5).
    accepted = [r.op for r in rows if r.status == "accepted"]
    if accepted:
        winner = max(accepted, key=lambda op: (op.hlc, op.n))
        assert expected.versions[-1].op_id == winner.id


def test_two_replicas_given_the_same_ops_in_other_orders_tell_the_same_history(
    tmp_path: Path, host: Replica, ada: Replica
) -> None:
    spare = Replica.open(tmp_path / "spare.db", durable=False)
    try:
        spare.adopt_event(host.event_id)
        pair(host, spare)
        catch_up(host, spare)
        save(host, ada, sheet(final=False, a=1, b=1, c=1))
        save(host, spare, sheet(final=False, a=2, b=1, c=1))
        save(host, ada, sheet(a=3, b=1, c=1))
        save(host, spare, sheet(a=3, b=4, c=1))
        ops = [op.to_wire() for op in host.accepted_since({})]
        readers = []
        for name, arranged in (("forward", ops), ("backward", ops[::-1])):
            reader = Replica.open(tmp_path / f"{name}.db", durable=False)
            reader.receive(arranged)
            readers.append(reader)
        try:
            first, second = (history.sheet_history(r, "judge-ada", "t1") for r in readers)
            assert first == second == history.sheet_history(host, "judge-ada", "t1")
            assert len(first.versions) == 4
        finally:
            for reader in readers:
                reader.close()
    finally:
        spare.close()


def test_a_team_s_page_lists_every_sheet_with_its_score_and_the_team_s_rank(
    host: Replica, ada: Replica
) -> None:
    save(host, ada, {**sheet(a=85, b=90, c=88), "comment": "Great"})
    save(host, ada, sheet("t2", final=False, a=10))
    view = history.team_view(host, "t1")
    assert view is not None
    assert (view.name, view.rank, view.total, view.judge_count) == ("Aurora", 1, 87.67, 1)
    assert view.expected == 2  # Ada and Bao, no assignments, no conflicts
    (line,) = view.sheets
    assert (line.judge_name, line.final, line.comment, line.counts) == ("Ada", True, "Great", True)
    assert line.scores == {"a": 85, "b": 90, "c": 88}
    assert line.score == pytest.approx((85 + 90 + 88) / 3)
    other = history.team_view(host, "t2")
    assert other is not None
    assert other.rank is None
    assert not other.sheets[0].counts
    assert history.team_view(host, "t-none") is None


def test_a_judge_s_page_has_progress_and_harshness(host: Replica, ada: Replica) -> None:
    save(host, ada, sheet(a=80, b=80, c=80))
    save(host, ada, sheet("t2", a=40, b=40, c=40))
    view = history.judge_view(host, "judge-ada")
    assert view is not None
    assert (view.final, view.drafts, view.expected) == (2, 0, 2)
    assert view.harshness == history.Harshness(2, 60.0, 20.0)
    assert view.devices == ((ada.device_id, "Ada's laptop"),)
    assert [s.team_name for s in view.sheets] == ["Aurora", "Basalt"]
    assert history.judge_view(host, "judge-none") is None


def test_harshness_is_the_mean_and_spread_of_final_sheet_scores() -> None:
    assert history.harshness([]) == history.Harshness(0, None, None)
    found = history.harshness([70.0, 80.0, 90.0])
    assert found.count == 3
    assert found.mean == 80.0
    assert found.spread == pytest.approx(math.sqrt(200 / 3))


def test_the_activity_feed_is_newest_first_and_filters_by_team_judge_kind_and_outcome(
    tmp_path: Path, host: Replica, ada: Replica
) -> None:
    bao = Replica.open(tmp_path / "bao.db", durable=False)
    try:
        bao.adopt_event(host.event_id)
        pair(host, bao, "judge-bao")
        catch_up(host, bao)
        one = save(host, ada, sheet(a=50, b=50, c=50))
        two = save(host, bao, sheet("t2", a=50, b=50, c=50), "judge-bao")
        refused = save(host, bao, sheet("t1", a=500, b=50, c=50), "judge-bao")
        everything = history.activity(host)
        assert [a.op_id for a in everything[:3]] == [refused, two, one]
        assert everything[0].status == "rejected"
        assert everything[0].code == "out_of_range"
        assert (everything[0].judge, everything[0].team) == ("judge-bao", "t1")

        def ids(**chosen: str) -> list[str]:
            return [a.op_id for a in history.activity(host, Filter(**chosen))]

        assert ids(team="t1", kind="sheet.save") == [refused, one]
        assert ids(judge="judge-bao", kind="sheet.save") == [refused, two]
        assert ids(outcome="rejected") == [refused]
        assert ids(team="t2", outcome="accepted", kind="sheet.save") == [two]
        assert "team/t1" in [f"team/{a.team}" for a in history.activity(host, Filter(team="t1"))]
        assert len(history.activity(host, limit=2)) == 2
        assert history.activity(host, before=everything[0].seq)[0].op_id == two
        assert history.rejections_since(host, 0) == 1
        assert history.rejections_since(host, history.last_seq(host)) == 0
    finally:
        bao.close()


def test_the_log_listeners_hear_of_accepted_and_refused_ops(host: Replica, ada: Replica) -> None:
    heard: list[int] = []
    host.log_listeners.append(lambda: heard.append(history.last_seq(host)))
    save(host, ada, sheet(a=50, b=50, c=50))
    save(host, ada, sheet(a=500, b=50, c=50))  # refused: no state changes, still logged
    assert len(heard) == 2
    assert heard[0] < heard[1]


# --- corrections (issue 12) ----------------------------------------------------------------------


def test_each_correction_is_in_the_sheet_s_history_with_who_when_and_the_reason(
    host: Replica, ada: Replica
) -> None:
    kept = save(host, ada, sheet(a=50, b=50, c=50))
    host.admin("event.set", {"field": "phase", "value": "locked"})
    ref = {"judge": "judge-ada", "team": "t1"}
    void = host.admin("sheet.void", {**ref, "reason": "scored the wrong team"})
    restore = host.admin("sheet.restore", {**ref, "reason": "it was the right team"})
    reopen = host.admin("sheet.reopen", {**ref, "reason": "Ada typed 5 for 50"})
    catch_up(host, ada)
    fixed = save(host, ada, sheet(a=50, b=50, c=55))
    paper = host.admin(
        "sheet.enter",
        {**ref, **sheet(a=50, b=50, c=60), "reason": "Ada's paper sheet, signed"},
    )
    found = history.sheet_history(host, "judge-ada", "t1")
    kinds = [getattr(item, "kind", "version") for item in found.timeline()]
    assert kinds == ["version", "sheet.void", "sheet.restore", "sheet.reopen", "version", "version"]
    assert [v.op_id for v in found.versions] == [kept, fixed, paper.id]
    assert [c.op_id for c in found.corrections] == [void.id, restore.id, reopen.id]
    first = found.corrections[0]
    assert (first.author, first.reason) == ("admin", "scored the wrong team")
    assert first.device == host.device_id
    assert first.when_ms == int(void.hlc[:13])
    last = found.versions[-1]
    assert (last.entered_by, last.reason) == ("admin", "Ada's paper sheet, signed")
    assert found.versions[1].entered_by is None
    # Nothing is deleted: a void and its restore both stay; the feed names the sheet too.
    fed = history.activity(host, Filter(team="t1", kind="sheet.void"))
    assert [(a.judge, a.team, a.op_id) for a in fed] == [("judge-ada", "t1", void.id)]
    assert len(history.activity(host, Filter(judge="judge-ada"))) >= 6


def test_a_void_sheet_is_on_the_team_s_page_marked_and_not_counted(
    host: Replica, ada: Replica
) -> None:
    save(host, ada, sheet(a=50, b=50, c=50))
    host.admin("sheet.void", {"judge": "judge-ada", "team": "t1", "reason": "conflict found"})
    view = history.team_view(host, "t1")
    assert view is not None
    (line,) = view.sheets
    assert line.voided
    assert not line.counts
    assert view.judge_count == 0
    assert view.total is None


def test_a_team_page_gives_its_place_on_every_board_it_is_on(host: Replica, ada: Replica) -> None:
    view = history.team_view(host, "t1")
    assert view is not None
    assert view.placings == ()  # one board: the page's own rank line says it all
    host.admin("prize.put", {"id": "p-ai", "name": "Best use of AI", "eligibility": "opt_in"})
    host.admin("team.put", {"id": "t1", "name": "Aurora", "prizes": ["p-ai"]})
    save(host, ada, sheet("t1", a=80, b=70, c=60))
    save(host, ada, sheet("t2", a=90, b=90, c=90))
    view = history.team_view(host, "t1")
    assert view is not None
    # The overall board (Basalt first) and the prize Aurora opted into, not one it did not.
    assert view.placings == (
        ("Round 1", None, 2, 70.0, 2),
        ("Round 1", "Best use of AI", 1, 70.0, 1),
    )
    basalt = history.team_view(host, "t2")
    assert basalt is not None
    assert basalt.placings == (("Round 1", None, 1, 90.0, 2),)


def test_a_team_s_and_a_judge_s_pages_list_a_later_round_s_sheets_under_their_round(
    host: Replica, ada: Replica
) -> None:
    host.admin("round.put", {"id": "fin", "name": "Finals", "order": 1, "finalists": "all"})
    own = {"id": "d", "name": "D", "weight": 1, "min": 0, "max": 10, "step": 1, "round": "fin"}
    host.admin("criterion.put", own)
    host.admin("round.phase", {"round": "fin", "phase": "scoring"})
    catch_up(host, ada)
    save(host, ada, sheet(a=80, b=80, c=80))
    save(host, ada, {**sheet("t1", d=5), "round": "fin"})
    save(host, ada, {**sheet("t2", d=9), "round": "fin"})
    view = history.team_view(host, "t1")
    assert view is not None
    assert [(s.round, s.round_name, s.scores) for s in view.sheets] == [
        ("main", "Round 1", {"a": 80, "b": 80, "c": 80}),
        ("fin", "Finals", {"d": 5}),
    ]
    assert view.sheets[1].score == pytest.approx(50.0)  # on the finals' own criterion
    assert [c["id"] for c in view.columns] == ["a", "b", "c", "d"]
    assert (view.rank, view.total) == (1, 80.0)  # the page's rank line is the first round's
    host.admin(
        "sheet.void", {"judge": "judge-ada", "team": "t1", "round": "fin", "reason": "conflict"}
    )
    view = history.team_view(host, "t1")
    assert view is not None
    assert [(s.voided, s.counts) for s in view.sheets] == [(False, True), (True, False)]
    judge = history.judge_view(host, "judge-ada")
    assert judge is not None
    assert [(s.round, s.team) for s in judge.sheets] == [
        ("main", "t1"),
        ("fin", "t1"),
        ("fin", "t2"),
    ]
    assert (judge.final, judge.drafts, judge.harshness.count) == (1, 0, 1)  # the first round's
    found = history.sheet_history(host, "judge-ada", "t1", "fin")
    assert [v.scores for v in found.versions] == [{"d": 5.0}]
    assert [c.kind for c in found.corrections] == ["sheet.void"]


def test_a_one_round_event_names_no_round_and_shows_a_held_prize_criterion(
    host: Replica, ada: Replica
) -> None:
    host.admin("prize.put", {"id": "p-ai", "name": "Best use of AI", "eligibility": "opt_in"})
    host.admin("team.put", {"id": "t1", "name": "Aurora", "prizes": ["p-ai"]})
    prized = {"id": "e", "name": "E", "weight": 1, "min": 0, "max": 10, "step": 1, "prize": "p-ai"}
    host.admin("criterion.put", prized)
    catch_up(host, ada)
    save(host, ada, sheet(a=80, b=80, c=80, e=7))
    save(host, ada, sheet("t2", a=80, b=80, c=80))
    view = history.team_view(host, "t1")
    assert view is not None
    assert [s.round_name for s in view.sheets] == [""]
    assert [c["id"] for c in view.columns] == ["a", "b", "c", "e"]
    other = history.team_view(host, "t2")
    assert other is not None
    assert [c["id"] for c in other.columns] == ["a", "b", "c"]


def test_the_activity_feed_files_a_later_round_s_ops_under_their_judge_team_and_round(
    host: Replica, ada: Replica
) -> None:
    host.admin("round.put", {"id": "fin", "name": "Finals", "order": 1, "finalists": "all"})
    host.admin("round.phase", {"round": "fin", "phase": "scoring"})
    catch_up(host, ada)
    first = save(host, ada, sheet("t1"))
    later = save(host, ada, {**sheet("t1"), "round": "fin"})
    other = save(host, ada, {**sheet("t2"), "round": "fin"})
    host.admin("sheet.void", {"judge": "judge-ada", "team": "t1", "round": "fin", "reason": "x"})
    feed = history.activity(host)
    void = feed[0]
    assert (void.kind, void.judge, void.team, void.round) == (
        "sheet.void",
        "judge-ada",
        "t1",
        "fin",
    )
    by_id = {a.op_id: a for a in feed}
    assert (by_id[first].round, by_id[later].round) == ("main", "fin")
    saves = [a.op_id for a in history.activity(host, Filter(team="t1", kind="sheet.save"))]
    assert saves == [later, first]
    mine = [a.op_id for a in history.activity(host, Filter(judge="judge-ada", kind="sheet.save"))]
    assert mine == [other, later, first]
    assert other in [a.op_id for a in history.activity(host, Filter(team="t2"))]
