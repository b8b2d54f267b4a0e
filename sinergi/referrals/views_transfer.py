"""Transfers between units (pelimpahan/...): asked by the sending kepala, decided by the receiving one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.audit.services import audit_record
from sinergi.cases.policies import case_for, deny_case
from sinergi.cases.selectors import case_by_public_id
from sinergi.core.forms import add_service_errors

from . import transfers
from .choices import TransferStatus
from .forms import TransferDecisionForm, TransferRequestForm
from .selectors import transfer_case


def _case_of_transfer(public_id):
    return transfer_case(public_id)


@require_permission("case.transfer")
def transfer_list(request):
    rows = transfers.transfers_visible_to(request.user).select_related("case", "from_unit", "to_unit")
    unit = request.user.organisation_id
    incoming = [t for t in rows if t.to_unit_id == unit]
    outgoing = [t for t in rows if t.from_unit_id == unit]
    audit_record(
        actor=request.user, action="transfer.list", object_type="transfer", details={"count": len(rows)}
    )
    return render(
        request,
        "referrals/transfer_list.html",
        {"incoming": incoming, "outgoing": outgoing, "T": TransferStatus},
    )


@require_permission("case.transfer", object_type="case", denied_case=case_by_public_id)
@require_http_methods(["GET", "POST"])
def transfer_request_view(request, public_id):
    case, _access = case_for(request, public_id)
    if case.unit_id != request.user.organisation_id:
        deny_case(request, public_id, case)  # a case seen through break-glass is not the unit's to give
    form = TransferRequestForm(request.POST or None, units=list(transfers.transfer_targets(case.unit)))
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfers.transfer_request(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The transfer was requested; the receiving unit decides."))
            return redirect("referrals:transfer_detail", public_id=transfer.public_id)
    return render(request, "referrals/transfer_form.html", {"case": case, "form": form})


def _visible_transfer(request, public_id):
    return get_visible_or_404(
        request,
        transfers.transfers_visible_to(request.user).select_related(
            "case", "from_unit", "to_unit", "requested_by", "decided_by"
        ),
        object_type="transfer",
        public_id=public_id,
        denied_case=_case_of_transfer,
    )


def _detail_page(request, transfer, form=None, error=None):
    audit_record(
        actor=request.user,
        action="transfer.view",
        object_type="transfer",
        object_id=transfer.public_id,
        details={"case": transfer.case.pseudonym},
    )
    unit = request.user.organisation_id
    context = {
        "transfer": transfer,
        "form": form or TransferDecisionForm(),
        "error": error,
        "may_decide": transfer.status == TransferStatus.REQUESTED and transfer.to_unit_id == unit,
        "may_cancel": transfer.status == TransferStatus.REQUESTED and transfer.from_unit_id == unit,
        "owns_case": transfer.case.unit_id == unit,
    }
    return render(request, "referrals/transfer_detail.html", context)


@require_permission("case.transfer", object_type="transfer", denied_case=_case_of_transfer)
def transfer_detail(request, public_id):
    return _detail_page(request, _visible_transfer(request, public_id))


def _decide(request, public_id, move, success):
    transfer = _visible_transfer(request, public_id)
    form = TransferDecisionForm(request.POST)
    form.is_valid()
    try:
        move(transfer, form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _detail_page(request, transfer, form=form)
    except PermissionDenied:
        # Both heads see the transfer; only the receiving one decides, only the sending one withdraws.
        return _detail_page(request, transfer, form=form, error=_("This decision belongs to the other unit."))
    messages.success(request, success)
    return redirect("referrals:transfer_detail", public_id=public_id)


@require_POST
@require_permission("case.transfer", object_type="transfer", denied_case=_case_of_transfer)
def transfer_accept_view(request, public_id):
    return _decide(
        request,
        public_id,
        lambda t, note: transfers.transfer_accept(actor=request.user, transfer=t, note=note),
        _("The case now belongs to your unit. Assign its team."),
    )


@require_POST
@require_permission("case.transfer", object_type="transfer", denied_case=_case_of_transfer)
def transfer_reject_view(request, public_id):
    return _decide(
        request,
        public_id,
        lambda t, note: transfers.transfer_reject(actor=request.user, transfer=t, note=note),
        _("The transfer was rejected."),
    )


@require_POST
@require_permission("case.transfer", object_type="transfer", denied_case=_case_of_transfer)
def transfer_cancel_view(request, public_id):
    return _decide(
        request,
        public_id,
        lambda t, _note: transfers.transfer_cancel(actor=request.user, transfer=t),
        _("The transfer was withdrawn."),
    )
