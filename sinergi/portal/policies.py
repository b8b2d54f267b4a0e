"""Who may work the intake queue of public reports."""

from django.core.exceptions import PermissionDenied

from sinergi.accounts.access import has_permission


def require_queue(actor, report=None):
    if not has_permission(actor, "intake.queue") or actor.organisation_id is None:
        raise PermissionDenied
    if report is not None and report.unit_id != actor.organisation_id:
        raise PermissionDenied
