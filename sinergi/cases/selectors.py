"""Which cases a user may see: the one gate every case read goes through.

`cases_visible_to(user)` (a queryset, for lists) and its per-object twin `can_view_case(user, case)` in
sinergi.cases.policies (for one case
already loaded) implement the same rule twice, on purpose: a property test checks they agree.
The rule itself is written down in sinergi/accounts/access_control.md.
"""

import re

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from sinergi.accounts.access import case_scope
from sinergi.core.crypto import blind_index, name_tokens, normalise_phone
from sinergi.deadlines.selectors import case_has_overdue, deadlines_for_case

from . import rules
from .choices import CaseStatus, PersonRole
from .models import (
    BreakGlassAccess,
    Case,
    CaseAssignment,
    CasePerson,
    Consent,
    Document,
    NotTpksDecision,
    PerpetratorRelation,
    PersonNameToken,
)
from .nik import NIK_LENGTH, normalise_nik


def _active_break_glass(user, now):
    return BreakGlassAccess.objects.filter(case=OuterRef("pk"), user=user, expires_at__gt=now)


def cases_visible_to(user):
    scope = case_scope(user)
    unit_id = getattr(user, "organisation_id", None)
    if scope not in {"unit", "team"} or unit_id is None:
        return Case.objects.none()
    now = timezone.now()
    if scope == "unit":
        rule = Q(unit_id=unit_id) | Q(Exists(_active_break_glass(user, now)))
    else:
        on_team = CaseAssignment.objects.filter(case=OuterRef("pk"), user=user, active=True)
        rule = Q(unit_id=unit_id) & Q(Exists(on_team))
        if user.organisation.all_staff_see_all_cases:
            rule |= Q(unit_id=unit_id, restricted=False)
    return Case.objects.filter(rule)


def break_glass_candidates(user):
    """Cases a kepala may open through break-glass: those of the units below their own."""
    if case_scope(user) != "unit" or user.organisation_id is None:
        return Case.objects.none()
    below = [u.pk for u in user.organisation.descendants()]
    return Case.objects.filter(unit_id__in=below)


def case_team(case):
    return (
        CaseAssignment.objects.filter(case=case, active=True)
        .select_related("user")
        .order_by("team_role", "user__username")
    )


def case_by_public_id(public_id):
    """The case behind an id, whoever asks: only to tie a refused attempt to the case's own audit
    trail (its access panel, its unit's trail); never shown to the one refused."""
    return Case.objects.filter(public_id=public_id).only("public_id", "unit_id").first()


def active_break_glass(case, now=None):
    """The emergency accesses to `case` running now, for the banner on the case page.

    A case fetched `with_break_glass_flag` and none running costs no query.
    """
    if getattr(case, "break_glass_active", True) is False:
        return BreakGlassAccess.objects.none()
    now = now or timezone.now()
    return BreakGlassAccess.objects.filter(case=case, expires_at__gt=now).select_related("user")


def with_break_glass_flag(cases):
    """Annotate `break_glass_active`: someone holds emergency access to the case right now."""
    running = BreakGlassAccess.objects.filter(case=OuterRef("pk"), expires_at__gt=timezone.now())
    return cases.annotate(break_glass_active=Exists(running))


def case_persons(case, *, role=None, with_region=False):
    persons = CasePerson.objects.filter(case=case)
    if role is not None:
        persons = persons.filter(role=role)
    if with_region:
        persons = persons.select_related("region")
    return persons.order_by("role", "id")


def case_person(case, public_id):
    return CasePerson.objects.filter(case=case, public_id=public_id).first()


def case_consents(case):
    return Consent.objects.filter(case=case).select_related("victim", "guardian")


def case_documents(case):
    return Document.objects.filter(case=case).select_related("uploaded_by").order_by("-uploaded_at", "-id")


# --- the case list: search and filters ----------------------------------------------------------

_PHONE_SHAPE = re.compile(r"^\+?[0-9 ().-]{8,}$")


_CASE_CODE_SHAPE = re.compile(r"^K-[2-9A-HJKMNP-Z]{7}$", re.IGNORECASE)  # sinergi.cases.models.new_pseudonym


