"""The classic tutorial's training loop, in a process of its own: `python -m benchmarks.tutorial`.

This is what the seed tutorials teach (torchvision's MNIST dataset, a DataLoader with
ToTensor per sample, batch 32, SGD lr 0.001 momentum 0.9, the 28×28 LeNet), run the way a
student runs their script: a fresh interpreter with the environment it was given. It prints
one JSON line: images per second after a short warm-up, and what the process ran with.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from lenet_app.core.mnist import FILES


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


def images_per_second(mnist_dir: Path, images: int, warmup_batches: int = 10) -> float:
    """The tutorial's loop over `images` training images, timed after `warmup_batches`."""
    import torch
    import torch.nn.functional as F
    from torch.utils.data import DataLoader
    from torchvision import transforms
    from torchvision.datasets import MNIST

    from lenet_app.core.models import create_model

    with tempfile.TemporaryDirectory() as tmp:
        root = _torchvision_root(mnist_dir, Path(tmp))
        dataset = MNIST(root=str(root), train=True, transform=transforms.ToTensor(), download=False)
        loader = DataLoader(dataset, batch_size=32, shuffle=True)
        model = create_model("lenet-28")
        optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
        done, start = 0, None
        for step, (x, y) in enumerate(loader):
            if step == warmup_batches:
                start, done = time.perf_counter(), 0
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            done += x.shape[0]
            if start is not None and done >= images:
                break
        return done / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--images", type=int, default=20000, help="timed images (after warm-up)")
    args = parser.parse_args(argv)
    rate = images_per_second(args.data_dir, args.images)
    from lenet_app.core import runtime

    print(json.dumps({"images_per_second": rate, "runtime": runtime.describe()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
