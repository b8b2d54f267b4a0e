from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MIN_REASON_LENGTH


class BreakGlassForm(forms.Form):
    reference = forms.CharField(
        label=_("Registration number or case code"),
        max_length=40,
        help_text=_("The case must belong to a unit below yours."),
    )
    reason = forms.CharField(
        label=_("Reason for emergency access"),
        min_length=MIN_REASON_LENGTH,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Written to the audit trail and shown to the head of the case's unit."),
    )
