"""Past runs side by side: their loss and test-accuracy curves overlaid, one colour per run, each
named by what sets it apart from the others ("optimizer=sgd lr=0.05").

The curves come from the runs' records (`RunRecord.batch_loss`, `.epochs`), never from a live
run, so these charts are separate from the live ones and a comparison never disturbs a run.
"""

from __future__ import annotations

import dataclasses
import math
from functools import partial
from typing import Any

import numpy as np
from PySide6.QtCharts import QLogValueAxis, QValueAxis
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QFontMetricsF
from PySide6.QtWidgets import QToolTip, QWidget

from lenet_app.core.config import TrainConfig
from lenet_app.core.run_history import RunRecord
from lenet_app.gui.text import arg
from lenet_app.gui.train.charts import LOG_FLOOR, BoundedSeries, _ChartView, nice_step

#: Most points a past run's loss curve holds: enough for its shape, cheap to overlay ten runs.
MAX_RUN_POINTS = 1000
#: Config keys a legend names at most; more differences end in "…".
MAX_LABEL_KEYS = 4
#: One colour per selected run (Tableau 10: told apart also by most colour-blind readers).
RUN_COLOURS = [QColor(c) for c in ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1",
                                   "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac")]


@dataclasses.dataclass(frozen=True)
class ShownRun:
    """A run as the charts draw it: its record, its legend name and its colour."""

    record: RunRecord
    label: str
    colour: QColor


def _config(record: RunRecord) -> TrainConfig:
    """The run's recipe with every option present (older records lack newer keys)."""
    return TrainConfig.from_dict(record.config)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def differing_keys(records: list[RunRecord]) -> list[str]:
    """The config keys, in the config's order, whose values differ between `records` among
    the runs they apply to (momentum counts among SGD runs only)."""
    configs = [_config(record) for record in records]
    keys = []
    for field in dataclasses.fields(TrainConfig):
        values = {_value(getattr(config, field.name)) for config in configs if config.applies(field.name)}
        if len(values) > 1:
            keys.append(field.name)
    return keys


def run_labels(records: list[RunRecord]) -> list[str]:
    """A legend name for each of `records`: the settings that set it apart from the others
    ("optimizer=sgd lr=0.05"); its id when nothing does (one run, or equal recipes), and its id
    added where two names would be the same."""
    keys = differing_keys(records) if len(records) > 1 else []
    labels = []
    for record in records:
        config = _config(record)
        shown = [key for key in keys if config.applies(key)]
        parts = [f"{key}={_value(getattr(config, key))}" for key in shown[:MAX_LABEL_KEYS]]
        if len(shown) > MAX_LABEL_KEYS:
            parts.append("…")
        labels.append(" ".join(parts))
    return [record.id if not label else f"{label} · {record.id}" if labels.count(label) > 1 else label
            for record, label in zip(records, labels)]


