"""The command line proves every GUI action works headless; user errors exit 2 in one line."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image, ImageDraw

from lenet_app.cli import main
from lenet_app.core.checkpoint import load_checkpoint
from lenet_app.core.mnist import load_split


def _digit_png(path, digit_pixels):
    Image.fromarray(digit_pixels).resize((140, 140), Image.Resampling.BILINEAR).save(path)
    return path


@pytest.fixture(scope="module")
def test_split(mnist_dir):
    return load_split(mnist_dir, "test")


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert "LeNet Digits" in capsys.readouterr().out


def test_models_prints_every_summary(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    for name in ("lenet5", "lenet5-1998", "lenet-28", "cnn-bn", "cnn-dropout"):
        assert name in out
    assert "48,120" in out and "total" in out


def test_predict_json_reads_mnist_digits(tmp_path, capsys, test_split):
    paths = [_digit_png(tmp_path / f"d{i}.png", test_split.images[i]) for i in range(5)]
    blank = tmp_path / "blank.png"
    Image.new("L", (64, 64), 255).save(blank)
    assert main(["predict", "--json", *map(str, paths), str(blank)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["digit"] for line in lines[:5]] == test_split.labels[:5].tolist()
    assert all(len(line["probabilities"]) == 10 for line in lines)
    assert lines[5]["digit"] is None and lines[5]["path"] == str(blank)


def test_predict_dark_ink_on_paper(tmp_path, capsys):
    path = tmp_path / "one.png"
    image = Image.new("RGB", (200, 300), "white")
    ImageDraw.Draw(image).line([(100, 40), (100, 260)], fill="black", width=22)
    image.save(path)
    assert main(["predict", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: 1 (")


@pytest.mark.parametrize("content,match", [(None, "no such file|not found|cannot|No such"),
                                           (b"not an image", "image")])
def test_predict_user_errors_exit_2(tmp_path, capsys, content, match):
    path = tmp_path / "x.png"
    if content is not None:
        path.write_bytes(content)
    assert main(["predict", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("lenet-app:") and len(err.splitlines()) == 1


def test_corrupt_checkpoint_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"garbage")
    image = tmp_path / "i.png"
    Image.new("L", (28, 28), 0).save(image)
    assert main(["predict", "--model", str(bad), str(image)]) == 2
    assert "bad.pt" in capsys.readouterr().err


def test_missing_mnist_exit_2(tmp_path, capsys):
    assert main(["evaluate", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "MNIST" in err and len(err.strip().splitlines()) == 1


def test_evaluate_default_model(mnist_dir, capsys):
    assert main(["evaluate", "--data-dir", str(mnist_dir), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["accuracy"] >= 0.993
    assert np.array(report["confusion"]).sum() == 10000


def test_train_json_and_checkpoint(mnist_dir, tmp_path, capsys):
    out = tmp_path / "m.pt"
    code = main(["train", "--data-dir", str(mnist_dir), "--subset", "1000", "--epochs", "1",
                 "--batch-size", "100", "--out", str(out), "--json"])
    assert code == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds.count("batch") == 10 and kinds[-2:] == ["epoch_end", "finished"]
    epoch = events[-2]
    assert epoch["epoch"] == 1 and 0 <= epoch["test_accuracy"] <= 1 and epoch["train_seconds"] > 0
    assert load_checkpoint(out).epochs_trained == 1


def test_train_bad_option_exit_2(capsys, mnist_dir):
    assert main(["train", "--data-dir", str(mnist_dir), "--epochs", "0"]) == 2
    err = capsys.readouterr().err
    assert "--epochs" in err and len(err.strip().splitlines()) == 1


def test_train_prints_the_run_summary_and_one_line_per_epoch(mnist_dir, tmp_path, capsys):
    out = tmp_path / "m.pt"
    assert main(["train", "--data-dir", str(mnist_dir), "--subset", "500", "--epochs", "1",
                 "--device", "cpu", "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Training lenet5 on cpu: 500 training images, 1 epoch, batch 64, adam")
    assert lines[1].startswith("epoch 1/1: train loss ") and "test loss" in lines[1]
    assert lines[2].startswith("Finished: 1 epochs") and lines[2].endswith(f"Saved to {out}")


def test_resuming_a_run_that_is_already_done_exit_2(mnist_dir, capsys):
    from lenet_app.core import default_model_path

    # The shipped model's 20 epochs are more than the 2 asked for by default.
    assert main(["train", "--data-dir", str(mnist_dir), "--resume", str(default_model_path())]) == 2
    err = capsys.readouterr().err
    assert "already has 20 epochs" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("stop", ["cancelled", "ctrl-c"])
def test_cancel_or_ctrl_c_exits_130_quietly(monkeypatch, tmp_path, capsys, stop):
    from lenet_app.core import mnist
    from lenet_app.core.errors import Cancelled

    def interrupted(dest=None, progress=None, cancel=None):
        raise Cancelled("download cancelled") if stop == "cancelled" else KeyboardInterrupt

    monkeypatch.setattr(mnist, "download_mnist", interrupted)
    assert main(["download", "--dest", str(tmp_path)]) == 130
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["train", "--help"], ["models", "--help"],
                                  ["explain", "--help"]])
def test_version_and_help_do_not_import_torch(argv):
    """`--version` and `--help` answer at once: the parser is built from torch-free modules."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "lenet_app", *argv],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and ("LeNet Digits" in result.stdout or "usage:" in result.stdout)
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    heavy = sorted(m for m in imported if m.split(".")[0] in ("torch", "numpy", "PySide6", "PIL"))
    assert "lenet_app.cli" in imported and not heavy, heavy


