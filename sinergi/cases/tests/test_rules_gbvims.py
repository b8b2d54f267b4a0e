"""GBVIMS rules (sinergi.cases.rules_gbvims): the gender-based gate, definitions, derived context."""

import pytest
from django.utils import translation

from sinergi.cases import rules
from sinergi.cases.choices import GbvimsContext as C
from sinergi.cases.choices import GbvimsType as T

GBV = {"gbv": True}


def test_the_gate_comes_first_and_every_question_has_a_definition():
    assert rules.GBVIMS_ALL_KEYS[0] == "gbv"
    assert rules.GBVIMS_ALL_KEYS[1:7] == rules.GBVIMS_KEYS
    questions = [rules.GBVIMS_GATE, *rules.GBVIMS_QUESTIONS, *rules.GBVIMS_CONTEXT_QUESTIONS]
    with translation.override("en"):
        assert all(str(q.text).endswith("?") and len(str(q.definition)) > 40 for q in questions)
        definitions = {q.key: str(q.definition) for q in questions}
    # DOMAIN.md §9: the inclusions and exclusions are what make answers right.
    assert "object" in definitions["penetration"]
    assert "attempted rape" in definitions["sexual_contact"] and "FGM/C" in definitions["sexual_contact"]
    assert "not sexual in nature" in definitions["physical_assault"]
    assert "Not: FGM/C" in definitions["physical_assault"]
    assert "every marriage of a child" in definitions["forced_marriage"]
    assert "Not: general poverty" in definitions["denial_of_resources"]
    assert "stalking" in definitions["psychological_abuse"]
    assert "street robbery" in definitions["gbv"]


@pytest.mark.parametrize(
    "answers",
    [
        {"gbv": False},
        # A street robbery with a beating: not gender-based, so not GBV whatever else was ticked.
        {"gbv": False, "physical_assault": True, "psychological_abuse": True},
    ],
)
def test_not_gender_based_is_non_gbv_and_nothing_else_is_asked(answers):
    assert rules.gbvims_type(answers) == T.NON_GBV
    assert rules.gbvims_next_question(answers) is None
    assert rules.gbvims_normalise(answers) == {"gbv": False}
    assert rules.gbvims_context(gbvims_type=T.NON_GBV, answers=answers, child=True) == []


def test_fgm_is_sexual_assault_never_physical_assault_and_a_harmful_practice():
    # The officer ticked "physical" and "no sexual contact": FGM/C still makes it sexual assault.
    answers = GBV | {"penetration": False, "sexual_contact": False, "physical_assault": True, "fgm": True}
    assert rules.gbvims_normalise(answers)["sexual_contact"] is True
    assert rules.gbvims_type(answers) == T.SEXUAL_ASSAULT
    assert rules.gbvims_next_question(answers) is None
    contexts = rules.gbvims_context(gbvims_type=T.SEXUAL_ASSAULT, answers=answers, child=True)
    assert contexts == [C.CHILD_SEXUAL_ABUSE, C.HARMFUL_TRADITIONAL_PRACTICE]
    # FGM/C with penetration stays rape: the first yes still wins.
    assert rules.gbvims_type(GBV | {"penetration": True, "fgm": True}) == T.RAPE


def test_a_childs_marriage_is_forced_marriage_and_early_marriage():
    answers = (
        GBV
        | {"penetration": False, "sexual_contact": False, "physical_assault": False}
        | {"forced_marriage": True}
    )
    assert rules.gbvims_type(answers) == T.FORCED_MARRIAGE
    assert rules.gbvims_context(gbvims_type=T.FORCED_MARRIAGE, answers=answers, child=True) == [
        C.EARLY_MARRIAGE
    ]
    assert rules.gbvims_context(gbvims_type=T.FORCED_MARRIAGE, answers=answers, child=False) == []


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"gbvims_type": T.PHYSICAL_ASSAULT, "relationships": ["suami_istri"]}, [C.INTIMATE_PARTNER_VIOLENCE]),
        ({"gbvims_type": T.PHYSICAL_ASSAULT, "relationships": ["pacar_teman", "tetangga"]}, [C.INTIMATE_PARTNER_VIOLENCE]),
        # The father's relationship to his daughter is not a partner's (the pair decides).
        ({"gbvims_type": T.RAPE, "relationships": ["orang_tua"], "child": True}, [C.CHILD_SEXUAL_ABUSE]),
        ({"gbvims_type": T.RAPE, "child": False}, []),
        ({"gbvims_type": T.RAPE, "child": None}, []),  # age unknown: not derived
        ({"gbvims_type": T.PSYCHOLOGICAL_EMOTIONAL_ABUSE, "child": True}, []),
        ({"gbvims_type": T.RAPE, "answers": {"exchange": True}}, [C.SEXUAL_EXPLOITATION]),
        ({"gbvims_type": T.RAPE, "answers": {"slavery": True}}, [C.SEXUAL_SLAVERY]),
        ({"gbvims_type": T.DENIAL_OF_RESOURCES, "answers": {"harmful_practice": True}}, [C.HARMFUL_TRADITIONAL_PRACTICE]),
        ({"gbvims_type": "", "relationships": ["suami_istri"]}, []),  # not classified: no context
    ],
)  # fmt: skip
def test_context_is_derived_beside_the_type(kwargs, expected):
    kwargs = {"answers": {}, "child": False, **kwargs}
    assert rules.gbvims_context(**kwargs) == expected


def test_a_type_recorded_before_the_gate_needs_the_gate():
    assert rules.gbvims_gate_missing({"penetration": True}, "rape") is True
    assert rules.gbvims_gate_missing(GBV | {"penetration": True}, "rape") is False
    assert rules.gbvims_gate_missing({}, "") is False
    # Without the gate the type is not determined: the gate is the next question.
    assert rules.gbvims_next_question({"penetration": True}) == "gbv"
