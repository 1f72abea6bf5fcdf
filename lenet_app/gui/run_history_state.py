"""The run history and the models to pick from, as the whole window shares them: one
`RunHistoryState` per main window.

The Train tab lists its runs and deletes them; the Draw and Dataset tabs' model pickers list
`models` (the shipped ones, then each run's); every view follows `changed`. Each record holds
every batch's loss, so the history is read on a job (at start-up, when a run ends, after a
delete and when the Past runs page is shown); asks that come while one read is under way are
served by one more read after it. Files that cannot be read are reported in `problems` (and by
`problems_found` once per new problem), never deleted.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from lenet_app.core.model_catalogue import ModelEntry, run_entries, shipped_entries
from lenet_app.core.run_history import RunHistory, RunHistoryError, RunRecord
from lenet_app.gui.jobs import Job, JobControl, JobRunner


class RunHistoryState(QObject):
    """Past runs (newest first), the models to pick, and what could not be read."""

    changed = Signal()
    problems_found = Signal(list)  # new messages about run files that could not be read
    failed = Signal(str)  # an action (delete) could not be done: why, in one sentence
    loading_changed = Signal(bool)

    def __init__(self, jobs: JobRunner, history: RunHistory | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = history if history is not None else RunHistory()
        self.records: list[RunRecord] = []
        self._shipped = shipped_entries()
        self.models: list[ModelEntry] = list(self._shipped)
        self.problems: list[str] = []
        self.loading = False
        self._jobs = jobs
        self._read_again = False
        self._announce_next = False  # whether the next read reports its new problems
        self._announce = True  # whether the read under way does
        self.refresh()

    def refresh(self, announce: bool = True) -> None:
        """Read the history again on a job; `changed` follows. `announce=False`: the same files
        read again to say their problems in another language, so `problems_found` stays quiet."""
        self._announce_next = self._announce_next or announce
        if self.loading:
            self._read_again = True
            return
        self._announce, self._announce_next = self._announce_next, False
        self.loading = True
        self.loading_changed.emit(True)
        job = Job(self._read, "read-run-history")
        job.succeeded.connect(self._on_read)  # a bound slot: no call once this state is gone
        job.failed.connect(self.failed)
        job.finished.connect(self._on_read_finished)
        self._jobs.start(job)

    def _read(self, control: JobControl) -> tuple[list[RunRecord], list[str], list[ModelEntry]]:
        records, problems = self.history.runs()
        runs, unknown = run_entries(records, self.history)
        return records, problems + unknown, runs

    @Slot(object)
    def _on_read(self, result: tuple[list[RunRecord], list[str], list[ModelEntry]]) -> None:
        records, problems, runs = result
        new = [p for p in problems if p not in self.problems]
        self.records, self.problems = records, problems
        self.models = self._shipped + runs
        self.changed.emit()
        if new and self._announce:
            self.problems_found.emit(new)

    @Slot()
    def _on_read_finished(self) -> None:
        self.loading = False
        if self._read_again:
            self._read_again = False
            self.refresh(announce=False)  # the asks made meanwhile already said whether to announce
        else:
            self.loading_changed.emit(False)

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
            gone = set(deleted)  # off the lists at once; the read that follows confirms it
            self.records = [r for r in self.records if r.id not in gone]
            self.models = [m for m in self.models if m.shipped or m.name not in gone]
            self.changed.emit()
            self.refresh()
        return deleted
