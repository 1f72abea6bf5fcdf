"""The model zoo: every network the app can train, its registry, and layer-by-layer summaries.

All models take a normalised float tensor (N, 1, 28, 28) and return logits (N, 10), so the
trainer, the drawing pad and checkpoints can treat them alike. Their names and descriptions
live in the torch-free `lenet_app.core.architectures`; this module adds the classes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from lenet_app.core.architectures import ARCHITECTURES, DEFAULT_ARCHITECTURE, UnknownModelError
from lenet_app.core.formatting import display_width, pad
from lenet_app.core.i18n import _

__all__ = [
    "C3_TABLE",
    "DEFAULT_MODEL",
    "MODELS",
    "CnnBatchNorm",
    "CnnDropout",
    "LayerRow",
    "LeNet28",
    "LeNet5",
    "LeNet5Original",
    "MaxPool2x2",
    "ModelSpec",
    "PartialConv2d",
    "ScaledTanh",
    "Subsampling",
    "UnknownModelError",
    "create_model",
    "format_summary",
    "get_spec",
    "model_names",
    "summary",
    "total_params",
]

INPUT_SHAPE: tuple[int, int, int] = (1, 28, 28)
NUM_CLASSES = 10


# --------------------------------------------------------------------------- building blocks


def _paper_uniform_(tensor: torch.Tensor, fan_in: int) -> None:
    """LeCun 1998 initialisation: U(-2.4/Fi, 2.4/Fi), which keeps the weighted sums inside
    the non-saturated range of the scaled tanh."""
    bound = 2.4 / fan_in
    with torch.no_grad():
        tensor.uniform_(-bound, bound)


class ScaledTanh(nn.Module):
    """LeCun's squashing function f(a) = 1.7159 tanh(2a/3).

    The constants make f(±1) = ±1 and keep the gain near 1 around the origin, so unit-variance
    inputs stay unit-variance (paper, appendix A).
    """

    AMPLITUDE = 1.7159
    SLOPE = 2.0 / 3.0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.AMPLITUDE * torch.tanh(self.SLOPE * x)

    def describe(self) -> str:
        return _("scaled tanh")


class Subsampling(nn.Module):
    """The paper's S-layer: each 2×2 block is summed, times a trainable per-map coefficient,
    plus a trainable per-map bias (2 parameters per map).

    Unlike a plain average pool the layer can learn how strongly to pass each map on, which is
    what let the 1998 network moderate its squashing non-linearities.
    """

    kernel_size = 2
    stride = 2
    padding = 0

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.channels = channels
        self.coefficient = nn.Parameter(torch.empty(channels))
        self.bias = nn.Parameter(torch.empty(channels))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        # The paper's U(-2.4/Fi, 2.4/Fi) with fan-in 4.
        _paper_uniform_(self.coefficient, fan_in=4)
        _paper_uniform_(self.bias, fan_in=4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # The mean times 4 is the sum exactly (both steps are powers of two); ONNX's AveragePool
        # has no divisor_override, so an exported file would divide by 4.
        block_sums = F.avg_pool2d(x, 2) * 4
        return torch.addcmul(
            self.bias.view(1, -1, 1, 1), block_sums, self.coefficient.view(1, -1, 1, 1)
        )

    def describe(self) -> str:
        return _("Subsampling 2×2 (sum·w + b)")


class PartialConv2d(nn.Module):
    """A convolution in which output map o sees only the input maps listed in `table[o]`.

    Only the connected 5×5 kernels are stored as the Parameter, so the parameter count is the
    paper's, unconnected kernels can never drift away from zero, and optimisers spend nothing
    on them. The forward pass scatters them into a dense kernel and runs ONE convolution, which
    is far cheaper than one small convolution per output map.
    """

    def __init__(
        self, in_channels: int, table: Sequence[Sequence[int]], kernel_size: int = 5
    ) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = len(table)
        self.kernel_size = kernel_size
        self.stride = 1
        self.padding = 0
        self.table = tuple(tuple(sorted(inputs)) for inputs in table)
        pairs = [(o, i) for o, inputs in enumerate(self.table) for i in inputs]
        if any(not 0 <= i < in_channels for _, i in pairs):
            raise ValueError(f"connection table names an input map outside 0..{in_channels - 1}")
        self.connections = len(pairs)

        mask = torch.zeros(self.out_channels, in_channels, dtype=torch.bool)
        for o, i in pairs:
            mask[o, i] = True
        # Derived from `table`, so kept out of checkpoints.
        self.register_buffer("mask", mask, persistent=False)
        self.register_buffer(
            "_flat_index",
            torch.tensor([o * in_channels + i for o, i in pairs], dtype=torch.long),
            persistent=False,
        )
        self.weight = nn.Parameter(torch.empty(self.connections, kernel_size, kernel_size))
        self.bias = nn.Parameter(torch.empty(self.out_channels))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        # The paper's U(-2.4/Fi, 2.4/Fi), Fi the fan-in of each output map (3, 4 or 6 kernels).
        start = 0
        for o, inputs in enumerate(self.table):
            fan_in = len(inputs) * self.kernel_size * self.kernel_size
            _paper_uniform_(self.weight[start : start + len(inputs)], fan_in)
            _paper_uniform_(self.bias[o : o + 1], fan_in)
            start += len(inputs)

    def dense_weight(self) -> torch.Tensor:
        """The full (out, in, k, k) kernel, zero where the table has no connection."""
        k = self.kernel_size
        dense = self.weight.new_zeros(self.out_channels * self.in_channels, k, k)
        dense = dense.index_copy(0, self._flat_index, self.weight)
        return dense.view(self.out_channels, self.in_channels, k, k)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.dense_weight(), self.bias)

    def describe(self) -> str:
        total = self.out_channels * self.in_channels
        return _("{conv}, partial ({connections} of {total} connections)").format(
            conv=_conv_text(self.in_channels, self.out_channels, self.kernel_size), connections=self.connections,
            total=total)


# --------------------------------------------------------------------------- the models
#
# Every model registers its top-level children in forward order and names them as the
# summary should show them: `summary` reads them off `named_children()`.


class LeNet5(nn.Module):
    """LeNet-5 adapted to 28×28 MNIST: C1 pads by 2 so the layer sizes match the 32×32 paper.

    Tuned for 2-core CPU training: ReLU is applied after each max-pool (they commute, and the
    pooled map is 4× smaller), the conv weights are channels-last, which lets oneDNN pick its
    fast kernels for the whole forward and backward pass, and C5 runs as the matrix product it
    is (benchmarks/NOTES.md, "Training step"). Its layers and weights are the paper's.
    """

    def __init__(self) -> None:
        super().__init__()
        self.C1 = nn.Conv2d(1, 6, kernel_size=5, padding=2)
        self.S2 = nn.Sequential(MaxPool2x2(), nn.ReLU(inplace=True))
        self.C3 = nn.Conv2d(6, 16, kernel_size=5)
        self.S4 = nn.Sequential(MaxPool2x2(), nn.ReLU(inplace=True))
        self.C5 = nn.Sequential(WholeMapConv2d(16, 120, kernel_size=5), nn.ReLU(inplace=True))
        self.F6 = nn.Sequential(nn.Linear(120, 84), nn.ReLU(inplace=True))
        self.output = nn.Linear(84, NUM_CLASSES)
        self.to(memory_format=torch.channels_last)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.S2(self.C1(x))
        x = self.S4(self.C3(x))
        # C5 leaves 120×1×1, so flatten is a view, not a copy.
        x = self.C5(x).flatten(1)
        return self.output(self.F6(x))


class WholeMapConv2d(nn.Conv2d):
    """A convolution whose kernel covers its whole input map (LeNet-5's C5: 5×5 kernels on 5×5
    maps), computed as the matrix product it then is: the same weights and sums, one output
    pixel per map, much faster to train on a CPU than a general convolution (benchmarks/NOTES.md,
    "Training step"). Any other input size takes the general convolution.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if (isinstance(self.padding, str) or any(self.padding) or self.groups != 1
                or self.dilation != (1, 1) or x.dim() != 4 or tuple(x.shape[-2:]) != tuple(self.kernel_size)):
            return super().forward(x)
        # Flattened in (row, column, channel) order: for channels-last maps and weights (how
        # LeNet5 keeps them) both flattens are views.
        n = x.shape[0]
        weight = self.weight.permute(0, 2, 3, 1).flatten(1)
        y = F.linear(x.permute(0, 2, 3, 1).flatten(1), weight, self.bias)
        return y.view(n, self.out_channels, 1, 1)


