"""What a network computes between its input and its answer: every layer's output for one
digit, the kernels of every convolution, and the arithmetic behind any one feature-map pixel.

The layers are the top-level children of a model, under the names `models.summary` gives them
(C1, S2, … for the LeNets), because every model in the zoo is a plain chain of them. The pass
replays that chain child by child rather than hooking the model, and a model in training mode
is read through an eval-mode copy (`inference_view`), so the pass never changes the model and
is safe while another thread uses the same module.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from lenet_app.core.models import MaxPool2x2, PartialConv2d, ScaledTanh, Subsampling

__all__ = [
    "Activations",
    "ConvArithmetic",
    "ConvKernels",
    "LayerActivation",
    "activations",
    "conv_arithmetic",
    "conv_kernels",
    "inference_view",
]

#: Element-wise functions that may follow a convolution inside one layer, as the arithmetic
#: view names them.
_ACTIVATION_NAMES: dict[type[nn.Module], str] = {
    nn.ReLU: "ReLU",
    nn.Tanh: "tanh",
    ScaledTanh: "scaled tanh",
    nn.Sigmoid: "sigmoid",
}


@dataclass(frozen=True)
class LayerActivation:
    """One layer's output for one digit (the batch dimension removed), as float32 numbers.

    `role` says how to show it: "conv" and "pool" layers hold feature maps (C, H, W); "dense"
    and "output" layers hold units; "reshape" layers (padding, flatten, dropout at inference)
    only pass their input on, and "norm" layers rescale it.
    """

    name: str
    role: str
    values: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape)

    @property
    def is_maps(self) -> bool:
        """Feature maps (C, H, W) with more than one pixel each, rather than a list of units."""
        return self.values.ndim == 3 and self.values.shape[1] * self.values.shape[2] > 1

    @property
    def units(self) -> np.ndarray:
        """The values as a flat list of units (C5's 120×1×1 becomes 120 numbers)."""
        return self.values.reshape(-1)

    @property
    def minimum(self) -> float:
        return float(self.values.min())

    @property
    def maximum(self) -> float:
        return float(self.values.max())

    @property
    def signed(self) -> bool:
        """Negative values present: show on a diverging scale centred on zero."""
        return self.minimum < 0.0


@dataclass(frozen=True)
class ConvKernels:
    """The kernels of one convolution layer, dense, with its connection table if it has one.

    `weight` is (out_maps, in_maps, k, k) and zero where `connections` leaves a pair out;
    `connections[o]` lists the input maps output map o sees (every map, for a full convolution).
    `activation` names the element-wise function the layer applies after the sum (None: the
    layer's output is the sum itself, as in `lenet5`, where ReLU follows the pooling).
    """

    layer: str
    input_layer: str
    weight: np.ndarray
    bias: np.ndarray
    connections: tuple[tuple[int, ...], ...]
    stride: int
    padding: int
    activation: str | None

    @property
    def partial(self) -> bool:
        return any(len(inputs) < self.weight.shape[1] for inputs in self.connections)


@dataclass(frozen=True)
class Activations:
    """Every layer's output for one digit, in forward order, plus what each convolution read."""

    architecture: str | None
    network_input: np.ndarray  # (1, 28, 28): the normalised digit the first layer reads
    layers: tuple[LayerActivation, ...]
    kernels: dict[str, ConvKernels]
    conv_inputs: dict[str, np.ndarray]  # conv layer name -> the (C, H, W) maps it read

    def layer(self, name: str) -> LayerActivation:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [layer.name for layer in self.layers]

    @property
    def logits(self) -> np.ndarray:
        return self.layers[-1].units


@dataclass(frozen=True)
class ConvArithmetic:
    """How one output pixel of a convolution came about, with every number shown.

    `patch` is what the kernel covered in each connected input map (zeros where it reached
    into the padding); `top`, `left` is the patch's corner in the input maps' coordinates (may
    be negative by the padding). value = activation(sum(patch · kernel) + bias).
    """

    layer: str
    map_index: int
    row: int
    column: int
    input_layer: str
    input_maps: tuple[int, ...]
    patch: np.ndarray  # (len(input_maps), k, k)
    kernel: np.ndarray  # (len(input_maps), k, k)
    top: int
    left: int
    weighted_sum: float
    bias: float
    pre_activation: float
    activation: str | None
    value: float


# --------------------------------------------------------------------------- structure


def _parts(child: nn.Module) -> list[nn.Module]:
    return list(child) if isinstance(child, nn.Sequential) else [child]


def _conv_of(child: nn.Module) -> nn.Conv2d | PartialConv2d | None:
    first = _parts(child)[0]
    return first if isinstance(first, (nn.Conv2d, PartialConv2d)) else None


def _role(name: str, child: nn.Module, is_last: bool) -> str:
    first = _parts(child)[0]
    if is_last:
        return "output"
    if isinstance(first, (nn.Conv2d, PartialConv2d)):
        return "conv"
    if isinstance(first, (nn.MaxPool2d, nn.AvgPool2d, MaxPool2x2, Subsampling)):
        return "pool"
    if isinstance(first, nn.Linear):
        return "dense"
    if isinstance(first, (nn.BatchNorm2d, nn.BatchNorm1d)):
        return "norm"
    return "reshape"


def _activation_after(child: nn.Module) -> tuple[str | None, list[nn.Module]]:
    """The element-wise function(s) a conv layer applies after its sum, if that is all it does."""
    rest = _parts(child)[1:]
    if not rest:
        return None, []
    if all(type(part) in _ACTIVATION_NAMES for part in rest):
        return " then ".join(_ACTIVATION_NAMES[type(part)] for part in rest), rest
    return None, []


def conv_kernels(module: nn.Module) -> dict[str, ConvKernels]:
    """The kernels of every convolution layer of a model, by layer name, as numpy copies."""
    kernels: dict[str, ConvKernels] = {}
    previous = "input"
    for name, child in module.named_children():
        conv = _conv_of(child)
        if conv is not None:
            with torch.no_grad():
                if isinstance(conv, PartialConv2d):
                    weight = conv.dense_weight()
                    connections = conv.table
                else:
                    weight = conv.weight
                    connections = tuple(tuple(range(conv.in_channels)) for _ in range(conv.out_channels))
                bias = conv.bias if conv.bias is not None else torch.zeros(weight.shape[0])
                kernels[name] = ConvKernels(
                    layer=name,
                    input_layer=previous,
                    weight=weight.detach().float().cpu().numpy().copy(),
                    bias=bias.detach().float().cpu().numpy().copy(),
                    connections=connections,
                    stride=_first(conv.stride),
                    padding=_first(conv.padding),
                    activation=_activation_after(child)[0],
                )
        previous = name
    return kernels


def _first(value: int | Sequence[int] | str) -> int:
    if isinstance(value, str):
        raise ValueError(f"padding {value!r} is not supported by the arithmetic view")
    return value if isinstance(value, int) else int(value[0])


# --------------------------------------------------------------------------- the forward pass


def inference_view(module: nn.Module) -> nn.Module:
    """`module` itself when all of it is in eval mode (as every model the app shows is), else an
    eval-mode copy.

    Switching the caller's module to eval and back would race with a thread training it (its
    BatchNorm and dropout would flip mid-batch) and would flatten a mix of modes set on purpose.
    """
    if not any(part.training for part in module.modules()):
        return module
    return copy.deepcopy(module).eval()


@torch.inference_mode()
def activations(module: nn.Module, network_input: torch.Tensor,
                architecture: str | None = None) -> Activations:
    """Run one normalised digit (1, 1, 28, 28) through `module` layer by layer.

    The pass runs in eval mode (`inference_view`), so BatchNorm uses its running statistics and
    dropout passes everything, as when the model reads a digit.
    """
    if network_input.dim() != 4 or network_input.shape[0] != 1:
        raise ValueError(f"expected one digit of shape (1, 1, H, W), got {tuple(network_input.shape)}")
    module = inference_view(module)
    parameter = next(module.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    x = network_input.to(device=device, dtype=torch.float32)
    children = list(module.named_children())
    layers: list[LayerActivation] = []
    conv_inputs: dict[str, np.ndarray] = {}
    for index, (name, child) in enumerate(children):
        first = _parts(child)[0]
        if isinstance(first, nn.Linear) and x.dim() > 2:
            x = x.flatten(1)  # the flatten a model's forward does between its children
        if _conv_of(child) is not None:
            conv_inputs[name] = _numpy(x)
        x = child(x)
        layers.append(LayerActivation(name, _role(name, child, index == len(children) - 1), _numpy(x)))
    return Activations(
        architecture=architecture,
        network_input=_numpy(network_input),
        layers=tuple(layers),
        kernels=conv_kernels(module),
        conv_inputs=conv_inputs,
    )


def _numpy(x: torch.Tensor) -> np.ndarray:
    # A copy: a later layer working in place must not change what was recorded.
    return x[0].detach().float().cpu().numpy().copy()


# --------------------------------------------------------------------------- one pixel's arithmetic


def conv_arithmetic(result: Activations, layer: str, map_index: int, row: int,
                    column: int) -> ConvArithmetic:
    """The multiply-and-add behind output pixel (row, column) of map `map_index` of a
    convolution layer, from the numbers recorded in `result`."""
    kernels = result.kernels[layer]
    maps = result.conv_inputs[layer]
    out_maps, _, k, _ = kernels.weight.shape
    output = result.layer(layer).values
    if not 0 <= map_index < out_maps:
        raise IndexError(f"{layer} has {out_maps} maps, not {map_index + 1}")
    if not (0 <= row < output.shape[1] and 0 <= column < output.shape[2]):
        raise IndexError(f"{layer} maps are {output.shape[1]}×{output.shape[2]}")
    inputs = kernels.connections[map_index]
    top = row * kernels.stride - kernels.padding
    left = column * kernels.stride - kernels.padding
    padded = np.pad(maps, ((0, 0), (kernels.padding,) * 2, (kernels.padding,) * 2))
    r0, c0 = top + kernels.padding, left + kernels.padding
    patch = padded[list(inputs), r0 : r0 + k, c0 : c0 + k].astype(np.float64)
    kernel = kernels.weight[map_index, list(inputs)].astype(np.float64)
    weighted_sum = float((patch * kernel).sum())
    bias = float(kernels.bias[map_index])
    pre = weighted_sum + bias
    return ConvArithmetic(
        layer=layer, map_index=map_index, row=row, column=column,
        input_layer=kernels.input_layer, input_maps=tuple(inputs),
        patch=patch.astype(np.float32), kernel=kernel.astype(np.float32),
        top=top, left=left, weighted_sum=weighted_sum, bias=bias, pre_activation=pre,
        activation=kernels.activation, value=_apply(kernels.activation, pre),
    )


def _apply(activation: str | None, value: float) -> float:
    if activation is None:
        return value
    x = value
    for step in activation.split(" then "):
        if step == "ReLU":
            x = max(x, 0.0)
        elif step == "tanh":
            x = float(np.tanh(x))
        elif step == "scaled tanh":
            x = ScaledTanh.AMPLITUDE * float(np.tanh(ScaledTanh.SLOPE * x))
        elif step == "sigmoid":
            x = float(1.0 / (1.0 + np.exp(-x)))
        else:  # pragma: no cover - _ACTIVATION_NAMES and this list are kept together
            raise ValueError(step)
    return x
