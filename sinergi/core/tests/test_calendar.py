import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.core.calendar import add_working_days, is_working_day, working_days_between
from sinergi.core.models import Holiday

FRIDAY = dt.date(2026, 11, 27)


def test_weekends_are_skipped(db):
    Holiday.objects.all().delete()
    assert add_working_days(FRIDAY, 1) == dt.date(2026, 11, 30)  # Monday
    assert add_working_days(FRIDAY, 3) == dt.date(2026, 12, 2)


def test_holidays_are_skipped(db):
    Holiday.objects.all().delete()
    Holiday.objects.create(date=dt.date(2026, 11, 30), name="Libur uji")
    assert add_working_days(FRIDAY, 1) == dt.date(2026, 12, 1)
    assert not is_working_day(dt.date(2026, 11, 30))


def test_official_holidays_are_loaded_by_migration(db):
    # 17 August is Independence Day every year.
    assert Holiday.objects.filter(date=dt.date(2026, 8, 17)).exists()
    assert add_working_days(dt.date(2026, 8, 14), 1) == dt.date(2026, 8, 18)


def test_zero_and_negative(db):
    assert add_working_days(FRIDAY, 0) == FRIDAY
    assert working_days_between(FRIDAY, FRIDAY) == 0
    try:
        add_working_days(FRIDAY, -1)
    except ValueError:
        pass
    else:
        raise AssertionError("negative days must be refused")


def test_one_query_whatever_the_span(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(FRIDAY, 200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 12, 31)), days=st.integers(1, 40)
)
def test_result_is_a_working_day_exactly_n_working_days_later(db, start, days):
    end = add_working_days(start, days)
    assert is_working_day(end)
    assert working_days_between(start, end) == days
    assert working_days_between(start, end - dt.timedelta(days=1)) == days - 1
