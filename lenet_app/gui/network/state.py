"""What the network views show: one digit's activations, shared by the views that draw them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from lenet_app.core.activations import Activations


class ActivationsState(QObject):
    """The activations of one digit (or None: nothing to show); `changed` fires on every new one.

    The Draw tab fills one from the canvas, the Train tab one from training snapshots; the views
    (network view, kernels, enlarged map) take it in their constructor and repaint on `changed`.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._activations: Activations | None = None

    @property
    def activations(self) -> Activations | None:
        return self._activations

    def set_activations(self, activations: Activations | None) -> None:
        self._activations = activations
        self.changed.emit()
