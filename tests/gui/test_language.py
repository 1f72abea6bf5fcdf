"""The window in 简体中文: catalogue loaded, texts translated, the Language menu remembered."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QAbstractButton, QLabel, QMessageBox, QTabWidget

from lenet_app.gui import language
from lenet_app.gui.main_window import MainWindow

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
