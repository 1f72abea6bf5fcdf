"""Checkpoints: weights plus the metadata a user needs to trust them.

A checkpoint is a plain dict of tensors and primitives so that it loads with
`torch.load(weights_only=True)`: a file from the internet must not be able to run code.
Writes go to a temporary file in the same folder and then `os.replace`, so a crash or a
full disk leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import os
import pickle
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from lenet_app import __version__
from lenet_app.core.errors import LenetError
from lenet_app.core.i18n import _
from lenet_app.core.mnist import MNIST_MEAN, MNIST_STD
from lenet_app.core.models import UnknownModelError, create_model

FORMAT = "lenet-app-checkpoint"
FORMAT_VERSION = 1

# Read once at import (single-threaded then): os.umask can only be read by setting it.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


class CheckpointError(LenetError):
    """A file that is not a usable LeNet Digits checkpoint; the message says why."""


@dataclass
class TrainedModel:
    """A model ready for inference, with where it came from and how good it is."""

    architecture: str
    module: nn.Module
    metadata: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def test_accuracy(self) -> float | None:
        value = self.metadata.get("test_accuracy")
        return float(value) if value is not None else None

    @property
    def epochs_trained(self) -> int:
        return int(self.metadata.get("epochs_trained", 0))

    @property
    def device(self) -> torch.device:
        try:
            return next(self.module.parameters()).device
        except StopIteration:
            return torch.device("cpu")

    def describe(self) -> str:
        """The model in a few words, e.g. "lenet5, 99.39% test accuracy, CPU"."""
        accuracy, device = self.test_accuracy, self.device.type.upper()
        if accuracy is None:
            return _("{architecture}, not evaluated, {device}").format(architecture=self.architecture, device=device)
        return _("{architecture}, {accuracy:.2f}% test accuracy, {device}").format(
            architecture=self.architecture, accuracy=accuracy * 100, device=device)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def build_payload(
    architecture: str,
    module: nn.Module,
    metadata: dict[str, Any] | None = None,
    training_state: dict[str, Any] | None = None,
) -> dict[str, Any]:
    meta = {
        "architecture": architecture,
        "created": _now(),
        "versions": {"lenet_app": str(__version__), "torch": str(torch.__version__)},
        "normalization": {"mean": MNIST_MEAN, "std": MNIST_STD},
    }
    meta.update(metadata or {})
    payload: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "architecture": architecture,
        "state_dict": {k: v.detach().to("cpu").clone() for k, v in module.state_dict().items()},
        "metadata": meta,
    }
    if training_state is not None:
        payload["training_state"] = training_state
    return payload


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual umask-based ones."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_UMASK


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that readers only ever see the old or the new file."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise


def weights_digest(state_dict: dict[str, Any]) -> str | None:
    """SHA-256 over every tensor's name, dtype, shape and bytes; None for non-tensor content.

    torch.load does not check the zip's CRCs, so without this a flipped bit in the weights
    would load silently as a different model.
    """
    digest = hashlib.sha256()
    try:
        for key in sorted(state_dict):
            tensor = state_dict[key]
            if not isinstance(tensor, torch.Tensor):
                return None
            flat = tensor.detach().to("cpu").contiguous().reshape(-1)
            digest.update(f"{key}\0{flat.dtype}\0{tuple(tensor.shape)}\0".encode())
            digest.update(flat.view(torch.uint8).numpy().tobytes())
    except Exception:  # noqa: BLE001 - exotic tensors (sparse, quantized, odd keys): no digest
        return None
    return digest.hexdigest()


def save_checkpoint(path: str | os.PathLike, payload: dict[str, Any]) -> Path:
    """Write a payload from `build_payload`; raises CheckpointError on any I/O failure."""
    path = Path(path)
    state = payload.get("state_dict")
    checksum = weights_digest(state) if isinstance(state, dict) else None
    if checksum is not None:
        payload = {**payload, "weights_sha256": checksum}
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    try:
        atomic_write_bytes(path, buffer.getvalue())
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CheckpointError(_("Could not save the model to {path}: {reason}").format(path=path, reason=reason)) from exc
    return path


def save_model(path: str | os.PathLike, model: TrainedModel) -> Path:
    meta = {k: v for k, v in model.metadata.items() if k not in ("created", "versions")}
    saved = save_checkpoint(path, build_payload(model.architecture, model.module, meta))
    model.path = saved
    return saved


def read_payload(path: str | os.PathLike) -> dict[str, Any]:
    """Load and validate the outer structure of a checkpoint file."""
    path = Path(path)
    if not path.exists():
        raise CheckpointError(_("{path}: no such file").format(path=path))
    if path.is_dir():
        raise CheckpointError(_("{path}: is a folder, not a checkpoint file").format(path=path))
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if "GLOBAL" not in str(exc):  # not a callable torch refused: bytes that are no pickle
            raise CheckpointError(_("{path}: not a readable checkpoint (corrupt or not a model file)")
                                  .format(path=path)) from exc
        raise CheckpointError(_("{path}: refused to load: the file holds objects other than weights (it may "
                                "try to run code), so it is not a LeNet Digits checkpoint").format(path=path)) from exc
    except (zipfile.BadZipFile, RuntimeError, EOFError, ValueError, OSError, TypeError, KeyError) as exc:
        raise CheckpointError(_("{path}: not a readable checkpoint (corrupt or not a model file)")
                              .format(path=path)) from exc
    except Exception as exc:  # torch raises a zoo of types for hostile input
        raise CheckpointError(_("{path}: not a readable checkpoint ({reason})").format(
            path=path, reason=type(exc).__name__)) from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(_("{path}: not a LeNet Digits checkpoint (no '{format}' header)").format(
            path=path, format=FORMAT))
    version = payload.get("format_version")
    if not isinstance(version, int):
        raise CheckpointError(_("{path}: checkpoint has no format version").format(path=path))
    if version > FORMAT_VERSION:
        raise CheckpointError(_("{path}: checkpoint format {version} is newer than this app understands "
                                "({supported}); update LeNet Digits").format(
            path=path, version=version, supported=FORMAT_VERSION))
    if not isinstance(payload.get("state_dict"), dict) or not isinstance(payload.get("architecture"), str):
        raise CheckpointError(_("{path}: checkpoint is missing its weights or architecture").format(path=path))
    if not isinstance(payload.get("metadata"), dict):
        raise CheckpointError(_("{path}: checkpoint is missing its metadata").format(path=path))
    checksum = payload.get("weights_sha256")  # absent from files of older versions
    if checksum is not None and checksum != weights_digest(payload["state_dict"]):
        raise CheckpointError(_("{path}: the file is damaged: its weights do not match the checksum saved "
                                "with them").format(path=path))
    return payload


def module_from_payload(payload: dict[str, Any], source: str | None = None) -> nn.Module:
    """The payload's network with its weights, checked against its architecture; `source` names
    the file in messages."""
    source = source if source is not None else _("checkpoint")
    architecture = payload["architecture"]
    try:
        module = create_model(architecture)
    except UnknownModelError as exc:
        raise CheckpointError(_("{source}: unknown architecture '{architecture}'").format(
            source=source, architecture=architecture)) from exc
    state = payload["state_dict"]
    expected = module.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    if missing or unexpected:
        raise CheckpointError(_("{source}: weights do not match architecture '{architecture}' (missing "
                                "{missing}, unexpected {unexpected} tensors)").format(
            source=source, architecture=architecture, missing=len(missing), unexpected=len(unexpected)))
    for key, tensor in state.items():
        if not isinstance(tensor, torch.Tensor) or tensor.shape != expected[key].shape:
            shape = tuple(tensor.shape) if isinstance(tensor, torch.Tensor) else type(tensor).__name__
            raise CheckpointError(_("{source}: tensor '{key}' has shape {shape}, architecture '{architecture}' "
                                    "needs {needed}").format(source=source, key=key, shape=shape,
                                                            architecture=architecture,
                                                            needed=tuple(expected[key].shape)))
        if tensor.is_floating_point() and not torch.isfinite(tensor).all():
            raise CheckpointError(_("{source}: tensor '{key}' holds NaN or infinite values").format(
                source=source, key=key))
    module.load_state_dict(state)
    module.eval()
    return module


def load_checkpoint(path: str | os.PathLike) -> TrainedModel:
    """Load a checkpoint for inference; every failure is a CheckpointError."""
    path = Path(path)
    payload = read_payload(path)
    module = module_from_payload(payload, source=str(path))
    return TrainedModel(payload["architecture"], module, dict(payload["metadata"]), path)
