"""Forms of the public pages and of the intake queue. Presence and shape only: the services decide."""

import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.cases.choices import CaseType, RiskLevel
from sinergi.core import files as documents
from sinergi.core.forms import DateField
from sinergi.regions.models import Region

from .choices import AgeGroup, ContactMethod, HarmType, ReporterRelation, WhenHappened
from .models import PortalSettings
from .services import MESSAGE_MAX, NARRATIVE_MAX, SHORT_TEXT_MAX, logo_file_problem

OUTSIDE = "luar"
YES, NO = "ya", "tidak"


def place_choices():
    """Kecamatan of the home city, each followed by its kelurahan, plus "outside the city"."""
    home = settings.SINERGI_HOME_REGION
    regions = list(
        Region.objects.filter(code__startswith=home + ".", level__in=(3, 4)).only(
            "code", "name", "level", "parent_id"
        )
    )
    kecamatan = sorted((r for r in regions if r.level == 3), key=lambda r: r.name)
    by_parent = {}
    for r in regions:
        if r.level == 4:
            by_parent.setdefault(r.parent_id, []).append(r)
    choices = [("", _("— choose, or leave empty if you don't know —"))]
    for k in kecamatan:
        group = [(k.code, _("Kecamatan %(name)s (kelurahan not known)") % {"name": k.name})]
        group += [(v.code, v.name) for v in sorted(by_parent.get(k.code, []), key=lambda v: v.name)]
        choices.append((_("Kecamatan %(name)s") % {"name": k.name}, group))
    choices.append((OUTSIDE, _("Outside the city")))
    return choices


