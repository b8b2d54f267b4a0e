"""The meeting pack of a rakor: page 1 is what the meeting decided and who does what by when,
then attendance and the agenda, with the statistics as an annex.

Page 1 (docs/coordination.md, "Meeting pack"): the letterhead (kop surat) of the organising unit,
the decisions, the open action items with agency and due date, and a short summary of the
period with the change against the same period a year before; then attendance with names and
positions, the agenda, the minutes and a signature block for the unit's head; the statistics
start on a page of their own (Lampiran). No table row is split across pages.

Rendered with WeasyPrint from a template, with local fonts only and no URL fetched (the unit's
logo is embedded as a data: URL), in black and white: overdue items are marked in words and
bold, never by colour alone.
"""

import base64
import mimetypes
from collections import Counter

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from sinergi.accounts.choices import Role
from sinergi.accounts.models import User
from sinergi.coordination.choices import OPEN_STATUSES
from sinergi.coordination.selectors import (
    action_items_visible_to,
    case_code_for,
    is_overdue,
    with_case_visibility,
)
from sinergi.interventions.selectors import open_court_concerns
from sinergi.portal.selectors import unit_contacts, unit_logo_path

from . import aggregates
from .disclosure import protect_total
from .protected import figures_as_seen, sees_detail, whole_months

PACK_ITEM_LIMIT = 200


def url_fetcher():
    """WeasyPrint's fetcher for the pack: data: URLs only (the embedded logo), nothing from anywhere."""
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 (WeasyPrint: only where a PDF is made)

    return URLFetcher(allowed_protocols={"data"})


def _logo_data_url(unit):
    path = unit_logo_path(unit)
    if path is None:
        return ""
    kind = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def letterhead(unit):
    """The kop surat: the government, the unit's official name, its address and phone, its logo."""
    contacts = unit_contacts(unit)
    return {
        "government": contacts.government,
        "name": contacts.name,
        "address": contacts.office_address,
        "phone": contacts.hotline,
        "logo": _logo_data_url(unit),
    }


def _a_year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_on_year(unit, start, end, *, for_partner, aggregate_only):
    """The period's cases against the same period a year before: (now, before, change in %).

    For an aggregate-only reader both counts are protected, and the change is given only when
    both are published exactly (a change between hidden counts would undo the hiding)."""
    now = period_statistics(unit, start, end, for_partner=for_partner, aggregate_only=aggregate_only)["total"]
    before = period_statistics(
        unit,
        _a_year_before(start),
        _a_year_before(end),
        for_partner=for_partner,
        aggregate_only=aggregate_only,
    )["total"]
    exact = isinstance(now, int) or str(now).isdigit()
    exact = exact and (isinstance(before, int) or str(before).isdigit())
    change = None
    if exact and int(before):
        change = round(100 * (int(now) - int(before)) / int(before))
    return {"now": now, "before": before, "change": change}


def unit_head(unit):
    """The unit's head who signs the pack: its active kepala (the first by name), or None."""
    return (
        User.objects.filter(organisation=unit, role=Role.KEPALA_UPTD, is_active=True)
        .order_by("full_name")
        .first()
    )


#: The reports app's figures a meeting pack shows (sinergi.reports.aggregates.FIGURES keys).
PACK_FIGURES = (
    "cases_by_month",
    "victims_by_violence_type",
    "victims_child_adult",
    "cases_by_kecamatan",
    "cases_by_step",
    "referrals_by_agency",
    "deadline_compliance",
    "protection_coverage",
)


#: What a partner agency's copy shows: consented cases only, no breakdown by place (DOMAIN.md §8).
PARTNER_FIGURES = ("cases_by_month", "victims_by_violence_type", "victims_child_adult")


def _pack_scope(unit, start, end, *, for_partner, aggregate_only):
    aggregate_only = for_partner if aggregate_only is None else aggregate_only or for_partner
    period = aggregates.Period(start, end)
    if aggregate_only:
        period, _snapped = whole_months(period)
    return aggregates.Scope.of([unit], period, consented=for_partner), aggregate_only


def _total(scope, aggregate_only):
    total = aggregates.cases(scope).count()
    return protect_total(total).shown if aggregate_only else total


