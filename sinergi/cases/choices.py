"""Code lists for cases (DOMAIN.md §3, §4, §5, §8, §9).

Codes are the ones in DOMAIN.md; labels are English msgids, Indonesian comes from the
translation catalogue. A trailing comment gives the Indonesian label where DOMAIN.md has one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Shared with the clock engine and every context below cases.
from sinergi.core.choices import CaseStatus, RiskLevel  # noqa: F401


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Lead case worker")
    MEMBER = "member", _("Team member")
    PSIKOLOG = "psikolog", _("Psychologist")  # Psikolog
    PARALEGAL = "paralegal", _("Paralegal")  # Paralegal
    ADVOKAT = "advokat", _("Advocate")  # Advokat
    PEKERJA_SOSIAL = "pekerja_sosial", _("Social worker")  # Pekerja sosial


# --- Intake (DOMAIN.md §3) -------------------------------------------------------------------


class Channel(models.TextChoices):
    """How the complaint reached the unit [practice]."""

    DATANG_LANGSUNG = "datang_langsung", _("Walk-in")  # Datang langsung
    TELEPON = "telepon", _("Phone / hotline")  # Telepon
    WHATSAPP = "whatsapp", _("WhatsApp")
    SURAT_EMAIL = "surat_email", _("Letter / e-mail")  # Surat / e-mail
    PIHAK_LAIN = "pihak_lain", _("Third-party report")  # Laporan pihak lain
    PENJANGKAUAN = "penjangkauan", _("Outreach finding")  # Penjangkauan
    RUJUKAN = "rujukan", _("Referral in")  # Rujukan
    PELIMPAHAN = "pelimpahan", _("Transfer in")  # Pelimpahan
    SAPA129 = "sapa129", _("National hotline SAPA 129")  # SAPA 129
    DARING = "daring", _("Public web form")  # Daring


class CaseType(models.TextChoices):
    """Screening at intake: which protection track the case follows."""

    KTP = "ktp", _("Violence against women")  # Kekerasan terhadap Perempuan
    AMPK = "ampk", _("Child needing special protection")  # Anak Memerlukan Perlindungan Khusus


class Jurisdiction(models.TextChoices):
    """Which level handles the case (UU TPKS Ps 74)."""

    KAB_KOTA = "kab_kota", _("Regency/city")  # Kabupaten/kota
    PROVINSI = "provinsi", _("Province")  # Provinsi
    PUSAT = "pusat", _("National")  # Pusat (KemenPPPA)


class ReporterKind(models.TextChoices):
    """Who reported (pelapor); anyone may report (UU TPKS Ps 39)."""

    KORBAN_SENDIRI = "korban_sendiri", _("The victim")  # Korban sendiri
    KELUARGA = "keluarga", _("Family")  # Keluarga
    TETANGGA = "tetangga", _("Neighbour")  # Tetangga
    GURU = "guru", _("Teacher")  # Guru
    TENAGA_KESEHATAN = "tenaga_kesehatan", _("Health worker")  # Tenaga kesehatan
    PETUGAS = "petugas", _("Officer")  # Petugas
    LAINNYA = "lainnya", _("Other")  # Lainnya
    ANONIM = "anonim", _("Anonymous")  # Anonim


# --- Persons (DOMAIN.md §4) ------------------------------------------------------------------


class Sex(models.TextChoices):
    PEREMPUAN = "perempuan", _("Female")  # Perempuan
    LAKI_LAKI = "laki_laki", _("Male")  # Laki-laki


class Education(models.TextChoices):
    """Highest education (SIMFONI)."""

    TIDAK_SEKOLAH = "tidak_sekolah", _("No schooling")  # Tidak sekolah
    PAUD_TK = "paud_tk", _("Early childhood / kindergarten")  # PAUD/TK
    SD = "sd", _("Primary school")  # SD
    SLTP = "sltp", _("Junior secondary school")  # SLTP
    SLTA = "slta", _("Senior secondary school")  # SLTA
    PERGURUAN_TINGGI = "perguruan_tinggi", _("Higher education")  # Perguruan tinggi
    TIDAK_DIKETAHUI = "tidak_diketahui", _("Unknown")  # Tidak diketahui


class Occupation(models.TextChoices):
    """Occupation (SIMFONI)."""

    PELAJAR = "pelajar", _("Student")  # Pelajar
    IBU_RUMAH_TANGGA = "ibu_rumah_tangga", _("Housewife")  # Ibu rumah tangga
    TIDAK_BEKERJA = "tidak_bekerja", _("Not working")  # Tidak bekerja
    SWASTA_BURUH = "swasta_buruh", _("Private sector / labourer")  # Swasta/buruh
    PNS_TNI_POLRI = "pns_tni_polri", _("Civil servant / military / police")  # PNS/TNI/Polri
    PEDAGANG_TANI_NELAYAN = "pedagang_tani_nelayan", _("Trader / farmer / fisher")  # Pedagang/tani/nelayan
    BEKERJA_LAINNYA = "bekerja_lainnya", _("Other work")  # Bekerja lainnya
    TIDAK_DIKETAHUI = "tidak_diketahui", _("Unknown")  # Tidak diketahui


class MaritalStatus(models.TextChoices):
    """Marital status [proposal]; unregistered (siri) marriages are common and matter legally."""

    BELUM_KAWIN = "belum_kawin", _("Never married")  # Belum kawin
    KAWIN_TERCATAT = "kawin_tercatat", _("Married (registered)")  # Kawin tercatat
    KAWIN_TIDAK_TERCATAT = "kawin_tidak_tercatat", _("Married (unregistered)")  # Kawin tidak tercatat
    CERAI_HIDUP = "cerai_hidup", _("Divorced")  # Cerai hidup
    CERAI_MATI = "cerai_mati", _("Widowed")  # Cerai mati


class Religion(models.TextChoices):
    ISLAM = "islam", _("Islam")  # Islam
    KRISTEN = "kristen", _("Protestant Christianity")  # Kristen
    KATOLIK = "katolik", _("Catholicism")  # Katolik
    HINDU = "hindu", _("Hinduism")  # Hindu
    BUDDHA = "buddha", _("Buddhism")  # Buddha
    KONGHUCU = "konghucu", _("Confucianism")  # Konghucu
    KEPERCAYAAN = "kepercayaan", _("Indigenous belief")  # Penghayat Kepercayaan
    TIDAK_DIKETAHUI = "tidak_diketahui", _("Unknown")  # Tidak diketahui


class Nationality(models.TextChoices):
    WNI = "wni", _("Indonesian citizen")  # Warga negara Indonesia
    WNA = "wna", _("Foreign national")  # Warga negara asing


class DisabilityStatus(models.TextChoices):
    """Whether the person has a disability: yes, no, and (blank) not recorded are three answers."""

    YA = "ya", _("Yes")  # Ya
    TIDAK = "tidak", _("No")  # Tidak


class Disability(models.TextChoices):
    """Types of disability (PP 52/2019; UU 8/2016 Ps 4)."""

    FISIK = "fisik", _("Physical")  # Fisik
    INTELEKTUAL = "intelektual", _("Intellectual")  # Intelektual
    MENTAL = "mental", _("Mental")  # Mental
    SENSORIK_NETRA = "sensorik_netra", _("Sensory: visual")  # Sensorik netra
    SENSORIK_RUNGU = "sensorik_rungu", _("Sensory: hearing")  # Sensorik rungu
    SENSORIK_WICARA = "sensorik_wicara", _("Sensory: speech")  # Sensorik wicara
    GANDA = "ganda", _("Multiple")  # Ganda / multi


class ViolenceType(models.TextChoices):
    """Victim-level violence types, multi-select (SIMFONI)."""

    FISIK = "fisik", _("Physical")  # Fisik
    PSIKIS = "psikis", _("Psychological")  # Psikis
    SEKSUAL = "seksual", _("Sexual")  # Seksual
    EKSPLOITASI = "eksploitasi", _("Exploitation")  # Eksploitasi
    TRAFFICKING = "trafficking", _("Trafficking")  # Trafficking
    PENELANTARAN = "penelantaran", _("Neglect")  # Penelantaran
    LAINNYA = "lainnya", _("Other")  # Lainnya


class PlaceType(models.TextChoices):
    """Place of incident (SIMFONI)."""

    RUMAH_TANGGA = "rumah_tangga", _("Household")  # Rumah tangga
    TEMPAT_KERJA = "tempat_kerja", _("Workplace")  # Tempat kerja
    SEKOLAH = "sekolah", _("School")  # Sekolah
    LEMBAGA_PENDIDIKAN_KILAT = (
        "lembaga_pendidikan_kilat",
        _("Short-course institution"),
    )  # Lembaga pendidikan kilat
    FASILITAS_UMUM = "fasilitas_umum", _("Public facility")  # Fasilitas umum
    LAINNYA = "lainnya", _("Other")  # Lainnya


class Relationship(models.TextChoices):
    """Perpetrator's relationship to the victim (SIMFONI)."""

    ORANG_TUA = "orang_tua", _("Parent")  # Orang tua
    ORANG_TUA_TIRI = "orang_tua_tiri", _("Step-parent")  # Orang tua tiri (SIMFONI: orang_tua)
    ORANG_TUA_ASUH = "orang_tua_asuh", _("Foster parent")  # Orang tua asuh (SIMFONI: orang_tua)
    KELUARGA = "keluarga", _("Family / relative")  # Keluarga/saudara
    SUAMI_ISTRI = "suami_istri", _("Spouse")  # Suami/istri
    TETANGGA = "tetangga", _("Neighbour")  # Tetangga
    PACAR_TEMAN = "pacar_teman", _("Partner / friend")  # Pacar/teman
    GURU = "guru", _("Teacher")  # Guru
    MAJIKAN = "majikan", _("Employer")  # Majikan
    REKAN_KERJA = "rekan_kerja", _("Co-worker")  # Rekan kerja
    LAINNYA = "lainnya", _("Other")  # Lainnya
    TIDAK_DIKETAHUI = "tidak_diketahui", _("Unknown")  # Tidak diketahui


