"""Code lists for organisations and users (DOMAIN.md §1, §2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SERVICE_UNIT = "unit", _("Service unit")
    PARTNER = "mitra", _("Partner agency")


class UnitLevel(models.TextChoices):
    KAB_KOTA = "kab_kota", _("Regency/city")
    PROVINSI = "provinsi", _("Province")
    PUSAT = "pusat", _("National")


class AgencyType(models.TextChoices):
    DINAS_PPA = "dinas_ppa", _("Women & child protection office (DP3AP2KB)")
    UPTD_PPA = "uptd_ppa", _("UPTD PPA")
    P2TP2A = "p2tp2a", _("P2TP2A")
    KEPOLISIAN = "kepolisian", _("Police (Unit PPA)")
    KEJAKSAAN = "kejaksaan", _("Prosecutor's office")
    PENGADILAN = "pengadilan", _("Court (PN/PA)")
    RUMAH_SAKIT = "rumah_sakit", _("Hospital")
    PUSKESMAS = "puskesmas", _("Community health centre")
    DINAS_SOSIAL = "dinas_sosial", _("Social affairs office")
    DINAS_PENDIDIKAN = "dinas_pendidikan", _("Education office")
    KEMENAG = "kemenag", _("Religious affairs office")
    BAPAS = "bapas", _("Correctional centre (Bapas)")
    LPSK = "lpsk", _("Witness and victim protection agency (LPSK)")
    LBH_ADVOKAT = "lbh_advokat", _("Legal aid / advocate")
    LSM_LPLBM = "lsm_lplbm", _("NGO / community service provider")
    LEMBAGA_AGAMA_ADAT = "lembaga_agama_adat", _("Religious or customary institution")
    KELURAHAN = "kelurahan", _("Village office")
    LAINNYA = "lainnya", _("Other")


class ServiceCategory(models.TextChoices):
    """The eight SIMFONI-PPA service categories a victim receives (DOMAIN.md §2)."""

    PENGADUAN = "pengaduan", _("Complaint handling")
    KESEHATAN = "kesehatan", _("Health")
    BANTUAN_HUKUM = "bantuan_hukum", _("Legal aid")
    PENEGAKAN_HUKUM = "penegakan_hukum", _("Law enforcement")
    REHABILITASI_SOSIAL = "rehabilitasi_sosial", _("Social rehabilitation")
    REINTEGRASI_SOSIAL = "reintegrasi_sosial", _("Social reintegration")
    PEMULANGAN = "pemulangan", _("Repatriation")
    PENDAMPINGAN_TOKOH_AGAMA = "pendampingan_tokoh_agama", _("Religious-leader accompaniment")


class Role(models.TextChoices):
    """One role per user, within their organisation. Rights: docs/access-control.md."""

    ADMIN_SISTEM = "admin_sistem", _("System administrator")
    KEPALA_UPTD = "kepala_uptd", _("Head of unit")
    PETUGAS_PENGADUAN = "petugas_pengaduan", _("Intake officer")
    PENDAMPING = "pendamping", _("Case worker")
    PSIKOLOG = "psikolog", _("Psychologist")
    PENGELOLA_DATA = "pengelola_data", _("Data officer")
    PIMPINAN = "pimpinan", _("Leadership")
    MITRA = "mitra", _("Partner agency focal point")
    AUDITOR = "auditor", _("Auditor")


#: Roles that work inside a service unit (everything but the partner's focal point).
UNIT_ROLES = frozenset(Role.values) - {Role.MITRA}
