"""The role's own part of the "Pekerjaan saya" home page (issue 14 item 4).

Each home answers "what do I do now?" for one role, with its single most important action as the
primary button (`primary`). Every list is capped (mywork.capped: a fixed number of queries, a
"more" link to the full, keyset-paginated list) and read through the selectors that decide what
the user may open, so a home never lists what the user cannot open.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.accounts.choices import Role
from sinergi.cases import rules
from sinergi.cases.choices import CaseStatus, CaseStep, PersonRole, TeamRole
from sinergi.cases.models import CaseAssignment, CasePerson
from sinergi.cases.selectors import cases_visible_to
from sinergi.coordination.choices import MeetingKind, MeetingStatus
from sinergi.coordination.selectors import action_items_visible_to, meetings_visible_to, open_action_items
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.models import Deadline
from sinergi.portal.alarm import minutes_left, report_label, untaken_alarms
from sinergi.portal.choices import OPEN_STATUSES as REPORT_OPEN
from sinergi.portal.selectors import first_response_clocks, reports_visible_to
from sinergi.referrals.choices import ReferralStatus
from sinergi.referrals.selectors import referrals_visible_to
from sinergi.reports import aggregates
from sinergi.reports.disclosure import protect_total
from sinergi.reports.protected import last_closed_day, sees_detail

from .board import overdue_by_person
from .mywork import capped

#: Rows of each home list; the full list is one link away.
HOME_LIMIT = 10

HOME_KINDS = {
    Role.PETUGAS_PENGADUAN: "intake",
    Role.PENDAMPING: "caseworker",
    Role.PSIKOLOG: "caseworker",
    Role.KEPALA_UPTD: "kepala",
    Role.MITRA: "partner",
    Role.PIMPINAN: "leadership",
}


@dataclass(frozen=True)
class Primary:
    """The one primary button of a home: what to do first."""

    label: str
    url: str


def home_kind(user):
    return HOME_KINDS.get(user.role, "")


def _time_left(due_at, now):
    """Minutes under two hours (a danger-now report counts them), else hours or days."""
    if due_at is None:
        return ""
    left = due_at - now
    if abs(left) < dt.timedelta(hours=2):
        return minutes_left(due_at, now)
    hours = int(abs(left).total_seconds() // 3600)
    text = _("%(n)s h") % {"n": hours} if hours < 48 else _("%(n)s days") % {"n": hours // 24}
    return _("overdue by %(t)s") % {"t": text} if left < dt.timedelta(0) else _("%(t)s left") % {"t": text}


def _initials(name):
    """ "Siti Aminah" → "S.A.": enough for the case worker to know the case, not a name on a screen."""
    parts = [p for p in (name or "").replace(".", " ").split() if p[:1].isalpha()]
    return ".".join(p[0].upper() for p in parts[:3]) + "." if parts else "—"


def _with_next_deadline(cases):
    """Each case's running clock due first: when, and which clock (two subqueries, one query)."""
    nxt = Deadline.objects.filter(case=OuterRef("pk"), status="open").order_by("due_at", "id")
    return cases.annotate(
        next_due=Subquery(nxt.values("due_at")[:1]), next_kind=Subquery(nxt.values("kind")[:1])
    )


def _clock_labels():
    return dict(ClockKind.choices)


# --- intake officer ----------------------------------------------------------------------------


def intake_home(user, now):
    """New reports of the queue (danger now first, then the longest waiting) and the cases the
    officer registered that still wait at intake."""
    reports = capped(
        reports_visible_to(user).filter(status__in=REPORT_OPEN).order_by("-danger_now", "submitted_at", "id"),
        HOME_LIMIT,
    )
    clocks = first_response_clocks([r.public_id for r in reports], kind=ClockKind.FIRST_RESPONSE)
    for r in reports:
        clock = clocks.get(r.public_id)
        due = clock[1].due_at if clock and clock[1].stopped_at is None else None
        r.code = report_label(r)
        r.left = _time_left(due, now)
        r.late = due is not None and due < now
    to_complete = capped(
        _with_next_deadline(
            cases_visible_to(user).filter(step=CaseStep.PENERIMAAN).exclude(status=CaseStatus.CLOSED)
        ).order_by("created_at", "id"),
        HOME_LIMIT,
    )
    _explain_next(to_complete, now)
    danger = next((r for r in reports if r.danger_now), None)
    if danger is not None:
        primary = Primary(
            _("Danger now: open report %(code)s") % {"code": danger.code},
            reverse("portal:report_detail", args=[danger.public_id]),
        )
    elif reports:
        primary = Primary(_("Open the newest reports"), reverse("portal:queue"))
    elif to_complete:
        primary = Primary(
            _("Complete case %(case)s") % {"case": _ref(to_complete[0])},
            reverse("cases:detail", args=[to_complete[0].public_id]),
        )
    else:
        primary = Primary(_("Register a case"), reverse("cases:register"))
    return {"reports": reports, "to_complete": to_complete, "primary": primary}


