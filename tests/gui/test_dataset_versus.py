"""Two models on the same test set, as a user compares them in the Dataset tab: choose a second
model, wait for its predictions, filter to the images only one of them gets right, read the
agreement table and the detail pane, and switch the comparison off again; a checkpoint that cannot
be loaded says so once and changes nothing else. Checked against the core's own evaluation of
both shipped models.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QToolButton, QWidget

from lenet_app.core import load_model
from lenet_app.core.agreement import Outcome
from lenet_app.core.architectures import shipped_models
from lenet_app.core.checkpoint import build_payload, save_checkpoint
from lenet_app.core.evaluation import EvaluationResult, evaluate
from lenet_app.core.mnist import MnistSplit, load_split
from lenet_app.core.model_catalogue import ModelEntry
from lenet_app.core.models import create_model
from lenet_app.core.my_digits import MY_DIGITS_SPLIT, MyDigitsStore
from lenet_app.core.run_history import RunHistory
from lenet_app.gui import language
from lenet_app.gui.dataset import DatasetTab
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.my_digits_state import MyDigitsState
from lenet_app.gui.run_history_state import RunHistoryState
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.text import format_count, format_percent
from gui.visible_texts import untranslated, visible_texts

A, B = "lenet5", "lenet5-1998"
DAMAGED, FUTURE = "lenet5-20261201-101500", "lenet5-20261201-101501"  # run ids, as the history names runs
SCREENSHOT = Path("/tmp/s19/versus.png")

pytestmark = pytest.mark.skipif(not {A, B} <= set(shipped_models()), reason="needs both shipped models")


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def test_split(mnist_dir) -> MnistSplit:
    return load_split(mnist_dir, "test")


@pytest.fixture(scope="module")
def core_results(test_split) -> dict[str, EvaluationResult]:
    """What the core's evaluate() says of both models on the test set."""
    return {name: evaluate(load_model(name).module, test_split) for name in (A, B)}


@pytest.fixture
def run_history(qtbot, tmp_path):
    """The shipped models, and no runs (an empty history of this test's own), read."""
    jobs = JobRunner()
    state = RunHistoryState(jobs, RunHistory(tmp_path / "runs"))
    state._test_jobs = jobs
    qtbot.waitUntil(lambda: not state.loading)
    yield state
    assert jobs.shutdown()


@pytest.fixture
def make_tab(qtbot, run_history, make_dataset_tab, mnist_dir, test_split):
    """A shown DatasetTab over the test set with lenet5 active, once its predictions are in."""

    def make(size=(1180, 760), my_digits: MyDigitsState | None = None) -> DatasetTab:
        dataset = DatasetState(my_digits=my_digits)
        dataset.set_loaded(mnist_dir, {"test": test_split})
        tab = make_dataset_tab(dataset, ActiveModel(load_model(A)), size, run_history=run_history)
        qtbot.waitUntil(lambda: tab.predictions("test") is not None, timeout=30000)
        return tab

    return make


def _find(tab: QWidget, kind, name: str):
    widget = tab.findChild(kind, name)
    assert widget is not None, name
    return widget


def _compare_with(qtbot, tab: DatasetTab, name: str | None) -> None:
    """Pick model B in the "Compare with" box (None: "No comparison"), and wait for its answers."""
    combo = _find(tab, QComboBox, "compareModelCombo")
    index = 0 if name is None else combo.findData(name)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    if name is not None:
        qtbot.waitUntil(lambda: tab.compared_predictions("test") is not None, timeout=30000)


def _show(tab: DatasetTab, outcome: Outcome | None) -> None:
    combo = _find(tab, QComboBox, "outcomeFilterCombo")
    assert combo.isVisible() and combo.isEnabled()
    combo.setCurrentIndex([combo.itemData(i) for i in range(combo.count())].index(outcome))


def _rows(tab: DatasetTab) -> np.ndarray:
    return tab.browser.images_model.rows


def _cell(tab: DatasetTab, outcome: Outcome) -> QToolButton:
    return _find(tab, QToolButton, f"agreementCell-{outcome.value}")


def _cell_count(tab: DatasetTab, outcome: Outcome) -> int:
    """The count a cell of the agreement table shows ("51 · 0.51%")."""
    return int(re.sub(r"\D", "", _cell(tab, outcome).text().split("·")[0]))


# ------------------------------------------------------------------------------ comparing


