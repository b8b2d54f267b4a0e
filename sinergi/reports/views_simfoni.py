"""The data officer marks victims of their SIMFONI export as entered into SIMFONI-PPA.

One page per export (a pseudonymous SIMFONI job the officer asked for): the victims of the own
unit in it, by victim code, each with where it stands (new, changed since entry, entered), a
checkbox and a SIMFONI number; one date for the batch. "Mark every new or changed victim" marks
the whole export at once. The rule and its audit are in sinergi.reports.simfoni_entries.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.core.errors import Refusal
from sinergi.core.forms import DateField, add_service_errors

from . import jobs
from .models import JobKind, JobStatus
from .policies import may_record_simfoni_entries
from .simfoni_columns import EntryState
from .simfoni_entries import NUMBER_MAX, export_rows, row_state, simfoni_entries_record

PAGE_SIZE = 200
STATE_LABELS = dict(EntryState.CHOICES)


class EntryForm(forms.Form):
    """The victims of one page of the export, with a number each, and the date of the batch."""

    entered_on = DateField(
        label=gettext_lazy("Entered into SIMFONI on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    victims = forms.MultipleChoiceField(
        label=gettext_lazy("Victims"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, rows=(), **kwargs):
        kwargs.setdefault("initial", {"entered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.fields["victims"].choices = [(r.victim.public_id, r.victim_code) for r in self.rows]
        for row in self.rows:
            self.fields[self.number_field(row)] = forms.CharField(
                label=_("SIMFONI number of %(code)s") % {"code": row.victim_code},
                max_length=NUMBER_MAX,
                required=False,
            )

    @staticmethod
    def number_field(row):
        return f"number_{row.victim.public_id}"

    def numbers(self):
        return {
            row.victim.public_id: self.cleaned_data.get(self.number_field(row), "")
            for row in self.rows
            if self.cleaned_data.get(self.number_field(row))
        }


def _job(request, public_id):
    own_exports = jobs.jobs_visible_to(request.user).filter(kind=JobKind.SIMFONI, requested_by=request.user)
    return get_visible_or_404(request, own_exports, object_type="report_job", public_id=public_id)


@require_permission("simfoni.entry")
@require_http_methods(["GET", "POST"])
def simfoni_entries(request, public_id):
    job = _job(request, public_id)
    if not may_record_simfoni_entries(request.user, job):
        raise PermissionDenied
    page = Paginator(export_rows(job, request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    form = EntryForm(request.POST or None, rows=page.object_list)
    if request.method == "POST" and form.is_valid():
        pending = request.POST.get("action") == "pending"
        try:
            count = simfoni_entries_record(
                actor=request.user,
                job=job,
                victim_ids=form.cleaned_data["victims"],
                numbers=form.numbers(),
                entered_on=form.cleaned_data["entered_on"],
                pending=pending,
            )
        except Refusal as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(
                request, _("%(count)s victims marked as entered into SIMFONI.") % {"count": count}
            )
            return redirect(f"{request.path}?page={page.number}")
    boxes = list(form["victims"])
    rows = [
        {
            "row": row,
            "box": box,
            "state": row_state(row),
            "label": STATE_LABELS[row_state(row)],
            "entry": getattr(row.victim, "simfoni_entry", None),
            "number": form[form.number_field(row)],
        }
        for row, box in zip(page.object_list, boxes, strict=True)
    ]
    return render(
        request,
        "reports/export/entries.html",
        {"job": job, "form": form, "page": page, "rows": rows, "finished": job.status == JobStatus.DONE},
    )
