"""The historical kab/kota codes a NIK may carry, checked against the current Kemendagri data."""

from sinergi.regions.historical import HISTORICAL_REGENCIES, PROVINCE_CODES
from sinergi.regions.loader import source_rows


def _current():
    upper, _villages = source_rows()
    return upper


def test_province_codes_are_the_current_provinces():
    assert {code for code in _current() if "." not in code} == PROVINCE_CODES


def test_every_historical_code_is_retired_and_its_successor_has_the_same_name():
    current = _current()
    for old, (successor, name) in HISTORICAL_REGENCIES.items():
        assert old not in current, old
        assert current[successor] == name, old
        assert old[:2] in {"64", "91", "92"} and successor[:2] in {"65", "93", "94", "95", "96"}


def test_every_kab_kota_of_the_new_provinces_has_its_old_code():
    current = _current()
    new = {c for c in current if c.count(".") == 1 and c[:2] in {"65", "93", "94", "95", "96"}}
    assert {successor for successor, _name in HISTORICAL_REGENCIES.values()} == new
