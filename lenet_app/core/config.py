"""Every option of a training run, declared once: default, label, help, limits and CLI flag.

Each `TrainConfig` field carries an `Option` in its metadata. From it come `validate()` (its
messages name the option), the options of `lenet-app train` (`add_arguments`) and the rows of
the GUI's Train form (`lenet_app.gui.train.form`). Adding a knob means adding one field here.

This module imports neither torch nor Qt, so `lenet-app --help` stays fast. Labels and help
texts are plain English; the GUI translates them with the context "TrainConfig".
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

from lenet_app.core.architectures import ARCHITECTURES, DEFAULT_ARCHITECTURE
from lenet_app.core.errors import LenetError
from lenet_app.core.i18n import _, ngettext

MNIST_TRAIN_SIZE = 60_000
MAX_SEED = 2**31 - 1
DEVICES = ("auto", "cpu", "cuda", "mps")
_CUDA_INDEX = re.compile(r"cuda:\d+")
NOT_SET: Any = object()  # an `Option.absent` that was not given


class TrainingError(LenetError):
    """A configuration or environment problem the user can fix (bad value, missing device)."""


class ConfigError(TrainingError, ValueError):
    """One option has a value it cannot take; `option` is the field's name."""

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        super().__init__(message)


@dataclass(frozen=True)
class Option:
    """How one `TrainConfig` field is shown, checked and typed on the command line.

    `minimum`/`maximum` are inclusive unless `*_open` says the bound itself is excluded;
    `choices` pairs each allowed value with its label; `expects` lists the forms of a value that
    `check` accepts, for its message. `step`, `decimals` and `log_scale`
    are hints for the form's spin boxes; `special` names the minimum value (e.g. 0 = all);
    `text` is a check box's own text; `legacy` lists names the field had in older files;
    `applies_when` = (other field, value) when the option only matters for that value;
    `absent` is the value a saved config from before the option existed had in effect (when it
    differs from today's default), so an old run resumes with its own recipe.
    """

    label: str
    help: str
    group: str
    flag: str = ""
    minimum: float | None = None
    maximum: float | None = None
    min_open: bool = False
    max_open: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    check: Callable[[Any], bool] | None = None
    expects: tuple[str, ...] = ()
    step: float | None = None
    decimals: int | None = None
    log_scale: bool = False
    special: str = ""
    text: str = ""
    legacy: tuple[str, ...] = ()
    applies_when: tuple[str, str] | None = None
    absent: Any = NOT_SET

    @property
    def plain_label(self) -> str:
        """The label without its keyboard mnemonic."""
        return self.label.replace("&", "")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)


def option(default: Any, label: str, help: str, group: str, **kwargs: Any) -> Any:
    """A dataclass field with its `Option` (as `metadata["option"]`)."""
    return dataclasses.field(default=default, metadata={"option": Option(label, help, group, **kwargs)})


MODEL_GROUP = "Model"
OPTIMISATION_GROUP = "Optimisation"
DATA_GROUP = "Data and hardware"
GROUPS = (MODEL_GROUP, OPTIMISATION_GROUP, DATA_GROUP)


def _is_device(value: Any) -> bool:
    return isinstance(value, str) and (value in DEVICES or _CUDA_INDEX.fullmatch(value) is not None)


