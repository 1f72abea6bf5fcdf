"""The models a user can pick from: the ones the app ships trained, then the ones their own
training runs made (the run history's checkpoints), each with its test accuracy, without
loading a single network: the shipped models' metadata is read once, a run's comes from its
record.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lenet_app.core.architectures import architecture_names, shipped_model_path, shipped_models
from lenet_app.core.checkpoint import CheckpointError, read_payload
from lenet_app.core.i18n import _
from lenet_app.core.run_history import RunHistory, RunRecord


@dataclass(frozen=True)
class ModelEntry:
    """One model to pick: `name` is the shipped model's name or the run's id."""

    name: str
    path: Path
    architecture: str
    test_accuracy: float | None
    shipped: bool


@lru_cache(maxsize=None)
def _shipped_accuracy(path: Path, mtime: float) -> float | None:
    try:
        value = read_payload(path)["metadata"].get("test_accuracy")
    except (CheckpointError, KeyError, TypeError):
        return None
    return float(value) if isinstance(value, (int, float)) else None


def shipped_entries() -> list[ModelEntry]:
    entries = []
    for name in shipped_models():
        path = shipped_model_path(name)
        entries.append(ModelEntry(name, path, name, _shipped_accuracy(path, path.stat().st_mtime), True))
    return entries


def run_entries(records: list[RunRecord], history: RunHistory) -> tuple[list[ModelEntry], list[str]]:
    """A model for each of `records` whose checkpoint is still there, in their order; and one
    message per run left out because this version does not know its architecture (a newer
    LeNet Digits made it)."""
    entries, problems = [], []
    known = set(architecture_names())
    for record in records:
        path = history.checkpoint_path(record)
        if not path.is_file() or record.epochs_trained < 1:
            continue
        if record.architecture not in known:
            problems.append(_("run {id}: its architecture {architecture} is unknown to this version of "
                              "LeNet Digits").format(id=record.id, architecture=record.architecture))
            continue
        entries.append(ModelEntry(record.id, path, record.architecture, record.test_accuracy, False))
    return entries, problems
