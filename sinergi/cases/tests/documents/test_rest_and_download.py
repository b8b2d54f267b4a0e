"""Case documents: encryption at rest, authorised and audited download, the case page's section."""

import contextlib

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sinergi.audit.models import AuditEvent
from sinergi.cases import documents
from sinergi.cases.models import CaseAssignment, Document
from sinergi.core.crypto import key_ring
from sinergi.testing.cases import case_row

from .helpers import KINDS, SECRET, download_url, post_file, stored_files, upload, upload_url

# --- encryption at rest ------------------------------------------------------------------------


class TestEncryptionAtRest:
    @pytest.mark.parametrize("kind", list(KINDS))
    def test_nothing_readable_on_disk_or_in_the_database(self, personas, login, case, storage_dir, kind):
        make, name, _, doc_type = KINDS[kind]
        content = make()
        assert SECRET in content
        post_file(login(personas.pendamping), case, content, name, doc_type)
        document = Document.objects.get(case=case)
        (stored,) = stored_files(storage_dir)
        raw = stored.read_bytes()
        assert SECRET not in raw and content[:64] not in raw
        assert b"Siti" not in raw and "Siti" not in str(stored)
        assert len(raw) == len(content) + 12 + 16  # nonce, ciphertext, tag
        with connection.cursor() as cursor:
            cursor.execute("SELECT original_name FROM cases_document WHERE id = %s", [document.pk])
            (column,) = cursor.fetchone()
        assert "Siti" not in column and column.startswith(f"{key_ring().active}$")

    def test_a_stored_file_does_not_open_as_another_document(self, personas, case, storage_dir):
        first, second = upload(personas.pendamping, case), upload(personas.pendamping, case)
        (storage_dir / second.storage_name).write_bytes((storage_dir / first.storage_name).read_bytes())
        with pytest.raises(documents.DocumentUnreadable):
            documents.document_open(actor=personas.pendamping, document=second)


@given(data=st.binary(max_size=2048), public_id=st.text(min_size=1, max_size=24))
@hypothesis_settings(max_examples=50, deadline=None)
def test_seal_round_trip(data, public_id):
    version, blob = documents.seal(data, public_id=public_id)
    assert documents.unseal(blob, public_id=public_id, key_version=version) == data


@given(data=st.binary(max_size=4096))
@hypothesis_settings(max_examples=200, deadline=None)
def test_sniffing_never_crashes(data):
    for prefix in (b"", b"PK\x03\x04", b"%PDF-"):
        with contextlib.suppress(documents.UnsafeArchive):
            documents.sniff(prefix + data)


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("/home/x/visum.pdf", "visum.pdf"),
        ("..\\..\\visum.pdf", "visum.pdf"),
        ("visum\x00\n.pdf", "visum.pdf"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
        ("Visum  Siti.PDF", "Visum Siti.PDF"),
    ],
)
def test_clean_file_name(name, clean):
    assert documents.clean_file_name(name) == clean


# --- download ----------------------------------------------------------------------------------


