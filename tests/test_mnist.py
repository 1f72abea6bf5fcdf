"""MNIST reading, finding, downloading (against fakes, never the internet) and exporting."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import io
import os
import sys
import threading
import time
import urllib.error
from pathlib import Path

import numpy as np
import pytest

from lenet_app.core import mnist
from lenet_app.core.errors import Cancelled, LenetError
from lenet_app.core.mnist import (
    FILES,
    SPLITS,
    MnistError,
    MnistSplit,
    candidate_dirs,
    default_mnist_dir,
    download_mnist,
    export_images,
    find_mnist_dir,
    has_mnist_files,
    load_mnist,
    load_split,
    read_idx,
    require_mnist_dir,
    user_data_dir,
)

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


# ---------------------------------------------------------------------------- helpers


def idx_bytes(array: np.ndarray, dtype_code: int = 0x08) -> bytes:
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, dtype_code, array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.tobytes()


def write_idx(path: Path, array: np.ndarray, gz: bool = True) -> Path:
    data = idx_bytes(array)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def make_split_arrays(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n, dtype=np.uint8)


def make_mnist_dir(directory: Path, gz: bool = True, n_train: int = 6, n_test: int = 4) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", n_train), ("test", n_test)):
        images, labels = make_split_arrays(n, seed=n)
        image_name, label_name = FILES[split]
        suffix = ".gz" if gz else ""
        write_idx(directory / (image_name + suffix), images, gz)
        write_idx(directory / (label_name + suffix), labels, gz)
    return directory


def no_temp_files(directory: Path) -> bool:
    return not [p for p in directory.iterdir() if p.name.startswith(".") or p.suffix == ".part"]


# ---------------------------------------------------------------------------- read_idx


@pytest.mark.parametrize("gz", [True, False])
def test_read_idx_roundtrip(tmp_path: Path, gz: bool) -> None:
    images, labels = make_split_arrays(5)
    got_images = read_idx(write_idx(tmp_path / "i", images, gz))
    got_labels = read_idx(write_idx(tmp_path / "l", labels, gz))
    assert got_images.dtype == np.uint8 and got_images.shape == (5, 28, 28)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)
    assert got_images.flags.writeable


def test_gzip_detected_by_magic_not_suffix(tmp_path: Path) -> None:
    images, _ = make_split_arrays(2)
    raw_named_gz = write_idx(tmp_path / "x.gz", images, gz=False)
    gz_named_raw = write_idx(tmp_path / "y", images, gz=True)
    np.testing.assert_array_equal(read_idx(raw_named_gz), images)
    np.testing.assert_array_equal(read_idx(gz_named_raw), images)


def test_zero_items_is_valid(tmp_path: Path) -> None:
    assert read_idx(write_idx(tmp_path / "l", np.zeros(0, np.uint8))).shape == (0,)


VALID = idx_bytes(np.arange(2 * 28 * 28).reshape(2, 28, 28) % 256)

CORRUPTIONS = {
    "empty": (b"", "empty"),
    "short header": (b"\x00\x00", "too short"),
    "wrong magic": (b"\x12\x34" + VALID[2:], "magic"),
    "wrong dtype": (VALID[:2] + b"\x0d" + VALID[3:], "data type"),
    "int dtype": (VALID[:2] + b"\x0c" + VALID[3:], "data type"),
    "two dims": (VALID[:3] + b"\x02" + VALID[4:], "dimensions"),
    "trailing bytes": (VALID + b"\x00\x00\x00", "trailing"),
    "corrupt gzip": (b"\x1f\x8b\x08\x00garbage-not-deflate", "gzip"),
    "truncated gzip": (gzip.compress(VALID)[:-20], "gzip"),
    "gzip bad crc": (gzip.compress(VALID)[:-8] + b"\xff\xff\xff\xff" + gzip.compress(VALID)[-4:], "gzip"),
    **{f"truncated at {n}": (VALID[:n], "truncated") for n in (6, 10, 15, 16, 17, 800, len(VALID) - 1)},
    "gzip of truncated": (gzip.compress(VALID[:100]), "truncated"),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_read_idx_rejects_corruption(tmp_path: Path, name: str) -> None:
    data, words = CORRUPTIONS[name]
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(data)
    with pytest.raises(MnistError) as info:
        read_idx(path)
    assert str(path) in str(info.value)
    assert words in str(info.value)
    assert info.value.__cause__ is None  # no numpy/struct/zlib traceback chained


def test_read_idx_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.gz"
    with pytest.raises(MnistError, match="not found") as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_read_idx_directory_instead_of_file(tmp_path: Path) -> None:
    path = tmp_path / "train-labels-idx1-ubyte.gz"
    path.mkdir()
    with pytest.raises(MnistError, match="folder") as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_read_idx_unreadable(tmp_path: Path) -> None:
    path = write_idx(tmp_path / "labels.gz", np.zeros(3, np.uint8))
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user that can read anything (root): chmod has no effect")
        with pytest.raises(MnistError, match="permission") as info:
            read_idx(path)
        assert str(path) in str(info.value)
    finally:
        path.chmod(0o644)


def test_read_idx_permission_error_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_idx(tmp_path / "labels.gz", np.zeros(3, np.uint8))

    def denied(self: Path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(MnistError, match="permission") as info:
        read_idx(path)
    assert str(path) in str(info.value)


# ---------------------------------------------------------------------------- load_split


@pytest.mark.parametrize("gz", [True, False])
def test_load_split(tmp_path: Path, gz: bool) -> None:
    make_mnist_dir(tmp_path, gz=gz)
    train = load_split(tmp_path, "train")
    test = load_split(tmp_path, "test")
    assert (train.name, len(train), len(test)) == ("train", 6, 4)
    assert train.images.shape == (6, 28, 28) and train.images.dtype == np.uint8
    assert train.labels.dtype == np.int64
    expected_images, expected_labels = make_split_arrays(6, seed=6)
    np.testing.assert_array_equal(train.images, expected_images)
    np.testing.assert_array_equal(train.labels, expected_labels)


def test_load_split_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="split"):
        load_split(tmp_path, "validation")


def _replace(directory: Path, base: str, array: np.ndarray) -> Path:
    return write_idx(directory / f"{base}.gz", array)


def test_load_split_missing_file(tmp_path: Path) -> None:
    make_mnist_dir(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(MnistError, match="t10k-labels-idx1-ubyte") as info:
        load_split(tmp_path, "test")
    assert "not found" in str(info.value)


def test_load_split_count_mismatch(tmp_path: Path) -> None:
    make_mnist_dir(tmp_path)
    path = _replace(tmp_path, "train-labels-idx1-ubyte", np.zeros(5, np.uint8))
    with pytest.raises(MnistError, match="5 labels but train-images-idx3-ubyte.gz has 6") as info:
        load_split(tmp_path, "train")
    assert str(path) in str(info.value)


def test_load_split_label_out_of_range(tmp_path: Path) -> None:
    make_mnist_dir(tmp_path)
    path = _replace(tmp_path, "t10k-labels-idx1-ubyte", np.array([1, 2, 10, 3]))
    with pytest.raises(MnistError, match=r"label 10 at index 2 is outside 0\.\.9") as info:
        load_split(tmp_path, "test")
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    "base, array",
    [
        ("train-images-idx3-ubyte", np.zeros((6, 28, 27), np.uint8)),
        ("train-images-idx3-ubyte", np.zeros(6, np.uint8)),
        ("train-labels-idx1-ubyte", np.zeros((6, 28, 28), np.uint8)),
    ],
)
def test_load_split_wrong_shapes(tmp_path: Path, base: str, array: np.ndarray) -> None:
    make_mnist_dir(tmp_path)
    path = _replace(tmp_path, base, array)
    with pytest.raises(MnistError) as info:
        load_split(tmp_path, "train")
    assert str(path) in str(info.value)


def test_load_split_folder_in_the_way(tmp_path: Path) -> None:
    make_mnist_dir(tmp_path)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.unlink()
    path.mkdir()
    with pytest.raises(MnistError, match="folder") as info:
        load_split(tmp_path, "train")
    assert str(path) in str(info.value)


def test_gz_preferred_over_raw(tmp_path: Path) -> None:
    make_mnist_dir(tmp_path, gz=True)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(b"junk that would fail")
    assert len(load_split(tmp_path, "train")) == 6


# ---------------------------------------------------------------------------- finding


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No env override, XDG data home and cwd inside tmp_path, Linux conventions."""
    monkeypatch.delenv("LENET_APP_MNIST_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return tmp_path


def test_user_data_dir_linux(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert user_data_dir() == clean_env / "xdg" / "lenet-app"
    assert default_mnist_dir() == clean_env / "xdg" / "lenet-app" / "mnist"
    assert not user_data_dir().exists()  # only download_mnist creates it
    monkeypatch.setenv("HOME", str(clean_env / "home"))
    for value in ("", "relative/path"):  # XDG: unset, empty or relative -> ~/.local/share
        monkeypatch.setenv("XDG_DATA_HOME", value)
        assert user_data_dir() == clean_env / "home" / ".local" / "share" / "lenet-app"


def test_user_data_dir_macos_and_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "darwin")
    assert user_data_dir() == tmp_path / "Library" / "Application Support" / "LeNet Digits"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert user_data_dir() == tmp_path / "Local" / "LeNet Digits"


def test_candidate_dirs_order(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = clean_env / "xdg" / "lenet-app" / "mnist"
    data = clean_env / "cwd" / "data"
    assert candidate_dirs() == [default, default / "MNIST" / "raw", data, data / "MNIST" / "raw"]
    env = clean_env / "env"
    monkeypatch.setenv("LENET_APP_MNIST_DIR", str(env))
    assert candidate_dirs() == [
        env, env / "MNIST" / "raw", default, default / "MNIST" / "raw", data, data / "MNIST" / "raw",
    ]
    explicit = clean_env / "mine"
    assert candidate_dirs(explicit) == [explicit, explicit / "MNIST" / "raw"]
    assert candidate_dirs(str(explicit)) == [explicit, explicit / "MNIST" / "raw"]


def test_find_order(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_mnist_dir() is None
    # torchvision layout under the tutorials' ./data
    tv = make_mnist_dir(clean_env / "cwd" / "data" / "MNIST" / "raw")
    assert find_mnist_dir() == tv
    # flat ./data beats its MNIST/raw
    flat = make_mnist_dir(clean_env / "cwd" / "data", gz=False)
    assert find_mnist_dir() == flat
    # the download folder beats ./data
    default = make_mnist_dir(default_mnist_dir())
    assert find_mnist_dir() == default
    # the environment beats the download folder, also in torchvision layout
    env = clean_env / "env"
    env_tv = make_mnist_dir(env / "MNIST" / "raw")
    monkeypatch.setenv("LENET_APP_MNIST_DIR", str(env))
    assert find_mnist_dir() == env_tv
    # an explicit folder is the only one searched
    explicit = make_mnist_dir(clean_env / "explicit")
    assert find_mnist_dir(explicit) == explicit
    assert find_mnist_dir(clean_env / "empty") is None
    assert load_mnist(explicit)["test"].name == "test"


def test_has_mnist_files_needs_all_four(tmp_path: Path) -> None:
    make_mnist_dir(tmp_path)
    assert has_mnist_files(tmp_path)
    (tmp_path / "t10k-images-idx3-ubyte.gz").rename(tmp_path / "t10k-images-idx3-ubyte")
    assert has_mnist_files(tmp_path)  # raw form counts too
    (tmp_path / "train-labels-idx1-ubyte.gz").unlink()
    assert not has_mnist_files(tmp_path)
    assert not has_mnist_files(tmp_path / "does-not-exist")


def test_require_mnist_dir_message(clean_env: Path) -> None:
    with pytest.raises(MnistError) as info:
        require_mnist_dir()
    message = str(info.value)
    assert "\n" not in message
    assert "lenet-app download" in message
    assert str(default_mnist_dir()) in message
    assert str(clean_env / "cwd" / "data" / "MNIST" / "raw") in message
    assert "train-images-idx3-ubyte.gz" in message
    with pytest.raises(MnistError, match="lenet-app download") as info:
        load_mnist(clean_env / "nowhere")
    assert str(clean_env / "nowhere") in str(info.value)


# ---------------------------------------------------------------------------- downloading


def _payloads() -> dict[str, bytes]:
    """Small but multi-chunk .gz files, one per name."""
    out = {}
    for split in SPLITS:
        images, labels = make_split_arrays(3 if split == "train" else 2, seed=len(split))
        out[f"{FILES[split][0]}.gz"] = gzip.compress(idx_bytes(images))
        out[f"{FILES[split][1]}.gz"] = gzip.compress(idx_bytes(labels))
    return out


@pytest.fixture
def fake_net(monkeypatch: pytest.MonkeyPatch) -> dict:
    """Two fake mirrors; `served` maps url -> bytes (missing url = connection refused)."""
    payloads = _payloads()
    mirrors = ["https://mirror-a.invalid/mnist/", "https://mirror-b.invalid/mnist/"]
    resources = [
        mnist._Resource(name, hashlib.md5(data).hexdigest(), len(data)) for name, data in payloads.items()
    ]
    state: dict = {
        "payloads": payloads,
        "served": {mirrors[0] + name: data for name, data in payloads.items()},
        "requests": [],
        "mirrors": mirrors,
    }

    def opener(request, timeout=None):  # noqa: ANN001 - mimics urllib.request.urlopen
        assert timeout is not None and timeout > 0
        url = request.full_url
        state["requests"].append(url)
        if url not in state["served"]:
            raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))
        return io.BytesIO(state["served"][url])

    monkeypatch.setattr(mnist, "_sources", lambda: (mirrors, resources))
    monkeypatch.setattr(mnist, "_urlopen", opener)
    monkeypatch.setattr(mnist, "_CHUNK", 256)
    return state


def test_download_success(tmp_path: Path, fake_net: dict) -> None:
    calls: list[tuple[int, int | None]] = []
    dest = tmp_path / "new" / "mnist"
    assert download_mnist(dest, progress=lambda d, t: calls.append((d, t))) == dest
    for name, data in fake_net["payloads"].items():
        assert (dest / name).read_bytes() == data
    total = sum(len(d) for d in fake_net["payloads"].values())
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert no_temp_files(dest)
    assert len(load_split(dest, "train")) == 3 and len(load_split(dest, "test")) == 2
    # Rerun: everything valid is skipped, nothing fetched.
    fake_net["requests"].clear()
    download_mnist(dest)
    assert fake_net["requests"] == []


def test_download_default_dest(clean_env: Path, fake_net: dict) -> None:
    assert download_mnist() == default_mnist_dir()
    assert find_mnist_dir() == default_mnist_dir()


def test_download_replaces_invalid_existing_file(tmp_path: Path, fake_net: dict) -> None:
    name = "t10k-labels-idx1-ubyte.gz"
    (tmp_path / name).write_bytes(b"stale")
    download_mnist(tmp_path)
    assert (tmp_path / name).read_bytes() == fake_net["payloads"][name]
    assert sum(url.endswith(name) for url in fake_net["requests"]) == 1


def test_download_falls_back_to_next_mirror(tmp_path: Path, fake_net: dict) -> None:
    a, b = fake_net["mirrors"]
    fake_net["served"] = {b + n: d for n, d in fake_net["payloads"].items()}
    download_mnist(tmp_path)
    assert has_mnist_files(tmp_path)
    assert fake_net["requests"][:2] == [a + "train-images-idx3-ubyte.gz", b + "train-images-idx3-ubyte.gz"]


def test_download_md5_mismatch(tmp_path: Path, fake_net: dict) -> None:
    a, b = fake_net["mirrors"]
    name = "train-labels-idx1-ubyte.gz"
    good = fake_net["payloads"][name]
    fake_net["served"][a + name] = good[:20] + bytes([good[20] ^ 0xFF]) + good[21:]
    fake_net["served"][b + name] = b"also wrong"
    with pytest.raises(MnistError, match="MD5") as info:
        download_mnist(tmp_path)
    message = str(info.value)
    assert message.startswith("Could not download MNIST (")
    assert str(tmp_path) in message and a + name in message and b + name in message
    assert not (tmp_path / name).exists()
    assert (tmp_path / "train-images-idx3-ubyte.gz").is_file()  # the good file before it stays
    assert no_temp_files(tmp_path)


def test_download_cancel(tmp_path: Path, fake_net: dict) -> None:
    reads = {"n": 0}

    def cancel() -> bool:
        reads["n"] += 1
        return reads["n"] > 3  # cancel in the middle of the first file

    with pytest.raises(Cancelled):
        download_mnist(tmp_path, cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_download_cancel_between_files(tmp_path: Path, fake_net: dict) -> None:
    first = "train-images-idx3-ubyte.gz"

    def cancel() -> bool:
        return (tmp_path / first).exists()

    with pytest.raises(Cancelled):
        download_mnist(tmp_path, cancel=cancel)
    assert [p.name for p in tmp_path.iterdir()] == [first]


def test_download_no_network(tmp_path: Path, fake_net: dict) -> None:
    fake_net["served"] = {}
    dest = tmp_path / "mnist"
    with pytest.raises(MnistError) as info:
        download_mnist(dest)
    message = str(info.value)
    assert message.startswith("Could not download MNIST (")
    assert "Connection refused" in message
    assert str(dest) in message and "train-images-idx3-ubyte.gz" in message
    assert list(dest.iterdir()) == []


def test_download_over_real_http(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real urllib path against a local server: a 404 mirror, then a good one."""
    served = tmp_path / "www" / "mnist"
    served.mkdir(parents=True)
    payloads = _payloads()
    for name, data in payloads.items():
        (served / name).write_bytes(data)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    for var in ("no_proxy", "NO_PROXY"):  # a proxy in the environment must not catch 127.0.0.1
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    handler = functools.partial(Quiet, directory=str(tmp_path / "www"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        resources = [mnist._Resource(n, hashlib.md5(d).hexdigest(), None) for n, d in payloads.items()]
        monkeypatch.setattr(mnist, "_sources", lambda: ([base + "/missing/", base + "/mnist/"], resources))
        calls: list[tuple[int, int | None]] = []
        dest = download_mnist(tmp_path / "dest", progress=lambda d, t: calls.append((d, t)))
    finally:
        server.shutdown()
        server.server_close()
    assert has_mnist_files(dest) and no_temp_files(dest)
    assert calls[-1] == (sum(map(len, payloads.values())), None)  # no sizes known -> total None
    # the 404 of the first mirror was tried and rewound: progress never counts it twice
    assert max(d for d, _ in calls) == calls[-1][0]


def test_sources_match_files(monkeypatch: pytest.MonkeyPatch) -> None:
    wanted = {f"{base}.gz" for split in SPLITS for base in FILES[split]}
    mirrors, resources = mnist._sources()
    assert mirrors and {r.filename for r in resources} == wanted
    monkeypatch.setitem(sys.modules, "torchvision.datasets", None)  # import fails -> fallback
    mirrors, resources = mnist._sources()
    assert mirrors == list(mnist._FALLBACK_MIRRORS)
    assert {r.filename for r in resources} == wanted
    assert all(r.size for r in resources)


# ---------------------------------------------------------------------------- exporting


@pytest.fixture
def tiny_split() -> MnistSplit:
    images, labels = make_split_arrays(5, seed=3)
    return MnistSplit("test", images, labels.astype(np.int64))


def test_export_png(tmp_path: Path, tiny_split: MnistSplit) -> None:
    from PIL import Image

    calls: list[tuple[int, int]] = []
    result = export_images(tiny_split, tmp_path / "out", progress=lambda d, t: calls.append((d, t)))
    assert result == mnist.ExportResult(written=5, skipped=0, directory=tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(f"test_{i}_{int(tiny_split.labels[i])}.png" for i in range(5))
    with Image.open(tmp_path / "out" / f"test_2_{int(tiny_split.labels[2])}.png") as img:
        np.testing.assert_array_equal(np.asarray(img), tiny_split.images[2])
    assert calls == [(i, 5) for i in range(1, 6)]
    again = export_images(tiny_split, tmp_path / "out")
    assert (again.written, again.skipped) == (0, 5)


def test_export_jpg_and_bad_format(tmp_path: Path, tiny_split: MnistSplit) -> None:
    assert export_images(tiny_split, tmp_path, fmt="jpg").written == 5
    assert all(p.suffix == ".jpg" for p in tmp_path.iterdir())
    with pytest.raises(ValueError, match="format"):
        export_images(tiny_split, tmp_path, fmt="gif")


def test_export_cancel(tmp_path: Path, tiny_split: MnistSplit) -> None:
    done: list[int] = []
    with pytest.raises(Cancelled) as info:
        export_images(
            tiny_split, tmp_path, progress=lambda d, t: done.append(d), cancel=lambda: len(done) >= 2
        )
    assert not isinstance(info.value, LenetError)  # stopping is not a mistake to report
    assert len(list(tmp_path.iterdir())) == 2 and no_temp_files(tmp_path)
    result = export_images(tiny_split, tmp_path)  # resumes where it stopped
    assert (result.written, result.skipped) == (3, 2)


def test_export_splits_counts_progress_over_all_splits(tmp_path: Path, tiny_split: MnistSplit) -> None:
    images, labels = make_split_arrays(3, seed=4)
    train = MnistSplit("train", images, labels.astype(np.int64))
    calls: list[tuple[int, int]] = []
    results = mnist.export_splits([train, tiny_split], tmp_path, progress=lambda d, t: calls.append((d, t)))
    assert [(r.written, r.skipped) for r in results] == [(3, 0), (5, 0)]
    assert calls == [(i, 8) for i in range(1, 9)]
    assert len(list(tmp_path.iterdir())) == 8


# ---------------------------------------------------------------------------- normalize


def test_normalize_values_and_shapes() -> None:
    import torch

    x = torch.tensor([0, 255], dtype=torch.uint8).repeat_interleave(28 * 28).reshape(2, 28, 28)
    y = mnist.normalize(x)
    assert y.dtype == torch.float32 and y.shape == (2, 1, 28, 28)
    assert y[0].flatten()[0].item() == pytest.approx(-mnist.MNIST_MEAN / mnist.MNIST_STD)
    assert y[1].flatten()[0].item() == pytest.approx((1 - mnist.MNIST_MEAN) / mnist.MNIST_STD)
    assert torch.equal(mnist.normalize(x.unsqueeze(1)), y)
    assert x.dtype == torch.uint8 and int(x.max()) == 255  # input untouched
    with pytest.raises(TypeError):
        mnist.normalize(y)  # already normalised
    with pytest.raises(ValueError):
        mnist.normalize(x.reshape(2, 784))


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.cuda)])
def test_normalize_keeps_device(device: str) -> None:
    import torch

    y = mnist.normalize(torch.zeros(3, 28, 28, dtype=torch.uint8, device=device))
    assert y.device.type == device


# ---------------------------------------------------------------------------- real MNIST


@pytest.fixture(scope="module")
def real_mnist(mnist_dir: Path) -> dict[str, MnistSplit]:
    start = time.perf_counter()
    data = load_mnist(mnist_dir)
    assert time.perf_counter() - start < 5  # ~0.3 s normally; catches a pathological slowdown
    return data


def test_real_mnist_splits(real_mnist: dict[str, MnistSplit]) -> None:
    train, test = real_mnist["train"], real_mnist["test"]
    assert (train.name, test.name) == ("train", "test")
    assert train.images.shape == (60000, 28, 28) and test.images.shape == (10000, 28, 28)
    assert train.images.dtype == np.uint8 and train.labels.dtype == np.int64
    assert np.bincount(train.labels, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(test.labels, minlength=10).tolist() == TEST_COUNTS


def test_real_mnist_normalized_statistics(real_mnist: dict[str, MnistSplit]) -> None:
    import torch

    y = mnist.normalize(torch.from_numpy(real_mnist["train"].images))
    assert abs(y.mean().item()) < 1e-3
    assert abs(y.std().item() - 1) < 1e-3


def test_real_mnist_found_explicitly(mnist_dir: Path) -> None:
    assert find_mnist_dir(mnist_dir) == mnist_dir
