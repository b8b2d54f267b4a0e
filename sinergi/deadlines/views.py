from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.audit.services import audit_record
from sinergi.cases.choices import CaseStatus
from sinergi.cases.selectors import cases_visible_to
from sinergi.core.permissions import get_visible_or_404, require_permission

from .board import board
from .forms import ClockPolicyForm, ExtendForm
from .models import Deadline
from .policy import default_duration, durations_for_unit
from .selectors import deadline_state, no_contact_days
from .services import (
    clock_policy_reset,
    clock_policy_set,
    deadline_extend,
    unit_work_settings_set,
)


@require_permission("deadline.board")
def board_view(request):
    unit = request.user.organisation
    if unit is None:
        raise PermissionDenied
    context = board(unit)
    audit_record(
        actor=request.user, action="deadline.board", object_type="organisation", object_id=unit.public_id
    )
    return render(request, "deadlines/board.html", {"unit": unit, **context})


@require_permission("deadline.policy")
@require_http_methods(["GET", "POST"])
def policy_view(request):
    unit = request.user.organisation
    if unit is None:
        raise PermissionDenied
    current = durations_for_unit(unit)
    days = no_contact_days(unit)
    form = ClockPolicyForm(request.POST or None, current=current, no_contact_days=days)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for (kind, risk), (amount, time_unit, warning) in form.durations().items():
                default = default_duration(kind, risk)
                if (amount, time_unit, warning) == (
                    default.amount,
                    default.time_unit,
                    default.warning_minutes,
                ):
                    clock_policy_reset(actor=request.user, unit=unit, kind=kind, risk=risk)
                else:
                    clock_policy_set(
                        actor=request.user,
                        unit=unit,
                        kind=kind,
                        risk=risk,
                        amount=amount,
                        time_unit=time_unit,
                        warning_minutes=warning,
                    )
            if form.cleaned_data["no_contact_days"] != days:
                unit_work_settings_set(
                    actor=request.user, unit=unit, no_contact_days=form.cleaned_data["no_contact_days"]
                )
        messages.success(request, _("Deadline settings saved. They apply to deadlines started from now on."))
        return redirect("deadlines:policy")
    return render(request, "deadlines/policy.html", {"form": form, "unit": unit})


def _deadlines_editable_by(user):
    """Clocks of cases the user may see and edit (a closed case is read-only)."""
    return (
        Deadline.objects.filter(case__in=cases_visible_to(user))
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case", "responsible")
    )


def _real_deadline_case(public_id):
    deadline = Deadline.objects.filter(public_id=public_id).select_related("case").first()
    return deadline.case if deadline else None


@require_permission("case.edit", object_type="deadline", denied_case=_real_deadline_case)
@require_http_methods(["GET", "POST"])
def extend_view(request, public_id):
    deadline = get_visible_or_404(
        request,
        _deadlines_editable_by(request.user),
        object_type="deadline",
        public_id=public_id,
        denied_case=_real_deadline_case,
    )
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deadline_extend(
                actor=request.user,
                deadline=deadline,
                due_at=form.cleaned_data["due_at"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("The deadline was extended."))
            return redirect("cases:detail", deadline.case.public_id)
    context = {"deadline": deadline, "form": form, "state": deadline_state(deadline), "case": deadline.case}
    return render(request, "deadlines/extend.html", context)
