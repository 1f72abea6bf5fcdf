"""Filling translated strings, and the number formats every view shares.

Translated strings use Qt's numbered placeholders (`%1`, `%2`, …) because translators may
reorder them; `arg()` fills them in one pass, so a value that itself contains `%2` is left
alone (chained `str.replace` calls would rewrite it).
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QCoreApplication, QLocale

_PLACEHOLDER = re.compile(r"%(\d{1,2})")


def arg(template: str, *values: object) -> str:
    """`arg(tr("%1 of %2"), 3, 10)` → "3 of 10"; placeholders without a value stay as they are."""

    def fill(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(values[number - 1]) if 1 <= number <= len(values) else match.group(0)

    return _PLACEHOLDER.sub(fill, template)


def format_count(value: int) -> str:
    """An integer with the locale's thousands separators, also under the "C" locale.

    QLocale::c() omits group separators by default, which would print "60000" in a
    headless or minimal environment; the separators make big counts readable at a glance.
    """
    locale = QLocale()
    locale.setNumberOptions(locale.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(int(value))


def format_percent(value: float | None, decimals: int = 2) -> str:
    """0.99123 → '99.12%'; '–' when there is no value yet."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value * 100:.{decimals}f}%"


def model_summary(model) -> str:
    """A `TrainedModel` in a few translated words, e.g. "lenet5, 99.39% test accuracy, CPU" (the
    GUI's words for `TrainedModel.describe()`, which the command line prints)."""
    accuracy = model.test_accuracy
    if accuracy is None:
        return arg(QCoreApplication.translate("ModelSummary", "%1, not evaluated, %2"),
                   model.architecture, model.device.type.upper())
    return arg(QCoreApplication.translate("ModelSummary", "%1, %2 test accuracy, %3"),
               model.architecture, format_percent(accuracy), model.device.type.upper())
