from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import DateField

from .choices import Outcome


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    case = forms.CharField(label=_("Case id"), required=False, max_length=64)
    action = forms.CharField(label=_("Action"), required=False, max_length=60)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any"))] + Outcome.choices
    )
    date_from = DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def apply(self, queryset):
        data = self.cleaned_data
        if data.get("user"):
            queryset = queryset.filter(actor_username__iexact=data["user"].strip())
        if data.get("case"):
            queryset = queryset.filter(case_id=data["case"].strip())
        if data.get("action"):
            queryset = queryset.filter(action__startswith=data["action"].strip())
        if data.get("outcome"):
            queryset = queryset.filter(outcome=data["outcome"])
        if data.get("date_from"):
            queryset = queryset.filter(occurred_at__date__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(occurred_at__date__lte=data["date_to"])
        return queryset

    def used_filters(self):
        """Filter names (not values) for the audit record of the search itself."""
        return sorted(k for k, v in self.cleaned_data.items() if v)
