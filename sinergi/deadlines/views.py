from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.guards import require_permission

from .forms import ClockPolicyForm
from .policy import default_duration, durations_for_unit
from .selectors import no_contact_days
from .services import clock_policy_reset, clock_policy_set, unit_clock_settings_lock, unit_work_settings_set


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
            unit_clock_settings_lock(unit)  # every lock before the first audit event
            if form.cleaned_data["no_contact_days"] != days:
                unit_work_settings_set(
                    actor=request.user, unit=unit, no_contact_days=form.cleaned_data["no_contact_days"]
                )
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
        messages.success(request, _("Deadline settings saved. They apply to deadlines started from now on."))
        return redirect("deadlines:policy")
    return render(request, "deadlines/policy.html", {"form": form, "unit": unit})
