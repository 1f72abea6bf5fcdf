"""The Train tab's "Inside the network": the first convolution's kernels and every layer's output
for one fixed test digit, changing as the run learns.

The run's `Snapshot`s (one before the first batch, about one a second, one per epoch end) fill
an `ActivationsState`; the shared network views draw it. The first snapshot of a run shows at
once, later ones on the run's 10 Hz tick (only the newest), and the last one stays after the run.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lenet_app.core.training import SNAPSHOT_DIGIT_INDEX, Snapshot, fixed_test_digit
from lenet_app.gui.network.kernels_view import KernelsView
from lenet_app.gui.network.legend import ColourLegend
from lenet_app.gui.network.map_detail import MapDetailDialog
from lenet_app.gui.network.network_view import NetworkView
from lenet_app.gui.network.state import ActivationsState
from lenet_app.gui.language import Retranslating
from lenet_app.gui.state import DatasetState
from lenet_app.gui.style import CORRECT, MISTAKE, bold_font, hex_color, muted
from lenet_app.gui.text import arg
from lenet_app.gui.train.run_state import TrainingRun
from lenet_app.gui.widgets import DigitImageView, VerticalScrollArea

DIGIT_SIDE = 112


def first_kernels_layer(snapshot: Snapshot) -> str | None:
    """The first convolution with feature maps (C1 in the LeNets): the kernels that read the digit."""
    acts = snapshot.activations
    return next((name for name in acts.kernels if acts.layer(name).is_maps), None)


class InsidePanel(Retranslating, QWidget):
    """The fixed test digit with the network's current answer on the left; the first layer's
    kernels and every layer's output for that digit on the right. Click a map to enlarge it."""

    shown = Signal(object)  # Snapshot: the views show it now

    def __init__(self, run: TrainingRun, dataset: DatasetState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainInsidePanel")
        self.run = run
        self.dataset = dataset
        self.state = ActivationsState(self)
        self._pending: Snapshot | None = None
        self._shown: Snapshot | None = None
        self._label: int | None = None  # the fixed digit's true label
        self.kernels_view: KernelsView | None = None

        self.digit_view = DigitImageView()
        self.digit_view.setObjectName("insideDigitView")
        self.digit_view.setFixedSize(DIGIT_SIDE, DIGIT_SIDE)
        self.digit_label = muted(QLabel())
        self.digit_label.setObjectName("insideDigitLabel")
        self.digit_label.setWordWrap(True)
        # Plain labels that wrap: they change about once a second at most.
        self.answer_label = QLabel()
        self.answer_label.setObjectName("insideAnswerLabel")
        self.answer_label.setFont(bold_font(self.font()))
        self.answer_label.setWordWrap(True)
        self.step_label = muted(QLabel())
        self.step_label.setObjectName("insideStepLabel")
        self.step_label.setWordWrap(True)
        left = QVBoxLayout()
        left.setSpacing(4)
        left.addWidget(self.digit_view)
        left.addWidget(self.digit_label)
        left.addWidget(self.answer_label)
        left.addWidget(self.step_label)
        left.addStretch(1)
        left_box = QWidget()
        left_box.setFixedWidth(DIGIT_SIDE + 16)
        left_box.setLayout(left)

        self.caption = muted(QLabel())
        self.caption.setObjectName("insideCaption")
        self.caption.setWordWrap(True)
        self.network_view = NetworkView(self.state)
        self._content = QVBoxLayout()
        self._content.setContentsMargins(0, 0, 4, 0)
        self._content.setSpacing(10)
        self._content.addWidget(self.network_view)
        self._content.addStretch(1)
        content = QWidget()
        content.setLayout(self._content)
        scroll = VerticalScrollArea(content, "insideScroll")
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(self.caption)
        right.addWidget(ColourLegend(), 0, Qt.AlignmentFlag.AlignRight)
        right.addWidget(scroll, 1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 6, 0, 0)
        layout.addWidget(left_box)
        layout.addLayout(right, 1)

        self.detail = MapDetailDialog(self.state, self)
        self.network_view.map_clicked.connect(self.detail.show_map)
        run.starting.connect(self._on_starting)
        run.snapshot.connect(self._on_snapshot)
        run.tick.connect(self._on_tick)
        dataset.changed.connect(self._on_dataset_changed)
        self._on_dataset_changed()
        self.retranslate()

    def retranslate(self) -> None:
        """The caption and hints, and the labels for the digit and the snapshot shown now."""
        self.digit_view.setAccessibleName(self.tr("The test digit the network reads"))
        self.digit_view.set_placeholder(self.tr("No test images"))
        self.caption.setText(self.tr(
            "A kernel is a small grid of weights the first layer slides over the digit: it starts as "
            "random noise, and training shapes it into a detector of strokes and edges. Below, what every "
            "layer makes of this one test digit with the weights so far."))
        self.network_view.set_placeholder(self.tr("Start training to watch the kernels learn."))
        self._show_digit_label()
        self._show_step(self._shown)

    def shown_snapshot(self) -> Snapshot | None:
        """The snapshot the views show now (the last one of the run, once it is over)."""
        return self._shown

    # --- following the run -----------------------------------------------------------------

    @Slot()
    def _on_starting(self) -> None:
        self._pending = None
        self._shown = None  # the new run's first snapshot shows at once

    @Slot(object)
    def _on_snapshot(self, snapshot: Snapshot) -> None:
        self._pending = snapshot
        if self._shown is None:
            self._show_pending()

    @Slot()
    def _on_tick(self) -> None:
        """Hidden, the panel waits for the tick after it shows again; the run's last tick shows the end."""
        if self._pending is not None and (self.isVisible() or not self.run.running):
            self._show_pending()

    def _show_pending(self) -> None:
        snapshot, self._pending = self._pending, None
        if snapshot is None:
            return
        self._shown = snapshot
        self._follow_architecture(snapshot)
        self.state.set_activations(snapshot.activations)
        self._show_step(snapshot)
        self.shown.emit(snapshot)

    def _follow_architecture(self, snapshot: Snapshot) -> None:
        """One kernels view, of the first convolution; a new one when the model's differs."""
        layer = first_kernels_layer(snapshot)
        if self.kernels_view is not None and self.kernels_view.layer() == layer:
            return
        if self.kernels_view is not None:
            self.kernels_view.setParent(None)
            self.kernels_view.deleteLater()
            self.kernels_view = None
        if layer is not None:
            self.kernels_view = KernelsView(self.state, layer)
            self._content.insertWidget(0, self.kernels_view)

    def _show_step(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            self.answer_label.setText("")
            self.step_label.setText("")
            return
        answer = snapshot.prediction
        self.answer_label.setText(arg(self.tr("The network reads %1"), answer))
        colour = None if self._label is None else (CORRECT if answer == self._label else MISTAKE)
        self.answer_label.setStyleSheet("" if colour is None else f"color: {hex_color(colour)}")
        if snapshot.step == 0 and snapshot.global_step == 0:
            step = self.tr("before training")
        elif snapshot.step == snapshot.steps_per_epoch:
            step = arg(self.tr("end of epoch %1/%2"), snapshot.epoch, snapshot.epochs)
        else:
            step = arg(self.tr("epoch %1/%2, batch %3 of %4"), snapshot.epoch, snapshot.epochs,
                       snapshot.step, snapshot.steps_per_epoch)
        self.step_label.setText(step)

    # --- the digit --------------------------------------------------------------------------

    @Slot()
    def _on_dataset_changed(self) -> None:
        test = self.dataset.split("test")
        digit = fixed_test_digit(test) if test is not None else None
        pixels, self._label = (None, None) if digit is None else digit
        self.digit_view.set_pixels(pixels)
        self._show_digit_label()

    def _show_digit_label(self) -> None:
        self.digit_label.setText("" if self._label is None else arg(
            self.tr("Test image %1, a %2"), SNAPSHOT_DIGIT_INDEX + 1, self._label))
