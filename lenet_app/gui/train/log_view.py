"""The run log: a summary of each run, one line per epoch and how the run ended."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from lenet_app.core.training import Diverged, EpochEnd, FinetuneEnd, FinetuneStart, Stopped, TrainingEvent, describe_epoch
from lenet_app.core.training_events import describe_finetune, describe_finetune_start
from lenet_app.gui.text import arg
from lenet_app.gui.train.result_banner import ending_text
from lenet_app.gui.train.run_state import TrainingRun
from lenet_app.gui.train.training_job import Prepared
from lenet_app.gui.widgets import named

#: Lines kept; the oldest go first, so a week-long session cannot grow without bound.
MAX_LINES = 10_000


class RunLog(QPlainTextEdit):
    """Read-only, fixed-width text that follows a `TrainingRun`; `add_line` for other notes."""

    def __init__(self, run: TrainingRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "trainingLog", self.tr("Training log"),
              self.tr("One line per epoch, plus where the run's checkpoint is saved"))
        self.run = run
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setPlaceholderText(self.tr("Press Start training: a summary of every epoch appears here."))
        run.prepared.connect(self._on_prepared)
        run.epoch_ended.connect(self._on_epoch_ended)
        run.finetune_started.connect(self._on_finetune_started)
        run.finetune_ended.connect(self._on_finetune_ended)
        run.ended.connect(self._on_ended)

    def add_line(self, line: str) -> None:
        self.appendPlainText(line)

    @Slot(object)
    def _on_prepared(self, run: Prepared) -> None:
        if self.blockCount() > 1 or self.toPlainText():
            self.add_line("")  # a blank line between runs
        when = _dt.datetime.now().strftime("%H:%M:%S")
        architecture = run.config.architecture
        finetune = getattr(self.run.trainer, "finetune", None)
        own_train = None if finetune is None else finetune.own_train
        if run.resume_from is not None:
            self.add_line(arg(self.tr("%1  Resuming %2 from %3 after epoch %4"), when, architecture,
                              run.resume_from, run.start_epoch))
        elif finetune is not None:
            self.add_line(arg(self.tr("%1  Fine-tuning %2 on my digits, starting from the active model"),
                              when, architecture))
        else:
            self.add_line(arg(self.tr("%1  Training %2"), when, architecture))
        self.add_line("    " + run.config.describe(device=run.device, images=run.images,
                                                   own_digits=None if own_train is None else len(own_train)))
        self.add_line(arg(self.tr("    checkpoint saved after every epoch to %1"), run.checkpoint_path))

    @Slot(object)
    def _on_finetune_started(self, event: FinetuneStart) -> None:
        self.add_line("    " + describe_finetune_start(event))

    @Slot(object)
    def _on_finetune_ended(self, event: FinetuneEnd) -> None:
        for line in describe_finetune(event.before, event.after).splitlines():
            self.add_line("    " + line)

    @Slot(object)
    def _on_epoch_ended(self, event: EpochEnd) -> None:
        self.add_line(describe_epoch(event))

    @Slot(object)
    def _on_ended(self, event: TrainingEvent) -> None:
        if isinstance(event, Stopped):
            self.add_line(event.message)
        elif isinstance(event, Diverged):
            self.add_line(arg(self.tr("Diverged: %1"), event.message))
        else:
            self.add_line(ending_text(self.run, event)[1])
