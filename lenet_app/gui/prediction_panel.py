"""The network's answer for one picture: the digit in large type, how sure it is and the
runner-up, the ten probabilities, and the 28×28 input the network read.

Shared by the Draw tab (a column beside the canvas) and the Dataset tab's detail pane (a
compact row), so a prediction looks the same wherever the app shows one.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from lenet_app.gui.language import Retranslating
from lenet_app.gui.style import ACCENT, SPACING, bold_font, muted
from lenet_app.gui.text import arg, format_percent
from lenet_app.gui.widgets import DigitImageView, ProbabilityBars, StatLabel

#: Object names of the parts, as the Draw tab has always had them (tests find widgets by
#: them). Pass `names=` to rename some, e.g. {"input": "detailImage"} in the Dataset tab.
DEFAULT_NAMES: dict[str, str] = {
    "panel": "predictionPanel",
    "stack": "predictionStack",
    "hint": "predictionHintLabel",
    "digit": "predictionLabel",
    "confidence": "confidenceLabel",
    "runner_up": "runnerUpLabel",
    "bars": "probabilityBars",
    "input": "networkInputView",
    "caption": "networkInputCaption",
}


def format_confidence(probability: float) -> str:
    """One decimal, without claiming a certainty (100.0%, 0.0%) that softmax never reaches; the
    one format of a network's confidence wherever the app shows one."""
    if probability >= 0.9995:
        return QCoreApplication.translate("PredictionPanel", ">99.9%")
    if probability < 0.0005:
        return QCoreApplication.translate("PredictionPanel", "<0.1%")
    return format_percent(probability, 1)


def _section_title() -> QLabel:
    label = QLabel()
    label.setFont(bold_font(label.font()))
    return label


