from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.choices import RiskLevel
from sinergi.core.forms import DateTimeField, DecimalField, IntegerField

from .choices import RISK_DEPENDENT_KINDS, ClockKind, TimeUnit
from .policy import default_duration, policy_rows
from .services import duration_problems

#: The service's names of a duration's parts → this form's field suffixes.
FORM_FIELD = {"amount": "amount", "time_unit": "unit", "warning_minutes": "warning"}


def row_key(kind, risk):
    return f"{kind}__{risk or 'semua'}"


def risk_label(kind, risk):
    if risk:
        return RiskLevel(risk).label
    return _("risk not recorded") if kind in RISK_DEPENDENT_KINDS else _("every case")


class ClockPolicyForm(forms.Form):
    """Every clock's duration and warning window for one unit, plus the board's no-contact days."""

    no_contact_days = IntegerField(
        label=_("Flag high-risk cases without contact after (days)"), min_value=1, max_value=365
    )

    def __init__(self, *args, current, no_contact_days, **kwargs):
        """`current`: {(kind, risk): Duration} in force for the unit."""
        initial = {"no_contact_days": no_contact_days}
        self.rows = []
        for kind, risk in policy_rows():
            key = row_key(kind, risk)
            duration = current[(kind, risk)]
            initial[f"{key}__amount"] = duration.amount
            initial[f"{key}__unit"] = duration.time_unit
            initial[f"{key}__warning"] = Decimal(duration.warning_minutes) / 60
        super().__init__(*args, initial=initial, **kwargs)
        for kind, risk in policy_rows():
            key = row_key(kind, risk)
            what = f"{ClockKind(kind).label} ({risk_label(kind, risk)})"
            self.fields[f"{key}__amount"] = IntegerField(
                label=_("Duration of %(clock)s") % {"clock": what}, min_value=1
            )
            self.fields[f"{key}__unit"] = forms.ChoiceField(
                label=_("Unit of time of %(clock)s") % {"clock": what}, choices=TimeUnit.choices
            )
            self.fields[f"{key}__warning"] = DecimalField(
                label=_("Warn before (hours) for %(clock)s") % {"clock": what},
                min_value=0,
                max_digits=7,
                decimal_places=2,
            )
            default = default_duration(kind, risk)
            self.rows.append(
                {
                    "kind": kind,
                    "risk": risk,
                    "label": ClockKind(kind).label,
                    "risk_label": risk_label(kind, risk),
                    "amount": self[f"{key}__amount"],
                    "unit": self[f"{key}__unit"],
                    "warning": self[f"{key}__warning"],
                    "default": default,
                    "default_unit": TimeUnit(default.time_unit).label,
                    "default_warning_hours": Decimal(default.warning_minutes) / 60,
                }
            )

    def clean(self):
        # The limits are the service's (deadlines.services.duration_problems); shown per field here.
        data = super().clean()
        for kind, risk in policy_rows():
            key = row_key(kind, risk)
            amount, unit, warning = (data.get(f"{key}__{f}") for f in ("amount", "unit", "warning"))
            if amount is None or not unit:
                continue
            warning_minutes = None if warning is None else int(round(warning * 60))
            problems = duration_problems(kind, amount=amount, time_unit=unit, warning_minutes=warning_minutes)
            for field, message in problems.items():
                self.add_error(f"{key}__{FORM_FIELD[field]}", message)
        return data

    def durations(self):
        """{(kind, risk): (amount, time_unit, warning_minutes)} as entered."""
        result = {}
        for kind, risk in policy_rows():
            key = row_key(kind, risk)
            warning = self.cleaned_data[f"{key}__warning"]
            result[(kind, risk)] = (
                self.cleaned_data[f"{key}__amount"],
                self.cleaned_data[f"{key}__unit"],
                int(round(warning * 60)),
            )
        return result


class ExtendForm(forms.Form):
    due_at = DateTimeField(
        label=_("New due date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = forms.CharField(
        label=_("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Kept with the deadline and visible to the case team. Avoid names; write the situation."),
    )
