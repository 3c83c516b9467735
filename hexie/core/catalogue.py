"""The message catalogue: which messages the code asks to translate, and compiling the .po file.

Simplified Chinese is the source language: every msgid is the Chinese text, and
``hexie/locale/en/LC_MESSAGES/django.po`` holds its English. Two things are done here in Python
alone, because a fresh machine has Python but not GNU gettext:

- ``extract()`` finds every msgid the code uses: gettext calls in Python (read with ``ast``) and
  ``{% translate %}`` / ``{% blocktranslate %}`` in templates (read with Django's own
  ``templatize``, the same step ``makemessages`` takes), so a test can fail on a message that has
  no English yet;
- ``compile_catalogues()`` writes the .mo files next to their .po with polib. The .mo files are not
  in the repository (they would go stale): ``manage.py compile_translations`` builds them in
  ``make run`` and ``make test``, and the test suite builds them when they are older than the .po.
"""

from __future__ import annotations

import ast
import io
import os
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import polib  # type: ignore[import-untyped]  # polib ships no type hints
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent  # the hexie package
LOCALE_DIR = ROOT / "locale"
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"

# The gettext functions the code calls, and which argument holds what.
_SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
_PLURAL = {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}
_CONTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
# Test code and migrations are not the interface; demo data is the bureau's own (Chinese) data.
_SKIP_DIRS = {"tests", "migrations", "__pycache__", "locale", "static"}


@dataclass
class Message:
    """One message the code asks to translate, with where it is used."""

    msgid: str
    plural: str = ""
    context: str = ""
    places: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.context, self.msgid)


def _python_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        out += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(".py")]
    return out


def _template_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        if "templates" in Path(dirpath).relative_to(root).parts:
            out += [Path(dirpath) / f for f in sorted(filenames) if f.endswith((".html", ".txt"))]
    return out


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _strings(args: list[ast.expr]) -> list[str] | None:
    values = []
    for a in args:
        if not (isinstance(a, ast.Constant) and isinstance(a.value, str)):
            return None
        values.append(a.value)
    return values


def _from_python(path: Path, rel: Path, found: dict[tuple[str, str], Message]) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name not in _SINGULAR and name not in _PLURAL:
            continue
        wanted = (1 if name in _SINGULAR else 2) + (1 if name in _CONTEXT else 0)
        values = _strings(node.args[:wanted])
        if values is None or len(values) < wanted:
            continue  # a variable passed through gettext: its values are extracted where they are written
        context = values.pop(0) if name in _CONTEXT else ""
        _add(found, values[0], values[1] if len(values) > 1 else "", context, f"{rel}:{node.lineno}")


def _from_template(path: Path, rel: Path, found: dict[tuple[str, str], Message]) -> None:
    # templatize turns a template into Python-like text where every translatable string is a
    # gettext call on its own and everything else is blanked out: tokenize can walk it.
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    # The blanked-out markup keeps the template's indentation, which means nothing here but can
    # read as an inconsistent dedent to tokenize; templatize writes each message on one line.
    code = "\n".join(line.lstrip() for line in code.splitlines())
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline)
              if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)]
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.NAME or tok.string not in ("_", "gettext", "pgettext", "ngettext", "npgettext"):
            continue
        if i + 1 >= len(tokens) or tokens[i + 1].string != "(":
            continue
        args: list[str] = []
        j = i + 2
        while j < len(tokens) and tokens[j].type == tokenize.STRING:
            args.append(ast.literal_eval(tokens[j].string))
            j += 1
            if j < len(tokens) and tokens[j].string == ",":
                j += 1
        if tok.string in ("pgettext", "npgettext") and args:
            context = args.pop(0)
        else:
            context = ""
        if args:
            plural = args[1] if tok.string in ("ngettext", "npgettext") and len(args) > 1 else ""
            _add(found, args[0], plural, context, f"{rel}:{tok.start[0]}")


def _add(found: dict[tuple[str, str], Message], msgid: str, plural: str, context: str, place: str) -> None:
    if not msgid:
        return
    msg = found.setdefault((context, msgid), Message(msgid, plural, context))
    msg.places.append(place)


def extract(root: Path = ROOT) -> dict[tuple[str, str], Message]:
    """Every message the code and templates under ``root`` pass through gettext, keyed by
    (context, msgid)."""
    found: dict[tuple[str, str], Message] = {}
    for path in _python_files(root):
        _from_python(path, path.relative_to(root.parent), found)
    for path in _template_files(root):
        _from_template(path, path.relative_to(root.parent), found)
    return found


def load_po(path: Path = PO_PATH) -> polib.POFile:
    """The English catalogue (an empty one when the file is missing)."""
    return polib.pofile(str(path), wrapwidth=0) if path.exists() else polib.POFile(wrapwidth=0)


def problems(po: polib.POFile | None = None, root: Path = ROOT) -> list[str]:
    """What stops the English translation from being complete: a message used in the code that is
    missing from the catalogue, untranslated or fuzzy. Empty when all is well."""
    po = load_po() if po is None else po
    entries = {(e.msgctxt or "", e.msgid): e for e in po if not e.obsolete}
    out = []
    for key, msg in sorted(extract(root).items()):
        entry = entries.get(key)
        where = msg.places[0]
        if entry is None:
            out.append(f"{where}: missing from the catalogue: {msg.msgid!r}")
        elif "fuzzy" in entry.flags:
            out.append(f"{where}: fuzzy: {msg.msgid!r}")
        elif not entry.translated():
            out.append(f"{where}: untranslated: {msg.msgid!r}")
    return out


def compile_catalogues(*, only_if_stale: bool = False) -> list[Path]:
    """Write each locale's django.mo from its django.po; returns the files written."""
    written = []
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po")):
        mo_path = po_path.with_suffix(".mo")
        if only_if_stale and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        # Written beside and renamed, so that parallel test workers never read half a file.
        tmp = mo_path.with_name(f".{mo_path.name}.{os.getpid()}")
        polib.pofile(str(po_path)).save_as_mofile(str(tmp))
        os.replace(tmp, mo_path)
        written.append(mo_path)
    return written
