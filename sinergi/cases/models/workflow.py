"""Case management over time: step history, lead changes, assessments, plans, approvals, reviews,
notes (DOMAIN.md §6). Written only through sinergi.cases.workflow; every narrative is encrypted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.fields import EncryptedTextField
from sinergi.core.ids import new_public_id

from ..choices import (
    ApprovalKind,
    ApprovalStatus,
    CaseStep,
    ClosureReason,
    PlanStatus,
    RiskLevel,
    StepCause,
)


class CaseStepChange(models.Model):
    """One move of a case from a step to another (closures and reopenings included)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="step_changes")
    from_step = models.CharField(_("from"), max_length=15, choices=CaseStep.choices)
    to_step = models.CharField(_("to"), max_length=15, choices=CaseStep.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = EncryptedTextField(_("reason"), blank=True)
    # Blank for a move by hand; else the work that moved the case (StepCause).
    cause = models.CharField(_("moved by"), max_length=15, choices=StepCause.choices, blank=True)

    class Meta:
        ordering = ["case", "at", "id"]

    def __str__(self):
        return f"{self.from_step} → {self.to_step}"


class LeadChange(models.Model):
    """Who led the case before whom, and why the lead changed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="lead_changes")
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "changed_at", "id"]

    def __str__(self):
        return f"lead {self.previous_id} → {self.new_id}"


class Assessment(models.Model):
    """The biopsychosocial assessment of one victim. Draft until `completed_at` is set."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    victim = models.ForeignKey("cases.CasePerson", on_delete=models.CASCADE, related_name="assessments")
    risk = models.CharField(
        _("risk after re-evaluation"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    safety = EncryptedTextField(_("safety and risk"), blank=True)
    health = EncryptedTextField(_("health"), blank=True)
    psychological = EncryptedTextField(_("psychological condition"), blank=True)
    social_economic = EncryptedTextField(_("social and economic situation"), blank=True)
    legal_needs = EncryptedTextField(_("legal needs"), blank=True)
    disability_needs = EncryptedTextField(_("disability needs"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    NARRATIVE_FIELDS = (
        "safety",
        "health",
        "psychological",
        "social_economic",
        "legal_needs",
        "disability_needs",
    )

    class Meta:
        ordering = ["case", "-created_at", "-id"]

    def __str__(self):
        return self.public_id


class InterventionPlan(models.Model):
    """The plan made with the victim: goals and actions (who, by when); approved by the kepala."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="plans")
    goals = EncryptedTextField(_("goals"))
    agreed_with_victim = models.BooleanField(_("agreed with the survivor"), default=False)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case", "-created_at", "-id"]

    def __str__(self):
        return self.public_id


class PlanAction(models.Model):
    plan = models.ForeignKey(InterventionPlan, on_delete=models.CASCADE, related_name="actions")
    description = EncryptedTextField(_("action"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who (staff)"),
    )
    responsible_other = models.CharField(_("who (agency or other)"), max_length=200, blank=True)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self):
        return f"action {self.pk} of {self.plan_id}"


class ApprovalRequest(models.Model):
    """A plan or a closure put to the kepala, and the decision. Every round is kept (history)."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="approval_requests")
    kind = models.CharField(_("kind"), max_length=10, choices=ApprovalKind.choices)
    plan = models.ForeignKey(
        InterventionPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True
    )
    note = EncryptedTextField(_("note"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = EncryptedTextField(_("comments"), blank=True)

    class Meta:
        ordering = ["case", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status="menunggu"),
                name="one_pending_request_per_case_and_kind",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.status} @ {self.case_id}"


class MonevReview(models.Model):
    """A monitoring and review of the case (at least every 3 months)."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("review date"))
    progress = EncryptedTextField(_("progress against the plan"))
    next_steps = EncryptedTextField(_("next steps"), blank=True)
    risk = models.CharField(_("risk now"), max_length=10, choices=RiskLevel.choices, blank=True)
    plan_still_valid = models.BooleanField(_("the plan still fits"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "-reviewed_on", "-id"]

    def __str__(self):
        return self.public_id


class CaseNote(models.Model):
    """A note by a staff member. Private notes are for the case team and the kepala only."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    body = EncryptedTextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    private = models.BooleanField(_("private to the case team"), default=False)

    class Meta:
        ordering = ["case", "-created_at", "-id"]

    def __str__(self):
        return self.public_id
