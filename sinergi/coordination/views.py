"""Coordination meetings (rapat/...) and the action item board (tindak-lanjut/...).

Every view is guarded by require_permission and fetches its object through a selector that takes
the user, so a meeting or action item outside the user's scope is an audited 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.accounts.access import has_permission
from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.audit.services import audit_record
from sinergi.core.forms import add_service_errors, confirmed
from sinergi.core.pagination import keyset_page

from . import services
from .choices import OPEN_STATUSES, MeetingStatus
from .forms import (
    ActionItemForm,
    ActionItemUpdateForm,
    AgendaItemForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
)
from .selectors import (
    action_items_managed_by,
    action_items_updatable_by,
    action_items_visible_to,
    case_code_for,
    is_overdue,
    linked_case_visible,
    meetings_managed_by,
    meetings_visible_to,
    with_case_visibility,
)

BOARD_PAGE_SIZE = 50


def _meeting(request, public_id, queryset):
    return get_visible_or_404(request, queryset, object_type="meeting", public_id=public_id)


def _item(request, public_id, queryset):
    return get_visible_or_404(request, queryset, object_type="action_item", public_id=public_id)


# --- meetings --------------------------------------------------------------------------------------

#: Earlier meetings shown at a time (newest first; "More" goes on, the total is shown).
PAST_PAGE = 50


@require_permission("meeting.view")
def meeting_list(request):
    meetings = meetings_visible_to(request.user).select_related("unit")
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    upcoming = meetings.filter(status=MeetingStatus.DIJADWALKAN, starts_at__gte=start_of_today).order_by(
        "starts_at", "id"
    )
    earlier = meetings.exclude(pk__in=upcoming.values("pk"))
    past = keyset_page(
        earlier,
        field="starts_at",
        query=request.GET,
        param="past_after",
        size=PAST_PAGE,
    )
    context = {
        "upcoming": upcoming,
        "past": past.rows,
        "past_page": past,
        "can_manage": has_permission(request.user, "meeting.manage"),
    }
    return render(request, "coordination/meeting_list.html", context)


@require_permission("meeting.manage")
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    form = MeetingForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting scheduled; the invitations have been sent."))
            return redirect("coordination:meeting_detail", public_id=meeting.public_id)
    return render(request, "coordination/meeting_form.html", {"form": form})


@require_permission("meeting.manage", object_type="meeting")
@require_http_methods(["GET", "POST"])
def meeting_edit(request, public_id):
    meeting = _meeting(
        request,
        public_id,
        meetings_managed_by(request.user).filter(status=MeetingStatus.DIJADWALKAN).select_related("unit"),
    )
    participants = list(meeting.participants.all())
    initial = {
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
        "place": meeting.place,
        "online_link": meeting.online_link,
        "organisations": [p.organisation_id for p in participants if p.organisation_id],
        "users": [p.user_id for p in participants if p.user_id],
        "period_start": meeting.period_start,
        "period_end": meeting.period_end,
    }
    form = MeetingForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting changed; the participants have been told."))
            return redirect("coordination:meeting_detail", public_id=meeting.public_id)
    return render(request, "coordination/meeting_form.html", {"form": form, "meeting": meeting})


def _detail_context(request, meeting, **bound):
    user = request.user
    manageable = (
        meeting.status != MeetingStatus.DIBATALKAN
        and meetings_managed_by(user).filter(pk=meeting.pk).exists()
    )
    agenda = []
    for entry in with_case_visibility(meeting.agenda.select_related("case"), user):
        code, linked = case_code_for(user, entry.case, case_visible=entry.case_visible)
        agenda.append({"entry": entry, "code": code, "linked": linked})
    items = []
    today = timezone.localdate()
    updatable = set(action_items_updatable_by(user).filter(meeting=meeting).values_list("pk", flat=True))
    queryset = (
        with_case_visibility(action_items_visible_to(user), user)
        .filter(meeting=meeting)
        .select_related("assignee_organisation", "assignee_user", "case", "decision")
    )
    for item in queryset:
        code, linked = case_code_for(user, item.case, case_visible=item.case_visible)
        items.append(
            {
                "item": item,
                "code": code,
                "linked": linked,
                "overdue": is_overdue(item, today),
                "updatable": item.pk in updatable,
            }
        )
    context = {
        "meeting": meeting,
        "participants": meeting.participants.select_related("organisation", "user"),
        "agenda": agenda,
        "decisions": meeting.decisions.all(),
        "items": items,
        "manageable": manageable,
        "can_cancel": manageable and meeting.status == MeetingStatus.DIJADWALKAN,
        "can_edit": manageable and meeting.status == MeetingStatus.DIJADWALKAN,
    }
    if manageable:
        context.update(
            agenda_form=bound.get("agenda_form") or AgendaItemForm(),
            minutes_form=bound.get("minutes_form") or MinutesForm(initial={"minutes": meeting.minutes}),
            decision_form=bound.get("decision_form") or DecisionForm(),
            item_form=ActionItemForm(actor=user, meetings=meetings_managed_by(user), meeting=meeting)
            if has_permission(user, "action_item.manage")
            else None,
        )
    return context


@require_permission("meeting.view", object_type="meeting")
def meeting_detail(request, public_id):
    meeting = _meeting(request, public_id, meetings_visible_to(request.user).select_related("unit"))
    audit_record(
        actor=request.user, action="meeting.view", object_type="meeting", object_id=meeting.public_id
    )
    return render(request, "coordination/meeting_detail.html", _detail_context(request, meeting))


def _meeting_post(request, public_id, form_class, form_key, write, success):
    """A manager's POST on one part of the meeting; on a refusal the meeting page shows the form."""
    meeting = _meeting(request, public_id, meetings_managed_by(request.user).select_related("unit"))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(meeting, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("coordination:meeting_detail", public_id=meeting.public_id)
    if meeting.status == MeetingStatus.DIBATALKAN and form.errors:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()) or _("Not saved."))
        return redirect("coordination:meeting_detail", public_id=meeting.public_id)
    context = _detail_context(request, meeting, **{form_key: form})
    return render(request, "coordination/meeting_detail.html", context, status=400)


