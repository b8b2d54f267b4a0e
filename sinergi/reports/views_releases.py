"""The data officer's page of statistics releases: what is published, and publishing the next one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.guards import require_permission
from sinergi.core.forms import confirmed

from .releases import (
    can_publish,
    cut_off_for,
    last_closed_year,
    latest_release,
    publish_release,
    recent_releases,
)

RELEASES_SHOWN = 24


def _page(request, *, error=""):
    latest = latest_release()
    cut_off = cut_off_for(timezone.localdate())
    context = {
        "releases": recent_releases(RELEASES_SHOWN),
        "latest": latest,
        "next_cut_off": cut_off,
        "next_closed_year": last_closed_year(cut_off),
        "can_publish": can_publish(request.user),
        "already_published": latest is not None and latest.cut_off >= cut_off,
        "error": error,
    }
    return render(request, "reports/releases.html", context, status=400 if error else 200)


@require_permission("stats.publish")
def releases(request):
    return _page(request)


@require_POST
@require_permission("stats.publish")
def release_publish(request):
    if not confirmed(request):
        return _page(request, error=_("Nothing was published: confirm it with “Yes, publish”."))
    try:
        release = publish_release(actor=request.user)
    except ValidationError as exc:
        return _page(request, error=" ".join(exc.messages))
    messages.success(request, _("Release %(number)s is published.") % {"number": release.number})
    return redirect("reports:releases")
