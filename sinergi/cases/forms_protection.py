"""Forms of protection measures, breaches and safety plans (services: sinergi.cases.workflow.protection)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import DateField, DateTimeField, ModelChoiceField

from .protection_choices import ProtectionKind, ProtectionStatus


def _blank(choices):
    return [("", "—"), *choices]


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class ProtectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Protection"), choices=_blank(ProtectionKind.choices))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=_blank([c for c in ProtectionStatus.choices if c[0] != ProtectionStatus.BERAKHIR]),
    )
    requested_at = DateTimeField(label=_("Asked on"), widget=_datetime())
    issuer_name = forms.CharField(
        label=_("Asked of / given by"),
        max_length=200,
        required=False,
        help_text=_("The police station, LPSK or the court."),
    )
    reference = forms.CharField(label=_("Reference number"), max_length=80, required=False)
    decided_on = DateField(label=_("Decided on"), widget=_date(), required=False)
    given_on = DateField(label=_("Given on"), widget=_date(), required=False)
    until = DateField(
        label=_("Until"),
        widget=_date(),
        required=False,
        help_text=_("The last day it runs. Police temporary protection (TPKS): at most 14 days."),
    )
    conditions = forms.CharField(
        label=_("Term and restraining conditions"), max_length=4000, required=False, widget=_text()
    )


class ProtectionEndForm(forms.Form):
    ended_on = DateField(label=_("Ended on"), widget=_date())
    note = forms.CharField(label=_("How it ended"), max_length=2000, required=False, widget=_text(2))


class BreachForm(forms.Form):
    measure = ModelChoiceField(label=_("Protection breached"), queryset=None, required=False)
    occurred_at = DateTimeField(label=_("When it happened"), widget=_datetime())
    description = forms.CharField(label=_("What happened"), max_length=4000, widget=_text())
    reported_to_police = forms.BooleanField(label=_("Reported to the police"), required=False)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: m.get_kind_display()


class SafetyPlanForm(forms.Form):
    risks = forms.CharField(label=_("Risks"), max_length=4000, widget=_text(), required=False)
    warning_signs = forms.CharField(label=_("Warning signs"), max_length=4000, widget=_text(), required=False)
    safe_contacts = forms.CharField(
        label=_("Safe people to call"), max_length=2000, widget=_text(), required=False
    )
    safe_places = forms.CharField(
        label=_("Safe places"),
        max_length=2000,
        widget=_text(),
        required=False,
        help_text=_("Never write the shelter's address here: the survivor's copy must be safe if found."),
    )
    code_word = forms.CharField(label=_("Code word"), max_length=200, required=False)
    take_when_leaving = forms.CharField(
        label=_("What to take when leaving"), max_length=2000, widget=_text(), required=False
    )
    made_with_victim = forms.BooleanField(
        label=_("Made together with the survivor"), required=False, initial=True
    )
    review_on = DateField(label=_("Review on"), widget=_date(), required=False)


class SafetyActionForm(forms.Form):
    what = forms.CharField(label=_("Action"), max_length=1000, required=False)
    who = forms.CharField(label=_("Who"), max_length=200, required=False)
    when = forms.CharField(label=_("When"), max_length=200, required=False)


SafetyActionFormSet = forms.formset_factory(SafetyActionForm, extra=0, max_num=30, absolute_max=30)
