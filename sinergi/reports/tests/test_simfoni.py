"""The SIMFONI-PPA export: columns (as documented), one row per victim, pseudonymity, the period."""

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from sinergi.cases.models import CasePerson, PerpetratorRelation
from sinergi.regions.models import Region
from sinergi.reports import simfoni
from sinergi.testing.cases import case_row

VICTIM_NAME = "Siti Rahmawati Korban"
NIK = "1376014107900001"


def at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@pytest.fixture
def cases(personas):
    unit = personas.orgs.unit
    first = case_row(
        unit,
        registration_number="PPA-1376-2024-0001",
        status="aktif",
        reported_at=at(dt.date(2024, 3, 5)),
        incident_date=dt.date(2024, 2, 20),
        case_type="ktp",
        place_type="rumah_tangga",
        incident_region=Region.objects.get(code="13.76.01.1002"),
        chronology="Kronologi rahasia tentang korban",
    )
    mother = CasePerson.objects.create(
        case=first,
        tpks_offences=["perkosaan"],
        gbvims_type="rape",
        role="korban",
        name=VICTIM_NAME,
        nik=NIK,
        phone="081234567890",
        address="Jl. Rahasia No. 1",
        sex="perempuan",
        age_band="25-44",
        is_child=False,
        education="slta",
        occupation="ibu_rumah_tangga",
        disabilities=["fisik"],
        violence_types=["seksual", "fisik"],
    )
    daughter = CasePerson.objects.create(
        case=first,
        role="korban",
        name="Anak Korban Kedua",
        sex="perempuan",
        age_band="6-12",
        is_child=True,
        violence_types=["psikis"],
    )
    father = CasePerson.objects.create(case=first, role="pelaku", name="Nama Pelaku")
    # One perpetrator, two relationships: her husband, the child's step-father (SIMFONI: orang_tua).
    PerpetratorRelation.objects.create(
        case=first, perpetrator=father, victim=mother, relationship="suami_istri"
    )
    PerpetratorRelation.objects.create(
        case=first, perpetrator=father, victim=daughter, relationship="orang_tua_tiri"
    )
    CasePerson.objects.create(case=first, role="pelapor", name="Nama Pelapor")
    # Outside the period, and in another city: neither is exported.
    old = case_row(unit, status="aktif", reported_at=at(dt.date(2023, 12, 31)))
    CasePerson.objects.create(case=old, role="korban", name="Korban Lama", sex="perempuan")
    elsewhere = case_row(personas.orgs.other_unit, reported_at=at(dt.date(2024, 5, 1)))
    CasePerson.objects.create(case=elsewhere, role="korban", name="Korban Kota Lain", sex="perempuan")
    return first


def read(data, fmt):
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_one_row_per_victim_of_the_period(personas, cases, fmt):
    data, name, total = simfoni.export(
        unit=personas.orgs.unit, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), fmt=fmt
    )
    rows = read(data, fmt)
    assert rows[0] == list(simfoni.COLUMNS)
    assert total == 2 and len(rows) == 3
    assert name == f"simfoni-20240101-20241231.{fmt}"
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["kode_kasus"] == cases.pseudonym and first["kode_korban"] == f"{cases.pseudonym}-1"
    assert (first["tahun_lapor"], first["bulan_lapor"], first["tahun_kejadian"], first["bulan_kejadian"]) == (
        "2024",
        "3",
        "2024",
        "2",
    )
    assert (first["kecamatan_kode"], first["kecamatan"]) == ("13.76.01", "Payakumbuh Barat")
    assert first["jenis_kekerasan"] == "fisik;seksual"
    assert (first["kekerasan_fisik"], first["kekerasan_seksual"], first["kekerasan_psikis"]) == (
        "1",
        "1",
        "0",
    )
    assert (first["kelompok_umur"], first["anak"], first["disabilitas"]) == ("25-44", "tidak", "fisik")
    assert (first["hubungan_pelaku"], first["jumlah_pelaku"]) == ("suami_istri", "1")
    assert (first["tpks"], first["tppo"], first["jenis_gbvims"], first["historis"]) == (
        "ya",
        "tidak",
        "rape",
        "tidak",
    )
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["kode_korban"] == f"{cases.pseudonym}-2" and second["anak"] == "ya"
    # Her own incident: the mother's rape is not hers, and the relationship is hers.
    assert (second["hubungan_pelaku"], second["jumlah_pelaku"], second["tpks"]) == ("orang_tua", "1", "tidak")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_file_names_nobody(personas, cases, fmt):
    data, _name, _total = simfoni.export(
        unit=personas.orgs.unit, date_from=dt.date(2020, 1, 1), date_to=dt.date(2024, 12, 31), fmt=fmt
    )
    text = "\n".join(",".join(row) for row in read(data, fmt))
    for secret in (
        VICTIM_NAME,
        "Siti",
        NIK,
        "081234567890",
        "Rahasia",
        "Nama Pelaku",
        "Korban Lama",
        "PPA-1376-2024-0001",
        "2024-03-05",
        "05/03/2024",
    ):
        assert secret not in text, secret
    if fmt == "xlsx":
        assert VICTIM_NAME.encode() not in data and NIK.encode() not in data


