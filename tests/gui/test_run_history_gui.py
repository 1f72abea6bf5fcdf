"""The Train tab's run history as a user meets it (issue 15): every GUI run is kept like a
command-line run, the *Past runs* page lists the runs (also the CLI's, after a refresh),
overlays the selected runs' curves named by what sets them apart, reopens a run's model, deletes
runs after naming them, survives a restart and shows unreadable run files without touching them.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from lenet_app.core import load_model
from lenet_app.core.architectures import shipped_models
from lenet_app.core.checkpoint import TrainedModel, save_model
from lenet_app.core.config import TrainConfig
from lenet_app.core.finetune import MIN_OWN_DIGITS
from lenet_app.core.mnist import load_split
from lenet_app.core.models import create_model
from lenet_app.core.my_digits import MyDigitsStore
from lenet_app.core.run_history import RunHistory, RunRecord
from lenet_app.core.training import Finished
from lenet_app.gui import language
from lenet_app.gui.jobs import JobRunner, running_jobs
from lenet_app.gui.my_digits_state import MyDigitsState
from lenet_app.gui.run_history_state import RunHistoryState
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.text import format_percent
from lenet_app.gui.train import TrainTab
from lenet_app.gui.train.run_charts import (
    RUN_COLOURS,
    RunsLossChart,
    ShownRun,
    accuracy_curve,
    loss_curve,
    run_labels,
)
from lenet_app.gui.train.run_history_view import RunColumn
from tests.gui.test_chart_export import choose_file, csv_rows, export_action, export_button
from tests.gui.visible_texts import untranslated, visible_texts

RUN_TIMEOUT_MS = 60_000
PAST_RUNS_PAGE = 2
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- helpers ------------------------------------------------------------------------------


def add_run(history: RunHistory, run_id: str, created: str, surface: str = "cli", epochs: int = 3,
            checkpoint: bool = False, **config) -> RunRecord:
    """A finished run as `lenet-app train` would have recorded it: a loss falling batch by
    batch (80 batches an epoch) and a test accuracy rising each epoch; `config` overrides the
    default recipe (optimizer=…, lr=…); `checkpoint` also writes its model."""
    recipe = TrainConfig(epochs=epochs, subset=5000, **config)
    speed = 40.0 if recipe.optimizer == "adam" else 70.0
    batch_loss = [round(2.3 * math.exp(-step / speed) + 0.05, 6) for step in range(80 * epochs)]
    rows = [{"epoch": e, "train_loss": 0.3 / e, "train_accuracy": 0.9 + 0.02 * e, "test_loss": 0.2 / e,
             "test_accuracy": 0.9 + 0.02 * e + (0.01 if recipe.optimizer == "adam" else 0.0), "seconds": 2.0}
            for e in range(1, epochs + 1)]
    record = RunRecord(id=run_id, architecture=recipe.architecture, config=recipe.to_dict(), created=created,
                       surface=surface, device="cpu", images=5000, status="finished",
                       test_accuracy=rows[-1]["test_accuracy"], seconds=12.5, epochs_trained=epochs,
                       steps_per_epoch=80, batch_loss=batch_loss, epochs=rows, checkpoint=f"{run_id}.pt")
    history.save(record)
    if checkpoint:
        save_model(history.checkpoint_path(record), TrainedModel(recipe.architecture,
                                                                 create_model(recipe.architecture).eval(), {}))
    return record


def _untrained() -> TrainedModel:
    return TrainedModel("lenet5", create_model("lenet5").eval(), {})


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """This test's own user data folder, so its run history starts empty."""
    folder = tmp_path / "data"
    monkeypatch.setenv("LENET_APP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def history(data_dir) -> RunHistory:
    return RunHistory()


@pytest.fixture
def make_tab(qtbot, data_dir):
    """Train tabs (a new one is a restart: it reads the history from disk); each is shut down
    after the test, so no run is left going."""
    tabs = []

    def make(dataset: DatasetState | None = None, active_model: ActiveModel | None = None,
             my_digits: MyDigitsState | None = None) -> TrainTab:
        dataset = dataset if dataset is not None else DatasetState()
        tab = TrainTab(dataset, active_model or ActiveModel(_untrained()), JobRunner(), my_digits)
        tab._test_state = (dataset, tab.active_model, tab.jobs, my_digits)  # keep them alive
        qtbot.addWidget(tab)
        tab.resize(1280, 860)
        tab.show()
        tabs.append(tab)
        _wait_until_read(tab)
        return tab

    yield make
    language.use_language("en")
    for tab in tabs:
        assert tab.jobs.shutdown(timeout_s=RUN_TIMEOUT_MS / 1000)
    assert running_jobs() == 0


@pytest.fixture(scope="module")
def splits(mnist_dir):
    return {"train": load_split(mnist_dir, "train"), "test": load_split(mnist_dir, "test")}


@pytest.fixture
def mnist(mnist_dir, splits) -> DatasetState:
    dataset = DatasetState()
    dataset.set_loaded(mnist_dir, splits)
    return dataset


def _short_recipe(tab: TrainTab) -> None:
    form = tab.form
    form.subset_spin.setValue(2000)
    form.epochs_spin.setValue(1)
    form.batch_size_spin.setValue(128)
    form.device_combo.setCurrentIndex(form.device_combo.findData("cpu"))


def _click(widget, modifier=Qt.KeyboardModifier.NoModifier, pos: QPoint | None = None) -> None:
    assert widget.isEnabled(), f"{widget.objectName()} is disabled"
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, modifier, pos if pos is not None else QPoint())


