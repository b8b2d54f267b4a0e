from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import AgencyType, ServiceCategory
from sinergi.cases.choices import ConsentGiver, LawfulBasis, RiskLevel, Sex
from sinergi.cases.forms_consent import GuardianFields, guardian_candidates, guardian_label
from sinergi.core.forms import DateField, IntegerField

from .choices import ReferralOutcome, SharedSection


def _blank(choices):
    return [("", "—"), *choices]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _ById(forms.ChoiceField):
    """A choice among objects offered by public id; cleans to the object."""

    def __init__(self, *args, objects=(), label_of=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects(objects, label_of)

    def set_objects(self, objects, label_of=str):
        self.objects = {o.public_id: o for o in objects}
        self.choices = _blank((o.public_id, label_of(o)) for o in objects)

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class _ManyById(forms.MultipleChoiceField):
    def __init__(self, *args, objects=(), label_of=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects(objects, label_of)

    def set_objects(self, objects, label_of=str):
        self.objects = {o.public_id: o for o in objects}
        self.choices = [(o.public_id, label_of(o)) for o in objects]

    def clean(self, value):
        return [self.objects[v] for v in super().clean(value)]


SECTION_CHOICES = [(s.value, s.label) for s in SharedSection if s != SharedSection.DOCUMENTS]


class ReferralForm(forms.Form):
    victim = _ById(label=_("Victim"))
    services = forms.MultipleChoiceField(
        label=_("Services requested"), choices=ServiceCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    to_agency = _ById(label=_("Agency"), help_text=_("Agencies of the unit's referral pathway come first."))
    shared_sections = forms.MultipleChoiceField(
        label=_("Share with the agency"),
        choices=SECTION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The case code is always shared. Share only what the agency needs and the survivor agreed to."
        ),
    )
    documents = _ManyById(
        label=_("Documents to share"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only documents marked as shareable can be sent."),
    )
    note = forms.CharField(
        label=_("Message to the agency"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, victims, agencies, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim"].set_objects(victims, lambda p: p.name or str(p))
        self.fields["to_agency"].set_objects(agencies, _agency_label)
        self.fields["documents"].set_objects(documents, _document_label)


def _agency_label(agency):
    """The name and what the agency offers, so the choice is made on services, not on habit."""
    offered = [
        str(ServiceCategory(s).label) for s in agency.services_offered or [] if s in ServiceCategory.values
    ]
    return f"{agency.name} ({', '.join(offered)})" if offered else agency.name


def _document_label(document):
    label = f"{document.get_doc_type_display()} — {document.original_name}"
    if getattr(document, "share_mark", None) is None:
        label += " " + str(_("(not marked as shareable)"))
    return label


class ReferralConsentForm(GuardianFields):
    lawful_basis = forms.ChoiceField(label=_("Lawful basis"), choices=LawfulBasis.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=_blank(ConsentGiver.choices), required=False)
    guardian = _ById(label=_("Parent or guardian (a person of the case)"), required=False)
    basis_note = forms.CharField(label=_("Why consent could not be asked"), max_length=300, required=False)

    field_order = ["lawful_basis", "given_by", *GuardianFields.ORDER]

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].set_objects(guardian_candidates(persons), guardian_label)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ServiceRecordForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=_blank(ServiceCategory.choices))
    delivered_on = DateField(label=_("Date"), widget=_date_input())
    note = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=_blank(ReferralOutcome.choices))
    outcome_note = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ShareMarkForm(forms.Form):
    shareable = _ManyById(label=_("Shareable documents"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shareable"].set_objects(
            documents, lambda d: f"{d.get_doc_type_display()} — {d.original_name}"
        )


class TransferRequestForm(forms.Form):
    to_unit = _ById(label=_("To unit"))
    reason = forms.CharField(label=_("Reason for the transfer"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].set_objects(units, lambda u: u.name)


class TransferDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class IncomingReferralForm(forms.Form):
    to_unit = _ById(label=_("To unit"))
    risk = forms.ChoiceField(label=_("Urgency"), choices=_blank(RiskLevel.choices), required=False)
    services = forms.MultipleChoiceField(
        label=_("Services needed"),
        choices=ServiceCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    victim_name = forms.CharField(label=_("Name of the person"), max_length=200, required=False)
    victim_sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices), required=False)
    victim_age = IntegerField(label=_("Age (years)"), min_value=0, max_value=120, required=False)
    victim_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    victim_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    summary = forms.CharField(label=_("Why the person is referred"), widget=forms.Textarea(attrs={"rows": 5}))
    consent_basis = forms.ChoiceField(
        label=_("Consent or lawful basis"),
        choices=_blank(LawfulBasis.choices),
        help_text=_("The person agreed to the referral, or the law allows sharing without consent."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].set_objects(units, lambda u: u.name)


class ReferBackForm(forms.Form):
    risk = forms.ChoiceField(label=_("Urgency"), choices=_blank(RiskLevel.choices), required=False)
    services = forms.MultipleChoiceField(
        label=_("Services needed"),
        choices=ServiceCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Why the person is referred back"), widget=forms.Textarea(attrs={"rows": 5})
    )
    consent_basis = forms.ChoiceField(label=_("Consent or lawful basis"), choices=_blank(LawfulBasis.choices))


class DirectoryFilterForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=_blank(ServiceCategory.choices), required=False)
    agency_type = forms.ChoiceField(
        label=_("Agency type"), choices=_blank(AgencyType.choices), required=False
    )
    q = forms.CharField(label=_("Name"), max_length=100, required=False)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    position = forms.CharField(label=_("Role"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class PathwayForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=_blank(ServiceCategory.choices))
    first = _ById(label=_("First choice"))
    second = _ById(label=_("Second choice"), required=False)
    third = _ById(label=_("Third choice"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first", "second", "third"):
            self.fields[name].set_objects(agencies, lambda a: a.name)

    def agencies(self):
        return [a for a in (self.cleaned_data.get(n) for n in ("first", "second", "third")) if a is not None]