class PredictionPanel(Retranslating, QFrame):
    """Shows one prediction (`set_prediction`) or a hint while there is none (`clear`).

    `compact=False`: a column with section titles (the Draw tab). `compact=True`: one row,
    input | answer | bars, without titles (a detail pane). `add_widget` appends a caller's
    widget below the column, or under the answer in the row. The hint, the `placeholder` of the
    input view and the caption (`set_caption`) are the caller's texts: it sets them again when
    the language changes; the panel's own texts and the answer follow by themselves.
    """

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False,
                 names: Mapping[str, str] | None = None, placeholder: str | None = None) -> None:
        super().__init__(parent)
        self._names = {**DEFAULT_NAMES, **(names or {})}
        self.setObjectName(self._names["panel"])
        self._probabilities: Sequence[float] | None = None
        self._placeholder = placeholder
        self._section_titles: list[QLabel] = []
        self._build_answer()
        self._build_input(compact)
        self.bars = ProbabilityBars()
        self.bars.setObjectName(self._names["bars"])
        self._compact = compact
        self._slot = self._lay_out_row() if compact else self._lay_out_column()
        self.retranslate()

    def retranslate(self) -> None:
        """The panel's own texts, and the answer shown, in the current language."""
        self.hint_label.setAccessibleName(self.tr("Prediction hint"))
        self.prediction_label.setAccessibleName(self.tr("Predicted digit"))
        self.prediction_label.setToolTip(self.tr("The digit the network reads"))
        self.confidence_label.setAccessibleName(self.tr("Confidence"))
        self.confidence_label.setToolTip(self.tr("The probability the network gives its answer"))
        self.runner_up_label.setAccessibleName(self.tr("Second guess"))
        self.runner_up_label.setToolTip(self.tr("The digit the network finds next most likely"))
        self.network_view.set_placeholder(self.tr("nothing yet") if self._placeholder is None
                                          else self._placeholder)
        self.network_view.setAccessibleName(self.tr("What the network sees"))
        self.network_view.setToolTip(self.tr("The 28×28 picture the network is given"))
        titles = (self.tr("Prediction"), self.tr("Probability of each digit"), self.tr("What the network sees"))
        for label, text in zip(self._section_titles, titles):
            label.setText(text)
        if self._probabilities is not None:
            self._show_answer()

    # --- construction -------------------------------------------------------------------

    def _build_answer(self) -> None:
        # The hint while there is no answer, else the digit in large type and how sure it is.
        self.hint_label = muted(QLabel())
        self.hint_label.setObjectName(self._names["hint"])
        self.hint_label.setWordWrap(True)
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        hint_font = self.hint_label.font()
        hint_font.setPointSizeF(hint_font.pointSizeF() * 1.6)
        self.hint_label.setFont(hint_font)

        # StatLabels: these three change with every stroke and must not re-lay out the window.
        self.prediction_label = StatLabel()
        self.prediction_label.setObjectName(self._names["digit"])
        self.prediction_label.setFont(bold_font(self.prediction_label.font(), 6.0))
        self.prediction_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prediction_label.setMinimumWidth(
            self.prediction_label.fontMetrics().horizontalAdvance("8") + 16)
        palette = self.prediction_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, ACCENT)
        self.prediction_label.setPalette(palette)

        self.confidence_label = StatLabel()
        self.confidence_label.setObjectName(self._names["confidence"])
        confidence_font = self.confidence_label.font()
        confidence_font.setPointSizeF(confidence_font.pointSizeF() * 1.6)
        self.confidence_label.setFont(confidence_font)
        self.runner_up_label = muted(StatLabel())
        self.runner_up_label.setObjectName(self._names["runner_up"])

        answer_text = QVBoxLayout()
        answer_text.addStretch(1)
        answer_text.addWidget(self.confidence_label)
        answer_text.addWidget(self.runner_up_label)
        answer_text.addStretch(1)
        answer = QWidget()
        answer_row = QHBoxLayout(answer)
        answer_row.setContentsMargins(0, 0, 0, 0)
        answer_row.setSpacing(14)
        answer_row.addWidget(self.prediction_label)
        answer_row.addLayout(answer_text, 1)

        self.answer_stack = QStackedWidget()
        self.answer_stack.setObjectName(self._names["stack"])
        self.answer_stack.addWidget(self.hint_label)
        self.answer_stack.addWidget(answer)
        self.answer_stack.setFixedHeight(self.prediction_label.sizeHint().height() + 8)

    def _build_input(self, compact: bool) -> None:
        self.network_view = DigitImageView()
        self.network_view.setObjectName(self._names["input"])
        if compact:
            self.network_view.setMinimumSize(128, 128)
            self.network_view.setMaximumSize(200, 200)
        else:
            self.network_view.setFixedSize(140, 140)
        self.caption_label = muted(QLabel())
        self.caption_label.setObjectName(self._names["caption"])
        self.caption_label.setWordWrap(True)
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.caption_label.setVisible(False)

    def _lay_out_column(self) -> QBoxLayout:
        seen_row = QHBoxLayout()
        seen_row.setSpacing(12)
        seen_row.addWidget(self.network_view, 0, Qt.AlignmentFlag.AlignTop)
        seen_row.addWidget(self.caption_label, 1)
        self._section_titles = [_section_title() for _ in range(3)]
        column = QVBoxLayout(self)
        column.setSpacing(SPACING)
        column.addWidget(self._section_titles[0])
        column.addWidget(self.answer_stack)
        column.addWidget(self._section_titles[1])
        column.addWidget(self.bars, 1)
        column.addSpacing(6)
        column.addWidget(self._section_titles[2])
        column.addLayout(seen_row)
        return column

    def _lay_out_row(self) -> QBoxLayout:
        self.bars.setMinimumSize(140, 150)
        middle = QVBoxLayout()
        middle.setSpacing(4)
        middle.addWidget(self.answer_stack)
        middle.addWidget(self.caption_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.network_view, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(middle, 1)
        row.addWidget(self.bars, 1)
        return middle

    # --- public API ---------------------------------------------------------------------

    def add_widget(self, widget: QWidget) -> None:
        """A caller's own line (e.g. which model answered) below the answer."""
        if not self._compact:
            self._slot.addSpacing(6)
        self._slot.addWidget(widget)

    def set_caption(self, text: str) -> None:
        """A line beside the input view saying how it was made; "" hides it."""
        self.caption_label.setText(text)
        self.caption_label.setVisible(bool(text))

    def add_under_answer(self, widget: QWidget) -> None:
        """A caller's controls right under the answer (e.g. the Draw tab's Save as my digit)."""
        self._slot.insertWidget(self._slot.indexOf(self.answer_stack) + 1, widget)

    def set_prediction(self, probabilities: Sequence[float] | None, pixels: np.ndarray | None) -> None:
        """Show the ten probabilities (the answer is the likeliest digit) and the network's
        28×28 input; None for the probabilities is `clear()`."""
        if probabilities is None:
            self.clear()
            return
        self._probabilities = probabilities
        self._show_answer()
        self.answer_stack.setCurrentIndex(1)
        self.bars.set_probabilities(probabilities)
        self.network_view.set_pixels(pixels)

    def _show_answer(self) -> None:
        probabilities = self._probabilities
        ranked = sorted(range(len(probabilities)), key=probabilities.__getitem__, reverse=True)
        digit, runner_up = ranked[0], ranked[1]
        self.prediction_label.setText(str(digit))
        self.confidence_label.setText(arg(self.tr("%1 sure"), self.percent(probabilities[digit])))
        self.prediction_label.setAccessibleDescription(self.confidence_label.text())
        self.runner_up_label.setText(arg(self.tr("next best: %1 (%2)"), runner_up,
                                         self.percent(probabilities[runner_up])))

    def clear(self, hint: str = "") -> None:
        """No answer: `hint` says why (or what to do) in its place."""
        self._probabilities = None
        self.prediction_label.setText("")
        self.prediction_label.setAccessibleDescription("")
        self.confidence_label.setText("")
        self.runner_up_label.setText("")
        self.hint_label.setText(hint)
        self.answer_stack.setCurrentIndex(0)
        self.bars.set_probabilities(None)
        self.network_view.set_pixels(None)

    def percent(self, probability: float) -> str:
        """The confidence format every view shares (`format_confidence`)."""
        return format_confidence(probability)
