"""Which referrals a partner agency's focal point may see (and for how long)."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from sinergi.accounts.access import case_scope, permission_scope
from sinergi.accounts.choices import OrganisationKind
from sinergi.accounts.models import Organisation, OrganisationContact
from sinergi.audit.models import AuditEvent
from sinergi.cases.choices import ConsentPurpose
from sinergi.cases.models import Assessment, CaseAssignment, Consent, Document
from sinergi.cases.protection_selectors import victim_safety_plan
from sinergi.cases.selectors import cases_visible_to
from sinergi.core.pagination import keyset_page, keyset_sections
from sinergi.deadlines.models import Deadline

from .choices import CLOSED_STATUSES, OPEN_STATUSES, IncomingStatus, ReferralStatus, SharedSection
from .models import CaseTransfer, IncomingReferral, Referral, ReferralPathway


def referrals_visible_to(user):
    """Open referrals to the user's agency, and closed ones within the sending unit's grace period."""
    if case_scope(user) != "referrals" or user.organisation_id is None:
        return Referral.objects.none()
    now = timezone.now()
    rule = Q(status__in=OPEN_STATUSES)
    # Each sending unit has its own grace period; there are only a few distinct values.
    grace_values = Organisation.objects.filter(kind=OrganisationKind.SERVICE_UNIT).values_list(
        "referral_grace_days", flat=True
    )
    for days in set(grace_values):
        rule |= Q(
            status__in=CLOSED_STATUSES,
            case__unit__referral_grace_days=days,
            closed_at__gt=now - dt.timedelta(days=days),
        )
    return Referral.objects.filter(to_agency_id=user.organisation_id).filter(rule)


def referrals_of_case(case):
    """Every referral of a case (for staff who may see the case)."""
    return (
        Referral.objects.filter(case=case)
        .select_related("to_agency", "victim", "created_by")
        .order_by("-created_at", "-id")
    )


LIST_PAGE_SIZE = 50


def _response_overdue(now):
    return Exists(
        Deadline.objects.filter(
            kind="referral_response",
            status="open",
            due_at__lt=now,
            subject_type="referrals.referral",
            subject_id=OuterRef("public_id"),
        )
    )


def _sectioned(referrals, sections, query, size, now):
    """Each section's total (one query for all) and one keyset page of it (one query each): a
    section longer than a page says so and links to the rest, so no referral is hidden."""

    return keyset_sections(
        referrals,
        sections,
        field="listed_at",
        query=query,
        size=size or LIST_PAGE_SIZE,
        annotate={"overdue": _response_overdue(now)},
    )


def _listed(referrals):
    # A draft was never sent: it is listed by when it was written.
    return referrals.annotate(listed_at=Coalesce("sent_at", "created_at"))


def inbox_sections(user, query, now=None, size=None):
    """The partner's inbox as the partner works it: overdue first, then new, in service, closed."""

    now = now or timezone.now()
    referrals = _listed(referrals_visible_to(user).select_related("case", "case__unit", "from_unit"))
    sent = Q(status=ReferralStatus.SENT)
    sections = {
        "overdue": sent & Q(_response_overdue(now)),
        "new": sent & ~Q(_response_overdue(now)),
        "in_service": Q(status__in=(ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE)),
        "closed": Q(status__in=CLOSED_STATUSES),
    }
    return _sectioned(referrals, sections, query, size, now)


def response_deadline(referral):
    return (
        Deadline.objects.filter(
            kind="referral_response", subject_type="referrals.referral", subject_id=referral.public_id
        )
        .order_by("-started_at")
        .first()
    )


def shared_content(referral):
    """Exactly what the partner may read: the case code always, each other section only if shared."""

    shared = set(referral.shared_sections)
    case, victim = referral.case, referral.victim
    content = {"code": case.pseudonym, "sections": []}
    if SharedSection.IDENTITY in shared and victim is not None:
        content["identity"] = {
            "name": victim.name,
            "nik": victim.nik,
            "sex": victim.get_sex_display(),
            "birth_date": victim.birth_date,
            "age": victim.age_at_incident if victim.age_at_incident is not None else victim.age_years,
            "is_child": victim.is_child,
            "disabilities": victim.disabilities,
        }
    if SharedSection.CONTACT in shared and victim is not None:
        content["contact"] = {
            "phone": victim.phone,
            "address": victim.address,
            "region": victim.region.name if victim.region_id else "",
        }
    if SharedSection.CHRONOLOGY in shared:
        content["chronology"] = {
            "incident_date": case.incident_date,
            "place": case.get_place_type_display(),
            "text": case.chronology,
        }
    if SharedSection.ASSESSMENT in shared:
        content["assessment"] = _latest_assessment(referral)
    if SharedSection.SAFETY_PLAN in shared and referral.victim_id is not None:
        content["safety_plan"] = victim_safety_plan(referral.victim)
    if SharedSection.DOCUMENTS in shared:
        content["documents"] = list(
            referral.documents.filter(share_mark__isnull=False).order_by("uploaded_at")
        )
    return content


def _latest_assessment(referral):
    if referral.victim_id is None:
        return None
    return (
        Assessment.objects.filter(
            case=referral.case, victim_id=referral.victim_id, completed_at__isnull=False
        )
        .order_by("-completed_at")
        .first()
    )


