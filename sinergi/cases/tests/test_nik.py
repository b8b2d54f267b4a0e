"""The NIK rules (sinergi.cases.nik): malformed = error; not current or disagreeing = warning."""

from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sinergi.cases import nik as rules
from sinergi.cases.choices import Sex
from sinergi.regions.historical import HISTORICAL_REGENCIES, PROVINCE_CODES

TODAY = date(2026, 11, 27)


def make_nik(region: str, birth: date, sex: str, serial: int) -> str:
    day = birth.day + (40 if sex == Sex.PEREMPUAN else 0)
    return f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


regions = st.builds(
    lambda p, k, d: f"{p}{k:02d}{d:02d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(1, 99),
    st.integers(1, 99),
)
# Within 100 years of TODAY, so the century guess is right.
nik_births = st.dates(min_value=date(TODAY.year - 99, 1, 1), max_value=TODAY)
sexes = st.sampled_from([Sex.PEREMPUAN, Sex.LAKI_LAKI])
serials = st.integers(1, 9999)


@st.composite
def valid_niks(draw):
    region, birth, sex, serial = draw(regions), draw(nik_births), draw(sexes), draw(serials)
    return make_nik(region, birth, sex, serial), region, birth, sex


def everything_exists():
    seen = []

    def regency_exists(code):
        seen.append(code)
        return True

    def kecamatan_codes(regency):
        return set()

    return seen, {"regency_exists": regency_exists, "kecamatan_codes": kecamatan_codes}


@given(valid_niks())
def test_valid_nik_passes(data):
    nik, region, birth, sex = data
    seen, lookups = everything_exists()
    assert rules.nik_errors(nik, today=TODAY) == []
    assert rules.nik_warnings(nik, **lookups, birth_date=birth, sex=sex) == {}
    regency = f"{region[:2]}.{region[2:4]}"
    assert seen == ([] if regency in HISTORICAL_REGENCIES else [regency])
    assert rules.nik_birth_date(nik, today=TODAY) == birth
    assert rules.nik_sex(nik) == sex


@given(valid_niks())
def test_valid_nik_passes_with_real_today(data):
    nik, *_ = data
    assert rules.nik_errors(nik) == []


@given(
    st.text(alphabet="0123456789", min_size=15, max_size=15)
    | st.text(alphabet="0123456789", min_size=17, max_size=17)
)
def test_wrong_length_is_the_one_error(nik):
    assert len(rules.nik_errors(nik)) == 1
    assert rules.nik_warnings(nik, birth_date=TODAY, sex=Sex.PEREMPUAN) == {}


@given(valid_niks(), st.integers(0, 99).filter(lambda m: not 1 <= m <= 12))
def test_wrong_month_fails(data, month):
    nik = data[0]
    bad = f"{nik[:8]}{month:02d}{nik[10:]}"
    assert rules.nik_errors(bad, today=TODAY)
    assert rules.nik_birth_date(bad) is None
    assert rules.nik_sex(bad) is None


@given(valid_niks(), st.integers(0, 99).filter(lambda d: not (1 <= d <= 31 or 41 <= d <= 71)))
def test_wrong_day_fails(data, day):
    nik = data[0]
    assert rules.nik_errors(f"{nik[:6]}{day:02d}{nik[8:]}", today=TODAY)


@given(valid_niks())
def test_other_birth_date_or_sex_is_a_warning_not_an_error(data):
    nik, _region, birth, sex = data
    other_sex = Sex.LAKI_LAKI if sex == Sex.PEREMPUAN else Sex.PEREMPUAN
    assert rules.nik_errors(nik, today=TODAY) == []
    assert set(rules.nik_warnings(nik, sex=other_sex)) == {rules.WARN_SEX}
    assert set(rules.nik_warnings(nik, birth_date=birth + timedelta(days=1))) == {rules.WARN_BIRTH_DATE}


BASE = "1376014108900001"  # Payakumbuh Barat, woman born 1 Aug 1990, serial 0001


def test_example_nik():
    assert rules.nik_errors(BASE, today=TODAY) == []
    assert rules.nik_birth_date(BASE, today=TODAY) == date(1990, 8, 1)
    assert rules.nik_sex(BASE) == Sex.PEREMPUAN
    assert rules.nik_warnings(BASE, birth_date=date(1990, 8, 1), sex=Sex.PEREMPUAN) == {}


