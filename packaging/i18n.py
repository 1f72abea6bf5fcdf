"""The GUI's translations, with Qt's own tools: `make translations` runs `update` then `release`.

    python packaging/i18n.py texts           regenerate lenet_app/gui/train/config_texts.py
    python packaging/i18n.py update          texts, then pyside6-lupdate → resources/i18n/*.ts
    python packaging/i18n.py merge F.json…   fill translations from {context: {source: text}}
    python packaging/i18n.py release         pyside6-lrelease → resources/i18n/*.qm (shipped)

The training options' labels and help texts live in `core/config.py`, which never imports Qt;
`texts` writes them into a module of QT_TRANSLATE_NOOP markers so that lupdate finds them like
every `self.tr(...)` of the GUI (the form translates them in the context "TrainConfig").
tests/test_i18n.py checks that the .ts, the .qm and that module are all current.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)
CONFIG_TEXTS = ROOT / "lenet_app" / "gui" / "train" / "config_texts.py"
CONFIG_CONTEXT = "TrainConfig"
ARCHITECTURES_CONTEXT = "Architectures"


def ts_path(language: str) -> Path:
    return I18N / f"lenet_app_{language}.ts"


def qm_path(language: str) -> Path:
    return I18N / f"lenet_app_{language}.qm"


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease beside this interpreter, else on PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"i18n.py: {name} not found (it comes with PySide6)")
    return found


def config_texts() -> list[str]:
    """Every text of the training options the form shows, in a stable order."""
    sys.path.insert(0, str(ROOT))
    from lenet_app.core.config import GROUPS, options

    texts = list(GROUPS)
    for _, opt in options():
        texts += [opt.label, opt.help, opt.text, opt.special] + [label for _, label in opt.choices]
    seen: dict[str, None] = {}
    for text in texts:
        if text:
            seen.setdefault(text, None)
    return list(seen)


def architecture_texts() -> list[str]:
    """Each architecture's description and tutorial line, as the Train form shows them."""
    sys.path.insert(0, str(ROOT))
    from lenet_app.core.architectures import ARCHITECTURES

    seen: dict[str, None] = {}
    for spec in ARCHITECTURES.values():
        for text in (spec.description, spec.tutorial):
            if text:
                seen.setdefault(text, None)
    return list(seen)


def config_texts_module() -> str:
    lines = ['"""Texts of the Qt-free core that the GUI shows, for Qt\'s translation tools: generated',
             'by `python packaging/i18n.py texts` from lenet_app/core/config.py and architectures.py',
             '(do not edit; a test checks that it is current). The Train form translates them in the',
             'contexts "TrainConfig" and "Architectures".',
             '"""', "", "from PySide6.QtCore import QT_TRANSLATE_NOOP", "", "TEXTS = ("]
    lines += [f"    QT_TRANSLATE_NOOP({CONFIG_CONTEXT!r}, {text!r})," for text in config_texts()]
    lines += [f"    QT_TRANSLATE_NOOP({ARCHITECTURES_CONTEXT!r}, {text!r})," for text in architecture_texts()]
    lines += [")", ""]
    return "\n".join(lines)


def sources() -> list[str]:
    """The files lupdate reads: every GUI module (config_texts.py among them)."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "lenet_app" / "gui").rglob("*.py"))


def write_texts() -> None:
    CONFIG_TEXTS.write_text(config_texts_module(), encoding="utf-8")


def lupdate(target: Path) -> None:
    subprocess.run([tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources(), "-ts", str(target)],
                   cwd=ROOT, check=True, capture_output=True, text=True)


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) → its <translation> element."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            found[(name, message.findtext("source"))] = message.find("translation")
    return found


def merge(language: str, files: list[Path]) -> int:
    """Fill the .ts's translations from JSON files; returns how many are still unfinished."""
    path = ts_path(language)
    tree = ET.parse(path)
    table: dict[tuple[str, str], str] = {}
    for file in files:
        for context, pairs in json.loads(file.read_text(encoding="utf-8")).items():
            for source, text in pairs.items():
                table[(context, source)] = text
    left = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            text = table.get((name, message.findtext("source")))
            if text:
                translation.text = text
                translation.attrib.pop("type", None)
            elif translation.get("type") == "unfinished":
                left += 1
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return left


def release(language: str, target: Path | None = None) -> None:
    subprocess.run([tool("pyside6-lrelease"), str(ts_path(language)), "-qm", str(target or qm_path(language))],
                   cwd=ROOT, check=True, capture_output=True, text=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("texts", "update", "merge", "release"))
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.command in ("texts", "update"):
        write_texts()
    if args.command == "update":
        I18N.mkdir(parents=True, exist_ok=True)
        for language in LANGUAGES:
            lupdate(ts_path(language))
            print(f"updated {ts_path(language).relative_to(ROOT)}")
    if args.command == "merge":
        for language in LANGUAGES:
            print(f"{ts_path(language).relative_to(ROOT)}: {merge(language, args.files)} unfinished")
    if args.command == "release":
        for language in LANGUAGES:
            release(language)
            print(f"wrote {qm_path(language).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
