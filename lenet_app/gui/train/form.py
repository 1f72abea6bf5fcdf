"""The training form: one row per `TrainConfig` option, built from the option's metadata.

Labels, tooltips, limits and choices come from `lenet_app.core.config` (translated here with
the context "TrainConfig"), so a new option appears in the form, the CLI and `validate()` at
once. The form is the only place that turns widgets into a `TrainConfig` and back, so
settings, "Restore defaults" and "Resume from checkpoint" (which shows the resumed run's
recipe) all go through `config()` / `set_config()`.

Widgets keep stable object names ("epochsSpin", "modelCombo"…) for tests and the monkey test;
the attribute of a field's widget is `<field>_spin`, `<field>_combo` or `<field>_check`.
"""

from __future__ import annotations

import math
import os
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Slot
from PySide6.QtGui import QFont, QPalette
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

from lenet_app.core.config import GROUPS, MODEL_GROUP, MNIST_TRAIN_SIZE, Option, TrainConfig, options
from lenet_app.core.models import LayerRow, get_spec, summary
from lenet_app.gui.language import Retranslating
from lenet_app.gui.train.form_widgets import DeviceCombo, LayerTableModel, ScientificSpinBox
from lenet_app.gui.widgets import named
from lenet_app.gui.text import arg, format_count

SETTINGS_PREFIX = "train/"
#: Object names older than the field names they show (tests and scripts find widgets by them).
_OBJECT_NAMES = {"architecture": "modelCombo", "lr": "learningRateSpin"}


#: The context the architectures' descriptions are translated in (gui/train/config_texts.py).
ARCHITECTURES_CONTEXT = "Architectures"


def translate(text: str) -> str:
    """A label, help text or choice of `lenet_app.core.config`, in the user's language."""
    return QCoreApplication.translate("TrainConfig", text)


