"""Form helpers shared by every app."""

from django.core.exceptions import NON_FIELD_ERRORS


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
