"""The Draw tab: draw (or open, drop, paste) a digit and watch the network read it live.

Predicting one canvas state takes about a millisecond, so it runs on the GUI thread, at most
once per 16 ms while a stroke is drawn and once more when it ends. Pictures from files, the
clipboard or the Dataset tab become the canvas background (light ink on dark, framed like an
MNIST digit), so they are predicted exactly like a drawing and can be drawn on.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QMimeData, Qt, QTimer, Slot
from PySide6.QtGui import QFont, QGuiApplication, QImage, QKeySequence, QPalette, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lenet_app.core import Prediction, predict
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.preprocess import BOX, SIZE, ImageError, load_image, to_grayscale_ink
from lenet_app.gui.canvas import DEFAULT_PEN_WIDTH, DrawingCanvas
from lenet_app.gui.state import ActiveModel
from lenet_app.gui.qimage import rgba_array
from lenet_app.gui.style import ACCENT, MUTED
from lenet_app.gui.widgets import DigitImageView, ProbabilityBars, StatLabel

#: Live predictions while drawing are coalesced to at most one per this many ms (~60/s).
LIVE_INTERVAL_MS = 16
#: Pictures with a longer side are reduced to it first: the canvas shows no more detail, the
#: network needs far less, and a camera photo would otherwise take a noticeable moment.
MAX_PICTURE_SIDE = 2048

def framed_digit(ink: np.ndarray) -> np.ndarray:
    """Crop the ink and centre it in a square with MNIST's margin (digit = 20/28 of the side).

    A picture then fills the canvas the way a drawn digit would, so strokes added on top
    match its scale whatever the picture's size or margins.
    """
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    crop = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    height, width = crop.shape
    side = max(math.ceil(max(height, width) * SIZE / BOX), 1)
    square = np.zeros((side, side), dtype=np.uint8)
    top, left = (side - height) // 2, (side - width) // 2
    pixels = (crop * np.float32(255.0) + np.float32(0.5)).astype(np.uint8)
    square[top:top + height, left:left + width] = pixels
    return square


def _reduced(image):
    """A huge PIL picture shrunk to MAX_PICTURE_SIDE (area-averaged); anything else unchanged."""
    if isinstance(image, Image.Image) and max(image.size) > MAX_PICTURE_SIDE:
        try:
            image = image.copy()
            image.thumbnail((MAX_PICTURE_SIDE, MAX_PICTURE_SIDE), Image.Resampling.BOX)
        except (ValueError, OSError):
            pass  # a mode Pillow cannot resize: the core reads it at full size instead
    return image


def _section_title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class DrawTab(QWidget):
    """Canvas on the left; the network's answer, its probabilities and its input on the right."""

    def __init__(self, active_model: ActiveModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawTab")
        self._active_model = active_model
        self._prediction: Prediction | None = None
        self._last_dir = ""

        self._live_timer = QTimer(self)
        self._live_timer.setObjectName("livePredictionTimer")
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_INTERVAL_MS)
        self._live_timer.timeout.connect(self._on_live_timeout)

        self._build_ui()
        self._build_shortcuts()

        self.canvas.changed.connect(self._on_canvas_changed)
        self.canvas.stroke_finished.connect(self._on_stroke_finished)
        self.canvas.mime_dropped.connect(self._on_mime_dropped)
        active_model.changed.connect(self._on_model_changed)
        self._on_model_changed(active_model.model)
        self._update_buttons()

    # --- construction -------------------------------------------------------------------

    def _build_ui(self) -> None:
        intro = QLabel(self.tr(
            "Draw a digit 0–9 with the mouse, pen or finger. The network reads it as you draw. "
            "You can also open, drop or paste a picture of a digit."))
        intro.setObjectName("drawIntroLabel")
        intro.setWordWrap(True)

        self.canvas = DrawingCanvas()

        self.undo_button = QPushButton(self.tr("&Undo stroke"))
        self.undo_button.setObjectName("undoButton")
        self.clear_button = QPushButton(self.tr("&Clear"))
        self.clear_button.setObjectName("clearButton")
        self.open_button = QPushButton(self.tr("&Open image…"))
        self.open_button.setObjectName("openImageButton")
        self.paste_button = QPushButton(self.tr("&Paste"))
        self.paste_button.setObjectName("pasteButton")
        self.undo_button.clicked.connect(self.undo)
        self.clear_button.clicked.connect(self.clear)
        self.open_button.clicked.connect(self.open_image_dialog)
        self.paste_button.clicked.connect(self.paste)
        self.open_button.setAccessibleName(self.tr("Open image"))
        self.open_button.setToolTip(self.tr("Open a picture of a digit from a file (%s)")
                                    % QKeySequence(QKeySequence.StandardKey.Open).toString(
                                        QKeySequence.SequenceFormat.NativeText))

        pen_label = QLabel(self.tr("Pen &width"))
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setObjectName("penWidthSlider")
        self.pen_slider.setRange(3, 16)
        self.pen_slider.setValue(round(DEFAULT_PEN_WIDTH * 100))
        self.pen_slider.setMinimumWidth(80)
        self.pen_slider.setMaximumWidth(160)
        self.pen_slider.setAccessibleName(self.tr("Pen width"))
        self.pen_slider.setToolTip(self.tr(
            "Width of new strokes, as a share of the canvas side, so drawings keep their look "
            "when the window is resized. The default (8%) gives MNIST-like strokes."))
        pen_label.setBuddy(self.pen_slider)
        self.pen_value = QLabel()
        self.pen_value.setObjectName("penWidthValue")
        self.pen_value.setMinimumWidth(self.pen_value.fontMetrics().horizontalAdvance("16%") + 4)
        self.pen_slider.valueChanged.connect(self._on_pen_width_changed)
        self._on_pen_width_changed(self.pen_slider.value())

        tools = QHBoxLayout()
        tools.setSpacing(8)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.clear_button)
        tools.addSpacing(12)
        tools.addWidget(pen_label)
        tools.addWidget(self.pen_slider)
        tools.addWidget(self.pen_value)
        tools.addStretch(1)
        tools.addWidget(self.open_button)
        tools.addWidget(self.paste_button)

        self.status_label = QLabel()
        self.status_label.setObjectName("drawStatusLabel")
        self.status_label.setAccessibleName(self.tr("Canvas status"))
        self.status_label.setWordWrap(True)
        self._set_muted(self.status_label)

        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(intro)
        left.addWidget(self.canvas, 1)
        left.addLayout(tools)
        left.addWidget(self.status_label)

        # The answer: the hint while blank, else the digit in large type and how sure it is.
        self.hint_label = QLabel()
        self.hint_label.setObjectName("predictionHintLabel")
        self.hint_label.setAccessibleName(self.tr("Prediction hint"))
        self.hint_label.setWordWrap(True)
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        hint_font = self.hint_label.font()
        hint_font.setPointSizeF(hint_font.pointSizeF() * 1.6)
        self.hint_label.setFont(hint_font)
        self._set_muted(self.hint_label)

        self.prediction_label = StatLabel()  # these three change with every stroke
        self.prediction_label.setObjectName("predictionLabel")
        self.prediction_label.setAccessibleName(self.tr("Predicted digit"))
        self.prediction_label.setToolTip(self.tr("The digit the network reads"))
        digit_font = QFont(self.prediction_label.font())
        digit_font.setPointSizeF(digit_font.pointSizeF() * 6.0)
        digit_font.setBold(True)
        self.prediction_label.setFont(digit_font)
        self.prediction_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prediction_label.setMinimumWidth(self.prediction_label.fontMetrics().horizontalAdvance("8") + 16)
        palette = self.prediction_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, ACCENT)
        self.prediction_label.setPalette(palette)

        self.confidence_label = StatLabel()
        self.confidence_label.setObjectName("confidenceLabel")
        self.confidence_label.setAccessibleName(self.tr("Confidence"))
        self.confidence_label.setToolTip(self.tr("The probability the network gives its answer"))
        confidence_font = self.confidence_label.font()
        confidence_font.setPointSizeF(confidence_font.pointSizeF() * 1.6)
        self.confidence_label.setFont(confidence_font)
        self.runner_up_label = StatLabel()
        self.runner_up_label.setObjectName("runnerUpLabel")
        self.runner_up_label.setAccessibleName(self.tr("Second guess"))
        self.runner_up_label.setToolTip(self.tr("The digit the network finds next most likely"))
        self._set_muted(self.runner_up_label)
        answer_text = QVBoxLayout()
        answer_text.addStretch(1)
        answer_text.addWidget(self.confidence_label)
        answer_text.addWidget(self.runner_up_label)
        answer_text.addStretch(1)
        answer = QWidget()
        answer_row = QHBoxLayout(answer)
        answer_row.setContentsMargins(0, 0, 0, 0)
        answer_row.setSpacing(14)
        answer_row.addWidget(self.prediction_label)
        answer_row.addLayout(answer_text, 1)

        self.answer_stack = QStackedWidget()
        self.answer_stack.setObjectName("predictionStack")
        self.answer_stack.addWidget(self.hint_label)
        self.answer_stack.addWidget(answer)
        self.answer_stack.setFixedHeight(self.prediction_label.sizeHint().height() + 8)

        self.bars = ProbabilityBars()
        self.bars.setMinimumHeight(200)

        self.network_view = DigitImageView(self.tr("nothing yet"))
        self.network_view.setObjectName("networkInputView")
        self.network_view.setAccessibleName(self.tr("What the network sees"))
        self.network_view.setToolTip(self.tr("The 28×28 picture the network is given"))
        self.network_view.setFixedSize(140, 140)
        caption = QLabel(self.tr(
            "Your drawing cropped, scaled to fit 20×20 pixels and centred by its mass in a "
            "28×28 field, exactly as the MNIST training digits were made. Each square here is "
            "one input pixel."))
        caption.setObjectName("networkInputCaption")
        caption.setWordWrap(True)
        caption.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._set_muted(caption)
        seen_row = QHBoxLayout()
        seen_row.setSpacing(12)
        seen_row.addWidget(self.network_view, 0, Qt.AlignmentFlag.AlignTop)
        seen_row.addWidget(caption, 1)

        self.model_label = QLabel()
        self.model_label.setObjectName("drawModelLabel")
        self.model_label.setAccessibleName(self.tr("Model used"))
        self.model_label.setWordWrap(True)
        self._set_muted(self.model_label)

        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(_section_title(self.tr("Prediction")))
        right.addWidget(self.answer_stack)
        right.addWidget(_section_title(self.tr("Probability of each digit")))
        right.addWidget(self.bars, 1)
        right.addSpacing(6)
        right.addWidget(_section_title(self.tr("What the network sees")))
        right.addLayout(seen_row)
        right.addSpacing(6)
        right.addWidget(self.model_label)
        panel = QFrame()
        panel.setObjectName("predictionPanel")
        panel.setLayout(right)
        panel.setFixedWidth(360)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(24)
        layout.addLayout(left, 1)
        layout.addWidget(panel)

    def _build_shortcuts(self) -> None:
        # Window context on a page of the tab widget: active exactly while this tab is shown,
        # wherever the keyboard focus is in the window.
        def shortcut(keys: list[QKeySequence], slot) -> QShortcut:
            item = QShortcut(self)
            item.setKeys(keys)
            item.setContext(Qt.ShortcutContext.WindowShortcut)
            item.activated.connect(slot)
            return item

        undo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)
        paste_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Paste)
        clear_keys = [QKeySequence(Qt.Key.Key_Escape), QKeySequence(Qt.Key.Key_Delete)]
        self._undo_shortcut = shortcut(undo_keys, self.undo)
        self._clear_shortcut = shortcut(clear_keys, self.clear)
        self._paste_shortcut = shortcut(paste_keys, self.paste)

        def native(keys: list[QKeySequence]) -> str:
            return self.tr(" or ").join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)

        # Tooltips name the platform's main binding; the others work too.
        self.undo_button.setToolTip(self.tr("Remove the last stroke (%s)") % native(undo_keys[:1]))
        self.clear_button.setToolTip(self.tr("Clear the canvas and start again (%s)") % native(clear_keys))
        self.paste_button.setToolTip(
            self.tr("Read a picture or an image file from the clipboard (%s)") % native(paste_keys[:1]))

    @staticmethod
    def _set_muted(label: QLabel) -> None:
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, MUTED.darker(115))
        label.setPalette(palette)

    # --- public API (used by the main window) --------------------------------------------

    def current_prediction(self) -> Prediction | None:
        """The prediction shown now; None while the canvas is blank."""
        return self._prediction

    def open_image_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a picture of a digit"), self._last_dir,
            self.tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.pgm *.ppm *.pbm);;"
                    "All files (*)"))
        if path:
            self.open_image_file(path)

    def open_image_file(self, path: str | os.PathLike) -> bool:
        """Show a picture file on the canvas and read it; a bad file gets a message, not a crash."""
        self._last_dir = str(Path(path).parent)
        try:
            image = load_image(path)
        except ImageError as exc:
            QMessageBox.warning(self, self.tr("Cannot open image"), str(exc))
            return False
        return self._show_picture(image, Path(path).name)

    def set_image(self, image) -> bool:
        """Show a PIL image or an array (e.g. a 28×28 MNIST digit) on the canvas and read it."""
        return self._show_picture(image, None)

    def load_mime_data(self, mime: QMimeData | None, dropped: bool = False) -> bool:
        """Read what was dropped or pasted: a local image file first, else image data."""
        name = self.tr("the dropped picture") if dropped else self.tr("the pasted picture")
        if mime is not None:
            files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
            if files:
                return self.open_image_file(files[0])
            # The encoded bytes first: the core reads them with its size and format checks.
            # Asking Qt for the decoded picture instead makes the platform clipboard decode
            # whatever the other application offers, with Qt's decoders (a float TIFF
            # crashes Qt's) and without the core's decompression-bomb limit.
            error = None
            for fmt in mime.formats():
                if fmt.startswith("image/"):
                    try:
                        image = load_image(bytes(mime.data(fmt)))
                    except ImageError as exc:
                        error = error or str(exc)
                        continue
                    return self._show_picture(image, name)
            if mime.hasImage():
                data = mime.imageData()
                if isinstance(data, QPixmap):
                    data = data.toImage()
                if isinstance(data, QImage) and not data.isNull():
                    return self._show_picture(rgba_array(data, MAX_PICTURE_SIDE), name)
            if error is not None:
                QMessageBox.warning(self, self.tr("Cannot read the picture"), error)
                return False
            if mime.hasUrls():
                QMessageBox.information(self, self.tr("Picture on the web"), self.tr(
                    "Only pictures on this computer can be read. Save the picture to a file "
                    "first, then open it or drop the file here."))
                return False
        QMessageBox.information(self, self.tr("No picture"), self.tr(
            "There is no picture here to read. Copy an image or an image file, then paste it "
            "(or drop it on the canvas)."))
        return False

    @Slot()
    def paste(self) -> bool:
        return self.load_mime_data(QGuiApplication.clipboard().mimeData())

    @Slot()
    def clear(self) -> None:
        self.canvas.clear()
        self.status_label.clear()

    @Slot()
    def undo(self) -> bool:
        return self.canvas.undo()

    # --- pictures -----------------------------------------------------------------------

    def _show_picture(self, image, name: str | None) -> bool:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            ink, error = to_grayscale_ink(_reduced(image)), None
        except ImageError as exc:
            ink, error = None, str(exc)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if error is not None:
            QMessageBox.warning(self, self.tr("Cannot read the picture"), error)
            return False
        if ink is None:  # the canvas keeps what it had: nothing was loaded
            QMessageBox.information(self, self.tr("No digit found"), (
                self.tr("No digit found in %s: the picture looks blank or too faint.") % name if name
                else self.tr("No digit found: the picture looks blank or too faint.")))
            return False
        self.canvas.set_background(framed_digit(ink))
        shown = self.tr("Showing %s.") % name if name else self.tr("Showing the picture.")
        self.status_label.setText(shown + " " + self.tr(
            "Draw on it to add strokes, or clear the canvas (Esc) to start again."))
        return True

    # --- predicting ---------------------------------------------------------------------

    @Slot()
    def _on_canvas_changed(self) -> None:
        if self.canvas.is_blank():
            self._live_timer.stop()
            self._predict_now()
        elif not self.canvas.is_drawing():
            self._predict_now()  # undo, clear, a new picture: one change, answer at once
        elif not self._live_timer.isActive():
            self._live_timer.start()  # coalesces every move in the next 16 ms into one
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.undo_button.setEnabled(self.canvas.stroke_count() > 0)
        self.clear_button.setEnabled(not self.canvas.is_blank())

    @Slot()
    def _on_live_timeout(self) -> None:
        self._predict_now()

    @Slot()
    def _on_stroke_finished(self) -> None:
        self._live_timer.stop()
        self._predict_now()

    @Slot(QMimeData)
    def _on_mime_dropped(self, mime: QMimeData) -> None:
        self.load_mime_data(mime, dropped=True)

    def _predict_now(self) -> None:
        if self.canvas.is_blank():
            self._show(None, self.tr("Draw a digit"))
            return
        try:
            prediction = predict(self._active_model.model, self.canvas.input_array())
        except RuntimeError as exc:  # e.g. a checkpoint whose layers do not fit 28×28 input
            self._show(None, self.tr("This model cannot read the drawing: %s") % exc)
            return
        if prediction.digit is None:
            self._show(None, self.tr("Too small to read. Keep drawing…"))
        else:
            self._show(prediction, "")

    def _show(self, prediction: Prediction | None, hint: str) -> None:
        self._prediction = prediction
        if prediction is None:
            self.prediction_label.setText("")
            self.prediction_label.setAccessibleDescription("")
            self.confidence_label.setText("")
            self.runner_up_label.setText("")
            self.hint_label.setText(hint)
            self.answer_stack.setCurrentIndex(0)
            self.bars.set_probabilities(None)
            self.network_view.set_pixels(None)
            return
        probabilities = prediction.probabilities
        ranked = sorted(range(len(probabilities)), key=probabilities.__getitem__, reverse=True)
        self.prediction_label.setText(str(prediction.digit))
        self.confidence_label.setText(self.tr("%s sure") % self._percent(prediction.confidence))
        self.prediction_label.setAccessibleDescription(self.confidence_label.text())
        self.runner_up_label.setText(self.tr("next best: %d (%s)")
                                     % (ranked[1], self._percent(probabilities[ranked[1]])))
        self.answer_stack.setCurrentIndex(1)
        self.bars.set_probabilities(probabilities)
        self.network_view.set_pixels(prediction.pixels)

    def _percent(self, probability: float) -> str:
        """One decimal, without claiming a certainty (100.0%, 0.0%) that softmax never reaches."""
        if probability >= 0.9995:
            return self.tr(">99.9%")
        if probability < 0.0005:
            return self.tr("<0.1%")
        return self.tr("%.1f%%") % (probability * 100)

    # --- following the shared state -----------------------------------------------------

    @Slot(object)
    def _on_model_changed(self, model: TrainedModel) -> None:
        accuracy = model.test_accuracy
        if accuracy is None:
            text = self.tr("Model: %s (not evaluated on the test set)") % model.architecture
        else:
            text = self.tr("Model: %s, %.2f%% test accuracy") % (model.architecture, accuracy * 100)
        self.model_label.setText(text)
        self.model_label.setToolTip(str(model.path) if model.path else self.tr("Trained in this session"))
        self._predict_now()

    @Slot(int)
    def _on_pen_width_changed(self, percent: int) -> None:
        self.canvas.set_pen_width(percent / 100.0)
        self.pen_value.setText(self.tr("%d%%") % percent)
