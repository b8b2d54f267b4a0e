"""Action items across agencies: creation, updates by the assignee, reminders."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases.selectors import cases_visible_to

from ..choices import OPEN_STATUSES, ActionItemStatus, MeetingStatus
from ..models import ActionItem
from ..notify import notify, recipients, unit_heads
from ..selectors import action_items_managed_by, action_items_updatable_by, meetings_managed_by
from ._common import REMIND_DAYS_BEFORE, _case_by_code, _day, _require

# --- action items ----------------------------------------------------------------------------------


def _item_link(item):
    return reverse("coordination:action_item_detail", args=[item.public_id])


def _item_message(template, item):
    values = {"ref": item.reference, "due": _day(item.due_date)}
    values["case"] = item.case.pseudonym if item.case_id else ""
    return template % values


def _assignees(item):
    return recipients(organisations=[item.assignee_organisation], users=[item.assignee_user])


@transaction.atomic
def action_item_create(
    *,
    actor,
    description,
    due_date,
    assignee_organisation=None,
    assignee_user=None,
    meeting=None,
    decision=None,
    case=None,
    case_code="",
):
    """Create an action item of the actor's unit, from a meeting of the unit and/or about a case."""
    _require(actor, "action_item.manage")
    description = (description or "").strip()
    errors = {}
    if not description:
        errors["description"] = _("Say what is to be done.")
    elif len(description) > 500:
        errors["description"] = _("Keep the description under 500 characters.")
    if due_date is None:
        errors["due_date"] = _("Give a due date.")
    elif due_date < timezone.localdate():
        errors["due_date"] = _("The due date cannot be in the past.")
    if assignee_organisation is None and assignee_user is None:
        errors["assignee_organisation"] = _("Name the agency or the person responsible.")
    elif (assignee_organisation is not None and not assignee_organisation.is_active) or (
        assignee_user is not None and not assignee_user.is_active
    ):
        errors["assignee_organisation"] = _("Only an active agency or person can be responsible.")
    if meeting is not None:
        if not meetings_managed_by(actor).filter(pk=meeting.pk).exists():
            raise PermissionDenied
        if meeting.status == MeetingStatus.DIBATALKAN:
            errors["meeting"] = _("This meeting was cancelled; it can no longer be changed.")
    if decision is not None and (meeting is None or decision.meeting_id != meeting.pk):
        errors["decision"] = _("The decision must belong to the meeting.")
    if case is not None:
        if not cases_visible_to(actor).filter(pk=case.pk).exists():
            raise PermissionDenied
    else:
        try:
            case = _case_by_code(actor, case_code)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    item = ActionItem.objects.create(
        unit=actor.organisation,
        meeting=meeting,
        decision=decision,
        case=case,
        description=description,
        assignee_organisation=assignee_organisation,
        assignee_user=assignee_user,
        due_date=due_date,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="action_item.create",
        object_type="action_item",
        object_id=item.public_id,
        case=case,
        details={
            "meeting": meeting.public_id if meeting else "",
            "agency": assignee_organisation.public_id if assignee_organisation else "",
            "person": assignee_user.public_id if assignee_user else "",
            "due": due_date.isoformat(),
        },
    )

    def message():
        text = _("Action item %(ref)s assigned to %(who)s, due %(due)s.") % {
            "ref": item.reference,
            "who": assignee_organisation or assignee_user,
            "due": _day(due_date),
        }
        if case is not None:
            text += " " + _("Case %(code)s.") % {"code": case.pseudonym}
        return text

    notify(_assignees(item), kind="action_item_assigned", message=message, link=_item_link(item))
    return item


