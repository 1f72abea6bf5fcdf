import math
import threading
import time

import numpy as np
import pytest
import torch

from lenet_app.core.checkpoint import load_checkpoint
from lenet_app.core.mnist import MnistSplit, load_split
from lenet_app.core.training import (
    BatchProgress,
    Diverged,
    EpochEnd,
    Failed,
    Finished,
    Snapshot,
    Stopped,
    TrainConfig,
    Trainer,
    TrainingError,
    augment_batch,
    fixed_test_digit,
    learning_rate,
    resolve_device,
)


@pytest.fixture(scope="module")
def data(mnist_dir):
    train = load_split(mnist_dir, "train")
    test = load_split(mnist_dir, "test")
    small_test = MnistSplit("test", test.images[:1000], test.labels[:1000])
    return train, small_test


def _synthetic(n=256, seed=0):
    rng = np.random.default_rng(seed)
    return MnistSplit("train", rng.integers(0, 255, (n, 28, 28), dtype=np.uint8),
                      rng.integers(0, 10, n).astype(np.int64))


def _losses(events):
    return [e.loss for e in events if isinstance(e, BatchProgress)]


def test_short_run_lowers_loss_and_reports_events(data):
    train, test = data
    config = TrainConfig(epochs=2, subset=2000, batch_size=64, threads=2)
    events = list(Trainer(config, train, test).run())
    losses = _losses(events)
    assert len(losses) == 2 * math.ceil(2000 / 64)
    assert np.mean(losses[-8:]) < 0.6 * np.mean(losses[:8])
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.epoch for e in epochs] == [1, 2]
    assert epochs[-1].test_accuracy > 0.8
    assert isinstance(events[-1], Finished)
    for event in events:  # plain Python values only, never live tensors
        assert all(not isinstance(v, torch.Tensor) for v in event.to_dict().values())


def test_same_seed_same_losses(data):
    train, test = data
    config = TrainConfig(epochs=1, subset=640, batch_size=64, seed=7, augment=True)
    first = _losses(Trainer(config, train, test, evaluate_each_epoch=False).run())
    second = _losses(Trainer(config, train, test, evaluate_each_epoch=False).run())
    assert first == second
    other = _losses(Trainer(TrainConfig(**{**config.to_dict(), "seed": 8}), train, test,
                            evaluate_each_epoch=False).run())
    assert other != first


@pytest.mark.parametrize("overrides", [
    dict(optimizer="sgd", lr=0.05, schedule="step", loss="mse"),
    dict(architecture="lenet5-1998", schedule="none"),
    dict(architecture="cnn-bn", augment=True),
])
def test_other_recipes_run(data, overrides):
    train, test = data
    config = TrainConfig(epochs=1, subset=256, batch_size=64, **overrides)
    events = list(Trainer(config, train, test).run())
    assert isinstance(events[-1], Finished)


def test_checkpoint_every_epoch_and_resume(data, tmp_path):
    train, test = data
    out = tmp_path / "run.pt"
    config = TrainConfig(epochs=1, subset=512, batch_size=64)
    list(Trainer(config, train, test, checkpoint_path=out).run())
    first = load_checkpoint(out)
    assert first.epochs_trained == 1
    resumed = Trainer(TrainConfig(epochs=2), train, test, checkpoint_path=out, resume_from=out)
    resumed.prepare()  # reads the checkpoint: its recipe and where it stopped
    assert resumed.start_epoch == 1 and resumed.config.subset == 512
    events = list(resumed.run())
    assert [e.epoch for e in events if isinstance(e, EpochEnd)] == [2]
    assert load_checkpoint(out).epochs_trained == 2


def test_checkpoint_written_before_the_rename_still_resumes(tmp_path):
    out = tmp_path / "old.pt"
    list(Trainer(TrainConfig(architecture="lenet-28", epochs=1, batch_size=64), _synthetic(),
                 _synthetic(64, 1), checkpoint_path=out).run())
    payload = torch.load(out, weights_only=True)
    config = payload["metadata"]["config"]
    config["model"] = config.pop("architecture")  # as version 0.1.0 wrote it
    torch.save(payload, out)
    resumed = Trainer(TrainConfig(epochs=2), _synthetic(), _synthetic(64, 1), resume_from=out)
    resumed.prepare()
    assert resumed.config.architecture == "lenet-28" and resumed.start_epoch == 1
    assert isinstance(list(resumed.run())[-1], Finished)


