"""The Train form is generated from `TrainConfig`'s option metadata: every option has a row with
its label, tooltip and limits; values, settings and object names survive the generation."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox, QWidget

from lenet_app.core.config import TrainConfig, options
from lenet_app.core.training import available_devices
from lenet_app.gui.train.form import TrainForm

OBJECT_NAMES = {  # found by name in tests, the monkey test and scripts: never rename one
    "trainForm", "restoreDefaultsButton", "modelCombo", "modelDescription", "modelTutorial",
    "layerTable", "totalParamsLabel", "epochsSpin", "batchSizeSpin", "optimizerCombo",
    "learningRateSpin", "momentumSpin", "weightDecaySpin", "scheduleCombo", "stepGammaSpin",
    "lossCombo", "augmentCheck", "subsetSpin", "seedSpin", "deviceCombo", "threadsSpin",
}


@pytest.fixture
def form(qtbot):
    widget = TrainForm()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_every_option_has_a_row_with_its_label_tooltip_and_limits(form):
    names = {w.objectName() for w in form.findChildren(QWidget)} | {form.objectName()}
    assert OBJECT_NAMES <= names
    assert set(form.widgets) == {name for name, _ in options()}
    for name, opt in options():
        widget = form.widgets[name]
        assert widget.accessibleName() == opt.plain_label
        assert widget.toolTip().startswith(opt.help)
        if opt.choices:
            assert [widget.itemData(i) for i in range(widget.count())] == list(opt.values)
        elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            low = widget.minimum() if not opt.min_open else widget.minimum() - 10.0 ** -widget.decimals()
            assert low == pytest.approx(opt.minimum)
            if opt.maximum is not None:
                high = widget.maximum() + (10.0 ** -widget.decimals() if opt.max_open else 0.0)
                assert high == pytest.approx(opt.maximum)
            # The form's limits are the core's: both ends are valid configs.
            for value in (widget.minimum(), widget.maximum()):
                TrainConfig(**{name: type(getattr(TrainConfig(), name))(value)}).validate()
    assert isinstance(form.augment_check, QCheckBox) and isinstance(form.architecture_combo, QComboBox)


def test_values_round_trip_and_dependencies_follow_the_metadata(form):
    assert form.config() == TrainConfig()
    wanted = TrainConfig(architecture="cnn-bn", epochs=12, batch_size=64, optimizer="sgd", lr=0.05,
                         momentum=0.8, weight_decay=0.0005, schedule="step", step_gamma=0.5,
                         loss="mse", augment=True, seed=42, device="cpu", threads=1, subset=5000)
    assert form.set_config(wanted) == []
    assert form.config() == wanted
    assert form.momentum_spin.isEnabled() and form.step_gamma_spin.isEnabled()
    form.optimizer_combo.setCurrentIndex(form.optimizer_combo.findData("adam"))
    form.schedule_combo.setCurrentIndex(form.schedule_combo.findData("onecycle"))
    assert not form.momentum_spin.isEnabled() and not form.step_gamma_spin.isEnabled()
    assert form.set_config(TrainConfig(epochs=5000, device="cuda:99")) == ["epochs", "device"]
    assert form.config().epochs == TrainConfig().epochs and form.config().device == "auto"
    form.restore_defaults()
    assert form.config() == TrainConfig()


def test_devices_are_listed_only_when_the_list_opens(form):
    combo = form.device_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["auto", "cpu"]
    assert not torch.cuda.is_initialized()
    assert form.set_value("device", "cpu") and combo.currentData() == "cpu"
    combo.showPopup()
    combo.hidePopup()
    ids = [combo.itemData(i) for i in range(combo.count())]
    assert ids == ["auto", *(device for device, _ in available_devices())]
    assert combo.currentData() == "cpu" and combo.itemText(0).startswith("Auto")


def test_settings_of_the_renamed_field_still_load(form, settings, qtbot):
    settings.setValue("train/model", "lenet-28")  # written before "model" became "architecture"
    settings.setValue("train/epochs", "banana")
    assert form.restore_settings(settings) == ["epochs"]
    assert form.config().architecture == "lenet-28"
    form.save_settings(settings)
    assert settings.value("train/architecture") == "lenet-28" and settings.value("train/model") is None
    settings.setValue("train/model", "resnet50")
    settings.remove("train/architecture")
    other = TrainForm()
    qtbot.addWidget(other)
    assert other.restore_settings(settings) == ["model"]  # named as the file names it
