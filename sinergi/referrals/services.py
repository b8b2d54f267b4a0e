"""The referral workflow: draft → terkirim → diterima | ditolak → dalam_layanan → selesai, and
dibatalkan (revoked by the sender).

Every move is a keyword-only service that checks who may make it, locks the referral row, checks
the state it starts from, writes, audits (on the case's timeline) and notifies, in one
transaction: a refused move raises ValidationError (a message for the user) or PermissionDenied
and leaves nothing behind.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.access import has_permission, permission_scope
from sinergi.accounts.choices import OrganisationKind, ServiceCategory
from sinergi.audit.services import audit_record
from sinergi.cases.choices import CaseStatus, ConsentPurpose, PersonRole
from sinergi.cases.models import CaseAssignment, CasePerson, Consent
from sinergi.cases.selectors import can_view_case
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.services import deadline_cancel, deadline_start, deadline_stop

from .choices import OPEN_STATUSES, ReferralOutcome, ReferralStatus, SharedSection
from .models import Referral, ReferralServiceRecord, ShareableDocument
from .notify import notify, partner_users

S = ReferralStatus
MIN_REASON_LENGTH = 5

# --- who may ----------------------------------------------------------------------------------


def can_refer_from_case(user, case):
    """`referral.send` on a case of the user's own unit (a team member, or the unit's kepala)."""
    scope = permission_scope(user, "referral.send")
    if scope is None or case.unit_id != user.organisation_id or not can_view_case(user, case):
        return False
    if scope == "team":
        return CaseAssignment.objects.filter(case=case, user=user, active=True).exists()
    return True


def _require_sender(actor, referral):
    if not can_refer_from_case(actor, referral.case):
        raise PermissionDenied


def _require_partner(actor, referral):
    """Only a focal point of the agency the referral is addressed to (views answer 404 first)."""
    if not has_permission(actor, "referral.inbox") or referral.to_agency_id != actor.organisation_id:
        raise PermissionDenied


def _lock(referral):
    # `of=self`: lock the referral row only, not the case and agency rows joined to it (PostgreSQL).
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "to_agency")
        .get(pk=referral.pk)
    )
    return locked


def _refuse(field, message):
    raise ValidationError({field: message})


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
    from sinergi.cases.models import Document

    return Document.objects.filter(case=case, share_mark__isnull=False).order_by("-uploaded_at", "-id")


def suggested_agencies(unit, services):
    """Partner agencies for the services, the unit's referral pathway first, then the others."""
    from sinergi.accounts.models import Organisation

    from .models import ReferralPathway

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
    _require_sender(actor, referral)
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


# --- sender's moves ---------------------------------------------------------------------------


@transaction.atomic
def referral_send(*, actor, referral):
    """Send a draft: only with the victim's consent to this referral (or a recorded lawful basis).

    Starts the partner's response clock (1 working day; 2 hours for a high-risk case; the unit
    may change both), owned by the sender: overdue, it reminds the sender and the unit's kepala.
    """
    referral = _lock(referral)
    _require_sender(actor, referral)
    if referral.status != S.DRAFT:
        _refuse("__all__", _("This referral was already sent."))
    if referral.case.status == CaseStatus.CLOSED:
        _refuse("__all__", _("A closed case cannot be referred."))
    if not referral.to_agency.is_active:
        _refuse("to_agency", _("This agency is no longer active; choose another one."))
    if referral_consent(referral) is None:
        _refuse(
            "consent",
            _(
                "The survivor's consent to this referral (naming the agency and what is shared), or a "
                "recorded lawful basis, is missing. Record it before sending."
            ),
        )
    unmarked = referral.documents.filter(share_mark__isnull=True).count()
    if unmarked:
        _refuse("documents", _("A chosen document is no longer marked as shareable; change the referral."))
    now = timezone.now()
    referral.status, referral.sent_at = S.SENT, now
    referral.save(update_fields=["status", "sent_at", "updated_at"])
    deadline = deadline_start(
        kind=ClockKind.REFERRAL_RESPONSE,
        unit=referral.from_unit or referral.case.unit,
        case=referral.case,
        subject=referral,
        started_at=now,
        responsible=actor,
        actor=actor,
    )
    _audit(
        actor,
        referral,
        "referral.send",
        status=S.SENT,
        services=referral.services,
        shared=referral.shared_sections,
        due=deadline.due_at.isoformat(),
    )
    notify(
        partner_users(referral.to_agency_id),
        kind="referral_sent",
        message=gettext_lazy("New referral for case %(code)s from %(unit)s: please accept or decline."),
        values={
            "code": referral.case.pseudonym,
            "unit": referral.case.unit.short_name or referral.case.unit.name,
        },
        link=_partner_link(referral),
        # The agency's official address too: a focal point may be away, or have no account yet.
        extra_emails=[referral.to_agency.email] if referral.to_agency.email else [],
    )
    return referral


