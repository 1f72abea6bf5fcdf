"""Fills an ActivationsState from a drawing, at a rate the network views can repaint at.

One pass through the layers costs under a millisecond, so it runs on the GUI thread like the
Draw tab's prediction; what costs more is repainting every feature map, so while a stroke is
drawn the activations follow at most once per INTERVAL_MS, and at once when the stroke ends.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Slot

from lenet_app.core.activations import activations
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.inference import single_threaded
from lenet_app.core.mnist import digit_tensor
from lenet_app.gui.network.state import ActivationsState

#: At most one new set of activations per this many ms while drawing (~15 per second).
INTERVAL_MS = 66


class ActivationsFeed(QObject):
    """`show(model, pixels)` for every new prediction; the state follows, throttled."""

    def __init__(self, state: ActivationsState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._pending: tuple[TrainedModel, np.ndarray] | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("activationsTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._on_timeout)

    def show(self, model: TrainedModel, pixels: np.ndarray, now: bool = False) -> None:
        """The activations of the 28×28 uint8 network input `pixels`: at once when `now` (a
        stroke ended, a new picture, a new model), else within INTERVAL_MS."""
        self._pending = (model, pixels)
        if now:
            self._timer.stop()
            self._compute()
        elif not self._timer.isActive():
            self._timer.start()

    def clear(self) -> None:
        """Nothing to show (a blank canvas)."""
        self._timer.stop()
        self._pending = None
        if self._state.activations is not None:
            self._state.set_activations(None)

    @Slot()
    def _on_timeout(self) -> None:
        self._compute()

    def _compute(self) -> None:
        if self._pending is None:
            return
        model, pixels = self._pending
        self._pending = None
        tensor = digit_tensor(pixels)
        try:
            with single_threaded():  # one digit: splitting it across busy cores only waits
                result = activations(model.module, tensor, model.architecture)
        except (RuntimeError, ValueError):  # a model that cannot read 28×28 (the prediction says why)
            result = None
        self._state.set_activations(result)
