"""The user's own digits, damaged or hostile: a clear message, nothing lost, nothing written outside.

Three lists of cases, each through every path that reads it:
- `MANIFEST_CASES`: a corrupt or hand-edited manifest.json, through the store's reads and
  writes (list, split, add, relabel, remove, import) and the CLI (`my-digits list`,
  `my-digits add`, `evaluate --my-digits`). The manifest is never rewritten: the user repairs
  it or moves it away, and nothing they collected is lost by the app "repairing" it.
- `PICTURE_CASES`: a missing, unreadable or wrong-sized PNG, through `pixels`, `split`,
  `export_zip` and the CLI's `export` and `evaluate --my-digits`; no zip appears.
- `ZIP_CASES`: a zip to import that is not a zip, or escapes the folder (`../`, absolute
  paths, symlinks), or is a bomb, or whose IDX files and manifest disagree, through
  `import_zip` and the CLI's `my-digits import`.

Each case passes when the message names the file and the problem, every file under the test's
folder (the store and its surroundings) is byte for byte what it was, and no file appears
anywhere else in it.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lenet_app.cli import main
from lenet_app.core import my_digits
from lenet_app.core.mnist import DATA_DIR_ENV, encode_idx
from lenet_app.core.my_digits import IDX_IMAGES, IDX_LABELS, MyDigitsError, MyDigitsStore
from reliability import ledger
from reliability.samples import one_line_error, unreadable


def _pixels(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (28, 28), dtype=np.uint8)


def _snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under `root`, with its bytes: what "nothing changed" compares."""
    result: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink() or path.is_dir():
            result[key] = None
        else:
            try:
                result[key] = path.read_bytes()
            except OSError:
                result[key] = b"<unreadable>"
    return result


@pytest.fixture
def world(tmp_path, monkeypatch):
    """A data folder holding a store of three digits (one with its drawing), and the CLI
    pointed at it."""
    data = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    store = MyDigitsStore(data / "my-digits")
    for index in range(3):
        store.add(_pixels(index), index + 1, drawing=np.full((60, 40), 200, np.uint8) if index == 0 else None)
    monkeypatch.chdir(tmp_path)
    return tmp_path, store


def _names_problem(message: str, path: Path | str, words: tuple[str, ...]) -> None:
    assert str(path) in message, message
    lower = message.lower()
    assert any(word.lower() in lower for word in words), message
    assert "Traceback" not in message and "\n" not in message.strip()


# ============================================================================ manifest


@dataclass(frozen=True)
class ManifestCase:
    name: str
    damage: Callable[[Path], None]  # gets the manifest's path
    words: tuple[str, ...]


