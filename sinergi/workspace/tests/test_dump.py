"""A stolen database file must not reveal a victim: no name, NIK, phone or story in clear."""

import datetime as dt
import os
import shutil
import subprocess

import pytest
from django.db import connection
from django.utils import timezone

from sinergi.cases.models import Assessment, BreakGlassAccess, Case, CaseNote
from sinergi.cases.record import case_update_incident, consent_record
from sinergi.coordination.models import Meeting
from sinergi.portal.models import Report
from sinergi.testing.cases import classify, register_case

SECRETS = {
    "name": "Rahmawati Kusumaningrum",
    "nik": "1376014507100003",
    "phone": "081377700123",
    "address": "Jalan Kenanga Rahasia Nomor 17",
    "chronology": "Kronologi rahasia tentang kejadian di dapur",
    "summary": "Ringkasan sangat rahasia",
    "perpetrator": "Bambang Sutrisnohadi",
    "consent_note": "Ibunya Rahmawati tidak dapat dihubungi",
    "break_glass_reason": "Kakak korban melapor lewat telepon malam ini",
    # What later work writes about a survivor: notes, assessment, the public report, minutes.
    "note": "Catatan tim tentang ketakutan korban di sekolah",
    "assessment": "Korban tidur di rumah tetangga sejak Senin",
    "portal_narrative": "Anak tetangga saya dipukul ayahnya setiap malam",
    "portal_contact": "081299988877",
    "minutes": "Notulen membahas perlindungan sementara korban",
}


def register(personas):
    case = register_case(
        personas.petugas,
        risk="tinggi",
        summary=SECRETS["summary"],
        victims=[
            {
                "name": SECRETS["name"],
                "nik": SECRETS["nik"],
                "phone": SECRETS["phone"],
                "address": SECRETS["address"],
                "sex": "perempuan",
                "birth_date": dt.date(2010, 7, 5),
            }
        ],
        perpetrators=[{"name": SECRETS["perpetrator"], "sex": "laki_laki", "relationships": ["orang_tua"]}],
    )
    case = case_update_incident(
        actor=personas.petugas, case=case, version=case.version, chronology=SECRETS["chronology"]
    )
    classify(actor=personas.petugas, case=case, version=case.version, tpks_offences=["perkosaan"])
    victim = case.persons.get(role="korban")
    consent_record(
        actor=personas.petugas,
        case=case,
        victim=victim,
        purpose="layanan",
        lawful_basis="vital_interests",
        basis_note=SECRETS["consent_note"],
    )
    BreakGlassAccess.objects.create(
        case=case,
        user=personas.kepala_provinsi,
        reason=SECRETS["break_glass_reason"],
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    # Written through the ORM: encryption is the fields' job, whichever service writes them.
    CaseNote.objects.create(case=case, author=personas.pendamping, body=SECRETS["note"])
    Assessment.objects.create(
        case=case, victim=victim, safety=SECRETS["assessment"], created_by=personas.pendamping
    )
    Report.objects.create(
        unit=personas.orgs.unit,
        narrative=SECRETS["portal_narrative"],
        contact_detail=SECRETS["portal_contact"],
    )
    Meeting.objects.create(
        kind="rakor",
        title="Rakor triwulan",
        unit=personas.orgs.unit,
        starts_at=timezone.now(),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        minutes=SECRETS["minutes"],
    )
    return case


def assert_no_secret(blob):
    for label, value in SECRETS.items():
        for variant in {value, value.lower(), value.upper()}:
            assert variant.encode() not in blob, f"{label} found in clear"
            assert variant.encode("utf-16-le") not in blob, f"{label} found in clear (UTF-16)"
    # The NIK's digits also must not appear in any separated form.
    assert SECRETS["nik"][4:].encode() not in blob


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_dump_holds_no_plaintext_personal_data(personas, tmp_path):
    case = register(personas)
    # The values are really there, readable through the application.
    assert Case.objects.get(pk=case.pk).persons.get(role="korban").name == SECRETS["name"]
    assert Report.objects.get().narrative == SECRETS["portal_narrative"]

    if connection.vendor == "sqlite":
        target = tmp_path / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        blob = target.read_bytes()
    else:
        pg_dump = shutil.which("pg_dump")
        assert pg_dump, "pg_dump is needed for this test on PostgreSQL"
        settings_dict = connection.settings_dict
        env = dict(os.environ, PGPASSWORD=settings_dict.get("PASSWORD") or "")
        result = subprocess.run(
            [
                pg_dump,
                "-h",
                settings_dict.get("HOST") or "127.0.0.1",
                "-p",
                str(settings_dict.get("PORT") or 5432),
                "-U",
                settings_dict.get("USER") or "postgres",
                "--data-only",
                settings_dict["NAME"],
            ],
            capture_output=True,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr.decode()
        blob = result.stdout
    assert len(blob) > 10_000  # a real dump, not an empty file
    assert case.registration_number.encode() in blob  # non-personal data is there in clear
    assert_no_secret(blob)
