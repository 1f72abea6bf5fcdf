"""The Draw tab's model picker and Compare view, driven like a user: digits drawn with the mouse,
the Compare button clicked, models picked from the opened list; in the window, with the shipped
models and a run history in a temporary user data folder."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QPushButton, QWidget

from lenet_app.core import load_model, predict
from lenet_app.core.architectures import shipped_model_path, shipped_models
from lenet_app.core.checkpoint import CheckpointError, TrainedModel
from lenet_app.core.run_history import RunHistory, RunRecord, runs_dir
from lenet_app.gui import language
from lenet_app.gui.draw import compare_view as compare_module
from lenet_app.gui.draw.compare_view import majority_digit
from tests.gui.drawing import ONE, SEVEN, draw_strokes
from tests.gui.stand_in_model import ConstantNet
from tests.gui.visible_texts import untranslated, visible_texts

GOOD_RUN = "lenet-28-20260304-140500"
CORRUPT_RUN = "lenet5-20260305-091500"


def add_run(run_id: str, architecture: str, created: str, accuracy: float, checkpoint: bytes | None) -> None:
    """A finished run in the user's history: its record, and its checkpoint (a copy of the shipped
    model of that architecture, or the bytes given: a damaged file)."""
    history = RunHistory(runs_dir())
    history.save(RunRecord(id=run_id, architecture=architecture, config={}, created=created, surface="gui",
                           status="finished", test_accuracy=accuracy, epochs_trained=1,
                           checkpoint=f"{run_id}.pt"))
    target = history.folder / f"{run_id}.pt"
    if checkpoint is None:
        shutil.copyfile(shipped_model_path(architecture), target)
    else:
        target.write_bytes(checkpoint)


@pytest.fixture
def warnings(monkeypatch) -> list[tuple[str, str]]:
    """The message boxes the window shows: (title, text)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append((title, text)))
    return shown


@pytest.fixture
def window(open_draw_window, warnings):
    """The window, with two runs in the history: a good one and one whose checkpoint is damaged."""
    add_run(GOOD_RUN, "lenet-28", "2026-03-04T14:05:00", 0.9876, None)
    add_run(CORRUPT_RUN, "lenet5", "2026-03-05T09:15:00", 0.9912, b"not a checkpoint" * 8)
    return open_draw_window()


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget.rect().center())


def release_at(canvas, x: float, y: float) -> None:
    """End a stroke left open by `draw_strokes(..., release=False)` where it stopped."""
    square = canvas.drawing_rect()
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(round(square.left() + x * square.width()), round(square.top() + y * square.height())))


