"""The historical import: dry run, every kind of bad input, all-or-nothing, idempotency, counts."""

import contextlib
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi import reports
from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, CasePerson, Consent
from sinergi.reports import importer
from sinergi.reports.importer import import_apply, import_check
from sinergi.reports.models import ImportedCase

from .helpers import HISTORY, history_rows, to_csv, to_xlsx

DATA = Path(reports.__file__).with_name("data")


@pytest.fixture(autouse=True)
def _english():
    # The assertions read the English messages; the interface defaults to Indonesian.
    with translation.override("en"):
        yield


def errors_of(check):
    return [(e.row, e.column) for e in check.errors]


def yearly_counts(unit):
    """{year: cases} of the unit's historical cases, by report year (WIB), as the dashboard counts."""
    rows = (
        Case.objects.filter(unit=unit, is_historical=True)
        .annotate(year=ExtractYear("reported_at"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("year")
    )
    return {r["year"]: r["n"] for r in rows}


# --- the happy path ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dry_run_imports_nothing(personas, fmt):
    data = (to_csv if fmt == "csv" else to_xlsx)(history_rows())
    check = import_check(actor=personas.datin, data=data, name=f"riwayat.{fmt}")
    assert check.ok, check.errors
    assert (check.rows, check.new, check.already_imported) == (30, 30, 0)
    assert not Case.objects.exists()


@pytest.mark.parametrize("name", ["riwayat-kasus-2021-2023.csv", "riwayat-kasus-2021-2023.xlsx"])
def test_the_sample_history_gives_12_14_and_4_cases(personas, name):
    data = (DATA / name).read_bytes()
    check = import_apply(actor=personas.datin, data=data, name=name)
    assert check.new == 30
    assert yearly_counts(personas.orgs.unit) == HISTORY == {2021: 12, 2022: 14, 2023: 4}
    case = Case.objects.filter(is_historical=True).first()
    assert case.status == "ditutup" and case.unit == personas.orgs.unit
    assert ImportedCase.objects.count() == 30
    # One victim per case, with a statistics basis, so the public statistics count them.
    assert CasePerson.objects.filter(role="korban").count() == 30
    consents = Consent.objects.filter(purpose="statistik", withdrawn_at__isnull=True)
    assert consents.count() == 30 and set(consents.values_list("lawful_basis", flat=True)) == {"public_task"}
    assert AuditEvent.objects.filter(action="case.import", details__created=30).exists()


def test_imported_fields(personas):
    row = history_rows({2022: 1})[0] | {
        "umur_korban": "15",
        "disabilitas_korban": "fisik; sensorik_rungu",
        "jenis_kekerasan": "Seksual, psikis",
        "tindak_pidana_tpks": "pelecehan_fisik",
        "kecamatan": "13.76.02.1002",
        "jenis_gbvims": "rape",
    }
    import_apply(actor=personas.datin, data=to_csv([row]), name="satu.csv")
    case = Case.objects.get()
    victim = case.persons.get(role="korban")
    assert (victim.age_band, victim.is_child, victim.sex) == ("13-17", True, "perempuan")
    assert (
        sorted(victim.violence_types) == ["psikis", "seksual"] and victim.violence_codes == "|psikis|seksual|"
    )
    assert victim.disabilities == ["fisik", "sensorik_rungu"]
    assert case.incident_region_id == "13.76.02.1002" and victim.tpks_offences == ["pelecehan_fisik"]
    assert victim.gbvims_type == "rape"
    perpetrator = case.persons.get(role="pelaku")
    assert (
        perpetrator.victim_relations.get(victim=victim).relationship == "suami_istri"
        and perpetrator.is_unknown
    )
    assert victim.name == "" and victim.nik == ""


def test_age_band_alone_is_enough(personas):
    row = history_rows({2021: 1})[0] | {"umur_korban": "", "kelompok_umur_korban": "6-12"}
    import_apply(actor=personas.datin, data=to_csv([row]), name="satu.csv")
    victim = CasePerson.objects.get(role="korban")
    assert (victim.age_band, victim.is_child, victim.age_years) == ("6-12", True, None)


def test_semicolon_separated_csv_is_read(personas):
    check = import_check(actor=personas.datin, data=to_csv(history_rows(), delimiter=";"), name="a.csv")
    assert check.ok and check.new == 30


# --- idempotency and all-or-nothing ------------------------------------------------------------


def test_reimporting_the_same_file_adds_nothing(personas):
    data = to_xlsx(history_rows())
    assert import_apply(actor=personas.datin, data=data, name="r.xlsx").new == 30
    again = import_apply(actor=personas.datin, data=data, name="r.xlsx")
    assert (again.new, again.already_imported) == (0, 30)
    assert Case.objects.count() == 30
    assert import_check(actor=personas.datin, data=data, name="r.xlsx").already_imported == 30


def test_a_longer_file_adds_only_its_new_rows(personas):
    import_apply(actor=personas.datin, data=to_csv(history_rows({2021: 12})), name="a.csv")
    check = import_apply(actor=personas.datin, data=to_csv(history_rows()), name="a.csv")
    assert (check.new, check.already_imported) == (18, 12)
    assert yearly_counts(personas.orgs.unit) == {2021: 12, 2022: 14, 2023: 4}


def test_external_ids_are_per_unit(personas):
    data = to_csv(history_rows({2021: 2}))
    import_apply(actor=personas.datin, data=data, name="a.csv")
    other = personas.kepala_luar
    assert import_apply(actor=other, data=data, name="a.csv").new == 2
    assert Case.objects.count() == 4


def test_one_bad_row_imports_nothing(personas, settings):
    rows = history_rows()
    rows[-1]["jenis_kelamin_korban"] = "wanita"
    with pytest.raises(importer.ImportRefused) as refused:
        import_apply(actor=personas.datin, data=to_csv(rows), name="a.csv")
    assert errors_of(refused.value.check) == [(31, "jenis_kelamin_korban")]
    assert not Case.objects.exists() and not ImportedCase.objects.exists() and not CasePerson.objects.exists()
    event = AuditEvent.objects.get(action="case.import")
    assert event.outcome == "failed" and event.details == {"rows": 30, "errors": 1}


def test_a_bad_row_after_written_batches_rolls_everything_back(personas, monkeypatch):
    # Batches of 5 are written before the last row is read (the checker and the writer each read
    # BATCH in their own module).
    monkeypatch.setattr(importer.check, "BATCH", 5)
    monkeypatch.setattr(importer.apply, "BATCH", 5)
    written = []
    real_write = importer.apply._Writer.write

    def write(writer):
        written.append(len(writer.rows))
        real_write(writer)

    monkeypatch.setattr(importer.apply._Writer, "write", write)
    rows = history_rows()
    rows[-1]["tanggal_lapor"] = "kemarin"
    with pytest.raises(importer.ImportRefused):
        import_apply(actor=personas.datin, data=to_csv(rows), name="a.csv")
    assert written and written[0] == 5  # a batch really was written before the refusal
    assert not Case.objects.exists() and not Consent.objects.exists()


def test_only_importers_may_import(personas):
    data = to_csv(history_rows({2021: 1}))
    for persona in ("pendamping", "pimpinan", "admin", "petugas"):
        with pytest.raises(PermissionDenied):
            import_check(actor=getattr(personas, persona), data=data, name="a.csv")
    assert import_apply(actor=personas.kepala, data=data, name="a.csv").new == 1


# --- the error report ------------------------------------------------------------------------------


def test_wrong_headers_are_reported_by_column(personas):
    header = [
        "id_eksternal",
        "tgl_lapor",
        "jenis_kelamin_korban",
        "jenis_kekerasan",
        "jenis_kekerasan",
        "",
        "x",
    ]
    check = import_check(actor=personas.datin, data=to_csv([], header=header), name="a.csv")
    assert check.file_refused
    assert set(errors_of(check)) == {
        (1, "tgl_lapor"),  # unknown
        (1, "jenis_kekerasan"),  # twice
        (1, ""),  # a column without a name
        (1, "x"),
        (1, "tanggal_lapor"),  # required, missing
    }


def test_a_nik_column_is_refused_the_import_carries_no_nik(personas):
    """The historical import is anonymous (docs/import.md): a NIK column is an error, so no NIK
    arrives without the officer's check of docs/case-record.md (NIK warnings confirmed per person)."""
    rows = history_rows({2021: 1})
    for row in rows:
        row["nik"] = "9101014108900001"
    header = [*rows[0].keys()]
    before = Case.objects.count()
    check = import_check(actor=personas.datin, data=to_csv(rows, header=header), name="a.csv")
    assert check.file_refused
    assert (1, "nik") in set(errors_of(check))
    assert Case.objects.count() == before


def test_every_row_and_column_error_is_reported(personas):
    rows = history_rows({2021: 8})
    rows[0]["jenis_kekerasan"] = "fisik; pukul"  # unknown code in a list
    rows[0]["tempat_kejadian"] = "pasar"  # unknown code
    rows[1]["tanggal_lapor"] = "03-15-2021"  # a fourth date format
    rows[2]["tanggal_kejadian"] = "31/02/2021"  # no such day
    rows[3]["kecamatan"] = "99.99.99"  # unknown region
    rows[4]["umur_korban"] = "dua puluh"
    rows[5]["kelompok_umur_korban"] = "6-12"  # contradicts the age
    rows[6]["tanggal_lapor"] = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    rows[7]["jenis_kelamin_korban"] = ""  # required
    check = import_check(actor=personas.datin, data=to_csv(rows), name="a.csv")
    assert errors_of(check) == [
        (2, "tempat_kejadian"),
        (2, "jenis_kekerasan"),
        (3, "tanggal_lapor"),
        (4, "tanggal_kejadian"),
        (5, "kecamatan"),
        (6, "umur_korban"),
        (7, "kelompok_umur_korban"),
        (8, "tanggal_lapor"),
        (9, "jenis_kelamin_korban"),
    ]
    assert check.new == 0 and not check.file_refused
    messages = {}
    for error in check.errors:
        messages.setdefault(error.column, error.message)
    assert "pukul" in messages["jenis_kekerasan"] and "fisik, psikis" in messages["jenis_kekerasan"]
    assert "dd/mm/yyyy" in messages["tanggal_lapor"]


def test_three_date_forms_are_accepted_and_others_refused():
    assert importer.parse_date("31/12/2021") == dt.date(2021, 12, 31)
    assert importer.parse_date("1/2/2021") == dt.date(2021, 2, 1)
    assert importer.parse_date("2021-12-31") == dt.date(2021, 12, 31)
    assert importer.parse_date(dt.datetime(2021, 12, 31, 0, 0)) == dt.date(2021, 12, 31)  # an Excel date cell
    assert importer.parse_date(44561) == dt.date(2021, 12, 31)  # an Excel serial in a General cell
    assert importer.parse_date("44561") == dt.date(2021, 12, 31)
    for bad in ("12/31/2021", "31-12-2021", "31.12.2021", "Des 2021", "2021", "2021/12/31", "-5"):
        with pytest.raises(importer.BadValue):
            importer.parse_date(bad)


def test_excel_date_cells_are_read(personas):
    rows = history_rows({2021: 3})
    check = import_apply(actor=personas.datin, data=to_xlsx(rows, excel_dates=True), name="a.xlsx")
    assert check.new == 3
    first = ImportedCase.objects.get(external_id="P2TP2A-2021-001").case
    assert first.incident_date == dt.date.fromisoformat(rows[0]["tanggal_kejadian"])


def test_duplicate_rows_are_reported(personas):
    rows = history_rows({2021: 3})
    repeat = dict(rows[0])
    conflicting = dict(rows[1], umur_korban="40")
    check = import_check(actor=personas.datin, data=to_csv([*rows, repeat, conflicting]), name="a.csv")
    assert errors_of(check) == [(5, "id_eksternal"), (6, "id_eksternal")]
    assert "repeats row 2" in check.errors[0].message or "row 2" in check.errors[0].message
    assert "3" in check.errors[1].message


def test_empty_rows_are_skipped_and_empty_files_refused(personas):
    rows = history_rows({2021: 2})
    data = to_csv([rows[0], {}, rows[1]])
    assert import_check(actor=personas.datin, data=data, name="a.csv").new == 2
    assert import_check(actor=personas.datin, data=to_csv([]), name="a.csv").file_refused
    assert import_check(actor=personas.datin, data=b"", name="a.csv").file_refused


def test_the_error_list_is_bounded(personas, settings):
    rows = [dict(r, jenis_kelamin_korban="x") for r in history_rows({2021: 12, 2022: 14, 2023: 4})] * 1
    check = import_check(actor=personas.datin, data=to_csv(rows), name="a.csv")
    assert check.error_count == 30
    settings.SINERGI_IMPORT_MAX_ROWS = 5000
    many = [dict(rows[0], id_eksternal=f"X-{i}") for i in range(importer.MAX_ERRORS + 50)]
    check = import_check(actor=personas.datin, data=to_csv(many), name="a.csv")
    assert check.error_count == importer.MAX_ERRORS + 50 and len(check.errors) == importer.MAX_ERRORS


def test_100000_rows_are_refused_at_the_row_limit(personas, settings):
    settings.SINERGI_IMPORT_MAX_MB = 20
    row = history_rows({2021: 1})[0]
    header = ",".join(importer.COLUMN_NAMES)
    line = ",".join(row[c] for c in importer.COLUMN_NAMES[1:])
    body = "\n".join(f"R{i},{line}" for i in range(100_000))
    data = f"{header}\n{body}\n".encode()
    check = import_check(actor=personas.datin, data=data, name="besar.csv")
    assert check.file_refused and check.rows == importer.max_rows() == 20_000
    assert errors_of(check) == [(20_002, "")]
    assert "20.000" in check.errors[0].message
    assert not Case.objects.exists()


def test_the_row_limit_holds_for_xlsx_too(personas, settings):
    settings.SINERGI_IMPORT_MAX_ROWS = 10
    check = import_check(actor=personas.datin, data=to_xlsx(history_rows()), name="a.xlsx")
    assert check.file_refused and check.rows == 10


# --- files that are not what they say -----------------------------------------------------------------


def zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/></Types>',
        )
        # 200 MB of zeros compress to ~200 kB: a "sheet" that would fill memory when opened.
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    return out.getvalue()


def test_a_zip_bomb_is_refused_without_being_opened(personas):
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    check = import_check(actor=personas.datin, data=bomb, name="riwayat.xlsx")
    assert check.file_refused and "too much data" in check.errors[0].message


def test_a_high_ratio_member_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"a" * (20 * 1024 * 1024))
    with pytest.raises(importer.UnsafeFile):
        importer.inspect_xlsx(out.getvalue())


