"""The synthetic demo data set: organisations of a typical city, contacts and demo accounts.

Every name, phone number and e-mail address of a person here is invented (Faker id_ID with a
fixed seed). Agency names are those of public institutions. Running it twice adds nothing.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from sinergi.accounts.choices import AgencyType, OrganisationKind, Role, ServiceCategory, UnitLevel
from sinergi.accounts.models import Organisation, OrganisationContact, User
from sinergi.cases.models import Case, CaseAssignment
from sinergi.cases.record import case_update_incident, person_add, victim_classify
from sinergi.core.private_files import write_private
from sinergi.interventions.models import Shelter, ShelterBed, ShelterRoom
from sinergi.referrals.models import Referral
from sinergi.regions.models import Region

from .coordination import demo_meetings
from .protection import demo_protection
from .referrals import demo_referrals_load

PAYAKUMBUH = "13.76"
SUMBAR = "13"

S = ServiceCategory
UNITS = [
    # key, name, short name, agency type, level, parent key, region
    (
        "sumbar",
        "UPTD PPA Provinsi Sumatera Barat",
        "UPTD PPA Sumbar",
        AgencyType.UPTD_PPA,
        UnitLevel.PROVINSI,
        None,
        SUMBAR,
    ),
    (
        "dinas",
        "DP3AP2KB Kota Payakumbuh",
        "DP3AP2KB Payakumbuh",
        AgencyType.DINAS_PPA,
        UnitLevel.KAB_KOTA,
        "sumbar",
        PAYAKUMBUH,
    ),
    (
        "uptd",
        "UPTD PPA Kota Payakumbuh",
        "UPTD PPA Payakumbuh",
        AgencyType.UPTD_PPA,
        UnitLevel.KAB_KOTA,
        "dinas",
        PAYAKUMBUH,
    ),
]

PARTNERS = [
    # key, name, short name, agency type, services offered
    (
        "polres",
        "Polres Payakumbuh — Unit PPA Satreskrim",
        "Polres Unit PPA",
        AgencyType.KEPOLISIAN,
        [S.PENEGAKAN_HUKUM],
    ),
    ("rsud", "RSUD dr. Adnaan WD Payakumbuh", "RSUD Adnaan WD", AgencyType.RUMAH_SAKIT, [S.KESEHATAN]),
    ("puskesmas", "Puskesmas Ibuh", "Puskesmas Ibuh", AgencyType.PUSKESMAS, [S.KESEHATAN]),
    (
        "dinsos",
        "Dinas Sosial Kota Payakumbuh",
        "Dinas Sosial",
        AgencyType.DINAS_SOSIAL,
        [S.REHABILITASI_SOSIAL, S.REINTEGRASI_SOSIAL, S.PEMULANGAN],
    ),
    (
        "disdik",
        "Dinas Pendidikan Kota Payakumbuh",
        "Dinas Pendidikan",
        AgencyType.DINAS_PENDIDIKAN,
        [S.REINTEGRASI_SOSIAL],
    ),
    (
        "kemenag",
        "Kantor Kementerian Agama Kota Payakumbuh",
        "Kemenag",
        AgencyType.KEMENAG,
        [S.PENDAMPINGAN_TOKOH_AGAMA],
    ),
    ("pa", "Pengadilan Agama Payakumbuh", "Pengadilan Agama", AgencyType.PENGADILAN, [S.PENEGAKAN_HUKUM]),
    ("kejari", "Kejaksaan Negeri Payakumbuh", "Kejari", AgencyType.KEJAKSAAN, [S.PENEGAKAN_HUKUM]),
    ("lbh", "Pos Bantuan Hukum Payakumbuh (demo)", "Posbakum", AgencyType.LBH_ADVOKAT, [S.BANTUAN_HUKUM]),
    (
        "lsm",
        "Lembaga Pendamping Perempuan dan Anak (demo)",
        "LSM Pendamping",
        AgencyType.LSM_LPLBM,
        [S.PENGADUAN, S.REHABILITASI_SOSIAL],
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: str
    description: str  # what the account is for, printed by `make demo` (English, like the README)
    position: str  # the person's official position, shown beside their name (Indonesian)


ACCOUNTS = [
    DemoAccount("admin", Role.ADMIN_SISTEM, "dinas", "system administrator", "Administrator Sistem"),
    DemoAccount(
        "kepala",
        Role.KEPALA_UPTD,
        "uptd",
        "head of UPTD PPA Kota Payakumbuh",
        "Kepala UPTD PPA Kota Payakumbuh",
    ),
    DemoAccount("petugas", Role.PETUGAS_PENGADUAN, "uptd", "intake officer", "Petugas Pengaduan"),
    DemoAccount("pendamping", Role.PENDAMPING, "uptd", "case worker", "Pendamping Korban"),
    DemoAccount("psikolog", Role.PSIKOLOG, "uptd", "psychologist", "Psikolog Klinis"),
    DemoAccount("datin", Role.PENGELOLA_DATA, "uptd", "data officer", "Pengelola Data dan Informasi"),
    DemoAccount(
        "pimpinan", Role.PIMPINAN, "dinas", "DP3AP2KB leadership (aggregates only)", "Kepala Dinas DP3AP2KB"
    ),
    DemoAccount(
        "polres", Role.MITRA, "polres", "partner: Polres Payakumbuh Unit PPA", "Kanit PPA Polres Payakumbuh"
    ),
    DemoAccount("rsud", Role.MITRA, "rsud", "partner: RSUD (hospital)", "Koordinator PKT RSUD"),
    DemoAccount(
        "kepala_sumbar",
        Role.KEPALA_UPTD,
        "sumbar",
        "head of the province UPTD PPA",
        "Kepala UPTD PPA Provinsi Sumatera Barat",
    ),
]


class DemoRefused(Exception):
    pass


def demo_password():
    """SINERGI_DEMO_PASSWORD if set, otherwise a password generated once into var/."""
    if settings.SINERGI_DEMO_PASSWORD:
        return settings.SINERGI_DEMO_PASSWORD
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        write_private(path, secrets.token_urlsafe(12))
    return path.read_text().strip()


def _faker():
    fake = Faker("id_ID")
    fake.seed_instance(1376)
    return fake


@transaction.atomic
def demo_data_load():
    """Create (or bring up to date) the demo organisations and accounts. Returns {key: Organisation}."""
    if not settings.DEMO:
        raise DemoRefused("Demo data is only loaded in demo mode (SINERGI_DEMO=1), never in production.")

    fake = _faker()
    orgs = {}
    for key, name, short, agency_type, level, parent, region in UNITS:
        org, _ = Organisation.objects.update_or_create(
            kind=OrganisationKind.SERVICE_UNIT,
            name=name,
            defaults={
                "short_name": short,
                "agency_type": agency_type,
                "unit_level": level,
                "parent": orgs.get(parent),
                "region": Region.objects.get(code=region),
                "is_demo": True,
                "address": f"Jl. {fake.street_name()} No. {fake.building_number()}, Payakumbuh",
                "phone": "0752-90000" + str(len(orgs)),
                "opening_hours": "Senin–Jumat 07.30–16.00",
            },
        )
        orgs[key] = org
    for key, name, short, agency_type, services in PARTNERS:
        org, created = Organisation.objects.update_or_create(
            kind=OrganisationKind.PARTNER,
            name=name,
            defaults={
                "short_name": short,
                "agency_type": agency_type,
                "parent": orgs["uptd"],
                "region": Region.objects.get(code=PAYAKUMBUH),
                "services_offered": [str(s) for s in services],
                "is_demo": True,
                "address": f"Jl. {fake.street_name()} No. {fake.building_number()}, Payakumbuh",
                "phone": fake.numerify("0752-9####"),
                "opening_hours": "24 jam"
                if agency_type in {AgencyType.KEPOLISIAN, AgencyType.RUMAH_SAKIT}
                else "Senin–Jumat 08.00–16.00",
            },
        )
        orgs[key] = org
        if not org.contacts.exists():
            OrganisationContact.objects.create(
                organisation=org,
                name=fake.name(),
                position="Focal point PPA",
                phone=fake.numerify("08##########"),
                email=f"{key}.demo@example.org",
            )
    password = demo_password()
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"full_name": fake.name(), "is_demo": True},
        )
        user.role = account.role
        user.organisation = orgs[account.organisation]
        user.position = account.position
        user.is_active = True
        user.set_password(password)
        user.save()
    _demo_cases(orgs, fake)

    demo_meetings(orgs)

    demo_referrals_load(orgs)
    _demo_shelters(orgs)
    return orgs


#: The demo unit's safe house: (shelter name, [(room, [bed labels])]). Its address is invented.
DEMO_SHELTERS = [("Rumah Aman Payakumbuh (demo)", [("Kamar 1", ["1A", "1B"]), ("Kamar 2", ["2A", "2B"])])]


def _demo_shelters(orgs):
    """Shelters of the demo unit with rooms and beds (sinergi.interventions); adds what is missing."""

    for name, rooms in DEMO_SHELTERS:
        shelter, _ = Shelter.objects.get_or_create(
            unit=orgs["uptd"], name=name, defaults={"address": "Jl. Rekaan No. 1, Payakumbuh (demo)"}
        )
        for room_name, beds in rooms:
            room, _ = ShelterRoom.objects.get_or_create(shelter=shelter, name=room_name)
            for label in beds:
                ShelterBed.objects.get_or_create(room=room, label=label)


#: registration number, restricted, team (username, team role), referrals (partner key, status, shared)
DEMO_CASES = [
    (
        "DEMO-1376-2026-0001",
        False,
        [("pendamping", "lead"), ("psikolog", "member")],
        [("polres", "terkirim", ["kronologi"])],
    ),
    (
        "DEMO-1376-2026-0002",
        False,
        [("pendamping", "lead")],
        [("rsud", "dalam_layanan", ["identitas", "kontak"])],
    ),
    ("DEMO-1376-2026-0003", True, [("psikolog", "lead")], []),
]


def _demo_cases(orgs, fake):
    """A few cases with synthetic persons, teams and referrals, to try the case record and the
    access rules in the demo. Every name, NIK-less identity and story here is invented."""

    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    for i, (number, restricted, team, referrals) in enumerate(DEMO_CASES):
        # Reported some weeks ago (in months that are over), so the statistics, the leadership's
        # home and a statistics release have something to count.
        reported_at = timezone.now() - dt.timedelta(days=35 + 15 * i)
        case, created = Case.objects.get_or_create(
            unit=orgs["uptd"],
            registration_number=number,
            defaults={
                "restricted": restricted,
                "status": "aktif",
                "created_by": users["petugas"],
                "reported_at": reported_at,
            },
        )
        if not created:
            continue
        for username, team_role in team:
            CaseAssignment.objects.create(
                case=case, user=users[username], team_role=team_role, assigned_by=users["kepala"]
            )
        _demo_case_content(case, users["kepala"], fake, dt, person_add, case_update_incident, victim_classify)
        demo_protection(Case.objects.get(pk=case.pk), users["kepala"])
        for partner, status, shared in referrals:
            Referral.objects.create(
                case=case,
                to_agency=orgs[partner],
                status=status,
                shared_sections=shared,
                services=list(orgs[partner].services_offered),
                sent_at=timezone.now(),
                created_by=users["pendamping"],
            )


def _demo_case_content(case, kepala, fake, dt, person_add, case_update_incident, victim_classify):
    """Synthetic content for one demo case, written through the same services staff use."""

    kelurahan = Region.objects.filter(code__startswith="13.76.", level=4).order_by("code")
    region = kelurahan[fake.random_int(0, kelurahan.count() - 1)]
    # Before the report (the case was reported some weeks ago, _demo_cases).
    incident = case.reported_at.date() - dt.timedelta(days=fake.random_int(1, 20))
    case = case_update_incident(
        actor=kepala,
        case=case,
        version=case.version,
        channel="datang_langsung",
        case_type="ampk" if case.registration_number.endswith("1") else "ktp",
        risk=["tinggi", "sedang", "rendah"][int(case.registration_number[-1]) % 3],
        jurisdiction="kab_kota",
        incident_date=incident,
        place_type="rumah_tangga",
        incident_region=region,
        chronology="(Kronologi rekaan untuk demo.) " + fake.paragraph(nb_sentences=4),
        frequency="berulang",
    )
    child = case.registration_number.endswith("1")
    victim_birth = incident - dt.timedelta(days=365 * (12 if child else 29) + 40)
    victim = person_add(
        actor=kepala,
        case=case,
        role="korban",
        name=fake.name_female(),
        sex="perempuan",
        birth_date=victim_birth,
        phone=fake.numerify("08##########"),
        address=f"Jl. {fake.street_name()} No. {fake.building_number()}",
        region=region,
        violence_types=["seksual", "psikis"] if child else ["fisik", "psikis"],
        ampk_categories=["kejahatan_seksual"] if child else [],
    )
    person_add(
        actor=kepala,
        case=case,
        role="pelaku",
        name=fake.name_male(),
        sex="laki_laki",
        age_years=41,
        relationships={victim: "orang_tua" if child else "suami_istri"},
    )
    victim.refresh_from_db()
    victim_classify(
        actor=kepala,
        case=case,
        victim=victim,
        version=victim.version,
        tpks_offences=["seksual_anak"] if child else [],
        pkdrt_types=["seksual"] if child else ["fisik", "psikis"],
    )


def timezone_today():
    return timezone.localdate()
