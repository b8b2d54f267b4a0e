"""The GBVIMS part of a victim's classification page and case page: gate, definitions, context."""

import pytest
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import CasePerson
from sinergi.testing.cases import classify, register_case, victim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_interface(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def family_case(actor):
    """A father who beats his wife and rapes his daughter of 12: two victims, two incidents."""
    return register_case(
        actor,
        victims=[victim("Ibu Uji"), victim("Anak Uji", age_years=12)],
        perpetrators=[
            {"name": "Ayah Uji", "sex": "laki_laki", "relationships": ["suami_istri", "orang_tua"]}
        ],
    )


def victims_of(case):
    return list(CasePerson.objects.filter(case=case, role="korban").order_by("id"))


def url(case, person):
    return reverse("cases:classify_victim", args=[case.public_id, person.public_id])


def answer(client, case, person, **answers):
    """Post the classification page with the GBVIMS `answers` ("ya"/"tidak" by question key)."""
    person.refresh_from_db()
    data = {"version": person.version, **{f"gbvims_{k}": v for k, v in answers.items()}}
    response = client.post(url(case, person), data)
    person.refresh_from_db()
    return response


def test_the_page_shows_each_definition_with_its_exclusions(personas, login):
    case = family_case(personas.pendamping)
    html = login(personas.pendamping).get(url(case, victims_of(case)[0])).content.decode()
    assert "Is the harm gender-based" in html
    assert "Not: general poverty." in html  # denial of resources is not poverty
    assert "Includes: attempted rape" in html and "sunat perempuan" in html
    assert "Not: FGM/C (that is sexual assault)" in html
    assert "every marriage of a child" in html
    assert html.index('name="gbvims_gbv"') < html.index('name="gbvims_penetration"')


def test_gate_no_is_non_gbv_and_the_other_answers_are_dropped(personas, login):
    case = family_case(personas.pendamping)
    mother = victims_of(case)[0]
    # A street robbery: the officer answers "no" at the gate (other radios ticked without JS).
    client = login(personas.pendamping)
    assert answer(client, case, mother, gbv="tidak", physical_assault="ya", exchange="ya").status_code == 302
    assert (mother.gbvims_type, mother.gbvims_answers) == ("non_gbv", {"gbv": False})


def test_each_victim_has_her_own_type_and_context_on_the_case_page(personas, login):
    actor = personas.pendamping
    case = family_case(actor)
    mother, girl = victims_of(case)
    no = dict.fromkeys(["penetration", "sexual_contact"], False)
    classify(
        actor=actor, case=case, victim=mother, gbvims_answers={"gbv": True, **no, "physical_assault": True}
    )
    classify(actor=actor, case=case, victim=girl, gbvims_answers={"gbv": True, "penetration": True})
    mother.refresh_from_db()
    girl.refresh_from_db()
    assert (mother.gbvims_type, girl.gbvims_type) == ("physical_assault", "rape")
    event = AuditEvent.objects.filter(action="case.classify", object_id=girl.public_id).latest("id")
    assert event.details["gbvims_context"] == ["child_sexual_abuse"]

    client = login(actor)
    html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    mother_panel = html[html.index(f'data-incident="{mother.public_id}"') :]
    girl_panel = html[html.index(f'data-incident="{girl.public_id}"') :]
    assert "Physical assault" in mother_panel.split("</article>")[0]
    assert "Intimate partner violence" in mother_panel.split("</article>")[0]
    assert "Child sexual abuse" in girl_panel.split("</article>")[0]
    assert "Intimate partner violence" not in girl_panel.split("</article>")[0]
    page = client.get(url(case, girl)).content.decode()
    assert "Child sexual abuse" in page and "Rape" in page


def test_fgm_posted_as_physical_is_sexual_assault(personas, login):
    case = register_case(personas.pendamping, victims=[victim("Anak Uji", age_years=6)])
    girl = victims_of(case)[0]
    no = dict.fromkeys(["penetration", "sexual_contact"], "tidak")
    response = answer(login(personas.pendamping), case, girl, gbv="ya", **no, physical_assault="ya", fgm="ya")
    assert response.status_code == 302
    assert girl.gbvims_type == "sexual_assault"
    assert girl.gbvims_answers["sexual_contact"] is True


def test_a_type_recorded_before_the_gate_stays_until_re_answered(personas, login):
    actor = personas.pendamping
    case = register_case(actor)
    old = victims_of(case)[0]
    CasePerson.objects.filter(pk=old.pk).update(gbvims_answers={"penetration": True}, gbvims_type="rape")
    client = login(actor)
    html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert 'data-flag="gbvims_gate"' in html
    # Saving the page with the old answers unchanged keeps the type (and still asks for the gate).
    assert answer(client, case, old, penetration="ya").status_code == 302
    assert old.gbvims_type == "rape"
    assert 'data-flag="gbvims_gate"' in client.get(url(case, old)).content.decode()
    # Answering the gate re-derives it, and the warning goes.
    assert answer(client, case, old, gbv="ya", penetration="ya").status_code == 302
    assert (old.gbvims_type, old.gbvims_answers) == ("rape", {"gbv": True, "penetration": True})
    detail = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert 'data-flag="gbvims_gate"' not in detail
    # New answers without the gate: the type is not determined yet.
    classify(
        actor=actor, case=case, victim=old, gbvims_answers={"penetration": False, "sexual_contact": True}
    )
    old.refresh_from_db()
    assert old.gbvims_type == ""
