"""Statistics from the database: every figure is one aggregate query (GROUP BY / conditional COUNT).

Nothing here loads cases or persons into Python: each breakdown returns a handful of rows
whatever the number of cases, so the dashboard costs a fixed number of queries. The definitions
of every figure are in docs/statistics.md; keep the two in step.

Conventions
- A case belongs to the period and year of its report date (`Case.reported_at`, in WIB).
- Historical (imported) cases count like any other.
- `consented=True` keeps only victims with a current statistics consent (or a lawful basis
  recorded instead of consent), and only cases with at least one such victim: the rule for
  anything shown outside the unit (public page, GBVIMS for partners).
"""

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    When,
)
from django.db.models import Case as Case_
from django.db.models.functions import ExtractMonth, ExtractYear, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import OrganisationKind
from sinergi.accounts.models import Organisation
from sinergi.cases import rules
from sinergi.cases.choices import (
    AgeBand,
    ConsentPurpose,
    GbvimsType,
    PersonRole,
    PlaceType,
    Relationship,
    Sex,
    ViolenceType,
)
from sinergi.cases.models import Case, CasePerson, Consent, NotTpksDecision, PerpetratorRelation
from sinergi.cases.selectors import victim_is_tpks
from sinergi.referrals.choices import ReferralStatus
from sinergi.referrals.models import Referral
from sinergi.regions.models import Region

from . import integrations
from .figures import UNKNOWN, Figure, Row

MONTHS_SHOWN = 36  # the monthly trend shows at most this many months (the most recent ones)
KECAMATAN_CODE_LENGTH = len("13.76.01")


# --- scope: which units and which period ------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Report dates from `start` to `end`, both inclusive; None means open-ended."""

    start: dt.date | None = None
    end: dt.date | None = None

    def bounds(self):
        tz = timezone.get_current_timezone()
        lower = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz) if self.start else None
        upper = (
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if self.end else None
        )
        return lower, upper

    def describe(self):
        if self.start and self.end:
            return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"
        if self.start:
            return _("from %(date)s") % {"date": f"{self.start:%d-%m-%Y}"}
        if self.end:
            return _("until %(date)s") % {"date": f"{self.end:%d-%m-%Y}"}
        return _("all time")


def stats_units(user):
    """The service units whose statistics `user` may see: their own unit and every unit below it.

    Empty for anyone without a unit (a partner agency's staff see GBVIMS tables only).
    """
    org = getattr(user, "organisation", None)
    if org is None or org.kind != OrganisationKind.SERVICE_UNIT:
        return []
    return [org, *org.descendants()]


def all_units():
    return list(Organisation.objects.filter(kind=OrganisationKind.SERVICE_UNIT))


@dataclass(frozen=True)
class Scope:
    unit_ids: tuple
    period: Period = Period()
    consented: bool = False

    @classmethod
    def of(cls, units, period=None, *, consented=False):
        ids = tuple(sorted(u if isinstance(u, int) else u.pk for u in units))
        return cls(unit_ids=ids, period=period or Period(), consented=consented)

    def case_filter(self, prefix=""):
        """A Q selecting the scope's cases, for Case (prefix "") or a model pointing at it ("case__")."""
        q = Q(**{f"{prefix}unit_id__in": self.unit_ids})
        lower, upper = self.period.bounds()
        if lower:
            q &= Q(**{f"{prefix}reported_at__gte": lower})
        if upper:
            q &= Q(**{f"{prefix}reported_at__lt": upper})
        if self.consented:
            q &= Q(**{f"{prefix}pk__in": _consented_case_ids()})
        return q


def _statistics_consent():
    return Consent.objects.filter(purpose=ConsentPurpose.STATISTIK, withdrawn_at__isnull=True)


def _consented_case_ids():
    # A subquery, not a list: evaluated by the database inside the figure's own query.
    return _statistics_consent().filter(victim__role=PersonRole.KORBAN).values("case_id")


def victim_has_consent():
    return Exists(_statistics_consent().filter(victim=OuterRef("pk")))


def case_has_consent():
    return Exists(_statistics_consent().filter(case=OuterRef("pk"), victim__role=PersonRole.KORBAN))