def test_a_huge_shared_strings_part_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", bytes(range(256)) * (80 * 1024))  # 20 MB, ratio ~1
    with pytest.raises(importer.UnsafeFile):
        importer.inspect_xlsx(out.getvalue())


def test_xml_with_a_doctype_is_refused(personas):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Types/>'
        )
    check = import_check(actor=personas.datin, data=out.getvalue(), name="a.xlsx")
    assert check.file_refused


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"%PDF-1.7 not a spreadsheet", "riwayat.xlsx", "not what its name says"),
        (b"id_eksternal,tanggal_lapor\n", "riwayat.xlsx", "not what its name says"),
        ("xlsx", "riwayat.csv", "not what its name says"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "riwayat.csv", "not what its name says"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "riwayat.xls", ".xls"),
        (b"id_eksternal\n", "riwayat.txt", ".xlsx or .csv"),
        ("docx", "riwayat.xlsx", "not what its name says"),
    ],
)
def test_disguised_and_foreign_files_are_refused(personas, data, name, says):
    if data == "xlsx":
        data = to_xlsx(history_rows({2021: 1}))
    elif data == "docx":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types>wordprocessingml.document.main+xml</Types>")
        data = out.getvalue()
    check = import_check(actor=personas.datin, data=data, name=name)
    assert check.file_refused and says in check.errors[0].message


