"""Benchmark the leaderboard: incremental Scoreboard, full replica path, and full recomputation."""

from __future__ import annotations

import argparse
import math
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.hlc import HybridClock
from storage.ops import parse_op
from storage.replica import Replica
from storage.scoring import Row, Scoreboard
from storage.signing import DeviceKey, signing_payload
from storage.state import State

# The board's teams, their mean final sheet score and judge count, ranked, from the state table.
LEADERBOARD_SQL = """
WITH
crit AS (
    SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.weight') AS w,
           json_extract(value, '$.min') AS lo, json_extract(value, '$.max') AS hi
    FROM state WHERE key >= 'criterion/' AND key < 'criterion0' AND value IS NOT NULL
),
judge AS (
    SELECT substr(key, 7) AS id FROM state
    WHERE key >= 'judge/' AND key < 'judge0' AND value IS NOT NULL
),
team AS (
    SELECT substr(key, 6) AS id, json_extract(value, '$.name') AS name FROM state
    WHERE key >= 'team/' AND key < 'team0' AND value IS NOT NULL
),
sheet AS (
    SELECT s.key, json_extract(s.value, '$.team') AS team,
           sum(c.w * min(100.0, max(0.0, (e.value - c.lo) * 1.0 / (c.hi - c.lo) * 100.0)))
             / sum(c.w) AS score
    FROM state AS s, json_each(s.value, '$.scores') AS e JOIN crit AS c ON c.id = e.key
    WHERE s.key >= 'sheet/' AND s.key < 'sheet0' AND s.value IS NOT NULL
      AND json_extract(s.value, '$.final')
      AND json_extract(s.value, '$.judge') IN (SELECT id FROM judge)
    GROUP BY s.key
),
total AS (SELECT team, avg(score) AS total, count(*) AS n FROM sheet GROUP BY team)
SELECT CASE WHEN total.n IS NULL THEN NULL
            ELSE rank() OVER (ORDER BY round(total.total, 2) IS NULL, round(total.total, 2) DESC)
       END AS rank,
       team.id, team.name, round(total.total, 2), coalesce(total.n, 0)
FROM team LEFT JOIN total ON total.team = team.id
ORDER BY round(total.total, 2) IS NULL, round(total.total, 2) DESC, lower(team.name), team.id
"""


