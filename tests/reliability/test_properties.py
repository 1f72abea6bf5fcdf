"""Property-based tests: arbitrary bytes and arrays only ever end in the documented outcome.

The readers of user files (IDX, pictures, checkpoints) get both arbitrary bytes and valid files
with random damage (flipped, deleted and inserted bytes), which reaches much deeper into the
decoders than random bytes do. The only exceptions allowed are MnistError, ImageError and
CheckpointError; whatever loads must be consistent (a damaged checkpoint never loads as
different weights). Arrays of any shape, dtype and range go through the Draw tab itself.
"""

from __future__ import annotations

import gzip
import io
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from lenet_app.core import predict
from lenet_app.core.checkpoint import CheckpointError, load_checkpoint
from lenet_app.core.mnist import MnistError, read_idx
from lenet_app.core.preprocess import ImageError, load_image
from reliability import ledger
from reliability.samples import _good_checkpoint, sample_digit

pytestmark = pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")

# One scratch folder for all examples: hypothesis runs many examples per test call.
_SCRATCH = Path(tempfile.mkdtemp(prefix="lenet-app-properties-"))

_mutations = st.lists(
    st.tuples(st.sampled_from(["set", "delete", "insert"]), st.floats(0, 1, exclude_max=True),
              st.binary(min_size=1, max_size=16)),
    min_size=1, max_size=8)


def _mutate(data: bytes, mutations) -> bytes:
    out = bytearray(data)
    for op, where, value in mutations:
        if not out:
            out += value
            continue
        pos = int(where * len(out))
        if op == "set":
            out[pos:pos + len(value)] = value[:len(out) - pos]
        elif op == "delete":
            del out[pos:pos + len(value) * 4]
        else:
            out[pos:pos] = value
    return bytes(out)


def _write(name: str, data: bytes) -> Path:
    path = _SCRATCH / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------- IDX


def _check_idx(data: bytes) -> None:
    try:
        array = read_idx(_write("idx", data))
    except MnistError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert array.dtype == np.uint8 and array.ndim in (1, 3)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000), st.booleans())
def test_idx_reader_on_arbitrary_bytes(data, gz):
    _check_idx(gzip.compress(data, compresslevel=1) if gz else data)
    ledger.record("property-based", "IDX reader: arbitrary bytes")


_VALID_IDX = bytes([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28]) + bytes(range(256)) * 9 + bytes(48)
_VALID_IDX_GZ = gzip.compress(_VALID_IDX)


@settings(max_examples=300, deadline=None)
@given(_mutations, st.booleans())
def test_idx_reader_on_damaged_files(mutations, gz):
    _check_idx(_mutate(_VALID_IDX_GZ if gz else _VALID_IDX, mutations))
    ledger.record("property-based", "IDX reader: damaged valid file")


# ---------------------------------------------------------------------------- pictures


def _valid_pictures() -> dict[str, bytes]:
    seven = Image.fromarray(sample_digit(7)).resize((64, 64))
    out = {}
    for fmt, image in (("PNG", seven), ("JPEG", seven), ("GIF", seven), ("BMP", seven), ("TIFF", seven),
                       ("WEBP", seven), ("PNG", seven.convert("RGBA")), ("PNG", seven.convert("I;16"))):
        buffer = io.BytesIO()
        image.save(buffer, format=fmt)
        out[f"{fmt}-{image.mode}"] = buffer.getvalue()
    return out


_PICTURES = _valid_pictures()
_MAGIC = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*", b"RIFF", b""]


def _check_picture(model, data: bytes) -> None:
    try:
        image = load_image(data)
        prediction = predict(model, image)
    except ImageError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    assert prediction.digit is None or 0 <= prediction.digit <= 9
    assert prediction.digit is None or abs(sum(prediction.probabilities) - 1) < 1e-4


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(_MAGIC), st.binary(max_size=2000))
def test_picture_reader_on_arbitrary_bytes(shipped_model, magic, data):
    _check_picture(shipped_model, magic + data)
    ledger.record("property-based", "picture reader + predict: arbitrary bytes")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(_PICTURES)), _mutations)
def test_picture_reader_on_damaged_files(shipped_model, kind, mutations):
    _check_picture(shipped_model, _mutate(_PICTURES[kind], mutations))
    ledger.record("property-based", "picture reader + predict: damaged valid file")


# ---------------------------------------------------------------------------- checkpoints

_CHECKPOINT = _good_checkpoint()
_WEIGHTS = None


@settings(max_examples=150, deadline=None)
@given(_mutations)
def test_damaged_checkpoint_is_refused_or_identical(mutations):
    """Any damage is a CheckpointError, except where it cannot change the weights."""
    global _WEIGHTS
    if _WEIGHTS is None:
        _WEIGHTS = load_checkpoint(_write("good.pt", _CHECKPOINT)).module.state_dict()
    try:
        model = load_checkpoint(_write("damaged.pt", _mutate(_CHECKPOINT, mutations)))
    except CheckpointError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        for key, value in model.module.state_dict().items():
            assert torch.equal(value, _WEIGHTS[key]), f"damage changed {key} silently"
    ledger.record("property-based", "checkpoint reader: damaged valid file")


# ---------------------------------------------------------------------------- arrays, in the GUI


@pytest.fixture(scope="module")
def draw_tab(qapp, shipped_model):
    from lenet_app.gui.draw import DrawTab
    from lenet_app.gui.state import ActiveModel

    active = ActiveModel(shipped_model)
    tab = DrawTab(active)
    tab._keep = active
    tab.resize(900, 600)
    tab.show()
    yield tab
    tab.close()
    tab.deleteLater()


_dtypes = st.one_of(hnp.boolean_dtypes(), hnp.integer_dtypes(), hnp.unsigned_integer_dtypes(),
                    hnp.floating_dtypes(), hnp.complex_number_dtypes())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hnp.arrays(dtype=_dtypes, shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=40)))
def test_draw_tab_takes_any_array(draw_tab, dialogs, array):
    """What "Try in Draw tab" and scripts hand the canvas: a digit, "no digit" or a warning."""
    from PySide6.QtWidgets import QLabel

    dialogs.clear()
    shown = draw_tab.set_image(array)
    kinds = [kind for kind, _, _ in dialogs]
    if shown:
        assert kinds == [] and draw_tab.canvas.has_background()
        assert draw_tab.findChild(QLabel, "predictionLabel").text() in {str(d) for d in range(10)} | {""}
    else:
        assert kinds in (["warning"], ["information"]), dialogs
    ledger.record("property-based", "Draw tab: arbitrary arrays")
