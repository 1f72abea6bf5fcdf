"""Saving a model when the disk says no: a message, and the file that was there survives.

Each fault of `FAULTS` is injected at one step of the atomic save (creating the temp file,
writing it, fsync, the final rename) and hits four user paths: File → Save model as over an
existing model, the Train tab's "Save model…", the per-epoch training checkpoint, and the
CLI's train --out over an existing file. Every time, the previous file must be byte for byte
what it was, no temp file may be left behind, and the user must be told why.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

import lenet_app.core.checkpoint as checkpoint_module
import lenet_app.core.run_history as run_history_module
from lenet_app.cli import main
from lenet_app.core.checkpoint import load_checkpoint, save_model
from lenet_app.core.training import Failed
from reliability import ledger
from reliability.samples import IS_ROOT, one_line_error, write_small_mnist


@dataclass(frozen=True)
class Fault:
    name: str
    step: str  # "mkstemp", "write", "fsync" or "replace"
    errno: int


FAULTS = [
    Fault("read-only folder (EACCES creating the temp file)", "mkstemp", errno.EACCES),
    Fault("read-only file system (EROFS)", "mkstemp", errno.EROFS),
    Fault("disk full before the first byte (ENOSPC)", "mkstemp", errno.ENOSPC),
    Fault("disk full half-way through writing (ENOSPC)", "write", errno.ENOSPC),
    Fault("quota exceeded while writing (EDQUOT)", "write", errno.EDQUOT),
    Fault("file too large while writing (EFBIG)", "write", errno.EFBIG),
    Fault("disk full at fsync (ENOSPC)", "fsync", errno.ENOSPC),
    Fault("I/O error at fsync (EIO)", "fsync", errno.EIO),
    Fault("rename refused (EACCES)", "replace", errno.EACCES),
    Fault("rename onto another device (EXDEV)", "replace", errno.EXDEV),
]


class _Delegate:
    """A module stand-in: the real module's attributes, except the ones given."""

    def __init__(self, real, **overrides) -> None:
        self._real = real
        self.__dict__.update(overrides)

    def __getattr__(self, name):
        return getattr(self._real, name)


class _HalfWrittenFile:
    """A file that takes half of what it is given, then reports the fault (as a full disk does)."""

    def __init__(self, handle, error: OSError) -> None:
        self._handle, self._error = handle, error

    def write(self, data) -> int:
        self._handle.write(data[:len(data) // 2])
        self._handle.flush()
        raise self._error

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._handle.close()


def inject(monkeypatch, fault: Fault, skip: int = 0) -> dict:
    """Make the save's `fault.step` fail with `fault.errno`, after `skip` saves that succeed."""
    calls = {"n": 0}
    error = OSError(fault.errno, os.strerror(fault.errno))

    def failing(real):
        def call(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] > skip:
                if fault.step == "write":
                    return _HalfWrittenFile(real(*args, **kwargs), error)
                raise error
            return real(*args, **kwargs)
        return call

    if fault.step == "mkstemp":
        tempfile = checkpoint_module.tempfile
        monkeypatch.setattr(checkpoint_module, "tempfile", _Delegate(tempfile, mkstemp=failing(tempfile.mkstemp)))
    else:
        name = {"write": "fdopen", "fsync": "fsync", "replace": "replace"}[fault.step]
        monkeypatch.setattr(checkpoint_module, "os", _Delegate(os, **{name: failing(getattr(os, name))}))
    return calls


def _intact(folder: Path, target: Path, before: bytes) -> None:
    assert target.read_bytes() == before, "the previous file was changed"
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(f".{target.name}.")]
    assert leftovers == [], f"temp files left behind: {leftovers}"
    load_checkpoint(target)


def _reason(fault: Fault) -> str:
    return os.strerror(fault.errno)


@pytest.fixture(scope="module")
def small_mnist(tmp_path_factory) -> Path:
    return write_small_mnist(tmp_path_factory.mktemp("small-mnist"), n_train=64, n_test=20)


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory, small_mnist):
    """The app with MNIST loaded and one short run finished, so there is a model to save."""
    from PySide6.QtCore import QSettings

    from lenet_app.gui.main_window import MainWindow

    folder = tmp_path_factory.mktemp("save-window")
    settings = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("mnist/dir", str(small_mnist))
    main_window = MainWindow(settings=settings)
    main_window.show()
    form = main_window.train_tab.form
    form.epochs_spin.setValue(2)
    form.batch_size_spin.setValue(16)
    form.device_combo.setCurrentIndex(form.device_combo.findData("cpu"))
    while main_window.dataset.loading or main_window.jobs.busy():
        qapp.processEvents()
    yield main_window
    main_window.jobs.shutdown()
    main_window.close()
    main_window.deleteLater()


