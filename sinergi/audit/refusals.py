"""Refusals recorded as denied, after the transaction they happened in has rolled back."""

from functools import wraps

from django.db import connection

from sinergi.core.errors import Refusal

from .choices import Outcome
from .services import audit_record


def _outside_any_transaction():
    """True when no transaction of the application is open (a test case's own one does not count):
    what is written now stays, whatever happens to the refused action."""
    return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def refusals_audited(service):
    """Record a service's Refusal as a denied audit event (actor: the service's `actor` keyword).

    Inside a caller's transaction the event is left to the outermost decorated service, which
    runs after that transaction rolled back; so it is written once, and never rolled back with
    the attempt.
    """

    @wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except Refusal as refusal:
            if refusal.audit is not None and not refusal.audited and _outside_any_transaction():
                audit_record(
                    actor=kwargs.get("actor"),
                    outcome=Outcome.DENIED,
                    details={"reason": refusal.reason, **refusal.details},
                    **refusal.audit,
                )
                refusal.audited = True
            raise

    return wrapper
