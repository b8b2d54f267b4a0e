from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.choices import RiskLevel

from .choices import RISK_DEPENDENT_KINDS, ClockKind, TimeUnit
from .policy import default_duration, policy_rows

#: Longest duration a unit may set, per unit of time (a typo guard, not a rule of law).
MAX_AMOUNT = {TimeUnit.HOURS: 24 * 90, TimeUnit.DAYS: 365, TimeUnit.WORKING_DAYS: 260, TimeUnit.MONTHS: 24}
#: Hours in one unit of time, to compare the warning window with the duration (months ≈ 30 days).
HOURS_PER = {TimeUnit.HOURS: 1, TimeUnit.DAYS: 24, TimeUnit.WORKING_DAYS: 24, TimeUnit.MONTHS: 24 * 30}
#: Limits set by law or by DOMAIN.md §7 that a unit may shorten but not lengthen, in hours; and the
#: units of time allowed for them (working days would stretch "3×24 hours" over a weekend).
LEGAL_MAX_HOURS = {
    ClockKind.TPKS_POLICE_REPORT: (
        72,
        _("UU TPKS Ps 41: the report to the police is due within 3×24 hours."),
    ),
    ClockKind.SHELTER_STAY: (
        7 * 24,
        _("A shelter stay lasts at most 7 days; a longer stay is an extension with a reason."),
    ),
}
HOURS_OR_DAYS = {TimeUnit.HOURS, TimeUnit.DAYS}


def row_key(kind, risk):
    return f"{kind}__{risk or 'semua'}"


def risk_label(kind, risk):
    if risk:
        return RiskLevel(risk).label
    return _("risk not recorded") if kind in RISK_DEPENDENT_KINDS else _("every case")


class ClockPolicyForm(forms.Form):
    """Every clock's duration and warning window for one unit, plus the board's no-contact days."""

    no_contact_days = forms.IntegerField(
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
            self.fields[f"{key}__amount"] = forms.IntegerField(
                label=_("Duration of %(clock)s") % {"clock": what}, min_value=1
            )
            self.fields[f"{key}__unit"] = forms.ChoiceField(
                label=_("Unit of time of %(clock)s") % {"clock": what}, choices=TimeUnit.choices
            )
            self.fields[f"{key}__warning"] = forms.DecimalField(
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
        data = super().clean()
        for kind, risk in policy_rows():
            key = row_key(kind, risk)
            amount, unit, warning = (data.get(f"{key}__{f}") for f in ("amount", "unit", "warning"))
            if amount is None or not unit:
                continue
            if amount > MAX_AMOUNT[unit]:
                self.add_error(
                    f"{key}__amount",
                    _("At most %(n)d %(unit)s.") % {"n": MAX_AMOUNT[unit], "unit": TimeUnit(unit).label},
                )
                continue
            if kind in LEGAL_MAX_HOURS:
                limit, why = LEGAL_MAX_HOURS[kind]
                if unit not in HOURS_OR_DAYS:
                    self.add_error(f"{key}__unit", _("Count this clock in hours or days.") + " " + str(why))
                    continue
                if amount * HOURS_PER[unit] > limit:
                    self.add_error(f"{key}__amount", why)
                    continue
            if warning is not None and warning >= amount * HOURS_PER[unit]:
                self.add_error(
                    f"{key}__warning", _("The warning must start before the deadline's whole duration.")
                )
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
    due_at = forms.DateTimeField(
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