@pytest.mark.parametrize(
    ("nik", "fragment"),
    [
        ("137601410890000", "16 digits"),  # 15 digits
        ("13760141089000012", "16 digits"),
        ("1376O14108900001", "16 digits"),  # letter O
        ("1376.01.410890.0001", "16 digits"),  # not normalised
        ("", "16 digits"),
        ("1076014108900001", "province"),
        ("9776014108900001", "province"),
        ("2076014108900001", "province"),  # in 11–96, but no province has code 20
        ("1376013208900001", "day of birth"),
        ("1376017208900001", "day of birth"),
        ("1376010008900001", "day of birth"),
        ("1376014113900001", "month of birth"),
        ("1376013102900001", "does not exist"),  # 31 February
        ("1376012902010001", "does not exist"),  # 29 Feb 2001 / 1901
        ("1376014108900000", "serial"),
    ],
)
def test_malformed_niks_are_errors(nik, fragment):
    with translation.override("en"):
        errors = rules.nik_errors(nik, today=TODAY)
    assert any(fragment in e for e in errors), errors


def test_29_february_2000():
    nik = "1376016902000001"  # woman, 29 Feb 2000 (1900 was not a leap year)
    assert rules.nik_errors(nik, today=TODAY) == []
    assert rules.nik_birth_date(nik, today=TODAY) == date(2000, 2, 29)


def test_century_guess():
    nik = "1376010101300001"  # 01-01-30: 2030 would be in the future
    assert rules.nik_birth_date(nik, today=TODAY) == date(1930, 1, 1)
    assert rules.nik_birth_date("1376010101250001", today=TODAY) == date(2025, 1, 1)
    # A check against a known birth date compares two-digit years, so centenarians pass too.
    assert rules.nik_warnings("1376010101250001", birth_date=date(1925, 1, 1)) == {}


def test_several_errors_are_all_reported():
    errors = rules.nik_errors("0076019913000000", today=TODAY)
    assert len(errors) == 4  # province, day, month, serial


# --- region and kecamatan: warnings, historical codes known ------------------------------------

CURRENT = {"13.76", "93.01", "94.04", "65.71", "65.02", "91.03"}
KECAMATAN = {
    "13.76": {"13.76.01", "13.76.02", "13.76.03", "13.76.04", "13.76.05"},
    "93.01": {"93.01.01", "93.01.02"},
    "65.71": {"65.71.01", "65.71.02", "65.71.03", "65.71.04"},
}
LOOKUPS = {
    "regency_exists": CURRENT.__contains__,
    "kecamatan_codes": lambda regency: KECAMATAN.get(regency, set()),
}


def warnings(nik, **kwargs):
    with translation.override("en"):
        return rules.nik_warnings(nik, **LOOKUPS, **kwargs)


def test_a_regency_code_that_is_not_current_is_a_warning():
    nik = "1399014108900001"
    assert rules.nik_errors(nik, today=TODAY) == []
    assert warnings(nik) == {
        rules.WARN_REGION: "The NIK's regency/city code 13.99 is not a current or former Kemendagri code."
    }


@pytest.mark.parametrize(
    "nik",
    [
        "9101014108900001",  # Merauke before Papua Selatan (now 93.01), kecamatan 01 Merauke
        "9109014108900001",  # Mimika before Papua Tengah (now 94.04)
        "9271014108900001",  # Kota Sorong before Papua Barat Daya (now 96.71)
        "6473014108900001",  # Kota Tarakan before Kalimantan Utara (now 65.71)
        "6406014108900001",  # Malinau before Kalimantan Utara (now 65.02)
    ],
)
def test_historical_papua_and_kaltara_codes_are_accepted(nik):
    assert rules.nik_errors(nik, today=TODAY) == []
    assert warnings(nik, birth_date=date(1990, 8, 1), sex=Sex.PEREMPUAN) == {}


def test_kecamatan_digits_are_checked_where_the_regency_has_kecamatan():
    assert warnings("1376094108900001") == {
        rules.WARN_KECAMATAN: "The NIK's kecamatan code 13.76.09 is not a kecamatan of that regency/city."
    }
    assert warnings("1376054108900001") == {}
    # 91.03 is current but no kecamatan are loaded for it: nothing to check against.
    assert warnings("9103994108900001") == {}


def test_kecamatan_of_a_historical_code_is_checked_against_its_successor():
    assert warnings("9101024108900001") == {}  # 93.01.02 exists
    assert set(warnings("9101094108900001")) == {rules.WARN_KECAMATAN}
    assert set(warnings("6473054108900001")) == {rules.WARN_KECAMATAN}


def test_date_and_sex_that_disagree_with_the_record_are_warnings():
    found = warnings(BASE, birth_date=date(1990, 8, 2), sex=Sex.LAKI_LAKI)
    assert found == {
        rules.WARN_BIRTH_DATE: "The date of birth in the NIK differs from the date of birth.",
        rules.WARN_SEX: "The sex in the NIK differs from the sex (women's day of birth is increased by 40).",
    }
    assert rules.nik_errors(BASE, today=TODAY) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1376 0141 0890 0001", BASE),
        ("13.76.01.410890.0001", BASE),
        ("1376-0141-0890-0001", BASE),
        (" 1376014108900001\n", BASE),
        (None, ""),
        ("", ""),
    ],
)
def test_normalise_nik(value, expected):
    assert rules.normalise_nik(value) == expected
