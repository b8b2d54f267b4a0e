"""A NIK's warnings are confirmed with one tap (stored, audited); errors block (DOMAIN.md §4)."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CasePerson
from sinergi.cases.record import person_update
from sinergi.testing.cases import register_case, victim

OLD_MERAUKE = "9101014108900001"  # 91.01 Merauke before Papua Selatan; woman born 1 Aug 1990
BAD_KECAMATAN = "1376094108900001"  # Payakumbuh has kecamatan 01–05 only
CLEAN = "1376014108900001"  # Payakumbuh Barat, woman born 1 Aug 1990
BORN = dt.date(1990, 8, 1)


@pytest.fixture(autouse=True)
def _english_interface(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def case(personas):
    return register_case(personas.pendamping)


def add(client, case, **data):
    url = reverse("cases:person_add", args=[case.public_id, "korban"])
    fields = {"name": "Rina", "sex": "perempuan", "birth_date": "1990-08-01", "continue_different": "on"}
    return client.post(url, {**fields, **data})


def added(case):
    return case.persons.filter(role="korban").order_by("-id").first()


def nik_events():
    return list(AuditEvent.objects.filter(action="person.nik_confirm"))


def test_an_old_papua_code_is_accepted_without_a_question(personas, login, case):
    response = add(login(personas.pendamping), case, nik=OLD_MERAUKE)
    assert response.status_code == 302
    assert added(case).nik == OLD_MERAUKE
    assert added(case).nik_warnings_confirmed == []


def test_fifteen_digits_is_an_error_next_to_the_field(personas, login, case):
    before = CasePerson.objects.count()
    response = add(login(personas.pendamping), case, nik=CLEAN[:15])
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_nik_error"' in page and "16 digits" in page
    assert 'name="nik_confirmed"' not in page  # an error is not confirmed away
    assert CasePerson.objects.count() == before


def test_a_warning_is_shown_and_nothing_saved_without_confirmation(personas, login, case):
    before = CasePerson.objects.count()
    response = add(login(personas.pendamping), case, nik=BAD_KECAMATAN)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_nik_confirmed_error"' in page
    assert "kecamatan code 13.76.09" in page
    assert "I checked: the NIK is as written on the card" in page
    assert f'value="{BAD_KECAMATAN}"' in page  # what was typed is kept
    assert CasePerson.objects.count() == before
    assert nik_events() == []


def test_confirming_saves_stores_and_audits_without_the_nik(personas, login, case):
    response = add(login(personas.pendamping), case, nik=BAD_KECAMATAN, nik_confirmed="on")
    assert response.status_code == 302
    person = added(case)
    assert person.nik == BAD_KECAMATAN
    assert person.nik_warnings_confirmed == ["kecamatan_unknown"]
    [event] = nik_events()
    assert event.object_id == person.public_id
    assert event.details == {"warnings": ["kecamatan_unknown"]}
    for row in AuditEvent.objects.all():
        stored = json.dumps([row.details, row.changes], default=str)
        assert BAD_KECAMATAN not in stored and BAD_KECAMATAN[4:] not in stored


def test_the_indonesian_page_asks_in_indonesian(personas, login, case, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = add(login(personas.pendamping), case, nik=BAD_KECAMATAN).content.decode()
    assert "Saya sudah memeriksa: NIK sesuai dengan yang tertulis di KTP" in page


def test_a_confirmed_person_is_not_asked_again_until_the_nik_changes(personas, login, case):
    client = login(personas.pendamping)
    add(client, case, nik=BAD_KECAMATAN, nik_confirmed="on")
    person = added(case)
    url = reverse("cases:person_edit", args=[case.public_id, person.public_id])
    common = {"name": "Rina", "sex": "perempuan", "birth_date": "1990-08-01"}

    # Same NIK, same warnings: saved without a question.
    response = client.post(url, {**common, "version": person.version, "nik": BAD_KECAMATAN})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.nik_warnings_confirmed == ["kecamatan_unknown"]

    # A birth date that no longer matches adds a warning: asked again, nothing saved.
    response = client.post(
        url, {**common, "birth_date": "1990-08-02", "version": person.version, "nik": BAD_KECAMATAN}
    )
    assert response.status_code == 200
    assert "date of birth in the NIK differs" in response.content.decode()
    person.refresh_from_db()
    assert person.birth_date == BORN

    # Another NIK with a warning needs a new confirmation.
    other = "1376084108900002"
    response = client.post(url, {**common, "version": person.version, "nik": other})
    assert response.status_code == 200
    response = client.post(url, {**common, "version": person.version, "nik": other, "nik_confirmed": "on"})
    assert response.status_code == 302
    assert len(nik_events()) == 2

    # A NIK without warnings clears the confirmation.
    response = client.post(url, {**common, "version": person.version + 1, "nik": CLEAN})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.nik == CLEAN and person.nik_warnings_confirmed == []


def test_the_service_refuses_unconfirmed_warnings_and_saves_nothing(personas):
    before = Case.objects.count()
    with pytest.raises(ValidationError) as err:
        register_case(
            personas.pendamping, victims=[victim(nik=CLEAN, sex="laki_laki", age_years=None, birth_date=BORN)]
        )
    assert set(err.value.message_dict) == {"nik_confirmed"}
    assert Case.objects.count() == before
    case = register_case(
        personas.pendamping,
        victims=[victim(nik=CLEAN, sex="laki_laki", age_years=None, birth_date=BORN, nik_confirmed=True)],
    )
    person = case.persons.get()
    assert person.nik_warnings_confirmed == ["sex_differs"]
    with pytest.raises(ValidationError):
        person_update(
            actor=personas.pendamping,
            person=person,
            version=person.version,
            nik=CLEAN[:-1] + "2",
            sex="laki_laki",
            birth_date=BORN,
        )
