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

from sinergi.cases.choices import PersonRole
from sinergi.cases.models import Case, CasePerson
from sinergi.cases.record import case_register, victim_classify

DEFAULT_VICTIM = {"name": "Siti Aminah", "sex": "perempuan", "age_years": 30}
DEFAULTS = {"channel": "datang_langsung", "case_type": "ktp", "risk": "sedang"}


def victim(name=DEFAULT_VICTIM["name"], **fields):
    """An adult woman victim (person fields for case_register), with `fields` changed."""
    return {**DEFAULT_VICTIM, "name": name, **fields}


def register_case(actor, *, victims=None, perpetrators=(), **fields):
    """A perpetrator's `relationship` (a shorthand of tests) is to every victim."""
    victims = [victim()] if victims is None else victims
    perpetrators = [to_every_victim(p, len(victims)) for p in perpetrators]
    return case_register(actor=actor, victims=victims, perpetrators=perpetrators, **{**DEFAULTS, **fields})


def to_every_victim(perpetrator, victims):
    """A perpetrator's dict for case_register, its `relationship` (a shorthand of tests) made the
    relationship to each of `victims` (a count)."""
    perpetrator = dict(perpetrator)
    relationship = perpetrator.pop("relationship", "")
    if relationship:
        perpetrator["relationships"] = [relationship] * victims
    return perpetrator


def case_row(unit, **fields):
    return Case.objects.create(unit=unit, **fields)


def classify(*, actor, case, victim=None, version=None, **fields):
    """Classify one victim's incident (the case's first victim unless named); returns the case,
    fresh from the database. `version` is the caller's case version, ignored: the victim's own
    version is used."""
    if victim is None:
        victim = CasePerson.objects.filter(case=case, role=PersonRole.KORBAN).order_by("id").first()
    else:
        victim.refresh_from_db()
    victim_classify(actor=actor, case=case, victim=victim, version=victim.version, **fields)
    case.refresh_from_db()
    return case
