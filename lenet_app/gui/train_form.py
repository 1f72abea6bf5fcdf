"""The training form: one widget per core `TrainConfig` field, with plain-words tooltips.

The form is the only place that turns widgets into a `TrainConfig` and back, so settings,
"Restore defaults" and "Resume from checkpoint" (which shows the resumed run's recipe) all
go through `config()` / `set_config()`.
"""

from __future__ import annotations

import math
import os
from dataclasses import fields
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSettings, Qt, Slot
from PySide6.QtGui import QFont, QPalette, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lenet_app.core.models import INPUT_SHAPE, LayerRow, get_spec, model_names, summary
from lenet_app.core.training import TrainConfig, available_devices, resolve_device

SETTINGS_PREFIX = "train/"
MAX_SEED = 2**31 - 1
MNIST_TRAIN_SIZE = 60_000


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
    """The selected architecture's layers as rows: name, type, output shape, parameters."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[LayerRow] = []
        self._headers = (self.tr("Layer"), self.tr("Type"), self.tr("Output"), self.tr("Params"))

    def set_rows(self, rows: list[LayerRow]) -> None:
        self.beginResetModel()
        self._rows = [LayerRow("input", self.tr("normalised digit"), INPUT_SHAPE, 0), *rows]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (row.name, row.kind, "×".join(str(n) for n in row.output_shape), f"{row.params:,}")[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TrainForm(QWidget):
    """Every `TrainConfig` field as a widget; `config()` reads them, `set_config()` fills them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainForm")
        self._summaries: dict[str, tuple[list[LayerRow], int]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_model_group())
        layout.addWidget(self._build_optimisation_group())
        layout.addWidget(self._build_data_group())
        self.restore_defaults_button = QPushButton(self.tr("Restore defaults"))
        self._name(self.restore_defaults_button, "restoreDefaultsButton", self.tr("Restore defaults"),
                   self.tr("Put every field back to the recipe that trains LeNet-5 to about 99% "
                           "test accuracy"))
        self.restore_defaults_button.clicked.connect(self._on_restore_defaults)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.restore_defaults_button)
        layout.addLayout(row)
        layout.addStretch(1)
        self.restore_defaults()
        self._on_model_changed()
        self._on_dependencies_changed()

    # --- building -----------------------------------------------------------------------

    @staticmethod
    def _name(widget: QWidget, name: str, accessible: str, tip: str) -> None:
        widget.setObjectName(name)
        widget.setAccessibleName(accessible)
        widget.setToolTip(tip)

    @staticmethod
    def _combo(items) -> QComboBox:
        combo = QComboBox()
        for value, text in items:
            combo.addItem(text, value)
        return combo

    def _add(self, form: QFormLayout, label: str, widget: QWidget, name: str, tip: str) -> None:
        self._name(widget, name, label.replace("&", ""), tip)
        form.addRow(label, widget)
        buddy = form.labelForField(widget)
        if buddy is not None:
            buddy.setToolTip(tip)

    @staticmethod
    def _form(group: QGroupBox) -> QFormLayout:
        form = QFormLayout(group)
        form.setContentsMargins(8, 4, 8, 4)
        form.setVerticalSpacing(3)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return form

    def _build_model_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Model"))
        form = self._form(group)
        self.model_combo = QComboBox()
        for name in model_names():
            self.model_combo.addItem(name, name)
        self._add(form, self.tr("&Architecture"), self.model_combo, "modelCombo",
                  self.tr("Which network to train. All of them read a 28×28 digit and output "
                          "a score for each digit 0–9; they differ in their layers."))
        self.model_description = QLabel()
        self.model_description.setObjectName("modelDescription")
        self.model_description.setWordWrap(True)
        self.model_tutorial = QLabel()
        self.model_tutorial.setObjectName("modelTutorial")
        self.model_tutorial.setWordWrap(True)
        muted = QPalette(self.model_tutorial.palette())
        muted.setColor(QPalette.ColorRole.WindowText, muted.color(QPalette.ColorRole.PlaceholderText))
        self.model_tutorial.setPalette(muted)
        italic = QFont(self.model_tutorial.font())
        italic.setItalic(True)
        self.model_tutorial.setFont(italic)
        form.addRow(self.model_description)
        form.addRow(self.model_tutorial)
        self.layer_model = LayerTableModel(self)
        self.layer_table = QTableView()
        self._name(self.layer_table, "layerTable", self.tr("Layers of the selected architecture"),
                   self.tr("Each layer's output shape (maps × height × width) for one digit and "
                           "how many numbers (parameters) it learns"))
        self.layer_table.setModel(self.layer_model)
        self.layer_table.verticalHeader().hide()
        self.layer_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.layer_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.layer_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.layer_table.setWordWrap(False)
        self.layer_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.layer_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.layer_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.layer_table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        header = self.layer_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.layer_table.verticalHeader().setDefaultSectionSize(
            self.layer_table.fontMetrics().height() + 3)
        form.addRow(self.layer_table)
        self.total_params_label = QLabel()
        self.total_params_label.setObjectName("totalParamsLabel")
        form.addRow(self.total_params_label)
        self.model_combo.currentIndexChanged.connect(self._on_model_changed)
        return group

    def _build_optimisation_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Optimisation"))
        form = self._form(group)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 1000)
        self._add(form, self.tr("&Epochs"), self.epochs_spin, "epochsSpin",
                  self.tr("How many times the network sees every training image. More epochs "
                          "learn more, until the test accuracy stops improving."))
        self.batch_size_spin = QSpinBox()
        self.batch_size_spin.setRange(1, MNIST_TRAIN_SIZE)
        self.batch_size_spin.setSingleStep(32)
        self._add(form, self.tr("&Batch size"), self.batch_size_spin, "batchSizeSpin",
                  self.tr("How many images are averaged for each weight update. Larger batches "
                          "run faster per image but update the weights less often."))
        self.optimizer_combo = self._combo((("sgd", self.tr("SGD with momentum")),
                                            ("adam", self.tr("Adam"))))
        self._add(form, self.tr("Optimi&zer"), self.optimizer_combo, "optimizerCombo",
                  self.tr("How the weights move downhill on the loss. SGD takes plain steps "
                          "(with momentum, like a rolling ball); Adam adapts the step of each "
                          "weight and is less sensitive to the learning rate."))
        self.lr_spin = ScientificSpinBox(1e-7, 1e7)
        self._add(form, self.tr("&Learning rate"), self.lr_spin, "learningRateSpin",
                  self.tr("The size of each weight update. Too small: learning crawls. Too "
                          "large: the loss jumps around or becomes NaN (diverges). Arrows step "
                          "1, 2, 5, 10…"))
        self.momentum_spin = QDoubleSpinBox()
        self.momentum_spin.setRange(0.0, 0.999)
        self.momentum_spin.setDecimals(3)
        self.momentum_spin.setSingleStep(0.05)
        self._add(form, self.tr("&Momentum"), self.momentum_spin, "momentumSpin",
                  self.tr("SGD only: how much of the previous step carries into the next one "
                          "(0 = none, 0.9 = a lot). It smooths and speeds up SGD."))
        self.weight_decay_spin = ScientificSpinBox(0.0, 1.0)
        self._add(form, self.tr("&Weight decay"), self.weight_decay_spin, "weightDecaySpin",
                  self.tr("Pulls every weight slightly towards zero at each step, which can "
                          "reduce overfitting. 0 turns it off; try 0.0001."))
        self.schedule_combo = self._combo((("none", self.tr("Constant")),
                                           ("step", self.tr("Step decay (× gamma each epoch)")),
                                           ("onecycle", self.tr("One-cycle (warm up, then anneal)"))))
        self._add(form, self.tr("S&chedule"), self.schedule_combo, "scheduleCombo",
                  self.tr("How the learning rate changes during the run. Constant keeps it; "
                          "step decay multiplies it by gamma after every epoch; one-cycle "
                          "ramps it up, then smoothly down to almost zero."))
        self.step_gamma_spin = QDoubleSpinBox()
        self.step_gamma_spin.setRange(0.01, 1.0)
        self.step_gamma_spin.setDecimals(2)
        self.step_gamma_spin.setSingleStep(0.05)
        self._add(form, self.tr("Step &gamma"), self.step_gamma_spin, "stepGammaSpin",
                  self.tr("Step decay only: the factor the learning rate is multiplied by after "
                          "each epoch (0.7 = 30% smaller every epoch)."))
        self.loss_combo = self._combo((("cross-entropy", self.tr("Cross-entropy")),
                                       ("mse", self.tr("Mean squared error on one-hot"))))
        self._add(form, self.tr("Loss"), self.loss_combo, "lossCombo",
                  self.tr("What the network minimises. Cross-entropy punishes confident wrong "
                          "answers and is the usual choice; mean squared error against the "
                          "one-hot target is the older, slower alternative."))
        self.optimizer_combo.currentIndexChanged.connect(self._on_dependencies_changed)
        self.schedule_combo.currentIndexChanged.connect(self._on_dependencies_changed)
        return group

    def _build_data_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Data and hardware"))
        form = self._form(group)
        self.augment_check = QCheckBox(self.tr("&Randomly rotate, scale and shift digits"))
        self._add(form, self.tr("Augment"), self.augment_check, "augmentCheck",
                  self.tr("Show the network slightly distorted copies of each digit (±12°, "
                          "±15% size, ±2.5 px), so it learns the shape rather than the exact "
                          "pixels. Usually helps test accuracy on long runs."))
        self.subset_spin = QSpinBox()
        self.subset_spin.setRange(0, MNIST_TRAIN_SIZE)
        self.subset_spin.setSingleStep(1000)
        self.subset_spin.setGroupSeparatorShown(True)
        self.subset_spin.setSpecialValueText(self.tr("All 60,000 images"))
        self._add(form, self.tr("Training subset"), self.subset_spin, "subsetSpin",
                  self.tr("Train on a random sample of this many training images for a quick "
                          "experiment (0 = all 60,000). Testing always uses all 10,000 test images."))
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, MAX_SEED)
        self._add(form, self.tr("Seed"), self.seed_spin, "seedSpin",
                  self.tr("Starting point of the random numbers (initial weights, shuffling, "
                          "subset). The same seed and settings give the same run."))
        self.device_combo = QComboBox()
        auto = resolve_device("auto")
        names = dict(available_devices())
        auto_name = names.get(str(auto), names.get(f"{auto.type}:0", auto.type.upper()))
        self.device_combo.addItem(self.tr("Auto (%s)") % auto_name, "auto")
        for device, name in available_devices():
            self.device_combo.addItem(name, device)
        self._add(form, self.tr("Device"), self.device_combo, "deviceCombo",
                  self.tr("Where the arithmetic runs. Only the processors this computer really "
                          "has are listed; a GPU is much faster than the CPU. Auto picks the "
                          "fastest."))
        self.threads_spin = QSpinBox()
        self.threads_spin.setRange(0, max(os.cpu_count() or 1, 1))
        self.threads_spin.setSpecialValueText(self.tr("Auto"))
        self._add(form, self.tr("CPU threads"), self.threads_spin, "threadsSpin",
                  self.tr("How many CPU cores PyTorch may use when training on the CPU "
                          "(Auto = PyTorch's choice). Fewer leaves room for other programs."))
        return group

    # --- reading and writing ------------------------------------------------------------

    def _combos(self) -> dict[str, QComboBox]:
        return {"model": self.model_combo, "optimizer": self.optimizer_combo,
                "schedule": self.schedule_combo, "loss": self.loss_combo, "device": self.device_combo}

    def _spins(self) -> dict[str, QSpinBox | QDoubleSpinBox]:
        return {"epochs": self.epochs_spin, "batch_size": self.batch_size_spin, "lr": self.lr_spin,
                "momentum": self.momentum_spin, "weight_decay": self.weight_decay_spin,
                "step_gamma": self.step_gamma_spin, "seed": self.seed_spin,
                "threads": self.threads_spin, "subset": self.subset_spin}

    def config(self) -> TrainConfig:
        values: dict[str, Any] = {name: combo.currentData() for name, combo in self._combos().items()}
        values.update({name: spin.value() for name, spin in self._spins().items()})
        values["augment"] = self.augment_check.isChecked()
        return TrainConfig(**values)

    def set_value(self, name: str, value: Any) -> bool:
        """Show one config value; False (and nothing changed) when the form cannot hold it."""
        if name == "augment":
            if not isinstance(value, bool):
                return False
            self.augment_check.setChecked(value)
            return True
        combo = self._combos().get(name)
        if combo is not None:
            index = combo.findData(value)
            if index < 0:
                return False
            combo.setCurrentIndex(index)
            return True
        spin = self._spins().get(name)
        if spin is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if isinstance(spin, QSpinBox) and value != int(value):
            return False
        if not (math.isfinite(value) and spin.minimum() <= value <= spin.maximum()):
            return False
        spin.setValue(int(value) if isinstance(spin, QSpinBox) else float(value))
        return True

    def set_config(self, config: TrainConfig) -> list[str]:
        """Fill the form; fields it cannot show keep their default and are returned by name."""
        defaults = TrainConfig()
        rejected = []
        for f in fields(TrainConfig):
            if not self.set_value(f.name, getattr(config, f.name)):
                rejected.append(f.name)
                self.set_value(f.name, getattr(defaults, f.name))
        return rejected

    @Slot()
    def _on_restore_defaults(self) -> None:
        self.restore_defaults()

    def restore_defaults(self) -> None:
        self.set_config(TrainConfig())

    def save_settings(self, settings: QSettings, prefix: str = SETTINGS_PREFIX) -> None:
        for name, value in self.config().to_dict().items():
            settings.setValue(prefix + name, ("true" if value else "false") if isinstance(value, bool)
                              else str(value))

    def restore_settings(self, settings: QSettings, prefix: str = SETTINGS_PREFIX) -> list[str]:
        """Apply stored values; missing ones keep the defaults, unusable ones are named in the result."""
        self.restore_defaults()
        ignored = []
        for f in fields(TrainConfig):
            raw = settings.value(prefix + f.name)
            if raw is None:
                continue
            try:
                value = _parse(raw, type(getattr(TrainConfig(), f.name)))
            except (TypeError, ValueError):
                ignored.append(f.name)
                continue
            if not self.set_value(f.name, value):
                ignored.append(f.name)
        return ignored

    # --- reacting -----------------------------------------------------------------------

    @Slot()
    def _on_model_changed(self) -> None:
        name = self.model_combo.currentData()
        if not name:
            return
        spec = get_spec(name)
        self.model_description.setText(spec.description)
        self.model_tutorial.setText(self.tr("Follows %s") % spec.tutorial)
        if name not in self._summaries:
            rows = summary(name)
            self._summaries[name] = (rows, sum(row.params for row in rows))
        rows, total = self._summaries[name]
        self.layer_model.set_rows(rows)
        table = self.layer_table
        table.setFixedHeight(table.horizontalHeader().sizeHint().height()
                             + table.verticalHeader().defaultSectionSize() * self.layer_model.rowCount()
                             + 2 * table.frameWidth())
        self.total_params_label.setText(self.tr("Total trainable parameters: <b>%s</b>") % f"{total:,}")

    @Slot()
    def _on_dependencies_changed(self) -> None:
        """Momentum means nothing to Adam and gamma only to step decay: grey them out."""
        sgd = self.optimizer_combo.currentData() == "sgd"
        step = self.schedule_combo.currentData() == "step"
        self.momentum_spin.setEnabled(sgd)
        self.step_gamma_spin.setEnabled(step)
        for widget, enabled in ((self.momentum_spin, sgd), (self.step_gamma_spin, step)):
            label = self._label_for(widget)
            if label is not None:
                label.setEnabled(enabled)

    def _label_for(self, widget: QWidget) -> QWidget | None:
        form = widget.parentWidget().layout() if widget.parentWidget() else None
        return form.labelForField(widget) if isinstance(form, QFormLayout) else None


def _parse(raw: Any, kind: type) -> Any:
    """A stored settings value back in the field's type; ValueError when it does not fit."""
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise ValueError(raw)
    if kind is int:
        if isinstance(raw, bool):
            raise ValueError(raw)
        return int(str(raw).strip())
    if kind is float:
        value = float(str(raw).strip())
        if not math.isfinite(value):
            raise ValueError(raw)
        return value
    if isinstance(raw, str):
        return raw
    raise ValueError(raw)