def test_a_province_exports_its_cities(personas, cases):
    data, _name, total = simfoni.export(
        unit=personas.orgs.province, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), fmt="csv"
    )
    assert total == 3  # two victims in the city, one in the other city


def test_identifying_export_has_names_of_the_own_unit_only(personas, cases):
    data, name, total = simfoni.export(
        unit=personas.orgs.province,
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
        fmt="csv",
        identifying=True,
    )
    assert total == 0
    data, name, total = simfoni.export(
        unit=personas.orgs.unit,
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
        fmt="csv",
        identifying=True,
    )
    rows = read(data, "csv")
    assert rows[0][:3] == ["nomor_registrasi", "nama_korban", "nik_korban"]
    assert rows[1][:3] == ["PPA-1376-2024-0001", VICTIM_NAME, NIK]
    assert name.startswith("identitas-")


def test_formula_like_cells_are_neutralised():
    assert simfoni._safe("=HYPERLINK()") == "'=HYPERLINK()"
    assert simfoni._safe("@x") == "'@x" and simfoni._safe("0-5") == "0-5" and simfoni._safe(3) == 3


def test_period_edges_are_local_days(personas):
    unit = personas.orgs.unit
    # 31 Dec 2023 23:30 WIB is 16:30 UTC: in 2023, not 2024.
    late = case_row(unit, reported_at=timezone.make_aware(dt.datetime(2023, 12, 31, 23, 30)))
    CasePerson.objects.create(case=late, role="korban", sex="perempuan")
    victims = simfoni.victims_in_period([unit], dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert victims.count() == 0
    assert simfoni.victims_in_period([unit], dt.date(2023, 12, 31), dt.date(2023, 12, 31)).count() == 1


def test_services_received_are_listed(personas, cases):
    from django.db import connection

    try:
        from sinergi.interventions.models import ServiceDelivery
    except ImportError:
        pytest.skip("sinergi.interventions is not there yet")
    if ServiceDelivery._meta.db_table not in connection.introspection.table_names():
        pytest.skip("sinergi.interventions has no migration yet")
    victim = cases.persons.filter(role="korban").first()
    for category, status in (
        ("kesehatan", "diberikan"),
        ("bantuan_hukum", "sudah_diterima"),
        ("pemulangan", "dirujuk"),
    ):
        ServiceDelivery.objects.create(
            case=cases,
            victim=victim,
            category=category,
            status=status,
            date=dt.date(2024, 3, 6),
            recorded_by=personas.kepala,
        )
    data, _n, _t = simfoni.export(
        unit=personas.orgs.unit, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), fmt="csv"
    )
    rows = read(data, "csv")
    assert dict(zip(rows[0], rows[1], strict=True))["layanan_diterima"] == "bantuan_hukum;kesehatan"


def test_the_export_reads_in_bounded_queries(personas, django_assert_max_num_queries):
    unit = personas.orgs.unit
    for i in range(30):
        case = case_row(unit, reported_at=at(dt.date(2024, 1, 1 + i % 28)))
        victim = CasePerson.objects.create(
            case=case, role="korban", sex="perempuan", violence_types=["fisik"]
        )
        perpetrator = CasePerson.objects.create(case=case, role="pelaku")
        PerpetratorRelation.objects.create(
            case=case, perpetrator=perpetrator, victim=victim, relationship="tetangga"
        )
    victims = simfoni.victims_in_period([unit], dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    with django_assert_max_num_queries(6):
        rows = list(simfoni.rows(victims))
    assert len(rows) == 31


def test_the_docs_describe_every_column_in_order():
    doc = (Path(simfoni.__file__).parents[2] / "docs" / "simfoni-export.md").read_text()
    documented = [
        line.split("|")[1].strip().strip("`") for line in doc.splitlines() if line.startswith("| `")
    ]
    assert documented[: len(simfoni.COLUMNS)] == list(simfoni.COLUMNS)
    assert documented[len(simfoni.COLUMNS) :] == list(simfoni.IDENTIFYING_COLUMNS)
