"""The shipped models (issue 15): all five architectures ship trained, each scores the accuracy
its checkpoint records, the files stay small, and `--model NAME` reaches them from every command."""

from __future__ import annotations

import json

import pytest

from lenet_app.cli import main
from lenet_app.core.architectures import architecture_names, shipped_model_path, shipped_models
from lenet_app.core.checkpoint import CheckpointError, read_payload
from lenet_app.core.evaluation import evaluate
from lenet_app.core.inference import default_model_path, load_model, model_path
from lenet_app.core.mnist import load_split
from lenet_app.core.resources import resource_path

SAMPLE = resource_path("samples", "digit_3.png")


def test_every_architecture_ships_trained_within_5_mb_added():
    assert shipped_models() == architecture_names()
    added = sum(shipped_model_path(name).stat().st_size for name in shipped_models() if name != "lenet5")
    assert added <= 5 * 1024 * 1024, added


@pytest.mark.parametrize("name", architecture_names())
def test_a_shipped_model_scores_the_accuracy_it_records(name, mnist_dir):
    model = load_model(name)
    assert model.architecture == name and model.path == shipped_model_path(name)
    recorded = model.test_accuracy
    assert recorded is not None and recorded > 0.98, recorded
    result = evaluate(model.module, load_split(mnist_dir, "test"))
    assert abs(result.accuracy - recorded) * 100 <= 0.01, (result.accuracy, recorded)


@pytest.mark.parametrize("name", [n for n in architecture_names() if n != "lenet5"])
def test_the_new_shipped_models_carry_no_resume_state(name):
    """`train --slim`: weights and record only, which is what keeps them small."""
    payload = read_payload(shipped_model_path(name))
    assert "training_state" not in payload and payload["metadata"]["config"]["architecture"] == name


def test_a_name_or_a_path(tmp_path, monkeypatch):
    assert model_path(None) == default_model_path() == model_path("lenet5")
    assert model_path("cnn-bn") == shipped_model_path("cnn-bn")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cnn-bn").write_bytes(b"not a checkpoint")  # a file of that name wins
    assert model_path("cnn-bn").resolve() == (tmp_path / "cnn-bn").resolve()
    with pytest.raises(CheckpointError, match="no such file or shipped model.*lenet5-1998"):
        load_model("lenet6")


@pytest.mark.parametrize("command", ["predict", "explain", "export"])
def test_model_names_work_in_every_command(command, tmp_path, capsys):
    if command == "predict":
        argv = ["predict", "--model", "lenet-28", "--json", str(SAMPLE)]
    elif command == "explain":
        argv = ["explain", "--model", "cnn-dropout", "--json", str(SAMPLE)]
    else:
        argv = ["export", "cnn-bn", "--format", "torchscript", "--out", str(tmp_path / "m.pt")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    if command == "predict":
        assert json.loads(out.splitlines()[0])["digit"] == 3
    elif command == "explain":
        assert json.loads(out.splitlines()[0])["digit"] == 3
    else:
        assert (tmp_path / "m.pt").stat().st_size > 0


def test_evaluate_takes_a_name(mnist_dir, capsys):
    assert main(["evaluate", "--data-dir", str(mnist_dir), "--model", "lenet5-1998", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert abs(report["accuracy"] - load_model("lenet5-1998").test_accuracy) < 1e-4


def test_an_unknown_name_is_one_line_and_exit_2(capsys):
    assert main(["predict", "--model", "lenet6", str(SAMPLE)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "lenet6" in err and "cnn-bn" in err
