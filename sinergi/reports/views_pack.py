"""The meeting pack (PDF): a coordination meeting with the reports' figures of its period."""

from django.http import HttpResponse
from django.utils import timezone

from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.audit.services import audit_record
from sinergi.coordination.selectors import meetings_visible_to

from .pack import render_pack_pdf


@require_permission("meeting.view", object_type="meeting")
def meeting_pack(request, public_id):
    meeting = get_visible_or_404(
        request,
        meetings_visible_to(request.user).select_related("unit"),
        object_type="meeting",
        public_id=public_id,
    )
    pdf = render_pack_pdf(request.user, meeting)
    audit_record(
        actor=request.user,
        action="meeting.pack_download",
        object_type="meeting",
        object_id=meeting.public_id,
        details={"bytes": len(pdf)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    # The file name carries the date only: the title is free text.
    day = timezone.localtime(meeting.starts_at).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="paket-rapat-{day}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
