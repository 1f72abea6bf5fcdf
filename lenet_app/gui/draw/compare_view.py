"""The Draw tab's Compare view: the drawing read by every shipped model, side by side.

One card per shipped model (its name, the digit it reads, how sure it is and its ten
probabilities, drawn by the same `ProbabilityBars` as the main answer) and a line that says what
most of them read; a card that reads another digit than most is framed and says so, so a
disagreement stands out at a glance.

The shipped models are loaded once, on a job, the first time the view is shown. Reading one
28×28 input costs each of them under a millisecond, so, like the tab's own prediction, every
reading runs on the GUI thread, on the tab's live throttle, and only while the view is shown. All
models read the very tensor the active model reads (`digit_tensor` of the tab's network input),
so the card of the active model shows exactly the main answer.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

import numpy as np
import torch
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lenet_app.core import Prediction, load_model
from lenet_app.core.architectures import ARCHITECTURES, shipped_model_path, shipped_models
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.errors import LenetError
from lenet_app.core.i18n import _
from lenet_app.core.inference import single_threaded
from lenet_app.core.mnist import digit_tensor
from lenet_app.gui.draw.model_picker import same_file
from lenet_app.gui.jobs import Job, JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.prediction_panel import format_confidence
from lenet_app.gui.style import ACCENT, FRAME, MUTED_TEXT, SPACING, WARNING, bold_font, hex_color
from lenet_app.gui.text import arg, format_percent
from lenet_app.gui.widgets import ProbabilityBars, StatLabel


def load_shipped(names: Iterable[str]) -> dict[str, TrainedModel | str]:
    """Each shipped model by name, or why it cannot be used (a damaged file); for a job."""
    loaded: dict[str, TrainedModel | str] = {}
    for name in names:
        try:
            loaded[name] = load_model(name)
        except LenetError as exc:
            loaded[name] = str(exc)
    return loaded


@torch.inference_mode()
def read_tensor(model: TrainedModel, tensor: torch.Tensor, pixels: np.ndarray) -> Prediction:
    """`model`'s answer for one normalised (1, 1, 28, 28) input, as `predict` gives it."""
    module = model.module
    if module.training:
        module.eval()
    device = next(module.parameters()).device
    with single_threaded():
        probabilities = module(tensor.to(device)).float().softmax(dim=1)[0].cpu()
    digit = int(probabilities.argmax())
    return Prediction(digit, float(probabilities[digit]), tuple(probabilities.tolist()), pixels)


def majority_digit(digits: Iterable[int]) -> int | None:
    """The digit read more often than any other; None when none is (no reading, or a tie)."""
    ranked = Counter(digits).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


