"""Matrix routes of the meeting pack (the meeting and its viewers come from coordination's world)."""

from sinergi.coordination.tests.matrix_routes import MEETING_VIEWERS, _meeting_id
from sinergi.testing.matrix import Guarded, Row, _url, statuses

ROUTES = {
    "reports:meeting_pack": Guarded(
        permission="meeting.view",
        rows=(
            Row(
                url=_url("reports:meeting_pack", _meeting_id),
                expect=statuses({200: MEETING_VIEWERS}, default=404),
                denied="meeting.view",
            ),
        ),
    ),
}