def _show_past_runs(tab: TrainTab) -> None:
    bar = tab.views.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     bar.tabRect(PAST_RUNS_PAGE).center())
    assert tab.views.currentWidget() is tab.past_runs
    _wait_until_read(tab)


def _wait_until_read(tab: TrainTab) -> None:
    """The history is read on a job (at start-up, when Past runs is shown, after a run)."""
    deadline = time.monotonic() + 10
    while tab.run_history.loading:
        assert time.monotonic() < deadline, "the run history was not read in 10 s"
        QTest.qWait(10)


def _row_of(tab: TrainTab, run_id: str) -> int:
    proxy = tab.past_runs.proxy
    rows = [row for row in range(proxy.rowCount()) if proxy.index(row, 0).data(Qt.ItemDataRole.UserRole) == run_id]
    assert rows, f"{run_id} is not listed"
    return rows[0]


def _click_run(tab: TrainTab, run_id: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    table = tab.past_runs.table
    rect = table.visualRect(tab.past_runs.proxy.index(_row_of(tab, run_id), RunColumn.ARCHITECTURE))
    _click(table.viewport(), modifier, rect.center())


def _cell(tab: TrainTab, run_id: str, column: RunColumn) -> str:
    return tab.past_runs.proxy.index(_row_of(tab, run_id), column).data()


def _listed(tab: TrainTab) -> list[str]:
    proxy = tab.past_runs.proxy
    return [proxy.index(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(proxy.rowCount())]


def _series(chart_view) -> dict[str, object]:
    return {series.name(): series for series in chart_view.chart().series()}


# --- recording runs -------------------------------------------------------------------------


def test_a_short_gui_run_is_listed_when_it_ends_and_after_a_restart(qtbot, make_tab, mnist, history):
    tab = make_tab(mnist)
    _short_recipe(tab)
    _show_past_runs(tab)
    assert _listed(tab) == [] and "No runs yet" in tab.past_runs.selection_label.text()
    _click(tab.start_button)
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=RUN_TIMEOUT_MS)
    assert isinstance(tab.ended_event, Finished)
    run_id = tab.run.run_id
    qtbot.waitUntil(lambda: _listed(tab) == [run_id])  # read again once the record is complete

    # On disk exactly like a CLI run: runs/ID.json beside runs/ID.pt.
    assert history.record_path(run_id).is_file() and tab.trainer.checkpoint_path == history.folder / f"{run_id}.pt"
    data = json.loads(history.record_path(run_id).read_text(encoding="utf-8"))
    assert (data["surface"], data["status"], data["epochs_trained"]) == ("gui", "finished", 1)
    assert len(data["batch_loss"]) == 16 and data["steps_per_epoch"] == 16  # ceil(2000 / 128)
    assert (_cell(tab, run_id, RunColumn.STATUS), _cell(tab, run_id, RunColumn.SURFACE)) == ("Finished", "GUI")
    assert _cell(tab, run_id, RunColumn.ACCURACY) == format_percent(tab.ended_event.test_accuracy)
    assert _cell(tab, run_id, RunColumn.EPOCHS) == "1" and _cell(tab, run_id, RunColumn.DEVICE) == "cpu"
    assert "2,000 images" in _cell(tab, run_id, RunColumn.SETTINGS)

    # A restart: a new tab reads the same folder and lists the run; its curves come from disk.
    again = make_tab()
    _show_past_runs(again)
    assert _listed(again) == [run_id]
    _click_run(again, run_id)
    loss, accuracy = _series(again.past_runs.loss_chart), _series(again.past_runs.accuracy_chart)
    assert list(loss) == list(accuracy) == [run_id]  # one run: named by its id
    assert loss[run_id].count() == 16 and accuracy[run_id].count() == 1
    assert accuracy[run_id].at(0).y() == pytest.approx(tab.ended_event.test_accuracy * 100)


def test_a_fine_tune_is_recorded_with_the_model_it_started_from(qtbot, make_tab, mnist, splits, tmp_path, history):
    shipped = load_model()
    my_digits = MyDigitsState(MyDigitsStore(tmp_path / "my-digits"))
    for index in range(2 * MIN_OWN_DIGITS):
        assert my_digits.add(splits["test"].images[index], int(splits["test"].labels[index]), "drawn")
    tab = make_tab(mnist, ActiveModel(shipped), my_digits)
    _short_recipe(tab)
    _click(tab.finetune_button)
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=RUN_TIMEOUT_MS)
    assert isinstance(tab.ended_event, Finished)
    record = history.load(tab.run.run_id)
    assert record.surface == "gui" and record.status == "finished"
    assert record.started_from == str(shipped.path)
    assert history.checkpoint_path(record).is_file()


