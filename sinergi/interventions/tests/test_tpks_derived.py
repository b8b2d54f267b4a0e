"""TPKS is derived, not only ticked (DOMAIN.md §5): the cases UU TPKS Ps 23 is about most."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sinergi.cases.record.classification import case_flags
from sinergi.cases.selectors import case_is_tpks, case_tpks_grounds
from sinergi.deadlines.models import Deadline
from sinergi.interventions import services as s
from sinergi.testing.cases import classify, register_case

from .helpers import assess

TODAY = dt.date.today()


pytestmark = pytest.mark.usefixtures("english")


def police_clock(case):
    return Deadline.objects.filter(case=case, kind="tpks_police_report")


def mediate(personas, case):
    return s.mediation_start(
        actor=personas.pendamping, case=case, matter="nafkah", parties=list(case.persons.all())
    )


def marital_rape(personas):
    """A husband's rape of his wife, recorded as PKDRT seksual with no TPKS box ticked."""
    case = register_case(
        personas.pendamping,
        victims=[{"name": "Sari", "sex": "perempuan", "age_years": 32, "violence_types": ["fisik"]}],
        perpetrators=[
            {"name": "Joni", "sex": "laki_laki", "age_years": 40, "relationships": ["suami_istri"]}
        ],
    )
    return classify(actor=personas.pendamping, case=case, version=case.version, pkdrt_types=["seksual"])


def test_pkdrt_sexual_violence_is_tpks_with_its_article(personas):
    case = marital_rape(personas)
    [ground] = case_tpks_grounds(case)
    assert (ground.code, ground.article) == ("pkdrt_seksual", "Ps 4(2)(h)")
    assert police_clock(case).count() == 1  # 3×24 h, UU TPKS Ps 41


def test_mediation_is_refused_on_a_derived_tpks_case(personas):
    case = marital_rape(personas)
    assess(personas.pendamping, case)
    with pytest.raises(ValidationError) as err:
        mediate(personas, case)
    assert "TPKS" in str(err.value)


def test_sexual_violence_against_a_child_is_tpks_without_a_ticked_offence(personas):
    case = register_case(
        personas.pendamping,
        victims=[{"name": "Rina", "sex": "perempuan", "age_years": 12, "violence_types": ["seksual"]}],
    )
    assert [g.article for g in case_tpks_grounds(case)] == ["Ps 4(2)(c)"]
    assert police_clock(case).exists()
    flags = case_flags(case)
    assert flags["tpks_case"] and not flags["mediation_allowed"]


def test_a_violence_type_added_later_starts_the_police_clock(personas):
    from sinergi.cases.record import person_update

    case = register_case(personas.pendamping, victims=[{"name": "Rina", "sex": "perempuan", "age_years": 12}])
    assert not case_is_tpks(case) and not police_clock(case).exists()
    victim = case.persons.get(role="korban")
    person_update(
        actor=personas.pendamping, person=victim, version=victim.version, violence_types=["seksual"]
    )
    assert police_clock(case).count() == 1


def test_physical_violence_against_an_adult_is_not_tpks(personas):
    case = register_case(
        personas.pendamping,
        victims=[{"name": "Sari", "sex": "perempuan", "age_years": 32, "violence_types": ["fisik"]}],
    )
    case = classify(actor=personas.pendamping, case=case, version=case.version, pkdrt_types=["fisik"])
    assert case_tpks_grounds(case) == []
    assert not police_clock(case).exists()