def _ref(case):
    return case.registration_number or case.pseudonym


def _explain_next(cases, now):
    labels = _clock_labels()
    for c in cases:
        c.next_label = labels.get(c.next_kind, "") if c.next_kind else ""
        c.next_left = _time_left(c.next_due, now)
        c.next_late = c.next_due is not None and c.next_due < now


# --- case worker -------------------------------------------------------------------------------


def caseworker_home(user, now):
    """The open cases the user is on the team of: the victim's initials and age now, the step, the
    next deadline; the nearest deadline first (cases without one last)."""
    on_team = CaseAssignment.objects.filter(case=OuterRef("pk"), user=user, active=True)
    victims = CasePerson.objects.filter(role=PersonRole.KORBAN).order_by("id")
    mine = capped(
        _with_next_deadline(cases_visible_to(user).filter(Exists(on_team)).exclude(status=CaseStatus.CLOSED))
        .prefetch_related(Prefetch("persons", queryset=victims, to_attr="victims"))
        .order_by(F("next_due").asc(nulls_last=True), "created_at", "id"),
        HOME_LIMIT,
    )
    today = timezone.localdate(now)
    for c in mine:
        first = c.victims[0] if c.victims else None
        c.initials = _initials(first.name) if first else "—"
        c.age = (
            rules.age_now(
                birth_date=first.birth_date,
                age_years=first.age_years,
                told_on=timezone.localdate(c.reported_at) if c.reported_at else None,
                today=today,
            )
            if first
            else None
        )
        c.more_victims = max(0, len(c.victims) - 1)
    _explain_next(mine, now)
    urgent = next((c for c in mine if c.next_due is not None), None)
    if urgent is not None:
        primary = Primary(
            _("Next: case %(case)s (%(left)s)") % {"case": _ref(urgent), "left": urgent.next_left},
            reverse("cases:detail", args=[urgent.public_id]),
        )
    else:
        primary = Primary(_("Open my cases"), reverse("cases:list") + "?mine=on")
    return {"my_cases": mine, "primary": primary}


# --- head of unit ------------------------------------------------------------------------------


def kepala_home(user, now, approvals):
    """Danger-now reports nobody took, open cases without a lead case worker, approvals waiting,
    overdue clocks by person."""
    unit = user.organisation
    alarms = untaken_alarms(user)
    lead = CaseAssignment.objects.filter(case=OuterRef("pk"), active=True, team_role=TeamRole.LEAD)
    no_lead = capped(
        cases_visible_to(user)
        .filter(unit=unit)
        .exclude(status=CaseStatus.CLOSED)
        .exclude(Exists(lead))
        .order_by("created_at", "id"),
        HOME_LIMIT,
    )
    by_person = overdue_by_person(unit, now)[:HOME_LIMIT]
    if alarms:
        a = alarms[0]
        primary = Primary(
            _("Danger now: open report %(code)s") % {"code": report_label(a.report)},
            reverse("portal:report_detail", args=[a.report.public_id]),
        )
    elif no_lead:
        primary = Primary(
            _("Name a lead for case %(case)s") % {"case": _ref(no_lead[0])},
            reverse("cases:team", args=[no_lead[0].public_id]),
        )
    elif approvals:
        a = approvals[0]
        primary = Primary(
            _("Decide: %(kind)s, case %(case)s") % {"kind": a.get_kind_display(), "case": _ref(a.case)},
            reverse("cases:approval", args=[a.case.public_id, a.public_id]),
        )
    else:
        primary = Primary(_("Open the unit board"), reverse("workspace:board"))
    return {"alarms": alarms, "no_lead": no_lead, "overdue_people": by_person, "primary": primary}


# --- partner agency ----------------------------------------------------------------------------