@transaction.atomic
def referral_revoke(*, actor, referral, reason=""):
    """The sender withdraws the referral; the partner's access ends at once."""
    referral = _lock(referral)
    _require_sender(actor, referral)
    if referral.status not in (S.DRAFT, *OPEN_STATUSES):
        _refuse("__all__", _("This referral is already closed."))
    reason = (reason or "").strip()
    was_sent = referral.status != S.DRAFT
    if was_sent and len(reason) < MIN_REASON_LENGTH:
        _refuse("reason", _("Say why the referral is revoked."))
    old = referral.status
    referral.status, referral.closed_at, referral.revoke_reason = S.REVOKED, timezone.now(), reason
    referral.save(update_fields=["status", "closed_at", "revoke_reason", "updated_at"])
    deadline_cancel(
        kind=ClockKind.REFERRAL_RESPONSE, case=referral.case, subject=referral, actor=actor, reason="revoked"
    )
    audit_record(
        actor=actor,
        action="referral.revoke",
        object_type="referral",
        object_id=referral.public_id,
        case=referral.case,
        changes={"status": [old, S.REVOKED]},
        details={"agency": referral.to_agency.public_id},
    )
    if was_sent:
        notify(
            partner_users(referral.to_agency_id),
            kind="referral_revoked",
            message=gettext_lazy("The referral for case %(code)s was withdrawn by the sender."),
            values=_values(referral),
            link=reverse("referrals:inbox"),
        )
    return referral


# --- partner's moves --------------------------------------------------------------------------


