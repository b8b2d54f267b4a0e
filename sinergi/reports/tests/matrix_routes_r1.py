"""Permission-matrix rows of the statistics routes (merged by workspace/tests/matrix_table.py).

Dashboards, their CSVs and the meeting PDF need `stats.view` (kepala_uptd, pengelola_data,
pimpinan, each for their own unit and the units below); the GBVIMS tables `stats.gbvims` (the
same roles, and partner focal points for every unit); the public page and its open data are
public. Aggregate pages have no object to hide, so a refusal is a 403, never a 404.
"""

from sinergi.reports.models import ReportJob
from sinergi.testing.matrix import KEPALAS, Guarded, Row, _post_only, _url, public, statuses

STATS_VIEWERS = KEPALAS + " datin pimpinan"
GBVIMS_VIEWERS = STATS_VIEWERS + " mitra mitra_lain"


def _stats_row(name, *args, viewers=STATS_VIEWERS):
    return Row(url=_url(name, *args), expect=statuses({200: viewers}, default=403))


ROUTES = {
    "reports:dashboard": Guarded(permission="stats.view", rows=(_stats_row("reports:dashboard"),)),
    "reports:figure_csv": Guarded(
        permission="stats.view",
        rows=(
            _stats_row("reports:figure_csv", "cases_by_year"),
            Row(
                variant="unknown-figure",
                url=_url("reports:figure_csv", "no_such_figure"),
                expect=statuses({404: STATS_VIEWERS}, default=403),
            ),
        ),
    ),
    "reports:meeting_pdf": Guarded(permission="stats.view", rows=(_stats_row("reports:meeting_pdf"),)),
    "reports:meeting_job": Guarded(
        permission="stats.view",
        rows=(
            _post_only("reports:meeting_job"),
            Row(
                url=_url("reports:meeting_job"),
                method="post",
                data=lambda w: {"start": "2021-01-01", "end": "2021-12-31"},
                expect=statuses({302: STATS_VIEWERS}, default=403),
                effect=lambda w: ReportJob.objects.filter(kind="meeting_pdf").exists(),
            ),
        ),
    ),
    "reports:gbvims": Guarded(
        permission="stats.gbvims", rows=(_stats_row("reports:gbvims", viewers=GBVIMS_VIEWERS),)
    ),
    "reports:gbvims_csv": Guarded(
        permission="stats.gbvims", rows=(_stats_row("reports:gbvims_csv", viewers=GBVIMS_VIEWERS),)
    ),
    "reports:releases": Guarded(
        permission="stats.publish", rows=(_stats_row("reports:releases", viewers="datin"),)
    ),
    "reports:release_publish": Guarded(
        permission="stats.publish",
        rows=(
            _post_only("reports:release_publish"),
            # Without the confirm step's second button nothing is published: the page says so.
            Row(
                url=_url("reports:release_publish"),
                method="post",
                data=lambda w: {},
                expect=statuses({400: "datin"}, default=403),
            ),
        ),
    ),
    "reports:public": public("public statistics page: consent-filtered aggregates, small cells suppressed"),
    "reports:public_json": public("open data of the public statistics page (aggregates only)"),
    "reports:public_csv": public("open data of the public statistics page (aggregates only)"),
}