def cases(scope):
    return Case.objects.filter(scope.case_filter()).order_by()


def victims(scope):
    qs = CasePerson.objects.filter(scope.case_filter("case__"), role=PersonRole.KORBAN)
    if scope.consented:
        qs = qs.filter(victim_has_consent())
    return qs.order_by()


def perpetrators(scope):
    return CasePerson.objects.filter(scope.case_filter("case__"), role=PersonRole.PELAKU).order_by()


# --- helpers ------------------------------------------------------------------------------------


def _label(choices, code):
    if code in (None, UNKNOWN):
        return str(_("Not recorded"))
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def _category_rows(counts, choices, *, extra=None):
    """Rows in the code list's order, then anything unexpected, then "not recorded" (if any)."""
    counts = dict(counts)
    rows = []
    for code, label in choices.choices:
        rows.append(Row(code, str(label), [counts.pop(code, 0)]))
    unknown = counts.pop(None, 0) + counts.pop(UNKNOWN, 0)
    for code, n in sorted(counts.items(), key=lambda kv: str(kv[0])):
        rows.append(Row(str(code), (extra or {}).get(code, str(code)), [n]))
    if unknown:
        rows.append(Row(UNKNOWN, str(_("Not recorded")), [unknown]))
    return rows


def _counts(qs, field_name):
    return {r[field_name]: r["n"] for r in qs.values(field_name).annotate(n=Count("pk")).order_by()}


# --- trends -------------------------------------------------------------------------------------


def cases_by_year(scope):
    """Cases and victims per report year; on the staff dashboard also how many the public page counts."""
    case_rows = (
        cases(scope)
        .annotate(year=ExtractYear("reported_at"), consent=case_has_consent())
        .values("year")
        .annotate(n=Count("pk"), with_consent=Count("pk", filter=Q(consent=True)))
    )
    victim_rows = (
        victims(scope)
        .annotate(year=ExtractYear("case__reported_at"), consent=victim_has_consent())
        .values("year")
        .annotate(n=Count("pk"), with_consent=Count("pk", filter=Q(consent=True)))
    )
    by_year = {}
    for r in case_rows:
        by_year.setdefault(r["year"], [0, 0, 0, 0])[0:2] = [r["n"], r["with_consent"]]
    for r in victim_rows:
        by_year.setdefault(r["year"], [0, 0, 0, 0])[2:4] = [r["n"], r["with_consent"]]
    columns = [_("Cases"), _("Victims")]
    if not scope.consented:
        columns = [
            _("Cases"),
            _("of which counted in public statistics"),
            _("Victims"),
            _("of which counted"),
        ]
    rows = []
    for year in sorted(by_year, key=lambda y: (y is None, y or 0)):
        n_cases, c_cases, n_victims, c_victims = by_year[year]
        values = [n_cases, n_victims] if scope.consented else [n_cases, c_cases, n_victims, c_victims]
        rows.append(Row(str(year or UNKNOWN), str(year) if year else str(_("Not recorded")), values))
    return Figure(
        "cases_by_year",
        str(_("Cases and victims by year")),
        [str(c) for c in columns],
        rows,
        kind="time",
        row_header=str(_("Year")),
    )


def cases_by_month(scope):
    """Cases and victims per report month, zero months filled in, the last MONTHS_SHOWN months at most."""
    case_rows = (
        cases(scope)
        .annotate(year=ExtractYear("reported_at"), month=ExtractMonth("reported_at"))
        .values("year", "month")
        .annotate(n=Count("pk"))
    )
    victim_rows = (
        victims(scope)
        .annotate(year=ExtractYear("case__reported_at"), month=ExtractMonth("case__reported_at"))
        .values("year", "month")
        .annotate(n=Count("pk"))
    )
    counts = {}
    for r in case_rows:
        if r["year"]:
            counts.setdefault((r["year"], r["month"]), [0, 0])[0] = r["n"]
    for r in victim_rows:
        if r["year"]:
            counts.setdefault((r["year"], r["month"]), [0, 0])[1] = r["n"]
    figure = Figure(
        "cases_by_month",
        str(_("Cases and victims by month")),
        [str(_("Cases")), str(_("Victims"))],
        kind="time",
        row_header=str(_("Month")),
    )
    if not counts:
        return figure
    months = _month_range(min(counts), max(counts), scope.period)
    if len(months) > MONTHS_SHOWN:
        months = months[-MONTHS_SHOWN:]
        figure.note = str(_("Only the last %(n)d months are shown; choose a period to see others.")) % {
            "n": MONTHS_SHOWN
        }
    figure.rows = [Row(f"{y}-{m:02d}", f"{m:02d}-{y}", counts.get((y, m), [0, 0])) for y, m in months]
    return figure


