"""The project's URLs plus two views that fail, for the error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.urls import include, path


@login_not_required
def crash(request):
    raise RuntimeError("boom: secret internals")


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("tampered input")


urlpatterns = [path("uji/rusak/", crash), path("uji/curiga/", suspicious), path("", include("sinergi.urls"))]
