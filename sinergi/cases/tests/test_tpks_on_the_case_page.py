"""The case page says why a case is TPKS: the indicator and the article it meets."""

from django.urls import reverse

from sinergi.testing.cases import register_case


def test_a_derived_tpks_case_shows_its_grounds(personas, login):
    case = register_case(
        personas.pendamping,
        victims=[{"name": "Rina", "sex": "perempuan", "age_years": 12, "violence_types": ["seksual"]}],
    )
    html = login(personas.pendamping).get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert 'data-flag="tpks_no_mediation"' in html
    assert "UU TPKS Ps 4(2)(c)" in html


def test_a_case_without_an_indicator_shows_no_tpks_flag(personas, login):
    case = register_case(personas.pendamping)
    html = login(personas.pendamping).get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "data-tpks-grounds" not in html
