import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from sinergi.cases.models import CaseAssignment, CasePerson
from sinergi.coordination.models import ActionItem, AgendaItem, Meeting, MeetingParticipant
from sinergi.testing.cases import case_row

VICTIM_NAME = "Siti Rahmawati Korban"
AGENDA_TOPIC = "Tindak lanjut layanan kesehatan dan hukum"


def build_coordination(p):
    """A rakor of the persona unit inviting the partner (mitra's agency) and the pendamping, with
    a case (assigned to the pendamping) on the agenda and an action item for the partner."""
    unit_case = case_row(p.orgs.unit, registration_number="PPA-RAKOR-0001", created_by=p.petugas)
    CaseAssignment.objects.create(case=unit_case, user=p.pendamping, team_role="lead", assigned_by=p.kepala)
    CasePerson.objects.create(case=unit_case, role="korban", name=VICTIM_NAME)
    starts = timezone.now() + dt.timedelta(days=7)
    meeting = Meeting.objects.create(
        kind="rakor",
        title="Rakor lintas sektoral uji",
        unit=p.orgs.unit,
        starts_at=starts,
        place="Aula DP3AP2KB",
        period_start=timezone.localdate() - dt.timedelta(days=90),
        period_end=timezone.localdate(),
        created_by=p.kepala,
    )
    MeetingParticipant.objects.create(meeting=meeting, organisation=p.orgs.partner)
    MeetingParticipant.objects.create(meeting=meeting, user=p.pendamping)
    AgendaItem.objects.create(meeting=meeting, order=1, topic=AGENDA_TOPIC, case=unit_case)
    item = ActionItem.objects.create(
        unit=p.orgs.unit,
        meeting=meeting,
        case=unit_case,
        description="Laporan perkembangan penyidikan",
        assignee_organisation=p.orgs.partner,
        due_date=timezone.localdate() + dt.timedelta(days=10),
        created_by=p.kepala,
    )
    other_item = ActionItem.objects.create(
        unit=p.orgs.unit,
        meeting=meeting,
        description="Pemeriksaan kesehatan lanjutan",
        assignee_organisation=p.orgs.other_partner,
        due_date=timezone.localdate() + dt.timedelta(days=5),
        created_by=p.kepala,
    )
    return SimpleNamespace(unit_case=unit_case, meeting=meeting, item=item, other_item=other_item)


@pytest.fixture(autouse=True)
def _in_english(settings):
    # The tests read messages in English (the msgids), whatever the catalogue says in Indonesian.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def coord(personas):
    return build_coordination(personas)


def pdf_text(document):
    """The text WeasyPrint laid out on the pages of a rendered document."""
    from weasyprint.formatting_structure import boxes

    parts = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TextBox):
                parts.append(box.text)
    return " ".join(parts)
