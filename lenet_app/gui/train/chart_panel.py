"""The loss and accuracy charts side by side, fed by a `TrainingRun`."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QCheckBox, QSplitter, QWidget

from lenet_app.core.training import BatchProgress, EpochEnd
from lenet_app.gui.language import Retranslating
from lenet_app.gui.train.chart_export import ChartExporter, chart_box
from lenet_app.gui.train.charts import AccuracyChart, LossChart
from lenet_app.gui.train.run_state import TrainingRun
from lenet_app.gui.train.training_job import Prepared
from lenet_app.gui.widgets import named


class ChartPanel(Retranslating, QSplitter):
    """Buffers the run's points as they arrive and draws them on the run's ticks only.

    Charts on a hidden tab are left dirty and catch up on the first tick after it shows. Each
    chart has an *Export* button (and context menu) to save it or its curves (`exporters`).
    """

    def __init__(self, run: TrainingRun, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("chartsSplitter")
        self.setChildrenCollapsible(False)
        self.run = run
        self._loss_begun = False
        self.loss_chart = LossChart()
        self.accuracy_chart = AccuracyChart()
        self.log_scale_check = QCheckBox()
        self.log_scale_check.toggled.connect(self.loss_chart.set_log_scale)
        self.exporters = [ChartExporter(self.loss_chart, "training-loss"),
                          ChartExporter(self.accuracy_chart, "accuracy")]
        self.addWidget(chart_box(self.loss_chart, self.exporters[0], self.log_scale_check))
        self.addWidget(chart_box(self.accuracy_chart, self.exporters[1]))
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 1)
        self.setSizes([1000, 1000])

        run.prepared.connect(self._on_prepared)
        run.batches.connect(self._on_batches)
        run.epoch_ended.connect(self._on_epoch_ended)
        run.tick.connect(self._on_tick)
        self.retranslate()

    def retranslate(self) -> None:
        named(self.log_scale_check, "lossLogScaleCheck", self.tr("Loss chart log scale"),
              self.tr("Show the loss on a logarithmic axis, so that small late improvements stay "
                      "visible next to the large loss of the first batches"))
        self.log_scale_check.setText(self.tr("Log scale"))

    def log_scale(self) -> bool:
        return self.loss_chart.log_scale()

    def set_log_scale(self, on: bool) -> None:
        self.log_scale_check.setChecked(on)

    @Slot(object)
    def _on_prepared(self, prepared: Prepared) -> None:
        self._loss_begun = False
        self.loss_chart.clear()
        self.accuracy_chart.clear()
        self.accuracy_chart.begin_run(prepared.start_epoch, prepared.config.epochs)

    @Slot(object)
    def _on_batches(self, events: list[BatchProgress]) -> None:
        if not self._loss_begun:
            first = events[0]
            self.loss_chart.begin_run(first.epoch - 1, first.epochs, first.steps_per_epoch)
            self._loss_begun = True
        for event in events:
            self.loss_chart.add_batch(event.global_step / event.steps_per_epoch, event.loss)

    @Slot(object)
    def _on_epoch_ended(self, event: EpochEnd) -> None:
        self.accuracy_chart.add_epoch(event.epoch, event.train_accuracy, event.test_accuracy)

    @Slot()
    def _on_tick(self) -> None:
        """Visible charts redraw while the run is on; the last tick (the run is over) draws both."""
        over = not self.run.running
        for chart in (self.loss_chart, self.accuracy_chart):
            if over or chart.isVisible():
                chart.refresh()