class MaxPool2x2(nn.MaxPool2d):
    """2×2 max pooling that is faster on CPU for batches when no gradient is needed.

    `max_pool2d` on CPU always computes argmax indices for its backward; without autograd
    (evaluation) the max of the four strided sub-grids gives the same values without them.
    Training keeps `max_pool2d`, whose backward is faster than that of the sub-grids, and so
    do one to three images (drawing), where its single call beats three. Figures:
    benchmarks/NOTES.md, "Max pooling without indices".
    """

    def __init__(self) -> None:
        super().__init__(kernel_size=2)

    def describe(self) -> str:
        return _pool_text(_("MaxPool2d {size}×{size}"), 2, 2)  # what it computes, not how fast

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if (torch.is_grad_enabled() or x.device.type != "cpu" or x.dim() != 4 or x.shape[0] < 4
                or x.shape[-1] % 2 or x.shape[-2] % 2):
            return super().forward(x)
        return torch.maximum(torch.maximum(x[..., 0::2, 0::2], x[..., 0::2, 1::2]),
                             torch.maximum(x[..., 1::2, 0::2], x[..., 1::2, 1::2]))


# The paper's Table I: which S2 maps (0..5) each C3 map (0..15) is connected to.
C3_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (0, 4, 5), (0, 1, 5),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (0, 3, 4, 5), (0, 1, 4, 5), (0, 1, 2, 5),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)  # fmt: skip