def pick(qtbot, combo: QComboBox, text_start: str) -> None:
    """Open the list and click the item whose text starts with `text_start`, as a user does."""
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(text_start))
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    rect = view.visualRect(combo.model().index(index, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())


def open_compare(qtbot, tab):
    button = tab.findChild(QPushButton, "compareButton")
    click(button)
    assert button.isChecked() and tab.compare_view.isVisible() and not tab.network.isVisible()
    qtbot.waitUntil(tab.compare_view.is_loaded, timeout=30_000)
    return tab.compare_view


def expected_digits(tab) -> dict[str, int]:
    """What each shipped model reads on the canvas now, by the core's own `predict`."""
    drawing = tab.canvas.input_array()
    return {name: predict(load_model(name), drawing).digit for name in shipped_models()}


def read_digits(view) -> dict[str, int]:
    return {name: prediction.digit for name, prediction in view.readings().items()}


# --- Compare ------------------------------------------------------------------------------


def test_compare_reads_the_drawing_with_every_shipped_model_and_follows_it(qtbot, window):
    tab = window.draw_tab
    draw_strokes(tab.canvas, ONE)
    qtbot.waitUntil(lambda: tab.current_prediction() is not None)
    view = open_compare(qtbot, tab)
    qtbot.waitUntil(lambda: len(view.readings()) == len(shipped_models()))
    assert list(view.readings()) == shipped_models()
    assert read_digits(view) == expected_digits(tab)
    assert majority_digit(read_digits(view).values()) == 1 == view.majority()
    for card in view.cards:
        prediction = view.readings()[card.name]
        assert card.digit_label.text() == str(prediction.digit)
        assert card.confidence_label.text().endswith(" sure")
        assert card.bars.probabilities() == pytest.approx(prediction.probabilities)
        assert card.accessibleName() == f"Model {card.name}" and "reads 1" in card.accessibleDescription()
    # The active model's card is marked, and reads exactly what the main answer shows.
    active = next(card for card in view.cards if card.in_use_label.text() == "in use")
    assert active.name == "lenet5"
    assert view.readings()["lenet5"].probabilities == pytest.approx(tab.current_prediction().probabilities)

    # A new drawing: cleared (every card empties) and a seven, read while the stroke is drawn.
    QTest.keyClick(tab.canvas, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.readings() == {})
    assert all(card.digit_label.text() == "–" for card in view.cards)
    assert view.summary_label.text().startswith("Draw a digit")
    draw_strokes(tab.canvas, SEVEN, release=False)
    qtbot.waitUntil(lambda: len(view.readings()) == len(shipped_models()))
    release_at(tab.canvas, *SEVEN[0][-1])
    qtbot.waitUntil(lambda: read_digits(view) == expected_digits(tab))
    assert view.majority() == 7
    assert view.summary_label.text() == f"All {len(shipped_models())} models read 7."

    # Closed: the feature maps come back; nothing is read while the view is hidden.
    click(tab.findChild(QPushButton, "compareButton"))
    assert tab.network.isVisible() and not view.isVisible()
    QTest.keyClick(tab.canvas, Qt.Key.Key_Escape)
    draw_strokes(tab.canvas, ONE)
    assert view.readings() == {}
    click(tab.findChild(QPushButton, "compareButton"))
    qtbot.waitUntil(lambda: set(read_digits(view).values()) == {1})


def test_a_model_that_disagrees_is_framed_and_named(qtbot, window, monkeypatch):
    # lenet-28 replaced by a model that always reads 3; cnn-bn's file damaged: the rest read.
    real_load = compare_module.load_model
    odd, damaged = shipped_models()[2], shipped_models()[-1]

    def load(name):
        if name == odd:
            return TrainedModel(odd, ConstantNet(3), {"test_accuracy": 0.1})
        if name == damaged:
            raise CheckpointError(f"{name}.pt: not a readable checkpoint (corrupt or not a model file)")
        return real_load(name)

    monkeypatch.setattr(compare_module, "load_model", load)
    tab = window.draw_tab
    view = open_compare(qtbot, tab)
    assert view.summary_label.text() == "Draw a digit: every shipped model reads it here, side by side."
    draw_strokes(tab.canvas, ONE)
    qtbot.waitUntil(lambda: len(view.readings()) == len(shipped_models()) - 1)
    cards = {card.name: card for card in view.cards}
    assert view.majority() == 1
    assert cards[odd].differs() and cards[odd].status_label.text() == "differs"
    assert cards[odd].digit_label.text() == "3" and "differs from most" in cards[odd].accessibleDescription()
    assert "solid #e08a1e" in cards[odd].styleSheet()
    assert not any(card.differs() for name, card in cards.items() if name != odd)
    assert not cards[damaged].status_label.isVisible()
    assert cards[damaged].accuracy_label.text() == "cannot be used"
    assert "not a readable checkpoint" in cards[damaged].accuracy_label.toolTip()
    agreeing = len(shipped_models()) - 2
    assert view.summary_label.text() == f"{agreeing} of {agreeing + 1} models read 1; {odd} reads 3."


def test_majority_digit():
    assert majority_digit([]) is None
    assert majority_digit([7, 7, 1, 7, 4]) == 7
    assert majority_digit([7, 1, 7, 1, 4]) is None  # a tie: no majority
    assert majority_digit([2, 1, 3, 1, 5]) == 1  # the most common, not necessarily over half


# --- the model picker ---------------------------------------------------------------------


def test_picker_lists_the_models_and_follows_the_active_one(qtbot, window, tmp_path):
    combo = window.draw_tab.findChild(QComboBox, "modelPicker")
    texts = [combo.itemText(i) for i in range(combo.count()) if combo.itemData(i) is not None]
    assert len(texts) == len(shipped_models()) + 2
    assert texts[0] == "lenet5 — 99.39%"
    assert texts[len(shipped_models()):] == ["Run: lenet5, 2026-03-05 09:15 — 99.12%",
                                            "Run: lenet-28, 2026-03-04 14:05 — 98.76%"]
    assert combo.currentText() == "lenet5 — 99.39%"
    assert combo.accessibleName() == "Model"
    assert "shipped with the app" in combo.itemData(0, Qt.ItemDataRole.ToolTipRole).lower()

    # Loaded elsewhere (File → Load model): a run's checkpoint is selected in the list...
    run_checkpoint = RunHistory().folder / f"{GOOD_RUN}.pt"
    window.load_model_file(run_checkpoint)
    qtbot.waitUntil(lambda: combo.currentText().startswith("Run: lenet-28"))
    # ...a file that is not in the list gets an entry of its own, named by the file...
    mine = tmp_path / "my-model.pt"
    shutil.copyfile(shipped_model_path("lenet5"), mine)
    window.load_model_file(mine)
    qtbot.waitUntil(lambda: combo.currentText() == "my-model.pt (opened file) — 99.39%")
    # ...and so does a model trained in this session, not saved; the entry before it goes.
    module = load_model("lenet5").module
    window.active_model.set_model(TrainedModel("lenet5", module, {"test_accuracy": 0.5}))
    assert combo.currentText() == "lenet5, trained in this session (not saved) — 50.00%"
    assert not any("my-model.pt" in combo.itemText(i) for i in range(combo.count()))
    # The history changes (a run deleted): the list follows and keeps the active model.
    window.run_history.delete([GOOD_RUN])
    assert not any(combo.itemText(i).startswith("Run: lenet-28") for i in range(combo.count()))
    assert combo.currentText().startswith("lenet5, trained in this session")


def test_picking_a_model_makes_it_the_active_model(qtbot, window):
    tab = window.draw_tab
    combo = tab.findChild(QComboBox, "modelPicker")
    draw_strokes(tab.canvas, SEVEN)
    view = open_compare(qtbot, tab)
    qtbot.waitUntil(lambda: len(view.readings()) == len(shipped_models()))
    target = shipped_models()[-1]
    pick(qtbot, combo, f"{target} — ")
    qtbot.waitUntil(lambda: window.active_model.model.architecture == target, timeout=30_000)
    assert window.active_model.model.path == shipped_model_path(target)
    assert combo.currentText().startswith(f"{target} — ") and combo.isEnabled()
    assert tab.findChild(QLabel, "drawModelLabel").text().startswith(f"Model: {target}, ")
    # The tab reads with it now, and its card in Compare is the one in use.
    qtbot.waitUntil(lambda: tab.current_prediction().probabilities
                    == pytest.approx(view.readings()[target].probabilities))
    assert [card.name for card in view.cards if card.in_use_label.text()] == [target]
    # A run's model, picked the same way.
    pick(qtbot, combo, "Run: lenet-28")
    qtbot.waitUntil(lambda: window.active_model.model.path == RunHistory().folder / f"{GOOD_RUN}.pt",
                    timeout=30_000)
    assert [card.name for card in view.cards if card.in_use_label.text()] == []


def test_picking_a_damaged_run_says_why_once_and_keeps_the_model(qtbot, window, warnings):
    combo = window.draw_tab.findChild(QComboBox, "modelPicker")
    before = window.active_model.model
    pick(qtbot, combo, "Run: lenet5")
    qtbot.waitUntil(lambda: not window.draw_tab.picker.is_loading(), timeout=30_000)
    assert len(warnings) == 1
    title, text = warnings[0]
    assert title == "Cannot load model"
    assert f"{CORRUPT_RUN}.pt" in text and "not a readable checkpoint" in text
    assert window.active_model.model is before
    assert combo.currentText() == "lenet5 — 99.39%" and combo.isEnabled()


# --- language -------------------------------------------------------------------------------


MINE = ("modelPicker", "compareView", "compareButton")


def _not_mine(texts: dict[str, str]) -> dict[str, str]:
    return {place: text for place, text in texts.items() if not any(name in place for name in MINE)}


def _texts(window) -> dict[str, str]:
    tab = window.draw_tab
    texts = visible_texts(window, tooltips=True)
    for card in tab.compare_view.cards:
        texts[f"compareView/{card.name}#accessible"] = card.accessibleName()
        texts[f"compareView/{card.name}#description"] = card.accessibleDescription()
    for name in ("modelPicker", "compareButton"):
        widget = tab.findChild(QWidget, name)
        texts[f"{name}#accessible"] = widget.accessibleName()
    return texts


def test_picker_and_compare_switch_language_and_back(qtbot, window, monkeypatch):
    tab = window.draw_tab
    draw_strokes(tab.canvas, SEVEN)
    view = open_compare(qtbot, tab)
    qtbot.waitUntil(lambda: len(view.readings()) == len(shipped_models()))
    english = _texts(window)
    assert english["compareButton#accessible"] == "Compare all models"
    try:
        language.use_language("zh_CN")
        try:
            qtbot.waitUntil(lambda: not _not_mine(untranslated(_texts(window))), timeout=5000)
        except qtbot.TimeoutError:
            pass  # the assertion says what is left
        left = untranslated(_texts(window))
        # Everything but this new texts is Chinese; those are too once the catalogue has them.
        assert _not_mine(left) == {}
        merged = QCoreApplication.translate("CompareView", "Loading the shipped models…") != \
            "Loading the shipped models…"
        if merged:
            assert left == {}
        assert len(view.readings()) == len(shipped_models())  # a switch reads nothing again
    finally:
        language.use_language("en")
    qtbot.waitUntil(lambda: _texts(window) == english, timeout=5000)
