"""Reads of protection measures, breaches and safety plans (docs/protection.md)."""

from django.db.models import Prefetch

from sinergi.deadlines.choices import ClockKind, DeadlineStatus
from sinergi.deadlines.models import Deadline

from .choices import PersonRole, RiskLevel
from .models import ProtectionBreach, ProtectionMeasure, SafetyPlan, SafetyPlanAction
from .protection_choices import ProtectionStatus


def victim_measures(victim):
    return ProtectionMeasure.objects.filter(victim=victim).order_by("requested_at", "id")


def case_measure(case, public_id):
    return (
        ProtectionMeasure.objects.filter(case=case, public_id=str(public_id)[:64])
        .select_related("victim")
        .first()
    )


def victim_safety_plan(victim):
    return (
        SafetyPlan.objects.filter(victim=victim)
        .select_related("created_by", "updated_by")
        .prefetch_related(Prefetch("actions", queryset=SafetyPlanAction.objects.order_by("position", "id")))
        .first()
    )


def protection_overview(case, *, with_plans):
    """Per victim of the case: its measures (with their breaches), breaches and, when
    `with_plans` (the case team and the head of unit), the safety plan. A fixed number of
    queries whatever the number of victims."""
    victims = list(case.persons.filter(role=PersonRole.KORBAN).order_by("id"))
    measures = list(ProtectionMeasure.objects.filter(case=case).order_by("requested_at", "id"))
    breaches = list(
        ProtectionBreach.objects.filter(case=case).select_related("measure").order_by("occurred_at", "id")
    )
    plans = {}
    if with_plans:
        plans = {
            p.victim_id: p
            for p in SafetyPlan.objects.filter(case=case)
            .select_related("updated_by")
            .prefetch_related(
                Prefetch("actions", queryset=SafetyPlanAction.objects.order_by("position", "id"))
            )
        }
    rows = []
    for victim in victims:
        rows.append(
            {
                "victim": victim,
                "measures": [m for m in measures if m.victim_id == victim.pk],
                "breaches": [b for b in breaches if b.victim_id == victim.pk],
                "plan": plans.get(victim.pk),
                "plan_needed": case.risk == RiskLevel.TINGGI and victim.pk not in plans,
                "protected": any(
                    m.status == ProtectionStatus.DIBERIKAN for m in measures if m.victim_id == victim.pk
                ),
            }
        )
    return rows


def protection_clocks(case):
    """The running protection clocks of the case (ask the police, protection ends, plan review)."""
    return list(
        Deadline.objects.filter(
            case=case,
            status=DeadlineStatus.OPEN,
            kind__in=[ClockKind.PROTECTION_REQUEST, ClockKind.PROTECTION_END, ClockKind.SAFETY_PLAN_REVIEW],
        ).order_by("due_at")
    )


def protection_summary(case):
    """The case page's protection section: the protections in force (with the earliest end) and
    the victims of a high-risk case still without a safety plan (two queries)."""
    given = list(
        ProtectionMeasure.objects.filter(case=case, status=ProtectionStatus.DIBERIKAN).order_by("until", "id")
    )
    missing = []
    if case.risk == RiskLevel.TINGGI:
        missing = list(case.persons.filter(role=PersonRole.KORBAN, safety_plan__isnull=True).order_by("id"))
    return {"in_force": given, "plans_missing": missing, "count": len(given)}
