"""The Draw tab: draw (or open, drop, paste) a digit and watch the network read it live.

Predicting one canvas state takes about a millisecond, so it runs on the GUI thread, at most
once per LIVE_INTERVAL_MS while a stroke is drawn and once more when it ends. With the window's
`MyDigitsState`, *Save as my digit* under the answer keeps drawings as the user's own digits.
With the window's `RunHistoryState`, a model picker above the canvas chooses among the shipped
models and the user's runs; *Compare models* shows, in place of the feature maps, how every
shipped model reads the drawing (`CompareView`, fed on the same throttle as the answer).
"""

from __future__ import annotations

import os
from typing import Callable

from PySide6.QtCore import QMimeData, Qt, QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from lenet_app.core import Prediction, predict
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.gui.draw.canvas_panel import CanvasPanel
from lenet_app.gui.draw.compare_view import CompareView
from lenet_app.gui.draw.model_picker import ModelPicker
from lenet_app.gui.draw.save_digit import SaveDigitBar
from lenet_app.gui.draw.why import WhyPanel
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.my_digits_state import MyDigitsState
from lenet_app.gui.network.feed import ActivationsFeed
from lenet_app.gui.network.panel import NetworkPanel
from lenet_app.gui.network.state import ActivationsState
from lenet_app.gui.prediction_panel import PredictionPanel
from lenet_app.gui.run_history_state import RunHistoryState
from lenet_app.gui.state import ActiveModel
from lenet_app.gui.style import muted
from lenet_app.gui.text import arg, format_percent

#: Live predictions while drawing are coalesced to at most one per this many ms (~60/s).
LIVE_INTERVAL_MS = 16