@transaction.atomic
def action_item_update(*, actor, item, status, progress_note=None):
    """Move an item along (open → in progress → done) with a progress note; managers may cancel.

    Only an assignee (agency or person) or the owning unit may update; a closed item stays closed.
    """
    if not action_items_updatable_by(actor).filter(pk=item.pk).exists():
        raise PermissionDenied
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.status not in OPEN_STATUSES:
        raise ValidationError(_("This action item is closed; it can no longer be changed."))
    if status not in ActionItemStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if (
        status == ActionItemStatus.DIBATALKAN
        and not action_items_managed_by(actor).filter(pk=item.pk).exists()
    ):
        raise ValidationError({"status": _("Only the unit that set the action item can cancel it.")})
    note = item.progress_note if progress_note is None else progress_note.strip()
    if len(note) > 2000:
        raise ValidationError({"progress_note": _("Keep the progress note under 2000 characters.")})
    if status == item.status and note == item.progress_note:
        raise ValidationError(_("Nothing changed: choose a new status or write a progress note."))
    old, old_note = item.status, item.progress_note
    item.status = status
    item.progress_note = note
    if status not in OPEN_STATUSES:
        item.closed_at = timezone.now()
    item.save(update_fields=["status", "progress_note", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="action_item.update",
        object_type="action_item",
        object_id=item.public_id,
        case=item.case,
        changes={"status": [old, status], **({"progress_note": "changed"} if note != old_note else {})},
    )
    if status != old:
        # Whoever did not make the change hears about it: the unit's head and the assignees.
        others = [
            u
            for u in recipients(
                organisations=[item.assignee_organisation],
                users=[item.assignee_user, item.created_by, *unit_heads(item.unit_id)],
            )
            if u.pk != actor.pk
        ]
        notify(
            others,
            kind="action_item_status",
            message=lambda: (
                _("Action item %(ref)s is now: %(status)s (by %(org)s).")
                % {"ref": item.reference, "status": item.get_status_display(), "org": actor.organisation}
            ),
            link=_item_link(item),
        )
    return item


def action_item_send_reminders(*, today=None):
    """Remind the assignees once before the due date, and tell them and the unit's head once when
    an item is overdue. Safe to run as often as wanted. Returns (due reminders, overdue notices)."""
    today = today or timezone.localdate()
    due_sent = overdue_sent = 0
    open_items = ActionItem.objects.filter(status__in=OPEN_STATUSES).select_related(
        "assignee_organisation", "assignee_user", "case"
    )
    soon = open_items.filter(
        due_reminder_sent_at__isnull=True,
        overdue_notice_sent_at__isnull=True,
        due_date__gte=today,
        due_date__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
    )
    for item in soon:
        with transaction.atomic():
            if not ActionItem.objects.filter(pk=item.pk, due_reminder_sent_at__isnull=True).update(
                due_reminder_sent_at=timezone.now()
            ):
                continue  # another run got there first
            notify(
                _assignees(item),
                kind="action_item_due",
                message=lambda item=item: _item_message(_("Action item %(ref)s is due on %(due)s."), item),
                link=_item_link(item),
            )
            audit_record(
                actor=None,
                action="action_item.remind_due",
                object_type="action_item",
                object_id=item.public_id,
                case=item.case,
            )
            due_sent += 1
    for item in open_items.filter(overdue_notice_sent_at__isnull=True, due_date__lt=today):
        with transaction.atomic():
            if not ActionItem.objects.filter(pk=item.pk, overdue_notice_sent_at__isnull=True).update(
                overdue_notice_sent_at=timezone.now()
            ):
                continue
            users = recipients(
                organisations=[item.assignee_organisation],
                users=[item.assignee_user, *unit_heads(item.unit_id)],
            )
            notify(
                users,
                kind="action_item_overdue",
                message=lambda item=item: _item_message(
                    _("Action item %(ref)s is overdue (due %(due)s)."), item
                ),
                link=_item_link(item),
            )
            audit_record(
                actor=None,
                action="action_item.remind_overdue",
                object_type="action_item",
                object_id=item.public_id,
                case=item.case,
            )
            overdue_sent += 1
    return due_sent, overdue_sent