def test_resumed_run_matches_uninterrupted_run(data, tmp_path):
    train, test = data
    config = TrainConfig(epochs=2, subset=384, batch_size=64, seed=3)
    straight = _losses(Trainer(config, train, test, evaluate_each_epoch=False).run())
    out = tmp_path / "half.pt"
    half = _losses(Trainer(TrainConfig(**{**config.to_dict(), "epochs": 1}), train, test,
                           checkpoint_path=out, evaluate_each_epoch=False).run())
    rest = _losses(Trainer(TrainConfig(epochs=2), train, test, resume_from=out,
                           evaluate_each_epoch=False).run())
    # The one-cycle schedule depends on the total length, so compare with a step schedule too.
    assert len(half) + len(rest) == len(straight)
    step = TrainConfig(epochs=2, subset=384, batch_size=64, seed=3, schedule="none")
    straight = _losses(Trainer(step, train, test, evaluate_each_epoch=False).run())
    half = _losses(Trainer(TrainConfig(**{**step.to_dict(), "epochs": 1}), train, test,
                           checkpoint_path=out, evaluate_each_epoch=False).run())
    rest = _losses(Trainer(TrainConfig(epochs=2), train, test, resume_from=out,
                           evaluate_each_epoch=False).run())
    np.testing.assert_allclose(half + rest, straight, rtol=1e-5)


def test_divergence_keeps_last_good_weights():
    train = _synthetic()
    config = TrainConfig(epochs=3, batch_size=32, optimizer="sgd", lr=1e6, schedule="none")
    trainer = Trainer(config, train, _synthetic(64, 1))
    trainer.prepare()
    before = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    events = list(trainer.run())
    assert isinstance(events[-1], Diverged)
    assert "diverged" in events[-1].message
    for key, value in trainer.trained_model().module.state_dict().items():
        assert torch.isfinite(value).all()
        assert torch.equal(value, before[key])


def test_stop_from_another_thread_keeps_weights():
    trainer = Trainer(TrainConfig(epochs=50, batch_size=16), _synthetic(), _synthetic(64, 1))
    seen = []
    for event in trainer.run():
        seen.append(event)
        if len(seen) == 5:
            threading.Thread(target=trainer.stop).start()
    assert isinstance(seen[-1], Stopped)
    assert len([e for e in seen if isinstance(e, BatchProgress)]) < 50
    weights = trainer.trained_model().module.state_dict()
    assert all(torch.isfinite(v).all() for v in weights.values())


def test_pause_blocks_between_batches_until_resume():
    trainer = Trainer(TrainConfig(epochs=1, batch_size=32), _synthetic(), _synthetic(64, 1))
    events = trainer.run()
    next(events)
    trainer.pause()
    threading.Timer(0.4, trainer.resume).start()
    start = time.perf_counter()
    next(events)
    assert time.perf_counter() - start >= 0.3
    assert isinstance(list(events)[-1], Finished)


def test_stop_while_paused():
    trainer = Trainer(TrainConfig(epochs=1, batch_size=32), _synthetic(), _synthetic(64, 1))
    events = trainer.run()
    next(events)
    trainer.pause()
    threading.Timer(0.2, trainer.stop).start()
    assert isinstance(list(events)[-1], Stopped)


def test_bad_config_and_missing_device():
    with pytest.raises(TrainingError, match="epochs"):
        TrainConfig(epochs=0).validate()
    with pytest.raises(TrainingError, match="Learning rate"):
        TrainConfig(lr=float("nan")).validate()
    with pytest.raises(TrainingError, match="Batch size"):
        Trainer(TrainConfig(batch_size=0), _synthetic(), _synthetic(64, 1))
    if not torch.cuda.is_available():
        with pytest.raises(TrainingError, match="CUDA"):
            resolve_device("cuda")
        trainer = Trainer(TrainConfig(device="cuda"), _synthetic(), _synthetic(64, 1))
        with pytest.raises(TrainingError, match="CUDA"):
            trainer.prepare()
        events = list(Trainer(TrainConfig(device="cuda"), _synthetic(), _synthetic(64, 1)).run())
        assert len(events) == 1 and isinstance(events[0], Failed) and "CUDA" in events[0].message


@pytest.mark.cuda
def test_a_gpu_past_the_last_one_is_a_clear_failure():
    name = f"cuda:{torch.cuda.device_count()}"
    with pytest.raises(TrainingError, match="does not exist"):
        resolve_device(name)
    events = list(Trainer(TrainConfig(device=name), _synthetic(), _synthetic(64, 1)).run())
    assert len(events) == 1 and isinstance(events[0], Failed) and name in events[0].message


