"""The Insights page's view model: score distributions, judges' harshness, sheets over time.

Plain values from the event's state, without Qt, so the figures are tested apart from the
painting (desktop/host/insights.py draws them). Only final sheets that count are charted:
those of live judges for live teams (docs/protocol.md 6b).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage import hlc
from storage.scoring import scaled, sheet_score
from storage.state import State

BINS = 10  # a criterion with more values than this is drawn in this many equal bins


@dataclass(frozen=True)
class SheetRecord:
    """One live sheet: who, for whom, final or draft, its scores, score, and when last saved."""

    judge_id: str
    judge_name: str
    team_id: str
    final: bool
    scores: Mapping[str, float]
    score: float | None
    saved_ms: int


@dataclass(frozen=True)
class Histogram:
    """How often each part of one criterion's scale was given on final sheets."""

    criterion: str
    low: float
    high: float
    edges: tuple[float, ...]  # bin i holds values from edges[i] (to edges[i + 1]), raw scale
    counts: tuple[int, ...]
    discrete: bool  # one bar per value of the scale (edges are the values themselves)
    mean: float | None

    @property
    def total(self) -> int:
        """The number of final sheets that scored this criterion."""
        return sum(self.counts)


@dataclass(frozen=True)
class Harshness:
    """One judge's final sheet scores in brief: how many, their mean and spread (0..100)."""

    judge_id: str
    judge: str
    sheets: int
    mean: float | None
    spread: float | None  # the standard deviation of the judge's sheet scores
    low: float | None
    high: float | None


@dataclass(frozen=True)
class InsightsView:
    """Everything the Insights page draws."""

    criteria: int  # how many criteria the event has
    finals: int  # final sheets that count
    histograms: tuple[Histogram, ...]
    judges: tuple[Harshness, ...]
    overall_mean: float | None  # the mean of every final sheet score
    arrivals: tuple[tuple[int, int], ...]  # (saved at, ms; final sheets saved by then)


def sheet_records(state: State) -> list[SheetRecord]:
    """Return the live sheets of live judges for live teams, oldest save first."""
    judges, teams = state.judges(), state.teams()
    by_id = {c["id"]: c for c in state.criteria()}
    found = []
    for _, entry in state.live_entries("sheet/"):
        sheet = entry.value
        assert sheet is not None
        judge = judges.get(sheet["judge"])
        if judge is None or sheet["team"] not in teams:
            continue
        found.append(
            SheetRecord(
                sheet["judge"],
                judge["name"],
                sheet["team"],
                bool(sheet["final"]),
                dict(sheet["scores"]),
                sheet_score(sheet["scores"], by_id),
                hlc.wall_ms(entry.hlc),
            )
        )
    found.sort(key=lambda r: (r.saved_ms, r.judge_id, r.team_id))
    return found


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _spread(values: Sequence[float]) -> float | None:
    """Return the population standard deviation (0 for one sheet), None for none."""
    mean = _mean(values)
    if mean is None:
        return None
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def histogram(criterion: Mapping[str, Any], values: Sequence[float]) -> Histogram:
    """Count a criterion's values per scale value (a short scale) or per equal bin."""
    low, high, step = float(criterion["min"]), float(criterion["max"]), float(criterion["step"])
    steps = round((high - low) / step)
    if steps + 1 <= BINS + 1 and math.isclose(low + steps * step, high):
        edges = tuple(low + k * step for k in range(steps + 1))
        counts = [0] * len(edges)
        for value in values:
            counts[min(len(edges) - 1, max(0, round((value - low) / step)))] += 1
        return Histogram(criterion["name"], low, high, edges, tuple(counts), True, _mean(values))
    width = (high - low) / BINS
    counts = [0] * BINS
    for value in values:
        # scaled() clamps a value a narrowed scale left outside into the end bins.
        part = scaled(value, criterion) / 100.0
        counts[min(BINS - 1, int(part * BINS))] += 1
    edges = tuple(low + k * width for k in range(BINS + 1))
    return Histogram(criterion["name"], low, high, edges, tuple(counts), False, _mean(values))


def harshness(
    judges: Mapping[str, Mapping[str, Any]], finals: Iterable[SheetRecord]
) -> tuple[Harshness, ...]:
    """Return each live judge's sheet count, mean and spread, harshest (lowest mean) first."""
    scores: dict[str, list[float]] = {judge_id: [] for judge_id in judges}
    for record in finals:
        if record.score is not None and record.judge_id in scores:
            scores[record.judge_id].append(record.score)
    rows = [
        Harshness(
            judge_id,
            str(judges[judge_id]["name"]),
            len(values),
            _mean(values),
            _spread(values),
            min(values) if values else None,
            max(values) if values else None,
        )
        for judge_id, values in scores.items()
    ]
    # Judges without a sheet go last, by name; the others from harshest to most generous.
    rows.sort(key=lambda h: (h.mean is None, h.mean or 0.0, h.judge.casefold(), h.judge_id))
    return tuple(rows)


def insights_view(
    criteria: Sequence[Mapping[str, Any]],
    judges: Mapping[str, Mapping[str, Any]],
    records: Sequence[SheetRecord],
) -> InsightsView:
    """Build the Insights page's figures from the criteria, judges and live sheets."""
    finals = [r for r in records if r.final]
    histograms = tuple(
        histogram(c, [float(r.scores[c["id"]]) for r in finals if c["id"] in r.scores])
        for c in criteria
    )
    scored = [r.score for r in finals if r.score is not None]
    arrivals = tuple((r.saved_ms, k) for k, r in enumerate(finals, 1))
    return InsightsView(
        len(criteria),
        len(finals),
        histograms,
        harshness(judges, finals),
        _mean(scored),
        arrivals,
    )