def test_the_live_run_is_listed_but_cannot_be_deleted_or_opened_while_it_runs(qtbot, make_tab, mnist):
    tab = make_tab(mnist)
    _short_recipe(tab)
    _click(tab.start_button)
    _click(tab.pause_button)
    qtbot.waitUntil(lambda: bool(tab.run.run_id), timeout=RUN_TIMEOUT_MS)  # prepared and recorded
    _show_past_runs(tab)  # showing the page reads the history again
    run_id = tab.run.run_id
    assert _listed(tab) == [run_id] and _cell(tab, run_id, RunColumn.STATUS) == "Running"
    _click_run(tab, run_id)
    assert not tab.past_runs.delete_button.isEnabled() and not tab.past_runs.open_button.isEnabled()
    assert tab.loss_chart.isVisible() is False  # the live charts are on their own page
    _click(tab.stop_button)
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=RUN_TIMEOUT_MS)
    qtbot.waitUntil(lambda: _cell(tab, run_id, RunColumn.STATUS) == "Stopped")
    assert tab.past_runs.delete_button.isEnabled() and tab.past_runs.open_button.isEnabled()


# --- comparing ------------------------------------------------------------------------------


def test_selecting_two_runs_overlays_their_curves_named_by_what_differs(qtbot, make_tab, history):
    sgd = add_run(history, "lenet5-20260101-100000", "2026-01-01T10:00:00", optimizer="sgd", lr=0.05)
    adam = add_run(history, "lenet5-20260102-100000", "2026-01-02T10:00:00", surface="gui")
    add_run(history, "lenet5-20260103-100000", "2026-01-03T10:00:00", batch_size=128)
    tab = make_tab()
    _show_past_runs(tab)
    assert _listed(tab)[:2] == ["lenet5-20260103-100000", adam.id]  # newest first
    _click_run(tab, sgd.id)
    _click_run(tab, adam.id, Qt.KeyboardModifier.ControlModifier)
    assert [r.id for r in tab.past_runs.selected_records()] == [adam.id, sgd.id]
    assert "2 of 3 run(s) selected" == tab.past_runs.selection_label.text()

    loss, accuracy = _series(tab.past_runs.loss_chart), _series(tab.past_runs.accuracy_chart)
    names = {"optimizer=sgd lr=0.05", "optimizer=adam lr=0.006"}
    assert set(loss) == set(accuracy) == names  # two series per chart, named by their difference
    for name in names:  # one colour per run, the same on both charts, and different runs differ
        assert loss[name].pen().color() == accuracy[name].pen().color()
    assert loss["optimizer=sgd lr=0.05"].pen().color() != loss["optimizer=adam lr=0.006"].pen().color()
    assert loss["optimizer=adam lr=0.006"].count() == len(loss_curve(adam)[0]) == 240
    assert accuracy["optimizer=sgd lr=0.05"].count() == 3
    assert accuracy["optimizer=adam lr=0.006"].at(2).y() == pytest.approx(97.0)
    assert tab.past_runs.loss_chart.chart().legend().isVisible()
    assert tab.loss_chart.point_count() == 0 and tab.accuracy_chart.point_count() == 0  # live charts untouched

    # A third run joins with its own colour; the others keep theirs.
    sgd_colour = loss["optimizer=sgd lr=0.05"].pen().color()
    _click_run(tab, "lenet5-20260103-100000", Qt.KeyboardModifier.ControlModifier)
    loss = _series(tab.past_runs.loss_chart)
    assert set(loss) == {"batch_size=64 optimizer=sgd lr=0.05", "batch_size=64 optimizer=adam lr=0.006",
                         "batch_size=128 optimizer=adam lr=0.006"}  # in the recipe's order
    assert loss["batch_size=64 optimizer=sgd lr=0.05"].pen().color() == sgd_colour
    assert len({series.pen().color().name() for series in loss.values()}) == 3

    # Log scale: the same runs on a log axis.
    tab.past_runs.log_scale_check.click()
    assert tab.past_runs.loss_chart.log_scale() and len(tab.past_runs.loss_chart.chart().series()) == 3


