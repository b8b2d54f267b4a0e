"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _


def add_service_errors(form, exc, *, default_field=None):
    """Show a service's refusal (a Refusal or any ValidationError) on the form: next to the
    fields it names, the rest next to `default_field` (above the form when None).

    The one way views map a service error onto a form.
    """
    error_dict = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    for field, errors in error_dict.items():
        target = field if field in form.fields else default_field
        for error in errors:
            form.add_error(target, error)


def optional_yes_no(label, *, help_text="", blank=None):
    """A yes / no question that may stay unanswered: True, False, or None (`blank` names the
    unanswered choice, "Not answered" by default)."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[("", blank or _("Not answered")), ("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
    )


#: The value a confirm-step form posts (templates/includes/confirm_step.html).
CONFIRM_FIELD, CONFIRM_VALUE = "confirm", "ya"


def confirmed(request):
    """Whether the POST came from the second, "yes, do it" button of a confirm step: an action that
    notifies others or cuts someone's access never happens on one click (a stray tap, a replayed
    form without the field)."""
    return request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE
