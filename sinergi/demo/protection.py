"""Demo protection for the high-risk demo case: a PKDRT police protection that has ended, the
court protection order that followed it, and the survivor's safety plan — written through the
services staff use. Every text is invented."""

import datetime as dt

from django.utils import timezone

from sinergi.cases.choices import RiskLevel
from sinergi.cases.workflow import protection


def demo_protection(case, actor):
    if case.risk != RiskLevel.TINGGI:
        return
    victim = case.persons.filter(role="korban").order_by("id").first()
    if victim is None or victim.protection_measures.exists():
        return
    reported = timezone.localtime(case.reported_at)
    police = protection.protection_save(
        actor=actor,
        case=case,
        victim=victim,
        kind="polisi_pkdrt",
        status="diberikan",
        requested_at=reported + dt.timedelta(hours=1),
        issuer_name="Polres Payakumbuh Unit PPA",
        given_on=reported.date(),
        until=reported.date() + dt.timedelta(days=7),
        conditions="(Contoh demo.) Pelaku dilarang mendekati rumah korban.",
    )
    protection.protection_end(
        actor=actor,
        case=case,
        measure=police,
        ended_on=reported.date() + dt.timedelta(days=7),
        note="(Contoh demo.) Diganti perintah perlindungan pengadilan.",
    )
    protection.protection_save(
        actor=actor,
        case=case,
        victim=victim,
        kind="perintah_pengadilan",
        status="diberikan",
        requested_at=reported + dt.timedelta(days=2),
        issuer_name="Pengadilan Negeri Payakumbuh",
        given_on=reported.date() + dt.timedelta(days=8),
        until=reported.date() + dt.timedelta(days=8 + 180),
        conditions="(Contoh demo.) Pelaku dilarang menghubungi korban selama enam bulan.",
    )
    protection.safety_plan_save(
        actor=actor,
        case=case,
        victim=victim,
        risks="(Contoh demo.) Pelaku masih tinggal di kelurahan yang sama.",
        warning_signs="Pelaku terlihat di dekat rumah atau mengirim pesan.",
        safe_contacts="Kakak perempuan; pendamping UPTD PPA.",
        safe_places="Rumah kakak perempuan.",
        code_word="Hujan sore",
        take_when_leaving="KTP, KK, obat, ponsel dan pengisi daya.",
        review_on=timezone.localdate() + dt.timedelta(days=14),
        actions=[
            {"what": "Simpan nomor SAPA 129 dan pendamping", "who": "Korban", "when": "Hari ini"},
            {"what": "Kunjungan rumah", "who": "Pendamping", "when": "Setiap minggu"},
        ],
    )
