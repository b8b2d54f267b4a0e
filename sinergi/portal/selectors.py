"""Reads for the portal: which unit receives public reports, its contact details, the intake queue."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Case as When_
from django.db.models import IntegerField, Value, When
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission, permission_scope_of_role
from sinergi.accounts.choices import AgencyType, OrganisationKind, Role
from sinergi.accounts.models import Organisation, User
from sinergi.cases.choices import CaseStatus
from sinergi.deadlines.models import Deadline
from sinergi.deadlines.selectors import deadline_state

from .choices import OPEN_STATUSES, ReportStatus
from .models import PortalSettings, Report, ReportEvidence

#: A logo's file name: one plain name in the branding folder (no folder parts), an image browsers
#: show without running anything (no SVG).
LOGO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}\.(png|jpe?g|webp)", re.IGNORECASE)
LOGO_MAX_BYTES = 200 * 1024
LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


def portal_unit():
    """The service unit that receives reports from the public form, or None.

    The active service unit of the installation's home region (settings.SINERGI_HOME_REGION),
    a UPTD PPA before any other agency there (a city's DP3A office may share the region); failing
    that, the only active service unit of the installation. None when neither rule gives one unit:
    the form then shows the phone numbers instead of accepting reports.
    """
    units = Organisation.objects.filter(kind=OrganisationKind.SERVICE_UNIT, is_active=True).select_related(
        "region"
    )
    home = list(
        units.filter(region_id=settings.SINERGI_HOME_REGION)
        .annotate(
            uptd_first=When_(
                When(agency_type=AgencyType.UPTD_PPA, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("uptd_first", "pk")[:1]
    )
    if home:
        return home[0]
    only = list(units[:2])
    return only[0] if len(only) == 1 else None


@dataclass(frozen=True)
class UnitContacts:
    name: str
    hotline: str
    whatsapp: str
    office_address: str
    opening_hours: str
    government: str = ""
    has_logo: bool = False

    @property
    def whatsapp_link(self):
        """https://wa.me/62… for an Indonesian number, or "" when it cannot be made one."""
        digits = "".join(ch for ch in self.whatsapp if ch.isdigit())
        if digits.startswith("0"):
            digits = "62" + digits[1:]
        return f"https://wa.me/{digits}" if len(digits) >= 9 else ""

    @property
    def hotline_link(self):
        digits = "".join(ch for ch in self.hotline if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""


def unit_contacts(unit):
    """What the public pages say about the unit: its portal settings, else its organisation record."""
    if unit is None:
        return None
    own = PortalSettings.objects.filter(unit=unit).first() or PortalSettings(unit=unit)
    return UnitContacts(
        name=own.official_name or unit.name,
        government=own.government_name or default_government_name(unit),
        has_logo=_logo_path(own.logo_file) is not None,
        hotline=own.hotline or unit.phone,
        whatsapp=own.whatsapp or unit.whatsapp,
        office_address=own.office_address or unit.address,
        opening_hours=own.opening_hours or unit.opening_hours,
    )


def default_government_name(unit):
    """ "Pemerintah Kota Payakumbuh" for a unit of that region; "" when the unit has no region."""
    region = unit.region
    if region is None:
        return ""
    return _("Government of %(region)s") % {"region": region.display_name}


def unit_logo_path(unit):
    """The file of the unit's logo in settings.SINERGI_BRANDING_DIR, or None (none set, or gone)."""
    if unit is None:
        return None
    return _logo_path(PortalSettings.objects.filter(unit=unit).values_list("logo_file", flat=True).first())


def _logo_path(name):
    # A file the operator removed after the kepala named it: the neutral emblem, not a broken image.
    if not name or not LOGO_NAME.fullmatch(name):
        return None
    path = Path(settings.SINERGI_BRANDING_DIR) / name
    return path if path.is_file() else None


def reports_visible_to(user):
    """Reports of the user's own unit, for intake officers and the kepala; none for anyone else."""
    if not has_permission(user, "intake.queue") or user.organisation_id is None:
        return Report.objects.none()
    return Report.objects.filter(unit_id=user.organisation_id)


def intake_queue(user, *, show="open"):
    """The queue: reports waiting for a decision, "danger now" first, then the longest waiting."""
    reports = reports_visible_to(user).select_related("case", "place_region", "taken_by")
    if show == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
        return reports.order_by("-danger_now", "submitted_at", "id")
    return reports.order_by("-submitted_at", "-id")


def public_status(report):
    """The coarse status the reporter sees: a handled report is finished once its case is closed."""
    if report.status == ReportStatus.DIPROSES and report.case_id and report.case.status == CaseStatus.CLOSED:
        return ReportStatus.SELESAI
    return report.status


def on_duty_staff(unit):
    """Who is alerted at once about a "danger now" report: the unit's active users who can open the
    intake queue (`intake.queue`: its intake officers and its kepala, docs/portal.md)."""
    roles = [role for role in Role.values if permission_scope_of_role(role, "intake.queue")]
    return list(User.objects.filter(organisation=unit, is_active=True, role__in=roles).order_by("pk"))


def tracked_report(public_id):
    """The report a reporter's signed tracking marker names (the marker is the proof, not a login)."""
    return Report.objects.filter(public_id=public_id).select_related("case").first()


def report_evidence(report):
    return ReportEvidence.objects.filter(report=report)


def unit_portal_settings(unit):
    """The unit's portal settings, or unsaved defaults when it has none yet."""
    return PortalSettings.objects.filter(unit=unit).first() or PortalSettings(unit=unit)


def first_response_clocks(report_ids, *, kind):
    """{report public id: (deadline state, deadline)} of each report's first-response clock."""
    clocks = Deadline.objects.filter(
        kind=kind, subject_type="portal.report", subject_id__in=report_ids
    ).order_by("started_at")
    return {d.subject_id: (deadline_state(d), d) for d in clocks}
