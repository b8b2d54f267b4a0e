"""Forms for meetings and action items. They parse input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import OrganisationKind, Role
from sinergi.accounts.models import Organisation, User
from sinergi.core.forms import DateField, DateTimeField, ModelChoiceField, ModelMultipleChoiceField

from .choices import ActionItemStatus, MeetingKind
from .models import MeetingDecision


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AgencyChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        kind = (
            _("service unit") if obj.kind == OrganisationKind.SERVICE_UNIT else obj.get_agency_type_display()
        )
        return f"{obj.name} ({kind})"


class PersonChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name_and_position


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Shown in invitations: never put a survivor's name here."),
    )
    starts_at = DateTimeField(label=_("Starts at"), widget=_datetime_input())
    ends_at = DateTimeField(label=_("Ends at"), required=False, widget=_datetime_input())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Online meeting link"), max_length=300, required=False, assume_scheme="https"
    )
    organisations = AgencyChoiceField(
        label=_("Invited agencies"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    users = PersonChoiceField(
        label=_("Invited people of your unit"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_start = DateField(
        label=_("Statistics from"),
        required=False,
        widget=_date_input(),
        help_text=_(
            "The meeting pack shows the statistics of this period (default: the 90 days before the meeting)."
        ),
    )
    period_end = DateField(label=_("Statistics until"), required=False, widget=_date_input())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = (
            Organisation.objects.filter(is_active=True)
            .exclude(pk=actor.organisation_id)
            .order_by("kind", "name")
        )
        self.fields["users"].queryset = (
            User.objects.filter(organisation_id=actor.organisation_id, is_active=True)
            .exclude(pk=actor.pk)
            .exclude(role__in=[Role.ADMIN_SISTEM, Role.AUDITOR, ""])
            .order_by("username")
        )


class AgendaItemForm(forms.Form):
    prefix = "agenda"  # it shares the meeting page with the action item form (both have a case code)

    topic = forms.CharField(label=_("Agenda item"), max_length=300)
    case_code = forms.CharField(
        label=_("Case code"),
        max_length=12,
        required=False,
        help_text=_("Only the pseudonymous code (K-...), never a name."),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ActionItemForm(forms.Form):
    description = forms.CharField(
        label=_("What is to be done"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    assignee_organisation = ModelChoiceField(
        label=_("Agency responsible"), queryset=Organisation.objects.none(), required=False
    )
    assignee_user = ModelChoiceField(
        label=_("Person responsible"), queryset=User.objects.none(), required=False
    )
    due_date = DateField(label=_("Due date"), widget=_date_input())
    case_code = forms.CharField(
        label=_("Case code"),
        max_length=12,
        required=False,
        help_text=_("Only the pseudonymous code (K-...), never a name."),
    )
    meeting = ModelChoiceField(label=_("Meeting"), queryset=None, required=False, to_field_name="public_id")
    decision = ModelChoiceField(label=_("Decision"), queryset=None, required=False)

    def __init__(self, *args, actor, meetings, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_organisation"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "kind", "name"
        )
        self.fields["assignee_user"].queryset = (
            User.objects.filter(organisation_id=actor.organisation_id, is_active=True)
            .exclude(role__in=[Role.ADMIN_SISTEM, Role.AUDITOR, ""])
            .order_by("username")
        )
        self.fields["assignee_user"].label_from_instance = lambda u: u.name_and_position
        self.fields["meeting"].queryset = meetings.order_by("-starts_at")

        if meeting is not None:
            self.fields["meeting"].initial = meeting.public_id
            self.fields["meeting"].widget = forms.HiddenInput()
            self.fields["decision"].queryset = MeetingDecision.objects.filter(meeting=meeting)
            self.fields["decision"].label_from_instance = lambda d: d.text[:80]
        else:
            self.fields["decision"].queryset = MeetingDecision.objects.none()
            self.fields["decision"].widget = forms.HiddenInput()


class ActionItemUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=())
    progress_note = forms.CharField(
        label=_("Progress note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What has been done. Use the case code, never a name."),
    )

    def __init__(self, *args, may_cancel=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [c for c in ActionItemStatus.choices if may_cancel or c[0] != ActionItemStatus.DIBATALKAN]
        self.fields["status"].choices = choices
