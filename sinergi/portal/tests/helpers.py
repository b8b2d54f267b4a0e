"""Shared bits of the portal tests: a valid report POST, and a report made through the service."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sinergi.portal import services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NARRATIVE = "Tetangga saya memukul anaknya setiap malam; anak itu sering menangis di luar rumah."
CODE_IN_PAGE = re.compile(r'id="tracking-code">([0-9A-Z-]{11})<')
PIN_IN_PAGE = re.compile(r'id="tracking-pin">(\d{6})<')


def report_data(**overrides):
    data = {
        "reporter_relation": "other",
        "narrative": NARRATIVE,
        "harm_types": ["fisik"],
        "place": "",
        "when_happened": "minggu_ini",
        "victim_age_group": "6-12",
        "danger_now": "tidak",
        "contact_method": "none",
        "contact_detail": "",
        "contact_safe_time": "",
        "website": "",
        "idempotency_key": overrides.pop("idempotency_key", None) or services.new_pin() + "abcdefabcdef",
    }
    data.update(overrides)
    return data


def post_report(client, REMOTE_ADDR="127.0.0.1", **overrides):  # noqa: N803 (the WSGI name)
    extra = {k: overrides.pop(k) for k in list(overrides) if k.startswith("HTTP_")}
    return client.post(reverse("portal:report"), report_data(**overrides), REMOTE_ADDR=REMOTE_ADDR, **extra)


def code_and_pin(response):
    html = response.content.decode()
    return CODE_IN_PAGE.search(html).group(1), PIN_IN_PAGE.search(html).group(1)


def make_report(unit, *, danger_now=False, anonymous=True, **fields):
    """A public report created through the service; returns (report, pin)."""
    values = {
        "reporter_relation": "self",
        "narrative": NARRATIVE,
        "harm_types": ["fisik"],
        "victim_age_group": "18-59",
        "danger_now": danger_now,
        "anonymous": anonymous,
        "contact_method": "none" if anonymous else "whatsapp",
        "contact_detail": "" if anonymous else "0812-3456-7890",
    }
    values.update(fields)
    report, pin, _created = services.report_submit(unit=unit, idempotency_key=None, **values)
    return report, pin


def png_upload(name="foto.png", data=PNG):
    return SimpleUploadedFile(name, data, content_type="image/png")
