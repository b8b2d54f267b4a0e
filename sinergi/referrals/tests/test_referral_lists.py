"""The partner's inbox and the sender's follow-up list never hide a referral: every section shows
its total, pages on by keyset, and overdue referrals come first."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.deadlines.models import Deadline
from sinergi.referrals import selectors
from sinergi.referrals.models import Referral
from sinergi.testing.pages import keyset_pages

from .conftest import make_sent

pytestmark = pytest.mark.django_db


def _overdue(referral):
    Deadline.objects.filter(subject_id=referral.public_id).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )


def _section(html, prefix, name):
    return html.split(f'id="{prefix}-section-{name}"')[1].split("</section>")[0]


def _walk(client, url, prefix, name):
    """Every referral id of one section, following its "More" links to the end."""
    pages = keyset_pages(client, url, f"{prefix}-section-{name}")
    return [
        i
        for part in pages
        for i in re.findall(r"/rujukan/(?:[^/\"]+/rujukan/)?([A-Za-z0-9_-]{10,})/\"", part)
    ]


@pytest.fixture
def many(world, monkeypatch):
    monkeypatch.setattr(selectors, "LIST_PAGE_SIZE", 2)
    referrals = [make_sent(world) for _ in range(5)]
    # The oldest is overdue: it must not fall behind the newer ones.
    _overdue(referrals[0])
    # Distinct sending times, oldest first, so the order is known.
    base = timezone.now() - dt.timedelta(days=1)
    for i, referral in enumerate(referrals):
        Referral.objects.filter(pk=referral.pk).update(sent_at=base + dt.timedelta(minutes=i))
    return referrals


def test_inbox_pages_through_every_referral_with_its_total(world, login, many):
    client = login(world.p.mitra)
    url = reverse("referrals:inbox")
    html = client.get(url).content.decode()
    assert html.index('id="inbox-section-overdue"') < html.index('id="inbox-section-new"')
    assert many[0].public_id in _section(html, "inbox", "overdue")
    new = _section(html, "inbox", "new")
    assert "(4)" in html.split('id="inbox-new"')[1].split("</h2>")[0]
    assert "2" in new and "4" in new and 'rel="next"' in new
    walked = _walk(client, url, "inbox", "new")
    assert walked == [r.public_id for r in reversed(many[1:])]


def test_outgoing_pages_through_every_referral(world, login, many):
    client = login(world.p.pendamping)
    url = reverse("referrals:outgoing")
    html = client.get(url).content.decode()
    assert many[0].public_id in _section(html, "outgoing", "overdue")
    assert _walk(client, url, "outgoing", "waiting") == [r.public_id for r in reversed(many[1:])]


def test_a_later_page_links_back_to_the_newest(world, login, many):
    client = login(world.p.mitra)
    url = reverse("referrals:inbox")
    first = _section(client.get(url).content.decode(), "inbox", "new")
    query = re.search(r'href="\?([^"#]*)#[^"]*" rel="next"', first).group(1).replace("&amp;", "&")
    second = _section(client.get(f"{url}?{query}").content.decode(), "inbox", "new")
    assert many[2].public_id in second and many[4].public_id not in second
    assert "new_after" not in re.search(r'href="\?([^"#]*)#[^"]*">', second).group(1)


@pytest.mark.parametrize("cursor", ["rubbish", "1_0", "99999999999999999999999_1", "_"])
def test_a_bad_page_link_shows_the_first_page_and_says_so(world, login, many, cursor):
    response = login(world.p.mitra).get(reverse("referrals:inbox"), {"new_after": cursor})
    assert response.status_code == 200
    new = _section(response.content.decode(), "inbox", "new")
    assert many[4].public_id in new and 'class="notice"' in new


def test_inbox_queries_do_not_grow_with_the_rows(world, login, many, django_assert_num_queries):
    client = login(world.p.mitra)
    url = reverse("referrals:inbox")
    client.get(url)  # the first request of a session records the session
    # One count for every section, one page per section, and the count and page of what the agency
    # itself sent to a unit, whatever the number of referrals.
    with django_assert_num_queries(22):
        client.get(url)
    for _ in range(3):
        make_sent(world)
    with django_assert_num_queries(22):
        client.get(url)
