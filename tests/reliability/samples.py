"""The bad inputs the reliability suite feeds the app, one list per kind.

Each list is the single source of its parametrisation, so the number of cases of a kind is
simply the length of its list (docs/reliability.md quotes them).
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import gzip
import io
import os
import pickle
import random
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from lenet_app.core.checkpoint import FORMAT_VERSION, build_payload, save_checkpoint
from lenet_app.core.mnist import FILES
from lenet_app.core.models import create_model
from lenet_app.core.resources import resource_path

# ============================================================================ helpers

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def unreadable(path: Path) -> Iterator[None]:
    """Make `path` unreadable: chmod 000, and as root (who ignores modes) EACCES at open()."""
    path = Path(path)
    mode = path.stat().st_mode & 0o777
    path.chmod(0)
    real_open = builtins.open
    target = os.path.realpath(path)

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(file) == target:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    if IS_ROOT:
        builtins.open = io.open = guarded_open
    try:
        yield
    finally:
        if IS_ROOT:
            builtins.open = io.open = real_open
        path.chmod(mode)


def one_line_error(err: str) -> str:
    """The CLI's contract for a user error: one line on stderr, prefixed, no traceback.

    Progress lines of a command that got under way (training) may come before it.
    """
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("lenet-app: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], f"expected one error line, got: {err!r}"
    assert "Traceback" not in err and "Error:" not in err.replace(errors[0], "")
    return errors[0]


# ============================================================================ MNIST files


def _idx(array: np.ndarray, code: int = 0x08) -> bytes:
    array = np.asarray(array, dtype=np.uint8)
    return bytes([0, 0, code, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape) + array.tobytes()


def write_small_mnist(directory: Path, n_train: int = 60, n_test: int = 20, seed: int = 0) -> Path:
    """A valid, tiny MNIST folder (.gz files) that a corruption is then applied to."""
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", n_train), ("test", n_test)):
        images, labels = FILES[split]
        (directory / f"{images}.gz").write_bytes(
            gzip.compress(_idx(rng.integers(0, 256, (n, 28, 28))), compresslevel=1))
        (directory / f"{labels}.gz").write_bytes(gzip.compress(_idx(rng.integers(0, 10, n))))
    return directory


TRAIN_IMAGES = f"{FILES['train'][0]}.gz"
TRAIN_LABELS = f"{FILES['train'][1]}.gz"
TEST_IMAGES = f"{FILES['test'][0]}.gz"
TEST_LABELS = f"{FILES['test'][1]}.gz"


def _raw(directory: Path, name: str) -> bytes:
    return gzip.decompress((directory / name).read_bytes())


def _put(directory: Path, name: str, data: bytes) -> None:
    (directory / name).write_bytes(data)


def _truncate_raw(offset: int) -> Callable[[Path], None]:
    def apply(d: Path) -> None:
        _put(d, TRAIN_IMAGES, _raw(d, TRAIN_IMAGES)[:offset])  # uncompressed bytes under a .gz name
    return apply


def _truncate_gz(fraction: float) -> Callable[[Path], None]:
    def apply(d: Path) -> None:
        data = (d / TEST_IMAGES).read_bytes()
        _put(d, TEST_IMAGES, data[:max(3, int(len(data) * fraction))])
    return apply


@functools.lru_cache(maxsize=1)
def _gzip_bomb_bytes() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    body = [compressor.compress(bytes([0, 0, 8, 1, 0, 0, 0, 60]))]
    body += [compressor.compress(chunk) for _ in range(256)]
    return b"".join(body) + compressor.flush()


def _gzip_bomb(d: Path) -> None:
    """Labels whose gzip expands to 256 MB (from about 250 kB) behind a header promising 60."""
    _put(d, TRAIN_LABELS, _gzip_bomb_bytes())


@dataclass(frozen=True)
class MnistCase:
    name: str
    apply: Callable[[Path], None]
    words: tuple[str, ...]  # what the message must say (any one of them, case-insensitive)
    names_file: str | None  # the file the message must name (None: the folder)


MNIST_CASES: list[MnistCase] = [
    MnistCase("missing file", lambda d: (d / TRAIN_LABELS).unlink(), ("not found",), None),
    MnistCase("all files missing", lambda d: [p.unlink() for p in d.iterdir()], ("not found",), None),
    MnistCase("empty file", lambda d: _put(d, TEST_IMAGES, b""), ("empty",), TEST_IMAGES),
    *[MnistCase(f"truncated at byte {n}", _truncate_raw(n), ("truncated", "too short"), TRAIN_IMAGES)
      for n in (2, 7, 12, 16, 17, 28 * 28, 30 * 28 * 28 + 5, 60 * 28 * 28 + 15)],
    *[MnistCase(f"gzip truncated at {int(f * 100)}%", _truncate_gz(f), ("gzip", "truncated"), TEST_IMAGES)
      for f in (0.01, 0.5, 0.99)],
    MnistCase("wrong magic number", lambda d: _put(d, TRAIN_IMAGES, b"\x08\x03" + _raw(d, TRAIN_IMAGES)[2:]),
              ("magic",), TRAIN_IMAGES),
    MnistCase("wrong data type code", lambda d: _put(d, TRAIN_IMAGES, _raw(d, TRAIN_IMAGES)[:2] + b"\x0d"
                                                     + _raw(d, TRAIN_IMAGES)[3:]), ("data type",), TRAIN_IMAGES),
    MnistCase("images not 28x28", lambda d: _put(d, TEST_IMAGES, _idx(np.zeros((20, 32, 32)))),
              ("28",), TEST_IMAGES),
    MnistCase("labels file swapped in for images",
              lambda d: shutil.copy(d / TRAIN_LABELS, d / TRAIN_IMAGES), ("dimensions", "shape"), TRAIN_IMAGES),
    MnistCase("image/label count mismatch", lambda d: _put(d, TEST_LABELS, _idx(np.zeros(19))),
              ("19 labels",), TEST_LABELS),
    MnistCase("label 10", lambda d: _put(d, TRAIN_LABELS, _idx(np.r_[np.zeros(59), 10])),
              ("label 10", "outside 0..9"), TRAIN_LABELS),
    MnistCase("label 255", lambda d: _put(d, TEST_LABELS, _idx(np.r_[255, np.zeros(19)])),
              ("label 255",), TEST_LABELS),
    MnistCase("trailing bytes", lambda d: _put(d, TRAIN_LABELS, _raw(d, TRAIN_LABELS) + b"\x00" * 7),
              ("trailing",), TRAIN_LABELS),
    # Fixed bytes: about 1 in 200 draws of os.urandom(500) inflates to a header-sized start
    # ("not an IDX file"), and the case failed at random.
    MnistCase("corrupt gzip stream",
              lambda d: _put(d, TRAIN_IMAGES, b"\x1f\x8b\x08\x00" + random.Random(0).randbytes(500)),
              ("gzip",), TRAIN_IMAGES),
    MnistCase("gzip with a bad CRC", lambda d: _put(d, TEST_LABELS, (d / TEST_LABELS).read_bytes()[:-8]
                                                    + b"\xde\xad\xbe\xef" + (d / TEST_LABELS).read_bytes()[-4:]),
              ("gzip",), TEST_LABELS),
    MnistCase("gzip bomb (256 MB of zeros)", _gzip_bomb, ("trailing",), TRAIN_LABELS),
    MnistCase("folder where a file should be",
              lambda d: ((d / TEST_LABELS).unlink(), (d / TEST_LABELS).mkdir()), ("folder",), TEST_LABELS),
    MnistCase("dangling symlink", lambda d: ((d / TRAIN_IMAGES).unlink(),
                                            (d / TRAIN_IMAGES).symlink_to(d / "gone.gz")),
              ("not found",), None),
    MnistCase("random bytes", lambda d: _put(d, TRAIN_IMAGES, np.random.default_rng(1).bytes(5000)),
              ("magic", "not an IDX"), TRAIN_IMAGES),
    # Unreadable permissions: applied by the tests with `unreadable()`, which needs undoing.
    MnistCase("unreadable permissions", lambda d: None, ("permission denied",), TRAIN_LABELS),
]
UNREADABLE_MNIST = "unreadable permissions"


# ============================================================================ pictures


def sample_digit(digit: int) -> np.ndarray:
    """A bundled 280×280 sample: light ink on black, as the canvas draws."""
    return np.asarray(Image.open(resource_path("samples", f"digit_{digit}.png")).convert("L")).copy()


def _encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def _paper(digit: int = 7) -> np.ndarray:
    """Dark ink on white paper, like a scan."""
    return 255 - sample_digit(digit)


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def _gif_header_only(width: int, height: int) -> bytes:
    return (b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
            + b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00\x3b")


def _sixteen_bit() -> bytes:
    deep = (5000 + _paper().astype(np.float64) / 255 * 55000).astype(np.uint16)  # dark ink, 16 bits
    return _encode(Image.fromarray(deep), "PNG")


def _palette_transparent() -> bytes:
    # Index 0 (black) is transparent and index 1 is black ink: opaque-only readers see all black.
    mask = Image.fromarray(sample_digit(7)).point(lambda v: 255 if v > 127 else 0)
    picture = Image.new("P", mask.size, 0)
    picture.putpalette([0, 0, 0] * 256)
    picture.paste(1, mask=mask)
    return _encode(picture, "PNG", transparency=0)


def _rgba_transparent() -> bytes:
    # Black ink on a fully transparent background whose hidden colour is also black.
    ink = sample_digit(7)
    rgba = np.zeros((*ink.shape, 4), np.uint8)
    rgba[..., 3] = ink
    return _encode(Image.fromarray(rgba), "PNG")


def _cmyk_jpeg() -> bytes:
    return _encode(Image.fromarray(_paper()).convert("RGB").convert("CMYK"), "JPEG", quality=95)


def _animated_gif() -> bytes:
    frames = [Image.fromarray(sample_digit(7)), Image.fromarray(sample_digit(3))]
    return _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def _exif_rotated(orientation: int) -> bytes:
    """Stored sideways; shown upright only when the EXIF orientation is applied."""
    upright = Image.fromarray(_paper())
    stored = upright.transpose(Image.Transpose.ROTATE_90 if orientation == 6 else Image.Transpose.ROTATE_270)
    exif = Image.Exif()
    exif[0x0112] = orientation
    return _encode(stored, "JPEG", exif=exif.tobytes(), quality=95)


def _noise() -> bytes:
    return _encode(Image.fromarray(np.random.default_rng(7).integers(0, 256, (300, 300, 3), dtype=np.uint8)),
                   "PNG")


@dataclass(frozen=True)
class ImageCase:
    name: str
    suffix: str
    build: Callable[[], bytes]
    expect: str  # "7" / "3": that digit; "none": no digit; "error": a message naming the reason
    words: tuple[str, ...] = ()  # for "error": what the message says
    mime: str = "image/png"


IMAGE_CASES: list[ImageCase] = [
    ImageCase("not an image", ".png", lambda: b"this is a shopping list, not a picture\n", "error",
              ("not an image",)),
    ImageCase("zero bytes", ".png", lambda: b"", "error", ("empty",)),
    ImageCase("truncated PNG", ".png", lambda: _encode(Image.fromarray(_paper()), "PNG")[:400], "error",
              ("truncated", "damaged", "cannot read")),
    ImageCase("1x1 pixel", ".png", lambda: _encode(Image.new("L", (1, 1), 128), "PNG"), "none"),
    ImageCase("2x2 checker", ".bmp", lambda: _encode(Image.fromarray(np.array([[0, 255], [255, 0]], np.uint8)),
                                                      "BMP"), "none", mime="image/bmp"),
    ImageCase("decompression bomb PNG 100000x100000", ".png", lambda: _png_header_only(100_000, 100_000),
              "error", ("too large",)),
    ImageCase("decompression bomb PNG 8000x8000", ".png", lambda: _png_header_only(8000, 8000), "error",
              ("too large",)),
    ImageCase("decompression bomb GIF 65535x65535", ".gif", lambda: _gif_header_only(65535, 65535), "error",
              ("too large",), mime="image/gif"),
    ImageCase("16-bit greyscale PNG", ".png", _sixteen_bit, "7"),
    ImageCase("palette PNG, transparent colour", ".png", _palette_transparent, "7"),
    ImageCase("RGBA, transparent background", ".png", _rgba_transparent, "7"),
    ImageCase("CMYK JPEG", ".jpg", _cmyk_jpeg, "7", mime="image/jpeg"),
    ImageCase("animated GIF (7 then 3)", ".gif", _animated_gif, "7", mime="image/gif"),
    ImageCase("EXIF-rotated JPEG (orientation 6)", ".jpg", lambda: _exif_rotated(6), "7", mime="image/jpeg"),
    ImageCase("EXIF-rotated JPEG (orientation 8)", ".jpg", lambda: _exif_rotated(8), "7", mime="image/jpeg"),
    ImageCase("all white", ".png", lambda: _encode(Image.new("L", (300, 300), 255), "PNG"), "none"),
    ImageCase("all black", ".png", lambda: _encode(Image.new("RGB", (300, 300), 0), "PNG"), "none"),
    ImageCase("fully transparent", ".png", lambda: _encode(Image.new("RGBA", (64, 64), (0, 0, 0, 0)), "PNG"),
              "none"),
    ImageCase("pure noise", ".png", _noise, "none"),
    ImageCase("float TIFF (mode F)", ".tif",
              lambda: _encode(Image.fromarray(sample_digit(7).astype(np.float32) / 255.0), "TIFF"), "7",
              mime="image/tiff"),
    ImageCase("1-bit BMP scan", ".bmp", lambda: _encode(Image.fromarray(_paper()).convert("1"), "BMP"), "7",
              mime="image/bmp"),
]


# ============================================================================ checkpoints


class _RunsCode:
    """Pickles to a call of `function(argument)`: what a hostile .pt file carries."""

    def __init__(self, function, argument) -> None:
        self.function, self.argument = function, argument

    def __reduce__(self):
        return (self.function, (self.argument,))


def _payload(architecture: str = "lenet5", module_name: str | None = None) -> dict:
    """A checkpoint as training writes it (with its training state), ready to be spoiled."""
    state = {"epoch": 1, "global_step": 10, "optimizer": {}, "generator": torch.Generator().get_state()}
    return build_payload(architecture, create_model(module_name or architecture), {"test_accuracy": 0.5}, state)


def _saved_bytes(payload) -> bytes:
    """The bytes the app would write: save_checkpoint (checksum included) when it can."""
    if not isinstance(payload, dict):
        buffer = io.BytesIO()
        torch.save(payload, buffer)
        return buffer.getvalue()
    with tempfile.TemporaryDirectory() as folder:
        return save_checkpoint(Path(folder) / "m.pt", payload).read_bytes()


def _good_checkpoint() -> bytes:
    return _saved_bytes(_payload())


def _with(**changes) -> Callable[[Path], bytes]:
    def build(_marker: Path) -> bytes:
        payload = _payload()
        for key, value in changes.items():
            if value is _DELETE:
                del payload[key]
            else:
                payload[key] = value
        return _saved_bytes(payload)
    return build


_DELETE = object()


def _wrong_shape(_marker: Path) -> bytes:
    payload = _payload()
    key = next(iter(payload["state_dict"]))
    payload["state_dict"][key] = torch.zeros(3, 3)
    return _saved_bytes(payload)


def _nan_weights(_marker: Path) -> bytes:
    payload = _payload()
    key = next(iter(payload["state_dict"]))
    payload["state_dict"][key] = torch.full_like(payload["state_dict"][key], float("nan"))
    return _saved_bytes(payload)


def _non_tensor_weights(_marker: Path) -> bytes:
    payload = _payload()
    payload["state_dict"] = {k: "not a tensor" for k in payload["state_dict"]}
    return _saved_bytes(payload)


def _zip_not_checkpoint(_marker: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", b"hello")
        archive.writestr("readme.txt", "holiday photos")
    return buffer.getvalue()


def _evil_zip(_marker: Path) -> bytes:
    return _saved_bytes({"format": "lenet-app-checkpoint", "format_version": 1,
                         "payload": _RunsCode(os.system, f"touch '{_marker}'")})


def _evil_exec_in_state(_marker: Path) -> bytes:
    payload = _payload()
    payload["metadata"]["note"] = _RunsCode(builtins.exec, f"open({str(_marker)!r}, 'w').write('ran')")
    return _saved_bytes(payload)


def _evil_legacy_pickle(_marker: Path) -> bytes:
    return pickle.dumps(_RunsCode(os.system, f"touch '{_marker}'"), protocol=2)


def _evil_legacy_eval(_marker: Path) -> bytes:
    return pickle.dumps({"format": "lenet-app-checkpoint",
                         "x": _RunsCode(builtins.eval, f"open({str(_marker)!r}, 'w')")}, protocol=4)


def _bit_flip(_marker: Path) -> bytes:
    """One flipped bit inside the first tensor's stored bytes (bit rot, a bad copy)."""
    data = bytearray(_good_checkpoint())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = next(i for i in archive.infolist() if "/data/" in i.filename and i.file_size > 64)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.file_size // 2] ^= 0x04
    return bytes(data)


