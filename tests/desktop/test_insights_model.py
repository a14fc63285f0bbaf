"""Tests for the Insights view model: distributions, harshness and arrivals, worked by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import insights_model as insights
from storage.replica import Replica
from tests.kit import BASE_MS
from tests.report_event import scored_event


@pytest.fixture
def event(tmp_path: Path) -> Iterator[Replica]:
    replica = scored_event(tmp_path)
    yield replica
    replica.close()


def view_of(replica: Replica) -> insights.InsightsView:
    state = replica.state
    return insights.insights_view(state.criteria(), state.judges(), insights.sheet_records(state))


def test_a_short_scale_has_one_bar_per_value_and_a_long_one_ten_bins(event: Replica) -> None:
    view = view_of(event)
    assert (view.criteria, view.finals) == (3, 6)  # Grace's draft is not charted
    innovation, design, demo = view.histograms
    assert innovation.discrete
    assert innovation.edges == tuple(float(v) for v in range(11))
    # Final sheets gave 9, 8, 7, 7, 7, 4.
    assert innovation.counts == (0, 0, 0, 0, 1, 0, 0, 3, 1, 1, 0)
    assert innovation.mean == 7.0
    assert demo.discrete  # 1..5 by 0.5: nine values
    assert demo.counts == (0, 0, 1, 0, 3, 0, 0, 1, 1)  # 4.5, 5, 3, 3, 3, 2
    assert not design.discrete  # 0..100 by 5: 21 values, so ten bins of 10
    assert design.edges[:3] == (0.0, 10.0, 20.0)
    # 80, 90, 60, 60, 60, 50: the bins from 50, 60, 80 and 90.
    assert design.counts == (0, 0, 0, 0, 0, 1, 3, 0, 1, 1)
    assert design.total == 6


def test_harshness_lists_each_judges_mean_spread_and_count_harshest_first(
    event: Replica,
) -> None:
    view = view_of(event)
    rows = [(h.judge, h.sheets, h.mean, h.spread, h.low, h.high) for h in view.judges]
    assert rows == [
        ("Alan Turing", 2, 50.625, 11.875, 38.75, 62.5),  # 62.5 and 38.75
        ("Ada Lovelace", 2, 74.6875, 12.1875, 62.5, 86.875),  # 86.875 and 62.5
        ("Grace Hopper", 2, 75.0, 12.5, 62.5, 87.5),  # her draft does not count
    ]
    assert view.overall_mean == pytest.approx(400.625 / 6)


def test_arrivals_count_final_sheets_by_the_time_each_was_saved(event: Replica) -> None:
    view = view_of(event)
    # One sheet a minute from BASE_MS (tests/report_event.py); the seventh is a draft.
    assert view.arrivals == tuple((BASE_MS + 60_000 * k, k) for k in range(1, 7))


def test_an_empty_event_has_no_figures(tmp_path: Path) -> None:
    replica = Replica.open(tmp_path / "host.db")
    try:
        replica.register_self()
        view = view_of(replica)
    finally:
        replica.close()
    assert view == insights.InsightsView(0, 0, (), (), None, ())


def test_a_judge_without_sheets_is_listed_last_with_no_mean(event: Replica) -> None:
    event.admin("judge.put", {"id": "zed", "name": "Aaron Zed"})
    last = view_of(event).judges[-1]
    assert (last.judge, last.sheets, last.mean, last.spread) == ("Aaron Zed", 0, None, None)


def test_a_value_outside_a_narrowed_scale_falls_in_the_end_bin() -> None:
    criterion = {"id": "c", "name": "C", "min": 0, "max": 100, "step": 1}
    found = insights.histogram(criterion, [-5.0, 0.0, 100.0, 130.0])
    assert found.counts[0] == 2
    assert found.counts[-1] == 2
