"""The user's own digits: store, round trips through the shared zip, MNIST's IDX format."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lenet_app.core import mnist
from lenet_app.core.mnist import DATA_DIR_ENV, encode_idx, read_idx, user_data_dir
from lenet_app.core.my_digits import (
    IDX_IMAGES,
    IDX_LABELS,
    MY_DIGITS_SPLIT,
    DigitRecord,
    ImportResult,
    MyDigitsError,
    MyDigitsStore,
    my_digits_dir,
)


def _digits(count: int, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, (28, 28), dtype=np.uint8) for _ in range(count)]


@pytest.fixture
def store(tmp_path) -> MyDigitsStore:
    store = MyDigitsStore(tmp_path / "mine")
    for index, pixels in enumerate(_digits(6)):
        drawing = np.full((90, 70), index * 20, dtype=np.uint8) if index % 2 else None
        store.add(pixels, index % 10, source=("drawn", "file", "pasted")[index % 3], drawing=drawing)
    return store


def test_empty_store_creates_nothing(tmp_path):
    store = MyDigitsStore(tmp_path / "none")
    assert store.records() == [] and len(store) == 0
    split = store.split()
    assert split.name == MY_DIGITS_SPLIT and split.images.shape == (0, 28, 28) and len(split) == 0
    assert not (tmp_path / "none").exists()


def test_add_keeps_pixels_labels_order_and_files(store):
    records = store.records()
    assert [r.label for r in records] == [0, 1, 2, 3, 4, 5]
    assert [r.source for r in records] == ["drawn", "file", "pasted"] * 2
    assert all(len(r.id) == 12 and int(r.id, 16) >= 0 for r in records)
    assert len({r.id for r in records}) == 6
    for record, pixels in zip(records, _digits(6)):
        assert np.array_equal(store.pixels(record.id), pixels)
    assert store.drawing_path(records[0].id) is None
    drawing = store.drawing_path(records[1].id)
    assert drawing is not None and Image.open(drawing).size == (70, 90)
    split = store.split()
    assert split.images.dtype == np.uint8 and split.labels.tolist() == [0, 1, 2, 3, 4, 5]
    manifest = json.loads((store.folder / "manifest.json").read_text())
    assert manifest["version"] == 1 and [d["id"] for d in manifest["digits"]] == [r.id for r in records]
    # Only the store's own files, no temporary ones left behind.
    names = sorted(p.relative_to(store.folder).as_posix() for p in store.folder.rglob("*") if p.is_file())
    assert names == sorted(["manifest.json"] + [f"images/{r.id}.png" for r in records]
                           + [f"drawings/{r.id}.png" for r in records[1::2]])


def test_add_refuses_bad_label_and_source(tmp_path):
    store = MyDigitsStore(tmp_path / "mine")
    for label in (-1, 10, True, 2.0, "3"):
        with pytest.raises(MyDigitsError, match="from 0 to 9"):
            store.add(_digits(1)[0], label)
    with pytest.raises(ValueError):
        store.add(_digits(1)[0], 1, source="camera")
    with pytest.raises(ValueError):
        store.add(np.zeros((20, 20), np.uint8), 1)
    assert store.records() == []


def test_relabel_remove_restore(store):
    records = store.records()
    old = store.relabel(records[2].id, 7)
    assert old == records[2]
    assert store.records()[2] == DigitRecord(old.id, 7, old.created, old.source)
    store.relabel(old.id, old.label)
    assert store.records() == records

    pixels = store.pixels(records[1].id)
    drawing = Image.open(store.drawing_path(records[1].id)).copy()
    removed = store.remove(records[1].id)
    assert removed == records[1] and len(store) == 5
    assert not (store.folder / "images" / f"{removed.id}.png").exists()
    assert store.drawing_path(removed.id) is None
    store.restore(removed, pixels, drawing)
    assert store.records() == records  # back at its old position
    assert np.array_equal(store.pixels(removed.id), pixels)
    assert store.drawing_path(removed.id) is not None
    with pytest.raises(MyDigitsError, match="already"):
        store.restore(removed, pixels)
    with pytest.raises(MyDigitsError, match="no digit with id"):
        store.remove("0123456789ab")


def test_restore_in_another_store_goes_to_the_end(store, tmp_path):
    first = store.records()[0]
    other = MyDigitsStore(store.folder)  # a fresh object does not know the old position
    other.remove(first.id)
    MyDigitsStore(store.folder).restore(first, _digits(1)[0])
    assert store.records()[-1] == first


def test_export_import_round_trip(store, tmp_path):
    zip_path = tmp_path / "share.zip"
    assert store.export_zip(zip_path) == 6
    elsewhere = MyDigitsStore(tmp_path / "elsewhere")
    assert elsewhere.import_zip(zip_path) == ImportResult(added=6, duplicates=0)
    assert elsewhere.records() == store.records()
    mine, theirs = store.split(), elsewhere.split()
    assert np.array_equal(mine.images, theirs.images) and np.array_equal(mine.labels, theirs.labels)
    for record in store.records():
        ours = store.drawing_path(record.id)
        copied = elsewhere.drawing_path(record.id)
        assert (ours is None) == (copied is None)
        if ours is not None:
            assert ours.read_bytes() == copied.read_bytes()
    # Importing again merges nothing twice.
    assert elsewhere.import_zip(zip_path) == ImportResult(added=0, duplicates=6)
    assert len(elsewhere) == 6


def test_zip_holds_idx_files_the_mnist_reader_reads(store, tmp_path):
    zip_path = tmp_path / "share.zip"
    store.export_zip(zip_path)
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(out)
    images, labels = read_idx(out / IDX_IMAGES), read_idx(out / IDX_LABELS)
    assert images.shape == (6, 28, 28) and labels.shape == (6,)
    assert np.array_equal(images, store.split().images)
    assert labels.tolist() == [0, 1, 2, 3, 4, 5]
    raw = gzip.decompress((out / IDX_IMAGES).read_bytes())
    assert raw[:4] == b"\x00\x00\x08\x03" and raw[4:16] == (6).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    assert gzip.decompress((out / IDX_LABELS).read_bytes())[:8] == b"\x00\x00\x08\x01" + (6).to_bytes(4, "big")


def test_import_of_idx_only_zip_from_another_tool(tmp_path):
    pixels = np.stack(_digits(4, seed=3))
    labels = np.array([3, 1, 4, 1], dtype=np.uint8)
    zip_path = tmp_path / "tutorial.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr(IDX_IMAGES, gzip.compress(encode_idx(pixels)))
        archive.writestr(IDX_LABELS, gzip.compress(encode_idx(labels)))
    store = MyDigitsStore(tmp_path / "mine")
    assert store.import_zip(zip_path) == ImportResult(added=4, duplicates=0)
    split = store.split()
    assert np.array_equal(split.images, pixels) and split.labels.tolist() == [3, 1, 4, 1]
    assert {r.source for r in store.records()} == {"file"}
    # New ids each time, so a second import is recognised by pixels and label.
    assert store.import_zip(zip_path) == ImportResult(added=0, duplicates=4)


def test_import_merges_by_pixels_and_label_and_relabels_by_id(store, tmp_path):
    zip_path = tmp_path / "share.zip"
    store.export_zip(zip_path)
    other = MyDigitsStore(tmp_path / "other")
    other.add(store.pixels(store.records()[0].id), 0)  # same pixels and label, another id
    other.add(store.pixels(store.records()[1].id), 9)  # same pixels, another label: a new digit
    result = other.import_zip(zip_path)
    assert result == ImportResult(added=5, duplicates=1)
    assert len(other) == 7

    first = store.records()[3]
    store.relabel(first.id, 8)
    store.export_zip(zip_path)
    assert other.import_zip(zip_path) == ImportResult(added=0, duplicates=5, relabelled=1)
    assert next(r for r in other.records() if r.id == first.id).label == 8


def test_export_of_empty_store(tmp_path):
    zip_path = tmp_path / "empty.zip"
    assert MyDigitsStore(tmp_path / "none").export_zip(zip_path) == 0
    out = tmp_path / "x"
    zipfile.ZipFile(zip_path).extractall(out)
    assert read_idx(out / IDX_IMAGES).shape == (0, 28, 28)
    assert MyDigitsStore(tmp_path / "b").import_zip(zip_path) == ImportResult(0, 0)


def test_data_dir_env_moves_user_data(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "portable"))
    assert user_data_dir() == tmp_path / "portable"
    assert mnist.default_mnist_dir() == tmp_path / "portable" / "mnist"
    assert my_digits_dir() == tmp_path / "portable" / "my-digits"
    assert MyDigitsStore().folder == tmp_path / "portable" / "my-digits"
    monkeypatch.setenv(DATA_DIR_ENV, "relative/data")
    assert user_data_dir() == Path("relative/data")
    monkeypatch.setenv(DATA_DIR_ENV, "")
    assert user_data_dir() != Path("")  # empty means unset: the platform default


def test_encode_idx_refuses_other_arrays():
    with pytest.raises(ValueError):
        encode_idx(np.zeros((2, 2), np.uint8))
    with pytest.raises(ValueError):
        encode_idx(np.zeros(3, np.int64))


def test_drawing_of_any_picture_mode_is_kept(tmp_path):
    """`my-digits add` keeps the picture it read; every mode the preprocessing accepts stores."""
    from lenet_app.core.preprocess import SUPPORTED_MODES

    store = MyDigitsStore(tmp_path / "mine")
    for index, mode in enumerate(sorted(SUPPORTED_MODES)):
        record = store.add(_digits(1, seed=index)[0], index % 10, source="file", drawing=Image.new(mode, (30, 20)))
        with Image.open(store.drawing_path(record.id)) as drawing:
            assert drawing.size == (30, 20), mode


def test_a_large_picture_is_kept_scaled_down(tmp_path):
    from lenet_app.core.my_digits import MAX_DRAWING_SIDE

    store = MyDigitsStore(tmp_path / "mine")
    record = store.add(_digits(1)[0], 4, source="file", drawing=Image.new("RGB", (3 * MAX_DRAWING_SIDE, 300)))
    with Image.open(store.drawing_path(record.id)) as drawing:
        assert drawing.size == (MAX_DRAWING_SIDE, 100)
