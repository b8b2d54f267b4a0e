"""Forms for user and organisation management: input shape only, the rules live in services.py.

Choices come from the selectors, so a kepala is never offered an organisation or role outside
their scope (the services refuse them anyway). Organisations are chosen by public id.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import IntegerField, ModelChoiceField
from sinergi.regions.models import Region

from .choices import AgencyType, OrganisationKind, Role, ServiceCategory, UnitLevel
from .models import Organisation
from .selectors import organisations_manageable_by, roles_assignable_by


class OrganisationChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.is_service_unit:
            return obj.name
        return f"{obj.name} ({obj.get_kind_display()})"


class RegionChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.display_name}"


def _role_choices(actor):
    allowed = set(roles_assignable_by(actor))
    return [(value, label) for value, label in Role.choices if value in allowed]


USERNAME_HELP = _(
    "3 to 150 characters: lowercase letters, digits, full stops, hyphens and underscores. "
    "It cannot be changed later."
)


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=USERNAME_HELP,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        empty_label=_("— choose —"),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        help_text=_("Users of a partner agency always have the partner focal point role."),
    )
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("Work phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Work e-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_manageable_by(actor).filter(is_active=True)
        self.fields["role"].choices = [("", _("— choose —")), *_role_choices(actor)]


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"))
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("Work phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Work e-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args, actor, user, **kwargs):
        kwargs.setdefault(
            "initial", {f: getattr(user, f) for f in ("full_name", "role", "position", "phone", "email")}
        )
        super().__init__(*args, **kwargs)
        choices = _role_choices(actor)
        if user.role and user.role not in dict(choices):
            choices = [(user.role, user.get_role_display()), *choices]
        self.fields["role"].choices = choices


class UserFilterForm(forms.Form):
    """The users list filters (GET). A value that does not fit is ignored, not an error page."""

    q = forms.CharField(label=_("Name or username"), max_length=100, required=False)
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("All"),
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Disabled"))],
    )
    locked = forms.ChoiceField(
        label=_("Locked"),
        required=False,
        choices=[("", _("All")), ("1", _("Locked only")), ("0", _("Not locked"))],
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_manageable_by(actor)
        self.fields["role"].choices = [("", _("All")), *Role.choices]

    def filters(self):
        """Keyword arguments for selectors.user_list from the valid part of the input."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        yes_no = {"1": True, "0": False}
        return {
            "query": (data.get("q") or "").strip(),
            "organisation": data.get("organisation"),
            "role": data.get("role") or "",
            "active": yes_no.get(data.get("active") or ""),
            "locked": yes_no.get(data.get("locked") or ""),
        }


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    agency_type = forms.ChoiceField(label=_("Agency type"), choices=AgencyType.choices)
    unit_level = forms.ChoiceField(
        label=_("Unit level"),
        required=False,
        choices=[("", _("— none (partner agency) —")), *UnitLevel.choices],
        help_text=_("Service units only: regency/city, province or national."),
    )
    parent = OrganisationChoiceField(
        label=_("Parent unit"),
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("— none —"),
        help_text=_(
            "For a service unit: the unit above it. For a partner agency: the service unit it works with."
        ),
    )
    region = RegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    services_offered = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=ServiceCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=120, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    all_staff_see_all_cases = forms.BooleanField(
        label=_("All staff of the unit see all its unrestricted cases"), required=False
    )
    referral_grace_days = IntegerField(
        label=_("Referral grace period (days)"),
        min_value=0,
        max_value=365,
        initial=7,
        help_text=_("How long a partner keeps read access to a referral after it closes."),
    )
    email_password_reset = forms.BooleanField(
        label=_("Staff may reset a forgotten password by e-mail"),
        required=False,
        help_text=_(
            "Service units only. A link goes only to an active account's verified primary address; "
            "every request is audited. A partner agency follows the service unit it works with."
        ),
    )

    def __init__(self, *args, organisation=None, **kwargs):
        if organisation is not None:
            initial = {f: getattr(organisation, f) for f in self.base_fields if f not in {"parent", "region"}}
            initial["parent"] = organisation.parent.public_id if organisation.parent_id else None
            initial["region"] = organisation.region_id
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        parents = Organisation.objects.filter(kind=OrganisationKind.SERVICE_UNIT)
        if organisation is not None:
            # The kind never changes after creation: roles and cases depend on it.
            del self.fields["kind"]
            parents = parents.exclude(pk=organisation.pk)
        self.fields["parent"].queryset = parents
        self.fields["region"].queryset = Region.objects.filter(level__lte=2).order_by("code")

    def service_kwargs(self):
        return dict(self.cleaned_data)


class PasswordResetEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("The verified address of your account (My account → E-mail address)."),
    )
