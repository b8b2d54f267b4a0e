"""Who consents for a child (DOMAIN.md §7): a parent or guardian who is a person of the case, never an
alleged perpetrator or the spouse or partner of one; the child's own view is recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sinergi.cases.models import CasePerson, Consent
from sinergi.cases.record import consent_record, person_add
from sinergi.testing.cases import register_case

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def family(personas):
    """The father beat the mother and raped the daughter of 12 (two victims, one perpetrator)."""
    case = register_case(
        personas.pendamping,
        victims=[
            {"name": "Ibu Rahma", "sex": "perempuan", "age_years": 38},
            {"name": "Putri", "sex": "perempuan", "age_years": 12},
        ],
        perpetrators=[
            {
                "name": "Ayah Budi",
                "sex": "laki_laki",
                "age_years": 41,
                "relationships": ["suami_istri", "orang_tua"],
            }
        ],
    )
    persons = {p.name: p for p in case.persons.all()}
    return case, persons


def consent(personas, case, victim, **fields):
    return consent_record(
        actor=personas.pendamping, case=case, victim=victim, purpose="layanan", given_by="wali", **fields
    )


def test_the_perpetrators_wife_cannot_consent_for_the_child(personas, family):
    case, p = family
    with pytest.raises(ValidationError) as err:
        consent(personas, case, p["Putri"], guardian=p["Ibu Rahma"], child_assent="setuju")
    assert "spouse or partner of an alleged perpetrator" in err.value.message_dict["guardian"][0]
    assert not Consent.objects.exists()


def test_the_perpetrator_cannot_consent_and_is_not_offered(personas, family, login):
    case, p = family
    with pytest.raises(ValidationError) as err:
        consent(personas, case, p["Putri"], guardian=p["Ayah Budi"], child_assent="setuju")
    assert "alleged perpetrator" in err.value.message_dict["guardian"][0]
    page = (
        login(personas.pendamping).get(reverse("cases:consent_add", args=[case.public_id])).content.decode()
    )
    assert p["Ayah Budi"].public_id not in page.split('name="guardian"')[1].split("</select>")[0]


def test_a_new_guardian_is_recorded_as_a_person_of_the_case(personas, family):
    case, p = family
    with pytest.raises(ValidationError) as err:
        consent(personas, case, p["Putri"], guardian_name="Nenek Sari", child_assent="setuju")
    assert "guardian_partner_of_perpetrator" in err.value.message_dict
    given = consent(
        personas,
        case,
        p["Putri"],
        guardian_name="Nenek Sari",
        guardian_partner_of_perpetrator=False,
        child_assent="setuju",
    )
    grandmother = CasePerson.objects.get(case=case, role="wali")
    assert grandmother.name == "Nenek Sari" and given.guardian == grandmother
    assert given.child_assent == "setuju"


def test_a_guardian_who_is_a_perpetrators_partner_by_answer_is_refused(personas, family):
    case, p = family
    aunt = person_add(actor=personas.pendamping, case=case, role="wali", name="Bibi", sex="perempuan")
    with pytest.raises(ValidationError) as err:
        consent(
            personas,
            case,
            p["Putri"],
            guardian=aunt,
            guardian_partner_of_perpetrator=True,
            child_assent="setuju",
        )
    assert "guardian" in err.value.message_dict


def test_the_childs_own_view_is_recorded(personas, family):
    case, p = family
    with pytest.raises(ValidationError) as err:
        consent(personas, case, p["Putri"], guardian_name="Nenek", guardian_partner_of_perpetrator=False)
    assert "child_assent" in err.value.message_dict
    assert not CasePerson.objects.filter(role="wali").exists()  # nothing half-saved


def test_a_guardian_name_alone_or_nothing_is_not_enough(personas, family):
    case, p = family
    with pytest.raises(ValidationError) as err:
        consent(personas, case, p["Putri"], child_assent="setuju")
    assert "guardian" in err.value.message_dict


def test_an_adult_abused_as_a_child_consents_for_herself(personas):
    case = register_case(
        personas.pendamping,
        incident_date=dt.date(2011, 5, 1),
        victims=[{"name": "Dewi", "sex": "perempuan", "birth_date": dt.date(2001, 3, 1)}],
    )
    victim = case.persons.get(role="korban")
    assert victim.is_child  # a child at the incident ...
    given = consent_record(
        actor=personas.pendamping, case=case, victim=victim, purpose="layanan", given_by="korban"
    )
    assert given.given_by == "korban" and given.child_assent == ""  # ... an adult today


def test_the_consent_page_records_a_new_guardian(personas, family, login):
    case, p = family
    client = login(personas.pendamping)
    url = reverse("cases:consent_add", args=[case.public_id])
    data = {
        "victim": p["Putri"].public_id,
        "purpose": "layanan",
        "lawful_basis": "consent",
        "given_by": "wali",
        "guardian_name": "Nenek Sari",
        "guardian_partner_of_perpetrator": "",
        "child_assent": "",
    }
    page = client.post(url, data)
    assert page.status_code == 200 and not Consent.objects.exists()
    assert (
        client.post(
            url, {**data, "guardian_partner_of_perpetrator": "0", "child_assent": "setuju"}
        ).status_code
        == 302
    )
    assert Consent.objects.get().guardian.role == "wali"