class CompareCard(Retranslating, QFrame):
    """One shipped model's reading: name (and whether it is the model in use), test accuracy,
    the digit in large type, its confidence, whether it differs from most, the ten bars."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName("compareCard_" + name.replace("-", "_"))
        self._accuracy: float | None = None
        self._failure: str | None = None  # why this model cannot be used
        self._prediction: Prediction | None = None
        self._differs = False
        self._in_use = False
        self._loaded = False
        self._framed: bool | None = None

        self.name_label = QLabel(name)
        self.name_label.setObjectName("compareName")
        self.name_label.setFont(bold_font(self.name_label.font()))
        self.in_use_label = QLabel()
        self.in_use_label.setObjectName("compareInUse")
        self.accuracy_label = QLabel()
        self.accuracy_label.setObjectName("compareAccuracy")
        self.accuracy_label.setWordWrap(True)  # five cards must fit beside the answer column
        self.digit_label = StatLabel()
        self.digit_label.setObjectName("compareDigit")
        self.digit_label.setFont(bold_font(self.digit_label.font(), 2.6))
        self.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit_label.setMinimumWidth(self.digit_label.fontMetrics().horizontalAdvance("8") + 6)
        self.confidence_label = StatLabel()
        self.confidence_label.setObjectName("compareConfidence")
        self.status_label = QLabel()
        self.status_label.setObjectName("compareStatus")
        self.status_label.setWordWrap(True)
        self.bars = ProbabilityBars()
        self.bars.setObjectName("compareBars")
        self.bars.setMinimumSize(90, 120)

        title = QHBoxLayout()
        title.setSpacing(4)
        title.addWidget(self.name_label)
        title.addStretch(1)
        title.addWidget(self.in_use_label)
        answer_text = QVBoxLayout()
        answer_text.setSpacing(0)
        answer_text.addStretch(1)
        answer_text.addWidget(self.confidence_label)
        answer_text.addWidget(self.status_label)
        answer_text.addStretch(1)
        answer = QHBoxLayout()
        answer.setSpacing(8)
        answer.addWidget(self.digit_label)
        answer.addLayout(answer_text, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 6)
        column.setSpacing(2)
        column.addLayout(title)
        column.addWidget(self.accuracy_label)
        column.addLayout(answer)
        column.addWidget(self.bars, 1)
        self._frame()
        self.retranslate()

    def retranslate(self) -> None:
        self.in_use_label.setToolTip(self.tr("The model the rest of the tab uses (chosen under Model)"))
        self._render()

    # --- what the view sets ---------------------------------------------------------------

    def set_loaded(self, model: TrainedModel | str) -> None:
        """The model, ready to read; or (a string) why it cannot be used."""
        self._loaded = True
        if isinstance(model, str):
            self._failure = model
        else:
            self._accuracy = model.test_accuracy
        self._render()

    def set_in_use(self, in_use: bool) -> None:
        if in_use != self._in_use:
            self._in_use = in_use
            self._render()

    def show_reading(self, prediction: Prediction | None, differs: bool = False) -> None:
        """The model's answer (None: nothing to read), and whether most models read another digit."""
        self._prediction, self._differs = prediction, differs and prediction is not None
        self.bars.set_probabilities(None if prediction is None else prediction.probabilities)
        self._frame()
        self._render()

    def reading(self) -> Prediction | None:
        return self._prediction

    def differs(self) -> bool:
        return self._differs

    # --- inside ---------------------------------------------------------------------------

    def _frame(self) -> None:
        """A thin frame and a blue digit; a thick orange frame, a faint orange fill and an orange
        digit while the card differs from most. One style sheet holds every colour of the card
        (palettes do not mix with style sheets); it is only set again when that changes, a
        reading a few times a second must not restyle."""
        if self._framed == self._differs:
            return
        self._framed = self._differs
        card = "#" + self.objectName()
        if self._differs:
            frame = (f"border: 2px solid {hex_color(WARNING)}; border-radius: 6px;"
                     f" background: rgba({WARNING.red()}, {WARNING.green()}, {WARNING.blue()}, 28);")
            digit, status = WARNING, WARNING.darker(140)
        else:
            frame = f"border: 1px solid {hex_color(FRAME.lighter(190))}; border-radius: 6px;"
            digit, status = ACCENT, MUTED_TEXT
        self.setStyleSheet(
            f"{card} {{ {frame} }}"
            f" {card} QLabel {{ border: none; background: transparent; }}"
            f" {card} QLabel#compareDigit {{ color: {hex_color(digit)}; }}"
            f" {card} QLabel#compareStatus {{ color: {hex_color(status)}; font-weight: bold; }}"
            f" {card} QLabel#compareAccuracy {{ color: {hex_color(MUTED_TEXT)}; }}"
            f" {card} QLabel#compareInUse {{ color: {hex_color(ACCENT)}; }}")

    def _render(self) -> None:
        """Every text from the state, in the current language."""
        info = ARCHITECTURES.get(self.name)
        self.name_label.setToolTip(_(info.description) if info is not None else self.name)
        self.in_use_label.setText(self.tr("in use") if self._in_use else "")
        if not self._loaded:
            self.accuracy_label.setText(self.tr("loading…"))
        elif self._failure is not None:
            self.accuracy_label.setText(self.tr("cannot be used"))
        elif self._accuracy is None:
            self.accuracy_label.setText(self.tr("not evaluated"))
        else:
            self.accuracy_label.setText(arg(self.tr("%1 test accuracy"), format_percent(self._accuracy)))
        self.accuracy_label.setToolTip(self._failure or "")
        prediction = self._prediction
        if prediction is None:
            self.digit_label.setText("–")
            self.confidence_label.setText("")
            self.status_label.setText("")
            reading = self.tr("nothing to read")
        else:
            self.digit_label.setText(str(prediction.digit))
            self.confidence_label.setText(arg(self.tr("%1 sure"), format_confidence(prediction.confidence)))
            self.status_label.setText(self.tr("differs") if self._differs else "")
            reading = arg(self.tr("reads %1, %2 sure"), prediction.digit, format_confidence(prediction.confidence))
            if self._differs:
                reading = arg(self.tr("%1; differs from most models"), reading)
        self.status_label.setVisible(bool(self.status_label.text()))
        self.digit_label.setAccessibleName(arg(self.tr("Digit read by %1"), self.name))
        self.setAccessibleName(arg(self.tr("Model %1"), self.name))
        self.setAccessibleDescription(reading)


