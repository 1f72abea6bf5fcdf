"""The user's own digits: a small dataset kept beside the app's other data, shareable as a zip.

Layout of the folder (`my_digits_dir()`, moved with `LENET_APP_DATA_DIR`):

    manifest.json        {"version": 1, "digits": [{"id", "label", "created", "source"}, ...]}
    images/<id>.png      the 28x28 network input, light ink on black (MNIST polarity)
    drawings/<id>.png    the full-size picture it came from (optional)

Every file is written atomically and the manifest last, so a crash leaves at worst a PNG that
no manifest entry names (harmless), never an entry without its picture or half a manifest.

A manifest that cannot be trusted (bad JSON, wrong types, a label outside 0-9, duplicate ids,
a newer version) is never rewritten: every read and write refuses with a `MyDigitsError` that
names the file, so the user can repair it or move it away; nothing the user collected is lost
by the app "repairing" it.

The export zip holds the digits in MNIST's IDX format (any MNIST tutorial reads them), plus
the PNGs and the manifest. Import reads it defensively: names are checked before anything is
read, sizes are capped while reading, nothing is extracted by the zip's own names, and the store
changes only once everything has been read and checked.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import io
import json
import re
import secrets
import warnings
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from lenet_app.core.errors import LenetError
from lenet_app.core.i18n import _
from lenet_app.core.mnist import (
    MnistError,
    MnistSplit,
    PathLike,
    encode_idx,
    parse_idx,
    read_bounded,
    user_data_dir,
)

MY_DIGITS_SPLIT = "my"
SOURCES = ("drawn", "file", "pasted")
MANIFEST_VERSION = 1
MANIFEST = "manifest.json"
IMAGES = "images"
DRAWINGS = "drawings"
IDX_IMAGES = "my-digits-images-idx3-ubyte.gz"
IDX_LABELS = "my-digits-labels-idx1-ubyte.gz"
SIZE = 28

# Import limits: far beyond any class's collection, far below what would hurt the machine.
MAX_IMPORT_DIGITS = 100_000
MAX_IMPORT_ENTRIES = 2 * MAX_IMPORT_DIGITS + 16
MAX_IMPORT_BYTES = 512 * 1024 * 1024  # all entries together, uncompressed
MAX_IMAGE_PNG_BYTES = 64 * 1024  # one 28x28 PNG is well under 1 KB
MAX_DRAWING_PNG_BYTES = 32 * 1024 * 1024
MAX_DRAWING_PIXELS = 25_000_000
# A drawing is kept to look at, not to compute with: a photo is scaled down to this longer side,
# which keeps the folder small and every stored drawing within what an import accepts.
MAX_DRAWING_SIDE = 2048
MAX_MANIFEST_BYTES = 64 * 1024 * 1024

_ID = re.compile(r"[0-9a-f]{12}")
_S_IFMT = 0o170000
_S_IFLNK = 0o120000


class MyDigitsError(LenetError):
    """A problem with the user's digits or a shared zip; the message names the file."""


@dataclass(frozen=True)
class DigitRecord:
    """One manifest entry."""

    id: str  # 12 hex chars, random
    label: int  # 0..9
    created: str  # ISO 8601 UTC, seconds
    source: str  # one of SOURCES

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImportResult:
    added: int
    duplicates: int
    relabelled: int = 0


def my_digits_dir() -> Path:
    return user_data_dir() / "my-digits"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def _write(path: Path, data: bytes) -> None:
    """The project's one atomic write (lazy: checkpoint imports torch, which reading needs not)."""
    from lenet_app.core.checkpoint import atomic_write_bytes

    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise MyDigitsError(_("{path}: cannot write the file ({reason})").format(
            path=path, reason=exc.strerror or exc)) from None


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _pixels_png(pixels: np.ndarray) -> bytes:
    return _png_bytes(Image.fromarray(_check_pixels(pixels), mode="L"))


def _check_pixels(pixels: np.ndarray) -> np.ndarray:
    array = np.asarray(pixels)
    if array.shape != (SIZE, SIZE):
        raise ValueError(f"a digit is {SIZE}x{SIZE} pixels, got shape {array.shape}")
    if array.dtype != np.uint8:
        raise ValueError(f"a digit's pixels are uint8, got {array.dtype}")
    return np.ascontiguousarray(array)


