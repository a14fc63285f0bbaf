"""Benchmark what taking boards back (board_withdrawn, docs/protocol.md 4e) costs a host's tick.

An event of `--teams` teams and `--judges` judges with two prizes (bench_leaderboard's helpers,
a real Replica and HostCore, no sockets) and `--sessions` displays that say `boards` and show
the main board and both prizes: 3 boards held each. It prints, as medians over `--repeat`
ticks, the CPU time (time.process_time) of a whole `boards()` tick and of its withdrawal part
(`_withdrawals`, timed by wrapping it), and how many sessions the withdrawal part looked at:
- after one sheet changed (no board's visibility changed: nothing is due);
- after a display_boards change that takes one prize back from every display (each tick then
  withdraws it from all of them; the next puts it back).

    PYTHONPATH=. .venv/bin/python tests/bench/bench_withdrawals.py
    PYTHONPATH=. .venv/bin/python tests/bench/bench_withdrawals.py --sessions 3500 --repeat 15
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from storage.hlc import system_ms
from storage.signing import DeviceKey
from sync import messages as m
from sync.hostcore import HostCore, Send
from tests.bench.bench_leaderboard import build_host
from tests.kit import FakeClock, join_codes

CRITERIA = 5


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--judges", type=int, default=20)
    parser.add_argument("--sheets", type=int, default=15, help="final sheets per judge")
    parser.add_argument("--sessions", type=int, default=3500)
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args(argv)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        host, devices = build_host(
            Path(tmp) / "host.db", args.teams, args.judges, CRITERIA, durable=False
        )
        host.admin("prize.put", {"id": "all", "name": "Everyone's prize", "order": 0})
        host.admin("prize.put", {"id": "more", "name": "Another prize", "order": 1})
        sheets = []
        for j, device in enumerate(devices):
            for k in range(args.sheets):
                team = f"t{(j * args.sheets + k) % args.teams:03d}"
                marks = {f"c{c}": rng.randint(0, 100) for c in range(CRITERIA)}
                sheets.append(device.sheet(team, marks))
        for i in range(0, len(sheets), 500):
            host.submit(sheets[i : i + 500], system_ms())
        both = [{"round": "main", "prize": p} for p in ("all", "more")]
        host.admin(
            "event.set",
            {"field": "display_boards", "value": [{"round": "main", "prize": None}, *both]},
        )
        host.ensure_codes()
        code = join_codes(host)[("display", None)]
        clock = FakeClock(system_ms())
        core = HostCore(host, now=clock)
        pubkey = DeviceKey.generate().public_b64
        for k in range(args.sessions):
            session = core.open("127.0.0.1")
            hello = m.hello(f"00000000-0000-4000-9000-{k:012d}", code=code, pubkey=pubkey)
            hello |= {"deltas": True, "boards": True}
            core.receive(session, m.encode(hello))
            assert session.authenticated
        core.boards()
        spent: list[float] = []
        inner: Callable[..., Any] = core._withdrawals

        def timed(*a: Any) -> Any:
            began = time.process_time()
            try:
                return inner(*a)
            finally:
                spent.append(time.process_time() - began)

        core._withdrawals = timed  # type: ignore[method-assign]
        looked = getattr(core, "withdrawal_examined", None)

        def tick() -> tuple[float, float, int, int]:
            spent.clear()
            before = getattr(core, "withdrawal_examined", 0)
            began = time.process_time()
            actions = core.boards()
            whole = time.process_time() - began
            sent = sum(
                len(a.sessions)
                for a in actions
                if isinstance(a, Send) and '"board_withdrawn"' in a.frame
            )
            examined = getattr(core, "withdrawal_examined", 0) - before
            return whole, spent[0], examined, sent

        quiet, changing = [], []
        for r in range(args.repeat):
            device = rng.choice(devices)
            team = f"t{rng.randrange(args.teams):03d}"
            marks = {f"c{c}": rng.randint(0, 100) for c in range(CRITERIA)}
            clock.advance(seconds=10)
            host.submit([device.sheet(team, marks)], clock())
            quiet.append(tick())
            clock.advance(seconds=10)
            shown = (
                [{"round": "main", "prize": None}, *both]
                if r % 2
                else [{"round": "main", "prize": None}, both[0]]
            )
            host.admin("event.set", {"field": "display_boards", "value": shown})
            changing.append(tick())
        host.close()

    def line(label: str, rows: list[tuple[float, float, int, int]]) -> None:
        whole = statistics.median(r[0] for r in rows) * 1000
        part = statistics.median(r[1] for r in rows) * 1000
        examined = statistics.median(r[2] for r in rows)
        sent = max(r[3] for r in rows)
        print(
            f"{label:34} tick {whole:8.2f} ms CPU, withdrawals {part:7.3f} ms,"
            f" examined {examined if looked is not None else '-'}, withdrawn max {sent}"
        )

    print(f"Withdrawals: {args.sessions} displays with boards, 3 boards each, {args.teams} teams")
    line("a sheet changed (nothing due)", quiet)
    line("display_boards changed", changing)


if __name__ == "__main__":
    main()