def _month_range(first, last, period):
    if period.start:
        first = min(first, (period.start.year, period.start.month))
    if period.end:
        last = max(last, (period.end.year, period.end.month))
    months, (y, m) = [], first
    while (y, m) <= last:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


# --- victims ------------------------------------------------------------------------------------


def victims_by_violence_type(scope):
    """Victims with each violence type: one conditional COUNT per code, in one query.

    The codes are also kept as "|fisik|psikis|" in `violence_codes`, so a LIKE works the same on
    SQLite and PostgreSQL (JSON containment does not).
    """
    aggregates = {
        code: Count("pk", filter=Q(violence_codes__contains=f"|{code}|")) for code in ViolenceType.values
    }
    aggregates["none_recorded"] = Count("pk", filter=Q(violence_codes=""))
    totals = victims(scope).aggregate(**aggregates)
    rows = [Row(code, str(label), [totals[code]]) for code, label in ViolenceType.choices]
    if totals["none_recorded"]:
        rows.append(Row(UNKNOWN, str(_("Not recorded")), [totals["none_recorded"]]))
    return Figure(
        "victims_by_violence_type",
        str(_("Victims by violence type")),
        [str(_("Victims"))],
        rows,
        note=str(
            _(
                "A victim may have suffered several types of violence, so the rows add up to more than the victims."
            )
        ),
        kind="multi",
    )


def victims_by_sex(scope):
    rows = _category_rows(_counts(victims(scope), "sex"), Sex)
    return Figure("victims_by_sex", str(_("Victims by sex")), [str(_("Victims"))], rows)


def victims_by_age_band(scope):
    rows = _category_rows(_counts(victims(scope), "age_band"), AgeBand)
    return Figure(
        "victims_by_age_band",
        str(_("Victims by age at the incident")),
        [str(_("Victims"))],
        rows,
    )


def victims_child_adult(scope):
    counts = _counts(victims(scope), "is_child")
    rows = [
        Row("anak", str(_("Child (under 18 at the incident)")), [counts.get(True, 0)]),
        Row("dewasa", str(_("Adult")), [counts.get(False, 0)]),
    ]
    if counts.get(None):
        rows.append(Row(UNKNOWN, str(_("Age not recorded")), [counts[None]]))
    return Figure("victims_child_adult", str(_("Child and adult victims")), [str(_("Victims"))], rows)


# --- cases --------------------------------------------------------------------------------------


def cases_by_kecamatan(scope):
    """Cases by the kecamatan of the incident (a kelurahan counts for its kecamatan).

    The kecamatan is the first eight characters of the Kemendagri code ("13.76.01.1002" →
    "13.76.01"), so no join is needed.
    """
    counts = {
        r["kecamatan"]: r["n"]
        for r in cases(scope)
        .annotate(kecamatan=Substr("incident_region_id", 1, KECAMATAN_CODE_LENGTH))
        .values("kecamatan")
        .annotate(n=Count("pk"))
    }
    unknown = counts.pop(None, 0) + counts.pop(UNKNOWN, 0)
    names = dict(Region.objects.filter(code__in=list(counts)).values_list("code", "name"))
    rows = [Row(code, names.get(code, code), [n]) for code, n in sorted(counts.items())]
    if unknown:
        rows.append(Row(UNKNOWN, str(_("Not recorded")), [unknown]))
    return Figure("cases_by_kecamatan", str(_("Cases by kecamatan of the incident")), [str(_("Cases"))], rows)


