"""Shared widgets: a live value label must not make the whole window lay out and repaint."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from lenet_app.gui.widgets import StatLabel


class _LayoutRequests(QObject):
    def __init__(self, watched: QWidget) -> None:
        super().__init__()
        self.count = 0
        watched.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def _window(label: QLabel) -> QWidget:
    window = QWidget()
    outer = QVBoxLayout(window)
    row = QHBoxLayout()
    row.addWidget(label)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addWidget(QLabel("something else in the window"))
    return window


def test_new_values_lay_out_only_the_label(qtbot):
    label = StatLabel()
    label.setText("<b>1,000</b> images/s")
    window = _window(label)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    requests = _LayoutRequests(window)
    for value in range(1000, 9999, 137):  # same width or narrower than the widest so far
        label.setText(f"<b>{value:,}</b> images/s")
        qtbot.wait(1)
    assert requests.count <= 1, "the window was laid out again for a label value"
    assert label.text() == f"<b>{9905:,}</b> images/s"


def test_plain_label_shows_what_stat_label_avoids(qtbot):
    """The control: a QLabel asks the window to lay out for every value (so the test above can fail)."""
    label = QLabel()
    window = _window(label)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    requests = _LayoutRequests(window)
    for value in range(1000, 2000, 137):
        label.setText(f"<b>{value:,}</b> images/s")
        qtbot.wait(1)
    assert requests.count >= 5


def test_grows_for_longer_text_and_never_clips(qtbot):
    label = StatLabel()
    window = _window(label)
    qtbot.addWidget(window)
    window.show()
    label.setText("Loss <b>–</b>")
    short = label.size()
    label.setText("Loss <b>0.01234</b> · lr 0.00123")
    qtbot.wait(1)
    assert label.width() > short.width()
    assert label.width() >= label.sizeHint().width() and label.height() >= label.sizeHint().height()
    wide = label.width()
    label.setText("Loss <b>1</b>")  # shorter again: the size stays, so the row doesn't jitter
    assert label.width() == wide


def test_refits_when_the_font_changes(qtbot):
    label = StatLabel()
    window = _window(label)
    qtbot.addWidget(window)
    label.setText("ETA <b>1:23</b>")
    before = label.size()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    assert label.width() > before.width() and label.height() > before.height()
    assert label.width() >= label.sizeHint().width()
