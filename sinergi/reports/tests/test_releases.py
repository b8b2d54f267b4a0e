"""Statistics releases: the public page publishes a release, never live data, and two releases
around one new case let nobody work out anything about that case (docs/statistics.md, "Releases")."""

import copy
import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import Refusal
from sinergi.reports.models import StatisticsRelease
from sinergi.reports.releases import cut_off_for, publish_release, range_cell

from .statsdata import adult, child, make_case, reported

pytestmark = pytest.mark.django_db

SCHOOL_CASE = {
    "victims": [child(violence_types=["seksual"])],
    "perpetrators": [{"relationship": "guru", "sex": "laki_laki"}],
    "place_type": "sekolah",
    "region": "13.76.02",
}


def _cases(p, year, months, **kw):
    for month in months:
        make_case(p.petugas, when=reported(year, month, 3), victims=[adult(violence_types=["fisik"])], **kw)


def _without_release_meta(data):
    data = copy.deepcopy(data)
    for lang in data.values():
        for key in ("release", "generated_at", "cut_off"):
            lang.pop(key)
        lang["trend"] = [t for t in lang["trend"] if not t.get("open")]
    return data


def _open_row(release):
    return next(t for t in release.data["id"]["trend"] if t.get("open"))


def _possible_increments(before, after):
    low = max(0, after["at_least"] - before["at_most"])
    return set(range(low, after["at_most"] - before["at_least"] + 1))


def test_the_public_page_shows_nothing_live_before_the_first_release(client, personas):
    _cases(personas, 2025, range(1, 13), region="13.76.01")
    response = client.get(reverse("reports:public"))
    assert response.status_code == 200 and response.context["data"] is None
    assert "13.76.01" not in response.content.decode()
    data = client.get(reverse("reports:public_json")).json()
    assert data == {"release": None, "trend": [], "years": {}}


def test_a_release_covers_closed_months_is_audited_and_comes_once_a_month(personas):
    assert cut_off_for(dt.date(2026, 12, 3)) == dt.date(2026, 11, 30)
    assert cut_off_for(dt.date(2027, 1, 1)) == dt.date(2026, 12, 31)
    release = publish_release(actor=personas.datin, today=dt.date(2026, 12, 3))
    assert (release.number, release.cut_off) == (1, dt.date(2026, 11, 30))
    event = AuditEvent.objects.get(action="statistics.release_publish")
    assert event.actor_id == personas.datin.pk and event.object_id == "1"
    with pytest.raises(Refusal) as refused:
        publish_release(actor=personas.datin, today=dt.date(2026, 12, 28))
    assert refused.value.reason == "already_published"
    with pytest.raises(Refusal) as refused:
        publish_release(actor=personas.kepala, today=dt.date(2027, 1, 2))
    assert refused.value.reason == "not_publisher"
    assert publish_release(actor=personas.datin, today=dt.date(2027, 1, 2)).number == 2


def test_two_releases_around_one_new_case_reveal_nothing_about_it(personas):
    """The finding: two snapshots around one new case showed that case's attributes exactly."""
    _cases(personas, 2024, range(1, 13), region="13.76.01")
    _cases(personas, 2026, range(1, 10), region="13.76.01")  # nine cases up to October
    first = publish_release(actor=personas.datin, today=dt.date(2026, 11, 10))

    # One new case in November (a child, sexual violence, at a school, a teacher, another kecamatan),
    # and a late entry reported in a year already published.
    make_case(personas.petugas, when=reported(2026, 11, 5), **SCHOOL_CASE)
    make_case(personas.petugas, when=reported(2024, 6, 9), **SCHOOL_CASE)
    second = publish_release(actor=personas.datin, today=dt.date(2026, 12, 3))

    # Everything but the open year's two ranges is the same, byte for byte, in both languages:
    # no table shows the new case, and the closed year 2024 stays as first published.
    assert _without_release_meta(second.data) == _without_release_meta(first.data)
    assert "sekolah" not in str(second.data["id"]["trend"])
    # The open year moved from 5–9 to 10–14 cases: the increment could be anything from 1 to 9.
    before, after = _open_row(first), _open_row(second)
    assert (before["cases"]["shown"], after["cases"]["shown"]) == ("5–9", "10–14")
    for counted in ("cases", "victims"):
        assert len(_possible_increments(before[counted], after[counted])) >= 2


def test_a_year_is_broken_down_once_it_is_over_and_then_stays_as_published(personas):
    _cases(personas, 2026, range(1, 13), region="13.76.01")
    december = publish_release(actor=personas.datin, today=dt.date(2026, 12, 3))
    assert "2026" not in december.data["id"]["years"]
    january = publish_release(actor=personas.datin, today=dt.date(2027, 1, 4))
    tables = january.data["id"]["years"]["2026"]
    kecamatan = next(t for t in tables if t["key"] == "cases_by_kecamatan")
    assert {r["code"]: r["shown"] for r in kecamatan["rows"]} == {"13.76.01": "12"}
    assert next(t for t in january.data["en"]["trend"] if t["year"] == 2026)["cases"]["shown"] == "12"
    # A case of 2026 registered late, and a withdrawn consent, change nothing once 2026 is published.
    make_case(personas.petugas, when=reported(2026, 7, 1), **SCHOOL_CASE)
    february = publish_release(actor=personas.datin, today=dt.date(2027, 2, 1))
    assert february.data["id"]["years"]["2026"] == tables
    # The open year 2027 has only its range: the late case is nowhere.
    assert _open_row(february)["cases"]["shown"] == "0–4"
    assert StatisticsRelease.objects.count() == 3


def test_the_public_page_shows_the_newest_release_in_the_chosen_language(client, personas):
    _cases(personas, 2025, range(1, 7), region="13.76.01")
    publish_release(actor=personas.datin, today=dt.date(2026, 12, 3))
    _cases(personas, 2025, range(7, 13), region="13.76.01")  # live data changed: the page does not
    html = client.get(reverse("reports:public")).content.decode()
    assert "Rilis 1" in html and ">6<" in html and ">12<" not in html
    client.cookies["sinergi_language"] = "en"
    assert "Release 1" in client.get(reverse("reports:public")).content.decode()


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=12))
def test_monthly_ranges_and_the_closing_total_never_pin_a_months_count(months):
    """The open year over twelve monthly releases: ranges of the cumulative count, then the exact
    total once the year is over. No month's non-zero count can be worked out from them."""
    cumulative = [sum(months[: i + 1]) for i in range(len(months))]
    published = [range_cell(c) for c in cumulative]
    total = cumulative[-1]
    for i, count in enumerate(months):
        if count == 0 or i == 0:
            continue
        before = published[i - 1]
        # After the month: its own range, or the exact total when it is the last month.
        last = i == len(months) - 1
        after = {"at_least": total, "at_most": total} if last else published[i]
        assert len(_possible_increments(before, after)) >= 2
