"""Figures that read other apps: services delivered, deadline clocks, coordination action items."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from sinergi.reports import aggregates as A

from .statsdata import adult, make_case, reported

pytestmark = pytest.mark.django_db


def test_services_given_by_category(personas):
    from sinergi.interventions.models import ServiceDelivery

    case = make_case(personas.petugas, when=reported(2024, 2, 1), victims=[adult(), adult()])
    other = make_case(personas.petugas, when=reported(2024, 3, 1))
    v1, v2 = case.persons.filter(role="korban")
    (w,) = other.persons.filter(role="korban")
    day = dt.date(2024, 3, 5)
    for c, v, category, status in (
        (case, v1, "kesehatan", "diberikan"),
        (case, v2, "kesehatan", "dirujuk"),
        (other, w, "kesehatan", "sudah_diterima"),
        (case, v1, "bantuan_hukum", "diberikan"),
        (case, v2, "bantuan_hukum", "ditolak_korban"),  # declined: not a service given
        (other, w, "pemulangan", "tidak_tersedia"),  # unavailable: not given
    ):
        ServiceDelivery.objects.create(case=c, victim=v, category=category, status=status, date=day)
    figure = A.services_given(A.Scope.of([personas.orgs.unit]))
    assert figure.available
    values = figure.as_dict()
    # [services, cases]
    assert values["kesehatan"] == [3, 2]
    assert values["bantuan_hukum"] == [1, 1]
    assert values["pemulangan"] == [0, 0]


_subjects = itertools.count()


def _clock(unit, kind, started, hours_to_stop, *, due_hours, status=None):
    from sinergi.deadlines.models import Deadline

    due = started + dt.timedelta(hours=due_hours)
    stopped = started + dt.timedelta(hours=hours_to_stop) if hours_to_stop is not None else None
    if status is None:
        status = "open" if stopped is None else ("met" if stopped <= due else "met_late")
    return Deadline.objects.create(
        unit=unit,
        kind=kind,
        started_at=started,
        due_at=due,
        original_due_at=due,
        warn_at=due - dt.timedelta(minutes=30),
        stopped_at=stopped,
        status=status,
        # Clocks without a case name a subject (one open clock per subject).
        subject_type="portal.report",
        subject_id=f"uji-{next(_subjects)}",
    )


def test_deadline_compliance_and_median_first_response(personas):
    unit = personas.orgs.unit
    start = dt.datetime(2024, 5, 1, 8, tzinfo=dt.UTC)
    for hours in (1, 3, 10):
        _clock(unit, "first_response", start, hours, due_hours=6)  # met, met, late
    _clock(unit, "first_response", start, None, due_hours=6)  # running past due: overdue
    _clock(unit, "first_response", timezone.now(), None, due_hours=6)  # running, not yet due: left out
    _clock(unit, "assessment", start, 24, due_hours=168)
    _clock(unit, "assessment", start, None, due_hours=168, status="cancelled")  # left out
    _clock(personas.orgs.other_unit, "first_response", start, 30, due_hours=6)  # another unit
    scope = A.Scope.of([unit])
    compliance = A.deadline_compliance(scope).as_dict()
    # [on time, late, running and overdue, share on time %]
    assert compliance["first_response"] == [2, 1, 1, 50]
    assert compliance["assessment"] == [1, 0, 0, 100]
    median = A.first_response_median(scope).as_dict()
    assert median["first_response"] == [3.0, 3]
    # An even number of responses: the mean of the two middle ones.
    _clock(unit, "first_response", start, 4, due_hours=6)
    assert A.first_response_median(scope).as_dict()["first_response"] == [3.5, 4]
    # The period is the clock's start.
    in_june = A.Scope.of([unit], A.Period(dt.date(2024, 6, 1), dt.date(2024, 6, 30)))
    assert A.deadline_compliance(in_june).rows == []


def test_open_action_items_are_listed_in_the_meeting_report(personas):
    from sinergi.coordination.models import ActionItem
    from sinergi.reports.pdf import meeting_report_html, open_action_items

    unit = personas.orgs.unit
    ActionItem.objects.create(
        unit=unit,
        description="Koordinasi visum dengan RSUD",
        assignee_organisation=personas.orgs.other_partner,
        due_date=dt.date(2024, 1, 10),
        status="terbuka",
    )
    ActionItem.objects.create(
        unit=unit,
        description="Sudah selesai",
        assignee_user=personas.kepala,
        due_date=dt.date(2024, 1, 1),
        status="selesai",
    )
    ActionItem.objects.create(
        unit=personas.orgs.other_unit,
        description="Unit lain",
        assignee_user=personas.kepala_luar,
        due_date=dt.date(2024, 1, 1),
    )
    items = open_action_items(personas.kepala, [unit])
    assert [i["description"] for i in items] == ["Koordinasi visum dengan RSUD"]
    assert items[0]["overdue"] is True
    html = meeting_report_html(
        user=personas.kepala, unit_scope=[unit], period=A.Period(), aggregate_only=False
    )
    assert "Koordinasi visum dengan RSUD" in html
    assert "Unit lain" not in html and "Sudah selesai" not in html
