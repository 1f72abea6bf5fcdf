"""The run history (issue 15): every training run, CLI or GUI, kept as JSON beside its checkpoint
in the user data folder; it survives a restart, a corrupt file or one from a newer version is one
message and the other runs still list; `lenet-app runs list|show|delete`."""

from __future__ import annotations

import json

import pytest

from lenet_app.cli import main
from lenet_app.core.config import TrainConfig
from lenet_app.core.mnist import load_mnist
from lenet_app.core.run_history import (
    FORMAT_VERSION,
    RunHistory,
    RunHistoryError,
    RunRecord,
    RunRecorder,
    new_run_id,
    runs_dir,
)
from lenet_app.core.training import Trainer


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LENET_APP_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _train(mnist_dir, *extra: str) -> int:
    return main(["train", "--data-dir", str(mnist_dir), "--subset", "640", "--epochs", "2",
                 "--batch-size", "64", "--threads", "1", *extra])


def test_a_cli_run_is_kept_beside_its_checkpoint(data_dir, mnist_dir, tmp_path, capsys):
    assert _train(mnist_dir, "--out", str(tmp_path / "m.pt"), "--json") == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    run = next(line for line in lines if line["event"] == "run")
    history = RunHistory()  # a new object: what a later start of the app reads
    assert history.folder == runs_dir() == data_dir / "runs"
    record = history.load(run["id"])
    assert record.status == "finished" and record.surface == "cli" and record.device == "cpu"
    assert record.config["epochs"] == 2 and record.config["subset"] == 640 and record.images == 640
    assert len(record.batch_loss) == 20 and record.steps_per_epoch == 10
    assert [row["epoch"] for row in record.epochs] == [1, 2]
    finished = next(line for line in lines if line["event"] == "finished")
    assert record.test_accuracy == pytest.approx(finished["test_accuracy"])
    assert record.epochs[-1]["test_accuracy"] == pytest.approx(finished["test_accuracy"])
    assert record.seconds > 0 and history.checkpoint_path(record).is_file()
    assert history.checkpoint_path(record).read_bytes() == (tmp_path / "m.pt").read_bytes()


