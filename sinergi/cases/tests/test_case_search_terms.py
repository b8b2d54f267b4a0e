"""A search for a person (NIK, phone, name) never puts the terms in a URL (issue 15, item 8): the
form is sent by POST and the result page carries only a short-lived opaque id of this session."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from sinergi.core import search_terms
from sinergi.testing.cases import register_case as register
from sinergi.testing.fixtures import mark_recently_authenticated

URL = reverse("cases:list")
NAME = "Dewi Lestari"
PHONE = "0812-1111-2222"


@pytest.fixture
def case(personas):
    return register(personas.kepala, victims=[{"name": NAME, "nik": "", "phone": PHONE}])


def test_the_search_form_is_sent_by_post(personas, login):
    html = login(personas.kepala).get(URL).content.decode()
    form = html[html.index('role="search"') - 60 :]
    assert 'method="post"' in form[:120]


@pytest.mark.parametrize("term", [NAME, PHONE])
def test_a_posted_search_leads_to_a_url_without_the_terms(personas, login, case, term):
    client = login(personas.kepala)
    response = client.post(URL, {"q": term, "risk": ""}, follow=True)
    ((final_url, status),) = response.redirect_chain
    assert status in (302, 303)
    assert term.split()[0].lower() not in final_url.lower() and "0812" not in final_url
    assert f"{search_terms.PARAM}=" in final_url
    assert case.pseudonym in response.content.decode()
    # Paging and the "next page" links keep only the id.
    assert "q=" not in response.context["query"]
    # The session (kept in the database) holds the terms encrypted, never in clear.
    from django.contrib.sessions.models import Session

    stored = Session.objects.get(session_key=client.session.session_key).get_decoded()
    # (Digits alone can be part of a timestamp the session also keeps: look for the typed term and
    # its digit groups as they were typed.)
    assert term not in str(stored) and "1111-2222" not in str(stored)


def test_an_old_style_link_with_the_terms_is_moved_out_of_the_url(personas, login, case):
    response = login(personas.kepala).get(URL, {"q": NAME, "mine": "on"})
    assert response.status_code == 302
    assert "Dewi" not in response["Location"] and "mine=on" in response["Location"]


def test_the_id_works_only_in_its_own_session_and_only_for_a_while(personas, login, case):
    client = login(personas.kepala)
    final_url = client.post(URL, {"q": NAME}, follow=True).redirect_chain[-1][0]
    other = Client()
    other.force_login(personas.kepala)
    mark_recently_authenticated(other, personas.kepala)
    assert other.get(final_url).context["form"].data.get("q") is None  # another session: no terms
    assert client.get(final_url).context["form"].data.get("q") == NAME
    session = client.session  # the search was made longer ago than an id lasts
    for entry in session[search_terms.SESSION_KEY].values():
        entry["at"] = time.time() - search_terms.SEARCH_TTL - 1
    session.save()
    expired = client.get(final_url)
    assert expired.context["form"].data.get("q") is None
    assert "expired" in expired.content.decode() or "kedaluwarsa" in expired.content.decode()
