"""Case documents: content-checked upload, refused files, nothing half-saved, who may upload."""

import hashlib
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.cases import documents
from sinergi.cases.models import Case, Document
from sinergi.core import files
from sinergi.core.crypto import key_ring

from .helpers import (
    _zip,
    docx_bytes,
    file_error_codes,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    post_file,
    stored_files,
    upload,
    upload_url,
)

# --- upload ------------------------------------------------------------------------------------


class TestUpload:
    def test_it_works(self, personas, login, case, storage_dir):
        response = post_file(login(personas.pendamping), case, pdf_bytes(), "visum.pdf")
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:detail", args=[case.public_id])
        document = Document.objects.get(case=case)
        assert (document.doc_type, document.content_type, document.size) == (
            "visum",
            "application/pdf",
            len(pdf_bytes()),
        )
        assert document.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
        assert document.uploaded_by == personas.pendamping
        assert document.key_version == key_ring().active
        assert stored_files(storage_dir) == [storage_dir / document.storage_name]
        event = AuditEvent.objects.get(action="document.upload", outcome="ok")
        assert event.case_id == case.public_id and event.object_id == document.public_id
        assert event.details == {
            "doc_type": "visum",
            "size": document.size,
            "content_type": "application/pdf",
        }

    def test_the_form_page_works_without_javascript(self, personas, login, case):
        html = login(personas.pendamping).get(upload_url(case)).content.decode()
        assert 'enctype="multipart/form-data"' in html and 'name="file"' in html and 'name="doc_type"' in html
        # It lists the case's documents, so opening it is recorded as a view of the case.
        event = AuditEvent.objects.get(action="case.view", outcome="ok")
        assert (event.case_id, event.details) == (case.public_id, {"section": "documents"})

    def test_many_small_files_cannot_add_up(self, personas, login, case, settings, storage_dir):
        settings.SINERGI_UPLOAD_MAX_MB = 1
        parts = [SimpleUploadedFile(f"visum{i}.pdf", pdf_bytes(extra=b"0" * (400 * 1024))) for i in range(4)]
        response = login(personas.pendamping).post(upload_url(case), {"doc_type": "visum", "file": parts})
        assert response.wsgi_request.sinergi_upload_too_large
        assert len(response.wsgi_request.FILES.getlist("file")) == 2
        assert file_error_codes(response) == ["too_large"]
        assert not Document.objects.exists() and stored_files(storage_dir) == []

    def test_it_hides_from_outsiders(self, personas, login, case, storage_dir):
        for name in ["pendamping_lain", "orang_luar", "kepala_luar", "kepala_provinsi"]:
            client = login(getattr(personas, name))
            assert client.get(upload_url(case)).status_code == 404, name
            assert post_file(client, case, pdf_bytes(), "visum.pdf").status_code == 404, name
        assert not Document.objects.exists() and stored_files(storage_dir) == []
        denied = AuditEvent.objects.filter(action="case.view", outcome="denied", case_id=case.public_id)
        assert denied.count() == 8

    def test_it_refuses_without_permission(self, personas, login, case, storage_dir):
        # Every refusal on a case URL is a 404 (as on the case page): no URL confirms a case exists.
        for name in ["datin", "pimpinan", "mitra", "admin", "auditor"]:
            response = post_file(login(getattr(personas, name)), case, pdf_bytes(), "visum.pdf")
            assert response.status_code == 404, name
        assert not Document.objects.exists() and stored_files(storage_dir) == []
        denied = AuditEvent.objects.filter(action="case.view", outcome="denied", case_id=case.public_id)
        assert {e.details["permission"] for e in denied} == {"case.edit"}
        assert denied.count() == 5

    def test_kepala_of_the_unit_may_upload(self, personas, login, case):
        assert post_file(login(personas.kepala), case, pdf_bytes(), "visum.pdf").status_code == 302
        assert Document.objects.filter(case=case, uploaded_by=personas.kepala).exists()

    def test_the_form_needs_the_csrf_token(self, personas, case, storage_dir):
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas.pendamping)
        response = post_file(client, case, pdf_bytes(), "visum.pdf")
        assert response.status_code == 403
        assert not Document.objects.exists() and stored_files(storage_dir) == []

    def test_a_missing_file_or_type_is_a_field_error(self, personas, login, case):
        response = login(personas.pendamping).post(upload_url(case), {"doc_type": ""})
        assert response.status_code == 200
        errors = response.context["document_form"].errors.as_data()
        assert [e.code for e in errors["file"]] == ["required"]
        assert [e.code for e in errors["doc_type"]] == ["required"]
        assert not Document.objects.exists()

    def test_an_unknown_type_is_refused(self, personas, login, case):
        response = post_file(
            login(personas.pendamping), case, pdf_bytes(), "visum.pdf", doc_type="surat_cinta"
        )
        assert "doc_type" in response.context["document_form"].errors
        assert not Document.objects.exists()

    def test_a_closed_case_takes_no_documents(self, personas, login, case, storage_dir):
        Case.objects.filter(pk=case.pk).update(status="ditutup")
        client = login(personas.pendamping)
        assert 'name="file"' not in client.get(upload_url(case)).content.decode()
        response = post_file(client, case, pdf_bytes(), "visum.pdf")
        assert response.status_code == 200
        assert [e.code for e in response.context["document_form"].non_field_errors().as_data()] == [
            "case_closed"
        ]
        assert not Document.objects.exists() and stored_files(storage_dir) == []

    def test_the_original_name_is_cleaned(self, personas, case):
        document = upload(personas.pendamping, case, name="C:\\Users\\petugas\\Desktop\\visum\u202egnp.pdf")
        assert Document.objects.get(pk=document.pk).original_name == "visumgnp.pdf"