@require_POST
@require_permission("meeting.manage", object_type="meeting")
def meeting_agenda_add(request, public_id):
    return _meeting_post(
        request,
        public_id,
        AgendaItemForm,
        "agenda_form",
        lambda m, data: services.meeting_agenda_add(actor=request.user, meeting=m, **data),
        _("Agenda item added."),
    )


@require_POST
@require_permission("meeting.manage", object_type="meeting")
def meeting_minutes(request, public_id):
    return _meeting_post(
        request,
        public_id,
        MinutesForm,
        "minutes_form",
        lambda m, data: services.meeting_minutes_record(actor=request.user, meeting=m, **data),
        _("Minutes saved."),
    )


@require_POST
@require_permission("meeting.manage", object_type="meeting")
def meeting_decision_add(request, public_id):
    return _meeting_post(
        request,
        public_id,
        DecisionForm,
        "decision_form",
        lambda m, data: services.meeting_decision_add(actor=request.user, meeting=m, **data),
        _("Decision recorded."),
    )


@require_POST
@require_permission("meeting.manage", object_type="meeting")
def meeting_attendance(request, public_id):
    meeting = _meeting(request, public_id, meetings_managed_by(request.user))
    present = [v for v in request.POST.getlist("present") if v.isdigit()]
    try:
        services.meeting_attendance_record(actor=request.user, meeting=meeting, present=present)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Attendance saved."))
    return redirect("coordination:meeting_detail", public_id=meeting.public_id)


