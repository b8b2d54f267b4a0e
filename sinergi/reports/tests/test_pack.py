import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from sinergi.audit.models import AuditEvent
from sinergi.coordination import services
from sinergi.coordination.tests.conftest import AGENDA_TOPIC, VICTIM_NAME, build_coordination, pdf_text
from sinergi.reports import aggregates as A
from sinergi.reports import pack
from sinergi.testing.cases import case_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(settings):
    # The tests read messages in English (the msgids), whatever the catalogue says in Indonesian.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def coord(personas):
    return build_coordination(personas)


def test_the_pack_is_a_pdf_with_the_agenda_items_and_minutes(personas, coord):
    services.meeting_minutes_record(
        actor=personas.kepala, meeting=coord.meeting, minutes="Notulen: semua hadir"
    )
    coord.meeting.refresh_from_db()
    text = pdf_text(pack.render_pack_document(personas.kepala, coord.meeting))
    assert AGENDA_TOPIC in text
    assert coord.unit_case.pseudonym in text
    assert coord.item.reference in text and coord.other_item.reference in text
    assert "Notulen: semua hadir" in text
    assert VICTIM_NAME not in text
    assert pack.render_pack_pdf(personas.kepala, coord.meeting).startswith(b"%PDF")


def test_overdue_items_are_marked_in_words(personas, coord):
    with time_machine.travel(timezone.now() + dt.timedelta(days=7)):
        text = pdf_text(pack.render_pack_document(personas.kepala, coord.meeting))
    # other_item is due in 5 days, item in 10: a week later only the first is overdue.
    assert text.count("OVERDUE") == 1


def test_a_partners_copy_has_its_own_items_only_and_the_code_only(personas, coord):
    text = pdf_text(pack.render_pack_document(personas.mitra, coord.meeting))
    assert coord.item.reference in text
    assert coord.other_item.reference not in text
    assert coord.unit_case.pseudonym in text


def test_staff_without_case_access_do_not_see_the_code(personas, coord):
    text = pdf_text(pack.render_pack_document(personas.petugas, coord.meeting))
    assert AGENDA_TOPIC in text
    assert coord.unit_case.pseudonym not in text


def test_the_statistics_count_the_units_cases_in_the_period(personas):
    now = timezone.now()
    for days_ago in (1, 2, 40, 400):
        case_row(personas.orgs.unit, reported_at=now - dt.timedelta(days=days_ago), case_type="ktp")
    case_row(personas.orgs.other_unit, reported_at=now - dt.timedelta(days=1))
    stats = pack.period_statistics(
        personas.orgs.unit, timezone.localdate() - dt.timedelta(days=90), timezone.localdate()
    )
    assert stats["total"] == 3
    by_month = stats["sections"][0]  # PACK_FIGURES starts with cases by month
    assert sum(row[1] for row in by_month["rows"]) == 3


def test_the_statistics_section_renders(personas, coord):
    case_row(personas.orgs.unit, reported_at=timezone.now() - dt.timedelta(days=3), case_type="ktp")
    stats = pack.period_statistics(personas.orgs.unit, coord.meeting.period_start, coord.meeting.period_end)
    assert stats["total"] == 1  # the fixture's case has no report date yet
    text = pdf_text(pack.render_pack_document(personas.kepala, coord.meeting))
    assert "in the period: 1." in text


