"""The window in 简体中文: catalogue loaded, texts translated, the Language menu remembered."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QAbstractButton, QLabel, QTabWidget

from lenet_app.gui import language
from lenet_app.gui.main_window import MainWindow

from .visible_texts import english_words, untranslated, visible_texts

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese(qapp):
    translators = language.install_translators(qapp, "zh_CN")
    assert len(translators) == 2, "the app's and Qt's zh_CN catalogues"
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def _window(qtbot, tmp_path, language_setting: str = "") -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    if language_setting:
        settings.setValue(language.SETTING, language_setting)
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    return window


def test_the_window_speaks_chinese_with_the_catalogue(qtbot, tmp_path, chinese):
    window = _window(qtbot, tmp_path)
    tabs = window.findChild(QTabWidget)
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert all(CJK.search(title) for title in titles), titles
    menus = [action.text() for action in window.menuBar().actions()]
    assert all(CJK.search(text) for text in menus), menus
    buttons = [b.text() for b in window.findChildren(QAbstractButton) if b.text() and b.isVisibleTo(window)]
    english = [text for text in buttons if not CJK.search(text) and re.search("[A-Za-z]{3}", text)]
    assert not english, english
    assert CJK.search(window.train_tab.start_button.text())


def test_the_language_menu_switches_at_once_and_keeps_the_choice(qtbot, tmp_path):
    window = _window(qtbot, tmp_path, "en")
    menu = window.findChild(type(window.menuBar().actions()[0].menu()), "languageMenu")
    actions = {a.data(): a for a in menu.actions()}
    assert set(actions) == set(language.LANGUAGES) and actions["en"].isChecked()
    assert actions["zh_CN"].text() == "简体中文"
    try:
        actions["zh_CN"].trigger()
        assert window.settings.value(language.SETTING) == "zh_CN"
        assert language.chosen_language(window.settings) == "zh_CN"
        qtbot.waitUntil(lambda: CJK.search(window.tabs.tabText(0)) is not None)
        assert CJK.search(menu.title()) and actions["zh_CN"].isChecked()
    finally:
        actions["en"].trigger()
    assert window.settings.value(language.SETTING) == "en"
    qtbot.waitUntil(lambda: window.tabs.tabText(0) == "&Draw")
    assert menu.title() == "&Language"


def test_without_a_choice_the_system_language_applies(monkeypatch, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(language, "system_language", lambda: "zh_CN")
    assert language.chosen_language(settings) == "zh_CN"
    settings.setValue(language.SETTING, "klingon")
    assert language.chosen_language(settings) == "zh_CN"
    settings.setValue(language.SETTING, "en")
    assert language.chosen_language(settings) == "en"


_WALK_EVERY_TAB = r"""
import json, sys, time
from lenet_app.gui.app import create_application
from lenet_app.gui.main_window import MainWindow
sys.path.insert(0, sys.argv[1])
from gui.visible_texts import untranslated, visible_texts

app = create_application(["lenet-app"])
window = MainWindow()
window.resize(window.minimumSizeHint())
window.show()
deadline = time.monotonic() + 60
while not window.dataset.available and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.02)
left = {}
for index in range(window.tabs.count()):
    window.tabs.setCurrentIndex(index)
    app.processEvents()
    left.update(untranslated(visible_texts(window, tooltips=True)))
print(json.dumps({"tab": window.tabs.tabText(0), "left": left}, ensure_ascii=False))
window.jobs.shutdown()
"""


def test_started_under_a_chinese_locale_every_visible_text_is_chinese(tmp_path, mnist_dir):
    """The real start-up path (create_application) under LANG=zh_CN.UTF-8 and no saved choice:
    every label, button, tab, group box, menu, header, chart title and axis, and their tooltips,
    on every tab, is Chinese but for the allowed names."""
    env = {key: value for key, value in os.environ.items() if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update(LANG="zh_CN.UTF-8", XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               QT_QPA_PLATFORM="offscreen", LENET_APP_MNIST_DIR=str(mnist_dir))
    done = subprocess.run([sys.executable, "-c", _WALK_EVERY_TAB, str(Path(__file__).resolve().parents[1])],
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert CJK.search(result["tab"]), result["tab"]
    assert result["left"] == {}


def _every_tab_texts(window, qtbot) -> dict[str, str]:
    texts = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(20)
        texts.update({f"{index}/{place}": text for place, text in visible_texts(window, tooltips=True).items()})
    window.tabs.setCurrentIndex(0)
    return texts


def test_switching_in_a_running_window_changes_every_text_and_back(qtbot, tmp_path, mnist_dir, monkeypatch):
    """Through the Language menu, as a user would: every visible text of every tab becomes
    Chinese, and English comes back exactly as it was."""
    monkeypatch.setenv("LENET_APP_MNIST_DIR", str(mnist_dir))
    window = _window(qtbot, tmp_path, "en")
    window.show()
    qtbot.waitUntil(lambda: window.dataset.available, timeout=30000)
    # Predictions done, so no text changes with them between the English snapshots.
    qtbot.waitUntil(lambda: not window.jobs.busy(), timeout=120000)
    menu = window.findChild(type(window.menuBar().actions()[0].menu()), "languageMenu")
    actions = {a.data(): a for a in menu.actions()}
    try:
        english = _every_tab_texts(window, qtbot)
        assert len(english) > 200
        actions["zh_CN"].trigger()
        qtbot.waitUntil(lambda: CJK.search(window.tabs.tabText(0)) is not None)
        chinese = _every_tab_texts(window, qtbot)
        assert untranslated(chinese) == {}
        changed = {place for place in english if chinese.get(place) != english[place]}
        unchanged = {place: text for place, text in english.items()
                     if place not in changed and english_words(text)}
        assert unchanged == {}, "English texts a switch did not change"
    finally:
        actions["en"].trigger()
    qtbot.waitUntil(lambda: window.tabs.tabText(0) == "&Draw")
    assert _every_tab_texts(window, qtbot) == english
    window.jobs.shutdown()


def _clipped(window) -> list[str]:
    """Labels, buttons and combo boxes shown smaller than their text needs (a wrapping label:
    shorter than its text at its width)."""
    from PySide6.QtWidgets import QComboBox

    found = []
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton) + window.findChildren(QComboBox):
        if not widget.isVisibleTo(window) or widget.visibleRegion().isEmpty():
            continue
        text = widget.currentText() if isinstance(widget, QComboBox) else widget.text()
        if not text:
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            if widget.heightForWidth(widget.width()) > widget.height() + 1:
                found.append(f"{widget.objectName() or type(widget).__name__}: {text[:40]}")
            continue
        needed = widget.minimumSizeHint() if isinstance(widget, QLabel) else widget.sizeHint()
        if needed.width() > widget.width() + 1 or needed.height() > widget.height() + 1:
            found.append(f"{widget.objectName() or type(widget).__name__}: {text[:40]}")
    return found


@pytest.mark.parametrize("code", list(language.LANGUAGES))
def test_nothing_is_clipped_at_the_minimum_window_size(code, qtbot, tmp_path, mnist_dir, monkeypatch):
    monkeypatch.setenv("LENET_APP_MNIST_DIR", str(mnist_dir))
    language.use_language(code)
    try:
        window = _window(qtbot, tmp_path, code)
        window.show()
        qtbot.waitUntil(lambda: window.dataset.available, timeout=30000)
        qtbot.waitUntil(lambda: not window.run_history.loading, timeout=10000)  # the pickers' runs
        window.resize(window.minimumSize())
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            qtbot.wait(50)
            assert _clipped(window) == [], (code, index)
    finally:
        language.use_language("en")
    window.jobs.shutdown()
