"""The training loop shared by the GUI, the CLI and the benchmarks.

`Trainer.run()` is a generator of small plain-Python events, so a caller on any thread can
forward them (the GUI worker turns them into Qt signals; the CLI prints them). Data goes to
the training device once as uint8; each batch is an index slice of a per-epoch permutation,
normalised (and augmented) on the device. Stop/pause are honoured between batches.

A fine-tune (`init_from`, `own_digits`: `core.finetune`) starts from a trained model's weights,
puts a fixed share of the user's digits into every batch, and reports before and after.

Given a `snapshot_digit`, the run also yields `Snapshot`s: what the network makes of that one
digit (every layer's activations, every convolution's kernels) before the first batch, about
once a second, at every epoch's end and when stopped, so a viewer can watch the kernels learn.
"""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from lenet_app.core import optim, runtime
from lenet_app.core.activations import activations
from lenet_app.core.augment import augment_batch
from lenet_app.core.checkpoint import (
    CheckpointError,
    TrainedModel,
    build_payload,
    module_from_payload,
    read_payload,
    save_checkpoint,
)
from lenet_app.core.config import ConfigError, TrainConfig, TrainingError
from lenet_app.core.devices import available_devices, device_present, resolve_device
from lenet_app.core.errors import LenetError, is_out_of_memory
from lenet_app.core.evaluation import NUM_CLASSES, evaluate_tensors
from lenet_app.core.i18n import _
from lenet_app.core.finetune import Finetune, start_weights
from lenet_app.core.memory import release_free_memory
from lenet_app.core.mnist import MnistSplit, digit_tensor, normalize
from lenet_app.core.models import create_model
from lenet_app.core.training_events import (
    SNAPSHOT_DIGIT_INDEX,
    BatchProgress,
    Diverged,
    EpochEnd,
    Failed,
    FinetuneEnd,
    FinetuneStart,
    Finished,
    Snapshot,
    Stopped,
    TrainingEvent,
    describe_batch,
    describe_epoch,
    describe_stopped,
    describe_finetune,
    describe_finetune_start,
    fixed_test_digit,
)

# The events and devices are re-exported: `core.training` is the one import a caller of a run needs.
__all__ = [
    "BatchProgress", "ConfigError", "Diverged", "EpochEnd", "Failed", "FinetuneEnd", "FinetuneStart", "Finished",
    "SNAPSHOT_DIGIT_INDEX", "SNAPSHOT_INTERVAL_S", "Snapshot", "Stopped", "TrainConfig", "Trainer", "TrainingError",
    "TrainingEvent", "augment_batch", "available_devices", "describe_batch", "device_present", "describe_epoch",
    "describe_finetune", "describe_finetune_start", "fixed_test_digit", "learning_rate", "make_optimizer",
    "resolve_device",
]

#: At most one `Snapshot` per this many seconds of training, besides those at epoch ends.
SNAPSHOT_INTERVAL_S = 1.0


# --- helpers --------------------------------------------------------------------------------


