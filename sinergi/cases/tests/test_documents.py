"""Case documents: content-checked upload, encryption at rest, authorised and audited download."""

import base64
import contextlib
import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sinergi.audit.models import AuditEvent
from sinergi.cases import documents
from sinergi.cases.models import Case, CaseAssignment, Document
from sinergi.core import files
from sinergi.core.crypto import key_ring


@pytest.fixture(autouse=True)
def storage_dir(settings, tmp_path):
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


def stored_files(location):
    return sorted(p for p in location.rglob("*") if p.is_file()) if location.exists() else []


# --- tiny real files ---------------------------------------------------------------------------

SECRET = b"RAHASIA-KORBAN-7f3a9c"  # a marker that must never be readable at rest


def pdf_bytes(extra=b""):
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% " + SECRET + b"\n" + extra + b"\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes():
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + SECRET)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def jpeg_bytes():
    # A 1×1 greyscale JFIF, with the marker in a comment segment (COM) after SOI.
    image = base64.b64decode(
        "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////"
        "////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA="
    )
    comment = b"\xff\xfe" + struct.pack(">H", len(SECRET) + 2) + SECRET
    return image[:2] + comment + image[2:]


def _zip(members, compression=zipfile.ZIP_STORED):
    # Stored by default, so that the marker is plainly in the file and must vanish at rest.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, content) in enumerate(members):
            # OpenDocument wants its "mimetype" member first and uncompressed.
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 2, 3, 4, 6))  # the same bytes every call
            info.compress_type = zipfile.ZIP_STORED if index == 0 else compression
            archive.writestr(info, content)
    return buffer.getvalue()


DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def docx_bytes(extra_members=(), compression=zipfile.ZIP_STORED):
    return _zip(
        [
            ("[Content_Types].xml", DOCX_CONTENT_TYPES),
            (
                "_rels/.rels",
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
            ),
            (
                "word/document.xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body><w:p><w:r><w:t>{SECRET.decode()}</w:t></w:r></w:p></w:body></w:document>",
            ),
            *extra_members,
        ],
        compression,
    )


def odt_bytes(mimetype="application/vnd.oasis.opendocument.text"):
    return _zip(
        [
            ("mimetype", mimetype),
            (
                "META-INF/manifest.xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="'
                + mimetype
                + '"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>",
            ),
            (
                "content.xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                f"<text:p>{SECRET.decode()}</text:p></office:text></office:body></office:document-content>",
            ),
        ]
    )


KINDS = {
    "pdf": (pdf_bytes, "visum Siti Aminah – 2026.pdf", "application/pdf", "visum"),
    "jpeg": (jpeg_bytes, "foto luka Siti Aminah.JPG", "image/jpeg", "foto"),
    "png": (png_bytes, "tangkapan layar Siti Aminah.png", "image/png", "foto"),
    "docx": (
        docx_bytes,
        "surat pernyataan Siti Aminah.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "surat_pernyataan",
    ),
    "odt": (
        odt_bytes,
        "laporan polisi Siti Aminah.odt",
        "application/vnd.oasis.opendocument.text",
        "laporan_polisi",
    ),
}

# --- the world ---------------------------------------------------------------------------------


@pytest.fixture
def case(personas):
    case = Case.objects.create(unit=personas.orgs.unit, status="aktif")
    CaseAssignment.objects.create(case=case, user=personas.pendamping, team_role="lead")
    return case


def upload_url(case):
    return reverse("cases:document_upload", args=[case.public_id])


def download_url(document, case=None):
    return reverse("cases:document_download", args=[(case or document.case).public_id, document.public_id])


def post_file(client, case, content, name, doc_type="visum"):
    return client.post(upload_url(case), {"doc_type": doc_type, "file": SimpleUploadedFile(name, content)})


def file_error_codes(response):
    form = response.context["document_form"]
    return [e.code for e in form.errors.as_data().get("file", [])]


def upload(actor, case, content=None, name="visum.pdf", doc_type="visum"):
    content = pdf_bytes() if content is None else content
    return documents.document_upload(
        actor=actor, case=case, uploaded_file=SimpleUploadedFile(name, content), doc_type=doc_type
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
        other = Case.objects.create(unit=personas.orgs.unit, status="aktif")
        CaseAssignment.objects.create(case=other, user=personas.pendamping)
        client = login(personas.pendamping)
        assert client.get(download_url(document, case=other)).status_code == 404
        assert (
            client.get(reverse("cases:document_download", args=[case.public_id, "bukan-id"])).status_code
            == 404
        )
        assert AuditEvent.objects.filter(action="document.view", outcome="denied").count() == 2
        assert not AuditEvent.objects.filter(action="document.download").exists()

    def test_post_is_not_allowed(self, personas, login, case):
        document = upload(personas.pendamping, case)
        assert login(personas.pendamping).post(download_url(document)).status_code == 405

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