@dataclass
class TrainConfig:
    """Every knob of a training run.

    The defaults are the project's fast recipe: `lenet5`, one epoch of batches of 64, Adam
    (β2 0.99) on a one-cycle schedule warming up for a fifth of the run, and label smoothing
    0.1; it passes 99.0% test accuracy (benchmarks/RESULTS.md: the time and the seeds).
    """

    architecture: str = option(
        DEFAULT_ARCHITECTURE, "&Architecture",
        "Which network to train. All of them read a 28×28 digit and output a score for each "
        "digit 0–9; they differ in their layers.",
        MODEL_GROUP, flag="--model", choices=tuple((name, name) for name in ARCHITECTURES),
        legacy=("model",))
    epochs: int = option(
        1, "&Epochs",
        "How many times the network sees every training image. More epochs learn more, until "
        "the test accuracy stops improving.",
        OPTIMISATION_GROUP, minimum=1, maximum=1000)
    batch_size: int = option(
        64, "&Batch size",
        "How many images are averaged for each weight update. Larger batches run faster per "
        "image but update the weights less often.",
        OPTIMISATION_GROUP, minimum=1, maximum=MNIST_TRAIN_SIZE, step=32)
    optimizer: str = option(
        "adam", "Optimi&zer",
        "How the weights move downhill on the loss. SGD takes plain steps (with momentum, like a "
        "rolling ball); Adam adapts the step of each weight and is less sensitive to the "
        "learning rate.",
        OPTIMISATION_GROUP, choices=(("sgd", "SGD with momentum"), ("adam", "Adam")))
    lr: float = option(
        0.006, "&Learning rate",
        "The size of each weight update. Too small: learning crawls. Too large: the loss jumps "
        "around or becomes NaN (diverges).",
        OPTIMISATION_GROUP, minimum=1e-7, maximum=1e7, log_scale=True)
    beta2: float = option(
        0.99, "Adam β2",
        "Adam only: how long Adam remembers the size of past gradients to scale each step "
        "(0.99 ≈ the last 100 steps, 0.999 ≈ the last 1,000). A shorter memory suits short runs.",
        OPTIMISATION_GROUP, minimum=0.0, maximum=1.0, max_open=True, step=0.001, decimals=4,
        applies_when=("optimizer", "adam"), absent=0.999)
    momentum: float = option(
        0.9, "&Momentum",
        "SGD only: how much of the previous step carries into the next one (0 = none, 0.9 = a "
        "lot). It smooths and speeds up SGD.",
        OPTIMISATION_GROUP, minimum=0.0, maximum=1.0, max_open=True, step=0.05, decimals=3,
        applies_when=("optimizer", "sgd"))
    weight_decay: float = option(
        0.0, "&Weight decay",
        "Pulls every weight slightly towards zero at each step, which can reduce overfitting. "
        "0 turns it off; try 0.0001.",
        OPTIMISATION_GROUP, minimum=0.0, maximum=1.0, log_scale=True)
    schedule: str = option(
        "onecycle", "S&chedule",
        "How the learning rate changes during the run. Constant keeps it; step decay multiplies "
        "it by gamma after every epoch; one-cycle ramps it up, then smoothly down to almost zero.",
        OPTIMISATION_GROUP, choices=(("none", "Constant"), ("step", "Step decay (× gamma each epoch)"),
                                     ("onecycle", "One-cycle (warm up, then anneal)")))
    warmup: float = option(
        0.2, "Warm-up share",
        "One-cycle only: the share of the run during which the learning rate climbs to its peak "
        "before it anneals (0.2 = the first fifth).",
        OPTIMISATION_GROUP, minimum=0.0, maximum=1.0, max_open=True, step=0.05, decimals=2,
        applies_when=("schedule", "onecycle"), absent=0.3)
    step_gamma: float = option(
        0.7, "Step &gamma",
        "Step decay only: the factor the learning rate is multiplied by after each epoch "
        "(0.7 = 30% smaller every epoch).",
        OPTIMISATION_GROUP, minimum=0.0, maximum=1.0, min_open=True, step=0.05, decimals=2,
        applies_when=("schedule", "step"))
    loss: str = option(
        "cross-entropy", "Loss",
        "What the network minimises. Cross-entropy punishes confident wrong answers and is the "
        "usual choice; mean squared error against the one-hot target is the older, slower "
        "alternative.",
        OPTIMISATION_GROUP, choices=(("cross-entropy", "Cross-entropy"),
                                     ("mse", "Mean squared error on one-hot")))
    label_smoothing: float = option(
        0.1, "Label smoothing",
        "Cross-entropy only: the target gives this share of its weight to the other nine digits "
        "instead of all to the right one (0 = off). A little smoothing stops the network from "
        "chasing certainty and helps short runs generalise.",
        OPTIMISATION_GROUP, minimum=0.0, maximum=1.0, max_open=True, step=0.05, decimals=2,
        applies_when=("loss", "cross-entropy"), absent=0.0)
    augment: bool = option(
        False, "Augment",
        "Show the network slightly distorted copies of each digit (±12°, ±15% size, ±2.5 px), "
        "so it learns the shape rather than the exact pixels. Usually helps test accuracy on "
        "long runs.",
        DATA_GROUP, text="&Randomly rotate, scale and shift digits")
    subset: int = option(
        0, "Training subset",
        "Train on a random sample of this many training images for a quick experiment "
        "(0 = all 60,000). Testing always uses all 10,000 test images.",
        DATA_GROUP, minimum=0, maximum=MNIST_TRAIN_SIZE, step=1000, special="All 60,000 images")
    own_share: float = option(
        0.25, "Share of my digits",
        "Fine-tuning on your own digits only: the share of each batch taken from your digits "
        "(drawn again and again, however few they are), the rest from MNIST so that it is not "
        "forgotten. 0.25 = a quarter of every batch.",
        DATA_GROUP, minimum=0.0, maximum=0.9, step=0.05, decimals=2)
    seed: int = option(
        0, "Seed",
        "Starting point of the random numbers (initial weights, shuffling, subset). The same "
        "seed and settings give the same run.",
        DATA_GROUP, minimum=0, maximum=MAX_SEED)
    device: str = option(
        "auto", "Device",
        "Where the arithmetic runs: a GPU is much faster than the CPU. Auto picks the fastest "
        "this computer has (cuda, cuda:N for an NVIDIA GPU, mps for Apple's).",
        DATA_GROUP, check=_is_device, expects=("auto", "cpu", "cuda", "cuda:N", "mps"))
    threads: int = option(
        0, "CPU threads",
        "How many CPU cores PyTorch may use when training on the CPU (0 = Auto, PyTorch's "
        "choice). Fewer leaves room for other programs.",
        DATA_GROUP, minimum=0, special="Auto")

    def validate(self) -> None:
        """Raise `ConfigError` naming the first option whose value is out of its limits."""
        for name, opt in options():
            problem = _problem(opt, getattr(self, name), type(_default(name)))
            if problem:
                raise ConfigError(name, _("{label} ({flag}) {problem}").format(
                    label=_(opt.plain_label), flag=_flag(name), problem=problem))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "TrainConfig":
        """A config from `to_dict()` output, also of older versions (renamed keys); unknown keys
        are ignored and missing ones take their `absent` value or their defaults. Values are
        not checked: `validate()`."""
        known: dict[str, Any] = {}
        for name, opt in options():
            for key in (name, *opt.legacy):
                if key in values:
                    known[name] = values[key]
                    break
            else:
                if opt.absent is not NOT_SET:
                    known[name] = opt.absent
        return cls(**known)

    def applies(self, name: str) -> bool:
        """Whether option `name` matters with the other values (momentum only for SGD…)."""
        condition = get_option(name).applies_when
        return condition is None or getattr(self, condition[0]) == condition[1]

    def describe(self, device: str | None = None, images: int | None = None,
                 own_digits: int | None = None) -> str:
        """The one-line run summary the CLI prints and the Train tab logs, e.g.
        "lenet5 on cpu: 60,000 training images, 1 epoch, batch 64, adam lr 0.006 β2 0.99,
        onecycle schedule (warm-up 0.2), cross-entropy loss (label smoothing 0.1), seed 0".
        `own_digits` (a fine-tune: how many of the user's digits it trains on) adds their share."""
        parts = []
        if images is not None or self.subset:
            parts.append(_("{count:,} training images").format(count=images if images is not None else self.subset))
        if own_digits is not None:
            parts.append(_("{count:,} of my digits as {share:g} of each batch").format(
                count=own_digits, share=self.own_share))
        parts += [ngettext("{count} epoch", "{count} epochs", self.epochs).format(count=self.epochs),
                  _("batch {size}").format(size=self.batch_size)]
        optimiser = [_("{optimizer} lr {lr:g}").format(optimizer=self.optimizer, lr=self.lr)]
        if self.applies("momentum"):
            optimiser.append(_("momentum {momentum:g}").format(momentum=self.momentum))
        if self.applies("beta2"):
            optimiser.append(f"β2 {self.beta2:g}")
        if self.weight_decay:
            optimiser.append(_("weight decay {weight_decay:g}").format(weight_decay=self.weight_decay))
        parts.append(" ".join(optimiser))
        if self.schedule == "none":
            schedule = _("constant learning rate")
        else:
            schedule = _("{schedule} schedule").format(schedule=self.schedule)
        if self.applies("step_gamma"):
            schedule = _("{what} ({detail})").format(what=schedule, detail=_("gamma {gamma:g}").format(
                gamma=self.step_gamma))
        if self.applies("warmup"):
            schedule = _("{what} ({detail})").format(what=schedule, detail=_("warm-up {warmup:g}").format(
                warmup=self.warmup))
        loss = _("{loss} loss").format(loss=self.loss)
        if self.applies("label_smoothing") and self.label_smoothing:
            loss = _("{what} ({detail})").format(what=loss, detail=_("label smoothing {smoothing:g}").format(
                smoothing=self.label_smoothing))
        parts += [schedule, loss]
        if self.augment:
            parts.append(_("augmented"))
        parts.append(_("seed {seed}").format(seed=self.seed))
        if self.threads:
            parts.append(ngettext("{count} CPU thread", "{count} CPU threads", self.threads).format(count=self.threads))
        where = device if device is not None else self.device
        return _("{architecture} on {device}: {parts}").format(
            architecture=self.architecture, device=where, parts=_(", ").join(parts))


