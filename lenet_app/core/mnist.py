"""MNIST on disk: find it, read it, download it, export it as pictures.

Everything a user can get wrong here (missing, truncated or corrupt files, no network)
ends as one `MnistError` whose message names the file or folder and the problem, so the
GUI and CLI can show it as is.
"""

from __future__ import annotations

import hashlib
import http.client
import math
import os
import sys
import tempfile
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lenet_app.core.errors import CancelCheck, LenetError, raise_if_cancelled
from lenet_app.core.i18n import _
from lenet_app.core.memory import release_free_memory

if TYPE_CHECKING:
    import torch

PathLike = str | os.PathLike[str]
Progress = Callable[[int, int | None], None]

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081
SPLITS = ("train", "test")
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
ENV_VAR = "LENET_APP_MNIST_DIR"
#: Moves the whole user data folder (portable installs, tests); used as given, relative or not.
DATA_DIR_ENV = "LENET_APP_DATA_DIR"

_GZIP_MAGIC = b"\x1f\x8b"
_UBYTE = 0x08
_IMAGE_SIZE = 28
_CHUNK = 64 * 1024
# No IDX file the app reads comes near this (MNIST's largest is 47 MB): a bigger header or
# file is damage or a decompression bomb, refused before anything that size is allocated.
_MAX_IDX_BYTES = 1 << 30
_TIMEOUT_S = 30.0
_USER_AGENT = "lenet-app (MNIST download)"

# Copy of torchvision.datasets.MNIST.mirrors / .resources, used when torchvision lacks them.
_FALLBACK_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
_FALLBACK_RESOURCES = (
    ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
    ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
    ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
)
# Sizes of the canonical .gz files, so download progress can report a total up front.
_KNOWN_SIZES = {
    "f68b3c2dcbeaaa9fbdd348bbdeb94873": 9912422,
    "d53e105ee54ea40749a09fcbcd1e9432": 28881,
    "9fb629c4189551a2d022fa330f9573f3": 1648877,
    "ec29112dd5afa0611ce80d1b7f02629c": 4542,
}

# Indirection so tests can replace the network with a fake opener.
_urlopen = urllib.request.urlopen


class MnistError(LenetError):
    """MNIST data is missing, damaged or could not be fetched; the message says which file and why."""


# ---------------------------------------------------------------------------- reading


def read_idx(path: PathLike) -> np.ndarray:
    """Read an IDX file (gzip or raw) into a uint8 array, refusing anything malformed.

    Gzip is detected by its magic bytes so a decompressed file named `.gz` (or the
    reverse) still loads.
    """
    path = Path(path)
    return parse_idx(_read_bytes(path), path)


def parse_idx(data: bytes, path: PathLike, max_bytes: int = _MAX_IDX_BYTES) -> np.ndarray:
    """`read_idx` for bytes already in memory (a zip entry); `path` names them in messages.

    `max_bytes` caps what the header may promise, so a caller expecting a small file refuses
    a decompression bomb before allocating for it.
    """
    overflow = False
    if data[:2] == _GZIP_MAGIC:
        data, overflow = _gunzip(path, data, max_bytes)
    if not data:
        raise MnistError(_("{path}: file is empty").format(path=path))
    if len(data) < 4:
        raise MnistError(_("{path}: too short for an IDX header ({size} bytes)").format(path=path, size=len(data)))
    if data[0] != 0 or data[1] != 0:
        raise MnistError(_("{path}: not an IDX file (bad magic number 0x{magic})").format(path=path, magic=data[:4].hex()))
    if data[2] != _UBYTE:
        raise MnistError(_("{path}: unsupported IDX data type code 0x{code:02x} (expected 0x08, unsigned byte)")
                         .format(path=path, code=data[2]))
    ndim = data[3]
    if ndim not in (1, 3):
        raise MnistError(_("{path}: IDX file has {ndim} dimensions (expected 1 for labels or 3 for images)")
                         .format(path=path, ndim=ndim))
    header = 4 + 4 * ndim
    if len(data) < header:
        raise MnistError(_("{path}: truncated IDX header ({size} of {header} bytes)").format(
            path=path, size=len(data), header=header))
    dims = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = math.prod(dims)
    if expected > max_bytes:
        raise MnistError(_("{path}: header promises {dims} = {expected:,} bytes, far more than any MNIST file; "
                           "the file is damaged").format(path=path, dims="x".join(map(str, dims)), expected=expected))
    found = len(data) - header
    if overflow:
        raise MnistError(_("{path}: unexpected trailing data after the {expected} bytes the header promises")
                         .format(path=path, expected=expected))
    if found < expected:
        raise MnistError(_("{path}: truncated, header promises {dims} = {expected} bytes of data but only "
                           "{found} are there").format(path=path, dims="x".join(map(str, dims)),
                                                       expected=expected, found=found))
    if found > expected:
        raise MnistError(_("{path}: {count} unexpected trailing bytes after the data").format(
            path=path, count=found - expected))
    # Copy so the array is writable: torch.from_numpy warns on read-only buffers.
    return np.frombuffer(data, dtype=np.uint8, count=expected, offset=header).reshape(dims).copy()