def cases_by_place(scope):
    rows = _category_rows(_counts(cases(scope), "place_type"), PlaceType)
    return Figure("cases_by_place", str(_("Cases by place of incident")), [str(_("Cases"))], rows)


def perpetrators_by_relationship(scope):
    """(perpetrator, victim) pairs by relationship: a father who beats his wife and abuses his
    daughter counts once as a spouse and once as a parent (DOMAIN.md §4)."""
    pairs = PerpetratorRelation.objects.filter(
        scope.case_filter("case__"), perpetrator__role=PersonRole.PELAKU
    ).order_by()
    rows = _category_rows(_counts(pairs, "relationship"), Relationship)
    return Figure(
        "perpetrators_by_relationship",
        str(_("Perpetrators by relationship to the victim")),
        [str(_("Perpetrator–victim pairs"))],
        rows,
    )


_INCIDENT_FIELDS = (
    "pk",
    "case_id",
    "case__reported_at",
    "is_child",
    "violence_types",
    "tpks_offences",
    "pkdrt_types",
    "gbvims_type",
    "tppo_processes",
    "tppo_means",
    "tppo_purposes",
)


def tpks_tppo_by_year(scope):
    """Cases with a TPKS incident (ticked or derived, DOMAIN.md §5, unless an approved "not TPKS"
    decision answers it) and cases with a TPPO indication, per year.

    The derivation is the rule of sinergi.cases.rules, applied to each victim's incident; victims
    are read with only the fields it needs."""
    tpks, tppo = {}, {}
    victims = (
        CasePerson.objects.filter(scope.case_filter("case__"), role=PersonRole.KORBAN)
        .order_by()
        .values(*_INCIDENT_FIELDS)
    )
    answered = {
        r["victim_id"]: set(r["grounds"] or [])
        for r in NotTpksDecision.objects.filter(
            scope.case_filter("victim__case__"), status=NotTpksDecision.Status.APPROVED
        ).values("victim_id", "grounds")
    }
    for v in victims.iterator(chunk_size=2000):
        reported = v["case__reported_at"]
        year = timezone.localtime(reported).year if reported else None
        incident = SimpleNamespace(**{k.replace("case__", ""): val for k, val in v.items()})
        if victim_is_tpks(incident, answered):
            tpks.setdefault(year, set()).add(v["case_id"])
        if rules.incident_tppo_indicated(incident):
            tppo.setdefault(year, set()).add(v["case_id"])
    # Every victim's case is among these: the years are the cases' years.
    totals = {
        r["year"]: r["n"]
        for r in cases(scope).annotate(year=ExtractYear("reported_at")).values("year").annotate(n=Count("pk"))
    }
    result = [
        Row(
            str(year or UNKNOWN),
            str(year or _("Not recorded")),
            [len(tpks.get(year, ())), len(tppo.get(year, ())), totals.get(year, 0)],
        )
        for year in sorted(totals, key=lambda y: (y is None, y or 0))
    ]
    return Figure(
        "tpks_tppo_by_year",
        str(_("Sexual violence (TPKS) and trafficking (TPPO) cases by year")),
        [str(_("TPKS cases")), str(_("TPPO-indicated cases")), str(_("All cases"))],
        result,
        kind="time",
        row_header=str(_("Year")),
    )


def cases_by_gbvims_type(scope):
    """Incidents by GBVIMS type: one survivor, one incident (DOMAIN.md §9)."""
    rows = _category_rows(_counts(victims(scope), "gbvims_type"), GbvimsType)
    return Figure("cases_by_gbvims_type", str(_("Incidents by GBVIMS type")), [str(_("Incidents"))], rows)


def cases_by_step(scope):
    """Cases by workflow step (penerimaan … terminasi)."""
    figure = Figure("cases_by_step", str(_("Cases by workflow step")), [str(_("Cases"))])
    choices = Case._meta.get_field("step").choices or []
    counts = _counts(cases(scope), "step")
    labels = dict(choices)
    rows = [Row(code, str(labels[code]), [counts.pop(code, 0)]) for code, _label in choices]
    unknown = counts.pop(None, 0) + counts.pop(UNKNOWN, 0)
    rows += [Row(str(c), str(c), [n]) for c, n in sorted(counts.items())]
    if unknown:
        rows.append(Row(UNKNOWN, str(_("Not recorded")), [unknown]))
    figure.rows = rows
    return figure


