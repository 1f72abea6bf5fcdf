"""A trained model as a file other programs can run: ONNX (onnxruntime, Netron, browsers) or
TorchScript (C++ libtorch, `torch.jit.load` without this app).

The exported network is the whole reading, not just the layers: it takes the picture as MNIST
stores it — N×1×28×28 float pixels from 0 (background) to 1 (ink), white on black — normalises
it with the mean and standard deviation the model was trained with, and returns both the ten
scores ("logits") and their softmax ("probabilities"). The batch dimension is free, so the
same file reads one digit or ten thousand.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import tempfile
from pathlib import Path

import torch
from torch import nn

from lenet_app.core.checkpoint import TrainedModel, atomic_write_bytes
from lenet_app.core.errors import LenetError
from lenet_app.core.i18n import _
from lenet_app.core.mnist import MNIST_MEAN, MNIST_STD

FORMATS = ("onnx", "torchscript")
#: The ONNX operator set written; onnxruntime 1.16 and later (2023) read it, as does Netron.
ONNX_OPSET = 18
INPUT_NAME = "image"
OUTPUT_NAMES = ("logits", "probabilities")
SUFFIXES = {"onnx": ".onnx", "torchscript": ".pt"}


class ExportError(LenetError):
    """The model could not be written in the asked format; the message says why."""


class ReadingNetwork(nn.Module):
    """Pixels in 0–1 → (logits, probabilities): normalisation, the network, softmax."""

    def __init__(self, network: nn.Module, mean: float, std: float) -> None:
        super().__init__()
        self.network = network
        self.register_buffer("mean", torch.tensor(float(mean)))
        self.register_buffer("std", torch.tensor(float(std)))

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits = self.network((image - self.mean) / self.std)
        return logits, logits.softmax(dim=1)


def reading_network(model: TrainedModel) -> ReadingNetwork:
    """The model's network wrapped to read raw pixels, on the CPU in eval mode (a copy: the
    caller's model keeps its device and mode)."""
    normalization = model.metadata.get("normalization") or {}
    network = copy.deepcopy(model.module).cpu().eval()
    return ReadingNetwork(network, normalization.get("mean", MNIST_MEAN),
                          normalization.get("std", MNIST_STD)).eval()


def example_input(batch: int = 2) -> torch.Tensor:
    return torch.zeros(batch, 1, 28, 28)


def _onnx_bytes(network: ReadingNetwork) -> bytes:
    try:
        import onnxscript  # noqa: F401 - torch's ONNX exporter needs it; say so before it does
    except ImportError as exc:
        raise ExportError(_("exporting to ONNX needs the onnx and onnxscript packages "
                            "(pip install onnx onnxscript)")) from exc
    batch = torch.export.Dim("batch", min=1)
    with tempfile.TemporaryDirectory(prefix="lenet-app-onnx-") as folder:
        target = Path(folder) / "model.onnx"
        with contextlib.redirect_stdout(io.StringIO()):  # the exporter reports each step on stdout
            torch.onnx.export(network, (example_input(),), str(target), input_names=[INPUT_NAME],
                              output_names=list(OUTPUT_NAMES), opset_version=ONNX_OPSET,
                              dynamic_shapes={"image": {0: batch}}, dynamo=True, external_data=False)
        return target.read_bytes()


def _torchscript_bytes(network: ReadingNetwork) -> bytes:
    scripted = torch.jit.trace(network, example_input(), check_trace=False)
    buffer = io.BytesIO()
    torch.jit.save(scripted, buffer)
    return buffer.getvalue()


def export_model(model: TrainedModel, path: str | os.PathLike, format: str) -> Path:  # noqa: A002
    """Write `model` to `path` as ONNX or TorchScript (atomically: a failure leaves whatever
    was there). Raises ExportError for an unknown format or a place that cannot be written."""
    if format not in FORMATS:
        raise ExportError(_("unknown export format {format}: choose {choices}").format(
            format=format, choices=", ".join(FORMATS)))
    path = Path(path)
    if path.is_dir():
        raise ExportError(_("{path} is a folder: name the file to write").format(path=path))
    if not path.parent.is_dir():
        raise ExportError(_("{folder}: no such folder").format(folder=path.parent))
    network = reading_network(model)
    data = _onnx_bytes(network) if format == "onnx" else _torchscript_bytes(network)
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise ExportError(_("cannot write {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from exc
    return path
