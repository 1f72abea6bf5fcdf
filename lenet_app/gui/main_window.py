"""The main window: three tabs over one shared active model, one MNIST state and one set of the
user's own digits."""

from __future__ import annotations

import logging
import platform
import re
from functools import partial
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Slot, qVersion
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
)

import torch

from lenet_app import __version__
from lenet_app.core import load_model
from lenet_app.core.checkpoint import CheckpointError, save_model
from lenet_app.core.export import ONNX_OPSET, SUFFIXES, export_model
from lenet_app.gui.dataset import DatasetTab
from lenet_app.gui.draw import DrawTab
from lenet_app.gui.jobs import Job, JobRunner
from lenet_app.gui.language import LANGUAGES, SETTING, Retranslating, chosen_language, use_language
from lenet_app.gui.my_digits_state import MyDigitsState
from lenet_app.gui.run_history_state import RunHistoryState
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.text import arg, model_summary
from lenet_app.gui.train import TrainTab

log = logging.getLogger(__name__)

MODEL_FILTER = "LeNet Digits model (*.pt);;All files (*)"


def _settings_path(settings: QSettings, key: str) -> Path | None:
    value = settings.value(key)
    return Path(str(value)) if value else None


# What a key this app (or a later version of it) writes looks like; anything else in the file
# is damage, such as binary garbage that Qt's lenient INI parser turned into keys.
_PLAUSIBLE_KEY = re.compile(r"[A-Za-z0-9_.\- ]+(/[A-Za-z0-9_.\- ]+)*")


