"""Two models on the same images: the active model (A) against a second one the user picks (B).

`ModelComparison` holds B: which model is chosen (from the window's `RunHistoryState.models`:
the shipped models, then the user's runs), loading it on a job, and its predictions, computed by a
second `PredictionStore` exactly the way A's are. `CompareBar` is the row under the filter bar
that picks B and filters the grid by outcome (only A right, only B right, both wrong, both
right); `AgreementView` is the two-by-two table of outcomes beside the confusion matrix, each
count a button that shows those images. The counting is the core's `agreement()`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lenet_app.core.agreement import Agreement, Outcome, agreement
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.inference import load_model
from lenet_app.core.model_catalogue import ModelEntry
from lenet_app.core.my_digits import MY_DIGITS_SPLIT
from lenet_app.gui.dataset.predictions import PredictionStore, reading_format
from lenet_app.gui.jobs import Job, JobControl, JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.run_history_state import RunHistoryState
from lenet_app.gui.state import ActiveModel, DatasetState
from lenet_app.gui.style import BANNER_TINTS, CORRECT, MARGIN, MISTAKE, MUTED_TEXT, SPACING, bold_font, hex_color
from lenet_app.gui.text import arg, format_count, format_percent
from lenet_app.gui.widgets import Banner

#: The outcome filter's choices, in the order the combo box lists them (None: every image).
OUTCOME_CHOICES = (None, Outcome.A_ONLY, Outcome.B_ONLY, Outcome.BOTH_WRONG, Outcome.BOTH_RIGHT)


def outcome_title(outcome: Outcome, name_a: str, name_b: str) -> str:
    """"Only lenet5 right" (and the other wrong): an outcome in the models' own names."""
    if outcome in (Outcome.A_ONLY, Outcome.B_ONLY):
        return arg(QCoreApplication.translate("ModelComparison", "Only %1 right"),
                   name_a if outcome is Outcome.A_ONLY else name_b)
    if outcome is Outcome.BOTH_RIGHT:
        return QCoreApplication.translate("ModelComparison", "Both right")
    return QCoreApplication.translate("ModelComparison", "Both wrong")


def _resolved(path: str | os.PathLike) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path).absolute()


def _load(path: Path, control: JobControl) -> TrainedModel:
    return load_model(path)


class ComparedModel(QObject):
    """Model B as B's `PredictionStore` follows it: `model` is None while none is chosen or while
    the chosen one loads, so the store has nothing to evaluate then."""

    changed = Signal(object)  # TrainedModel | None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model: TrainedModel | None = None

    @property
    def model(self) -> TrainedModel | None:
        return self._model

    def set_model(self, model: TrainedModel | None) -> None:
        self._model = model
        self.changed.emit(model)