class DrawTab(Retranslating, QWidget):
    """Canvas on the left with the network's feature maps below it (a splitter between them);
    the network's answer, its probabilities and its input on the right."""

    def __init__(self, active_model: ActiveModel, jobs: JobRunner | None = None,
                 my_digits: MyDigitsState | None = None, parent: QWidget | None = None, *,
                 run_history: RunHistoryState | None = None) -> None:
        """`jobs`: the window's JobRunner; without one (scripts, tests of drawing alone) the
        tab has no Why? and no Compare, the parts that need a job. `my_digits`: the window's
        own digits; without them the tab has no *Save as my digit* controls. `run_history`:
        the window's runs and models; with it (and `jobs`) the tab has a model picker."""
        super().__init__(parent)
        self.setObjectName("drawTab")
        self._active_model = active_model
        self._my_digits = my_digits
        self._prediction: Prediction | None = None
        self._hint: Callable[[], str] = str  # says why there is no answer, in the current language

        self._live_timer = QTimer(self)
        self._live_timer.setObjectName("livePredictionTimer")
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_INTERVAL_MS)
        self._live_timer.timeout.connect(self._on_live_timeout)

        self._canvas_panel = CanvasPanel()
        self.canvas = self._canvas_panel.canvas
        self._answer = PredictionPanel()
        self._answer.setFixedWidth(360)
        self._model_label = muted(QLabel())
        self._model_label.setObjectName("drawModelLabel")
        self._model_label.setWordWrap(True)
        self.save_bar = None if my_digits is None else SaveDigitBar(my_digits)
        if self.save_bar is not None:
            self._answer.add_under_answer(self.save_bar)
            self.save_bar.save_requested.connect(self._on_save_requested)
        # Why?: which input pixels pushed the network toward a digit, over the input view.
        self.why = None if jobs is None else WhyPanel(self._answer.network_view, jobs)
        if self.why is not None:
            self._answer.add_widget(self.why)
        self._answer.add_widget(self._model_label)

        # What each layer computes from the drawing, following it live (ActivationsFeed).
        self.activations = ActivationsState(self)
        self._activations_feed = ActivationsFeed(self.activations, self)
        self.network = NetworkPanel(self.activations)
        self._left = QSplitter(Qt.Orientation.Vertical)
        self._left.setObjectName("drawSplitter")
        self._left.setChildrenCollapsible(False)
        self._left.addWidget(self._canvas_panel)
        self._left.addWidget(self.network)
        # Compare models: every shipped model's reading, in place of the feature maps.
        self.compare_view = None if jobs is None else CompareView(jobs)
        self.compare_button = None
        if self.compare_view is not None:
            self.compare_view.hide()
            self._left.insertWidget(1, self.compare_view)
            self._left.setCollapsible(1, False)
            self.compare_button = QPushButton()
            self.compare_button.setObjectName("compareButton")
            self.compare_button.setCheckable(True)
            self.compare_button.toggled.connect(self._on_compare_toggled)
            self.compare_view.set_active_path(active_model.model.path)
        self._left.setSizes([550, 0, 450] if self.compare_view is not None else [550, 450])
        # The splitter reads minimum sizes without height-for-width, so the panel's wrapped
        # instructions count as one line: leave room for a second, or the canvas overlaps its tools.
        self._canvas_panel.setMinimumHeight(self._canvas_panel.minimumSizeHint().height()
                                            + self.fontMetrics().lineSpacing())

        # Which model reads the drawing, and Compare, above the canvas.
        self.picker = None if run_history is None or jobs is None else ModelPicker(active_model, run_history, jobs)
        left = QVBoxLayout()
        left.setSpacing(10)
        if self.picker is not None or self.compare_button is not None:
            model_row = QHBoxLayout()
            if self.picker is not None:
                model_row.addWidget(self.picker)
            model_row.addStretch(1)
            if self.compare_button is not None:
                model_row.addWidget(self.compare_button)
            left.addLayout(model_row)
        left.addWidget(self._left, 1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(24)
        layout.addLayout(left, 1)
        layout.addWidget(self._answer)

        self.canvas.changed.connect(self._on_canvas_changed)
        self.canvas.stroke_finished.connect(self._on_stroke_finished)
        active_model.changed.connect(self._on_model_changed)
        self.retranslate()
        self._predict_now()

    def retranslate(self) -> None:
        """The tab's own texts; the answer's hint and the model line are formatted again."""
        self._answer.set_caption(self.tr(
            "Your drawing cropped, scaled to fit 20×20 pixels and centred by its mass in a "
            "28×28 field, exactly as the MNIST training digits were made. Each square here is "
            "one input pixel."))
        self._model_label.setAccessibleName(self.tr("Model used"))
        if self.compare_button is not None:
            self.compare_button.setText(self.tr("Compare &all models"))
            self.compare_button.setAccessibleName(self.tr("Compare all models"))
            self.compare_button.setToolTip(self.tr(
                "Show how every shipped model reads your drawing, side by side, in place of the "
                "feature maps"))
        self._show_model(self._active_model.model)
        if self._prediction is None:
            self._answer.clear(self._hint())

    # --- public API (the main window, scripts) -------------------------------------------

    def current_prediction(self) -> Prediction | None:
        """The prediction shown now; None while the canvas is blank."""
        return self._prediction

    def open_image_dialog(self) -> None:
        self._canvas_panel.open_image_dialog()

    def open_image_file(self, path: str | os.PathLike) -> bool:
        """Show a picture file on the canvas and read it; a bad file gets a message, not a crash."""
        return self._canvas_panel.open_image_file(path)

    def set_image(self, image) -> bool:
        """Show a PIL image or an array (e.g. a 28×28 MNIST digit) on the canvas and read it."""
        return self._canvas_panel.set_image(image)

    def load_mime_data(self, mime: QMimeData | None, dropped: bool = False) -> bool:
        """Read what was dropped or pasted: a local image file first, else image data."""
        return self._canvas_panel.load_mime_data(mime, dropped)

    def paste(self) -> bool:
        return self._canvas_panel.paste()

    def clear(self) -> None:
        self._canvas_panel.clear()

    def undo(self) -> bool:
        return self._canvas_panel.undo()

    def save_as_my_digit(self, label: int) -> bool:
        """Keep the drawing (its network input and the full-size picture) as one of the user's
        digits with `label`, then clear the canvas for the next one; False when nothing was saved."""
        prediction = self._prediction
        if self._my_digits is None or prediction is None or prediction.pixels is None:
            return False
        record = self._my_digits.add(prediction.pixels, int(label), self._canvas_panel.source(),
                                     self.canvas.input_array())
        if record is None:
            return False  # the state said why (`failed`)
        self._canvas_panel.clear()
        if self.save_bar is not None:
            self.save_bar.show_saved(record)
        return True

    @Slot(int)
    def _on_save_requested(self, label: int) -> None:
        self.save_as_my_digit(label)

    # --- predicting ---------------------------------------------------------------------

    @Slot()
    def _on_canvas_changed(self) -> None:
        if self.canvas.is_blank():
            self._live_timer.stop()
            self._predict_now()
        elif not self.canvas.is_drawing():
            self._predict_now()  # undo, clear, a new picture: one change, answer at once
        elif not self._live_timer.isActive():
            self._live_timer.start()  # coalesces every move until it fires into one

    @Slot()
    def _on_live_timeout(self) -> None:
        self._predict_now()

    @Slot()
    def _on_stroke_finished(self) -> None:
        self._live_timer.stop()
        self._predict_now()

    def _predict_now(self) -> None:
        self._prediction = None
        if self.save_bar is not None:
            self.save_bar.set_can_save(False)
        if self.canvas.is_blank():
            self._show_nothing(lambda: self.tr("Draw a digit"))
            return
        try:
            prediction = predict(self._active_model.model, self.canvas.input_array())
        except RuntimeError as exc:  # e.g. a checkpoint whose layers do not fit 28×28 input
            reason = str(exc)
            self._show_nothing(lambda: arg(self.tr("This model cannot read the drawing: %1"), reason))
            return
        if prediction.digit is None:
            self._show_nothing(lambda: self.tr("Too small to read. Keep drawing…"))
            return
        self._prediction = prediction
        if self.save_bar is not None:
            self.save_bar.set_can_save(True, prediction.digit)
        self._answer.set_prediction(prediction.probabilities, prediction.pixels)
        if self.compare_view is not None:
            self.compare_view.show_input(prediction.pixels)
        self._activations_feed.show(self._active_model.model, prediction.pixels,
                                    now=not self.canvas.is_drawing())
        if self.why is not None:
            self.why.show_input(self._active_model.model, prediction.pixels, prediction.digit,
                                now=not self.canvas.is_drawing())

    def _show_nothing(self, hint: Callable[[], str]) -> None:
        """No answer to show: the hint instead (a function, so that it can be said again in
        another language), and no feature maps or heat map."""
        self._hint = hint
        self._answer.clear(hint())
        self._activations_feed.clear()
        if self.why is not None:
            self.why.clear()
        if self.compare_view is not None:
            self.compare_view.show_input(None)

    # --- following the shared state -----------------------------------------------------

    @Slot(object)
    def _on_model_changed(self, model: TrainedModel) -> None:
        self._show_model(model)
        if self.compare_view is not None:
            self.compare_view.set_active_path(model.path)
        self._predict_now()

    @Slot(bool)
    def _on_compare_toggled(self, on: bool) -> None:
        """The comparison takes the feature maps' place (both need the width under the canvas)."""
        canvas, compare, network = self._left.sizes()
        self.network.setVisible(not on)
        self.compare_view.setVisible(on)
        shown = compare + network  # the pane under the canvas keeps its height
        self._left.setSizes([canvas, shown, 0] if on else [canvas, 0, shown])

    def _show_model(self, model: TrainedModel) -> None:
        accuracy = model.test_accuracy
        if accuracy is None:
            text = arg(self.tr("Model: %1 (not evaluated on the test set)"), model.architecture)
        else:
            text = arg(self.tr("Model: %1, %2 test accuracy"), model.architecture,
                       format_percent(accuracy))
        self._model_label.setText(text)
        self._model_label.setToolTip(str(model.path) if model.path else self.tr("Trained in this session"))
