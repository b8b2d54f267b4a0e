"""GBVIMS classification of one survivor's incident: pure functions, no database (DOMAIN.md §9).

Source throughout: GBVIMS Classification Tool (GBVIMS Steering Committee, "Gender-Based Violence
Classification Tool", with its definitions of the six core types and of the case context);
DOMAIN.md §9. Re-exported by :mod:`sinergi.cases.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from .choices import PARTNER_RELATIONSHIPS, GbvimsContext, GbvimsType


class GbvimsQuestion(NamedTuple):
    key: str
    text: str
    type: GbvimsType
    #: What the question means, with its inclusions and exclusions (shown beside it).
    definition: str = ""


#: Asked first: only gender-based harm is classified; "no" makes the incident ``non_gbv``.
GBVIMS_GATE = GbvimsQuestion(
    "gbv",
    _(
        "Is the harm gender-based (directed at the survivor because of gender or gender-based "
        "power inequality)?"
    ),
    GbvimsType.NON_GBV,
    _(
        "Harm done against a person's will that rests on the differences society ascribes to "
        "women and men and on unequal power between them. Includes: violence by a partner or "
        "family member, sexual violence, child and forced marriage, FGM/C (sunat perempuan). Not: "
        "a street robbery, a fight between strangers, an accident, or poverty, with no gender-based "
        "motive or power inequality. If no, the incident is not GBV and the questions below are "
        "not asked."
    ),
)

#: The GBVIMS type questions, asked in this order; the first "yes" decides the type.
GBVIMS_QUESTIONS: list[GbvimsQuestion] = [
    GbvimsQuestion(
        "penetration",
        _("Did the incident include penetration, however slight, of the vagina, anus or mouth?"),
        GbvimsType.RAPE,
        _(
            "Penetration, however slight, of the vagina, anus or mouth with a penis or other body "
            "part, or of the vagina or anus with an object. Includes: penetration with a finger or "
            "an object. If yes: rape."
        ),
    ),
    GbvimsQuestion(
        "sexual_contact",
        _("Did the incident include unwanted sexual contact without penetration?"),
        GbvimsType.SEXUAL_ASSAULT,
        _(
            "Any unwanted sexual contact without penetration. Includes: attempted rape, unwanted "
            "kissing, fondling or touching of the genitals or buttocks, and female genital "
            "mutilation/cutting (FGM/C, sunat perempuan). If yes: sexual assault."
        ),
    ),
    GbvimsQuestion(
        "physical_assault",
        _("Did the incident include physical violence that is not sexual in nature?"),
        GbvimsType.PHYSICAL_ASSAULT,
        _(
            "Physical violence that is not sexual in nature: hitting, slapping, choking, cutting, "
            "shoving, burning, shooting or use of a weapon, acid attacks. Not: FGM/C (that is sexual "
            "assault) or any other sexual violence. If yes: physical assault."
        ),
    ),
    GbvimsQuestion(
        "forced_marriage",
        _("Was the incident a marriage against the survivor's will, or the marriage of a child?"),
        GbvimsType.FORCED_MARRIAGE,
        _(
            "The marriage of a person against her or his will. Includes: every marriage of a child "
            "under 18 (early marriage), even when the child or the family agreed, and marrying a "
            "victim to the perpetrator. If yes: forced marriage."
        ),
    ),
    GbvimsQuestion(
        "denial_of_resources",
        _("Did the incident involve denial of rightful access to resources, opportunities or services?"),
        GbvimsType.DENIAL_OF_RESOURCES,
        _(
            "Denial of rightful access to economic resources or livelihood, education, health care "
            "or other services. Includes: a widow kept from her inheritance, earnings taken by a "
            "partner or family member, a woman kept from contraception, a girl kept from school. "
            "Not: general poverty. If yes: denial of resources, opportunities or services."
        ),
    ),
    GbvimsQuestion(
        "psychological_abuse",
        _("Did the incident involve psychological or emotional abuse?"),
        GbvimsType.PSYCHOLOGICAL_EMOTIONAL_ABUSE,
        _(
            "Mental or emotional pain or injury. Includes: threats of physical or sexual violence, "
            "intimidation, humiliation, forced isolation, stalking, harassment, sexual remarks or "
            "gestures, intimate images shared or threatened to be shared. If yes: psychological / "
            "emotional abuse."
        ),
    ),
]

#: The type answer keys, in question order.
GBVIMS_KEYS: tuple[str, ...] = tuple(q.key for q in GBVIMS_QUESTIONS)


class GbvimsContextQuestion(NamedTuple):
    key: str
    text: str
    context: GbvimsContext
    definition: str


#: Asked beside the type questions (every answer counts, not only up to the first yes): they
#: give the case context, never the type — except FGM/C, which is always sexual assault.
GBVIMS_CONTEXT_QUESTIONS: list[GbvimsContextQuestion] = [
    GbvimsContextQuestion(
        "fgm",
        _("Did the incident include female genital mutilation/cutting (FGM/C, sunat perempuan)?"),
        GbvimsContext.HARMFUL_TRADITIONAL_PRACTICE,
        _(
            "Any cutting, pricking, scraping or removal of the external female genitals for "
            "non-medical reasons, including a 'symbolic' sunat perempuan. It is sexual assault "
            "(never physical assault) and a harmful traditional practice."
        ),
    ),
    GbvimsContextQuestion(
        "harmful_practice",
        _("Was the incident another harmful traditional practice?"),
        GbvimsContext.HARMFUL_TRADITIONAL_PRACTICE,
        _(
            "A practice justified by custom or tradition that harms women or girls, other than "
            "FGM/C: e.g. a widow inherited by her husband's family, a virginity test, a girl given "
            "to settle a dispute or a debt."
        ),
    ),
    GbvimsContextQuestion(
        "exchange",
        _("Were money, goods, benefits or services exchanged in relation to the incident?"),
        GbvimsContext.SEXUAL_EXPLOITATION,
        _(
            "Money, goods, benefits or services (food, shelter, school fees, a job, protection) "
            "given or promised, to the survivor or to someone else, in exchange for a sexual act. "
            "If yes: possible sexual exploitation."
        ),
    ),
    GbvimsContextQuestion(
        "slavery",
        _("Was the survivor held or controlled by the perpetrator as property for sexual acts?"),
        GbvimsContext.SEXUAL_SLAVERY,
        _(
            "The perpetrator acted as the survivor's owner (bought, sold, lent or bartered her or "
            "him, or held her or him captive) and made the survivor engage in sexual acts. If yes: "
            "possible sexual slavery."
        ),
    ),
]

#: Every answer key the tool stores: the gate, the type questions, the context questions.
GBVIMS_ALL_KEYS: tuple[str, ...] = (
    GBVIMS_GATE.key,
    *GBVIMS_KEYS,
    *(q.key for q in GBVIMS_CONTEXT_QUESTIONS),
)


def gbvims_normalise(answers: Mapping[str, bool | None]) -> dict[str, bool]:
    """The answers as stored: unanswered keys dropped; after a "no" at the gate nothing else is
    kept (the type and context questions are not asked); FGM/C answered yes is unwanted sexual
    contact, so ``sexual_contact`` is yes whatever was ticked (FGM/C is sexual assault, never
    physical assault). Source: GBVIMS Classification Tool; DOMAIN.md §9."""
    kept = {k: bool(v) for k, v in answers.items() if v is not None}
    if kept.get(GBVIMS_GATE.key) is False:
        return {GBVIMS_GATE.key: False}
    if kept.get("fgm") is True:
        kept["sexual_contact"] = True
    return kept


def gbvims_type(answers: Mapping[str, bool | None]) -> GbvimsType:
    """The one GBVIMS type of an incident: ``non_gbv`` when the harm is not gender-based; else ask
    in order, the first yes wins, else ``non_gbv``.

    ``answers`` maps the keys of :data:`GBVIMS_ALL_KEYS` to ``True`` (yes), ``False`` (no) or
    ``None``/missing (not asked); an unanswered question counts as no. FGM/C answered yes counts as
    unwanted sexual contact. Use :func:`gbvims_next_question` to know whether the answer is final.
    """
    answers = gbvims_normalise(answers)
    if answers.get(GBVIMS_GATE.key) is False:
        return GbvimsType.NON_GBV
    for question in GBVIMS_QUESTIONS:
        if answers.get(question.key) is True:
            return question.type
    return GbvimsType.NON_GBV


def gbvims_next_question(answers: Mapping[str, bool | None]) -> str | None:
    """The key of the next question to ask, or ``None`` once the GBVIMS type is determined.

    The gate comes first: unanswered, it is the next question; "no" ends the tool (``non_gbv``).
    Then the first unanswered type question before any "yes"; ``None`` when a yes was reached first
    (later questions don't matter) or every question is answered "no". The context questions
    never hold the type back.
    """
    answers = gbvims_normalise(answers)
    gate = answers.get(GBVIMS_GATE.key)
    if gate is None:
        return GBVIMS_GATE.key
    if gate is False:
        return None
    for question in GBVIMS_QUESTIONS:
        answer = answers.get(question.key)
        if answer is True:
            return None
        if answer is None:
            return question.key
    return None


def gbvims_gate_missing(answers: Mapping[str, bool | None], stored_type: str) -> bool:
    """True for a type recorded before the gate was asked (answers kept without a ``gbv`` key):
    the type stays until the officer answers the gate (docs/case-record.md)."""
    return bool(stored_type) and GBVIMS_GATE.key not in (answers or {})


def gbvims_context(
    *,
    gbvims_type: str,
    answers: Mapping[str, bool | None],
    child: bool | None,
    relationships: Iterable[str] = (),
) -> list[GbvimsContext]:
    """The case context of one survivor's incident, derived beside its type (never instead of it),
    in :class:`GbvimsContext` order; empty for an incident without a GBV type.

    * intimate partner violence: a perpetrator's relationship **to this survivor** is a partner
      (``relationships``: the codes of the (perpetrator, this victim) pairs);
    * child sexual abuse: rape or sexual assault of a survivor under 18 at the incident (``child``,
      the unborn included, see ``rules.age_at_incident``);
    * early marriage: forced marriage of a survivor under 18 at the incident;
    * possible sexual exploitation / possible sexual slavery: their context questions answered yes;
    * harmful traditional practice: FGM/C or another harmful traditional practice answered yes.

    Source: GBVIMS Classification Tool (case context); DOMAIN.md §9; UU 35/2014 Ps 1 angka 1.
    """
    if not gbvims_type or gbvims_type == GbvimsType.NON_GBV:
        return []
    answers = gbvims_normalise(answers or {})
    found = set()
    if PARTNER_RELATIONSHIPS & set(relationships):
        found.add(GbvimsContext.INTIMATE_PARTNER_VIOLENCE)
    if child is True and gbvims_type in (GbvimsType.RAPE, GbvimsType.SEXUAL_ASSAULT):
        found.add(GbvimsContext.CHILD_SEXUAL_ABUSE)
    if child is True and gbvims_type == GbvimsType.FORCED_MARRIAGE:
        found.add(GbvimsContext.EARLY_MARRIAGE)
    for question in GBVIMS_CONTEXT_QUESTIONS:
        if answers.get(question.key) is True:
            found.add(question.context)
    return [context for context in GbvimsContext if context in found]


def incident_gbvims_context(victim, relationships: Iterable[str] = ()) -> list[GbvimsContext]:
    """:func:`gbvims_context` of a victim's own incident (any object with the CasePerson fields)."""
    return gbvims_context(
        gbvims_type=victim.gbvims_type or "",
        answers=victim.gbvims_answers or {},
        child=victim.is_child,
        relationships=relationships,
    )
