"""`lenet-app my-digits …` and `evaluate --my-digits`: the own-digit actions work headless."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw

from lenet_app.cli import main
from lenet_app.core.mnist import DATA_DIR_ENV
from lenet_app.core.my_digits import MyDigitsStore


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


def _one(path, width=22):
    image = Image.new("RGB", (200, 300), "white")
    ImageDraw.Draw(image).line([(100, 40), (100, 260)], fill="black", width=width)
    image.save(path, format="PNG")
    return path


def _seven(path):
    image = Image.new("L", (200, 200), 255)
    ImageDraw.Draw(image).line([(40, 40), (160, 40), (80, 170)], fill=0, width=18)
    image.save(path)
    return path


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_add_list_remove(data_dir, tmp_path, capsys):
    ones = [_one(tmp_path / f"one{i}.png", 16 + 4 * i) for i in range(2)]
    assert main(["my-digits", "add", *map(str, ones), "--label", "1", "--json"]) == 0
    added = _json_lines(capsys.readouterr().out)
    assert [a["label"] for a in added] == [1, 1] and [a["source"] for a in added] == ["file", "file"]
    assert [a["path"] for a in added] == [str(p) for p in ones]

    store = MyDigitsStore(data_dir / "my-digits")
    assert [r.id for r in store.records()] == [a["id"] for a in added]
    assert store.drawing_path(added[0]["id"]) is not None  # the picture it came from, kept

    assert main(["my-digits", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].split()[:2] == [added[0]["id"], "1"] and lines[0].endswith("file")
    assert main(["my-digits", "list", "--json"]) == 0
    assert [d["id"] for d in _json_lines(capsys.readouterr().out)] == [a["id"] for a in added]

    assert main(["my-digits", "remove", added[0]["id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == added[0]["id"]
    assert len(store) == 1


def test_list_when_empty(data_dir, capsys):
    assert main(["my-digits", "list"]) == 0
    assert "No digits of your own yet" in capsys.readouterr().out
    assert main(["my-digits", "list", "--json"]) == 0
    assert capsys.readouterr().out == ""
    assert not data_dir.exists()


def test_add_reports_bad_pictures_and_keeps_the_good(data_dir, tmp_path, capsys):
    blank = tmp_path / "blank.png"
    Image.new("L", (64, 64), 255).save(blank)
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    good = _one(tmp_path / "one.png")
    assert main(["my-digits", "add", str(blank), str(text), str(good), "--label", "1"]) == 2
    captured = capsys.readouterr()
    errors = captured.err.splitlines()
    assert len(errors) == 2 and all(e.startswith("lenet-app: ") for e in errors)
    assert str(blank) in errors[0] and "no digit" in errors[0]
    assert str(text) in errors[1]
    assert captured.out.startswith(f"{good}: added as ")
    assert len(MyDigitsStore(data_dir / "my-digits")) == 1


@pytest.mark.parametrize("argv, words", [
    (["my-digits", "add", "IMG", "--label", "10"], "from 0 to 9"),
    (["my-digits", "remove", "0123456789ab"], "no digit with id"),
    (["my-digits", "import", "MISSING.zip"], "file not found"),
    (["my-digits", "import", "IMG"], "not a zip file"),
    (["my-digits", "export", "nowhere/out.zip"], "does not exist"),
    (["evaluate", "--my-digits"], "no digits of your own yet"),
])
def test_user_errors_are_one_line_exit_2(data_dir, tmp_path, capsys, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    _one(tmp_path / "IMG")
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("lenet-app: ")
    assert words in captured.err and "Traceback" not in captured.err
    assert not (data_dir / "my-digits" / "manifest.json").exists()


def test_export_import_and_evaluate(data_dir, tmp_path, capsys, monkeypatch):
    _one(tmp_path / "one.png")
    _seven(tmp_path / "seven.png")
    assert main(["my-digits", "add", str(tmp_path / "one.png"), "--label", "1"]) == 0
    assert main(["my-digits", "add", str(tmp_path / "seven.png"), "--label", "7"]) == 0
    zip_path = tmp_path / "share.zip"
    assert main(["my-digits", "export", str(zip_path), "--json"]) == 0
    assert _json_lines(capsys.readouterr().out.splitlines()[-1])[-1] == {"path": str(zip_path), "count": 2}

    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "classmate"))
    assert main(["my-digits", "import", str(zip_path)]) == 0
    assert "Imported 2 digits" in capsys.readouterr().out
    assert main(["my-digits", "import", str(zip_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(zip_path), "added": 0, "duplicates": 2,
                                                   "relabelled": 0}
    mine = MyDigitsStore(data_dir / "my-digits").split()
    theirs = MyDigitsStore(tmp_path / "classmate" / "my-digits").split()
    assert np.array_equal(mine.images, theirs.images) and mine.labels.tolist() == theirs.labels.tolist()

    assert main(["evaluate", "--my-digits", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["split"] == "my" and report["accuracy"] == 1.0
    assert sum(map(sum, report["confusion"])) == 2
    assert report["per_class_accuracy"][0] is None and report["per_class_accuracy"][1] == 1.0
    assert main(["evaluate", "--my-digits"]) == 0
    out = capsys.readouterr().out
    assert "on your own 2 digits" in out and "Accuracy: 100.00% (2 of 2)" in out and "nan" not in out


def test_split_and_my_digits_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as info:
        main(["evaluate", "--my-digits", "--split", "train"])
    assert info.value.code == 2
