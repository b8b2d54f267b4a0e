"""Key rotation (issue 18 item 1): a new key, re-encryption in batches that an interruption does
not spoil, a value the application rewrote meanwhile left alone, and the report of old values."""

import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CasePerson
from sinergi.core import crypto, rotation
from sinergi.testing.cases import register_case, victim

NAME = "Sekarwangi Tirtaningsih"


@pytest.fixture
def two_keys(settings):
    """Data written under version 1; then the ring gains version 2, active."""
    crypto.key_ring.cache_clear()
    original = settings.SINERGI_DATA_KEYS

    def rotate_ring():
        _version, text = rotation.ring_with_new_key(settings.SINERGI_DATA_KEYS)
        settings.SINERGI_DATA_KEYS = text
        crypto.key_ring.cache_clear()

    yield rotate_ring
    settings.SINERGI_DATA_KEYS = original
    crypto.key_ring.cache_clear()


def raw(model, field, pk):
    table, col, pkcol = rotation._sql(model, model._meta.get_field(field))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {col} FROM {table} WHERE {pkcol} = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def old_values():
    report = rotation.check()
    return sum(c.old(report["active"]) for c in report["columns"])


def _cases(personas, n=3):
    return [register_case(personas.petugas, victims=[victim(f"{NAME} {i}")]) for i in range(n)]


def test_rotation_re_encrypts_every_value_and_each_reads_the_same(personas, two_keys):
    cases = _cases(personas)
    before = {p.pk: (p.name, p.phone) for p in CasePerson.objects.all()}
    chronology = {c.pk: Case.objects.get(pk=c.pk).chronology for c in cases}
    two_keys()
    assert old_values() > 0
    rewritten, unreadable = rotation.rotate(batch_size=2)
    assert unreadable == 0 and rewritten["cases.CasePerson.name"] == len(before)
    assert old_values() == 0
    assert {p.pk: (p.name, p.phone) for p in CasePerson.objects.all()} == before
    assert {c.pk: Case.objects.get(pk=c.pk).chronology for c in cases} == chronology
    assert rotation.token_version(raw(CasePerson, "name", next(iter(before)))) == 2


def test_an_interrupted_rotation_resumes_and_every_value_stays_readable(personas, two_keys):
    _cases(personas, 4)
    names = sorted(p.name for p in CasePerson.objects.all())
    two_keys()

    class Stop(Exception):
        pass

    def stop_after_first(label, rewritten):
        if rewritten:
            raise Stop

    with pytest.raises(Stop):
        rotation.rotate(batch_size=1, after_batch=stop_after_first)
    # Half-way: one value under version 2, the others still under 1, all readable.
    assert old_values() > 0
    assert sorted(p.name for p in CasePerson.objects.all()) == names
    rotation.rotate(batch_size=1)
    assert old_values() == 0
    assert sorted(p.name for p in CasePerson.objects.all()) == names


def test_a_value_rewritten_by_the_application_meanwhile_is_left_alone(personas, two_keys):
    (case,) = _cases(personas, 1)
    person = CasePerson.objects.filter(case=case).first()
    stale_token = raw(CasePerson, "name", person.pk)
    two_keys()
    CasePerson.objects.filter(pk=person.pk).update(name="Nama Baru")  # the app writes under v2
    field = CasePerson._meta.get_field("name")
    assert rotation._reencrypt(CasePerson, field, [(person.pk, stale_token)]) == 0
    assert CasePerson.objects.get(pk=person.pk).name == "Nama Baru"


def test_check_keys_fails_while_old_values_remain_and_never_prints_one(personas, two_keys, capsys):
    _cases(personas, 1)
    two_keys()
    with pytest.raises(CommandError, match="old key version"):
        call_command("check_keys", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["old_values"] > 0 and report["columns"]["cases.CasePerson.name"]["versions"]["1"] >= 1
    call_command("rotate_keys", "--batch-size", "50")
    call_command("check_keys", "--verify")
    out = capsys.readouterr().out
    assert "Every encrypted value is under the active key" in out and NAME not in out
    assert AuditEvent.objects.filter(action="keys.rotate", outcome="ok").exists()


def test_new_key_writes_the_ring_file_atomically_and_keeps_the_old_keys(db, tmp_path, settings, monkeypatch):
    ring = tmp_path / "keys.json"
    ring.write_text(settings.SINERGI_DATA_KEYS)
    old = json.loads(settings.SINERGI_DATA_KEYS)
    monkeypatch.setenv("SINERGI_DATA_KEYS_FILE", str(ring))
    try:
        call_command("rotate_keys", "--new-key")
        new = json.loads(ring.read_text())
        assert new["active"] == max(int(v) for v in old["keys"]) + 1
        assert all(new["keys"][v] == k for v, k in old["keys"].items())
        assert new["index_key"] == old["index_key"]
        assert oct(os.stat(ring).st_mode & 0o777) == "0o600"
        assert crypto.key_ring().active == new["active"]
        assert AuditEvent.objects.filter(action="keys.add").exists()
    finally:
        crypto.key_ring.cache_clear()


def test_new_key_refuses_a_ring_given_in_the_environment(monkeypatch):
    monkeypatch.delenv("SINERGI_DATA_KEYS_FILE", raising=False)
    monkeypatch.setenv("SINERGI_DATA_KEYS", "{}")
    with pytest.raises(CommandError, match="not a file"):
        call_command("rotate_keys", "--new-key")


def test_a_bad_batch_size_is_refused():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("rotate_keys", "--batch-size", "0")


def test_documents_are_resealed_and_still_open(
    personas, two_keys, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sinergi.cases.documents import document_open, document_upload
    from sinergi.cases.models import Document

    settings.MEDIA_ROOT = tmp_path
    (case,) = _cases(personas, 1)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    document = document_upload(
        actor=personas.petugas, case=case, doc_type="lainnya", uploaded_file=SimpleUploadedFile("a.pdf", pdf)
    )
    old_name = document.storage_name
    two_keys()
    with django_capture_on_commit_callbacks(execute=True):
        resealed, unreadable = rotation.rotate_files(batch_size=1)
    assert unreadable == 0 and resealed["cases.Document.storage_name"] == 1
    document = Document.objects.get(pk=document.pk)
    assert document.key_version == 2 and document.storage_name != old_name
    assert not default_storage.exists(old_name)
    assert document_open(actor=personas.petugas, document=document) == pdf
    assert rotation.rotate_files()[0]["cases.Document.storage_name"] == 0  # nothing left: a re-run is a no-op
