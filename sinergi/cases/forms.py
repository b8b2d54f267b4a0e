import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import DateField, IntegerField
from sinergi.regions.models import Region

from .choices import (
    AmpkCategory,
    CaseStatus,
    CaseStep,
    CaseType,
    Channel,
    DatePrecision,
    Disability,
    DisabilityStatus,
    Education,
    Frequency,
    Jurisdiction,
    MaritalStatus,
    Nationality,
    Occupation,
    PersonRole,
    PlaceType,
    Relationship,
    Religion,
    ReporterKind,
    RiskLevel,
    Sex,
    ViolenceType,
)
from .forms_region import RegionPickerFields
from .record import PERSON_FIELDS, person_date_problems, registered_person_problems, registration_problems
from .services import MIN_REASON_LENGTH

MAX_VICTIMS = 3
MAX_PERPETRATORS = 3


def _blank(choices):
    return [("", "—"), *choices]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


def pilot_region_choices():
    """Payakumbuh's kecamatan, each followed by its kelurahan, as <optgroup>s."""

    regions = Region.objects.filter(
        code__startswith=settings.SINERGI_HOME_REGION + ".", level__in=[3, 4]
    ).order_by("code")
    groups, current = [], None
    for region in regions:
        if region.level == 3:
            current = (region.name, [(region.code, f"{region.name} ({_('whole kecamatan')})")])
            groups.append(current)
        elif current is not None:
            current[1].append((region.code, region.name))
    return [("", "—"), *groups]


def pilot_kecamatan_choices():
    kecamatan = Region.objects.filter(code__startswith=settings.SINERGI_HOME_REGION + ".", level=3).order_by(
        "code"
    )
    return [("", _("All")), *((r.code, r.name) for r in kecamatan)]


def _region_or_error(code, *, min_level=3):
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise ValidationError(_("No region with this code."))
    if region.level < min_level:
        raise ValidationError(_("Choose a kecamatan or kelurahan."))
    return region


# --- registration ----------------------------------------------------------------------------


class RegisterCaseForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("How did the report come in?"), choices=_blank(Channel.choices))
    sapa_ticket = forms.CharField(label=_("SAPA 129 ticket number"), max_length=40, required=False)
    reporter_kind = forms.ChoiceField(
        label=_("Who reported?"), choices=_blank(ReporterKind.choices), required=False
    )
    reporter_anonymous = forms.BooleanField(label=_("The reporter wants to stay anonymous"), required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=200, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=30, required=False)
    summary = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few sentences; the full chronology can be written later."),
    )
    case_type = forms.ChoiceField(label=_("Case type"), choices=_blank(CaseType.choices))
    risk = forms.ChoiceField(label=_("Risk"), choices=_blank(RiskLevel.choices))
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction"), choices=_blank(Jurisdiction.choices), required=False
    )

    # The required screening first, then the report; the reporter is folded (register.html).
    field_order = ["token", "channel", "sapa_ticket", "case_type", "risk", "jurisdiction", "summary"]

    def __init__(self, *args, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if not initial.get("token"):
            initial["token"] = uuid.uuid4()
        super().__init__(*args, **kwargs)

    def clean(self):
        # The rules are the registration service's; the form shows them next to its own fields.
        data = super().clean()
        for field, message in registration_problems(data).items():
            self.add_error(field, message)
        reporter = {
            "is_anonymous": data.get("reporter_anonymous"),
            "name": data.get("reporter_name"),
            "phone": data.get("reporter_phone"),
        }
        for field, message in registered_person_problems(PersonRole.PELAPOR, reporter).items():
            self.add_error(f"reporter_{field}", message)
        return data

    def case_fields(self):
        data = self.cleaned_data
        fields = {f: data[f] for f in ("channel", "summary", "case_type", "risk", "jurisdiction")}
        if data["channel"] == Channel.SAPA129:
            fields["sapa_ticket"] = data["sapa_ticket"].strip()
        return fields

    def reporter(self):
        data = self.cleaned_data
        if not (
            data["reporter_kind"]
            or data["reporter_anonymous"]
            or data["reporter_name"]
            or data["reporter_phone"]
        ):
            return None
        return {
            "reporter_kind": data["reporter_kind"]
            or (ReporterKind.ANONIM if data["reporter_anonymous"] else ""),
            "is_anonymous": data["reporter_anonymous"],
            "name": data["reporter_name"].strip(),
            "phone": data["reporter_phone"].strip(),
        }


class _RegisteredPersonMixin:
    """Shows the registration service's rules for this person next to the fields."""

    role = None

    def clean(self):
        data = super().clean()
        problems = {**person_date_problems(data), **registered_person_problems(self.role, data)}
        for field, message in problems.items():
            self.add_error(field if field in self.fields else None, message)
        return data


#: Next to "estimated": what an estimated age close to 18 does (DOMAIN.md §4, rules.possibly_child).
ESTIMATED_AGE_HELP = _(
    "An estimated age of 17 to 19 counts as possibly a child: the person is treated as a child "
    "until the date of birth or the age is confirmed."
)


#: The same rule in one line, for the registration page where every line counts on a phone.
ESTIMATED_AGE_SHORT_HELP = _("An estimated 17 to 19 counts as possibly a child until confirmed.")


class VictimForm(_RegisteredPersonMixin, forms.Form):
    role = PersonRole.KORBAN
    name = forms.CharField(label=_("Victim's name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices), required=False)
    birth_date = DateField(label=_("Date of birth"), required=False, widget=_date_input())
    age_years = IntegerField(label=_("or age (years)"), min_value=0, max_value=120, required=False)
    age_estimated = forms.BooleanField(
        label=_("The age is estimated"), required=False, help_text=ESTIMATED_AGE_SHORT_HELP
    )

    def person(self):
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "sex": data["sex"],
            "birth_date": data["birth_date"],
            "age_years": data["age_years"],
            "age_estimated": data["age_estimated"],
        }


def relationship_field(number):
    """The perpetrator's relationship to victim `number` of the form or the case."""
    return forms.ChoiceField(
        label=_("Relationship to victim %(number)s") % {"number": number},
        choices=_blank(Relationship.choices),
        required=False,
    )


class PerpetratorForm(_RegisteredPersonMixin, forms.Form):
    role = PersonRole.PELAKU
    name = forms.CharField(label=_("Perpetrator's name"), max_length=200, required=False)
    is_unknown = forms.BooleanField(label=_("Identity unknown"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices), required=False)
    age_years = IntegerField(label=_("Age (years)"), min_value=0, max_value=120, required=False)
    # The relationship is per (perpetrator, victim) pair: one field per victim of the form,
    # `relationship` for the first, `relationship_<n>` for the others.
    RELATIONSHIP_FIELDS = tuple(
        "relationship" if n == 1 else f"relationship_{n}" for n in range(1, MAX_VICTIMS + 1)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, name in enumerate(self.RELATIONSHIP_FIELDS, start=1):
            self.fields[name] = relationship_field(number)

    def person(self):
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "is_unknown": data["is_unknown"],
            "sex": data["sex"],
            "age_years": data["age_years"],
            "relationships": [data[f] for f in self.RELATIONSHIP_FIELDS],
        }


class _IntakeFormSet(forms.BaseFormSet):
    """No form is an "initial" one: initial values only keep what was typed when the page is
    re-rendered to add a person (cases.intake), and every blank form stays optional."""

    def initial_form_count(self):
        return 0 if not self.is_bound else super().initial_form_count()


# absolute_max: a posted TOTAL_FORMS past the limit is an error, not a page of a thousand forms.
VictimFormSet = forms.formset_factory(
    VictimForm,
    formset=_IntakeFormSet,
    extra=MAX_VICTIMS - 1,
    min_num=1,
    validate_min=True,
    max_num=MAX_VICTIMS,
    validate_max=True,
    absolute_max=MAX_VICTIMS,
)
PerpetratorFormSet = forms.formset_factory(
    PerpetratorForm,
    formset=_IntakeFormSet,
    extra=MAX_PERPETRATORS,
    max_num=MAX_PERPETRATORS,
    validate_max=True,
    absolute_max=MAX_PERPETRATORS,
)


# --- editing the case ------------------------------------------------------------------------


class VersionedForm(forms.Form):
    """A form over a saved object; `version` is the one the user started from (optimistic lock)."""

    version = IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def initial_for(cls, obj):
        return {"version": obj.version}

    def display(self, name, value):
        """A value as the user reads it, for the conflict page."""
        field = self.fields[name]
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, (list, tuple)):
            labels = dict(getattr(field, "choices", []))
            return ", ".join(str(labels.get(v, v)) for v in value) or "—"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if hasattr(field, "choices"):
            flat = {}
            for key, label in field.choices:
                if isinstance(label, (list, tuple)):
                    flat.update(dict(label))
                else:
                    flat[key] = label
            value = flat.get(value, value)
        if value in (None, ""):
            return "—"
        return str(value)


class IncidentForm(RegionPickerFields, VersionedForm):
    # The elsewhere_* fields: the cascading picker for places outside Payakumbuh.
    incident_date = DateField(label=_("Incident date"), required=False, widget=_date_input())
    incident_date_precision = forms.ChoiceField(
        label=_("How precise is the date?"), choices=DatePrecision.choices
    )
    place_type = forms.ChoiceField(
        label=_("Place of incident"), choices=_blank(PlaceType.choices), required=False
    )
    incident_region = forms.ChoiceField(label=_("Kecamatan / kelurahan (Payakumbuh)"), required=False)
    incident_region_code = forms.CharField(
        label=_("Or region code elsewhere"),
        max_length=13,
        required=False,
        help_text=_("Kemendagri code of a kecamatan or kelurahan, e.g. 13.71.01 or 13.71.01.1001."),
    )
    incident_address = forms.CharField(
        label=_("Incident address"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    chronology = forms.CharField(
        label=_("Chronology"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=_blank(Frequency.choices), required=False)
    tppo_notes = forms.CharField(
        label=_("TPPO details (route, transport, recruiter, documents, debt)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    summary = forms.CharField(
        label=_("What happened (short)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    case_type = forms.ChoiceField(label=_("Case type"), choices=_blank(CaseType.choices), required=False)
    risk = forms.ChoiceField(label=_("Risk"), choices=_blank(RiskLevel.choices), required=False)
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction"), choices=_blank(Jurisdiction.choices), required=False
    )

    SERVICE_FIELDS = (
        "incident_date",
        "incident_date_precision",
        "place_type",
        "incident_region",
        "incident_address",
        "chronology",
        "frequency",
        "tppo_notes",
        "summary",
        "case_type",
        "risk",
        "jurisdiction",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident_region"].choices = pilot_region_choices()

    @classmethod
    def initial_for(cls, case):
        initial = super().initial_for(case)
        initial.update({f: getattr(case, f) for f in cls.SERVICE_FIELDS if f != "incident_region"})
        code = case.incident_region_id or ""
        if code.startswith(settings.SINERGI_HOME_REGION + "."):
            initial["incident_region"] = code
        else:
            initial["incident_region_code"] = code
        return initial

    def clean(self):
        data = super().clean()
        chosen, code = data.get("incident_region"), (data.get("incident_region_code") or "").strip()
        code_field = "incident_region_code"
        if not code and self._picked_elsewhere(data):
            code, code_field = self._picked_elsewhere(data), "elsewhere_district"
        if chosen and code:
            self.add_error(code_field, _("Choose from the list or type a code, not both."))
        elif code or chosen:
            try:
                data["region"] = _region_or_error(code or chosen)
            except ValidationError as exc:
                self.add_error(code_field if code else "incident_region", exc)
        else:
            data["region"] = None
        return data

    def service_fields(self):
        data = self.cleaned_data
        fields = {f: data[f] for f in self.SERVICE_FIELDS if f != "incident_region"}
        fields["incident_region"] = data["region"]
        return fields


_YES_NO = [("ya", _("Yes")), ("tidak", _("No"))]


def _checkboxes(label, choices):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class PersonForm(RegionPickerFields, VersionedForm):
    """Every PERSON_FIELDS field; fields that do not belong to the role are removed."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    is_unknown = forms.BooleanField(label=_("Identity unknown"), required=False)
    is_anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    reporter_kind = forms.ChoiceField(
        label=_("Who reported?"), choices=_blank(ReporterKind.choices), required=False
    )
    nik = forms.CharField(label=_("NIK"), max_length=30, required=False)
    # Shown with the NIK's warnings only (cases/_nik_confirm.html): one tap confirms them.
    nik_confirmed = forms.BooleanField(
        label=_("I checked: the NIK is as written on the card"), required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    region = forms.CharField(
        label=_("Region code"),
        max_length=13,
        required=False,
        help_text=_("Kemendagri code of the kecamatan or kelurahan of residence."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices), required=False)
    birth_date = DateField(label=_("Date of birth"), required=False, widget=_date_input())
    age_years = IntegerField(label=_("or age (years)"), min_value=0, max_value=120, required=False)
    age_estimated = forms.BooleanField(
        label=_("The age is estimated"), required=False, help_text=ESTIMATED_AGE_HELP
    )
    education = forms.ChoiceField(label=_("Education"), choices=_blank(Education.choices), required=False)
    religion = forms.ChoiceField(label=_("Religion"), choices=_blank(Religion.choices), required=False)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=_blank(Occupation.choices), required=False)
    marital_status = forms.ChoiceField(
        label=_("Marital status"), choices=_blank(MaritalStatus.choices), required=False
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"), choices=_blank(Nationality.choices), required=False
    )
    has_disability = forms.ChoiceField(
        label=_("Has a disability?"),
        choices=_blank(DisabilityStatus.choices),
        required=False,
        help_text=_("Leave empty when it was not asked."),
    )
    disabilities = _checkboxes(_("Disabilities"), Disability.choices)
    violence_types = _checkboxes(_("Violence types"), ViolenceType.choices)
    ampk_categories = _checkboxes(_("Special protection categories (AMPK)"), AmpkCategory.choices)

    ROLE_ONLY = {
        "violence_types": PersonRole.KORBAN,
        "ampk_categories": PersonRole.KORBAN,
        "is_unknown": PersonRole.PELAKU,
        "reporter_kind": PersonRole.PELAPOR,
        "is_anonymous": PersonRole.PELAPOR,
    }

    def __init__(self, *args, role, versioned=True, victims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        for name, only in self.ROLE_ONLY.items():
            if role != only:
                del self.fields[name]
        if not versioned:
            del self.fields["version"]
        # A perpetrator's relationship to each victim of the case (DOMAIN.md §4: per pair).
        self.victims = list(victims) if role == PersonRole.PELAKU else []
        for number, victim in enumerate(self.victims, start=1):
            self.fields[f"relationship_{victim.public_id}"] = relationship_field(number)

    @classmethod
    def initial_for(cls, person):
        initial = super().initial_for(person)

        initial.update({f: getattr(person, f) for f in PERSON_FIELDS if f != "region"})
        initial["region"] = person.region_id or ""
        initial["nik_confirmed"] = False
        if person.role == PersonRole.PELAKU:
            for relation in person.victim_relations.select_related("victim"):
                initial[f"relationship_{relation.victim.public_id}"] = relation.relationship
        return initial

    def relationship_fields(self):
        return [self[f"relationship_{v.public_id}"] for v in self.victims]

    def clean_region(self):
        # The picker's fields come first (RegionPickerFields), so they are cleaned already.
        code, picked = self.cleaned_data["region"].strip(), self._picked_elsewhere(self.cleaned_data)
        if code and picked and code != picked:
            raise ValidationError(_("Choose from the list or type a code, not both."))
        code = code or picked
        return _region_or_error(code) if code else None

    def clean(self):
        data = super().clean()
        for field, message in person_date_problems(data).items():
            self.add_error(field, message)
        return data

    def person_fields(self):
        fields = {f: self.cleaned_data[f] for f in PERSON_FIELDS if f in self.fields}
        fields["nik_confirmed"] = self.cleaned_data["nik_confirmed"]
        if self.victims:
            fields["relationships"] = {
                v: self.cleaned_data[f"relationship_{v.public_id}"] for v in self.victims
            }
        return fields


class PersonAddForm(PersonForm):
    """Adding a person: probable matches in other cases are offered before saving."""

    continue_different = forms.BooleanField(
        label=_("None of these: continue, this is a different person"), required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs["versioned"] = False
        super().__init__(*args, **kwargs)

    def match_keys(self):
        data = self.cleaned_data
        birth = data.get("birth_date")
        return {
            "nik": data.get("nik", ""),
            "phone": data.get("phone", ""),
            "name": data.get("name", "") if birth else "",
            "birth_year": birth.year if birth else None,
        }


# --- the case list ---------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        help_text=_("Registration number, case code, NIK, phone or name."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=_blank(CaseStatus.choices), required=False)
    step = forms.ChoiceField(label=_("Step"), choices=_blank(CaseStep.choices), required=False)
    risk = forms.ChoiceField(label=_("Risk"), choices=_blank(RiskLevel.choices), required=False)
    case_type = forms.ChoiceField(label=_("Case type"), choices=_blank(CaseType.choices), required=False)
    year = IntegerField(label=_("Year of report"), min_value=2000, max_value=2100, required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan of the incident"), required=False)
    violence_type = forms.ChoiceField(
        label=_("Violence type"), choices=_blank(ViolenceType.choices), required=False
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    overdue = forms.BooleanField(label=_("With an overdue deadline"), required=False)

    FILTERS = ("status", "step", "risk", "case_type", "year", "kecamatan", "violence_type", "mine", "overdue")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = pilot_kecamatan_choices()

    def used_filters(self):
        return [f for f in self.FILTERS if self.cleaned_data.get(f) not in (None, "", False)]