#: Relationships Sinergi records more finely than SIMFONI, and the SIMFONI code each is entered as:
#: a step-parent and a foster parent raise the child as a parent (UU 35/2014 Ps 1 angka 4 and 10),
#: so SIMFONI's "Orang tua". Every other code is a SIMFONI code itself.
SIMFONI_RELATIONSHIP: dict[str, str] = {
    Relationship.ORANG_TUA_TIRI: Relationship.ORANG_TUA,
    Relationship.ORANG_TUA_ASUH: Relationship.ORANG_TUA,
}

#: Relationships of an intimate partner (GBVIMS context "intimate partner violence"; a guardian
#: who is the perpetrator's spouse or partner cannot consent for the child).
PARTNER_RELATIONSHIPS = frozenset({Relationship.SUAMI_ISTRI, Relationship.PACAR_TEMAN})


class Frequency(models.TextChoices):
    SEKALI = "sekali", _("Once")  # Sekali
    BERULANG = "berulang", _("Repeated")  # Berulang


class AgeBand(models.TextChoices):
    """Age bands for statistics (SIMFONI); computed, see ``rules.age_band``."""

    AGE_0_5 = "0-5", _("0–5 years")
    AGE_6_12 = "6-12", _("6–12 years")
    AGE_13_17 = "13-17", _("13–17 years")
    AGE_18_24 = "18-24", _("18–24 years")
    AGE_25_44 = "25-44", _("25–44 years")
    AGE_45_59 = "45-59", _("45–59 years")
    AGE_60_PLUS = "60+", _("60 years and over")


class AgeGroupTold(models.TextChoices):
    """The age group a public report gave for the victim (the portal's choices), kept until an
    officer records the age; it decides child status while no age is known (DOMAIN.md §3, §4)."""

    CHILD_0_5 = "0-5", _("Small child (0–5 years)")
    CHILD_6_12 = "6-12", _("Child (6–12 years)")
    CHILD_13_17 = "13-17", _("Teenager (13–17 years)")
    ADULT = "18-59", _("Adult (18–59 years)")
    OLDER = "60+", _("Older person (60 years or more)")


#: Told age groups under 18.
CHILD_AGE_GROUPS_TOLD = frozenset({AgeGroupTold.CHILD_0_5, AgeGroupTold.CHILD_6_12, AgeGroupTold.CHILD_13_17})


class DatePrecision(models.TextChoices):
    """How precise an (incident or birth) date is; approximate dates are stored as the 1st."""

    DAY = "day", _("Exact day")  # Tanggal pasti
    MONTH = "month", _("Month only")  # Bulan saja
    YEAR = "year", _("Year only")  # Tahun saja


class PersonRole(models.TextChoices):
    KORBAN = "korban", _("Victim")  # Korban
    PELAKU = "pelaku", _("Perpetrator")  # Pelaku
    PELAPOR = "pelapor", _("Reporter")  # Pelapor
    # A parent or guardian who consents for a child victim (UU PDP Ps 25); not part of SIMFONI.
    WALI = "wali", _("Parent or guardian")  # Orang tua / wali