@dataclass
class Device:
    """A judge's laptop that signs its own ops, numbered and stamped per PROTOCOL.md section 5."""

    judge: str
    key: DeviceKey
    device: str
    clock: HybridClock
    n: int = 0

    def sheet(self, team: str, scores: dict[str, int], comment: str = "") -> dict[str, Any]:
        """Return this laptop's next final sheet for `team`, signed, as a wire op."""
        self.n += 1
        wire: dict[str, Any] = {
            "id": f"{self.device}/{self.n}",
            "device": self.device,
            "n": self.n,
            "hlc": self.clock.tick(),
            "author": self.judge,
            "kind": "sheet.save",
            "body": {"team": team, "scores": scores, "comment": comment, "final": True},
        }
        wire["sig"] = self.key.sign(signing_payload(wire))
        return wire


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the nearest-rank percentile of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def timed(call: Callable[[], object]) -> float:
    """Return the seconds `call` took."""
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def build_host(
    path: Path, teams: int, judges: int, criteria: int, *, durable: bool = True
) -> tuple[Replica, list[Device]]:
    """Make a host (durable by default) with the event set up and one paired laptop per judge."""
    host = Replica.open(path, durable=durable)  # durable: synchronous=FULL
    host.register_self()
    for c in range(criteria):
        host.admin(
            "criterion.put",
            {
                "id": f"c{c}",
                "name": f"Criterion {c}",
                "weight": 1 + c % 3,
                "min": 0,
                "max": 100,
                "step": 1,
                "order": c,
            },
        )
    for t in range(teams):
        host.admin("team.put", {"id": f"t{t:03d}", "name": f"Team {t:03d}"})
    devices = []
    for j in range(judges):
        judge = f"j{j:02d}"
        host.admin("judge.put", {"id": judge, "name": f"Judge {j:02d}"})
        key = DeviceKey.generate()
        device = f"00000000-0000-4000-8000-{j:012d}"
        host.admin(
            "device.put",
            {
                "device": device,
                "pubkey": key.public_b64,
                "role": "judge",
                "subject": judge,
                "name": "",
            },
        )
        devices.append(Device(judge, key, device, HybridClock(device)))
    host.admin("event.set", {"field": "phase", "value": "scoring"})
    return host, devices


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--judges", type=int, default=50)
    parser.add_argument("--criteria", type=int, default=5)
    parser.add_argument("--ops", type=int, default=5000, help="sheet saves timed on the Scoreboard")
    parser.add_argument("--single", type=int, default=500, help="ops submitted one per commit")
    parser.add_argument("--grouped", type=int, default=2500, help="ops submitted 50 per commit")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    started = time.perf_counter()

    def marks() -> dict[str, int]:
        return {f"c{c}": rng.randint(0, 100) for c in range(args.criteria)}

    with tempfile.TemporaryDirectory() as tmp:
        host, devices = build_host(Path(tmp) / "host.db", args.teams, args.judges, args.criteria)
        team_ids = [f"t{t:03d}" for t in range(args.teams)]
        populate = [d.sheet(t, marks()) for t in team_ids for d in devices]
        timed_ops = [
            rng.choice(devices).sheet(rng.choice(team_ids), marks()) for _ in range(args.ops)
        ]
        setup_s = time.perf_counter() - started

        # The host, fully populated through the real submit path, 500 ops a transaction.
        load_s = 0.0
        for i in range(0, len(populate), 500):
            load_s += timed(lambda i=i: host.submit(populate[i : i + 500]))
        assert len(host.state.sheets()) == args.teams * args.judges

        # (a) The Scoreboard alone, fed by a State holding the same ops.
        state = State()
        board = Scoreboard()
        for op in host.accepted_since({}):
            entry = state.apply(op)
            if entry is not None:
                board.update(op.key, entry)
        board.rows()
        parsed = [parse_op(w) for w in timed_ops]
        cost, apply_cost, update_cost = [], [], []
        for op in parsed:
            t0 = time.perf_counter()
            entry = state.apply(op)
            t1 = time.perf_counter()
            assert entry is not None
            board.update(op.key, entry)
            t2 = time.perf_counter()
            board.rows()
            t3 = time.perf_counter()
            apply_cost.append(t1 - t0)
            update_cost.append(t2 - t1)
            cost.append(t3 - t1)

        # (b) The full replica path: verify, check, commit durably, fold, rescore, rank.
        single = timed_ops[: args.single]
        grouped = timed_ops[args.single : args.single + args.grouped]
        one_per_commit = []
        for wire in single:
            t0 = time.perf_counter()
            (outcome,) = host.submit([wire])
            host.board.rows()
            one_per_commit.append(time.perf_counter() - t0)
            assert outcome.accepted, outcome
        per_op_in_groups = []
        for i in range(0, len(grouped), 50):
            group = grouped[i : i + 50]
            t0 = time.perf_counter()
            outcomes = host.submit(group)
            host.board.rows()
            per_op_in_groups.append((time.perf_counter() - t0) / len(group))
            assert all(o.accepted for o in outcomes)

        # (c) Full recomputation, for comparison.
        host_state = host.state
        from_state = [timed(lambda: Scoreboard.from_state(host_state).rows()) for _ in range(5)]
        sql = [timed(lambda: host.db.execute_sql(LEADERBOARD_SQL).fetchall()) for _ in range(5)]
        by_sql = host.db.execute_sql(LEADERBOARD_SQL).fetchall()
        shown = host.board.rows()
        agree = _agreement(shown, by_sql)
        host.close()

    us = 1e6
    a_med, a_p99 = statistics.median(cost) * us, percentile(cost, 0.99) * us
    b1_med, b1_p99 = statistics.median(one_per_commit) * us, percentile(one_per_commit, 0.99) * us
    b50_med, b50_p99 = (
        statistics.median(per_op_in_groups) * us,
        percentile(per_op_in_groups, 0.99) * us,
    )
    full_med = statistics.median(from_state) * us
    sql_med = statistics.median(sql) * us
    sheets = args.teams * args.judges
    print(
        f"Leaderboard: {args.teams} teams x {args.judges} judges x {args.criteria} criteria"
        f" = {sheets:,} final sheets, {sheets * args.criteria:,} scores"
    )
    print(f"{'what':<58}{'median':>12}{'p99':>12}")
    table = [
        (f"(a) Scoreboard.update + rows(), per sheet op (n={len(cost)})", a_med, a_p99),
        (
            "    of which update()",
            statistics.median(update_cost) * us,
            percentile(update_cost, 0.99) * us,
        ),
        (
            "    (State.apply before it, not counted)",
            statistics.median(apply_cost) * us,
            percentile(apply_cost, 0.99) * us,
        ),
        (f"(b) host.submit + rows(), 1 op per commit, FULL (n={len(single)})", b1_med, b1_p99),
        (
            f"(b) host.submit + rows(), 50 ops per commit, per op (n={len(grouped)})",
            b50_med,
            b50_p99,
        ),
        ("(c) Scoreboard.from_state(state).rows() (5 runs; max)", full_med, max(from_state) * us),
        ("(c) SQL leaderboard over the state table (5 runs; max)", sql_med, max(sql) * us),
    ]
    for label, med, p99 in table:
        print(f"{label:<58}{_fmt(med):>12}{_fmt(p99):>12}")
    print("ratios of medians:")
    print(f"  from_state / incremental (a)      {full_med / a_med:10.0f}x")
    print(f"  SQL / incremental (a)             {sql_med / a_med:10.0f}x")
    print(f"  replica 1/commit / incremental    {b1_med / a_med:10.1f}x")
    print(f"  replica 1/commit / 50 per commit  {b1_med / b50_med:10.1f}x")
    print(f"  from_state / replica 1/commit     {full_med / b1_med:10.1f}x")
    print(f"SQL and Scoreboard agree on {agree}/{args.teams} rows (rank, team, shown total, count)")
    print(
        f"setup {setup_s:.1f} s (signing), host load {load_s:.1f} s"
        f" ({load_s / len(populate) * us:.0f} us/op at 500 per commit),"
        f" total {time.perf_counter() - started:.1f} s"
    )


def _agreement(rows: list[Row], by_sql: list[tuple[Any, ...]]) -> int:
    mine = [(r.rank, r.team_id, r.total_score, r.judge_count) for r in rows]
    theirs = [(rank, tid, total, n) for rank, tid, _name, total, n in by_sql]
    return sum(1 for x, y in zip(mine, theirs, strict=True) if x == y)


def _fmt(microseconds: float) -> str:
    if microseconds >= 10_000:
        return f"{microseconds / 1000:.1f} ms"
    return f"{microseconds:.0f} us"


if __name__ == "__main__":
    main()
