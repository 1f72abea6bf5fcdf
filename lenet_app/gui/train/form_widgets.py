"""The Train form's own widgets: a spin box for values spanning decades, the layer table's
item model, and a device list that does not initialise CUDA until it is opened."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QWidget

from lenet_app.core.models import INPUT_SHAPE, LayerRow
from lenet_app.core.training import available_devices, device_present, resolve_device
from lenet_app.gui.language import Retranslating
from lenet_app.gui.text import arg


class ScientificSpinBox(QDoubleSpinBox):
    """A spin box for values spanning many decades (learning rates, weight decay).

    It shows "0.004" or "1e-05" instead of a fixed number of decimals, and the arrows walk a
    1-2-5 ladder (0.001, 0.002, 0.005, 0.01…), which is how people actually tune these values.
    """

    def __init__(self, minimum: float, maximum: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(12)  # keep tiny values exact; the text is formatted by textFromValue
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt override
        try:
            return float(text.strip().replace(",", "."))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        stripped = text.strip().replace(",", ".")
        if not stripped or stripped in ("-", "+", ".") or stripped.lower().endswith(("e", "e-", "e+")):
            return QValidator.State.Intermediate, text, pos
        try:
            value = float(stripped)
        except ValueError:
            return QValidator.State.Invalid, text, pos
        if not math.isfinite(value):
            return QValidator.State.Invalid, text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        return self.textFromValue(self.value())

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt override
        value = self.value()
        for _ in range(abs(steps)):
            value = self._ladder(value, up=steps > 0)
        self.setValue(min(max(value, self.minimum()), self.maximum()))

    def _ladder(self, value: float, up: bool) -> float:
        if value <= 0:
            return max(self.minimum(), 1e-5) if up else 0.0
        exponent = math.floor(math.log10(value))
        candidates = sorted(m * 10.0 ** e for e in (exponent - 1, exponent, exponent + 1) for m in (1, 2, 5))
        if up:
            return next(c for c in candidates if c > value * (1 + 1e-9))
        lower = [c for c in candidates if c < value * (1 - 1e-9)]
        below = lower[-1] if lower else value / 2
        return below if below >= self.minimum() or self.minimum() > 0 else 0.0

    def stepEnabled(self):  # noqa: N802 - Qt override
        flags = QDoubleSpinBox.StepEnabledFlag.StepNone
        if self.value() < self.maximum():
            flags |= QDoubleSpinBox.StepEnabledFlag.StepUpEnabled
        if self.value() > self.minimum():
            flags |= QDoubleSpinBox.StepEnabledFlag.StepDownEnabled
        return flags


class LayerTableModel(QAbstractTableModel):
    """The selected architecture's layers as rows: name, type, output shape, parameters.

    Its own texts (headers, the input row's type) are translated when the view asks for them;
    the form calls `retranslate` when the language changes so that the view asks again."""

    COLUMNS = 4

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[LayerRow] = []

    def retranslate(self) -> None:
        """Make the view fetch the headers and the input row again, in the new language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMNS - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(0, self.COLUMNS - 1))

    def set_rows(self, rows: list[LayerRow]) -> None:
        self.beginResetModel()
        self._rows = [LayerRow("input", "", INPUT_SHAPE, 0), *rows]  # its type: `data` translates it
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Layer"), self.tr("Type"), self.tr("Output"), self.tr("Params"))[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            kind = self.tr("normalised digit") if index.row() == 0 else row.kind
            return (row.name, kind, "×".join(str(n) for n in row.output_shape), f"{row.params:,}")[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class DeviceCombo(Retranslating, QComboBox):
    """Auto and CPU at first; the GPUs are listed when the popup first opens.

    Asking CUDA for the devices' names initialises it (a second or more, and memory on every
    GPU), which must not happen while the window is built or for a user who never trains.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._listed = False
        self._auto_name = ""  # the device Auto picks, once the list is filled
        self.addItem("", "auto")
        self.addItem("", "cpu")
        self.retranslate()

    def retranslate(self) -> None:
        """Auto's text (and CPU's, until the devices are listed by their own names)."""
        self.setItemText(0, arg(self.tr("Auto (%1)"), self._auto_name) if self._listed
                         else self.tr("Auto (the fastest available)"))
        if not self._listed:
            self.setItemText(self.findData("cpu"), self.tr("CPU"))

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        self.list_devices()
        super().showPopup()

    def list_devices(self) -> None:
        """Fill in every device of this machine by name; keeps the current choice."""
        if self._listed:
            return
        self._listed = True
        current = self.currentData()
        devices = available_devices()
        names = dict(devices)
        auto = resolve_device("auto")
        self._auto_name = names.get(str(auto), names.get(f"{auto.type}:0", auto.type.upper()))
        blocked = self.blockSignals(True)
        self.clear()
        self.addItem("", "auto")
        for device, name in devices:
            self.addItem(name, device)
        self.retranslate()
        index = self.findData(current)
        self.setCurrentIndex(index if index >= 0 else 0)
        self.blockSignals(blocked)
        if self.currentData() != current:
            self.currentIndexChanged.emit(self.currentIndex())

    def select(self, device: str) -> bool:
        """Show `device`; False when this machine has no such device."""
        index = self.findData(device)
        if index < 0 and not self._listed and device_present(device):
            self.addItem(device.upper().replace(":", " "), device)  # named when the list fills
            index = self.count() - 1
        if index < 0:
            return False
        self.setCurrentIndex(index)
        return True