# --- Legal qualification (DOMAIN.md §5) ------------------------------------------------------


class TpksOffence(models.TextChoices):
    """Sexual violence crimes, UU 12/2022 TPKS Ps 4(1) and 4(2)."""

    # Ps 4(1)
    PELECEHAN_NONFISIK = (
        "pelecehan_nonfisik",
        _("Non-physical sexual harassment"),
    )  # Pelecehan seksual nonfisik
    PELECEHAN_FISIK = "pelecehan_fisik", _("Physical sexual harassment")  # Pelecehan seksual fisik
    PAKSA_KONTRASEPSI = "paksa_kontrasepsi", _("Forced contraception")  # Pemaksaan kontrasepsi
    PAKSA_STERILISASI = "paksa_sterilisasi", _("Forced sterilisation")  # Pemaksaan sterilisasi
    PAKSA_PERKAWINAN = "paksa_perkawinan", _("Forced marriage")  # Pemaksaan perkawinan
    PENYIKSAAN_SEKSUAL = "penyiksaan_seksual", _("Sexual torture")  # Penyiksaan seksual
    EKSPLOITASI_SEKSUAL = "eksploitasi_seksual", _("Sexual exploitation")  # Eksploitasi seksual
    PERBUDAKAN_SEKSUAL = "perbudakan_seksual", _("Sexual slavery")  # Perbudakan seksual
    KSBE = "ksbe", _("Electronic-based sexual violence")  # Kekerasan seksual berbasis elektronik
    # Ps 4(2)
    PERKOSAAN = "perkosaan", _("Rape")  # Perkosaan
    PERBUATAN_CABUL = "perbuatan_cabul", _("Indecent acts")  # Perbuatan cabul
    SEKSUAL_ANAK = (
        "seksual_anak",
        _("Sexual intercourse with, indecent acts against and/or sexual exploitation of a child"),
    )  # Persetubuhan/perbuatan cabul/eksploitasi seksual terhadap anak
    LANGGAR_KESUSILAAN = (
        "langgar_kesusilaan",
        _("Acts violating decency against the victim's will"),
    )  # Perbuatan melanggar kesusilaan yang bertentangan dengan kehendak korban
    PORNOGRAFI = (
        "pornografi",
        _("Pornography involving children or explicitly containing violence and sexual exploitation"),
    )  # Pornografi yang melibatkan anak / kekerasan dan eksploitasi seksual
    PAKSA_PELACURAN = "paksa_pelacuran", _("Forced prostitution")  # Pemaksaan pelacuran
    TPPO_SEKSUAL = "tppo_seksual", _("Trafficking for sexual exploitation")  # TPPO untuk eksploitasi seksual
    KS_RUMAH_TANGGA = (
        "ks_rumah_tangga",
        _("Sexual violence in the household"),
    )  # Kekerasan seksual dalam lingkup rumah tangga
    TPPU_TPKS = (
        "tppu_tpks",
        _("Money laundering with a sexual violence crime as predicate offence"),
    )  # TPPU dengan tindak pidana asal TPKS
    LAINNYA_TPKS = (
        "lainnya_tpks",
        _("Other crime expressly declared sexual violence by law"),
    )  # Tindak pidana lain yang dinyatakan sebagai TPKS


