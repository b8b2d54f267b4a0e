"""Referrals from partner agencies to a service unit: a new person (e.g. the hospital found a
child with injuries) or a referral back for a case the unit had referred.

Design choice: they wait in the unit's own incoming list (`rujukan/masuk/`), next to (not
inside) the portal's intake queue of public reports, because they carry what an agency knows
(services needed, urgency, the agency's consent basis) and because a partner cannot register a
case. Staff with `referral.intake` take a new one into a draft case (channel `rujukan`, through
sinergi.cases.record.case_register, so the unit's own clocks and audit apply) or decline it.
The first-response clock runs from the moment the agency sent it (subject = the incoming
referral) and moves to the case when it becomes one (deadline_handover).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.access import has_permission
from sinergi.accounts.choices import OrganisationKind, Role, ServiceCategory
from sinergi.accounts.models import Organisation
from sinergi.audit.services import audit_record
from sinergi.cases.choices import Channel, LawfulBasis, RiskLevel, Sex
from sinergi.cases.record import case_register
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.services import deadline_cancel, deadline_handover, deadline_start

from .choices import CLOSED_STATUSES, OPEN_STATUSES, IncomingKind, IncomingStatus, ReferralStatus
from .models import IncomingReferral, Referral
from .notify import active_users, notify
from .policies import can_view_referral

MIN_SUMMARY_LENGTH = 10


def incoming_targets(user):
    """Units a partner may refer to: its own unit first, then every other active unit."""

    units = list(
        Organisation.objects.filter(kind=OrganisationKind.SERVICE_UNIT, is_active=True).order_by("name")
    )
    parent = getattr(user.organisation, "parent_id", None)
    return sorted(units, key=lambda u: (u.pk != parent, u.name))


def _values(incoming):
    return {
        "agency": incoming.from_agency.short_name or incoming.from_agency.name,
        "id": incoming.public_id[:6],
    }


@transaction.atomic
def incoming_referral_send(
    *,
    actor,
    summary,
    consent_basis,
    to_unit=None,
    referral=None,
    services=(),
    risk="",
    victim_name="",
    victim_sex="",
    victim_age=None,
    victim_phone="",
    victim_address="",
):
    """A partner refers a person to a unit (new), or back to the unit of a referral it received."""
    if not has_permission(actor, "referral.incoming") or actor.organisation_id is None:
        raise PermissionDenied
    errors = {}
    if referral is not None:
        referral = Referral.objects.select_related("case", "case__unit").get(pk=referral.pk)
        if referral.to_agency_id != actor.organisation_id or not can_view_referral(actor, referral):
            raise PermissionDenied
        if (
            referral.status not in (*OPEN_STATUSES, *CLOSED_STATUSES)
            or referral.status == ReferralStatus.SENT
        ):
            errors["__all__"] = _("Accept the referral before referring back.")
        to_unit = referral.case.unit
        kind = IncomingKind.BACK
    else:
        kind = IncomingKind.NEW
        if to_unit is None or to_unit.kind != OrganisationKind.SERVICE_UNIT or not to_unit.is_active:
            errors["to_unit"] = _("Choose a service unit.")
        if not (victim_name or "").strip() and victim_age is None:
            errors["victim_name"] = _("Give the person's name, or at least an age.")
    summary = (summary or "").strip()
    if len(summary) < MIN_SUMMARY_LENGTH:
        errors["summary"] = _("Say why the person is referred (at least %(n)d characters).") % {
            "n": MIN_SUMMARY_LENGTH
        }
    if consent_basis not in LawfulBasis.values:
        errors["consent_basis"] = _("Say on what basis the person's data is shared.")
    services = list(dict.fromkeys(services or []))
    if set(services) - set(ServiceCategory.values):
        errors["services"] = _("Unknown service.")
    if risk and risk not in RiskLevel.values:
        errors["risk"] = _("Choose the urgency.")
    if victim_sex and victim_sex not in Sex.values:
        errors["victim_sex"] = _("Choose the sex.")
    if victim_age is not None and not 0 <= victim_age <= 120:
        errors["victim_age"] = _("Enter an age between 0 and 120.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    incoming = IncomingReferral.objects.create(
        kind=kind,
        from_agency=actor.organisation,
        to_unit=to_unit,
        referral=referral,
        risk=risk,
        services=services,
        victim_name=(victim_name or "").strip() if kind == IncomingKind.NEW else "",
        victim_sex=victim_sex if kind == IncomingKind.NEW else "",
        victim_age=victim_age if kind == IncomingKind.NEW else None,
        victim_phone=(victim_phone or "").strip() if kind == IncomingKind.NEW else "",
        victim_address=(victim_address or "").strip() if kind == IncomingKind.NEW else "",
        summary=summary,
        consent_basis=consent_basis,
        sent_by=actor,
        sent_at=now,
    )
    case = referral.case if referral is not None else None
    audit_record(
        actor=actor,
        action="referral.incoming",
        object_type="incoming_referral",
        object_id=incoming.public_id,
        case=case,
        details={"kind": kind, "unit": to_unit.public_id, "risk": risk or None, "services": services},
    )
    if kind == IncomingKind.NEW:
        deadline_start(
            kind=ClockKind.FIRST_RESPONSE,
            unit=to_unit,
            subject=incoming,
            started_at=now,
            risk=risk,
            actor=actor,
        )
    notify(
        active_users(to_unit.pk, [Role.KEPALA_UPTD, Role.PETUGAS_PENGADUAN]),
        kind="referral_incoming",
        message=gettext_lazy("%(agency)s sent a referral to your unit (%(id)s)."),
        values=_values(incoming),
        link=reverse("referrals:incoming_detail", args=[incoming.public_id]),
    )
    return incoming


def incoming_visible_to(user):
    if not has_permission(user, "referral.intake") or user.organisation_id is None:
        return IncomingReferral.objects.none()
    return IncomingReferral.objects.filter(to_unit_id=user.organisation_id)


def _lock_waiting(actor, incoming):
    if not has_permission(actor, "referral.intake") or incoming.to_unit_id != actor.organisation_id:
        raise PermissionDenied
    incoming = IncomingReferral.objects.select_for_update().get(pk=incoming.pk)
    if incoming.status != IncomingStatus.WAITING:
        raise ValidationError({"__all__": _("This referral was already dealt with.")})
    return incoming


@transaction.atomic
def incoming_referral_register(*, actor, incoming):
    """Take a waiting incoming referral in: a new one becomes a draft case (channel rujukan); a
    referral back is acknowledged on its case. Returns the case."""

    incoming = _lock_waiting(actor, incoming)
    if incoming.kind == IncomingKind.BACK:
        case = incoming.referral.case
    else:
        victim = {
            "name": incoming.victim_name,
            "sex": incoming.victim_sex,
            "age_years": incoming.victim_age,
            "phone": incoming.victim_phone,
            "address": incoming.victim_address,
        }
        case = case_register(
            actor=actor,
            victims=[victim],
            channel=Channel.RUJUKAN,
            risk=incoming.risk,
            summary=incoming.summary,
            reported_at=incoming.sent_at,
        )
        deadline_handover(subject=incoming, case=case, actor=actor)
    incoming.status, incoming.case = IncomingStatus.REGISTERED, case
    incoming.decided_by, incoming.decided_at = actor, timezone.now()
    incoming.save()
    audit_record(
        actor=actor,
        action="referral.incoming_register",
        object_type="incoming_referral",
        object_id=incoming.public_id,
        case=case,
        details={"kind": incoming.kind, "agency": incoming.from_agency.public_id},
    )
    notify(
        [incoming.sent_by],
        kind="referral_incoming_taken",
        message=gettext_lazy("Your referral %(id)s was taken in by the unit."),
        values=_values(incoming),
        link=reverse("referrals:inbox"),
    )
    return case


@transaction.atomic
def incoming_referral_decline(*, actor, incoming, reason):
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    incoming = _lock_waiting(actor, incoming)
    incoming.status, incoming.decline_reason = IncomingStatus.DECLINED, reason
    incoming.decided_by, incoming.decided_at = actor, timezone.now()
    incoming.save()
    deadline_cancel(kind=ClockKind.FIRST_RESPONSE, subject=incoming, actor=actor, reason="declined")
    audit_record(
        actor=actor,
        action="referral.incoming_decline",
        object_type="incoming_referral",
        object_id=incoming.public_id,
        case=incoming.referral.case if incoming.referral_id else None,
        details={"kind": incoming.kind, "agency": incoming.from_agency.public_id},
    )
    notify(
        [incoming.sent_by],
        kind="referral_incoming_declined",
        message=gettext_lazy("Your referral %(id)s was declined by the unit; see the reason in Sinergi."),
        values=_values(incoming),
        link=reverse("referrals:inbox"),
    )
    return incoming
