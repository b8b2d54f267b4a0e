"""Every audit event code the code base records has a readable label in both languages, and the
audit pages name people by full name and position and roles by their label, never by code."""

import re
from pathlib import Path

from django.urls import reverse
from django.utils import translation

from sinergi.audit.services import audit_record
from sinergi.cases.workflow_selectors import event_labels

SOURCE = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r"""action=f?["']([a-z_]+\.[a-z_.]+)["']""")
# Services' own audit helpers take the code as their first or second argument.
RECORDED_BY_HELPER = re.compile(r"""audit\w*\(\s*(?:[\w.]+,\s*)?["']([a-z_]+\.[a-z_.]+)["']""")


def recorded_codes():
    codes = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        codes |= set(RECORDED.findall(text)) | set(RECORDED_BY_HELPER.findall(text))
    return codes


def test_every_recorded_event_code_has_a_label_in_both_languages():
    codes = recorded_codes()
    assert len(codes) > 100  # the scan found the services' events
    labels = event_labels()
    missing = sorted(c for c in codes if c not in labels)
    assert not missing, f"audit event codes without a readable label: {missing}"
    with translation.override("en"):
        english = {c: str(labels[c]) for c in codes}
    with translation.override("id"):
        untranslated = sorted(c for c in codes if str(labels[c]) == english[c])
    assert not untranslated, f"labels without an Indonesian translation: {untranslated}"


def test_the_audit_page_shows_words_and_names(personas, login):
    kepala = personas.kepala
    kepala.full_name, kepala.position = "Rina Marlina", ""  # no position: the role's label
    kepala.save(update_fields=["full_name", "position"])
    audit_record(actor=kepala, action="meeting.agenda_add", object_type="meeting", object_id="m1")
    html = login(personas.auditor).get(reverse("audit:list")).content.decode()
    assert "Agenda ditambahkan" in html and '<code class="muted">meeting.agenda_add</code>' in html
    assert "Rina Marlina (Kepala UPTD)" in html
    assert '<span class="muted">· Kepala UPTD</span>' in html and "(kepala_uptd)" not in html
