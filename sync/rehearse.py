"""Rehearsal: simulated judges, each a real peer link, score every team they may to prove a venue.

Organisers run it before the event over the venue network; the tests run it too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.ops import FIRST_ROUND
from storage.replica import Replica
from storage.rules import judges_may_save
from storage.sheets import may_score, round_teams, scorable_teams, sheet_criteria
from storage.state import State
from sync.peer import LinkStatus, PeerConfig, PeerLink

log = logging.getLogger("tallyboard.rehearse")


@dataclass
class Tally:
    """What the rehearsal counts across its judges."""

    ops: int = 0
    accepted: int = 0
    rejected: int = 0
    latencies_ms: list[float] = field(default_factory=list)


def load_codes(path: Path) -> list[dict[str, Any]]:
    """Read the JSON of `main.py codes` and return its judge entries; raise ValueError if bad."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not JSON: {exc.msg} (line {exc.lineno})") from exc
    if not isinstance(data, list) or not all(isinstance(c, dict) for c in data):
        raise ValueError(f"{path} must hold the list that `tallyboard codes` prints")
    judges = [c for c in data if c.get("role") == "judge"]
    if not judges or not all(isinstance(c.get("code"), str) and c.get("id") for c in judges):
        raise ValueError(f"{path} holds no judge codes")
    return judges


