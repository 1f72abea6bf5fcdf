"""The Draw tab's model picker: every model the user can draw for, one choice away.

A combo over `RunHistoryState.models` (the shipped models, then the checkpoints of the user's
training runs, each with its test accuracy), rebuilt when the history changes. Choosing one loads
it with `ActiveModel.load_async`; the window says why when a checkpoint cannot be used (the same
message as File → Load model gives), and the combo goes back to the model still active. The
combo always shows the active model, also when it changes elsewhere (File → Load model, a
training run): one that is not in the list gets an entry of its own, named by its file.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from lenet_app.core.architectures import ARCHITECTURES
from lenet_app.core.checkpoint import TrainedModel
from lenet_app.core.i18n import _
from lenet_app.core.model_catalogue import ModelEntry
from lenet_app.core.run_history import RunRecord
from lenet_app.gui.jobs import JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.run_history_state import RunHistoryState
from lenet_app.gui.state import ActiveModel
from lenet_app.gui.style import SPACING
from lenet_app.gui.text import arg, format_percent

#: Item data role holding the checkpoint path of an entry ("" for a model that has no file).
PATH_ROLE = Qt.ItemDataRole.UserRole
#: Item data role that marks the entry of an active model the list does not hold.
OTHER_ROLE = Qt.ItemDataRole.UserRole + 1


def same_file(a: str | os.PathLike | None, b: str | os.PathLike | None) -> bool:
    """Whether two paths name one checkpoint (relative or through links alike)."""
    if not a or not b:
        return False
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _run_date(record: RunRecord) -> str:
    """When a run started, as `2026-03-04 14:05`: unambiguous in every language."""
    started = record.created_time
    return record.created if started is None else started.strftime("%Y-%m-%d %H:%M")


class ModelPicker(Retranslating, QWidget):
    """A labelled combo of the models of `run_history` (e.g. "lenet5 — 99.39%"), the active
    model selected."""

    def __init__(self, active_model: ActiveModel, run_history: RunHistoryState, jobs: JobRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelPickerBar")
        self._active_model = active_model
        self._run_history = run_history
        self._jobs = jobs
        self._loading: Path | None = None  # the checkpoint being loaded for the user's choice

        self.label = QLabel()
        self.combo = QComboBox()
        self.combo.setObjectName("modelPicker")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(18)
        self.label.setBuddy(self.combo)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        row.addWidget(self.label)
        row.addWidget(self.combo)

        self.combo.activated.connect(self._on_activated)  # the user's choices only
        run_history.changed.connect(self._rebuild)
        active_model.changed.connect(self._on_model_changed)
        # How a load ends: a job may end before `load_async` returns, so its own signals could be
        # missed here; the active model's are connected before any job starts.
        active_model.loaded.connect(self._on_load_finished)
        active_model.load_failed.connect(self._on_load_finished)
        self.retranslate()

    def retranslate(self) -> None:
        """The label and every item again (the items keep the active model selected)."""
        self.label.setText(self.tr("&Model:"))
        self.combo.setAccessibleName(self.tr("Model"))
        self.combo.setToolTip(self.tr("The model that reads your drawing: one that ships with the app, "
                                      "or one made by your training runs"))
        self._rebuild()

    # --- what tests and the tab read ------------------------------------------------------

    def entries(self) -> list[str]:
        """The checkpoint path of each item, in order ("" for a model without a file)."""
        return [self.combo.itemData(i, PATH_ROLE) for i in range(self.combo.count())
                if self.combo.itemData(i, PATH_ROLE) is not None]

    def is_loading(self) -> bool:
        return self._loading is not None

    # --- the items ------------------------------------------------------------------------

    def _accuracy(self, accuracy: float | None) -> str:
        return self.tr("not evaluated") if accuracy is None else format_percent(accuracy)

    def _entry_text(self, entry: ModelEntry) -> str:
        if entry.shipped:
            return arg(self.tr("%1 — %2"), entry.name, self._accuracy(entry.test_accuracy))
        record = self._run_history.record(entry.name)
        if record is None:
            return arg(self.tr("Run %1 — %2"), entry.name, self._accuracy(entry.test_accuracy))
        return arg(self.tr("Run: %1, %2 — %3"), entry.architecture, _run_date(record),
                   self._accuracy(entry.test_accuracy))

    def _entry_tip(self, entry: ModelEntry) -> str:
        info = ARCHITECTURES.get(entry.architecture)
        description = _(info.description) if info is not None else entry.architecture
        if entry.shipped:
            head = arg(self.tr("Shipped with the app: %1"), description)
        else:
            head = arg(self.tr("Your training run %1: %2"), entry.name, description)
        return f"{head}\n{entry.path}"

    def _other_text(self, model: TrainedModel) -> str:
        """A model that is not in the list: one trained in this session, or a file opened."""
        accuracy = self._accuracy(model.test_accuracy)
        if model.path is None:
            return arg(self.tr("%1, trained in this session (not saved) — %2"), model.architecture, accuracy)
        name = self.combo.fontMetrics().elidedText(Path(model.path).name, Qt.TextElideMode.ElideMiddle, 220)
        return arg(self.tr("%1 (opened file) — %2"), name, accuracy)

    @Slot()
    def _rebuild(self) -> None:
        """The items from the history's models (shipped, a separator, the runs'), then the
        active model selected."""
        self.combo.clear()
        models = self._run_history.models
        for group in ([e for e in models if e.shipped], [e for e in models if not e.shipped]):
            if group and self.combo.count():
                self.combo.insertSeparator(self.combo.count())
            for entry in group:
                self.combo.addItem(self._entry_text(entry), str(entry.path))
                self.combo.setItemData(self.combo.count() - 1, self._entry_tip(entry),
                                       Qt.ItemDataRole.ToolTipRole)
        self._select_current()

    def _select_current(self) -> None:
        """Select the model being loaded, else the active one (adding an item of its own when
        the list does not hold it); a stale item of that kind is removed first."""
        self._remove_other()
        model = self._active_model.model
        wanted = self._loading if self._loading is not None else model.path
        for index in range(self.combo.count()):
            if same_file(self.combo.itemData(index, PATH_ROLE), wanted):
                self.combo.setCurrentIndex(index)
                return
        if self.combo.count():
            self.combo.insertSeparator(self.combo.count())
        self.combo.addItem(self._other_text(model), "" if model.path is None else str(model.path))
        last = self.combo.count() - 1
        self.combo.setItemData(last, True, OTHER_ROLE)
        self.combo.setItemData(last, str(model.path) if model.path else self.tr("Trained in this session"),
                               Qt.ItemDataRole.ToolTipRole)
        self.combo.setCurrentIndex(last)

    def _remove_other(self) -> None:
        last = self.combo.count() - 1
        if last >= 0 and self.combo.itemData(last, OTHER_ROLE):
            self.combo.removeItem(last)
            if last >= 1 and self.combo.itemData(last - 1, PATH_ROLE) is None:
                self.combo.removeItem(last - 1)  # its separator

    # --- choosing -------------------------------------------------------------------------

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        path = self.combo.itemData(index, PATH_ROLE)
        if not path or same_file(path, self._active_model.model.path):
            return
        self._loading = Path(path)
        self.combo.setEnabled(False)  # one load at a time: the last to finish would win
        self._active_model.load_async(self._jobs, path)

    @Slot(str)
    def _on_load_finished(self, _path_or_reason: str) -> None:
        """Loaded (the active model changed) or not (the window said why): either way the
        combo shows the active model again."""
        if self._loading is None:
            return  # a load started elsewhere (File → Load model): `changed` says what to show
        self._loading = None
        self.combo.setEnabled(True)
        self._select_current()

    @Slot(object)
    def _on_model_changed(self, model: TrainedModel) -> None:
        self._select_current()
