"""Aggregate-only readers (leadership, a higher unit): whole closed months and protected cells,
on the dashboard, its CSVs and the meeting report (docs/statistics.md, "Aggregate-only readers")."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from sinergi.cases.models import Case
from sinergi.coordination.models import ActionItem
from sinergi.reports.aggregates import Period
from sinergi.reports.figures import Figure, Row
from sinergi.reports.pdf import meeting_report_html
from sinergi.reports.protected import NOT_PUBLISHED, protect_figure, whole_months

from .statsdata import adult, make_case, reported
from .test_dashboard import read_csv

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


def _march(p):
    """Two cases in March 2021 (the 2nd and the 20th), six in May."""
    make_case(
        p.petugas, when=reported(2021, 3, 2), victims=[adult(violence_types=["fisik"])], region="13.76.01"
    )
    make_case(
        p.petugas, when=reported(2021, 3, 20), victims=[adult(violence_types=["psikis"])], region="13.76.02"
    )
    for day in range(1, 7):
        make_case(
            p.petugas,
            when=reported(2021, 5, day),
            victims=[adult(violence_types=["fisik"])],
            region="13.76.01",
        )


def _figure(response, key):
    return next(f["figure"] for f in response.context["figures"] if f["figure"].key == key)


def test_a_one_day_window_becomes_the_whole_month_for_the_leadership(personas, login):
    """The finding: an aggregate-only role picked a one-day window and isolated a single case."""
    _march(personas)
    response = login(personas.pimpinan).get(URL, {"start": "2021-03-02", "end": "2021-03-02"})
    assert response.context["aggregate_only"] and response.context["snapped"]
    assert response.context["period"] == "01-03-2021 – 31-03-2021"
    # Both March cases are counted, and two is "<5": the case of the 2nd is not singled out.
    assert _figure(response, "cases_by_year").as_dict() == {"2021": ["<5", "<5", "<5", "<5"]}
    assert _figure(response, "cases_by_kecamatan").as_dict() == {"13.76.01": ["<5"], "13.76.02": ["<5"]}
    assert "aggregate-only" in response.content.decode()
    # The data officer of the unit reads the same day exactly (she exports its rows anyway).
    exact = login(personas.datin).get(URL, {"start": "2021-03-02", "end": "2021-03-02"})
    assert not exact.context["aggregate_only"]
    assert _figure(exact, "cases_by_year").as_dict()["2021"][0] == 1


def test_the_csv_download_is_protected_the_same_way(personas, login):
    _march(personas)
    response = login(personas.pimpinan).get(
        reverse("reports:figure_csv", args=["cases_by_kecamatan"]),
        {"start": "2021-05-03", "end": "2021-05-03"},
    )
    rows = read_csv(response)
    body = {r[0]: r[2] for r in rows if r and r[0].startswith("13.76")}
    # May: six in one kecamatan and none in the other; the total row is published by the same rule.
    assert body == {"13.76.01": "6"}
    assert rows[-1][2] == "6"


@time_machine.travel(dt.datetime(2021, 5, 20, 12, tzinfo=dt.UTC), tick=False)
def test_the_current_month_is_never_in_an_aggregate_window(personas, login):
    _march(personas)  # the May cases are of this month
    response = login(personas.pimpinan).get(URL, {"start": "2021-05-01"})
    assert response.context["period"] == "01-05-2021 – 30-04-2021"
    assert _figure(response, "cases_by_year").rows == []
    assert whole_months(Period(None, None), today=dt.date(2021, 5, 20))[0] == Period(
        None, dt.date(2021, 4, 30)
    )


def test_rates_and_means_are_hidden_when_a_count_they_come_from_is():
    referrals = Figure(
        "referrals_by_agency",
        "Referrals",
        ["sent", "accepted", "declined", "waiting", "rate", "hours"],
        [Row("1", "Polres", [6, 5, 1, 0, 83, 20.5]), Row("2", "RSUD", [12, 6, 6, 0, 50, 3.0])],
        kind="table",
    )
    shown = protect_figure(referrals, n_cases=18, n_victims=18)
    # 5 accepted of 6 with 1 declined: the 1 is "<5", the 5 would give it away, and even hidden
    # as "5+" the two could be worked out from the 6 sent: the row is not broken down, and the
    # rate with it; a mean of five answers or more is published.
    assert shown.rows[0].values == ["6", "5+", "<5", "<5", NOT_PUBLISHED, "20.5"]
    assert shown.rows[1].values == ["12", "6", "6", "0", "50", "3.0"]
    median = Figure(
        "first_response_median", "Median", ["median", "n"], [Row("f", "First", [7.5, 3])], kind="table"
    )
    assert protect_figure(median, n_cases=3, n_victims=3).rows[0].values == [NOT_PUBLISHED, "<5"]


def test_the_meeting_report_lists_only_items_the_reader_may_open(personas):
    """The finding: the meeting report PDF showed action-item text and a restricted case's code
    to roles that get 404 on those items."""
    restricted = make_case(personas.petugas, when=reported(2021, 3, 2))
    Case.objects.filter(pk=restricted.pk).update(restricted=True)
    ActionItem.objects.create(
        unit=personas.orgs.unit,
        description="Visum korban kasus terbatas",
        case=restricted,
        assignee_organisation=personas.orgs.partner,
        due_date=dt.date(2030, 1, 10),
    )
    unit = [personas.orgs.unit]
    kepala = meeting_report_html(user=personas.kepala, unit_scope=unit, period=Period(), aggregate_only=False)
    assert "Visum korban kasus terbatas" in kepala and restricted.pseudonym in kepala
    # The leadership sees the unit's items (action_item.view) but never a case's code.
    pimpinan = meeting_report_html(
        user=personas.pimpinan, unit_scope=unit, period=Period(), aggregate_only=True
    )
    assert "Visum korban kasus terbatas" in pimpinan and restricted.pseudonym not in pimpinan
    # A province head does not see the city's items at all.
    province = meeting_report_html(
        user=personas.kepala_provinsi, unit_scope=unit, period=Period(), aggregate_only=True
    )
    assert "Visum korban kasus terbatas" not in province and restricted.pseudonym not in province
