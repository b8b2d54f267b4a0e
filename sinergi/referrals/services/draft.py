"""Drafting a referral: create and change it; nothing is shared until it is sent."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.cases.choices import CaseStatus
from sinergi.cases.models import Consent

from ..models import Referral
from ..policies import can_refer_from_case, require_sender
from ._common import S, _audit, _clean_choice, _lock, _refuse

# --- draft --------------------------------------------------------------------------------------


@transaction.atomic
def referral_create(*, actor, case, victim, to_agency, services, shared_sections=(), documents=(), note=""):
    """A draft referral of one victim of `case` to one agency; nothing is shared until it is sent."""
    if not can_refer_from_case(actor, case):
        raise PermissionDenied
    if case.status == CaseStatus.CLOSED:
        _refuse("__all__", _("A closed case cannot be referred."))
    services, sections, documents = _clean_choice(
        case=case,
        victim=victim,
        to_agency=to_agency,
        services=services,
        shared_sections=shared_sections,
        documents=documents,
    )
    referral = Referral.objects.create(
        case=case,
        victim=victim,
        from_unit=case.unit,
        to_agency=to_agency,
        services=services,
        shared_sections=sections,
        note=(note or "").strip(),
        created_by=actor,
    )
    referral.documents.set(documents)
    _audit(actor, referral, "referral.create", services=services, shared=sections, documents=len(documents))
    return referral


@transaction.atomic
def referral_update(
    *, actor, referral, victim, to_agency, services, shared_sections=(), documents=(), note=""
):
    """Change a draft. A consent already recorded covers what it was given for: when the agency,
    the victim or what is shared changes, it is withdrawn and must be asked again."""
    referral = _lock(referral)
    require_sender(actor, referral)
    if referral.status != S.DRAFT:
        _refuse("__all__", _("Only a draft referral can be changed."))
    services, sections, documents = _clean_choice(
        case=referral.case,
        victim=victim,
        to_agency=to_agency,
        services=services,
        shared_sections=shared_sections,
        documents=documents,
    )
    before = (
        referral.victim_id,
        referral.to_agency_id,
        tuple(referral.shared_sections),
        tuple(sorted(referral.documents.values_list("pk", flat=True))),
    )
    after = (victim.pk, to_agency.pk, tuple(sections), tuple(sorted(d.pk for d in documents)))
    referral.victim, referral.to_agency = victim, to_agency
    referral.services, referral.shared_sections = services, sections
    referral.note = (note or "").strip()
    referral.save()
    referral.documents.set(documents)
    withdrawn = 0
    if before != after:
        withdrawn = Consent.objects.filter(referral=referral, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
    _audit(
        actor,
        referral,
        "referral.update",
        services=services,
        shared=sections,
        documents=len(documents),
        consent_withdrawn=withdrawn,
    )
    referral.consent_withdrawn = withdrawn  # the page says the consent must be asked again
    return referral
