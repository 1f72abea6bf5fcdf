"""The core's and the command line's translations: GNU gettext catalogues, so that the texts the
core writes (error messages, training log lines) and the CLI's speak the user's language without
importing Qt (the GUI has its own Qt catalogue for its texts; the training options' texts are
shared with it through `packaging/i18n.py`).

For the CLI the language comes from the environment as gettext reads it (LANGUAGE, LC_ALL,
LC_MESSAGES, LANG: the first one set); any Chinese locale gets the Simplified Chinese catalogue,
anything else English. The window sets its own choice with `use_language`, which wins.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache

DOMAIN = "lenet_app_cli"
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


_NOT_CHOSEN = object()
_chosen: object = _NOT_CHOSEN


def use_language(lang: str | None) -> None:
    """Speak `lang` (None: English) whatever the environment says: the window's Language menu."""
    global _chosen
    _chosen = lang


def language() -> str | None:
    """The catalogue's language: the one `use_language` set, else the one the environment asks
    for; None for English."""
    if _chosen is not _NOT_CHOSEN:
        return _chosen  # type: ignore[return-value]
    for name in ENVIRONMENT:
        value = os.environ.get(name)
        if value:
            first = value.split(":")[0]
            return "zh_CN" if first.lower().startswith("zh") else None
    return None


def locale_dir():
    """The folder holding `<language>/LC_MESSAGES/lenet_app_cli.mo`."""
    from lenet_app.core.resources import resources_dir

    return resources_dir() / "i18n" / "cli"


@lru_cache(maxsize=None)
def translations(lang: str | None) -> gettext.NullTranslations:
    """The catalogue of `lang`; English (the texts as written) without one."""
    if lang is None:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, str(locale_dir()), languages=[lang], fallback=True)
    except FileNotFoundError:  # resources missing: the app still answers, in English
        return gettext.NullTranslations()


def _(message: str) -> str:
    """`message` in the user's language."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural text for `count`, in the user's language."""
    return translations(language()).ngettext(singular, plural, count)


def install_for_argparse() -> None:
    """Make argparse's own texts ("usage: ", "options", its error messages) speak the user's
    language. argparse looks its module-level `_` and `ngettext` up at each call, so they are
    pointed at this catalogue (which holds argparse's messages too) for every Chinese locale,
    zh_TW and zh_HK included; gettext's default domain would only find a catalogue named after
    the locale itself."""
    import argparse

    lang = language()
    if lang is None:
        return
    catalogue = translations(lang)
    argparse._ = catalogue.gettext  # type: ignore[attr-defined]
    argparse.ngettext = catalogue.ngettext  # type: ignore[attr-defined]
