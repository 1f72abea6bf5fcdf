"""The prediction panel the Draw tab and the Dataset detail pane share."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QStackedWidget

from lenet_app.gui.prediction_panel import PredictionPanel
from lenet_app.gui.widgets import DigitImageView, ProbabilityBars

PROBABILITIES = [0.001, 0.0002, 0.05, 0.9, 0.0, 0.0288, 0.01, 0.0, 0.01, 0.0]


def shown_page(panel: PredictionPanel) -> str:
    return panel.findChild(QStackedWidget, "predictionStack").currentWidget().objectName()


@pytest.mark.parametrize("compact", [False, True], ids=["column", "row"])
def test_shows_a_prediction_and_clears(qtbot, compact):
    panel = PredictionPanel(compact=compact)
    qtbot.addWidget(panel)
    pixels = np.arange(28 * 28, dtype=np.uint8).reshape(28, 28)
    panel.set_prediction(PROBABILITIES, pixels)
    assert panel.findChild(QLabel, "predictionLabel").text() == "3"
    assert panel.findChild(QLabel, "confidenceLabel").text() == "90.0% sure"
    assert panel.findChild(QLabel, "runnerUpLabel").text() == "next best: 2 (5.0%)"
    assert shown_page(panel) != "predictionHintLabel"
    assert panel.findChild(ProbabilityBars, "probabilityBars").probabilities() == pytest.approx(PROBABILITIES)
    assert np.array_equal(panel.findChild(DigitImageView, "networkInputView").pixels(), pixels)

    panel.clear("Draw a digit")
    assert panel.findChild(QLabel, "predictionLabel").text() == ""
    assert shown_page(panel) == "predictionHintLabel"
    assert panel.findChild(QLabel, "predictionHintLabel").text() == "Draw a digit"
    assert panel.findChild(ProbabilityBars, "probabilityBars").probabilities() is None
    assert panel.findChild(DigitImageView, "networkInputView").pixels() is None


def test_extremes_claim_no_certainty(qtbot):
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    panel.set_prediction([1.0] + [0.0] * 9, None)
    assert panel.findChild(QLabel, "confidenceLabel").text() == ">99.9% sure"
    assert panel.findChild(QLabel, "runnerUpLabel").text().endswith("(<0.1%)")


def test_names_can_be_changed_and_widgets_added(qtbot):
    panel = PredictionPanel(compact=True, names={"panel": "detailPredictionPanel", "input": "detailImage"},
                            placeholder="28 × 28")
    qtbot.addWidget(panel)
    extra = QLabel("True label: 3")
    panel.add_widget(extra)
    assert panel.objectName() == "detailPredictionPanel"
    assert panel.findChild(DigitImageView, "detailImage") is not None
    assert panel.findChild(DigitImageView, "networkInputView") is None
    assert extra.parent() is panel
    assert not panel.findChild(QLabel, "networkInputCaption").isVisibleTo(panel)  # no caption given