def options() -> Iterator[tuple[str, Option]]:
    """(field name, Option) for every `TrainConfig` field, in declaration order."""
    for f in dataclasses.fields(TrainConfig):
        yield f.name, f.metadata["option"]


def get_option(name: str) -> Option:
    return TrainConfig.__dataclass_fields__[name].metadata["option"]


def _default(name: str) -> Any:
    return TrainConfig.__dataclass_fields__[name].default


def _flag(name: str) -> str:
    """The option's command-line flag: its own `flag`, or the field name with dashes."""
    return get_option(name).flag or "--" + name.replace("_", "-")


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e12 else f"{value:g}"


def _problem(opt: Option, value: Any, kind: type) -> str:
    """What is wrong with `value` for this option, as the end of a sentence; "" if nothing."""
    if kind is bool:
        return "" if isinstance(value, bool) else _("must be true or false")
    if kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _("must be a number, not {value!r}").format(value=value)
        if kind is int and value != int(value):
            return _("must be a whole number, not {value!r}").format(value=value)
        if not math.isfinite(value):
            return _("must be a finite number, not {value}").format(value=value)
        low, high = opt.minimum, opt.maximum
        too_low = low is not None and (value <= low if opt.min_open else value < low)
        too_high = high is not None and (value >= high if opt.max_open else value > high)
        if too_low or too_high:
            shown = _number(value)
            if high is None:
                text = _("must be more than {low}, not {value}") if opt.min_open else \
                    _("must be at least {low}, not {value}")
                return text.format(low=_number(low), value=shown)
            if low is None:
                text = _("must be less than {high}, not {value}") if opt.max_open else \
                    _("must be at most {high}, not {value}")
                return text.format(high=_number(high), value=shown)
            left, right = "(" if opt.min_open else "[", ")" if opt.max_open else "]"
            return _("must be in {range}, not {value}").format(
                range=f"{left}{_number(low)}, {_number(high)}{right}", value=shown)
        return ""
    if opt.choices:
        if value in opt.values:
            return ""
        return _("must be one of {choices}, not {value!r}").format(choices=", ".join(opt.values), value=value)
    if opt.check is not None and not opt.check(value):
        return _("must be one of {choices} or {last}, not {value!r}").format(
            choices=", ".join(opt.expects[:-1]), last=opt.expects[-1], value=value)
    return ""