def test_the_download_is_audited(personas, coord, login):
    response = login(personas.kepala).get(reverse("reports:meeting_pack", args=[coord.meeting.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert coord.meeting.title not in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="meeting.pack_download")
    assert event.object_id == coord.meeting.public_id and event.actor_username == "kepala"


def test_no_url_is_fetched(personas, coord):
    fetcher = pack.url_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("https://example.org/font.woff")
    assert fetcher.fetch("data:text/plain;base64,aGk=") is not None  # the embedded logo


def _page_texts(document):
    from weasyprint.formatting_structure import boxes

    return [
        " ".join(box.text for box in page._page_box.descendants() if isinstance(box, boxes.TextBox))
        for page in document.pages
    ]


def test_page_one_is_the_decisions_and_the_action_items_and_the_statistics_are_an_annex(personas, coord):
    """Issue 14 item 11: page 1 = decisions and action items with agency and date, a short summary
    with the change against last year; attendance with names and positions; the letterhead and a
    signature block; statistics as an annex on a page of their own."""
    services.meeting_decision_add(actor=personas.kepala, meeting=coord.meeting, text="Visum gratis di RSUD")
    start, end = coord.meeting.period_start, coord.meeting.period_end
    case_row(personas.orgs.unit, reported_at=timezone.now() - dt.timedelta(days=3), case_type="ktp")
    for days in (2, 4):
        case_row(
            personas.orgs.unit, reported_at=timezone.now() - dt.timedelta(days=365 + days), case_type="ktp"
        )
    coord.meeting.refresh_from_db()
    pages = _page_texts(pack.render_pack_document(personas.kepala, coord.meeting))
    first = pages[0]
    assert personas.orgs.unit.name.upper() in first.upper()  # the letterhead
    assert "Visum gratis di RSUD" in first
    assert coord.item.reference in first and coord.other_item.reference in first
    assert first.index("Visum gratis di RSUD") < first.index(coord.item.reference)
    summary = first[first.index("In short") :]
    assert f"to {end:%d-%m-%Y}: 1;" in summary and "a year before: 2 (-50%)" in summary
    annex = next(i for i, text in enumerate(pages) if "Annex: statistics" in text)
    assert annex > 0 and pages[annex].lstrip().startswith("Annex: statistics")
    everything = " ".join(pages)
    assert personas.pendamping.name_and_position in everything  # attendance by name and position
    assert everything.index(personas.kepala.get_full_name()) < everything.index("Annex: statistics")
    assert f"from {start:%d-%m-%Y} to {end:%d-%m-%Y}: 1" in summary


def test_no_table_row_is_split_across_pages(personas, coord):
    html = pack.render_pack_html(personas.kepala, coord.meeting)
    assert "tr, li { break-inside: avoid;" in html and "thead { display: table-header-group; }" in html


def test_a_partners_summary_hides_small_counts_and_their_change(personas, coord):
    case_row(personas.orgs.unit, reported_at=timezone.now() - dt.timedelta(days=40), case_type="ktp")
    context = pack.pack_context(personas.mitra, coord.meeting)
    assert context["summary"]["change"] is None
    assert context["summary"]["now"] in {"0", "<5"}


def test_the_pack_uses_the_reports_figures_and_a_partner_counts_consented_cases_only(personas, coord):
    case_row(
        personas.orgs.unit, reported_at=timezone.now() - dt.timedelta(days=3), case_type="ktp"
    )  # no statistics consent
    period = (personas.orgs.unit, coord.meeting.period_start, coord.meeting.period_end)
    staff = pack.period_statistics(*period)
    assert staff["total"] == 1
    assert staff["sections"][0]["title"] == str(
        A.cases_by_month(A.Scope.of([personas.orgs.unit], A.Period())).title
    )
    partner = pack.period_statistics(*period, for_partner=True)
    assert partner["total"] == "0"
    assert all(
        value == "0" for section in partner["sections"] for row in section["rows"] for value in row[1:]
    )


def test_a_partners_pack_shows_no_count_under_five(personas):
    """The finding: the partner's meeting pack showed raw counts of 1."""
    from .statsdata import adult, make_case, reported

    make_case(personas.petugas, when=reported(2021, 3, 2), victims=[adult(violence_types=["fisik"])])
    partner = pack.period_statistics(
        personas.orgs.unit, dt.date(2021, 3, 2), dt.date(2021, 3, 2), for_partner=True
    )
    assert partner["total"] == "<5" and partner["period"] == "01-03-2021 – 31-03-2021"
    cells = [value for section in partner["sections"] for row in section["rows"] for value in row[1:]]
    assert "1" not in cells and "<5" in cells
    # Staff of the unit without the right to read its cases (a case worker) get the same protection.
    staff = pack.period_statistics(
        personas.orgs.unit, dt.date(2021, 3, 2), dt.date(2021, 3, 2), aggregate_only=True
    )
    assert staff["total"] == "<5"


def test_a_long_list_of_items_gives_every_count_and_says_what_is_not_listed(personas, coord, monkeypatch):
    monkeypatch.setattr(pack, "PACK_ITEM_LIMIT", 1)
    with time_machine.travel(timezone.now() + dt.timedelta(days=7)):
        html = pack.render_pack_html(personas.kepala, coord.meeting)
    assert "2 open action items, 1 overdue." in html
    assert "1 more open action item is not listed here" in html
    assert coord.other_item.reference in html and coord.item.reference not in html


def _court_concern(case, *, agency_name, accompanied=False, problems="", raise_at_rakor=True):
    from sinergi.cases.models import CasePerson
    from sinergi.interventions.models import CourtMonitoring, LegalProcessStage

    perpetrator = CasePerson.objects.create(case=case, role="pelaku", name="Pelaku Rakor")
    stage = LegalProcessStage.objects.create(
        case=case,
        perpetrator=perpetrator,
        stage="sidang_tingkat_1",
        occurred_at=timezone.now() - dt.timedelta(days=2),
        agency_name=agency_name,
    )
    return CourtMonitoring.objects.create(
        stage=stage, accompanied=accompanied, problems=problems, raise_at_rakor=raise_at_rakor
    )


def test_the_pack_lists_open_court_concerns_per_agency_with_codes_only_for_who_may_open(personas, coord):
    _court_concern(coord.unit_case, agency_name="Pengadilan Negeri Rakor", problems="Teks rahasia hakim")
    _court_concern(coord.unit_case, agency_name="Pengadilan Negeri Rakor", accompanied=None, problems="x")
    _court_concern(coord.unit_case, agency_name="Kejaksaan Rakor", raise_at_rakor=False)  # not raised
    section = pack.court_concerns_section(personas.kepala, coord.meeting.unit)
    assert section["total"] == 2
    (group,) = section["groups"]
    assert group["agency"] == "Pengadilan Negeri Rakor" and group["count"] == 2
    assert group["problems"] == [
        {"label": "not accompanied", "count": 1},
        {"label": "other problem (see the case)", "count": 1},
    ]
    assert group["codes"] == [coord.unit_case.pseudonym]
    html = pack.render_pack_html(personas.kepala, coord.meeting)
    assert 'id="court-concerns">Problems with the victim' in html
    assert "Pengadilan Negeri Rakor" in html and "not accompanied (1)" in html
    assert "Teks rahasia" not in html and "Kejaksaan Rakor" not in html
    # A reader who may not open the case sees the counts, not the code.
    outsider = pack.court_concerns_section(personas.pendamping_lain, coord.meeting.unit)
    assert outsider["total"] == 2 and outsider["groups"][0]["codes"] == []
    with translation.override("id"):
        html = pack.render_pack_html(personas.kepala, coord.meeting)
    assert "Masalah pemenuhan hak korban di proses peradilan" in html
