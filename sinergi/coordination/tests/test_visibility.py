"""Who sees which meeting and action item: the list selectors and the per-object rules agree."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.coordination.models import ActionItem, Meeting, MeetingParticipant
from sinergi.coordination.policies import can_view_action_item, can_view_meeting
from sinergi.coordination.selectors import action_items_visible_to, meetings_visible_to
from sinergi.testing.fixtures import PERSONAS

ORGS = ["unit", "other_unit", "province", "partner", "other_partner"]
UNITS = ["unit", "other_unit", "province"]
PEOPLE = list(PERSONAS)

meeting_spec = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(UNITS),
        "agencies": st.sets(st.sampled_from(ORGS), max_size=3),
        "people": st.sets(st.sampled_from(PEOPLE), max_size=3),
        "item_agency": st.sampled_from([None, *ORGS]),
        "item_person": st.sampled_from([None, *PEOPLE]),
    }
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(meeting_spec, min_size=1, max_size=4))
def test_selectors_and_rules_agree(personas, specs):
    ActionItem.objects.all().delete()
    Meeting.objects.all().delete()
    today = timezone.localdate()
    for spec in specs:
        meeting = Meeting.objects.create(
            kind="rakor",
            title="Rapat",
            unit=getattr(personas.orgs, spec["unit"]),
            starts_at=timezone.now() + dt.timedelta(days=1),
            place="Aula",
            period_start=today,
            period_end=today,
        )
        for key in spec["agencies"]:
            MeetingParticipant.objects.create(meeting=meeting, organisation=getattr(personas.orgs, key))
        for name in spec["people"]:
            MeetingParticipant.objects.create(meeting=meeting, user=getattr(personas, name))
        if spec["item_agency"] or spec["item_person"]:
            ActionItem.objects.create(
                unit=meeting.unit,
                meeting=meeting,
                description="Tugas",
                assignee_organisation=getattr(personas.orgs, spec["item_agency"])
                if spec["item_agency"]
                else None,
                assignee_user=getattr(personas, spec["item_person"]) if spec["item_person"] else None,
                due_date=today,
            )
    for name in PERSONAS:
        user = getattr(personas, name)
        assert set(meetings_visible_to(user).values_list("pk", flat=True)) == {
            m.pk for m in Meeting.objects.all() if can_view_meeting(user, m)
        }, name
        assert set(action_items_visible_to(user).values_list("pk", flat=True)) == {
            i.pk for i in ActionItem.objects.all() if can_view_action_item(user, i)
        }, name


@pytest.mark.django_db
def test_a_partner_sees_only_meetings_its_agency_or_it_is_invited_to(personas, coord):
    assert list(meetings_visible_to(personas.mitra)) == [coord.meeting]
    assert not meetings_visible_to(personas.mitra_lain).exists()
    coord.meeting.participants.create(user=personas.mitra_lain)
    assert list(meetings_visible_to(personas.mitra_lain)) == [coord.meeting]


@pytest.mark.django_db
def test_roles_without_the_right_see_nothing(personas, coord):
    for name in ("admin", "auditor"):
        user = getattr(personas, name)
        assert not meetings_visible_to(user).exists()
        assert not action_items_visible_to(user).exists()
