"""Forms of services delivered. They parse and present; the rules live in services.py.

Fields a rule refuses with an audit entry (an extension's reason, a discharge time) are not
`required` here: an empty value reaches the service, which refuses it and records the refusal.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import OrganisationKind
from sinergi.accounts.models import Organisation, User
from sinergi.cases.choices import PersonRole, Sex
from sinergi.core.forms import (
    DateField,
    DateTimeField,
    DecimalField,
    IntegerField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    optional_yes_no,
)

from .choices import (
    AccompanimentDestination,
    AccompanyingOfficer,
    Compliance,
    ExplanationMethod,
    LegalStage,
    MediationMatter,
    MediationStatus,
    RestitutionForm,
    RestitutionStage,
    RightsItem,
    ServiceCategory,
    ServiceStatus,
    ShelterCriterion,
    UptdService,
)
from .models import SHELTER_STAY_DAYS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _blank(choices):
    return [("", "—"), *choices]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_field(label, *, required=True, help_text=""):
    return DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _notes(label=None):
    return forms.CharField(
        label=label or _("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def person_label(person):
    return person.name or f"{person.get_role_display()} {person.public_id[:6]}"


class _PersonChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class _PersonsChoice(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{person_label(obj)} ({obj.get_role_display()})"


class _OrgChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name or obj.name


def agencies_for(case):
    """Partner agencies working with the case's unit, and the unit itself."""

    return (
        Organisation.objects.filter(is_active=True)
        .filter(Q(pk=case.unit_id) | Q(kind=OrganisationKind.PARTNER, parent_id=case.unit_id))
        .order_by("kind", "name")
    )


def _victim_field(case):
    return _PersonChoice(
        label=_("Victim"),
        queryset=case.persons.filter(role=PersonRole.KORBAN).order_by("id"),
        to_field_name="public_id",
        empty_label="—",
    )


def _org_field(case, label):
    return _OrgChoice(
        label=label, queryset=agencies_for(case), to_field_name="public_id", required=False, empty_label="—"
    )


