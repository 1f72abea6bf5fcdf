"""Adam and SGD with momentum, with torch.optim's maths and state_dict layout.

Why not torch.optim: every `torch.optim` optimizer imports `torch._dynamo` when it is built
and on every step (torch 2.x), which costs seconds and a lot of memory on first use, in the
app when Start is pressed. These two need a handful of `_foreach_` ops per step and train at
least as fast (figures in benchmarks/NOTES.md).
Their state_dicts have torch.optim's layout, so training checkpoints stay interchangeable,
and tests compare every step with torch.optim's result.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import torch


class Optimizer:
    """One parameter group; `param_groups[0]["lr"]` may be changed between steps (schedules)."""

    #: Per-parameter state, by their torch.optim names.
    STATE_KEYS: tuple[str, ...] = ()
    #: torch.optim's options that these optimizers fix (kept in the group for its layout).
    FIXED: dict[str, Any] = {"maximize": False, "foreach": None, "differentiable": False, "fused": None}

    def __init__(self, params: Iterable[torch.Tensor], **group: Any) -> None:
        self.params = [p for p in params]
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        self.param_groups = [{**group, **self.FIXED, "params": list(range(len(self.params)))}]
        self.state: dict[int, dict[str, torch.Tensor]] = {}
        self._fused_for: int | None = None  # Adam: the weight count its fused kernel was checked for

    @property
    def group(self) -> dict[str, Any]:
        return self.param_groups[0]

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.zero_()

    def _with_grads(self) -> list[int]:
        return [i for i, p in enumerate(self.params) if p.grad is not None]

    def state_dict(self) -> dict[str, Any]:
        return {"state": {i: {k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in s.items()}
                          for i, s in self.state.items()},
                "param_groups": [dict(self.group, params=list(self.group["params"]))]}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Accepts this class's state and torch.optim's; ValueError/KeyError when it doesn't fit."""
        groups = state_dict["param_groups"]
        if len(groups) != 1 or len(groups[0]["params"]) != len(self.params):
            raise ValueError("the saved optimizer state is for a different set of parameters")
        for key, value in self.FIXED.items():
            if key in groups[0] and bool(groups[0][key]) != bool(value) and key not in ("foreach", "fused"):
                raise ValueError(f"the saved optimizer state uses {key}={groups[0][key]!r}, "
                                 "which this app's optimizer does not support")
        new_state: dict[int, dict[str, Any]] = {}
        for i, saved_id in enumerate(groups[0]["params"]):  # saved ids, in parameter order
            saved = state_dict["state"].get(saved_id)
            if saved is None:
                continue
            p = self.params[i]
            entry: dict[str, Any] = {}
            for key in self.STATE_KEYS:
                value = saved[key]
                if key == "step":
                    entry[key] = torch.tensor(float(value), dtype=torch.float32)
                elif value is None:
                    entry[key] = None
                elif not isinstance(value, torch.Tensor) or value.shape != p.shape:
                    raise ValueError(f"saved {key} of parameter {i} does not fit its shape {tuple(p.shape)}")
                else:
                    entry[key] = value.to(device=p.device, dtype=p.dtype).clone(
                        memory_format=torch.preserve_format)
            new_state[i] = entry
        self.group.update({k: v for k, v in groups[0].items() if k != "params" and k in self.group})
        self.state = new_state
        self._fused_for = None


