"""Live training charts: loss per batch and accuracy per epoch (QtCharts).

Points arrive far faster than anyone can read them (hundreds of batches a second on a GPU),
so the charts only buffer them in `BoundedSeries` and copy the buffer into the QLineSeries in
one bulk `replaceNp` when `refresh()` runs from the owner's timer. The buffers merge
neighbouring points whenever they fill up, so a 50-epoch run costs the same to draw as a
one-epoch run.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCharts import QChart, QChartView, QLineSeries, QLogValueAxis, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt, Slot
from PySide6.QtGui import QColor, QCursor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsView, QToolTip, QWidget

from lenet_app.gui.language import Retranslating
from lenet_app.gui.style import ACCENT, ACCENT_DARK, ACCENT_FAINT, WARNING, bold_font
from lenet_app.gui.text import arg

#: Most points a chart series ever holds (plus one partly filled bucket).
MAX_POINTS = 2000

LOG_FLOOR = 1e-4  # a loss of exactly 0 has no place on a log axis


class BoundedSeries:
    """An append-only (x, y) buffer that never holds more than `capacity` points.

    When it fills, neighbouring points are averaged in pairs and later points are averaged in
    buckets twice as large, so every stored point covers the same number of raw points and
    the curve keeps its shape (and stays an honest mean) however long the run.
    """

    def __init__(self, capacity: int = MAX_POINTS) -> None:
        self.capacity = max(2, capacity - capacity % 2)
        self.clear()

    def clear(self) -> None:
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.bucket = 1
        self._sum_x = self._sum_y = 0.0
        self._pending = 0
        self.total = 0

    def add(self, x: float, y: float) -> None:
        self.total += 1
        self._sum_x += x
        self._sum_y += y
        self._pending += 1
        if self._pending < self.bucket:
            return
        self.xs.append(self._sum_x / self._pending)
        self.ys.append(self._sum_y / self._pending)
        self._sum_x = self._sum_y = 0.0
        self._pending = 0
        if len(self.xs) >= self.capacity:
            self.xs = [(a + b) / 2 for a, b in zip(self.xs[0::2], self.xs[1::2])]
            self.ys = [(a + b) / 2 for a, b in zip(self.ys[0::2], self.ys[1::2])]
            self.bucket *= 2

    def __len__(self) -> int:
        return len(self.xs) + (1 if self._pending else 0)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The stored points, with the partly filled bucket last so the curve reaches 'now'."""
        xs, ys = self.xs, self.ys
        if self._pending:
            xs = xs + [self._sum_x / self._pending]
            ys = ys + [self._sum_y / self._pending]
        return np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)


def nice_step(span: float, ticks: int = 6) -> float:
    """A 1-2-5 tick interval giving about `ticks` intervals over `span`."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


class _ChartView(Retranslating, QChartView):
    """Shared look: themed to the palette, antialiased, compact margins, bold title. Each chart
    sets its title, axis titles and series names in `retranslate`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        super().__init__(chart, parent)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
        chart.setTitleFont(bold_font(self.font(), 1.1))
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        chart.setDropShadowEnabled(False)  # a shadow makes every repaint much dearer
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        # A point marker on a plot's edge reaches outside its series' bounds: repainted only
        # there, a replaced series left bits of its markers behind (seen in a real X11 window).
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setMinimumSize(280, 220)
        self._dirty = False
        self._axis_states: dict[int, tuple] = {}

    @staticmethod
    def _line(color: QColor, width: float) -> QLineSeries:
        series = QLineSeries()
        pen = QPen(color)
        pen.setWidthF(width)
        series.setPen(pen)
        return series

    def _set_texts(self, title: str, accessible: str, tip: str) -> None:
        self.chart().setTitle(title)
        self.setAccessibleName(accessible)
        self.setToolTip(tip)

    def _axis_changed(self, axis: QValueAxis | QLogValueAxis, state: tuple) -> bool:
        """Each axis setter lays the whole chart out again, so refreshes skip unchanged ones."""
        if self._axis_states.get(id(axis)) == state:
            return False
        self._axis_states[id(axis)] = state
        return True

    def _set_ticks(self, axis: QValueAxis, low: float, high: float, anchor: float, ticks: int = 6) -> None:
        if not self._axis_changed(axis, (low, high, anchor, ticks)):
            return
        step = nice_step(high - low, ticks)
        axis.setTickType(QValueAxis.TickType.TicksDynamic)
        axis.setTickAnchor(anchor)
        axis.setTickInterval(step)
        axis.setLabelFormat(f"%.{_decimals(step)}f")
        axis.setRange(low, high)

    def _set_log_range(self, axis: QLogValueAxis, min_y: float, max_y: float) -> None:
        """Whole powers of the base around `min_y`..`max_y` (losses; 0 sits at LOG_FLOOR)."""
        low = max(min_y if math.isfinite(min_y) else 0.1, LOG_FLOOR)
        high = max(max_y, low * 1.01)
        # One label per power of the base: 10, or 10^k when a diverging run spans many
        # decades, so the labels never crowd into "…".
        decades = math.ceil(math.log10(high)) - math.floor(math.log10(low))
        step = max(1, math.ceil(decades / 6))
        base = 10.0 ** step
        bottom = base ** math.floor(math.log10(low) / step)
        top = base ** math.ceil(math.log10(high) / step)
        if self._axis_changed(axis, (base, bottom, top)):
            # Minor ticks sit at 2..base-1 of each step: fine for 10, absurd for 10^5.
            axis.setMinorTickCount(-1 if step == 1 else 0)
            axis.setBase(base)
            axis.setRange(bottom * 0.999, top * 1.001)


