"""Cases for tests.

    register_case(personas.pendamping)                  through the real service (case_register): a
                                                        walk-in, KtP, medium-risk case of one adult
                                                        woman, in the actor's unit, the actor on its team
    register_case(actor, risk="tinggi", victims=[victim("Rina", age_years=9)], perpetrators=[...])
                                                        anything else is said where it matters
    case_row(personas.orgs.unit, status="aktif")        a bare Case row: no persons, no team, no audit
                                                        event, for tests of selectors and reports

Names are synthetic.
"""

from sinergi.cases.models import Case
from sinergi.cases.record import case_register

DEFAULT_VICTIM = {"name": "Siti Aminah", "sex": "perempuan", "age_years": 30}
DEFAULTS = {"channel": "datang_langsung", "case_type": "ktp", "risk": "sedang"}


def victim(name=DEFAULT_VICTIM["name"], **fields):
    """An adult woman victim (person fields for case_register), with `fields` changed."""
    return {**DEFAULT_VICTIM, "name": name, **fields}


def register_case(actor, *, victims=None, perpetrators=(), **fields):
    victims = [victim()] if victims is None else victims
    return case_register(actor=actor, victims=victims, perpetrators=perpetrators, **{**DEFAULTS, **fields})


def case_row(unit, **fields):
    return Case.objects.create(unit=unit, **fields)
