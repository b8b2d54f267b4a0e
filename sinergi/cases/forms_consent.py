"""Consent per purpose, and the parent or guardian who gives it for a child (DOMAIN.md §7)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import optional_yes_no

from .choices import ChildAssent, ConsentGiver, ConsentPurpose, LawfulBasis, PersonRole
from .forms import _blank


def guardian_candidates(persons):
    """The persons who may be offered as a child's guardian: never an alleged perpetrator, nor a
    person linked as the same human being to one (the service checks again, and the partners)."""
    persons = list(persons)
    perpetrator_keys = {p.person_key for p in persons if p.role == PersonRole.PELAKU and p.person_key}
    return [
        p
        for p in persons
        if p.role != PersonRole.PELAKU and not (p.person_key and p.person_key in perpetrator_keys)
    ]


def guardian_label(person):
    return f"{person.name or '—'} ({person.get_role_display()})"


class GuardianFields(forms.Form):
    """The fields every consent form asks about a guardian, in the order they are asked (after
    the choice of a guardian among the persons of the case)."""

    ORDER = ("guardian", "guardian_name", "guardian_partner_of_perpetrator", "child_assent", "basis_note")

    guardian_name = forms.CharField(
        label=_("Or a new parent or guardian: name"),
        max_length=200,
        required=False,
        help_text=_("They are recorded as a person of the case."),
    )
    guardian_partner_of_perpetrator = optional_yes_no(
        _("Is this guardian the spouse or partner of an alleged perpetrator?"),
        help_text=_("Asked for a guardian who is not a victim of the case; a victim's relations answer it."),
    )
    child_assent = forms.ChoiceField(
        label=_("The child's own view"),
        choices=_blank(ChildAssent.choices),
        required=False,
        help_text=_("Ask the child in words she understands, when she can be asked."),
    )


class ConsentForm(GuardianFields):
    victim = forms.ChoiceField(label=_("Victim"))
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[c for c in ConsentPurpose.choices if c[0] != ConsentPurpose.RUJUKAN],
        help_text=_("Consent to a referral is recorded with the referral."),
    )
    lawful_basis = forms.ChoiceField(label=_("Lawful basis"), choices=LawfulBasis.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=_blank(ConsentGiver.choices), required=False)
    guardian = forms.ChoiceField(label=_("Parent or guardian (a person of the case)"), required=False)
    basis_note = forms.CharField(label=_("Why consent could not be asked"), max_length=300, required=False)

    field_order = ["victim", "purpose", "lawful_basis", "given_by", *GuardianFields.ORDER]

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = {p.public_id: p for p in guardian_candidates(persons)}
        self.victims = {p.public_id: p for p in persons if p.role == PersonRole.KORBAN}
        self.fields["victim"].choices = _blank((code, p.name or str(p)) for code, p in self.victims.items())
        self.fields["guardian"].choices = _blank(
            (p.public_id, guardian_label(p)) for p in self.persons.values()
        )

    def clean_victim(self):
        return self.victims[self.cleaned_data["victim"]]

    def clean_guardian(self):
        code = self.cleaned_data["guardian"]
        return self.persons[code] if code else None
