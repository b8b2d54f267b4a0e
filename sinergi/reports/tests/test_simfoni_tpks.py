"""The SIMFONI export's TPKS column is per victim, and derived (DOMAIN.md §5, §10)."""

import datetime as dt

from sinergi.reports.simfoni import records, victims_in_period
from sinergi.testing.cases import register_case

TODAY = dt.date.today()


def test_the_simfoni_row_says_tpks_for_the_daughter_not_for_the_mother(personas):
    """The father beats the mother and rapes their daughter of 12: one case, two victims."""
    case = register_case(
        personas.pendamping,
        victims=[
            {"name": "Ibu", "sex": "perempuan", "age_years": 38, "violence_types": ["fisik"]},
            {"name": "Anak", "sex": "perempuan", "age_years": 12, "violence_types": ["seksual"]},
        ],
    )
    victims = victims_in_period([personas.orgs.unit], TODAY - dt.timedelta(days=1), TODAY).filter(case=case)
    tpks = {victim.age_years: values["tpks"] for victim, values, _fingerprint in records(victims)}
    assert (tpks[12], tpks[38]) == ("ya", "tidak")