class Adam(Optimizer):
    """torch.optim.Adam (no amsgrad, L2 weight decay added to the gradient)."""

    STATE_KEYS = ("step", "exp_avg", "exp_avg_sq")
    FIXED = {**Optimizer.FIXED, "amsgrad": False, "capturable": False, "decoupled_weight_decay": False}

    def __init__(self, params: Iterable[torch.Tensor], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay)

    @torch.no_grad()
    def step(self) -> None:
        active = self._with_grads()
        if not active:
            return
        lr, (beta1, beta2) = self.group["lr"], self.group["betas"]
        eps, weight_decay = self.group["eps"], self.group["weight_decay"]
        params = [self.params[i] for i in active]
        grads = [p.grad for p in params]
        states = [self._state(i) for i in active]
        if self._fusable(params, states):
            # torch.optim.Adam(fused=True)'s kernel: one pass over every weight instead of a
            # dozen operations per step, the same maths.
            torch._foreach_add_([s["step"] for s in states], 1)
            torch._fused_adam_(params, grads, [s["exp_avg"] for s in states],
                               [s["exp_avg_sq"] for s in states], [], [s["step"] for s in states],
                               lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps,
                               amsgrad=False, maximize=False)
            return
        if weight_decay:
            grads = torch._foreach_add(grads, params, alpha=weight_decay)
        exp_avgs = [s["exp_avg"] for s in states]
        exp_avg_sqs = [s["exp_avg_sq"] for s in states]
        torch._foreach_lerp_(exp_avgs, grads, 1 - beta1)
        torch._foreach_mul_(exp_avg_sqs, beta2)
        torch._foreach_addcmul_(exp_avg_sqs, grads, grads, 1 - beta2)
        for state in states:
            state["step"] += 1
        denominators = torch._foreach_sqrt(exp_avg_sqs)
        steps = [int(state["step"].item()) for state in states]
        if len(set(steps)) == 1:  # the usual case: every parameter had a gradient every step
            bias_correction1 = 1 - beta1 ** steps[0]
            torch._foreach_div_(denominators, math.sqrt(1 - beta2 ** steps[0]))
            torch._foreach_add_(denominators, eps)
            torch._foreach_addcdiv_(params, exp_avgs, denominators, value=-lr / bias_correction1)
            return
        for p, exp_avg, denominator, step in zip(params, exp_avgs, denominators, steps):
            denominator.div_(math.sqrt(1 - beta2 ** step)).add_(eps)
            p.addcdiv_(exp_avg, denominator, value=-lr / (1 - beta1 ** step))

    def _fusable(self, params: list[torch.Tensor], states: list[dict[str, Any]]) -> bool:
        """Whether the fused kernel applies: every weight float32 and on one device with its step
        counter, all stepped together so far. Checked again after any step or state load that
        took another path."""
        key = len(params)
        if self._fused_for == key:
            return True
        fusable = (hasattr(torch, "_fused_adam_") and len(params) == len(self.params)
                   and all(p.dtype == torch.float32 and p.device.type in ("cpu", "cuda")
                           and p.device == params[0].device for p in params)
                   and len({float(s["step"]) for s in states}) == 1
                   and all(s["step"].device == params[0].device for s in states))
        self._fused_for = key if fusable else None
        return fusable

    def _state(self, i: int) -> dict[str, Any]:
        state = self.state.get(i)
        if state is None:
            p = self.params[i]
            state = self.state[i] = {
                "step": torch.zeros((), dtype=torch.float32),
                "exp_avg": torch.zeros_like(p, memory_format=torch.preserve_format),
                "exp_avg_sq": torch.zeros_like(p, memory_format=torch.preserve_format)}
        return state


class SGD(Optimizer):
    """torch.optim.SGD with momentum (no dampening, no Nesterov) and L2 weight decay."""

    STATE_KEYS = ("momentum_buffer",)
    FIXED = {**Optimizer.FIXED, "dampening": 0, "nesterov": False}

    def __init__(self, params: Iterable[torch.Tensor], lr: float = 1e-2, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr=lr, momentum=momentum, weight_decay=weight_decay)

    @torch.no_grad()
    def step(self) -> None:
        active = self._with_grads()
        if not active:
            return
        lr, momentum, weight_decay = self.group["lr"], self.group["momentum"], self.group["weight_decay"]
        params = [self.params[i] for i in active]
        grads = [p.grad for p in params]
        if weight_decay:
            grads = torch._foreach_add(grads, params, alpha=weight_decay)
        if momentum:
            buffers = []
            for i, grad in zip(active, grads):
                state = self.state.setdefault(i, {"momentum_buffer": None})
                if state["momentum_buffer"] is None:  # torch.optim starts it at the first gradient
                    state["momentum_buffer"] = grad.detach().clone(memory_format=torch.preserve_format)
                    buffers.append(None)
                else:
                    buffers.append(state["momentum_buffer"])
            continuing = [i for i, buffer in enumerate(buffers) if buffer is not None]
            if continuing:
                torch._foreach_mul_([buffers[i] for i in continuing], momentum)
                torch._foreach_add_([buffers[i] for i in continuing], [grads[i] for i in continuing])
            grads = [self.state[i]["momentum_buffer"] for i in active]
        torch._foreach_add_(params, grads, alpha=-lr)
