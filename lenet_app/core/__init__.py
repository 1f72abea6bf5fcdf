"""The Qt-free core of LeNet Digits: data, models, training, evaluation, checkpoints.

Everything the GUI does goes through here, so it can all run headless (see `lenet_app.cli`).
The names below load on first use, so importing a torch-free module such as
`lenet_app.core.config` does not import torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Prediction", "default_model_path", "load_model", "predict"]

if TYPE_CHECKING:
    from lenet_app.core.inference import Prediction, default_model_path, load_model, predict


def __getattr__(name: str) -> Any:
    if name in __all__:
        from lenet_app.core import inference

        return getattr(inference, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
