"""`lenet-app`: the desktop app with no arguments, the headless core with a subcommand.

Every subcommand is a thin layer over `lenet_app.core`, which proves that everything a GUI
button does also works without Qt. A `LenetError` (a mistake the user can fix) prints one
line to stderr and exits with 2; Ctrl+C or a cancelled job exits with 130.

The parser is built from torch-free modules only, so `--version` and `--help` answer at
once; each command handler imports what it needs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from lenet_app import __version__
from lenet_app.core import runtime
from lenet_app.core.architectures import DEFAULT_ARCHITECTURE, architecture_names, shipped_models
from lenet_app.core.config import add_arguments, from_arguments, given_options
from lenet_app.core.errors import Cancelled, LenetError
from lenet_app.core.i18n import _, install_for_argparse, ngettext

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


# --- subcommands ----------------------------------------------------------------------------


def _cmd_models(args: argparse.Namespace) -> int:
    from lenet_app.core.models import format_summary, model_names

    names = args.names or model_names()
    print("\n\n".join(format_summary(name) for name in names))
    return 0


def _progress_printer(stream) -> Callable[[str], None]:
    """Rewrite one status line on a terminal (at most 10 times a second: redrawing it for every
    batch keeps the terminal busy on a core the training wants); on a pipe, print it as plain
    lines every 5 s."""
    tty = stream.isatty()
    interval = 0.1 if tty else 5.0
    last = [-interval]

    def show(text: str) -> None:
        now = time.monotonic()
        if now - last[0] < interval:
            return
        last[0] = now
        stream.write("\r\033[K" + text if tty else text + "\n")
        stream.flush()
    return show


def _clear_progress_line() -> None:
    """Erase the status line `_progress_printer` keeps rewriting on a terminal."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")


def _cmd_train(args: argparse.Namespace) -> int:
    from lenet_app.core import training
    from lenet_app.core.mnist import load_mnist
    from lenet_app.core.run_history import RunHistory, RunRecorder, copy_checkpoint, new_run_id

    config = from_arguments(args)
    start, own = _finetune_inputs(args)
    if start is not None:  # a trained model wants the gentler fine-tune recipe, unless asked otherwise
        from lenet_app.core.finetune import FINETUNE_RECIPE

        config = dataclasses.replace(config, **{name: value for name, value in FINETUNE_RECIPE.items()
                                                if name not in args.given_options})
    config.validate()
    if start is not None and args.architecture == DEFAULT_ARCHITECTURE:  # --model not asked for
        config.architecture = start.architecture
    data = load_mnist(args.data_dir)
    trainer = training.Trainer(config, data["train"], data["test"], resume_from=args.resume,
                               init_from=start, own_digits=own)
    trainer.prepare()  # the resumed recipe and the device, for the summary and the file name
    out = Path(args.out or f"{trainer.config.architecture}{'-finetuned' if start else ''}.pt")
    trainer.checkpoint_path = out
    history = RunHistory()
    recorder = RunRecorder(history, new_run_id(history.folder, trainer.config.architecture), "cli")
    recorder.start(trainer)
    show = _progress_printer(sys.stderr)
    threads = trainer.config.threads or runtime.default_threads()
    busy = runtime.busy_cores() if trainer.device.type == "cpu" else None
    advice = runtime.thread_advice(threads, busy)
    if args.json:  # what the run gets from this machine, so a figure can say what it measured
        info = {**runtime.describe(), "torch_threads": threads, "busy_cores": busy}
        print(json.dumps({"event": "runtime", "device": str(trainer.device), **info}), flush=True)
        print(json.dumps({"event": "run", "id": recorder.run_id,
                          "record": str(history.record_path(recorder.run_id))}), flush=True)
    else:
        own_count = None if own is None else len(trainer.finetune.own_train)
        summary = trainer.config.describe(str(trainer.device), len(trainer.train_split), own_count)
        print(_("Fine-tuning {path}: {summary}").format(path=start.path, summary=summary) if start
              else _("Training {summary}").format(summary=summary))
        if advice:
            print(_("Note: {advice}.").format(advice=advice), file=sys.stderr)
    status = 0
    for event in recorder.follow(trainer.run()):
        if args.json:
            print(json.dumps(event.to_dict()), flush=True)
        elif isinstance(event, training.BatchProgress):
            show(training.describe_batch(event))
        elif isinstance(event, training.EpochEnd):
            _clear_progress_line()
            print(training.describe_epoch(event), flush=True)
        elif isinstance(event, training.Finished):
            print(_("Finished: {epochs} epochs, test accuracy {accuracy:.2f}%, {seconds:.1f} s "
                    "training. Saved to {path}").format(
                epochs=event.epochs_trained, accuracy=event.test_accuracy * 100,
                seconds=event.train_seconds, path=out))
        elif isinstance(event, training.Stopped):
            print(event.message)
        elif isinstance(event, training.FinetuneStart):
            print(training.describe_finetune_start(event), flush=True)
        elif isinstance(event, training.FinetuneEnd):
            _clear_progress_line()
            print(training.describe_finetune(event.before, event.after), flush=True)
        if isinstance(event, (training.Diverged, training.Failed)):
            if not args.json:
                _clear_progress_line()
            print(f"lenet-app: {event.message}", file=sys.stderr)
            status = EXIT_USER_ERROR
    if args.slim and status == 0 and out.exists():
        from lenet_app.core import load_model
        from lenet_app.core.checkpoint import save_model

        save_model(out, load_model(out))  # an exported model: the same weights and record, no resume state
    try:
        copy_checkpoint(out, recorder.checkpoint_path)
    except OSError as exc:
        recorder.problem = recorder.problem or str(exc)
    if recorder.problem and status == 0:  # a failed run has said its one line already
        print(_("Note: the run history could not keep this run: {reason}").format(reason=recorder.problem),
              file=sys.stderr)
    elif not args.json and not recorder.problem:
        print(_("Run {id} saved in the run history (lenet-app runs show {id})").format(id=recorder.run_id))
    return status


