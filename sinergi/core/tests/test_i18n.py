"""The Indonesian catalogue is complete and its compiled .mo matches the .po."""

import gettext
from pathlib import Path

from django.conf import settings

from sinergi.testing.po import read_po

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES"


def test_every_interface_string_has_an_indonesian_translation():
    entries = read_po(CATALOGUE / "django.po")
    assert entries, "the Indonesian catalogue is empty"
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (needs review): {fuzzy}"


def test_compiled_catalogue_matches_the_source():
    with open(CATALOGUE / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for entry in read_po(CATALOGUE / "django.po"):
        if entry.msgid_plural:
            got = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
        elif entry.context:
            got = compiled.pgettext(entry.context, entry.msgid)
        else:
            got = compiled.gettext(entry.msgid)
        if got != entry.msgstr[0]:
            stale.append(entry.msgid)
    assert not stale, f"django.mo is out of date (run `make messages`): {stale[:5]}"


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\(\w+\)s|%s|%d|\{\w*\}")
    for entry in read_po(CATALOGUE / "django.po"):
        # Indonesian has one plural form (nplurals=1), used for every count: it must carry the
        # placeholders of the English plural, which has the count ("once" / "%(n)s times").
        source = entry.msgid_plural or entry.msgid
        for msgstr in entry.msgstr.values():
            assert sorted(pattern.findall(source)) == sorted(pattern.findall(msgstr)), entry.msgid
