"""The SIMFONI-PPA export: columns (as documented), one row per victim, pseudonymity, the period."""

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone, translation

from sinergi.cases.models import CasePerson, PerpetratorRelation
from sinergi.interventions.models import LegalProcessStage, ServiceDelivery
from sinergi.regions.models import Region
from sinergi.reports import simfoni
from sinergi.reports.models import SimfoniEntry
from sinergi.reports.simfoni_columns import CODE_LISTS, PERPETRATOR_SLOTS, fingerprint
from sinergi.testing.cases import case_row, register_case

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
    father = CasePerson.objects.create(case=first, role="pelaku", name="Nama Pelaku", sex="laki_laki")
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


def read(data, fmt, sheet=0):
    """The rows of the data sheet (0) or of the codes sheet (1), as text."""
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            assert names[1] == "kode.csv" and len(names) == 2
            text = archive.read(names[sheet]).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["Data", "Kode"]
    return [
        ["" if v is None else str(v) for v in row]
        for row in workbook.worksheets[sheet].iter_rows(values_only=True)
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_one_row_per_victim_of_the_period(personas, cases, fmt):
    data, name, total = simfoni.export(
        unit=personas.orgs.unit, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), fmt=fmt
    )
    rows = read(data, fmt)
    assert rows[0] == list(simfoni.COLUMNS)
    assert total == 2 and len(rows) == 3
    assert name == f"simfoni-20240101-20241231.{'zip' if fmt == 'csv' else 'xlsx'}"
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["kode_kasus"] == cases.pseudonym and first["kode_korban"] == f"{cases.pseudonym}-1"
    assert (first["tahun_lapor"], first["bulan_lapor"], first["tahun_kejadian"], first["bulan_kejadian"]) == (
        "2024",
        "3",
        "2024",
        "2",
    )
    assert (first["kecamatan_kode"], first["kecamatan"]) == ("13.76.01", "Payakumbuh Barat")
    # Labels, in Indonesian, in the order of the code list.
    assert first["jenis_kasus"] == "Kekerasan terhadap Perempuan"
    assert (first["tempat_kejadian"], first["jenis_kelamin"]) == ("Rumah tangga", "Perempuan")
    assert (first["pendidikan"], first["pekerjaan"]) == ("SLTA", "Ibu rumah tangga")
    assert first["jenis_kekerasan"] == "Fisik; Seksual"
    assert (first["kekerasan_fisik"], first["kekerasan_seksual"], first["kekerasan_psikis"]) == (
        "1",
        "1",
        "0",
    )
    assert (first["kelompok_umur"], first["anak"]) == ("25–44 tahun", "Tidak")
    assert (first["disabilitas"], first["jenis_disabilitas"]) == ("Ya", "Fisik")
    assert (first["hubungan_pelaku"], first["jumlah_pelaku"], first["kdrt"]) == ("Suami/istri", "1", "Ya")
    assert (first["pelaku1_hubungan"], first["pelaku1_jenis_kelamin"]) == ("Suami/istri", "Laki-laki")
    assert first["pelaku2_hubungan"] == ""
    assert (first["tpks"], first["tppo"], first["jenis_gbvims"], first["historis"]) == (
        "Ya",
        "Tidak",
        "Perkosaan",
        "Tidak",
    )
    assert (first["status_kasus"], first["status_simfoni"], first["nomor_simfoni"]) == (
        "Aktif",
        "Baru: belum dientri",
        "",
    )
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["kode_korban"] == f"{cases.pseudonym}-2" and second["anak"] == "Ya"
    # Her own incident: the mother's rape is not hers, and the relationship is hers (the
    # step-father is SIMFONI's "Orang tua").
    assert (second["hubungan_pelaku"], second["jumlah_pelaku"], second["tpks"]) == ("Orang tua", "1", "Tidak")
    assert (second["disabilitas"], second["jenis_disabilitas"]) == ("", "")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_codes_sheet_lists_every_coded_column(personas, cases, fmt):
    data, _name, _total = simfoni.export(
        unit=personas.orgs.unit, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), fmt=fmt
    )
    codes = read(data, fmt, sheet=1)
    assert codes[0] == ["kolom", "kode", "label"]
    pairs = {(column, code): label for column, code, label in codes[1:]}
    assert pairs[("hubungan_pelaku", "orang_tua")] == "Orang tua"
    assert pairs[("hubungan_pelaku", "suami_istri")] == "Suami/istri"
    # Sinergi's finer codes are not SIMFONI's: they are entered as orang_tua.
    assert ("hubungan_pelaku", "orang_tua_tiri") not in pairs
    assert pairs[("pelaku3_tahap_hukum", "sidang_tingkat_1")] == "Sidang tingkat pertama"
    assert pairs[("kelompok_umur", "60+")] == "60 tahun ke atas"
    coded = {column for column, _code in pairs}
    assert coded == {c for c, codes in CODE_LISTS.items() if codes is not None}
    assert "kode_kasus" not in coded and "kecamatan_kode" not in coded


