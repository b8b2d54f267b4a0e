"""Files for import tests: the 2021–2023 history (12, 14 and 4 cases) and hand-made variants."""

import csv
import datetime as dt
import io

from sinergi.reports.importer import COLUMN_NAMES

HISTORY = {2021: 12, 2022: 14, 2023: 4}
KECAMATAN = ("13.76.01", "13.76.02", "13.76.03", "13.76.04", "13.76.05")
VIOLENCE = ("fisik", "psikis", "fisik;psikis", "seksual", "penelantaran", "psikis;penelantaran")
RELATIONSHIP = ("suami_istri", "suami_istri", "pacar_teman", "keluarga", "tetangga", "tidak_diketahui")
OCCUPATION = ("ibu_rumah_tangga", "swasta_buruh", "tidak_bekerja", "pedagang_tani_nelayan", "pns_tni_polri")
EDUCATION = ("sd", "sltp", "slta", "slta", "perguruan_tinggi")
GBVIMS = {
    "fisik": "physical_assault",
    "psikis": "psychological_emotional_abuse",
    "seksual": "sexual_assault",
    "penelantaran": "denial_of_resources",
}


def history_rows(counts=None):
    """Synthetic violence-against-women cases, as the city's old register might list them."""
    rows = []
    for year, count in (counts or HISTORY).items():
        for n in range(1, count + 1):
            i = len(rows)
            reported = dt.date(year, 1 + (n * 5) % 12, 1 + (n * 7) % 27)
            incident = reported - dt.timedelta(days=3 + n % 20)
            age = 19 + (i * 7) % 41
            rows.append(
                {
                    "id_eksternal": f"P2TP2A-{year}-{n:03d}",
                    # The three accepted date forms, mixed as in a real register.
                    "tanggal_lapor": reported.strftime("%d/%m/%Y") if i % 2 else reported.isoformat(),
                    "tanggal_kejadian": incident.isoformat(),
                    "jenis_kasus": "ktp",
                    "kecamatan": KECAMATAN[i % 5],
                    "tempat_kejadian": "rumah_tangga" if i % 4 else "fasilitas_umum",
                    "jenis_kelamin_korban": "perempuan",
                    "umur_korban": str(age),
                    "kelompok_umur_korban": "",
                    "pendidikan_korban": EDUCATION[i % 5],
                    "pekerjaan_korban": OCCUPATION[i % 5],
                    "disabilitas_korban": "fisik" if i == 7 else "",
                    "jenis_kekerasan": VIOLENCE[i % 6],
                    "hubungan_pelaku": RELATIONSHIP[i % 6],
                    "jenis_kelamin_pelaku": "laki_laki",
                    "tindak_pidana_tpks": "pelecehan_fisik" if VIOLENCE[i % 6] == "seksual" else "",
                    "jenis_gbvims": GBVIMS[VIOLENCE[i % 6].split(";")[0]],
                }
            )
    return rows


def to_csv(rows, header=COLUMN_NAMES, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header] if isinstance(row, dict) else row)
    return out.getvalue().encode("utf-8")


def to_xlsx(rows, header=COLUMN_NAMES, excel_dates=True):
    """An .xlsx whose incident dates are real Excel date cells (the third accepted date form)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(list(header))
    for row in rows:
        if isinstance(row, dict):
            cells = [row.get(name, "") for name in header]
            if excel_dates and row.get("tanggal_kejadian"):
                cells[header.index("tanggal_kejadian")] = dt.date.fromisoformat(row["tanggal_kejadian"])
        else:
            cells = list(row)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
