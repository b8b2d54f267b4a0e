"""Form helpers shared by every app, and the form fields every app uses instead of Django's.

The fields below are Django's with the edge checks a request needs before any value reaches a
query or a date computation (issue 15, item 6): no input may make a server error. A test
(workspace/tests/test_edge_input.py) fails when a module uses Django's own field where one of these
exists.
"""

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxValueValidator, MinValueValidator
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


# The dates a form accepts: wide enough for any birth date or history import, narrow enough that
# a day after the last one, or the first one in UTC, is still a date Python and the databases know.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# PostgreSQL's `integer` (the narrowest integer column of the project): a larger number from a
# form is refused there, and SQLite cannot bind one past 64 bits at all.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
DECIMAL_MAX_DIGITS = 15


def _date_range_error():
    return forms.ValidationError(
        _("Enter a date between %(min)s and %(max)s."),
        code="date_range",
        params={"min": DATE_MIN.strftime("%d-%m-%Y"), "max": DATE_MAX.strftime("%d-%m-%Y")},
    )


class DateField(forms.DateField):
    """Django's, limited to DATE_MIN..DATE_MAX (0001-01-01 or 9999-12-31 overflow once a view adds
    a day or turns the date into a moment in UTC)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise _date_range_error()
        return value


class DateTimeField(forms.DateTimeField):
    """Django's, limited to the days DateField accepts."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not DATE_MIN <= value.date() <= DATE_MAX:
            raise _date_range_error()
        return value


class IntegerField(forms.IntegerField):
    """Django's, never past a database integer column (when the form gives no tighter bounds)."""

    def __init__(self, *, max_value=None, min_value=None, **kwargs):
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)
        if max_value is None:
            self.validators.append(MaxValueValidator(INT_MAX))
        if min_value is None:
            self.validators.append(MinValueValidator(INT_MIN))


class DecimalField(forms.DecimalField):
    """Django's, with at most DECIMAL_MAX_DIGITS digits when the form names no limit."""

    def __init__(self, *, max_digits=None, **kwargs):
        super().__init__(max_digits=max_digits or DECIMAL_MAX_DIGITS, **kwargs)


def _unusable_key(value):
    """A key no row can have: a NUL byte (PostgreSQL cannot even compare one) or a number past 64
    bits (SQLite cannot bind it, PostgreSQL refuses it for a bigint)."""
    text = str(value)
    if "\x00" in text:
        return True
    digits = text.strip().lstrip("+-")
    return digits.isdigit() and len(digits) > 18


def _invalid_choice(field, value):
    return forms.ValidationError(
        field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
    )


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, but a key no row can have is an invalid choice before any query."""

    def to_python(self, value):
        if value not in self.empty_values and _unusable_key(value):
            raise _invalid_choice(self, "…")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with the same guard as ModelChoiceField for every value of the list."""

    def _check_values(self, value):
        if not isinstance(value, (str, bytes)) and any(_unusable_key(v) for v in value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": "…"}
            )
        return super()._check_values(value)