def cases_matching(cases, q):
    """Cases matching `q`, and what kind of search it was (for the audit trail, never the text)."""
    nik = normalise_nik(q)
    if len(nik) == NIK_LENGTH and nik.isdigit():
        index = blind_index(nik, purpose="nik")
        rule = Q(Exists(CasePerson.objects.filter(case=OuterRef("pk"), nik_index=index)))
        return cases.filter(rule | Q(registration_number__icontains=q)), "nik"
    if _PHONE_SHAPE.match(q):
        index = blind_index(normalise_phone(q), purpose="phone")
        rule = Q(Exists(CasePerson.objects.filter(case=OuterRef("pk"), phone_index=index)))
        return cases.filter(rule | Q(registration_number__icontains=q)), "phone"
    if _CASE_CODE_SHAPE.match(q):
        # Checked before names: a code may have no digit at all ("K-MKUSBCU").
        return cases.filter(Q(pseudonym=q.upper()) | Q(registration_number__icontains=q)), "number"
    if not any(c.isdigit() for c in q):
        tokens = [blind_index(t, purpose="name") for t in name_tokens(q)]
        if tokens:
            every_token = (
                PersonNameToken.objects.filter(token__in=tokens)
                .values("person")
                .annotate(n=Count("token", distinct=True))
                .filter(n=len(tokens))
                .values("person")
            )
            rule = Q(Exists(CasePerson.objects.filter(case=OuterRef("pk"), pk__in=every_token)))
            return cases.filter(rule), "name"
    return cases.filter(Q(registration_number__icontains=q) | Q(pseudonym=q.upper())), "number"


def cases_filtered(cases, data, user):
    """`cases` narrowed by the case list's filter form (its cleaned data)."""
    if data["status"]:
        cases = cases.filter(status=data["status"])
    if data.get("step"):
        cases = cases.filter(step=data["step"])
    if data["risk"]:
        cases = cases.filter(risk=data["risk"])
    if data["case_type"]:
        cases = cases.filter(case_type=data["case_type"])
    if data["year"]:
        cases = cases.filter(reported_at__year=data["year"])
    if data["kecamatan"]:
        code = data["kecamatan"]
        cases = cases.filter(Q(incident_region_id=code) | Q(incident_region__parent_id=code))
    if data["violence_type"]:
        victims = CasePerson.objects.filter(
            case=OuterRef("pk"), role=PersonRole.KORBAN, violence_codes__contains=f"|{data['violence_type']}|"
        )
        cases = cases.filter(Exists(victims))
    if data["mine"]:
        cases = cases.filter(
            Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), user=user, active=True))
        )
    if data.get("overdue"):
        cases = cases.filter(case_has_overdue())
    return cases


def case_clocks(case, *, may_extend):
    """The case's clocks for the deadlines panel, each with `.state` and `.may_extend`."""
    deadlines = deadlines_for_case(case)
    for d in deadlines:
        d.may_extend = may_extend and d.is_open
    return deadlines


# --- legal qualification (per victim: one survivor, one incident) ------------------------------


def not_tpks_answered(victims):
    """{victim id: the indicator codes an approved "not TPKS" decision answered}: one query."""
    ids = [v.pk for v in victims]
    answered = {}
    if not ids:
        return answered
    rows = NotTpksDecision.objects.filter(victim_id__in=ids, status=NotTpksDecision.Status.APPROVED)
    for victim_id, grounds in rows.order_by("decided_at", "pk").values_list("victim_id", "grounds"):
        answered[victim_id] = set(grounds or [])
    return answered


def not_tpks_open(victims):
    """{victim id: [decision]} of the "not TPKS" decisions that count or wait (approved, proposed),
    newest first, with who proposed and decided: one query."""
    ids = [v.pk for v in victims]
    result = {}
    if not ids:
        return result
    rows = (
        NotTpksDecision.objects.filter(
            victim_id__in=ids, status__in=(NotTpksDecision.Status.APPROVED, NotTpksDecision.Status.PROPOSED)
        )
        .select_related("proposed_by", "decided_by")
        .order_by("-proposed_at", "-pk")
    )
    for decision in rows:
        result.setdefault(decision.victim_id, []).append(decision)
    return result


def answered_of(open_decisions):
    """:func:`not_tpks_answered` from :func:`not_tpks_open`'s result, without another query."""
    return {
        victim_id: set(d.grounds or [])
        for victim_id, decisions in open_decisions.items()
        for d in decisions
        if d.status == NotTpksDecision.Status.APPROVED
    }


def not_tpks_decision(case, decision_id):
    """A decision on a victim of `case`, or None."""
    if not str(decision_id).isdigit():
        return None
    return (
        NotTpksDecision.objects.select_related("victim", "proposed_by", "decided_by")
        .filter(pk=int(decision_id), victim__case=case)
        .first()
    )


