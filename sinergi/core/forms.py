"""Form helpers shared by every app."""

from django.core.exceptions import NON_FIELD_ERRORS


def add_service_errors(form, exc):
    """Show a service's ValidationError next to the fields it names; the rest above the form."""
    error_dict = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for field, messages in error_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
