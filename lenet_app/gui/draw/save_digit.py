"""*Save as my digit*, under the Draw tab's answer: a label prefilled with the prediction, Save,
Undo last save and a line that says how many digits there are.

The keys 0–9 save with that label and clear the canvas, so collecting a hundred digits is a
matter of drawing and typing; Ctrl+Shift+Z takes the last save back (Ctrl+Z stays the stroke
undo). The bar only asks: the Draw tab, which knows the drawing, does the saving.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lenet_app.core.my_digits import DigitRecord
from lenet_app.gui.language import Retranslating
from lenet_app.gui.my_digits_state import MyDigitsState
from lenet_app.gui.style import SPACING, bold_font, muted
from lenet_app.gui.text import arg, format_count

UNDO_SAVE_KEY = QKeySequence("Ctrl+Shift+Z")
_NATIVE = QKeySequence.SequenceFormat.NativeText


class SaveDigitBar(Retranslating, QWidget):
    """Follows `MyDigitsState` (count, Undo) and asks for saves through `save_requested`."""

    save_requested = Signal(int)  # the label to save the drawing with

    def __init__(self, my_digits: MyDigitsState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveDigitBar")
        self._my_digits = my_digits
        self._can_save = False
        self._message: Callable[[], str] | None = None  # the status line, in the current language

        self._title = QLabel()
        self._title.setFont(bold_font(self._title.font()))
        self.label_combo = QComboBox()
        self.label_combo.setObjectName("saveLabelCombo")
        for digit in range(10):
            self.label_combo.addItem(str(digit), digit)
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveDigitButton")
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undoSaveButton")
        self.status_label = muted(QLabel())
        self.status_label.setObjectName("saveDigitStatusLabel")
        self.status_label.setWordWrap(True)

        row = QHBoxLayout()
        row.setSpacing(SPACING)
        row.addWidget(self.label_combo)
        row.addWidget(self.save_button)
        row.addStretch(1)
        row.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._title)
        layout.addLayout(row)
        layout.addWidget(self.status_label)

        # Window context on a page of the tab widget: active exactly while the Draw tab is shown.
        for digit in range(10):
            self._shortcut(QKeySequence(Qt.Key.Key_0 + digit), lambda d=digit: self._on_digit_key(d))
        self._shortcut(UNDO_SAVE_KEY, self._on_undo_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.undo_button.clicked.connect(self._on_undo_clicked)
        my_digits.changed.connect(self._on_digits_changed)
        self.set_can_save(False)
        self._on_digits_changed()
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the bar, the status line included."""
        self._title.setText(self.tr("Save as my digit"))
        self.label_combo.setAccessibleName(self.tr("Label to save with"))
        self.label_combo.setToolTip(self.tr("The digit you meant; set to the network's answer, change it "
                                            "when the network is wrong"))
        self.save_button.setText(self.tr("Sa&ve"))
        self.save_button.setAccessibleName(self.tr("Save as my digit"))
        self.save_button.setToolTip(self.tr("Keep this drawing as one of your digits, with the label on the left.\n"
                                            "Faster: press its key 0–9, which saves and clears the canvas."))
        self.undo_button.setText(self.tr("Undo last save"))
        self.undo_button.setAccessibleName(self.tr("Undo last save"))
        self.undo_button.setToolTip(arg(self.tr("Remove the digit saved last (%1)"), UNDO_SAVE_KEY.toString(_NATIVE)))
        self.status_label.setAccessibleName(self.tr("Saved digits"))
        if self._message is not None:
            self.status_label.setText(self._message())

    def _say(self, message: Callable[[], str]) -> None:
        """Show `message()` in the status line (a function, so it can be said again in another
        language)."""
        self._message = message
        self.status_label.setText(message())

    def _shortcut(self, key: QKeySequence, slot) -> None:
        item = QShortcut(key, self)
        item.setContext(Qt.ShortcutContext.WindowShortcut)
        item.activated.connect(slot)

    # --- the Draw tab's side ------------------------------------------------------------

    def set_can_save(self, can_save: bool, suggested: int | None = None) -> None:
        """Whether there is a drawing to save; `suggested` (the prediction) prefills the label."""
        self._can_save = can_save
        self.save_button.setEnabled(can_save)
        if suggested is not None:
            self.label_combo.setCurrentIndex(self.label_combo.findData(int(suggested)))

    def show_saved(self, record: DigitRecord) -> None:
        count = len(self._my_digits)
        self._say(lambda: arg(self.tr("Saved as %1 — %2 digits. %3 undoes."), record.label,
                              format_count(count), UNDO_SAVE_KEY.toString(_NATIVE)))

    # --- slots --------------------------------------------------------------------------

    @Slot()
    def _on_save_clicked(self) -> None:
        if self._can_save:
            self.save_requested.emit(int(self.label_combo.currentData()))

    def _on_digit_key(self, digit: int) -> None:
        if self._can_save:
            self.label_combo.setCurrentIndex(self.label_combo.findData(digit))
            self.save_requested.emit(digit)
        else:
            self._say(lambda: arg(self.tr("Draw a digit first, then press its key (%1) to save it."), digit))

    @Slot()
    def _on_undo_clicked(self) -> None:
        if self._my_digits.undo_kind() != "add":
            return
        record = self._my_digits.undo()
        if record is not None:
            count = len(self._my_digits)
            self._say(lambda: arg(self.tr("Removed the %1 saved last — %2 digits."), record.label,
                                  format_count(count)))

    @Slot()
    def _on_digits_changed(self) -> None:
        self.undo_button.setEnabled(self._my_digits.undo_kind() == "add")
        if self._message is None:
            count = len(self._my_digits)
            self._say(lambda: arg(self.tr("%1 digits saved. Draw one and press its key (0–9) to save it."),
                                  format_count(count)) if count else
                      self.tr("Draw a digit and press its key (0–9) to save it as one of your digits."))