class MainWindow(Retranslating, QMainWindow):
    """Builds the whole application window with the user's (or default) settings."""

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings if settings is not None else QSettings()
        self.ignored_settings: list[str] = []
        self._check_settings_file()
        self.jobs = JobRunner(self)
        self.active_model = ActiveModel(self._initial_model(), self)
        self._unshown_messages: list[str] = []
        self.my_digits = MyDigitsState(parent=self)
        self.my_digits.failed.connect(self._on_my_digits_failed)
        self.dataset = DatasetState(self, self.my_digits)
        self.run_history = RunHistoryState(self.jobs, parent=self)
        self.run_history.problems_found.connect(self._on_run_history_problems)
        self.run_history.failed.connect(self._on_run_history_failed)

        self.draw_tab = DrawTab(self.active_model, self.jobs, self.my_digits, run_history=self.run_history)
        self.dataset_tab = DatasetTab(self.dataset, self.active_model, self.jobs, run_history=self.run_history)
        self.train_tab = TrainTab(self.dataset, self.active_model, self.jobs, self.my_digits,
                                  run_history=self.run_history)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        for tab in (self.draw_tab, self.dataset_tab, self.train_tab):
            self.tabs.addTab(tab, "")
        self.setCentralWidget(self.tabs)
        self.dataset_tab.try_in_draw.connect(self._on_try_in_draw)

        self.model_status = QLabel()
        self.model_status.setObjectName("activeModelLabel")
        self.statusBar().addPermanentWidget(self.model_status)
        self.active_model.changed.connect(self._on_model_changed)
        self.active_model.loaded.connect(self._on_model_loaded)
        self.active_model.load_failed.connect(self._on_model_load_failed)
        self.dataset.changed.connect(self._on_dataset_changed)

        self._build_menus()
        self.retranslate()
        self._restore_settings()
        self.dataset.load_async(self.jobs, self._valid_mnist_setting())
        if self.ignored_settings:
            self.statusBar().showMessage(
                arg(self.tr("Ignored saved settings: %1"), "; ".join(self.ignored_settings)), 15000)

    # --- start-up -----------------------------------------------------------------------

    def _check_settings_file(self) -> None:
        """Note a settings file that cannot be read, and drop entries that are plain damage."""
        name = self.settings.fileName()
        keys = self.settings.allKeys()  # first: Qt parses the file lazily, and only then knows its status
        status = self.settings.status()
        if status == QSettings.Status.AccessError:
            self.ignored_settings.append(arg(self.tr("the settings file %1, which cannot be read"), name))
            return
        damaged = [key for key in keys if not _PLAUSIBLE_KEY.fullmatch(key)]
        if damaged:
            # Rewritten with only the plausible entries, so the next start finds a clean file.
            # (QSettings.remove("") would remove every key, so the file is rebuilt instead.)
            kept = {key: self.settings.value(key) for key in keys if key not in damaged}
            self.settings.clear()
            for key, value in kept.items():
                if value is not None:
                    self.settings.setValue(key, value)
        if damaged or status == QSettings.Status.FormatError:
            self.ignored_settings.append(arg(self.tr("damaged parts of the settings file %1"), name))

    def _initial_model(self):
        path = _settings_path(self.settings, "model/path")
        if path is not None:
            try:
                return load_model(path)
            except CheckpointError as exc:
                self.ignored_settings.append(arg(self.tr("last model (%1)"), exc))
        return load_model()

    def _valid_mnist_setting(self) -> Path | None:
        path = _settings_path(self.settings, "mnist/dir")
        if path is not None and not path.is_dir():
            if path.exists():
                self.ignored_settings.append(arg(self.tr("MNIST folder %1, which is not a folder"), path))
            else:
                self.ignored_settings.append(arg(self.tr("MNIST folder %1 no longer exists"), path))
            return None
        return path

    def _restore_settings(self) -> None:
        # The window's size and tab are cosmetic: unusable values are reset without a word.
        geometry = self.settings.value("window/geometry")
        if not isinstance(geometry, (QByteArray, bytes, bytearray)) or not self.restoreGeometry(geometry):
            self.resize(1180, 780)
        try:
            tab = int(self.settings.value("window/tab", 0))
        except (TypeError, ValueError, OverflowError):
            tab = 0
        self.tabs.setCurrentIndex(tab if 0 <= tab < self.tabs.count() else 0)
        ignored = self.train_tab.restore_settings(self.settings)
        if ignored:
            self.ignored_settings.append(arg(self.tr("training settings %1 (defaults used)"), ", ".join(ignored)))

    def _save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/tab", self.tabs.currentIndex())
        if self.dataset.directory is not None:
            self.settings.setValue("mnist/dir", str(self.dataset.directory))
        path = self.active_model.model.path
        if path is not None and Path(path).exists():
            self.settings.setValue("model/path", str(path))
        self.train_tab.save_settings(self.settings)
        self.settings.sync()

    # --- menus --------------------------------------------------------------------------

    def _action(self, slot, shortcut=None, name: str = "") -> QAction:
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.open_image_action = self._action(self._on_open_image, QKeySequence.StandardKey.Open, "openImageAction")
        self.load_model_action = self._action(self._on_load_model, "Ctrl+L", "loadModelAction")
        self.save_model_action = self._action(self._on_save_model, "Ctrl+Shift+S", "saveModelAction")
        self.export_model_action = self._action(self._on_export_model, "Ctrl+Shift+E", "exportModelAction")
        self.export_images_action = self._action(self.dataset_tab.export_images_dialog, "Ctrl+E",
                                                 "exportImagesAction")
        self.quit_action = self._action(self.close, "Ctrl+Q", "quitAction")
        self.file_menu.addAction(self.open_image_action)
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.load_model_action, self.save_model_action, self.export_model_action,
                                   self.export_images_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self._build_language_menu()
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = self._action(self._on_about, None, "aboutAction")
        self.help_menu.addAction(self.about_action)

    def _build_language_menu(self) -> None:
        """English / 简体中文, each in its own language; the current one checked."""
        self.language_menu = self.menuBar().addMenu("")
        self.language_menu.setObjectName("languageMenu")
        group = QActionGroup(self)
        current = chosen_language(self.settings)
        for code, name in LANGUAGES.items():
            action = self.language_menu.addAction(name)
            action.setObjectName(f"language_{code}")
            action.setCheckable(True)
            action.setChecked(code == current)
            action.setData(code)
            group.addAction(action)
        group.triggered.connect(self._on_language_chosen)

    def retranslate(self) -> None:
        """Every text of the window itself: title, tabs, menus, status bar."""
        self.setWindowTitle(self.tr("LeNet Digits"))
        for tab, text in ((self.draw_tab, self.tr("&Draw")), (self.dataset_tab, self.tr("Data&set")),
                          (self.train_tab, self.tr("&Train"))):
            self.tabs.setTabText(self.tabs.indexOf(tab), text)
        self.file_menu.setTitle(self.tr("&File"))
        self.open_image_action.setText(self.tr("&Open image…"))
        self.load_model_action.setText(self.tr("&Load model…"))
        self.save_model_action.setText(self.tr("&Save model as…"))
        self.export_model_action.setText(self.tr("E&xport model (ONNX, TorchScript)…"))
        self.export_images_action.setText(self.tr("&Export images…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About LeNet Digits"))
        self.model_status.setAccessibleName(self.tr("Active model"))
        self._on_model_changed(self.active_model.model)

    @Slot(QAction)
    def _on_language_chosen(self, action: QAction) -> None:
        """Speak the chosen language at once, in every open window, and keep the choice."""
        code = action.data()
        self.settings.setValue(SETTING, code)
        self.settings.sync()
        use_language(code)

    @Slot()
    def _on_open_image(self) -> None:
        self.tabs.setCurrentWidget(self.draw_tab)
        self.draw_tab.open_image_dialog()

    @Slot()
    def _on_load_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Load model"), "", MODEL_FILTER)
        if path:
            self.load_model_file(path)

    def load_model_file(self, path: str | Path) -> Job:
        """Load a checkpoint in the background; it becomes the active model when verified
        (`_on_model_loaded`), or a dialog says why not (`_on_model_load_failed`)."""
        return self.active_model.load_async(self.jobs, path)

    @Slot(str)
    def _on_model_loaded(self, path: str) -> None:
        self.statusBar().showMessage(arg(self.tr("Loaded model %1"), path), 5000)

    @Slot(str)
    def _on_model_load_failed(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Cannot load model"), message)

    @Slot(str)
    def _on_my_digits_failed(self, message: str) -> None:
        if not self.isVisible():  # read while the window is built: said once it is shown
            self._unshown_messages.append(message)
            return
        QMessageBox.warning(self, self.tr("Cannot use your digits"), message)

    @Slot(list)
    def _on_run_history_problems(self, problems: list) -> None:
        """Run files that cannot be read are skipped, never deleted: said once in the status bar,
        each one in the log."""
        for problem in problems:
            log.warning("run history: %s", problem)
        self.statusBar().showMessage(arg(self.tr("Run history: %1 file(s) skipped: %2"), len(problems),
                                         problems[0]), 15000)

    @Slot(str)
    def _on_run_history_failed(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Run history"), message)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        for message in self._unshown_messages:
            QTimer.singleShot(0, partial(self._on_my_digits_failed, message))
        self._unshown_messages.clear()

    @Slot()
    def _on_save_model(self) -> None:
        suggested = str(self.active_model.model.path or f"{self.active_model.model.architecture}.pt")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save model as"), suggested, MODEL_FILTER)
        if path:
            self.save_model_file(path)

    def save_model_file(self, path: str | Path) -> bool:
        try:
            save_model(path, self.active_model.model)
        except CheckpointError as exc:
            QMessageBox.warning(self, self.tr("Cannot save model"), str(exc))
            return False
        self.statusBar().showMessage(arg(self.tr("Saved model to %1"), path), 5000)
        return True

    def _export_filters(self) -> dict[str, str]:
        """File dialog filter → export format."""
        return {self.tr("ONNX (*.onnx)"): "onnx", self.tr("TorchScript (*.pt)"): "torchscript"}

    @Slot()
    def _on_export_model(self) -> None:
        model = self.active_model.model
        filters = self._export_filters()
        suggested = f"{model.architecture}{SUFFIXES['onnx']}"
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export model"), suggested, ";;".join(filters))
        if path:
            fmt = filters.get(chosen) or ("torchscript" if path.endswith(SUFFIXES["torchscript"]) else "onnx")
            self.export_model_file(path, fmt)

    def export_model_file(self, path: str | Path, fmt: str) -> Job:
        """Write the active model as ONNX or TorchScript on a job (the ONNX exporter takes a few
        seconds); the status bar says where, or a dialog says why not."""
        model = self.active_model.model
        job = Job(lambda control: export_model(model, path, fmt), "export-model")
        job.succeeded.connect(partial(self._on_model_exported, fmt))
        job.failed.connect(self._on_model_export_failed)
        self.export_model_action.setEnabled(False)
        job.finished.connect(partial(self.export_model_action.setEnabled, True))
        return self.jobs.start(job)

    def _on_model_exported(self, fmt: str, path) -> None:
        if fmt == "onnx":
            text = arg(self.tr("Exported the model to %1 (ONNX, opset %2): open it in Netron to see its layers"),
                       path, ONNX_OPSET)
        else:
            text = arg(self.tr("Exported the model to %1 (TorchScript)"), path)
        self.statusBar().showMessage(text, 10000)

    @Slot(str)
    def _on_model_export_failed(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Cannot export model"), message)

    @Slot()
    def _on_about(self) -> None:
        from PySide6 import __version__ as pyside_version

        QMessageBox.about(self, self.tr("About LeNet Digits"), arg(self.tr(
            "<h3>LeNet Digits %1</h3>"
            "<p>Draw a digit and watch LeNet read it; train LeNet on MNIST with live charts; "
            "browse the test images the model gets wrong.</p>"
            "<p>Python %2 · PyTorch %3 · Qt %4 (PySide6 %5)</p>"
            "<p>MNIST database by Yann LeCun, Corinna Cortes and Christopher J. C. Burges, "
            "used under the Creative Commons Attribution-Share Alike 3.0 licence (CC BY-SA 3.0).</p>"
            "<p>LeNet-5: Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, “Gradient-based learning "
            "applied to document recognition”, Proc. IEEE, 1998.</p>"),
            __version__, platform.python_version(), torch.__version__, qVersion(), pyside_version))

    # --- following the shared state -----------------------------------------------------

    @Slot(object)
    def _on_model_changed(self, model) -> None:
        self.model_status.setText(arg(self.tr("Model: %1"), model_summary(model)))
        self.model_status.setToolTip(str(model.path) if model.path else self.tr("trained in this session"))

    @Slot()
    def _on_dataset_changed(self) -> None:
        if self.dataset.available:
            self.statusBar().showMessage(arg(self.tr("MNIST loaded from %1"), self.dataset.directory), 5000)

    @Slot(object)
    def _on_try_in_draw(self, image) -> None:
        self.draw_tab.set_image(image)
        self.tabs.setCurrentWidget(self.draw_tab)

    # --- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.train_tab.is_training():
            answer = QMessageBox.question(
                self, self.tr("Training is running"),
                self.tr("Training is still running. Stop it and quit?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self._save_settings()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.jobs.shutdown()
        finally:
            QApplication.restoreOverrideCursor()
        event.accept()