class TestDownload:
    @pytest.mark.parametrize("kind", list(KINDS))
    def test_round_trip(self, personas, login, case, kind):
        make, name, content_type, doc_type = KINDS[kind]
        content = make()
        client = login(personas.pendamping)
        assert post_file(client, case, content, name, doc_type).status_code == 302
        document = Document.objects.get(case=case)
        assert document.content_type == content_type
        response = client.get(download_url(document))
        assert response.status_code == 200
        assert response.content == content
        assert response["Content-Type"] == content_type
        extension = name.rsplit(".", 1)[1].lower()
        fallback = "dokumen.jpg" if kind == "jpeg" else f"dokumen.{extension}"
        assert response["Content-Disposition"].startswith(
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''"
        )
        assert "Siti%20Aminah" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"

    def test_the_name_is_sent_per_rfc_5987(self, personas, login, case):
        document = upload(personas.pendamping, case, name="visum Siti Aminah – 2026.pdf")
        response = login(personas.pendamping).get(download_url(document))
        assert response["Content-Disposition"] == (
            "attachment; filename=\"dokumen.pdf\"; filename*=UTF-8''visum%20Siti%20Aminah%20%E2%80%93%202026.pdf"
        )

    def test_every_download_is_audited(self, personas, login, case):
        document = upload(personas.pendamping, case)
        client = login(personas.kepala)
        for _ in range(3):
            assert client.get(download_url(document)).status_code == 200
        events = AuditEvent.objects.filter(action="document.download", outcome="ok")
        assert events.count() == 3
        assert {(e.actor_username, e.object_id, e.case_id) for e in events} == {
            ("kepala", document.public_id, case.public_id)
        }
        assert events.first().details == {"doc_type": "visum", "size": document.size}

    def test_it_hides_from_outsiders(self, personas, login, case):
        document = upload(personas.pendamping, case)
        for name in ["pendamping_lain", "orang_luar", "kepala_luar", "kepala_provinsi"]:
            assert login(getattr(personas, name)).get(download_url(document)).status_code == 404, name
        assert not AuditEvent.objects.filter(action="document.download").exists()
        assert AuditEvent.objects.filter(action="case.view", outcome="denied").count() == 4

    def test_it_refuses_without_permission(self, personas, login, case):
        document = upload(personas.pendamping, case)
        for name in ["datin", "pimpinan", "mitra", "admin", "auditor"]:
            assert login(getattr(personas, name)).get(download_url(document)).status_code == 404, name
        assert not AuditEvent.objects.filter(action="document.download").exists()
        denied = AuditEvent.objects.filter(action="case.view", outcome="denied", case_id=case.public_id)
        assert denied.count() == 5

    def test_a_document_is_found_only_within_its_case(self, personas, login, case):
        document = upload(personas.pendamping, case)
        other = case_row(personas.orgs.unit, status="aktif")
        CaseAssignment.objects.create(case=other, user=personas.pendamping)
        client = login(personas.pendamping)
        assert client.get(download_url(document, case=other)).status_code == 404
        assert (
            client.get(reverse("cases:document_download", args=[case.public_id, "bukan-id"])).status_code
            == 404
        )
        assert AuditEvent.objects.filter(action="document.view", outcome="denied").count() == 2
        assert not AuditEvent.objects.filter(action="document.download").exists()

    @pytest.mark.parametrize("damage", ["flip-a-byte", "truncate", "delete", "unknown-key"])
    def test_a_damaged_file_is_a_clean_409(self, personas, login, case, storage_dir, damage):
        document = upload(personas.pendamping, case)
        stored = storage_dir / document.storage_name
        if damage == "flip-a-byte":
            raw = bytearray(stored.read_bytes())
            raw[40] ^= 0x01
            stored.write_bytes(bytes(raw))
        elif damage == "truncate":
            stored.write_bytes(stored.read_bytes()[:20])
        elif damage == "delete":
            stored.unlink()
        else:
            Document.objects.filter(pk=document.pk).update(key_version=99)
        response = login(personas.pendamping).get(download_url(document))
        assert response.status_code == 409
        assert response["Content-Type"].startswith("text/html")
        assert "Content-Disposition" not in response
        html = response.content.decode()
        assert "Traceback" not in html and "InvalidTag" not in html and document.storage_name not in html
        assert SECRET.decode() not in html
        event = AuditEvent.objects.get(action="document.download")
        assert (event.outcome, event.details) == ("failed", {"reason": "unreadable"})


class TestSection:
    def test_it_lists_the_documents(self, personas, login, case):
        document = upload(personas.pendamping, case, name="visum Siti.pdf")
        html = login(personas.pendamping).get(upload_url(case)).content.decode()
        assert download_url(document) in html
        assert "visum Siti.pdf" in html and escape(str(personas.pendamping)) in html

    def test_the_case_page_shows_the_section(self, personas, login, case):
        document = upload(personas.pendamping, case)
        html = login(personas.pendamping).get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert 'id="documents-heading"' in html
        assert download_url(document) in html and upload_url(case) in html

    def test_no_form_without_the_right_to_edit(self, personas, case):
        from sinergi.cases.views_documents import document_section_context

        upload(personas.pendamping, case)
        context = document_section_context(personas.pendamping, case)
        assert context["may_upload_documents"] and context["document_form"] is not None
        assert len(context["documents"]) == 1
        outsider = document_section_context(personas.orang_luar, case)
        assert not outsider["may_upload_documents"] and outsider["document_form"] is None
        assert list(outsider["documents"]) == []
