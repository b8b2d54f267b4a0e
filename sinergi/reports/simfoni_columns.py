"""The columns of the SIMFONI-PPA export and the code list behind each coded column.

A row is first built as codes (sinergi.reports.simfoni.victim_values): the codes of DOMAIN.md,
stable across languages and releases, are what the fingerprint of a row is computed from
(`fingerprint`). The data sheet then shows each code by its Indonesian label (`Labeller`, with
Indonesian active whatever the requester's language: the file is for SIMFONI's data entry, in
Indonesian), and the "Kode" sheet lists every coded column's code → label pairs (`code_rows`).
Every column is documented in docs/simfoni-export.md, in this order (a test checks it).
"""

import hashlib
import json

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import ServiceCategory
from sinergi.cases.choices import (
    SIMFONI_RELATIONSHIP,
    AgeBand,
    CaseStatus,
    CaseType,
    Disability,
    Education,
    GbvimsType,
    MaritalStatus,
    Nationality,
    Occupation,
    PlaceType,
    Relationship,
    Religion,
    Sex,
    TppoCategory,
    ViolenceType,
)
from sinergi.interventions.choices import LegalStage, UptdService

LIST_SEPARATOR = "; "

#: How many perpetrators get columns of their own (`pelaku1_…` to `pelaku3_…`). SIMFONI's form
#: asks for each perpetrator; more than three in one case are rare, and their relationships are
#: still all in `hubungan_pelaku` and their number in `jumlah_pelaku`.
PERPETRATOR_SLOTS = 3

YES_NO = (("ya", _("Yes")), ("tidak", _("No")))


def _simfoni_relationships():
    """SIMFONI's relationship list: Sinergi's finer codes (step-, foster parent) are entered as
    the code SIMFONI has (choices.SIMFONI_RELATIONSHIP)."""
    return tuple((code, label) for code, label in Relationship.choices if code not in SIMFONI_RELATIONSHIP)


def _services():
    """The SIMFONI service categories, then the UPTD PPA services a category-less record names."""
    categories = tuple(ServiceCategory.choices)
    known = {code for code, _label in categories}
    return categories + tuple((c, label) for c, label in UptdService.choices if c not in known)


class EntryState:
    """Where a victim stands with SIMFONI-PPA (sinergi.reports.simfoni_entries)."""

    NEW = "baru"
    CHANGED = "berubah"
    ENTERED = "sudah"
    CHOICES = (
        (NEW, _("New: not entered yet")),
        (CHANGED, _("Changed since it was entered")),
        (ENTERED, _("Entered, unchanged")),
    )


#: Column name → its code list, or None for a column that holds a number, a code of its own
#: (the case code, the Kemendagri kecamatan code) or free text.
_VICTIM = (
    ("kode_kasus", None),
    ("kode_korban", None),
    ("unit", None),
    ("tahun_lapor", None),
    ("bulan_lapor", None),
    ("tahun_kejadian", None),
    ("bulan_kejadian", None),
    ("jenis_kasus", CaseType.choices),
    ("kecamatan_kode", None),
    ("kecamatan", None),
    ("tempat_kejadian", PlaceType.choices),
    ("jenis_kelamin", Sex.choices),
    ("kelompok_umur", AgeBand.choices),
    ("anak", YES_NO),
    ("pendidikan", Education.choices),
    ("pekerjaan", Occupation.choices),
    ("status_perkawinan", MaritalStatus.choices),
    ("agama", Religion.choices),
    ("kewarganegaraan", Nationality.choices),
    ("disabilitas", YES_NO),
    ("jenis_disabilitas", Disability.choices),
    ("kdrt", YES_NO),
    ("jenis_kekerasan", ViolenceType.choices),
    *((f"kekerasan_{code}", None) for code in ViolenceType.values),
    ("kategori_tppo", TppoCategory.choices),
    ("hubungan_pelaku", _simfoni_relationships()),
    ("jumlah_pelaku", None),
    ("layanan_diterima", _services()),
    ("layanan_rinci", None),
    ("tahap_hukum", LegalStage.choices),
    ("tpks", YES_NO),
    ("tppo", YES_NO),
    ("jenis_gbvims", GbvimsType.choices),
    ("status_kasus", CaseStatus.choices),
    ("historis", YES_NO),
)
_PERPETRATOR = (
    ("hubungan", _simfoni_relationships()),
    ("jenis_kelamin", Sex.choices),
    ("kelompok_umur", AgeBand.choices),
    ("pendidikan", Education.choices),
    ("pekerjaan", Occupation.choices),
    ("tahap_hukum", LegalStage.choices),
)
_ENTRY = (
    ("status_simfoni", EntryState.CHOICES),
    ("nomor_simfoni", None),
    ("tanggal_entri_simfoni", None),
)

