"""The incident form's region choice (the cascading selects of sinergi.regions)."""

from django.urls import reverse

from sinergi.cases.record import case_register


def test_the_incident_form_takes_the_deepest_consistent_choice(personas, login):
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


def test_the_person_form_picks_the_home_region_with_the_same_picker(personas, login):
    case = case_register(actor=personas.pendamping, victims=[{"name": "A"}])
    victim = case.persons.get(role="korban")
    client = login(personas.pendamping)
    url = reverse("cases:person_edit", args=[case.public_id, victim.public_id])
    page = client.get(url).content.decode()
    assert '<select name="elsewhere_province" id="id_elsewhere_province" hx-get=' in page
    assert page.count('name="elsewhere_province"') == 1  # the picker, not also a text field
    data = {
        "version": victim.version,
        "name": "A",
        "elsewhere_province": "13",
        "elsewhere_regency": "13.76",
        "elsewhere_district": "13.76.02",
        "elsewhere_village": "13.76.02.1002",
        "region": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    victim.refresh_from_db()
    assert victim.region_id == "13.76.02.1002"
    # The picker and a different typed code at once: a message next to the code, nothing saved.
    response = client.post(url, {**data, "version": victim.version, "region": "13.76.01"})
    assert response.status_code == 200
    assert 'id="id_region_error"' in response.content.decode()
    victim.refresh_from_db()
    assert victim.region_id == "13.76.02.1002"
