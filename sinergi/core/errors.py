"""Errors: refusals of the rules, and error reporting that never leaks what a user typed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.views.debug import SafeExceptionReporterFilter


class NoPersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Mask every POST field and every cookie in error reports (mails to ADMINS, debug pages)."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_safe_cookies(self, request):
        return dict.fromkeys(getattr(request, "COOKIES", {}), self.cleansed_substitute)


class Refusal(ValidationError):
    """A rule said no: the one way a service refuses an action.

    It is a ValidationError, so a form shows it (`sinergi.core.forms.add_service_errors`: next to
    `field`, or above the form when `field` is None), and every caller that handled a service's
    ValidationError keeps working. `audit` names what was refused, as audit_record's keywords
    (`action`, `object_type`, `object_id`, `case`); a service decorated with
    `sinergi.audit.refusals.refusals_audited` records it as denied once the transaction the
    refusal happened in has rolled back, so the record of the attempt is never lost with the
    attempt itself. Rights (a role without a permission) stay PermissionDenied: a 403, audited by
    the view guards.
    """

    def __init__(self, message, *, field=None, code="refused", params=None, audit=None, details=None):
        if field:
            super().__init__({field: [ValidationError(message, code=code, params=params)]})
            self.code = code  # as a single-message ValidationError has it
        else:
            super().__init__(message, code=code, params=params)
        self.field = field
        self.reason = code
        self.audit = audit
        self.details = details or {}
        self.audited = False

    @classmethod
    def of_fields(cls, errors, *, code="refused", audit=None, details=None):
        """Several field messages at once ({field: message}); the first field leads."""
        refusal = cls(
            next(iter(errors.values())), field=next(iter(errors)), code=code, audit=audit, details=details
        )
        refusal.error_dict = {
            field: [ValidationError(message, code=code)] for field, message in errors.items()
        }
        return refusal


class AuditedDenial(PermissionDenied):
    """A right said no, and the attempt is recorded as denied once the request has left every
    transaction of the view (AuditContextMiddleware.process_exception), so a rollback of the
    attempted write does not take the record with it. `audit`: audit_record's keywords."""

    def __init__(self, audit):
        super().__init__(audit.get("details", {}).get("reason", "denied"))
        self.audit = audit
