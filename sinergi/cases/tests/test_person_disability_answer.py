"""A person's disability answer (yes / no / not recorded, DOMAIN.md §4) and nationality."""

import pytest
from django.core.exceptions import ValidationError

from sinergi.cases.record import person_add
from sinergi.testing.cases import register_case


def test_recorded_types_answer_yes_and_no_stays_three_answers(personas):
    case = register_case(personas.pendamping)
    typed = person_add(actor=personas.pendamping, case=case, role="korban", disabilities=["fisik"])
    asked = person_add(
        actor=personas.pendamping, case=case, role="korban", has_disability="tidak", nationality="wna"
    )
    silent = person_add(actor=personas.pendamping, case=case, role="korban")
    assert (typed.has_disability, asked.has_disability, silent.has_disability) == ("ya", "tidak", "")
    assert (asked.nationality, silent.nationality) == ("wna", "")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"disabilities": ["fisik"], "has_disability": "tidak"}, "has_disability"),
        ({"has_disability": "mungkin"}, "has_disability"),
        ({"nationality": "xx"}, "nationality"),
    ],
)
def test_contradictions_and_unknown_codes_are_refused(personas, data, field):
    case = register_case(personas.pendamping)
    with pytest.raises(ValidationError) as refused:
        person_add(actor=personas.pendamping, case=case, role="korban", **data)
    assert field in refused.value.error_dict


def test_the_migration_answers_yes_where_types_were_recorded(personas):
    import importlib

    from django.apps import apps

    from sinergi.cases.models import CasePerson

    migration = importlib.import_module("sinergi.cases.migrations.0007_person_nationality_disability_answer")
    case = register_case(personas.pendamping)
    typed = CasePerson.objects.create(case=case, role="korban", disabilities=["mental"])
    untyped = CasePerson.objects.create(case=case, role="korban")
    migration.disability_types_answer_yes(apps, None)
    typed.refresh_from_db()
    untyped.refresh_from_db()
    assert (typed.has_disability, untyped.has_disability) == ("ya", "")