class LossChart(_ChartView):
    """Training loss per batch: the raw values (thin, light) and their EMA (bold).

    The x axis counts epochs (global step / steps per epoch) so a run of any batch size reads
    the same, and the axis spans the whole run from the start so progress is visible.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossChart")
        self.raw_series = self._line(ACCENT_FAINT, 1.0)
        self.smooth_series = self._line(ACCENT_DARK, 2.5)
        self.raw = BoundedSeries()
        self.smooth = BoundedSeries()
        chart = self.chart()
        chart.addSeries(self.raw_series)
        chart.addSeries(self.smooth_series)
        self.x_axis = QValueAxis()
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        for series in (self.raw_series, self.smooth_series):
            series.attachAxis(self.x_axis)
        self.y_axis: QValueAxis | QLogValueAxis | None = None
        self._log_scale = False
        self._set_y_axis(False)
        self._start, self._end = 0.0, 1.0
        self._beta = 0.9
        self._ema = 0.0
        self._ema_weight = 0.0
        self._max_y = 0.0
        self._min_y = math.inf
        self.clear()
        self.retranslate()

    def retranslate(self) -> None:
        self._set_texts(self.tr("Training loss"), self.tr("Training loss chart"), self.tr(
            "The loss on each training batch (light) and a smoothed trend (bold).\n"
            "It should fall quickly and then flatten; if it climbs or jumps around,\n"
            "the learning rate is probably too high."))
        self.raw_series.setName(self.tr("Loss per batch"))
        self.smooth_series.setName(self.tr("Smoothed (moving average)"))
        self.x_axis.setTitleText(self.tr("Epoch"))
        self.linear_axis.setTitleText(self.tr("Loss"))
        self.log_axis.setTitleText(self.tr("Loss (log scale)"))

    def log_scale(self) -> bool:
        return self._log_scale

    def set_log_scale(self, on: bool) -> None:
        """Log scale keeps the late, small losses readable next to the first batches' ~2.3."""
        if on != self._log_scale:
            self._set_y_axis(on)
            self._dirty = True
            self.refresh()

    def _set_y_axis(self, log: bool) -> None:
        """Both axes stay in the chart; the series move between them and the unused one hides.

        (Removing an axis from a QChart can leave its labels painted until the next resize.)
        """
        chart = self.chart()
        if self.y_axis is None:
            self.linear_axis = QValueAxis()
            self.log_axis = QLogValueAxis()
            self.log_axis.setBase(10.0)
            self.log_axis.setLabelFormat("%g")
            self.log_axis.setMinorTickCount(-1)
            for axis in (self.linear_axis, self.log_axis):
                chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
        new = self.log_axis if log else self.linear_axis
        old = self.linear_axis if log else self.log_axis
        for series in (self.raw_series, self.smooth_series):
            if old in series.attachedAxes():
                series.detachAxis(old)
            series.attachAxis(new)
        old.setVisible(False)
        new.setVisible(True)
        self._axis_states.pop(id(new), None)  # attaching may have reset its range
        self.y_axis = new
        self._log_scale = log

    def clear(self) -> None:
        self.raw.clear()
        self.smooth.clear()
        self._ema = self._ema_weight = 0.0
        self._max_y, self._min_y = 0.0, math.inf
        self._dirty = True
        self.refresh()

    def begin_run(self, start_epoch: float, end_epoch: float, steps_per_epoch: int) -> None:
        """Fix the x range to the run and match the smoothing window to the epoch length."""
        self._start, self._end = float(start_epoch), float(max(end_epoch, start_epoch + 1))
        window = min(max(steps_per_epoch / 10.0, 5.0), 50.0)
        self._beta = 1.0 - 1.0 / window
        self._dirty = True

    def add_batch(self, epoch_position: float, loss: float) -> None:
        """O(1): called once per batch from the GUI thread's slot; drawing waits for refresh()."""
        if not math.isfinite(loss):
            return
        self.raw.add(epoch_position, loss)
        # Bias-corrected EMA: no artificial ramp up from zero at the start of a run.
        self._ema = self._beta * self._ema + (1.0 - self._beta) * loss
        self._ema_weight = self._beta * self._ema_weight + (1.0 - self._beta)
        self.smooth.add(epoch_position, self._ema / self._ema_weight)
        self._max_y = max(self._max_y, loss)
        self._min_y = min(self._min_y, loss)
        self._dirty = True

    def point_count(self) -> int:
        return self.raw_series.count()

    def refresh(self) -> None:
        """Push the buffered points into the series in bulk and rescale; cheap when unchanged."""
        if not self._dirty:
            return
        self._dirty = False
        for buffer, series in ((self.raw, self.raw_series), (self.smooth, self.smooth_series)):
            xs, ys = buffer.arrays()
            if self._log_scale:
                ys = np.maximum(ys, LOG_FLOOR)
            series.replaceNp(xs, ys)
        last_x = self.raw.xs[-1] if self.raw.xs else self._start
        self._set_ticks(self.x_axis, self._start, max(self._end, last_x), self._start)
        if self._log_scale:
            self._set_log_range(self.y_axis, self._min_y, self._max_y)
        else:
            high = self._max_y * 1.05 if self._max_y > 0 else 1.0
            self._set_ticks(self.y_axis, 0.0, high, 0.0, 5)


