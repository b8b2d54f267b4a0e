"""Forms of the case management workflow. They check presence and shape; the services in
sinergi.cases.workflow decide what the case's state allows."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import Role
from sinergi.accounts.models import User
from sinergi.core.forms import DateField, DateTimeField, ModelChoiceField

from .choices import CaseStep, ClosureReason, ContactMethod, PersonRole, RiskLevel, TeamRole
from .workflow import MIN_REASON_LENGTH, REOPEN_STEPS


def _blank(choices):
    return [("", "—"), *choices]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


def unit_staff(case):
    return (
        User.objects.filter(organisation_id=case.unit_id, is_active=True)
        .exclude(role__in=[Role.MITRA, Role.ADMIN_SISTEM, Role.AUDITOR, Role.PIMPINAN, Role.PENGELOLA_DATA])
        .order_by("username")
    )


class _StaffChoiceField(ModelChoiceField):
    def label_from_instance(self, user):
        return user.name_and_position


class MoveForm(forms.Form):
    to_step = forms.ChoiceField(label=_("Move to step"), choices=CaseStep.choices)
    reason = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class FirstContactForm(forms.Form):
    """When and how the survivor was first reached (the service checks the moment)."""

    at = DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    method = forms.ChoiceField(label=_("How"), choices=_blank(ContactMethod.choices))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "contact")
        super().__init__(*args, **kwargs)


class LeadForm(forms.Form):
    user = _StaffChoiceField(label=_("Lead case worker"), queryset=None)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        required=False,
        widget=_textarea(3),
        help_text=_("Required when the case already has a lead."),
    )

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("prefix", "lead")
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = unit_staff(case)


class MemberForm(forms.Form):
    user = _StaffChoiceField(label=_("Staff member"), queryset=None)
    team_role = forms.ChoiceField(
        label=_("Role in the team"), choices=[c for c in TeamRole.choices if c[0] != TeamRole.LEAD]
    )

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("prefix", "member")
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = unit_staff(case)


class AssessmentForm(forms.Form):
    victim = forms.ChoiceField(label=_("Victim"))
    risk = forms.ChoiceField(
        label=_("Risk after re-evaluation"),
        choices=_blank(RiskLevel.choices),
        required=False,
        help_text=_("Required to complete the assessment; it updates the case's risk."),
    )
    safety = forms.CharField(label=_("Safety and risk"), widget=_textarea(), required=False)
    health = forms.CharField(label=_("Health"), widget=_textarea(), required=False)
    psychological = forms.CharField(label=_("Psychological condition"), widget=_textarea(), required=False)
    social_economic = forms.CharField(
        label=_("Social and economic situation"), widget=_textarea(), required=False
    )
    legal_needs = forms.CharField(label=_("Legal needs"), widget=_textarea(), required=False)
    disability_needs = forms.CharField(label=_("Disability needs"), widget=_textarea(), required=False)

    NARRATIVES = ("safety", "health", "psychological", "social_economic", "legal_needs", "disability_needs")

    def __init__(self, *args, victims, **kwargs):
        super().__init__(*args, **kwargs)
        self.victims = {v.public_id: v for v in victims if v.role == PersonRole.KORBAN}
        self.fields["victim"].choices = _blank((pid, v.name or pid) for pid, v in self.victims.items())

    def clean_victim(self):
        return self.victims[self.cleaned_data["victim"]]

    @staticmethod
    def initial_for(assessment):
        data = {f: getattr(assessment, f) for f in AssessmentForm.NARRATIVES}
        return {**data, "victim": assessment.victim.public_id, "risk": assessment.risk}

    def service_fields(self):
        data = self.cleaned_data
        return {"victim": data["victim"], "risk": data["risk"], **{f: data[f] for f in self.NARRATIVES}}


class PlanForm(forms.Form):
    goals = forms.CharField(label=_("Goals"), widget=_textarea(5), required=False)
    agreed_with_victim = forms.BooleanField(label=_("The survivor agreed to this plan"), required=False)
    agreed_on = DateField(label=_("Agreed on"), widget=_date_input(), required=False)


class PlanActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=1000, required=False)
    responsible = _StaffChoiceField(label=_("Who (staff)"), queryset=None, required=False)
    responsible_other = forms.CharField(label=_("Or who (agency, other)"), max_length=200, required=False)
    due_date = DateField(label=_("By when"), widget=_date_input(), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = unit_staff(case)


PlanActionFormSet = forms.formset_factory(PlanActionForm, extra=0, max_num=30, absolute_max=30)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments"),
        max_length=2000,
        required=False,
        widget=_textarea(3),
        help_text=_("Required when you return the request."),
    )


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Closure reason"), choices=_blank(ClosureReason.choices))
    note = forms.CharField(
        label=_("Note for the head of unit"), max_length=2000, required=False, widget=_textarea(3)
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the case reopened?"),
        min_length=MIN_REASON_LENGTH,
        max_length=2000,
        widget=_textarea(3),
    )
    to_step = forms.ChoiceField(
        label=_("Return to step"),
        choices=_blank([(s.value, s.label) for s in REOPEN_STEPS]),
        required=False,
        help_text=_("Empty: the step the case was closed from."),
    )


class MonevForm(forms.Form):
    reviewed_on = DateField(label=_("Review date"), widget=_date_input())
    progress = forms.CharField(label=_("Progress against the plan"), widget=_textarea(), required=False)
    next_steps = forms.CharField(label=_("Next steps"), widget=_textarea(3), required=False)
    risk = forms.ChoiceField(label=_("Risk now"), choices=_blank(RiskLevel.choices), required=False)
    plan_still_valid = forms.BooleanField(label=_("The plan still fits"), required=False, initial=True)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), max_length=10000, widget=_textarea(3))
    private = forms.BooleanField(
        label=_("Private to the case team"),
        required=False,
        help_text=_("Only the case team and the head of unit read private notes."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "note")
        super().__init__(*args, **kwargs)
