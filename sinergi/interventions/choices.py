"""Code lists for services delivered to victims (DOMAIN.md §2, §6, §7).

Codes are the ones in DOMAIN.md; labels are English msgids, Indonesian comes from the translation
catalogue. The eight SIMFONI-PPA service categories are `sinergi.accounts.choices.ServiceCategory`
(partner agencies offer the same categories); they are not repeated here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import ServiceCategory

__all__ = [
    "AccompanimentDestination",
    "AccompanyingOfficer",
    "Compliance",
    "LegalStage",
    "MediationKind",
    "MediationMatter",
    "MediationStatus",
    "RestitutionForm",
    "RestitutionStage",
    "ServiceCategory",
    "ServiceStatus",
    "ShelterCriterion",
    "UptdService",
]


class UptdService(models.TextChoices):
    """The six UPTD PPA services (Permen PPPA 4/2018, Permen PPPA 2/2022)."""

    PENGADUAN = "pengaduan", _("Public complaint intake")  # Pengaduan Masyarakat
    PENJANGKAUAN = "penjangkauan", _("Victim outreach")  # Penjangkauan Korban
    PENGELOLAAN_KASUS = "pengelolaan_kasus", _("Case management")  # Pengelolaan Kasus
    PENAMPUNGAN = "penampungan", _("Temporary shelter")  # Penampungan Sementara
    MEDIASI = "mediasi", _("Mediation")  # Mediasi
    PENDAMPINGAN = "pendampingan", _("Victim accompaniment")  # Pendampingan Korban


class ServiceStatus(models.TextChoices):
    """Status of one service for one victim (SIMFONI-PPA) [practice]."""

    DIRUJUK = "dirujuk", _("Referred")  # Dirujuk
    DIBERIKAN = "diberikan", _("Provided by us")  # Diberikan
    SUDAH_DITERIMA = "sudah_diterima", _("Already received elsewhere")  # Sudah diterima
    TIDAK_BERLAKU = "tidak_berlaku", _("Not applicable")  # Tidak berlaku
    DITOLAK_KORBAN = "ditolak_korban", _("Declined by the survivor")  # Ditolak korban
    TIDAK_TERSEDIA = "tidak_tersedia", _("Unavailable")  # Tidak tersedia


class ShelterCriterion(models.TextChoices):
    """Why a victim is sheltered (DOMAIN.md §7) [practice]."""

    NYAWA_TERANCAM = "nyawa_terancam", _("Life threatened")  # Nyawa terancam
    PELAKU_KEJAM = "pelaku_kejam", _("Violent perpetrator")  # Pelaku melakukan kekerasan berat
    SINDIKAT = "sindikat", _("Syndicate involved")  # Sindikat
    KORBAN_TPPO = "korban_tppo", _("Trafficking victim")  # Korban TPPO
    KDRT_SUAMI = "kdrt_suami", _("Domestic violence by the husband")  # KDRT oleh suami
    ANAK_TERLANTAR = "anak_terlantar", _("Abandoned child")  # Anak terlantar
    DISABILITAS = "disabilitas", _("Disability")  # Penyandang disabilitas
    ANCAMAN_KONFLIK = "ancaman_konflik", _("Threat of conflict")  # Ancaman konflik
    SAKSI_KORBAN = "saksi_korban", _("Victim-witness")  # Saksi korban


class MediationKind(models.TextChoices):
    MEDIASI = "mediasi", _("Mediation")  # Mediasi
    # UU 11/2012 SPPA: the only out-of-court settlement a TPKS case allows (UU TPKS Ps 23).
    DIVERSI = "diversi", _("Diversion (child perpetrator)")  # Diversi


class MediationMatter(models.TextChoices):
    """What may be mediated (DOMAIN.md §7) [practice]."""

    NAFKAH = "nafkah", _("Maintenance")  # Nafkah
    HAK_ASUH = "hak_asuh", _("Custody")  # Hak asuh anak
    HARTA_BERSAMA = "harta_bersama", _("Marital property")  # Harta bersama
    WARIS = "waris", _("Inheritance")  # Waris
    UPAH = "upah", _("Wages")  # Upah
    DELIK_ADUAN = "delik_aduan", _("Complaint-only offence the victim will not pursue")  # Delik aduan
    DIVERSI = "diversi", _("Juvenile case (diversion)")  # Perkara anak (diversi)
    LAINNYA = "lainnya", _("Other")  # Lainnya


class MediationStatus(models.TextChoices):
    BERJALAN = "berjalan", _("In progress")  # Berjalan
    SEPAKAT = "sepakat", _("Agreement reached")  # Sepakat
    TIDAK_SEPAKAT = "tidak_sepakat", _("No agreement")  # Tidak sepakat
    DIHENTIKAN = "dihentikan", _("Stopped")  # Dihentikan


class Compliance(models.TextChoices):
    """Follow-up of an agreement: does the other party keep it?"""

    DIPATUHI = "dipatuhi", _("Complied with")  # Dipatuhi
    SEBAGIAN = "sebagian", _("Partly complied with")  # Dipatuhi sebagian
    TIDAK_DIPATUHI = "tidak_dipatuhi", _("Not complied with")  # Tidak dipatuhi


class AccompanyingOfficer(models.TextChoices):
    """Who may accompany a victim (UU TPKS Ps 26)."""

    LPSK = "lpsk", _("LPSK officer")  # Petugas LPSK
    UPTD_PPA = "uptd_ppa", _("UPTD PPA officer")  # Petugas UPTD PPA
    TENAGA_KESEHATAN = "tenaga_kesehatan", _("Health worker")  # Tenaga kesehatan
    PSIKOLOG = "psikolog", _("Psychologist")  # Psikolog
    PEKERJA_SOSIAL = "pekerja_sosial", _("Social worker")  # Pekerja sosial
    TENAGA_KESEJAHTERAAN_SOSIAL = (
        "tenaga_kesejahteraan_sosial",
        _("Social welfare worker"),
    )  # Tenaga kesejahteraan sosial
    PSIKIATER = "psikiater", _("Psychiatrist")  # Psikiater
    ADVOKAT = "advokat", _("Advocate")  # Advokat
    PARALEGAL = "paralegal", _("Paralegal")  # Paralegal
    LPLBM = "lplbm", _("Community-based service provider")  # Petugas LPLBM
    PENDAMPING_LAIN = "pendamping_lain", _("Other companion")  # Pendamping lain


class AccompanimentDestination(models.TextChoices):
    """Where the victim was accompanied to [proposal]."""

    KEPOLISIAN = "kepolisian", _("Police")  # Kepolisian
    RUMAH_SAKIT = "rumah_sakit", _("Hospital")  # Rumah sakit
    PUSKESMAS = "puskesmas", _("Community health centre")  # Puskesmas
    KEJAKSAAN = "kejaksaan", _("Prosecutor's office")  # Kejaksaan
    PENGADILAN = "pengadilan", _("Court")  # Pengadilan
    LPSK = "lpsk", _("LPSK")  # LPSK
    DINAS_SOSIAL = "dinas_sosial", _("Social affairs office")  # Dinas Sosial
    SEKOLAH = "sekolah", _("School")  # Sekolah
    LAINNYA = "lainnya", _("Other")  # Lainnya


class LegalStage(models.TextChoices):
    """Criminal process per perpetrator (DOMAIN.md §6)."""

    LAPORAN_POLISI = "laporan_polisi", _("Police report")  # Laporan polisi
    PENYELIDIKAN = "penyelidikan", _("Preliminary investigation")  # Penyelidikan
    PENYIDIKAN = "penyidikan", _("Investigation")  # Penyidikan
    PENAHANAN = "penahanan", _("Detention")  # Penahanan
    PENUNTUTAN = "penuntutan", _("Prosecution")  # Penuntutan
    SIDANG_TINGKAT_1 = "sidang_tingkat_1", _("First-instance trial")  # Sidang tingkat pertama
    BANDING = "banding", _("Appeal")  # Banding
    KASASI = "kasasi", _("Cassation")  # Kasasi
    PUTUSAN = "putusan", _("Verdict")  # Putusan
    DIVERSI = "diversi", _("Diversion")  # Diversi


class RestitutionForm(models.TextChoices):
    """Forms of restitution, UU 12/2022 TPKS Ps 30(2)."""

    KEHILANGAN_KEKAYAAN = "kehilangan_kekayaan", _("Loss of property or income")  # Kehilangan kekayaan
    PENDERITAAN = "penderitaan", _("Suffering caused by the crime")  # Penderitaan
    BIAYA_MEDIS_PSIKOLOGIS = (
        "biaya_medis_psikologis",
        _("Medical and psychological treatment costs"),
    )  # Biaya perawatan medis dan/atau psikologis
    KERUGIAN_LAIN = "kerugian_lain", _("Other losses")  # Kerugian lain


class RestitutionStage(models.TextChoices):
    """Stages of a restitution claim (UU TPKS Ps 30–35)."""

    DIAJUKAN = "diajukan", _("Filed")  # Diajukan
    DINILAI_LPSK = "dinilai_lpsk", _("Assessed by LPSK")  # Dinilai LPSK
    DIPUTUS = "diputus", _("Decided by the court")  # Diputus
    DIBAYAR = "dibayar", _("Paid")  # Dibayar
    KOMPENSASI_DANA_BANTUAN_KORBAN = (
        "kompensasi_dana_bantuan_korban",
        _("Compensated from the Victim Assistance Fund"),
    )  # Kompensasi Dana Bantuan Korban


class RightsItem(models.TextChoices):
    """Rights explained to a victim (UU 12/2022 TPKS Ps 26, 30, 42–43, 66–70; Perpres 55/2024)."""

    RESTITUSI = "restitusi", _("Restitution")  # Restitusi
    PERLINDUNGAN = "perlindungan", _("Protection")  # Perlindungan
    PENDAMPINGAN = "pendampingan", _("Accompaniment")  # Pendampingan
    BANTUAN_HUKUM = "bantuan_hukum", _("Legal aid")  # Bantuan hukum
    KESEHATAN = "kesehatan", _("Health care")  # Layanan kesehatan
    TIDAK_DITANYA_RIWAYAT_SEKSUAL = (
        "tidak_ditanya_riwayat_seksual",
        _("Not to be questioned about her sexual history"),
    )  # Tidak ditanya riwayat seksual
    PENERJEMAH_DISABILITAS = (
        "penerjemah_disabilitas",
        _("Interpreter and disability support"),
    )  # Penerjemah dan pendamping disabilitas


class ExplanationMethod(models.TextChoices):
    """How the rights were explained."""

    LISAN = "lisan", _("Orally")  # Lisan
    TERTULIS = "tertulis", _("In writing")  # Tertulis
    LEAFLET = "leaflet", _("With the rights leaflet")  # Leaflet


#: The rights a court monitoring checks at a stage of the legal process, in the order shown.
COURT_RIGHTS = ("accompanied", "not_confronted", "closed_hearing_child", "restitution_asked")
