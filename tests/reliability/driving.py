"""Driving the real main window like a user: widgets found by object name, real mouse and key
events (QTest), and waits that poll the event loop. Shared by the stop stress test and the
monkey test; no private attribute of the app is used here.
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QWidget

W = TypeVar("W", bound=QObject)


class Stuck(AssertionError):
    """A wait for the GUI ran out of time (not a deadlock: that ends the process with stacks)."""


def find(window: QWidget, kind: type[W], name: str) -> W:
    widget = window.findChild(kind, name)
    if widget is None:
        raise LookupError(f"no {kind.__name__} named {name!r} in the window (renamed? see the lookup table)")
    return widget


def wait_until(condition: Callable[[], bool], timeout_s: float = 30.0, what: str = "") -> None:
    """Run the event loop until `condition()` holds; `Stuck` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise Stuck(f"still waiting after {timeout_s:.0f} s for {what or condition}")
        pause(0.002)


def pause(seconds: float) -> None:
    """Let the GUI work for `seconds`: events processed, the GIL free for background threads.

    (Not QTest.qWait: PySide keeps the GIL through it, so a training job crawls while it waits,
    about 20 times slower here.)
    """
    deadline = time.monotonic() + seconds
    while True:
        QApplication.processEvents()
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.002))


def click(widget: QWidget, button=Qt.MouseButton.LeftButton, pos: QPoint | None = None) -> None:
    """A real mouse click (press and release) at `pos`, the widget's centre by default."""
    QTest.mouseClick(widget, button, Qt.KeyboardModifier.NoModifier,
                     pos if pos is not None else widget.rect().center())


def type_value(spin: QAbstractSpinBox, text: str) -> None:
    """Select the spin box's text, type `text` and press Enter, as a user edits a field."""
    spin.setFocus()
    QTest.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(spin, text)
    QTest.keyClick(spin, Qt.Key.Key_Return)


def answer_message_boxes(answer) -> Callable[[], None]:
    """Patch the static QMessageBox helpers to answer at once (offscreen nobody would click).

    `answer(kind, title, text)` returns the button; returns a function that undoes the patch.
    """
    from PySide6.QtWidgets import QMessageBox

    saved = {kind: getattr(QMessageBox, kind) for kind in ("warning", "information", "critical",
                                                            "question", "about")}

    def helper(kind):
        def show(parent, title, text, *args, **kwargs):
            return answer(kind, title, text)
        return staticmethod(show)

    for kind in saved:
        setattr(QMessageBox, kind, helper(kind))

    def undo() -> None:
        for kind, function in saved.items():
            setattr(QMessageBox, kind, function)
    return undo
