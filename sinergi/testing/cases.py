"""Cases for tests, registered through the real service (sinergi.cases.record.case_register).

    register_case(personas.pendamping)                      a walk-in, KtP, medium-risk case of
                                                            one adult woman, in the actor's unit
    register_case(actor, risk="tinggi", victims=[...])      anything else is said where it matters

The actor joins the case team, as at a real registration. Names are synthetic.
"""

from sinergi.cases.record import case_register

DEFAULT_VICTIM = {"name": "Siti Aminah", "sex": "perempuan", "age_years": 30}
DEFAULTS = {"channel": "datang_langsung", "case_type": "ktp", "risk": "sedang"}


def register_case(actor, *, victims=None, **fields):
    victims = [dict(DEFAULT_VICTIM)] if victims is None else victims
    return case_register(actor=actor, victims=victims, **{**DEFAULTS, **fields})