def test_runs_list_show_delete(data_dir, mnist_dir, tmp_path, capsys):
    assert _train(mnist_dir, "--out", str(tmp_path / "a.pt")) == 0
    assert _train(mnist_dir, "--out", str(tmp_path / "b.pt"), "--optimizer", "sgd", "--lr", "0.05") == 0
    capsys.readouterr()
    assert main(["runs", "list", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(listed) == 2 and listed[0]["created"] >= listed[1]["created"]
    newest = listed[0]["id"]
    assert main(["runs", "show", newest]) == 0
    shown = capsys.readouterr().out
    assert newest in shown and "optimizer=sgd" in shown and "epoch 2:" in shown
    assert main(["runs", "show", newest, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["config"]["optimizer"] == "sgd"
    checkpoint = RunHistory().checkpoint_path(RunHistory().load(newest))
    assert main(["runs", "delete", newest]) == 0
    assert f"Deleted run {newest}" in capsys.readouterr().out
    assert not checkpoint.exists() and (tmp_path / "b.pt").exists()  # the user's --out is theirs
    assert main(["runs", "list"]) == 0
    assert newest not in capsys.readouterr().out
    assert main(["runs", "show", newest]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and newest in err


def test_a_corrupt_or_newer_file_is_one_message_and_the_rest_still_list(data_dir, mnist_dir, tmp_path, capsys):
    assert _train(mnist_dir, "--out", str(tmp_path / "a.pt")) == 0
    folder = data_dir / "runs"
    good = RunHistory().runs()[0][0]
    (folder / "broken-1.json").write_bytes(b"{\"format\": \"lenet-app-run\", \x00\xff")
    newer = json.loads((folder / f"{good.id}.json").read_text())
    newer.update(id="newer-1", format_version=FORMAT_VERSION + 1, app_version="9.0")
    (folder / "newer-1.json").write_text(json.dumps(newer))
    wrong = dict(newer, id="wrong-1", format_version=FORMAT_VERSION, batch_loss="lots")
    (folder / "wrong-1.json").write_text(json.dumps(wrong))
    records, problems = RunHistory().runs()
    assert [r.id for r in records] == [good.id]
    assert len(problems) == 3
    assert any("newer LeNet Digits (9.0)" in p for p in problems)
    assert any("broken-1.json" in p and "cannot be read" in p for p in problems)
    assert any("wrong-1.json" in p and "damaged" in p for p in problems)
    with pytest.raises(RunHistoryError, match="newer"):
        RunHistory().load("newer-1")
    capsys.readouterr()
    assert main(["runs", "list"]) == 0
    captured = capsys.readouterr()
    assert good.id in captured.out and len(captured.err.strip().splitlines()) == 3
    assert (folder / "broken-1.json").exists(), "nothing the user has is deleted"


def test_an_interrupted_run_is_kept_as_interrupted(data_dir, mnist_dir):
    data = load_mnist(mnist_dir)
    trainer = Trainer(TrainConfig(epochs=3, subset=640, threads=1), data["train"], data["test"])
    trainer.prepare()
    history = RunHistory()
    recorder = RunRecorder(history, new_run_id(history.folder, "lenet5"), "gui")
    recorder.start(trainer)
    events = recorder.follow(trainer.run())
    for event in events:
        if getattr(event, "kind", "") == "epoch_end":
            break
    events.close()  # the consumer went away (the window closed) before the run ended
    trainer.stop(evaluate=False)
    record = history.load(recorder.run_id)
    assert record.status == "interrupted" and record.surface == "gui" and len(record.epochs) == 1


def test_unsafe_ids_are_refused(data_dir):
    with pytest.raises(RunHistoryError):
        RunHistory().load("../settings")


def test_a_run_without_test_scores_is_still_kept(data_dir, mnist_dir):
    """evaluate_each_epoch=False (the Python API) gives NaN accuracies: kept as null, not lost."""
    data = load_mnist(mnist_dir)
    trainer = Trainer(TrainConfig(epochs=1, subset=640, threads=1), data["train"], data["test"],
                      evaluate_each_epoch=False)
    trainer.prepare()
    history = RunHistory()
    recorder = RunRecorder(history, new_run_id(history.folder, "lenet5"), "cli")
    recorder.start(trainer)
    for _ in recorder.follow(trainer.run()):
        pass
    record = history.load(recorder.run_id)
    assert recorder.problem is None and record.status == "finished" and len(record.epochs) == 1
    assert record.test_accuracy is None or 0 <= record.test_accuracy <= 1


def test_reading_again_parses_only_the_files_that_changed(tmp_path, monkeypatch):
    """The GUI reads the history after every run; records hold every batch's loss, so an
    unchanged file is not parsed again, while a rewritten, removed or damaged one is noticed."""
    history = RunHistory(tmp_path / "runs")
    for day in (1, 2):
        history.save(RunRecord(id=f"lenet5-2026010{day}-100000", architecture="lenet5", config={},
                               created=f"2026-01-0{day}T10:00:00", batch_loss=[2.3, 1.1]))
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr(json, "loads", lambda text: parsed.append(1) or real_loads(text))
    first, problems = history.runs()
    assert [r.id for r in first] == ["lenet5-20260102-100000", "lenet5-20260101-100000"] and not problems
    assert len(parsed) == 2
    again, _ = history.runs()
    assert len(parsed) == 2 and again == first

    rewritten = first[1]
    rewritten.status = "finished"
    history.save(rewritten)
    history.record_path("lenet5-20260102-100000").write_text("{", encoding="utf-8")
    records, problems = history.runs()
    assert len(parsed) == 4
    assert [r.status for r in records] == ["finished"] and len(problems) == 1
    history.record_path("lenet5-20260102-100000").unlink()
    assert [r.id for r in history.runs()[0]] == ["lenet5-20260101-100000"] and len(parsed) == 4