# --- the command line -----------------------------------------------------------------------


def _join_sentences(sentences: list[str]) -> str:
    """Sentences one after another: a space after an English full stop, none after a Chinese one."""
    text = ""
    for sentence in sentences:
        text += sentence if not text or text.endswith("。") else " " + sentence
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One `lenet-app train` option per field: `--flag`, type, default, choices and help."""
    for name, opt in options():
        default = _default(name)
        help_text = _(opt.help).replace("%", "%%")  # the Qt catalogue's translation, shared
        if isinstance(default, bool):
            parser.add_argument(_flag(name), dest=name, default=default,
                                action=argparse.BooleanOptionalAction, help=help_text)
            continue
        sentences = [help_text]
        if opt.minimum is not None and opt.maximum is not None:
            left, right = "(" if opt.min_open else "[", ")" if opt.max_open else "]"
            sentences.append(_("Range {range}.").format(
                range=f"{left}{_number(opt.minimum)}, {_number(opt.maximum)}{right}"))
        elif opt.minimum is not None:
            sentences.append((_("More than {value}.") if opt.min_open else _("At least {value}.")).format(
                value=_number(opt.minimum)))
        sentences.append(_("Default: %(default)s."))
        parser.add_argument(_flag(name), dest=name, type=type(default), default=default,
                            choices=opt.values or None, metavar=None if opt.choices else name.upper(),
                            help=_join_sentences(sentences))


def given_options(argv: Sequence[str]) -> set[str]:
    """The `TrainConfig` fields whose flag the command line `argv` sets (`--lr 0.1`, `--lr=0.1`,
    `--no-augment`, or an abbreviation argparse accepts), so a caller can tell a value the user
    asked for from a default."""
    flags = {_flag(name): name for name, _ in options()}
    flags.update({"--no-" + _flag(name)[2:]: name for name, _ in options() if isinstance(_default(name), bool)})
    given = set()
    for token in argv:
        if not token.startswith("--"):
            continue
        word = token.split("=", 1)[0]
        matches = {name for flag, name in flags.items() if flag == word or (len(word) > 3 and flag.startswith(word))}
        if word in flags:
            matches = {flags[word]}
        if len(matches) == 1:
            given |= matches
    return given


def from_arguments(args: argparse.Namespace) -> TrainConfig:
    return TrainConfig(**{name: getattr(args, name) for name, _ in options()})
