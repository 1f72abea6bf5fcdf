"""The Train tab's *Past runs* page: every run the run history keeps (from this window or the
command line), to compare, reopen or delete.

The list is a table view over `RunHistoryModel` (one row per `RunRecord` of the window's
`RunHistoryState`); selecting runs overlays their curves on the page's own two charts
(`run_charts`), so a comparison never touches the live run's charts. *Open model* makes a run's
checkpoint the active model; *Delete…* removes runs after naming them. Run files that cannot be
read are listed in a banner, never deleted.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lenet_app.core.config import TrainConfig
from lenet_app.core.formatting import format_duration
from lenet_app.core.run_history import RunRecord
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.run_history_state import RunHistoryState
from lenet_app.gui.state import ActiveModel
from lenet_app.gui.style import MISTAKE, MUTED_TEXT, muted
from lenet_app.gui.text import arg, format_count, format_percent
from lenet_app.gui.train.chart_export import ChartExporter, chart_box
from lenet_app.gui.train.run_charts import RUN_COLOURS, RunsAccuracyChart, RunsLossChart, ShownRun, run_labels
from lenet_app.gui.train.run_state import TrainingRun
from lenet_app.gui.widgets import Banner, named

RUN_ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Runs a delete confirmation names one by one; more are counted.
MAX_NAMED_RUNS = 12
_OPTIMIZERS = {"adam": "Adam", "sgd": "SGD"}


class RunColumn(IntEnum):
    DATE = 0
    ARCHITECTURE = 1
    SETTINGS = 2
    EPOCHS = 3
    STATUS = 4
    ACCURACY = 5
    DURATION = 6
    DEVICE = 7
    SURFACE = 8


_NUMERIC = (RunColumn.EPOCHS, RunColumn.ACCURACY, RunColumn.DURATION)


def _local_time(record: RunRecord) -> str:
    created = record.created_time
    if created is None:
        return record.created
    if created.tzinfo is not None:
        created = created.astimezone()
    return created.strftime("%Y-%m-%d %H:%M")


class RunHistoryModel(QAbstractTableModel):
    """The history's runs, newest first, one row each. Texts are translated when asked for;
    `retranslated()` tells the views to ask again after a language switch."""

    def __init__(self, state: RunHistoryState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._records: list[RunRecord] = list(state.records)
        state.changed.connect(self._on_state_changed)

    @Slot()
    def _on_state_changed(self) -> None:
        self.beginResetModel()
        self._records = list(self.state.records)
        self.endResetModel()

    def retranslated(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(RunColumn) - 1)
        if self._records:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._records) - 1, len(RunColumn) - 1))

    def record(self, row: int) -> RunRecord:
        return self._records[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(RunColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(RunColumn):
            return None
        column = RunColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                RunColumn.DATE: self.tr("Date"), RunColumn.ARCHITECTURE: self.tr("Architecture"),
                RunColumn.SETTINGS: self.tr("Settings"), RunColumn.EPOCHS: self.tr("Epochs"),
                RunColumn.STATUS: self.tr("Status"), RunColumn.ACCURACY: self.tr("Test accuracy"),
                RunColumn.DURATION: self.tr("Duration"), RunColumn.DEVICE: self.tr("Device"),
                RunColumn.SURFACE: self.tr("From"),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                RunColumn.SETTINGS: self.tr("Optimizer, learning rate and batch size; point at a run for "
                                            "its whole recipe"),
                RunColumn.EPOCHS: self.tr("Epochs trained (of those asked for, when the run ended early)"),
                RunColumn.ACCURACY: self.tr("Accuracy on the 10,000 test images at the end of the run"),
                RunColumn.DURATION: self.tr("Wall-clock time of the run, pauses included"),
                RunColumn.SURFACE: self.tr("Trained in this window (GUI) or with lenet-app train (CLI)"),
            }.get(column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = RunColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == RUN_ID_ROLE:
            return record.id
        if role == SORT_ROLE:
            return self._sort_key(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == RunColumn.STATUS:
            if record.status in ("failed", "diverged"):
                return MISTAKE
            if record.status == "interrupted":
                return MUTED_TEXT
        return None

    def _text(self, record: RunRecord, column: RunColumn) -> str:
        if column == RunColumn.DATE:
            return _local_time(record)
        if column == RunColumn.ARCHITECTURE:
            return record.architecture
        if column == RunColumn.SETTINGS:
            return self._settings(record)
        if column == RunColumn.EPOCHS:
            asked = record.config.get("epochs")
            return (str(record.epochs_trained) if asked in (None, record.epochs_trained)
                    else f"{record.epochs_trained}/{asked}")
        if column == RunColumn.STATUS:
            return self._status(record.status)
        if column == RunColumn.ACCURACY:
            return format_percent(record.test_accuracy)
        if column == RunColumn.DURATION:
            return "–" if record.status == "running" else format_duration(record.seconds)
        if column == RunColumn.DEVICE:
            return record.device
        return self.tr("GUI") if record.surface == "gui" else self.tr("CLI")

    def _settings(self, record: RunRecord) -> str:
        config = TrainConfig.from_dict(record.config)
        text = arg(self.tr("%1 · lr %2 · batch %3"), _OPTIMIZERS.get(config.optimizer, config.optimizer),
                   f"{config.lr:g}", config.batch_size)
        if config.subset:
            text += " · " + arg(self.tr("%1 images"), format_count(config.subset))
        if config.augment:
            text += " · " + self.tr("augmented")
        return text

    def _status(self, status: str) -> str:
        return {
            "running": self.tr("Running"), "finished": self.tr("Finished"), "stopped": self.tr("Stopped"),
            "diverged": self.tr("Diverged"), "failed": self.tr("Failed"), "interrupted": self.tr("Interrupted"),
        }.get(status, status)

    def _sort_key(self, record: RunRecord, column: RunColumn) -> Any:
        if column == RunColumn.DATE:
            return f"{record.created} {record.id}"
        if column == RunColumn.EPOCHS:
            return record.epochs_trained
        if column == RunColumn.ACCURACY:
            return -1.0 if record.test_accuracy is None else record.test_accuracy
        if column == RunColumn.DURATION:
            return record.seconds
        return self._text(record, column)

    def _tooltip(self, record: RunRecord) -> str:
        """The run's id, whole recipe, start and how it ended, and where its checkpoint is."""
        lines = [record.id, TrainConfig.from_dict(record.config).describe(device=record.device or None,
                                                                          images=record.images or None)]
        if record.started_from:
            lines.append(arg(self.tr("Started from %1"), record.started_from))
        if record.message:
            lines.append(record.message)
        checkpoint = self.state.history.checkpoint_path(record)
        lines.append(arg(self.tr("Checkpoint: %1"), checkpoint) if checkpoint.is_file()
                     else arg(self.tr("Checkpoint: %1 (no longer there)"), checkpoint))
        return "\n".join(lines)


