"""Damaged MNIST folders, end to end: the app starts, says what is wrong, and still reads digits.

Every case of `MNIST_CASES` goes through five user paths: starting the app with the folder
remembered, choosing the folder in the Dataset tab, and the CLI's evaluate, train and
export-images. Each must end in a message naming the file (or folder) and the problem:
never a crash, a traceback, or a half-written output.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from lenet_app.cli import main
from reliability import ledger
from reliability.conftest import reads_digit
from reliability.samples import (
    MNIST_CASES,
    TRAIN_IMAGES,
    TRAIN_LABELS,
    UNREADABLE_MNIST,
    MnistCase,
    one_line_error,
    unreadable,
    write_small_mnist,
)


@pytest.fixture(params=MNIST_CASES, ids=[c.name for c in MNIST_CASES])
def damaged(request, tmp_path):
    case: MnistCase = request.param
    folder = write_small_mnist(tmp_path / "mnist")
    case.apply(folder)
    guard = unreadable(folder / TRAIN_LABELS) if case.name == UNREADABLE_MNIST else contextlib.nullcontext()
    with guard:
        yield case, folder


def _says(case: MnistCase, folder: Path, message: str) -> None:
    lower = message.lower()
    assert any(word.lower() in lower for word in case.words), f"{case.name}: {message}"
    assert str(folder / case.names_file if case.names_file else folder) in message, message
    assert "Traceback" not in message and "Unexpected error" not in message


def test_app_starts_explains_and_still_reads_digits(damaged, make_window, monkeypatch, dialogs, qtbot):
    case, folder = damaged
    window = make_window({"mnist/dir": str(folder)})
    assert not window.dataset.available
    _says(case, folder, window.dataset.error)
    tab = window.dataset_tab
    assert tab.pages.currentWidget() is tab.setup_page and tab.setup_page.missing_reason.text() == window.dataset.error
    train = window.train_tab
    assert not train.start_button.isEnabled() and not train.dataset_banner.isHidden()
    assert window.dataset.error in train.dataset_banner.label.text()
    assert reads_digit(window, 7) and reads_digit(window, 3)  # the shipped model works regardless
    ledger.record("bad input", "MNIST folder: app start")

    # The Dataset tab's "Choose folder…" with the same folder: an inline message, no dialog.
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    tab.setup_page.choose_button.click()
    qtbot.waitUntil(lambda: not window.dataset.loading, timeout=30_000)
    page = tab.setup_page
    shown = page.missing_error.text() if page.missing_error.isVisibleTo(tab) else page.missing_reason.text()
    if case.names_file is None:
        assert "No MNIST in" in shown and str(folder) in shown
    else:
        _says(case, folder, shown)
    assert tab.pages.currentWidget() is tab.setup_page and not window.dataset.available
    assert dialogs == []
    ledger.record("bad input", "MNIST folder: Choose folder…")


@pytest.mark.parametrize("command", ["evaluate", "train", "export-images"])
def test_cli_one_line_exit_2(damaged, command, tmp_path, capsys):
    case, folder = damaged
    out = tmp_path / "out"
    split = "train" if case.names_file in (TRAIN_IMAGES, TRAIN_LABELS) else "test"
    argv = {"evaluate": ["evaluate", "--data-dir", str(folder), "--split", split],
            "train": ["train", "--data-dir", str(folder), "--epochs", "1", "--subset", "10",
                      "--out", str(out / "m.pt")],
            "export-images": ["export-images", "--data-dir", str(folder), "--out", str(out)]}[command]
    assert main(argv) == 2
    captured = capsys.readouterr()
    _says(case, folder, one_line_error(captured.err))
    assert not out.exists() or not any(out.iterdir())  # nothing half-written
    ledger.record("bad input", f"MNIST folder: CLI {command}")


def test_gzip_bomb_is_refused_without_inflating(tmp_path):
    """The 256 MB bomb is refused after decompressing what its header promises, not all of it."""
    import tracemalloc

    from lenet_app.core.mnist import MnistError, read_idx
    from reliability.samples import _gzip_bomb_bytes

    path = tmp_path / TRAIN_LABELS
    path.write_bytes(_gzip_bomb_bytes())
    tracemalloc.start()
    try:
        with pytest.raises(MnistError, match="trailing"):
            read_idx(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, f"reading the bomb allocated {peak / 2**20:.0f} MB"
    ledger.record("bad input", "MNIST folder: gzip bomb, peak memory checked")


@pytest.mark.parametrize("where", ["a file", "inside a file", "unwritable"])
def test_cli_download_into_an_unusable_folder(where, tmp_path, capsys, monkeypatch):
    """`lenet-app download --dest` somewhere it cannot write: one line, before any network use."""
    import lenet_app.core.mnist as core_mnist

    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(core_mnist, "_urlopen", no_network)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("hello")
    dest = {"a file": blocker, "inside a file": blocker / "mnist", "unwritable": tmp_path / "ro" / "mnist"}[where]
    if where == "unwritable":
        (tmp_path / "ro").mkdir()
        real_mkdir = Path.mkdir

        def refuse(self, *args, **kwargs):  # what a read-only folder does, even for root
            if self == dest:
                raise PermissionError(13, "Permission denied", str(self))
            return real_mkdir(self, *args, **kwargs)

        monkeypatch.setattr(Path, "mkdir", refuse)
    assert main(["download", "--dest", str(dest)]) == 2
    line = one_line_error(capsys.readouterr().err)
    assert str(dest) in line and "cannot create the folder" in line
    ledger.record("bad input", "MNIST download: unusable destination, CLI")