def _legend_entries(chart) -> list:
    """Where the chart's legend drew each run's entry (colour square and name), in the view."""
    return [entry.sceneBoundingRect() for group in chart.chart().legend().childItems()
            for entry in group.childItems()]


def test_a_longer_name_after_a_shorter_one_is_shown_whole(qtbot, history):
    """Qt wraps a legend's row by guessing that the next name is as wide as the last one: a
    longer name after a shorter one ran off the chart's right edge."""
    short = add_run(history, "lenet5-20260101-100000", "2026-01-01T10:00:00", optimizer="sgd", lr=0.01,
                    schedule="none")
    long = add_run(history, "lenet5-20260102-100000", "2026-01-02T10:00:00")
    records = [short, long]
    chart = RunsLossChart()
    qtbot.addWidget(chart)
    chart.resize(560, 300)  # wider than two short names, narrower than the two names
    chart.show()
    chart.show_runs([ShownRun(record, label, RUN_COLOURS[i])
                     for i, (record, label) in enumerate(zip(records, run_labels(records)))])
    QCoreApplication.processEvents()
    entries = _legend_entries(chart)
    assert len(entries) == 2
    assert all(0 <= entry.left() and entry.right() <= chart.width() for entry in entries)
    assert all(entry.bottom() <= chart.height() for entry in entries)
    chart.resize(1000, 300)  # room for both: one row
    QCoreApplication.processEvents()
    entries = _legend_entries(chart)
    assert entries[0].top() == entries[1].top() and entries[1].right() <= chart.width()


