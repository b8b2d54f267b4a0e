"""The service register: one row per service given, referred or recorded for a victim."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases.choices import PersonRole
from sinergi.cases.policies import require_case_edit
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.services import deadline_stop

from ..choices import (
    ServiceCategory,
    ServiceStatus,
    UptdService,
)
from ..models import (
    ServiceDelivery,
)
from ._common import (
    ACTING_STATUSES,
    INTAKE_SERVICES,
    _agency,
    _check_assessment_or_emergency,
    _choice,
    _not_future_date,
    _person_of,
    _stop_moment,
    refusable,
)

# --- the service register --------------------------------------------------------------------


@refusable("service.record", "service")
def service_record(
    *,
    actor,
    case,
    victim,
    status,
    date,
    uptd_service="",
    category="",
    provider_org=None,
    provider_name="",
    notes="",
    emergency=False,
):
    """Record one service for one victim: a UPTD service and/or a SIMFONI category with its status.

    Giving or referring a service other than intake waits for the assessment, unless it is an
    emergency service of a high-risk case. A delivered outreach (penjangkauan) stops the outreach
    clock.
    """
    require_case_edit(actor, case)
    _person_of(case, victim, PersonRole.KORBAN, "victim")
    uptd_service = _choice(uptd_service, UptdService, "uptd_service", blank=True)
    category = _choice(category, ServiceCategory, "category", blank=True)
    status = _choice(status, ServiceStatus, "status")
    if not uptd_service and not category:
        raise ValidationError({"uptd_service": _("Choose a UPTD PPA service or a SIMFONI service category.")})
    _not_future_date(date, "date")
    provider_org = _agency(provider_org, "provider_org")
    provider_name = (provider_name or "").strip()
    if provider_org is not None and provider_name:
        raise ValidationError({"provider_name": _("Choose an agency or type a provider, not both.")})
    acting = status in ACTING_STATUSES
    intake = uptd_service in INTAKE_SERVICES or (not uptd_service and category == ServiceCategory.PENGADUAN)
    _check_assessment_or_emergency(
        case, victim=victim, emergency=emergency, needs_assessment=acting and not intake
    )
    service = ServiceDelivery.objects.create(
        case=case,
        victim=victim,
        uptd_service=uptd_service,
        category=category,
        status=status,
        date=date,
        provider_org=provider_org,
        provider_name=provider_name,
        notes=notes or "",
        emergency=bool(emergency),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="service.record",
        object_type="service",
        object_id=service.public_id,
        case=case,
        details={
            "victim": victim.public_id,
            "uptd_service": uptd_service or None,
            "category": category or None,
            "status": status,
            "emergency": bool(emergency),
        },
    )
    if uptd_service == UptdService.PENJANGKAUAN and status == ServiceStatus.DIBERIKAN:
        deadline_stop(kind=ClockKind.OUTREACH, case=case, stopped_at=_stop_moment(date), actor=actor)
    return service
