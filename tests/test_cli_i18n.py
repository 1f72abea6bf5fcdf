"""The command line speaks Chinese under a Chinese locale: its gettext catalogue holds exactly the
texts the code uses, all translated with their placeholders intact, the shipped .mo is that .po
compiled, and `--help`, error lines (the core's too) and the training log come out in Chinese
(English under LANG=C)."""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))

import i18n  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


def _entries(language):
    return [entry for entry in i18n.read_po(i18n.po_path(language)) if entry.msgid]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_po_holds_exactly_the_texts_of_the_code_translated(language):
    entries = _entries(language)
    assert {(e.msgid, e.plural) for e in entries} == set(i18n.cli_messages()), (
        "resources/i18n/cli is out of date: run `make translations` and translate the new texts")
    unfinished = [e.msgid for e in entries if e.fuzzy or not e.msgstr or not all(s.strip() for s in e.msgstr)]
    assert not unfinished, unfinished[:10]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_placeholders_survive_translation(language):
    for entry in _entries(language):
        expected = sorted(i18n.PLACEHOLDER.findall(entry.msgid))
        for text in entry.msgstr:
            assert sorted(i18n.PLACEHOLDER.findall(text)) == expected, entry.msgid


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_options_help_texts_are_the_qt_catalogues(language):
    """Translated once: the .po copies the GUI's "TrainConfig" translations."""
    qt = {source: translation.text for (context, source), translation in i18n.messages(i18n.ts_path(language)).items()
          if context == i18n.CONFIG_CONTEXT}
    po = {e.msgid: e.msgstr[0] for e in _entries(language)}
    for text in i18n.config_help_texts():
        assert po[text] == qt[text], text


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_shipped_mo_is_the_po_compiled(language):
    shipped = i18n.mo_path(language).read_bytes()
    assert shipped == i18n.compile_mo(i18n.read_po(i18n.po_path(language))), "run `make translations`"
    catalogue = gettext.GNUTranslations(open(i18n.mo_path(language), "rb"))
    for entry in _entries(language):
        if entry.plural is None:
            assert catalogue.gettext(entry.msgid) == entry.msgstr[0]
        else:
            assert catalogue.ngettext(entry.msgid, entry.plural, 2) == entry.msgstr[0]


def test_the_argparse_texts_are_argparses():
    """The fixed list names texts argparse really translates (a renamed one would stay English)."""
    import argparse
    import ast

    used = set()
    for node in ast.walk(ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            used.update(arg.value for arg in node.args if isinstance(arg, ast.Constant))
    expected = set(i18n.ARGPARSE_MESSAGES) | {text for pair in i18n.ARGPARSE_PLURALS for text in pair}
    missing = expected - used
    if sys.version_info[:2] == (3, 11):
        assert not missing, missing
    assert {"usage: ", "options", "show this help message and exit"} <= used


def _run(lang: str, *argv: str, data_dir: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(LANG=lang, PYTHONIOENCODING="utf-8", COLUMNS="400")  # help on one line per option
    if data_dir is not None:
        env["LENET_APP_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "lenet_app", *argv], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


@pytest.mark.parametrize("argv", [["--help"], ["train", "--help"]])
def test_help_is_chinese_under_a_chinese_locale(argv):
    result = _run("zh_CN.UTF-8", *argv)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("用法：") and "训练" in result.stdout
    english = _run("C", *argv)
    assert english.returncode == 0 and english.stdout.startswith("usage: ")
    assert not CJK.search(english.stdout.split("\n", 1)[0])


def test_the_training_options_help_is_chinese():
    result = _run("zh_CN.UTF-8", "train", "--help")
    assert "默认：" in result.stdout and "范围 [1, 1000]。" in result.stdout


def test_an_error_line_keeps_its_prefix_and_exit_status():
    result = _run("zh_CN.UTF-8", "predict", "/nonexistent.png")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "lenet-app: /nonexistent.png：找不到文件\n"
    english = _run("C", "predict", "/nonexistent.png")
    assert english.returncode == 2 and english.stderr == "lenet-app: /nonexistent.png: file not found\n"


def test_a_core_error_is_chinese(tmp_path):
    """The core's message for a file that is no picture, translated when it is raised."""
    corrupt = tmp_path / "digit.png"
    corrupt.write_bytes(b"not a picture at all")
    result = _run("zh_CN.UTF-8", "predict", str(corrupt))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"lenet-app: {corrupt}：不是图片，或者是无法读取的格式\n"
    english = _run("C", "predict", str(corrupt))
    assert english.stderr == f"lenet-app: {corrupt}: not an image, or in a format that cannot be read\n"


def test_the_training_log_is_chinese(mnist_dir, tmp_path):
    """A short run's summary, epoch line and end line, all in Chinese (the run history kept in tmp)."""
    out = tmp_path / "m.pt"
    result = _run("zh_CN.UTF-8", "train", "--data-dir", str(mnist_dir), "--subset", "200", "--epochs", "1",
                  "--batch-size", "100", "--device", "cpu", "--out", str(out), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("训练 lenet5，设备 cpu：200 张训练图像，1 轮，批大小 100，adam 学习率 0.006"), lines[0]
    assert "onecycle 学习率调度（预热 0.2）" in lines[0] and lines[0].endswith("随机种子 0")
    assert lines[1].startswith("第 1/1 轮：训练损失 ") and "测试损失" in lines[1] and "张/秒" in lines[1], lines[1]
    assert lines[2].startswith("完成：1 轮，测试准确率") and lines[2].endswith(f"已保存到 {out}"), lines[2]


def test_argparse_errors_are_chinese():
    result = _run("zh_CN.UTF-8", "predict")
    assert result.returncode == 2
    assert "错误：缺少以下必需参数：images" in result.stderr
    assert "the following arguments are required" in _run("C", "predict").stderr


def test_a_cli_message_is_chinese(tmp_path):
    env_dir = tmp_path / "data"
    result = subprocess.run([sys.executable, "-m", "lenet_app", "my-digits", "list"], capture_output=True,
                            text=True, encoding="utf-8", timeout=120,
                            env={**{k: v for k, v in os.environ.items() if not k.startswith("LC_")},
                                 "LANG": "zh_CN.UTF-8", "LANGUAGE": "", "LENET_APP_DATA_DIR": str(env_dir)})
    assert result.returncode == 0, result.stderr
    assert "中还没有你自己的数字" in result.stdout


def test_core_texts_follow_a_language_switch(monkeypatch, tmp_path):
    """Translated when produced, never at import: the window's switch changes the next text."""
    from lenet_app.core import i18n as core_i18n
    from lenet_app.core.config import ConfigError, TrainConfig
    from lenet_app.core.formatting import format_duration
    from lenet_app.core.preprocess import ImageError, load_image

    monkeypatch.setattr(core_i18n, "_chosen", core_i18n._chosen)  # put back whatever was chosen
    missing = tmp_path / "none.png"
    for language, summary, duration, error in (
            ("zh_CN", "lenet5，设备 cpu：1 轮，批大小 64", "3 分 05 秒", f"{missing}：找不到文件"),
            (None, "lenet5 on cpu: 1 epoch, batch 64", "3 min 05 s", f"{missing}: file not found")):
        core_i18n.use_language(language)
        assert TrainConfig().describe(device="cpu").startswith(summary)
        assert format_duration(185) == duration
        with pytest.raises(ImageError) as info:
            load_image(missing)
        assert str(info.value) == error
        with pytest.raises(ConfigError, match="--epochs"):
            TrainConfig(epochs=0).validate()