def test_only_a_right_shows_exactly_the_images_a_reads_right_and_b_wrong(qtbot, make_tab, test_split,
                                                                          core_results):
    tab = make_tab()
    labels = test_split.labels
    a_right = core_results[A].predictions == labels
    b_right = core_results[B].predictions == labels
    assert not _find(tab, QComboBox, "outcomeFilterCombo").isVisible(), "no outcome filter without model B"
    assert not tab.agreement.isVisible()

    _compare_with(qtbot, tab, B)
    np.testing.assert_array_equal(tab.compared_predictions("test").predictions, core_results[B].predictions)
    np.testing.assert_array_equal(tab.predictions("test").predictions, core_results[A].predictions)

    outcome_combo = _find(tab, QComboBox, "outcomeFilterCombo")
    titles = [outcome_combo.itemText(i) for i in range(outcome_combo.count())]
    assert titles == ["All images", f"Only {A} right", f"Only {B} right", "Both wrong", "Both right"]
    _show(tab, Outcome.A_ONLY)
    expected = np.flatnonzero(a_right & ~b_right)
    assert len(expected) > 0
    np.testing.assert_array_equal(_rows(tab), expected)
    assert _find(tab, QLabel, "resultCountLabel").text() == f"{format_count(len(expected))} of 10,000"
    assert _cell(tab, Outcome.A_ONLY).isChecked(), "the table marks the outcome shown"

    _show(tab, Outcome.B_ONLY)
    np.testing.assert_array_equal(_rows(tab), np.flatnonzero(~a_right & b_right))

    # It composes with the label filter: only A right, among the images of a 7.
    _show(tab, Outcome.A_ONLY)
    label_combo = _find(tab, QComboBox, "labelFilterCombo")
    label_combo.setCurrentIndex(label_combo.findData(7))
    np.testing.assert_array_equal(_rows(tab), np.flatnonzero(a_right & ~b_right & (labels == 7)))
    label_combo.setCurrentIndex(0)

    # The grid's tooltips and the detail pane name both models and what each read.
    image = int(expected[0])
    assert tab.select_image(image)
    model = tab.browser.images_model
    tooltip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert f"{B} read {int(core_results[B].predictions[image])}" in tooltip
    verdict = _find(tab, QLabel, "detailPredictionLabel").text()
    compared = _find(tab, QLabel, "detailComparedLabel")
    assert compared.isVisible()
    assert verdict.startswith(f"{A} read ") and "correct" in verdict
    assert compared.text().startswith(f"{B} read ") and "wrong" in compared.text()
    assert f"<b>{int(core_results[B].predictions[image])}</b>" in compared.text()


def test_the_agreement_table_adds_up_and_its_counts_filter_the_grid(qtbot, make_tab, test_split, core_results):
    tab = make_tab()
    _compare_with(qtbot, tab, B)
    labels = test_split.labels
    a_right = core_results[A].predictions == labels
    b_right = core_results[B].predictions == labels
    expected = {Outcome.BOTH_RIGHT: a_right & b_right, Outcome.A_ONLY: a_right & ~b_right,
                Outcome.B_ONLY: ~a_right & b_right, Outcome.BOTH_WRONG: ~a_right & ~b_right}
    qtbot.waitUntil(lambda: _cell(tab, Outcome.BOTH_WRONG).isVisible(), timeout=5000)
    counts = {outcome: _cell_count(tab, outcome) for outcome in Outcome}
    assert sum(counts.values()) == 10_000
    assert counts == {outcome: int(mask.sum()) for outcome, mask in expected.items()}
    for outcome, mask in expected.items():
        assert format_percent(mask.mean()) in _cell(tab, outcome).text()
    facts = _find(tab, QLabel, "agreementFactsLabel").text()
    same = np.mean(core_results[A].predictions == core_results[B].predictions)
    for value in (same, core_results[A].accuracy, core_results[B].accuracy):
        assert format_percent(value) in facts, facts

    # A count is a button: it shows those images, and a second click shows them all again.
    qtbot.mouseClick(_cell(tab, Outcome.BOTH_WRONG), Qt.MouseButton.LeftButton)
    assert _find(tab, QComboBox, "outcomeFilterCombo").currentData() is Outcome.BOTH_WRONG
    np.testing.assert_array_equal(_rows(tab), np.flatnonzero(expected[Outcome.BOTH_WRONG]))
    assert _cell(tab, Outcome.BOTH_WRONG).isChecked() and not _cell(tab, Outcome.A_ONLY).isChecked()
    qtbot.mouseClick(_cell(tab, Outcome.BOTH_WRONG), Qt.MouseButton.LeftButton)
    assert len(_rows(tab)) == 10_000 and not _cell(tab, Outcome.BOTH_WRONG).isChecked()

    # "Show all" resets the outcome filter with the others.
    qtbot.mouseClick(_cell(tab, Outcome.A_ONLY), Qt.MouseButton.LeftButton)
    assert len(_rows(tab)) == counts[Outcome.A_ONLY]
    qtbot.mouseClick(_find(tab, QWidget, "clearFiltersButton"), Qt.MouseButton.LeftButton)
    assert len(_rows(tab)) == 10_000
    assert _find(tab, QComboBox, "outcomeFilterCombo").currentData() is None