@require_POST
@require_permission("meeting.manage", object_type="meeting")
def meeting_cancel(request, public_id):
    meeting = _meeting(request, public_id, meetings_managed_by(request.user).select_related("unit"))
    if not confirmed(request):
        messages.error(
            request, _("The meeting was not cancelled: confirm it with “Yes, cancel the meeting”.")
        )
        return redirect("coordination:meeting_detail", public_id=meeting.public_id)
    try:
        services.meeting_cancel(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Meeting cancelled; the participants have been told."))
    return redirect("coordination:meeting_detail", public_id=meeting.public_id)


# --- action items ----------------------------------------------------------------------------------

BOARD_FILTERS = {"terbuka", "terlambat", "selesai", "semua"}


@require_permission("action_item.view")
def action_item_board(request):
    user = request.user
    shown = request.GET.get("tampil", "terbuka")
    shown = shown if shown in BOARD_FILTERS else "terbuka"
    today = timezone.localdate()
    items = with_case_visibility(action_items_visible_to(user), user).select_related(
        "unit", "meeting", "case", "assignee_organisation", "assignee_user"
    )
    if shown == "terbuka":
        items = items.filter(status__in=OPEN_STATUSES)
    elif shown == "terlambat":
        items = items.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    elif shown == "selesai":
        items = items.exclude(status__in=OPEN_STATUSES)
    page = Paginator(items.order_by("due_date", "id"), BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    updatable = set(
        action_items_updatable_by(user)
        .filter(pk__in=[i.pk for i in page.object_list])
        .values_list("pk", flat=True)
    )
    rows = []
    for item in page.object_list:
        code, linked = case_code_for(user, item.case, case_visible=item.case_visible)
        rows.append(
            {
                "item": item,
                "code": code,
                "linked": linked,
                "overdue": is_overdue(item, today),
                "updatable": item.pk in updatable,
            }
        )
    context = {
        "rows": rows,
        "page": page,
        "shown": shown,
        "query": f"tampil={shown}",
        "can_create": has_permission(user, "action_item.manage"),
    }
    return render(request, "coordination/board.html", context)


@require_permission("action_item.manage")
@require_http_methods(["GET", "POST"])
def action_item_create(request):
    user = request.user
    managed = meetings_managed_by(user)
    meeting = None
    if request.GET.get("rapat"):
        meeting = _meeting(
            request, str(request.GET["rapat"])[:64], managed.exclude(status=MeetingStatus.DIBATALKAN)
        )
    form = ActionItemForm(request.POST or None, actor=user, meetings=managed, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.action_item_create(
                actor=user,
                description=data["description"],
                due_date=data["due_date"],
                assignee_organisation=data["assignee_organisation"],
                assignee_user=data["assignee_user"],
                meeting=meeting or data["meeting"],
                decision=data["decision"],
                case_code=data["case_code"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error("meeting", _("Choose a meeting of your unit."))
        else:
            messages.success(request, _("Action item created; those responsible have been told."))
            if item.meeting_id:
                return redirect("coordination:meeting_detail", public_id=item.meeting.public_id)
            return redirect("coordination:action_item_detail", public_id=item.public_id)
    return render(request, "coordination/action_item_form.html", {"form": form, "meeting": meeting})


def _item_context(request, item, form=None):
    user = request.user
    code, linked = case_code_for(user, item.case, case_visible=linked_case_visible(item, user))
    updatable = item.status in OPEN_STATUSES and action_items_updatable_by(user).filter(pk=item.pk).exists()
    may_cancel = action_items_managed_by(user).filter(pk=item.pk).exists()
    if updatable and form is None:
        form = ActionItemUpdateForm(
            initial={"status": item.status, "progress_note": item.progress_note}, may_cancel=may_cancel
        )
    meeting_visible = bool(item.meeting_id) and meetings_visible_to(user).filter(pk=item.meeting_id).exists()
    return {
        "item": item,
        "code": code,
        "linked": linked,
        "overdue": is_overdue(item),
        "form": form if updatable else None,
        "meeting_visible": meeting_visible,
    }


@require_permission("action_item.view", object_type="action_item")
def action_item_detail(request, public_id):
    queryset = action_items_visible_to(request.user).select_related(
        "unit", "meeting", "case", "assignee_organisation", "assignee_user", "decision"
    )
    item = _item(request, public_id, queryset)
    audit_record(
        actor=request.user, action="action_item.view", object_type="action_item", object_id=item.public_id
    )
    return render(request, "coordination/action_item_detail.html", _item_context(request, item))


@require_POST
@require_permission("action_item.update", object_type="action_item")
def action_item_update(request, public_id):
    queryset = action_items_updatable_by(request.user).select_related(
        "unit", "meeting", "case", "assignee_organisation", "assignee_user", "decision"
    )
    item = _item(request, public_id, queryset)
    may_cancel = action_items_managed_by(request.user).filter(pk=item.pk).exists()
    form = ActionItemUpdateForm(request.POST, may_cancel=may_cancel)
    if form.is_valid():
        try:
            services.action_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Action item updated."))
            return redirect("coordination:action_item_detail", public_id=item.public_id)
    if item.status not in OPEN_STATUSES:
        messages.error(request, _("This action item is closed; it can no longer be changed."))
        return redirect("coordination:action_item_detail", public_id=item.public_id)
    return render(
        request, "coordination/action_item_detail.html", _item_context(request, item, form), status=400
    )