def _edit(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        document = json.loads(path.read_text())
        change(document)
        path.write_text(json.dumps(document))
    return damage


def _set_entry(key: str, value) -> Callable[[dict], None]:
    def change(document: dict) -> None:
        document["digits"][1][key] = value
    return change


def _duplicate_id(document: dict) -> None:
    document["digits"][2]["id"] = document["digits"][0]["id"]


def _replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


MANIFEST_CASES = [
    ManifestCase("not JSON", lambda p: p.write_text('{"version": 1, "digits": ['), ("not valid json",)),
    ManifestCase("empty file", lambda p: p.write_bytes(b""), ("not valid json",)),
    ManifestCase("binary garbage", lambda p: p.write_bytes(bytes(range(256)) * 4), ("not valid json",)),
    ManifestCase("a list, not an object", lambda p: p.write_text("[1, 2]"), ("not a my-digits manifest",)),
    ManifestCase("digits not a list", _edit(lambda d: d.update(digits={"a": 1})), ("not a my-digits manifest",)),
    ManifestCase("newer version", _edit(lambda d: d.update(version=2)), ("newer",)),
    ManifestCase("version as text", _edit(lambda d: d.update(version="1")), ("version must be a number",)),
    ManifestCase("version 0", _edit(lambda d: d.update(version=0)), ("unknown manifest version",)),
    ManifestCase("entry not an object", _edit(lambda d: d["digits"].append(7)), ("not an object",)),
    ManifestCase("label 10", _edit(_set_entry("label", 10)), ("from 0 to 9",)),
    ManifestCase("label -1", _edit(_set_entry("label", -1)), ("from 0 to 9",)),
    ManifestCase("label as text", _edit(_set_entry("label", "3")), ("from 0 to 9",)),
    ManifestCase("label true", _edit(_set_entry("label", True)), ("from 0 to 9",)),
    ManifestCase("label missing", _edit(lambda d: d["digits"][1].pop("label")), ("from 0 to 9",)),
    ManifestCase("id with ../", _edit(_set_entry("id", "../../evil")), ("12 lowercase hex",)),
    ManifestCase("id a number", _edit(_set_entry("id", 123456789012)), ("12 lowercase hex",)),
    ManifestCase("duplicate ids", _edit(_duplicate_id), ("appears twice",)),
    ManifestCase("date not a date", _edit(_set_entry("created", "yesterday")), ("iso 8601",)),
    ManifestCase("unknown source", _edit(_set_entry("source", "camera")), ("source must be one of",)),
    ManifestCase("a folder", _replace_with_folder, ("is a folder",)),
]
UNREADABLE = "unreadable"
MANIFEST_CASES.append(ManifestCase(UNREADABLE, lambda p: None, ("permission denied",)))


@pytest.fixture(params=MANIFEST_CASES, ids=[c.name for c in MANIFEST_CASES])
def bad_manifest(request, world):
    tmp_path, store = world
    case: ManifestCase = request.param
    case.damage(store.manifest_path)
    guard = unreadable(store.manifest_path) if case.name == UNREADABLE else contextlib.nullcontext()
    with guard:
        yield case, tmp_path, store


def test_damaged_manifest_is_refused_and_never_rewritten(bad_manifest, capsys):
    case, tmp_path, store = bad_manifest
    picture = tmp_path / "seven.png"
    Image.fromarray(np.pad(np.full((60, 12), 0, np.uint8), 40, constant_values=255)).save(picture)
    zip_path = tmp_path / "share.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr(IDX_IMAGES, gzip.compress(encode_idx(_pixels(9)[None])))
        archive.writestr(IDX_LABELS, gzip.compress(encode_idx(np.array([4], np.uint8))))
    before = _snapshot(tmp_path)
    some_id = "0123456789ab"
    actions = {
        "records": store.records,
        "len": lambda: len(store),
        "split": store.split,
        "add": lambda: store.add(_pixels(5), 5),
        "relabel": lambda: store.relabel(some_id, 3),
        "remove": lambda: store.remove(some_id),
        "import": lambda: store.import_zip(zip_path),
        "export": lambda: store.export_zip(tmp_path / "out.zip"),
    }
    for action in actions.values():
        with pytest.raises(MyDigitsError) as info:
            action()
        _names_problem(str(info.value), store.manifest_path, case.words)
    for argv in (["my-digits", "list"], ["my-digits", "add", str(picture), str(picture), "--label", "7"],
                 ["my-digits", "import", str(zip_path)], ["evaluate", "--my-digits"]):
        assert main(argv) == 2, argv
        _names_problem(one_line_error(capsys.readouterr().err), store.manifest_path, case.words)
    assert _snapshot(tmp_path) == before
    ledger.record("bad input", "my digits: damaged manifest", len(actions) + 4)


# ============================================================================ pictures


@dataclass(frozen=True)
class PictureCase:
    name: str
    damage: Callable[[Path], None]  # gets the PNG's path
    words: tuple[str, ...]


def _png(size: tuple[int, int]) -> Callable[[Path], None]:
    return lambda p: Image.new("L", size, 0).save(p, format="PNG")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:40])


