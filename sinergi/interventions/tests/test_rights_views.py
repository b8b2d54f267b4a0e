"""The rights and court-monitoring pages: the team records, outsiders get a 404, the leaflet names
no victim, the concern list shows codes only of cases the reader may open."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.interventions import services as s
from sinergi.interventions.models import CourtMonitoring, RightsExplanation

from .helpers import make_case, perpetrator_of, victim_of

TODAY = timezone.localdate()


def _stage(personas, case, **extra):
    return s.legal_stage_record(
        actor=personas.pendamping,
        case=case,
        perpetrator=perpetrator_of(case),
        stage="sidang_tingkat_1",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        agency_name="Pengadilan Negeri Uji",
        **extra,
    )


def test_rights_are_recorded_through_the_page_and_ticked_on_the_case_panel(personas, case, login):
    client = login(personas.pendamping)
    url = reverse("interventions:rights_record", args=[case.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "victim": victim_of(case).public_id,
            "rights": ["restitusi", "kesehatan"],
            "explained_on": TODAY.isoformat(),
            "method": "leaflet",
        },
    )
    assert response.status_code == 302
    record = RightsExplanation.objects.get()
    assert record.explained_by == personas.pendamping and record.rights == ["restitusi", "kesehatan"]
    html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert 'data-right="restitusi" data-explained="yes"' in html
    assert 'data-right="bantuan_hukum" data-explained="no"' in html
    assert "2 of 7 rights explained" in html
    assert reverse("interventions:rights_leaflet", args=[case.public_id]) in html


def test_bad_rights_input_is_shown_on_the_form_and_nothing_is_saved(personas, case, login):
    client = login(personas.pendamping)
    url = reverse("interventions:rights_record", args=[case.public_id])
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    base = {"victim": victim_of(case).public_id, "explained_on": TODAY.isoformat(), "method": "lisan"}
    for data, message in (
        ({**base, "rights": []}, "Tick at least one right that was explained."),
        ({**base, "rights": ["restitusi"], "explained_on": tomorrow}, "The date cannot be in the future."),
        ({**base, "rights": ["hak_palsu"]}, "hak_palsu"),
        ({**base, "rights": ["restitusi"], "explained_by": personas.orang_luar.public_id}, "valid choice"),
        ({**base, "rights": ["restitusi"], "explained_on": "kemarin"}, "date"),
    ):
        response = client.post(url, data)
        assert response.status_code == 200 and message in response.content.decode()
    assert not RightsExplanation.objects.exists()


def test_the_leaflet_is_indonesian_names_no_victim_and_gives_the_unit_to_call(personas, case, login):
    unit = personas.orgs.unit
    unit.phone = "0752-123456"
    unit.save(update_fields=["phone"])
    html = login(personas.pendamping).get(reverse("interventions:rights_leaflet", args=[case.public_id]))
    text = html.content.decode()
    assert html.status_code == 200
    assert (
        "Hak-Hak Anda sebagai Korban" in text and "UU TPKS Pasal 30" in text and "Pasal 66 ayat (2)" in text
    )
    assert unit.name in text and "0752-123456" in text
    assert "Rina" not in text and victim_of(case).name not in text


def test_outsiders_get_a_404_on_every_rights_and_monitoring_page(personas, case, login):
    stage = _stage(personas, case)
    s.court_monitoring_record(
        actor=personas.pendamping, case=case, stage=stage, accompanied=False, raise_at_rakor=True
    )
    client = login(personas.orang_luar)
    c = case.public_id
    for url in (
        reverse("interventions:rights_record", args=[c]),
        reverse("interventions:rights_leaflet", args=[c]),
        reverse("interventions:court_monitoring", args=[c, stage.public_id]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("interventions:court_concern_resolve", args=[c, stage.public_id])).status_code
        == 404
    )
    assert CourtMonitoring.objects.get().is_open_concern


def test_a_stage_of_another_case_is_a_404(personas, case, login):
    other = make_case(personas.pendamping)
    stage = _stage(personas, other)
    client = login(personas.pendamping)
    url = reverse("interventions:court_monitoring", args=[case.public_id, stage.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"accompanied": "0"}).status_code == 404
    assert not CourtMonitoring.objects.exists()


def test_court_monitoring_through_the_pages_and_the_concern_list(personas, case, login):
    stage = _stage(personas, case)
    client = login(personas.pendamping)
    url = reverse("interventions:court_monitoring", args=[case.public_id, stage.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"accompanied": "1", "closed_hearing_child": "1", "raise_at_rakor": "on"})
    assert response.status_code == 200
    assert "every victim of this case is an adult" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="court_monitoring.record", outcome="denied", details__refused="closed_hearing_adult"
    ).exists()
    response = client.post(
        url,
        {"accompanied": "0", "not_confronted": "0", "problems": "Ruang tunggu sama", "raise_at_rakor": "on"},
    )
    assert response.status_code == 302
    panel = client.get(reverse("interventions:case", args=[case.public_id])).content.decode()
    assert "not accompanied, confronted with the perpetrator" in panel and 'data-concern="open"' in panel
    concerns = client.get(reverse("interventions:court_concerns")).content.decode()
    assert case.pseudonym in concerns and "Pengadilan Negeri Uji" in concerns
    assert "Ruang tunggu" not in concerns and "Rina" not in concerns
    # A colleague of the unit who is not on the case sees the concern counted, not its code.
    other = login(personas.pendamping_lain).get(reverse("interventions:court_concerns")).content.decode()
    assert case.pseudonym not in other and "1 more concern on a case you cannot open." in other
    client = login(personas.pendamping)
    resolve = reverse("interventions:court_concern_resolve", args=[case.public_id, stage.public_id])
    assert client.post(resolve).status_code == 302
    assert not CourtMonitoring.objects.get().is_open_concern
    response = client.post(resolve, follow=True)
    assert "There is no open concern to resolve for this stage." in response.content.decode()
    assert case.pseudonym not in client.get(reverse("interventions:court_concerns")).content.decode()
