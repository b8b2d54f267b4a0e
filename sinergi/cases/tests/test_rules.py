"""Domain rules (sinergi.cases.rules): ages, GBVIMS, TPPO, mediation (the NIK: test_nik.py)."""

from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from sinergi.cases import rules
from sinergi.cases.choices import AgeBand, GbvimsType, TpksOffence, TppoMeans, TppoProcess, TppoPurpose

TODAY = date(2026, 11, 27)

# --- Age -------------------------------------------------------------------------------------

births = st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31))
spans = st.integers(min_value=0, max_value=120 * 366)

BAND_RANGES = {
    AgeBand.AGE_0_5: (0, 5),
    AgeBand.AGE_6_12: (6, 12),
    AgeBand.AGE_13_17: (13, 17),
    AgeBand.AGE_18_24: (18, 24),
    AgeBand.AGE_25_44: (25, 44),
    AgeBand.AGE_45_59: (45, 59),
    AgeBand.AGE_60_PLUS: (60, 10_000),
}


@given(births, spans)
def test_age_consistency(birth, days):
    on = birth + timedelta(days=days)
    age = rules.age_on(birth, on)
    assert age >= 0
    # Full years: the last birthday is at or before `on`, the next one after it.
    assert age * 365 <= days < (age + 1) * 366 + 1
    band = rules.age_band(age)
    low, high = BAND_RANGES[band]
    assert low <= age <= high
    assert rules.is_child(age) == (age < 18)
    assert rules.is_child(age) == (band in {AgeBand.AGE_0_5, AgeBand.AGE_6_12, AgeBand.AGE_13_17})


@given(births, spans)
def test_age_is_monotone_and_steps_by_one(birth, days):
    on = birth + timedelta(days=days)
    nxt = on + timedelta(days=1)
    assert rules.age_on(birth, nxt) - rules.age_on(birth, on) in (0, 1)


@given(births, st.integers(min_value=1, max_value=100))
def test_birthday_increments_age(birth, years):
    assume(not (birth.month == 2 and birth.day == 29))
    anniversary = birth.replace(year=birth.year + years)
    assert rules.age_on(birth, anniversary) == years
    assert rules.age_on(birth, anniversary - timedelta(days=1)) == years - 1


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (date(2026, 2, 28), 17),
        (date(2026, 3, 1), 18),  # common year: birthday on 1 March
        (date(2028, 2, 28), 19),
        (date(2028, 2, 29), 20),
        (date(2008, 2, 29), 0),
    ],
)
def test_age_of_29_february_birth(on, age):
    assert rules.age_on(date(2008, 2, 29), on) == age


def test_age_on_rejects_date_before_birth():
    with pytest.raises(ValueError):
        rules.age_on(date(2020, 1, 2), date(2020, 1, 1))


def test_unknown_age():
    assert rules.is_child(None) is None
    assert rules.age_band(None) is None
    assert rules.age_band(-1) is None


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0-5"), (5, "0-5"), (6, "6-12"), (12, "6-12"), (13, "13-17"), (17, "13-17"), (18, "18-24"),
     (24, "18-24"), (25, "25-44"), (44, "25-44"), (45, "45-59"), (59, "45-59"), (60, "60+"), (104, "60+")],
)  # fmt: skip
def test_age_band_edges(age, band):
    assert rules.age_band(age) == band


# --- GBVIMS ----------------------------------------------------------------------------------

KEYS = rules.GBVIMS_KEYS


def test_gbvims_questions_order():
    assert KEYS == (
        "penetration",
        "sexual_contact",
        "physical_assault",
        "forced_marriage",
        "denial_of_resources",
        "psychological_abuse",
    )
    assert [q.type for q in rules.GBVIMS_QUESTIONS] == [t for t in GbvimsType if t != GbvimsType.NON_GBV]
    with translation.override("en"):
        assert all(str(q.text).endswith("?") for q in rules.GBVIMS_QUESTIONS)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, GbvimsType.NON_GBV),
        (dict.fromkeys(KEYS, False), GbvimsType.NON_GBV),
        (dict.fromkeys(KEYS, True), GbvimsType.RAPE),
        ({"penetration": True}, GbvimsType.RAPE),
        ({"penetration": False, "sexual_contact": True, "physical_assault": True}, GbvimsType.SEXUAL_ASSAULT),
        ({"sexual_contact": False, "physical_assault": True, "psychological_abuse": True}, GbvimsType.PHYSICAL_ASSAULT),
        ({"forced_marriage": True, "denial_of_resources": True}, GbvimsType.FORCED_MARRIAGE),
        ({"denial_of_resources": True, "psychological_abuse": True}, GbvimsType.DENIAL_OF_RESOURCES),
        ({"psychological_abuse": True}, GbvimsType.PSYCHOLOGICAL_EMOTIONAL_ABUSE),
        ({"penetration": None, "psychological_abuse": True}, GbvimsType.PSYCHOLOGICAL_EMOTIONAL_ABUSE),
    ],
)  # fmt: skip
def test_gbvims_type(answers, expected):
    assert rules.gbvims_type(answers) == expected