PICTURE_CASES = [
    PictureCase("missing", lambda p: p.unlink(), ("file not found",)),
    PictureCase("empty", lambda p: p.write_bytes(b""), ("not a png",)),
    PictureCase("truncated", _truncate, ("damaged", "not a png")),
    PictureCase("text", lambda p: p.write_text("hello"), ("not a png",)),
    PictureCase("27x28", _png((27, 28)), ("27x28 pixels",)),
    PictureCase("280x280", _png((280, 280)), ("280x280", "too large")),
    PictureCase("1x1", _png((1, 1)), ("1x1 pixels",)),
    PictureCase("a folder", lambda p: (p.unlink(), p.mkdir()), ("is a folder",)),
    PictureCase(UNREADABLE, lambda p: None, ("permission denied",)),
]


@pytest.fixture(params=PICTURE_CASES, ids=[c.name for c in PICTURE_CASES])
def bad_picture(request, world):
    tmp_path, store = world
    case: PictureCase = request.param
    record = store.records()[1]
    path = store.folder / "images" / f"{record.id}.png"
    case.damage(path)
    guard = unreadable(path) if case.name == UNREADABLE else contextlib.nullcontext()
    with guard:
        yield case, tmp_path, store, record, path


def test_damaged_picture_is_named_and_nothing_is_exported(bad_picture, capsys):
    case, tmp_path, store, record, path = bad_picture
    before = _snapshot(tmp_path)
    out = tmp_path / "out.zip"
    for action in (lambda: store.pixels(record.id), store.split, lambda: store.export_zip(out)):
        with pytest.raises(MyDigitsError) as info:
            action()
        _names_problem(str(info.value), path, case.words)
    for argv in (["my-digits", "export", str(out)], ["evaluate", "--my-digits"]):
        assert main(argv) == 2, argv
        _names_problem(one_line_error(capsys.readouterr().err), path, case.words)
    # The other digits stay usable: listed, and each readable on its own.
    assert [r.id for r in store.records()][1] == record.id
    assert np.array_equal(store.pixels(store.records()[0].id), _pixels(0))
    assert _snapshot(tmp_path) == before and not out.exists()
    ledger.record("bad input", "my digits: damaged picture", 5)


# ============================================================================ zips to import


def _good_share(store: MyDigitsStore, target: Path) -> Path:
    store.export_zip(target)
    return target


def _rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes]], None],
             extra: Callable[[zipfile.ZipFile], None] | None = None) -> None:
    with zipfile.ZipFile(source) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    change(entries)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if extra is not None:
            extra(archive)


@dataclass(frozen=True)
class ZipCase:
    name: str
    make: Callable[[Path, Path], None]  # (a good export of three other digits, the file to write)
    words: tuple[str, ...]
    limits: dict[str, int] | None = None  # smaller import limits, so a bomb stays small here


def _edited(change: Callable[[dict[str, bytes]], None]) -> Callable[[Path, Path], None]:
    return lambda good, target: _rewrite(good, target, change)