class LeNet5Original(nn.Module):
    """LeNet-5 as in LeCun et al. 1998, with its per-layer parameter counts.

    Kept faithful for teaching (32×32 input, trainable subsampling, the C3 connection table,
    scaled tanh, the paper's initialisation); only the RBF output layer is replaced by a
    linear one so it trains with the same cross-entropy loss as the other models.

    The 28×28 digit is padded to 32×32 by repeating its edge pixels: MNIST borders are
    background, so this pads with background whatever normalisation the data uses, as the
    paper's 32×32 frame did.
    """

    def __init__(self) -> None:
        super().__init__()
        self.pad = nn.ReplicationPad2d(2)
        self.C1 = nn.Sequential(nn.Conv2d(1, 6, kernel_size=5), ScaledTanh())
        self.S2 = nn.Sequential(Subsampling(6), ScaledTanh())
        self.C3 = nn.Sequential(PartialConv2d(6, C3_TABLE, kernel_size=5), ScaledTanh())
        self.S4 = nn.Sequential(Subsampling(16), ScaledTanh())
        self.C5 = nn.Sequential(WholeMapConv2d(16, 120, kernel_size=5), ScaledTanh())
        self.F6 = nn.Sequential(nn.Linear(120, 84), ScaledTanh())
        self.output = nn.Linear(84, NUM_CLASSES)
        for layer in (self.C1[0], self.C5[0], self.F6[0], self.output):
            fan_in = layer.weight[0].numel()
            _paper_uniform_(layer.weight, fan_in)
            _paper_uniform_(layer.bias, fan_in)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.C1(self.pad(x))
        x = self.C3(self.S2(x))
        x = self.C5(self.S4(x)).flatten(1)
        return self.output(self.F6(x))


class LeNet28(nn.Module):
    """The unpadded 28×28 LeNet of seed tutorial 002 (average, then max pooling, as written)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(1, 6, kernel_size=5), nn.ReLU(inplace=True))
        self.pool1 = nn.AvgPool2d(2)
        self.conv2 = nn.Sequential(nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(inplace=True))
        self.pool2 = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Sequential(nn.Linear(16 * 4 * 4, 120), nn.ReLU(inplace=True))
        self.fc2 = nn.Sequential(nn.Linear(120, 84), nn.ReLU(inplace=True))
        self.output = nn.Linear(84, NUM_CLASSES)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool1(self.conv1(x))
        x = self.flatten(self.pool2(self.conv2(x)))
        return self.output(self.fc2(self.fc1(x)))


class CnnBatchNorm(nn.Module):
    """Seed tutorial 003: one wide conv with BatchNorm, then a small tanh MLP head."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 32, kernel_size=5, padding=2)
        self.bn = nn.Sequential(nn.BatchNorm2d(32), nn.ReLU(inplace=True))
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Sequential(nn.Linear(32 * 14 * 14, 70), nn.Tanh())
        self.fc2 = nn.Sequential(nn.Linear(70, 30), nn.Tanh())
        self.output = nn.Linear(30, NUM_CLASSES)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.flatten(self.pool(self.bn(self.conv(x))))
        return self.output(self.fc2(self.fc1(x)))


