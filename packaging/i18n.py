"""The app's translations: `make translations` runs `update` then `release`.

    python packaging/i18n.py texts           regenerate lenet_app/gui/train/config_texts.py
    python packaging/i18n.py update          texts, then pyside6-lupdate → resources/i18n/*.ts,
                                             and the CLI's msgids → resources/i18n/cli/*.po
    python packaging/i18n.py update-cli      only the CLI's .po (the .ts untouched)
    python packaging/i18n.py merge F.json…   fill translations from {context: {source: text}}; the
                                             context "gettext" fills the CLI's .po ({msgid: msgstr,
                                             or a list of forms for a plural})
    python packaging/i18n.py release         pyside6-lrelease → resources/i18n/*.qm, and each
                                             CLI .po compiled → cli/<lang>/LC_MESSAGES/*.mo

The training options' labels and help texts live in `core/config.py`, which never imports Qt;
`texts` writes them into a module of QT_TRANSLATE_NOOP markers so that lupdate finds them like
every `self.tr(...)` of the GUI (the form translates them in the context "TrainConfig").
tests/test_i18n.py checks that the .ts, the .qm and that module are all current.

The command line (which must not import Qt) uses GNU gettext (`lenet_app/core/i18n.py`). Its
catalogue holds the `_()`/`ngettext()` texts of the modules that import that module, found with
`ast`, argparse's own texts (argparse translates through gettext's default domain, which the CLI
points at this catalogue), and the training options' help texts, whose translations are copied
from the Qt catalogue's "TrainConfig" context, so each is translated once. The .po reader/writer
and the .mo compiler below are pure Python: CI has PyPI, not GNU gettext.
tests/test_cli_i18n.py checks that the .po and the .mo are current and complete.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import struct
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
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


GETTEXT_CONTEXT = "gettext"


def merge_po(language: str, files: list[Path]) -> int:
    """Fill the CLI .po's translations from the "gettext" context of JSON files; returns how many
    are still unfinished."""
    table: dict[str, str | list[str]] = {}
    for file in files:
        table.update(json.loads(file.read_text(encoding="utf-8")).get(GETTEXT_CONTEXT, {}))
    entries = read_po(po_path(language))
    for entry in entries:
        text = table.get(entry.msgid) if entry.msgid else None
        if text:
            entry.msgstr = [text] if isinstance(text, str) else list(text)
            entry.fuzzy = not all(entry.msgstr)
    write_po(po_path(language), entries)
    return sum(entry.fuzzy for entry in entries if entry.msgid)


def release(language: str, target: Path | None = None) -> None:
    subprocess.run([tool("pyside6-lrelease"), str(ts_path(language)), "-qm", str(target or qm_path(language))],
                   cwd=ROOT, check=True, capture_output=True, text=True)


# --- the command line's gettext catalogue ---------------------------------------------------

CLI_DOMAIN = "lenet_app_cli"
#: argparse's own texts that `lenet-app` can show (the msgids of Python 3.11's argparse.py).
ARGPARSE_MESSAGES = (
    "usage: ",
    "positional arguments",
    "options",
    "show this help message and exit",
    "%(prog)s: error: %(message)s\n",
    "argument %(argument_name)s: %(message)s",
    "the following arguments are required: %s",
    "one of the arguments %s is required",
    "not allowed with argument %s",
    "unrecognized arguments: %s",
    "ambiguous option: %(option)s could match %(matches)s",
    "invalid choice: %(value)r (choose from %(choices)s)",
    "invalid %(type)s value: %(value)r",
    "expected one argument",
    "expected at most one argument",
    "expected at least one argument",
    "ignored explicit argument %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)",
    "can't open '%(filename)s': %(error)s",
)
ARGPARSE_PLURALS = (("expected %s argument", "expected %s arguments"),)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*(?:[:!][^{}]*)?\}")


@dataclass
class PoEntry:
    msgid: str
    msgstr: list[str]
    plural: str | None = None
    fuzzy: bool = False
    comment: str = ""


def po_path(language: str) -> Path:
    return I18N / "cli" / f"{CLI_DOMAIN}_{language}.po"


def mo_path(language: str) -> Path:
    return I18N / "cli" / language / "LC_MESSAGES" / f"{CLI_DOMAIN}.mo"


def cli_sources() -> list[Path]:
    """The modules whose `_()` texts the CLI catalogue holds: those importing core/i18n.py."""
    return sorted(p for p in (ROOT / "lenet_app").rglob("*.py")
                  if "from lenet_app.core.i18n import" in p.read_text(encoding="utf-8"))


def extract(path: Path) -> list[tuple[str, str | None]]:
    """(msgid, plural or None) of each `_("…")` and `ngettext("…", "…", n)` call, in source order."""
    found = []
    calls = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
             and node.func.id in ("_", "ngettext") and node.args]
    for node in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
        texts = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        if node.func.id == "_" and len(texts) == 1:
            found.append((texts[0], None))
        elif node.func.id == "ngettext" and len(texts) == 2:
            found.append((texts[0], texts[1]))
    return found


def config_help_texts() -> list[str]:
    """The training options' help texts that `lenet-app train --help` shows."""
    sys.path.insert(0, str(ROOT))
    from lenet_app.core.config import options

    return list(dict.fromkeys(opt.help for _, opt in options() if opt.help))


