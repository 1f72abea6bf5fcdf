"""Settings files that are damaged or out of date: the app starts with defaults, says in the
status bar what it ignored, and leaves a clean file behind when it closes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from lenet_app.core.training import TrainConfig
from reliability import ledger
from reliability.conftest import reads_digit


@dataclass(frozen=True)
class SettingsCase:
    name: str
    content: object  # bytes: the file as is; dict: values to store; callable(tmp) -> either
    says: tuple[str, ...]  # what the status bar must mention ("" entries: nothing ignored)


def _values(**values):
    return lambda tmp: values


def _deleted_folder(tmp: Path):
    (tmp / "was-here").mkdir()
    (tmp / "was-here").rmdir()
    return {"mnist/dir": str(tmp / "was-here"), "model/path": str(tmp / "was-here" / "model.pt")}


def _file_as_folder(tmp: Path):
    (tmp / "notes.txt").write_text("hello")
    return {"mnist/dir": str(tmp / "notes.txt")}


SETTINGS_CASES = [
    SettingsCase("empty file", b"", ()),
    # Always the same bytes: 1 in 750 draws of os.urandom(4000) made a file from which Qt reads no
    # key at all (see the next case), and the test failed at random.
    SettingsCase("binary garbage", random.Random(0).randbytes(4000), ("damaged parts",)),
    # Qt parses an INI file lazily: `status()` says FormatError only once a key was asked for.
    SettingsCase("text without a single key", b"just some text\nwithout an equals sign\n",
                 ("damaged parts",)),
    SettingsCase("text garbage with NULs", b"\x00\xff[[[garbage\n=\n" * 50, ("damaged parts",)),
    SettingsCase("unterminated section (INI format error)", b"[mnist\ndir=/nowhere\n[window]\ntab=1\n",
                 ("damaged parts",)),
    SettingsCase("UTF-16 encoded", "[window]\ntab=2\n[train]\nepochs=3\n".encode("utf-16"), ("damaged parts",)),
    SettingsCase("window geometry as text", b"[window]\ngeometry=hello\n", ()),
    SettingsCase("window geometry as a list", b"[window]\ngeometry=a, b, c\ntab=1, 2\n", ()),
    SettingsCase("window geometry garbage bytes", _values(**{"window/geometry": b"\x00\x01garbage"}), ()),
    SettingsCase("tab out of range", b"[window]\ntab=99999999999999999999999\n", ()),
    SettingsCase("tab negative", b"[window]\ntab=-3\n", ()),
    SettingsCase("MNIST folder deleted, model in it too", _deleted_folder, ("no longer exists", "last model")),
    SettingsCase("MNIST 'folder' is a file", _file_as_folder, ("not a folder",)),
    SettingsCase("model path is a folder", lambda tmp: {"model/path": str(tmp)}, ("is a folder",)),
    SettingsCase("model path with a NUL byte", b"[model]\npath=/tmp/a\\0b.pt\n", ("last model",)),
    SettingsCase("paths stored as lists", b"[mnist]\ndir=a, b\n[model]\npath=x, y\n",
                 ("no longer exists", "last model")),
    SettingsCase("training settings of the wrong type",
                 b"[train]\nepochs=banana\nlr=inf\nbatch_size=-5\nmodel=resnet50\naugment=perhaps\n"
                 b"threads=999\nsubset=1e9\nloss_log_scale=maybe\nseed=1.5\n",
                 ("epochs", "lr", "batch_size", "model", "augment", "threads", "subset", "loss_log_scale",
                  "seed")),
    SettingsCase("CUDA requested on a machine without it", b"[train]\ndevice=cuda:0\n", ("device",)),
    SettingsCase("settings from a newer version", b"[train]\nepochs=7\noptimizer=lion\n[export]\nformat=webp\n",
                 ("optimizer",)),
    SettingsCase("the settings file is a folder", "folder", ("cannot be read",)),
    SettingsCase("valid settings (control)", b"[train]\nepochs=7\nbatch_size=64\n[window]\ntab=2\n", ()),
]


def _case_id(case) -> str:
    return case.name if isinstance(case, SettingsCase) else case.values[0].name


@pytest.mark.parametrize("case", SETTINGS_CASES, ids=_case_id)
def test_app_starts_with_defaults_and_says_what_it_ignored(case, make_window, tmp_path, qtbot):
    path = tmp_path / "settings.ini"
    content = case.content(tmp_path) if callable(case.content) else case.content
    if content == "folder":
        path.mkdir()
        window = make_window(settings_file=path)
    elif isinstance(content, bytes):
        window = make_window(settings_file=path, raw=content)
    else:
        window = make_window(content, settings_file=path)

    message = window.statusBar().currentMessage()
    if case.says:
        assert message.startswith("Ignored saved settings:"), message
        for word in case.says:
            assert word in message, f"{case.name}: {message!r} does not mention {word!r}"
    else:
        assert window.ignored_settings == [], window.ignored_settings
    assert window.active_model.model.architecture == "lenet5"
    assert reads_digit(window, 7)
    assert 0 <= window.tabs.currentIndex() < window.tabs.count()
    config = window.train_tab.form.config()
    if case.name == "valid settings (control)":
        assert (config.epochs, config.batch_size, window.tabs.currentIndex()) == (7, 64, 2)
    if "device" in case.says:
        assert config.device == TrainConfig().device
    ledger.record("bad input", "settings file: app start")

    # Closing writes good values back (the model in use replaces a missing last model): the next
    # start has nothing new to complain about. A missing MNIST folder stays remembered, since a
    # drive may come back, and is mentioned again.
    window.close()
    if content != "folder":
        again = make_window(settings_file=path)
        paths = [text for text in window.ignored_settings if text.startswith("MNIST folder")]
        assert again.ignored_settings == paths, again.ignored_settings
        again.close()
        ledger.record("bad input", "settings file: clean again after one run")