class CnnDropout(nn.Module):
    """Seed tutorial 004's Keras model, initialised like Keras (Glorot-uniform weights, zero
    biases) so it behaves as the tutorial's readers saw it."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 32, kernel_size=5), nn.ReLU(inplace=True))
        self.pool = nn.MaxPool2d(2)
        self.dropout = nn.Dropout(0.2)
        self.flatten = nn.Flatten()
        self.dense = nn.Sequential(nn.Linear(32 * 12 * 12, 128), nn.ReLU(inplace=True))
        self.output = nn.Linear(128, NUM_CLASSES)
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(module.weight)
                nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.flatten(self.dropout(self.pool(self.conv(x))))
        return self.output(self.dense(x))


# --------------------------------------------------------------------------- registry

DEFAULT_MODEL = DEFAULT_ARCHITECTURE


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    tutorial: str
    build: Callable[[], nn.Module]


_BUILDERS: dict[str, Callable[[], nn.Module]] = {
    "lenet5": LeNet5,
    "lenet5-1998": LeNet5Original,
    "lenet-28": LeNet28,
    "cnn-bn": CnnBatchNorm,
    "cnn-dropout": CnnDropout,
}
assert list(_BUILDERS) == list(ARCHITECTURES), "every architecture name needs exactly one builder"

#: Every architecture of `lenet_app.core.architectures` with the class that builds it.
MODELS: dict[str, ModelSpec] = {
    name: ModelSpec(name, info.description, info.tutorial, _BUILDERS[name])
    for name, info in ARCHITECTURES.items()
}


def model_names() -> list[str]:
    return list(MODELS)


def get_spec(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except (KeyError, TypeError):
        raise UnknownModelError(str(name)) from None


def create_model(name: str = DEFAULT_MODEL) -> nn.Module:
    """A freshly initialised model (seed torch yourself for reproducible weights)."""
    return get_spec(name).build()


# --------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class LayerRow:
    name: str
    kind: str
    output_shape: tuple[int, ...]
    params: int


def _trainable(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def total_params(name_or_module: str | nn.Module) -> int:
    """Trainable parameters of a model, given by name or as a module."""
    module = create_model(name_or_module) if isinstance(name_or_module, str) else name_or_module
    return _trainable(module)


def _pair(value: int | tuple[int, ...]) -> int:
    """The first of a square kernel/stride/padding; every layer here is square."""
    return value if isinstance(value, int) else int(value[0])


def _conv_text(inputs: int, outputs: int, kernel: int, stride: int = 1, padding: int | str = 0) -> str:
    """A convolution in a few words, e.g. "Conv2d 1→6 k5 p2" (kernel, stride and padding)."""
    parts = [_("Conv2d {inputs}→{outputs}").format(inputs=inputs, outputs=outputs), _("k{size}").format(size=kernel)]
    if stride != 1:
        parts.append(_("s{stride}").format(stride=stride))
    if padding:
        parts.append(_("p{padding}").format(padding=padding))
    return " ".join(parts)


def _pool_text(name: str, size: int, stride: int) -> str:
    """A pooling layer, e.g. "MaxPool2d 2×2", with its stride when it differs from its size."""
    text = name.format(size=size)
    return text if stride == size else " ".join([text, _("s{stride}").format(stride=stride)])


def _describe(module: nn.Module) -> str:
    """A short human-readable type, e.g. "Conv2d 1→6 k5 p2 + ReLU", in the user's language."""
    if isinstance(module, nn.Sequential):
        return " + ".join(part for part in map(_describe, module) if part)
    describe = getattr(module, "describe", None)
    if callable(describe):
        return str(describe())
    if isinstance(module, nn.Conv2d):
        padding = module.padding if isinstance(module.padding, str) else _pair(module.padding)
        return _conv_text(module.in_channels, module.out_channels, _pair(module.kernel_size), _pair(module.stride),
                          padding)
    if isinstance(module, (nn.MaxPool2d, nn.AvgPool2d)):
        name = _("MaxPool2d {size}×{size}") if isinstance(module, nn.MaxPool2d) else _("AvgPool2d {size}×{size}")
        return _pool_text(name, _pair(module.kernel_size), _pair(module.stride or module.kernel_size))
    if isinstance(module, nn.Linear):
        return _("Linear {inputs}→{outputs}").format(inputs=module.in_features, outputs=module.out_features)
    if isinstance(module, nn.BatchNorm2d):
        return _("BatchNorm2d {features}").format(features=module.num_features)
    if isinstance(module, nn.Dropout):
        return _("Dropout p={p:g}").format(p=module.p)
    if isinstance(module, nn.ReplicationPad2d):
        return _("Pad {size} (edge pixels)").format(size=_pair(module.padding))
    if isinstance(module, nn.Flatten):
        return _("Flatten")
    return type(module).__name__