def _added(name: str, data: bytes = b"x", mode: int | None = None) -> Callable[[Path, Path], None]:
    def extra(archive: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        archive.writestr(info, data)
    return lambda good, target: _rewrite(good, target, lambda entries: None, extra)


def _idx(entries: dict[str, bytes], name: str, array: np.ndarray) -> None:
    entries[name] = gzip.compress(encode_idx(array))


def _manifest_of(entries: dict[str, bytes]) -> dict:
    return json.loads(entries["manifest.json"])


def _idx_only(change: Callable[[dict[str, bytes]], None]) -> Callable[[Path, Path], None]:
    def make(good: Path, target: Path) -> None:
        def both(entries: dict[str, bytes]) -> None:
            for name in list(entries):
                if name not in (IDX_IMAGES, IDX_LABELS):
                    del entries[name]
            change(entries)
        _rewrite(good, target, both)
    return make


def _first_png(entries: dict[str, bytes]) -> str:
    return next(name for name in entries if name.startswith("images/"))


def _set_png(data_of: Callable[[], bytes]) -> Callable[[dict[str, bytes]], None]:
    def change(entries: dict[str, bytes]) -> None:
        entries[_first_png(entries)] = data_of()
    return change


def _png_bytes(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, 0).save(buffer, format="PNG")
    return buffer.getvalue()


def _drop_pngs_and_idx(entries: dict[str, bytes]) -> None:
    for name in list(entries):
        if name != "manifest.json":
            del entries[name]


def _manifest_label_disagrees(entries: dict[str, bytes]) -> None:
    document = _manifest_of(entries)
    document["digits"][0]["label"] = (document["digits"][0]["label"] + 1) % 10
    entries["manifest.json"] = json.dumps(document).encode()


def _manifest_one_more(entries: dict[str, bytes]) -> None:
    document = _manifest_of(entries)
    document["digits"].append({**document["digits"][0], "id": "abcdefabcdef"})
    entries["manifest.json"] = json.dumps(document).encode()


def _bomb_manifest(good: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", b" " * (2 * 1024 * 1024))  # ~2 KB compressed


def _bomb_idx(good: Path, target: Path) -> None:
    """A gzip IDX whose header promises 200,000 images: 157 MB from a few hundred KB."""
    header = bytes((0, 0, 8, 3)) + (200_000).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    stream = gzip.compress(header + bytes(200_000 * 784), compresslevel=9)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(IDX_IMAGES, stream)
        archive.writestr(IDX_LABELS, gzip.compress(encode_idx(np.zeros(200_000, np.uint8))))


def _bomb_png(good: Path, target: Path) -> None:
    _rewrite(good, target, _set_png(lambda: b"\x89PNG" + bytes(1024 * 1024)))


def _many_entries(good: Path, target: Path) -> None:
    def extra(archive: zipfile.ZipFile) -> None:
        for index in range(40):
            archive.writestr(f"junk/{index}", b"")
    _rewrite(good, target, lambda entries: None, extra)


def _not_zip(data: bytes) -> Callable[[Path, Path], None]:
    return lambda good, target: target.write_bytes(data)


def _truncated_zip(good: Path, target: Path) -> None:
    data = good.read_bytes()
    target.write_bytes(data[: len(data) // 2])


def _corrupt_entry(good: Path, target: Path) -> None:
    """One entry's compressed bytes flipped: the CRC check (or inflate) fails while reading."""
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("manifest.json")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 2, start + min(info.compress_size, 40)):
        data[offset] ^= 0xFF
    target.write_bytes(bytes(data))


ZIP_CASES = [
    ZipCase("text file", _not_zip(b"just some notes\n"), ("not a zip file",)),
    ZipCase("empty file", _not_zip(b""), ("not a zip file",)),
    ZipCase("a PNG", _not_zip(_png_bytes((28, 28))), ("not a zip file",)),
    ZipCase("random bytes", _not_zip(np.random.default_rng(1).bytes(5000)), ("not a zip file",)),
    ZipCase("truncated zip", _truncated_zip, ("not a zip file",)),
    ZipCase("damaged entry", _corrupt_entry, ("damaged",)),
    ZipCase("a folder", lambda good, target: target.mkdir(), ("is a folder",)),
    ZipCase("missing", lambda good, target: None, ("file not found",)),
    ZipCase("../ traversal", _added("../evil.png"), ("outside the folder",)),
    ZipCase("nested ../ traversal", _added("images/../../evil.png"), ("outside the folder",)),
    ZipCase("backslash ..\\ traversal", _added("..\\evil.png"), ("outside the folder",)),
    ZipCase("absolute path", _added("/tmp/evil.png"), ("absolute path",)),
    ZipCase("drive letter", _added("C:/evil.png"), ("absolute path",)),
    ZipCase("symlink entry", _added("images/link.png", b"/etc/passwd", stat.S_IFLNK | 0o777), ("symbolic link",)),
    ZipCase("bomb: huge manifest", _bomb_manifest, ("zip bomb",), {"MAX_MANIFEST_BYTES": 1024 * 1024}),
    ZipCase("bomb: IDX promising 200,000 images", _bomb_idx, ("far more than",)),
    ZipCase("bomb: huge PNG", _bomb_png, ("zip bomb",)),
    ZipCase("bomb: total size", lambda good, target: _rewrite(good, target, lambda e: None), ("zip bomb",),
            {"MAX_IMPORT_BYTES": 2000}),
    ZipCase("too many entries", _many_entries, ("entries",), {"MAX_IMPORT_ENTRIES": 20}),
    ZipCase("IDX counts disagree", _edited(lambda e: _idx(e, IDX_LABELS, np.array([1, 2], np.uint8))),
            ("3 images but", "2 labels")),
    ZipCase("IDX-only counts disagree", _idx_only(lambda e: _idx(e, IDX_LABELS, np.array([1], np.uint8))),
            ("3 images but",)),
    ZipCase("manifest lists more than IDX", _edited(_manifest_one_more), ("lists 4 digits",)),
    ZipCase("manifest label disagrees with IDX", _edited(_manifest_label_disagrees), ("says",)),
    ZipCase("IDX labels file missing", _edited(lambda e: e.pop(IDX_LABELS)), ("missing",)),
    ZipCase("IDX label 12", _edited(lambda e: _idx(e, IDX_LABELS, np.array([1, 12, 3], np.uint8))),
            ("outside 0..9",)),
    ZipCase("IDX images 27x27", _edited(lambda e: _idx(e, IDX_IMAGES, np.zeros((3, 27, 27), np.uint8))),
            ("expected n x 28 x 28",)),
    ZipCase("IDX not gzip data", _edited(lambda e: e.update({IDX_IMAGES: b"\x1f\x8bnonsense"})),
            ("corrupt gzip",)),
    ZipCase("PNG 28x27", _edited(_set_png(lambda: _png_bytes((28, 27)))), ("28x27 pixels",)),
    ZipCase("PNG not a picture", _edited(_set_png(lambda: b"hello")), ("not a png",)),
    ZipCase("PNG and IDX both missing", _edited(_drop_pngs_and_idx), ("is missing",)),
    ZipCase("manifest not JSON", _edited(lambda e: e.update({"manifest.json": b"{"})), ("not valid json",)),
    ZipCase("manifest label 10", _edited(lambda e: e.update({"manifest.json": json.dumps(
        {"version": 1, "digits": [{"id": "0123456789ab", "label": 10, "created": "2026-01-01T00:00:00+00:00",
                                   "source": "drawn"}]}).encode()})), ("from 0 to 9",)),
    ZipCase("empty zip", lambda good, target: zipfile.ZipFile(target, "w").close(), ("not a my-digits zip",)),
]


@pytest.fixture(params=ZIP_CASES, ids=[c.name for c in ZIP_CASES])
def bad_zip(request, world, monkeypatch):
    tmp_path, store = world
    case: ZipCase = request.param
    others = MyDigitsStore(tmp_path / "others")
    for index in range(3):
        others.add(_pixels(100 + index), index + 4)
    good = _good_share(others, tmp_path / "good.zip")
    target = tmp_path / "incoming" / "share.zip"
    target.parent.mkdir()
    case.make(good, target)
    for name, value in (case.limits or {}).items():
        monkeypatch.setattr(my_digits, name, value)
    return case, tmp_path, store, target


def test_bad_zip_is_refused_and_the_store_is_unchanged(bad_zip, capsys):
    case, tmp_path, store, target = bad_zip
    before = _snapshot(tmp_path)
    with pytest.raises(MyDigitsError) as info:
        store.import_zip(target)
    _names_problem(str(info.value), target, case.words)
    assert main(["my-digits", "import", str(target)]) == 2
    _names_problem(one_line_error(capsys.readouterr().err), target, case.words)
    assert _snapshot(tmp_path) == before
    assert not (tmp_path.parent / "evil.png").exists()
    ledger.record("bad input", "my digits: zip to import", 2)


def test_control_the_good_zip_imports(world):
    """The cases above fail because of their damage, not because imports fail here at all."""
    tmp_path, store = world
    others = MyDigitsStore(tmp_path / "others")
    for index in range(3):
        others.add(_pixels(100 + index), index + 4)
    result = store.import_zip(_good_share(others, tmp_path / "good.zip"))
    assert (result.added, result.duplicates) == (3, 0) and len(store) == 6