def learning_rate(config: TrainConfig, step: int, total_steps: int, steps_per_epoch: int) -> float:
    """The schedule as a pure function of the step, so a resumed run continues exactly."""
    if config.schedule == "step":
        return config.lr * config.step_gamma ** (step // max(steps_per_epoch, 1))
    if config.schedule == "onecycle":
        # Same shape as torch's OneCycleLR (cosine up for `warmup`, cosine down), kept stateless.
        warm = max(int(config.warmup * total_steps), 1)
        start, peak, end = config.lr / 25.0, config.lr, config.lr / 25.0 / 1e4
        if step < warm:
            t = step / warm
            return start + (peak - start) * (1 - math.cos(math.pi * t)) / 2
        t = min((step - warm) / max(total_steps - warm, 1), 1.0)
        return end + (peak - end) * (1 + math.cos(math.pi * t)) / 2
    return config.lr


def make_optimizer(config: TrainConfig, model: nn.Module) -> optim.Optimizer:
    params = [p for p in model.parameters() if p.requires_grad]
    if config.optimizer == "sgd":
        return optim.SGD(params, lr=config.lr, momentum=config.momentum, weight_decay=config.weight_decay)
    return optim.Adam(params, lr=config.lr, betas=(0.9, config.beta2), weight_decay=config.weight_decay)


def _loss(config: TrainConfig, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    if config.loss == "mse":
        target = F.one_hot(labels, NUM_CLASSES).to(logits.dtype)
        return F.mse_loss(logits, target)
    return F.cross_entropy(logits, labels, label_smoothing=config.label_smoothing)


def _subset(split: MnistSplit, size: int, seed: int) -> MnistSplit:
    if not size or size >= len(split):
        return split
    rng = np.random.default_rng(seed)
    index = np.sort(rng.choice(len(split), size=size, replace=False))
    return MnistSplit(split.name, split.images[index], split.labels[index])


# --- the trainer ----------------------------------------------------------------------------


class Trainer:
    """One training run. Create, iterate `run()`, and call stop/pause/resume from any thread.

    Creating a Trainer is cheap and does not touch torch, the device or the files: the GUI
    builds one on its own thread, and stop/pause work even before `run()` starts. The
    expensive part (reading a checkpoint to resume from, choosing the device, building the
    model on it) is `prepare()`, which `run()` calls first; call it yourself to know the
    device and the resumed recipe before the first batch.

    `snapshot_digit` (28×28 uint8 pixels) turns on `Snapshot` events of that digit; None (the
    CLI's choice) gives none. A snapshot's pass runs in eval mode under inference mode and puts
    the model back in train mode, so it changes neither the weights nor the random streams.

    `init_from` starts from that model's weights (copied; its architecture must be the
    config's); `own_digits` mixes the user's digits into every batch and reports before/after.
    """

    def __init__(
        self,
        config: TrainConfig,
        train: MnistSplit,
        test: MnistSplit,
        checkpoint_path: str | Path | None = None,
        resume_from: str | Path | None = None,
        evaluate_each_epoch: bool = True,
        snapshot_digit: np.ndarray | None = None,
        init_from: TrainedModel | None = None,
        own_digits: MnistSplit | None = None,
    ) -> None:
        config.validate()
        if init_from is not None and resume_from is not None:
            raise TrainingError(_("a run either resumes a checkpoint or fine-tunes a model, not both"))
        if snapshot_digit is not None and np.shape(snapshot_digit) != (28, 28):
            raise ValueError(f"snapshot_digit must be 28×28 pixels, got {np.shape(snapshot_digit)}")
        self.snapshot_digit = None if snapshot_digit is None else np.array(snapshot_digit, dtype=np.uint8)
        self._stop = threading.Event()
        self._evaluate_on_stop = True
        self._running = threading.Event()
        self._running.set()
        self._prepared = False
        self._last_good: dict[str, torch.Tensor] | None = None
        self.config = config
        self.checkpoint_path = Path(checkpoint_path) if checkpoint_path else None
        self.resume_from = Path(resume_from) if resume_from is not None else None
        self.evaluate_each_epoch = evaluate_each_epoch
        self.train_split = train  # the subset, if any, is drawn by prepare()
        self.test_split = test
        self.device: torch.device | None = None
        self.start_epoch = 0
        self.epochs_done = 0
        self.global_step = 0
        self.test_accuracy: float | None = None
        fine_tuning = init_from is not None or own_digits is not None
        self.finetune = Finetune(init_from, own_digits) if fine_tuning else None
        self._snapshot_input: torch.Tensor | None = None  # the normalised snapshot digit, during run()
        self._snapshot_time = 0.0
        self._steps_per_epoch = 0

    def prepare(self) -> None:
        """Resume state, device, model and optimiser; idempotent. Raises `LenetError` for what
        the user can fix (a bad checkpoint, a missing device)."""
        if self._prepared:
            return
        config = self.config
        payload: dict[str, Any] | None = None
        resume_state: dict[str, Any] | None = None
        if self.resume_from is not None:
            payload = read_payload(self.resume_from)
            resume_state = payload.get("training_state")
            if not isinstance(resume_state, dict):
                raise CheckpointError(_("{path}: holds no training state to resume from (it is an exported "
                                        "model, not a training checkpoint)").format(path=self.resume_from))
            config = TrainConfig.from_dict({**payload["metadata"].get("config", {}),
                                            "epochs": config.epochs, "device": config.device,
                                            "threads": config.threads})
            config.validate()
        device = resolve_device(config.device)
        torch.manual_seed(config.seed)
        if payload is not None:
            model = module_from_payload(payload, str(self.resume_from))
            model.train()
        elif self.finetune is not None and self.finetune.init_from is not None:
            model = start_weights(self.finetune.init_from, config.architecture)
        else:
            model = create_model(config.architecture)
        self.config, self.model = config, model
        self._last_good = self._copy_weights()  # on the CPU, before anything can fail on the device
        self.device = device
        model.to(device)
        optimizer = make_optimizer(config, model)
        generator = torch.Generator(device="cpu")
        generator.manual_seed(config.seed)
        if resume_state is not None:
            try:
                optimizer.load_state_dict(resume_state["optimizer"])
                self.start_epoch = int(resume_state["epoch"])
                self.global_step = int(resume_state["global_step"])
                generator.set_state(resume_state["generator"])
                self.test_accuracy = payload["metadata"].get("test_accuracy")
            except (KeyError, ValueError, RuntimeError, TypeError) as exc:
                raise CheckpointError(_("{path}: training state is incomplete or does not fit this model")
                                      .format(path=self.resume_from)) from exc
            if self.start_epoch >= config.epochs:
                raise TrainingError(_("the checkpoint already has {epochs} epochs; ask for more than {epochs} "
                                      "epochs to continue").format(epochs=self.start_epoch))
        self.epochs_done = self.start_epoch
        self.optimizer, self.generator = optimizer, generator
        self.train_split = _subset(self.train_split, config.subset, config.seed)
        if self.finetune is not None:
            self.finetune.prepare()
        self._prepared = True

    # thread-safe controls
    def stop(self, evaluate: bool = True) -> None:
        """Stop between batches; `evaluate=False` skips measuring the stopped model (app closing)."""
        self._evaluate_on_stop = evaluate
        self._stop.set()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def _copy_weights(self) -> dict[str, torch.Tensor]:
        return {k: v.detach().clone() for k, v in self.model.state_dict().items()}

    def _restore_last_good(self) -> None:
        if self._last_good is not None:
            self.model.load_state_dict(self._last_good)

    def _wait_if_paused(self) -> None:
        while not self._running.wait(timeout=0.1):
            pass

    def trained_model(self) -> TrainedModel | None:
        """The last good weights as an inference model (CPU copy, eval mode); None when the run
        failed before it had a model (e.g. an unusable checkpoint to resume from)."""
        if self._last_good is None:
            return None
        module = create_model(self.config.architecture)
        module.load_state_dict({k: v.to("cpu") for k, v in self._last_good.items()})
        module.eval()
        return TrainedModel(self.config.architecture, module, self._metadata())

    def _metadata(self) -> dict[str, Any]:
        meta = {"config": self.config.to_dict(), "epochs_trained": self.epochs_done,
                "test_accuracy": self.test_accuracy, "trained_on": str(self.device)}
        if self.finetune is not None:
            meta["finetune"] = self.finetune.metadata()
        return meta

    def _write_checkpoint(self) -> str | None:
        if self.checkpoint_path is None:
            return None
        state = {"epoch": self.epochs_done, "global_step": self.global_step,
                 "optimizer": self.optimizer.state_dict(), "generator": self.generator.get_state()}
        payload = build_payload(self.config.architecture, self.model, self._metadata(), state)
        save_checkpoint(self.checkpoint_path, payload)
        return str(self.checkpoint_path)

    def run(self) -> Iterator[TrainingEvent]:
        """Prepare (if not done yet), then train; always ends with exactly one of Finished,
        Stopped, Diverged or Failed (a problem the user can fix, including out of memory)."""
        try:
            self.prepare()
            if self.device.type == "cpu":
                torch.set_num_threads(self.config.threads or runtime.default_threads())
            yield from self._run()
        except LenetError as exc:
            yield Failed(str(exc))
        except (torch.cuda.OutOfMemoryError, RuntimeError) as exc:
            if not (isinstance(exc, torch.cuda.OutOfMemoryError) or is_out_of_memory(exc)):
                raise
            self._restore_last_good()
            yield Failed(_("out of memory on {device} with batch size {batch_size}; try a smaller batch size")
                         .format(device=self.device, batch_size=self.config.batch_size))
        finally:
            release_free_memory()  # the run's batches and evaluations, kept by glibc otherwise

    def _run(self) -> Iterator[TrainingEvent]:
        config, device = self.config, self.device
        images = torch.from_numpy(self.train_split.images).to(device)
        labels = torch.from_numpy(self.train_split.labels.astype(np.int64)).to(device)
        test_images = torch.from_numpy(self.test_split.images).to(device)
        test_labels = torch.from_numpy(self.test_split.labels.astype(np.int64)).to(device)
        n = images.shape[0]
        own = self.finetune.batches(config.own_share, config.batch_size, device) if self.finetune else None
        mnist_per_batch = config.batch_size - (own.per_batch if own else 0)
        steps_per_epoch = math.ceil(n / mnist_per_batch)
        total_steps = steps_per_epoch * config.epochs
        self.epochs_done = self.start_epoch
        self._steps_per_epoch = steps_per_epoch
        digit = self.snapshot_digit
        self._snapshot_input = None if digit is None else digit_tensor(digit)
        run_start = time.perf_counter()
        train_seconds = 0.0
        trained_images = 0
        self.model.train()
        if own is not None:
            self.test_accuracy = self.finetune.score(self.model, self.test_split).mnist_test
            yield FinetuneStart(self.finetune.before, len(self.finetune.own_train))
        if self._snapshot_input is not None:
            yield self._network_snapshot(self.start_epoch + 1, 0)
        for epoch in range(self.start_epoch + 1, config.epochs + 1):
            epoch_start = time.perf_counter()
            permutation = torch.randperm(n, generator=self.generator).to(device)
            loss_sum = torch.zeros((), dtype=torch.float64, device=device)
            correct = torch.zeros((), dtype=torch.int64, device=device)
            seen, active = 0, 0.0
            for step in range(steps_per_epoch):
                if self._stop.is_set():
                    yield from self._stopped(epoch, step)
                    return
                if not self._running.is_set():
                    self._wait_if_paused()
                    if self._stop.is_set():
                        yield from self._stopped(epoch, step)
                        return
                t0 = time.perf_counter()
                index = permutation[step * mnist_per_batch:(step + 1) * mnist_per_batch]
                x, y = images[index], labels[index]
                if own is not None:
                    x, y = own.mix(x, y, self.generator)
                x = normalize(x)
                if config.augment:
                    x = augment_batch(x, self.generator)
                lr = learning_rate(config, self.global_step, total_steps, steps_per_epoch)
                for group in self.optimizer.param_groups:
                    group["lr"] = lr
                logits = self.model(x)
                loss = _loss(config, logits, y)
                loss_value = loss.item()
                if not math.isfinite(loss_value):
                    self._restore_last_good()
                    yield Diverged(epoch, step + 1,
                                   _("training diverged at epoch {epoch}, batch {step}: the loss became {loss} "
                                     "(learning rate {lr:.3g} is probably too high); the last good weights were "
                                     "kept").format(epoch=epoch, step=step + 1, loss=loss_value, lr=lr))
                    return
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                self.optimizer.step()
                batch = y.shape[0]
                seen += batch
                loss_sum += loss.detach().double() * batch
                correct += (logits.detach().argmax(1) == y).sum()
                self.global_step += 1
                trained_images += batch
                active += time.perf_counter() - t0
                rate = ((step + 1) * config.batch_size) / max(active, 1e-9)
                remaining = (total_steps - self.global_step) * config.batch_size / max(rate, 1e-9)
                yield BatchProgress(epoch, config.epochs, step + 1, steps_per_epoch, self.global_step,
                                    loss_value, lr, rate, time.perf_counter() - run_start, remaining)
                if (self._snapshot_input is not None
                        and time.perf_counter() - self._snapshot_time >= SNAPSHOT_INTERVAL_S):
                    yield self._network_snapshot(epoch, step + 1)
            epoch_train_seconds = time.perf_counter() - epoch_start
            train_seconds += epoch_train_seconds
            train_loss = (loss_sum / seen).item()
            train_accuracy = correct.item() / seen
            test_loss, test_accuracy = float("nan"), float("nan")
            if self.evaluate_each_epoch and len(self.test_split):
                probabilities, test_loss = evaluate_tensors(self.model, test_images, test_labels)
                test_accuracy = (probabilities.argmax(1) == test_labels).float().mean().item()
                self.test_accuracy = test_accuracy
            if not math.isfinite(train_loss):
                self._restore_last_good()
                yield Diverged(epoch, steps_per_epoch, _("training diverged: the epoch's weights hold NaN values; "
                                                         "the last good weights were kept"))
                return
            self.epochs_done = epoch
            self._last_good = self._copy_weights()
            checkpoint = self._write_checkpoint()
            if self._snapshot_input is not None:
                yield self._network_snapshot(epoch, steps_per_epoch)
            yield EpochEnd(epoch, config.epochs, train_loss, train_accuracy, test_loss, test_accuracy,
                           epoch_train_seconds, time.perf_counter() - epoch_start,
                           seen / max(epoch_train_seconds, 1e-9), checkpoint)
        yield from self._finetune_end()
        yield Finished(self.epochs_done, self.test_accuracy if self.test_accuracy is not None
                       else float("nan"), train_seconds, time.perf_counter() - run_start)

    def _network_snapshot(self, epoch: int, step: int) -> Snapshot:
        """The fixed digit through the model as it is now (about a millisecond)."""
        assert self._snapshot_input is not None
        result = activations(self.model, self._snapshot_input, self.config.architecture)
        self._snapshot_time = time.perf_counter()
        return Snapshot(epoch, self.config.epochs, step, self._steps_per_epoch, self.global_step, result)

    def _stopped(self, epoch: int, step: int) -> Iterator[TrainingEvent]:
        """Keep what was learned so far: the weights are finite (every loss was checked)."""
        self._last_good = self._copy_weights()
        if self.evaluate_each_epoch and self._evaluate_on_stop and len(self.test_split):
            images = torch.from_numpy(self.test_split.images).to(self.device)
            labels = torch.from_numpy(self.test_split.labels.astype(np.int64)).to(self.device)
            probabilities = evaluate_tensors(self.model, images, labels)[0]
            self.test_accuracy = (probabilities.argmax(1) == labels).float().mean().item()
        if self._snapshot_input is not None and self._evaluate_on_stop:  # not when the app closes
            yield self._network_snapshot(epoch, step)
        if self._evaluate_on_stop:
            yield from self._finetune_end()
        yield Stopped(self.epochs_done, describe_stopped(self.epochs_done))

    def _finetune_end(self) -> Iterator[TrainingEvent]:
        """A fine-tune's scores after, kept in the metadata (and the checkpoint, rewritten)."""
        if self.finetune is not None and self.finetune.before is not None:
            after = self.finetune.score(self.model, self.test_split)
            self._write_checkpoint()
            yield FinetuneEnd(self.finetune.before, after)
