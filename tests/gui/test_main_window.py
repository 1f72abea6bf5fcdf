"""The whole window: shared active model, menus, settings, errors as dialogs, the self-test."""

import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMessageBox

from lenet_app.core import load_model
from lenet_app.core.checkpoint import save_model
from lenet_app.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot, settings, mnist_dir, monkeypatch):
    monkeypatch.setenv("LENET_APP_MNIST_DIR", str(mnist_dir))
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.dataset.available, timeout=30000)
    yield win
    win.jobs.shutdown()


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text))
    return shown


def test_window_has_tabs_menus_and_status(window):
    assert [window.tabs.tabText(i).replace("&", "") for i in range(3)] == ["Draw", "Dataset", "Train"]
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert set(menus) == {"File", "Language", "Help"}
    names = [a.objectName() for a in menus["File"].actions() if a.objectName()]
    assert names == ["openImageAction", "loadModelAction", "saveModelAction", "exportModelAction",
                     "exportImagesAction", "quitAction"]
    assert all(not a.shortcut().isEmpty() for a in menus["File"].actions() if a.objectName())
    assert "lenet5" in window.model_status.text() and "99." in window.model_status.text()
    assert window.dataset.directory is not None


def test_loaded_model_reaches_every_tab(window, tmp_path, qtbot):
    model = load_model()
    model.metadata["test_accuracy"] = 0.5
    path = tmp_path / "other.pt"
    save_model(path, model)
    seen = []
    window.active_model.changed.connect(seen.append)
    with qtbot.waitSignal(window.active_model.changed, timeout=10000):
        window.load_model_file(path)
    assert seen and "50.00%" in window.model_status.text()
    assert "50.00%" in window.draw_tab.findChild(QLabel, "drawModelLabel").text()


def test_file_export_model_writes_onnx_and_torchscript(window, tmp_path, qtbot, monkeypatch):
    """File → Export model…: the filter chosen in the dialog picks the format."""
    import onnx
    import torch

    chosen = []

    def save_dialog(parent, title, suggested, filters):
        chosen.append((suggested, filters))
        return answers.pop(0)

    answers = [(str(tmp_path / "digits.onnx"), "ONNX (*.onnx)"), (str(tmp_path / "digits.pt"), "TorchScript (*.pt)")]
    monkeypatch.setattr("lenet_app.gui.main_window.QFileDialog.getSaveFileName", save_dialog)
    action = window.findChild(QAction, "exportModelAction")
    for _ in range(2):
        action.trigger()
        qtbot.waitUntil(lambda: action.isEnabled() and "Exported" in window.statusBar().currentMessage(),
                        timeout=60000)
    assert chosen[0][0] == "lenet5.onnx" and "TorchScript" in chosen[0][1]
    onnx.checker.check_model(onnx.load(str(tmp_path / "digits.onnx")))
    assert torch.jit.load(str(tmp_path / "digits.pt"))(torch.zeros(2, 1, 28, 28))[1].shape == (2, 10)


def test_exporting_to_an_unwritable_place_is_a_dialog(window, tmp_path, warnings, qtbot):
    job = window.export_model_file(tmp_path / "missing" / "m.onnx", "onnx")
    qtbot.waitUntil(lambda: bool(warnings), timeout=60000)
    qtbot.waitUntil(lambda: job.isFinished() if hasattr(job, "isFinished") else True, timeout=5000)
    assert len(warnings) == 1 and "no such folder" in warnings[0]
    assert not (tmp_path / "missing").exists()


def test_bad_model_file_is_a_dialog_and_changes_nothing(window, tmp_path, warnings, qtbot):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a model")
    before = window.active_model.model
    window.load_model_file(bad)
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert window.active_model.model is before
    assert len(warnings) == 1 and "bad.pt" in warnings[0]


def test_save_model_to_unwritable_place_is_a_dialog(window, tmp_path, warnings):
    assert window.save_model_file(tmp_path / "ok.pt")
    assert not window.save_model_file(tmp_path / "missing-folder" / "m.pt")
    assert len(warnings) == 1 and "Could not save" in warnings[0]


def test_try_in_draw_tab_switches_and_predicts(window, qtbot):
    test = window.dataset.split("test")
    window.dataset_tab.try_in_draw.emit(test.images[0])
    assert window.tabs.currentWidget() is window.draw_tab
    label = window.draw_tab.findChild(QLabel, "predictionLabel")
    qtbot.waitUntil(lambda: label.text() != "")
    assert label.text() == str(test.labels[0])


def test_settings_are_remembered(qtbot, tmp_path, mnist_dir, monkeypatch):
    monkeypatch.delenv("LENET_APP_MNIST_DIR", raising=False)
    path = str(tmp_path / "s.ini")
    first = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.dataset.load_async(first.jobs, mnist_dir)
    qtbot.waitUntil(lambda: first.dataset.available, timeout=30000)
    first.tabs.setCurrentIndex(2)
    first.resize(1234, 800)
    first.close()
    second = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: second.dataset.available, timeout=30000)
    assert second.tabs.currentIndex() == 2
    assert second.dataset.directory == mnist_dir
    second.close()


def test_stale_settings_are_ignored_with_a_message(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("LENET_APP_MNIST_DIR", raising=False)
    path = tmp_path / "s.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue("mnist/dir", str(tmp_path / "deleted"))
    settings.setValue("model/path", str(tmp_path / "gone.pt"))
    settings.setValue("window/tab", "not a number")
    settings.setValue("window/geometry", b"garbage")
    settings.sync()
    win = MainWindow(settings=QSettings(str(path), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    assert win.tabs.currentIndex() == 0
    assert win.active_model.model.architecture == "lenet5"
    assert len(win.ignored_settings) == 2
    assert "Ignored" in win.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not win.dataset.loading, timeout=30000)
    win.close()


def test_corrupt_settings_file_starts_with_defaults(qtbot, tmp_path):
    path = tmp_path / "s.ini"
    path.write_bytes(b"\x00\xff[[[garbage\n=\n" * 50)
    win = MainWindow(settings=QSettings(str(path), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    assert win.active_model.model.architecture == "lenet5"
    qtbot.waitUntil(lambda: not win.dataset.loading, timeout=30000)
    win.close()


def test_about_box_credits_mnist(window, monkeypatch):
    texts = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: texts.append(text))
    window.findChild(QAction, "aboutAction").trigger()
    assert "CC BY-SA 3.0" in texts[0] and "PyTorch" in texts[0]


def test_self_test_subprocess():
    result = subprocess.run([sys.executable, "-m", "lenet_app", "--self-test"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert "Traceback" not in result.stderr
