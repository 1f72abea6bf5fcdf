"""The names of the networks the app can train, with their descriptions, without torch.

`lenet_app.core.models` attaches a builder to each name; this module exists so that the
command-line parser (`lenet-app --help`) and `TrainConfig` can list and check architectures
without importing torch. Names are stored in checkpoints and typed on the command line: never
rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lenet_app.core.errors import LenetError
from lenet_app.core.i18n import _


@dataclass(frozen=True)
class Architecture:
    name: str
    description: str
    tutorial: str


ARCHITECTURES: dict[str, Architecture] = {
    info.name: info
    for info in (
        Architecture(
            "lenet5",
            "LeNet-5 for 28×28 digits: C1 padded by 2, max-pool, ReLU; fast on CPU",
            "seed tutorial 000: LeNet-5 on MNIST, C1 pad 2, C5 as a 5×5 conv",
        ),
        Architecture(
            "lenet5-1998",
            "The original LeNet-5: 32×32 input, trainable subsampling, partial C3, scaled tanh",
            "LeCun et al. 1998 (seed tutorial 001): C3 connection table, paper parameter counts",
        ),
        Architecture(
            "lenet-28",
            "Unpadded 28×28 LeNet: two 5×5 convs, avg- then max-pool, dense 256→120→84→10",
            "seed tutorial 002: 28×28 LeNet, CrossEntropy, SGD",
        ),
        Architecture(
            "cnn-bn",
            "One 32-map conv with BatchNorm and max-pool, tanh head 6272→70→30→10",
            "seed tutorial 003: CNN with BatchNorm, Adam lr 0.001",
        ),
        Architecture(
            "cnn-dropout",
            "Keras-style CNN: 32-map conv, max-pool, dropout 0.2, dense 128",
            "seed tutorial 004: Keras Conv2D/MaxPooling2D/Dropout/Dense, Adam",
        ),
    )
}

DEFAULT_ARCHITECTURE = "lenet5"


class UnknownModelError(LenetError, ValueError):
    """Raised for an architecture name not in `ARCHITECTURES`; the message lists the known
    ones so a CLI user can correct a typo without reading the source."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(_("unknown model {name!r}; known models: {known}").format(
            name=name, known=", ".join(ARCHITECTURES)))


def architecture_names() -> list[str]:
    return list(ARCHITECTURES)



def shipped_model_path(name: str) -> Path:
    """Where the app keeps its trained copy of architecture `name` (it may not ship one)."""
    from lenet_app.core.resources import resource_path

    return resource_path("models", f"{name}.pt")


def shipped_models() -> list[str]:
    """The architectures the app ships trained, in the order `architecture_names()` lists them."""
    return [name for name in architecture_names() if shipped_model_path(name).is_file()]
