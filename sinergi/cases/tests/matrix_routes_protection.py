"""Permission-matrix rows of the protection and safety-plan routes (sinergi.cases.views_protection),
merged by workspace/tests/matrix_table.py. Every refusal is the case's audited 404."""

import datetime as dt

from django.utils import timezone

from sinergi.cases.models import ProtectionMeasure, SafetyPlan, SafetyPlanAction
from sinergi.testing.matrix import Guarded, Row, _case_edit_route, _unit_case_id, _url, statuses


def world_extras(w):
    today = timezone.localdate()
    measure = ProtectionMeasure.objects.create(
        case=w.unit_case,
        victim=w.unit_case_victim,
        kind="polisi_tpks",
        status="diberikan",
        requested_at=timezone.now() - dt.timedelta(hours=2),
        given_on=today,
        until=today + dt.timedelta(days=14),
        recorded_by=w.pendamping,
    )
    plan = SafetyPlan.objects.create(
        case=w.unit_case,
        victim=w.unit_case_victim,
        risks="Risiko matriks",
        review_on=today + dt.timedelta(days=30),
        created_by=w.pendamping,
        updated_by=w.pendamping,
    )
    SafetyPlanAction.objects.create(plan=plan, what="Aksi matriks", who="Pendamping", when="Besok")
    return {"protection_measure": measure}


def _victim_id(w):
    return w.unit_case_victim.public_id


ROUTES = {
    "cases:protection": Guarded(
        permission="case.view",
        rows=(
            Row(
                url=_url("cases:protection", _unit_case_id),
                expect=statuses({200: "kepala pendamping"}, default=404),
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    ),
    "cases:protection_add": _case_edit_route("cases:protection_add", _victim_id, empty_post=200),
    "cases:protection_edit": _case_edit_route(
        "cases:protection_edit", _victim_id, lambda w: w.protection_measure.public_id
    ),
    "cases:protection_end": _case_edit_route(
        "cases:protection_end", lambda w: w.protection_measure.public_id, empty_post=200
    ),
    "cases:protection_breach": _case_edit_route("cases:protection_breach", _victim_id, empty_post=200),
    "cases:safety_plan": _case_edit_route("cases:safety_plan", _victim_id, empty_post=200),
    "cases:safety_plan_print": Guarded(
        permission="case.view",
        rows=(
            Row(
                url=_url("cases:safety_plan_print", _unit_case_id, _victim_id),
                expect=statuses({200: "kepala pendamping"}, default=404),
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    ),
}
