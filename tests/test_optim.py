"""Our Adam and SGD step exactly as torch.optim's, share its state_dict layout, and keep
training free of torch._dynamo (which torch.optim imports: 1.4-3 s and ~150 MB)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

from lenet_app.core import optim
from lenet_app.core.models import create_model

CASES = [
    ("adam", {"lr": 0.006}),
    ("adam", {"lr": 0.01, "weight_decay": 1e-3}),
    ("sgd", {"lr": 0.05, "momentum": 0.9}),
    ("sgd", {"lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4}),
    ("sgd", {"lr": 0.1}),
]


def _pair(kind, options, model_name="lenet5"):
    torch.manual_seed(0)
    ours_model = create_model(model_name)
    theirs_model = create_model(model_name)
    theirs_model.load_state_dict(ours_model.state_dict())
    ours = (optim.Adam if kind == "adam" else optim.SGD)(ours_model.parameters(), **options)
    theirs = (torch.optim.Adam if kind == "adam" else torch.optim.SGD)(theirs_model.parameters(), **options)
    return ours_model, ours, theirs_model, theirs


def _step(model, optimizer, seed, lr=None):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(16, 1, 28, 28, generator=generator)
    y = torch.randint(0, 10, (16,), generator=generator)
    if lr is not None:
        optimizer.param_groups[0]["lr"] = lr
    optimizer.zero_grad(set_to_none=True)
    F.cross_entropy(model(x), y).backward()
    optimizer.step()


def _assert_same(a, b):
    for (name, p), q in zip(a.named_parameters(), b.parameters()):
        torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-6, msg=name)


@pytest.mark.parametrize(("kind", "options"), CASES)
@pytest.mark.parametrize("model_name", ["lenet5", "lenet5-1998"])
def test_steps_match_torch_optim(kind, options, model_name):
    ours_model, ours, theirs_model, theirs = _pair(kind, options, model_name)
    for seed in range(8):
        lr = options["lr"] * (1 + seed) / 8  # a schedule changes lr between steps
        _step(ours_model, ours, seed, lr)
        _step(theirs_model, theirs, seed, lr)
    _assert_same(ours_model, theirs_model)
    for p in ours_model.parameters():  # channels-last weights stay channels-last
        if p.dim() == 4 and model_name == "lenet5":
            assert p.is_contiguous(memory_format=torch.channels_last)


@pytest.mark.parametrize(("kind", "options"), CASES)
def test_state_dicts_are_interchangeable_with_torch_optim(kind, options):
    ours_model, ours, theirs_model, theirs = _pair(kind, options)
    for seed in range(3):
        _step(ours_model, ours, seed)
        _step(theirs_model, theirs, seed)
    # torch.optim's state into ours (checkpoints written by earlier versions), and back.
    resumed_model = create_model("lenet5")
    resumed_model.load_state_dict(theirs_model.state_dict())
    resumed = (optim.Adam if kind == "adam" else optim.SGD)(resumed_model.parameters(), **options)
    resumed.load_state_dict(theirs.state_dict())
    back_model = create_model("lenet5")
    back_model.load_state_dict(ours_model.state_dict())
    back = (torch.optim.Adam if kind == "adam" else torch.optim.SGD)(back_model.parameters(), **options)
    back.load_state_dict(ours.state_dict())
    for seed in range(3, 6):
        for model, optimizer in ((resumed_model, resumed), (theirs_model, theirs),
                                 (back_model, back), (ours_model, ours)):
            _step(model, optimizer, seed)
    _assert_same(resumed_model, theirs_model)
    _assert_same(back_model, ours_model)
    _assert_same(ours_model, theirs_model)


def test_state_for_other_parameters_is_refused():
    model = create_model("lenet5")
    optimizer = optim.Adam(model.parameters())
    _step(model, optimizer, 0)
    other = optim.Adam(create_model("lenet-28").parameters())
    with pytest.raises(ValueError):
        other.load_state_dict(optimizer.state_dict())
    state = optimizer.state_dict()
    state["state"][0]["exp_avg"] = torch.zeros(3)
    with pytest.raises(ValueError, match="does not fit"):
        optim.Adam(create_model("lenet5").parameters()).load_state_dict(state)


def test_training_does_not_import_torch_dynamo(mnist_dir, tmp_path):
    code = f"""
import sys
from lenet_app.core.mnist import load_split
from lenet_app.core.training import TrainConfig, Trainer
test = load_split({str(mnist_dir)!r}, "test")
for optimizer in ("adam", "sgd"):
    trainer = Trainer(TrainConfig(epochs=1, subset=512, optimizer=optimizer), test, test,
                      checkpoint_path={str(tmp_path / "run.pt")!r})
    events = list(trainer.run())
    assert type(events[-1]).__name__ == "Finished", events[-1]
    Trainer(TrainConfig(epochs=2, subset=512, optimizer=optimizer), test, test,
            resume_from={str(tmp_path / "run.pt")!r})
print("torch._dynamo" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_torch_optim_settings_it_cannot_follow_are_refused():
    model = create_model("lenet5")
    theirs = torch.optim.Adam(model.parameters(), amsgrad=True)
    _step(model, theirs, 0)
    with pytest.raises(ValueError, match="amsgrad"):
        optim.Adam(create_model("lenet5").parameters()).load_state_dict(theirs.state_dict())


@pytest.mark.parametrize(("kind", "options"), CASES)
def test_parameters_without_a_gradient_on_some_steps(kind, options):
    """A parameter left out of a step keeps its own step count, as in torch.optim."""
    torch.manual_seed(1)
    start = [torch.randn(5), torch.randn(3, 2)]
    ours_params = [t.clone().requires_grad_() for t in start]
    theirs_params = [t.clone().requires_grad_() for t in start]
    ours = (optim.Adam if kind == "adam" else optim.SGD)(ours_params, **options)
    theirs = (torch.optim.Adam if kind == "adam" else torch.optim.SGD)(theirs_params, **options)
    for uses_second in (True, False, False, True, True):
        for params, optimizer in ((ours_params, ours), (theirs_params, theirs)):
            optimizer.zero_grad(set_to_none=True)
            loss = (params[0] ** 2).sum() + ((params[1] ** 3).sum() if uses_second else 0)
            loss.backward()
            optimizer.step()
    for a, b in zip(ours_params, theirs_params):
        torch.testing.assert_close(a, b)


def test_adam_takes_the_fused_kernel_on_the_cpu_and_leaves_it_when_a_weight_skips_a_step():
    model = create_model("lenet5")
    params = list(model.parameters())
    opt = optim.Adam(params, lr=0.01)
    for p in params:
        p.grad = torch.ones_like(p)
    opt.step()
    assert opt._fused_for == len(params)
    params[0].grad = None
    opt.step()  # the others step without it: their counts now differ from its count
    assert opt._fused_for is None
    params[0].grad = torch.ones_like(params[0])
    opt.step()
    assert opt._fused_for is None  # unequal step counts: the per-weight path, which handles them
