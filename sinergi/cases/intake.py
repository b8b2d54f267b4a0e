"""The registration page's layout: which victim and perpetrator forms are open, the form kept when
"add a victim" is pressed without JavaScript, and the error summary at the top (docs/case-record.md
"Registering a case")."""

from django.utils.translation import gettext as _

from .forms import MAX_PERPETRATORS, MAX_VICTIMS, PerpetratorForm, RegisterCaseForm, VictimForm

#: The value of the "add" buttons (`<button name="add">`): the formset prefix.
ADDABLE = {"korban": MAX_VICTIMS, "pelaku": MAX_PERPETRATORS}


def _posted_row(data, prefix, index, names):
    return {name: data.get(f"{prefix}-{index}-{name}") for name in names}


def _filled(row):
    return any(value not in (None, "") for value in row.values())


def kept_initial(data):
    """What the user typed, as initial values: the page re-rendered for "add" shows no errors."""
    case = {name: data.get(name) for name in RegisterCaseForm.base_fields}
    victims = [_posted_row(data, "korban", i, VictimForm.base_fields) for i in range(MAX_VICTIMS)]
    names = [*PerpetratorForm.base_fields, *PerpetratorForm.RELATIONSHIP_FIELDS]
    perpetrators = [_posted_row(data, "pelaku", i, names) for i in range(MAX_PERPETRATORS)]
    return case, victims, perpetrators


def open_count(formset, *, minimum=0, add=False):
    """How many forms of the formset are shown: every one up to the last in use (typed in, or with
    an error), at least `minimum`, and one more when the user pressed "add"."""
    used = 0
    for number, form in enumerate(formset, start=1):
        in_use = (form.has_changed() or bool(form.errors)) if form.is_bound else _filled(form.initial)
        if in_use:
            used = number
    count = max(used, minimum) + (1 if add else 0)
    return min(count, formset.max_num)


def _field_label(form, name):
    field = form.fields.get(name)
    return str(field.label) if field is not None else ""


def error_summary(form, victims, perpetrators):
    """[(anchor id, text)] for each error of the page, in the page's order."""
    entries = []

    def add_form(f, heading=""):
        first = next(iter(f.fields), None)
        for name, errors in f.errors.items():
            target = name if name in f.fields else first
            if target is None:
                continue
            label = _field_label(f, name) if name in f.fields else ""
            prefix = " — ".join(part for part in (heading, label) if part)
            for message in errors:
                entries.append((f[target].auto_id, f"{prefix}: {message}" if prefix else str(message)))

    if not form.is_bound:
        return entries
    add_form(form)
    for formset, noun in ((victims, _("Victim %(n)s")), (perpetrators, _("Perpetrator %(n)s"))):
        first = formset.forms[0] if formset.forms else None
        for message in formset.non_form_errors():
            if first is not None:
                entries.append((first[next(iter(first.fields))].auto_id, str(message)))
        for number, f in enumerate(formset.forms, start=1):
            add_form(f, noun % {"n": number})
    return entries