def _finetune_inputs(args: argparse.Namespace):
    """The model `train --finetune MODEL` starts from (a checkpoint, or a shipped model by name)
    and the user's digits; (None, None) for a run from scratch."""
    if args.finetune is None and not args.my_digits:
        return None, None
    if args.finetune is None:
        raise LenetError(_("--my-digits fine-tunes a trained model on your digits: name it with "
                           "--finetune MODEL (a checkpoint, or lenet5 for the shipped model)"))
    if not args.my_digits:
        raise LenetError(_("--finetune needs --my-digits: fine-tuning trains on your own digits"))
    if args.resume is not None:
        raise LenetError(_("--resume continues a checkpoint's own run; it cannot be combined with "
                           "--finetune"))
    from lenet_app.core.inference import load_model

    return load_model(args.finetune), _my_digits_split()


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from lenet_app.core import load_model
    from lenet_app.core.evaluation import evaluate, format_report
    from lenet_app.core.mnist import load_split, require_mnist_dir

    model = load_model(args.model)
    split = _my_digits_split() if args.my_digits else load_split(require_mnist_dir(args.data_dir), args.split)
    result = evaluate(model.module, split)
    if args.json:
        # A class with no digits (common among the user's own) has no accuracy: null, not NaN.
        per_class = [None if value != value else value for value in result.per_class_accuracy.tolist()]
        print(json.dumps({"model": str(model.path), "split": split.name, "accuracy": result.accuracy,
                          "loss": result.loss, "per_class_accuracy": per_class,
                          "confusion": result.confusion.tolist(),
                          "misclassified": result.misclassified().tolist()}))
    else:
        if args.my_digits:
            heading = _("Model {path} ({architecture}) on your own {count} digits:")
        else:
            heading = _("Model {path} ({architecture}) on the {split} split:")
        print(heading.format(path=model.path, architecture=model.architecture, count=len(split),
                             split=split.name))
        print(format_report(result))
    return 0


def _my_digits_split():
    """The user's digits as a split for `--my-digits`; none yet is the user's to fix."""
    from lenet_app.core.my_digits import MyDigitsError, MyDigitsStore

    store = MyDigitsStore()
    split = store.split()
    if not len(split):
        raise MyDigitsError(_("no digits of your own yet in {folder}; add some with "
                              "`lenet-app my-digits add IMAGE --label K` or the Draw tab")
                            .format(folder=store.folder))
    return split


def _cmd_my_digits(args: argparse.Namespace) -> int:
    """`lenet-app my-digits ACTION`: the Draw and Dataset tabs' own-digit actions, headless."""
    from dataclasses import asdict

    from lenet_app.core.my_digits import MyDigitsStore

    store = MyDigitsStore()
    if args.action == "list":
        records = store.records()
        for record in records:
            if args.json:
                print(json.dumps(record.to_dict()), flush=True)
            else:
                print(f"{record.id}  {record.label}  {record.created}  {record.source}")
        if not records and not args.json:
            print(_("No digits of your own yet in {folder}").format(folder=store.folder))
        return 0
    if args.action == "add":
        return _my_digits_add(store, args)
    if args.action == "remove":
        record = store.remove(args.id)
        print(json.dumps(record.to_dict()) if args.json
              else _("Removed {id} (a {label}) from {folder}").format(
                  id=record.id, label=record.label, folder=store.folder))
        return 0
    if args.action == "export":
        count = store.export_zip(args.file)
        print(json.dumps({"path": str(args.file), "count": count}) if args.json
              else _("Exported {digits} to {path}").format(digits=_digits_count(count), path=args.file))
        return 0
    result = store.import_zip(args.file)
    print(json.dumps({"path": str(args.file), **asdict(result)}) if args.json
          else _("Imported {digits} from {path} into {folder} ({duplicates} already there, "
                 "{relabelled} relabelled)").format(
              digits=_digits_count(result.added), path=args.file, folder=store.folder,
              duplicates=result.duplicates, relabelled=result.relabelled))
    return 0


def _cmd_runs(args: argparse.Namespace) -> int:
    """`lenet-app runs ACTION`: the Train tab's run history, headless."""
    from lenet_app.core.run_history import RunHistory

    history = RunHistory()
    if args.action == "list":
        records, problems = history.runs()
        for problem in problems:
            print(_("Skipped: {problem}").format(problem=problem), file=sys.stderr)
        for record in records:
            if args.json:
                print(json.dumps(_run_summary(record)), flush=True)
            else:
                print(_run_line(record))
        if not records and not args.json:
            print(_("No training runs yet in {folder}").format(folder=history.folder))
        return 0
    if args.action == "show":
        record = history.load(args.id)
        if args.json:
            print(json.dumps(record.to_json(), ensure_ascii=False))
            return 0
        print(_run_line(record))
        print("    " + _("config: {config}").format(config=" ".join(
            f"{key}={value}" for key, value in record.config.items())))
        if record.message:
            print("    " + record.message)
        for row in record.epochs:
            print("    " + _("epoch {epoch}: train loss {train_loss} test accuracy {accuracy:.2f}%").format(
                epoch=int(row["epoch"]), train_loss=_loss_text(row.get("train_loss")),
                accuracy=(row.get("test_accuracy") or 0.0) * 100))
        print("    " + _("checkpoint: {path}").format(path=history.checkpoint_path(record)))
        return 0
    record = history.delete(args.id)
    print(json.dumps(_run_summary(record)) if args.json
          else _("Deleted run {id} and its checkpoint").format(id=record.id))
    return 0


def _run_summary(record) -> dict:
    return {"id": record.id, "architecture": record.architecture, "created": record.created,
            "surface": record.surface, "device": record.device, "status": record.status,
            "epochs_trained": record.epochs_trained, "test_accuracy": record.test_accuracy,
            "seconds": record.seconds}


def _loss_text(value) -> str:
    return "–" if value is None else f"{value:.4f}"


def _run_line(record) -> str:
    accuracy = "–" if record.test_accuracy is None else f"{record.test_accuracy * 100:.2f}%"
    return _("{id}  {status}  {epochs} epochs  test accuracy {accuracy}  {seconds:.1f} s on {device} "
             "({surface})").format(id=record.id, status=_status_text(record.status), epochs=record.epochs_trained,
                                   accuracy=accuracy, seconds=record.seconds, device=record.device,
                                   surface=record.surface)


def _status_text(status: str) -> str:
    return {"running": _("running"), "finished": _("finished"), "stopped": _("stopped"),
            "diverged": _("diverged"), "failed": _("failed"), "interrupted": _("interrupted")}[status]


def _cmd_export(args: argparse.Namespace) -> int:
    from lenet_app.core.export import ONNX_OPSET, SUFFIXES, export_model
    from lenet_app.core.inference import load_model

    model = load_model(args.model)
    out = args.out or Path(f"{model.architecture}{SUFFIXES[args.format]}")
    export_model(model, out, args.format)
    if args.format == "onnx":
        print(_("Wrote {path}: ONNX opset {opset}, input \"image\" N×1×28×28 pixels 0–1 (white on "
                "black), outputs \"logits\" and \"probabilities\" N×10").format(path=out, opset=ONNX_OPSET))
    else:
        print(_("Wrote {path}: TorchScript, input N×1×28×28 pixels 0–1 (white on black), "
                "outputs (logits, probabilities) N×10").format(path=out))
    return 0


