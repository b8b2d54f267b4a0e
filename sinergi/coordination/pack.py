"""The meeting pack: agenda, statistics of the period, open and overdue action items, minutes.

Rendered with WeasyPrint from a template, with local fonts only (no URL is ever fetched), in black
and white: overdue items are marked in words and bold, never by colour alone.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.utils import timezone

from sinergi.cases.choices import CaseStep, CaseType
from sinergi.cases.models import Case

from .choices import OPEN_STATUSES
from .selectors import action_items_visible_to, case_code_for, is_overdue, with_case_visibility

PACK_ITEM_LIMIT = 200


class NoFetching(Exception):
    pass


def _refuse_fetch(url, *args, **kwargs):
    # The pack embeds nothing: no image, stylesheet or font is loaded from anywhere.
    raise NoFetching(url)


def _period_bounds(start, end):
    tz = timezone.get_current_timezone()
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return lower, upper


def builtin_statistics(unit, start, end):
    """Cases of the unit reported in the period: total, by month, by type, by step (counts only)."""
    lower, upper = _period_bounds(start, end)
    # Like the reports app: a case belongs to the period of its report date.
    cases = Case.objects.filter(unit=unit, reported_at__gte=lower, reported_at__lt=upper).annotate(
        when=F("reported_at")
    )
    by_month = [
        (row["month"], row["n"])
        for row in cases.annotate(month=TruncMonth("when"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    ]
    types, steps = dict(CaseType.choices), dict(CaseStep.choices)
    by_type = [
        (types.get(row["case_type"], row["case_type"]) if row["case_type"] else None, row["n"])
        for row in cases.values("case_type").annotate(n=Count("id")).order_by("case_type")
    ]
    by_step = []
    if any(f.name == "step" for f in Case._meta.fields):  # the case-management workflow's field
        by_step = [
            (steps.get(row["step"], row["step"]), row["n"])
            for row in cases.values("step").annotate(n=Count("id")).order_by("step")
        ]
    return {
        "total": sum(n for _, n in by_month),
        "by_month": by_month,
        "by_type": by_type,
        "by_step": by_step,
        "source": "builtin",
    }


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


def report_statistics(unit, start, end, *, for_partner=False):
    """The figures of the reports app (sinergi.reports.aggregates) for the unit and period, or
    None when that module (or a figure) is not there: the pack then falls back on its own summary.

    A partner's copy counts only cases whose victims consented to statistics, and fewer figures.
    """
    try:
        from sinergi.reports import aggregates
    except ImportError:
        return None
    if not all(hasattr(aggregates, name) for name in ("Scope", "Period", "FIGURES", "cases")):
        return None
    scope = aggregates.Scope.of([unit], aggregates.Period(start, end), consented=for_partner)
    sections = []
    for key in PARTNER_FIGURES if for_partner else PACK_FIGURES:
        if key not in aggregates.FIGURES:
            continue
        fig = aggregates.FIGURES[key](scope)
        if not getattr(fig, "available", True) or not fig.rows:
            continue
        sections.append(
            {
                "title": fig.title,
                "headers": ["", *fig.columns],
                "rows": [[row.label, *("—" if v is None else v for v in row.values)] for row in fig.rows],
                "note": getattr(fig, "note", ""),
            }
        )
    return {"total": aggregates.cases(scope).count(), "sections": sections, "source": "reports"}


def period_statistics(unit, start, end, *, for_partner=False):
    """The reports app's aggregates for the period when it offers them, else the built-in summary
    (for a partner's copy: the total only, as it cannot tell consented cases apart)."""
    try:
        with transaction.atomic():
            stats = report_statistics(unit, start, end, for_partner=for_partner)
    except Exception:  # a figure of another app must never keep the pack from rendering
        import logging

        logging.getLogger(__name__).exception(
            "meeting pack: report figures failed; using the built-in summary"
        )
        stats = None
    if stats:
        return stats
    stats = builtin_statistics(unit, start, end)
    if for_partner:
        stats = {"total": stats["total"], "by_month": [], "by_type": [], "by_step": [], "source": "builtin"}
    return stats


def pack_context(user, meeting):
    today = timezone.localdate()
    agenda = []
    for entry in with_case_visibility(meeting.agenda.select_related("case"), user):
        code, _ = case_code_for(user, entry.case, case_visible=entry.case_visible)
        agenda.append({"topic": entry.topic, "code": code, "has_case": entry.case_id is not None})
    items = (
        with_case_visibility(action_items_visible_to(user), user)
        .filter(unit_id=meeting.unit_id, status__in=OPEN_STATUSES)
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
        "overdue_count": sum(1 for r in rows if r["overdue"]),
        "stats": period_statistics(
            meeting.unit,
            meeting.period_start,
            meeting.period_end,
            for_partner=not user.organisation.is_service_unit,
        ),
        "generated_at": timezone.now(),
        "generated_by": user,
    }


def render_pack_html(user, meeting):
    return render_to_string("coordination/pack.html", pack_context(user, meeting))


def render_pack_document(user, meeting):
    """The laid-out WeasyPrint document (tests read its text from the pages)."""
    from weasyprint import HTML

    html = render_pack_html(user, meeting)
    return HTML(string=html, url_fetcher=_refuse_fetch, base_url=None).render()


def render_pack_pdf(user, meeting):
    return render_pack_document(user, meeting).write_pdf()
