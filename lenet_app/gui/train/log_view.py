"""The run log: a summary of each run, one line per epoch and how the run ended.

The log is a transcript a teacher may read back after switching the language mid-session, so
it keeps what each line was made from (a function that formats it) and writes every line again,
in the new language, on LanguageChange. The core's lines (`describe_epoch`, `TrainConfig.describe`
…) are asked of the core again then, so they follow its gettext catalogue.
"""

from __future__ import annotations

import datetime as _dt
from collections import deque
from typing import Callable

from PySide6.QtCore import Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from lenet_app.core.training import Diverged, EpochEnd, FinetuneEnd, FinetuneStart, Stopped, TrainingEvent, describe_epoch
from lenet_app.core.training_events import describe_finetune, describe_finetune_start, describe_stopped
from lenet_app.gui.language import Retranslating
from lenet_app.gui.text import arg
from lenet_app.gui.train.result_banner import ending
from lenet_app.gui.train.run_state import TrainingRun
from lenet_app.gui.train.training_job import Prepared
from lenet_app.gui.widgets import named

#: Lines kept; the oldest go first, so a week-long session cannot grow without bound.
MAX_LINES = 10_000

#: A log line: a fixed text, or a function that formats it in the language of the moment.
Line = str | Callable[[], str]


class RunLog(Retranslating, QPlainTextEdit):
    """Read-only, fixed-width text that follows a `TrainingRun`; `add_line` for other notes."""

    def __init__(self, run: TrainingRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingLog")
        self.run = run
        self._lines: deque[Line] = deque(maxlen=MAX_LINES)
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        run.prepared.connect(self._on_prepared)
        run.epoch_ended.connect(self._on_epoch_ended)
        run.finetune_started.connect(self._on_finetune_started)
        run.finetune_ended.connect(self._on_finetune_ended)
        run.ended.connect(self._on_ended)
        self.retranslate()

    def retranslate(self) -> None:
        """The log's own texts, and every line written again in the user's language; the view
        stays at the end when it was there."""
        named(self, "trainingLog", self.tr("Training log"),
              self.tr("One line per epoch, plus where the run's checkpoint is saved"))
        self.setPlaceholderText(self.tr("Press Start training: a summary of every epoch appears here."))
        if not self._lines:
            return
        bar = self.verticalScrollBar()
        at_end = bar.value() == bar.maximum()
        position = bar.value()
        self.setPlainText("\n".join(_text(line) for line in self._lines))
        bar.setValue(bar.maximum() if at_end else position)

    def add_line(self, line: Line) -> None:
        """Append `line`: a text that stays as it is, or a function that formats it (again
        whenever the language changes)."""
        self._lines.append(line)
        self.appendPlainText(_text(line))

    @Slot(object)
    def _on_prepared(self, run: Prepared) -> None:
        if self._lines:
            self.add_line("")  # a blank line between runs
        when = _dt.datetime.now().strftime("%H:%M:%S")
        architecture = run.config.architecture
        finetune = getattr(self.run.trainer, "finetune", None)
        own_digits = None if finetune is None or finetune.own_train is None else len(finetune.own_train)
        if run.resume_from is not None:
            self.add_line(lambda: arg(self.tr("%1  Resuming %2 from %3 after epoch %4"), when, architecture,
                                      run.resume_from, run.start_epoch))
        elif finetune is not None:
            self.add_line(lambda: arg(self.tr("%1  Fine-tuning %2 on my digits, starting from the active model"),
                                      when, architecture))
        else:
            self.add_line(lambda: arg(self.tr("%1  Training %2"), when, architecture))
        self.add_line(lambda: "    " + run.config.describe(device=run.device, images=run.images,
                                                           own_digits=own_digits))
        self.add_line(lambda: arg(self.tr("    checkpoint saved after every epoch to %1"), run.checkpoint_path))

    @Slot(object)
    def _on_finetune_started(self, event: FinetuneStart) -> None:
        self.add_line(lambda: "    " + describe_finetune_start(event))

    @Slot(object)
    def _on_finetune_ended(self, event: FinetuneEnd) -> None:
        self.add_line(lambda: "\n".join("    " + line for line in
                                        describe_finetune(event.before, event.after).splitlines()))

    @Slot(object)
    def _on_epoch_ended(self, event: EpochEnd) -> None:
        self.add_line(lambda: describe_epoch(event))

    @Slot(object)
    def _on_ended(self, event: TrainingEvent) -> None:
        if isinstance(event, Stopped):
            self.add_line(lambda: describe_stopped(event.epochs_trained))
        elif isinstance(event, Diverged):
            self.add_line(lambda: arg(self.tr("Diverged: %1"), event.message))
        else:
            text = ending(self.run, event)
            self.add_line(lambda: text()[1])


def _text(line: Line) -> str:
    return line if isinstance(line, str) else line()