def test_legend_names_fall_back_to_the_id_and_ignore_settings_that_do_not_apply():
    def record(run_id: str, **config) -> RunRecord:
        return RunRecord(id=run_id, architecture="lenet5", config=TrainConfig(**config).to_dict(), created="")

    same = [record("a"), record("b")]
    assert run_labels(same) == ["a", "b"]  # equal recipes: the ids
    assert run_labels([record("a", optimizer="sgd")]) == ["a"]  # one run: its id
    # Momentum differs, but only matters for SGD; lr differs for both.
    runs = [record("a", optimizer="sgd", lr=0.05, momentum=0.9), record("b", optimizer="adam", momentum=0.5)]
    assert run_labels(runs) == ["optimizer=sgd lr=0.05", "optimizer=adam lr=0.006"]
    # Two of three runs alike: their names get the id.
    three = [record("a", seed=1), record("b", seed=1), record("c", seed=2)]
    assert run_labels(three) == ["seed=1 · a", "seed=1 · b", "seed=2"]
    # Old records without a test accuracy per epoch have no accuracy curve (no NaN points).
    old = record("d")
    old.epochs = [{"epoch": 1, "test_accuracy": None}]
    assert accuracy_curve(old)[0].tolist() == []


# --- open, delete, refresh ------------------------------------------------------------------


def test_open_model_makes_the_run_active_and_a_missing_checkpoint_is_explained(qtbot, make_tab, history,
                                                                               monkeypatch):
    run = add_run(history, "cnn-bn-20260101-100000", "2026-01-01T10:00:00", checkpoint=True, architecture="cnn-bn")
    tab = make_tab()
    _show_past_runs(tab)
    assert not tab.past_runs.open_button.isEnabled()  # nothing selected
    _click_run(tab, run.id)
    with qtbot.waitSignal(tab.active_model.loaded, timeout=30_000) as loaded:
        _click(tab.past_runs.open_button)
    assert loaded.args == [str(history.checkpoint_path(run))]
    assert tab.active_model.model.architecture == "cnn-bn"

    history.checkpoint_path(run).unlink()  # deleted by hand
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text)))
    before = tab.active_model.model
    _click(tab.past_runs.open_button)
    assert shown == [("Cannot open model", shown[0][1])]
    assert "is gone" in shown[0][1] and str(history.checkpoint_path(run)) in shown[0][1]
    assert tab.active_model.model is before and running_jobs() == 0


