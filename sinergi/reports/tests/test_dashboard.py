"""The statistics dashboard (laporan/), its CSV downloads and the meeting report PDF."""

import csv
import io

import pytest
from django.urls import reverse

from sinergi.audit.models import AuditEvent

from .statsdata import adult, build_stats_world, make_case, reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats_world(personas):
    return build_stats_world(personas)


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


class TestDashboard:
    url = reverse("reports:dashboard")

    def test_it_works(self, personas, stats_world, login):
        for persona in ("kepala", "datin", "pimpinan"):
            response = login(getattr(personas, persona)).get(self.url)
            assert response.status_code == 200
            html = response.content.decode()
            assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
            assert 'id="cases_by_year"' in html
            assert reverse("reports:figure_csv", args=["victims_by_sex"]) in html

    def test_every_chart_has_a_table_and_no_inline_style_or_script(self, personas, stats_world, login):
        html = login(personas.datin).get(self.url).content.decode()
        assert html.count('class="chart"') == html.count('role="img"')
        assert html.count('class="chart"') <= html.count('<table class="stats-table">')
        assert " style=" not in html and "<style" not in html
        assert "<script" not in html.split("</head>")[1]

    def test_it_hides_from_outsiders(self, personas, stats_world, login):
        # Another city's head sees their own unit's single case (C7, 2021), none of ours.
        response = login(personas.kepala_luar).get(self.url)
        figure = response.context["figures"][0]["figure"]
        assert figure.as_dict() == {"2021": [1, 1, 1, 1]}
        # Asking for a unit outside one's scope is not obeyed: the filter is invalid.
        response = login(personas.kepala_luar).get(self.url, {"unit": personas.orgs.unit.public_id})
        assert response.context["form"].errors["unit"]
        assert response.context["figures"][0]["figure"].as_dict() == {"2021": [1, 1, 1, 1]}

    def test_anonymous_is_sent_to_the_login(self, client):
        response = client.get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_the_filter_narrows_the_figures(self, personas, stats_world, login):
        response = login(personas.kepala_provinsi).get(
            self.url, {"start": "2021-01-01", "end": "2021-12-31", "unit": personas.orgs.other_unit.public_id}
        )
        # A province head reads the cities below as aggregates: their small counts are hidden.
        assert response.context["aggregate_only"]
        assert response.context["figures"][0]["figure"].as_dict() == {"2021": ["<5", "<5", "<5", "<5"]}
        all_below = login(personas.kepala_provinsi).get(
            self.url, {"start": "2021-01-01", "end": "2021-12-31"}
        )
        assert all_below.context["figures"][0]["figure"].as_dict() == {"2021": ["<5", "<5", "5", "<5"]}
        # The city's own kepala reads the same city exactly.
        own = login(personas.kepala).get(self.url, {"start": "2021-01-01", "end": "2021-12-31"})
        assert not own.context["aggregate_only"]
        assert own.context["figures"][0]["figure"].as_dict() == {"2021": [3, 2, 4, 2]}

    def test_a_reversed_period_is_an_error_next_to_the_field(self, personas, login):
        response = login(personas.datin).get(self.url, {"start": "2023-01-01", "end": "2022-01-01"})
        assert response.status_code == 200
        assert response.context["form"].errors["end"]

    def test_the_query_count_does_not_grow_with_the_cases(
        self, personas, login, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = login(personas.datin)
        for i in range(5):
            make_case(
                personas.petugas,
                when=reported(2022, 1 + i, 3),
                victims=[adult(violence_types=["fisik"])],
                region="13.76.01",
            )
        client.get(self.url)  # warm-up: sessions, the once-per-process table lookup
        with CaptureQueriesContext(connection) as few:
            client.get(self.url)
        for i in range(45):
            make_case(
                personas.petugas,
                when=reported(2021, 1 + i % 12, 3),
                victims=[adult(), adult(age_years=9)],
                perpetrators=[{"relationships": ["tetangga"]}],
                region=f"13.76.0{1 + i % 5}",
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(self.url)


class TestFigureCsv:
    def url(self, key="victims_by_sex"):
        return reverse("reports:figure_csv", args=[key])

    def test_it_works(self, personas, stats_world, login):
        response = login(personas.datin).get(self.url(), {"start": "2021-01-01", "end": "2021-12-31"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = read_csv(response)
        body = {r[0]: r[2:] for r in rows if r and r[0] in {"perempuan", "laki_laki"}}
        assert body == {"perempuan": ["2"], "laki_laki": ["2"]}
        assert rows[-1][0] == "" and rows[-1][2] == "4"  # the total row

    def test_every_figure_downloads(self, personas, stats_world, login):
        from sinergi.reports.aggregates import FIGURES

        client = login(personas.kepala)
        for key in FIGURES:
            response = client.get(self.url(key))
            assert response.status_code == 200, key
            assert read_csv(response)[0], key

    def test_the_download_is_audited(self, personas, stats_world, login):
        login(personas.pimpinan).get(self.url("cases_by_kecamatan"), {"start": "2021-01-01"})
        event = AuditEvent.objects.get(action="report.download", actor_username="pimpinan")
        assert event.object_id == "cases_by_kecamatan"
        assert event.details == {"format": "csv", "filters": {"start": "2021-01-01"}}

    def test_it_refuses_without_permission(self, personas, login):
        assert login(personas.pendamping).get(self.url()).status_code == 403
        assert not AuditEvent.objects.filter(action="report.download").exists()


class TestMeetingPdf:
    url = reverse("reports:meeting_pdf")

    def test_it_works(self, personas, stats_world, login):
        response = login(personas.kepala).get(self.url, {"start": "2021-01-01", "end": "2023-12-31"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        event = AuditEvent.objects.get(action="report.download", actor_username="kepala")
        assert event.object_id == "meeting_report"

    def test_it_hides_from_outsiders(self, personas, stats_world, login):
        from sinergi.reports.aggregates import Period
        from sinergi.reports.pdf import meeting_report_context

        context = meeting_report_context(
            user=personas.kepala_luar,
            unit_scope=[personas.orgs.other_unit],
            period=Period(),
            aggregate_only=False,
        )
        trend = context["sections"][0]["figure"]
        assert trend.as_dict() == {"2021": [1, 1]}


def test_the_meeting_report_covers_every_section(personas, stats_world):
    from sinergi.reports.aggregates import Period
    from sinergi.reports.pdf import meeting_report_html

    html = meeting_report_html(
        user=personas.kepala, unit_scope=[personas.orgs.unit], period=Period(), aggregate_only=False
    )
    assert html.count('class="figure"') >= 16
    assert html.count('class="chart"') >= 8
    # Black-and-white: the second series is a pattern, not a colour only.
    assert 'fill="url(#chart-cases-by-year-p1)"' in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")


class TestMeetingPdfJob:
    url = reverse("reports:meeting_job")

    def test_it_works(self, personas, stats_world, login):
        from sinergi.reports.models import ReportJob

        client = login(personas.datin)
        response = client.post(self.url, {"start": "2021-01-01", "end": "2023-12-31"})
        job = ReportJob.objects.get(kind="meeting_pdf")
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:job", args=[job.public_id])
        assert job.status == "done" and job.progress == 100
        assert job.params["date_from"] == "2021-01-01" and job.params["unit"] == ""
        download = client.get(reverse("reports:job_download", args=[job.public_id]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content if download.streaming else [download.content]).startswith(
            b"%PDF"
        )

    def test_it_hides_from_outsiders(self, personas, stats_world, login):
        from sinergi.reports.models import ReportJob

        # A unit outside the requester's scope is not taken: the job covers their own units.
        login(personas.kepala_luar).post(self.url, {"unit": personas.orgs.unit.public_id})
        job = ReportJob.objects.get(kind="meeting_pdf")
        assert job.params["unit"] == "" and job.status == "done"
        from sinergi.reports.pdf import _job_scope

        units, _period, aggregate_only = _job_scope(job)
        assert units == [personas.orgs.other_unit] and not aggregate_only

    def test_it_refuses_without_permission(self, personas, login):
        from sinergi.reports.models import ReportJob

        assert login(personas.pendamping).post(self.url).status_code == 403
        assert login(personas.datin).get(self.url).status_code == 405
        assert not ReportJob.objects.exists()
