"""Every training run remembered: its recipe, its curves and how it ended, as JSON beside its
checkpoint in the user data folder (`runs/ID.json` and `runs/ID.pt`), so that runs can be
listed, compared, reopened and deleted after the window closes — from the GUI and the CLI alike.

`RunRecorder.follow` sits between a trainer and whoever shows its events (the CLI's printer, the
GUI's job): it passes every event on unchanged and keeps the record, written atomically at the
start, after every epoch and at the end, so a crash loses at most the current epoch's curve.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from lenet_app import __version__
from lenet_app.core.checkpoint import atomic_write_bytes
from lenet_app.core.errors import LenetError
from lenet_app.core.i18n import _
from lenet_app.core.mnist import user_data_dir
from lenet_app.core.training_events import (
    BatchProgress,
    Diverged,
    EpochEnd,
    Failed,
    FinetuneEnd,
    Finished,
    Stopped,
    TrainingEvent,
)

FORMAT = "lenet-app-run"
FORMAT_VERSION = 1
#: A run file larger than this is not one of ours (a 1,000-epoch run of batch 16 stays below).
MAX_RUN_FILE_BYTES = 64 * 1024 * 1024
STATUSES = ("running", "finished", "stopped", "diverged", "failed", "interrupted")


class RunHistoryError(LenetError):
    """A run file that cannot be read or written; the message says which and why."""


def runs_dir() -> Path:
    """The per-user folder that holds every run's record and checkpoint."""
    return user_data_dir() / "runs"