_PS_4_1 = (
    TpksOffence.PELECEHAN_NONFISIK,
    TpksOffence.PELECEHAN_FISIK,
    TpksOffence.PAKSA_KONTRASEPSI,
    TpksOffence.PAKSA_STERILISASI,
    TpksOffence.PAKSA_PERKAWINAN,
    TpksOffence.PENYIKSAAN_SEKSUAL,
    TpksOffence.EKSPLOITASI_SEKSUAL,
    TpksOffence.PERBUDAKAN_SEKSUAL,
    TpksOffence.KSBE,
)

#: The article of UU 12/2022 TPKS each offence falls under: "Ps 4(1)" or "Ps 4(2)".
TPKS_ARTICLE: dict[str, str] = {
    code: ("Ps 4(1)" if code in _PS_4_1 else "Ps 4(2)") for code in TpksOffence.values
}


class PkdrtType(models.TextChoices):
    """Domestic violence types, UU 23/2004 PKDRT Ps 5."""

    FISIK = "fisik", _("Physical violence")  # Kekerasan fisik
    PSIKIS = "psikis", _("Psychological violence")  # Kekerasan psikis
    SEKSUAL = "seksual", _("Sexual violence")  # Kekerasan seksual
    PENELANTARAN_RT = "penelantaran_rt", _("Household neglect")  # Penelantaran rumah tangga


class TppoProcess(models.TextChoices):
    """Trafficking screening: the process (proses), UU 21/2007 TPPO Ps 1(1)."""

    PEREKRUTAN = "perekrutan", _("Recruitment")  # Perekrutan
    PENGANGKUTAN = "pengangkutan", _("Transportation")  # Pengangkutan
    PENAMPUNGAN = "penampungan", _("Harbouring")  # Penampungan
    PENGIRIMAN = "pengiriman", _("Sending")  # Pengiriman
    PEMINDAHAN = "pemindahan", _("Transfer")  # Pemindahan
    PENERIMAAN = "penerimaan", _("Receipt")  # Penerimaan


class TppoMeans(models.TextChoices):
    """Trafficking screening: the means (cara), UU 21/2007 TPPO Ps 1(1)."""

    ANCAMAN_KEKERASAN = "ancaman_kekerasan", _("Threat of violence")  # Ancaman kekerasan
    PENGGUNAAN_KEKERASAN = "penggunaan_kekerasan", _("Use of force")  # Penggunaan kekerasan
    PENCULIKAN = "penculikan", _("Abduction")  # Penculikan
    PENYEKAPAN = "penyekapan", _("Confinement")  # Penyekapan
    PEMALSUAN = "pemalsuan", _("Forgery")  # Pemalsuan
    PENIPUAN = "penipuan", _("Deception")  # Penipuan
    PENYALAHGUNAAN_KEKUASAAN = "penyalahgunaan_kekuasaan", _("Abuse of power")  # Penyalahgunaan kekuasaan
    POSISI_RENTAN = "posisi_rentan", _("Abuse of a position of vulnerability")  # Posisi rentan
    JERATAN_UTANG = "jeratan_utang", _("Debt bondage")  # Jeratan utang
    PEMBERIAN_BAYARAN_MANFAAT = (
        "pemberian_bayaran_manfaat",
        _("Giving payments or benefits"),
    )  # Memberi bayaran atau manfaat