# --- services, deadlines and referrals (other apps; shown once they exist) --------------------


def services_given(scope):
    """Services delivered to victims, by SIMFONI service category (sinergi.interventions)."""

    return integrations.services_given(scope)


def deadline_compliance(scope):
    return integrations.deadline_compliance(scope)


def first_response_median(scope):
    return integrations.first_response_median(scope)


def protection_coverage(scope):
    """Protection asked for and given, safety plans of high-risk victims, rights information."""
    return integrations.protection_coverage(victims(scope))


def referrals_by_agency(scope):
    """Referrals sent, accepted, declined and still waiting per partner agency; acceptance rate; response time.

    The acceptance rate is accepted ÷ answered (accepted + declined): referrals not answered yet
    and revoked ones are left out. The response time is the mean time from sending to the
    partner's answer (accepted_at, or closed_at of a declined referral), in hours.
    """
    accepted_states = [ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED]
    answered_at = Case_(
        When(accepted_at__isnull=False, then=F("accepted_at")),
        When(status=ReferralStatus.DECLINED, then=F("closed_at")),
        default=None,
        output_field=DateTimeField(),
    )
    rows_qs = (
        Referral.objects.filter(scope.case_filter("case__"), sent_at__isnull=False)
        .annotate(answered_at=answered_at)
        .values("to_agency_id", name=F("to_agency__name"))
        .annotate(
            sent=Count("pk"),
            accepted=Count("pk", filter=Q(status__in=accepted_states)),
            declined=Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
            waiting=Count("pk", filter=Q(status=ReferralStatus.SENT)),
            response=Avg(
                ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField()),
                filter=Q(answered_at__isnull=False),
            ),
        )
        .order_by("name")
    )
    rows = []
    for r in rows_qs:
        answered = r["accepted"] + r["declined"]
        rate = round(100 * r["accepted"] / answered) if answered else None
        hours = round(r["response"].total_seconds() / 3600, 1) if r["response"] is not None else None
        rows.append(
            Row(
                str(r["to_agency_id"]),
                r["name"],
                [r["sent"], r["accepted"], r["declined"], r["waiting"], rate, hours],
            )
        )
    return Figure(
        "referrals_by_agency",
        str(_("Referrals by partner agency")),
        [
            str(_("Sent")),
            str(_("Accepted")),
            str(_("Declined")),
            str(_("Waiting for an answer")),
            str(_("Acceptance rate (%)")),
            str(_("Mean response time (hours)")),
        ],
        rows,
        note=str(
            _(
                "Acceptance rate = accepted ÷ (accepted + declined). Response time: from sending to the partner's answer."
            )
        ),
        kind="table",
        row_header=str(_("Partner agency")),
    )


# --- the registry ---------------------------------------------------------------------------------

#: Every dashboard figure, in the dashboard's order: key → function(scope) -> Figure.
FIGURES = {
    "cases_by_year": cases_by_year,
    "cases_by_month": cases_by_month,
    "victims_by_violence_type": victims_by_violence_type,
    "victims_by_sex": victims_by_sex,
    "victims_by_age_band": victims_by_age_band,
    "victims_child_adult": victims_child_adult,
    "cases_by_kecamatan": cases_by_kecamatan,
    "cases_by_place": cases_by_place,
    "perpetrators_by_relationship": perpetrators_by_relationship,
    "services_given": services_given,
    "tpks_tppo_by_year": tpks_tppo_by_year,
    "cases_by_gbvims_type": cases_by_gbvims_type,
    "cases_by_step": cases_by_step,
    "deadline_compliance": deadline_compliance,
    "first_response_median": first_response_median,
    "referrals_by_agency": referrals_by_agency,
    "protection_coverage": protection_coverage,
}


def figure(key, scope):
    return FIGURES[key](scope)


def dashboard_figures(scope):
    return [fn(scope) for fn in FIGURES.values()]
