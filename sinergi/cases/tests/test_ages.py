"""Ages the law reads (DOMAIN.md §4): an estimated age close to 18 is "possibly a child" and treated
protectively; a child client who turns 18 during an open case is a review event; a public report's
age group decides child status while no age is recorded."""

import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.cases import rules
from sinergi.cases.models import CasePerson
from sinergi.cases.record import case_update_incident, person_adult_review, person_update
from sinergi.cases.record.consent import child_on
from sinergi.cases.selectors import age_reviews, review_items
from sinergi.testing.cases import register_case, victim

TODAY = dt.date(2026, 6, 1)
NOON = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _english_interface(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def first_victim(case):
    return case.persons.filter(role="korban").order_by("id").first()


# --- the rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "estimated", "expected"),
    [(16, True, False), (17, True, True), (18, True, True), (19, True, True), (20, True, False)]
    + [(17, False, False), (18, False, False), (None, True, False)],
)
def test_an_estimated_age_within_a_year_of_18_is_possibly_a_child(age, estimated, expected):
    assert rules.possibly_child(age, estimated=estimated) is expected


def test_the_day_a_child_turns_18():
    told = dt.date(2026, 1, 10)
    assert rules.adult_on(birth_date=dt.date(2010, 2, 28), age_years=None, told_on=told) == dt.date(
        2028, 2, 28
    )
    assert rules.adult_on(birth_date=dt.date(2008, 2, 29), age_years=None, told_on=told) == dt.date(
        2026, 3, 1
    )
    # From an age told at the report: reached that day, 18 after the missing years.
    assert rules.adult_on(birth_date=None, age_years=15, told_on=told) == dt.date(2029, 1, 10)
    # Adults and unknown ages have no such day.
    assert rules.adult_on(birth_date=dt.date(2000, 1, 1), age_years=None, told_on=told) is None
    assert rules.adult_on(birth_date=None, age_years=18, told_on=told) is None
    assert rules.adult_on(birth_date=None, age_years=None, told_on=told) is None


# --- derived on the person -----------------------------------------------------------------------


def test_a_victim_estimated_at_18_is_treated_as_a_child_until_the_age_is_confirmed(personas, clock):
    case = register_case(personas.pendamping, victims=[victim("Rina", age_years=18, age_estimated=True)])
    person = first_victim(case)
    assert (person.possibly_child, person.is_child) == (True, True)
    # The birth date confirms an adult: no longer possibly a child, no longer a child.
    person = person_update(
        actor=personas.pendamping, person=person, version=person.version, birth_date=dt.date(2007, 3, 1)
    )
    person.refresh_from_db()
    assert (person.possibly_child, person.is_child) == (False, False)


def test_a_perpetrator_estimated_close_to_18_keeps_the_child_status_of_the_number(personas, clock):
    case = register_case(
        personas.pendamping,
        perpetrators=[{"name": "Budi", "sex": "laki_laki", "age_years": 18, "age_estimated": True}],
    )
    perpetrator = case.persons.get(role="pelaku")
    assert (perpetrator.possibly_child, perpetrator.is_child) == (True, False)


@pytest.mark.parametrize(
    ("group", "child", "band"), [("13-17", True, "13-17"), ("18-59", False, ""), ("60+", False, "60+")]
)
def test_the_age_group_told_decides_while_no_age_is_recorded(personas, clock, group, child, band):
    case = register_case(personas.pendamping, victims=[victim("Rina", age_years=None, age_group_told=group)])
    person = first_victim(case)
    assert (person.is_child, person.age_band) == (child, band)
    # A recorded age wins over the group.
    person = person_update(actor=personas.pendamping, person=person, version=person.version, age_years=30)
    person.refresh_from_db()
    assert (person.is_child, person.age_band) == (False, str(rules.age_band(30)))


def test_an_unknown_age_group_code_is_refused(personas, clock):
    with pytest.raises(ValidationError) as err:
        register_case(personas.pendamping, victims=[victim("Rina", age_years=None, age_group_told="12-99")])
    assert "age_group_told" in str(err.value)


def test_consent_follows_today_s_age_and_stays_protective_for_an_estimated_age(personas, clock):
    case = register_case(personas.pendamping, victims=[victim("Rina", age_years=19, age_estimated=True)])
    person = first_victim(case)
    assert child_on(person, case, TODAY) is True  # estimated 19: possibly a child
    person = person_update(
        actor=personas.pendamping, person=person, version=person.version, age_estimated=False
    )
    assert child_on(person, case, TODAY) is False


# --- turned 18 during the case -------------------------------------------------------------------