def test_switching_b_off_restores_the_normal_view(qtbot, make_tab):
    tab = make_tab()
    _compare_with(qtbot, tab, B)
    _show(tab, Outcome.A_ONLY)
    assert tab.select_image(int(_rows(tab)[0]))
    assert len(_rows(tab)) < 10_000

    _compare_with(qtbot, tab, None)
    assert len(_rows(tab)) == 10_000
    assert tab.compared_predictions("test") is None
    assert not _find(tab, QComboBox, "outcomeFilterCombo").isVisible()
    assert not tab.agreement.isVisible()
    assert not _find(tab, QLabel, "detailComparedLabel").isVisible()
    assert _find(tab, QLabel, "detailPredictionLabel").text().startswith("Predicted: ")
    assert "Orange" not in _find(tab, QLabel, "gridLegendLabel").text()
    assert tab.browser.images_model.compared_prediction(0) is None
    qtbot.waitUntil(lambda: not tab.comparison.store.evaluating(), timeout=5000)


def test_choosing_another_b_drops_the_first_ones_answers(qtbot, make_tab):
    tab = make_tab()
    _compare_with(qtbot, tab, B)
    first = tab.compared_predictions("test")
    _compare_with(qtbot, tab, "lenet-28" if "lenet-28" in shipped_models() else A)
    second = tab.comparison.name_b()
    assert tab.compared_predictions("test") is not first and second != B
    qtbot.waitUntil(lambda: second in _find(tab, QLabel, "agreementFactsLabel").text(), timeout=5000)


def test_the_users_own_digits_are_compared_too(qtbot, make_tab, tmp_path):
    """Browsing "My digits", the filter and the table count the user's digits, read by both models."""
    my_digits = MyDigitsState(MyDigitsStore(tmp_path / "my-digits"))
    for label in (1, 7, 4):
        pixels = np.zeros((28, 28), np.uint8)
        pixels[4:24, 12:16] = 255  # a stroke: a 1, whatever its label says
        assert my_digits.add(pixels, label, "drawn") is not None
    tab = make_tab(my_digits=my_digits)
    _compare_with(qtbot, tab, B)
    tab.browser.filters.set_split(MY_DIGITS_SPLIT)
    qtbot.waitUntil(lambda: tab.compared_predictions(MY_DIGITS_SPLIT) is not None
                    and tab.predictions(MY_DIGITS_SPLIT) is not None, timeout=30000)
    qtbot.waitUntil(lambda: _cell(tab, Outcome.BOTH_WRONG).isVisible(), timeout=5000)
    assert _find(tab, QLabel, "agreementTitleLabel").text() == "My digits"
    assert sum(_cell_count(tab, outcome) for outcome in Outcome) == 3
    a = tab.predictions(MY_DIGITS_SPLIT).predictions
    b = tab.compared_predictions(MY_DIGITS_SPLIT).predictions
    labels = np.array([1, 7, 4])
    _show(tab, Outcome.BOTH_WRONG)
    np.testing.assert_array_equal(_rows(tab), np.flatnonzero((a != labels) & (b != labels)))


def _broken_entries(tmp_path: Path) -> list[ModelEntry]:
    """A run's checkpoint that is damaged bytes, and one of an architecture this version lacks."""
    damaged = tmp_path / "damaged.pt"
    damaged.write_bytes(b"PK\x03\x04 not a checkpoint at all" * 10)
    torch.manual_seed(0)
    payload = build_payload("lenet5", create_model("lenet5"), {})
    unknown = save_checkpoint(tmp_path / "unknown.pt", {**payload, "architecture": "lenet-2049"})
    return [ModelEntry(DAMAGED, damaged, "lenet5", 0.99, False),
            ModelEntry(FUTURE, unknown, "lenet5", 0.99, False)]


@pytest.mark.parametrize("broken", [DAMAGED, FUTURE], ids=["damaged", "unknown-architecture"])
def test_a_checkpoint_that_cannot_be_loaded_is_one_message_and_b_stays_off(qtbot, make_tab, run_history,
                                                                           tmp_path, broken):
    run_history.models = run_history.models + _broken_entries(tmp_path)
    run_history.changed.emit()
    tab = make_tab()
    before = tab.predictions("test")
    combo = _find(tab, QComboBox, "compareModelCombo")
    combo.setCurrentIndex(combo.findData(broken))
    banner = _find(tab, QWidget, "compareErrorBanner")
    qtbot.waitUntil(banner.isVisible, timeout=10000)
    text = banner.text()
    assert text.startswith(f"Could not compare with {broken} ") and ("not a readable checkpoint" in text
                                                                    or "unknown architecture" in text), text
    assert combo.currentIndex() == 0 and combo.currentText() == "No comparison"
    assert not tab.comparison.on and tab.compared_predictions("test") is None
    assert tab.predictions("test") is before, "model A's predictions are untouched"
    assert len(_rows(tab)) == 10_000 and not tab.agreement.isVisible()
    assert not _find(tab, QComboBox, "outcomeFilterCombo").isVisible()
    # The next choice works and takes the message away.
    _compare_with(qtbot, tab, B)
    assert not banner.isVisible()


