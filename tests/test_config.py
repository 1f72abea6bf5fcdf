"""`TrainConfig` is declared once; validation, the CLI options and old files all follow it."""

import argparse

import pytest

from lenet_app.cli import build_parser
from lenet_app.core.config import ConfigError, TrainConfig, TrainingError, add_arguments, from_arguments, options
from lenet_app.core.errors import LenetError


def test_every_option_is_documented_and_its_limits_are_enforced():
    for name, opt in options():
        assert opt.label and opt.help and opt.group, name
        default = getattr(TrainConfig(), name)
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            if opt.minimum is not None:
                below = opt.minimum if opt.min_open else opt.minimum - (1 if isinstance(default, int) else 1e-9)
                with pytest.raises(ConfigError) as info:
                    TrainConfig(**{name: type(default)(below)}).validate()
                assert info.value.option == name and opt.plain_label in str(info.value)
    TrainConfig().validate()


@pytest.mark.parametrize("values,option,words", [
    ({"epochs": 0}, "epochs", "Epochs (--epochs) must be in [1, 1000], not 0"),
    ({"lr": float("inf")}, "lr", "Learning rate (--lr) must be a finite number"),
    ({"momentum": 1.0}, "momentum", "[0, 1)"),
    ({"optimizer": "lion"}, "optimizer", "must be one of sgd, adam"),
    ({"architecture": "resnet50"}, "architecture", "Architecture (--model)"),
    ({"device": "gpu"}, "device", "cuda:N"),
    ({"augment": "yes"}, "augment", "true or false"),
    ({"batch_size": 1.5}, "batch_size", "whole number"),
])
def test_validation_names_the_option(values, option, words):
    with pytest.raises(ConfigError) as info:
        TrainConfig(**values).validate()
    assert info.value.option == option and words in str(info.value)
    assert isinstance(info.value, TrainingError) and isinstance(info.value, LenetError)


def test_cli_options_are_generated_from_the_fields():
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert from_arguments(parser.parse_args([])) == TrainConfig()
    args = parser.parse_args(["--model", "cnn-bn", "--epochs", "3", "--batch-size", "64", "--lr", "0.01",
                              "--step-gamma", "0.5", "--augment", "--device", "cuda:1", "--subset", "100"])
    assert from_arguments(args) == TrainConfig(architecture="cnn-bn", epochs=3, batch_size=64, lr=0.01,
                                               step_gamma=0.5, augment=True, device="cuda:1", subset=100)
    with pytest.raises(SystemExit):
        parser.parse_args(["--optimizer", "lion"])
    train = build_parser().parse_args(["train", "--model", "lenet-28"])
    assert from_arguments(train).architecture == "lenet-28"


def test_configs_written_before_the_rename_still_load():
    old = {"model": "cnn-bn", "epochs": 4, "unknown_future_key": 1}
    # Options added later take the value that was in effect before they existed.
    assert TrainConfig.from_dict(old) == TrainConfig(architecture="cnn-bn", epochs=4, beta2=0.999,
                                                     warmup=0.3, label_smoothing=0.0)
    assert TrainConfig.from_dict(TrainConfig(seed=3).to_dict()) == TrainConfig(seed=3)
    assert "model" not in TrainConfig().to_dict()


def test_describe_is_the_run_summary():
    assert TrainConfig().describe("cpu", 60_000) == (
        "lenet5 on cpu: 60,000 training images, 1 epoch, batch 64, adam lr 0.006 β2 0.99, onecycle "
        "schedule (warm-up 0.2), cross-entropy loss (label smoothing 0.1), seed 0")
    text = TrainConfig(optimizer="sgd", schedule="step", augment=True, subset=500).describe()
    assert text.startswith("lenet5 on auto: 500 training images") and "momentum 0.9" in text
    assert "(gamma 0.7)" in text and "augmented" in text
    assert "momentum" not in TrainConfig().describe()  # Adam has none
    assert "β2" not in text and "warm-up" not in text  # SGD, step decay
    assert "label smoothing" not in TrainConfig(loss="mse").describe()
    constant = TrainConfig(optimizer="sgd", schedule="none").describe()
    assert "constant learning rate," in constant and "schedule" not in constant


def test_given_options_are_the_flags_on_the_command_line():
    from lenet_app.core.config import given_options

    argv = ["train", "--lr", "0.1", "--epoch=3", "--no-augment", "--data-dir", "x", "--json"]
    assert given_options(argv) == {"lr", "epochs", "augment"}
    assert given_options(["train", "--label-smoothing", "0"]) == {"label_smoothing"}
    assert given_options(["train"]) == set()