class ModelComparison(QObject):
    """Which model B is (none by default), loading it, its predictions, and both models' names.

    Choosing another B drops B's answers at once and loads the new one on a job (a late answer
    from an earlier choice is recognised by its sender and ignored). A checkpoint that cannot be
    loaded leaves B off and says why once (`load_failed`); nothing about model A changes.
    """

    changed = Signal()  # B chosen, loaded or turned off, the models to pick or a model's name changed
    load_failed = Signal(str, str)  # the model's name, why it could not be loaded (B is off again)

    def __init__(self, dataset: DatasetState, store_a: PredictionStore, active_model: ActiveModel,
                 run_history: RunHistoryState, jobs: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store_a = store_a
        self.compared = ComparedModel(self)
        self.store = PredictionStore(dataset, self.compared, jobs, self)  # B's answers, as A's
        self._active_model = active_model
        self._run_history = run_history
        self._jobs = jobs
        self._entry: ModelEntry | None = None
        self._load_job: Job | None = None
        self._name_a = self._find_name_a()
        active_model.changed.connect(self._on_names_changed)
        run_history.changed.connect(self._on_models_changed)

    # --- what views read ------------------------------------------------------------------

    @property
    def models(self) -> list[ModelEntry]:
        """The models B can be: the shipped ones first, then the user's runs'."""
        return self._run_history.models

    @property
    def entry(self) -> ModelEntry | None:
        """Model B as chosen (loading or loaded), None when the comparison is off."""
        return self._entry

    @property
    def on(self) -> bool:
        return self._entry is not None

    @property
    def loading(self) -> bool:
        return self._load_job is not None

    def name_a(self) -> str:
        """The active model's name: its shipped name or run id when it is one of them, else its
        architecture."""
        return self._name_a

    def name_b(self) -> str:
        return "" if self._entry is None else self._entry.name

    def agreement(self, split_name: str) -> Agreement | None:
        """Both models' outcomes on a split, None until both have read all of it."""
        result_a, result_b = self.store_a.result(split_name), self.store.result(split_name)
        if result_a is None or result_b is None or len(result_a) != len(result_b):
            return None
        return agreement(result_a.labels, result_a.predictions, result_b.predictions)

    # --- control ---------------------------------------------------------------------------

    def choose(self, name: str | None) -> None:
        """Compare with the model called `name` (a shipped model or a run id); None: stop comparing."""
        entry = None if name is None else self._run_history.model_entry(name)
        if entry == self._entry:
            return
        self._stop_loading()
        self._entry = entry
        self.compared.set_model(None)  # B's answers so far are another model's
        if entry is not None:
            job = Job(partial(_load, entry.path), "load-compared-model")
            job.succeeded.connect(self._on_loaded)
            job.failed.connect(self._on_load_failed)
            self._load_job = job
            self._jobs.start(job)
        self.changed.emit()

    def cancel(self) -> None:
        """Ask B's loading and evaluation to stop; neither waits."""
        self._stop_loading()
        self.store.cancel()

    def _stop_loading(self) -> None:
        if self._load_job is not None:
            self._load_job.cancel()
            self._load_job = None

    # --- signals ---------------------------------------------------------------------------

    @Slot(object)
    def _on_loaded(self, model: TrainedModel) -> None:
        if self._load_job is None or self.sender() is not self._load_job:
            return
        self._load_job = None
        self.compared.set_model(model)
        self.changed.emit()

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        if self._load_job is None or self.sender() is not self._load_job:
            return
        name = self.name_b()
        self._load_job = None
        self._entry = None
        self.changed.emit()
        self.load_failed.emit(name, message)

    @Slot()
    def _on_names_changed(self) -> None:
        self._name_a = self._find_name_a()
        self.changed.emit()

    @Slot()
    def _on_models_changed(self) -> None:
        """A deleted run's model stops being B; a new one can be picked."""
        if self._entry is not None and self._run_history.model_entry(self._entry.name) is None:
            self.choose(None)
        self._on_names_changed()

    def _find_name_a(self) -> str:
        model = self._active_model.model
        if model.path is not None:
            path = _resolved(model.path)
            for entry in self._run_history.models:
                if _resolved(entry.path) == path:
                    return entry.name
        return model.architecture


class CompareBar(Retranslating, QWidget):
    """"Compare with: [model]  Show: [outcome]" under the filter bar, with B's progress and, when
    B could not be loaded, why. `outcome_changed` fires once per change of the outcome filter."""

    outcome_changed = Signal()

    def __init__(self, comparison: ModelComparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareBar")
        self._comparison = comparison
        self._quiet = False
        self._ready: tuple[bool, bool] = (False, False)  # both models' answers in; B's failed
        self._evaluating: str | None = None  # the split B is reading
        self._failure: tuple[str, str] | None = None  # B that could not be loaded: name, why

        self.model_label = QLabel()
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("compareModelCombo")
        # Wide enough for a shipped model's name and accuracy; a run's longer id is elided
        # here and shown whole in the list (`_on_comparison_changed` widens it).
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setMinimumContentsLength(22)
        self.model_label.setBuddy(self.model_combo)
        self.outcome_label = QLabel()
        self.outcome_combo = QComboBox()
        self.outcome_combo.setObjectName("outcomeFilterCombo")
        self.outcome_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for outcome in OUTCOME_CHOICES:
            self.outcome_combo.addItem("", outcome)
        self.outcome_label.setBuddy(self.outcome_combo)
        self.progress = QProgressBar()
        self.progress.setObjectName("compareProgressBar")
        self.progress.setMaximumHeight(18)
        self.progress.hide()
        self.error_banner = Banner("compareErrorBanner")

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.model_label)
        row.addWidget(self.model_combo)
        row.addSpacing(MARGIN)
        row.addWidget(self.outcome_label)
        row.addWidget(self.outcome_combo)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.error_banner)

        self.model_combo.currentIndexChanged.connect(self._on_model_chosen)
        self.outcome_combo.currentIndexChanged.connect(self._on_outcome_chosen)
        comparison.changed.connect(self._on_comparison_changed)
        comparison.load_failed.connect(self._on_load_failed)
        store = comparison.store
        store.started.connect(self._on_evaluation_started)
        store.progress.connect(self._on_evaluation_progress)
        store.idle.connect(self._on_evaluation_idle)
        store.failed.connect(self._on_evaluation_failed)
        store.reset.connect(self._on_evaluation_reset)
        self.retranslate()

    def retranslate(self) -> None:
        """Labels, tooltips and items, and the progress or error shown now."""
        self.model_label.setText(self.tr("Compare w&ith:"))
        self.model_combo.setAccessibleName(self.tr("Model to compare with"))
        self.model_combo.setToolTip(self.tr(
            "A second model to read the same images: a shipped model or one your training runs made. "
            "The active model is the first one"))
        self.outcome_label.setText(self.tr("Sho&w:"))
        self.outcome_combo.setAccessibleName(self.tr("Which model got the images right"))
        self.progress.setAccessibleName(self.tr("Progress of the model compared"))
        self.set_outcome_ready(*self._ready)
        self._on_comparison_changed()
        if self._failure is not None:
            self._show_failure()
        elif self._comparison.store.error is not None:
            self._on_evaluation_failed(self._comparison.store.error)

    # --- state -----------------------------------------------------------------------------

    def outcome(self) -> Outcome | None:
        """The outcome the grid is filtered to; None when every image is shown or B is off."""
        return self.outcome_combo.currentData() if self._comparison.on else None

    def set_outcome(self, outcome: Outcome | None, quiet: bool = False) -> None:
        """Filter to an outcome: one `outcome_changed` (none when it is already the one, or
        `quiet` when the caller changes more and says so once)."""
        with self._silent(quiet):
            self.outcome_combo.setCurrentIndex(OUTCOME_CHOICES.index(outcome))

    @Slot()
    def clear_outcome(self) -> None:
        """Back to every image without a signal (the filter bar's "Show all" says it once)."""
        self.set_outcome(None, quiet=True)

    def set_outcome_ready(self, ready: bool, failed: bool = False) -> None:
        """The outcome filter works once both models have read the split shown."""
        self._ready = (ready, failed)
        self.outcome_combo.setEnabled(ready)
        if ready:
            self.outcome_combo.setToolTip(self.tr(
                "Show only the images one model reads right and the other wrong, both wrong or both right"))
        elif failed:
            self.outcome_combo.setToolTip(self.tr("Needs both models' predictions, which could not be computed"))
        else:
            self.outcome_combo.setToolTip(self.tr(
                "Needs both models' predictions for this split; they are being computed"))

    # --- internals -------------------------------------------------------------------------

    @contextmanager
    def _silent(self, quiet: bool = True) -> Iterator[None]:
        before, self._quiet = self._quiet, self._quiet or quiet
        try:
            yield
        finally:
            self._quiet = before

    @Slot()
    def _on_comparison_changed(self) -> None:
        """The items (the models may have changed), which one is chosen, and the outcome names."""
        comparison = self._comparison
        with self._silent():
            self.model_combo.clear()
            self.model_combo.addItem(self.tr("No comparison"), None)
            for position, entry in enumerate(comparison.models):
                if position and not entry.shipped and comparison.models[position - 1].shipped:
                    self.model_combo.insertSeparator(self.model_combo.count())
                self.model_combo.addItem(entry.name if entry.test_accuracy is None else arg(
                    self.tr("%1 (%2)"), entry.name, format_percent(entry.test_accuracy)), entry.name)
            chosen = self.model_combo.findData(comparison.name_b()) if comparison.on else 0
            self.model_combo.setCurrentIndex(max(0, chosen))
            view = self.model_combo.view()
            view.setMinimumWidth(view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width())
            for i, outcome in enumerate(OUTCOME_CHOICES):
                self.outcome_combo.setItemText(i, self.tr("All images") if outcome is None else outcome_title(
                    outcome, comparison.name_a(), comparison.name_b()))
            if not comparison.on and self.outcome_combo.currentIndex():
                self.outcome_combo.setCurrentIndex(0)  # the grid follows `changed` of the comparison
        for widget in (self.outcome_label, self.outcome_combo):
            widget.setVisible(comparison.on)
        if comparison.loading:
            self.progress.setRange(0, 0)
            self.progress.setFormat(arg(self.tr("Loading %1…"), comparison.name_b()))
            self.progress.setToolTip("")
            self.progress.show()
        elif self._evaluating is not None and comparison.on:
            self._show_reading()
        else:
            self.progress.hide()

    def _show_reading(self) -> None:
        self.progress.setFormat(reading_format(self._evaluating, self._comparison.name_b()))
        self.progress.setToolTip(self.tr("The model compared is reading every image; the outcome filter "
                                         "and the agreement table follow when it is done"))
        self.progress.show()

    @Slot(int)
    def _on_model_chosen(self, _index: int) -> None:
        if self._quiet:
            return
        self._failure = None
        self.error_banner.hide()
        self._comparison.choose(self.model_combo.currentData())

    @Slot(int)
    def _on_outcome_chosen(self, _index: int) -> None:
        if not self._quiet:
            self.outcome_changed.emit()

    @Slot(str, str)
    def _on_load_failed(self, name: str, message: str) -> None:
        self._failure = (name, message)
        self._show_failure()

    def _show_failure(self) -> None:
        name, message = self._failure
        self.error_banner.show_message("error", arg(self.tr(
            "Could not compare with %1 (the comparison is off, the active model is unchanged): %2"),
            name, message))

    @Slot(str, int)
    def _on_evaluation_started(self, split_name: str, total: int) -> None:
        self._evaluating = split_name
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self._show_reading()

    @Slot(str, int, int)
    def _on_evaluation_progress(self, split_name: str, done: int, total: int) -> None:
        self.progress.setValue(done)

    @Slot()
    def _on_evaluation_idle(self) -> None:
        self._evaluating = None
        if not self._comparison.loading:
            self.progress.hide()

    @Slot()
    def _on_evaluation_reset(self) -> None:
        """B's answers are computed again (other data, another B): an old evaluation error is moot."""
        if self._failure is None:
            self.error_banner.hide()

    @Slot(str)
    def _on_evaluation_failed(self, message: str) -> None:
        self.error_banner.show_message("error", arg(self.tr("Could not evaluate %1: %2"),
                                                    self._comparison.name_b(), message))


