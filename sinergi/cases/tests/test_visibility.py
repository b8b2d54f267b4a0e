"""The visibility rule: the list selector and the per-object policy agree, and say what the rule says."""

import datetime as dt

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.cases.models import BreakGlassAccess, Case, CaseAssignment
from sinergi.cases.policies import can_view_case
from sinergi.cases.selectors import cases_visible_to
from sinergi.testing.cases import case_row
from sinergi.testing.fixtures import PERSONAS

STAFF = ["kepala", "petugas", "pendamping", "pendamping_lain", "psikolog", "orang_luar", "kepala_luar"]

case_spec = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(["unit", "other_unit", "province"]),
        "restricted": st.booleans(),
        "team": st.sets(st.sampled_from(STAFF), max_size=3),
        "break_glass": st.sampled_from([None, "active", "expired"]),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(case_spec, min_size=1, max_size=6), all_staff=st.booleans())
def test_selector_and_policy_agree(personas, specs, all_staff):
    BreakGlassAccess.objects.all().delete()
    Case.objects.all().delete()
    personas.orgs.unit.all_staff_see_all_cases = all_staff
    personas.orgs.unit.save()
    now = timezone.now()
    for spec in specs:
        case = case_row(getattr(personas.orgs, spec["unit"]), restricted=spec["restricted"])
        for name in spec["team"]:
            CaseAssignment.objects.create(case=case, user=getattr(personas, name))
        if spec["break_glass"]:
            hours = 1 if spec["break_glass"] == "active" else -1
            BreakGlassAccess.objects.create(
                case=case,
                user=personas.kepala_provinsi,
                reason="x" * 20,
                expires_at=now + dt.timedelta(hours=hours),
            )
    for name in PERSONAS:
        user = getattr(personas, name)
        user.organisation.refresh_from_db()
        listed = set(cases_visible_to(user).values_list("pk", flat=True))
        allowed = {c.pk for c in Case.objects.all() if can_view_case(user, c)}
        assert listed == allowed, name


def make_case(personas, unit="unit", restricted=False, team=()):
    case = case_row(getattr(personas.orgs, unit), restricted=restricted)
    for name in team:
        CaseAssignment.objects.create(case=case, user=getattr(personas, name))
    return case


def visible(user):
    return set(cases_visible_to(user))


def test_kepala_sees_every_case_of_the_unit_including_restricted(personas):
    normal, restricted = make_case(personas), make_case(personas, restricted=True)
    assert visible(personas.kepala) == {normal, restricted}


def test_staff_see_only_assigned_cases_by_default(personas):
    mine = make_case(personas, team=["pendamping"])
    make_case(personas)
    assert visible(personas.pendamping) == {mine}
    assert visible(personas.pendamping_lain) == set()


def test_all_staff_see_all_is_a_unit_setting_that_stops_at_restricted(personas):
    personas.orgs.unit.all_staff_see_all_cases = True
    personas.orgs.unit.save()
    normal, restricted = make_case(personas), make_case(personas, restricted=True)
    personas.pendamping_lain.organisation.refresh_from_db()
    assert visible(personas.pendamping_lain) == {normal}
    on_team = make_case(personas, restricted=True, team=["pendamping_lain"])
    assert on_team in visible(personas.pendamping_lain) and restricted not in visible(
        personas.pendamping_lain
    )


def test_ended_assignment_ends_access(personas):
    case = make_case(personas, team=["pendamping"])
    CaseAssignment.objects.filter(case=case).update(active=False)
    assert visible(personas.pendamping) == set()


def test_aggregate_roles_partners_and_outsiders_see_no_case(personas):
    make_case(personas, team=["pendamping"])
    for name in ["datin", "pimpinan", "auditor", "admin", "mitra", "mitra_lain", "orang_luar", "kepala_luar"]:
        assert visible(getattr(personas, name)) == set(), name


def test_higher_unit_sees_no_case_of_units_below_without_break_glass(personas):
    case = make_case(personas)
    assert visible(personas.kepala_provinsi) == set()
    BreakGlassAccess.objects.create(
        case=case,
        user=personas.kepala_provinsi,
        reason="x" * 20,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert visible(personas.kepala_provinsi) == {case}


def test_a_disabled_user_sees_nothing(personas):
    make_case(personas, team=["pendamping"])
    personas.pendamping.is_active = False
    assert visible(personas.pendamping) == set()
    assert visible(personas.kepala.__class__(role="kepala_uptd")) == set()  # unsaved, anonymous-like
