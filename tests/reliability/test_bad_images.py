"""Pictures users open, drop and paste, end to end: a digit, "no digit", or a clear refusal.

Every case of `IMAGE_CASES` goes through the Draw tab's five ways in (File → Open, dropping
the file, pasting its bytes, pasting and dropping the decoded picture) and the CLI's
`predict`. The decision must be the same on every path, and a refused or blank picture must
leave the canvas as it was.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps
from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QPushButton

from lenet_app.cli import main
from reliability import ledger
from reliability.samples import IMAGE_CASES, ImageCase, one_line_error, sample_digit

GUI_PATHS = ("File → Open", "drop file", "paste bytes", "paste picture", "drop picture")


def _drop(canvas, mime: QMimeData) -> None:
    centre = QPointF(canvas.rect().center())
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:
        enter = QDragEnterEvent(centre, *args)
    except TypeError:  # older PySide6 takes a QPoint
        enter = QDragEnterEvent(centre.toPoint(), *args)
    QApplication.sendEvent(canvas, enter)
    assert enter.isAccepted(), "the canvas refused the drag"
    QApplication.sendEvent(canvas, QDropEvent(centre, *args))


def _decoded(data: bytes) -> QImage | None:
    """The picture as another application would put it on the clipboard: upright pixels.

    Decoded with Pillow, not Qt: Qt's TIFF reader crashes on float TIFFs, which is why the
    Draw tab never asks Qt to decode what it is given (see PlatformClipboardMime).
    """
    try:
        image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        if image.mode in ("I", "F") or image.mode.startswith("I;16"):
            array = np.asarray(image, dtype=np.float64)
            span = max(float(array.max() - array.min()), 1e-9)
            image = Image.fromarray(((array - array.min()) / span * 255).astype(np.uint8))
        rgba = np.ascontiguousarray(np.asarray(image.convert("RGBA")))
    except Exception:  # noqa: BLE001 - not a picture any application could paste
        return None
    height, width = rgba.shape[:2]
    return QImage(rgba.data, width, height, width * 4, QImage.Format.Format_RGBA8888).copy()


class PlatformClipboardMime(QMimeData):
    """What a desktop clipboard hands over: the other application's encoded bytes, plus the
    decoded picture, which the platform would decode with Qt on request (recorded here)."""

    def __init__(self, fmt: str, data: bytes) -> None:
        super().__init__()
        self._fmt, self._data = fmt, data
        self.decode_requested = False

    def formats(self):
        return [self._fmt]

    def hasFormat(self, mimetype):  # noqa: N802 - Qt override
        return mimetype in (self._fmt, "application/x-qt-image")

    def retrieveData(self, mimetype, preferred_type):  # noqa: N802 - Qt override
        if mimetype == self._fmt:
            return QByteArray(self._data)
        if mimetype == "application/x-qt-image":
            self.decode_requested = True
            return _decoded(self._data)
        return None


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pictures")
    paths = {}
    for i, case in enumerate(IMAGE_CASES):
        paths[case.name] = folder / f"case{i:02d}{case.suffix}"
        paths[case.name].write_bytes(case.build())
    return paths


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    """One app window for all pictures (each path starts from a known canvas anyway)."""
    from PySide6.QtCore import QSettings

    from lenet_app.gui.main_window import MainWindow

    folder = tmp_path_factory.mktemp("image-window")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("LENET_APP_MNIST_DIR", raising=False)
        patch.chdir(folder)
        main_window = MainWindow(settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
        main_window.show()
        while main_window.dataset.loading:
            qapp.processEvents()
    yield main_window
    main_window.jobs.shutdown()
    main_window.close()
    main_window.deleteLater()


@pytest.mark.parametrize("case", IMAGE_CASES, ids=[c.name for c in IMAGE_CASES])
def test_draw_tab_every_way_in(case: ImageCase, files, window, dialogs, monkeypatch):
    tab = window.draw_tab
    path = files[case.name]
    data = path.read_bytes()
    decoded = _decoded(data) if case.expect != "error" else None
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    def way_in(name: str) -> bool:
        if name == "File → Open":
            window.findChild(QAction, "openImageAction").trigger()
        elif name == "drop file":
            mime = QMimeData()
            mime.setUrls([QUrl.fromLocalFile(str(path))])
            _drop(tab.canvas, mime)
        elif name == "paste bytes":
            mime = PlatformClipboardMime(case.mime, data)
            tab.load_mime_data(mime)  # what the Paste button does with the clipboard's data
            # Qt's decoders never see a picture the core can read itself.
            assert not mime.decode_requested or case.expect == "error", case.name
        elif decoded is None:
            return False  # Qt itself cannot decode it: no application could paste it as a picture
        elif name == "paste picture":
            QGuiApplication.clipboard().setImage(decoded)
            tab.findChild(QPushButton, "pasteButton").click()
        else:
            mime = QMimeData()
            mime.setImageData(decoded)
            _drop(tab.canvas, mime)
        return True

    for name in GUI_PATHS:
        tab.clear()
        assert tab.set_image(sample_digit(1)) and tab.findChild(QLabel, "predictionLabel").text() == "1"
        before = tab.canvas.input_array()
        dialogs.clear()
        if not way_in(name):
            continue
        where = f"{case.name} via {name}: {dialogs}"
        if case.expect == "error":
            assert [kind for kind, _, _ in dialogs] == ["warning"], where
            text = dialogs[0][2].lower()
            assert any(word in text for word in case.words), where
        elif case.expect == "none":
            assert [kind for kind, _, _ in dialogs] == ["information"], where
            assert "no digit found" in dialogs[0][2].lower(), where
        else:
            assert dialogs == [], where
            assert tab.findChild(QLabel, "predictionLabel").text() == case.expect, where
            ledger.record("bad input", f"picture: {name}")
            continue
        # Refused or blank: the canvas and its answer are unchanged.
        assert np.array_equal(tab.canvas.input_array(), before), where
        assert tab.findChild(QLabel, "predictionLabel").text() == "1", where
        ledger.record("bad input", f"picture: {name}")


@pytest.mark.parametrize("case", IMAGE_CASES, ids=[c.name for c in IMAGE_CASES])
def test_cli_predict(case: ImageCase, files, capsys):
    path = files[case.name]
    code = main(["predict", str(path)])
    captured = capsys.readouterr()
    if case.expect == "error":
        assert code == 2
        line = one_line_error(captured.err)
        assert str(path) in line and any(word in line.lower() for word in case.words), line
    else:
        assert code == 0 and captured.err == ""
        want = "no digit" if case.expect == "none" else f"{case.expect} ("
        assert captured.out.startswith(f"{path}: {want}"), captured.out
    ledger.record("bad input", "picture: CLI predict")


def test_cli_predict_all_at_once_in_a_real_process(files):
    """One `lenet-app predict` over every file: each answered on its own line, the bombs never
    decoded (the process stays far below the 10 GB a 100,000² picture would need)."""
    paths = [str(files[case.name]) for case in IMAGE_CASES]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run([sys.executable, "-m", "lenet_app", "predict", "--json", *paths],
                            capture_output=True, text=True, timeout=120)
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    answers = {json.loads(line)["path"]: json.loads(line) for line in result.stdout.splitlines()}
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    for case in IMAGE_CASES:
        path = str(files[case.name])
        if case.expect == "error":
            assert path not in answers
            assert sum(line.startswith(f"lenet-app: {path}:") for line in errors) == 1, case.name
        else:
            digit = answers[path]["digit"]
            assert digit == (None if case.expect == "none" else int(case.expect)), case.name
    assert len(errors) == sum(case.expect == "error" for case in IMAGE_CASES)
    assert peak_mb < 2000, f"predict peaked at {peak_mb:.0f} MB"
    ledger.record("bad input", "picture: CLI predict, one real process", len(IMAGE_CASES))