class CompareView(Retranslating, QFrame):
    """Every shipped model's reading of the tab's network input (`show_input`), side by side,
    with a line that says what most of them read."""

    def __init__(self, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self._jobs = jobs
        self._names = shipped_models()
        self._models: dict[str, TrainedModel] | None = None  # None until loaded
        self._job: Job | None = None
        self._failure: str | None = None  # the loading job itself failed
        self._pixels: np.ndarray | None = None
        self._readings: dict[str, Prediction] = {}
        self._majority: int | None = None
        self._active_path = None

        self.summary_label = QLabel()
        self.summary_label.setObjectName("compareSummary")
        self.summary_label.setFont(bold_font(self.summary_label.font()))
        self.summary_label.setWordWrap(True)
        self.cards = [CompareCard(name) for name in self._names]
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        for card in self.cards:
            row.addWidget(card, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(SPACING)
        column.addWidget(self.summary_label)
        column.addLayout(row, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.summary_label.setAccessibleName(self.tr("What the shipped models read"))
        self._summarise()

    # --- what the Draw tab calls ----------------------------------------------------------

    def show_input(self, pixels: np.ndarray | None) -> None:
        """The 28×28 network input to read (None: nothing to read). Read at once while the view
        is shown; else kept until it is."""
        self._pixels = pixels
        self._read()

    def set_active_path(self, path) -> None:
        """The checkpoint the tab's active model came from: its card says "in use"."""
        self._active_path = path
        for card in self.cards:
            card.set_in_use(same_file(shipped_model_path(card.name), path))

    def readings(self) -> dict[str, Prediction]:
        """Each shipped model's reading of the current input, by name (empty while none)."""
        return dict(self._readings)

    def majority(self) -> int | None:
        return self._majority

    def is_loaded(self) -> bool:
        return self._models is not None

    # --- loading --------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._models is None and self._job is None:
            names = list(self._names)
            self._job = Job(lambda control: load_shipped(names), "load-shipped-models")
            self._job.succeeded.connect(self._on_loaded)
            self._job.failed.connect(self._on_load_failed)
            self._jobs.start(self._job)
        self._read()

    @Slot(object)
    def _on_loaded(self, loaded: dict[str, TrainedModel | str]) -> None:
        self._job = None
        self._models = {name: model for name, model in loaded.items() if not isinstance(model, str)}
        for card in self.cards:
            card.set_loaded(loaded.get(card.name, ""))
        self._read()

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        self._job = None
        self._models = {}
        self._failure = message
        for card in self.cards:
            card.set_loaded(message)
        self._summarise()

    # --- reading --------------------------------------------------------------------------

    def _read(self) -> None:
        """Every loaded model reads the input; while hidden (or loading), nothing is read and
        the view is brought up to date when shown."""
        self._readings = {}
        if self._models is None or self.isHidden():
            self._majority = None
            self._summarise()
            return
        if self._pixels is not None:
            tensor = digit_tensor(self._pixels)
            for name, model in self._models.items():
                try:
                    self._readings[name] = read_tensor(model, tensor, self._pixels)
                except RuntimeError:  # cannot happen for a shipped model; never crash the tab
                    continue
        self._majority = majority_digit(p.digit for p in self._readings.values())
        for card in self.cards:
            reading = self._readings.get(card.name)
            card.show_reading(reading, reading is not None and self._majority is not None
                              and reading.digit != self._majority)
        self._summarise()

    def _list(self, readings: Iterable[tuple[str, Prediction]]) -> str:
        """Who reads what (e.g. "lenet5-1998 reads 1, lenet-28 reads 4"), in the current language."""
        return self.tr(", ").join(arg(self.tr("%1 reads %2"), name, prediction.digit)
                                  for name, prediction in readings)

    def _summarise(self) -> None:
        """The line above the cards, from the state, in the current language."""
        readings = self._readings
        if self._failure is not None:
            text = arg(self.tr("The shipped models cannot be loaded: %1"), self._failure)
        elif self._models is None:
            text = self.tr("Loading the shipped models…")
        elif not readings:
            text = self.tr("Draw a digit: every shipped model reads it here, side by side.")
        elif self._majority is None:
            text = arg(self.tr("No majority: %1."), self._list(readings.items()))
        else:
            others = [(name, p) for name, p in readings.items() if p.digit != self._majority]
            if not others:
                text = arg(self.tr("All %1 models read %2."), len(readings), self._majority)
            else:
                text = arg(self.tr("%1 of %2 models read %3; %4."), len(readings) - len(others),
                           len(readings), self._majority, self._list(others))
        self.summary_label.setText(text)