def new_run_id(folder: Path, architecture: str) -> str:
    """A fresh id (`lenet5-20261201-101500`): neither its record nor its checkpoint exists yet."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    run_id, counter = f"{architecture}-{stamp}", 2
    while (folder / f"{run_id}.json").exists() or (folder / f"{run_id}.pt").exists():
        run_id = f"{architecture}-{stamp}-{counter}"
        counter += 1
    return run_id


@dataclass
class RunRecord:
    """One run as the history keeps it. Losses and accuracies are plain floats (accuracies
    0–1); `batch_loss[i]` is the loss of global step `first_step + i + 1` (None where it was
    not a number: the batch the run diverged at)."""

    id: str
    architecture: str
    config: dict[str, Any]
    created: str
    surface: str = "cli"
    device: str = ""
    images: int = 0
    status: str = "running"
    message: str = ""
    test_accuracy: float | None = None
    seconds: float = 0.0
    epochs_trained: int = 0
    first_step: int = 0
    steps_per_epoch: int = 0
    batch_loss: list[float | None] = field(default_factory=list)
    epochs: list[dict[str, float]] = field(default_factory=list)
    checkpoint: str = ""  # the file's name in the runs folder
    started_from: str | None = None  # the checkpoint a resumed or fine-tuned run began with
    app_version: str = __version__

    @property
    def created_time(self) -> _dt.datetime | None:
        try:
            return _dt.datetime.fromisoformat(self.created)
        except ValueError:
            return None

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: Any, source: str) -> RunRecord:
        """The record in `data` (a file's parsed JSON), checked field by field."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise RunHistoryError(_("{file}: not a LeNet Digits run record").format(file=source))
        version = data.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise RunHistoryError(_("{file}: written by a newer LeNet Digits ({version}); update the "
                                    "app to read it").format(file=source, version=data.get("app_version", "?")))
        try:
            record = cls(
                id=_text(data["id"]), architecture=_text(data["architecture"]),
                config=_mapping(data["config"]), created=_text(data["created"]),
                surface=_text(data.get("surface", "cli")), device=_text(data.get("device", "")),
                images=int(data.get("images", 0)), status=_choice(data.get("status", "running")),
                message=_text(data.get("message", "")), test_accuracy=_fraction(data.get("test_accuracy")),
                seconds=_number(data.get("seconds", 0.0)), epochs_trained=int(data.get("epochs_trained", 0)),
                first_step=int(data.get("first_step", 0)), steps_per_epoch=int(data.get("steps_per_epoch", 0)),
                batch_loss=[None if v is None else _number(v) for v in _sequence(data.get("batch_loss", []))],
                epochs=[{k: None if v is None else _number(v) for k, v in _mapping(row).items()}
                        for row in _sequence(data.get("epochs", []))],
                checkpoint=_text(data.get("checkpoint", "")),
                started_from=None if data.get("started_from") is None else _text(data["started_from"]),
                app_version=_text(data.get("app_version", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RunHistoryError(_("{file}: damaged run record ({reason})").format(
                file=source, reason=exc)) from exc
        return record


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return float(value)


def _finite(value: float | None) -> float | None:
    """JSON has no NaN or infinity: a loss or accuracy that was not a number is kept as null."""
    return value if value is not None and math.isfinite(value) else None


def _fraction(value: Any) -> float | None:
    if value is None:
        return None
    number = _number(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"accuracy {number} outside 0–1")
    return number


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value


def _sequence(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value


def _choice(value: Any) -> str:
    if value not in STATUSES:
        raise ValueError(f"unknown status {value!r}")
    return value


class RunHistory:
    """The runs in one folder (default: the user data folder's `runs`)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else runs_dir()
        # Records already parsed, by file, with the (inode, mtime, size) they were read at: a record
        # holds every batch's loss, and the GUI reads the history again after each run.
        self._parsed: dict[Path, tuple[tuple[int, int, int], RunRecord]] = {}
        self._parsed_lock = threading.Lock()  # the GUI deletes runs while a job reads them

    def record_path(self, run_id: str) -> Path:
        return self.folder / f"{run_id}.json"

    def checkpoint_path(self, record: RunRecord) -> Path:
        """The run's checkpoint (which the user may have deleted by hand)."""
        return self.folder / (record.checkpoint or f"{record.id}.pt")

    def load(self, run_id: str) -> RunRecord:
        path = self.record_path(run_id)
        if Path(run_id).name != run_id or not path.is_file():
            raise RunHistoryError(_("no run {id} (lenet-app runs list shows them)").format(id=run_id))
        return self._read(path)

    def _read(self, path: Path) -> RunRecord:
        """The record in `path`, parsed again only when the file changed. A file that cannot be
        read is not remembered: its message is formed anew, in the current language."""
        try:
            stat = path.stat()
            version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # atomic saves make a new inode
            with self._parsed_lock:
                cached = self._parsed.get(path)
            if cached is not None and cached[0] == version:
                return cached[1]
            if stat.st_size > MAX_RUN_FILE_BYTES:
                raise RunHistoryError(_("{file}: too large to be a run record").format(file=path))
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise RunHistoryError(_("{file}: cannot be read as a run record ({reason})").format(
                file=path, reason=getattr(exc, "strerror", None) or exc)) from exc
        record = RunRecord.from_json(data, str(path))
        if record.id != path.stem:
            raise RunHistoryError(_("{file}: damaged run record (it names run {id})").format(
                file=path, id=record.id))
        with self._parsed_lock:
            self._parsed[path] = (version, record)
        return record

    def runs(self) -> tuple[list[RunRecord], list[str]]:
        """Every readable run, newest first, and one message for each file that is not."""
        records, problems = [], []
        if not self.folder.is_dir():
            return records, problems
        paths = sorted(self.folder.glob("*.json"))
        with self._parsed_lock:
            for gone in set(self._parsed) - set(paths):
                del self._parsed[gone]
        for path in paths:
            try:
                records.append(self._read(path))
            except RunHistoryError as exc:
                problems.append(str(exc))
        records.sort(key=lambda r: (r.created, r.id), reverse=True)
        return records, problems

    def save(self, record: RunRecord) -> Path:
        path = self.record_path(record.id)
        data = json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, data)
        except OSError as exc:
            raise RunHistoryError(_("cannot save the run record {file}: {reason}").format(
                file=path, reason=exc.strerror or exc)) from exc
        return path

    def delete(self, run_id: str) -> RunRecord:
        """Remove a run's record and its checkpoint; returns the record."""
        record = self.load(run_id)
        checkpoint = self.checkpoint_path(record)
        try:
            if checkpoint.parent == self.folder and checkpoint.exists():
                checkpoint.unlink()
            self.record_path(run_id).unlink()
        except OSError as exc:
            raise RunHistoryError(_("cannot delete run {id}: {reason}").format(
                id=run_id, reason=exc.strerror or exc)) from exc
        return record


class RunRecorder:
    """Keeps one run's record while its events pass through `follow`."""

    def __init__(self, history: RunHistory, run_id: str, surface: str) -> None:
        self.history = history
        self.run_id = run_id
        self.surface = surface
        self.record: RunRecord | None = None
        self.problem: str | None = None  # the first failure to save, if any: the run goes on
        self._started = 0.0

    @property
    def checkpoint_path(self) -> Path:
        """Where the run's checkpoint belongs: beside its record."""
        return self.history.folder / f"{self.run_id}.pt"

    def start(self, trainer) -> None:
        """Begin the record from a prepared trainer (config, device, where it resumed)."""
        config = trainer.config
        started_from = trainer.resume_from
        if started_from is None and trainer.finetune is not None and trainer.finetune.init_from is not None:
            started_from = trainer.finetune.init_from.path
        self.record = RunRecord(
            id=self.run_id, architecture=config.architecture, config=config.to_dict(),
            created=_dt.datetime.now().astimezone().isoformat(timespec="seconds"), surface=self.surface,
            device=str(trainer.device), images=len(trainer.train_split), first_step=trainer.global_step,
            epochs_trained=trainer.start_epoch, checkpoint=self.checkpoint_path.name,
            started_from=None if started_from is None else str(started_from))
        self._started = time.monotonic()
        self._save()

    def follow(self, events: Iterable[TrainingEvent]) -> Iterator[TrainingEvent]:
        """Every event of `events`, unchanged, recording each; an unfinished run (the consumer
        stopped iterating, or an exception) is saved as interrupted."""
        ended = False
        try:
            for event in events:
                ended = self._note(event) or ended
                yield event
        finally:
            if not ended and self.record is not None:
                self._end("interrupted", "")

    def _note(self, event: TrainingEvent) -> bool:
        record = self.record
        if record is None:
            return False
        if isinstance(event, list):  # grouped batches (the GUI's job)
            for batch in event:
                self._note(batch)
            return False
        if isinstance(event, BatchProgress):
            if not record.steps_per_epoch:
                record.steps_per_epoch = event.steps_per_epoch
            record.batch_loss.append(_finite(round(event.loss, 6)))
        elif isinstance(event, EpochEnd):
            record.epochs.append({"epoch": event.epoch, "train_loss": _finite(event.train_loss),
                                  "train_accuracy": _finite(event.train_accuracy), "test_loss": _finite(event.test_loss),
                                  "test_accuracy": _finite(event.test_accuracy), "seconds": event.epoch_seconds})
            record.epochs_trained = event.epoch
            record.test_accuracy = _finite(event.test_accuracy)
            self._save()
        elif isinstance(event, Finished):
            record.test_accuracy = _finite(event.test_accuracy)
            record.epochs_trained = event.epochs_trained
            self._end("finished", "")
            return True
        elif isinstance(event, Stopped):
            record.epochs_trained = event.epochs_trained
            self._end("stopped", event.message)
            return True
        elif isinstance(event, Diverged):
            self._end("diverged", event.message)
            return True
        elif isinstance(event, Failed):
            self._end("failed", event.message)
            return True
        elif isinstance(event, FinetuneEnd):
            record.test_accuracy = _finite(event.after.mnist_test)
        return False

    def _end(self, status: str, message: str) -> None:
        record = self.record
        record.status, record.message = status, message
        record.seconds = round(time.monotonic() - self._started, 3)
        self._save()

    def _save(self) -> None:
        try:
            self.history.save(self.record)
        except RunHistoryError as exc:
            self.problem = self.problem or str(exc)


def copy_checkpoint(source: Path, target: Path) -> None:
    """Keep a copy of a run's checkpoint in the runs folder (a CLI run writes its own --out)."""
    if source.resolve() == target.resolve() or not source.exists():
        return
    atomic_write_bytes(target, source.read_bytes())
