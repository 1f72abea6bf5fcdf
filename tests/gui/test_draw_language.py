"""The Draw tab switches language in a running window: with a digit drawn, one saved, a picture
shown, Why? on, the kernels shown and a map enlarged, every text (labels, tooltips, combo items,
accessible names, painted legends and titles) speaks Chinese, and switching back restores the
English exactly."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QTabBar, QWidget

from lenet_app.gui import language
from lenet_app.gui.network.map_detail import MapDetailDialog
from tests.gui.drawing import ONE, draw_strokes
from tests.gui.visible_texts import untranslated, visible_texts

# A second stroke over the picture shown below: the bar of a seven.
BAR = [[(0.30 + 0.40 * i / 20, 0.2) for i in range(21)]]


@pytest.fixture
def window(open_draw_window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *args, **kwargs: None)
    return open_draw_window()


def _painted_and_named(tab, dialog: MapDetailDialog) -> dict[str, str]:
    """What visible_texts cannot see: painted legends, titles and tooltips, accessible names."""
    texts: dict[str, str] = {}
    network = tab.network
    for i, text in enumerate(network.legend.texts()):
        texts[f"colourLegend{i}"] = text
    for i, text in enumerate(tab.why.legend.texts()):
        texts[f"whyLegend{i}"] = text
    view = network.view
    for layer in ("C1", "F6", "output"):
        texts[f"tooltip:{layer}"] = view.tooltip_at(view.cell_rect(layer, 0).center())
    for kernels in network.kernel_views():
        texts[f"{kernels.objectName()}#title"] = kernels.title()
        texts[f"{kernels.objectName()}#tooltip"] = kernels.tooltip_at(kernels.kernel_rect(0, 0).center())
    for i, text in enumerate(dialog.arithmetic_view.column_titles()):
        texts[f"arithmetic{i}"] = text
    texts["dialog#title"] = dialog.windowTitle()
    for widget in [tab, dialog, *tab.findChildren(QWidget), *dialog.findChildren(QWidget)]:
        if isinstance(widget.parentWidget(), QTabBar):
            continue  # the tab bar's scroll buttons: Qt names them once, in the language it starts with
        if widget.accessibleName():
            texts[f"{widget.objectName() or type(widget).__name__}@{id(widget)}#accessible"] = widget.accessibleName()
    return texts


def _everything(window, dialog: MapDetailDialog) -> dict[str, str]:
    """The window's texts (the enlarged map's dialog is one of its children), the painted and
    accessible ones, and the network's Kernels page."""
    tab = window.draw_tab
    texts = {**visible_texts(window, tooltips=True), **_painted_and_named(tab, dialog)}
    tabs = tab.network.tabs
    tabs.setCurrentIndex(1)
    texts.update({f"kernelsPage/{k}": v for k, v in visible_texts(tab.network, tooltips=True).items()})
    tabs.setCurrentIndex(0)
    return texts


def test_switching_language_with_a_digit_and_the_network_open(qtbot, window):
    tab = window.draw_tab
    # One digit saved (the save bar says so), then a picture with a stroke over it.
    draw_strokes(tab.canvas, ONE)
    qtbot.waitUntil(lambda: tab.current_prediction() is not None, timeout=5000)
    QTest.keyClick(tab.canvas, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: tab.canvas.is_blank(), timeout=5000)
    picture = np.zeros((28, 28), dtype=np.uint8)
    picture[5:23, 13:16] = 255
    assert tab.set_image(picture)
    draw_strokes(tab.canvas, BAR)
    qtbot.waitUntil(lambda: tab.current_prediction() is not None, timeout=5000)
    # Why? on, asking about another digit than the answer.
    tab.why.toggle.setChecked(True)
    tab.why.digit_combo.setCurrentIndex(tab.why.digit_combo.findData(9))
    qtbot.waitUntil(lambda: tab.why.attribution() is not None, timeout=30_000)
    # A C1 map enlarged, with its arithmetic.
    dialog = tab.network.detail
    dialog.show_map("C1", 0)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.arithmetic() is not None)

    english = _everything(window, dialog)
    assert tab.save_bar.status_label.text().startswith("Saved as 1")
    assert any(text.endswith(" sure") for text in english.values())  # the answer's confidence
    assert english["dialog#title"] == "Inside the network: one map"
    choices = [combo.currentIndex() for combo in (tab.why.digit_combo, tab.why.method_combo,
                                                  tab.save_bar.label_combo)]
    try:
        language.use_language("zh_CN")
        _settle(qtbot, lambda: not untranslated(_everything(window, dialog)))
        chinese = _everything(window, dialog)
        assert untranslated(chinese) == {}
        assert set(chinese) == set(english)
        assert chinese["dialog#title"] != english["dialog#title"]
        assert [combo.currentIndex() for combo in (tab.why.digit_combo, tab.why.method_combo,
                                                   tab.save_bar.label_combo)] == choices
    finally:
        language.use_language("en")
    _settle(qtbot, lambda: _everything(window, dialog) == english)
    after = _everything(window, dialog)
    assert {place: (english.get(place), after.get(place)) for place in set(english) | set(after)
            if english.get(place) != after.get(place)} == {}
    dialog.close()


def _settle(qtbot, condition) -> None:
    """Let the LanguageChange events arrive; the assertions after it say what is wrong if not."""
    try:
        qtbot.waitUntil(condition, timeout=5000)
    except qtbot.TimeoutError:
        pass
