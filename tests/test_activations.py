"""Every layer's activations, the conv kernels and one pixel's arithmetic agree with the model
and with sums done by hand, for every architecture; the pass leaves the model as it was."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lenet_app.core.activations import activations, conv_arithmetic
from lenet_app.core.models import C3_TABLE, ScaledTanh, create_model, model_names, summary

ARCHITECTURES = model_names()


def _digit(seed: int = 0) -> torch.Tensor:
    """A normalised input with some structure: a bright bar on noise, touching the border."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(1, 1, 28, 28, generator=generator) * 0.5
    x[0, 0, 3:25, 0:6] += 2.5  # ink on the left border, where padding matters
    x[0, 0, 24:28, 20:28] += 2.0  # and in the bottom right corner
    return x


def _model(name: str, seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    model = create_model(name)
    model.eval()
    return model


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_layers_match_the_summary_and_the_logits(name):
    model = _model(name)
    x = _digit()
    result = activations(model, x, name)
    rows = summary(name)
    assert result.names == [row.name for row in rows]
    assert [layer.shape for layer in result.layers] == [row.output_shape for row in rows]
    assert result.architecture == name
    assert result.layers[-1].role == "output" and result.logits.shape == (10,)
    with torch.no_grad():
        expected = model(x)[0].numpy()
    np.testing.assert_allclose(result.logits, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(result.network_input, x[0].numpy())
    for layer in result.layers:
        assert layer.values.dtype == np.float32
        assert layer.minimum <= layer.maximum
        assert layer.units.size == int(np.prod(layer.shape))
    roles = {layer.role for layer in result.layers}
    assert {"conv", "dense", "output"} <= roles


# --------------------------------------------------------------------------- C1 by hand

#: (row, column) of C1 output pixels to check: corners and edges (which read the padding),
#: and the middle.
PIXELS = [(0, 0), (0, 27), (27, 0), (27, 27), (1, 13), (14, 0), (13, 14), (26, 2), (5, 21)]


def _c1_by_hand(weight: np.ndarray, bias: np.ndarray, padded: np.ndarray, row: int, column: int,
                out_map: int) -> float:
    """One C1 output: the 5×5 patch of the padded picture times the kernel, plus the bias."""
    patch = padded[row : row + 5, column : column + 5].astype(np.float64)
    return float((patch * weight[out_map, 0].astype(np.float64)).sum() + bias[out_map])


def test_lenet5_c1_equals_a_hand_computation():
    model = _model("lenet5")
    x = _digit(1)
    c1 = activations(model, x, "lenet5").layer("C1").values
    weight = model.C1.weight.detach().numpy()
    bias = model.C1.bias.detach().numpy()
    padded = np.pad(x[0, 0].numpy(), 2)  # zero padding by 2, as Conv2d(padding=2) does
    for out_map in range(6):
        for row, column in PIXELS:
            # lenet5 applies its ReLU after S2, so C1 holds the sums themselves.
            expected = _c1_by_hand(weight, bias, padded, row, column, out_map)
            assert c1[out_map, row, column] == pytest.approx(expected, rel=1e-4, abs=1e-5)


def test_lenet5_1998_c1_equals_a_hand_computation():
    model = _model("lenet5-1998")
    x = _digit(2)
    result = activations(model, x, "lenet5-1998")
    c1 = result.layer("C1").values
    conv = model.C1[0]
    weight = conv.weight.detach().numpy()
    bias = conv.bias.detach().numpy()
    padded = np.pad(x[0, 0].numpy(), 2, mode="edge")  # the 'pad' layer repeats edge pixels
    np.testing.assert_allclose(result.layer("pad").values[0], padded, rtol=0, atol=0)
    for out_map in range(6):
        for row, column in PIXELS:
            pre = _c1_by_hand(weight, bias, padded, row, column, out_map)
            expected = ScaledTanh.AMPLITUDE * np.tanh(ScaledTanh.SLOPE * pre)
            assert c1[out_map, row, column] == pytest.approx(expected, rel=1e-4, abs=1e-5)


# --------------------------------------------------------------------------- conv_arithmetic


def _sample_positions(maps: int, height: int, width: int, rng: np.random.Generator):
    corners = [(0, 0), (0, width - 1), (height - 1, 0), (height - 1, width - 1)]
    middle = [(int(rng.integers(height)), int(rng.integers(width))) for _ in range(4)]
    for index, (row, column) in enumerate(corners + middle):
        yield (index * 5) % maps, row, column
    yield maps - 1, height // 2, width // 2


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_conv_arithmetic_agrees_with_every_conv_layer(name):
    model = _model(name, seed=3)
    result = activations(model, _digit(3), name)
    rng = np.random.default_rng(0)
    conv_layers = [layer for layer in result.layers if layer.role == "conv"]
    assert conv_layers and set(result.kernels) == {layer.name for layer in conv_layers}
    for layer in conv_layers:
        kernels = result.kernels[layer.name]
        maps, height, width = layer.shape
        assert kernels.weight.shape[0] == maps
        assert result.conv_inputs[layer.name].shape[0] == kernels.weight.shape[1]
        for map_index, row, column in _sample_positions(maps, height, width, rng):
            sums = conv_arithmetic(result, layer.name, map_index, row, column)
            assert sums.value == pytest.approx(float(layer.values[map_index, row, column]),
                                               rel=1e-4, abs=1e-4), (layer.name, map_index, row, column)
            assert sums.pre_activation == pytest.approx(sums.weighted_sum + sums.bias)
            k = kernels.weight.shape[-1]
            assert sums.patch.shape == sums.kernel.shape == (len(sums.input_maps), k, k)
            assert sums.top == row * kernels.stride - kernels.padding


def test_conv_arithmetic_reaches_into_the_padding():
    model = _model("lenet5")
    result = activations(model, _digit(), "lenet5")
    sums = conv_arithmetic(result, "C1", 0, 0, 0)
    assert (sums.top, sums.left) == (-2, -2) and sums.activation is None
    np.testing.assert_array_equal(sums.patch[0, :2, :], 0)  # the zero padding above
    np.testing.assert_array_equal(sums.patch[0, :, :2], 0)  # and to the left
    np.testing.assert_array_equal(sums.patch[0, 2:, 2:], result.network_input[0, :3, :3])
    with pytest.raises(IndexError):
        conv_arithmetic(result, "C1", 6, 0, 0)
    with pytest.raises(IndexError):
        conv_arithmetic(result, "C1", 0, 28, 0)


def test_lenet5_1998_c3_follows_the_papers_table():
    model = _model("lenet5-1998")
    result = activations(model, _digit(4), "lenet5-1998")
    kernels = result.kernels["C3"]
    assert kernels.connections == C3_TABLE and kernels.partial
    assert kernels.input_layer == "S2" and kernels.activation == "scaled tanh"
    for out_map, inputs in enumerate(C3_TABLE):
        sums = conv_arithmetic(result, "C3", out_map, 5, 5)
        assert sums.input_maps == inputs
        unconnected = [i for i in range(6) if i not in inputs]
        np.testing.assert_array_equal(kernels.weight[out_map, unconnected], 0)
        assert (np.abs(kernels.weight[out_map, list(inputs)]).sum(axis=(1, 2)) > 0).all()
    full = result.kernels["C5"]
    assert not full.partial and all(len(inputs) == 16 for inputs in full.connections)


def test_kernels_are_copies_with_their_layer_structure():
    model = _model("lenet5")
    result = activations(model, _digit(), "lenet5")
    kernels = result.kernels
    assert list(kernels) == ["C1", "C3", "C5"]
    assert kernels["C1"].weight.shape == (6, 1, 5, 5) and kernels["C1"].padding == 2
    assert kernels["C3"].input_layer == "S2" and kernels["C5"].activation == "ReLU"
    np.testing.assert_array_equal(kernels["C1"].weight, model.C1.weight.detach().numpy())
    kernels["C1"].weight[...] = 0  # a copy: the model keeps its weights
    assert model.C1.weight.abs().sum() > 0


# --------------------------------------------------------------------------- the model is left alone


@pytest.mark.parametrize("name", ARCHITECTURES)
@pytest.mark.parametrize("training", [True, False])
def test_the_pass_leaves_the_model_as_it_was(name, training):
    model = _model(name)
    model.train(training)
    before = {key: value.clone() for key, value in model.state_dict().items()}
    activations(model, _digit(), name)
    assert model.training is training
    assert all(child.training is training for child in model.modules())
    after = model.state_dict()
    assert before.keys() == after.keys()
    for key, value in before.items():
        assert torch.equal(value, after[key]), key


def _record_switches(monkeypatch, model) -> list[bool]:
    """Every train()/eval() call on `model` or one of its parts (not on copies of them)."""
    parts = {id(part) for part in model.modules()}
    switched: list[bool] = []
    real = torch.nn.Module.train

    def train(self, mode=True):
        if id(self) in parts:
            switched.append(mode)
        return real(self, mode)

    monkeypatch.setattr(torch.nn.Module, "train", train)
    return switched


def test_a_model_in_training_is_never_switched(monkeypatch):
    """Another thread may be training it: the pass reads an eval-mode copy instead, and a mix
    of modes set on purpose survives."""
    model = _model("cnn-bn")
    model.train()
    model.bn.eval()
    switched = _record_switches(monkeypatch, model)
    result = activations(model, _digit(), "cnn-bn")
    assert switched == [] and model.training and not model.bn.training and model.fc1.training
    assert set(result.kernels) == {"conv"}
    np.testing.assert_array_equal(result.kernels["conv"].weight, model.conv.weight.detach().numpy())


@pytest.mark.parametrize("name", ["cnn-bn", "cnn-dropout"])
def test_training_mode_gives_the_eval_result(name):
    """BatchNorm reads its running statistics and dropout passes everything, as at inference."""
    model = _model(name)
    model.train()
    with torch.no_grad():  # give BatchNorm running statistics that differ from its defaults
        for seed in range(3):
            model(torch.randn(16, 1, 28, 28, generator=torch.Generator().manual_seed(seed)) + 0.5)
    x = _digit(5)
    in_training = activations(model, x, name)
    assert model.training
    model.eval()
    in_eval = activations(model, x, name)
    with torch.no_grad():
        logits = model(x)[0].numpy()
    for a, b in zip(in_training.layers, in_eval.layers):
        np.testing.assert_array_equal(a.values, b.values)
    np.testing.assert_allclose(in_training.logits, logits, rtol=1e-5, atol=1e-5)


def test_one_digit_only():
    model = _model("lenet5")
    with pytest.raises(ValueError):
        activations(model, torch.zeros(2, 1, 28, 28))
    with pytest.raises(ValueError):
        activations(model, torch.zeros(1, 28, 28))
