"""Demo data for coordination: one upcoming rakor lintas sektoral of the demo unit (idempotent)."""

import datetime as dt

from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.coordination.choices import MeetingKind
from sinergi.coordination.models import AgendaItem, Meeting, MeetingParticipant

DEMO_RAKOR_TITLE = "Rakor lintas sektoral penanganan kekerasan terhadap perempuan dan anak (demo)"
DEMO_RAKOR_INVITED = ("dinas", "polres", "rsud", "puskesmas", "dinsos", "disdik", "kemenag", "kejari")
DEMO_RAKOR_AGENDA = (
    "Capaian penanganan kasus triwulan ini (data pilah, tanpa identitas)",
    "Hambatan rujukan layanan kesehatan dan visum",
    "Tindak lanjut keputusan rakor sebelumnya",
)


def _next_weekday_at_nine(days_ahead=14):
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    while day.weekday() >= 5:  # Saturday, Sunday
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())


def demo_meetings(orgs):
    """The demo unit's upcoming rakor; created once, left as it is when it already exists."""
    unit = orgs["uptd"]
    if Meeting.objects.filter(unit=unit, title=DEMO_RAKOR_TITLE).exists():
        return
    starts = _next_weekday_at_nine()
    meeting = Meeting.objects.create(
        kind=MeetingKind.RAKOR,
        title=DEMO_RAKOR_TITLE,
        unit=unit,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        place="Aula DP3AP2KB Kota Payakumbuh",
        period_start=starts.date() - dt.timedelta(days=90),
        period_end=starts.date() - dt.timedelta(days=1),
        created_by=User.objects.filter(username="kepala", is_demo=True).first(),
    )
    for key in DEMO_RAKOR_INVITED:
        if key in orgs:
            MeetingParticipant.objects.create(meeting=meeting, organisation=orgs[key])
    for order, topic in enumerate(DEMO_RAKOR_AGENDA, start=1):
        AgendaItem.objects.create(meeting=meeting, order=order, topic=topic)