_MNEMONIC = re.compile(r"\(&\w\)|&(?=\w)")


def shared_texts() -> dict[str, tuple[str, str]]:
    """CLI msgid → (Qt context, Qt source) for each text the CLI shares with the GUI: the
    options' help texts, their labels without the mnemonic (in error messages) and the
    architectures' descriptions and tutorial lines (`lenet-app models`)."""
    sys.path.insert(0, str(ROOT))
    from lenet_app.core.config import options

    shared = {text: (CONFIG_CONTEXT, text) for text in config_help_texts()}
    for _, opt in options():
        shared.setdefault(opt.plain_label, (CONFIG_CONTEXT, opt.label))
    for text in architecture_texts():
        shared.setdefault(text, (ARCHITECTURES_CONTEXT, text))
    return shared


def shared_translations(language: str) -> dict[str, str]:
    """The Qt catalogue's finished translation of each shared text (mnemonics removed)."""
    qt = {key: translation.text for key, translation in messages(ts_path(language)).items()
          if translation is not None and translation.text and translation.get("type") != "unfinished"}
    found = {}
    for msgid, key in shared_texts().items():
        if key in qt:
            found[msgid] = _MNEMONIC.sub("", qt[key]).strip() if key[1] != msgid else qt[key]
    return found


def cli_messages() -> dict[tuple[str, str | None], str]:
    """Every (msgid, plural) of the CLI catalogue → its comment, in a stable order."""
    found: dict[tuple[str, str | None], str] = {}
    for path in cli_sources():
        for key in extract(path):
            found.setdefault(key, path.relative_to(ROOT).as_posix())
    for text, (context, _) in shared_texts().items():
        found.setdefault((text, None), f"shared with the Qt catalogue ({context})")
    for text in ARGPARSE_MESSAGES:
        found.setdefault((text, None), "argparse")
    for singular, plural in ARGPARSE_PLURALS:
        found.setdefault((singular, plural), "argparse")
    return found


def _po_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def read_po(path: Path) -> list[PoEntry]:
    """The entries of a .po file as `write_po` writes them (the header is the msgid "")."""
    entries: list[PoEntry] = []
    fields: dict[str, str] = {}
    flags = comment = ""
    current = None

    def finish() -> None:
        nonlocal fields, flags, comment
        if "msgid" in fields:
            forms = [fields[k] for k in sorted((k for k in fields if k.startswith("msgstr")),
                                               key=lambda k: int(k[7:-1] or 0) if "[" in k else 0)]
            entries.append(PoEntry(fields["msgid"], forms, fields.get("msgid_plural"), "fuzzy" in flags, comment))
        fields, flags, comment = {}, "", ""

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            flags = line
        elif line.startswith("#."):
            comment = line[2:].strip()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[current] += ast.literal_eval(line)
        else:
            current, _, value = line.partition(" ")
            fields[current] = ast.literal_eval(value)
    return entries