def test_a_child_client_who_turns_18_is_a_review_item_until_marked_reviewed(personas, clock):
    case = register_case(
        personas.pendamping, victims=[victim("Rina", age_years=None, birth_date=dt.date(2008, 9, 1))]
    )
    person = first_victim(case)
    assert person.is_child and person.adult_on == dt.date(2026, 9, 1)
    with pytest.raises(ValidationError):
        person_adult_review(actor=personas.pendamping, person=person)  # not 18 yet
    cases = type(case).objects.filter(pk=case.pk)
    turned, _possibly = age_reviews(cases)
    assert not turned.exists()
    clock.move_to(dt.datetime(2026, 9, 2, 9, tzinfo=dt.UTC))
    turned, _possibly = age_reviews(cases)
    assert list(turned) == [person]
    assert review_items(cases)["turned_adult"]["total"] == 1
    person_adult_review(actor=personas.pendamping, person=person)
    person_adult_review(actor=personas.pendamping, person=person)  # twice: one event
    assert not age_reviews(cases)[0].exists()
    events = AuditEvent.objects.filter(action="person.adult_review", object_id=person.public_id)
    assert events.count() == 1 and events.get().case_id == case.public_id


def test_a_changed_birth_date_asks_for_the_review_again(personas, clock):
    case = register_case(
        personas.pendamping, victims=[victim("Rina", age_years=None, birth_date=dt.date(2008, 7, 1))]
    )
    person = first_victim(case)
    clock.move_to(dt.datetime(2026, 7, 2, 9, tzinfo=dt.UTC))
    person_adult_review(actor=personas.pendamping, person=person)
    person.refresh_from_db()
    assert person.adult_reviewed_at is not None
    person = person_update(
        actor=personas.pendamping, person=person, version=person.version, birth_date=dt.date(2008, 6, 20)
    )
    person.refresh_from_db()
    assert person.adult_on == dt.date(2026, 6, 20) and person.adult_reviewed_at is None


def test_a_new_incident_date_derives_the_ages_again(personas, clock):
    case = register_case(
        personas.pendamping,
        victims=[victim("Rina", age_years=None, birth_date=dt.date(2008, 3, 1))],
        incident_date=dt.date(2026, 5, 1),
    )
    assert first_victim(case).is_child is False  # 18 at the incident
    case_update_incident(
        actor=personas.pendamping, case=case, version=case.version, incident_date=dt.date(2025, 5, 1)
    )
    assert first_victim(case).is_child is True


# --- the pages -----------------------------------------------------------------------------------


def test_the_case_page_review_list_and_home_show_the_age_reviews(personas, login, clock):
    case = register_case(
        personas.pendamping, victims=[victim("Rina", age_years=None, birth_date=dt.date(2008, 7, 1))]
    )
    other = register_case(personas.pendamping, victims=[victim("Sari", age_years=18, age_estimated=True)])
    person = first_victim(case)
    clock.move_to(dt.datetime(2026, 7, 2, 9, tzinfo=dt.UTC))
    client = login(personas.pendamping)
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert 'data-age-review="turned_adult"' in page and "Mark reviewed" in page
    page = client.get(reverse("cases:detail", args=[other.public_id])).content.decode()
    assert 'data-age-review="possibly_child"' in page and "Confirm the age" in page
    home = client.get(reverse("home")).content.decode()
    assert (
        'id="work-age-reviews"' in home
        and case.registration_number in home
        and other.registration_number in home
    )
    kepala = login(personas.kepala).get(reverse("cases:review_list")).content.decode()
    assert (
        kepala.count('data-review="turned_adult"') == 1 and kepala.count('data-review="possibly_child"') == 1
    )
    client = login(personas.pendamping)
    url = reverse("cases:person_adult_review", args=[case.public_id, person.public_id])
    response = client.post(url)
    assert response.status_code == 302 and response.url.endswith(f"#person-{person.public_id}")
    assert CasePerson.objects.get(pk=person.pk).adult_reviewed_by == personas.pendamping
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert 'data-age-review="turned_adult"' not in page


def test_marking_a_review_too_early_says_why(personas, login, clock):
    case = register_case(
        personas.pendamping, victims=[victim("Rina", age_years=None, birth_date=dt.date(2012, 5, 1))]
    )
    person = first_victim(case)
    client = login(personas.pendamping)
    response = client.post(
        reverse("cases:person_adult_review", args=[case.public_id, person.public_id]), follow=True
    )
    assert "has not turned 18 yet" in response.content.decode()
    assert CasePerson.objects.get(pk=person.pk).adult_reviewed_at is None


def test_the_migration_derives_the_new_age_facts_of_existing_persons(personas, clock):
    from django.apps import apps

    migration = import_module("sinergi.cases.migrations.0010_ages_possibly_child_turned_adult_told_group")
    estimated = register_case(personas.pendamping, victims=[victim("Sari", age_years=18, age_estimated=True)])
    child = register_case(
        personas.pendamping, victims=[victim("Rina", age_years=None, birth_date=dt.date(2010, 1, 5))]
    )
    CasePerson.objects.update(possibly_child=False, is_child=False, adult_on=None)
    migration.derive_age_flags(apps, None)
    assert (first_victim(estimated).possibly_child, first_victim(estimated).is_child) == (True, True)
    assert first_victim(child).adult_on == dt.date(2028, 1, 5)