def _deliver() -> None:
    """Let the LanguageChange events Qt posted for a switch reach every widget."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()


def _round_trip(texts) -> dict[str, str]:
    """Switch to 简体中文 and back; assert English comes back exactly. The texts not Chinese,
    None when the comparison's translations are not in the catalogue yet (the lead merges them)."""
    english = texts()
    try:
        language.use_language("zh_CN")
        _deliver()
        chinese = texts()
        merged = QCoreApplication.translate("CompareBar", "No comparison") != "No comparison"
    finally:
        language.use_language("en")
        _deliver()
    back = texts()
    assert back == english, {k: (english.get(k), back.get(k)) for k in english.keys() | back.keys()
                             if english.get(k) != back.get(k)}
    left = untranslated(chinese)
    return left if merged else None


def test_comparison_switches_language_and_back(qtbot, make_tab, run_history, tmp_path, qapp):
    """With B on and an image selected, and with a model that could not be loaded, every text of
    the comparison turns Chinese (once the lead has merged its translations) and English comes
    back exactly."""
    language.use_language("en")
    language.add_cjk_fallback(qapp)
    run_history.models = run_history.models + _broken_entries(tmp_path)
    run_history.changed.emit()
    tab = make_tab()
    _compare_with(qtbot, tab, B)
    _show(tab, Outcome.A_ONLY)
    assert tab.select_image(int(_rows(tab)[0]))
    model = tab.browser.images_model

    def texts() -> dict[str, str]:
        found = visible_texts(tab, tooltips=True)
        found["grid[0]#tooltip"] = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
        widgets = [*(_cell(tab, outcome) for outcome in Outcome),
                   *(_find(tab, QWidget, name) for name in ("compareModelCombo", "outcomeFilterCombo",
                                                            "compareProgressBar", "detailComparedLabel"))]
        for widget in widgets:
            if widget.isVisibleTo(tab):
                found[f"{widget.objectName()}#accessible"] = widget.accessibleName()
        return found

    pending = []
    for state in ("comparing", "could not load"):
        if state == "could not load":
            combo = _find(tab, QComboBox, "compareModelCombo")
            combo.setCurrentIndex(combo.findData(DAMAGED))
            qtbot.waitUntil(_find(tab, QWidget, "compareErrorBanner").isVisible, timeout=10000)
        left = _round_trip(texts)
        if left is None:
            pending.append(state)
        else:
            assert not left, (state, left)
    if pending:
        pytest.xfail(f"the comparison's Chinese is not in the catalogue yet ({', '.join(pending)})")


def test_screenshot_of_two_models_compared(qtbot, make_tab):
    """Not a check: leaves /tmp/s19/versus.png for people to look at (lenet5 vs lenet5-1998,
    only lenet5 right, an image selected)."""
    tab = make_tab(size=(1400, 900))
    _compare_with(qtbot, tab, B)
    _show(tab, Outcome.A_ONLY)
    assert tab.select_image(int(_rows(tab)[0]))
    qtbot.waitUntil(lambda: len(tab.detail.why.attributions()) == 2, timeout=15000)
    QCoreApplication.processEvents()
    if SCREENSHOT.parent.is_dir():
        assert tab.grab().save(str(SCREENSHOT))


def test_at_the_smallest_size_both_readings_are_whole_lines(qtbot, make_tab):
    """The two models' readings ("lenet5-1998 read 8 (43.1% sure, wrong)") span the detail pane
    under the image: in the answer's narrow column they wrapped, and a short window squeezed
    each into one cut line (seen in Chinese at 1440×930, and in English at the smallest size)."""
    tab = make_tab()
    _compare_with(qtbot, tab, B)
    tab.resize(tab.minimumSizeHint())
    QCoreApplication.processEvents()
    view = tab.browser.view
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.visualRect(view.model().index(0, 0)).center())
    QCoreApplication.processEvents()
    detail = tab.detail
    line = detail.compared_label.fontMetrics().height()
    for label in (detail.label_label, detail.verdict_label, detail.compared_label):
        assert label.isVisible() and label.text()
        assert label.heightForWidth(label.width()) < 1.5 * line, f"wraps: {label.text()}"
        assert label.height() >= label.heightForWidth(label.width()), f"cut off: {label.text()}"
        assert label.mapTo(detail, QPoint(0, label.height())).y() <= detail.height()