def _train(qtbot, window) -> None:
    tab = window.train_tab
    qtbot.waitUntil(lambda: not window.jobs.busy(), timeout=30_000)
    assert tab.start_training()
    qtbot.waitUntil(lambda: not tab.is_training(), timeout=60_000)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_save_as_in_the_app(fault, window, dialogs, monkeypatch, tmp_path, qtbot):
    if window.train_tab.result_model is None:
        _train(qtbot, window)
    folder = tmp_path / "models"
    folder.mkdir()
    target = folder / "mine.pt"
    save_model(target, window.active_model.model)
    before = target.read_bytes()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    inject(monkeypatch, fault)

    window.findChild(QAction, "saveModelAction").trigger()
    assert [(kind, title) for kind, title, _ in dialogs] == [("warning", "Cannot save model")]
    assert _reason(fault) in dialogs[0][2] and str(target) in dialogs[0][2]
    _intact(folder, target, before)
    ledger.record("faults", "save fault: File → Save model as")

    # The Train tab's "Save model…" for the network it just trained.
    dialogs.clear()
    window.train_tab.save_button.click()
    assert [(kind, title) for kind, title, _ in dialogs] == [("warning", "Cannot save model")]
    assert _reason(fault) in dialogs[0][2]
    _intact(folder, target, before)
    ledger.record("faults", "save fault: Train tab Save model…")


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_per_epoch_checkpoint_during_training(fault, window, qtbot, monkeypatch):
    """Epoch 1's checkpoint is written, epoch 2's save fails: the run reports it and stops, and
    the file still holds epoch 1."""
    tab = window.train_tab
    # The run's record (runs/ID.json) is written the same atomic way; keep it out of the count,
    # so the fault lands on the checkpoint this test is about.
    monkeypatch.setattr(run_history_module, "atomic_write_bytes", lambda path, data: Path(path).write_bytes(data))
    calls = inject(monkeypatch, fault, skip=1)
    _train(qtbot, window)
    assert isinstance(tab.ended_event, Failed), tab.ended_event
    assert calls["n"] == 2
    text = tab.result_label.text()
    assert text.startswith("Training failed:") and _reason(fault) in text
    assert tab.result_banner.kind == "error" and not tab.result_banner.isHidden()
    path = tab.trainer.checkpoint_path
    assert load_checkpoint(path).epochs_trained == 1
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")] == []
    assert tab.save_button.isEnabled() and tab.start_button.isEnabled()  # the app goes on
    ledger.record("faults", "save fault: per-epoch training checkpoint")


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_cli_train_over_an_existing_file(fault, small_mnist, tmp_path, monkeypatch, capsys, shipped_model):
    target = tmp_path / "model.pt"
    save_model(target, shipped_model)
    before = target.read_bytes()
    inject(monkeypatch, fault)
    code = main(["train", "--data-dir", str(small_mnist), "--epochs", "1", "--batch-size", "32",
                 "--device", "cpu", "--out", str(target)])
    captured = capsys.readouterr()
    assert code == 2
    line = one_line_error(captured.err)
    assert _reason(fault) in line and str(target) in line
    _intact(tmp_path, target, before)
    ledger.record("faults", "save fault: CLI train --out")


def test_really_read_only_folder(window, dialogs, monkeypatch, tmp_path, shipped_model):
    """Not simulated: a folder without write permission (skipped as root, who may write anyway)."""
    if IS_ROOT:
        pytest.skip("root writes into read-only folders; the EACCES above simulates it")
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "mine.pt"
    save_model(target, shipped_model)
    before = target.read_bytes()
    folder.chmod(0o555)
    try:
        assert not window.save_model_file(target)
        assert dialogs and "Permission denied" in dialogs[0][2]
        _intact(folder, target, before)
    finally:
        folder.chmod(0o755)
    ledger.record("faults", "save fault: real read-only folder")


def test_real_errors_without_injection(window, dialogs, tmp_path, shipped_model):
    """Real kernel errors: the name is taken by a folder, the folder is gone."""
    taken = tmp_path / "taken.pt"
    taken.mkdir()
    assert not window.save_model_file(taken)
    assert not window.save_model_file(tmp_path / "gone" / "m.pt")
    assert [kind for kind, _, _ in dialogs] == ["warning", "warning"]
    assert "directory" in dialogs[0][2].lower() and "No such file" in dialogs[1][2]
    assert taken.is_dir() and list(taken.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.pt"]
    ledger.record("faults", "save fault: real kernel error", 2)


@pytest.mark.parametrize("after", [0, 7, 40])
def test_export_when_the_disk_fills(after, window, tmp_path, monkeypatch, qtbot):
    """File → Export images with the disk full after `after` pictures: a message, every picture
    written is whole, no partial file is left, and exporting again later completes the set."""
    from PIL import Image
    from PySide6.QtWidgets import QMessageBox

    real_save = Image.Image.save
    saved = {"n": 0}

    def save(self, fp, *args, **kwargs):
        if saved["n"] >= after:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        saved["n"] += 1
        return real_save(self, fp, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", save)
    tab = window.dataset_tab
    out = tmp_path / "export"
    qtbot.waitUntil(lambda: not window.jobs.busy(), timeout=30_000)
    tab.start_export(out, ["train", "test"], "png")
    qtbot.waitUntil(lambda: not tab.exporting(), timeout=30_000)
    boxes = [box for box in tab.findChildren(QMessageBox, "datasetMessage") if box.isVisible()]
    assert [box.windowTitle() for box in boxes] == ["Export failed"]
    assert "No space left on device" in boxes[0].text()
    for box in boxes:
        box.close()
    written = sorted(out.iterdir())
    assert len(written) == after and not [p for p in written if p.name.startswith(".")]
    for picture in written:
        with Image.open(picture) as image:
            image.load()  # complete, decodable pictures only
    monkeypatch.setattr(Image.Image, "save", real_save)
    tab.start_export(out, ["train", "test"], "png")  # the disk has room again
    qtbot.waitUntil(lambda: not tab.exporting(), timeout=30_000)
    for box in tab.findChildren(QMessageBox, "datasetMessage"):
        box.close()
    total = sum(len(split) for split in window.dataset.splits.values())
    assert len(list(out.iterdir())) == total
    ledger.record("faults", "disk full during Export images")