class TestRefusedFiles:
    @pytest.mark.parametrize(
        ("content", "name", "code"),
        [
            pytest.param(png_bytes(), "visum.pdf", "disguised", id="png-named-pdf"),
            pytest.param(pdf_bytes(), "foto.jpg", "disguised", id="pdf-named-jpg"),
            pytest.param(docx_bytes(), "laporan.odt", "disguised", id="docx-named-odt"),
            pytest.param(
                b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "visum.pdf", "unsupported", id="exe-named-pdf"
            ),
            pytest.param(
                b"<!DOCTYPE html><html><script>alert(1)</script></html>",
                "laporan.docx",
                "unsupported",
                id="html-named-docx",
            ),
            pytest.param(_zip([("a.txt", "halo")]), "laporan.docx", "unsupported", id="plain-zip-named-docx"),
            pytest.param(
                odt_bytes("application/vnd.oasis.opendocument.spreadsheet"), "x.odt", "unsupported", id="ods"
            ),
            pytest.param(
                docx_bytes(extra_members=[("word/vbaProject.bin", b"\x00" * 10)]),
                "makro.docx",
                "unsupported",
                id="docx-with-macros",
            ),
            pytest.param(b"PK\x03\x04" + b"\x00" * 100, "rusak.docx", "unsupported", id="broken-zip"),
            pytest.param(pdf_bytes(), "visum", "no_extension", id="no-extension"),
            pytest.param(b"", "visum.pdf", "empty", id="empty"),
        ],
    )
    def test_it_refuses_with_a_field_message_and_saves_nothing(
        self, personas, login, case, storage_dir, content, name, code
    ):
        response = post_file(login(personas.pendamping), case, content, name)
        assert response.status_code == 200
        assert file_error_codes(response) == [code]
        assert 'class="field-error"' in response.content.decode()
        assert not Document.objects.exists()
        assert stored_files(storage_dir) == []
        assert not AuditEvent.objects.filter(action="document.upload", outcome="ok").exists()

    def test_a_disguised_file_leaves_a_trace_without_its_name(self, personas, case):
        with pytest.raises(ValidationError):
            upload(personas.pendamping, case, png_bytes(), name="Siti Aminah.pdf")
        event = AuditEvent.objects.get(action="document.upload", outcome="failed")
        assert event.details["reason"] == "disguised"
        assert "Siti" not in str(event.details)

    def test_the_message_is_in_the_users_language(self, personas, login, case):
        response = post_file(login(personas.pendamping), case, png_bytes(), "visum.pdf")
        message = response.context["document_form"].errors["file"][0]
        assert "PNG" in message and ".pdf" in message

    def test_an_oversize_file_is_refused(self, personas, login, case, settings, storage_dir):
        settings.SINERGI_UPLOAD_MAX_MB = 1
        big = pdf_bytes(extra=b"0" * (1536 * 1024))
        response = post_file(login(personas.pendamping), case, big, "visum.pdf")
        assert response.status_code == 200
        assert file_error_codes(response) == ["too_large"]
        # Dropped while it streamed in, not after it was spooled whole.
        assert response.wsgi_request.sinergi_upload_too_large
        assert "file" not in response.wsgi_request.FILES
        assert not Document.objects.exists() and stored_files(storage_dir) == []

    def test_the_service_refuses_oversize_before_reading(self, personas, case, settings):
        settings.SINERGI_UPLOAD_MAX_MB = 1

        class Unreadable(SimpleUploadedFile):
            def read(self, *args):
                raise AssertionError("an oversize file must not be read")

        big = Unreadable("visum.pdf", pdf_bytes(extra=b"0" * (1536 * 1024)))
        with pytest.raises(ValidationError) as caught:
            documents.document_upload(
                actor=personas.pendamping, case=case, uploaded_file=big, doc_type="visum"
            )
        assert caught.value.error_dict["file"][0].code == "too_large"

    def test_the_upload_limit_is_20_mb_by_default(self, settings):
        del settings.SINERGI_UPLOAD_MAX_MB
        assert documents.max_upload_bytes() == 20 * 1024 * 1024

    def test_a_zip_with_too_many_members_is_refused(self, personas, case, monkeypatch):
        monkeypatch.setattr(files, "ZIP_MAX_MEMBERS", 3)
        with pytest.raises(ValidationError) as caught:
            upload(personas.pendamping, case, docx_bytes(extra_members=[("a", "1"), ("b", "2")]), "x.docx")
        assert caught.value.error_dict["file"][0].code == "unsafe_archive"

    def test_a_zip_that_unpacks_too_large_is_refused(self, personas, case, monkeypatch):
        monkeypatch.setattr(files, "ZIP_MAX_UNCOMPRESSED", 10_000)
        bomb = docx_bytes(
            extra_members=[("word/media/nol.bin", b"\x00" * 20_000)], compression=zipfile.ZIP_DEFLATED
        )
        assert len(bomb) < 10_000
        with pytest.raises(ValidationError) as caught:
            upload(personas.pendamping, case, bomb, "x.docx")
        assert caught.value.error_dict["file"][0].code == "unsafe_archive"


