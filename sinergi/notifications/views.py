from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sinergi.core.pagination import keyset_page

PAGE_SIZE = 100


def notification_list(request):
    """The user's notifications, newest first, a page at a time: the total is shown, none is cut."""
    mine = request.user.notifications.all()
    page = keyset_page(mine, field="created_at", query=request.GET, param="after", size=PAGE_SIZE)
    return render(request, "notifications/list.html", {"notifications": page.rows, "page": page})


@require_POST
def notification_mark_all_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:list")
