"""Which victims were entered into SIMFONI-PPA: the data officer's record (DOMAIN.md §10).

From one of their SIMFONI exports the data officer marks victims as entered: the SIMFONI number
and/or the date they were entered. The entry keeps the fingerprint of the values *that export*
held (SimfoniExportRow), so a change made after the export, even before the marking, shows as
"changed since entry" in the next export (sinergi.reports.simfoni, selection "changed"), and a
victim never entered shows as "new". Nothing is entered twice, nothing is missed.

Service: `simfoni_entries_record(*, actor, job, victim_ids=(), numbers=None, entered_on=None,
pending=False)`; each marked victim writes one `simfoni.entry` audit event, in the same
transaction.
"""

import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record
from sinergi.core.errors import Refusal

from .models import SimfoniEntry, SimfoniExportRow
from .policies import may_record_simfoni_entries

NUMBER_MAX = 40
_NUMBER_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./_ -]*$")


def export_rows(job, user):
    """The rows of `job` the user may mark (their own unit's victims), with each victim's current
    entry, in file order. Only codes and ids are read: never a victim's name."""
    return (
        SimfoniExportRow.objects.filter(job=job, victim__case__unit_id=user.organisation_id)
        .select_related("victim__case", "victim__simfoni_entry")
        .only(
            "pk",
            "job_id",
            "victim_code",
            "fingerprint",
            "victim__public_id",
            "victim__case__public_id",
            "victim__case__unit_id",
            "victim__simfoni_entry__victim_id",
            "victim__simfoni_entry__fingerprint",
            "victim__simfoni_entry__number",
            "victim__simfoni_entry__entered_on",
        )
        .order_by("id")
    )


def row_state(row):
    """baru / berubah / sudah of an export row against the victim's entry now."""
    entry = getattr(row.victim, "simfoni_entry", None)
    if entry is None:
        return "baru"
    return "sudah" if entry.fingerprint == row.fingerprint else "berubah"


def _clean_number(number):
    number = " ".join((number or "").split())
    if not number:
        return ""
    if len(number) > NUMBER_MAX:
        raise Refusal(
            _("A SIMFONI number has at most 40 characters."), field="numbers", code="number_too_long"
        )
    if not _NUMBER_SHAPE.match(number):
        raise Refusal(
            _("A SIMFONI number holds letters, digits and . / - _ only."),
            field="numbers",
            code="number_shape",
        )
    return number


@refusals_audited
def simfoni_entries_record(*, actor, job, victim_ids=(), numbers=None, entered_on=None, pending=False):
    """Mark victims of `job` as entered into SIMFONI. Returns how many were marked.

    `victim_ids` are victims' public ids; `numbers` maps some of them to their SIMFONI number.
    With `pending`, every victim of the export that is new or changed is marked instead (numbers
    are then kept as they were). A victim needs a number or a date; a number given before is kept
    when none is given now. Refusals (a victim not in the export or of another unit, a future date,
    a malformed number) change nothing.
    """
    if not may_record_simfoni_entries(actor, job):
        raise PermissionDenied
    audit = {"action": "simfoni.entry", "object_type": "report_job", "object_id": job.public_id}
    numbers = {key: _clean_number(value) for key, value in (numbers or {}).items()}
    if entered_on is not None and entered_on > timezone.localdate():
        raise Refusal(
            _("The date entered cannot be in the future."), field="entered_on", code="future", audit=audit
        )
    rows = list(export_rows(job, actor))
    if pending:
        chosen = [row for row in rows if row_state(row) != "sudah"]
    else:
        wanted = set(victim_ids)
        chosen = [row for row in rows if row.victim.public_id in wanted]
        if len(chosen) != len(wanted):
            raise Refusal(
                _("Some of the chosen victims are not in this export, or not of your unit."),
                field="victims",
                code="not_in_export",
                audit=audit,
            )
    if not chosen:
        raise Refusal(_("Choose at least one victim."), field="victims", code="none_chosen", audit=audit)
    now = timezone.now()
    with transaction.atomic():
        for row in chosen:
            victim = row.victim
            previous = getattr(victim, "simfoni_entry", None)
            number = numbers.get(victim.public_id, "") or (previous.number if previous else "")
            if not number and entered_on is None:
                raise Refusal(
                    _("Give the SIMFONI number or the date entered."),
                    field="entered_on",
                    code="empty",
                    audit=audit,
                )
            SimfoniEntry.objects.update_or_create(
                victim=victim,
                defaults={
                    "number": number,
                    "entered_on": entered_on,
                    "fingerprint": row.fingerprint,
                    "job": job,
                    "entered_by": actor,
                    "entered_at": now,
                },
            )
            audit_record(
                actor=actor,
                action="simfoni.entry",
                object_type="case_person",
                object_id=victim.public_id,
                case=victim.case,
                details={
                    "job": job.public_id,
                    "victim_code": row.victim_code,
                    "number": bool(number),
                    "entered_on": entered_on.isoformat() if entered_on else "",
                    "again": previous is not None,
                },
            )
    return len(chosen)
