"""The Train tab switches language live (issue 14): after a real short run, a fine-tune and
mid-run, every text the tab shows follows the Language menu at once, the log is written again in
the new language, and switching back gives exactly the English texts of before."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.finetune import MIN_OWN_DIGITS
from lenet_app.core.mnist import load_split
from lenet_app.core.models import create_model
from lenet_app.core.my_digits import MyDigitsStore
from lenet_app.core.training import Finished, Stopped
from lenet_app.gui import language
from lenet_app.gui.jobs import JobRunner, running_jobs
from lenet_app.gui.my_digits_state import MyDigitsState
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.train import TrainTab
from tests.gui.visible_texts import untranslated, visible_texts

RUN_TIMEOUT_MS = 60_000
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def splits(mnist_dir):
    return {"train": load_split(mnist_dir, "train"), "test": load_split(mnist_dir, "test")}


@pytest.fixture
def tab(qtbot, mnist_dir, splits, tmp_path):
    """A Train tab with MNIST, twice the digits of the user's a fine-tune needs, a 2,000-image
    one-epoch recipe on the CPU, and the device list filled in (its Auto names the device)."""
    language.use_language("en")
    dataset = DatasetState()
    dataset.set_loaded(mnist_dir, splits)
    my_digits = MyDigitsState(MyDigitsStore(tmp_path / "my-digits"))
    for index in range(2 * MIN_OWN_DIGITS):
        assert my_digits.add(splits["test"].images[index], int(splits["test"].labels[index]), "drawn")
    widget = TrainTab(dataset, ActiveModel(TrainedModel("lenet5", create_model("lenet5").eval(), {})),
                      JobRunner(), my_digits)
    widget._test_state = (dataset, my_digits, widget.active_model, widget.jobs)  # keep them alive
    qtbot.addWidget(widget)
    widget.resize(1180, 740)
    form = widget.form
    form.subset_spin.setValue(2000)
    form.epochs_spin.setValue(1)
    form.batch_size_spin.setValue(128)
    form.device_combo.list_devices()
    form.device_combo.setCurrentIndex(form.device_combo.findData("cpu"))
    widget.show()
    yield widget
    language.use_language("en")
    assert widget.jobs.shutdown(timeout_s=RUN_TIMEOUT_MS / 1000)
    assert running_jobs() == 0


def _texts(tab: TrainTab) -> dict[str, str]:
    """What the tab shows: its visible texts and tooltips, the progress bar's text and the log."""
    texts = visible_texts(tab, tooltips=True)
    texts["progress"] = tab.progress_bar.text()
    texts["log"] = tab.log.toPlainText()
    return texts


def _assert_switches(qtbot, tab: TrainTab, changing: tuple[str, ...] = ()) -> None:
    """Chinese at once, with nothing left in English (but the core's log lines, which the core's
    own catalogue translates); back in English, every text as before. `changing`: places whose
    text moves on by itself (a running clock), left out of the comparison."""
    config = tab.form.config()

    def settled(texts: dict[str, str]) -> dict[str, str]:
        return {place: text for place, text in texts.items() if not place.endswith(changing)}

    english = settled(_texts(tab))
    try:
        language.use_language("zh_CN")
        qtbot.waitUntil(lambda: CJK.search(tab.start_button.text()) is not None)
        chinese = _texts(tab)
        log = chinese.pop("log")
        assert untranslated(chinese) == {}
        if english["log"]:
            assert CJK.search(log.splitlines()[0]), log  # "… Training lenet5", the GUI's line
            assert log != english["log"]
        assert tab.form.config() == config  # the combo boxes kept their choice
    finally:
        language.use_language("en")
    qtbot.waitUntil(lambda: CJK.search(tab.start_button.text()) is None)
    back = settled(_texts(tab))
    assert {k: v for k, v in back.items() if english.get(k) != v} == {}
    assert back == english
    assert tab.form.config() == config


def _click(button) -> None:
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_after_a_run_and_a_fine_tune_every_text_follows_the_language(qtbot, tab):
    tab.form.optimizer_combo.setCurrentIndex(tab.form.optimizer_combo.findData("adam"))  # β2 shows
    _assert_switches(qtbot, tab)  # nothing run yet

    _click(tab.start_button)
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=RUN_TIMEOUT_MS)
    assert isinstance(tab.ended_event, Finished)
    assert tab.result_banner.isVisible() and tab.log.toPlainText()
    _assert_switches(qtbot, tab)  # the charts, the result banner and the run's log
    tab.views.setCurrentIndex(1)
    qtbot.waitUntil(lambda: tab.inside.shown_snapshot() is not None)
    _assert_switches(qtbot, tab)  # the network inside: the digit, its answer and the step
    tab.views.setCurrentIndex(0)

    _click(tab.use_button)  # a note in the log, written again in each language
    _click(tab.finetune_button)
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=RUN_TIMEOUT_MS)
    assert tab.finetune_table.isVisible() and "Fine-tuning" in tab.log.toPlainText()
    _assert_switches(qtbot, tab)  # the before/after table and the fine-tune's lines
    language.use_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: CJK.search(tab.finetune_table.rows()[0][0]) is not None)
    finally:
        language.use_language("en")
    qtbot.waitUntil(lambda: tab.finetune_table.rows()[0][0] == "MNIST test")


def test_a_paused_then_stopped_run_follows_the_language(qtbot, tab):
    tab.form.subset_spin.setValue(0)  # all 60,000 images: long enough to pause and stop
    _click(tab.start_button)
    _click(tab.pause_button)
    qtbot.waitUntil(lambda: "checkpoint saved" in tab.log.toPlainText())  # prepared: the log is written
    qtbot.waitUntil(lambda: tab.progress_bar.text().startswith("Paused"))
    # The elapsed time runs on while paused; the rest stands still.
    _assert_switches(qtbot, tab, changing=("elapsedLabel:0",))
    assert tab.pause_button.text().replace("&", "") == "Resume"
    _click(tab.stop_button)
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=RUN_TIMEOUT_MS)
    assert isinstance(tab.ended_event, Stopped)
    _assert_switches(qtbot, tab)


def test_the_reasons_a_run_cannot_start_follow_the_language(qtbot, tmp_path):
    """Without MNIST and with too few digits of the user's: the banner and the buttons' tips."""
    language.use_language("en")
    dataset = DatasetState()
    my_digits = MyDigitsState(MyDigitsStore(tmp_path / "my-digits"))
    tab = TrainTab(dataset, ActiveModel(TrainedModel("lenet5", create_model("lenet5").eval(), {})),
                   JobRunner(), my_digits)
    tab._test_state = (dataset, my_digits, tab.active_model, tab.jobs)
    qtbot.addWidget(tab)
    tab.resize(1180, 740)
    tab.show()
    assert tab.dataset_banner.isVisible() and "MNIST" in tab.dataset_banner.text()
    assert "at least" in tab.finetune_button.toolTip()
    tab.views.setCurrentIndex(1)  # no test digit: the Inside page says so
    assert tab.inside.digit_view.placeholder() == "No test images"
    _assert_switches(qtbot, tab)
    language.use_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: CJK.search(tab.inside.digit_view.placeholder()) is not None)
    finally:
        language.use_language("en")
    qtbot.waitUntil(lambda: tab.inside.digit_view.placeholder() == "No test images")
