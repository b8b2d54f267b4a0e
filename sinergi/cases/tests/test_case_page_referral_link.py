"""The case page links to the case's referrals only for those who may open that page (bug fix).

A worker of the same unit who is not on the case team may read the case, but its referrals
page answers 404 to them: the case page used to show them the "Rujukan dan pelimpahan" button.
"""

import pytest
from django.urls import reverse

from sinergi.testing.cases import register_case

LINK_ID = 'id="referral-links"'


@pytest.fixture
def case(personas):
    # A unit where every staff member reads the unit's unrestricted cases, team or not.
    unit = personas.orgs.unit
    unit.all_staff_see_all_cases = True
    unit.save(update_fields=["all_staff_see_all_cases"])
    return register_case(personas.pendamping, summary="Awal")


@pytest.mark.parametrize("persona", ["pendamping", "kepala"])
def test_the_team_and_the_kepala_get_the_link_and_its_page(persona, personas, login, case):
    client = login(getattr(personas, persona))
    html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert LINK_ID in html
    assert reverse("referrals:case_list", args=[case.public_id]) in html
    assert client.get(reverse("referrals:case_list", args=[case.public_id])).status_code == 200


def test_a_worker_off_the_team_gets_neither_the_link_nor_the_page(personas, login, case):
    client = login(personas.pendamping_lain)
    response = client.get(reverse("cases:detail", args=[case.public_id]))
    assert response.status_code == 200  # the unit's staff may read the case ...
    html = response.content.decode()
    assert LINK_ID not in html  # ... but not open its referrals
    assert reverse("referrals:case_list", args=[case.public_id]) not in html
    assert client.get(reverse("referrals:case_list", args=[case.public_id])).status_code == 404