def _digits_count(count: int) -> str:
    return ngettext("{count} digit", "{count} digits", count).format(count=count)


def _my_digits_add(store, args: argparse.Namespace) -> int:
    """Each picture through the app's one preprocessing, like an opened file in the Draw tab.

    A bad picture is reported and skipped; a problem with the store itself (a damaged manifest,
    a full disk) ends the command, as it would fail for every picture."""
    from lenet_app.core.my_digits import check_label
    from lenet_app.core.preprocess import ImageError, load_image, to_network_input

    check_label(args.label, "--label")  # before any picture is read
    status = 0
    for path in args.images:
        try:
            picture = load_image(path)
            digit = to_network_input(picture)
            if digit is None:
                raise ImageError(_("{path}: no digit found in the picture").format(path=path))
            record = store.add(digit.pixels, args.label, source="file", drawing=picture)
        except ImageError as exc:
            print(f"lenet-app: {exc}", file=sys.stderr)
            status = EXIT_USER_ERROR
            continue
        print(json.dumps({"path": str(path), **record.to_dict()}) if args.json
              else _("{path}: added as {id} (a {label})").format(path=path, id=record.id,
                                                                 label=record.label), flush=True)
    return status


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
            print(_("{path}: no digit").format(path=path))
        else:
            print(f"{path}: {prediction.digit} ({prediction.confidence * 100:.1f}%)")
    return status


#: The attribution methods (keys of `core.attribution.METHODS`, which imports torch; a test keeps
#: the two equal).
EXPLAIN_METHODS = ("ig", "occlusion")


def _figure_paths(out: Path, count: int) -> list[Path]:
    """One figure per image: OUT itself for one image, OUT-1, OUT-2, … (same suffix) for more."""
    if count == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{index}{out.suffix}") for index in range(1, count + 1)]


def _cmd_explain(args: argparse.Namespace) -> int:
    if args.target is not None and not 0 <= args.target <= 9:
        raise LenetError(_("--target must be a digit from 0 to 9, not {target}").format(target=args.target))
    if args.out is not None:
        from lenet_app.core.explain_figure import FORMATS

        if args.out.suffix.lower().lstrip(".") not in FORMATS:
            names = ["." + fmt for fmt in FORMATS]
            raise LenetError(_("--out {path}: the figure's name must end in {suffixes} or {last}").format(
                path=args.out, suffixes=", ".join(names[:-1]), last=names[-1]))
        if not (args.out.parent if str(args.out.parent) else Path(".")).is_dir():
            raise LenetError(_("--out {path}: the folder {folder} does not exist").format(
                path=args.out, folder=args.out.parent))
    from lenet_app.core import load_model
    from lenet_app.core.explain_figure import save_figure
    from lenet_app.core.explanation import explain
    from lenet_app.core.inference import single_threaded
    from lenet_app.core.preprocess import ImageError, load_image

    model = load_model(args.model)
    outs = _figure_paths(args.out, len(args.images)) if args.out is not None else [None] * len(args.images)
    status = 0
    for path, out in zip(args.images, outs):
        try:
            with single_threaded():
                explanation = explain(model, load_image(path), args.method, args.target)
        except ImageError as exc:
            print(f"lenet-app: {exc}", file=sys.stderr)
            status = EXIT_USER_ERROR
            continue
        if explanation is None:
            print("lenet-app: " + _("{path}: no digit found in the picture").format(path=path),
                  file=sys.stderr)
            status = EXIT_USER_ERROR
            continue
        if args.json:
            print(json.dumps({"path": str(path), **explanation.to_dict()}), flush=True)
        else:
            save_figure(explanation, out, source=Path(path).name)
            digit = explanation.digit
            print(_("{path}: {digit} ({confidence:.1f}%), explained in {figure}").format(
                path=path, digit=digit, confidence=explanation.probabilities[digit] * 100,
                figure=out), flush=True)
    return status


def _cmd_download(args: argparse.Namespace) -> int:
    from lenet_app.core.mnist import download_mnist

    show = _progress_printer(sys.stderr)

    def progress(done: int, total: int | None) -> None:
        if total:
            show(_("downloading MNIST: {done:.1f} MB of {total:.1f} MB").format(done=done / 1e6,
                                                                               total=total / 1e6))
        else:
            show(_("downloading MNIST: {done:.1f} MB").format(done=done / 1e6))

    folder = download_mnist(args.dest, progress=progress)
    _clear_progress_line()
    print(_("MNIST is in {folder}").format(folder=folder))
    return 0


