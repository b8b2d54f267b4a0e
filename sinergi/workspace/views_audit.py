"""The audit trail viewer: the events a user may read, filtered and paged (every search audited)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from sinergi.accounts.guards import require_permission
from sinergi.accounts.selectors import name_people
from sinergi.audit.forms import AuditFilterForm
from sinergi.audit.services import audit_record
from sinergi.cases.workflow_selectors import event_labels

from .selectors import audit_events_visible_to

PAGE_SIZE = 50


@require_permission("audit.view")
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    events = audit_events_visible_to(request.user)
    if form.is_bound and form.is_valid():
        events = form.apply(events)
        filters = form.used_filters()
    else:
        filters = []
    page = Paginator(events.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    # Evaluated before this request writes its own event; people by name, events in words.
    page.object_list = name_people(page.object_list)
    labels = event_labels()
    for event in page.object_list:
        event.label = labels.get(event.action, event.action)
    audit_record(
        actor=request.user,
        action="audit.search",
        object_type="audit",
        details={"filters": filters, "page": page.number},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