CODE_LISTS = dict(
    _VICTIM
    + tuple(
        (f"pelaku{n}_{name}", codes) for n in range(1, PERPETRATOR_SLOTS + 1) for name, codes in _PERPETRATOR
    )
    + _ENTRY
)
#: The data sheet's columns, in file order.
COLUMNS = tuple(CODE_LISTS)
IDENTIFYING_COLUMNS = ("nomor_registrasi", "nama_korban", "nik_korban")
ENTRY_COLUMNS = tuple(name for name, _codes in _ENTRY)

#: Columns left out of the fingerprint: the victim's number within the case is positional, the
#: unit's and kecamatan's names are not the victim's data (their codes are), and the SIMFONI
#: columns are what the fingerprint is compared with.
_NOT_FINGERPRINTED = {"kode_korban", "unit", "kecamatan", *ENTRY_COLUMNS}
FINGERPRINT_COLUMNS = tuple(c for c in COLUMNS if c not in _NOT_FINGERPRINTED)
#: Bumped when a column's meaning changes, so that every entered victim is offered again.
FINGERPRINT_VERSION = "1"


def fingerprint(values):
    """SHA-256 of the row's codes (FINGERPRINT_COLUMNS): equal exactly when the values SIMFONI was
    given are equal. Lists are compared as sets; labels and languages play no part."""
    canonical = []
    for name in FINGERPRINT_COLUMNS:
        value = values.get(name, "")
        if isinstance(value, list | tuple | set | frozenset):
            value = sorted(str(v) for v in value)
        elif value is None:
            value = ""
        canonical.append(value if isinstance(value, list) else str(value))
    text = json.dumps([FINGERPRINT_VERSION, canonical], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Columns of (code, agency, year-month) triples, the code labelled from the named column's list.
DETAIL_COLUMNS = {"layanan_rinci": "layanan_diterima"}


class Labeller:
    """Codes → the Indonesian labels of the data sheet. Build it once per export (it renders every
    label up front, with Indonesian active)."""

    def __init__(self, language="id"):
        with translation.override(language):
            self.labels = {
                column: {code: str(label) for code, label in codes}
                for column, codes in CODE_LISTS.items()
                if codes is not None
            }
        self.order = {
            column: {code: i for i, code in enumerate(labels)} for column, labels in self.labels.items()
        }

    def cell(self, column, value):
        if column in DETAIL_COLUMNS:
            labels = self.labels[DETAIL_COLUMNS[column]]
            return LIST_SEPARATOR.join(
                f"{labels.get(code, code)} ({', '.join(p for p in (agency, month) if p)})"
                if agency or month
                else labels.get(code, code)
                for code, agency, month in value or ()
            )
        labels = self.labels.get(column)
        if labels is None:
            return "" if value is None else value
        if isinstance(value, list | tuple | set | frozenset):
            order = self.order[column]
            codes = sorted({v for v in value if v}, key=lambda c: (order.get(c, len(order)), c))
            return LIST_SEPARATOR.join(labels.get(c, c) for c in codes)
        # An unknown code (an old import, a list that changed) is shown as it is, never dropped.
        return labels.get(value, value) if value else ""

    def row(self, values):
        return [self.cell(column, values.get(column, "")) for column in COLUMNS]


def code_rows(language="id"):
    """The "Kode" sheet: a header, then (column, code, label) for every coded column."""
    labeller = Labeller(language)
    yield ["kolom", "kode", "label"]
    for column in COLUMNS:
        for code, label in labeller.labels.get(column, {}).items():
            yield [column, code, label]
