"""Saving a chart of the Train tab: as a picture (PNG, or SVG that stays sharp in a slide or a
paper) or its curves as a table (CSV, one pair of columns per curve) for a spreadsheet.

Every chart gets the same two actions, in its context menu and behind its *Export* button
(`ChartExportButton`). Files are written atomically: when the place cannot be written, one
dialog says why and a file already there is left as it was.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Callable

from PySide6.QtCharts import QChart, QChartView, QXYSeries
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QPoint, QRect, QStandardPaths, Qt, Signal, Slot
from PySide6.QtGui import QAction, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMenu, QMessageBox, QToolButton, QVBoxLayout, QWidget

from lenet_app.core.checkpoint import atomic_write_bytes
from lenet_app.gui.language import Retranslating
from lenet_app.gui.text import arg
from lenet_app.gui.widgets import named

IMAGE_SUFFIXES = (".png", ".svg")


def chart_png(view: QChartView) -> bytes:
    """The chart as the user sees it (at the screen's pixel density), as PNG bytes."""
    return _encoded(view.grab(), "PNG")


def chart_svg(view: QChartView) -> bytes:
    """The chart drawn as vector graphics: lines and text stay sharp at any size."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(view.size())
    generator.setViewBox(QRect(QPoint(0, 0), view.size()))
    generator.setTitle(view.chart().title())
    painter = QPainter(generator)
    try:
        view.render(painter)
    finally:
        painter.end()
    return bytes(buffer.data())


def _encoded(pixmap, fmt: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, fmt)
    buffer.close()
    return bytes(data)


def _axis_titles(series: QXYSeries) -> tuple[str, str]:
    x_title = y_title = ""
    for axis in series.attachedAxes():
        if not axis.isVisible():
            continue
        if axis.orientation() == Qt.Orientation.Horizontal:
            x_title = axis.titleText()
        else:
            y_title = axis.titleText()
    return x_title, y_title


def _number(value: float) -> str:
    return format(value, ".10g") if math.isfinite(value) else ""


def curves_csv(chart: QChart) -> bytes:
    """Every visible curve of `chart` as CSV: a header row, then one row per point, two columns
    ("<curve> · <axis title>") per curve; a shorter curve leaves its cells empty. UTF-8 with a
    byte-order mark, so that spreadsheets read translated headers right."""
    columns: list[list[str]] = []
    header: list[str] = []
    for series in chart.series():
        if not isinstance(series, QXYSeries) or not series.isVisible():
            continue
        x_title, y_title = _axis_titles(series)
        name = series.name()
        header += [f"{name} · {x_title}" if x_title else name, f"{name} · {y_title}" if y_title else name]
        points = series.points()
        columns.append([_number(p.x()) for p in points])
        columns.append([_number(p.y()) for p in points])
    rows = max((len(column) for column in columns), default=0)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    for index in range(rows):
        writer.writerow([column[index] if index < len(column) else "" for column in columns])
    return text.getvalue().encode("utf-8-sig")


def _documents() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder or Path.home())


class ChartExporter(QObject):
    """The two export actions of one chart view, their file dialogs and their errors.

    The exporter is no widget (no LanguageChange reaches it): its actions' texts are set by
    `retranslate()`, which the chart's Export button calls and the context menu calls before it
    opens.
    """

    #: A line for the run log (where a file was saved), as a function that gives it in the
    #: language of the moment.
    note = Signal(object)

    _last_folder: Path | None = None  # where the user saved last, this session

    def __init__(self, view: QChartView, file_stem: str) -> None:
        super().__init__(view)
        self.view = view
        self.file_stem = file_stem
        self.save_image_action = QAction(self)
        self.save_image_action.setObjectName(f"{view.objectName()}SaveImageAction")
        self.save_csv_action = QAction(self)
        self.save_csv_action.setObjectName(f"{view.objectName()}SaveCsvAction")
        self.save_image_action.triggered.connect(self._on_save_image_triggered)
        self.save_csv_action.triggered.connect(self._on_save_csv_triggered)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._on_context_menu_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self.save_image_action.setText(self.tr("Save chart as PNG/SVG…"))
        self.save_image_action.setToolTip(self.tr("Save the chart as a picture: PNG, or SVG to scale "
                                                  "it without blur in slides and papers"))
        self.save_csv_action.setText(self.tr("Save curves as CSV…"))
        self.save_csv_action.setToolTip(self.tr("Save the points of every curve as a table for a "
                                                "spreadsheet: two columns per curve"))

    def actions(self) -> list[QAction]:
        return [self.save_image_action, self.save_csv_action]

    @Slot(QPoint)
    def _on_context_menu_requested(self, position: QPoint) -> None:
        self.retranslate()
        menu = QMenu(self.view)
        menu.setObjectName("chartExportMenu")
        menu.addActions(self.actions())
        menu.exec(self.view.mapToGlobal(position))
        menu.deleteLater()

    def _suggested(self, suffix: str) -> str:
        return str((ChartExporter._last_folder or _documents()) / f"{self.file_stem}{suffix}")

    @Slot()
    def _on_save_image_triggered(self) -> None:
        png, svg = self.tr("PNG image (*.png)"), self.tr("SVG image (*.svg)")
        path, chosen = QFileDialog.getSaveFileName(self.view, self.tr("Save chart"), self._suggested(".png"),
                                                   ";;".join((png, svg)))
        if path:
            if Path(path).suffix.lower() not in IMAGE_SUFFIXES:
                path += ".svg" if chosen == svg else ".png"
            self.save_image(path)

    @Slot()
    def _on_save_csv_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.view, self.tr("Save curves"), self._suggested(".csv"),
                                              self.tr("CSV table (*.csv)"))
        if path:
            if not Path(path).suffix:
                path += ".csv"
            self.save_csv(path)

    def save_image(self, path: str | Path) -> bool:
        """The chart as `path` (SVG for a .svg name, PNG otherwise); False after a dialog."""
        path = Path(path)
        render = chart_svg if path.suffix.lower() == ".svg" else chart_png
        return self._write(path, lambda: render(self.view), self.tr("Cannot save chart"),
                           lambda: arg(self.tr("Saved the chart to %1"), path))

    def save_csv(self, path: str | Path) -> bool:
        """The chart's curves as CSV in `path`; False after a dialog."""
        path = Path(path)
        return self._write(path, lambda: curves_csv(self.view.chart()), self.tr("Cannot save curves"),
                           lambda: arg(self.tr("Saved the curves to %1"), path))

    def _write(self, path: Path, data: Callable[[], bytes], title: str, done: Callable[[], str]) -> bool:
        try:
            atomic_write_bytes(path, data())
        except OSError as exc:
            QMessageBox.warning(self.view, title, arg(self.tr("Cannot write %1: %2"), path,
                                                      exc.strerror or exc))
            return False
        ChartExporter._last_folder = path.parent
        self.note.emit(done)
        return True


class ChartExportButton(Retranslating, QToolButton):
    """A small *Export* button under a chart, with the chart's export actions in its menu."""

    def __init__(self, exporter: ChartExporter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exporter = exporter
        self.setObjectName(f"{exporter.view.objectName()}ExportButton")
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self)
        menu.setObjectName("chartExportMenu")
        menu.addActions(exporter.actions())
        self.setMenu(menu)
        self.retranslate()

    def retranslate(self) -> None:
        self.exporter.retranslate()
        named(self, self.objectName(), self.tr("Export chart"),
              self.tr("Save this chart as a picture (PNG, SVG) or its curves as a table (CSV); "
                      "right-clicking the chart offers the same"))
        self.setText(self.tr("Export"))


def chart_box(chart: QChartView, exporter: ChartExporter, extra: QWidget | None = None) -> QWidget:
    """`chart` above a row with `extra` (an option of the chart) on the left and its Export
    button on the right, where every chart of the tab has it."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(chart, 1)
    row = QHBoxLayout()
    if extra is not None:
        row.addWidget(extra)
    row.addStretch(1)
    row.addWidget(ChartExportButton(exporter))
    column.addLayout(row)
    return box
