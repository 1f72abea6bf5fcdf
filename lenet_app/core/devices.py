"""The devices a run can train on: which exist here, and the one a device name means."""

from __future__ import annotations

import torch

from lenet_app.core.config import TrainingError
from lenet_app.core.i18n import _, ngettext

__all__ = ["available_devices", "device_present", "resolve_device"]


def available_devices() -> list[tuple[str, str]]:
    """(device id, human name) for every device this machine can really train on."""
    devices = [("cpu", "CPU")]
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            devices.append((f"cuda:{index}", f"CUDA {index}: {torch.cuda.get_device_name(index)}"))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append(("mps", "Apple GPU (MPS)"))
    return devices


def device_present(name: str) -> bool:
    """Whether device `name` (cpu, cuda:N, mps) exists here, without initialising CUDA: NVML
    counts the GPUs, where `available_devices()` asks CUDA itself for their names."""
    if name == "cpu":
        return True
    if name.startswith("cuda:") and name[5:].isdigit():
        return int(name[5:]) < torch.cuda.device_count()
    if name == "mps":
        mps = getattr(torch.backends, "mps", None)
        return mps is not None and mps.is_available()
    return False


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda:0")
        mps = getattr(torch.backends, "mps", None)
        return torch.device("mps" if mps is not None and mps.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise TrainingError(_("CUDA was requested but this machine has no usable CUDA GPU; use device cpu"))
        device = torch.device(name)
        if device.index is not None and device.index >= torch.cuda.device_count():
            count = torch.cuda.device_count()
            raise TrainingError(ngettext("{name} does not exist: this machine has {count} CUDA device",
                                         "{name} does not exist: this machine has {count} CUDA devices",
                                         count).format(name=name, count=count))
        return device
    if name == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise TrainingError(_("MPS (Apple GPU) was requested but is not available here; use device cpu"))
        return torch.device("mps")
    raise TrainingError(_("unknown device '{name}'").format(name=name))
