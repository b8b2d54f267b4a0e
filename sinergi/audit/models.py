"""The append-only, hash-chained audit trail.

Each event stores a keyed hash (HMAC-SHA256, key outside the database) of its own canonical
content and of the event before it, so that changing, inserting or removing any row breaks the
chain from that row on (`verify_audit`); signed checkpoints of the chain's head, kept outside the
database, catch a cut or wiped trail (sinergi.audit.checkpoints). The database refuses UPDATE
(and, on PostgreSQL, DELETE and TRUNCATE) on the table through triggers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Outcome


class AuditEvent(models.Model):
    # Assigned by the writer under the chain lock (not by a sequence) so ids have no gaps.
    id = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    # Plain copies, not foreign keys: the trail must outlive users and organisations.
    actor_id = models.BigIntegerField(_("actor id"), null=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, db_index=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    case_id = models.CharField(_("case"), max_length=64, blank=True, db_index=True)
    unit_id = models.BigIntegerField(_("unit of the case"), null=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OK)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # Field names and non-personal values only; personal values are never written here in clear.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The data key version whose derived chain key made `hash` (sinergi.audit.chain); empty only
    # for events written before the chain was keyed (unkeyed SHA-256, accepted only before the
    # first keyed event).
    key_version = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"#{self.pk} {self.action} {self.outcome}"


class AuditChainHead(models.Model):
    """One row holding the newest event's hash: writers lock it, so the chain never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_event_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64)

    def __str__(self):
        return f"head #{self.last_event_id}"
