"""The case page's summary header and which of its sections open (docs/case-record.md "On the phone").

Everything here works on what the page already loaded (the persons, the clocks, the workflow
context, the panels): it queries nothing, so the page's query budget does not change with it.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules


def initials(name):
    """ "Siti Aminah" → "S.A.": enough to know the case on a small screen, not a name on it."""
    parts = [p for p in (name or "").replace(".", " ").split() if p[:1].isalpha()]
    return ".".join(p[0].upper() for p in parts[:3]) + "." if parts else "—"


@dataclass(frozen=True)
class NextAction:
    label: str
    href: str
    hint: str = ""


def _victim_line(case, person, today):
    age = rules.age_now(
        birth_date=person.birth_date,
        age_years=person.age_years,
        told_on=timezone.localdate(case.reported_at) if case.reported_at else None,
        today=today,
    )
    return {
        "initials": _("Anonymous") if person.is_anonymous else initials(person.name),
        "age": age,
        "estimated": person.age_estimated and person.birth_date is None,
    }


def next_action(case, wf):
    """The one thing to do next on this case for this user, from the workflow context `wf`
    (views_workflow.workflow_page_context): a decision waiting for them, the first contact, the
    next step the case can move to, or why it cannot move yet. None when nothing is to be done."""
    base = reverse("cases:detail", args=[case.public_id])
    decide = next((r for r in wf["wf_pending"] if r.may_decide), None)
    if decide is not None:
        return NextAction(
            _("Decide: %(what)s") % {"what": decide.get_kind_display()},
            reverse("cases:approval", args=[case.public_id, decide.public_id]),
        )
    if wf["wf_first_contact_form"] is not None:
        return NextAction(_("Record the first contact"), base + "#first-contact")
    if wf["wf_can_move"]:
        ready = next((m for m in wf["wf_moves"] if not m["problem"]), None)
        if ready is not None:
            return NextAction(_("Move to: %(step)s") % {"step": ready["label"]}, base + "#workflow")
        first = wf["wf_moves"][0]
        return NextAction(
            _("Before moving to %(step)s") % {"step": first["label"]}, base + "#workflow", first["problem"]
        )
    if wf["wf_can_request_closure"] and not wf["wf_closed"]:
        return NextAction(_("Open the case management"), base + "#workflow")
    return None


def case_summary(case, victims, clocks, wf):
    """The summary header: the victims' initials and ages now, the next running deadline, the next
    action. `victims` and `clocks` are what the page already read (an audited case view)."""
    today = timezone.localdate()
    running = [d for d in clocks if d.is_open]
    return {
        "victims": [_victim_line(case, p, today) for p in victims],
        "next_deadline": running[0] if running else None,
        "next_action": next_action(case, wf),
    }


def _panel_rows(context):
    """How many records a panel of another app shows: its "rows" when it says so, else the length
    of each of its lists."""
    if "rows" in context:
        return context["rows"]
    return sum(len(v) for v in context.values() if isinstance(v, list | tuple))


def section_contents(ctx):
    """{section: how many records it holds} for the section titles of the case page (0 = empty,
    shown folded and marked "empty"); the incident section counts 1 when anything is recorded."""
    case = ctx["case"]
    classified = any(
        i["tpks"] or i["gbvims"] or i["tpks_offences"] or i["pkdrt"] or i["tppo_processes"] or i["relations"]
        for i in ctx["incidents"]
    )
    incident = bool(case.summary or case.chronology or case.incident_date or case.place_type or classified)
    return {
        "deadlines": len(ctx["case_clocks"]),
        "persons": sum(len(ctx[k]) for k in ("victims", "perpetrators", "reporters", "guardians")),
        "incident": int(incident),
        "services": sum(_panel_rows(p["context"]) for p in ctx["case_panels"]),
        "documents": len(ctx["documents"]),
        "notes": len(ctx["wf_notes"]),
        "history": len(ctx["timeline"]),
    }


#: The sections open when the page loads. Only the case management (the work that moves the case)
#: is: on a 360 px phone the page with every section holding something open was longer than before
#: (docs/case-record.md "On the phone"). The referral section is one button.
OPEN_SECTIONS = frozenset({"workflow", "referrals"})
