"""Bad input is refused at the edge, never a server error (issue 15, item 6).

The findings this guards: a NUL byte in any id (a server error on PostgreSQL, also without a
login), boundary dates in the statistics filter (a day after 9999-12-31), a huge integer in the
user invitation form (SQLite cannot bind it). The route-wide sweep is
workspace/tests/test_hostile_input.py; these are the single cases, and the rule that keeps every
form on the project's own fields.
"""

import re
from pathlib import Path

import pytest
from django import forms as django_forms
from django.conf import settings
from django.test import Client

from sinergi.accounts.models import Organisation
from sinergi.core import forms as edge

HUGE = "9" * 40
PACKAGE = Path(settings.BASE_DIR) / "sinergi"
GUARDED_FIELDS = ("DateField", "DateTimeField", "IntegerField", "DecimalField", "ModelChoiceField")
DJANGO_FIELD = re.compile(r"(?<![\w.])forms\.(" + "|".join(GUARDED_FIELDS) + r"|ModelMultipleChoiceField)\(")


def test_no_form_uses_djangos_own_field_where_the_project_has_a_guarded_one():
    offenders = [
        f"{path.relative_to(PACKAGE)}: forms.{match.group(1)}"
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path != PACKAGE / "core" / "forms.py"
        for match in DJANGO_FIELD.finditer(path.read_text())
    ]
    assert not offenders, "use sinergi.core.forms' field instead:\n" + "\n".join(offenders)


def test_the_scan_sees_the_fields_it_forbids():
    assert DJANGO_FIELD.search("    start = forms.DateField(label='x')")
    assert not DJANGO_FIELD.search("    start = DateField(label='x')")


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_a_date_outside_the_range_is_a_clear_error(value):
    form_class = type("F", (django_forms.Form,), {"day": edge.DateField(), "at": edge.DateTimeField()})
    form = form_class({"day": value, "at": f"{value} 10:00"})
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["day"]] == ["date_range"]
    assert [e.code for e in form.errors.as_data()["at"]] == ["date_range"]


def test_dates_inside_the_range_pass():
    form_class = type("F", (django_forms.Form,), {"day": edge.DateField()})
    for value in ("1900-01-01", "2100-12-31", "2024-02-29"):
        assert type("F2", (form_class,), {})({"day": value}).is_valid(), value


def test_integers_and_decimals_stay_within_a_database_column():
    form_class = type(
        "F",
        (django_forms.Form,),
        {"n": edge.IntegerField(), "bounded": edge.IntegerField(max_value=5), "d": edge.DecimalField()},
    )
    form = form_class({"n": HUGE, "bounded": "4", "d": HUGE})
    assert not form.is_valid()
    assert set(form.errors) == {"n", "d"}
    assert form_class({"n": str(2**31 - 1), "bounded": "5", "d": "12.5"}).is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "a\x00b"])
def test_a_key_no_row_can_have_is_refused_without_a_query(value, django_assert_num_queries):
    single = edge.ModelChoiceField(queryset=Organisation.objects.all())
    by_code = edge.ModelChoiceField(queryset=Organisation.objects.all(), to_field_name="public_id")
    several = edge.ModelMultipleChoiceField(queryset=Organisation.objects.all())
    with django_assert_num_queries(0):
        for field, data in ((single, value), (by_code, value), (several, ["1", value])):
            with pytest.raises(django_forms.ValidationError) as refused:
                field.clean(data)
            assert refused.value.code == "invalid_choice"


# --- through the stack ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "request_args",
    [
        {"path": "/kasus/a%00b/"},  # an id in the path, anonymous
        {"path": "/statistik/", "data": {"q": "a\x00b"}},  # the query string
        {"path": "/pengaturan/sandi/MQ/a%00b/"},  # a public route with arguments
    ],
    ids=["path", "query", "public-route"],
)
def test_a_nul_byte_is_a_400_page_for_anonymous(request_args):
    response = Client(raise_request_exception=False).get(**request_args)
    assert response.status_code == 400
    assert b"<html" in response.content.lower()


@pytest.mark.django_db
def test_a_nul_byte_in_a_post_or_a_cookie_is_a_400(personas, login):
    client = login(personas.kepala)
    client.raise_request_exception = False
    assert client.post(f"/kasus/{'x' * 16}/catatan/", {"text": "a\x00b"}).status_code == 400
    client.cookies["sinergi_x"] = "a\x00b"
    assert client.get("/").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("period", [{"end": "9999-12-31"}, {"start": "0001-01-01", "end": "0001-01-01"}])
@pytest.mark.parametrize("route", ["/laporan/", "/laporan/unduh/cases_by_year.csv"])
def test_boundary_dates_in_the_statistics_filter_are_refused(personas, login, route, period):
    client = login(personas.kepala)
    client.raise_request_exception = False
    response = client.get(route, period)
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_dashboard_says_what_is_wrong_with_the_date(personas, login):
    response = login(personas.kepala).get("/laporan/", {"end": "9999-12-31"})
    assert "01-01-1900" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["organisations", "users"])
def test_a_huge_integer_in_the_meeting_invitation_is_a_form_error(personas, login, field):
    client = login(personas.kepala)
    client.raise_request_exception = False
    data = {"kind": "rakor", "title": "Rakor Uji", "starts_at": "2030-01-10T09:00", field: [HUGE]}
    response = client.post("/rapat/baru/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["korban", "pelaku"])
def test_a_huge_form_count_in_the_registration_form_renders_no_thousand_forms(personas, login, prefix):
    client = login(personas.kepala)
    response = client.post("/kasus/baru/", {f"{prefix}-TOTAL_FORMS": HUGE, f"{prefix}-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert len(response.content) < 300_000  # the page itself is ~25 kB; before, 2-4 MB
