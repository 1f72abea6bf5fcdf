"""The "Inside the network" section: the feature maps of every layer, the kernels of the
convolutions, the colour key, and the enlarged map a click opens, all following one state."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from lenet_app.gui.language import Retranslating
from lenet_app.gui.network.kernels_view import KernelsView
from lenet_app.gui.network.legend import ColourLegend
from lenet_app.gui.network.map_detail import MapDetailDialog
from lenet_app.gui.network.network_view import NetworkView
from lenet_app.gui.network.state import ActivationsState
from lenet_app.gui.style import muted
from lenet_app.gui.widgets import VerticalScrollArea


def _caption(name: str) -> QLabel:
    label = muted(QLabel())
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class NetworkPanel(Retranslating, QWidget):
    """Feature maps | Kernels, as two tabs; a click on a map opens the one `MapDetailDialog`."""

    def __init__(self, state: ActivationsState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkPanel")
        self._state = state
        self._kernel_layers: tuple[str, ...] | None = None  # None: no model's activations seen yet

        self.view = NetworkView(state)
        maps_page = QWidget()
        maps_layout = QVBoxLayout(maps_page)
        maps_layout.setContentsMargins(0, 4, 0, 0)
        maps_layout.setSpacing(4)
        self._maps_caption = _caption("networkMapsCaption")
        maps_layout.addWidget(self._maps_caption)
        maps_layout.addWidget(VerticalScrollArea(self.view, "networkViewScroll"), 1)

        self._kernels_box = QWidget()
        self._kernels_layout = QVBoxLayout(self._kernels_box)
        self._kernels_layout.setContentsMargins(0, 0, 0, 0)
        self._kernels_layout.setSpacing(18)
        self._kernels_hint = muted(QLabel())
        self._kernels_hint.setObjectName("kernelsHint")
        self._kernels_layout.addWidget(self._kernels_hint)
        self._kernels_layout.addStretch(1)
        kernels_page = QWidget()
        kernels_layout = QVBoxLayout(kernels_page)
        kernels_layout.setContentsMargins(0, 4, 0, 0)
        kernels_layout.setSpacing(4)
        self._kernels_caption = _caption("networkKernelsCaption")
        kernels_layout.addWidget(self._kernels_caption)
        kernels_layout.addWidget(VerticalScrollArea(self._kernels_box, "kernelsScroll"), 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("networkTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(maps_page, "")
        self.tabs.addTab(kernels_page, "")
        self.legend = ColourLegend()
        self.tabs.setCornerWidget(self.legend, Qt.Corner.TopRightCorner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.detail = MapDetailDialog(state, self)
        self.view.map_clicked.connect(self.detail.show_map)
        state.changed.connect(self._on_state_changed)
        self._on_state_changed()
        self.retranslate()

    def retranslate(self) -> None:
        """Tabs, captions and the kernels' hint (the views and the enlarged map follow by
        themselves)."""
        self._maps_caption.setText(self.tr(
            "Each small picture is a feature map: where one kernel found its pattern in the layer before. "
            "Hover: numbers; click: enlarge."))
        self._kernels_caption.setText(self.tr(
            "A kernel is a small grid of weights that slides over the maps below: where the picture looks "
            "like the kernel (red where the weight is positive, blue where negative) its feature map lights "
            "up. Training chose these numbers."))
        self.tabs.setTabText(0, self.tr("Feature maps"))
        self.tabs.setTabText(1, self.tr("Kernels"))
        self.tabs.setTabToolTip(0, self.tr("What every layer computes from the digit"))
        self.tabs.setTabToolTip(1, self.tr("The weights the convolution layers slide over their input"))
        self._kernels_hint.setText(self.tr("Draw a digit to see the kernels.") if self._kernel_layers is None
                                   else self.tr("This model has no convolution layers."))

    def kernel_views(self) -> list[KernelsView]:
        return self._kernels_box.findChildren(KernelsView)

    @Slot()
    def _on_state_changed(self) -> None:
        """New kernel views only when the model's convolutions change (another architecture)."""
        acts = self._state.activations
        if acts is None:
            return  # the views say so themselves; keep the kernels of the model in use
        layers = tuple(name for name in acts.kernels if acts.layer(name).is_maps)
        if layers == self._kernel_layers:
            return
        self._kernel_layers = layers
        for view in self.kernel_views():
            view.setParent(None)
            view.deleteLater()
        self._kernels_hint.setText(self.tr("This model has no convolution layers."))
        self._kernels_hint.setVisible(not layers)
        for position, name in enumerate(layers):
            self._kernels_layout.insertWidget(position, KernelsView(self._state, name))
