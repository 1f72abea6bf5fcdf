"""Model files that are not what they claim, end to end: a clear CheckpointError message, the
active model unchanged, and code hidden in a pickle never run.

Every case of `CHECKPOINT_CASES` goes through six user paths: File → Load model, the Train
tab's "Resume from checkpoint…", starting the app with the file remembered as the last
model, and the CLI's predict --model, evaluate --model and train --resume.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from lenet_app.cli import main
from lenet_app.gui.jobs import running_jobs
from reliability import ledger
from reliability.conftest import main_window_on, reads_digit
from reliability.samples import (
    CHECKPOINT_CASES,
    CheckpointCase,
    make_checkpoint,
    one_line_error,
    sample_digit,
    write_small_mnist,
)

pytestmark = pytest.mark.filterwarnings("ignore:Detected pickle protocol:UserWarning")


@pytest.fixture
def bad(request, tmp_path):
    case: CheckpointCase = request.param
    marker = tmp_path / "code-ran"
    path = make_checkpoint(case, tmp_path, marker)
    yield case, path
    assert not marker.exists(), f"{case.name}: loading the file ran its code"
    if case.runs_code:
        ledger.record("bad input", "checkpoint: hostile pickle on a path above, its code provably not run")


def _says(case: CheckpointCase, path: Path, message: str) -> None:
    assert str(path) in message, message
    assert any(word.lower() in message.lower() for word in case.words), f"{case.name}: {message}"
    assert "Traceback" not in message and "Unexpected error" not in message


@pytest.fixture(scope="module")
def small_mnist(tmp_path_factory) -> Path:
    return write_small_mnist(tmp_path_factory.mktemp("small-mnist"))


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory, small_mnist):
    with main_window_on(qapp, tmp_path_factory.mktemp("checkpoint-window"), small_mnist) as main_window:
        yield main_window


@pytest.mark.parametrize("bad", CHECKPOINT_CASES, ids=[c.name for c in CHECKPOINT_CASES], indirect=True)
def test_load_model_and_resume_in_the_app(bad, window, dialogs, monkeypatch, qtbot):
    case, path = bad
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=30_000)  # the Dataset tab's evaluation
    before = window.active_model.model
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    window.findChild(QAction, "loadModelAction").trigger()
    qtbot.waitUntil(lambda: bool(dialogs), timeout=30_000)  # the checkpoint is read on a job
    assert [(kind, title) for kind, title, _ in dialogs] == [("warning", "Cannot load model")]
    _says(case, path, dialogs[0][2])
    assert window.active_model.model is before
    assert reads_digit(window, 7)
    ledger.record("bad input", "checkpoint: File → Load model")

    dialogs.clear()
    window.train_tab.resume_button.click()
    qtbot.waitUntil(lambda: bool(dialogs), timeout=30_000)  # the checkpoint is read on the job
    assert [(kind, title) for kind, title, _ in dialogs] == [("warning", "Cannot resume training")]
    _says(case, path, dialogs[0][2])
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=5_000)
    assert not window.train_tab.is_training()
    assert window.train_tab.start_button.isEnabled()
    assert window.active_model.model is before
    ledger.record("bad input", "checkpoint: Resume from checkpoint…")


@pytest.mark.parametrize("bad", CHECKPOINT_CASES, ids=[c.name for c in CHECKPOINT_CASES], indirect=True)
def test_remembered_as_last_model(bad, make_window, dialogs):
    case, path = bad
    window = make_window({"model/path": str(path)})
    model = window.active_model.model
    assert model.architecture == "lenet5" and model.test_accuracy > 0.99  # the shipped model
    assert len(window.ignored_settings) == 1
    _says(case, path, window.ignored_settings[0])
    assert "Ignored saved settings" in window.statusBar().currentMessage()
    assert dialogs == [] and reads_digit(window, 7)
    ledger.record("bad input", "checkpoint: remembered as the last model")


@pytest.mark.parametrize("bad", CHECKPOINT_CASES, ids=[c.name for c in CHECKPOINT_CASES], indirect=True)
@pytest.mark.parametrize("command", ["predict", "evaluate", "train --resume"])
def test_cli_one_line_exit_2(bad, command, small_mnist, tmp_path, capsys):
    case, path = bad
    picture = tmp_path / "seven.png"
    from PIL import Image

    Image.fromarray(sample_digit(7)).save(picture)
    out = tmp_path / "resumed.pt"
    argv = {"predict": ["predict", "--model", str(path), str(picture)],
            "evaluate": ["evaluate", "--model", str(path), "--data-dir", str(small_mnist)],
            "train --resume": ["train", "--resume", str(path), "--data-dir", str(small_mnist),
                               "--epochs", "3", "--out", str(out)]}[command]
    assert main(argv) == 2
    captured = capsys.readouterr()
    _says(case, path, one_line_error(captured.err))
    assert captured.out == "" or command == "train --resume"
    assert not out.exists()
    ledger.record("bad input", f"checkpoint: CLI {command}")
