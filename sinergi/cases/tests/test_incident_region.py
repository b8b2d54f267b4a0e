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