def _drawing_png(drawing: Any) -> bytes:
    if isinstance(drawing, np.ndarray):
        if drawing.ndim != 2:
            raise ValueError(f"a drawing array must be 2-D, got shape {drawing.shape}")
        image = Image.fromarray(np.ascontiguousarray(drawing, dtype=np.uint8), mode="L")
    elif isinstance(drawing, Image.Image):
        image = drawing
        if image.mode in ("I", "F") or image.mode.startswith("I;16"):
            # Wide-range grey (16-bit scans): stretched to 8 bits, as the network input was.
            values = np.asarray(image, dtype=np.float64)
            peak = float(values.max()) if values.size else 0.0
            scaled = values * (255.0 / peak) if peak > 0 else np.zeros_like(values)
            image = Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), mode="L")
        elif image.mode == "La":  # premultiplied grey: Pillow converts it only to LA
            image = image.convert("LA")
        elif image.mode not in ("1", "L", "LA", "RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode or "a" in image.mode else "RGB")
    else:
        raise TypeError(f"a drawing is a PIL image or a 2-D array, got {type(drawing).__name__}")
    if max(image.size) > MAX_DRAWING_SIDE:
        image = image.copy()
        image.thumbnail((MAX_DRAWING_SIDE, MAX_DRAWING_SIDE), Image.Resampling.LANCZOS)
    return _png_bytes(image)


def check_label(label: Any, where: str) -> int:
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= int(label) <= 9:
        raise MyDigitsError(_("{where}: the label must be a digit from 0 to 9, not {label!r}").format(
            where=where, label=label))
    return int(label)


def _decode_png(data: bytes, name: str, max_pixels: int) -> Image.Image:
    """Decode a PNG fully (so damage shows now), refusing a pixel bomb before decoding it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise MyDigitsError(_("{name}: the picture is {width}x{height} pixels, too large").format(
                    name=name, width=width, height=height))
            image.load()
    except MyDigitsError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MyDigitsError(_("{name}: the picture is too large to be a digit").format(name=name)) from None
    except UnidentifiedImageError:
        raise MyDigitsError(_("{name}: not a PNG picture").format(name=name)) from None
    except Exception as exc:  # noqa: BLE001 - any decoder failure is the file's fault
        raise MyDigitsError(_("{name}: damaged picture ({reason})").format(name=name, reason=exc)) from None
    return image


def _digit_from_png(data: bytes, name: str) -> np.ndarray:
    image = _decode_png(data, name, SIZE * SIZE)
    if image.size != (SIZE, SIZE):
        width, height = image.size
        raise MyDigitsError(_("{name}: the picture is {width}x{height} pixels, a digit must be {size}x{size}").format(
            name=name, width=width, height=height, size=SIZE))
    return np.asarray(image.convert("L"), dtype=np.uint8).copy()


def _parse_manifest(data: bytes, name: str, advice: str = "") -> list[DigitRecord]:
    """Every way a hand-edited manifest can be wrong becomes one sentence naming `name`."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MyDigitsError(_("{name}: not valid JSON ({reason}){advice}").format(
            name=name, reason=exc, advice=advice)) from None
    if not isinstance(document, dict) or not isinstance(document.get("digits"), list):
        raise MyDigitsError(_("{name}: not a my-digits manifest (expected an object with a list \"digits\")").format(
            name=name))
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise MyDigitsError(_("{name}: the manifest's version must be a number, not {version!r}").format(
            name=name, version=version))
    if version > MANIFEST_VERSION:
        raise MyDigitsError(_("{name}: written by a newer LeNet Digits (manifest version {version}); update the "
                              "app to use it").format(name=name, version=version))
    if version < 1:
        raise MyDigitsError(_("{name}: unknown manifest version {version}").format(name=name, version=version))
    records: list[DigitRecord] = []
    seen: set[str] = set()
    for index, entry in enumerate(document["digits"]):
        where = _("{name}: digit {number}").format(name=name, number=index + 1)
        if not isinstance(entry, dict):
            raise MyDigitsError(_("{where} is not an object").format(where=where))
        digit_id = entry.get("id")
        if not isinstance(digit_id, str) or not _ID.fullmatch(digit_id):
            raise MyDigitsError(_("{where}: the id must be 12 lowercase hex characters, not {id!r}").format(
                where=where, id=digit_id))
        if digit_id in seen:
            raise MyDigitsError(_("{name}: the id {id} appears twice").format(name=name, id=digit_id))
        seen.add(digit_id)
        label = check_label(entry.get("label"), f"{where} ({digit_id})")
        created = entry.get("created")
        try:
            if not isinstance(created, str):
                raise ValueError
            _dt.datetime.fromisoformat(created)
        except ValueError:
            raise MyDigitsError(_("{where} ({id}): the date must be ISO 8601 text, not {date!r}").format(
                where=where, id=digit_id, date=created)) from None
        source = entry.get("source")
        if source not in SOURCES:
            raise MyDigitsError(_("{where} ({id}): the source must be one of {sources}, not {source!r}").format(
                where=where, id=digit_id, sources=", ".join(SOURCES), source=source))
        records.append(DigitRecord(digit_id, label, created, source))
    return records


