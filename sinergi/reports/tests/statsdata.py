"""A small, hand-countable set of cases for the statistics tests, made through the case services."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from sinergi.cases.models import Consent
from sinergi.cases.record import case_register, consent_record
from sinergi.regions.models import Region
from sinergi.testing.cases import classify, to_every_victim

WIB = dt.timezone(dt.timedelta(hours=7))


def reported(year, month, day=15, hour=10):
    return dt.datetime(year, month, day, hour, 0, tzinfo=WIB)


def make_case(
    actor,
    *,
    when,
    victims=({},),
    perpetrators=(),
    consent=True,
    lawful_basis="consent",
    tpks=(),
    tppo=None,
    gbvims=None,
    **fields,
):
    """Register a case reported at `when`; every victim gets a statistics consent unless consent=False.

    `victims` are dicts of person fields (sex, age_years, birth_date, violence_types);
    `gbvims` answers like {"penetration": True}; `tppo` a (processes, means, purposes) triple.
    """
    fields.setdefault("incident_date", when.date())
    if "region" in fields:
        fields["incident_region"] = Region.objects.get(code=fields.pop("region"))
    victim_data = [{"name": "Korban Uji", **v} for v in victims]
    case = case_register(
        actor=actor,
        victims=victim_data,
        perpetrators=[to_every_victim({"name": "Pelaku Uji", **p}, len(victim_data)) for p in perpetrators],
        reported_at=when,
        **fields,
    )
    if tpks or tppo or gbvims:
        processes, means, purposes = tppo or ((), (), ())
        for victim in case.persons.filter(role="korban").order_by("id"):
            case = classify(
                actor=actor,
                case=case,
                victim=victim,
                # The gender-based gate is answered yes unless a test says otherwise.
                gbvims_answers={"gbv": True, **gbvims} if gbvims else None,
                tpks_offences=tpks,
                tppo_processes=processes,
                tppo_means=means,
                tppo_purposes=purposes,
            )
    if consent:
        for victim in case.persons.filter(role="korban"):
            basis = {"basis_note": "Tugas pelaporan statistik daerah."} if lawful_basis != "consent" else {}
            consent_record(
                actor=actor,
                case=case,
                victim=victim,
                purpose="statistik",
                lawful_basis=lawful_basis,
                given_by="wali" if victim.is_child else "korban",
                guardian_name="Wali Uji" if victim.is_child else "",
                guardian_partner_of_perpetrator=False if victim.is_child else None,
                child_assent="setuju" if victim.is_child else "",
                **basis,
            )
    return case


def adult(**kw):
    return {"sex": "perempuan", "age_years": 30, **kw}


def child(**kw):
    return {"sex": "perempuan", "age_years": 10, **kw}


def now_local():
    return timezone.localtime()


def build_stats_world(p):
    """Seven cases whose counts are worked out by hand in test_aggregates.py (see the table there)."""
    r = p.petugas
    c1 = make_case(
        r,
        when=reported(2021, 3, 2),
        victims=[adult(violence_types=["fisik", "psikis"])],
        perpetrators=[{"relationship": "suami_istri", "sex": "laki_laki"}],
        place_type="rumah_tangga",
        region="13.76.01.1002",
        gbvims={"penetration": False, "sexual_contact": False, "physical_assault": True},
    )
    c2 = make_case(
        r,
        when=reported(2021, 3, 20),
        victims=[child(violence_types=["seksual"])],
        perpetrators=[{"relationship": "tetangga"}],
        place_type="fasilitas_umum",
        region="13.76.02",
        tpks=["perkosaan"],
        gbvims={"penetration": True},
    )
    c3 = make_case(
        r,
        when=reported(2021, 11, 5),
        victims=[
            {"sex": "laki_laki", "age_years": 40, "violence_types": ["psikis"]},
            {"sex": "laki_laki", "age_years": 8, "violence_types": ["fisik"]},
        ],
        perpetrators=[{"relationship": "orang_tua"}],
        place_type="rumah_tangga",
        region="13.76.01",
        consent=False,
    )
    c4 = make_case(
        r,
        when=reported(2022, 1, 10),
        victims=[adult(age_years=20, violence_types=["trafficking", "eksploitasi"])],
        perpetrators=[{"relationship": "pacar_teman"}, {"relationship": "tidak_diketahui"}],
        place_type="lainnya",
        tppo=(["perekrutan"], ["penipuan"], ["kerja_paksa"]),
        lawful_basis="public_task",
    )
    c5 = make_case(
        r,
        when=reported(2023, 7, 1),
        victims=[child(age_years=15, violence_types=["seksual"])],
        place_type="sekolah",
        tpks=["seksual_anak"],
        tppo=(["perekrutan"], [], ["pelacuran_eksploitasi_seksual"]),
    )
    c6 = make_case(
        r, when=reported(2023, 7, 30), victims=[adult(age_years=50, violence_types=["penelantaran"])]
    )
    Consent.objects.filter(case=c6).update(withdrawn_at=timezone.now())
    c7 = make_case(p.kepala_luar, when=reported(2021, 5, 5), victims=[adult(violence_types=["fisik"])])
    return SimpleNamespace(cases=[c1, c2, c3, c4, c5, c6, c7])