def _truncated(fraction: float) -> Callable[[Path], bytes]:
    def build(_marker: Path) -> bytes:
        data = _good_checkpoint()
        return data[:max(1, int(len(data) * fraction))]
    return build


@dataclass(frozen=True)
class CheckpointCase:
    name: str
    build: Callable[[Path], bytes] | None  # None: not a file (see `kind`)
    words: tuple[str, ...]
    kind: str = "file"  # "file", "folder" or "missing"
    runs_code: bool = False


CHECKPOINT_CASES: list[CheckpointCase] = [
    CheckpointCase("random bytes", lambda m: np.random.default_rng(3).bytes(4096), ("not a readable",)),
    CheckpointCase("zero bytes", lambda m: b"", ("not a readable",)),
    CheckpointCase("text file", lambda m: b"weights: lots\n", ("not a readable",)),
    *[CheckpointCase(f"truncated at {int(f * 100)}%", _truncated(f), ("not a readable", "not a LeNet"))
      for f in (0.001, 0.1, 0.5, 0.9, 0.999)],
    CheckpointCase("one flipped bit in the weights", _bit_flip, ("damaged",)),
    CheckpointCase("zip that is not a checkpoint", _zip_not_checkpoint, ("not a readable", "not a LeNet")),
    CheckpointCase("pickle that runs os.system (torch zip)", _evil_zip, ("refused",), runs_code=True),
    CheckpointCase("pickle that runs exec inside metadata", _evil_exec_in_state, ("refused",), runs_code=True),
    CheckpointCase("legacy pickle that runs os.system", _evil_legacy_pickle, ("refused", "not a readable"),
                   runs_code=True),
    CheckpointCase("legacy pickle that runs eval", _evil_legacy_eval, ("refused", "not a readable"),
                   runs_code=True),
    CheckpointCase("weights of another architecture",
                   lambda m: _saved_bytes(_payload("lenet5", "lenet-28")), ("do not match",)),
    CheckpointCase("wrong tensor shape", _wrong_shape, ("shape",)),
    CheckpointCase("NaN weights", _nan_weights, ("NaN",)),
    CheckpointCase("weights that are not tensors", _non_tensor_weights, ("shape",)),
    CheckpointCase("newer format version", _with(format_version=FORMAT_VERSION + 1), ("newer",)),
    CheckpointCase("format version not a number", _with(format_version="2"), ("format version",)),
    CheckpointCase("missing metadata", _with(metadata=_DELETE), ("metadata",)),
    CheckpointCase("metadata not a dict", _with(metadata=[1, 2]), ("metadata",)),
    CheckpointCase("missing weights", _with(state_dict=_DELETE), ("weights",)),
    CheckpointCase("unknown architecture", _with(architecture="alexnet"), ("unknown architecture",)),
    CheckpointCase("plain state_dict, no header",
                   lambda m: _saved_bytes(create_model("lenet5").state_dict()), ("not a LeNet",)),
    CheckpointCase("a list, not a dict", lambda m: _saved_bytes([torch.zeros(2)]), ("not a LeNet",)),
    CheckpointCase("a folder", None, ("folder",), kind="folder"),
    CheckpointCase("missing file", None, ("no such file",), kind="missing"),
]


def make_checkpoint(case: CheckpointCase, directory: Path, marker: Path) -> Path:
    path = directory / f"{case.name.replace(' ', '_').replace('/', '_')}.pt"
    if case.kind == "folder":
        path.mkdir()
    elif case.kind == "file":
        path.write_bytes(case.build(marker))
    return path


def write_mnist_subset(directory: Path, splits: dict, n_train: int, n_test: int) -> Path:
    """A real-MNIST folder with the first `n_train`/`n_test` images (fast to load)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, n in (("train", n_train), ("test", n_test)):
        images, labels = FILES[name]
        (directory / f"{images}.gz").write_bytes(gzip.compress(_idx(splits[name].images[:n]), compresslevel=1))
        (directory / f"{labels}.gz").write_bytes(gzip.compress(_idx(splits[name].labels[:n]), compresslevel=1))
    return directory