class TppoPurpose(models.TextChoices):
    """Trafficking screening: the purpose (tujuan, exploitation), UU 21/2007 TPPO Ps 1(7)."""

    PELACURAN_EKSPLOITASI_SEKSUAL = (
        "pelacuran_eksploitasi_seksual",
        _("Prostitution / sexual exploitation"),
    )  # Pelacuran / eksploitasi seksual
    KERJA_PAKSA = "kerja_paksa", _("Forced labour or services")  # Kerja atau pelayanan paksa
    PERBUDAKAN_PRAKTIK_SERUPA = (
        "perbudakan_praktik_serupa",
        _("Slavery or practices similar to slavery"),
    )  # Perbudakan atau praktik serupa perbudakan
    PENINDASAN_PEMERASAN = "penindasan_pemerasan", _("Oppression / extortion")  # Penindasan, pemerasan
    PEMANFAATAN_ORGAN_REPRODUKSI = (
        "pemanfaatan_organ_reproduksi",
        _("Exploitation of reproductive organs"),
    )  # Pemanfaatan organ reproduksi
    TRANSPLANTASI_ORGAN_JARINGAN = (
        "transplantasi_organ_jaringan",
        _("Removal or transplantation of organs / tissue"),
    )  # Transplantasi organ dan/atau jaringan tubuh
    PEMANFAATAN_TENAGA_LAINNYA = (
        "pemanfaatan_tenaga_lainnya",
        _("Other exploitation of labour or abilities"),
    )  # Pemanfaatan tenaga atau kemampuan lainnya


class TppoCategory(models.TextChoices):
    """The trafficking category SIMFONI-PPA counts (DOMAIN.md §5)."""

    EKSPLOITASI_SEKSUAL = "eksploitasi_seksual", _("Sexual exploitation")  # Eksploitasi seksual
    KERJA_PAKSA = "kerja_paksa", _("Forced labour / slavery")  # Kerja paksa / perbudakan
    ORGAN = "organ", _("Organs")  # Organ tubuh
    LAINNYA = "lainnya", _("Other")  # Lainnya


class AmpkCategory(models.TextChoices):
    """Child needing special protection (AMPK), UU 35/2014 Ps 59(2) letters a–o."""

    DARURAT = "darurat", _("Child in an emergency situation")  # (a) Anak dalam situasi darurat
    BERHADAPAN_HUKUM = (
        "berhadapan_hukum",
        _("Child in conflict with the law"),
    )  # (b) Anak yang berhadapan dengan hukum
    MINORITAS_TERISOLASI = (
        "minoritas_terisolasi",
        _("Child from a minority or isolated group"),
    )  # (c) Anak dari kelompok minoritas dan terisolasi
    EKSPLOITASI_EKONOMI_SEKSUAL = (
        "eksploitasi_ekonomi_seksual",
        _("Child exploited economically and/or sexually"),
    )  # (d) Anak yang dieksploitasi secara ekonomi dan/atau seksual
    NAPZA = (
        "napza",
        _("Child victim of narcotics, alcohol, psychotropics or other addictive substances"),
    )  # (e) Anak korban penyalahgunaan NAPZA
    PORNOGRAFI = "pornografi", _("Child victim of pornography")  # (f) Anak korban pornografi
    HIV_AIDS = "hiv_aids", _("Child with HIV/AIDS")  # (g) Anak dengan HIV/AIDS
    PENCULIKAN_PENJUALAN_PERDAGANGAN = (
        "penculikan_penjualan_perdagangan",
        _("Child victim of abduction, sale and/or trafficking"),
    )  # (h) Anak korban penculikan, penjualan, dan/atau perdagangan
    KEKERASAN_FISIK_PSIKIS = (
        "kekerasan_fisik_psikis",
        _("Child victim of physical and/or psychological violence"),
    )  # (i) Anak korban kekerasan fisik dan/atau psikis
    KEJAHATAN_SEKSUAL = (
        "kejahatan_seksual",
        _("Child victim of a sexual crime"),
    )  # (j) Anak korban kejahatan seksual
    JARINGAN_TERORISME = (
        "jaringan_terorisme",
        _("Child victim of terrorism networks"),
    )  # (k) Anak korban jaringan terorisme
    DISABILITAS = "disabilitas", _("Child with a disability")  # (l) Anak penyandang disabilitas
    PERLAKUAN_SALAH_PENELANTARAN = (
        "perlakuan_salah_penelantaran",
        _("Child victim of mistreatment and neglect"),
    )  # (m) Anak korban perlakuan salah dan penelantaran
    PERILAKU_SOSIAL_MENYIMPANG = (
        "perilaku_sosial_menyimpang",
        _("Child with deviant social behaviour"),
    )  # (n) Anak dengan perilaku sosial menyimpang
    STIGMATISASI_KONDISI_ORANG_TUA = (
        "stigmatisasi_kondisi_orang_tua",
        _("Child victim of stigma from their parents' condition"),
    )  # (o) Anak korban stigmatisasi dari pelabelan terkait kondisi orang tuanya


