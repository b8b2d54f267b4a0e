"""GBVIMS-style monthly statistics for partners (laporan/gbvims/)."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.reports.gbvims import CONTEXTS, gbvims_table
from sinergi.testing.cases import classify

from .statsdata import adult, child, make_case, reported

pytestmark = pytest.mark.django_db

RAPE = {"penetration": True}
PHYSICAL = {"penetration": False, "sexual_contact": False, "physical_assault": True}


def gbvims_world(p, *, rapes=True):
    """2024, Kota Uji: 6 physical assaults in March (and 2 rapes in May, 1 more without consent);
    Kota Lain: 5 physical assaults in April."""
    for day in range(1, 7):
        make_case(p.petugas, when=reported(2024, 3, day), victims=[adult()], gbvims=PHYSICAL)
    if rapes:
        for day in (1, 2):
            make_case(p.petugas, when=reported(2024, 5, day), victims=[adult()], gbvims=RAPE)
        make_case(p.petugas, when=reported(2024, 5, 3), victims=[adult()], gbvims=RAPE, consent=False)
    for day in range(1, 6):
        make_case(p.kepala_luar, when=reported(2024, 4, day), victims=[adult()], gbvims=PHYSICAL)


def rows(table):
    return {
        code: ([c.shown for c in months], total.shown)
        for code, _label, months, total, _contexts in table.rows
    }


def test_counts_by_type_and_month_consent_filtered_and_protected(personas):
    gbvims_world(personas)
    table = gbvims_table([personas.orgs.unit], 2024)
    assert table.total.shown == "8"
    by_type = rows(table)
    # Rape: 2 (the third case has no statistics consent) → "<5"; physical: 6, hidden as "5+" or
    # 8 − 6 would give the 2 away. Neither is broken down by month (the months would add up).
    assert by_type["rape"] == (["x"] * 12, "<5")
    assert by_type["physical_assault"] == (["x"] * 12, "5+")
    assert by_type["sexual_assault"] == (["0"] * 12, "0")
    rape = next(r for r in table.rows if r[0] == "rape")
    assert [c.shown for c in rape[4]] == ["x"] * 6  # nor by context


def test_partners_see_every_unit(personas, login):
    gbvims_world(personas, rapes=False)
    response = login(personas.mitra).get(reverse("reports:gbvims"), {"tahun": "2024"})
    assert response.status_code == 200
    months, total = rows(response.context["table"])["physical_assault"]
    assert (months[2], months[3], months[4], total) == ("6", "5", "0", "11")
    assert response.context["table"].total.shown == "11"


class TestGbvimsPage:
    url = reverse("reports:gbvims")

    def test_it_hides_from_outsiders(self, personas, login):
        gbvims_world(personas)
        # Another city's head sees only their own unit's five assaults.
        table = login(personas.kepala_luar).get(self.url, {"tahun": "2024"}).context["table"]
        assert rows(table)["physical_assault"][1] == "5"
        assert rows(table)["rape"][1] == "0"

    def test_a_bad_year_falls_back_to_this_year(self, personas, login):
        response = login(personas.datin).get(self.url, {"tahun": "abc"})
        assert response.status_code == 200


class TestGbvimsCsv:
    url = reverse("reports:gbvims_csv")

    def test_it_works_and_is_audited(self, personas, login):
        gbvims_world(personas, rapes=False)
        response = login(personas.mitra).get(self.url, {"tahun": "2024"})
        assert response.status_code == 200
        data = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        physical = next(r for r in data if r[1] == "physical_assault")
        assert physical[2:15] == ["0", "0", "6", "5", *["0"] * 8, "11"]
        event = AuditEvent.objects.get(action="report.download", actor_username="mitra")
        assert event.details == {"format": "csv", "year": 2024}

    def test_it_hides_from_outsiders(self, personas, login):
        gbvims_world(personas, rapes=False)
        data = login(personas.kepala_luar).get(self.url, {"tahun": "2024"}).content.decode("utf-8-sig")
        physical = next(r for r in csv.reader(io.StringIO(data)) if r[1] == "physical_assault")
        assert physical[2:15] == ["0", "0", "0", "5", *["0"] * 8, "5"]


def test_one_incident_per_survivor_with_context_columns(personas):
    """A father beats his wife and rapes his daughter (one case, two incidents); five more rapes
    of women by their husbands and five physical assaults by strangers, so both rows are large
    enough to be broken down."""
    actor = personas.petugas
    for day in range(1, 6):
        case = make_case(actor, when=reported(2024, 6, day), victims=[adult()], gbvims=RAPE)
        relate(case, "suami_istri")
        make_case(actor, when=reported(2024, 7, day), victims=[adult()], gbvims=PHYSICAL)
    family = make_case(
        actor,
        when=reported(2024, 6, 20),
        victims=[adult(), child(age_years=12)],
        perpetrators=[{"relationships": ["suami_istri", "orang_tua"]}],
    )
    mother, girl = family.persons.filter(role="korban").order_by("id")
    classify(actor=actor, case=family, victim=mother, gbvims_answers={"gbv": True, **PHYSICAL})
    classify(actor=actor, case=family, victim=girl, gbvims_answers={"gbv": True, **RAPE})
    table = gbvims_table([personas.orgs.unit], 2024)
    contexts = {code: dict(zip(CONTEXTS, [c.shown for c in cells], strict=True))
                for code, _label, _months, _total, cells in table.rows}  # fmt: skip
    assert table.total.shown == "12"  # two victims of one case are two incidents
    assert (rows(table)["rape"][1], rows(table)["physical_assault"][1]) == ("6", "6")
    assert contexts["rape"]["intimate_partner_violence"] == "5+"  # 5 of 6: the one without is hidden
    assert contexts["rape"]["child_sexual_abuse"] == "<5"
    assert contexts["rape"]["early_marriage"] == "0"
    assert contexts["physical_assault"]["intimate_partner_violence"] == "<5"  # the mother
    assert contexts["sexual_assault"]["intimate_partner_violence"] == "0"


def relate(case, relationship):
    from sinergi.cases.models import CasePerson, PerpetratorRelation

    victim = case.persons.get(role="korban")
    perpetrator = CasePerson.objects.create(case=case, role="pelaku")
    PerpetratorRelation.objects.create(
        case=case, perpetrator=perpetrator, victim=victim, relationship=relationship
    )


def test_a_month_is_counted_once_it_is_over(personas, login):
    """No table changes from one day to the next: this month's reports wait for the month's end."""
    with time_machine.travel(dt.datetime(2024, 5, 20, 5, tzinfo=dt.UTC), tick=False):
        make_case(
            personas.petugas, when=reported(2024, 5, 10), victims=[adult()], gbvims={"penetration": True}
        )
        during = login(personas.mitra).get(reverse("reports:gbvims"), {"tahun": "2024"}).context["table"]
    with time_machine.travel(dt.datetime(2024, 6, 2, 5, tzinfo=dt.UTC), tick=False):
        after = login(personas.mitra).get(reverse("reports:gbvims"), {"tahun": "2024"}).context["table"]
    assert during.total.shown == "0" and after.total.shown == "<5"
