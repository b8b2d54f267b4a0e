"""The partner directory: agencies, their services and contact persons, the `mitra` users who act
for them, and each unit's referral pathway (which agency to suggest first for a service).

Contact persons are staff of agencies (official work details), not survivors.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission, permission_scope
from sinergi.accounts.choices import OrganisationKind, Role, ServiceCategory
from sinergi.accounts.models import Organisation, OrganisationContact, User
from sinergi.audit.services import audit_record

from .models import ReferralPathway
from .policies import can_manage_partner


def partners_visible_to(user):
    """Every active partner agency, for a user with `partner.directory` (none otherwise)."""
    if permission_scope(user, "partner.directory") is None:
        return Organisation.objects.none()
    mitra = Prefetch(
        "users",
        queryset=User.objects.filter(role=Role.MITRA, is_active=True).order_by("username"),
        to_attr="focal_points",
    )
    return (
        Organisation.objects.filter(kind=OrganisationKind.PARTNER, is_active=True)
        .select_related("region", "parent")
        .prefetch_related("contacts", mitra)
        .order_by("name")
    )


def directory_filter(queryset, *, service="", agency_type="", query=""):
    if service:
        # JSON containment differs between SQLite and PostgreSQL: match the quoted code as text.
        queryset = queryset.filter(services_offered__icontains=f'"{service}"')
    if agency_type:
        queryset = queryset.filter(agency_type=agency_type)
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    return queryset


def pathways_of(unit):
    """{service: [agency, ...]} of the unit's pathway, in the order the unit set."""
    table = {code: [] for code in ServiceCategory.values}
    for row in (
        ReferralPathway.objects.filter(unit=unit)
        .select_related("agency")
        .order_by("service", "position", "id")
    ):
        table.setdefault(row.service, []).append(row.agency)
    return table


@transaction.atomic
def pathway_set(*, actor, unit, service, agencies):
    """Replace the unit's ordered list of agencies for one service."""
    if not has_permission(actor, "partner.manage") or actor.organisation_id != unit.pk:
        raise PermissionDenied
    if service not in ServiceCategory.values:
        raise ValidationError({"service": _("Choose a service.")})
    agencies = list(dict.fromkeys(agencies))
    wrong = [a for a in agencies if a.kind != OrganisationKind.PARTNER or not a.is_active]
    if wrong:
        raise ValidationError({"agencies": _("Choose active partner agencies.")})
    before = list(
        ReferralPathway.objects.filter(unit=unit, service=service)
        .order_by("position")
        .values_list("agency__public_id", flat=True)
    )
    ReferralPathway.objects.filter(unit=unit, service=service).delete()
    ReferralPathway.objects.bulk_create(
        [
            ReferralPathway(unit=unit, service=service, agency=agency, position=i, updated_by=actor)
            for i, agency in enumerate(agencies, start=1)
        ]
    )
    after = [a.public_id for a in agencies]
    if before != after:
        audit_record(
            actor=actor,
            action="partner.pathway",
            object_type="organisation",
            object_id=unit.public_id,
            details={"service": service, "before": before, "after": after},
        )
    return agencies


@transaction.atomic
def contact_add(*, actor, organisation, name, position="", phone="", email=""):
    if not can_manage_partner(actor, organisation):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the contact person's name.")})
    contact = OrganisationContact(
        organisation=organisation,
        name=name,
        position=(position or "").strip(),
        phone=(phone or "").strip(),
        email=(email or "").strip(),
    )
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor,
        action="partner.contact_add",
        object_type="organisation",
        object_id=organisation.public_id,
        details={"contact": contact.pk},
    )
    return contact


@transaction.atomic
def contact_remove(*, actor, contact):
    if not can_manage_partner(actor, contact.organisation):
        raise PermissionDenied
    pk = contact.pk
    contact.delete()
    audit_record(
        actor=actor,
        action="partner.contact_remove",
        object_type="organisation",
        object_id=contact.organisation.public_id,
        details={"contact": pk},
    )