def victim_tpks(victim, answered=None):
    """(grounds, overruled) of one victim's incident: every TPKS ground found (DOMAIN.md §5), and
    whether an approved "not TPKS" decision answers all of them. A ground the decision did not
    answer (found later) makes the incident TPKS again."""
    grounds = rules.incident_tpks_grounds(victim)
    if answered is None:
        answered = not_tpks_answered([victim])
    codes = answered.get(victim.pk)
    overruled = bool(grounds) and codes is not None and {g.code for g in grounds} <= codes
    return grounds, overruled


def victim_is_tpks(victim, answered=None):
    grounds, overruled = victim_tpks(victim, answered)
    return bool(grounds) and not overruled


def case_victims(case):
    return list(case.persons.filter(role=PersonRole.KORBAN).order_by("id"))


def case_tpks_victims(case, victims=None, answered=None):
    """[(victim, grounds)] of the victims whose incident is TPKS; every TPKS rule of the case (no
    mediation, the police-report clock) follows it. `victims` and `answered` (not_tpks_answered)
    save their queries when the caller has them."""
    victims = case_victims(case) if victims is None else [v for v in victims if v.role == PersonRole.KORBAN]
    if answered is None:
        answered = not_tpks_answered(victims)
    result = []
    for victim in victims:
        grounds, overruled = victim_tpks(victim, answered)
        if grounds and not overruled:
            result.append((victim, grounds))
    return result


def grounds_of(tpks_victims):
    """The grounds of `case_tpks_victims`, once each: why the case is TPKS; empty when it is not."""
    unique = {}
    for _victim, grounds in tpks_victims:
        for ground in grounds:
            unique.setdefault(ground.code, ground)
    return list(unique.values())


def case_tpks_grounds(case, victims=None):
    return grounds_of(case_tpks_victims(case, victims))


def case_is_tpks(case, victims=None):
    return bool(case_tpks_victims(case, victims))


def case_police_report_due(case, victims=None):
    """The unit must report the case to the police (UU TPKS Ps 41(2)): a TPKS victim who has not
    reported to the police herself (Ps 41(4))."""
    return any(v.reported_to_police_on is None for v, _g in case_tpks_victims(case, victims))


def case_relations(case):
    """{(perpetrator id, victim id): relationship} of the case."""
    return {
        (r.perpetrator_id, r.victim_id): r.relationship for r in PerpetratorRelation.objects.filter(case=case)
    }


def victim_relationships(victim):
    """The relationship codes of every perpetrator to this one victim (GBVIMS context)."""
    return list(PerpetratorRelation.objects.filter(victim=victim).values_list("relationship", flat=True))


def cases_to_review(cases):
    """Cases with a victim whose classification was copied from the case and is not checked yet."""
    review = CasePerson.objects.filter(case=OuterRef("pk"), classification_to_review=True)
    return cases.filter(Exists(review))


#: The review list shows this many of each kind, oldest first, and says how many there are in all.
REVIEW_LIST_LIMIT = 200


def _review_group(rows):
    total = rows.count()
    return {"rows": list(rows[:REVIEW_LIST_LIMIT]), "total": total}


def review_items(cases):
    """What waits for the head of unit's check in `cases`, oldest first: victims whose
    classification was copied from the case, and "not TPKS" proposals."""
    copied = (
        CasePerson.objects.filter(case__in=cases, classification_to_review=True)
        .select_related("case")
        .order_by("case__created_at", "case_id", "pk")
    )
    proposals = (
        NotTpksDecision.objects.filter(victim__case__in=cases, status=NotTpksDecision.Status.PROPOSED)
        .select_related("victim__case", "proposed_by")
        .order_by("proposed_at", "pk")
    )
    turned, possibly = age_reviews(cases)
    return {
        "copied": _review_group(copied),
        "not_tpks": _review_group(proposals),
        "turned_adult": _review_group(turned.order_by("adult_on", "pk")),
        "possibly_child": _review_group(possibly.order_by("case__created_at", "pk")),
    }


def turned_adult_rule(today=None):
    """A victim who was a child at the report turned 18 by `today` and nobody marked it reviewed."""
    today = today or timezone.localdate()
    return Q(role=PersonRole.KORBAN, adult_on__lte=today, adult_reviewed_at__isnull=True)


def age_reviews(cases, today=None):
    """(turned 18, possibly a child): persons of the open ones of `cases` whose age needs an
    officer — a child client who turned 18 during the case (DOMAIN.md §4: a review event), and an
    estimated age of 17–19 to confirm (rules.possibly_child)."""
    persons = CasePerson.objects.filter(case__in=cases.exclude(status=CaseStatus.CLOSED)).select_related(
        "case"
    )
    return persons.filter(turned_adult_rule(today)), persons.filter(possibly_child=True)
