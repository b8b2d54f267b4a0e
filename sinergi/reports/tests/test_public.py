"""The public statistics page (statistik/) and its open data: no login, consent-filtered, protected."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from sinergi.cases.models import Case, CasePerson, Consent
from sinergi.reports import aggregates as A
from sinergi.reports.releases import publish_release
from sinergi.reports.views_public import publication
from sinergi.testing.cases import case_row

from .statsdata import adult, build_stats_world, child, make_case, reported

pytestmark = pytest.mark.django_db


PUBLISHED_ON = dt.date(2026, 12, 15)  # data until 30-11-2026: 2021–2025 are closed years


def publish(p, today=PUBLISHED_ON):
    return publish_release(actor=p.datin, today=today)


@pytest.fixture
def stats_world(personas):
    world = build_stats_world(personas)
    publish(personas)
    return world


def table(data, key):
    return next(t for t in data["tables"] if t["key"] == key)


def cells(t):
    return {row["code"]: row["shown"] for row in t["rows"]}


def closed(trend):
    return [t for t in trend if not t.get("open")]


class TestPublicPage:
    url = reverse("reports:public")

    def test_it_works_without_login(self, client, stats_world):
        response = client.get(self.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "data.json" in html and "data.csv" in html
        assert " style=" not in html

    def test_it_hides_from_outsiders(self, client, personas, stats_world):
        # No drill-down: nothing that names or points at a case or a person.
        html = client.get(self.url, {"tahun": "2021", "unit": personas.orgs.unit.public_id}).content.decode()
        for case in stats_world.cases:
            assert case.pseudonym not in html
            assert case.registration_number not in html
            assert case.public_id not in html
        assert reverse("cases:list") not in html

    def test_it_refuses_without_permission(self, client):
        # Public, but read-only: anything but GET/HEAD is refused.
        assert client.post(self.url).status_code == 405

    def test_only_cases_with_statistics_consent_count(self, client, stats_world):
        data = client.get(self.url).context["data"]
        # All units: C1, C2, C7 in 2021 (C3 has no consent); C4 (public task) in 2022; C5 in 2023
        # (C6's consent was withdrawn).
        # Totals follow the one rule too: 1 to 4 is "<5".
        assert [(t["year"], t["cases"]["shown"]) for t in closed(data["trend"])] == [
            (2021, "<5"),
            (2022, "<5"),
            (2023, "<5"),
        ]
        assert [t["victims"]["shown"] for t in closed(data["trend"])] == ["<5", "<5", "<5"]
        # The open year (2026, data until November) has no breakdown: a range of five only.
        assert data["trend"][-1] == {
            "year": 2026,
            "open": True,
            "cases": {"value": None, "at_least": 0, "at_most": 4, "shown": "0–4"},
            "victims": {"value": None, "at_least": 0, "at_most": 4, "shown": "0–4"},
        }
        assert data["closed_years"] == [2023, 2022, 2021]

    def test_an_unknown_year_shows_the_latest(self, client, stats_world):
        for value in ("1999", "abc", ""):
            assert client.get(self.url, {"tahun": value}).context["data"]["year"] == 2023

    def test_a_year_with_fewer_than_five_cases_is_not_broken_down(self, client, stats_world):
        data = client.get(self.url, {"tahun": "2021"}).context["data"]
        assert data["year"] == 2021
        assert all(t["withheld"] for t in data["tables"])
        html = client.get(self.url, {"tahun": "2021"}).content.decode()
        assert "Payakumbuh Barat" not in html


def _seven_cases(p):
    """2024: seven consented cases — six in Payakumbuh Barat, one in Payakumbuh Utara."""
    for i in range(6):
        make_case(
            p.petugas,
            when=reported(2024, 1 + i, 2),
            victims=[adult(violence_types=["fisik"])],
            region="13.76.01",
        )
    make_case(
        p.petugas, when=reported(2024, 8, 2), victims=[child(violence_types=["seksual"])], region="13.76.02"
    )


class TestSmallCells:
    def test_counts_of_one_to_four_are_shown_as_less_than_five(self, personas):
        _seven_cases(personas)
        publish(personas)
        data = publication(2024)
        assert [(t["year"], t["cases"]["shown"]) for t in closed(data["trend"])] == [(2024, "7")]
        # Six in one kecamatan, one in another: the 1 is "<5", and the 6 is hidden too ("5+"),
        # or 7 − 6 would give the 1 away.
        assert cells(table(data, "cases_by_kecamatan")) == {
            "13.76.01": "5+",
            "13.76.02": "<5",
        }
        assert cells(table(data, "victims_child_adult")) == {"anak": "<5", "dewasa": "5+"}
        # Seven months with one case each: seven "<5" adding up to 7 can only be 1 each, so the
        # months are not broken down at all.
        assert table(data, "cases_by_month")["withheld"]

    def test_totals_cannot_be_used_to_work_out_a_hidden_cell(self, personas):
        _seven_cases(personas)
        publish(personas)
        for t in publication(2024)["tables"]:
            if t["withheld"] or t["key"] in {"victims_by_violence_type", "tpks_tppo"}:
                continue
            hidden = [row for row in t["rows"] if row["value"] is None]
            assert len(hidden) != 1, f"{t['key']}: a single hidden cell next to a published total"

    def test_a_type_held_by_all_but_one_victim_is_hidden(self, personas):
        _seven_cases(personas)
        publish(personas)
        violence = cells(table(publication(2024), "victims_by_violence_type"))
        # 6 of 7 victims suffered physical violence: showing 6 would reveal the 1 without it.
        assert violence["fisik"] == "5+"
        assert violence["seksual"] == "<5"
        assert violence["psikis"] == "0"


class TestOpenData:
    def test_json(self, client, personas):
        _seven_cases(personas)
        publish(personas)
        response = client.get(reverse("reports:public_json"))
        assert response.status_code == 200
        data = json.loads(response.content)
        assert closed(data["trend"]) == [
            {"year": 2024, "cases": {"value": 7, "shown": "7"}, "victims": {"value": 7, "shown": "7"}}
        ]
        assert data["release"] == 1 and data["cut_off"] == "2026-11-30"
        kecamatan = next(t for t in data["years"]["2024"] if t["key"] == "cases_by_kecamatan")
        assert {r["code"]: (r["value"], r["shown"]) for r in kecamatan["rows"]} == {
            "13.76.01": (None, "5+"),
            "13.76.02": (None, "<5"),
        }
        assert "method" in data

    def test_csv(self, client, personas):
        _seven_cases(personas)
        publish(personas)
        response = client.get(reverse("reports:public_csv"))
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == ["year", "table", "code", "category", "counted", "value", "shown"]
        assert rows[1][:2] == ["2024", "cases_by_year"] and rows[1][5:] == ["7", "7"]
        small = [r for r in rows if r[1] == "cases_by_kecamatan" and r[2] == "13.76.02"]
        assert small[0][5:] == ["", "<5"]

    def test_no_personal_data(self, client, personas):
        _seven_cases(personas)
        publish(personas)
        body = client.get(reverse("reports:public_json")).content.decode()
        assert "Korban Uji" not in body
        for case in Case.objects.all():
            assert case.pseudonym not in body


def test_imported_history_shows_the_same_yearly_totals_as_the_dashboard(personas, login):
    """The issue's done-when: 12, 14 and 4 historical cases → both pages say 12, 14 and 4."""
    for year, count in {2021: 12, 2022: 14, 2023: 4}.items():
        for n in range(count):
            case = case_row(
                personas.orgs.unit,
                status="ditutup",
                is_historical=True,
                reported_at=dt.datetime(year, 1 + n % 12, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=7))),
            )
            victim = CasePerson.objects.create(case=case, role="korban", sex="perempuan", age_band="25-44")
            Consent.objects.create(
                case=case,
                victim=victim,
                purpose="statistik",
                lawful_basis="public_task",
                basis_note="Impor register lama.",
                given_at=case.reported_at,
                recorded_by=personas.datin,
            )
    dashboard = login(personas.datin).get(reverse("reports:dashboard")).context["figures"][0]["figure"]
    assert {year: values[0] for year, values in dashboard.as_dict().items()} == {
        "2021": 12,
        "2022": 14,
        "2023": 4,
    }
    publish(personas)
    public = publication()
    # The official yearly figures: 12 and 14 exactly; 4 is a count under five, "<5" like any cell.
    assert [(t["year"], t["cases"]["shown"]) for t in closed(public["trend"])] == [
        (2021, "12"),
        (2022, "14"),
        (2023, "<5"),
    ]
    assert A.cases_by_year(A.Scope.of(A.all_units(), consented=True)).column(0) == [12, 14, 4]
