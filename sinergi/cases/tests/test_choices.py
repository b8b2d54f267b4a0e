"""Choice lists carry exactly the codes of ../shared/DOMAIN.md (and the brief where DOMAIN.md is silent)."""

import pytest
from django.utils import translation
from django.utils.functional import Promise

from sinergi.cases import choices as c

# Expected codes, copied from DOMAIN.md (section in the comment) — in DOMAIN.md order.
EXPECTED = {
    # §3 Intake
    c.Channel: [
        "datang_langsung",
        "telepon",
        "whatsapp",
        "surat_email",
        "pihak_lain",
        "penjangkauan",
        "rujukan",
        "pelimpahan",
        "sapa129",
        "daring",
    ],
    c.CaseType: ["ktp", "ampk"],
    c.RiskLevel: ["tinggi", "sedang", "rendah"],
    c.Jurisdiction: ["kab_kota", "provinsi", "pusat"],
    c.ReporterKind: [
        "korban_sendiri",
        "keluarga",
        "tetangga",
        "guru",
        "tenaga_kesehatan",
        "petugas",
        "lainnya",
        "anonim",
    ],
    # §4 The case record
    c.Sex: ["perempuan", "laki_laki"],
    c.Nationality: ["wni", "wna"],
    c.DisabilityStatus: ["ya", "tidak"],
    c.ViolenceType: ["fisik", "psikis", "seksual", "eksploitasi", "trafficking", "penelantaran", "lainnya"],
    c.PlaceType: [
        "rumah_tangga",
        "tempat_kerja",
        "sekolah",
        "lembaga_pendidikan_kilat",
        "fasilitas_umum",
        "lainnya",
    ],
    c.TppoCategory: ["eksploitasi_seksual", "kerja_paksa", "organ", "lainnya"],
    c.Relationship: [
        "orang_tua",
        "orang_tua_tiri",
        "orang_tua_asuh",
        "keluarga",
        "suami_istri",
        "tetangga",
        "pacar_teman",
        "guru",
        "majikan",
        "rekan_kerja",
        "lainnya",
        "tidak_diketahui",
    ],
    c.Occupation: [
        "pelajar",
        "ibu_rumah_tangga",
        "tidak_bekerja",
        "swasta_buruh",
        "pns_tni_polri",
        "pedagang_tani_nelayan",
        "bekerja_lainnya",
        "tidak_diketahui",
    ],
    c.Education: ["tidak_sekolah", "paud_tk", "sd", "sltp", "slta", "perguruan_tinggi", "tidak_diketahui"],
    c.MaritalStatus: ["belum_kawin", "kawin_tercatat", "kawin_tidak_tercatat", "cerai_hidup", "cerai_mati"],
    c.Religion: [
        "islam",
        "kristen",
        "katolik",
        "hindu",
        "buddha",
        "konghucu",
        "kepercayaan",
        "tidak_diketahui",
    ],
    c.Disability: [
        "fisik",
        "intelektual",
        "mental",
        "sensorik_netra",
        "sensorik_rungu",
        "sensorik_wicara",
        "ganda",
    ],
    c.AgeBand: ["0-5", "6-12", "13-17", "18-24", "25-44", "45-59", "60+"],
    c.Frequency: ["sekali", "berulang"],
    c.AgeGroupTold: ["0-5", "6-12", "13-17", "18-59", "60+"],
    c.DatePrecision: ["day", "month", "year"],
    # + wali: the parent or guardian who consents for a child (§7), a person of the case.
    c.PersonRole: ["korban", "pelaku", "pelapor", "wali"],
    # §5 Legal qualification
    c.TpksOffence: [
        # Ps 4(1)
        "pelecehan_nonfisik",
        "pelecehan_fisik",
        "paksa_kontrasepsi",
        "paksa_sterilisasi",
        "paksa_perkawinan",
        "penyiksaan_seksual",
        "eksploitasi_seksual",
        "perbudakan_seksual",
        "ksbe",
        # Ps 4(2)
        "perkosaan",
        "perbuatan_cabul",
        "seksual_anak",
        "langgar_kesusilaan",
        "pornografi",
        "paksa_pelacuran",
        "tppo_seksual",
        "ks_rumah_tangga",
        "tppu_tpks",
        "lainnya_tpks",
    ],
    c.PkdrtType: ["fisik", "psikis", "seksual", "penelantaran_rt"],
    c.TppoProcess: ["perekrutan", "pengangkutan", "penampungan", "pengiriman", "pemindahan", "penerimaan"],
    c.TppoMeans: [
        "ancaman_kekerasan",
        "penggunaan_kekerasan",
        "penculikan",
        "penyekapan",
        "pemalsuan",
        "penipuan",
        "penyalahgunaan_kekuasaan",
        "posisi_rentan",
        "jeratan_utang",
        "pemberian_bayaran_manfaat",
    ],
    c.TppoPurpose: [
        "pelacuran_eksploitasi_seksual",
        "kerja_paksa",
        "perbudakan_praktik_serupa",
        "penindasan_pemerasan",
        "pemanfaatan_organ_reproduksi",
        "transplantasi_organ_jaringan",
        "pemanfaatan_tenaga_lainnya",
    ],
    # UU 35/2014 Ps 59(2) a–o, in the order of the law (codes: project convention).
    c.AmpkCategory: [
        "darurat",
        "berhadapan_hukum",
        "minoritas_terisolasi",
        "eksploitasi_ekonomi_seksual",
        "napza",
        "pornografi",
        "hiv_aids",
        "penculikan_penjualan_perdagangan",
        "kekerasan_fisik_psikis",
        "kejahatan_seksual",
        "jaringan_terorisme",
        "disabilitas",
        "perlakuan_salah_penelantaran",
        "perilaku_sosial_menyimpang",
        "stigmatisasi_kondisi_orang_tua",
    ],
    # §8 Privacy
    c.ConsentPurpose: ["layanan", "rujukan", "statistik"],
    c.LawfulBasis: ["consent", "legal_obligation", "vital_interests", "public_task"],
    c.ConsentGiver: ["korban", "wali"],
    c.ChildAssent: ["setuju", "tidak_setuju", "belum_mampu"],
    c.DocumentType: ["visum", "laporan_polisi", "foto", "surat_pernyataan", "lainnya"],
    # §9 GBVIMS
    c.GbvimsType: [
        "rape",
        "sexual_assault",
        "physical_assault",
        "forced_marriage",
        "denial_of_resources",
        "psychological_emotional_abuse",
        "non_gbv",
    ],
    c.GbvimsContext: [
        "intimate_partner_violence",
        "child_sexual_abuse",
        "early_marriage",
        "sexual_exploitation",
        "sexual_slavery",
        "harmful_traditional_practice",
    ],
    # Pre-existing lists, unchanged.
    c.CaseStatus: ["draft", "aktif", "ditutup"],
    c.TeamRole: ["lead", "member", "psikolog", "paralegal", "advokat", "pekerja_sosial"],
    # §6 Case management steps (sinergi.cases.workflow)
    c.CaseStep: ["penerimaan", "identifikasi", "asesmen", "rencana", "intervensi", "monev", "terminasi"],
    c.ContactMethod: ["tatap_muka", "kunjungan", "telepon", "pesan"],
    c.StepCause: ["first_contact", "assessment", "plan_approved"],
    c.ClosureReason: [
        "kebutuhan_terpenuhi",
        "tidak_ada_kontak",
        "permintaan_korban",
        "pindah_wilayah",
        "dirujuk_lembaga_lain",
        "keterbatasan_sumber_daya",
    ],
    c.ApprovalKind: ["rencana", "penutupan"],
    c.ApprovalStatus: ["menunggu", "disetujui", "dikembalikan", "ditarik"],
    c.PlanStatus: ["draf", "diajukan", "disetujui", "dikembalikan", "diganti"],
}


