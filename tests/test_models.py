"""The model zoo: shapes, registry contract, paper parameter counts, summaries, trainability."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from lenet_app.core import models
from lenet_app.core.models import (
    C3_TABLE,
    DEFAULT_MODEL,
    MODELS,
    LayerRow,
    MaxPool2x2,
    PartialConv2d,
    UnknownModelError,
    create_model,
    format_summary,
    get_spec,
    model_names,
    summary,
    total_params,
)

ALL = list(MODELS)

PAPER_PARAMS = {"C1": 156, "S2": 12, "C3": 1516, "S4": 32, "C5": 48120, "F6": 10164}

LENET5_SHAPES = {
    "C1": (6, 28, 28),
    "S2": (6, 14, 14),
    "C3": (16, 10, 10),
    "S4": (16, 5, 5),
    "C5": (120, 1, 1),
    "F6": (84,),
    "output": (10,),
}

EXPECTED_TOTALS = {
    "lenet5": 61_706,
    "lenet5-1998": 60_850,
    "lenet-28": 44_426,
    "cnn-bn": 442_446,
    "cnn-dropout": 592_074,
}


def _trainable(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def _c3(model: torch.nn.Module) -> PartialConv2d:
    layer = model.get_submodule("C3.0")
    assert isinstance(layer, PartialConv2d)
    return layer


# --------------------------------------------------------------------------- registry


def test_registry_order_and_names() -> None:
    assert model_names() == ["lenet5", "lenet5-1998", "lenet-28", "cnn-bn", "cnn-dropout"]
    assert DEFAULT_MODEL == model_names()[0]
    for name, spec in MODELS.items():
        assert spec.name == name
        assert get_spec(name) is spec
        for text in (spec.description, spec.tutorial):
            assert text.strip() and "\n" not in text


def test_create_model_defaults_to_lenet5() -> None:
    assert isinstance(create_model(), models.LeNet5)


@pytest.mark.parametrize("call", [get_spec, create_model, summary, format_summary, total_params])
def test_unknown_name_lists_known_names(call) -> None:
    with pytest.raises(UnknownModelError) as info:
        call("lenet6")
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert "lenet6" in message
    for name in ALL:
        assert name in message


# --------------------------------------------------------------------------- every model


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("batch", [1, 5])
def test_logits_shape(name: str, batch: int) -> None:
    torch.manual_seed(0)
    model = create_model(name).eval()
    with torch.no_grad():
        out = model(torch.randn(batch, 1, 28, 28))
    assert out.shape == (batch, 10)
    assert out.dtype == torch.float32
    assert torch.isfinite(out).all()


@pytest.mark.parametrize("name", ALL)
def test_eval_mode_is_deterministic(name: str) -> None:
    torch.manual_seed(1)
    model = create_model(name).eval()
    x = torch.randn(5, 1, 28, 28)
    with torch.no_grad():
        first, second = model(x), model(x)
        # A sample's logits must not depend on what else is in the batch.
        alone = model(x[2:3])
    assert torch.equal(first, second)
    torch.testing.assert_close(alone, first[2:3], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ALL)
def test_state_dict_round_trip(name: str) -> None:
    torch.manual_seed(2)
    source = create_model(name).eval()
    target = create_model(name).eval()
    target.load_state_dict(source.state_dict())
    x = torch.randn(3, 1, 28, 28)
    with torch.no_grad():
        torch.testing.assert_close(target(x), source(x))


@pytest.mark.parametrize("name", ALL)
def test_summary_totals_match_parameters(name: str) -> None:
    rows = summary(name)
    assert rows and all(isinstance(row, LayerRow) for row in rows)
    model = create_model(name)
    assert sum(row.params for row in rows) == _trainable(model) == total_params(name)
    assert total_params(model) == total_params(name) == EXPECTED_TOTALS[name]
    assert rows[-1].output_shape == (10,)
    assert len({row.name for row in rows}) == len(rows)


@pytest.mark.parametrize("name", ALL)
def test_format_summary_lists_every_layer_and_total(name: str) -> None:
    text = format_summary(name)
    spec = get_spec(name)
    assert name in text and spec.description in text
    for row in summary(name):
        assert row.name in text and row.kind in text
    assert f"{total_params(name):,}" in text
    assert "N = (W − F + 2P)/S + 1" in text


@pytest.mark.parametrize("name", ALL)
def test_one_sgd_step_lowers_loss(name: str) -> None:
    torch.manual_seed(3)
    model = create_model(name).train()
    x = torch.randn(16, 1, 28, 28)
    y = torch.randint(0, 10, (16,))
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)

    def loss() -> torch.Tensor:
        torch.manual_seed(4)  # same dropout mask before and after the step
        return F.cross_entropy(model(x), y)

    before = loss()
    before.backward()
    optimiser.step()
    with torch.no_grad():
        after = loss()
    assert after.item() < before.item()


# --------------------------------------------------------------------------- lenet5


def test_lenet5_layer_shapes() -> None:
    rows = summary("lenet5")
    assert [row.name for row in rows] == list(LENET5_SHAPES)
    assert {row.name: row.output_shape for row in rows} == LENET5_SHAPES
    kinds = {row.name: row.kind for row in rows}
    assert kinds["C1"].startswith("Conv2d 1→6 k5 p2")
    assert kinds["S2"].startswith("MaxPool2d 2×2")
    assert kinds["F6"].startswith("Linear 120→84")


@pytest.mark.parametrize("shape", [(5, 6, 28, 28), (4, 16, 10, 10), (1, 6, 28, 28), (6, 4, 7, 9)])
@pytest.mark.parametrize("channels_last", [False, True])
def test_fast_max_pool_equals_max_pool2d_without_grad(shape, channels_last) -> None:
    x = torch.randn(shape)
    x[0, 0, 0, 0] = float("nan")  # NaN propagates as in max_pool2d
    if channels_last:
        x = x.to(memory_format=torch.channels_last)
    with torch.inference_mode():
        fast = MaxPool2x2()(x)
    expected = F.max_pool2d(x, 2)
    assert fast.shape == expected.shape
    assert torch.equal(fast.nan_to_num(7.0), expected.nan_to_num(7.0))


def test_fast_max_pool_keeps_max_pool2d_gradients_when_training() -> None:
    x = torch.randn(2, 6, 28, 28, requires_grad=True)
    MaxPool2x2()(x).sum().backward()
    reference = x.detach().clone().requires_grad_()
    F.max_pool2d(reference, 2).sum().backward()
    assert torch.equal(x.grad, reference.grad)


# --------------------------------------------------------------------------- lenet5-1998


def test_lenet5_1998_parameters_match_the_paper() -> None:
    params = {row.name: row.params for row in summary("lenet5-1998")}
    for layer, count in PAPER_PARAMS.items():
        assert params[layer] == count, layer
    assert params["output"] == 84 * 10 + 10
    model = create_model("lenet5-1998")
    assert _trainable(model) == sum(params.values()) == 60_850


def test_lenet5_1998_shapes() -> None:
    shapes = {row.name: row.output_shape for row in summary("lenet5-1998")}
    assert shapes["pad"] == (1, 32, 32)
    assert shapes["C1"] == (6, 28, 28)
    assert shapes["S2"] == (6, 14, 14)
    assert shapes["C3"] == (16, 10, 10)
    assert shapes["S4"] == (16, 5, 5)
    assert shapes["C5"] == (120, 1, 1)


def test_c3_connection_table_is_the_papers() -> None:
    c3 = _c3(create_model("lenet5-1998"))
    assert c3.connections == 60
    assert int(c3.mask.sum()) == 60
    for o in range(6):
        assert set(C3_TABLE[o]) == {o % 6, (o + 1) % 6, (o + 2) % 6}
        assert set(C3_TABLE[6 + o]) == {(o + k) % 6 for k in range(4)}
    assert [set(t) for t in C3_TABLE[12:15]] == [{0, 1, 3, 4}, {1, 2, 4, 5}, {0, 2, 3, 5}]
    assert set(C3_TABLE[15]) == set(range(6))
    for o, inputs in enumerate(C3_TABLE):
        assert c3.mask[o].nonzero().flatten().tolist() == sorted(inputs)
    # Only the connected kernels are parameters; the mask buffers stay out of checkpoints.
    assert tuple(c3.weight.shape) == (60, 5, 5)
    assert not any(key.endswith(("mask", "_flat_index")) for key in c3.state_dict())


def test_c3_unconnected_kernels_stay_zero_after_training() -> None:
    torch.manual_seed(5)
    model = create_model("lenet5-1998").train()
    c3 = _c3(model)
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x, y = torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,))
    for _ in range(3):
        optimiser.zero_grad()
        F.cross_entropy(model(x), y).backward()
        assert c3.weight.grad is not None and c3.weight.grad.abs().sum() > 0
        optimiser.step()
    dense = c3.dense_weight().detach()
    assert tuple(dense.shape) == (16, 6, 5, 5)
    assert torch.all(dense[~c3.mask] == 0)
    assert torch.all(dense[c3.mask].abs().sum(dim=(-1, -2)) > 0)


def test_c3_unconnected_inputs_have_no_influence() -> None:
    torch.manual_seed(6)
    c3 = _c3(create_model("lenet5-1998"))
    x = torch.randn(2, 6, 14, 14, requires_grad=True)
    out = c3(x)
    for o, inputs in enumerate(C3_TABLE):
        (grad,) = torch.autograd.grad(out[:, o].sum(), x, retain_graph=True)
        seen = grad.abs().sum(dim=(0, 2, 3)) > 0
        assert seen.nonzero().flatten().tolist() == sorted(inputs), o

    # Map 0 sees S2 maps 0, 1, 2: shaking map 4 must leave it alone, shaking map 1 must not.
    with torch.no_grad():
        base = c3(x)
        shaken = x.clone()
        shaken[:, 4] += 10 * torch.randn(2, 14, 14)
        moved = c3(shaken)
        torch.testing.assert_close(moved[:, 0], base[:, 0], rtol=0, atol=1e-5)
        assert not torch.allclose(moved[:, 4], base[:, 4])  # map 4 sees {0, 4, 5}
        shaken = x.clone()
        shaken[:, 1] += 10 * torch.randn(2, 14, 14)
        assert not torch.allclose(c3(shaken)[:, 0], base[:, 0])


def test_a_whole_map_convolution_is_the_convolution_it_replaces():
    """LeNet-5's C5 runs as a matrix product; it must give the convolution's result and
    gradients, for channels-last and contiguous tensors, and fall back for other input sizes."""
    from lenet_app.core.models import WholeMapConv2d

    torch.manual_seed(0)
    whole = WholeMapConv2d(16, 120, kernel_size=5)
    plain = torch.nn.Conv2d(16, 120, kernel_size=5)
    plain.load_state_dict(whole.state_dict())
    for memory_format in (torch.channels_last, torch.contiguous_format):
        whole.to(memory_format=memory_format)
        x = torch.randn(7, 16, 5, 5).contiguous(memory_format=memory_format).requires_grad_()
        y = whole(x)
        assert y.shape == (7, 120, 1, 1)
        torch.testing.assert_close(y, plain(x))
        (grad_x,) = torch.autograd.grad(y.square().sum(), x)
        (expected,) = torch.autograd.grad(plain(x).square().sum(), x)
        torch.testing.assert_close(grad_x, expected)
    big = torch.randn(2, 16, 9, 9)
    torch.testing.assert_close(whole(big), plain(big))  # 5×5 output: the general convolution
