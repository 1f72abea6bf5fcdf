"""A fine-tune's before/after table: MNIST test (what must not be forgotten) and the user's
held-out digits (what should improve), above the charts while a fine-tune runs and after it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from lenet_app.core.finetune import FinetuneScores
from lenet_app.core.training import FinetuneEnd, FinetuneStart
from lenet_app.gui.language import Retranslating
from lenet_app.gui.text import arg, format_count, format_percent
from lenet_app.gui.train.run_state import TrainingRun
from lenet_app.gui.train.training_job import Prepared
from lenet_app.gui.widgets import named


def _change(before: float | None, after: float | None) -> str:
    if before is None or after is None or before != before or after != after:
        return ""
    return f"{(after - before) * 100:+.2f}"


class FinetuneTable(Retranslating, QTableView):
    """Follows a `TrainingRun`: hidden until a fine-tune reports its scores before training."""

    def __init__(self, run: TrainingRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QStandardItemModel(0, 4, self)
        self.setModel(self.table)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._run = run
        # What the table shows: the scores before, after (None while training) and how many
        # MNIST test images they were measured on; None before a fine-tune reports.
        self._scores: tuple[FinetuneScores, FinetuneScores | None, str] | None = None
        self.hide()
        run.prepared.connect(self._on_prepared)
        run.finetune_started.connect(self._on_started)
        run.finetune_ended.connect(self._on_ended)
        self.retranslate()

    def retranslate(self) -> None:
        """Headers, tooltip and the rows' titles in the user's language."""
        named(self, "finetuneTable", self.tr("Fine-tuning before and after"),
              self.tr("Accuracy of the model before and after fine-tuning: on MNIST's test images "
                      "(it should stay within 0.2 points) and on the digits of yours held out from "
                      "training (it should rise)"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Before"), self.tr("After"), self.tr("Change (points)"), self.tr("Images")])
        if self._scores is not None:
            self._show_scores()

    def rows(self) -> list[list[str]]:
        """The table as text, row header first (tests, screen readers)."""
        return [[self.table.verticalHeaderItem(r).text()]
                + [self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    @Slot(object)
    def _on_prepared(self, _prepared: Prepared) -> None:
        self._scores = None
        self.hide()

    @Slot(object)
    def _on_started(self, event: FinetuneStart) -> None:
        self._fill(event.before, None)

    @Slot(object)
    def _on_ended(self, event: FinetuneEnd) -> None:
        self._fill(event.before, event.after)

    def _fill(self, before: FinetuneScores, after: FinetuneScores | None) -> None:
        trainer = self._run.trainer
        self._scores = (before, after, "" if trainer is None else format_count(len(trainer.test_split)))
        self._show_scores()

    def _show_scores(self) -> None:
        """The rows from `_scores`, and the table as tall and wide as they are."""
        before, after, tests = self._scores
        pending = self.tr("…")
        rows = [(self.tr("MNIST test"), before.mnist_test, None if after is None else after.mnist_test, tests)]
        count = before.own_heldout_count
        rows.append((self.tr("My digits, held out"), before.own_heldout,
                     None if after is None else after.own_heldout,
                     str(count) if count else self.tr("none yet")))
        self.table.setRowCount(0)
        for title, was, now, images in rows:
            cells = [format_percent(was), pending if after is None else format_percent(now),
                     "" if after is None else _change(was, now), images]
            items = []
            for text in cells:
                item = QStandardItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                items.append(item)
            self.table.appendRow(items)
            self.table.setVerticalHeaderItem(self.table.rowCount() - 1, QStandardItem(title))
        self.setAccessibleDescription("; ".join(
            arg(self.tr("%1: %2 before, %3 after"), row[0], row[1], row[2]) for row in self.rows()))
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.verticalHeader().sectionSize(r) for r in range(self.table.rowCount()))
        self.setFixedHeight(max(height, self.sizeHintForRow(0) * 3 + 8))
        self.resizeColumnsToContents()
        self.verticalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        width = self.verticalHeader().sizeHint().width() + 2 * self.frameWidth()
        width += sum(self.columnWidth(c) for c in range(self.table.columnCount()))
        self.setMaximumWidth(width + 2)  # as wide as its numbers, not the whole column
        self.show()