def test_a_damaged_xlsx_is_refused(personas):
    data = to_xlsx(history_rows({2021: 2}))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]  # truncated XML
            target.writestr(info, content)
    check = import_check(actor=personas.datin, data=out.getvalue(), name="a.xlsx")
    assert check.file_refused or not check.ok


# --- the template and the shell ----------------------------------------------------------------------


def test_the_templates_have_every_column_and_import_cleanly(personas):
    check = import_check(actor=personas.datin, data=importer.template_xlsx(), name="t.xlsx")
    assert check.errors[0].message.startswith("The file has a header but no rows") or check.file_refused
    assert importer.template_csv().decode("utf-8-sig").strip() == ",".join(importer.COLUMN_NAMES)


def test_the_docs_describe_every_column():
    doc = (Path(reports.__file__).parents[2] / "docs" / "import.md").read_text()
    for name in importer.COLUMN_NAMES:
        assert f"`{name}`" in doc, name


def test_the_command_dry_run_and_import(personas, tmp_path, capsys):
    path = tmp_path / "riwayat.csv"
    path.write_bytes((DATA / "riwayat-kasus-2021-2023.csv").read_bytes())
    call_command("import_cases", str(path), "--dry-run", "--user", "datin")
    assert "new: 30" in capsys.readouterr().out and not Case.objects.exists()
    call_command("import_cases", str(path), "--user", "datin")
    assert yearly_counts(personas.orgs.unit) == HISTORY
    call_command("import_cases", str(path), "--user", "datin")
    assert "already imported: 30" in capsys.readouterr().out and Case.objects.count() == 30


