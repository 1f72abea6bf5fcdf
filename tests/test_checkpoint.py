import os
import zipfile
from pathlib import Path

import pytest
import torch

from lenet_app.core.checkpoint import (
    FORMAT_VERSION,
    CheckpointError,
    TrainedModel,
    build_payload,
    load_checkpoint,
    save_checkpoint,
    save_model,
)
from lenet_app.core.models import create_model


def _saved(tmp_path: Path, name: str = "lenet5", **meta) -> Path:
    module = create_model(name)
    return save_checkpoint(tmp_path / f"{name}.pt", build_payload(name, module, {"test_accuracy": 0.5, **meta}))


def test_round_trip_keeps_weights_and_metadata(tmp_path):
    module = create_model("lenet5")
    path = save_checkpoint(tmp_path / "m.pt", build_payload("lenet5", module, {"test_accuracy": 0.991}))
    loaded = load_checkpoint(path)
    assert loaded.architecture == "lenet5"
    assert loaded.test_accuracy == pytest.approx(0.991)
    assert loaded.metadata["normalization"] == {"mean": 0.1307, "std": 0.3081}
    assert "torch" in loaded.metadata["versions"]
    for key, value in module.state_dict().items():
        assert torch.equal(loaded.module.state_dict()[key], value)
    assert not loaded.module.training


def test_save_model_overwrites_atomically_and_leaves_no_temp_file(tmp_path):
    path = _saved(tmp_path)
    model = load_checkpoint(path)
    save_model(path, model)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lenet5.pt"]


def test_pickle_payload_is_not_executed(tmp_path):
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "evil.pt"
    torch.save({"format": "lenet-app-checkpoint", "payload": Evil()}, path)
    with pytest.raises(CheckpointError, match="refused|not a"):
        load_checkpoint(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"random bytes that are no checkpoint", os.urandom(4096)],
    ids=["empty", "text", "random"],
)
def test_garbage_files_are_clear_errors(tmp_path, content):
    path = tmp_path / "bad.pt"
    path.write_bytes(content)
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    assert str(path) in str(info.value)


def test_truncated_checkpoint(tmp_path):
    data = _saved(tmp_path).read_bytes()
    for cut in (10, len(data) // 2, len(data) - 10):
        bad = tmp_path / f"cut{cut}.pt"
        bad.write_bytes(data[:cut])
        with pytest.raises(CheckpointError):
            load_checkpoint(bad)


def test_zip_that_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "archive.pt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(CheckpointError):
        load_checkpoint(path)


def test_plain_state_dict_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "state.pt"
    torch.save(create_model("lenet5").state_dict(), path)
    with pytest.raises(CheckpointError, match="not a LeNet Digits checkpoint"):
        load_checkpoint(path)


def test_weights_of_another_architecture(tmp_path):
    payload = build_payload("lenet5", create_model("lenet-28"))
    path = save_checkpoint(tmp_path / "mixed.pt", payload)
    with pytest.raises(CheckpointError, match="do not match|shape"):
        load_checkpoint(path)


def test_wrong_tensor_shape(tmp_path):
    payload = build_payload("lenet5", create_model("lenet5"))
    key = next(iter(payload["state_dict"]))
    payload["state_dict"][key] = torch.zeros(3, 3)
    path = save_checkpoint(tmp_path / "shape.pt", payload)
    with pytest.raises(CheckpointError, match="shape"):
        load_checkpoint(path)


def test_newer_format_and_missing_metadata(tmp_path):
    payload = build_payload("lenet5", create_model("lenet5"))
    payload["format_version"] = FORMAT_VERSION + 1
    with pytest.raises(CheckpointError, match="newer"):
        load_checkpoint(save_checkpoint(tmp_path / "new.pt", payload))
    payload = build_payload("lenet5", create_model("lenet5"))
    del payload["metadata"]
    with pytest.raises(CheckpointError, match="metadata"):
        load_checkpoint(save_checkpoint(tmp_path / "nometa.pt", payload))


def test_unknown_architecture(tmp_path):
    payload = build_payload("lenet5", create_model("lenet5"))
    payload["architecture"] = "alexnet"
    with pytest.raises(CheckpointError, match="unknown architecture"):
        load_checkpoint(save_checkpoint(tmp_path / "alex.pt", payload))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(CheckpointError, match="no such file"):
        load_checkpoint(tmp_path / "nope.pt")
    with pytest.raises(CheckpointError, match="folder"):
        load_checkpoint(tmp_path)


def test_save_to_read_only_folder_keeps_previous_file(tmp_path, monkeypatch):
    path = _saved(tmp_path)
    before = path.read_bytes()
    model = load_checkpoint(path)

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("lenet_app.core.checkpoint.tempfile.mkstemp", refuse)
    with pytest.raises(CheckpointError, match="No space left"):
        save_model(path, model)
    assert path.read_bytes() == before


def test_trained_model_describe():
    model = TrainedModel("lenet5", create_model("lenet5"), {"test_accuracy": 0.9932})
    assert model.describe() == "lenet5, 99.32% test accuracy, CPU"
