"""Inside the network, as a user meets it in the Draw tab: draw, hover, click, switch models."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QToolTip

from lenet_app.core import load_model
from lenet_app.core.activations import activations
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.mnist import normalize
from lenet_app.core.models import create_model, model_names
from lenet_app.gui.draw import DrawTab
from lenet_app.gui.network.legend import number
from lenet_app.gui.network.map_detail import MapDetailDialog
from lenet_app.gui.qimage import rgba_array
from lenet_app.gui.state import ActiveModel

from gui.drawing import SEVEN, draw_strokes



@pytest.fixture(scope="module")
def shipped_model() -> TrainedModel:
    return load_model()


@pytest.fixture
def active_model(shipped_model) -> ActiveModel:
    return ActiveModel(shipped_model)


@pytest.fixture
def tab(qtbot, active_model):
    widget = DrawTab(active_model)
    qtbot.addWidget(widget)
    widget.resize(1180, 740)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.network.detail.close()


def draw(tab: DrawTab, strokes=SEVEN, release: bool = True) -> None:
    draw_strokes(tab.canvas, strokes, release)


def tooltip(widget, pos: QPoint) -> str:
    """Hover, then the tooltip Qt would show there."""
    QTest.mouseMove(widget, pos)
    QToolTip.hideText()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def click(widget, pos: QPoint) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def expected_layers(acts) -> tuple[str, ...]:
    return tuple(layer.name for layer in acts.layers if layer.role != "reshape")


def test_drawing_a_seven_fills_every_layer(tab, shipped_model):
    view = tab.network.view
    assert view.shown_layers() == ()
    assert "Draw a digit" in view.placeholder()
    draw(tab)
    assert tab.current_prediction().digit == 7
    assert view.shown_layers() == ("C1", "S2", "C3", "S4", "C5", "F6", "output")
    assert view.cell_count("C1") == 6 and view.cell_count("C3") == 16
    assert view.cell_count("C5") == 120 and view.cell_count("F6") == 84 and view.cell_count("output") == 10
    for index in range(6):
        image = view.map_image("C1", index)
        assert (image.width(), image.height()) == (28, 28)
        pixels = rgba_array(image)[..., :3].reshape(-1, 3)
        assert len(np.unique(pixels, axis=0)) > 10  # a picture, not one flat colour
    # The maps are the network's own numbers for the digit it read.
    tensor = normalize(torch.from_numpy(tab.current_prediction().pixels).reshape(1, 1, 28, 28))
    expected = activations(shipped_model.module, tensor, "lenet5")
    np.testing.assert_allclose(tab.activations.activations.layer("C3").values,
                               expected.layer("C3").values, rtol=1e-5, atol=1e-5)
    assert view.scale("C1").signed and not view.scale("S2").signed  # lenet5: ReLU after pooling


def test_view_follows_a_stroke_while_it_is_drawn(tab, qtbot):
    changes = []
    tab.activations.changed.connect(lambda: changes.append(tab.activations.activations))
    draw(tab, release=False)  # every move delivered back to back: nothing computed yet
    assert tab.canvas.is_drawing() and changes == []
    qtbot.waitUntil(lambda: len(changes) == 1)
    assert changes[0] is not None
    assert tab.network.view.cell_count("C1") == 6  # shown before the pen is lifted
    QTest.qWait(150)
    assert len(changes) == 1  # nothing new drawn, nothing recomputed


def test_hovering_a_map_tells_its_numbers(tab):
    draw(tab)
    view = tab.network.view
    values = tab.activations.activations.layer("C1").values[1]
    text = tooltip(view, view.cell_rect("C1", 1).center())
    assert "C1, map 2 of 6 (28×28)" in text
    assert f"min {number(float(values.min()))}, max {number(float(values.max()))}" in text
    assert "Click to enlarge" in text
    assert "digit 7" in tooltip(view, view.cell_rect("output", 7).center())
    assert "F6, unit 3 of 84" in tooltip(view, view.cell_rect("F6", 2).center())
    assert view.tooltip_at(QPoint(view.width() // 2, view.height() - 1)) == ""  # between rows
    c3 = tab.activations.activations.layer("C3")
    name = view.cell_rect("C3", 0)
    assert tooltip(view, QPoint(10, name.center().y())) == (
        f"C3: 1600 numbers from {number(c3.minimum)} to {number(c3.maximum)}\n"
        f"colours from {number(view.scale('C3').low)} to {number(view.scale('C3').high)}")


def test_clicking_a_c1_map_shows_its_kernel_and_arithmetic(tab, qtbot):
    draw(tab)
    view = tab.network.view
    click(view, view.cell_rect("C1", 2).center())
    dialog = tab.findChild(MapDetailDialog, "mapDetailDialog")
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.current() == ("C1", 2)
    assert dialog.arithmetic_view.kernel_count() == 1  # C1 reads the digit through one 5×5 kernel
    maps = tab.activations.activations.layer("C1").values

    def check(row: int, column: int) -> None:
        a = dialog.arithmetic()
        assert (a.row, a.column, a.map_index) == (row, column, 2)
        assert a.kernel.shape == (1, 5, 5)
        np.testing.assert_allclose(a.kernel[0], tab.activations.activations.kernels["C1"].weight[2, 0])
        assert a.value == pytest.approx(float(maps[2, row, column]), abs=1e-4)
        assert a.weighted_sum + a.bias == pytest.approx(a.pre_activation)
        text = dialog.arithmetic_text()
        assert f"= {number(a.weighted_sum, 3)}" in text
        assert f"bias {number(a.bias, 3)}" in text
        assert f"The map holds {number(float(maps[2, row, column]), 3)} at this pixel." in text

    check(*dialog.pixel())  # opens on the map's strongest pixel
    # Clicking another pixel of the enlarged map works that one out.
    click(dialog.enlarged, dialog.enlarged.pixel_rect(14, 9).center())
    assert dialog.pixel() == (14, 9)
    check(14, 9)
    # Another click reuses the same window.
    click(view, view.cell_rect("C1", 4).center())
    assert dialog.current() == ("C1", 4)
    assert len(tab.findChildren(MapDetailDialog)) == 1


def test_pool_and_dense_maps_say_why_there_is_no_arithmetic(tab):
    draw(tab)
    view = tab.network.view
    dialog = tab.network.detail
    click(view, view.cell_rect("S2", 0).center())
    assert dialog.current() == ("S2", 0)
    assert dialog.arithmetic() is None and dialog.arithmetic_text() == ""
    assert "largest value of each 2×2 block" in dialog.explanation()
    click(view, view.cell_rect("F6", 10).center())
    assert dialog.current() == ("F6", 10) and dialog.arithmetic() is None
    assert "dense" in dialog.explanation()


def test_kernels_tab_shows_c1_and_c3_kernels(tab):
    draw(tab)
    tab.network.tabs.setCurrentIndex(1)
    views = {view.layer(): view for view in tab.network.kernel_views()}
    assert set(views) == {"C1", "C3"}
    assert views["C1"].kernel_count() == 6 and views["C3"].kernel_count() == 96
    assert views["C1"].scale().signed
    text = tooltip(views["C3"], views["C3"].kernel_rect(3, 1).center())
    assert "Kernel of C3 map 4 reading S2 map 2" in text


def test_lenet5_1998_c3_shows_only_connected_kernels(tab, active_model):
    active_model.set_model(TrainedModel("lenet5-1998", create_model("lenet5-1998").eval(), {}))
    draw(tab)
    view = tab.network.view
    assert view.shown_layers() == ("C1", "S2", "C3", "S4", "C5", "F6", "output")  # "pad" left out
    assert all(view.scale(name).signed for name in view.shown_layers())  # tanh everywhere
    click(view, view.cell_rect("C3", 0).center())
    dialog = tab.network.detail
    connections = tab.activations.activations.kernels["C3"].connections
    assert dialog.arithmetic().input_maps == connections[0] and len(connections[0]) == 3
    assert dialog.arithmetic_view.kernel_count() == 3
    assert "scaled tanh(" in dialog.arithmetic_text()
    c3 = next(v for v in tab.network.kernel_views() if v.layer() == "C3")
    assert c3.kernel_count() == sum(len(c) for c in connections) == 60
    assert "not connected" in tooltip(c3, c3.kernel_rect(0, 5).center())


def test_switching_the_model_updates_every_view(tab, active_model):
    draw(tab)
    view = tab.network.view
    click(view, view.cell_rect("C1", 0).center())
    active_model.set_model(TrainedModel("cnn-bn", create_model("cnn-bn").eval(), {}))
    assert view.shown_layers() == ("conv", "bn", "pool", "fc1", "fc2", "output")
    assert view.cell_count("conv") == 32 and view.cell_count("fc1") == 70
    assert [v.layer() for v in tab.network.kernel_views()] == ["conv"]
    assert tab.network.kernel_views()[0].kernel_count() == 32
    dialog = tab.network.detail
    assert dialog.arithmetic() is None and "no layer C1" in dialog.explanation()
    click(view, view.cell_rect("bn", 5).center())
    assert dialog.current() == ("bn", 5) and "normalisation" in dialog.explanation()


@pytest.mark.parametrize("architecture", model_names())
def test_every_architecture_shows_its_layers_and_arithmetic(tab, active_model, architecture):
    active_model.set_model(TrainedModel(architecture, create_model(architecture).eval(), {}))
    draw(tab)
    acts = tab.activations.activations
    view = tab.network.view
    assert acts.architecture == architecture
    assert view.shown_layers() == expected_layers(acts)
    first_conv = next(iter(acts.kernels))
    click(view, view.cell_rect(first_conv, 1).center())
    a = tab.network.detail.arithmetic()
    assert a is not None and a.layer == first_conv
    assert a.value == pytest.approx(float(acts.layer(first_conv).values[1, a.row, a.column]), abs=1e-4)


def test_blank_canvas_clears_the_view(tab, qtbot):
    draw(tab)
    view = tab.network.view
    click(view, view.cell_rect("C1", 0).center())
    QTest.mouseClick(tab.findChild(QPushButton, "clearButton"), Qt.MouseButton.LeftButton)
    assert tab.canvas.is_blank()
    assert tab.activations.activations is None
    assert view.shown_layers() == () and "Draw a digit" in view.placeholder()
    assert all("Draw a digit" in v.placeholder() for v in tab.network.kernel_views())
    assert tab.network.detail.arithmetic() is None
    assert "Draw a digit" in tab.network.detail.explanation()
