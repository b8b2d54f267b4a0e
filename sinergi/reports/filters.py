"""The period and unit filter shared by the dashboard, its CSV downloads and the meeting report."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import DateField

from .aggregates import Period, Scope, stats_units
from .protected import sees_detail, whole_months


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatsFilterForm(forms.Form):
    start = DateField(label=_("Reported from"), required=False, widget=_date_input())
    end = DateField(label=_("Reported until"), required=False, widget=_date_input())
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        choices = [("", _("All units I may see"))] if len(units) > 1 else []
        self.fields["unit"].choices = choices + [(u.public_id, str(u)) for u in units]
        if len(units) <= 1:
            self.fields["unit"].required = False

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period cannot be before its start."))
        return data

    def chosen_units(self):
        code = self.cleaned_data.get("unit") if self.is_bound and self.is_valid() else ""
        if code:
            return [u for u in self.units if u.public_id == code]
        return list(self.units)

    def period(self):
        if self.is_bound and self.is_valid():
            return Period(self.cleaned_data.get("start"), self.cleaned_data.get("end"))
        return Period()

    def used_filters(self):
        if not (self.is_bound and self.is_valid()):
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v}


def filter_for(request, data=None):
    """(form, scope) for the request's user; an invalid filter falls back to everything in scope."""
    units = stats_units(request.user)
    data = request.GET if data is None else data
    form = StatsFilterForm(
        {k: v for k, v in data.items() if k in {"start", "end", "unit"}} or None, units=units
    )
    if form.is_bound:
        form.is_valid()
    units, period = form.chosen_units(), form.period()
    # Aggregate-only readers (sinergi.reports.protected) get whole closed months and protected cells.
    form.aggregate_only = not sees_detail(request.user, units)
    form.snapped = False
    if form.aggregate_only:
        period, form.snapped = whole_months(period)
    return form, Scope.of(units, period)


def this_year():
    today = timezone.localdate()
    return Period(dt.date(today.year, 1, 1), today)
