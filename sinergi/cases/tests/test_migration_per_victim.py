"""Migration 0006 moves the case-level classification to each victim, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0005_workflow")]
AFTER = [("cases", "0006_per_victim_incident")]


def _latest():
    """Every app's last migration: the schema the rest of the suite expects back."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cases_move_to_per_victim_incidents_and_back(personas):
    old = _migrate(BEFORE)
    Case = old.get_model("cases", "Case")
    CasePerson = old.get_model("cases", "CasePerson")
    unit_id = personas.orgs.unit.pk
    single = Case.objects.create(
        unit_id=unit_id, pseudonym="K-SINGLE2", tpks_offences=["perkosaan"], gbvims_type="rape"
    )
    wife = CasePerson.objects.create(case=single, role="korban", public_id="v-single")
    CasePerson.objects.create(case=single, role="pelaku", relationship="suami_istri", public_id="p-single")
    family = Case.objects.create(unit_id=unit_id, pseudonym="K-FAMILY2", pkdrt_types=["fisik", "seksual"])
    mother = CasePerson.objects.create(case=family, role="korban", public_id="v-mother")
    daughter = CasePerson.objects.create(case=family, role="korban", public_id="v-daughter")
    CasePerson.objects.create(case=family, role="pelaku", relationship="suami_istri", public_id="p-father")
    try:
        new = _migrate(AFTER)
        Person = new.get_model("cases", "CasePerson")
        Relation = new.get_model("cases", "PerpetratorRelation")
        one = Person.objects.get(pk=wife.pk)
        # One victim: everything kept, nothing to review.
        assert (one.tpks_offences, one.gbvims_type, one.classification_to_review) == (
            ["perkosaan"],
            "rape",
            False,
        )
        assert Relation.objects.get(victim_id=wife.pk).relationship == "suami_istri"
        # Several victims: each gets a copy, marked to review.
        for victim in (mother, daughter):
            copy = Person.objects.get(pk=victim.pk)
            assert (copy.pkdrt_types, copy.classification_to_review) == (["fisik", "seksual"], True)
        assert Relation.objects.filter(case_id=family.pk).count() == 2
        # The daughter's relationship is then corrected, which the way back cannot keep.
        Relation.objects.filter(victim_id=daughter.pk).update(relationship="orang_tua")

        back = _migrate(BEFORE)
        Case = back.get_model("cases", "Case")
        CasePerson = back.get_model("cases", "CasePerson")
        assert Case.objects.get(pk=single.pk).tpks_offences == ["perkosaan"]
        assert Case.objects.get(pk=family.pk).pkdrt_types == ["fisik", "seksual"]
        assert (
            CasePerson.objects.get(public_id="p-father").relationship == "suami_istri"
        )  # to the first victim
    finally:
        _migrate(_latest())
