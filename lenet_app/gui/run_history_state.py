"""The run history and the models to pick from, as the whole window shares them: one
`RunHistoryState` per main window.

The Train tab lists its runs and deletes them; the Draw and Dataset tabs' model pickers list
`models` (the shipped ones, then each run's); every view follows `changed`. Reading the history
is a few small JSON files, so `refresh` runs on the GUI thread, after a run ends, after a delete
and at start-up. Files that cannot be read are reported in `problems` (and by `problems_found`
once per new problem), never deleted.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from lenet_app.core.model_catalogue import ModelEntry, run_entries, shipped_entries
from lenet_app.core.run_history import RunHistory, RunHistoryError, RunRecord


class RunHistoryState(QObject):
    """Past runs (newest first), the models to pick, and what could not be read."""

    changed = Signal()
    problems_found = Signal(list)  # new messages about run files that could not be read
    failed = Signal(str)  # an action (delete) could not be done: why, in one sentence

    def __init__(self, history: RunHistory | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = history if history is not None else RunHistory()
        self.records: list[RunRecord] = []
        self.models: list[ModelEntry] = []
        self.problems: list[str] = []
        self._shipped = shipped_entries()
        self.refresh()

    def refresh(self) -> None:
        """Read the history again and tell the views."""
        records, problems = self.history.runs()
        runs, unknown = run_entries(records, self.history)
        new = [p for p in problems + unknown if p not in self.problems]
        self.records, self.problems = records, problems + unknown
        self.models = self._shipped + runs
        self.changed.emit()
        if new:
            self.problems_found.emit(new)

    def record(self, run_id: str) -> RunRecord | None:
        return next((r for r in self.records if r.id == run_id), None)

    def model_entry(self, name: str) -> ModelEntry | None:
        return next((m for m in self.models if m.name == name), None)

    def delete(self, run_ids: list[str]) -> list[str]:
        """Delete runs (record and checkpoint); returns the ids deleted. The first failure
        stops and is reported by `failed`; the runs deleted before it stay deleted."""
        deleted = []
        try:
            for run_id in run_ids:
                self.history.delete(run_id)
                deleted.append(run_id)
        except RunHistoryError as exc:
            self.failed.emit(str(exc))
        if deleted:
            self.refresh()
        return deleted
