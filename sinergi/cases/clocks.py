"""The clocks that the case record starts (called from sinergi.cases.record).

The clock engine (sinergi.deadlines) only keeps time; when a case's clock starts is a rule of
the case record, so it lives here (documented in docs/deadlines.md).
"""

from sinergi.deadlines.choices import ClockKind, DeadlineStatus
from sinergi.deadlines.models import Deadline
from sinergi.deadlines.services import (
    deadline_cancel,
    deadline_retime_for_risk,
    deadline_start,
    deadlines_lock,
)

from .choices import Channel, RiskLevel
from .models import Case, ProtectionMeasure
from .protection_choices import ProtectionKind
from .selectors import case_police_report_due, case_tpks_victims, case_victims

#: Channels where the victim is not in front of the unit: a high-risk report that arrives this
#: way needs someone to go out to the victim (outreach within 3.5 hours by default, DOMAIN.md §7). Walk-ins are already
#: here, outreach findings were found by outreach, and referrals/transfers come with an agency.
REMOTE_CHANNELS = frozenset(
    {
        Channel.TELEPON,
        Channel.WHATSAPP,
        Channel.PIHAK_LAIN,
        Channel.SURAT_EMAIL,
        Channel.SAPA129,
        Channel.DARING,
    }
)


def case_and_clocks_lock(case):
    """Lock the case, then its running clocks (steps 2 and 4 of the lock order in
    docs/development.md), before a service's first audit event: a service that will change the
    case's risk or step, or stop, cancel or retime its clocks, calls this first. Returns the
    locked, current case."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    deadlines_lock(case=locked)
    return locked


def outreach_needed(case):
    return case.risk == RiskLevel.TINGGI and case.channel in REMOTE_CHANNELS


def clocks_on_register(*, case, actor=None):
    """First response (by risk), complaint follow-up and assessment from the report time; outreach
    when needed."""
    started = case.reported_at or case.created_at
    deadline_start(kind=ClockKind.FIRST_RESPONSE, unit=case.unit, case=case, started_at=started, actor=actor)
    deadline_start(kind=ClockKind.ASSESSMENT, unit=case.unit, case=case, started_at=started, actor=actor)
    # The complaint is followed up once screening is done and the case moves on to its
    # assessment (sinergi.cases.workflow stops the clock there).
    deadline_start(
        kind=ClockKind.COMPLAINT_FOLLOW_UP, unit=case.unit, case=case, started_at=started, actor=actor
    )
    if outreach_needed(case):
        deadline_start(kind=ClockKind.OUTREACH, unit=case.unit, case=case, started_at=started, actor=actor)
    if case_police_report_due(case):
        clocks_on_classify(case=case, actor=actor)


def clocks_on_classify(*, case, actor=None):
    """TPKS report to the police (3×24 h from the victim's report, UU TPKS Ps 41(2)) when a victim's
    incident first becomes TPKS, ticked or derived, and she has not reported to the police herself
    (Ps 41(4)).

    Started once per case: a clock already met, or cancelled, is not started again when the
    classification is edited later.
    """
    clocks_on_protection_need(case=case, actor=actor)
    if not case_police_report_due(case):
        return None
    if Deadline.objects.filter(case=case, kind=ClockKind.TPKS_POLICE_REPORT).exists():
        return None
    return _start_police_clock(case, actor)


def clocks_on_not_tpks(*, case, actor=None):
    """An approved "not TPKS" decision was made or withdrawn. No TPKS victim left (or each one
    reported herself): the running police-report clock is cancelled. Due again (the decision was
    withdrawn): the clock runs again from the victim's report, unless it was already met."""
    clocks_on_protection_need(case=case, actor=actor)
    if not case_police_report_due(case):
        return deadline_cancel(kind=ClockKind.TPKS_POLICE_REPORT, case=case, actor=actor, reason="not_tpks")
    clocks = Deadline.objects.filter(case=case, kind=ClockKind.TPKS_POLICE_REPORT)
    if clocks.exclude(status=DeadlineStatus.CANCELLED).exists():
        return None
    return _start_police_clock(case, actor)


def _start_police_clock(case, actor):
    # From the victim's report (UU TPKS Ps 41(2): 3×24 h after the victim reported).
    return deadline_start(
        kind=ClockKind.TPKS_POLICE_REPORT,
        unit=case.unit,
        case=case,
        started_at=case.reported_at or case.created_at,
        actor=actor,
    )


def clocks_on_risk_change(*, case, actor=None):
    """The risk was re-assessed: a running first response (or referral response) takes the new
    risk's duration from its own start (a low-risk report raised to high risk is due in 1 hour);
    a high-risk TPKS victim needs the police asked for protection."""
    clocks_on_protection_need(case=case, actor=actor)
    return deadline_retime_for_risk(case=case, actor=actor)


def protection_request_due(case, victim, tpks_ids=None):
    """A high-risk TPKS victim for whom nobody has asked the police for temporary protection
    yet (UU TPKS Ps 42: within 1×24 h of her report). The risk is the case's."""
    if case.risk != RiskLevel.TINGGI:
        return False
    if tpks_ids is None:
        tpks_ids = {v.pk for v, _g in case_tpks_victims(case)}
    if victim.pk not in tpks_ids:
        return False
    return not ProtectionMeasure.objects.filter(victim=victim, kind=ProtectionKind.POLISI_TPKS).exists()


def clocks_on_protection_need(*, case, actor=None):
    """Start (once per victim) the 1×24 h clock to ask the police for protection for each
    high-risk TPKS victim, from the case's reported time; cancel a running one when the victim is
    no longer high risk or TPKS. Called wherever the risk or the classification changes."""
    tpks_ids = {v.pk for v, _g in case_tpks_victims(case)}
    for victim in case_victims(case):
        clocks = Deadline.objects.filter(
            case=case, kind=ClockKind.PROTECTION_REQUEST, subject_id=victim.public_id
        )
        if protection_request_due(case, victim, tpks_ids):
            if not clocks.exists():
                deadline_start(
                    kind=ClockKind.PROTECTION_REQUEST,
                    unit=case.unit,
                    case=case,
                    subject=victim,
                    started_at=case.reported_at or case.created_at,
                    actor=actor,
                )
        elif clocks.filter(status=DeadlineStatus.OPEN).exists():
            deadline_cancel(
                kind=ClockKind.PROTECTION_REQUEST, case=case, subject=victim, actor=actor, reason="not_needed"
            )