# --- International classification (DOMAIN.md §9) ---------------------------------------------


class GbvimsType(models.TextChoices):
    """Incident-level GBVIMS type; exactly one per incident, see ``rules.gbvims_type``."""

    RAPE = "rape", _("Rape")  # Perkosaan
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")  # Serangan seksual
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")  # Serangan fisik
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")  # Perkawinan paksa
    DENIAL_OF_RESOURCES = (
        "denial_of_resources",
        _("Denial of resources, opportunities or services"),
    )  # Penolakan sumber daya, kesempatan atau layanan
    PSYCHOLOGICAL_EMOTIONAL_ABUSE = (
        "psychological_emotional_abuse",
        _("Psychological / emotional abuse"),
    )  # Kekerasan psikologis/emosional
    NON_GBV = "non_gbv", _("Not gender-based violence")  # Bukan KBG


class GbvimsContext(models.TextChoices):
    """Case context of a GBVIMS incident, derived beside the type (never instead of it), see
    ``rules.gbvims_context``."""

    INTIMATE_PARTNER_VIOLENCE = "intimate_partner_violence", _("Intimate partner violence")  # KDP
    CHILD_SEXUAL_ABUSE = "child_sexual_abuse", _("Child sexual abuse")  # Kekerasan seksual terhadap anak
    EARLY_MARRIAGE = "early_marriage", _("Early marriage")  # Perkawinan anak
    SEXUAL_EXPLOITATION = (
        "sexual_exploitation",
        _("Possible sexual exploitation"),
    )  # Kemungkinan eksploitasi seksual
    SEXUAL_SLAVERY = "sexual_slavery", _("Possible sexual slavery")  # Kemungkinan perbudakan seksual
    HARMFUL_TRADITIONAL_PRACTICE = (
        "harmful_traditional_practice",
        _("Harmful traditional practice"),
    )  # Praktik tradisional berbahaya


# --- Privacy and documents (DOMAIN.md §8) ----------------------------------------------------


class ConsentPurpose(models.TextChoices):
    """Consent is recorded per purpose (UU 27/2022 PDP)."""

    LAYANAN = "layanan", _("Services")  # Layanan
    RUJUKAN = "rujukan", _("Referral")  # Rujukan
    STATISTIK = "statistik", _("Non-identifiable statistics")  # Statistik tanpa identitas


class LawfulBasis(models.TextChoices):
    """Lawful basis for processing, UU 27/2022 PDP Ps 20(2)."""

    CONSENT = "consent", _("Consent")  # Persetujuan
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")  # Kewajiban hukum
    VITAL_INTERESTS = "vital_interests", _("Vital interests")  # Kepentingan vital
    PUBLIC_TASK = "public_task", _("Public task")  # Tugas kepentingan umum


class ConsentGiver(models.TextChoices):
    """Who gave consent; never a guardian who is an alleged perpetrator (UU PDP Ps 25, TPKS Ps 27)."""

    KORBAN = "korban", _("The survivor")  # Korban
    WALI = "wali", _("Guardian")  # Wali / orang tua


class ChildAssent(models.TextChoices):
    """The child's own view when a guardian consents for her (UU PDP Ps 25; CRC art. 12)."""

    SETUJU = "setuju", _("The child agrees")  # Anak setuju
    TIDAK_SETUJU = "tidak_setuju", _("The child does not agree")  # Anak tidak setuju
    BELUM_MAMPU = "belum_mampu", _("Too young or not able to be asked")  # Belum mampu ditanya


