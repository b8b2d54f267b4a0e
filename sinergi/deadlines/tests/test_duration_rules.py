"""A unit's clock durations: the limits live in the service, whoever sets them."""

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.core.errors import Refusal
from sinergi.deadlines.choices import ClockKind, TimeUnit
from sinergi.deadlines.models import ClockPolicy
from sinergi.deadlines.services import clock_policy_set, duration_problems

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    ("kind", "amount", "time_unit", "warning", "field"),
    [
        (ClockKind.ASSESSMENT, 0, TimeUnit.DAYS, None, "amount"),
        (ClockKind.ASSESSMENT, 366, TimeUnit.DAYS, None, "amount"),
        (ClockKind.TPKS_POLICE_REPORT, 4, TimeUnit.DAYS, None, "amount"),  # Ps 41: 3×24 h at most
        (ClockKind.TPKS_POLICE_REPORT, 3, TimeUnit.WORKING_DAYS, None, "time_unit"),
        (ClockKind.SHELTER_STAY, 8, TimeUnit.DAYS, None, "amount"),
        (ClockKind.ASSESSMENT, 7, TimeUnit.DAYS, 7 * 24 * 60, "warning_minutes"),
    ],
)
def test_a_duration_outside_the_limits_is_named_by_its_part(kind, amount, time_unit, warning, field):
    assert list(duration_problems(kind, amount=amount, time_unit=time_unit, warning_minutes=warning)) == [
        field
    ]


def test_the_law_may_be_shortened():
    assert (
        duration_problems(
            ClockKind.TPKS_POLICE_REPORT, amount=48, time_unit=TimeUnit.HOURS, warning_minutes=60
        )
        == {}
    )


def test_the_service_refuses_what_the_form_would(personas):
    with pytest.raises(Refusal) as info:
        clock_policy_set(
            actor=personas.kepala,
            unit=personas.orgs.unit,
            kind=ClockKind.TPKS_POLICE_REPORT,
            risk="",
            amount=5,
            time_unit=TimeUnit.DAYS,
            warning_minutes=60,
        )
    assert "UU TPKS Ps 41" in info.value.message_dict["amount"][0]
    assert not ClockPolicy.objects.exists()
    assert not AuditEvent.objects.filter(action="deadline.policy").exists()
