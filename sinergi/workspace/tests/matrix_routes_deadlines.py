"""Permission-matrix rows of the deadlines routes (merged by workspace/tests/matrix_table.py)."""

import datetime as dt

from django.utils import timezone

from sinergi.deadlines.models import Deadline, DeadlineExtension
from sinergi.testing.matrix import KEPALAS, Guarded, Row, _url, statuses


def world_extras(w):
    """An overdue first-response clock on the unit case (its lead, pendamping, answers for it)."""
    now = timezone.now()
    due = now - dt.timedelta(hours=1)
    deadline = Deadline.objects.create(
        unit=w.orgs.unit,
        case=w.unit_case,
        kind="first_response",
        risk="tinggi",
        started_at=now - dt.timedelta(hours=2),
        due_at=due,
        original_due_at=due,
        warning_minutes=15,
        warn_at=due - dt.timedelta(minutes=15),
    )
    return {"deadline": deadline}


def _deadline_id(w):
    return w.deadline.public_id


ROUTES = {
    "workspace:board": Guarded(
        permission="deadline.board",
        rows=(
            Row(
                url=_url("workspace:board"),
                expect=statuses({200: KEPALAS}, default=403),
                # The overdue clock is on the board of its own unit's head only.
                shows=((lambda w: w.unit_case.registration_number, "kepala"),),
            ),
        ),
    ),
    "deadlines:policy": Guarded(
        permission="deadline.policy",
        rows=(Row(url=_url("deadlines:policy"), expect=statuses({200: KEPALAS}, default=403)),),
    ),
    "workspace:extend": Guarded(
        permission="case.edit",
        rows=(
            Row(
                url=_url("workspace:extend", _deadline_id),
                # Like every URL of a case: whoever may not edit the case gets the same audited 404.
                expect=statuses({200: "kepala pendamping"}, default=404),
                denied="deadline.view",
                denied_case=lambda w: w.unit_case,
            ),
            Row(
                method="post",
                url=_url("workspace:extend", _deadline_id),
                data=lambda w: {"due_at": "2099-01-01T09:00", "reason": "Korban dirawat di rumah sakit"},
                expect=statuses({302: "kepala pendamping"}, default=404),
                denied="deadline.view",
                denied_case=lambda w: w.unit_case,
                effect=lambda w: DeadlineExtension.objects.filter(deadline=w.deadline).exists(),
            ),
        ),
    ),
}
