"""Exported models (issue 15): the ONNX file run by onnxruntime and the TorchScript file read
1,000 MNIST test images as PyTorch does (probabilities within 1e-5), for every shipped
architecture, with a free batch size; a place that cannot be written is one clear message."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch

from lenet_app.cli import main
from lenet_app.core.architectures import architecture_names
from lenet_app.core.export import ONNX_OPSET, ExportError, export_model
from lenet_app.core.inference import load_model
from lenet_app.core.mnist import MNIST_MEAN, MNIST_STD, load_split

ort = pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")


@pytest.fixture(scope="module")
def test_images(mnist_dir):
    return load_split(mnist_dir, "test").images[:1000]


def _pytorch_probabilities(model, images: np.ndarray) -> np.ndarray:
    pixels = torch.from_numpy(images).float().div(255).unsqueeze(1)
    with torch.inference_mode():
        return model.module.eval()((pixels - MNIST_MEAN) / MNIST_STD).softmax(dim=1).numpy()


@pytest.mark.parametrize("name", architecture_names())
def test_onnx_reads_as_pytorch_does(name, test_images, tmp_path):
    model = load_model(name)
    path = export_model(model, tmp_path / f"{name}.onnx", "onnx")
    graph = onnx.load(str(path))
    onnx.checker.check_model(graph)
    assert {o.domain or "ai.onnx": o.version for o in graph.opset_import}["ai.onnx"] == ONNX_OPSET
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (image_input,) = session.get_inputs()
    assert image_input.name == "image" and image_input.shape[1:] == [1, 28, 28]
    assert isinstance(image_input.shape[0], str), "the batch dimension is free"
    pixels = (test_images.astype(np.float32) / 255)[:, None]
    logits, probabilities = session.run(["logits", "probabilities"], {"image": pixels})
    expected = _pytorch_probabilities(model, test_images)
    assert probabilities.shape == (1000, 10) and logits.shape == (1000, 10)
    assert np.abs(probabilities - expected).max() <= 1e-5
    single = session.run(["probabilities"], {"image": pixels[:1]})[0]
    assert np.abs(single - expected[:1]).max() <= 1e-5


@pytest.mark.parametrize("name", architecture_names())
def test_torchscript_reads_as_pytorch_does(name, test_images, tmp_path):
    model = load_model(name)
    path = export_model(model, tmp_path / f"{name}.pt", "torchscript")
    scripted = torch.jit.load(str(path))
    pixels = torch.from_numpy(test_images).float().div(255).unsqueeze(1)
    with torch.inference_mode():
        logits, probabilities = scripted(pixels)
        _, one = scripted(pixels[:3])
    expected = _pytorch_probabilities(model, test_images)
    assert (probabilities.numpy() - expected).__abs__().max() <= 1e-5
    assert (one.numpy() - expected[:3]).__abs__().max() <= 1e-5


def test_export_leaves_the_model_as_it_was(tmp_path):
    model = load_model("cnn-bn")
    model.module.train()
    before = {k: v.clone() for k, v in model.module.state_dict().items()}
    export_model(model, tmp_path / "m.onnx", "onnx")
    assert model.module.training
    assert all(torch.equal(before[k], v) for k, v in model.module.state_dict().items())


def test_an_unwritable_place_is_one_message_and_nothing_lost(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    kept = folder / "lenet5.onnx"
    kept.write_bytes(b"an earlier export")
    with pytest.raises(ExportError, match="no such folder"):
        export_model(load_model(), tmp_path / "missing" / "m.onnx", "onnx")
    with pytest.raises(ExportError, match="is a folder"):
        export_model(load_model(), folder, "onnx")
    if os.geteuid() != 0:  # root writes anywhere
        folder.chmod(0o500)
        try:
            assert main(["export", "lenet5", "--format", "onnx", "--out", str(kept)]) == 2
            err = capsys.readouterr().err.strip()
            assert len(err.splitlines()) == 1 and "cannot write" in err
        finally:
            folder.chmod(0o700)
    assert kept.read_bytes() == b"an earlier export"
    assert main(["export", "lenet5", "--format", "onnx", "--out", str(tmp_path / "missing" / "m.onnx")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_cli_export_says_what_it_wrote(tmp_path, capsys):
    out = tmp_path / "digits.onnx"
    assert main(["export", "lenet-28", "--format", "onnx", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert str(out) in said and f"opset {ONNX_OPSET}" in said and out.stat().st_size > 0
