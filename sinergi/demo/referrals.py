"""Demo data of the referrals app, loaded by sinergi.demo.accounts.demo_data_load (idempotent)."""

from sinergi.accounts.choices import ServiceCategory as S
from sinergi.cases.models import CasePerson
from sinergi.referrals.models import Referral, ReferralPathway

#: service → partner keys of sinergi.demo.accounts.PARTNERS, first suggestion first.
PATHWAYS = {
    S.PENEGAKAN_HUKUM: ["polres", "kejari"],
    S.KESEHATAN: ["rsud", "puskesmas"],
    S.BANTUAN_HUKUM: ["lbh"],
    S.REHABILITASI_SOSIAL: ["dinsos", "lsm"],
    S.REINTEGRASI_SOSIAL: ["dinsos", "disdik"],
    S.PEMULANGAN: ["dinsos"],
    S.PENDAMPINGAN_TOKOH_AGAMA: ["kemenag"],
}


def demo_referrals_load(orgs):
    """The demo unit's referral pathways, and the victim and sending unit on the demo referrals."""

    unit = orgs["uptd"]
    for service, keys in PATHWAYS.items():
        for position, key in enumerate(keys, start=1):
            if key in orgs:
                ReferralPathway.objects.update_or_create(
                    unit=unit, service=service, agency=orgs[key], defaults={"position": position}
                )
    for referral in Referral.objects.filter(case__unit=unit, victim__isnull=True).select_related("case"):
        victim = CasePerson.objects.filter(case=referral.case, role="korban").order_by("id").first()
        Referral.objects.filter(pk=referral.pk).update(victim=victim, from_unit=unit)