def period_statistics(unit, start, end, *, for_partner=False, aggregate_only=None):
    """The reports app's figures (sinergi.reports.aggregates) for the unit and period.

    A partner's copy counts only cases whose victims consented to statistics, and fewer figures.
    An aggregate-only reader's copy (a partner always; staff who may not read the unit's cases
    row by row) covers whole closed months and protects every count (sinergi.reports.protected).
    """
    scope, aggregate_only = _pack_scope(
        unit, start, end, for_partner=for_partner, aggregate_only=aggregate_only
    )
    period = scope.period
    figures = [aggregates.FIGURES[key](scope) for key in (PARTNER_FIGURES if for_partner else PACK_FIGURES)]
    sections = []
    for fig in figures_as_seen(figures, scope, aggregate_only=aggregate_only):
        if not fig.rows:
            continue
        sections.append(
            {
                "title": fig.title,
                "headers": ["", *fig.columns],
                "rows": [[row.label, *("—" if v is None else v for v in row.values)] for row in fig.rows],
                "note": fig.note,
            }
        )
    return {
        "total": _total(scope, aggregate_only),
        "sections": sections,
        "aggregate_only": aggregate_only,
        "period": period.describe(),
    }


def court_concerns_section(user, unit):
    """ "Problems with the victim's rights in the legal process": the unit's open concerns per
    agency, each with its count, which rights were not respected (how often) and the codes of the
    cases this reader may open (none of the others, never a name or the problem's free text)."""
    groups = []
    for group in open_court_concerns(unit, user):
        tally = Counter(str(label) for row in group["rows"] for label in row["problems"])
        groups.append(
            {
                "agency": group["agency"],
                "count": len(group["rows"]),
                "problems": [{"label": label, "count": n} for label, n in sorted(tally.items())],
                "codes": sorted({r["case"].pseudonym for r in group["rows"] if r["case_visible"]}),
            }
        )
    return {"groups": groups, "total": sum(g["count"] for g in groups)}


def pack_context(user, meeting):
    today = timezone.localdate()
    agenda = []
    for entry in with_case_visibility(meeting.agenda.select_related("case"), user):
        code, _ = case_code_for(user, entry.case, case_visible=entry.case_visible)
        agenda.append({"topic": entry.topic, "code": code, "has_case": entry.case_id is not None})
    open_items = action_items_visible_to(user).filter(unit_id=meeting.unit_id, status__in=OPEN_STATUSES)
    # The counts are of all open items; the table lists the first PACK_ITEM_LIMIT (oldest due first)
    # and says how many more there are.
    totals = open_items.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    items = (
        with_case_visibility(open_items, user)
        .select_related("assignee_organisation", "assignee_user", "case", "meeting")
        .order_by("due_date", "id")[:PACK_ITEM_LIMIT]
    )
    rows = []
    for item in items:
        code, _ = case_code_for(user, item.case, case_visible=item.case_visible)
        rows.append({"item": item, "code": code, "overdue": is_overdue(item, today)})
    participants = meeting.participants.select_related("organisation", "user")
    for_partner = not user.organisation.is_service_unit
    aggregate_only = not sees_detail(user, [meeting.unit])
    return {
        "letterhead": letterhead(meeting.unit),
        "summary": year_on_year(
            meeting.unit,
            meeting.period_start,
            meeting.period_end,
            for_partner=for_partner,
            aggregate_only=aggregate_only,
        ),
        "head": unit_head(meeting.unit),
        "signed_at": timezone.localdate(),
        "place_name": meeting.unit.region.display_name if meeting.unit.region_id else "",
        "meeting": meeting,
        "agenda": agenda,
        "participants": participants,
        "decisions": meeting.decisions.all(),
        "items": rows,
        "items_total": totals["total"],
        "items_not_listed": totals["total"] - len(rows),
        "overdue_count": totals["overdue"],
        "court_concerns": court_concerns_section(user, meeting.unit),
        "stats": period_statistics(
            meeting.unit,
            meeting.period_start,
            meeting.period_end,
            for_partner=for_partner,
            aggregate_only=aggregate_only,
        ),
        "generated_at": timezone.now(),
        "generated_by": user,
    }


def render_pack_html(user, meeting):
    return render_to_string("coordination/pack.html", pack_context(user, meeting))


def render_pack_document(user, meeting):
    """The laid-out WeasyPrint document (tests read its text from the pages)."""
    # WeasyPrint loads Pango and parses its stylesheets on import: only the processes that render
    # a PDF pay for it, not every web worker at start-up.
    from weasyprint import HTML  # noqa: PLC0415

    html = render_pack_html(user, meeting)
    return HTML(string=html, url_fetcher=url_fetcher(), base_url=None).render()


def render_pack_pdf(user, meeting):
    return render_pack_document(user, meeting).write_pdf()