def _gunzip(path: PathLike, data: bytes, max_bytes: int = _MAX_IDX_BYTES) -> tuple[bytes, bool]:
    """Decompress gzip data, but never beyond what the IDX header promises.

    A gzip bomb (a small file that expands to gigabytes) is read only as far as its header's
    size plus one byte; the second value says whether more data followed, which read_idx
    reports as trailing data.
    """
    parts: list[bytes] = []
    size = 0
    limit: int | None = None
    stream = data
    try:
        while stream and (limit is None or size <= limit):
            member = zlib.decompressobj(16 + zlib.MAX_WBITS)
            while not member.eof and (limit is None or size <= limit):
                # Small steps until the header is read, then at most what it promises, plus one.
                chunk = member.decompress(stream, 64 if limit is None else limit + 1 - size)
                stream = member.unconsumed_tail
                if not chunk and not stream:
                    raise EOFError("compressed file ended before the end-of-stream marker was reached")
                parts.append(chunk)
                size += len(chunk)
                if limit is None:
                    limit = _idx_size_from_header(b"".join(parts), max_bytes)
            if member.eof:
                stream = member.unused_data
                if stream and stream[:2] != _GZIP_MAGIC:
                    if stream.strip(b"\0"):
                        raise EOFError("trailing garbage after the gzip data")
                    break
    except (EOFError, zlib.error) as exc:
        raise MnistError(_("{path}: corrupt gzip data ({reason})").format(
            path=path, reason=str(exc) or type(exc).__name__)) from None
    out = b"".join(parts)
    if limit is not None and size > limit:
        return out[:limit], True
    return out, False