def sheet_scores(
    state: State, seed: int, judge_id: str, team_id: str, round_id: str = FIRST_ROUND
) -> dict[str, float | int]:
    """Return scores derived from the seed, judge, team (and later round), on each criterion's
    step grid: one for every criterion the sheet may hold, a prize's own ones too."""
    label = (
        f"{judge_id}/{team_id}" if round_id == FIRST_ROUND else f"{round_id}/{judge_id}/{team_id}"
    )
    rng = random.Random(f"{seed}/{label}")
    scores: dict[str, float | int] = {}
    for criterion in sheet_criteria(state, judge_id, team_id, round_id):
        low, high, step = criterion["min"], criterion["max"], criterion["step"]
        steps = round((high - low) / step)
        value = low + step * rng.randint(steps // 3, steps)
        scores[criterion["id"]] = int(value) if float(value).is_integer() else round(value, 6)
    return scores


def rounds_to_score(state: State, judge_id: str) -> list[tuple[str, list[str]]]:
    """Return each round a judge rehearses now, with the teams it may score there, sorted.

    The first round always (a sheet refused because scoring is closed is counted as rejected,
    which is what a rehearsal run too early should say); a later round once it is open for
    scoring, with its teams (every team, or its finalists) the judge may score.
    """
    found = [(FIRST_ROUND, scorable_teams(state, judge_id))]
    for round_ in state.rounds()[1:]:
        round_id = round_["id"]
        if judges_may_save(state.round_phase(round_id)):
            teams = round_teams(state, round_id)
            found.append(
                (round_id, [t for t in teams if may_score(state, judge_id, t, round_id) is None])
            )
    return found


class Pacer:
    """Space out ops so that all judges together make at most `rate` a second."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.next = 0.0

    async def wait(self) -> None:
        """Wait for the next op's turn."""
        if not self.interval:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        self.next = max(self.next + self.interval, now)
        await asyncio.sleep(self.next - now)


class _Progress:
    """What one simulated judge waits for: its sync after a welcome, a refusal, every ack."""

    def __init__(self, replica: Replica, tally: Tally) -> None:
        self.replica = replica
        self.tally = tally
        self.sent_at: dict[str, float] = {}
        self.done = asyncio.Event()
        # Welcomed is not synced: the ops this replica lacks (teams, judges, criteria) follow
        # the welcome, in frames of which only the last carries the host's vv (docs/protocol.md).
        self.synced = asyncio.Event()
        self.refused = asyncio.Event()

    def acked(self, accepted: list[str], rejected: list[dict[str, Any]]) -> None:
        """Count an ack and the latency of each op it answers."""
        now = time.perf_counter()
        for op_id in accepted + [str(r.get("id")) for r in rejected]:
            started = self.sent_at.pop(op_id, None)
            if started is not None:
                self.tally.latencies_ms.append((now - started) * 1000)
        self.tally.accepted += len(accepted)
        self.tally.rejected += len(rejected)
        if self.replica.pending_count() == 0:
            self.done.set()

    def status(self, state: LinkStatus) -> None:
        """Stop waiting when the host refuses this judge."""
        if state.state == "refused":
            self.refused.set()
            self.done.set()

    def heard(self, message: dict[str, Any]) -> None:
        """Tell a welcome (not synced yet) from the ops frame that completes the sync."""
        if message.get("type") == "welcome":
            self.synced.clear()
        elif message.get("type") == "ops" and message.get("vv"):
            self.synced.set()

    def sent(self, op_id: str) -> None:
        """Start the clock of an op handed to the link."""
        self.sent_at[op_id] = time.perf_counter()
        self.done.clear()


async def rehearse_judge(
    entry: dict[str, Any],
    folder: Path,
    config: PeerConfig,
    seed: int,
    pacer: Pacer,
    tally: Tally,
) -> None:
    """Run one simulated judge until every op it made has an outcome."""
    judge_id = str(entry["id"])
    replica = Replica.open(folder / f"judge-{judge_id}.db", durable=True)
    link = PeerLink(
        replica,
        PeerConfig(**{**config.__dict__, "code": entry["code"], "name": f"rehearsal {judge_id}"}),
    )
    progress = _Progress(replica, tally)
    link.on_ack.append(progress.acked)
    link.on_status.append(progress.status)
    link.on_message.append(progress.heard)
    runner = asyncio.get_running_loop().create_task(link.run())
    try:
        for op in replica.pending():  # left by an earlier run: flushed at welcome
            progress.sent_at[op.id] = time.perf_counter()
        await _first(progress.synced, progress.refused)
        if progress.refused.is_set():
            raise RuntimeError(f"judge {judge_id}: {link.status.last_error}")
        await _score_teams(replica, link, judge_id, seed, pacer, progress)
        if replica.pending_count():
            progress.done.clear()
            await progress.done.wait()
    finally:
        await link.stop()
        await runner
        replica.close()


async def _score_teams(
    replica: Replica, link: PeerLink, judge_id: str, seed: int, pacer: Pacer, progress: _Progress
) -> None:
    """Save a draft then a final sheet for each team the judge may score and has not finished,
    in each round it rehearses (`rounds_to_score`); a later round's sheets name their round."""
    for round_id, teams in rounds_to_score(replica.state, judge_id):
        for team_id in teams:
            sheet = replica.state.round_sheet(round_id, judge_id, team_id)
            if sheet is not None and sheet["final"]:
                continue  # made by an earlier run: a rehearsal resumes, never repeats
            scores = sheet_scores(replica.state, seed, judge_id, team_id, round_id)
            body: dict[str, Any] = {"team": team_id, "scores": scores, "comment": "rehearsal"}
            if round_id != FIRST_ROUND:
                body["round"] = round_id
            for final in (False, True) if sheet is None else (True,):
                await pacer.wait()
                op = replica.make("sheet.save", {**body, "final": final}, judge_id)
                progress.tally.ops += 1
                progress.sent(op.id)
                link.saved()


async def _first(*events: asyncio.Event) -> None:
    """Wait until one of the events is set."""
    loop = asyncio.get_running_loop()
    waiters = {loop.create_task(event.wait()) for event in events}
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return round(ordered[index], 2)


async def rehearse(
    codes: list[dict[str, Any]],
    folder: Path,
    config: PeerConfig,
    *,
    seed: int = 1,
    rate: float | None = None,
) -> dict[str, Any]:
    """Run one simulated judge per code; return the summary line's figures."""
    folder.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    pacer = Pacer(rate)
    await asyncio.gather(
        *(rehearse_judge(entry, folder, config, seed, pacer, tally) for entry in codes)
    )
    return {
        "judges": len(codes),
        "ops": tally.ops,
        "accepted": tally.accepted,
        "rejected": tally.rejected,
        "ack_p50_ms": _percentile(tally.latencies_ms, 0.5),
        "ack_p99_ms": _percentile(tally.latencies_ms, 0.99),
    }
