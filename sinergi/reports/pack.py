"""The meeting pack: agenda, statistics of the period, open and overdue action items, minutes.

Rendered with WeasyPrint from a template, with local fonts only (no URL is ever fetched), in black
and white: overdue items are marked in words and bold, never by colour alone.
"""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from sinergi.coordination.choices import OPEN_STATUSES
from sinergi.coordination.selectors import (
    action_items_visible_to,
    case_code_for,
    is_overdue,
    with_case_visibility,
)

from . import aggregates
from .disclosure import protect_total
from .protected import figures_as_seen, sees_detail, whole_months

PACK_ITEM_LIMIT = 200


class NoFetching(Exception):
    pass


def _refuse_fetch(url, *args, **kwargs):
    # The pack embeds nothing: no image, stylesheet or font is loaded from anywhere.
    raise NoFetching(url)


#: The reports app's figures a meeting pack shows (sinergi.reports.aggregates.FIGURES keys).
PACK_FIGURES = (
    "cases_by_month",
    "victims_by_violence_type",
    "victims_child_adult",
    "cases_by_kecamatan",
    "cases_by_step",
    "referrals_by_agency",
    "deadline_compliance",
)


#: What a partner agency's copy shows: consented cases only, no breakdown by place (DOMAIN.md §8).
PARTNER_FIGURES = ("cases_by_month", "victims_by_violence_type", "victims_child_adult")


def period_statistics(unit, start, end, *, for_partner=False, aggregate_only=None):
    """The reports app's figures (sinergi.reports.aggregates) for the unit and period.

    A partner's copy counts only cases whose victims consented to statistics, and fewer figures.
    An aggregate-only reader's copy (a partner always; staff who may not read the unit's cases
    row by row) covers whole closed months and protects every count (sinergi.reports.protected).
    """
    aggregate_only = for_partner if aggregate_only is None else aggregate_only or for_partner
    period = aggregates.Period(start, end)
    if aggregate_only:
        period, _snapped = whole_months(period)
    scope = aggregates.Scope.of([unit], period, consented=for_partner)
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
    total = aggregates.cases(scope).count()
    return {
        "total": protect_total(total).shown if aggregate_only else total,
        "sections": sections,
        "aggregate_only": aggregate_only,
        "period": period.describe(),
    }


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
    return {
        "meeting": meeting,
        "agenda": agenda,
        "participants": participants,
        "decisions": meeting.decisions.all(),
        "items": rows,
        "items_total": totals["total"],
        "items_not_listed": totals["total"] - len(rows),
        "overdue_count": totals["overdue"],
        "stats": period_statistics(
            meeting.unit,
            meeting.period_start,
            meeting.period_end,
            for_partner=not user.organisation.is_service_unit,
            aggregate_only=not sees_detail(user, [meeting.unit]),
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
    return HTML(string=html, url_fetcher=_refuse_fetch, base_url=None).render()


def render_pack_pdf(user, meeting):
    return render_pack_document(user, meeting).write_pdf()
