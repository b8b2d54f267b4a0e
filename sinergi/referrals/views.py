from django.core.paginator import Paginator
from django.shortcuts import render

from sinergi.audit.services import audit_record
from sinergi.core.permissions import get_visible_or_404, require_permission

from .choices import OPEN_STATUSES, SharedSection
from .models import Referral
from .selectors import referrals_visible_to

PAGE_SIZE = 25


@require_permission("referral.inbox")
def inbox(request):
    referrals = (
        referrals_visible_to(request.user).select_related("case", "case__unit").order_by("-sent_at", "-id")
    )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # evaluate before this request writes its own event
    audit_record(
        actor=request.user, action="referral.list", object_type="referral", details={"page": page.number}
    )
    return render(request, "referrals/inbox.html", {"page": page, "open_statuses": OPEN_STATUSES})


def _case_of_referral(public_id):
    # Only to tie a refused attempt to the case's own audit trail; never shown to the requester.
    referral = Referral.objects.filter(public_id=public_id).select_related("case").first()
    return referral.case if referral else None


@require_permission("referral.inbox", object_type="referral", denied_case=_case_of_referral)
def referral_detail(request, public_id):
    referral = get_visible_or_404(
        request,
        referrals_visible_to(request.user).select_related("case", "case__unit"),
        object_type="referral",
        public_id=public_id,
        denied_case=_case_of_referral,
    )
    audit_record(
        actor=request.user,
        action="referral.view",
        object_type="referral",
        object_id=referral.public_id,
        case=referral.case,
        details={"shared": sorted(referral.shared_sections)},
    )
    shared = [SharedSection(code) for code in referral.shared_sections if code in SharedSection.values]
    return render(request, "referrals/detail.html", {"referral": referral, "shared": shared})
