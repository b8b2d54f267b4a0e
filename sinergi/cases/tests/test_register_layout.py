"""The registration page's layout (docs/case-record.md "Registering a case"): forms opened on
demand, the "add" buttons without JavaScript, the SAPA 129 field and the error summary."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from sinergi.cases.models import Case

from .test_register_views import URL, form_data


@pytest.fixture(autouse=True)
def _english_interface(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def fieldset_of(html, kind, index):
    """The opening tag of the index-th form of kind `korban` or `pelaku`."""
    tags = re.findall(rf'<fieldset class="card" data-person="{kind}"[^>]*>', html)
    return tags[index]


def test_a_new_page_opens_one_victim_and_no_perpetrator(personas, login):
    html = login(personas.petugas).get(URL).content.decode()
    assert "hidden" not in fieldset_of(html, "korban", 0)
    assert "hidden" in fieldset_of(html, "korban", 1)
    assert all("hidden" in fieldset_of(html, "pelaku", i) for i in range(3))
    # The screening comes before the victims.
    assert html.index('name="risk"') < html.index('name="korban-0-name"')
    assert html.index('name="case_type"') < html.index('name="summary"')
    assert 'id="error-summary"' not in html


def test_add_a_victim_without_javascript_keeps_what_was_typed_and_shows_no_errors(personas, login):
    data = form_data(add="korban", summary="", **{"korban-0-name": "Siti Aminah"})
    response = login(personas.petugas).post(URL, data)
    assert response.status_code == 200
    assert not Case.objects.exists()
    html = response.content.decode()
    assert "hidden" not in fieldset_of(html, "korban", 1)
    assert "hidden" in fieldset_of(html, "korban", 2)
    assert 'value="Siti Aminah"' in html
    assert f'value="{data["token"]}"' in html  # the same report, not a second one
    assert 'id="error-summary"' not in html and "field-error" not in html
    # Nothing in the page counts as an "initial" form: a blank perpetrator stays optional.
    assert 'name="pelaku-INITIAL_FORMS" value="0"' in html


def test_add_a_perpetrator_then_register(personas, login):
    client = login(personas.petugas)
    html = client.post(URL, form_data(add="pelaku")).content.decode()
    assert "hidden" not in fieldset_of(html, "pelaku", 0)
    assert "hidden" in fieldset_of(html, "pelaku", 1)
    # Only one victim is open: the relationship to a second victim is not asked.
    assert re.search(r'<div data-victim="2" hidden>', html)
    response = client.post(
        URL, form_data(**{"pelaku-0-name": "Budi", "pelaku-0-relationship": "suami_istri"})
    )
    assert response.status_code == 302
    assert Case.objects.get().persons.filter(role="pelaku").count() == 1


def test_the_add_button_is_gone_when_every_form_is_open(personas, login):
    data = form_data(add="korban", **{"korban-1-name": "Putri"})
    html = login(personas.petugas).post(URL, data).content.decode()
    assert all("hidden" not in fieldset_of(html, "korban", i) for i in range(3))
    assert re.search(r'<button type="submit" name="add" value="korban"[^>]* hidden>', html)


def test_the_sapa_ticket_is_hidden_for_a_walk_in_and_shown_with_its_error(personas, login):
    client = login(personas.petugas)
    html = client.post(URL, form_data(summary="", add="")).content.decode()
    assert '<div data-show-for-channel="sapa129" hidden>' in html
    response = client.post(URL, form_data(channel="sapa129", sapa_ticket=""))
    assertContains(response, '<div data-show-for-channel="sapa129">')
    assertContains(response, 'href="#id_sapa_ticket"')


def test_the_error_summary_links_to_each_field_and_takes_focus(personas, login):
    data = form_data(summary="", risk="", **{"pelaku-1-sex": "laki_laki"})
    response = login(personas.petugas).post(URL, data)
    assert response.status_code == 200
    assert not Case.objects.exists()
    html = response.content.decode()
    heading = re.search(r'<h2 id="error-summary-heading"[^>]*>', html).group(0)
    assert 'tabindex="-1"' in heading and "autofocus" in heading
    links = re.findall(r'<a href="#(id_[\w-]+)" data-focus="\1">([^<]*)</a>', html)
    targets = [anchor for anchor, _ in links]
    assert targets == ["id_risk", "id_summary", "id_pelaku-1-name"]
    assert links[2][1].startswith("Perpetrator 2 — ")
    # Each target is a field of the page, and the perpetrator with the error is open.
    for anchor in targets:
        assert f'id="{anchor}"' in html
    assert "hidden" not in fieldset_of(html, "pelaku", 1)
    assertContains(response, "There are 3 problems to correct")


def test_a_missing_victim_is_in_the_summary(personas, login):
    data = form_data(**{"korban-0-name": "", "korban-0-sex": "", "korban-0-age_years": ""})
    response = login(personas.petugas).post(URL, data)
    assertContains(response, 'href="#id_korban-0-name"')
    assertNotContains(response, 'href="#id_pelaku')