@pytest.mark.cuda
def test_a_cuda_run_gives_a_cpu_model_and_a_checkpoint_that_resumes_on_the_cpu(tmp_path):
    """What a user with a GPU does next: predict on the CPU, carry the checkpoint elsewhere."""
    out = tmp_path / "cuda.pt"
    trainer = Trainer(TrainConfig(device="cuda", epochs=1, batch_size=64), _synthetic(), _synthetic(64, 1),
                      checkpoint_path=out)
    events = list(trainer.run())
    assert isinstance(events[-1], Finished), events[-1]
    assert trainer.device.type == "cuda"
    model = trainer.trained_model()
    assert all(p.device.type == "cpu" and torch.isfinite(p).all() for p in model.module.parameters())
    saved = load_checkpoint(out)
    assert saved.device.type == "cpu" and saved.metadata["trained_on"].startswith("cuda")
    x = torch.randn(4, 1, 28, 28)
    with torch.no_grad():
        torch.testing.assert_close(saved.module(x), model.module(x))
    resumed = Trainer(TrainConfig(device="cpu", epochs=2), _synthetic(), _synthetic(64, 1), resume_from=out)
    events = list(resumed.run())
    assert [e.epoch for e in events if isinstance(e, EpochEnd)] == [2] and isinstance(events[-1], Finished)
    assert resumed.device.type == "cpu"


def test_building_a_trainer_reads_nothing_and_controls_work_before_run(tmp_path):
    missing = tmp_path / "missing.pt"
    trainer = Trainer(TrainConfig(device="cuda:7"), _synthetic(), _synthetic(64, 1), resume_from=missing)
    assert trainer.trained_model() is None  # no file read, no device chosen, no model yet
    events = list(trainer.run())
    assert len(events) == 1 and isinstance(events[0], Failed) and "no such file" in events[0].message
    assert trainer.trained_model() is None
    early = Trainer(TrainConfig(epochs=1, batch_size=32), _synthetic(), _synthetic(64, 1))
    early.pause()
    early.stop()  # before run(): it stops at once, with the untrained weights measured
    events = list(early.run())
    assert [type(e) for e in events] == [Stopped] and events[0].epochs_trained == 0
    assert early.trained_model().epochs_trained == 0


@pytest.mark.parametrize("where", ["moving the data", "the first batch"])
def test_out_of_memory_before_any_batch_still_gives_a_model(monkeypatch, where):
    from lenet_app.core import training

    trainer = Trainer(TrainConfig(epochs=1, batch_size=32), _synthetic(), _synthetic(64, 1))
    trainer.prepare()

    def no_memory(*args, **kwargs):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    if where == "moving the data":
        monkeypatch.setattr(torch, "from_numpy", no_memory)
    else:
        monkeypatch.setattr(training, "normalize", no_memory)
    events = list(trainer.run())
    assert len(events) == 1 and isinstance(events[0], Failed)
    assert "out of memory" in events[0].message and "batch size" in events[0].message
    model = trainer.trained_model()  # what the Train tab asks for when a run ends
    assert model.architecture == "lenet5" and model.epochs_trained == 0
    assert model.test_accuracy is None


def test_out_of_memory_is_a_clear_failure(monkeypatch):
    trainer = Trainer(TrainConfig(epochs=1, batch_size=32), _synthetic(), _synthetic(64, 1))
    trainer.prepare()

    def boom(*args, **kwargs):
        raise RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 1 TB")

    monkeypatch.setattr(trainer.model, "forward", boom)
    events = list(trainer.run())
    assert isinstance(events[-1], Failed) and "batch size" in events[-1].message


def test_schedules_are_pure_functions_of_the_step():
    config = TrainConfig(lr=0.01, schedule="onecycle")
    lrs = [learning_rate(config, s, 100, 10) for s in range(100)]
    assert max(lrs) == pytest.approx(0.01, rel=1e-3)
    assert lrs[0] < 0.001 and lrs[-1] < 1e-4
    step = TrainConfig(lr=0.1, schedule="step", step_gamma=0.5)
    assert learning_rate(step, 25, 100, 10) == pytest.approx(0.025)


def test_augmentation_keeps_shape_and_background():
    generator = torch.Generator().manual_seed(0)
    x = torch.full((8, 1, 28, 28), -0.4242)
    out = augment_batch(x, generator)
    assert out.shape == x.shape
    assert torch.allclose(out, x, atol=1e-4)


# --- snapshots: the network seen through one fixed digit while it learns ------------------


def _weights(trainer):
    return trainer.trained_model().module.state_dict()