def referrals_sent_visible_to(user):
    """Referrals of the cases a user may refer from: the unit's for its kepala, the user's team
    cases' for a case worker (`referral.send` and its scope)."""

    scope = permission_scope(user, "referral.send")
    if scope is None or user.organisation_id is None:
        return Referral.objects.none()
    cases = cases_visible_to(user).filter(unit_id=user.organisation_id)
    if scope == "team":
        cases = cases.filter(pk__in=CaseAssignment.objects.filter(user=user, active=True).values("case_id"))
    return Referral.objects.filter(case__in=cases)


def outgoing_sections(user, query, now=None, closed_days=30, size=None):
    """The sender's follow-up list: overdue first, then waiting, in service, drafts, recently closed."""

    now = now or timezone.now()
    referrals = _listed(referrals_sent_visible_to(user).select_related("case", "to_agency"))
    sent = Q(status=ReferralStatus.SENT)
    sections = {
        "overdue": sent & Q(_response_overdue(now)),
        "waiting": sent & ~Q(_response_overdue(now)),
        "in_service": Q(status__in=(ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE)),
        "draft": Q(status=ReferralStatus.DRAFT),
        # Declined, completed or revoked, while it is recent.
        "closed": ~Q(status__in=(*OPEN_STATUSES, ReferralStatus.DRAFT))
        & Q(closed_at__gt=now - dt.timedelta(days=closed_days)),
    }
    return _sectioned(referrals, sections, query, size, now)


# --- reads of the referral and transfer pages -----------------------------------------------------


def referral_case(public_id):
    """The case behind a referral id, whoever asks: only to tie a refused attempt to its trail."""
    referral = Referral.objects.filter(public_id=public_id).select_related("case").first()
    return referral.case if referral else None


def referral_reloaded(referral):
    return Referral.objects.select_related("case__unit").get(pk=referral.pk)


def referral_of_case(case, public_id):
    return (
        Referral.objects.filter(case=case, public_id=public_id)
        .select_related("to_agency", "victim", "created_by", "case", "case__unit")
        .first()
    )


def incoming_sent_by(organisation_id, query, size=None):
    """Cases a partner agency referred to a unit (the 'sent' list of its inbox): one keyset page,
    newest first, with the total."""
    sent = IncomingReferral.objects.filter(from_agency_id=organisation_id).select_related("to_unit", "case")
    return keyset_page(
        sent,
        field="sent_at",
        query=query,
        param="sent_after",
        size=size or LIST_PAGE_SIZE,
    )


def incoming_sections(incoming, query, size=None):
    """The unit's incoming referrals: waiting, then dealt with; each section's total (one query)
    and one keyset page of it, newest first."""

    waiting = Q(status=IncomingStatus.WAITING)
    sections = {"waiting": waiting, "done": ~waiting}
    return keyset_sections(incoming, sections, field="sent_at", query=query, size=size or LIST_PAGE_SIZE)


def transfers_of_case(case):
    return (
        CaseTransfer.objects.filter(case=case)
        .select_related("from_unit", "to_unit")
        .order_by("-requested_at")
    )


def transfer_case(public_id):
    """The case behind a transfer id, whoever asks: only to tie a refused attempt to its trail."""
    transfer = CaseTransfer.objects.filter(public_id=public_id).select_related("case").first()
    return transfer.case if transfer else None


def active_partners():
    return Organisation.objects.filter(kind=OrganisationKind.PARTNER, is_active=True).order_by("name")


def partner_by_public_id(public_id):
    return Organisation.objects.filter(public_id=public_id, kind=OrganisationKind.PARTNER).first()


def partner_contact(partner, contact_id):
    return OrganisationContact.objects.filter(organisation=partner, pk=contact_id).first()


def case_documents_for_sharing(case):
    """The case's documents with their share marks, newest first (the referral and marking forms)."""
    return list(Document.objects.filter(case=case).select_related("share_mark").order_by("-uploaded_at"))


def referral_trail(case, referral):
    """The referral's own events, and the consent recorded for it (an event of the victim)."""
    mine = Q(object_id=referral.public_id)
    if referral.victim_id:
        mine |= Q(action="consent.record", object_id=referral.victim.public_id, details__purpose="rujukan")
    return list(
        AuditEvent.objects.filter(mine, case_id=case.public_id, outcome="ok")
        .exclude(action__in=("referral.view", "document.download"))
        .order_by("id")
    )


def partner_views_of(referral, limit=20):
    return AuditEvent.objects.filter(action="referral.view", object_id=referral.public_id).order_by("-id")[
        :limit
    ]


# --- reads used by the services and the pages -------------------------------------------------


def referral_consent(referral):
    """The consent (or recorded lawful basis) for this referral and its victim, if any."""
    if referral.victim_id is None:
        return None
    return (
        Consent.objects.filter(
            referral=referral,
            victim_id=referral.victim_id,
            purpose=ConsentPurpose.RUJUKAN,
            withdrawn_at__isnull=True,
        )
        .order_by("-given_at", "-id")
        .first()
    )


def shareable_documents(case):
    return Document.objects.filter(case=case, share_mark__isnull=False).order_by("-uploaded_at", "-id")


def suggested_agencies(unit, services):
    """Partner agencies for the services, the unit's referral pathway first, then the others."""
    ranked = list(
        ReferralPathway.objects.filter(unit=unit, service__in=services, agency__is_active=True)
        .select_related("agency")
        .order_by("position", "id")
    )
    seen, result = set(), []
    for row in ranked:
        if row.agency_id not in seen:
            seen.add(row.agency_id)
            result.append(row.agency)
    for agency in Organisation.objects.filter(kind=OrganisationKind.PARTNER, is_active=True).order_by("name"):
        if agency.pk not in seen and set(services) & set(agency.services_offered or []):
            result.append(agency)
    return result
