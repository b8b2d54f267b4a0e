from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST


def notification_list(request):
    notifications = request.user.notifications.all()[:100]
    return render(request, "notifications/list.html", {"notifications": notifications})


@require_POST
def notification_mark_all_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:list")