def partner_home(user, now, action_items):
    """Referrals sent to the agency that wait for its answer, with the time left on the response
    clock (the soonest due first), and the agency's overdue action items."""
    clock = Deadline.objects.filter(
        kind=ClockKind.REFERRAL_RESPONSE,
        status="open",
        subject_type="referrals.referral",
        subject_id=OuterRef("public_id"),
    ).order_by("due_at")
    waiting = capped(
        referrals_visible_to(user)
        .filter(status=ReferralStatus.SENT)
        .annotate(due_at=Subquery(clock.values("due_at")[:1]))
        .select_related("case", "from_unit")
        .order_by(F("due_at").asc(nulls_last=True), "sent_at", "id"),
        HOME_LIMIT,
    )
    for r in waiting:
        r.left = _time_left(r.due_at, now)
        r.late = r.due_at is not None and r.due_at < now
    overdue_items = [i for i in action_items if i.overdue]
    if waiting:
        first = waiting[0]
        primary = Primary(
            _("Answer referral %(code)s") % {"code": first.case.pseudonym},
            reverse("referrals:detail", args=[first.public_id]),
        )
    elif overdue_items:
        primary = Primary(
            _("Update the overdue action item"),
            reverse("coordination:action_item_detail", args=[overdue_items[0].public_id]),
        )
    else:
        primary = Primary(_("Open the referral inbox"), reverse("referrals:inbox"))
    return {"waiting_referrals": waiting, "overdue_items": overdue_items, "primary": primary}


# --- leadership --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    label: str
    this_year: int | str  # what is shown: a count, or "<5" for an aggregate-only reader
    last_year: int | str

    @property
    def change(self):
        """The difference, or None when either count is hidden (it would undo the hiding)."""
        if isinstance(self.this_year, int) and isinstance(self.last_year, int):
            return self.this_year - self.last_year
        return None


def headline_figures(user, today):
    """This year until today against the same days of last year, from the statistics the role may
    see (reports.aggregates, own unit and the units below): cases, victims, child victims.

    An aggregate-only reader (the leadership; a higher unit; docs/statistics.md) counts whole
    closed months — this year until the end of last month — with counts under five hidden."""
    units = aggregates.stats_units(user)
    if not units or not has_permission(user, "stats.view"):
        return []
    aggregate_only = not sees_detail(user, units)
    if aggregate_only:
        today = last_closed_day(today)
    this_start = dt.date(today.year, 1, 1)
    try:
        last_end = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        last_end = today.replace(year=today.year - 1, day=28)
    values = []
    for start, end in ((this_start, today), (this_start.replace(year=today.year - 1), last_end)):
        scope = aggregates.Scope.of(units, aggregates.Period(start, end))
        by_year = aggregates.cases_by_year(scope)
        # On the staff dashboard the columns are cases, counted, victims, counted.
        cases = sum(r.values[0] for r in by_year.rows)
        victims = sum(r.values[2] for r in by_year.rows)
        children = aggregates.victims_child_adult(scope).rows[0].values[0]
        values.append((cases, victims, children))
    labels = [_("Cases"), _("Victims"), _("Child victims")]

    def shown(count):
        cell = protect_total(count)
        return cell.value if cell.value is not None else cell.shown

    if aggregate_only:
        values = [tuple(shown(v) for v in row) for row in values]
    return [
        Headline(str(label), now, before)
        for label, now, before in zip(labels, values[0], values[1], strict=True)
    ], today


def leadership_home(user, now):
    """This year's headline figures against last year, the next rakor and the open action items
    it will review."""
    meeting = (
        meetings_visible_to(user)
        .filter(kind=MeetingKind.RAKOR, status=MeetingStatus.DIJADWALKAN, starts_at__gte=now)
        .order_by("starts_at", "id")
        .first()
    )
    items = capped(
        open_action_items(action_items_visible_to(user))
        .filter(meeting__kind=MeetingKind.RAKOR)
        .select_related("assignee_organisation", "assignee_user")
        .order_by("due_date", "id"),
        HOME_LIMIT,
    )
    today = timezone.localdate(now)
    for item in items:
        item.overdue = item.due_date < today
    if meeting is not None:
        primary = Primary(
            _("Open the next rakor"), reverse("coordination:meeting_detail", args=[meeting.public_id])
        )
    else:
        primary = Primary(_("Open the statistics"), reverse("reports:dashboard"))
    headlines, counted_until = headline_figures(user, today) or ([], today)
    return {
        "headlines": headlines,
        "counted_until": counted_until,
        "next_rakor": meeting,
        "rakor_items": items,
        "primary": primary,
        "year": today.year,
    }


def role_home(user, now, *, approvals=(), action_items=()):
    """The role's part of the home page: `home_kind` and its context."""
    kind = home_kind(user)
    if kind == "intake":
        context = intake_home(user, now)
    elif kind == "caseworker":
        context = caseworker_home(user, now)
    elif kind == "kepala":
        context = kepala_home(user, now, approvals)
    elif kind == "partner":
        context = partner_home(user, now, action_items)
    elif kind == "leadership":
        context = leadership_home(user, now)
    else:
        return {"home_kind": ""}
    return {"home_kind": kind, **context}
