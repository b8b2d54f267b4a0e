"""Who may do what in the reports (the rights themselves are in access_control.md)."""

from sinergi.accounts.access import has_permission

from .models import JobKind


def may_record_simfoni_entries(user, job):
    """The data officer (`simfoni.entry`) marks victims entered into SIMFONI-PPA from a
    pseudonymous SIMFONI export they asked for themselves; only victims of their own unit's cases
    (`simfoni_entries.victims_markable`)."""
    return (
        has_permission(user, "simfoni.entry")
        and job.kind == JobKind.SIMFONI
        and job.requested_by_id == user.pk
        and user.organisation_id is not None
    )