def _manifest_bytes(records: list[DigitRecord]) -> bytes:
    document = {"version": MANIFEST_VERSION, "digits": [r.to_dict() for r in records]}
    return (json.dumps(document, indent=1) + "\n").encode("utf-8")


def _read_file(path: Path, limit: int) -> bytes:
    return read_bounded(path, limit, MyDigitsError, _("not a file the app wrote"))


class MyDigitsStore:
    """The folder of the user's digits; each call reads the manifest afresh, so a CLI and the
    GUI on the same folder see each other's changes."""

    def __init__(self, folder: PathLike | None = None) -> None:
        self.folder = Path(folder) if folder is not None else my_digits_dir()
        self._removed_at: dict[str, int] = {}  # where `remove` took each id from, for `restore`

    # ------------------------------------------------------------------ paths

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST

    def _image_path(self, digit_id: str) -> Path:
        return self.folder / IMAGES / f"{digit_id}.png"

    def _drawing_path(self, digit_id: str) -> Path:
        return self.folder / DRAWINGS / f"{digit_id}.png"

    # ------------------------------------------------------------------ reading

    def records(self) -> list[DigitRecord]:
        path = self.manifest_path
        if not path.exists() and not path.is_symlink():
            return []
        return _parse_manifest(_read_file(path, MAX_MANIFEST_BYTES), str(path),
                               _("; repair it, or move it away to start a new collection"))

    def __len__(self) -> int:
        return len(self.records())

    def _find(self, records: list[DigitRecord], digit_id: str) -> int:
        for index, record in enumerate(records):
            if record.id == digit_id:
                return index
        raise MyDigitsError(_("no digit with id {id!r} in {folder}").format(id=digit_id, folder=self.folder))

    def pixels(self, digit_id: str) -> np.ndarray:
        if not _ID.fullmatch(str(digit_id)):
            raise MyDigitsError(_("{id!r} is not a digit id (12 hex characters)").format(id=digit_id))
        path = self._image_path(digit_id)
        return _digit_from_png(_read_file(path, MAX_IMAGE_PNG_BYTES), str(path))

    def drawing_path(self, digit_id: str) -> Path | None:
        if not _ID.fullmatch(str(digit_id)):
            return None
        path = self._drawing_path(digit_id)
        return path if path.is_file() else None

    def split(self) -> MnistSplit:
        return self._split_of(self.records())

    def _split_of(self, records: list[DigitRecord]) -> MnistSplit:
        images = np.zeros((len(records), SIZE, SIZE), dtype=np.uint8)
        for index, record in enumerate(records):
            images[index] = self.pixels(record.id)
        labels = np.array([r.label for r in records], dtype=np.int64)
        return MnistSplit(MY_DIGITS_SPLIT, images, labels)

    # ------------------------------------------------------------------ writing

    def _make_folders(self) -> None:
        for folder in (self.folder, self.folder / IMAGES, self.folder / DRAWINGS):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise MyDigitsError(_("{folder}: cannot create the folder ({reason})").format(
                    folder=folder, reason=exc.strerror or exc)) from None

    def _save_manifest(self, records: list[DigitRecord]) -> None:
        _write(self.manifest_path, _manifest_bytes(records))

    def _write_pngs(self, digit_id: str, image_png: bytes, drawing_png: bytes | None) -> None:
        """Both PNGs of one digit; on failure neither stays (the manifest does not name them yet)."""
        try:
            _write(self._image_path(digit_id), image_png)
            if drawing_png is not None:
                _write(self._drawing_path(digit_id), drawing_png)
        except BaseException:
            self._delete_pngs(digit_id)
            raise

    def _delete_pngs(self, digit_id: str) -> None:
        for path in (self._image_path(digit_id), self._drawing_path(digit_id)):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass  # an orphan PNG is harmless; the manifest is what counts

    def _new_id(self, taken: set[str]) -> str:
        while True:
            digit_id = secrets.token_hex(6)
            if digit_id not in taken:
                return digit_id

    def add(self, pixels: np.ndarray, label: int, source: str = "drawn", drawing: Any = None) -> DigitRecord:
        label = check_label(label, _("new digit"))
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        image_png = _pixels_png(pixels)
        drawing_png = _drawing_png(drawing) if drawing is not None else None
        records = self.records()  # refuses a damaged manifest before anything is written
        record = DigitRecord(self._new_id({r.id for r in records}), label, _now(), source)
        self._make_folders()
        self._write_pngs(record.id, image_png, drawing_png)
        try:
            self._save_manifest([*records, record])
        except BaseException:
            self._delete_pngs(record.id)
            raise
        return record

    def remove(self, digit_id: str) -> DigitRecord:
        records = self.records()
        index = self._find(records, digit_id)
        record = records.pop(index)
        self._save_manifest(records)  # first: a crash after it leaves only orphan PNGs
        self._delete_pngs(digit_id)
        self._removed_at[digit_id] = index
        return record

    def relabel(self, digit_id: str, label: int) -> DigitRecord:
        label = check_label(label, _("digit {id}").format(id=digit_id))
        records = self.records()
        index = self._find(records, digit_id)
        old = records[index]
        records[index] = DigitRecord(old.id, label, old.created, old.source)
        self._save_manifest(records)
        return old

    def restore(self, record: DigitRecord, pixels: np.ndarray, drawing: Any = None) -> None:
        check_label(record.label, _("digit {id}").format(id=record.id))
        if not _ID.fullmatch(record.id) or record.source not in SOURCES:
            raise ValueError(f"not a record this store wrote: {record!r}")
        image_png = _pixels_png(pixels)
        drawing_png = _drawing_png(drawing) if drawing is not None else None
        records = self.records()
        if any(r.id == record.id for r in records):
            raise MyDigitsError(_("the digit {id} is already in {folder}").format(id=record.id, folder=self.folder))
        index = min(self._removed_at.pop(record.id, len(records)), len(records))
        self._make_folders()
        self._write_pngs(record.id, image_png, drawing_png)
        try:
            self._save_manifest([*records[:index], record, *records[index:]])
        except BaseException:
            self._delete_pngs(record.id)
            raise

    # ------------------------------------------------------------------ sharing

    def export_zip(self, path: PathLike) -> int:
        path = Path(path)
        records = self.records()
        split = self._split_of(records)  # every PNG read and checked before the zip is written
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(IDX_IMAGES, gzip.compress(encode_idx(split.images), mtime=0))
            archive.writestr(IDX_LABELS, gzip.compress(encode_idx(split.labels.astype(np.uint8)), mtime=0))
            for record, pixels in zip(records, split.images):
                archive.writestr(f"{IMAGES}/{record.id}.png", _pixels_png(pixels))
                drawing = self.drawing_path(record.id)
                if drawing is not None:
                    data = _read_file(drawing, MAX_DRAWING_PNG_BYTES)
                    _decode_png(data, str(drawing), MAX_DRAWING_PIXELS)
                    archive.writestr(f"{DRAWINGS}/{record.id}.png", data)
            archive.writestr(MANIFEST, _manifest_bytes(records))
        if not (path.parent if str(path.parent) else Path(".")).is_dir():
            raise MyDigitsError(_("{path}: the folder {folder} does not exist").format(path=path, folder=path.parent))
        _write(path, buffer.getvalue())
        return len(records)

    def import_zip(self, path: PathLike) -> ImportResult:
        incoming = _read_share(Path(path))
        records = self.records()
        by_id = {r.id: i for i, r in enumerate(records)}
        known = {(self.pixels(r.id).tobytes(), r.label) for r in records}
        taken = set(by_id)
        added: list[tuple[DigitRecord, bytes, bytes | None]] = []
        duplicates = relabelled = 0
        changed = list(records)
        for record, pixels, drawing_png in incoming:
            if record.id in by_id:
                index = by_id[record.id]
                if changed[index].label != record.label:
                    old = changed[index]
                    changed[index] = DigitRecord(old.id, record.label, old.created, old.source)
                    relabelled += 1
                else:
                    duplicates += 1
                continue
            key = (pixels.tobytes(), record.label)
            if key in known:
                duplicates += 1
                continue
            if record.id in taken:  # a new id colliding with one added from this zip
                record = DigitRecord(self._new_id(taken), record.label, record.created, record.source)
            taken.add(record.id)
            known.add(key)
            added.append((record, _pixels_png(pixels), drawing_png))
        if not added and not relabelled:
            return ImportResult(0, duplicates, 0)
        self._make_folders()
        written: list[str] = []
        try:
            for record, image_png, drawing_png in added:
                self._write_pngs(record.id, image_png, drawing_png)
                written.append(record.id)
            self._save_manifest(changed + [record for record, _, _ in added])
        except BaseException:
            for digit_id in written:
                self._delete_pngs(digit_id)
            raise
        return ImportResult(len(added), duplicates, relabelled)