class TestNothingIsHalfSaved:
    def test_a_failed_transaction_removes_the_written_file(self, personas, case, storage_dir, monkeypatch):
        def broken_audit(**kwargs):
            raise RuntimeError("audit trail unavailable")

        monkeypatch.setattr(documents, "audit_record", broken_audit)
        with pytest.raises(RuntimeError):
            upload(personas.pendamping, case)
        assert not Document.objects.exists()
        assert stored_files(storage_dir) == []

    def test_a_failed_write_leaves_no_row(self, personas, login, case, storage_dir, monkeypatch):
        def broken_save(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(FileSystemStorage, "_save", broken_save)
        response = post_file(login(personas.pendamping), case, pdf_bytes(), "visum.pdf")
        assert response.status_code == 503
        assert response.context["document_form"].non_field_errors()
        assert not Document.objects.exists()
        assert not AuditEvent.objects.filter(action="document.upload").exists()


class TestServicePermissions:
    def test_upload_needs_edit_right_and_the_case(self, personas, case):
        for name in ["datin", "orang_luar", "pendamping_lain"]:
            with pytest.raises(PermissionDenied):
                upload(getattr(personas, name), case)
        assert not Document.objects.exists()

    def test_open_needs_the_case(self, personas, case):
        document = upload(personas.pendamping, case)
        for name in ["mitra", "orang_luar", "pendamping_lain"]:
            with pytest.raises(PermissionDenied):
                documents.document_open(actor=getattr(personas, name), document=document)
        assert not AuditEvent.objects.filter(action="document.download").exists()
