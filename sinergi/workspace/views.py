"""Pages that combine contexts: my work (the home page), the unit board, extending a case's clock."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.audit.services import audit_record
from sinergi.core.forms import add_service_errors
from sinergi.deadlines.forms import ExtendForm
from sinergi.deadlines.selectors import deadline_state
from sinergi.deadlines.services import deadline_extend
from sinergi.portal.views_public import help_page

from .board import board
from .homes import role_home
from .mywork import my_work
from .selectors import deadline_case, deadlines_editable_by


@login_not_required
def home(request):
    """The front door. Anyone not logged in gets the public help page (help, report, check a
    report, hotlines, quick exit; staff sign in from a small link): a survivor given the city's
    address must not meet a locked door. Staff get my work ("Pekerjaan saya"): their deadlines,
    approvals and new assignments."""
    if not request.user.is_authenticated:
        return help_page(request)
    work = my_work(request.user)
    home = role_home(
        request.user, work["now"], approvals=work.get("approvals", ()), action_items=work["action_items"]
    )
    if home.get("my_cases"):
        # The case worker's home shows victims' initials and ages: a read of victim data.
        audit_record(
            actor=request.user,
            action="case.list",
            object_type="case",
            details={"page": "home", "cases": [c.public_id for c in home["my_cases"]]},
        )
    context = {"organisation": request.user.organisation, **work, **home}
    return render(request, "core/home.html", context)


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


def _deadlines_editable_by(user):
    """Clocks of cases the user may see and edit (a closed case is read-only)."""
    return deadlines_editable_by(user)


def _real_deadline_case(public_id):
    return deadline_case(public_id)


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
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The deadline was extended."))
            return redirect("cases:detail", deadline.case.public_id)
    context = {"deadline": deadline, "form": form, "state": deadline_state(deadline), "case": deadline.case}
    return render(request, "deadlines/extend.html", context)
