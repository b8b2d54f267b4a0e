from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from sinergi.core.errors import NoPersonalDataReporterFilter


def test_error_reports_mask_form_fields_and_cookies(settings):
    request = RequestFactory().post("/kasus/", {"nama_korban": "Siti Aminah", "nik": "1376014101900001"})
    request.COOKIES["sinergi_session"] = "rahasia-sesi"
    try:
        raise ValueError("boom")
    except ValueError as exc:
        reporter = ExceptionReporter(request, type(exc), exc, exc.__traceback__)
        text = reporter.get_traceback_text()
    assert "Siti Aminah" not in text and "1376014101900001" not in text and "rahasia-sesi" not in text
    assert isinstance(reporter.filter, NoPersonalDataReporterFilter)
