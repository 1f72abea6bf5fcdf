"""Your own digits in the window, as a student collects them: draw and save 20 digits with the
mouse and the digit keys, undo one, browse them in the Dataset tab, relabel and delete one (with
undo), and fine-tune the active model on them."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMessageBox, QPushButton

from gui.drawing import draw_strokes
from lenet_app.core import load_model
from lenet_app.core.my_digits import MY_DIGITS_SPLIT, MyDigitsStore
from lenet_app.gui.dataset import DatasetTab
from lenet_app.gui.jobs import JobRunner, running_jobs
from lenet_app.gui.main_window import MainWindow
from lenet_app.gui.my_digits_state import MyDigitsState
from lenet_app.gui.state import ActiveModel, DatasetState

RUN_TIMEOUT_MS = 180_000

#: Strokes (fractions of the canvas) the shipped model reads as these digits; each is drawn at a
#: few offsets so no two saved digits are the same picture.
SHAPES = {
    1: [[(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)]],
    7: [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]],
    0: [[(0.5, 0.15), (0.75, 0.3), (0.75, 0.7), (0.5, 0.85), (0.25, 0.7), (0.25, 0.3), (0.5, 0.15)]],
    4: [[(0.3, 0.15), (0.25, 0.55), (0.75, 0.55)], [(0.62, 0.2), (0.62, 0.85)]],
}


def _shifted(strokes, dx: float, dy: float):
    return [[(x + dx, y + dy) for x, y in points] for points in strokes]


@pytest.fixture
def window(qtbot, settings, mnist_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("LENET_APP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LENET_APP_MNIST_DIR", str(mnist_dir))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text))
    win = MainWindow(settings=settings)
    win._test_warnings = shown
    qtbot.addWidget(win)
    win.resize(1180, 780)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.dataset.available, timeout=60_000)
    yield win
    assert win.jobs.shutdown(timeout_s=RUN_TIMEOUT_MS / 1000)
    assert running_jobs() == 0


def _draw_and_save(qtbot, window, digit: int, variant: int) -> None:
    tab = window.draw_tab
    dx, dy = ((-0.06, 0.0), (0.06, 0.0), (0.0, -0.05), (0.0, 0.05), (0.03, 0.03))[variant % 5]
    draw_strokes(tab.canvas, _shifted(SHAPES[digit], dx, dy))
    qtbot.waitUntil(lambda: tab.current_prediction() is not None, timeout=5000)
    QTest.keyClick(tab.canvas, Qt.Key.Key_0 + digit)


def test_collect_browse_edit_and_finetune(qtbot, window, tmp_path):
    tab = window.draw_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)

    # --- collect: 20 drawings, each saved by its key, which also clears the canvas -------------
    save_bar = tab.save_bar
    assert not save_bar.save_button.isEnabled()  # nothing drawn yet
    labels = [list(SHAPES)[i % len(SHAPES)] for i in range(20)]
    for i, digit in enumerate(labels):
        _draw_and_save(qtbot, window, digit, i // len(SHAPES))
        assert tab.canvas.is_blank(), f"digit {i} was not saved"
    assert len(window.my_digits) == 20
    status = save_bar.findChild(QLabel, "saveDigitStatusLabel").text()
    assert f"Saved as {labels[-1]}" in status and "20 digits" in status

    # The Save button saves with the label shown, prefilled with the network's answer.
    draw_strokes(tab.canvas, SHAPES[1])
    qtbot.waitUntil(lambda: tab.current_prediction() is not None, timeout=5000)
    combo = save_bar.findChild(QComboBox, "saveLabelCombo")
    assert combo.currentData() == tab.current_prediction().digit
    qtbot.mouseClick(save_bar.save_button, Qt.MouseButton.LeftButton)
    assert len(window.my_digits) == 21 and tab.canvas.is_blank()

    # Undo last save: Ctrl+Shift+Z (Ctrl+Z stays the stroke undo), then the button.
    QTest.keyClick(tab.canvas, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(window.my_digits) == 20
    qtbot.mouseClick(save_bar.undo_button, Qt.MouseButton.LeftButton)
    assert len(window.my_digits) == 19
    expected = labels[:19]

    # On disk: the manifest, 28×28 network inputs and the full-size drawings, all "drawn".
    store = MyDigitsStore(tmp_path / "data" / "my-digits")
    records = store.records()
    assert [r.label for r in records] == expected
    assert {r.source for r in records} == {"drawn"}
    assert store.pixels(records[0].id).shape == (28, 28)
    assert store.drawing_path(records[0].id) is not None

    # --- browse: the "My digits" split, with predictions and a confusion matrix ----------------
    dataset_tab = window.dataset_tab
    window.tabs.setCurrentWidget(dataset_tab)
    split_combo = dataset_tab.findChild(QComboBox, "splitCombo")
    split_combo.setCurrentIndex(split_combo.findData(MY_DIGITS_SPLIT))
    assert "My digits (19)" in split_combo.currentText()
    qtbot.waitUntil(lambda: dataset_tab.predictions(MY_DIGITS_SPLIT) is not None, timeout=60_000)
    assert dataset_tab.browser.images_model.rowCount() == 19
    assert dataset_tab.findChild(QLabel, "resultCountLabel").text() == "19 of 19"
    summary = dataset_tab.summary
    assert summary.split_name() == MY_DIGITS_SPLIT
    assert summary.confusion_view.matrix().sum() == 19
    assert "My digits" in dataset_tab.findChild(QLabel, "overallAccuracyLabel").text()

    # Filter by true label like MNIST's splits.
    label_combo = dataset_tab.findChild(QComboBox, "labelFilterCombo")
    label_combo.setCurrentIndex(label_combo.findData(7))
    assert dataset_tab.browser.images_model.rowCount() == expected.count(7)
    label_combo.setCurrentIndex(0)

    # --- relabel and delete from the detail pane, each with undo -------------------------------
    assert dataset_tab.select_image(2)
    detail = dataset_tab.detail
    assert "My digit #2" in detail.title_label.text()
    relabel = detail.findChild(QComboBox, "relabelCombo")
    assert relabel.isVisible() and relabel.currentData() == expected[2]
    new_label = (expected[2] + 1) % 10
    relabel.setCurrentIndex(relabel.findData(new_label))
    relabel.activated.emit(relabel.currentIndex())
    assert window.my_digits.records()[2].label == new_label
    assert dataset_tab.selected_image() == (MY_DIGITS_SPLIT, 2)  # still selected after the edit
    assert f"True label: {new_label}" in detail.label_label.text()
    undo = detail.findChild(QPushButton, "undoDigitEditButton")
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert window.my_digits.records()[2].label == expected[2]
    qtbot.waitUntil(lambda: dataset_tab.predictions(MY_DIGITS_SPLIT) is not None, timeout=60_000)

    deleted = window.my_digits.records()[2].id
    qtbot.mouseClick(detail.findChild(QPushButton, "deleteDigitButton"), Qt.MouseButton.LeftButton)
    assert len(window.my_digits) == 18 and window.my_digits.index_of(deleted) is None
    assert "My digits (18)" in split_combo.currentText()
    assert dataset_tab.browser.images_model.rowCount() == 18
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert len(window.my_digits) == 19 and window.my_digits.index_of(deleted) == 2
    assert [r.label for r in MyDigitsStore(tmp_path / "data" / "my-digits").records()] == expected
    assert not window._test_warnings

    # --- fine-tune the active model on them, on a small subset ---------------------------------
    train_tab = window.train_tab
    window.tabs.setCurrentWidget(train_tab)
    form = train_tab.form
    form.subset_spin.setValue(2000)
    form.epochs_spin.setValue(1)
    form.batch_size_spin.setValue(128)
    form.device_combo.setCurrentIndex(form.device_combo.findData("cpu"))
    button = train_tab.finetune_button
    assert button.isVisible() and button.isEnabled(), button.toolTip()
    assert "fine-tune recipe" in button.toolTip()
    form.lr_spin.setValue(0.006)  # a fresh run's rate: the fine-tune recipe replaces it, visibly
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert train_tab.is_training()
    config = form.config()
    assert (config.epochs, config.lr, config.augment, config.label_smoothing) == (1, 0.001, True, 0.0)
    assert (config.subset, config.batch_size) == (2000, 128)  # the rest of the form applies
    qtbot.waitUntil(lambda: not train_tab.is_training(), timeout=RUN_TIMEOUT_MS)
    assert train_tab.result_model is not None, train_tab.log.toPlainText()
    table = train_tab.finetune_table
    assert table.isVisible()
    rows = table.rows()
    assert [row[0] for row in rows] == ["MNIST test", "My digits, held out"]
    assert all("%" in row[2] for row in rows[:1]) and "…" not in rows[0][2]
    log = train_tab.log.toPlainText()
    assert "Fine-tuning on" in log and "MNIST test" in log
    assert not window._test_warnings


def test_finetune_needs_ten_digits(qtbot, window):
    button = window.train_tab.finetune_button
    window.tabs.setCurrentWidget(window.train_tab)
    assert button.isVisible() and not button.isEnabled()
    assert "at least 10" in button.toolTip()


def test_my_digits_can_be_browsed_without_mnist(qtbot, tmp_path):
    """MNIST missing: the setup page offers the user's digits, and the way back to getting MNIST."""
    my_digits = MyDigitsState(MyDigitsStore(tmp_path / "my-digits"))
    for label in range(5):
        pixels = np.zeros((28, 28), np.uint8)
        pixels[4:24, 10 + label:14 + label] = 255  # a "1", a little further right each time
        assert my_digits.add(pixels, 1, "drawn") is not None
    dataset = DatasetState(my_digits=my_digits)
    dataset.set_missing("MNIST was not found.")
    jobs = JobRunner()
    tab = DatasetTab(dataset, ActiveModel(load_model()), jobs)
    tab._test_state = (dataset, my_digits, jobs)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.pages.currentWidget() is tab.setup_page
    browse = tab.findChild(QPushButton, "browseMyDigitsButton")
    assert browse.isVisible() and "(5)" in browse.text()
    qtbot.mouseClick(browse, Qt.MouseButton.LeftButton)
    assert tab.pages.currentWidget() is tab.browse_page
    assert tab.browser.filters.split_name() == MY_DIGITS_SPLIT
    qtbot.waitUntil(lambda: tab.predictions(MY_DIGITS_SPLIT) is not None, timeout=30_000)
    assert tab.browser.images_model.rowCount() == 5
    assert tab.summary.confusion_view.matrix()[1].sum() == 5
    qtbot.mouseClick(tab.findChild(QPushButton, "getMnistButton"), Qt.MouseButton.LeftButton)
    assert tab.pages.currentWidget() is tab.setup_page
    assert jobs.shutdown()


def test_a_store_problem_is_one_message_and_changes_nothing(qtbot, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    my_digits = MyDigitsState(MyDigitsStore(blocked))
    messages: list[str] = []
    my_digits.failed.connect(messages.append)
    changes: list[None] = []
    my_digits.changed.connect(lambda: changes.append(None))
    assert my_digits.add(np.zeros((28, 28), np.uint8), 3) is None
    assert len(messages) == 1 and messages[0] and "\n" not in messages[0]
    assert not changes and not my_digits.can_undo() and len(my_digits) == 0
    assert blocked.read_text() == "a file where the folder should be"


def test_damaged_digits_are_a_message_once_the_window_shows(qtbot, settings, monkeypatch, tmp_path):
    folder = tmp_path / "data" / "my-digits"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{ not json")
    monkeypatch.setenv("LENET_APP_DATA_DIR", str(tmp_path / "data"))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text))
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    assert not shown  # nothing pops up before the window
    win.show()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert len(shown) == 1 and "manifest" in shown[0].lower()
    assert len(win.my_digits) == 0 and (folder / "manifest.json").read_text() == "{ not json"
    assert win.jobs.shutdown()