class DocumentType(models.TextChoices):
    VISUM = "visum", _("Visum et repertum")  # Visum et repertum
    LAPORAN_POLISI = "laporan_polisi", _("Police report")  # Laporan polisi
    FOTO = "foto", _("Photo")  # Foto
    SURAT_PERNYATAAN = "surat_pernyataan", _("Signed statement")  # Surat pernyataan
    LAINNYA = "lainnya", _("Other")  # Lainnya


# --- Case management workflow (DOMAIN.md §6) -------------------------------------------------


class CaseStep(models.TextChoices):
    """The steps of case management, in order (Permen PPPA 2/2022 SOPs)."""

    PENERIMAAN = "penerimaan", _("Intake and registration")  # Penerimaan
    IDENTIFIKASI = "identifikasi", _("Screening")  # Identifikasi
    ASESMEN = "asesmen", _("Assessment")  # Asesmen
    RENCANA = "rencana", _("Intervention plan")  # Rencana intervensi
    INTERVENSI = "intervensi", _("Intervention")  # Intervensi
    MONEV = "monev", _("Monitoring and review")  # Monitoring dan evaluasi
    TERMINASI = "terminasi", _("Closure")  # Terminasi


class ContactMethod(models.TextChoices):
    """How the unit first reached the survivor (the first response, DOMAIN.md §7)."""

    TATAP_MUKA = "tatap_muka", _("In person at the unit")  # Tatap muka di kantor
    KUNJUNGAN = "kunjungan", _("Visit / outreach")  # Kunjungan / penjangkauan
    TELEPON = "telepon", _("Phone call")  # Telepon
    PESAN = "pesan", _("WhatsApp / message")  # WhatsApp / pesan


class StepCause(models.TextChoices):
    """What moved a case by itself: the work done, not a step button (workflow/advance.py)."""

    FIRST_CONTACT = "first_contact", _("First contact recorded")  # Kontak pertama dicatat
    ASSESSMENT = "assessment", _("Assessment completed")  # Asesmen selesai
    PLAN_APPROVED = "plan_approved", _("Plan approved")  # Rencana disetujui


class ClosureReason(models.TextChoices):
    KEBUTUHAN_TERPENUHI = "kebutuhan_terpenuhi", _("Needs met")  # Kebutuhan terpenuhi
    TIDAK_ADA_KONTAK = "tidak_ada_kontak", _("No contact for more than 30 days")  # Tidak ada kontak
    PERMINTAAN_KORBAN = "permintaan_korban", _("Survivor's request")  # Permintaan korban
    PINDAH_WILAYAH = "pindah_wilayah", _("Left the area")  # Pindah wilayah
    DIRUJUK_LEMBAGA_LAIN = "dirujuk_lembaga_lain", _("Transferred to another agency")  # Dirujuk
    KETERBATASAN_SUMBER_DAYA = "keterbatasan_sumber_daya", _("Resource constraints")  # Keterbatasan


class ApprovalKind(models.TextChoices):
    PLAN = "rencana", _("Intervention plan")  # Rencana intervensi
    CLOSURE = "penutupan", _("Closure")  # Penutupan kasus


class ApprovalStatus(models.TextChoices):
    PENDING = "menunggu", _("Waiting for a decision")  # Menunggu keputusan
    APPROVED = "disetujui", _("Approved")  # Disetujui
    RETURNED = "dikembalikan", _("Returned with comments")  # Dikembalikan
    WITHDRAWN = "ditarik", _("Withdrawn")  # Ditarik


class PlanStatus(models.TextChoices):
    DRAFT = "draf", _("Draft")  # Draf
    SUBMITTED = "diajukan", _("Submitted for approval")  # Diajukan
    APPROVED = "disetujui", _("Approved")  # Disetujui
    RETURNED = "dikembalikan", _("Returned with comments")  # Dikembalikan
    SUPERSEDED = "diganti", _("Replaced by a newer plan")  # Diganti
