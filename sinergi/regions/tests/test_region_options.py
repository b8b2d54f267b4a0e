from django.urls import reverse


def test_it_lists_provinces_then_children(personas, login):
    client = login(personas.petugas)
    provinces = client.get(reverse("regions:options")).content.decode()
    assert provinces.count("<option") == 39 and 'value="13"' in provinces
    children = client.get(reverse("regions:options"), {"elsewhere_province": "13"}).content.decode()
    assert 'value="13.76"' in children and "Kota Payakumbuh" in children and 'value="13.7"' not in children
    kelurahan = client.get(reverse("regions:options"), {"elsewhere_district": "13.76.01"}).content.decode()
    assert kelurahan.count("<option") == 18  # 17 kelurahan of Payakumbuh Barat + "choose"


def test_bad_codes_are_refused(personas, login):
    response = login(personas.petugas).get(reverse("regions:options"), {"induk": "13; DROP"})
    assert response.status_code == 400


def test_it_needs_a_login(client, db):
    assert client.get(reverse("regions:options")).status_code == 302


def test_the_incident_form_takes_the_deepest_consistent_choice(personas, login):
    from sinergi.cases.record import case_register

    case = case_register(actor=personas.pendamping, victims=[{"name": "A"}])
    client = login(personas.pendamping)
    url = reverse("cases:edit_incident", args=[case.public_id])
    data = {
        "version": case.version,
        "incident_date_precision": "day",
        "elsewhere_province": "13",
        "elsewhere_regency": "13.76",
        "elsewhere_district": "13.76.01",
        "elsewhere_village": "13.71.01.1001",  # left over from an earlier choice: ignored
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.incident_region_id == "13.76.01"
    # A province alone is not precise enough, and the message is next to the picker.
    response = client.post(
        url, {**data, "version": case.version, "elsewhere_regency": "", "elsewhere_district": ""}
    )
    assert response.status_code == 200 and "id_elsewhere_district_error" in response.content.decode()