def loss_curve(record: RunRecord, capacity: int = MAX_RUN_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """The run's training loss smoothed as the live chart's bold line (a bias-corrected moving
    average over about a tenth of an epoch), against the epoch, at most `capacity` points."""
    steps = record.steps_per_epoch
    if steps <= 0:
        return np.zeros(0), np.zeros(0)
    beta = 1.0 - 1.0 / min(max(steps / 10.0, 5.0), 50.0)
    buffer = BoundedSeries(capacity)
    average = weight = 0.0
    for index, loss in enumerate(record.batch_loss):
        if loss is None or not math.isfinite(loss):
            continue
        average = beta * average + (1.0 - beta) * loss
        weight = beta * weight + (1.0 - beta)
        buffer.add((record.first_step + index + 1) / steps, average / weight)
    return buffer.arrays()


def accuracy_curve(record: RunRecord) -> tuple[np.ndarray, np.ndarray]:
    """The test accuracy (%) after each epoch the run tested."""
    points = [(row["epoch"], row["test_accuracy"] * 100.0) for row in record.epochs
              if row.get("test_accuracy") is not None and math.isfinite(row["test_accuracy"])]
    return (np.asarray([p[0] for p in points], dtype=np.float64),
            np.asarray([p[1] for p in points], dtype=np.float64))


class _RunsChart(_ChartView):
    """A chart of past runs. Its legend sits under the plot, in rows or one name per row, as
    the runs' names need, so that a name as long as "optimizer=adam lr=0.006 schedule=onecycle" is
    shown whole (a legend in one row would cut it short)."""

    #: Pixels a legend entry takes besides its text (the colour square and the spacing around),
    #: rather more than Qt's: a row judged to fit must fit.
    LEGEND_ENTRY_EXTRA = 36

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runs: list[ShownRun] = []
        legend = self.chart().legend()
        legend.setShowToolTips(True)  # a name wider than the whole chart is still elided
        legend.setBackgroundVisible(False)
        legend.detachFromChart()  # placed, and its alignment chosen, by _place_legend

    def show_runs(self, runs: list[ShownRun]) -> None:
        self._runs = list(runs)
        self._redraw()
        self._place_legend()

    def _redraw(self) -> None:
        raise NotImplementedError

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_legend()

    def _legend_layout(self, width: float) -> tuple[Qt.AlignmentFlag, int, float]:
        """How the detached legend shows the runs' names in `width`: its alignment, how many
        rows, and the height of one. Qt wraps a row by guessing that the next entry is as wide
        as the last one, so a longer name after a shorter one would run off the right edge: the
        names share one row only where they all fit in it (an entry's width is overestimated,
        so Qt never wraps that row), else they go one per row (AlignLeft: a column)."""
        metrics = QFontMetricsF(self.chart().legend().font())
        entries = [metrics.horizontalAdvance(run.label) + self.LEGEND_ENTRY_EXTRA for run in self._runs]
        row_height = metrics.height() + 9
        x = 0.0
        for entry in entries[:-1]:
            x += entry
            if x + entry > width:  # where Qt would start a new row
                return Qt.AlignmentFlag.AlignLeft, len(entries), row_height
        if len(entries) > 1 and x + entries[-1] > width:
            return Qt.AlignmentFlag.AlignLeft, len(entries), row_height
        return Qt.AlignmentFlag.AlignTop, 1, row_height

    def _place_legend(self) -> None:
        chart, legend = self.chart(), self.chart().legend()
        legend.setVisible(bool(self._runs))
        if not self._runs:
            chart.setMargins(QMargins(4, 4, 4, 4))
            return
        width = max(self.width() - 24.0, 50.0)
        left, top, right, bottom = legend.layout().getContentsMargins()
        alignment, rows, row_height = self._legend_layout(width - left - right)
        legend.setAlignment(alignment)
        height = rows * row_height + top + bottom + 2
        chart.setMargins(QMargins(4, 4, 4, 6 + math.ceil(height)))
        legend.setGeometry(QRectF(12, self.height() - height - 6, width, height))
        legend.layout().invalidate()  # lay the entries out again: they may be new since the last time


class RunsLossChart(_RunsChart):
    """The selected runs' smoothed training loss, one line per run, on a linear or log axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pastLossChart")
        chart = self.chart()
        self.x_axis = QValueAxis()
        self.linear_axis = QValueAxis()
        self.log_axis = QLogValueAxis()
        self.log_axis.setBase(10.0)
        self.log_axis.setLabelFormat("%g")
        self.log_axis.setMinorTickCount(-1)
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.linear_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(self.log_axis, Qt.AlignmentFlag.AlignLeft)
        self._log_scale = False
        self._curves: dict[str, tuple[tuple[int, int], tuple[np.ndarray, np.ndarray]]] = {}
        self._redraw()
        self.retranslate()

    def retranslate(self) -> None:
        self._set_texts(self.tr("Training loss (smoothed)"), self.tr("Past runs' loss chart"), self.tr(
            "The training loss of each selected run, smoothed like the bold line of the live chart.\n"
            "Lower is better; a curve that falls faster learns faster."))
        self.x_axis.setTitleText(self.tr("Epoch"))
        self.linear_axis.setTitleText(self.tr("Loss"))
        self.log_axis.setTitleText(self.tr("Loss (log scale)"))

    def log_scale(self) -> bool:
        return self._log_scale

    def set_log_scale(self, on: bool) -> None:
        if on != self._log_scale:
            self._log_scale = on
            self._redraw()

    def _curve(self, record: RunRecord) -> tuple[np.ndarray, np.ndarray]:
        """A run's curve, computed again only when its record grew (a run still going on)."""
        key = (len(record.batch_loss), record.first_step)
        cached = self._curves.get(record.id)
        if cached is None or cached[0] != key:
            cached = (key, loss_curve(record))
            self._curves[record.id] = cached
        return cached[1]

    def _redraw(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        y_axis, hidden = (self.log_axis, self.linear_axis) if self._log_scale else (self.linear_axis, self.log_axis)
        hidden.setVisible(False)
        y_axis.setVisible(True)
        start, end, low, high = math.inf, -math.inf, math.inf, 0.0
        for run in self._runs:
            xs, ys = self._curve(run.record)
            series = self._line(run.colour, 2.0)
            series.setName(run.label)
            chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(y_axis)
            series.replaceNp(xs, np.maximum(ys, LOG_FLOOR) if self._log_scale else ys)
            if len(xs):
                start = min(start, math.floor(xs[0] - 1.0 / max(run.record.steps_per_epoch, 1)))
                end, low, high = max(end, xs[-1]), min(low, float(ys.min())), max(high, float(ys.max()))
        if not math.isfinite(start):
            start, end = 0.0, 1.0
        self._set_ticks(self.x_axis, start, max(end, start + 1.0), start)
        if self._log_scale:
            self._set_log_range(self.log_axis, low, high)
        else:
            self._set_ticks(self.linear_axis, 0.0, high * 1.05 if high > 0 else 1.0, 0.0, 5)


class RunsAccuracyChart(_RunsChart):
    """The selected runs' test accuracy after each epoch, one line (with markers) per run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pastAccuracyChart")
        chart = self.chart()
        self.x_axis = QValueAxis()
        self.y_axis = QValueAxis()
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self._redraw()
        self.retranslate()

    def retranslate(self) -> None:
        self._set_texts(self.tr("Test accuracy per epoch"), self.tr("Past runs' accuracy chart"), self.tr(
            "How many of the 10,000 test images each selected run classified correctly after "
            "each epoch.\nHover over a line for the exact value."))
        self.x_axis.setTitleText(self.tr("Epoch"))
        self.y_axis.setTitleText(self.tr("Test accuracy (%)"))

    def _redraw(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        first, last, values = math.inf, 0.0, []
        for run in self._runs:
            xs, ys = accuracy_curve(run.record)
            series = self._line(run.colour, 2.0)
            series.setName(run.label)
            series.setPointsVisible(True)
            series.setMarkerSize(7.0)
            chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
            series.replaceNp(xs, ys)
            series.hovered.connect(partial(self._on_hovered, run.label, xs, ys))
            if len(xs):
                first, last = min(first, float(xs[0])), max(last, float(xs[-1]))
                values.extend(ys.tolist())
        start = first - 1.0 if math.isfinite(first) else 0.0
        last = max(last, start + 1.0)
        step = max(1.0, round(nice_step(last - start, 8)))
        self.x_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        self.x_axis.setTickAnchor(start)
        self.x_axis.setTickInterval(step)
        self.x_axis.setLabelFormat("%.0f")
        self.x_axis.setRange(start, last + max(0.15, (last - start) * 0.03))
        low = max(0.0, math.floor(min(values) - 1.0)) if values else 90.0
        self._set_ticks(self.y_axis, low, 100.0 + (100.0 - low) * 0.03, 100.0, 5)

    def _on_hovered(self, label: str, xs: np.ndarray, ys: np.ndarray, point: QPointF, state: bool) -> None:
        """Hovering a line reports the nearest epoch's exact value."""
        if not state or not len(xs):
            QToolTip.hideText()
            return
        index = int(np.argmin(np.abs(xs - point.x())))
        QToolTip.showText(QCursor.pos(), arg(self.tr("%1: %2% test accuracy after epoch %3"), label,
                                             f"{ys[index]:.2f}", f"{xs[index]:.0f}"), self)