class TrainForm(Retranslating, QWidget):
    """Every `TrainConfig` field as a widget; `config()` reads them, `set_config()` fills them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainForm")
        self._summaries: dict[str, tuple[list[LayerRow], int]] = {}
        self.widgets: dict[str, QWidget] = {}
        self._forms: dict[str, QFormLayout] = {}
        self._boxes: dict[str, QGroupBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for group in GROUPS:
            box = QGroupBox()
            self._boxes[group] = box
            self._forms[group] = self._form(box)
            layout.addWidget(box)
        for name, opt in options():
            self._add_row(name, opt)
        self._add_architecture_details(self._forms[MODEL_GROUP])
        self.restore_defaults_button = QPushButton()
        self.restore_defaults_button.setObjectName("restoreDefaultsButton")
        self.restore_defaults_button.clicked.connect(self._on_restore_defaults)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.restore_defaults_button)
        layout.addLayout(row)
        layout.addStretch(1)
        for name, opt in options():
            if opt.applies_when is not None:
                self.widgets[opt.applies_when[0]].currentIndexChanged.connect(self._on_dependencies_changed)
        self.restore_defaults()
        self._on_dependencies_changed()
        self.retranslate()

    def retranslate(self) -> None:
        """Every option's texts from `lenet_app.core.config` in the user's language (combo boxes
        keep their choice), and the selected architecture's description."""
        self._summaries.clear()  # the layer types are the core's words, in the language it speaks now
        for group, box in self._boxes.items():
            box.setTitle(translate(group))
        for name, opt in options():
            self._retranslate_row(name, opt)
        named(self.restore_defaults_button, "restoreDefaultsButton", self.tr("Restore defaults"),
              self.tr("Put every field back to the recipe that trains LeNet-5 to about 99% test accuracy"))
        self.restore_defaults_button.setText(self.tr("Restore defaults"))
        named(self.layer_table, "layerTable", self.tr("Layers of the selected architecture"),
              self.tr("Each layer's output shape (maps × height × width) for one digit "
                      "and how many numbers (parameters) it learns"))
        self.layer_model.retranslate()
        self._on_model_changed()

    # --- building -----------------------------------------------------------------------

    @staticmethod
    def _form(group: QGroupBox) -> QFormLayout:
        form = QFormLayout(group)
        form.setContentsMargins(8, 4, 8, 4)
        form.setVerticalSpacing(3)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return form

    def _add_row(self, name: str, opt: Option) -> None:
        widget, kind = self._widget_for(name, opt)
        widget.setObjectName(_OBJECT_NAMES.get(name) or _camel(name) + kind.capitalize())
        setattr(self, f"{name}_{kind}", widget)
        self.widgets[name] = widget
        label = QLabel()
        label.setBuddy(widget)
        self._forms[opt.group].addRow(label, widget)

    def _retranslate_row(self, name: str, opt: Option) -> None:
        """One option's label, tooltip, choices, check box text and special value text."""
        widget = self.widgets[name]
        label = translate(opt.label)
        tip = translate(opt.help)
        if isinstance(widget, ScientificSpinBox):
            tip += " " + self.tr("Arrows step 1, 2, 5, 10…")
        named(widget, widget.objectName(), label.replace("&", ""), tip)
        buddy = self._forms[opt.group].labelForField(widget)
        buddy.setText(label)
        buddy.setToolTip(tip)
        if isinstance(widget, QComboBox) and not isinstance(widget, DeviceCombo):
            for index, (_, text) in enumerate(opt.choices):
                widget.setItemText(index, translate(text))
        elif isinstance(widget, QCheckBox):
            widget.setText(translate(opt.text))
        elif isinstance(widget, QSpinBox) and opt.special:
            widget.setSpecialValueText(translate(opt.special))

    def _widget_for(self, name: str, opt: Option) -> tuple[QWidget, str]:
        """The widget for one option (its texts come from `retranslate`) and its kind ("spin",
        "combo", "check")."""
        default = TrainConfig.__dataclass_fields__[name].default
        if name == "device":
            return DeviceCombo(), "combo"
        if opt.choices:
            combo = QComboBox()
            for value, _ in opt.choices:
                combo.addItem("", value)
            if name == "architecture":
                combo.currentIndexChanged.connect(self._on_model_changed)
            return combo, "combo"
        if isinstance(default, bool):
            return QCheckBox(), "check"
        if isinstance(default, int):
            spin = QSpinBox()
            # The form offers no more CPU threads than this machine has cores.
            maximum = opt.maximum if opt.maximum is not None else max(os.cpu_count() or 1, 1)
            spin.setRange(int(opt.minimum or 0), int(maximum))
            spin.setGroupSeparatorShown(maximum == MNIST_TRAIN_SIZE)  # counts of images
            if opt.step:
                spin.setSingleStep(int(opt.step))
            return spin, "spin"
        if opt.log_scale:
            return ScientificSpinBox(opt.minimum, opt.maximum), "spin"
        spin = QDoubleSpinBox()
        decimals = opt.decimals if opt.decimals is not None else 3
        tick = 10.0 ** -decimals
        spin.setDecimals(decimals)
        spin.setRange(opt.minimum + (tick if opt.min_open else 0.0), opt.maximum - (tick if opt.max_open else 0.0))
        if opt.step:
            spin.setSingleStep(opt.step)
        return spin, "spin"

    def _add_architecture_details(self, form: QFormLayout) -> None:
        """Under the architecture: its description, its tutorial, its layers and its size."""
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

    # --- reading and writing ------------------------------------------------------------

    def config(self) -> TrainConfig:
        values: dict[str, Any] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QComboBox):
                values[name] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
            else:
                values[name] = widget.value()
        return TrainConfig(**values)

    def set_value(self, name: str, value: Any) -> bool:
        """Show one config value; False (and nothing changed) when the form cannot hold it."""
        widget = self.widgets.get(name)
        if widget is None:
            return False
        if isinstance(widget, QCheckBox):
            if not isinstance(value, bool):
                return False
            widget.setChecked(value)
            return True
        if isinstance(widget, DeviceCombo):
            return isinstance(value, str) and widget.select(value)
        if isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index < 0:
                return False
            widget.setCurrentIndex(index)
            return True
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if isinstance(widget, QSpinBox) and value != int(value):
            return False
        if not (math.isfinite(value) and widget.minimum() <= value <= widget.maximum()):
            return False
        widget.setValue(int(value) if isinstance(widget, QSpinBox) else float(value))
        return True

    def set_config(self, config: TrainConfig) -> list[str]:
        """Fill the form; fields it cannot show keep their default and are returned by name."""
        defaults = TrainConfig()
        rejected = []
        for name, _ in options():
            if not self.set_value(name, getattr(config, name)):
                rejected.append(name)
                self.set_value(name, getattr(defaults, name))
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
        for _, opt in options():
            for old in opt.legacy:
                settings.remove(prefix + old)

    def restore_settings(self, settings: QSettings, prefix: str = SETTINGS_PREFIX) -> list[str]:
        """Apply stored values (also under an option's older name); missing ones keep the
        defaults, unusable ones are named in the result by the key they were stored under."""
        self.restore_defaults()
        ignored = []
        defaults = TrainConfig()
        for name, opt in options():
            key = next((k for k in (name, *opt.legacy) if settings.value(prefix + k) is not None), None)
            if key is None:
                continue
            try:
                value = _parse(settings.value(prefix + key), type(getattr(defaults, name)))
            except (TypeError, ValueError):
                ignored.append(key)
                continue
            if not self.set_value(name, value):
                ignored.append(key)
        return ignored

    # --- reacting -----------------------------------------------------------------------

    @Slot()
    def _on_model_changed(self) -> None:
        if not hasattr(self, "layer_model"):
            return  # still building the form
        name = self.architecture_combo.currentData()
        if not name:
            return
        spec = get_spec(name)
        self.model_description.setText(QCoreApplication.translate(ARCHITECTURES_CONTEXT, spec.description))
        self.model_tutorial.setText(arg(self.tr("Follows %1"),
                                        QCoreApplication.translate(ARCHITECTURES_CONTEXT, spec.tutorial)))
        if name not in self._summaries:
            rows = summary(name)
            self._summaries[name] = (rows, sum(row.params for row in rows))
        rows, total = self._summaries[name]
        self.layer_model.set_rows(rows)
        table = self.layer_table
        table.setFixedHeight(table.horizontalHeader().sizeHint().height()
                             + table.verticalHeader().defaultSectionSize() * self.layer_model.rowCount()
                             + 2 * table.frameWidth())
        self.total_params_label.setText(arg(self.tr("Total trainable parameters: <b>%1</b>"), format_count(total)))

    @Slot()
    def _on_dependencies_changed(self) -> None:
        """Grey out what the other choices make meaningless (momentum for Adam, gamma without
        step decay), as each option's `applies_when` says."""
        config = self.config()
        for name, opt in options():
            if opt.applies_when is None:
                continue
            enabled = config.applies(name)
            widget = self.widgets[name]
            widget.setEnabled(enabled)
            label = self._forms[opt.group].labelForField(widget)
            if label is not None:
                label.setEnabled(enabled)


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


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
