"""The left side of the Draw tab: the canvas, its tools, and every way a picture gets onto it
(open, drop, paste, or "Try in Draw tab" from the Dataset tab)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QMimeData, Qt, Slot
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from lenet_app.core.preprocess import ImageError, load_image, to_grayscale_ink
from lenet_app.gui.draw.canvas import DEFAULT_PEN_WIDTH, DrawingCanvas
from lenet_app.gui.draw.pictures import MAX_PICTURE_SIDE, framed_digit, reduced
from lenet_app.gui.language import Retranslating
from lenet_app.gui.qimage import rgba_array
from lenet_app.gui.style import SPACING, muted
from lenet_app.gui.text import arg

_NATIVE = QKeySequence.SequenceFormat.NativeText


class CanvasPanel(Retranslating, QWidget):
    """The canvas with undo, clear, pen width, open and paste, and a line saying what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvasPanel")
        self._last_dir = ""
        self._picture_source: str | None = None  # how the background picture came: "file" or "pasted"
        self._status: Callable[[], str] = str  # the status line, in the current language
        self.canvas = DrawingCanvas()
        self.canvas.changed.connect(self._on_canvas_changed)
        self.canvas.mime_dropped.connect(self._on_mime_dropped)

        self._intro = QLabel()
        self._intro.setObjectName("drawIntroLabel")
        self._intro.setWordWrap(True)
        self.status_label = muted(QLabel())
        self.status_label.setObjectName("drawStatusLabel")
        self.status_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self._intro)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(self._build_tools())
        layout.addWidget(self.status_label)
        self._on_canvas_changed()
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the panel; the shortcuts in the tooltips as the platform names them."""
        self._intro.setText(self.tr(
            "Draw a digit 0–9 with the mouse, pen or finger. The network reads it as you draw. "
            "You can also open, drop or paste a picture of a digit."))
        self.status_label.setAccessibleName(self.tr("Canvas status"))
        self.status_label.setText(self._status())
        open_key = QKeySequence(QKeySequence.StandardKey.Open).toString(_NATIVE)
        for button, text, accessible, tip in (
                (self.undo_button, self.tr("&Undo stroke"), self.tr("Undo stroke"),
                 arg(self.tr("Remove the last stroke (%1)"), self._native(self._undo_keys[:1]))),
                (self.clear_button, self.tr("&Clear"), self.tr("Clear"),
                 arg(self.tr("Clear the canvas and start again (%1)"), self._native(self._clear_keys))),
                (self.open_button, self.tr("&Open image…"), self.tr("Open image"),
                 arg(self.tr("Open a picture of a digit from a file (%1)"), open_key)),
                (self.paste_button, self.tr("&Paste"), self.tr("Paste"),
                 arg(self.tr("Read a picture or an image file from the clipboard (%1)"),
                     self._native(self._paste_keys[:1])))):
            button.setText(text)
            button.setAccessibleName(accessible)
            button.setToolTip(tip)
        self._pen_label.setText(self.tr("Pen &width"))
        self.pen_slider.setAccessibleName(self.tr("Pen width"))
        self.pen_slider.setToolTip(self.tr(
            "Width of new strokes, as a share of the canvas side, so drawings keep their "
            "look when the window is resized. The default (8%) gives MNIST-like strokes."))
        self._on_pen_width_changed(self.pen_slider.value())

    def _build_tools(self) -> QHBoxLayout:
        # Window context on a page of the tab widget: active exactly while this tab is shown,
        # wherever the keyboard focus is in the window. Tooltips name the platform's main
        # binding; the others work too.
        self._undo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)
        self._paste_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Paste)
        self._clear_keys = [QKeySequence(Qt.Key.Key_Escape), QKeySequence(Qt.Key.Key_Delete)]
        self._shortcut(self._undo_keys, self.undo)
        self._shortcut(self._clear_keys, self.clear)
        self._shortcut(self._paste_keys, self.paste)

        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undoButton")
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("clearButton")
        self.open_button = QPushButton()
        self.open_button.setObjectName("openImageButton")
        self.paste_button = QPushButton()
        self.paste_button.setObjectName("pasteButton")
        self.undo_button.clicked.connect(self.undo)
        self.clear_button.clicked.connect(self.clear)
        self.open_button.clicked.connect(self.open_image_dialog)
        self.paste_button.clicked.connect(self.paste)

        self._pen_label = QLabel()
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setObjectName("penWidthSlider")
        self.pen_slider.setRange(3, 16)
        self.pen_slider.setValue(round(DEFAULT_PEN_WIDTH * 100))
        self.pen_slider.setMinimumWidth(80)
        self.pen_slider.setMaximumWidth(160)
        self._pen_label.setBuddy(self.pen_slider)
        self.pen_value = QLabel()
        self.pen_value.setObjectName("penWidthValue")
        self.pen_value.setMinimumWidth(self.pen_value.fontMetrics().horizontalAdvance("16%") + 4)
        self.pen_slider.valueChanged.connect(self._on_pen_width_changed)
        self.canvas.set_pen_width(self.pen_slider.value() / 100.0)

        tools = QHBoxLayout()
        tools.setSpacing(SPACING)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.clear_button)
        tools.addSpacing(12)
        tools.addWidget(self._pen_label)
        tools.addWidget(self.pen_slider)
        tools.addWidget(self.pen_value)
        tools.addStretch(1)
        tools.addWidget(self.open_button)
        tools.addWidget(self.paste_button)
        return tools

    def _shortcut(self, keys: list[QKeySequence], slot) -> None:
        item = QShortcut(self)
        item.setKeys(keys)
        item.setContext(Qt.ShortcutContext.WindowShortcut)
        item.activated.connect(slot)

    def _native(self, keys: list[QKeySequence]) -> str:
        return self.tr(" or ").join(key.toString(_NATIVE) for key in keys)

    # --- public API ---------------------------------------------------------------------

    def open_image_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a picture of a digit"), self._last_dir,
            self.tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.pgm *.ppm *.pbm);;"
                    "All files (*)"))
        if path:
            self.open_image_file(path)

    def source(self) -> str:
        """How what the canvas shows came, as the user's digits record it: "drawn" (strokes
        only, or a digit from the Dataset tab), "file" (opened or dropped) or "pasted"."""
        if self.canvas.has_background() and self._picture_source is not None:
            return self._picture_source
        return "drawn"

    def open_image_file(self, path: str | os.PathLike, source: str = "file") -> bool:
        """Show a picture file on the canvas; a bad file gets a message, not a crash."""
        self._last_dir = str(Path(path).parent)
        try:
            image = load_image(path)
        except ImageError as exc:
            QMessageBox.warning(self, self.tr("Cannot open image"), str(exc))
            return False
        file_name = Path(path).name
        return self._show_picture(image, lambda: file_name, source)

    def set_image(self, image) -> bool:
        """Show a PIL image or an array (e.g. a 28×28 MNIST digit) on the canvas."""
        return self._show_picture(image, None, None)

    def load_mime_data(self, mime: QMimeData | None, dropped: bool = False) -> bool:
        """Read what was dropped or pasted: a local image file first, else image data."""
        name = (lambda: self.tr("the dropped picture")) if dropped else (lambda: self.tr("the pasted picture"))
        source = "file" if dropped else "pasted"
        if mime is not None:
            files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
            if files:
                return self.open_image_file(files[0], source)
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
                    return self._show_picture(image, name, source)
            if mime.hasImage():
                data = mime.imageData()
                if isinstance(data, QPixmap):
                    data = data.toImage()
                if isinstance(data, QImage) and not data.isNull():
                    return self._show_picture(rgba_array(data, MAX_PICTURE_SIDE), name, source)
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
        self._status = str
        self.status_label.clear()

    @Slot()
    def undo(self) -> bool:
        return self.canvas.undo()

    # --- internals ----------------------------------------------------------------------

    def _show_picture(self, image, name: Callable[[], str] | None, source: str | None) -> bool:
        """`name`: what to call the picture (a function: the status line is said again in
        another language); None for a picture without one."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            ink, error = to_grayscale_ink(reduced(image)), None
        except ImageError as exc:
            ink, error = None, str(exc)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if error is not None:
            QMessageBox.warning(self, self.tr("Cannot read the picture"), error)
            return False
        if ink is None:  # the canvas keeps what it had: nothing was loaded
            QMessageBox.information(self, self.tr("No digit found"), (
                arg(self.tr("No digit found in %1: the picture looks blank or too faint."), name())
                if name else self.tr("No digit found: the picture looks blank or too faint.")))
            return False
        self._picture_source = source
        self.canvas.set_background(framed_digit(ink))
        self._status = lambda: self._showing(name)
        self.status_label.setText(self._status())
        return True

    def _showing(self, name: Callable[[], str] | None) -> str:
        shown = arg(self.tr("Showing %1."), name()) if name else self.tr("Showing the picture.")
        return shown + " " + self.tr("Draw on it to add strokes, or clear the canvas (Esc) to start again.")

    @Slot()
    def _on_canvas_changed(self) -> None:
        self.undo_button.setEnabled(self.canvas.stroke_count() > 0)
        self.clear_button.setEnabled(not self.canvas.is_blank())

    @Slot(QMimeData)
    def _on_mime_dropped(self, mime: QMimeData) -> None:
        self.load_mime_data(mime, dropped=True)

    @Slot(int)
    def _on_pen_width_changed(self, percent: int) -> None:
        self.canvas.set_pen_width(percent / 100.0)
        self.pen_value.setText(arg(self.tr("%1%"), percent))
