"""What a user can read in a window: every text of its visible text-bearing widgets, for the
language tests (started in Chinese; switched in a running window and back)."""

from __future__ import annotations

import re

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
_TAG = re.compile(r"<[^>]+>")
_ENTITY = re.compile(r"&[a-z]+;|&#\d+;")

#: Words that stay as they are in Chinese: names of things, units and symbols a Chinese textbook
#: prints in Latin letters too.
ALLOWED = [
    "LeNet-5", "LeNet", "MNIST", "CPU", "CUDA", "GPU", "MPS", "Adam", "AdamW", "SGD", "ReLU", "tanh", "sigmoid",
    "softmax", "BatchNorm", "Dropout", "ONNX", "TorchScript", "PyTorch", "Qt", "PySide", "Python", "Netron",
    "Captum", "Grad-CAM", "CC BY-SA", "Yann LeCun", "LeCun", "Corinna Cortes", "Christopher J. C. Burges",
    "Bottou", "Bengio", "Haffner", "Proc. IEEE", "IDX", "PNG", "JPEG", "SVG", "CSV", "JSON", "ZIP", "RBF", "OpenMP",
    "lenet5-1998", "lenet5", "lenet-28", "cnn-bn", "cnn-dropout", "Ctrl", "Shift", "Alt", "Esc", "Del",
    "Delete", "Backspace", "Enter", "Return", "Space", "PgUp", "PgDown", "Home", "End", "px", "ms", "MB",
    "KB", "GB", "min", "it/s", "img/s", "epoch", "Noto", "Sans", "CJK", "eps", "lr", "std",
    "one-cycle", "OneCycle", "Kaiming", "Xavier", "Gaussian", "Fashion", "LeNet Digits", "English",
    "Integrated Gradients",
]
_ALLOWED = re.compile("|".join(re.escape(word) for word in sorted(ALLOWED, key=len, reverse=True)))
_PATH = re.compile(r"(?:[A-Za-z]:)?[/\\~][^\s,;:()（）]*|\S+\.(?:pt|png|svg|csv|json|zip|gz|onnx|ini)\b")


def plain(text: str) -> str:
    """The words of a label's text without rich-text markup or the & of a shortcut."""
    return _ENTITY.sub(" ", _TAG.sub(" ", text)).replace("&&", "&").replace("&", "")


def english_words(text: str) -> list[str]:
    """Latin words of two letters or more left once names, paths and units are taken out."""
    rest = _ALLOWED.sub(" ", _PATH.sub(" ", plain(text)))
    return re.findall(r"[A-Za-z]{2,}", rest)


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and not widget.visibleRegion().isEmpty() if widget.isVisible() \
        else widget.isVisibleTo(window)


def _header_texts(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None:
        return []
    texts = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        value = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if isinstance(value, str):
            texts.append(value)
    return texts


def _menu_texts(menu: QMenu, path: str) -> dict[str, str]:
    texts = {f"{path}": menu.title()}
    for index, action in enumerate(menu.actions()):
        if action.isSeparator() or not action.isVisible():
            continue
        if action.menu() is not None:
            texts.update(_menu_texts(action.menu(), f"{path}/{index}"))
        else:
            texts[f"{path}/{index}"] = action.text()
    return texts


def visible_texts(window: QWidget, tooltips: bool = False) -> dict[str, str]:
    """Place → text of everything readable in `window` as it is shown now (only the current tab's
    widgets are visible): labels, buttons, group boxes, tabs, menus, table headers, combo items,
    placeholders, spin box affixes, chart titles and axes; with `tooltips`, their tooltips too."""
    texts: dict[str, str] = {}

    def put(place: str, text: str | None) -> None:
        if text and plain(text).strip():
            texts[place] = text

    if hasattr(window, "menuBar"):
        for index, action in enumerate(window.menuBar().actions()):
            if action.menu() is not None:
                texts.update(_menu_texts(action.menu(), f"menu{index}"))
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        place = _place(widget, window)
        if tooltips:
            put(place + "#tooltip", widget.toolTip())
        if isinstance(widget, QLabel):
            put(place, widget.text())
        elif isinstance(widget, QAbstractButton):
            put(place, widget.text())
        elif isinstance(widget, QGroupBox):
            put(place, widget.title())
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                put(f"{place}[{i}]", widget.tabText(i))
                if tooltips:
                    put(f"{place}[{i}]#tooltip", widget.tabToolTip(i))
        elif isinstance(widget, QHeaderView):
            for i, text in enumerate(_header_texts(widget)):
                put(f"{place}[{i}]", text)
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                put(f"{place}[{i}]", widget.itemText(i))
        elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            put(place + "#placeholder", widget.placeholderText())
        elif isinstance(widget, QAbstractSpinBox):
            put(place + "#special", widget.specialValueText())
            for affix in ("prefix", "suffix"):
                if hasattr(widget, affix):
                    put(f"{place}#{affix}", getattr(widget, affix)())
        elif isinstance(widget, QChartView):
            chart = widget.chart()
            put(place + "#title", chart.title())
            for i, axis in enumerate(chart.axes()):
                put(f"{place}#axis{i}", axis.titleText())
            for i, series in enumerate(chart.series()):
                if chart.legend().isVisible():
                    put(f"{place}#series{i}", series.name())
    return texts


def _place(widget: QWidget, window: QWidget) -> str:
    parts = []
    while widget is not None and widget is not window:
        parent = widget.parentWidget()
        siblings = [w for w in (parent.findChildren(type(widget), options=Qt.FindChildOption.FindDirectChildrenOnly)
                                if parent is not None else [])]
        index = siblings.index(widget) if widget in siblings else 0
        parts.append(f"{widget.objectName() or type(widget).__name__}:{index}")
        widget = parent
    return "/".join(reversed(parts))


def untranslated(texts: dict[str, str]) -> dict[str, str]:
    """The texts that are not Chinese: no Chinese characters, and English words left once the
    allowed names are taken out."""
    return {place: text for place, text in texts.items() if not CJK.search(text) and english_words(text)}
