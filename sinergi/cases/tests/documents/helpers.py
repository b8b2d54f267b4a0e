"""Tiny real files of every accepted kind, and the calls the document tests make."""

import base64
import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sinergi.cases import documents


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