def test_the_command_reports_errors_and_exits_1(personas, tmp_path, capsys):
    rows = history_rows({2021: 2})
    rows[1]["jenis_kekerasan"] = "pukul"
    path = tmp_path / "salah.csv"
    path.write_bytes(to_csv(rows))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_cases", str(path), "--user", "datin", "--language", "en")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "row 3, jenis_kekerasan: Unknown code" in err and "Nothing was imported" in err
    assert not Case.objects.exists()


def test_the_command_refuses_users_without_the_right(personas, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "a.csv"
    path.write_bytes(to_csv(history_rows({2021: 1})))
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_cases", str(path), "--user", "pendamping")


# --- properties ------------------------------------------------------------------------------------


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_date_reads_back_in_each_accepted_form(day):
    from openpyxl.utils.datetime import to_excel

    assert importer.parse_date(day.strftime("%d/%m/%Y")) == day
    assert importer.parse_date(f"{day.day}/{day.month}/{day.year}") == day
    assert importer.parse_date(day.isoformat()) == day
    assert importer.parse_date(to_excel(day)) == day


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.none(), st.booleans()))
def test_a_date_cell_is_a_date_or_a_bad_value(value):
    with contextlib.suppress(importer.BadValue):
        assert isinstance(importer.parse_date(value), dt.date)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=25), min_size=16, max_size=18
    )
)
def test_any_row_is_imported_or_reported_never_a_crash(personas, cells):
    data = to_csv([cells])
    check = import_check(actor=personas.datin, data=data, name="acak.csv")
    assert check.ok or check.error_count > 0
    assert not Case.objects.exists()


def test_an_import_draws_again_the_case_codes_that_are_taken(personas, monkeypatch):
    from sinergi.cases.models import new_pseudonym
    from sinergi.reports.importer import apply
    from sinergi.testing.cases import register_case

    taken = register_case(personas.petugas).pseudonym
    queue = [taken, taken, "K-2222222", "K-2222222"]  # taken in the database, then twice in the batch
    monkeypatch.setattr(apply, "new_pseudonym", lambda: queue.pop(0) if queue else new_pseudonym())
    check = import_apply(actor=personas.datin, data=to_csv(history_rows()), name="riwayat.csv")
    assert check.new == 30
    codes = list(Case.objects.values_list("pseudonym", flat=True))
    assert len(codes) == len(set(codes)) == 31