def test_labels_are_indonesian_whatever_the_language(personas, cases):
    with translation.override("en"):
        data, _name, _total = simfoni.export(
            unit=personas.orgs.unit, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), fmt="csv"
        )
    first = dict(zip(*read(data, "csv")[:2], strict=True))
    assert (first["jenis_kelamin"], first["hubungan_pelaku"]) == ("Perempuan", "Suami/istri")


def test_a_mother_and_a_daughter_of_the_same_father_give_two_rows(personas):
    """DOMAIN.md §4: the father is suami_istri to the mother, orang_tua to the daughter."""
    case = register_case(
        personas.pendamping,
        victims=[
            {"name": "Ibu", "sex": "perempuan", "age_years": 38, "violence_types": ["fisik"]},
            {"name": "Anak", "sex": "perempuan", "age_years": 12, "violence_types": ["seksual"]},
        ],
        perpetrators=[
            {
                "name": "Ayah",
                "sex": "laki_laki",
                "age_years": 40,
                "education": "sd",
                "occupation": "swasta_buruh",
                "relationships": ["suami_istri", "orang_tua"],
            }
        ],
    )
    today = timezone.localdate()
    data, _name, total = simfoni.export(
        unit=personas.orgs.unit, date_from=today - dt.timedelta(days=1), date_to=today, fmt="xlsx"
    )
    rows = read(data, "xlsx")
    by_code = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[0] == case.pseudonym}
    mother, daughter = by_code[f"{case.pseudonym}-1"], by_code[f"{case.pseudonym}-2"]
    assert (mother["hubungan_pelaku"], mother["pelaku1_hubungan"]) == ("Suami/istri", "Suami/istri")
    assert (daughter["hubungan_pelaku"], daughter["pelaku1_hubungan"]) == ("Orang tua", "Orang tua")
    for row in (mother, daughter):
        assert (row["pelaku1_jenis_kelamin"], row["pelaku1_kelompok_umur"]) == ("Laki-laki", "25–44 tahun")
        assert (row["pelaku1_pendidikan"], row["pelaku1_pekerjaan"]) == ("SD", "Swasta/buruh")
        assert (row["jumlah_pelaku"], row["kdrt"]) == ("1", "Ya")
    assert (mother["tpks"], daughter["tpks"]) == ("Tidak", "Ya")
    assert (mother["anak"], daughter["anak"]) == ("Tidak", "Ya")


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


def test_a_province_exports_its_own_cases_not_its_cities(personas, cases):
    """The finding: a province head's "pseudonymous" export listed one row per victim of the city
    below, restricted cases included and without the statistics-consent filter. A higher unit
    reads the cities' aggregates on the dashboard; each city exports its own rows."""
    data, _name, total = simfoni.export(
        unit=personas.orgs.province, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), fmt="csv"
    )
    assert total == 0
    _data, _name, city = simfoni.export(
        unit=personas.orgs.unit, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), fmt="csv"
    )
    assert city == 2


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
    assert simfoni.neutralise("=HYPERLINK()") == "'=HYPERLINK()"
    assert (
        simfoni.neutralise("@x") == "'@x"
        and simfoni.neutralise("0-5") == "0-5"
        and simfoni.neutralise(3) == 3
    )


