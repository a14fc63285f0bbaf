"""Tests for the Insights page: its charts paint the view (or say what is missing) at any size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop import insights_model as insights
from desktop import theme
from desktop.controllers import HostController
from desktop.host.insights import Chart, InsightsPage, nice_ticks, time_ticks
from desktop.host.window import HostWindow
from storage.replica import Replica
from tests.kit import FakeClock
from tests.report_event import scored_event


@pytest.fixture
def event(tmp_path: Path) -> Iterator[Replica]:
    replica = scored_event(tmp_path)
    yield replica
    replica.close()


@pytest.fixture(params=[False, True], ids=["light", "dark"])
def appearance(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[bool]:
    sheet, palette = qapp.styleSheet(), qapp.palette()
    theme.set_ui_dark(request.param, qapp)
    yield request.param
    theme.set_ui_dark(False, qapp)
    # As it was: the console's sheet left on the application restyles later tests' widgets.
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def view_of(replica: Replica) -> insights.InsightsView:
    state = replica.state
    return insights.insights_view(state.criteria(), state.judges(), insights.sheet_records(state))


def pixels_of(widget: QWidget, colour: QColor) -> int:
    """Count the pixels of a widget's picture that are exactly `colour`."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    target = colour.rgb()
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixel(x, y) == target
    )


def charts(page: InsightsPage) -> list[Chart]:
    return [*page.histograms, page.harshness, page.arrivals]


@pytest.mark.parametrize("size", [QSize(640, 480), QSize(1900, 1300)], ids=["small", "large"])
def test_every_chart_paints_its_figures_at_small_and_large_sizes(
    qtbot: QtBot, event: Replica, appearance: bool, size: QSize
) -> None:
    page = InsightsPage()
    qtbot.addWidget(page)
    page.resize(size)
    page.show()
    page.show_insights(view_of(event))
    qtbot.waitExposed(page)
    accent = theme.colour("accent")
    for chart in charts(page):
        assert chart.empty == ""
        assert chart.width() >= Chart.MIN.width()
        # The bars, dots and line are drawn in the accent colour (warnings fail the test).
        assert pixels_of(chart, accent) > 20, chart.accessibleName()
    assert page.histograms[0].accessibleName() == "Innovation: 6 final sheets, mean 7.00"
    assert page.arrivals.accessibleName() == "Sheets over time: 6 final sheets"


def test_empty_charts_say_what_is_missing_and_draw_no_figure(
    qtbot: QtBot, tmp_path: Path, appearance: bool
) -> None:
    replica = Replica.open(tmp_path / "host.db")
    try:
        replica.register_self()
        page = InsightsPage()
        qtbot.addWidget(page)
        page.resize(900, 700)
        page.show()
        page.show_insights(view_of(replica))
        assert page.empty_criteria.text() == "No criteria yet: add them on the Setup page."
        assert page.harshness.empty == "No judges yet: add them on the Setup page."
        assert page.arrivals.empty.startswith("No final sheets yet")
        replica.admin("judge.put", {"id": "j", "name": "Ada"})
        replica.admin(
            "criterion.put",
            {"id": "c", "name": "Flair", "weight": 1, "min": 0, "max": 5, "step": 1, "order": 0},
        )
        page.show_insights(view_of(replica))
        qtbot.waitExposed(page)
    finally:
        replica.close()
    assert not page.empty_criteria.isVisible()
    assert page.histograms[0].empty == "Flair: no final sheet has scored it yet."
    assert page.harshness.empty.startswith("No final sheets yet")
    for chart in charts(page):
        assert pixels_of(chart, theme.colour("accent")) == 0


def test_fewer_criteria_hide_the_charts_of_removed_ones(qtbot: QtBot, event: Replica) -> None:
    page = InsightsPage()
    qtbot.addWidget(page)
    page.show()
    page.show_insights(view_of(event))
    assert [c.isVisible() for c in page.histograms] == [True, True, True]
    event.admin("event.set", {"field": "phase", "value": "setup"})
    event.admin("criterion.del", {"id": "des"})
    page.show_insights(view_of(event))
    assert [c.isVisible() for c in page.histograms] == [True, True, False]
    assert [c.shown.criterion for c in page.histograms[:2] if c.shown] == ["Innovation", "Demo"]


def test_the_console_has_an_insights_page_fed_by_the_controller(
    qtbot: QtBot, event: Replica, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = HostWindow(HostController(event, None), settings, now=FakeClock().seconds)
    qtbot.addWidget(window)
    window.show()
    window.show_page("Insights")
    assert window.stack.currentWidget() is window.insights
    shown = window.insights.shown
    assert shown is not None
    assert shown.finals == 6
    assert [h.judge for h in shown.judges] == ["Alan Turing", "Ada Lovelace", "Grace Hopper"]


def test_ticks_are_round_and_reach_the_top() -> None:
    assert nice_ticks(3, 4) == [0.0, 1.0, 2.0, 3.0]
    assert nice_ticks(6, 4) == [0.0, 2.0, 4.0, 6.0]
    assert nice_ticks(37, 4) == [0.0, 10.0, 20.0, 30.0, 40.0]
    assert nice_ticks(0) == [0.0, 1.0]


def test_time_ticks_fall_on_round_clock_times() -> None:
    ten = 1_773_482_400_000  # 10:00:00 UTC
    step, ticks = time_ticks(ten + 70_000, 25 * 60_000, 6)  # 10:01:10 to 10:26:10
    assert step == 300_000
    assert ticks == [ten + k * 300_000 for k in range(1, 6)]  # 10:05 ... 10:25
    step, ticks = time_ticks(ten + 5_000, 60_000, 3)  # a minute, room for 3: every 30 s
    assert step == 30_000
    assert ticks == [ten + 30_000, ten + 60_000]
    # Local time an hour and a half ahead of UTC: ticks on its round quarter hours.
    step, ticks = time_ticks(ten, 3 * 3_600_000, 6, offset_s=5_400)
    assert step == 1_800_000
    assert ticks[0] == ten  # 11:30 local