def _partner_move(actor, referral, *, allowed, to, action, refusal, changes_extra=None, **fields):
    referral = _lock(referral)
    _require_partner(actor, referral)
    if referral.status not in allowed:
        _refuse("__all__", refusal(referral.status))
    old = referral.status
    referral.status = to
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save(update_fields=["status", *fields, "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        object_type="referral",
        object_id=referral.public_id,
        case=referral.case,
        changes={"status": [old, to], **(changes_extra or {})},
        details={"agency": referral.to_agency.public_id},
    )
    return referral


def _answer_refusal(status):
    if status in (S.ACCEPTED, S.IN_SERVICE, S.COMPLETED):
        return _("This referral was already accepted.")
    if status == S.DECLINED:
        return _("This referral was already declined.")
    return _("This referral is no longer waiting for an answer.")


@transaction.atomic
def referral_accept(*, actor, referral):
    now = timezone.now()
    referral = _partner_move(
        actor,
        referral,
        allowed=(S.SENT,),
        to=S.ACCEPTED,
        action="referral.accept",
        refusal=_answer_refusal,
        accepted_at=now,
        responded_by=actor,
    )
    deadline_stop(
        kind=ClockKind.REFERRAL_RESPONSE, case=referral.case, subject=referral, stopped_at=now, actor=actor
    )
    notify(
        _senders(referral),
        kind="referral_accepted",
        message=gettext_lazy("%(agency)s accepted the referral for case %(code)s."),
        values=_values(referral),
        link=_staff_link(referral),
    )
    return referral


@transaction.atomic
def referral_decline(*, actor, referral, reason):
    _require_partner(actor, referral)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        _refuse("reason", _("Say why the referral is declined."))
    now = timezone.now()
    referral = _partner_move(
        actor,
        referral,
        allowed=(S.SENT,),
        to=S.DECLINED,
        action="referral.decline",
        refusal=_answer_refusal,
        closed_at=now,
        responded_by=actor,
        decline_reason=reason,
    )
    deadline_stop(
        kind=ClockKind.REFERRAL_RESPONSE, case=referral.case, subject=referral, stopped_at=now, actor=actor
    )
    notify(
        _senders(referral),
        kind="referral_declined",
        message=gettext_lazy(
            "%(agency)s declined the referral for case %(code)s; see the reason in Sinergi."
        ),
        values=_values(referral),
        link=_staff_link(referral),
    )
    return referral


def _not_accepted_yet(status):
    if status == S.SENT:
        return _("Accept the referral first.")
    return _("This referral is closed.")


@transaction.atomic
def referral_service_record(*, actor, referral, service, delivered_on, note=""):
    """The partner records a service delivered; the first one moves the referral into service."""
    locked = _lock(referral)
    _require_partner(actor, locked)
    if locked.status not in (S.ACCEPTED, S.IN_SERVICE):
        _refuse("__all__", _not_accepted_yet(locked.status))
    errors = {}
    if service not in ServiceCategory.values:
        errors["service"] = _("Choose a service.")
    if delivered_on is None:
        errors["delivered_on"] = _("Enter the date.")
    elif delivered_on > timezone.localdate():
        errors["delivered_on"] = _("The date cannot be in the future.")
    elif locked.sent_at and delivered_on < timezone.localdate(locked.sent_at):
        errors["delivered_on"] = _("The date cannot be before the referral was sent.")
    if errors:
        raise ValidationError(errors)
    record = ReferralServiceRecord.objects.create(
        referral=locked,
        service=service,
        delivered_on=delivered_on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    old = locked.status
    if old == S.ACCEPTED:
        locked.status = S.IN_SERVICE
        locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="referral.service",
        object_type="referral",
        object_id=locked.public_id,
        case=locked.case,
        changes={"status": [old, locked.status]} if old != locked.status else None,
        details={"agency": locked.to_agency.public_id, "service": service, "record": record.public_id},
    )
    if old == S.ACCEPTED:
        notify(
            _senders(locked),
            kind="referral_in_service",
            message=gettext_lazy("%(agency)s started services for case %(code)s."),
            values=_values(locked),
            link=_staff_link(locked),
        )
    return record


@transaction.atomic
def referral_complete(*, actor, referral, outcome, outcome_note=""):
    _require_partner(actor, referral)
    if outcome not in ReferralOutcome.values:
        _refuse("outcome", _("Choose the outcome."))
    referral = _partner_move(
        actor,
        referral,
        allowed=(S.ACCEPTED, S.IN_SERVICE),
        to=S.COMPLETED,
        action="referral.complete",
        refusal=_not_accepted_yet,
        changes_extra={"outcome": [None, outcome]},
        closed_at=timezone.now(),
        outcome=outcome,
        outcome_note=(outcome_note or "").strip(),
    )
    notify(
        _senders(referral),
        kind="referral_completed",
        message=gettext_lazy("%(agency)s completed the referral for case %(code)s."),
        values=_values(referral),
        link=_staff_link(referral),
    )
    return referral


# --- overdue answers --------------------------------------------------------------------------


def referrals_notify_overdue(now=None):
    """Tell the partner once when a referral waits past its response deadline.

    The sender and the sender's kepala are reminded by the deadlines engine (the clock belongs to
    the sending unit and to the sender); this adds the agency that has to answer. Returns the
    number of referrals notified.
    """
    from sinergi.deadlines.models import Deadline

    now = now or timezone.now()
    overdue_ids = Deadline.objects.filter(
        kind=ClockKind.REFERRAL_RESPONSE, status="open", due_at__lt=now, subject_type="referrals.referral"
    ).values_list("subject_id", flat=True)
    count = 0
    for referral in Referral.objects.filter(
        public_id__in=list(overdue_ids), status=S.SENT, escalated_at__isnull=True
    ).select_related("case", "to_agency"):
        with transaction.atomic():
            if not Referral.objects.filter(pk=referral.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue
            audit_record(
                actor=None,
                action="referral.overdue",
                object_type="referral",
                object_id=referral.public_id,
                case=referral.case,
                details={"agency": referral.to_agency.public_id},
            )
            notify(
                partner_users(referral.to_agency_id),
                kind="referral_overdue",
                message=gettext_lazy(
                    "The referral for case %(code)s is waiting past its deadline: please answer."
                ),
                values=_values(referral),
                link=_partner_link(referral),
            )
            count += 1
    return count


# --- documents --------------------------------------------------------------------------------


@transaction.atomic
def document_share_mark(*, actor, document, shareable):
    """Mark (or unmark) a case document as fit to share with partners through a referral."""
    case = document.case
    if not can_refer_from_case(actor, case):
        raise PermissionDenied
    if shareable:
        _mark, created = ShareableDocument.objects.get_or_create(
            document=document, defaults={"marked_by": actor}
        )
        changed = created
    else:
        changed = ShareableDocument.objects.filter(document=document).delete()[0] > 0
    if changed:
        audit_record(
            actor=actor,
            action="document.share_mark" if shareable else "document.share_unmark",
            object_type="document",
            object_id=document.public_id,
            case=case,
        )
    return changed


def victims_of(case):
    return CasePerson.objects.filter(case=case, role=PersonRole.KORBAN).order_by("id")


def referral_document_open(*, actor, referral, document):
    """The plain bytes of a document shared with the partner, audited as a download tied to the
    case (so it shows on the case's access panel) and naming the referral."""
    import hashlib

    from django.core.files.storage import default_storage

    from sinergi.audit.choices import Outcome
    from sinergi.cases import documents as case_documents

    from .selectors import can_view_referral

    if (
        not can_view_referral(actor, referral)
        or SharedSection.DOCUMENTS not in referral.shared_sections
        or not referral.documents.filter(pk=document.pk, share_mark__isnull=False).exists()
    ):
        raise PermissionDenied
    try:
        with default_storage.open(document.storage_name, "rb") as stored:
            data = case_documents.unseal(
                stored.read(), public_id=document.public_id, key_version=document.key_version
            )
        if hashlib.sha256(data).hexdigest() != document.sha256:
            raise case_documents.DocumentUnreadable("checksum mismatch")
    except Exception as exc:  # noqa: BLE001 - any failure to read is the same answer to the partner
        audit_record(
            actor=actor,
            action="document.download",
            outcome=Outcome.FAILED,
            object_type="document",
            object_id=document.public_id,
            case=referral.case,
            details={"referral": referral.public_id, "reason": "unreadable"},
        )
        raise case_documents.DocumentUnreadable(document.public_id) from exc
    audit_record(
        actor=actor,
        action="document.download",
        object_type="document",
        object_id=document.public_id,
        case=referral.case,
        details={"referral": referral.public_id, "doc_type": document.doc_type, "size": document.size},
    )
    return data