class ReportFieldsMixin(forms.Form):
    reporter_relation = forms.ChoiceField(
        label=_("Who are you reporting for?"),
        choices=ReporterRelation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether it happened to you or to someone else.")},
    )
    narrative = forms.CharField(
        label=_("What happened?"),
        help_text=_("In your own words. You do not need to write names."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=NARRATIVE_MAX,
        error_messages={
            "required": _("Tell us briefly what happened."),
            "max_length": _("Please keep it under %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    harm_types = forms.MultipleChoiceField(
        label=_("What kind of harm? (tick any that fit)"),
        choices=HarmType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    place = forms.ChoiceField(label=_("Where did it happen?"), required=False, choices=())
    when_happened = forms.ChoiceField(
        label=_("When did it happen?"),
        choices=WhenHappened.choices,
        required=False,
        initial=WhenHappened.UNKNOWN,
    )
    incident_date = DateField(
        label=_("Date, if you know it"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 17/08/2026, or leave it empty.")},
    )
    victim_age_group = forms.ChoiceField(
        label=_("How old is the person it happened to?"),
        choices=AgeGroup.choices,
        required=False,
        initial=AgeGroup.UNKNOWN,
    )
    danger_now = forms.ChoiceField(
        label=_("Is someone in danger right now?"),
        choices=[(YES, _("Yes, someone is in danger now")), (NO, _("No, not right now"))],
        widget=forms.RadioSelect,
        required=False,
        initial=NO,
    )
    contact_method = forms.ChoiceField(
        label=_("May we contact you? How?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        required=False,
        initial=ContactMethod.NONE,
    )
    contact_detail = forms.CharField(
        label=_("Phone number or e-mail address"),
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_safe_time = forms.CharField(
        label=_("When is it safe to contact you?"),
        help_text=_("For example: weekdays 09:00–12:00; do not leave a voicemail."),
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, offline=False, **kwargs):
        super().__init__(*args, **kwargs)
        if offline:
            # The database is unreachable and the form is only shown back: keep her answer.
            place = self.data.get("place", "")
            self.fields["place"].choices = [("", "—"), *([(place, place)] if place else [])]
        else:
            self.fields["place"].choices = place_choices()

    def service_fields(self):
        c = self.cleaned_data
        place = c.get("place") or ""
        region = None
        if place and place != OUTSIDE:
            region = Region.objects.filter(code=place).first()
        method = c.get("contact_method") or ContactMethod.NONE
        return {
            "reporter_relation": c["reporter_relation"],
            "narrative": c["narrative"],
            "harm_types": c.get("harm_types") or [],
            "place_region": region,
            "outside_city": place == OUTSIDE,
            "when_happened": c.get("when_happened") or WhenHappened.UNKNOWN,
            "incident_date": c.get("incident_date"),
            "victim_age_group": c.get("victim_age_group") or AgeGroup.UNKNOWN,
            "danger_now": c.get("danger_now") == YES,
            "anonymous": method == ContactMethod.NONE,
            "contact_method": method,
            "contact_detail": c.get("contact_detail") or "",
            "contact_safe_time": c.get("contact_safe_time") or "",
        }


class ReportForm(ReportFieldsMixin):
    evidence = forms.FileField(
        label=_("A photo or document (optional)"),
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(documents.ACCEPTED_EXTENSIONS)}),
    )
    # Honeypot: hidden from people (CSS and aria-hidden); a robot that fills every field fills it.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    field_order = [
        "reporter_relation",
        "danger_now",
        "narrative",
        "harm_types",
        "place",
        "when_happened",
        "incident_date",
        "victim_age_group",
        "contact_method",
        "contact_detail",
        "contact_safe_time",
        "evidence",
        "website",
        "idempotency_key",
    ]

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["evidence"].help_text = _(
            "PDF, JPEG, PNG, DOCX or ODT, at most %(max)s MB. It is stored encrypted."
        ) % {"max": documents.max_upload_mb()}
        if not self.is_bound:
            self.initial["idempotency_key"] = secrets.token_urlsafe(24)

    def clean_evidence(self):
        if self.too_large:
            raise documents.too_large_error().error_dict["file"][0]
        return self.cleaned_data.get("evidence") or None

    @property
    def honeypot_filled(self):
        return bool((self.data.get("website") or "").strip())


class SapaReportForm(ReportFieldsMixin):
    sapa_ticket = forms.CharField(label=_("SAPA 129 ticket number"), max_length=40)

    field_order = ["sapa_ticket", "reporter_relation", "danger_now", "narrative"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporter_relation"].label = _("Who called SAPA 129?")
        self.fields["narrative"].label = _("What happened (from the SAPA 129 report)")
        self.fields["narrative"].help_text = ""
        self.fields["contact_method"].label = _("May the unit contact the caller? How?")


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        help_text=_("Nine letters and digits, for example 7KQ-M4X-P2D."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the tracking code.")},
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=20,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": _("Enter the PIN.")},
    )


class AddInformationForm(forms.Form):
    text = forms.CharField(
        label=_("Add information"),
        help_text=_(
            "Something you remembered, or what has changed. The officers read it; it is not shown here."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX,
        error_messages={
            "required": _("Write the information you want to add."),
            "max_length": _("Please keep it under %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )


class VerifyForm(forms.Form):
    case_type = forms.ChoiceField(
        label=_("Case type"), choices=[("", "—")] + list(CaseType.choices), required=False
    )
    risk = forms.ChoiceField(label=_("Risk"), choices=[("", "—")] + list(RiskLevel.choices), required=False)
    summary = forms.CharField(
        label=_("Short summary for the case"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class MergeForm(forms.Form):
    reference = forms.CharField(
        label=_("Registration number or case code of the existing case"),
        max_length=40,
        error_messages={"required": _("Enter the registration number or case code.")},
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the reporter reads it)"),
        help_text=_("Write kindly and without names; say where else to get help if this is not for us."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX,
        error_messages={"required": _("Write the reason the reporter will read.")},
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the reporter"),
        help_text=_("Anyone holding the code and PIN reads it: no names, addresses or details of the case."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX,
        error_messages={"required": _("Write the message.")},
    )


class PortalSettingsForm(forms.ModelForm):
    class Meta:
        model = PortalSettings
        fields = [
            "official_name",
            "government_name",
            "logo_file",
            "hotline",
            "whatsapp",
            "office_address",
            "opening_hours",
            "alert_email",
        ]
        help_texts = {
            "official_name": _(
                "The service's official name, shown at the top of every public page. Empty: the unit's name."
            ),
            "government_name": _(
                "For example Pemerintah Kota Payakumbuh. Empty: the government of the unit's region."
            ),
            "logo_file": _(
                "The file name of the official logo in the operator's logo folder (PNG, JPEG or WebP, "
                "at most 200 KB). Empty: Sinergi's neutral emblem."
            ),
            "hotline": _("Shown on the public help page. Empty: the unit's phone number."),
            "whatsapp": _("Shown with a WhatsApp link. Empty: the unit's WhatsApp number."),
            "alert_email": _(
                "Also receives the alert for a 'danger now' report (besides the staff's own e-mail)."
            ),
        }

    def clean_logo_file(self):
        name = (self.cleaned_data["logo_file"] or "").strip()
        problem = logo_file_problem(name)
        if problem:
            raise ValidationError(problem)
        return name

    def clean_hotline(self):
        return _clean_phone(self.cleaned_data["hotline"])

    def clean_whatsapp(self):
        return _clean_phone(self.cleaned_data["whatsapp"])


def _clean_phone(value):
    value = (value or "").strip()
    if value and not all(ch.isdigit() or ch in "+-() " for ch in value):
        raise ValidationError(_("Use digits, spaces, +, - and brackets only."))
    return value
