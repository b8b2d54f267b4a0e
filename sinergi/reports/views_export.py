"""Asking for a SIMFONI-PPA export (pseudonymous) or, for a kepala, an export with names.

Both start a background job and send the user to its progress page; the file is downloaded there
(audited). The identifying export asks for the password again (@reauth_required) and for a
written reason, which is stored encrypted with the job and shown to the kepala; the audit event
records that names were exported, by whom, for which period.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.access import has_permission
from sinergi.accounts.guards import require_permission
from sinergi.accounts.security import reauth_required
from sinergi.core.forms import DateField

from . import jobs
from .models import JobKind, JobStatus

MIN_REASON_LENGTH = 20
MAX_PERIOD_DAYS = 366 * 10
RECENT_EXPORTS = 5


class ExportForm(forms.Form):
    # A date input takes ISO dates whatever the language; the server accepts the same.
    date_from = DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    format = forms.ChoiceField(
        label=_("File format"),
        choices=[("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV (.csv)"))],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    selection = forms.ChoiceField(
        label=_("Victims"),
        choices=[
            ("all", _("All victims of the period")),
            ("new", _("New: never entered into SIMFONI")),
            ("changed", _("Changed since they were entered into SIMFONI")),
        ],
        initial="all",
        required=False,  # an older bookmark or API client posts without it: all victims
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault(
            "initial",
            {
                "date_from": today.replace(month=1, day=1),
                "date_to": today,
                "format": "xlsx",
                "selection": "all",
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", _("The end of the period is before its start."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("date_to", _("Choose a period of at most ten years."))
        return data

    def params(self):
        data = self.cleaned_data
        return {
            "date_from": data["date_from"].isoformat(),
            "date_to": data["date_to"].isoformat(),
            "format": data["format"],
            "selection": data["selection"] or "all",
        }


class IdentifyingExportForm(ExportForm):
    reason = forms.CharField(
        label=_("Why do you need the names?"),
        help_text=_(
            "At least 20 characters. The reason is kept with the export and recorded in the audit trail."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < MIN_REASON_LENGTH:
            raise ValidationError(_("Write the reason in at least 20 characters."), code="too_short")
        return reason


def _start(request, form, kind, reason=""):
    job = jobs.job_start(actor=request.user, kind=kind, params=form.params(), reason=reason)
    return redirect("reports:job", public_id=job.public_id)


@require_permission("export.pseudonymous")
@require_http_methods(["GET", "POST"])
def export_simfoni(request):
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _start(request, form, JobKind.SIMFONI)
    recent = jobs.jobs_visible_to(request.user).filter(
        kind=JobKind.SIMFONI, requested_by=request.user, status=JobStatus.DONE
    )[:RECENT_EXPORTS]
    return render(
        request,
        "reports/export/form.html",
        {
            "form": form,
            "identifying": False,
            "recent": recent,
            "may_record_entries": has_permission(request.user, "simfoni.entry"),
        },
    )


@require_permission("export.identifying")
@reauth_required
@require_http_methods(["GET", "POST"])
def export_identifying(request):
    form = IdentifyingExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _start(request, form, JobKind.IDENTIFYING, reason=form.cleaned_data["reason"])
    return render(request, "reports/export/form.html", {"form": form, "identifying": True})


def default_period(today=None):
    today = today or timezone.localdate()
    return dt.date(today.year, 1, 1), today