def _cmd_export_images(args: argparse.Namespace) -> int:
    from lenet_app.core.mnist import export_splits, load_split, require_mnist_dir

    directory = require_mnist_dir(args.data_dir)
    show = _progress_printer(sys.stderr)
    # Every split is read (and checked) before the first picture is written.
    splits = [load_split(directory, name) for name in dict.fromkeys(args.split)]
    results = export_splits(splits, args.out, fmt=args.format,
                            progress=lambda done, total: show(
                                _("{done:,}/{total:,} images").format(done=done, total=total)))
    _clear_progress_line()
    for split, result in zip(splits, results):
        print(_("{split}: wrote {written:,}, skipped {skipped:,} existing, in {folder}").format(
            split=split.name, written=result.written, skipped=result.skipped, folder=result.directory))
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    from lenet_app.gui.app import run_app

    return run_app()


# --- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lenet-app", description=_("LeNet Digits: with no command, opens the desktop app."))
    parser.add_argument("--version", action="version", version=f"LeNet Digits {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("--self-test", action="store_true",
                        help=_("start the app offscreen, predict a bundled sample, and exit"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    data_dir = argparse.ArgumentParser(add_help=False)
    data_dir.add_argument("--data-dir", type=Path, default=None,
                          help=_("folder holding MNIST (flat or torchvision MNIST/raw layout)"))
    model_opt = argparse.ArgumentParser(add_help=False)
    model_opt.add_argument("--model", default=None, metavar="MODEL",
                           help=_("a checkpoint, or a shipped model's name: {names} (default: {default})")
                           .format(names=", ".join(shipped_models()), default=DEFAULT_ARCHITECTURE))

    p = sub.add_parser("train", parents=[data_dir], help=_("train a model on MNIST"))
    add_arguments(p)
    p.add_argument("--out", type=Path, default=None,
                   help=_("checkpoint written after every epoch (default: ARCHITECTURE.pt)"))
    p.add_argument("--resume", type=Path, default=None, help=_("continue from a checkpoint"))
    p.add_argument("--finetune", default=None, metavar="MODEL",
                   help=_("start from this trained model (a checkpoint, or lenet5 for the shipped "
                          "model) and fine-tune it on your digits (needs --my-digits; default --out: "
                          "ARCHITECTURE-finetuned.pt). Options not given take the fine-tune recipe: "
                          "--epochs 1 --lr 0.001 --augment --label-smoothing 0"))
    p.add_argument("--my-digits", action="store_true",
                   help=_("mix your own digits (see `lenet-app my-digits`) into every batch, as "
                          "--own-share of it; the fixed fifth held out measures the gain"))
    p.add_argument("--slim", action="store_true",
                   help=_("when the run ends, keep only the weights and how they were trained in "
                          "--out, without the optimizer state --resume needs (a third of the size; "
                          "how the shipped models were made)"))
    p.add_argument("--json", action="store_true", help=_("one JSON object per training event"))
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("evaluate", parents=[data_dir, model_opt],
                       help=_("accuracy, per-class accuracy and confusion matrix"))
    which = p.add_mutually_exclusive_group()
    which.add_argument("--split", choices=("test", "train"), default="test")
    which.add_argument("--my-digits", action="store_true",
                       help=_("evaluate on your own digits (see `lenet-app my-digits`) instead of MNIST"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("predict", parents=[model_opt], help=_("read the digit in image files"))
    p.add_argument("images", nargs="+", type=Path)
    p.add_argument("--json", action="store_true", help=_("one JSON object per image"))
    p.set_defaults(func=_cmd_predict)

    p = sub.add_parser(
        "explain", parents=[model_opt], help=_("what each layer computes and which pixels mattered"),
        description=_("Explain the model's reading of each picture: every layer's activations, the "
                      "first convolutions' kernels, and an attribution map of the pixels that pushed "
                      "the model toward its answer, as a figure page or as JSON."))
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE",
                   help=_("a picture of one digit (a picture without one: a message, exit status 2)"))
    p.add_argument("--method", choices=EXPLAIN_METHODS, default="ig",
                   help=_("attribution method: Integrated Gradients (ig, the default) or occlusion"))
    p.add_argument("--target", type=int, default=None, metavar="K",
                   help=_("the digit to explain (default: the digit the model reads)"))
    output = p.add_mutually_exclusive_group(required=True)
    output.add_argument("--out", type=Path, default=None, metavar="FIGURE",
                        help=_("write the figure page (.png, .pdf or .svg); with several images, "
                               "one file each: FIGURE-1.png, FIGURE-2.png, … in the order given"))
    output.add_argument("--json", action="store_true",
                        help=_("one JSON object per image: the digit, each layer's shape and range, "
                               "the attribution's sum"))
    p.set_defaults(func=_cmd_explain)

    p = sub.add_parser("export-images", parents=[data_dir],
                       help=_("write every MNIST image as split_index_label.png"))
    p.add_argument("--out", type=Path, default=Path("mnist_images"))
    p.add_argument("--split", nargs="+", choices=("train", "test"), default=["train", "test"])
    p.add_argument("--format", choices=("png", "jpg"), default="png")
    p.set_defaults(func=_cmd_export_images)

    p = sub.add_parser("download", help=_("download MNIST into the user data folder"))
    p.add_argument("--dest", type=Path, default=None, help=_("folder to download into"))
    p.set_defaults(func=_cmd_download)

    _add_my_digits_parser(sub)

    p = sub.add_parser("runs", help=_("the training runs remembered: list, show, delete"),
                       description=_("Every training run, from the window or the command line, "
                                     "kept with its recipe, curves and checkpoint in the user data "
                                     "folder's runs folder."))
    json_opt = argparse.ArgumentParser(add_help=False)
    json_opt.add_argument("--json", action="store_true", help=_("JSON: one line per run for list, "
                                                                 "the whole record for show"))
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[json_opt], help=_("every run, newest first"))
    a = actions.add_parser("show", parents=[json_opt], help=_("one run's recipe, epochs and checkpoint"))
    a.add_argument("id", metavar="ID")
    a = actions.add_parser("delete", parents=[json_opt], help=_("forget a run and delete its checkpoint"))
    a.add_argument("id", metavar="ID")
    p.set_defaults(func=_cmd_runs)

    p = sub.add_parser("export", help=_("write a model as ONNX or TorchScript for other programs"),
                       description=_("The exported network reads N×1×28×28 pixels from 0 to 1 (white "
                                     "digit on black, as MNIST stores them), normalises them itself "
                                     "and returns logits and probabilities; the batch size is free."))
    p.add_argument("model", metavar="MODEL",
                   help=_("a checkpoint, or a shipped model's name: {names}").format(
                       names=", ".join(shipped_models())))
    p.add_argument("--format", choices=("onnx", "torchscript"), required=True)
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help=_("the file to write (default: ARCHITECTURE.onnx or ARCHITECTURE.pt here)"))
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("models", help=_("print each architecture's layer table"))
    p.add_argument("names", nargs="*", metavar="NAME",
                   help=_("architectures: {names} (default: all)").format(names=", ".join(architecture_names())))
    p.set_defaults(func=_cmd_models)
    return parser


def _add_my_digits_parser(sub) -> None:
    p = sub.add_parser(
        "my-digits", help=_("your own digits: list, add, remove, export, import"),
        description=_("Your own handwritten digits, kept in the user data folder (moved with "
                      "LENET_APP_DATA_DIR) and shared as a zip in MNIST's IDX format."))
    json_opt = argparse.ArgumentParser(add_help=False)
    json_opt.add_argument("--json", action="store_true",
                          help=_("JSON: one line per digit for list and add, one object otherwise"))
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[json_opt],
                       help=_("id, label, date and source of each digit"))
    a = actions.add_parser("add", parents=[json_opt], help=_("add pictures of one digit each"))
    a.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    a.add_argument("--label", type=int, required=True, metavar="K", help=_("the digit they show (0-9)"))
    a = actions.add_parser("remove", parents=[json_opt], help=_("remove one digit by its id"))
    a.add_argument("id", metavar="ID")
    a = actions.add_parser("export", parents=[json_opt], help=_("write all digits to a zip (IDX + PNG)"))
    a.add_argument("file", type=Path, metavar="FILE.zip")
    a = actions.add_parser("import", parents=[json_opt],
                           help=_("merge the digits of a zip, skipping duplicates"))
    a.add_argument("file", type=Path, metavar="FILE.zip")
    p.set_defaults(func=_cmd_my_digits)


def main(argv: Sequence[str] | None = None) -> int:
    install_for_argparse()
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    args.given_options = given_options(argv)
    runtime.configure("gui" if args.self_test or args.command is None else "cli")
    if args.self_test:
        from lenet_app.gui.app import self_test

        return self_test()
    if args.command is None:
        return _cmd_gui(args)
    try:
        return args.func(args)
    except LenetError as exc:
        print(f"lenet-app: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except (Cancelled, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
