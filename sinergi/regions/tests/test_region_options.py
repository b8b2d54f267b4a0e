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
