"""Saving the Train tab's charts (issue 15): every chart saves itself as PNG or SVG and its
curves as CSV, from its Export button or its context menu; a place that cannot be written is one
dialog, and a file already there is left as it was. (The Past runs charts: test_run_history_gui.)"""

from __future__ import annotations

import csv
import io
import os

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.train.chart_export import ChartExportButton
from lenet_app.gui.train.chart_panel import ChartPanel
from lenet_app.gui.train.run_state import TrainingRun


@pytest.fixture
def panel(qtbot):
    """The live charts after a 2-epoch run of 25 batches an epoch (fed as the run would)."""
    run = TrainingRun(JobRunner())
    widget = ChartPanel(run)
    widget._test_run = run
    qtbot.addWidget(widget)
    widget.resize(900, 360)
    widget.show()
    widget.loss_chart.begin_run(0, 2, 25)
    widget.accuracy_chart.begin_run(0, 2)
    for step in range(1, 51):
        widget.loss_chart.add_batch(step / 25, 2.3 / step)
    widget.accuracy_chart.add_epoch(1, 0.91, 0.93)
    widget.accuracy_chart.add_epoch(2, 0.95, 0.96)
    widget.loss_chart.refresh()
    widget.accuracy_chart.refresh()
    return widget


def choose_file(monkeypatch, path, chosen_filter: str = "") -> list[tuple]:
    """The save dialog answers `path`; returns what it was asked (title, suggested name, filters)."""
    asked = []

    def dialog(parent, title, suggested, filters, *args, **kwargs):
        asked.append((title, suggested, filters))
        return str(path), chosen_filter or filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    return asked


def export_button(chart) -> ChartExportButton:
    button = chart.parentWidget().findChild(ChartExportButton)
    assert button is not None and button.isVisible() and button.text() == "Export"
    return button


def export_action(button: ChartExportButton, text: str):
    actions = {action.text(): action for action in button.menu().actions()}
    assert list(actions) == ["Save chart as PNG/SVG…", "Save curves as CSV…"]
    return actions[text]


def csv_rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_live_charts_save_as_png_svg_and_csv(qtbot, panel, tmp_path, monkeypatch):
    button = export_button(panel.loss_chart)
    asked = choose_file(monkeypatch, tmp_path / "loss.png")
    export_action(button, "Save chart as PNG/SVG…").trigger()
    assert asked[0][0] == "Save chart" and asked[0][1].endswith("training-loss.png")
    assert "PNG image (*.png)" in asked[0][2] and "SVG image (*.svg)" in asked[0][2]
    image = QImage(str(tmp_path / "loss.png"))
    assert not image.isNull() and image.width() >= panel.loss_chart.width()

    # No suffix typed, SVG chosen in the dialog's filter: an .svg file.
    choose_file(monkeypatch, tmp_path / "loss", "SVG image (*.svg)")
    export_action(button, "Save chart as PNG/SVG…").trigger()
    svg = (tmp_path / "loss.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Training loss" in svg

    asked = choose_file(monkeypatch, tmp_path / "loss.csv")
    export_action(button, "Save curves as CSV…").trigger()
    assert asked[0][0] == "Save curves" and asked[0][1].endswith("training-loss.csv")
    rows = csv_rows(tmp_path / "loss.csv")
    assert rows[0] == ["Loss per batch · Epoch", "Loss per batch · Loss",
                       "Smoothed (moving average) · Epoch", "Smoothed (moving average) · Loss"]
    assert len(rows) - 1 == panel.loss_chart.raw_series.count() == 50  # one row per point
    assert float(rows[1][0]) == pytest.approx(1 / 25) and float(rows[1][1]) == pytest.approx(2.3)

    choose_file(monkeypatch, tmp_path / "accuracy.csv")
    export_action(export_button(panel.accuracy_chart), "Save curves as CSV…").trigger()
    rows = csv_rows(tmp_path / "accuracy.csv")
    assert rows == [["Train · Epoch", "Train · Accuracy (%)", "Test · Epoch", "Test · Accuracy (%)"],
                    ["1", "91", "1", "93"], ["2", "95", "2", "96"]]


def test_the_context_menu_offers_the_same(qtbot, panel, tmp_path, monkeypatch):
    choose_file(monkeypatch, tmp_path / "accuracy.csv")
    chosen = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        chosen.append([action.text() for action in menu.actions()])
        menu.actions()[1].trigger()
        menu.close()

    QTimer.singleShot(0, pick)
    chart = panel.accuracy_chart
    chart.customContextMenuRequested.emit(QPoint(chart.width() // 2, chart.height() // 2))
    assert chosen == [["Save chart as PNG/SVG…", "Save curves as CSV…"]]
    assert len(csv_rows(tmp_path / "accuracy.csv")) == 3


def test_an_unwritable_place_is_one_message_and_the_old_file_stays(qtbot, panel, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text)))
    missing = tmp_path / "no-such-folder" / "loss.png"
    choose_file(monkeypatch, missing)
    export_action(export_button(panel.loss_chart), "Save chart as PNG/SVG…").trigger()
    assert shown == [("Cannot save chart", shown[0][1])] and str(missing) in shown[0][1]
    assert not missing.parent.exists()

    # The disk fills up at the last moment: the earlier file is intact and no temporary is left.
    target = tmp_path / "curves.csv"
    target.write_bytes(b"earlier")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    choose_file(monkeypatch, target)
    export_action(export_button(panel.loss_chart), "Save curves as CSV…").trigger()
    monkeypatch.undo()
    assert shown[1][0] == "Cannot save curves" and "No space left on device" in shown[1][1]
    assert target.read_bytes() == b"earlier" and sorted(p.name for p in tmp_path.iterdir()) == ["curves.csv"]
