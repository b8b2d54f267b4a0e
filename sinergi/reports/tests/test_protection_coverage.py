"""The dashboard's and the meeting pack's protection figure (issue 16 item 6): protection asked
for and given and safety plans of high-risk victims, rights information of all victims; the
aggregate-only reader's copy under the suppression rule."""

import datetime as dt

from django.utils import timezone

from sinergi.cases.workflow import protection as prot
from sinergi.interventions.services import rights_explanation_record
from sinergi.reports import aggregates
from sinergi.reports.pack import PACK_FIGURES
from sinergi.reports.protected import protect_figure
from sinergi.testing.cases import register_case


def unit_scope(personas):
    return aggregates.Scope.of([personas.orgs.unit])


def _victim(case):
    return case.persons.get(role="korban")


def _world(personas):
    now = timezone.now()
    high = [register_case(personas.petugas, risk="tinggi") for _ in range(6)]
    register_case(personas.petugas, risk="rendah")
    for case in high[:4]:
        prot.protection_save(
            actor=personas.kepala,
            case=case,
            victim=_victim(case),
            kind="lpsk",
            status="diminta",
            requested_at=now - dt.timedelta(hours=1),
        )
    for case in high[:2]:
        prot.protection_save(
            actor=personas.kepala,
            case=case,
            victim=_victim(case),
            kind="polisi_tpks",
            status="diberikan",
            requested_at=now - dt.timedelta(hours=1),
            given_on=timezone.localdate(),
            until=timezone.localdate() + dt.timedelta(days=14),
        )
    prot.safety_plan_save(
        actor=personas.kepala,
        case=high[0],
        victim=_victim(high[0]),
        risks="Risiko",
        review_on=timezone.localdate() + dt.timedelta(days=10),
        actions=[{"what": "Aksi", "who": "Korban", "when": "Hari ini"}],
    )
    rights_explanation_record(
        actor=personas.kepala,
        case=high[1],
        victim=_victim(high[1]),
        rights=["restitusi", "perlindungan"],
        explained_on=timezone.localdate(),
        method="lisan",
    )
    return high


def test_it_counts_each_victim_once_by_what_was_done(personas):
    _world(personas)
    figure = aggregates.figure("protection_coverage", unit_scope(personas))
    rows = figure.as_dict()
    assert rows["high_risk"] == [6, None]
    assert rows["asked"] == [4, 67]  # the victim with two measures counts once
    assert rows["given"] == [2, 33]
    assert rows["plan"] == [1, 17]
    assert rows["rights"] == [1, 14]  # of all 7 victims
    assert "protection_coverage" in PACK_FIGURES


def test_an_aggregate_only_reader_sees_no_count_under_five(personas):
    _world(personas)
    figure = aggregates.figure("protection_coverage", unit_scope(personas))
    shown = protect_figure(figure, n_cases=7, n_victims=7)
    cells = {r.code: r.values for r in shown.rows}
    assert cells["high_risk"][0] == "5+"  # 6 of 7: the other 1 would show by subtraction
    assert cells["plan"][0] == "<5" and cells["plan"][1] == "x"
    assert cells["asked"][0] == "<5"