def _trace(model: nn.Module) -> list[tuple[str, nn.Module, tuple[int, ...], tuple[int, ...]]]:
    """Run a dummy digit through `model` and record each top-level layer's per-sample input
    and output shape, so summaries can never disagree with what the model really does."""
    records: list[tuple[str, nn.Module, tuple[int, ...], tuple[int, ...]]] = []
    handles = []
    for name, child in model.named_children():

        def hook(
            module: nn.Module, args: tuple[torch.Tensor, ...], out: torch.Tensor, name: str = name
        ) -> None:
            records.append((name, module, tuple(args[0].shape[1:]), tuple(out.shape[1:])))

        handles.append(child.register_forward_hook(hook))
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(1, *INPUT_SHAPE))
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return records


def summary(name: str) -> list[LayerRow]:
    """One row per top-level layer, in forward order, from a real forward pass."""
    return [
        LayerRow(layer, _describe(module), out_shape, _trainable(module))
        for layer, module, _, out_shape in _trace(create_model(name))
    ]


def _shape_text(shape: Sequence[int]) -> str:
    return "×".join(str(n) for n in shape)


def _size_example(
    records: list[tuple[str, nn.Module, tuple[int, ...], tuple[int, ...]]], want_pool: bool
) -> str | None:
    """A worked N = (W − F + 2P)/S + 1 for the first conv (or pool) layer of the model."""
    for layer, module, in_shape, out_shape in records:
        parts = list(module) if isinstance(module, nn.Sequential) else [module]
        first = parts[0]
        is_pool = isinstance(first, (nn.MaxPool2d, nn.AvgPool2d, Subsampling))
        is_conv = isinstance(first, (nn.Conv2d, PartialConv2d))
        if (is_pool if want_pool else is_conv) and len(in_shape) == 3 and len(out_shape) == 3:
            w = in_shape[-1]
            f = _pair(first.kernel_size)
            s = _pair(first.stride or first.kernel_size)
            p = _pair(first.padding) if not isinstance(first.padding, str) else 0
            n = math.floor((w - f + 2 * p) / s) + 1
            return f"{layer}: ({w} − {f} + 2·{p})/{s} + 1 = {n}"
    return None


def format_summary(name: str) -> str:
    """A plain-text layer table for the CLI and the GUI's model panel."""
    spec = get_spec(name)
    model = spec.build()
    records = _trace(model)
    rows = [
        (_("layer"), _("type"), _("output shape"), _("params")),
        ("input", _("normalised digit"), _shape_text(INPUT_SHAPE), "0"),
    ]
    rows += [
        (layer, _describe(module), _shape_text(out_shape), f"{_trainable(module):,}")
        for layer, module, _unused, out_shape in records
    ]
    widths = [max(display_width(row[i]) for row in rows) for i in range(4)]

    def line(row: tuple[str, str, str, str]) -> str:
        return "  ".join(
            [pad(row[0], widths[0]), pad(row[1], widths[1]), pad(row[2], widths[2]), pad(row[3], widths[3], right=True)]
        )

    rule = "  ".join("-" * w for w in widths)
    out = [f"{spec.name}: {_(spec.description)}", _("follows {tutorial}").format(tutorial=_(spec.tutorial)), "",
           line(rows[0]), rule]
    out += [line(row) for row in rows[1:]]
    out += [rule, _("total trainable parameters: {count:,}").format(count=total_params(model))]
    formula = _("Output size of a conv/pool layer: N = (W − F + 2P)/S + 1 (input width W, kernel F, padding P, "
                "stride S)")
    examples = [e for e in (_size_example(records, False), _size_example(records, True)) if e]
    out.append(_("{formula}; e.g. {examples}").format(formula=formula, examples=", ".join(examples)) if examples
               else formula)
    return "\n".join(out)