def test_period_edges_are_local_days(personas):
    unit = personas.orgs.unit
    # 31 Dec 2023 23:30 WIB is 16:30 UTC: in 2023, not 2024.
    late = case_row(unit, reported_at=timezone.make_aware(dt.datetime(2023, 12, 31, 23, 30)))
    CasePerson.objects.create(case=late, role="korban", sex="perempuan")
    victims = simfoni.victims_in_period([unit], dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert victims.count() == 0
    assert simfoni.victims_in_period([unit], dt.date(2023, 12, 31), dt.date(2023, 12, 31)).count() == 1


def test_services_and_legal_stages_are_listed(personas, cases):
    victim = cases.persons.filter(role="korban").order_by("id").first()
    father = cases.persons.get(role="pelaku")
    hospital = personas.orgs.other_partner
    for category, status, provider in (
        ("kesehatan", "diberikan", {"provider_org": hospital}),
        ("bantuan_hukum", "sudah_diterima", {"provider_name": "Bu Ani, paralegal"}),
        ("pemulangan", "dirujuk", {}),
    ):
        ServiceDelivery.objects.create(
            case=cases,
            victim=victim,
            category=category,
            status=status,
            date=dt.date(2024, 3, 6),
            recorded_by=personas.kepala,
            **provider,
        )
    for stage, day in (("laporan_polisi", 7), ("penyidikan", 20)):
        LegalProcessStage.objects.create(
            case=cases,
            perpetrator=father,
            stage=stage,
            occurred_at=at(dt.date(2024, 3, day)),
            recorded_by=personas.kepala,
        )
    data, _n, _t = simfoni.export(
        unit=personas.orgs.unit, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), fmt="csv"
    )
    rows = read(data, "csv")
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["layanan_diterima"] == "Kesehatan; Bantuan hukum"
    # An agency by its name; a free-text provider (it may name a person) only as "lainnya".
    assert first["layanan_rinci"] == "Kesehatan (RSUD Uji, 2024-03); Bantuan hukum (lainnya, 2024-03)"
    assert first["tahap_hukum"] == "Laporan polisi; Penyidikan"
    assert first["pelaku1_tahap_hukum"] == "Penyidikan"
    assert "Bu Ani" not in "\n".join(",".join(r) for r in rows)


def _many_victims(unit, count, officer):
    for i in range(count):
        case = case_row(unit, reported_at=at(dt.date(2024, 1, 1 + i % 28)))
        victim = CasePerson.objects.create(
            case=case, role="korban", sex="perempuan", violence_types=["fisik"]
        )
        perpetrator = CasePerson.objects.create(case=case, role="pelaku")
        PerpetratorRelation.objects.create(
            case=case, perpetrator=perpetrator, victim=victim, relationship="tetangga"
        )
        ServiceDelivery.objects.create(
            case=case,
            victim=victim,
            category="kesehatan",
            status="diberikan",
            date=dt.date(2024, 2, 1),
            recorded_by=officer,
        )
        LegalProcessStage.objects.create(
            case=case,
            perpetrator=perpetrator,
            stage="laporan_polisi",
            occurred_at=at(dt.date(2024, 2, 2)),
            recorded_by=officer,
        )
        if i % 2:
            SimfoniEntry.objects.create(
                victim=victim, number=f"S-{i}", fingerprint="0" * 64, entered_by=officer
            )


@pytest.mark.parametrize("count", [3, 30])
def test_the_export_reads_in_bounded_queries(personas, django_assert_max_num_queries, count):
    unit = personas.orgs.unit
    _many_victims(unit, count, personas.kepala)
    victims = simfoni.victims_in_period([unit], dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    # The victims, then per chunk: persons, relationships, services, stages, entries, decisions.
    with django_assert_max_num_queries(7):
        rows = list(simfoni.rows(victims))
    assert len(rows) == count + 1


def test_a_fingerprint_ignores_labels_order_and_names_but_not_values():
    values = {
        "jenis_kekerasan": ["seksual", "fisik"],
        "unit": "UPTD A",
        "kode_korban": "K-1-1",
        "agama": "islam",
    }
    same = {
        "jenis_kekerasan": ["fisik", "seksual"],
        "unit": "UPTD B",
        "kode_korban": "K-1-2",
        "agama": "islam",
    }
    assert fingerprint(values) == fingerprint(same)
    assert fingerprint(values) != fingerprint({**values, "agama": "kristen"})
    assert fingerprint(values) != fingerprint({**values, "jenis_kekerasan": ["fisik"]})
    assert fingerprint(values) == fingerprint({**values, "status_simfoni": "sudah", "nomor_simfoni": "X"})


def _documented(doc):
    """The column names of the docs' tables; a `pelakuN_…` block stands for every slot."""
    names = [line.split("|")[1].strip().strip("`") for line in doc.splitlines() if line.startswith("| `")]
    slot = [n for n in names if n.startswith("pelakuN_")]
    start = names.index(slot[0])
    expanded = [n.replace("pelakuN_", f"pelaku{i}_") for i in range(1, PERPETRATOR_SLOTS + 1) for n in slot]
    return names[:start] + expanded + names[start + len(slot) :]


def test_the_docs_describe_every_column_in_order():
    doc = (Path(simfoni.__file__).parents[2] / "docs" / "simfoni-export.md").read_text()
    documented = _documented(doc)
    assert documented[: len(simfoni.COLUMNS)] == list(simfoni.COLUMNS)
    assert documented[len(simfoni.COLUMNS) :] == list(simfoni.IDENTIFYING_COLUMNS)
