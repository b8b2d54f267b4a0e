"""Every breakdown against the hand-counted cases of conftest.build_stats_world.

Unit "Kota Uji" (the personas' unit) has six cases; "Kota Lain" one (C7, 2021, consent):

| case | reported   | victims (sex, age, types)                      | perpetrators           | place          | kecamatan | consent        |
|------|------------|------------------------------------------------|------------------------|----------------|-----------|----------------|
| C1   | 2021-03-02 | F 30 fisik+psikis                              | suami_istri            | rumah_tangga   | 13.76.01  | yes            |
| C2   | 2021-03-20 | F 10 seksual; TPKS perkosaan; GBVIMS rape      | tetangga               | fasilitas_umum | 13.76.02  | yes            |
| C3   | 2021-11-05 | M 40 psikis, M 8 fisik                         | orang_tua              | rumah_tangga   | 13.76.01  | no             |
| C4   | 2022-01-10 | F 20 trafficking+eksploitasi; TPPO             | pacar_teman, unknown   | lainnya        | —         | public_task    |
| C5   | 2023-07-01 | F 15 seksual; TPKS; TPPO (child, no means)     | —                      | sekolah        | —         | yes            |
| C6   | 2023-07-30 | F 50 penelantaran                              | —                      | —              | —         | withdrawn      |
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.reports import aggregates as A

from .statsdata import adult, build_stats_world, make_case, reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats_world(personas):
    return build_stats_world(personas)


def unit_scope(p, **kw):
    return A.Scope.of([p.orgs.unit], **kw)


def counts(figure, column=0):
    return {r.code: r.values[column] for r in figure.rows}


def test_cases_and_victims_by_year(personas, stats_world):
    figure = A.cases_by_year(unit_scope(personas))
    # cases, of which with consent, victims, of which with consent
    assert figure.as_dict() == {"2021": [3, 2, 4, 2], "2022": [1, 1, 1, 1], "2023": [2, 1, 2, 1]}


def test_cases_by_month_fills_empty_months(personas, stats_world):
    figure = A.cases_by_month(unit_scope(personas))
    months = figure.as_dict()
    assert months["2021-03"] == [2, 2]
    assert months["2021-11"] == [1, 2]
    assert months["2021-04"] == [0, 0]
    assert months["2023-07"] == [2, 2]
    assert list(months)[0] == "2021-03" and list(months)[-1] == "2023-07"
    assert len(months) == 29


def test_victims_by_violence_type(personas, stats_world):
    assert counts(A.victims_by_violence_type(unit_scope(personas))) == {
        "fisik": 2,
        "psikis": 2,
        "seksual": 2,
        "eksploitasi": 1,
        "trafficking": 1,
        "penelantaran": 1,
        "lainnya": 0,
    }


def test_victims_by_sex_age_and_child(personas, stats_world):
    scope = unit_scope(personas)
    assert counts(A.victims_by_sex(scope)) == {"perempuan": 5, "laki_laki": 2}
    assert counts(A.victims_by_age_band(scope)) == {
        "0-5": 0,
        "6-12": 2,
        "13-17": 1,
        "18-24": 1,
        "25-44": 2,
        "45-59": 1,
        "60+": 0,
    }
    assert counts(A.victims_child_adult(scope)) == {"anak": 3, "dewasa": 4}


def test_cases_by_kecamatan_place_and_relationship(personas, stats_world):
    scope = unit_scope(personas)
    kecamatan = A.cases_by_kecamatan(scope)
    assert counts(kecamatan) == {"13.76.01": 2, "13.76.02": 1, "": 3}
    assert [r.label for r in kecamatan.rows[:2]] == ["Payakumbuh Barat", "Payakumbuh Utara"]
    assert counts(A.cases_by_place(scope)) == {
        "rumah_tangga": 2,
        "tempat_kerja": 0,
        "sekolah": 1,
        "lembaga_pendidikan_kilat": 0,
        "fasilitas_umum": 1,
        "lainnya": 1,
        "": 1,
    }
    # Perpetrator-victim pairs: the parent of the case with two victims counts once per victim.
    relationships = counts(A.perpetrators_by_relationship(scope))
    assert {k: v for k, v in relationships.items() if v} == {
        "orang_tua": 2,
        "suami_istri": 1,
        "tetangga": 1,
        "pacar_teman": 1,
        "tidak_diketahui": 1,
    }


def test_tpks_and_tppo_cases_by_year(personas, stats_world):
    # [TPKS, TPPO-indicated, all]; C5's TPPO has no means but a child victim.
    assert A.tpks_tppo_by_year(unit_scope(personas)).as_dict() == {
        "2021": [1, 0, 3],
        "2022": [0, 1, 1],
        "2023": [1, 1, 2],
    }


def test_gbvims_types_and_workflow_steps(personas, stats_world):
    scope = unit_scope(personas)
    gbvims = {k: v for k, v in counts(A.cases_by_gbvims_type(scope)).items() if v}
    # One survivor, one incident: the case with two victims counts twice.
    assert gbvims == {"rape": 1, "physical_assault": 1, "": 5}
    steps = A.cases_by_step(scope)
    assert steps.available
    assert sum(steps.column()) == 6


def test_a_period_narrows_every_figure(personas, stats_world):
    scope = unit_scope(personas, period=A.Period(dt.date(2021, 3, 1), dt.date(2021, 3, 31)))
    assert A.cases_by_year(scope).as_dict() == {"2021": [2, 2, 2, 2]}
    assert counts(A.victims_by_sex(scope)) == {"perempuan": 2, "laki_laki": 0}
    assert counts(A.cases_by_kecamatan(scope)) == {"13.76.01": 1, "13.76.02": 1}


def test_the_period_bounds_are_whole_days_in_wib(personas):
    # 23:30 WIB on 31 December is still that year, although it is 16:30 UTC.
    make_case(
        personas.petugas, when=dt.datetime(2022, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    )
    assert A.cases_by_year(unit_scope(personas)).as_dict() == {"2022": [1, 1, 1, 1]}
    in_2022 = unit_scope(personas, period=A.Period(dt.date(2022, 1, 1), dt.date(2022, 12, 31)))
    assert A.cases(in_2022).count() == 1


def test_a_higher_unit_sees_the_units_below(personas, stats_world):
    units = A.stats_units(personas.kepala_provinsi)
    assert {u.pk for u in units} == {
        personas.orgs.province.pk,
        personas.orgs.unit.pk,
        personas.orgs.other_unit.pk,
    }
    figure = A.cases_by_year(A.Scope.of(units))
    assert figure.as_dict()["2021"] == [4, 3, 5, 3]
    # A city unit sees only itself; a partner agency has no statistics scope.
    assert A.stats_units(personas.kepala) == [personas.orgs.unit]
    assert A.stats_units(personas.mitra) == []


def test_consented_scope_counts_only_victims_with_statistics_consent(personas, stats_world):
    scope = unit_scope(personas, consented=True)
    # C3 has no consent and C6's was withdrawn; C4's lawful basis (public task) counts.
    assert A.cases_by_year(scope).as_dict() == {"2021": [2, 2], "2022": [1, 1], "2023": [1, 1]}
    assert counts(A.victims_by_sex(scope)) == {"perempuan": 4, "laki_laki": 0}
    assert counts(A.victims_by_violence_type(scope))["penelantaran"] == 0


def test_a_case_counts_when_one_of_its_victims_consented(personas):
    case = make_case(personas.petugas, when=reported(2024, 2, 1), victims=[adult(), adult()], consent=False)
    from sinergi.cases.record import consent_record

    consent_record(
        actor=personas.petugas,
        case=case,
        victim=case.persons.filter(role="korban").first(),
        purpose="statistik",
    )
    scope = unit_scope(personas, consented=True)
    assert A.cases_by_year(scope).as_dict() == {"2024": [1, 1]}


def test_historical_cases_count(personas, stats_world):
    from sinergi.cases.models import Case

    Case.objects.filter(pk=stats_world.cases[0].pk).update(is_historical=True)
    assert A.cases_by_year(unit_scope(personas)).as_dict()["2021"][0] == 3


def test_referrals_by_agency(personas, stats_world):
    from django.utils import timezone

    from sinergi.referrals.models import Referral

    sent = timezone.now() - dt.timedelta(hours=10)
    case = stats_world.cases[0]
    partner, other = personas.orgs.partner, personas.orgs.other_partner
    Referral.objects.create(
        case=case,
        to_agency=partner,
        status="diterima",
        sent_at=sent,
        accepted_at=sent + dt.timedelta(hours=2),
    )
    Referral.objects.create(
        case=case, to_agency=partner, status="selesai", sent_at=sent, accepted_at=sent + dt.timedelta(hours=4)
    )
    Referral.objects.create(
        case=case, to_agency=partner, status="ditolak", sent_at=sent, closed_at=sent + dt.timedelta(hours=6)
    )
    Referral.objects.create(case=case, to_agency=other, status="terkirim", sent_at=sent)
    Referral.objects.create(case=case, to_agency=other, status="draft")  # never sent: not counted
    figure = A.referrals_by_agency(unit_scope(personas))
    rows = {r.label: r.values for r in figure.rows}
    # sent, accepted, declined, waiting, acceptance rate %, mean response hours
    assert rows[partner.name] == [3, 2, 1, 0, 67, 4.0]
    assert rows[other.name] == [1, 0, 0, 1, None, None]


def test_every_figure_costs_the_same_queries_for_5_and_50_cases(personas):
    scope = unit_scope(personas)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            A.dashboard_figures(scope)
        return len(ctx.captured_queries)

    for i in range(5):
        make_case(
            personas.petugas,
            when=reported(2022, 1 + i, 3),
            victims=[adult(violence_types=["fisik"])],
            region="13.76.01",
        )
    queries()  # warm-up: the once-per-process lookup of which optional tables exist
    few = queries()
    for i in range(45):
        make_case(
            personas.petugas,
            when=reported(2020 + i % 5, 1 + i % 12, 3),
            victims=[adult(violence_types=["psikis"]), adult(age_years=12)],
            perpetrators=[{"relationships": ["tetangga"]}],
            place_type="sekolah",
            region=f"13.76.0{1 + i % 5}",
            consent=i % 2 == 0,
        )
    many = queries()
    assert few == many
    assert many <= 25
