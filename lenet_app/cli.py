"""`lenet-app`: the desktop app with no arguments, the headless core with a subcommand.

Every subcommand is a thin layer over `lenet_app.core`, which proves that everything a GUI
button does also works without Qt. User errors print one line to stderr and exit with 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import fields
from pathlib import Path
from typing import Callable, Sequence

from lenet_app import __version__

EXIT_USER_ERROR = 2


def _user_errors() -> tuple[type[BaseException], ...]:
    from lenet_app.core.checkpoint import CheckpointError
    from lenet_app.core.mnist import MnistError
    from lenet_app.core.models import UnknownModelError
    from lenet_app.core.preprocess import ImageError
    from lenet_app.core.training import TrainingError

    return (CheckpointError, MnistError, UnknownModelError, ImageError, TrainingError)


class UserError(Exception):
    """A problem with what the user asked for, reported as one line."""


# --- subcommands ----------------------------------------------------------------------------


def _cmd_models(args: argparse.Namespace) -> int:
    from lenet_app.core.models import format_summary, model_names

    names = args.names or model_names()
    print("\n\n".join(format_summary(name) for name in names))
    return 0


def _progress_printer(stream) -> Callable[[str], None]:
    """Rewrite one status line on a terminal; on a pipe, print it as plain lines."""
    if stream.isatty():
        def show(text: str) -> None:
            stream.write("\r\033[K" + text)
            stream.flush()
    else:
        last = [0.0]

        def show(text: str) -> None:
            now = time.monotonic()
            if now - last[0] >= 5.0:
                last[0] = now
                stream.write(text + "\n")
                stream.flush()
    return show


def _format_seconds(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _cmd_train(args: argparse.Namespace) -> int:
    from lenet_app.core import training
    from lenet_app.core.mnist import load_mnist

    config = training.TrainConfig(**{f.name: getattr(args, f.name) for f in fields(training.TrainConfig)})
    config.validate()
    data = load_mnist(args.data_dir)
    out = Path(args.out or f"{config.model}.pt")
    trainer = training.Trainer(config, data["train"], data["test"], checkpoint_path=out,
                               resume_from=args.resume)
    show = _progress_printer(sys.stderr)
    if not args.json:
        print(f"Training {trainer.config.model} on {trainer.device} "
              f"({len(trainer.train_split):,} images, {trainer.config.epochs} epochs, "
              f"batch {trainer.config.batch_size}, {trainer.config.optimizer} lr {trainer.config.lr}, "
              f"{trainer.config.schedule} schedule{', augmented' if trainer.config.augment else ''})")
    status = 0
    for event in trainer.run():
        if args.json:
            print(json.dumps(event.to_dict()), flush=True)
        elif isinstance(event, training.BatchProgress):
            show(f"epoch {event.epoch}/{event.epochs} batch {event.step}/{event.steps_per_epoch} "
                 f"loss {event.loss:.4f} lr {event.lr:.2e} {event.images_per_second:,.0f} img/s "
                 f"ETA {_format_seconds(event.eta_seconds)}")
        elif isinstance(event, training.EpochEnd):
            if sys.stderr.isatty():
                sys.stderr.write("\r\033[K")
            print(f"epoch {event.epoch}/{event.epochs}: train loss {event.train_loss:.4f} "
                  f"acc {event.train_accuracy * 100:.2f}% | test loss {event.test_loss:.4f} "
                  f"acc {event.test_accuracy * 100:.2f}% | {event.train_seconds:.1f} s "
                  f"({event.images_per_second:,.0f} img/s)", flush=True)
        elif isinstance(event, training.Finished):
            print(f"Finished: {event.epochs_trained} epochs, test accuracy "
                  f"{event.test_accuracy * 100:.2f}%, {event.train_seconds:.1f} s training. "
                  f"Saved to {out}")
        elif isinstance(event, (training.Diverged, training.Failed)):
            print(f"lenet-app: {event.message}", file=sys.stderr)
            status = EXIT_USER_ERROR
        elif isinstance(event, training.Stopped):
            print(event.message)
    return status


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from lenet_app.core import load_model
    from lenet_app.core.evaluation import evaluate, format_report
    from lenet_app.core.mnist import load_split, require_mnist_dir

    model = load_model(args.model)
    split = load_split(require_mnist_dir(args.data_dir), args.split)
    result = evaluate(model.module, split)
    if args.json:
        print(json.dumps({"model": str(model.path), "split": args.split, "accuracy": result.accuracy,
                          "loss": result.loss, "per_class_accuracy": result.per_class_accuracy.tolist(),
                          "confusion": result.confusion.tolist(),
                          "misclassified": result.misclassified().tolist()}))
    else:
        print(f"Model {model.path} ({model.architecture}) on the {args.split} split:")
        print(format_report(result))
    return 0


def _cmd_predict(args: argparse.Namespace) -> int:
    from lenet_app.core import load_model, predict
    from lenet_app.core.preprocess import ImageError, load_image

    model = load_model(args.model)
    status = 0
    for path in args.images:
        try:
            prediction = predict(model, load_image(path))
        except ImageError as exc:
            print(f"lenet-app: {exc}", file=sys.stderr)
            status = EXIT_USER_ERROR
            continue
        if args.json:
            print(json.dumps({"path": str(path), **prediction.to_dict()}), flush=True)
        elif prediction.digit is None:
            print(f"{path}: no digit")
        else:
            print(f"{path}: {prediction.digit} ({prediction.confidence * 100:.1f}%)")
    return status


def _cmd_download(args: argparse.Namespace) -> int:
    from lenet_app.core.mnist import download_mnist

    show = _progress_printer(sys.stderr)

    def progress(done: int, total: int | None) -> None:
        show(f"downloading MNIST: {done / 1e6:.1f} MB" + (f" of {total / 1e6:.1f} MB" if total else ""))

    folder = download_mnist(args.dest, progress=progress)
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    print(f"MNIST is in {folder}")
    return 0


def _cmd_export_images(args: argparse.Namespace) -> int:
    from lenet_app.core.mnist import export_images, load_split, require_mnist_dir

    directory = require_mnist_dir(args.data_dir)
    show = _progress_printer(sys.stderr)
    # Every split is read (and checked) before the first picture is written.
    splits = {name: load_split(directory, name) for name in dict.fromkeys(args.split)}
    for split_name, split in splits.items():
        result = export_images(split, args.out, fmt=args.format,
                               progress=lambda done, total: show(f"{split_name}: {done:,}/{total:,}"))
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")
        print(f"{split_name}: wrote {result.written:,}, skipped {result.skipped:,} existing, "
              f"in {result.directory}")
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    from lenet_app.gui.app import run_app

    return run_app()


# --- parser ---------------------------------------------------------------------------------


def _add_train_options(parser: argparse.ArgumentParser) -> None:
    from lenet_app.core import training
    from lenet_app.core.models import model_names

    d = training.TrainConfig()
    parser.add_argument("--model", default=d.model, choices=model_names(), help="architecture")
    parser.add_argument("--epochs", type=int, default=d.epochs)
    parser.add_argument("--batch-size", type=int, default=d.batch_size)
    parser.add_argument("--optimizer", default=d.optimizer, choices=training.OPTIMIZERS)
    parser.add_argument("--lr", type=float, default=d.lr, help="(peak) learning rate")
    parser.add_argument("--momentum", type=float, default=d.momentum, help="SGD momentum")
    parser.add_argument("--weight-decay", type=float, default=d.weight_decay)
    parser.add_argument("--schedule", default=d.schedule, choices=training.SCHEDULES)
    parser.add_argument("--step-gamma", type=float, default=d.step_gamma,
                        help="per-epoch factor of the step schedule")
    parser.add_argument("--loss", default=d.loss, choices=training.LOSSES)
    parser.add_argument("--augment", action=argparse.BooleanOptionalAction, default=d.augment,
                        help="random small rotation/scale/shift per image")
    parser.add_argument("--seed", type=int, default=d.seed)
    parser.add_argument("--device", default=d.device, help="auto, cpu, cuda, cuda:N or mps")
    parser.add_argument("--threads", type=int, default=d.threads, help="CPU threads (0: torch default)")
    parser.add_argument("--subset", type=int, default=d.subset,
                        help="train on a random subset of this many images (0: all)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lenet-app", description="LeNet Digits: with no command, opens the desktop app.")
    parser.add_argument("--version", action="version", version=f"LeNet Digits {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="start the app offscreen, predict a bundled sample, and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    data_dir = argparse.ArgumentParser(add_help=False)
    data_dir.add_argument("--data-dir", type=Path, default=None,
                          help="folder holding MNIST (flat or torchvision MNIST/raw layout)")
    model_opt = argparse.ArgumentParser(add_help=False)
    model_opt.add_argument("--model", type=Path, default=None,
                           help="checkpoint to use (default: the model shipped with the app)")

    p = sub.add_parser("train", parents=[data_dir], help="train a model on MNIST")
    _add_train_options(p)
    p.add_argument("--out", type=Path, default=None,
                   help="checkpoint written after every epoch (default: MODEL.pt)")
    p.add_argument("--resume", type=Path, default=None, help="continue from a checkpoint")
    p.add_argument("--json", action="store_true", help="one JSON object per training event")
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("evaluate", parents=[data_dir, model_opt],
                       help="accuracy, per-class accuracy and confusion matrix")
    p.add_argument("--split", choices=("test", "train"), default="test")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("predict", parents=[model_opt], help="read the digit in image files")
    p.add_argument("images", nargs="+", type=Path)
    p.add_argument("--json", action="store_true", help="one JSON object per image")
    p.set_defaults(func=_cmd_predict)

    p = sub.add_parser("export-images", parents=[data_dir],
                       help="write every MNIST image as split_index_label.png")
    p.add_argument("--out", type=Path, default=Path("mnist_images"))
    p.add_argument("--split", nargs="+", choices=("train", "test"), default=["train", "test"])
    p.add_argument("--format", choices=("png", "jpg"), default="png")
    p.set_defaults(func=_cmd_export_images)

    p = sub.add_parser("download", help="download MNIST into the user data folder")
    p.add_argument("--dest", type=Path, default=None, help="folder to download into")
    p.set_defaults(func=_cmd_download)

    p = sub.add_parser("models", help="print each architecture's layer table")
    p.add_argument("names", nargs="*", help="architectures (default: all)")
    p.set_defaults(func=_cmd_models)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from lenet_app.gui.app import self_test

        return self_test()
    if args.command is None:
        return _cmd_gui(args)
    try:
        return args.func(args)
    except _user_errors() as exc:
        print(f"lenet-app: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("lenet-app: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