def test_delete_names_the_runs_and_removes_both_files_only_when_confirmed(qtbot, make_tab, history, monkeypatch):
    first = add_run(history, "lenet5-20260101-100000", "2026-01-01T10:00:00", checkpoint=True)
    second = add_run(history, "lenet5-20260102-100000", "2026-01-02T10:00:00", checkpoint=True, lr=0.01)
    kept = add_run(history, "lenet5-20260103-100000", "2026-01-03T10:00:00")
    tab = make_tab()
    _show_past_runs(tab)
    _click_run(tab, first.id)
    _click_run(tab, second.id, Qt.KeyboardModifier.ShiftModifier)
    asked, answers = [], [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(parent, title, text, *args):
        asked.append((title, text))
        return answers[len(asked) - 1]

    monkeypatch.setattr(QMessageBox, "question", question)
    files = [history.record_path(first.id), history.checkpoint_path(first),
             history.record_path(second.id), history.checkpoint_path(second)]
    _click(tab.past_runs.delete_button)  # "No": nothing changes
    assert all(path.exists() for path in files) and len(_listed(tab)) == 3
    assert asked[0][0] == "Delete runs" and first.id in asked[0][1] and second.id in asked[0][1]
    assert kept.id not in asked[0][1] and "2 run(s)" in asked[0][1]
    _click(tab.past_runs.delete_button)  # "Yes"
    assert not any(path.exists() for path in files)
    assert _listed(tab) == [kept.id] and history.record_path(kept.id).exists()
    assert tab.past_runs.loss_chart.chart().series() == [] and not tab.past_runs.delete_button.isEnabled()


def test_the_history_is_read_on_a_job_and_asks_meanwhile_are_one_more_read(qtbot, history, monkeypatch):
    """Each record holds every batch's loss: the window must not wait for them at start-up or
    after a run. Refreshes asked for during a read are served by a single read after it."""
    add_run(history, "lenet5-20260101-100000", "2026-01-01T10:00:00", checkpoint=True)
    readers, release = [], threading.Event()
    real_runs = RunHistory.runs

    def runs(self):
        readers.append(threading.current_thread())
        assert release.wait(10)
        return real_runs(self)

    monkeypatch.setattr(RunHistory, "runs", runs)
    jobs = JobRunner()
    changed = []
    state = RunHistoryState(jobs, history)
    state.changed.connect(lambda: changed.append(len(state.records)))
    try:
        assert state.loading and state.records == [] and [m.name for m in state.models] == shipped_models()
        state.refresh()
        state.refresh()
        release.set()
        qtbot.waitUntil(lambda: not state.loading)
        assert len(readers) == 2 and threading.main_thread() not in readers
        assert changed == [1, 1] and state.model_entry("lenet5-20260101-100000") is not None
    finally:
        release.set()
        assert jobs.shutdown()


def test_runs_from_the_command_line_appear_on_refresh_and_when_the_page_is_shown(qtbot, make_tab, history):
    add_run(history, "lenet5-20260101-100000", "2026-01-01T10:00:00", surface="gui")
    tab = make_tab()
    _show_past_runs(tab)
    _click_run(tab, "lenet5-20260101-100000")
    add_run(history, "lenet5-20260102-100000", "2026-01-02T10:00:00")  # `lenet-app train` meanwhile
    assert len(_listed(tab)) == 1
    _click(tab.past_runs.refresh_button)
    _wait_until_read(tab)
    assert _listed(tab) == ["lenet5-20260102-100000", "lenet5-20260101-100000"]
    assert _cell(tab, "lenet5-20260102-100000", RunColumn.SURFACE) == "CLI"
    assert [r.id for r in tab.past_runs.selected_records()] == ["lenet5-20260101-100000"]  # kept
    add_run(history, "lenet5-20260103-100000", "2026-01-03T10:00:00")
    tab.views.setCurrentIndex(0)
    _show_past_runs(tab)
    assert len(_listed(tab)) == 3


def test_unreadable_run_files_are_shown_kept_and_do_not_hide_the_others(qtbot, make_tab, history):
    add_run(history, "lenet5-20260101-100000", "2026-01-01T10:00:00")
    add_run(history, "lenet5-20260102-100000", "2026-01-02T10:00:00")
    broken = history.folder / "lenet5-20251231-100000.json"
    broken.write_text('{"format": "lenet-app-run", "id"', encoding="utf-8")
    stranger = history.folder / "notes.json"
    stranger.write_text('{"hello": 1}', encoding="utf-8")
    tab = make_tab()
    _show_past_runs(tab)
    banner = tab.past_runs.problems_banner
    assert banner.isVisible() and banner.text().startswith("2 run file(s) could not be read")
    assert str(broken) in banner.toolTip() and str(stranger) in banner.toolTip()
    assert len(_listed(tab)) == 2
    assert broken.exists() and stranger.exists()  # never deleted
    stranger.unlink()
    broken.unlink()
    _click(tab.past_runs.refresh_button)
    _wait_until_read(tab)
    assert not banner.isVisible()


def test_past_runs_charts_export_their_overlaid_runs(qtbot, make_tab, history, tmp_path, monkeypatch):
    add_run(history, "lenet5-20260101-100000", "2026-01-01T10:00:00", optimizer="sgd", lr=0.05)
    add_run(history, "lenet5-20260102-100000", "2026-01-02T10:00:00", epochs=2)
    tab = make_tab()
    notes = []
    tab.past_runs.note.connect(lambda line: notes.append(line()))
    _show_past_runs(tab)
    _click_run(tab, "lenet5-20260101-100000")
    _click_run(tab, "lenet5-20260102-100000", Qt.KeyboardModifier.ControlModifier)
    accuracy = tab.past_runs.accuracy_chart

    choose_file(monkeypatch, tmp_path / "compare.csv")
    export_action(export_button(accuracy), "Save curves as CSV…").trigger()
    rows = csv_rows(tmp_path / "compare.csv")
    adam, sgd = "epochs=2 optimizer=adam lr=0.006", "epochs=3 optimizer=sgd lr=0.05"
    assert rows[0] == [f"{adam} · Epoch", f"{adam} · Test accuracy (%)", f"{sgd} · Epoch", f"{sgd} · Test accuracy (%)"]
    assert len(rows) - 1 == 3 and rows[3] == ["", "", "3", "96"]  # the shorter run leaves its cells empty

    choose_file(monkeypatch, tmp_path / "compare.svg")
    export_action(export_button(tab.past_runs.loss_chart), "Save chart as PNG/SVG…").trigger()
    svg = (tmp_path / "compare.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and ">Training loss (smoothed)<" in svg and f">{sgd}<" in svg  # title, legend
    choose_file(monkeypatch, tmp_path / "compare.png")
    export_action(export_button(tab.past_runs.loss_chart), "Save chart as PNG/SVG…").trigger()
    assert not QImage(str(tmp_path / "compare.png")).isNull()
    assert notes == [f"Saved the curves to {tmp_path / 'compare.csv'}", f"Saved the chart to {tmp_path / 'compare.svg'}",
                     f"Saved the chart to {tmp_path / 'compare.png'}"]
    assert f"Saved the chart to {tmp_path / 'compare.png'}" in tab.log.toPlainText()  # said in the run log


# --- language -------------------------------------------------------------------------------


def _page_texts(tab: TrainTab) -> dict[str, str]:
    """The page's visible texts and tooltips, without the legend's names: those are the runs'
    settings as the command line spells them (optimizer=sgd lr=0.05), the same in any language."""
    return {place: text for place, text in visible_texts(tab, tooltips=True).items()
            if not ("#series" in place and "past" in place)}


def test_the_past_runs_page_switches_language_and_back(qtbot, make_tab, history):
    add_run(history, "lenet5-20260101-100000", "2026-01-01T10:00:00", optimizer="sgd", lr=0.05)
    add_run(history, "lenet5-20260102-100000", "2026-01-02T10:00:00")
    add_run(history, "lenet5-20260103-100000", "2026-01-03T10:00:00", epochs=1)
    history.record_path("lenet5-20260104-100000").write_text("{", encoding="utf-8")
    language.use_language("en")
    tab = make_tab()
    _show_past_runs(tab)
    _click_run(tab, "lenet5-20260101-100000")
    _click_run(tab, "lenet5-20260102-100000", Qt.KeyboardModifier.ControlModifier)
    english = _page_texts(tab)
    cells = [_cell(tab, "lenet5-20260101-100000", column) for column in RunColumn]
    assert english and tab.past_runs.problems_banner.isVisible()
    announced = []
    tab.run_history.problems_found.connect(announced.append)
    try:
        language.use_language("zh_CN")
        qtbot.waitUntil(lambda: CJK.search(tab.past_runs.selection_label.text()) is not None)
        _wait_until_read(tab)  # the unreadable file's reason, formed again in Chinese
        assert CJK.search(tab.past_runs.problems_banner.toolTip())
        assert untranslated(_page_texts(tab)) == {}
        for column in (RunColumn.STATUS, RunColumn.DURATION, RunColumn.SURFACE):
            assert CJK.search(_cell(tab, "lenet5-20260101-100000", column)), column
        assert CJK.search(tab.past_runs.model.headerData(RunColumn.DATE, Qt.Orientation.Horizontal))
    finally:
        language.use_language("en")
    qtbot.waitUntil(lambda: _page_texts(tab) == english)
    assert [_cell(tab, "lenet5-20260101-100000", column) for column in RunColumn] == cells
    assert announced == [], "the same unreadable file, said in another language, is no new problem"
