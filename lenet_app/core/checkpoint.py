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
        accuracy = self.test_accuracy
        acc = f"{accuracy * 100:.2f}% test accuracy" if accuracy is not None else "not evaluated"
        return f"{self.architecture}, {acc}, {self.device.type.upper()}"


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
        raise CheckpointError(f"Could not save the model to {path}: {reason}") from exc
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
        raise CheckpointError(f"{path}: no such file")
    if path.is_dir():
        raise CheckpointError(f"{path}: is a folder, not a checkpoint file")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if "GLOBAL" not in str(exc):  # not a callable torch refused: bytes that are no pickle
            raise CheckpointError(f"{path}: not a readable checkpoint (corrupt or not a model file)") from exc
        raise CheckpointError(
            f"{path}: refused to load: the file holds objects other than weights "
            "(it may try to run code), so it is not a LeNet Digits checkpoint"
        ) from exc
    except (zipfile.BadZipFile, RuntimeError, EOFError, ValueError, OSError, TypeError, KeyError) as exc:
        raise CheckpointError(f"{path}: not a readable checkpoint (corrupt or not a model file)") from exc
    except Exception as exc:  # torch raises a zoo of types for hostile input
        raise CheckpointError(f"{path}: not a readable checkpoint ({type(exc).__name__})") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a LeNet Digits checkpoint (no '{FORMAT}' header)")
    version = payload.get("format_version")
    if not isinstance(version, int):
        raise CheckpointError(f"{path}: checkpoint has no format version")
    if version > FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: checkpoint format {version} is newer than this app understands "
            f"({FORMAT_VERSION}); update LeNet Digits"
        )
    if not isinstance(payload.get("state_dict"), dict) or not isinstance(payload.get("architecture"), str):
        raise CheckpointError(f"{path}: checkpoint is missing its weights or architecture")
    if not isinstance(payload.get("metadata"), dict):
        raise CheckpointError(f"{path}: checkpoint is missing its metadata")
    checksum = payload.get("weights_sha256")  # absent from files of older versions
    if checksum is not None and checksum != weights_digest(payload["state_dict"]):
        raise CheckpointError(f"{path}: the file is damaged: its weights do not match the checksum "
                              "saved with them")
    return payload


def module_from_payload(payload: dict[str, Any], source: str = "checkpoint") -> nn.Module:
    architecture = payload["architecture"]
    try:
        module = create_model(architecture)
    except UnknownModelError as exc:
        raise CheckpointError(f"{source}: unknown architecture '{architecture}'") from exc
    state = payload["state_dict"]
    expected = module.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    if missing or unexpected:
        raise CheckpointError(
            f"{source}: weights do not match architecture '{architecture}' "
            f"(missing {len(missing)}, unexpected {len(unexpected)} tensors)"
        )
    for key, tensor in state.items():
        if not isinstance(tensor, torch.Tensor) or tensor.shape != expected[key].shape:
            shape = tuple(tensor.shape) if isinstance(tensor, torch.Tensor) else type(tensor).__name__
            raise CheckpointError(
                f"{source}: tensor '{key}' has shape {shape}, "
                f"architecture '{architecture}' needs {tuple(expected[key].shape)}"
            )
        if tensor.is_floating_point() and not torch.isfinite(tensor).all():
            raise CheckpointError(f"{source}: tensor '{key}' holds NaN or infinite values")
    module.load_state_dict(state)
    module.eval()
    return module


def load_checkpoint(path: str | os.PathLike) -> TrainedModel:
    """Load a checkpoint for inference; every failure is a CheckpointError."""
    path = Path(path)
    payload = read_payload(path)
    module = module_from_payload(payload, source=str(path))
    return TrainedModel(payload["architecture"], module, dict(payload["metadata"]), path)
