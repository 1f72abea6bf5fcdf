"""The translations are complete and current: every `tr()` text of the GUI and every training
option's text is in the .ts, translated; the shipped .qm and the generated texts module match."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))

import i18n  # noqa: E402


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_ts_holds_every_text_of_the_code_translated(language, tmp_path):
    fresh = tmp_path / "fresh.ts"
    i18n.lupdate(fresh)
    committed = i18n.ts_path(language)
    assert set(i18n.messages(fresh)) == set(i18n.messages(committed)), (
        "resources/i18n is out of date: run `make translations` and translate the new texts")
    unfinished = [key for key, translation in i18n.messages(committed).items()
                  if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished")
                  or not (translation.text or "").strip()]
    assert not unfinished, unfinished[:10]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_placeholders_survive_translation(language):
    import re

    marks = re.compile(r"%\d|%n|</?[a-z]+[^>]*>")
    for (context, source), translation in i18n.messages(i18n.ts_path(language)).items():
        assert sorted(marks.findall(source)) == sorted(marks.findall(translation.text or "")), (context, source)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_shipped_qm_is_the_ts_compiled(language, tmp_path):
    target = tmp_path / "fresh.qm"
    i18n.release(language, target)
    assert target.read_bytes() == i18n.qm_path(language).read_bytes(), "run `make translations`"


def test_the_training_options_texts_module_is_current():
    assert i18n.CONFIG_TEXTS.read_text(encoding="utf-8") == i18n.config_texts_module(), (
        "run `python packaging/i18n.py texts`")


def test_the_glossary_sits_next_to_the_ts():
    text = (i18n.I18N / "glossary.md").read_text(encoding="utf-8")
    for term in ("卷积层", "池化层", "全连接层", "特征图", "卷积核", "激活函数", "学习率", "批大小", "轮次",
                 "优化器", "损失", "准确率", "混淆矩阵", "训练集", "测试集", "数据增强", "检查点"):
        assert term in text