def test_export_images(mnist_dir, tmp_path, capsys, monkeypatch):
    from lenet_app.core import mnist

    real = mnist.load_split

    def small(directory, split):
        data = real(directory, split)
        return mnist.MnistSplit(data.name, data.images[:12], data.labels[:12])

    monkeypatch.setattr(mnist, "load_split", small)
    assert main(["export-images", "--data-dir", str(mnist_dir), "--split", "test",
                 "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 12 and names[0].startswith("test_0_7")
    assert "skipped 0" in capsys.readouterr().out


def test_python_dash_m_runs_in_subprocess():
    result = subprocess.run([sys.executable, "-m", "lenet_app", "models", "lenet5"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "C5" in result.stdout
    result = subprocess.run([sys.executable, "-m", "lenet_app", "predict", "/nonexistent.png"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr


# --- explain ----------------------------------------------------------------------------------


def test_help_lists_explain(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "explain" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["explain", "--help"])
    out = capsys.readouterr().out
    assert "--out FIGURE" in out and "--json" in out and "FIGURE-1.png" in out


def test_explain_methods_are_the_cores():
    from lenet_app.cli import EXPLAIN_METHODS
    from lenet_app.core.attribution import METHODS

    assert set(EXPLAIN_METHODS) == set(METHODS)


def test_explain_json_one_line_per_image(tmp_path, capsys, test_split):
    from lenet_app.core.models import summary

    paths = [_digit_png(tmp_path / f"d{i}.png", test_split.images[i]) for i in range(3)]
    assert main(["explain", "--json", *map(str, paths)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["path"] for line in lines] == list(map(str, paths))
    assert [line["digit"] for line in lines] == test_split.labels[:3].tolist()
    rows = summary("lenet5")
    for line in lines:
        assert [layer["name"] for layer in line["layers"]] == [row.name for row in rows]
        assert [tuple(layer["shape"]) for layer in line["layers"]] == [row.output_shape for row in rows]
        assert all(layer["min"] <= layer["max"] for layer in line["layers"])
        attribution = line["attribution"]
        assert attribution["method"] == "ig" and attribution["target"] == line["digit"]
        difference = attribution["logit_difference"]
        assert abs(attribution["sum"] - difference) <= 0.05 * abs(difference)


def test_explain_json_occlusion_of_another_digit(tmp_path, capsys, test_split):
    path = _digit_png(tmp_path / "d.png", test_split.images[0])  # a 7
    assert main(["explain", "--json", "--method", "occlusion", "--target", "1", str(path)]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["digit"] == 7
    assert line["attribution"]["method"] == "occlusion" and line["attribution"]["target"] == 1


def test_explain_writes_one_figure(tmp_path, capsys, test_split):
    from PIL import Image as PilImage

    path = _digit_png(tmp_path / "seven.png", test_split.images[0])
    out = tmp_path / "why.png"
    assert main(["explain", str(path), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: 7 (100.0%), explained in {out}"
    with PilImage.open(out) as figure:
        assert figure.format == "PNG" and figure.width >= 1200 and figure.height > figure.width
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_explain_several_images_numbers_the_figures(tmp_path, capsys, test_split):
    paths = [_digit_png(tmp_path / f"d{i}.png", test_split.images[i]) for i in range(2)]
    blank = tmp_path / "blank.png"
    Image.new("L", (64, 64), 255).save(blank)
    out = tmp_path / "figs" / "page.pdf"
    out.parent.mkdir()
    assert main(["explain", *map(str, paths), str(blank), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert sorted(p.name for p in out.parent.iterdir()) == ["page-1.pdf", "page-2.pdf"]
    assert (out.parent / "page-1.pdf").read_bytes().startswith(b"%PDF")
    assert len(captured.out.splitlines()) == 2
    assert captured.err.strip() == f"lenet-app: {blank}: no digit found in the picture"


@pytest.mark.parametrize("argv,match", [
    (["--target", "10", "--json"], "--target must be a digit from 0 to 9"),
    (["--out", "fig.jpg"], "must end in .png, .pdf or .svg"),
    (["--out", "no/such/folder/fig.png"], "does not exist"),
])
def test_explain_user_errors_exit_2(tmp_path, capsys, test_split, monkeypatch, argv, match):
    monkeypatch.chdir(tmp_path)
    path = _digit_png(tmp_path / "d.png", test_split.images[0])
    assert main(["explain", str(path), *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("lenet-app:") and match in err and len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.png"]


def test_explain_blank_or_unreadable_picture_exit_2(tmp_path, capsys):
    blank = tmp_path / "blank.png"
    Image.new("L", (64, 64), 0).save(blank)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    for path in (blank, broken):
        assert main(["explain", "--json", str(path)]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.startswith(f"lenet-app: {path}")
        assert len(captured.err.strip().splitlines()) == 1