@pytest.mark.parametrize("choices", EXPECTED, ids=lambda cls: cls.__name__)
def test_codes_match_domain(choices):
    assert choices.values == EXPECTED[choices]


@pytest.mark.parametrize("choices", EXPECTED, ids=lambda cls: cls.__name__)
@translation.override("en")
def test_labels_are_lazy_english_msgids(choices):
    for member in choices:
        assert isinstance(member.label, Promise), member  # gettext_lazy, translated at render time
        label = str(member.label)
        assert label.strip()
        assert label != member.value or member.value in {"whatsapp"}, member
        assert label.replace("–", "-").isascii(), member


def test_every_choices_class_is_covered():
    from django.db import models

    defined = {
        obj
        for obj in vars(c).values()
        if isinstance(obj, type)
        and issubclass(obj, models.TextChoices)
        # Case status and risk live in sinergi.core.choices (the clock engine uses them) and are
        # re-exported here.
        and obj.__module__ in {c.__name__, "sinergi.core.choices"}
        and obj.__name__ != "HolidayKind"
    }
    assert defined == set(EXPECTED)


def test_tpks_article():
    assert set(c.TPKS_ARTICLE) == set(c.TpksOffence.values)
    ps41 = [code for code, art in c.TPKS_ARTICLE.items() if art == "Ps 4(1)"]
    ps42 = [code for code, art in c.TPKS_ARTICLE.items() if art == "Ps 4(2)"]
    assert ps41 == EXPECTED[c.TpksOffence][:9]
    assert ps42 == EXPECTED[c.TpksOffence][9:]


@translation.override("en")
def test_member_names_used_elsewhere():
    # Other modules refer to members by these names.
    assert c.DatePrecision.DAY == "day"
    assert c.TpksOffence.KSBE == "ksbe"
    assert c.AgeBand.AGE_60_PLUS == "60+"
    assert c.ReporterKind.KORBAN_SENDIRI.label == "The victim"
    assert c.ConsentGiver.KORBAN.label == "The survivor"
    assert c.ConsentPurpose.STATISTIK.label == "Non-identifiable statistics"
