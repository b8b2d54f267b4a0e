import datetime as dt
import re

import pytest
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CasePerson, Consent
from sinergi.cases.record import case_register, person_add
from sinergi.cases.summary import initials
from sinergi.testing.cases import register_case

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _english_interface(client, settings):
    """These tests read English messages; the Indonesian catalogue is checked in test_i18n."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def case(personas):
    return register_case(personas.pendamping, summary="Awal")


def victim_of(case):
    return case.persons.filter(role="korban").first()


def pages(case):
    """Every case-record page of this work: (name, url)."""
    victim = victim_of(case)
    return [
        ("detail", reverse("cases:detail", args=[case.public_id])),
        ("edit_incident", reverse("cases:edit_incident", args=[case.public_id])),
        (
            "classify",
            reverse(
                "cases:classify_victim", args=[case.public_id, case.persons.get(role="korban").public_id]
            ),
        ),
        ("person_add", reverse("cases:person_add", args=[case.public_id, "pelaku"])),
        ("person_edit", reverse("cases:person_edit", args=[case.public_id, victim.public_id])),
        ("consent_add", reverse("cases:consent_add", args=[case.public_id])),
    ]


class TestHealth:
    def test_it_works(self, personas, login, case):
        client = login(personas.pendamping)
        for name, url in pages(case):
            response = client.get(url)
            assert response.status_code == 200, name
        html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Siti Aminah" in html and case.registration_number in html

    def test_a_closed_case_cannot_be_edited(self, personas, login, case):
        Case.objects.filter(pk=case.pk).update(status="ditutup")
        client = login(personas.pendamping)
        for name, url in pages(case):
            expected = 200 if name == "detail" else 403
            assert client.get(url).status_code == expected, name

    def test_an_unknown_role_or_person_is_a_404(self, personas, login, case):
        client = login(personas.pendamping)
        assert client.get(reverse("cases:person_add", args=[case.public_id, "saksi"])).status_code == 404
        other = register_case(personas.kepala, summary="Awal")
        foreign = victim_of(other)
        assert (
            client.get(reverse("cases:person_edit", args=[case.public_id, foreign.public_id])).status_code
            == 404
        )


class TestCasePage:
    def test_query_count_does_not_grow_with_persons(self, personas, login, django_assert_max_num_queries):
        client = login(personas.pendamping)
        small = register_case(personas.pendamping, summary="Awal")
        big = register_case(
            personas.pendamping,
            summary="Awal",
            victims=[{"name": f"Korban {i}", "age_years": 10 + i} for i in range(4)],
            perpetrators=[{"name": "Pelaku", "relationships": ["tetangga"]}],
            reporter={"name": "Pelapor", "reporter_kind": "tetangga"},
        )
        assert big.persons.count() == 6
        client.get(reverse("cases:detail", args=[small.public_id]))  # warm caches (session, permissions)
        with django_assert_max_num_queries(60) as one:
            client.get(reverse("cases:detail", args=[small.public_id]))
        with django_assert_max_num_queries(60) as six:
            html = client.get(reverse("cases:detail", args=[big.public_id])).content.decode()
        # The same budget at both sizes: the summary header and the section titles query nothing.
        assert len(six.captured_queries) == len(one.captured_queries)
        assert html.count("data-summary-victim") == 4
        assert 'id="section-persons"' in html and "(6)" in html

    def test_it_shows_age_facts_and_child_flag(self, personas, login):
        case = register_case(
            personas.pendamping,
            summary="Awal",
            victims=[{"name": "Anak Satu", "birth_date": TODAY.replace(year=TODAY.year - 12)}],
            risk="tinggi",
        )
        html = login(personas.pendamping).get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Child victim" in html and "High risk" in html and "AMPK category missing" in html
        assert "6-12" in html

    def test_a_child_perpetrator_in_a_tpks_case_allows_only_diversion(self, personas, login):
        case = register_case(
            personas.pendamping,
            summary="Awal",
            perpetrators=[{"name": "Remaja", "age_years": 15, "relationships": ["tetangga"]}],
        )
        CasePerson.objects.filter(case=case, role="korban").update(tpks_offences=["pelecehan_fisik"])
        html = login(personas.pendamping).get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "TPKS — only diversion (child perpetrator)" in html
        assert "TPKS — mediation not allowed" not in html


class TestSummary:
    """The summary header and the folded sections (docs/case-record.md "On the phone")."""

    def page(self, client, case):
        return client.get(reverse("cases:detail", args=[case.public_id])).content.decode()

    def test_initials_and_age_first_then_folded_sections(self, personas, login):
        case = register_case(
            personas.pendamping, victims=[{"name": "Rina Wati", "age_years": 12}], risk="tinggi"
        )
        html = self.page(login(personas.pendamping), case)
        summary = html[html.index('id="case-summary"') : html.index('id="section-workflow"')]
        assert "R.W., 12 years" in summary and "Rina" not in summary
        assert 'data-flag="high_risk"' in summary and "data-summary-deadline" in summary
        # The next action of a case at intake: the first contact, in the open workflow section.
        assert f'href="/kasus/{case.public_id}/#first-contact"' in summary
        assert 'id="first-contact"' in html
        assert re.search(r'<details class="case-section" id="section-workflow" open>', html)
        for name in ("deadlines", "persons", "incident", "services", "documents", "notes", "history"):
            assert re.search(rf'<details class="case-section" id="section-{name}">', html), name
        documents = html[html.index('id="section-documents"') :]
        assert documents.index('class="section-empty"') < documents.index("</summary>")

    def test_a_closed_case_has_no_next_action_and_an_estimated_age_is_marked(self, personas, login):
        case = register_case(
            personas.pendamping, victims=[{"name": "Sari", "age_years": 30, "age_estimated": True}]
        )
        Case.objects.filter(pk=case.pk).update(status="ditutup")
        html = self.page(login(personas.pendamping), case)
        assert 'id="case-next-action"' not in html
        assert "S., ±30 years" in html

    def test_initials(self):
        assert initials("Siti Aminah") == "S.A."
        assert initials("  dr. budi  santoso ") == "D.B.S."
        assert initials("") == "—"


class TestIncident:
    def url(self, case):
        return reverse("cases:edit_incident", args=[case.public_id])

    def data(self, case, **extra):
        data = {
            "version": case.version,
            "incident_date": (TODAY - dt.timedelta(days=3)).isoformat(),
            "incident_date_precision": "day",
            "place_type": "rumah_tangga",
            "incident_region": "",
            "incident_region_code": "",
            "incident_address": "Jl. Uji 1",
            "chronology": "Kronologi panjang",
            "frequency": "berulang",
            "summary": "Ringkas",
            "case_type": "ktp",
            "risk": "tinggi",
            "jurisdiction": "kab_kota",
        }
        data.update(extra)
        return data

    def test_it_saves_with_a_payakumbuh_region(self, personas, login, case):
        from sinergi.regions.models import Region

        kelurahan = Region.objects.filter(code__startswith="13.76.", level=4).first()
        client = login(personas.pendamping)
        assert kelurahan.code in client.get(self.url(case)).content.decode()
        response = client.post(self.url(case), self.data(case, incident_region=kelurahan.code))
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.incident_region_id == kelurahan.code and case.chronology == "Kronologi panjang"
        assert case.version == 2

    def test_a_region_code_elsewhere_must_exist(self, personas, login, case):
        client = login(personas.pendamping)
        response = client.post(self.url(case), self.data(case, incident_region_code="99.99.99"))
        assert response.status_code == 200
        assert "No region with this code." in response.content.decode()
        response = client.post(self.url(case), self.data(case, incident_region_code="13.71"))
        assert "Choose a kecamatan or kelurahan." in response.content.decode()
        case.refresh_from_db()
        assert case.version == 1

    def test_a_future_incident_is_an_error_next_to_the_field(self, personas, login, case):
        future = (TODAY + dt.timedelta(days=5)).isoformat()
        response = login(personas.pendamping).post(self.url(case), self.data(case, incident_date=future))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="id_incident_date_error"' in html and "Kronologi panjang" in html

    def test_a_stale_edit_is_a_409_that_keeps_the_typed_value(self, personas, login, case):
        client = login(personas.pendamping)
        stale_version = case.version
        client.post(self.url(case), self.data(case, chronology="Disimpan lebih dulu"))
        response = client.post(
            self.url(case), self.data(case, version=stale_version, chronology="Ketikan saya")
        )
        assert response.status_code == 409
        html = response.content.decode()
        assert "Disimpan lebih dulu" in html and "Ketikan saya" in html
        assert 'name="version" value="2"' in html
        case.refresh_from_db()
        assert case.chronology == "Disimpan lebih dulu"
        # Sending the kept input again saves it over the newer version.
        assert client.post(self.url(case), self.data(case, chronology="Ketikan saya")).status_code == 302
        case.refresh_from_db()
        assert case.chronology == "Ketikan saya"


class TestClassify:
    def test_gbvims_questions_in_order_and_the_type_after_save(self, personas, login, case):
        from sinergi.cases import rules

        client = login(personas.pendamping)
        victim = case.persons.get(role="korban")
        start = reverse("cases:classify", args=[case.public_id])
        url = reverse("cases:classify_victim", args=[case.public_id, victim.public_id])
        assert client.get(start)["Location"] == url  # one victim: straight to her incident
        html = client.get(url).content.decode()
        questions = [rules.GBVIMS_GATE, *rules.GBVIMS_QUESTIONS, *rules.GBVIMS_CONTEXT_QUESTIONS]
        positions = [html.index(f'name="gbvims_{q.key}"') for q in questions]
        assert positions == sorted(positions)
        data = {"gbvims_gbv": "ya", "gbvims_penetration": "tidak", "gbvims_sexual_contact": "ya"}
        response = client.post(url, {"version": victim.version, **data})
        assert response.status_code == 302
        victim.refresh_from_db()
        assert victim.gbvims_type == "sexual_assault"
        assert "Sexual assault" in client.get(reverse("cases:detail", args=[case.public_id])).content.decode()

    def test_the_trafficking_block_opens_only_on_an_indication(self, personas, login, case):
        """Issue 14 item 6: the TPPO triad shows only on a trafficking indication (folded otherwise,
        still there to open); once something is recorded in it, it opens by itself."""
        client = login(personas.pendamping)
        victim = case.persons.get(role="korban")
        url = reverse("cases:classify_victim", args=[case.public_id, victim.public_id])
        html = client.get(url).content.decode()
        assert '<details class="tppo-block" id="tppo-block">' in html
        assert html.index('id="tppo-block"') < html.index('name="tppo_processes"')
        client.post(url, {"version": victim.version, "tppo_processes": ["perekrutan"]})
        assert '<details class="tppo-block" id="tppo-block" open>' in client.get(url).content.decode()

    def test_stale_classification_is_a_409(self, personas, login, case):
        client = login(personas.pendamping)
        victim = case.persons.get(role="korban")
        url = reverse("cases:classify_victim", args=[case.public_id, victim.public_id])
        client.post(url, {"version": victim.version, "pkdrt_types": ["fisik"]})
        response = client.post(url, {"version": victim.version, "tpks_offences": ["perkosaan"]})
        assert response.status_code == 409
        assert re.search(r'value="perkosaan"[^>]*checked', response.content.decode())


class TestPersons:
    def test_add_a_perpetrator(self, personas, login, case):
        client = login(personas.pendamping)
        url = reverse("cases:person_add", args=[case.public_id, "pelaku"])
        html = client.get(url).content.decode()
        victim = case.persons.get(role="korban")
        field = f"relationship_{victim.public_id}"
        assert f'name="{field}"' in html and 'name="violence_types"' not in html
        response = client.post(url, {"name": "Budi", field: "suami_istri", "sex": "laki_laki"})
        assert response.status_code == 302
        perpetrator = case.persons.get(role="pelaku")
        assert perpetrator.victim_relations.get().relationship == "suami_istri"

    def test_victim_form_has_violence_types_and_ampk(self, personas, login, case):
        html = login(personas.pendamping).get(reverse("cases:person_add", args=[case.public_id, "korban"]))
        html = html.content.decode()
        assert 'name="violence_types"' in html and 'name="ampk_categories"' in html
        assert 'name="relationship_' not in html

    def test_a_probable_match_is_offered_before_saving(self, personas, login, case):
        other = register_case(
            personas.pendamping, summary="Awal", victims=[{"name": "Rina", "phone": "0812 3456 7890"}]
        )
        client = login(personas.pendamping)
        url = reverse("cases:person_add", args=[case.public_id, "korban"])
        response = client.post(url, {"name": "Rina Baru", "phone": "+62 812-3456-7890"})
        html = response.content.decode()
        assert response.status_code == 200 and other.pseudonym in html
        assert not case.persons.filter(role="korban").exclude(pk=victim_of(case).pk).exists()
        response = client.post(
            url, {"name": "Rina Baru", "phone": "+62 812-3456-7890", "continue_different": "on"}
        )
        assert response.status_code == 302
        assert case.persons.filter(role="korban").count() == 2

    def test_linking_the_same_person(self, personas, login, case):
        other = register_case(
            personas.pendamping, summary="Awal", victims=[{"name": "Rina", "phone": "081234567890"}]
        )
        known = victim_of(other)
        client = login(personas.pendamping)
        url = reverse("cases:person_add", args=[case.public_id, "korban"])
        response = client.post(
            url, {"name": "Rina", "phone": "081234567890", "same_as_choice": known.public_id}
        )
        assert response.status_code == 302
        added = case.persons.order_by("-id").first()
        assert added.person_key == CasePerson.objects.get(pk=known.pk).person_key

    def test_edit_a_person_and_a_stale_edit(self, personas, login, case):
        victim = victim_of(case)
        client = login(personas.pendamping)
        url = reverse("cases:person_edit", args=[case.public_id, victim.public_id])
        assert 'value="Siti Aminah"' in client.get(url).content.decode()
        response = client.post(url, {"version": 1, "name": "Siti A.", "violence_types": ["fisik", "psikis"]})
        assert response.status_code == 302
        victim.refresh_from_db()
        assert victim.violence_types == ["fisik", "psikis"]
        response = client.post(url, {"version": 1, "name": "Ketikan lama"})
        assert response.status_code == 409
        assert "Ketikan lama" in response.content.decode()

    def test_a_service_error_lands_next_to_the_field(self, personas, login, case):
        client = login(personas.pendamping)
        url = reverse("cases:person_add", args=[case.public_id, "korban"])
        response = client.post(url, {"name": "X", "nik": "1234", "continue_different": "on"})
        assert response.status_code == 200
        assert 'id="id_nik_error"' in response.content.decode()


class TestConsent:
    def test_record_consent(self, personas, login, case):
        client = login(personas.pendamping)
        victim = victim_of(case)
        response = client.post(
            reverse("cases:consent_add", args=[case.public_id]),
            {
                "victim": victim.public_id,
                "purpose": "layanan",
                "lawful_basis": "consent",
                "given_by": "korban",
            },
        )
        assert response.status_code == 302
        assert Consent.objects.filter(case=case, victim=victim).exists()
        html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Services" in html

    def test_a_guardian_who_is_a_perpetrator_is_refused_on_the_field(self, personas, login):
        case = register_case(
            personas.pendamping,
            summary="Awal",
            victims=[{"name": "Anak", "age_years": 8}],
            perpetrators=[{"name": "Ayah", "relationships": ["orang_tua"]}],
        )
        father = case.persons.get(role="pelaku")
        response = login(personas.pendamping).post(
            reverse("cases:consent_add", args=[case.public_id]),
            {
                "victim": victim_of(case).public_id,
                "purpose": "layanan",
                "lawful_basis": "consent",
                "given_by": "wali",
                "guardian": father.public_id,
            },
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="id_guardian_error"' in html
        assert not Consent.objects.exists()

    def test_edits_are_audited_without_values(self, personas, login, case):
        person_add(actor=personas.pendamping, case=case, role="pelapor", name="Tetangga Baik")
        events = AuditEvent.objects.filter(case_id=case.public_id)
        assert "Tetangga Baik" not in str(list(events.values_list("details", "changes")))


def test_flags_are_in_indonesian_by_default(personas, login, client):
    from sinergi.testing.cases import classify

    case = case_register(
        actor=personas.petugas,
        victims=[{"name": "Anak", "sex": "perempuan", "age_years": 9}],
        perpetrators=[{"name": "Ayah", "sex": "laki_laki", "age_years": 40, "relationships": ["orang_tua"]}],
    )
    classify(actor=personas.petugas, case=case, version=case.version, tpks_offences=["perkosaan"])
    client.cookies.pop("sinergi_language", None)
    html = login(personas.petugas).get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Korban anak" in html and "TPKS — mediasi tidak diperbolehkan" in html


def test_timeline_lists_changes_not_views(personas, login):
    from sinergi.cases.record import case_update_incident

    case = case_register(actor=personas.petugas, victims=[{"name": "A"}])
    case_update_incident(actor=personas.petugas, case=case, version=case.version, place_type="sekolah")
    client = login(personas.petugas)
    client.get(reverse("cases:detail", args=[case.public_id]))
    html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    timeline = html.split('id="timeline"', 1)[1].split("</section>", 1)[0]
    assert "case.register" in timeline and "case.update" in timeline and "case.view" not in timeline


def test_edit_pages_and_match_suggestions_are_audited(personas, login):

    first = case_register(actor=personas.petugas, victims=[{"name": "Siti Aminah", "phone": "081299990000"}])
    second = case_register(actor=personas.petugas, victims=[{"name": "Lain"}])
    client = login(personas.petugas)
    client.get(reverse("cases:edit_incident", args=[second.public_id]))
    assert AuditEvent.objects.filter(
        action="case.view", case_id=second.public_id, details__page="edit_incident"
    ).exists()
    client.post(
        reverse("cases:person_add", args=[second.public_id, "korban"]),
        {"name": "Siti A", "phone": "0812-9999-0000", "sex": "perempuan"},
    )
    shown = AuditEvent.objects.filter(action="person.view", case_id=first.public_id)
    assert shown.exists() and shown.first().details["reason"] == "possible match"