# ---------------------------------------------------------------------------- reading a shared zip


def _entry_name_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return _("the entry {name!r} has an absolute path").format(name=name)
    if ".." in parts:
        return _("the entry {name!r} points outside the folder (\"..\")").format(name=name)
    if "\0" in name:
        return _("the entry {name!r} has a NUL character in its name").format(name=name)
    if (info.external_attr >> 16) & _S_IFMT == _S_IFLNK:
        return _("the entry {name!r} is a symbolic link").format(name=name)
    return None


def _read_share(path: Path) -> list[tuple[DigitRecord, np.ndarray, bytes | None]]:
    """Everything a shared zip holds, read and checked; the store is not touched here."""
    if path.is_dir():
        raise MyDigitsError(_("{path}: is a folder, expected a zip file").format(path=path))
    if not path.exists():
        raise MyDigitsError(_("{path}: file not found").format(path=path))
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise MyDigitsError(_("{path}: not a zip file").format(path=path)) from None
    except PermissionError:
        raise MyDigitsError(_("{path}: permission denied, cannot read the file").format(path=path)) from None
    except OSError as exc:
        raise MyDigitsError(_("{path}: cannot read the file ({reason})").format(
            path=path, reason=exc.strerror or exc)) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_IMPORT_ENTRIES:
            raise MyDigitsError(_("{path}: {count:,} entries, more than the {limit:,} a my-digits zip can hold")
                                .format(path=path, count=len(infos), limit=MAX_IMPORT_ENTRIES))
        names: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            problem = _entry_name_problem(info)
            if problem:
                raise MyDigitsError(_("{path}: refused, {problem}").format(path=path, problem=problem))
            if info.filename in names:
                raise MyDigitsError(_("{path}: the entry {name!r} appears twice").format(path=path, name=info.filename))
            names[info.filename] = info
        budget = [MAX_IMPORT_BYTES]

        def read(name: str, limit: int) -> bytes:
            """One entry, never more than `limit` bytes or what is left of the total budget,
            counted while decompressing (the sizes in the zip's headers can lie)."""
            cap = min(limit, budget[0])
            try:
                with archive.open(names[name]) as handle:
                    data = handle.read(cap + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise MyDigitsError(_("{path}: {name} is damaged ({reason})").format(
                    path=path, name=name, reason=exc)) from None
            except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown compression
                raise MyDigitsError(_("{path}: {name} cannot be read ({reason})").format(
                    path=path, name=name, reason=exc)) from None
            if len(data) > cap:
                raise MyDigitsError(_("{path}: refused, {name} unpacks to more than {limit:,} bytes (a zip bomb, "
                                      "or not a my-digits zip)").format(path=path, name=name, limit=cap))
            budget[0] -= len(data)
            return data

        manifest = None
        if MANIFEST in names:
            manifest = _parse_manifest(read(MANIFEST, MAX_MANIFEST_BYTES), f"{path}: {MANIFEST}")
            if len(manifest) > MAX_IMPORT_DIGITS:
                raise MyDigitsError(_("{path}: {count:,} digits, more than {limit:,}").format(
                    path=path, count=len(manifest), limit=MAX_IMPORT_DIGITS))
        idx_images = idx_labels = None
        if (IDX_IMAGES in names) != (IDX_LABELS in names):
            missing = IDX_LABELS if IDX_IMAGES in names else IDX_IMAGES
            raise MyDigitsError(_("{path}: {name} is missing (the IDX images and labels come as a pair)").format(
                path=path, name=missing))
        if IDX_IMAGES in names:
            idx_max = MAX_IMPORT_DIGITS * SIZE * SIZE
            try:
                idx_images = parse_idx(read(IDX_IMAGES, idx_max), f"{path}: {IDX_IMAGES}", idx_max)
                idx_labels = parse_idx(read(IDX_LABELS, idx_max), f"{path}: {IDX_LABELS}", MAX_IMPORT_DIGITS)
            except MnistError as exc:
                raise MyDigitsError(str(exc)) from None
            if idx_images.ndim != 3 or idx_images.shape[1:] != (SIZE, SIZE):
                raise MyDigitsError(_("{path}: {name} holds images of shape {shape}, expected N x 28 x 28").format(
                    path=path, name=IDX_IMAGES, shape=" x ".join(map(str, idx_images.shape))))
            if idx_labels.ndim != 1:
                raise MyDigitsError(_("{path}: {name} is not a list of labels").format(path=path, name=IDX_LABELS))
            if len(idx_images) != len(idx_labels):
                raise MyDigitsError(_("{path}: {images_file} has {images} images but {labels_file} has {labels} "
                                      "labels").format(path=path, images_file=IDX_IMAGES, images=len(idx_images),
                                                       labels_file=IDX_LABELS, labels=len(idx_labels)))
            if len(idx_labels) and int(idx_labels.max()) > 9:
                index = int(np.argmax(idx_labels > 9))
                raise MyDigitsError(_("{path}: {name}: label {label} at index {index} is outside 0..9").format(
                    path=path, name=IDX_LABELS, label=int(idx_labels[index]), index=index))
            if manifest is not None and len(manifest) != len(idx_labels):
                raise MyDigitsError(_("{path}: {manifest} lists {digits} digits but {images_file} has {images}")
                                    .format(path=path, manifest=MANIFEST, digits=len(manifest),
                                            images_file=IDX_IMAGES, images=len(idx_images)))

        if manifest is None and idx_images is None:
            raise MyDigitsError(_("{path}: holds neither {manifest} nor {images_file}; not a my-digits zip").format(
                path=path, manifest=MANIFEST, images_file=IDX_IMAGES))
        digits: list[tuple[DigitRecord, np.ndarray, bytes | None]] = []
        if manifest is None:
            created = _now()
            for pixels, label in zip(idx_images, idx_labels):
                digits.append((DigitRecord(secrets.token_hex(6), int(label), created, "file"), pixels, None))
            return digits
        for index, record in enumerate(manifest):
            image_name = f"{IMAGES}/{record.id}.png"
            if image_name in names:
                pixels = _digit_from_png(read(image_name, MAX_IMAGE_PNG_BYTES), f"{path}: {image_name}")
            elif idx_images is not None:
                pixels = idx_images[index]
            else:
                raise MyDigitsError(_("{path}: {name} is missing (listed in {manifest})").format(
                    path=path, name=image_name, manifest=MANIFEST))
            if idx_labels is not None and int(idx_labels[index]) != record.label:
                raise MyDigitsError(_("{path}: {manifest} says digit {id} is a {label} but {labels_file} says "
                                      "{other}").format(path=path, manifest=MANIFEST, id=record.id,
                                                        label=record.label, labels_file=IDX_LABELS,
                                                        other=int(idx_labels[index])))
            drawing_name = f"{DRAWINGS}/{record.id}.png"
            drawing_png = None
            if drawing_name in names:
                drawing_png = read(drawing_name, MAX_DRAWING_PNG_BYTES)
                _decode_png(drawing_png, f"{path}: {drawing_name}", MAX_DRAWING_PIXELS)
            digits.append((record, np.ascontiguousarray(pixels), drawing_png))
        return digits

