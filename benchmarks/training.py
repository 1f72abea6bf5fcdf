"""Training figures: our recipe vs the classic tutorial's, and the time to 99.0% test accuracy.

The tutorial recipe is the one the seed tutorials teach (torchvision MNIST + DataLoader +
ToTensor per sample, batch 32, SGD lr 0.001 momentum 0.9, the 28×28 LeNet); ours is
`TrainConfig()`'s default on data preloaded as one uint8 tensor. Both are measured in the
same process, alternately, so the ratio holds on a noisy shared machine.
"""

from __future__ import annotations

import gzip
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from lenet_app.core.mnist import FILES, MnistSplit
from lenet_app.core.models import create_model
from lenet_app.core.training import BatchProgress, EpochEnd, TrainConfig, Trainer


def _torchvision_root(mnist_dir: Path, root: Path) -> Path:
    """Lay the raw files out the way torchvision.datasets.MNIST expects them (offline)."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for names in FILES.values():
        for name in names:
            target = raw / name
            if target.exists():
                continue
            gz, plain = mnist_dir / f"{name}.gz", mnist_dir / name
            if gz.exists():
                with gzip.open(gz, "rb") as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            else:
                shutil.copyfile(plain, target)
    return root


def tutorial_images_per_second(mnist_dir: Path, images: int, threads: int) -> float:
    """The seed tutorial's loop, timed after a short warm-up."""
    from torch.utils.data import DataLoader
    from torchvision import transforms
    from torchvision.datasets import MNIST

    torch.set_num_threads(threads)
    with tempfile.TemporaryDirectory() as tmp:
        root = _torchvision_root(mnist_dir, Path(tmp))
        dataset = MNIST(root=str(root), train=True, transform=transforms.ToTensor(), download=False)
        loader = DataLoader(dataset, batch_size=32, shuffle=True)
        model = create_model("lenet-28")
        optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
        done, start = 0, None
        for step, (x, y) in enumerate(loader):
            if step == 10:
                start, done = time.perf_counter(), 0
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            done += x.shape[0]
            if start is not None and done >= images:
                break
        return done / (time.perf_counter() - start)


def recipe_images_per_second(train: MnistSplit, test: MnistSplit, images: int,
                             config: TrainConfig | None = None) -> float:
    """Our default recipe's loop (the same Trainer the GUI and CLI use), timed after warm-up."""
    config = config or TrainConfig()
    trainer = Trainer(config, train, test, evaluate_each_epoch=False)
    done, start = 0, None
    for event in trainer.run():
        if not isinstance(event, BatchProgress):
            continue
        if event.global_step == 10:
            start, done = time.perf_counter(), 0
        elif start is not None:
            done += config.batch_size
            if done >= images:
                trainer.stop()
    return done / (time.perf_counter() - start)


def throughput_ratio(mnist_dir: Path, train: MnistSplit, test: MnistSplit, images: int,
                     repeats: int, config: TrainConfig | None = None) -> dict:
    ours, theirs = [], []
    threads = (config or TrainConfig()).threads or torch.get_num_threads()
    for _ in range(repeats):
        theirs.append(tutorial_images_per_second(mnist_dir, images, threads))
        ours.append(recipe_images_per_second(train, test, images, config))
    ratios = [a / b for a, b in zip(ours, theirs)]
    return {"ours": statistics.median(ours), "tutorial": statistics.median(theirs),
            "ratio": statistics.median(ratios)}


def time_to_accuracy(train: MnistSplit, test: MnistSplit, target: float = 0.99,
                     config: TrainConfig | None = None) -> dict:
    """Training wall time (evaluation excluded) until the test accuracy first reaches target;
    "wall" is the whole of it from `run()`: model built, data moved, every epoch's evaluation."""
    config = config or TrainConfig()
    trainer = Trainer(config, train, test)
    seconds = 0.0
    start = time.perf_counter()
    for event in trainer.run():
        if isinstance(event, EpochEnd):
            seconds += event.train_seconds
            if event.test_accuracy >= target:
                trainer.stop()
                return {"seconds": seconds, "wall": time.perf_counter() - start, "epoch": event.epoch,
                        "accuracy": event.test_accuracy}
    return {"seconds": float("nan"), "wall": float("nan"), "epoch": None, "accuracy": trainer.test_accuracy}
