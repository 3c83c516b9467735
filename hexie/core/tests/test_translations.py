"""The English catalogue is complete, compiles without GNU gettext, and is what English pages use."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

from hexie.core import catalogue


def test_every_message_in_the_code_has_an_english_translation() -> None:
    # A message added to a template or a gettext call without its English fails here, naming it.
    assert catalogue.problems() == []


def test_a_new_untranslated_message_is_caught(tmp_path: Path) -> None:
    root = tmp_path / "hexie"
    (root / "app" / "templates" / "app").mkdir(parents=True)
    (root / "app" / "templates" / "app" / "page.html").write_text(
        '{% load i18n %}<h1>{% translate "新的标题" %}</h1>\n'
        "{% blocktranslate with n=count %}共{{ n }}件{% endblocktranslate %}\n", encoding="utf-8")
    (root / "app" / "views.py").write_text(
        "from django.utils.translation import gettext as _\n\nMESSAGE = _('已保存')\n", encoding="utf-8")
    po = polib.POFile()
    po.append(polib.POEntry(msgid="已保存", msgstr="Saved"))
    po.append(polib.POEntry(msgid="共%(n)s件", msgstr="", flags=[]))
    found = catalogue.problems(po, root=root)
    assert any("missing from the catalogue: '新的标题'" in p and "page.html:1" in p for p in found)
    assert any("untranslated: '共%(n)s件'" in p for p in found)
    assert not any("已保存" in p for p in found)

    po.append(polib.POEntry(msgid="新的标题", msgstr="New title", flags=["fuzzy"]))
    assert any("fuzzy: '新的标题'" in p for p in catalogue.problems(po, root=root))


def test_the_catalogue_has_no_fuzzy_or_empty_entries() -> None:
    po = catalogue.load_po()
    assert [e.msgid for e in po if "fuzzy" in e.flags] == []
    assert [e.msgid for e in po if not e.translated() and not e.obsolete] == []


def test_compiled_catalogue_is_used_for_english(tmp_path: Path) -> None:
    written = catalogue.compile_catalogues()
    assert written and all(p.suffix == ".mo" and p.stat().st_size > 0 for p in written)
    with translation.override("en"):
        assert translation.gettext("案件队列") == "Case queue"
    with translation.override("zh-hans"):
        assert translation.gettext("案件队列") == "案件队列"