class PastRunsPanel(Retranslating, QWidget):
    """The run list with its actions, a banner for unreadable run files, and the selected runs'
    curves overlaid on two charts of its own."""

    #: A line for the run log (a chart saved), as a function giving it in the current language.
    note = Signal(object)

    def __init__(self, state: RunHistoryState, run: TrainingRun, active_model: ActiveModel, jobs: JobRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pastRunsPanel")
        self.state = state
        self.run = run
        self.active_model = active_model
        self.jobs = jobs
        self._colours: dict[str, int] = {}  # run id → its colour, kept while it stays selected
        self._reselect: list[str] = []  # the selection to restore once the list is read again

        self.model = RunHistoryModel(state, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("pastRunsTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RunColumn.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The recipe takes the room left (its whole text is in every row's tooltip).
        header.setSectionResizeMode(RunColumn.SETTINGS, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)

        self.refresh_button = QPushButton()
        self.open_button = QPushButton()
        self.delete_button = QPushButton()
        self.selection_label = muted(QLabel())
        self.selection_label.setObjectName("pastRunsSelectionLabel")
        self.problems_banner = Banner("runProblemsBanner")
        self.loss_chart = RunsLossChart()
        self.accuracy_chart = RunsAccuracyChart()
        self.log_scale_check = QCheckBox()
        self.exporters = [ChartExporter(self.loss_chart, "past-runs-loss"),
                          ChartExporter(self.accuracy_chart, "past-runs-accuracy")]
        for exporter in self.exporters:
            exporter.note.connect(self.note)
        self._lay_out()

        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.log_scale_check.toggled.connect(self.loss_chart.set_log_scale)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self._on_delete_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelAboutToBeReset.connect(self._on_list_about_to_change)
        self.model.modelReset.connect(self._on_list_changed)
        state.changed.connect(self._on_problems_changed)
        state.loading_changed.connect(self._show_selection_text)
        run.changed.connect(self._update_actions)
        self._on_problems_changed()
        self._on_selection_changed()
        self.retranslate()

    def retranslate(self) -> None:
        named(self.refresh_button, "refreshRunsButton", self.tr("Refresh"),
              self.tr("Read the run history again, with the runs trained since on the command line"))
        self.refresh_button.setText(self.tr("&Refresh"))
        named(self.open_button, "openRunModelButton", self.tr("Open model"),
              self.tr("Make the selected run's network the active model, which the Draw and Dataset "
                      "tabs use"))
        self.open_button.setText(self.tr("Open &model"))
        named(self.delete_button, "deleteRunsButton", self.tr("Delete runs"),
              self.tr("Delete the selected runs: their records and checkpoints (asks first)"))
        self.delete_button.setText(self.tr("&Delete…"))
        named(self.table, "pastRunsTable", self.tr("Past runs"),
              self.tr("Every training run, newest first; select several (Ctrl+click, Shift+click) to "
                      "compare their curves below"))
        named(self.log_scale_check, "pastLossLogScaleCheck", self.tr("Past runs' loss chart log scale"),
              self.tr("Show the loss on a logarithmic axis, so that late differences between the runs "
                      "stay visible"))
        self.log_scale_check.setText(self.tr("Log scale"))
        self.model.retranslated()
        self._on_problems_changed()
        if self.state.problems:  # their reasons, formed again in this language, follow `changed`
            self.state.refresh(announce=False)
        self._show_selection_text()

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.open_button)
        actions.addWidget(self.delete_button)
        actions.addSpacing(12)
        actions.addWidget(self.selection_label, 1)

        loss_box = chart_box(self.loss_chart, self.exporters[0], self.log_scale_check)
        accuracy_box = chart_box(self.accuracy_chart, self.exporters[1])
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.setObjectName("pastChartsSplitter")
        charts.setChildrenCollapsible(False)
        charts.addWidget(loss_box)
        charts.addWidget(accuracy_box)
        charts.setSizes([1000, 1000])
        body = QSplitter(Qt.Orientation.Vertical)
        body.setObjectName("pastRunsSplitter")
        body.setChildrenCollapsible(False)
        body.addWidget(self.table)
        body.addWidget(charts)
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 3)
        body.setSizes([140, 360])
        self.table.setMinimumHeight(90)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(actions)
        layout.addWidget(self.problems_banner)
        layout.addWidget(body, 1)

    # --- the list --------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Runs trained on the command line meanwhile appear whenever the page is shown."""
        super().showEvent(event)
        self.state.refresh()

    def selected_records(self) -> list[RunRecord]:
        """The selected runs, in the list's order."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda index: index.row())
        return [self.model.record(self.proxy.mapToSource(index).row()) for index in rows]

    def select_runs(self, run_ids: list[str]) -> None:
        """Select exactly the listed runs (those still in the history)."""
        wanted = set(run_ids)
        selection = QItemSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(RUN_ID_ROLE) in wanted:
                selection.select(index, self.proxy.index(row, len(RunColumn) - 1))
        self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                           | QItemSelectionModel.SelectionFlag.Rows)

    @Slot()
    def _on_list_about_to_change(self) -> None:
        self._reselect = [record.id for record in self.selected_records()]

    @Slot()
    def _on_list_changed(self) -> None:
        """The history was read again: keep the runs that were selected, with their colours."""
        if self._reselect:
            self.select_runs(self._reselect)
        self._reselect = []
        self._on_selection_changed()

    def _on_selection_changed(self, *_args) -> None:
        records = self.selected_records()
        ids = [record.id for record in records]
        self._colours = {run_id: index for run_id, index in self._colours.items() if run_id in ids}
        for run_id in ids:
            if run_id not in self._colours:
                used = set(self._colours.values())
                self._colours[run_id] = next(i for i in range(len(ids) + len(RUN_COLOURS)) if i not in used)
        shown = [ShownRun(record, label, RUN_COLOURS[self._colours[record.id] % len(RUN_COLOURS)])
                 for record, label in zip(records, run_labels(records))]
        self.loss_chart.show_runs(shown)
        self.accuracy_chart.show_runs(shown)
        self._show_selection_text()
        self._update_actions()

    def _show_selection_text(self, *_args) -> None:
        total, chosen = self.proxy.rowCount(), len(self.table.selectionModel().selectedRows())
        if not total and self.state.loading and not self.state.records:
            text = self.tr("Reading the run history…")
        elif not total:
            text = self.tr("No runs yet: every training run, in this window or on the command line, is "
                           "kept here.")
        elif not chosen:
            text = arg(self.tr("%1 run(s). Select runs to compare their curves: Ctrl+click or "
                               "Shift+click selects several."), total)
        else:
            text = arg(self.tr("%1 of %2 run(s) selected"), chosen, total)
        self.selection_label.setText(text)

    def _live_run_selected(self, records: list[RunRecord]) -> bool:
        return self.run.running and any(record.id == self.run.run_id for record in records)

    @Slot()
    def _update_actions(self) -> None:
        records = self.selected_records()
        live = self._live_run_selected(records)
        self.open_button.setEnabled(len(records) == 1 and not live)
        self.delete_button.setEnabled(bool(records) and not live)

    # --- problems ----------------------------------------------------------------------------

    @Slot()
    def _on_problems_changed(self) -> None:
        """The banner counts the run files that could not be read; its tooltip says why."""
        problems = self.state.problems
        if not problems:
            self.problems_banner.hide()
            return
        self.problems_banner.show_message("warning", arg(self.tr(
            "%1 run file(s) could not be read: they are skipped and left as they are. Point here "
            "for the details."), len(problems)))
        self.problems_banner.setToolTip("\n".join(problems))

    # --- actions -----------------------------------------------------------------------------

    @Slot()
    def _on_refresh_clicked(self) -> None:
        self.state.refresh()

    @Slot()
    def _on_open_clicked(self) -> None:
        records = self.selected_records()
        if len(records) != 1 or self._live_run_selected(records):
            return
        record = records[0]
        path: Path = self.state.history.checkpoint_path(record)
        if not path.is_file():
            QMessageBox.warning(self, self.tr("Cannot open model"), arg(self.tr(
                "The checkpoint of run %1 is gone: %2 no longer exists. The run's curves stay in "
                "the history."), record.id, path))
            return
        self.active_model.load_async(self.jobs, path)

    @Slot()
    def _on_delete_clicked(self) -> None:
        records = self.selected_records()
        if not records or self._live_run_selected(records):
            return
        names = [record.id for record in records[:MAX_NAMED_RUNS]]
        if len(records) > MAX_NAMED_RUNS:
            names.append(arg(self.tr("and %1 more"), len(records) - MAX_NAMED_RUNS))
        answer = QMessageBox.question(
            self, self.tr("Delete runs"),
            arg(self.tr("Delete %1 run(s)? Their records and checkpoints are removed for good:\n\n%2"),
                len(records), "\n".join(names)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.state.delete([record.id for record in records])
