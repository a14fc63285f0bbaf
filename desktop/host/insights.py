"""The console's Insights page: charts of the scores, painted with QPainter (no chart library).

Three cards: how each criterion's scale was used, each judge's harshness beside the others,
and the final sheets arriving over time. Each chart paints the view value it is shown
(`desktop.insights_model`), in the appearance's colours (desktop/theme.py), with labelled
axes; with nothing to draw it says what is missing instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QDateTime, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from desktop import insights_model as data
from desktop import theme
from desktop.host import parts as ui
from desktop.i18n import translate


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) >= 1 or value == 0 else f"{value:.2g}"


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """Return round tick values from 0 to at least `high` (1, 2 or 5 times a power of ten)."""
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)  # counts: whole numbers only
    return [k * step for k in range(math.ceil(high / step) + 1)]


class Chart(QWidget):
    """A painted chart: a plot area inside margins for the axes, or a sentence when empty."""

    MIN = QSize(260, 170)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setMinimumSize(self.MIN)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.empty = ""  # what is missing; painted instead of the chart when not ""

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(420, 240)

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        try:
            if self.empty:
                painter.setPen(theme.colour("muted"))
                flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
                painter.drawText(QRectF(self.rect()).adjusted(12, 8, -12, -8), flags, self.empty)
            else:
                self.draw(painter)
        finally:
            painter.end()

    def draw(self, painter: QPainter) -> None:
        """Paint the chart (the subclass's part)."""
        raise NotImplementedError

    def metrics(self) -> QFontMetricsF:
        """Return the metrics of the chart's text."""
        return QFontMetricsF(self.font())

    def small(self) -> QFont:
        """Return the font of tick labels: the widget's, a little smaller."""
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        return font

    def y_axis(self, painter: QPainter, plot: QRectF, ticks: Sequence[float], title: str) -> None:
        """Draw horizontal grid lines with their values, and the axis title up the left side."""
        painter.setFont(self.small())
        metrics = QFontMetricsF(self.small())
        top = ticks[-1] or 1.0
        for tick in ticks:
            y = plot.bottom() - tick / top * plot.height()
            painter.setPen(QPen(theme.colour("border"), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(theme.colour("muted"))
            text = _number(tick)
            width = metrics.horizontalAdvance(text)
            painter.drawText(QPointF(plot.left() - width - 6, y + metrics.ascent() / 2.5), text)
        painter.save()
        painter.translate(metrics.height() * 0.9, plot.center().y())
        painter.rotate(-90)
        width = metrics.horizontalAdvance(title)
        painter.drawText(QPointF(-width / 2, 0), title)
        painter.restore()

    def x_title(self, painter: QPainter, plot: QRectF, title: str) -> None:
        """Draw the horizontal axis's title under its labels."""
        painter.setFont(self.small())
        painter.setPen(theme.colour("muted"))
        metrics = QFontMetricsF(self.small())
        width = metrics.horizontalAdvance(title)
        y = plot.bottom() + metrics.height() * 2.3
        painter.drawText(QPointF(plot.center().x() - width / 2, y), title)


class HistogramChart(Chart):
    """One criterion: how many final sheets gave each part of its scale."""

    def __init__(self) -> None:
        super().__init__(translate("host", "Score distribution"))
        self.shown: data.Histogram | None = None
        self.setMaximumHeight(230)

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(360, 210)

    def show_histogram(self, histogram: data.Histogram) -> None:
        """Draw one criterion's distribution."""
        self.shown = histogram
        mean = "—" if histogram.mean is None else f"{histogram.mean:.2f}"
        self.setAccessibleName(
            translate("host", "{criterion}: {count} final sheets, mean {mean}").format(
                criterion=histogram.criterion, count=histogram.total, mean=mean
            )
        )
        self.empty = (
            ""
            if histogram.total
            else translate("host", "{criterion}: no final sheet has scored it yet.").format(
                criterion=histogram.criterion
            )
        )
        self.update()

    def draw(self, painter: QPainter) -> None:  # a subclass's part of paintEvent
        shown = self.shown
        assert shown is not None
        metrics = self.metrics()
        line = metrics.height()
        plot = QRectF(self.rect()).adjusted(line * 3.2, line * 1.8, -line * 0.8, -line * 3.0)
        mean = "—" if shown.mean is None else f"{shown.mean:.2f}"
        painter.setPen(theme.colour("strong"))
        title = translate("host", "{criterion} · {count} sheets · mean {mean}").format(
            criterion=shown.criterion, count=shown.total, mean=mean
        )
        left = line * 0.3
        painter.drawText(
            QPointF(left, line * 1.0),
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, self.width() - 2 * left),
        )
        ticks = nice_ticks(max(shown.counts), 4)
        self.y_axis(painter, plot, ticks, translate("host", "Sheets"))
        bars = len(shown.counts)
        slot = plot.width() / bars
        accent = theme.colour("accent")
        for index, count in enumerate(shown.counts):
            height = count / ticks[-1] * plot.height()
            bar = QRectF(
                plot.left() + index * slot + slot * 0.12,
                plot.bottom() - height,
                slot * 0.76,
                height,
            )
            painter.fillRect(bar, accent)
        self._x_labels(painter, plot, slot)
        self.x_title(
            painter,
            plot,
            translate("host", "Score given ({low} to {high})").format(
                low=_number(shown.low), high=_number(shown.high)
            ),
        )

    def _x_labels(self, painter: QPainter, plot: QRectF, slot: float) -> None:
        shown = self.shown
        assert shown is not None
        painter.setFont(self.small())
        painter.setPen(theme.colour("muted"))
        metrics = QFontMetricsF(self.small())
        y = plot.bottom() + metrics.height()
        if shown.discrete:
            labels = [(plot.left() + (k + 0.5) * slot, v) for k, v in enumerate(shown.edges)]
        else:
            labels = [(plot.left() + k * slot, v) for k, v in enumerate(shown.edges)]
        widest = max(metrics.horizontalAdvance(_number(v)) for _, v in labels) + 6
        every = max(1, math.ceil(widest / slot))  # skip labels that would overlap
        for k, (x, value) in enumerate(labels):
            if k % every == 0:
                text = _number(value)
                painter.drawText(QPointF(x - metrics.horizontalAdvance(text) / 2, y), text)


class HarshnessChart(Chart):
    """Each judge's mean sheet score with its spread (one standard deviation), side by side."""

    def __init__(self) -> None:
        super().__init__(translate("host", "Judges' harshness"))
        self.judges: tuple[data.Harshness, ...] = ()
        self.overall: float | None = None

    def sizeHint(self) -> QSize:  # Qt override
        rows = max(3, len(self.judges))
        return QSize(520, int(self.metrics().height() * (rows * 2.4 + 5)))

    def show_judges(self, judges: tuple[data.Harshness, ...], overall: float | None) -> None:
        """Draw the judges' means and spreads around the mean of every sheet."""
        self.judges, self.overall = judges, overall
        if not judges:
            self.empty = translate("host", "No judges yet: add them on the Setup page.")
        elif overall is None:
            self.empty = translate("host", "No final sheets yet: each judge's mean appears here.")
        else:
            self.empty = ""
        self.setMinimumHeight(max(self.MIN.height(), self.sizeHint().height()))
        self.updateGeometry()
        self.update()

    def draw(self, painter: QPainter) -> None:  # a subclass's part of paintEvent
        metrics = self.metrics()
        line = metrics.height()
        names = [h.judge for h in self.judges]
        label_width = min(
            self.width() * 0.34, max(metrics.horizontalAdvance(n) for n in names) + 12
        )
        plot = QRectF(self.rect()).adjusted(
            label_width + line * 0.5, line * 1.4, -line * 1.2, -line * 3.0
        )
        row = plot.height() / len(self.judges)
        painter.setFont(self.small())
        small = QFontMetricsF(self.small())
        for tick in range(0, 101, 20):
            x = plot.left() + tick / 100 * plot.width()
            painter.setPen(QPen(theme.colour("border"), 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(theme.colour("muted"))
            text = str(tick)
            painter.drawText(
                QPointF(x - small.horizontalAdvance(text) / 2, plot.bottom() + small.height()), text
            )
        self.x_title(
            painter,
            plot,
            translate("host", "Mean sheet score (0 to 100); the bar spans one standard deviation"),
        )
        if self.overall is not None:  # under the judges' marks, which are drawn over it
            x = plot.left() + self.overall / 100 * plot.width()
            pen = QPen(theme.colour("warn"), 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setFont(self.small())
            text = translate("host", "all sheets {mean}").format(mean=f"{self.overall:.1f}")
            width = small.horizontalAdvance(text)
            left = min(max(plot.left(), x - width / 2), plot.right() - width)
            painter.drawText(QPointF(left, plot.top() - small.descent() - 3), text)
        for index, judge in enumerate(self.judges):
            self._judge_row(painter, plot, index, row, label_width, judge)

    def _judge_row(
        self,
        painter: QPainter,
        plot: QRectF,
        index: int,
        row: float,
        label_width: float,
        judge: data.Harshness,
    ) -> None:
        metrics = self.metrics()
        small = QFontMetricsF(self.small())
        y = plot.top() + (index + 0.5) * row
        painter.setFont(self.font())
        painter.setPen(theme.colour("text"))
        name = metrics.elidedText(judge.judge, Qt.TextElideMode.ElideRight, label_width - 8)
        painter.drawText(QPointF(4, y - 1), name)
        painter.setFont(self.small())
        painter.setPen(theme.colour("muted"))
        count = (
            translate("host", "1 sheet")
            if judge.sheets == 1
            else translate("host", "{count} sheets").format(count=judge.sheets)
        )
        painter.drawText(QPointF(4, y + small.height() * 0.95), count)
        if judge.mean is None:
            return
        spread = judge.spread or 0.0
        left = plot.left() + max(0.0, judge.mean - spread) / 100 * plot.width()
        right = plot.left() + min(100.0, judge.mean + spread) / 100 * plot.width()
        accent = theme.colour("accent")
        band = QColor(accent)
        band.setAlphaF(0.35)
        height = min(row * 0.42, metrics.height() * 0.8)
        painter.fillRect(QRectF(left, y - height / 2, max(2.0, right - left), height), band)
        x = plot.left() + judge.mean / 100 * plot.width()
        painter.setPen(QPen(theme.colour("surface"), 2))
        painter.setBrush(accent)
        painter.drawEllipse(QPointF(x, y), height * 0.55, height * 0.55)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        text = f"{judge.mean:.1f}"
        width = small.horizontalAdvance(text)
        at = QPointF(min(right + 6, plot.right() - width), y + small.ascent() / 2.5)
        # A backing of the surface's colour keeps the figure legible over the dashed line.
        painter.fillRect(
            QRectF(at.x() - 2, at.y() - small.ascent(), width + 4, small.height()),
            theme.colour("surface"),
        )
        painter.setPen(theme.colour("text"))
        painter.drawText(at, text)


class ArrivalsChart(Chart):
    """Final sheets saved so far, over the clock: a rising step line."""

    def __init__(self) -> None:
        super().__init__(translate("host", "Sheets over time"))
        self.points: tuple[tuple[int, int], ...] = ()

    def show_arrivals(self, points: tuple[tuple[int, int], ...]) -> None:
        """Draw the count of final sheets against the time each was saved."""
        self.points = points
        self.empty = (
            ""
            if points
            else translate("host", "No final sheets yet: they are counted here as they arrive.")
        )
        self.setAccessibleName(
            translate("host", "Sheets over time: {count} final sheets").format(count=len(points))
        )
        self.update()

    def draw(self, painter: QPainter) -> None:  # a subclass's part of paintEvent
        line = self.metrics().height()
        plot = QRectF(self.rect()).adjusted(line * 3.2, line * 0.8, -line * 1.2, -line * 3.0)
        start, end = self.points[0][0], self.points[-1][0]
        span = max(end - start, 60_000)  # at least a minute wide
        ticks = nice_ticks(self.points[-1][1], 4)
        self.y_axis(painter, plot, ticks, translate("host", "Final sheets"))

        def at(ms: int, count: int) -> QPointF:
            return QPointF(
                plot.left() + (ms - start) / span * plot.width(),
                plot.bottom() - count / ticks[-1] * plot.height(),
            )

        path = QPainterPath(at(start, 0))
        previous = 0
        for ms, count in self.points:
            path.lineTo(at(ms, previous))
            path.lineTo(at(ms, count))
            previous = count
        painter.setPen(QPen(theme.colour("accent"), 2.5))
        painter.drawPath(path)
        self._time_labels(painter, plot, start, span)
        self.x_title(painter, plot, translate("host", "Time each sheet was saved"))

    def _time_labels(self, painter: QPainter, plot: QRectF, start: int, span: int) -> None:
        painter.setFont(self.small())
        painter.setPen(theme.colour("muted"))
        metrics = QFontMetricsF(self.small())
        room = max(2, int(plot.width() // (metrics.horizontalAdvance("00:00:00") + 16)))
        step, ticks = time_ticks(start, span, room, local_offset_s(start))
        fmt = "HH:mm" if step >= 60_000 else "HH:mm:ss"
        for ms in ticks:
            text = QDateTime.fromMSecsSinceEpoch(ms).toString(fmt)
            width = metrics.horizontalAdvance(text)
            x = plot.left() + (ms - start) / span * plot.width() - width / 2
            painter.drawText(QPointF(x, plot.bottom() + metrics.height()), text)


TIME_STEPS_S = (10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)


def local_offset_s(ms: int) -> int:
    """Return the local time's offset from UTC at `ms`, in seconds."""
    return QDateTime.fromMSecsSinceEpoch(ms).offsetFromUtc()


def time_ticks(start: int, span: int, room: int, offset_s: int = 0) -> tuple[int, list[int]]:
    """Return a round step (ms) and the times on it within start..start+span, at most `room`.

    Ticks fall on whole multiples of the step in local time (10:15, 10:30...), not on fractions
    of the span, so the labels read as a clock does.
    """
    seconds = next((s for s in TIME_STEPS_S if span / (s * 1000) <= room), TIME_STEPS_S[-1])
    step = seconds * 1000
    offset = offset_s * 1000
    first = -(-(start + offset) // step) * step - offset
    return step, list(range(first, start + span + 1, step))


class InsightsPage(ui.Page):
    """How the scores look: per criterion, per judge, and over time."""

    def __init__(self) -> None:
        super().__init__(
            translate("host", "Insights"),
            translate("host", "How the final sheets are spread, judge by judge and over time."),
        )
        card, layout = ui.card(
            translate("host", "Score distribution"),
            translate("host", "How often each part of a criterion's scale was given."),
        )
        self.empty_criteria = ui.label("", "hint", wrap=True)
        layout.addWidget(self.empty_criteria)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        layout.addLayout(self.grid)
        self.histograms: list[HistogramChart] = []
        self.content.addWidget(card)
        columns = QGridLayout()
        columns.setSpacing(16)
        judges_card, judges = ui.card(
            translate("host", "Judges' harshness"),
            translate(
                "host",
                "Each judge's mean sheet score and spread; the dashed line is "
                "the mean of every sheet. Harshest first.",
            ),
        )
        self.harshness = HarshnessChart()
        judges.addWidget(self.harshness, 1)
        time_card, timeline = ui.card(
            translate("host", "Sheets over time"),
            translate("host", "Final sheets saved so far, by the time each was saved."),
        )
        self.arrivals = ArrivalsChart()
        timeline.addWidget(self.arrivals, 1)
        columns.addWidget(judges_card, 0, 0)
        columns.addWidget(time_card, 0, 1)
        self.content.addLayout(columns)
        self.content.addStretch(1)  # a tall window's spare room goes below the charts
        self.shown: data.InsightsView | None = None

    def show_insights(self, view: data.InsightsView) -> None:
        """Draw the view's charts."""
        self.shown = view
        while len(self.histograms) < len(view.histograms):
            chart = HistogramChart()
            self.histograms.append(chart)
        for chart in self.histograms[len(view.histograms) :]:
            chart.hide()
        columns = 2 if len(view.histograms) == 4 else 3
        for index, (chart, histogram) in enumerate(
            zip(self.histograms, view.histograms, strict=False)
        ):
            self.grid.addWidget(chart, index // columns, index % columns)
            chart.show_histogram(histogram)
            chart.show()
        self.empty_criteria.setText(
            translate("host", "No criteria yet: add them on the Setup page.")
            if not view.criteria
            else ""
        )
        self.empty_criteria.setVisible(not view.criteria)
        self.harshness.show_judges(view.judges, view.overall_mean)
        self.arrivals.show_arrivals(view.arrivals)
