"""How a run ended, and what to do with the network it trained: use it, or save it."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QStandardPaths, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from lenet_app.core.checkpoint import CheckpointError, TrainedModel, save_model
from lenet_app.core.formatting import format_duration
from lenet_app.core.training import Diverged, Failed, Finished, Stopped, TrainingEvent
from lenet_app.gui.language import Retranslating
from lenet_app.gui.state import ActiveModel
from lenet_app.gui.text import arg, format_percent, model_summary
from lenet_app.gui.train.run_state import TrainingRun
from lenet_app.gui.widgets import Banner, named


def model_filter() -> str:
    """The file dialogs' filter for model and checkpoint files."""
    return QCoreApplication.translate("ResultBanner", "LeNet Digits model (*.pt);;All files (*)")


def ending(run: TrainingRun, event: TrainingEvent) -> Callable[[], tuple[str, str]]:
    """How `run` ended, as a function giving (banner kind, sentence) in the language of the
    moment it is called; the run's facts are taken now, before another run replaces them.
    The log repeats some of these sentences."""
    model = run.result_model
    accuracy = model.test_accuracy if model is not None else None
    epochs = run.trainer.config.epochs if run.trainer is not None else getattr(event, "epochs_trained", 0)
    return lambda: ending_text(event, accuracy, epochs)


def ending_text(event: TrainingEvent, accuracy: float | None, epochs: int) -> tuple[str, str]:
    """(banner kind, sentence) for how a run of `epochs` epochs ended, its model reaching
    `accuracy` on the test images (None: unknown)."""
    if isinstance(event, Finished):
        return "success", arg(QCoreApplication.translate("ResultBanner", "Finished: %1 test accuracy in %2"),
                              format_percent(event.test_accuracy), format_duration(event.total_seconds))
    if isinstance(event, Stopped):
        return "info", arg(QCoreApplication.translate("ResultBanner", "Stopped after %1 of %2 epochs: %3 test accuracy with the weights "
                               "learned so far"), event.epochs_trained, epochs, format_percent(accuracy))
    if isinstance(event, Diverged):
        message = event.message[:1].upper() + event.message[1:]
        text = message if message.endswith(".") else message + "."
        if accuracy is not None:
            text += " " + arg(QCoreApplication.translate("ResultBanner", "The kept weights reach %1 test accuracy."), format_percent(accuracy))
        return "warning", text + " " + QCoreApplication.translate("ResultBanner", "Try a smaller learning rate.")
    message = event.message if isinstance(event, Failed) else str(event)
    return "error", arg(QCoreApplication.translate("ResultBanner", "Training failed: %1"), message)


class ResultBanner(Retranslating, Banner):
    """The end of a run in words, with *Use this model* and *Save model…* for its network."""

    #: A line for the run log (the model was activated or saved), as a function that gives it
    #: in the language of the moment: the log shows it again when the language changes.
    note = Signal(object)

    def __init__(self, run: TrainingRun, active_model: ActiveModel, parent: QWidget | None = None) -> None:
        super().__init__("resultBanner", parent)
        self.run = run
        self.active_model = active_model
        self._ending: Callable[[], tuple[str, str]] | None = None  # the message shown, if any
        self._large = False  # whether it is shown large (a run that finished or was stopped)
        self.use_button = QPushButton()
        self.use_button.setObjectName("useModelButton")
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveModelButton")
        self.use_button.clicked.connect(self._on_use_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.add_widget(self.use_button)
        self.add_widget(self.save_button)
        run.prepared.connect(self._on_prepared)
        run.ended.connect(self._on_ended)
        run.changed.connect(self._on_state_changed)
        active_model.changed.connect(self._on_state_changed)
        self.retranslate()

    def retranslate(self) -> None:
        named(self.use_button, "useModelButton", self.tr("Use this model"),
              self.tr("Make the network you just trained the one the Draw and Dataset tabs use"))
        named(self.save_button, "saveModelButton", self.tr("Save model"),
              self.tr("Save the trained network to a file you can load later"))
        self.save_button.setText(self.tr("Sa&ve model…"))
        if self._ending is not None:
            self._show_ending()
        self._on_state_changed()

    @Slot(object)
    def _on_prepared(self, _prepared) -> None:
        self._ending = None
        self.hide()

    @Slot(object)
    def _on_ended(self, event: TrainingEvent) -> None:
        self._ending = ending(self.run, event)
        self._large = isinstance(event, (Finished, Stopped))
        self._show_ending()
        self._on_state_changed()

    def _show_ending(self) -> None:
        kind, text = self._ending()
        self.show_message(kind, text, large=self._large)

    @Slot()
    def _on_state_changed(self) -> None:
        model = self.run.result_model
        has_result = model is not None and not self.run.running
        in_use = has_result and self.active_model.model is model
        self.use_button.setEnabled(has_result and not in_use)
        self.use_button.setText(self.tr("In use ✓") if in_use else self.tr("Use th&is model"))
        self.save_button.setEnabled(has_result)

    @Slot()
    def _on_use_clicked(self) -> None:
        model = self.run.result_model
        if model is not None:
            self.active_model.set_model(model)
            self.note.emit(lambda: arg(self.tr("The Draw and Dataset tabs now use this model (%1)."),
                                       model_summary(model)))

    def default_save_path(self) -> Path:
        """Documents/<architecture>-<test accuracy>.pt, so saved runs tell themselves apart."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        model = self.run.result_model
        name = model.architecture if model is not None else "model"
        if model is not None and model.test_accuracy is not None:
            name += f"-{model.test_accuracy * 100:.2f}"
        return Path(folder or Path.home()) / f"{name}.pt"

    @Slot()
    def _on_save_clicked(self) -> None:
        if self.run.result_model is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save trained model"),
                                              str(self.default_save_path()), model_filter())
        if path:
            self.save_result(path)

    def save_result(self, path: str | Path) -> bool:
        model: TrainedModel | None = self.run.result_model
        if model is None:
            return False
        try:
            saved = save_model(path, model)
        except CheckpointError as exc:
            QMessageBox.warning(self, self.tr("Cannot save model"), str(exc))
            return False
        self.note.emit(lambda: arg(self.tr("Saved the model to %1"), saved))
        return True
