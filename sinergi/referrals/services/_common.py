"""What the referral services share: the row lock, refusals and the checks of what the sender
chooses (victim, services, sections, documents).
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.accounts.choices import OrganisationKind, ServiceCategory
from sinergi.audit.services import audit_record
from sinergi.cases.choices import PersonRole
from sinergi.cases.models import CaseAssignment
from sinergi.core.errors import Refusal

from ..choices import ReferralStatus, SharedSection
from ..models import Referral, ShareableDocument

S = ReferralStatus
MIN_REASON_LENGTH = 5


def _lock(referral):
    # `of=self`: lock the referral row only, not the case and agency rows joined to it (PostgreSQL).
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "to_agency")
        .get(pk=referral.pk)
    )
    return locked


def _refuse(field, message):
    raise Refusal(message, field=field)


# --- validation of what the sender chooses ----------------------------------------------------


def _clean_choice(*, case, victim, to_agency, services, shared_sections, documents):
    errors = {}
    if victim is None or victim.case_id != case.pk or victim.role != PersonRole.KORBAN:
        errors["victim"] = _("Choose a victim of this case.")
    if to_agency is None or to_agency.kind != OrganisationKind.PARTNER or not to_agency.is_active:
        errors["to_agency"] = _("Choose an active partner agency.")
    services = list(dict.fromkeys(services or []))
    if not services:
        errors["services"] = _("Choose at least one service.")
    elif set(services) - set(ServiceCategory.values):
        errors["services"] = _("Unknown service.")
    sections = list(dict.fromkeys(shared_sections or []))
    if set(sections) - set(SharedSection.values):
        errors["shared_sections"] = _("Unknown section.")
    documents = list(documents or [])
    if documents:
        foreign = [d for d in documents if d.case_id != case.pk]
        unmarked = [
            d
            for d in documents
            if d.case_id == case.pk and not ShareableDocument.objects.filter(document=d).exists()
        ]
        if foreign:
            errors["documents"] = _("Choose documents of this case.")
        elif unmarked:
            errors["documents"] = _(
                "Only documents marked as shareable can be sent to a partner; %(n)d of the chosen are not."
            ) % {"n": len(unmarked)}
        if SharedSection.DOCUMENTS not in sections:
            sections.append(SharedSection.DOCUMENTS)
    elif SharedSection.DOCUMENTS in sections:
        errors["documents"] = _("Choose the documents to share, or do not share documents.")
    if errors:
        raise ValidationError(errors)
    ordered = [s for s in SharedSection.values if s in sections]
    return services, ordered, documents


def _audit(actor, referral, action, **details):
    audit_record(
        actor=actor,
        action=action,
        object_type="referral",
        object_id=referral.public_id,
        case=referral.case,
        details={"agency": referral.to_agency.public_id, **details},
    )


def _staff_link(referral):
    return reverse("referrals:case_detail", args=[referral.case.public_id, referral.public_id])


def _partner_link(referral):
    return reverse("referrals:detail", args=[referral.public_id])


def _senders(referral):
    """The sender and the case's lead worker(s): who hears back from the partner."""
    people = [referral.created_by]
    leads = CaseAssignment.objects.filter(case=referral.case, active=True, team_role="lead").select_related(
        "user"
    )
    people.extend(a.user for a in leads)
    return [p for p in people if p is not None]


def _values(referral):
    return {
        "code": referral.case.pseudonym,
        "agency": referral.to_agency.short_name or referral.to_agency.name,
    }
