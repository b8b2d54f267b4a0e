"""Domain rules for cases: pure functions, no database (DOMAIN.md §4, §5, §7, §9; the NIK: nik.py).

Every function names its legal or practice source. Callers (forms, services, reports) decide what
to do with the answer; nothing here reads or writes models.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from .choices import TPKS_ARTICLE, AgeBand, GbvimsType, PkdrtType, TpksOffence, TppoPurpose, ViolenceType

# The GBVIMS rules, re-exported: callers use rules.gbvims_*.
from .rules_gbvims import (  # noqa: F401
    GBVIMS_ALL_KEYS,
    GBVIMS_CONTEXT_QUESTIONS,
    GBVIMS_GATE,
    GBVIMS_KEYS,
    GBVIMS_QUESTIONS,
    GbvimsContextQuestion,
    GbvimsQuestion,
    gbvims_context,
    gbvims_gate_missing,
    gbvims_next_question,
    gbvims_normalise,
    gbvims_type,
    incident_gbvims_context,
)

# --- Age (UU 35/2014) ------------------------------------------------------------------------

#: A person is a child until this age (UU 35/2014 Ps 1 angka 1: "belum berusia 18 tahun").
CHILD_AGE_LIMIT = 18


def age_on(birth_date: date, on_date: date) -> int:
    """Age in full years on ``on_date`` (e.g. the incident date).

    Source: UU 35/2014 Ps 1 angka 1 counts age in full years ("belum berusia 18 tahun"); DOMAIN.md
    §4: child status is computed at the incident date, never asked.

    Someone born on 29 February has their birthday on 1 March in common years (the later, and for
    child status the protective, reading: the child keeps the protection until 1 March).

    Raises ``ValueError`` if ``on_date`` is before ``birth_date``.
    """
    if on_date < birth_date:
        raise ValueError("on_date is before birth_date")
    had_birthday = (on_date.month, on_date.day) >= (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - (0 if had_birthday else 1)


def age_at_incident(birth_date: date, incident_date: date) -> int:
    """Age in full years at the incident; 0 for someone born after it.

    Source: UU 35/2014 Ps 1 angka 1 and Perpres 55/2024 Ps 1(2): a child is anyone under 18,
    *including one still in the womb*. DOMAIN.md §4: a birth date after the incident is a child
    unborn at the time (or a typo the officer can correct), never an error.
    """
    if incident_date < birth_date:
        return 0
    return age_on(birth_date, incident_date)


def age_now(
    *, birth_date: date | None, age_years: int | None, told_on: date | None, today: date
) -> int | None:
    """Age in full years on ``today``: from the birth date, else from the age told on ``told_on``
    (the report day) plus the full years since; ``None`` when nothing is known."""
    if birth_date is not None:
        return age_at_incident(birth_date, today)
    if age_years is None:
        return None
    years_since = max(0, (today - (told_on or today)).days // 365)
    return age_years + years_since


def is_child(age: int | None) -> bool | None:
    """True when ``age`` (full years) is under 18; ``None`` when the age is unknown.

    Source: UU 35/2014 (amending UU 23/2002) Ps 1 angka 1: a child is anyone not yet 18 years old,
    including the unborn.
    """
    if age is None:
        return None
    return age < CHILD_AGE_LIMIT


#: Estimated ages within a year of 18 (DOMAIN.md §4): the person may be a child.
POSSIBLY_CHILD_AGES = range(CHILD_AGE_LIMIT - 1, CHILD_AGE_LIMIT + 2)


def possibly_child(age: int | None, *, estimated: bool) -> bool:
    """True for an *estimated* age of 17, 18 or 19: the person may be a child (or an adult).

    Source: DOMAIN.md §4 ("an estimated age within a year of 18 is 'possibly a child': treat
    protectively and flag it"); UU 35/2014 Ps 1 angka 1. The caller treats a victim as a child until
    an officer confirms the age (a birth date, or the age no longer marked estimated).
    """
    return estimated and age is not None and age in POSSIBLY_CHILD_AGES


def _add_years(day: date, years: int) -> date:
    """``day`` moved by ``years``; 29 February becomes 1 March (as in :func:`age_on`)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def adult_on(*, birth_date: date | None, age_years: int | None, told_on: date) -> date | None:
    """The day a child at ``told_on`` (the report) turns 18, or None for an adult or an unknown age.

    From the birth date when known, else from the age told at the report (then approximate: the
    age is taken as reached on ``told_on``). Source: UU 35/2014 Ps 1 angka 1; DOMAIN.md §4 ("a child
    client who turns 18 during an open case is a review event").
    """
    if birth_date is not None:
        if not is_child(age_at_incident(birth_date, told_on)):
            return None
        return _add_years(birth_date, CHILD_AGE_LIMIT)
    if age_years is None or age_years >= CHILD_AGE_LIMIT:
        return None
    return _add_years(told_on, CHILD_AGE_LIMIT - age_years)


#: (lowest age, highest age or None for open-ended, band), in order.
_AGE_BANDS: tuple[tuple[int, int | None, AgeBand], ...] = (
    (0, 5, AgeBand.AGE_0_5),
    (6, 12, AgeBand.AGE_6_12),
    (13, 17, AgeBand.AGE_13_17),
    (18, 24, AgeBand.AGE_18_24),
    (25, 44, AgeBand.AGE_25_44),
    (45, 59, AgeBand.AGE_45_59),
    (60, None, AgeBand.AGE_60_PLUS),
)


def age_band(age: int | None) -> AgeBand | None:
    """The statistics age band for ``age`` in full years; ``None`` for unknown or negative ages.

    Source: SIMFONI-PPA reporting bands [practice], DOMAIN.md §4. The bands 0–17 are exactly the
    children of UU 35/2014.
    """
    if age is None or age < 0:
        return None
    for low, high, band in _AGE_BANDS:
        if low <= age and (high is None or age <= high):
            return band
    return None  # pragma: no cover - the last band is open-ended


# --- GBVIMS incident type (DOMAIN.md §9): see rules_gbvims ------------------------------------


# --- Legal qualification (DOMAIN.md §5, §7) --------------------------------------------------


def tppo_indicated(
    processes: Iterable[str],
    means: Iterable[str],
    purposes: Iterable[str],
    *,
    child_victim: bool | None,
) -> bool:
    """Flag *indikasi TPPO* (indication of trafficking) from the screening triad.

    True when there is at least one process (proses) and at least one exploitative purpose
    (tujuan) and either at least one means (cara) or the victim is a child — for a child the
    means are irrelevant. An unknown age (``child_victim=None``) is treated as adult, so means are
    then required.

    Source: UU 21/2007 TPPO Ps 1 angka 1 (definition: process + means + purpose) and Ps 26
    (a child victim's consent does not remove the crime); Palermo Protocol art. 3(c)
    (means irrelevant for children). DOMAIN.md §5 [proposal]. This is a screening flag, not a
    legal finding.
    """
    has_process = any(True for _p in processes)
    has_purpose = any(True for _p in purposes)
    has_means = any(True for _m in means)
    return has_process and has_purpose and (has_means or child_victim is True)


_TPKS_CODES = frozenset(TpksOffence.values)


class TpksGround(NamedTuple):
    """Why an incident is a sexual violence crime: the indicator found and the article it meets."""

    code: str
    article: str
    reason: str


def tpks_grounds(
    *,
    offences: Iterable[str] = (),
    pkdrt_types: Iterable[str] = (),
    gbvims_type: str = "",  # noqa: F811  (the type itself, not the rule of the same name)
    tppo_purposes: Iterable[str] = (),
    violence_types: Iterable[str] = (),
    child: bool | None = None,
) -> list[TpksGround]:
    """Every ground that makes one victim's incident TPKS, ticked or derived (DOMAIN.md §5).

    TPKS is derived, not only ticked: sexual violence in the household (PKDRT `seksual`) is
    Ps 4(2)(h); sexual acts against a child are Ps 4(2)(c); TPPO for sexual exploitation is
    Ps 4(2)(g); a child's marriage is forced marriage, Ps 4(1)(e)/Ps 10(2); violence type `seksual`
    and GBVIMS rape / sexual assault are sexual violence (Ps 4). `child` is the victim's child
    status at the incident. Source: UU 12/2022 TPKS Ps 4, Ps 10, Ps 23.
    """
    grounds = [
        TpksGround(code, TPKS_ARTICLE.get(code, "Ps 4"), str(_("TPKS offence recorded")))
        for code in dict.fromkeys(str(c) for c in offences)
        if code in _TPKS_CODES
    ]
    child = child is True
    if PkdrtType.SEKSUAL in set(pkdrt_types):
        grounds.append(
            TpksGround("pkdrt_seksual", "Ps 4(2)(h)", str(_("Sexual violence in the household (PKDRT)")))
        )
    sexual = ViolenceType.SEKSUAL in set(violence_types)
    if sexual and child:
        grounds.append(TpksGround("seksual_anak", "Ps 4(2)(c)", str(_("Sexual violence against a child"))))
    elif sexual:
        grounds.append(TpksGround("kekerasan_seksual", "Ps 4", str(_("Violence type: sexual"))))
    if gbvims_type in (GbvimsType.RAPE, GbvimsType.SEXUAL_ASSAULT):
        if child:
            grounds.append(
                TpksGround("seksual_anak", "Ps 4(2)(c)", str(_("Sexual violence against a child")))
            )
        else:
            article = "Ps 4(2)(a)" if gbvims_type == GbvimsType.RAPE else "Ps 4(1)(b)"
            grounds.append(TpksGround(f"gbvims_{gbvims_type}", article, str(GbvimsType(gbvims_type).label)))
    if TppoPurpose.PELACURAN_EKSPLOITASI_SEKSUAL in set(tppo_purposes):
        grounds.append(
            TpksGround("tppo_seksual", "Ps 4(2)(g)", str(_("Trafficking for sexual exploitation")))
        )
    if gbvims_type == GbvimsType.FORCED_MARRIAGE and child:
        grounds.append(
            TpksGround(
                "perkawinan_anak", "Ps 4(1)(e), Ps 10(2)", str(_("A child's marriage is forced marriage"))
            )
        )
    unique = {}
    for ground in grounds:
        unique.setdefault(ground.code, ground)
    return list(unique.values())


def incident_tpks_grounds(victim) -> list[TpksGround]:
    """:func:`tpks_grounds` of a victim's own incident (any object with the CasePerson fields)."""
    return tpks_grounds(
        offences=victim.tpks_offences or [],
        pkdrt_types=victim.pkdrt_types or [],
        gbvims_type=victim.gbvims_type or "",
        tppo_purposes=victim.tppo_purposes or [],
        violence_types=victim.violence_types or [],
        child=victim.is_child,
    )


def incident_tppo_indicated(victim) -> bool:
    """:func:`tppo_indicated` of a victim's own incident (any object with the CasePerson fields)."""
    return tppo_indicated(
        victim.tppo_processes or [],
        victim.tppo_means or [],
        victim.tppo_purposes or [],
        child_victim=victim.is_child,
    )


def is_tpks_case(offences: Iterable[str]) -> bool:
    """True when any of ``offences`` is a sexual violence crime of UU 12/2022 TPKS Ps 4(1)/(2).

    A TPKS case triggers the TPKS procedure: no mediation (Ps 23), report to the police within
    3×24 h (Ps 41), restitution (Ps 30). Source: UU 12/2022 TPKS Ps 4; DOMAIN.md §5.
    """
    return any(str(code) in _TPKS_CODES for code in offences)


class MediationDecision(NamedTuple):
    allowed: bool
    as_diversion: bool


def mediation_allowed(*, tpks_case: bool, perpetrator_is_child: bool | None) -> MediationDecision:
    """Whether mediation may be offered, and whether only as *diversi*.

    Returns ``(allowed, as_diversion)``:

    * not a TPKS case → ``(True, False)``; practice still requires a prior assessment and a
      signed agreement, and limits it to civil disputes and complaint-only offences
      (DOMAIN.md §7 [practice]);
    * TPKS case, perpetrator a child → ``(True, True)``: only as *diversi* under the juvenile
      justice system (UU 11/2012 SPPA), whose own conditions (Ps 7(2): threatened penalty under 7
      years, not a repeat offence) are for the police, prosecutor and court to check;
    * TPKS case, perpetrator adult or of unknown age → ``(False, False)``.

    Source: UU 12/2022 TPKS Ps 23 ("Perkara Tindak Pidana Kekerasan Seksual tidak dapat dilakukan
    penyelesaian di luar proses peradilan, kecuali terhadap pelaku Anak sebagaimana diatur dalam
    Undang-Undang"); DOMAIN.md §7.
    """
    if not tpks_case:
        return MediationDecision(allowed=True, as_diversion=False)
    if perpetrator_is_child is True:
        return MediationDecision(allowed=True, as_diversion=True)
    return MediationDecision(allowed=False, as_diversion=False)
