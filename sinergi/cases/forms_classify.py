"""The form of one victim's incident: GBVIMS answers and legal qualification (DOMAIN.md §5, §9)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import DateField

from . import rules
from .choices import PkdrtType, TpksOffence, TppoCategory, TppoMeans, TppoProcess, TppoPurpose
from .forms import _YES_NO, VersionedForm, _blank, _checkboxes, _date_input


class ClassifyForm(VersionedForm):
    """One victim's incident (DOMAIN.md §4: one survivor, one incident)."""

    tpks_offences = _checkboxes(_("TPKS offences (UU 12/2022 Ps 4)"), TpksOffence.choices)
    pkdrt_types = _checkboxes(_("Domestic violence (UU 23/2004 PKDRT Ps 5)"), PkdrtType.choices)
    tppo_processes = _checkboxes(_("TPPO: process"), TppoProcess.choices)
    tppo_means = _checkboxes(_("TPPO: means"), TppoMeans.choices)
    tppo_purposes = _checkboxes(_("TPPO: purpose"), TppoPurpose.choices)
    tppo_category = forms.ChoiceField(
        label=_("Trafficking category (SIMFONI)"), choices=_blank(TppoCategory.choices), required=False
    )
    reported_to_police_on = DateField(
        label=_("The victim reported to the police herself on"),
        required=False,
        widget=_date_input(),
        help_text=_("UU TPKS Ps 41(4): the unit's own report to the police is then already made."),
    )

    LISTS = ("tpks_offences", "pkdrt_types", "tppo_processes", "tppo_means", "tppo_purposes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in (rules.GBVIMS_GATE, *rules.GBVIMS_QUESTIONS, *rules.GBVIMS_CONTEXT_QUESTIONS):
            self.fields[f"gbvims_{question.key}"] = forms.ChoiceField(
                label=question.text,
                help_text=question.definition,
                choices=_YES_NO,
                required=False,
                widget=forms.RadioSelect,
            )

    def gbvims_gate_field(self):
        return self[f"gbvims_{rules.GBVIMS_GATE.key}"]

    def gbvims_fields(self):
        """The type questions, in order (not asked when the gate is answered "no")."""
        return [self[f"gbvims_{q.key}"] for q in rules.GBVIMS_QUESTIONS]

    def gbvims_context_fields(self):
        return [self[f"gbvims_{q.key}"] for q in rules.GBVIMS_CONTEXT_QUESTIONS]

    TPPO_FIELDS = ("tppo_processes", "tppo_means", "tppo_purposes", "tppo_category")

    def list_fields(self):
        """The legal qualification's fields outside the trafficking block."""
        return [self[name] for name in (*self.LISTS, "reported_to_police_on") if name not in self.TPPO_FIELDS]

    def tppo_fields(self):
        return [self[name] for name in self.TPPO_FIELDS]

    def tppo_indicated(self):
        """Whether the trafficking block opens: something is recorded or typed in it, or it has an
        error. Otherwise it stays folded behind "Is there a trafficking indication?" (issue 14)."""
        return any(bool(field.value()) or bool(field.errors) for field in self.tppo_fields())

    @classmethod
    def initial_for(cls, victim):
        initial = super().initial_for(victim)
        initial.update({f: list(getattr(victim, f)) for f in cls.LISTS})
        initial["tppo_category"] = victim.tppo_category
        initial["reported_to_police_on"] = victim.reported_to_police_on
        for key, answer in (victim.gbvims_answers or {}).items():
            initial[f"gbvims_{key}"] = "ya" if answer else "tidak"
        return initial

    def service_fields(self):
        data = self.cleaned_data
        fields = {f: data[f] for f in self.LISTS}
        fields["tppo_category"] = data["tppo_category"]
        fields["reported_to_police_on"] = data["reported_to_police_on"]
        answers = {}
        for key in rules.GBVIMS_ALL_KEYS:
            answer = data.get(f"gbvims_{key}")
            if answer:
                answers[key] = answer == "ya"
        # The server decides: after "no" at the gate the other answers are dropped (rules).
        fields["gbvims_answers"] = answers
        return fields


class NotTpksForm(forms.Form):
    """An officer's reasoned proposal that an incident is not TPKS (the head of unit decides)."""

    reason = forms.CharField(
        label=_("Why is this incident not a sexual violence crime?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Answer each indicator shown above. The head of unit reads this before deciding."),
    )


class NotTpksDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject the proposal."),
    )