def _idx_size_from_header(head: bytes, max_bytes: int = _MAX_IDX_BYTES) -> int | None:
    """The whole file's size as its header states it, once enough of it is there to tell.

    A header that is not a plausible IDX header, or that promises more than any MNIST file
    holds, gives the size decoded so far, so read_idx sees (and names) the problem without the
    rest being decompressed.
    """
    if len(head) < 4:
        return None
    ndim = head[3]
    if head[0] != 0 or head[1] != 0 or head[2] != _UBYTE or ndim not in (1, 3):
        return len(head)
    header = 4 + 4 * ndim
    if len(head) < header:
        return None
    size = math.prod(int.from_bytes(head[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    return header + size if size <= max_bytes else header


def encode_idx(array: np.ndarray) -> bytes:
    """A uint8 array of 1 or 3 dimensions as an uncompressed IDX file (what `read_idx` reads):
    magic 0x00000801 / 0x00000803, then each dimension as a big-endian 32-bit count."""
    array = np.ascontiguousarray(array)
    if array.dtype != np.uint8 or array.ndim not in (1, 3):
        raise ValueError(f"encode_idx expects a 1-D or 3-D uint8 array, got {array.ndim}-D {array.dtype}")
    header = bytes((0, 0, _UBYTE, array.ndim)) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.tobytes()


def _read_bytes(path: Path) -> bytes:
    return read_bounded(path, _MAX_IDX_BYTES + 16, MnistError, _("far more than any MNIST file; not an MNIST file"))


def read_bounded(path: Path, limit: int, error: type[LenetError] = MnistError, too_big: str | None = None) -> bytes:
    """A file's bytes, refused beyond `limit` (read no further than that); every problem becomes
    `error` with one sentence that names the file (`too_big` ends the one about size)."""
    too_big = too_big if too_big is not None else _("more than the app reads")
    if path.is_dir():  # checked first: Windows reports a folder as "permission denied"
        raise error(_("{path}: is a folder, expected a file").format(path=path))
    try:
        size = path.stat().st_size
        if size > limit:  # refused before a byte is read into memory
            raise error(_("{path}: larger than {limit:,} bytes, {reason}").format(path=path, limit=limit, reason=too_big))
        with path.open("rb") as handle:
            # read() sets aside as many bytes as it is asked for: ask for the file's size
            # (one more shows that it grew since stat(); the limit still holds below)
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(limit + 1 - len(data))
    except FileNotFoundError:
        raise error(_("{path}: file not found").format(path=path)) from None
    except PermissionError:
        raise error(_("{path}: permission denied, cannot read the file").format(path=path)) from None
    except OSError as exc:
        raise error(_("{path}: cannot read the file ({reason})").format(path=path, reason=exc.strerror or exc)) from None
    if len(data) > limit:
        raise error(_("{path}: larger than {limit:,} bytes, {reason}").format(path=path, limit=limit, reason=too_big))
    return data


@dataclass(frozen=True)
class MnistSplit:
    """One split held as uint8 images (47 MB for train) and int64 labels, ready for torch."""

    name: str
    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return int(self.labels.shape[0])


def _existing_file(directory: Path, base: str) -> Path | None:
    """The `.gz` form wins over the raw one: it is what downloads and torchvision write.

    Anything by that name counts, so a folder in the way is reported by `read_idx`
    instead of looking like a missing file.
    """
    for candidate in (directory / f"{base}.gz", directory / base):
        if candidate.exists():
            return candidate
    return None


def load_split(directory: PathLike, split: str) -> MnistSplit:
    """Load one split and check images and labels belong together."""
    if split not in FILES:
        raise ValueError(f"unknown MNIST split {split!r}, expected one of {SPLITS}")
    directory = Path(directory)
    paths = []
    for base in FILES[split]:
        path = _existing_file(directory, base)
        if path is None:
            raise MnistError(_("{path}: file not found (nor uncompressed {name})").format(
                path=f"{directory / base}.gz", name=base))
        paths.append(path)
    image_path, label_path = paths

    images = read_idx(image_path)
    if images.ndim != 3 or images.shape[1:] != (_IMAGE_SIZE, _IMAGE_SIZE):
        raise MnistError(_("{path}: expected images of shape N x 28 x 28, found {shape}").format(
            path=image_path, shape=" x ".join(map(str, images.shape))))
    labels = read_idx(label_path)
    if labels.ndim != 1:
        raise MnistError(_("{path}: expected a list of labels, found {ndim} dimensions").format(
            path=label_path, ndim=labels.ndim))
    if len(labels) != len(images):
        raise MnistError(_("{path}: {labels} labels but {images_file} has {images} images").format(
            path=label_path, labels=len(labels), images_file=image_path.name, images=len(images)))
    if len(labels) and int(labels.max()) > 9:
        index = int(np.argmax(labels > 9))
        raise MnistError(_("{path}: label {label} at index {index} is outside 0..9").format(
            path=label_path, label=int(labels[index]), index=index))
    return MnistSplit(split, images, labels.astype(np.int64))


# ---------------------------------------------------------------------------- finding


def user_data_dir() -> Path:
    """Where the app keeps per-user data: `LENET_APP_DATA_DIR` when set (a portable install
    keeps it beside the app), else each platform's convention."""
    moved = os.environ.get(DATA_DIR_ENV)
    if moved:
        return Path(moved).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else Path.home() / "AppData" / "Local") / "LeNet Digits"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "LeNet Digits"
    xdg = os.environ.get("XDG_DATA_HOME", "")
    # The XDG spec says relative values are invalid and must be ignored.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "lenet-app"


def default_mnist_dir() -> Path:
    """Where `download_mnist` writes and where users are told to put the files by hand."""
    return user_data_dir() / "mnist"


def has_mnist_files(directory: PathLike) -> bool:
    directory = Path(directory)
    return all(
        _existing_file(directory, base) is not None for split in SPLITS for base in FILES[split]
    )


def candidate_dirs(explicit: PathLike | None = None) -> list[Path]:
    """Folders to search, in order; each root also in torchvision's `<root>/MNIST/raw` layout.

    An explicit folder is the only one searched, so a user's choice is never silently
    replaced by some other copy.
    """
    if explicit is not None:
        roots = [Path(explicit).expanduser()]
    else:
        roots = []
        env = os.environ.get(ENV_VAR)
        if env:
            roots.append(Path(env).expanduser())
        roots += [default_mnist_dir(), Path.cwd() / "data"]
    result: list[Path] = []
    for root in roots:
        for candidate in (root, root / "MNIST" / "raw"):
            if candidate not in result:
                result.append(candidate)
    return result


def find_mnist_dir(explicit: PathLike | None = None) -> Path | None:
    return next((d for d in candidate_dirs(explicit) if has_mnist_files(d)), None)


def gz_file_names() -> tuple[str, ...]:
    """The four files MNIST is, as downloaded: what a message tells the user to put where."""
    return tuple(f"{base}.gz" for split in SPLITS for base in FILES[split])


def require_mnist_dir(explicit: PathLike | None = None) -> Path:
    """Like `find_mnist_dir`, but tells the user where it looked and how to get MNIST."""
    found = find_mnist_dir(explicit)
    if found is not None:
        return found
    looked = ", ".join(str(d) for d in candidate_dirs(explicit))
    raise MnistError(_("MNIST not found (looked in: {looked}). Run `lenet-app download` to fetch it, or put "
                       "the four files {files} into {folder}.").format(
        looked=looked, files=", ".join(gz_file_names()), folder=default_mnist_dir()))


def load_mnist(explicit: PathLike | None = None) -> dict[str, MnistSplit]:
    directory = require_mnist_dir(explicit)
    splits = {split: load_split(directory, split) for split in SPLITS}
    release_free_memory()  # the decompression buffers glibc would keep
    return splits


# ---------------------------------------------------------------------------- downloading


@dataclass(frozen=True)
class _Resource:
    filename: str
    md5: str
    size: int | None


def _sources() -> tuple[list[str], list[_Resource]]:
    """Mirrors and files from torchvision (kept current upstream), else our copy of them."""
    mirrors: list[str] = list(_FALLBACK_MIRRORS)
    resources = list(_FALLBACK_RESOURCES)
    try:
        from torchvision.datasets import MNIST

        tv_mirrors = [str(m) for m in getattr(MNIST, "mirrors", ())]
        tv_resources = [(str(f), str(md5)) for f, md5 in getattr(MNIST, "resources", ())]
        wanted = {f"{base}.gz" for split in SPLITS for base in FILES[split]}
        if tv_mirrors and {f for f, _ in tv_resources} == wanted:
            mirrors, resources = tv_mirrors, tv_resources
    except Exception:  # noqa: BLE001 - any torchvision trouble just means: use our copy
        pass
    return mirrors, [_Resource(f, md5, _KNOWN_SIZES.get(md5)) for f, md5 in resources]


def _md5(path: Path) -> str | None:
    """MD5 of a file, None when it cannot be read (then it is simply fetched again)."""
    digest = hashlib.md5(usedforsecurity=False)
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


class _Failed(Exception):
    """One mirror did not deliver a good file; the next one is tried."""


def download_mnist(
    dest: PathLike | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> Path:
    """Fetch the four .gz files into `dest`, verified by MD5, never leaving half files.

    Files already there with the right MD5 are kept, so an interrupted download resumes
    file by file. `progress(done, total)` counts bytes over all files; `total` is None
    when a size is unknown.
    """
    dest = Path(dest).expanduser() if dest is not None else default_mnist_dir()
    mirrors, resources = _sources()
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MnistError(_("{folder}: cannot create the folder ({reason})").format(
            folder=dest, reason=exc.strerror or exc)) from None

    sizes = [r.size for r in resources]
    total = None if None in sizes else sum(s for s in sizes if s is not None)
    done = 0

    def add(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    def check_cancel() -> None:
        raise_if_cancelled(cancel, f"MNIST download cancelled; {dest} keeps only complete files")

    add(0)
    for res in resources:
        check_cancel()
        target = dest / res.filename
        if _md5(target) == res.md5:
            add(target.stat().st_size)
            continue
        start = done
        reasons: list[str] = []
        for mirror in mirrors:
            url = mirror + res.filename
            try:
                _fetch(url, target, res.md5, add, check_cancel)
                break
            except _Failed as exc:
                reasons.append(f"{url}: {exc}")
                add(start - done)  # rewind the bytes of the failed attempt
        else:
            raise MnistError(_("Could not download MNIST ({reasons}). Put the four files {files} into {folder} "
                               "by hand, or try again later.").format(
                reasons="; ".join(reasons), files=", ".join(gz_file_names()), folder=dest))
    return dest


def _fetch(url: str, target: Path, md5: str, add: Callable[[int], None], check_cancel: Callable[[], None]) -> None:
    """Download to a temp file beside `target` and move it in only once its MD5 is right."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    digest = hashlib.md5(usedforsecurity=False)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise MnistError(_("{folder}: cannot write there ({reason})").format(
            folder=target.parent, reason=exc.strerror or exc)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with _urlopen(request, timeout=_TIMEOUT_S) as response:
                    while True:
                        check_cancel()
                        chunk = response.read(_CHUNK)
                        if not chunk:
                            break
                        out.write(chunk)
                        digest.update(chunk)
                        add(len(chunk))
            except urllib.error.HTTPError as exc:
                raise _Failed(str(exc)) from None  # "HTTP Error 404: Not Found"
            except urllib.error.URLError as exc:
                raise _Failed(str(exc.reason)) from None
            except (OSError, http.client.HTTPException, ValueError) as exc:
                raise _Failed(str(exc) or type(exc).__name__) from None
        if digest.hexdigest() != md5:
            raise _Failed(_("MD5 checksum mismatch (got {got}, expected {expected})").format(
                got=digest.hexdigest(), expected=md5))
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise MnistError(_("{path}: cannot write the file ({reason})").format(
                path=target, reason=exc.strerror or exc)) from None
    finally:
        tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- exporting


@dataclass(frozen=True)
class ExportResult:
    written: int
    skipped: int
    directory: Path


_FORMATS = {"png": "PNG", "jpg": "JPEG"}


def export_images(
    split: MnistSplit,
    out_dir: PathLike,
    fmt: str = "png",
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Write every image as `{split}_{index}_{label}.{fmt}`, like the classic tutorials do.

    Existing files are skipped so a stopped export simply continues; each file appears
    atomically, so a cancel never leaves a half-written picture.
    """
    from PIL import Image  # lazy: only exporting needs Pillow

    fmt = fmt.lower()
    if fmt not in _FORMATS:
        raise ValueError(f"unsupported image format {fmt!r}, expected one of {tuple(_FORMATS)}")
    out = Path(out_dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MnistError(_("{folder}: cannot create the folder ({reason})").format(
            folder=out, reason=exc.strerror or exc)) from None

    total = len(split)
    written = skipped = 0
    for index in range(total):
        raise_if_cancelled(cancel, f"Export to {out} cancelled after {written + skipped} of {total} images")
        target = out / f"{split.name}_{index}_{int(split.labels[index])}.{fmt}"
        if target.exists():
            skipped += 1
        else:
            tmp = out / f".{target.name}.part"
            try:
                Image.fromarray(split.images[index]).save(tmp, format=_FORMATS[fmt])
                os.replace(tmp, target)
            except OSError as exc:
                raise MnistError(_("{path}: cannot write the image ({reason})").format(
                    path=target, reason=exc.strerror or exc)) from None
            finally:
                tmp.unlink(missing_ok=True)
            written += 1
        if progress is not None:
            progress(written + skipped, total)
    return ExportResult(written, skipped, out)


def export_splits(
    splits: Sequence[MnistSplit],
    out_dir: PathLike,
    fmt: str = "png",
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelCheck | None = None,
) -> list[ExportResult]:
    """`export_images` for several splits into one folder, one result per split; `progress`
    counts images over all of them, so one bar (or status line) covers the whole export."""
    total = sum(len(split) for split in splits)
    results: list[ExportResult] = []
    done = 0
    for split in splits:
        step = None if progress is None else (lambda n, _total, offset=done: progress(offset + n, total))
        results.append(export_images(split, out_dir, fmt, progress=step, cancel=cancel))
        done += len(split)
    return results


# ---------------------------------------------------------------------------- tensors


def normalize(images: torch.Tensor) -> torch.Tensor:
    """The one MNIST normalisation, shared by training, evaluation and drawn digits.

    Taking uint8 only stops a tensor from being normalised twice by accident.
    """
    import torch

    if images.dtype != torch.uint8:
        raise TypeError(f"normalize expects a uint8 tensor, got {images.dtype}")
    if images.ndim == 3:
        images = images.unsqueeze(1)
    elif images.ndim != 4 or images.shape[1] != 1:
        raise ValueError(f"normalize expects shape (N, 28, 28) or (N, 1, 28, 28), got {tuple(images.shape)}")
    return images.to(torch.float32).div_(255.0).sub_(MNIST_MEAN).div_(MNIST_STD)


def digit_tensor(pixels) -> torch.Tensor:
    """One 28×28 uint8 digit (numpy, light ink on black) as the network reads it: (1, 1, 28, 28),
    normalised."""
    import numpy as np
    import torch

    return normalize(torch.from_numpy(np.ascontiguousarray(pixels, dtype=np.uint8)).reshape(1, 1, 28, 28))