@pytest.mark.parametrize("overrides", [
    dict(architecture="lenet5"),
    dict(architecture="cnn-bn"),  # BatchNorm: the snapshot pass must not move its statistics
    dict(architecture="cnn-dropout", augment=True),  # dropout and augmentation: the random streams
])
def test_snapshots_leave_the_training_exactly_as_without(data, monkeypatch, overrides):
    from lenet_app.core import training

    monkeypatch.setattr(training, "SNAPSHOT_INTERVAL_S", 0.0)  # one after every batch
    train, test = data
    config = TrainConfig(epochs=2, subset=320, batch_size=64, seed=5, threads=1, **overrides)
    plain = Trainer(config, train, test)
    plain_events = list(plain.run())
    digit, label = fixed_test_digit(test)
    watched = Trainer(config, train, test, snapshot_digit=digit)
    watched_events = list(watched.run())

    assert not any(isinstance(e, Snapshot) for e in plain_events)  # the CLI's runs carry none
    assert _losses(watched_events) == _losses(plain_events)
    for key, value in _weights(plain).items():
        assert torch.equal(value, _weights(watched)[key]), key
    assert watched.test_accuracy == plain.test_accuracy
    assert watched.model.training  # the pass put the model back in train mode

    snapshots = [e for e in watched_events if isinstance(e, Snapshot)]
    assert len(snapshots) == 1 + 2 * 5 + 2  # before the first batch, after each, at each epoch end
    assert (snapshots[0].epoch, snapshots[0].step, snapshots[0].global_step) == (1, 0, 0)
    steps = [s.global_step for s in snapshots]
    assert steps == sorted(steps) and steps[-1] == 10
    first_layer = next(iter(snapshots[0].activations.kernels))
    assert not np.array_equal(snapshots[0].activations.kernels[first_layer].weight,
                              snapshots[-1].activations.kernels[first_layer].weight)
    assert snapshots[-1].activations.architecture == config.architecture
    assert label == test.labels[0]


def test_snapshots_at_start_at_epoch_ends_and_at_most_once_a_second(data, monkeypatch):
    from lenet_app.core import training

    monkeypatch.setattr(training, "SNAPSHOT_INTERVAL_S", 1e9)  # none between batches
    train, test = data
    digit, _ = fixed_test_digit(test)
    events = list(Trainer(TrainConfig(epochs=2, subset=256, batch_size=64), train, test,
                          snapshot_digit=digit).run())
    kinds = [e.kind for e in events if not isinstance(e, BatchProgress)]
    assert kinds == ["snapshot", "snapshot", "epoch_end", "snapshot", "epoch_end", "finished"]
    end = [e for e in events if isinstance(e, Snapshot)][-1]
    assert (end.epoch, end.step, end.steps_per_epoch, end.global_step) == (2, 4, 4, 8)
    line = end.to_dict()  # a JSON line's worth: the step and the answer, no arrays
    assert line["event"] == "snapshot" and len(line["logits"]) == 10
    assert line["prediction"] == end.prediction == int(np.argmax(end.activations.logits))
    assert all(isinstance(v, (int, float, str, list)) for v in line.values())
    # The digit's copy belongs to the trainer: changing the caller's array changes nothing.
    changed = digit.copy()
    trainer = Trainer(TrainConfig(epochs=1, subset=64, batch_size=64), train, test, snapshot_digit=changed)
    changed[:] = 0
    first = next(e for e in trainer.run() if isinstance(e, Snapshot))
    assert first.activations.network_input.std() > 0


def test_stopping_sends_a_last_snapshot_unless_the_app_closes():
    digit = _synthetic(1).images[0]
    trainer = Trainer(TrainConfig(epochs=50, batch_size=16), _synthetic(), _synthetic(64, 1),
                      snapshot_digit=digit)
    seen = []
    for event in trainer.run():
        seen.append(event)
        if sum(isinstance(e, BatchProgress) for e in seen) == 3:  # a second stop() changes nothing
            trainer.stop()
    assert [type(e) for e in seen[-2:]] == [Snapshot, Stopped]
    assert seen[-2].global_step == 3
    closing = Trainer(TrainConfig(epochs=50, batch_size=16), _synthetic(), _synthetic(64, 1),
                      snapshot_digit=digit)
    events = closing.run()
    assert isinstance(next(events), Snapshot)
    closing.stop(evaluate=False)
    assert [type(e) for e in events] == [Stopped]


def test_snapshot_digit_must_be_one_28x28_picture():
    with pytest.raises(ValueError, match="28"):
        Trainer(TrainConfig(), _synthetic(), _synthetic(64, 1), snapshot_digit=np.zeros((1, 28, 28)))
    assert fixed_test_digit(MnistSplit("test", np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64))) is None