@pytest.mark.parametrize("index", range(len(KEYS)))
def test_gbvims_first_yes_wins(index):
    # "no" to every earlier question, "yes" here, anything after.
    answers = (
        {"gbv": True}
        | dict.fromkeys(KEYS[:index], False)
        | {KEYS[index]: True}
        | dict.fromkeys(KEYS[index + 1 :], True)
    )
    assert rules.gbvims_type(answers) == rules.GBVIMS_QUESTIONS[index].type
    assert rules.gbvims_next_question(answers) is None


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, "gbv"),  # the gender-based gate comes first
        ({"penetration": True}, "gbv"),
        ({"gbv": False, "penetration": None}, None),  # not GBV: nothing else is asked
        ({"gbv": True}, "penetration"),
        ({"gbv": True, "penetration": False}, "sexual_contact"),
        ({"gbv": True, "penetration": True}, None),
        ({"gbv": True, "penetration": False, "sexual_contact": False, "physical_assault": None}, "physical_assault"),
        ({"gbv": True, "penetration": False, "physical_assault": True}, "sexual_contact"),  # a gap before the yes
        ({"gbv": True, **dict.fromkeys(KEYS[:5], False)}, "psychological_abuse"),
        ({"gbv": True, **dict.fromkeys(KEYS, False)}, None),
    ],
)  # fmt: skip
def test_gbvims_next_question(answers, expected):
    assert rules.gbvims_next_question(answers) == expected


@given(st.dictionaries(st.sampled_from(rules.GBVIMS_ALL_KEYS), st.one_of(st.none(), st.booleans())))
def test_guided_questions_reach_the_same_type(answers):
    """Asking one question at a time (unasked = no) ends with gbvims_type of the full answers."""
    asked: dict[str, bool] = {k: v for k, v in answers.items() if k in ("fgm", "harmful_practice")}
    while (key := rules.gbvims_next_question(asked)) is not None:
        asked[key] = bool(answers.get(key))
    full = {k: bool(answers.get(k)) for k in ("gbv", *KEYS)} | asked
    assert rules.gbvims_type(asked) == rules.gbvims_type(full)


# --- TPPO, TPKS, mediation -------------------------------------------------------------------

P, M, T = [TppoProcess.PEREKRUTAN], [TppoMeans.PENIPUAN], [TppoPurpose.KERJA_PAKSA]


@pytest.mark.parametrize(
    ("processes", "means", "purposes", "child", "expected"),
    [
        (P, M, T, False, True),
        (P, M, T, True, True),
        (P, [], T, True, True),  # child: means irrelevant
        (P, [], T, False, False),
        (P, [], T, None, False),  # unknown age: treated as adult
        ([], M, T, True, False),  # no process
        (P, M, [], True, False),  # no purpose
        ([], [], [], True, False),
        (P * 2 + [TppoProcess.PENAMPUNGAN], M, T, False, True),
    ],
)
def test_tppo_indicated(processes, means, purposes, child, expected):
    assert rules.tppo_indicated(processes, means, purposes, child_victim=child) is expected


def test_tppo_indicated_accepts_iterators():
    assert rules.tppo_indicated(iter(P), iter([]), (t for t in T), child_victim=True) is True


@pytest.mark.parametrize(
    ("offences", "expected"),
    [
        ([], False),
        ([TpksOffence.PERKOSAAN], True),
        (["ksbe"], True),
        (["bukan_tpks"], False),
        (["bukan_tpks", TpksOffence.LAINNYA_TPKS], True),
    ],
)
def test_is_tpks_case(offences, expected):
    assert rules.is_tpks_case(offences) is expected


@pytest.mark.parametrize(
    ("tpks", "child", "expected"),
    [
        (False, False, (True, False)),
        (False, True, (True, False)),
        (False, None, (True, False)),
        (True, True, (True, True)),  # only as diversi (UU 11/2012 SPPA)
        (True, False, (False, False)),
        (True, None, (False, False)),  # unknown age: forbidden
    ],
)
def test_mediation_allowed(tpks, child, expected):
    decision = rules.mediation_allowed(tpks_case=tpks, perpetrator_is_child=child)
    assert decision == expected
    allowed, as_diversion = decision
    assert (allowed, as_diversion) == (decision.allowed, decision.as_diversion)