def write_po(path: Path, entries: list[PoEntry]) -> None:
    lines = []
    for entry in entries:
        if entry.comment:
            lines.append(f"#. {entry.comment}")
        if entry.fuzzy:
            lines.append("#, fuzzy")
        lines.append(f"msgid {_po_quote(entry.msgid)}")
        if entry.plural is None:
            lines.append(f"msgstr {_po_quote(entry.msgstr[0] if entry.msgstr else '')}")
        else:
            lines.append(f"msgid_plural {_po_quote(entry.plural)}")
            lines += [f"msgstr[{i}] {_po_quote(form)}" for i, form in enumerate(entry.msgstr or [""])]
        lines.append("")
    _write_atomically(path, "\n".join(lines).encode("utf-8"))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def po_header(language: str) -> PoEntry:
    return PoEntry("", [f"Project-Id-Version: LeNet Digits\nLanguage: {language}\n"
                        "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
                        "Content-Transfer-Encoding: 8bit\nPlural-Forms: nplurals=1; plural=0;\n"])


def update_po(language: str) -> int:
    """Rewrite the .po with the msgids the code uses now, keeping the translations it has (the
    options' help texts take the Qt catalogue's); returns how many are still unfinished."""
    path = po_path(language)
    old = {(e.msgid, e.plural): e for e in read_po(path)} if path.exists() else {}
    shared = shared_translations(language)
    entries = [po_header(language)]
    for (msgid, plural), comment in cli_messages().items():
        entry = PoEntry(msgid, [""], plural, True, comment)
        kept = old.get((msgid, plural))
        if kept and any(kept.msgstr):
            entry.msgstr, entry.fuzzy = kept.msgstr, kept.fuzzy
        if comment.startswith("shared"):
            entry.msgstr, entry.fuzzy = [shared.get(msgid, "")], msgid not in shared
        entry.fuzzy = entry.fuzzy or not all(entry.msgstr)
        entries.append(entry)
    write_po(path, entries)
    return sum(entry.fuzzy for entry in entries)


def compile_mo(entries: list[PoEntry]) -> bytes:
    """The GNU .mo file of the finished entries (fuzzy and empty ones are left out, as msgfmt
    does): a header, two tables of (length, offset) and the NUL-terminated strings."""
    pairs = sorted(((e.msgid if e.plural is None else f"{e.msgid}\0{e.plural}").encode("utf-8"),
                    "\0".join(e.msgstr).encode("utf-8"))
                   for e in entries if not e.fuzzy and e.msgstr and all(e.msgstr))
    count = len(pairs)
    start = 7 * 4 + 16 * count
    ids = strs = b""
    id_table, str_table = [], []
    for key, value in pairs:
        id_table.append((len(key), len(ids)))
        ids += key + b"\0"
    for key, value in pairs:
        str_table.append((len(value), start + len(ids) + len(strs)))
        strs += value + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, start)
    table = b"".join(struct.pack("<2I", length, start + offset) for length, offset in id_table)
    table += b"".join(struct.pack("<2I", length, offset) for length, offset in str_table)
    return header + table + ids + strs


def release_mo(language: str) -> None:
    _write_atomically(mo_path(language), compile_mo(read_po(po_path(language))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("texts", "update", "update-cli", "merge", "release"))
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.command in ("texts", "update"):
        write_texts()
    if args.command == "update":
        I18N.mkdir(parents=True, exist_ok=True)
        for language in LANGUAGES:
            lupdate(ts_path(language))
            print(f"updated {ts_path(language).relative_to(ROOT)}")
            left = update_po(language)
            print(f"updated {po_path(language).relative_to(ROOT)}: {left} unfinished")
    if args.command == "update-cli":
        for language in LANGUAGES:
            print(f"updated {po_path(language).relative_to(ROOT)}: {update_po(language)} unfinished")
    if args.command == "merge":
        for language in LANGUAGES:
            print(f"{ts_path(language).relative_to(ROOT)}: {merge(language, args.files)} unfinished")
            print(f"{po_path(language).relative_to(ROOT)}: {merge_po(language, args.files)} unfinished")
    if args.command == "release":
        for language in LANGUAGES:
            release(language)
            print(f"wrote {qm_path(language).relative_to(ROOT)}")
            release_mo(language)
            print(f"wrote {mo_path(language).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
