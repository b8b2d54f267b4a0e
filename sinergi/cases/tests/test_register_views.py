import datetime as dt
import uuid

import pytest
from django.urls import reverse

from sinergi.cases.models import Case, CasePerson

URL = reverse("cases:register")
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _english_interface(client, settings):
    """These tests read English messages; the Indonesian catalogue is checked in test_i18n."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def form_data(**extra):
    data = {
        "token": str(uuid.uuid4()),
        "channel": "datang_langsung",
        "summary": "Dipukul di rumah.",
        "case_type": "ktp",
        "risk": "sedang",
        "jurisdiction": "",
        "reporter_kind": "",
        "reporter_name": "",
        "reporter_phone": "",
        "korban-TOTAL_FORMS": "3",
        "korban-INITIAL_FORMS": "0",
        "korban-MIN_NUM_FORMS": "1",
        "korban-MAX_NUM_FORMS": "3",
        "pelaku-TOTAL_FORMS": "3",
        "pelaku-INITIAL_FORMS": "0",
        "pelaku-MIN_NUM_FORMS": "0",
        "pelaku-MAX_NUM_FORMS": "3",
        "korban-0-name": "Siti Aminah",
        "korban-0-sex": "perempuan",
        "korban-0-age_years": "30",
    }
    data.update(extra)
    return data


class TestRegisterHealth:
    def test_it_works(self, personas, login):
        response = login(personas.petugas).get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="token"' in html and "korban-2-name" in html and "pelaku-2-relationship" in html

    def test_it_hides_from_outsiders(self, personas, login):
        # Registration is a page, not an object: an outsider registers in their own unit.
        client = login(personas.orang_luar)
        response = client.post(URL, form_data())
        case = Case.objects.get()
        assert response.status_code == 302
        assert case.unit == personas.orgs.other_unit
        # …and nobody of the first unit sees the new case.
        assert (
            login(personas.pendamping).get(reverse("cases:detail", args=[case.public_id])).status_code == 404
        )

    def test_it_refuses_without_permission(self, personas, login):
        for name in ["datin", "mitra", "psikolog", "admin"]:
            assert login(getattr(personas, name)).get(URL).status_code == 403, name
            assert login(getattr(personas, name)).post(URL, form_data()).status_code == 403, name
        assert not Case.objects.exists()


class TestRegister:
    def test_success_redirects_to_the_case_with_its_number(self, personas, login):
        client = login(personas.petugas)
        response = client.post(URL, form_data(), follow=True)
        case = Case.objects.get()
        assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.public_id])
        assert case.registration_number in response.content.decode()
        assert case.persons.get().name == "Siti Aminah"

    def test_bad_input_keeps_what_was_typed(self, personas, login):
        data = form_data(channel="sapa129", summary="", **{"korban-0-birth_date": "2099-01-01"})
        data["korban-0-age_years"] = ""
        response = login(personas.petugas).post(URL, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Enter the SAPA 129 ticket number." in html
        assert "The date of birth cannot be in the future." in html
        assert 'value="Siti Aminah"' in html and 'value="2099-01-01"' in html
        assert not Case.objects.exists()

    def test_a_victim_is_required(self, personas, login):
        data = form_data(**{"korban-0-name": "", "korban-0-sex": "", "korban-0-age_years": ""})
        response = login(personas.petugas).post(URL, data)
        assert response.status_code == 200
        assert not Case.objects.exists()

    def test_a_perpetrator_needs_a_name_or_unknown(self, personas, login):
        response = login(personas.petugas).post(URL, form_data(**{"pelaku-0-sex": "laki_laki"}))
        assert "identity unknown" in response.content.decode()
        assert not Case.objects.exists()

    def test_two_victims_and_a_father_then_classify_shows_the_flags(self, personas, login):
        client = login(personas.petugas)
        child_birth = TODAY.replace(year=TODAY.year - 9)
        data = form_data(
            **{
                "korban-1-name": "Putri Aminah",
                "korban-1-sex": "perempuan",
                "korban-1-birth_date": child_birth.isoformat(),
                "pelaku-0-name": "Budi Santoso",
                "pelaku-0-sex": "laki_laki",
                "pelaku-0-age_years": "40",
                "pelaku-0-relationship": "orang_tua",
                "reporter_kind": "keluarga",
                "reporter_anonymous": "on",
            }
        )
        client.post(URL, data)
        case = Case.objects.get()
        roles = sorted(case.persons.values_list("role", flat=True))
        assert roles == ["korban", "korban", "pelaku", "pelapor"]
        child = next(p for p in case.persons.all() if p.name == "Putri Aminah")
        assert child.is_child is True

        response = client.post(
            reverse("cases:classify_victim", args=[case.public_id, child.public_id]),
            {"version": child.version, "tpks_offences": ["perkosaan"], "pkdrt_types": ["seksual"]},
        )
        assert response.status_code == 302
        html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "Child victim" in html
        assert "TPKS — mediation not allowed" in html
        assert "Rape" in html  # the offence as a label, not a code

        # The father (a perpetrator) cannot consent for the child.
        father = case.persons.get(role="pelaku")
        response = client.post(
            reverse("cases:consent_add", args=[case.public_id]),
            {
                "victim": child.public_id,
                "purpose": "layanan",
                "lawful_basis": "consent",
                "given_by": "wali",
                "guardian": father.public_id,
            },
        )
        assert response.status_code == 200
        assert 'id="id_guardian_error"' in response.content.decode()
        assert not case.consents.exists()

    def test_double_submit_creates_one_case(self, personas, login):
        client = login(personas.petugas)
        data = form_data()
        first = client.post(URL, data)
        second = client.post(URL, data)
        case = Case.objects.get()
        assert first.status_code == second.status_code == 302
        assert second.url == reverse("cases:detail", args=[case.public_id])
        assert CasePerson.objects.count() == 1

    def test_a_new_form_registers_a_new_case(self, personas, login):
        client = login(personas.petugas)
        client.post(URL, form_data())
        client.post(URL, form_data())
        assert Case.objects.count() == 2

    @pytest.mark.parametrize("bad", ["not-a-uuid", ""])
    def test_a_missing_token_is_an_error_not_a_case(self, personas, login, bad):
        response = login(personas.petugas).post(URL, form_data(token=bad))
        assert response.status_code == 200
        assert not Case.objects.exists()