class ServiceForm(forms.Form):
    uptd_service = forms.ChoiceField(
        label=_("UPTD PPA service"), choices=_blank(UptdService.choices), required=False
    )
    category = forms.ChoiceField(
        label=_("SIMFONI service category"), choices=_blank(ServiceCategory.choices), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    date = DateField(label=_("Date"), widget=_date_input())
    provider_name = forms.CharField(label=_("Or another provider"), max_length=200, required=False)
    notes = _notes()
    emergency = forms.BooleanField(
        label=_("Emergency service for a high-risk case (before the assessment)"), required=False
    )

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields = {"victim": _victim_field(case), **self.fields}
        self.fields["provider_org"] = _org_field(case, _("Provider (agency)"))
        self.order_fields(
            [
                "victim",
                "uptd_service",
                "category",
                "status",
                "date",
                "provider_org",
                "provider_name",
                "notes",
                "emergency",
            ]
        )


class AdmitForm(forms.Form):
    days = IntegerField(
        label=_("Length of stay (days)"),
        min_value=1,
        max_value=SHELTER_STAY_DAYS,
        initial=SHELTER_STAY_DAYS,
        help_text=_("1 to 7 days; a longer stay needs an extension with a reason."),
    )
    admitted_at = _datetime_field(_("Admitted"), required=False, help_text=_("Leave empty for now."))
    criteria = forms.MultipleChoiceField(
        label=_("Why the victim needs shelter"),
        choices=ShelterCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = _notes()
    emergency = forms.BooleanField(
        label=_("Emergency admission of a high-risk case (before the assessment)"), required=False
    )

    def __init__(self, *args, case, shelters, **kwargs):
        super().__init__(*args, **kwargs)
        self.shelters = {s.public_id: s for s in shelters}
        shelter_choices = [
            (s.public_id, _("%(name)s — %(free)d free bed(s)") % {"name": s.name, "free": s.free_beds})
            for s in shelters
        ]
        self.beds = {b.public_id: b for s in shelters for b in s.free_bed_list}
        bed_choices = [
            (b.public_id, f"{s.name} — {b.room.name} / {b.label}") for s in shelters for b in s.free_bed_list
        ]
        self.fields = {
            "victim": _victim_field(case),
            "shelter": forms.ChoiceField(label=_("Shelter"), choices=_blank(shelter_choices)),
            "bed": forms.ChoiceField(
                label=_("Bed"),
                choices=_blank(bed_choices),
                required=False,
                help_text=_("Leave empty to take the first free bed of the shelter."),
            ),
            **self.fields,
        }

    def clean_shelter(self):
        return self.shelters[self.cleaned_data["shelter"]]

    def clean_bed(self):
        code = self.cleaned_data["bed"]
        return self.beds[code] if code else None


class DischargeForm(forms.Form):
    discharged_at = _datetime_field(_("Discharged"), required=False, help_text=_("Leave empty for now."))
    notes = _notes(_("Discharge notes (where the victim goes, follow-up)"))


class ExtendForm(forms.Form):
    until = _datetime_field(_("New end of stay"))
    reason = forms.CharField(
        label=_("Reason for the extension"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MediationForm(forms.Form):
    matter = forms.ChoiceField(label=_("Matter"), choices=MediationMatter.choices)
    other_parties = forms.CharField(
        label=_("Other parties (family, witnesses)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    notes = _notes()
    # UU 11/2012 SPPA Ps 7(2): asked only when the mediation can only be a diversi.
    sppa_penalty_under_7 = optional_yes_no(
        _("Is the offence threatened with imprisonment of less than 7 years?"),
        help_text=_(
            "UU SPPA Ps 7(2)(a). Check the article the police charge. Most sexual violence crimes carry "
            "more (rape 12 years; sexual acts against a child up to 15 years); non-physical harassment "
            "(UU TPKS Ps 5), physical harassment under Ps 6(a), forced contraception (Ps 8) and "
            "electronic sexual violence (Ps 14) carry less."
        ),
    )
    sppa_repeat_offence = optional_yes_no(
        _("Is it a repeat offence by the child?"),
        help_text=_("UU SPPA Ps 7(2)(b): no diversion for a repeat offence."),
    )

    def __init__(self, *args, case, diversion=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not diversion:
            del self.fields["sppa_penalty_under_7"], self.fields["sppa_repeat_offence"]
        self.fields = {
            "parties": _PersonsChoice(
                label=_("Parties"),
                queryset=case.persons.filter(role__in=[PersonRole.KORBAN, PersonRole.PELAKU]).order_by(
                    "role", "id"
                ),
                to_field_name="public_id",
                widget=forms.CheckboxSelectMultiple,
            ),
            **self.fields,
        }


class MediationSessionForm(forms.Form):
    held_on = DateField(label=_("Date"), widget=_date_input())
    mediator = forms.CharField(label=_("Mediator"), max_length=150)
    notes = _notes()


class MediationConcludeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in MediationStatus.choices if c[0] != MediationStatus.BERJALAN]
    )
    agreement_signed = forms.BooleanField(label=_("The parties signed the agreement"), required=False)
    agreement_date = DateField(label=_("Agreement date"), widget=_date_input(), required=False)
    terms = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MediationFollowUpForm(forms.Form):
    checked_on = DateField(label=_("Date"), widget=_date_input())
    compliance = forms.ChoiceField(label=_("Is the agreement kept?"), choices=Compliance.choices)
    notes = _notes()


class _StaffChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class AccompanimentForm(forms.Form):
    destination = forms.ChoiceField(label=_("Accompanied to"), choices=AccompanimentDestination.choices)
    visited_on = DateField(label=_("Date"), widget=_date_input())
    officer_type = forms.ChoiceField(label=_("Accompanied by (type)"), choices=AccompanyingOfficer.choices)
    officer_name = forms.CharField(
        label=_("Or the companion's name (not staff)"), max_length=150, required=False
    )
    officer_sex = forms.ChoiceField(
        label=_("Sex of the companion"), choices=_blank(Sex.choices), required=False
    )
    same_sex_recorded = optional_yes_no(
        _("Same sex as the victim?"),
        help_text=_("Only needed when the sex of the victim or of the companion is not recorded."),
        blank=_("Unknown"),
    )
    notes = _notes()
    emergency = forms.BooleanField(
        label=_("Emergency service for a high-risk case (before the assessment)"), required=False
    )

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("initial", {"visited_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields = {"victim": _victim_field(case), **self.fields}
        self.fields["destination_org"] = _org_field(case, _("Agency visited"))
        self.fields["officer"] = _StaffChoice(
            label=_("Accompanying staff member"),
            queryset=User.objects.filter(organisation_id=case.unit_id, is_active=True).order_by("username"),
            to_field_name="public_id",
            required=False,
            empty_label="—",
        )
        self.order_fields(
            [
                "victim",
                "destination",
                "destination_org",
                "visited_on",
                "officer_type",
                "officer",
                "officer_name",
                "officer_sex",
                "same_sex_recorded",
                "notes",
                "emergency",
            ]
        )


class LegalStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=LegalStage.choices)
    occurred_at = _datetime_field(_("Date and time"))
    agency_name = forms.CharField(label=_("Or another agency"), max_length=200, required=False)
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=80,
        required=False,
        help_text=_("E.g. the police report number."),
    )
    outcome = _notes(_("Outcome"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "perpetrator": _PersonChoice(
                label=_("Perpetrator"),
                queryset=case.persons.filter(role=PersonRole.PELAKU).order_by("id"),
                to_field_name="public_id",
                empty_label="—",
            ),
            **self.fields,
        }
        self.fields["agency"] = _org_field(case, _("Agency"))
        self.order_fields(
            ["perpetrator", "stage", "occurred_at", "agency", "agency_name", "reference", "outcome"]
        )


class RestitutionFileForm(forms.Form):
    restitution_forms = forms.MultipleChoiceField(
        label=_("Forms of restitution"), choices=RestitutionForm.choices, widget=forms.CheckboxSelectMultiple
    )
    filed_on = DateField(label=_("Filed on"), widget=_date_input())
    amount_claimed = DecimalField(
        label=_("Amount claimed (Rp)"), min_value=0, decimal_places=0, required=False
    )
    notes = _notes()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "victim": _victim_field(case),
            "perpetrator": _PersonChoice(
                label=_("Perpetrator"),
                queryset=case.persons.filter(role=PersonRole.PELAKU).order_by("id"),
                to_field_name="public_id",
                required=False,
                empty_label="—",
            ),
            **self.fields,
        }


class RestitutionAdvanceForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Next stage"),
        choices=[c for c in RestitutionStage.choices if c[0] != RestitutionStage.DIAJUKAN],
    )
    date = DateField(label=_("Date"), widget=_date_input())
    amount = DecimalField(
        label=_("Amount (Rp)"),
        min_value=0,
        decimal_places=0,
        required=False,
        help_text=_("The amount decided by the court, or paid."),
    )
    notes = _notes()


class ShelterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    address = forms.CharField(
        label=_("Address"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Kept secret: stored encrypted and shown only to staff of the unit who manage shelters."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class BedForm(forms.Form):
    room_name = forms.CharField(label=_("Room"), max_length=60)
    label = forms.CharField(label=_("Bed"), max_length=30)


# --- rights information and court monitoring ----------------------------------------------------


class RightsExplanationForm(forms.Form):
    # Not required: an empty list reaches the service, which says what is missing.
    rights = forms.MultipleChoiceField(
        label=_("Rights explained"),
        choices=RightsItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    explained_on = DateField(label=_("Explained on"), widget=_date_input())
    method = forms.ChoiceField(label=_("How"), choices=ExplanationMethod.choices)
    note = _notes(_("Note"))

    def __init__(self, *args, case, actor, **kwargs):
        kwargs.setdefault("initial", {"explained_on": timezone.localdate(), "explained_by": actor.public_id})
        super().__init__(*args, **kwargs)
        self.fields = {"victim": _victim_field(case), **self.fields}
        self.fields["explained_by"] = _StaffChoice(
            label=_("Explained by"),
            queryset=User.objects.filter(organisation_id=case.unit_id, is_active=True).order_by("username"),
            to_field_name="public_id",
            required=False,
            empty_label="—",
            help_text=_("Leave empty if you explained them yourself."),
        )
        self.order_fields(["victim", "rights", "explained_on", "explained_by", "method", "note"])


class CourtMonitoringForm(forms.Form):
    accompanied = optional_yes_no(_("Was the victim accompanied?"), blank=_("Not known"))
    not_confronted = optional_yes_no(_("Was she kept from facing the perpetrator?"), blank=_("Not known"))
    closed_hearing_child = optional_yes_no(
        _("Closed hearing (child victim)"),
        blank=_("Not known / not a child"),
        help_text=_("Only for a child victim: the hearing is closed to the public."),
    )
    restitution_asked = optional_yes_no(_("Was restitution asked for?"), blank=_("Not known"))
    problems = forms.CharField(
        label=_("Problems"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Kept encrypted on the case; the coordination meeting sees only which rights were not respected."
        ),
    )
    raise_at_rakor = forms.BooleanField(label=_("Raise at the coordination meeting"), required=False)