class AgreementView(Retranslating, QFrame):
    """Both models' outcomes on the test set (or the user's digits while they are browsed) as a
    two-by-two table, with the agreement rate and each model's accuracy. Clicking a count shows
    those images (`outcome_activated`); clicking the shown one again shows every image."""

    outcome_activated = Signal(object)  # Outcome | None

    #: The table's cells: (row: A right?, column: B right?) → outcome.
    CELLS = {(0, 0): Outcome.BOTH_RIGHT, (0, 1): Outcome.A_ONLY, (1, 0): Outcome.B_ONLY,
             (1, 1): Outcome.BOTH_WRONG}

    def __init__(self, dataset: DatasetState, comparison: ModelComparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementView")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._dataset = dataset
        self._comparison = comparison
        self._split = "test"
        self._shown_outcome: Outcome | None = None

        self.title_label = QLabel()  # the table's corner: which images
        self.title_label.setObjectName("agreementTitleLabel")
        self.title_label.setFont(bold_font(self.title_label.font(), 1.1))
        self.status_label = QLabel()
        self.status_label.setObjectName("agreementStatusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("agreementFactsLabel")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextFormat(Qt.TextFormat.RichText)
        self.table = QWidget()
        self.table.setObjectName("agreementTable")
        grid = QGridLayout(self.table)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(SPACING)
        grid.setVerticalSpacing(4)
        self.row_labels = [QLabel(), QLabel()]
        self.column_labels = [QLabel(), QLabel()]
        for i, label in enumerate(self.row_labels):
            label.setFont(bold_font(label.font()))
            grid.addWidget(label, i + 1, 0)
        for i, label in enumerate(self.column_labels):
            label.setFont(bold_font(label.font()))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, 0, i + 1)
        grid.addWidget(self.title_label, 0, 0)
        self.cells: dict[Outcome, QToolButton] = {}
        for (row, column), outcome in self.CELLS.items():
            cell = QToolButton()
            cell.setObjectName(f"agreementCell-{outcome.value}")
            cell.setCheckable(True)
            cell.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            cell.setStyleSheet(self._cell_style(outcome))
            cell.clicked.connect(partial(self._on_cell_clicked, outcome))
            self.cells[outcome] = cell
            grid.addWidget(cell, row + 1, column + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN - 2, MARGIN // 2, MARGIN - 2, MARGIN // 2)
        layout.setSpacing(4)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table)
        layout.addWidget(self.facts_label)

        comparison.changed.connect(self._refresh)
        for store in (comparison.store_a, comparison.store):
            store.reset.connect(self._refresh)
            store.ready.connect(self._on_ready)
            store.failed.connect(self._refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setAccessibleName(self.tr("Which model got the images right"))
        self._refresh()

    @staticmethod
    def _cell_style(outcome: Outcome) -> str:
        background, border, _text = BANNER_TINTS["success" if outcome is Outcome.BOTH_RIGHT else
                                                 "error" if outcome is Outcome.BOTH_WRONG else "info"]
        text = {Outcome.BOTH_RIGHT: CORRECT, Outcome.BOTH_WRONG: MISTAKE}.get(outcome)
        color = "" if text is None else f"color: {hex_color(text)};"
        return (f"QToolButton {{ background: {hex_color(background)}; border: 1px solid {hex_color(background)};"
                f" border-radius: 4px; padding: 2px 8px; font-weight: bold; {color} }}"
                f" QToolButton:hover {{ border-color: {hex_color(border)}; }}"
                f" QToolButton:checked {{ background: {hex_color(background)}; border: 2px solid {hex_color(border)}; }}")

    # --- public ----------------------------------------------------------------------------

    def set_split(self, name: str) -> None:
        """Follow the browsed split, as the confusion matrix does (the training set shows the test set's)."""
        name = MY_DIGITS_SPLIT if name == MY_DIGITS_SPLIT else "test"
        if name != self._split:
            self._split = name
            self._refresh()

    def show_outcome(self, outcome: Outcome | None) -> None:
        """Mark the cell the grid is filtered to (None: no outcome filter)."""
        self._shown_outcome = outcome
        for cell_outcome, cell in self.cells.items():
            cell.setChecked(cell_outcome is outcome)

    # --- internals -------------------------------------------------------------------------

    @Slot(str)
    def _on_ready(self, split_name: str) -> None:
        if split_name == self._split:
            self._refresh()

    def _on_cell_clicked(self, outcome: Outcome, _checked: bool = False) -> None:
        self.show_outcome(self._shown_outcome)  # the grid's filter decides what is checked
        self.outcome_activated.emit(None if outcome is self._shown_outcome else outcome)

    @Slot()
    def _refresh(self) -> None:
        comparison = self._comparison
        self.setVisible(comparison.on)
        if not comparison.on:
            return
        name_a, name_b = comparison.name_a(), comparison.name_b()
        self.title_label.setText(self.tr("My digits") if self._split == MY_DIGITS_SPLIT else self.tr("Test set"))
        for i, name in enumerate((name_a, name_b)):
            labels = self.row_labels if i == 0 else self.column_labels
            labels[0].setText(arg(self.tr("%1 right"), name))
            labels[1].setText(arg(self.tr("%1 wrong"), name))
        result = comparison.agreement(self._split)
        self.table.setVisible(result is not None)
        self.facts_label.setVisible(result is not None)
        self.status_label.setVisible(result is None)
        if result is None:
            self.status_label.setText(arg(self.tr("<b>%1</b> vs <b>%2</b>: %3"), name_a, name_b,
                                          self._waiting_text()))
            return
        for outcome, cell in self.cells.items():
            count = result.count(outcome)
            cell.setText(f"{format_count(count)} · {format_percent(result.share(outcome))}")
            title = outcome_title(outcome, name_a, name_b)
            cell.setAccessibleName(arg(self.tr("%1: %2 images"), title, format_count(count)))
            cell.setToolTip(arg(self.tr("%1: show these %2 images (click again to show all)"), title,
                                format_count(count)))
        self.facts_label.setText(arg(self.tr(
            "Same digit on <b>%1</b> of the images · accuracy: %2 <b>%3</b>, %4 <b>%5</b>"),
            format_percent(result.agreement_rate), name_a, format_percent(result.accuracy_a), name_b,
            format_percent(result.accuracy_b)))
        self.facts_label.setStyleSheet(f"color: {hex_color(MUTED_TEXT)};")

    def _waiting_text(self) -> str:
        comparison = self._comparison
        split = self._dataset.split(self._split)
        if comparison.store.error is not None or comparison.store_a.error is not None:
            return self.tr("the predictions could not be computed (see above the images).")
        if split is None or len(split) == 0:
            return self.tr("no images to compare on.")
        if comparison.loading:
            return self.tr("loading the model…")
        return self.tr("both models are reading the images…")