class AccuracyChart(_ChartView):
    """Train and test accuracy after each epoch, in percent, zoomed to the useful range."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accuracyChart")
        self.train_series = self._line(WARNING, 2.0)
        self.test_series = self._line(ACCENT, 2.5)
        self.train = BoundedSeries()
        self.test = BoundedSeries()
        chart = self.chart()
        self.x_axis = QValueAxis()
        self.y_axis = QValueAxis()
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.train_series, self.test_series):
            series.setPointsVisible(True)
            series.setMarkerSize(8.0)
            chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.train_series.hovered.connect(self._on_train_hovered)
        self.test_series.hovered.connect(self._on_test_hovered)
        self._start, self._end = 0, 1
        self.clear()
        self.retranslate()

    def retranslate(self) -> None:
        self._set_texts(self.tr("Accuracy per epoch"), self.tr("Accuracy chart"), self.tr(
            "How many digits the network classifies correctly after each epoch.\n"
            "Train: on the images it learns from. Test: on 10,000 images it never saw.\n"
            "A test curve far below the train curve means the network memorises (overfits)."))
        self.train_series.setName(self.tr("Train"))
        self.test_series.setName(self.tr("Test"))
        self.x_axis.setTitleText(self.tr("Epoch"))
        self.y_axis.setTitleText(self.tr("Accuracy (%)"))

    def clear(self) -> None:
        self.train.clear()
        self.test.clear()
        self._dirty = True
        self.refresh()

    def begin_run(self, start_epoch: int, end_epoch: int) -> None:
        self._start, self._end = int(start_epoch), int(max(end_epoch, start_epoch + 1))
        self._dirty = True

    def add_epoch(self, epoch: int, train_accuracy: float, test_accuracy: float) -> None:
        """Accuracies as fractions (0..1); a NaN test accuracy (not evaluated) is left out."""
        if math.isfinite(train_accuracy):
            self.train.add(float(epoch), train_accuracy * 100.0)
        if math.isfinite(test_accuracy):
            self.test.add(float(epoch), test_accuracy * 100.0)
        self._dirty = True

    def point_count(self) -> int:
        return self.train_series.count() + self.test_series.count()

    def refresh(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        values = []
        for buffer, series in ((self.train, self.train_series), (self.test, self.test_series)):
            xs, ys = buffer.arrays()
            series.replaceNp(xs, ys)
            values.extend(ys.tolist())
        last = max(self.train.xs[-1] if self.train.xs else 0, self._end)
        # Whole epochs only, and room on the right so the last marker is not cut in half.
        step = max(1.0, round(nice_step(last - self._start, 8)))
        self.x_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        self.x_axis.setTickAnchor(self._start)
        self.x_axis.setTickInterval(step)
        self.x_axis.setLabelFormat("%.0f")
        self.x_axis.setRange(self._start, last + max(0.15, (last - self._start) * 0.03))
        low = max(0.0, math.floor(min(values) - 1.0)) if values else 90.0
        high = 100.0 + (100.0 - low) * 0.03
        self._set_ticks(self.y_axis, low, high, 100.0, 5)

    @Slot(QPointF, bool)
    def _on_train_hovered(self, point: QPointF, state: bool) -> None:
        self._show_point(self.tr("Train"), self.train, point, state)

    @Slot(QPointF, bool)
    def _on_test_hovered(self, point: QPointF, state: bool) -> None:
        self._show_point(self.tr("Test"), self.test, point, state)

    def _show_point(self, name: str, buffer: BoundedSeries, point: QPointF, state: bool) -> None:
        """Hovering anywhere on a line reports the nearest epoch's exact value."""
        xs, ys = buffer.arrays()
        if not state or not len(xs):
            QToolTip.hideText()
            return
        index = int(np.argmin(np.abs(xs - point.x())))
        QToolTip.showText(QCursor.pos(), arg(self.tr("%1 accuracy after epoch %2: %3%"), name,
                                             f"{xs[index]:.0f}", f"{ys[index]:.2f}"), self)
