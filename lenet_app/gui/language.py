"""Which language the window speaks: English (the source texts) or 简体中文.

The choice is the user's (Language menu, kept in the settings) or, until they make one, the
system's. `use_language` swaps the installed catalogues in a running window: Qt then sends every
widget a LanguageChange event, and each view sets its texts again (`Retranslating`). Besides the
app's own catalogue, Qt's (qtbase) is loaded so that the standard dialogs' buttons speak the same
language, and the core's gettext catalogue follows too, for the texts the core writes (log lines,
error messages).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QGuiApplication

from lenet_app.core import i18n as core_i18n
from lenet_app.core.resources import resources_dir

#: Language code → its own name, as the Language menu lists it.
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
SETTING = "ui/language"
SOURCE_LANGUAGE = "en"


def system_language() -> str:
    """The supported language closest to the system's: any Chinese locale reads 简体中文."""
    return "zh_CN" if QLocale.system().name().startswith("zh") else SOURCE_LANGUAGE


def chosen_language(settings: QSettings | None = None) -> str:
    """The user's choice from the settings, else the system's."""
    value = (settings if settings is not None else QSettings()).value(SETTING, "")
    return value if value in LANGUAGES else system_language()


#: Fonts with Simplified Chinese glyphs, most common first: Noto Sans CJK / Source Han Sans
#: (Linux: Debian's fonts-noto-cjk), WenQuanYi (older Linux), Microsoft YaHei (Windows), PingFang
#: (macOS). Qt falls back to them for characters the UI font lacks.
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC"]


def add_cjk_fallback(app: QGuiApplication) -> None:
    """Make the UI font fall back to a Chinese font where the system's fontconfig does not."""
    QFont.insertSubstitutions(app.font().family(), CJK_FONTS)


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load the app's catalogue and Qt's own for `language` into `app`; the ones that loaded.
    English needs none (the source texts are English)."""
    if language == SOURCE_LANGUAGE:
        return []
    installed = []
    for name, folder in ((f"lenet_app_{language}", resources_dir() / "i18n"),
                         (f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        translator = QTranslator(app)
        if translator.load(name, str(folder)) and app.installTranslator(translator):
            installed.append(translator)
    return installed


_installed: list[QTranslator] = []
_current = SOURCE_LANGUAGE


def current_language() -> str:
    """The language `use_language` last set (English before it is called)."""
    return _current


def use_language(language: str, app: QCoreApplication | None = None) -> None:
    """Speak `language` from now on, in every open window: the catalogues installed before are
    removed, the new ones installed (each change sends the widgets a LanguageChange event), and
    the core's texts follow."""
    global _current
    app = app or QCoreApplication.instance()
    if isinstance(app, QGuiApplication):  # in English too: the Language menu names 简体中文
        add_cjk_fallback(app)
    while _installed:
        app.removeTranslator(_installed.pop())
    _installed.extend(install_translators(app, language))
    _current = language
    core_i18n.use_language(None if language == SOURCE_LANGUAGE else language)


class Retranslating:
    """Mixin for a widget whose texts come from `tr`: it sets them in `retranslate()`, which its
    constructor calls once and every LanguageChange calls again. (Put it before the Qt class:
    `class Panel(Retranslating, QWidget)`.)"""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
