"""Permission-matrix rows of the referral, transfer, incoming-referral and partner-directory routes,
merged by workspace/tests/matrix_table.py (where the rows of referrals:inbox and
referrals:detail stay).

The matrix world's `referral` is a sent referral of the unit case to `mitra`'s agency (Polres);
`mitra_lain` belongs to an agency without one. The partner's access is checked before (draft),
during (sent, accepted) and after (closed within and past the grace period, revoked) a referral.
"""

import datetime as dt

from django.utils import timezone

from sinergi.accounts.models import OrganisationContact
from sinergi.cases.models import Consent
from sinergi.referrals.models import CaseTransfer, IncomingReferral, Referral
from sinergi.testing.matrix import (
    KEPALAS,
    Guarded,
    Row,
    _fresh,
    _post_only,
    _unit_case_id,
    _url,
    statuses,
)

TEAM = "kepala pendamping"  # referral.send on the unit case: its kepala and its lead worker
DIRECTORY_READERS = (
    "admin kepala petugas pendamping pendamping_lain psikolog kepala_provinsi kepala_luar orang_luar"
)
INTAKE = "kepala petugas"


def world_extras(w):
    draft = Referral.objects.create(
        case=w.unit_case,
        victim=w.unit_case_victim,
        from_unit=w.orgs.unit,
        to_agency=w.orgs.partner,
        services=["penegakan_hukum"],
        shared_sections=["identitas"],
        created_by=w.pendamping,
    )
    transfer = CaseTransfer.objects.create(
        case=w.unit_case,
        from_unit=w.orgs.unit,
        to_unit=w.orgs.province,
        reason="Kasus lintas kabupaten/kota; dilimpahkan ke provinsi.",
        requested_by=w.kepala,
        requested_at=timezone.now(),
        old_registration_number=w.unit_case.registration_number,
    )
    incoming = IncomingReferral.objects.create(
        from_agency=w.orgs.other_partner,
        to_unit=w.orgs.unit,
        summary="Anak dengan luka memar datang ke IGD.",
        victim_name="Anak Rujukan Matriks",
        victim_age=9,
        consent_basis="vital_interests",
        sent_by=w.mitra_lain,
        sent_at=timezone.now(),
    )
    contact = OrganisationContact.objects.create(organisation=w.orgs.partner, name="Kontak Matriks")
    return {"draft_referral": draft, "transfer": transfer, "incoming": incoming, "partner_contact": contact}


def _ref_id(w):
    return w.referral.public_id


def _set_referral(status, closed_days_ago=None):
    def prepare(w):
        closed = timezone.now() - dt.timedelta(days=closed_days_ago) if closed_days_ago is not None else None
        Referral.objects.filter(pk=w.referral.pk).update(status=status, closed_at=closed)

    return prepare


def _referral_status(w):
    return _fresh(w.referral).status


# --- the partner's moves ----------------------------------------------------------------------------


def _partner_move(name, data, became, *, ready=None):
    """A POST-only partner move on the world's referral: only `mitra` makes it, everyone else gets
    the 404 of a referral they cannot see; after the grace period `mitra` too."""
    return Guarded(
        permission="referral.inbox",
        rows=(
            _post_only(name, _ref_id),
            Row(
                url=_url(name, _ref_id),
                method="post",
                data=lambda w: data,
                prepare=ready,
                expect=statuses({302: "mitra"}, default=404),
                effect=lambda w: _referral_status(w) == became,
                denied="referral.view",
                denied_case=lambda w: w.unit_case,
            ),
            Row(
                variant="closed-past-grace",
                url=_url(name, _ref_id),
                method="post",
                data=lambda w: data,
                prepare=_set_referral("selesai", closed_days_ago=30),
                expect=statuses(default=404),
                effect=lambda w: _referral_status(w) == became and became != "selesai",
                effect_for=frozenset(),
                denied="referral.view",
            ),
            Row(
                variant="revoked",
                url=_url(name, _ref_id),
                method="post",
                data=lambda w: data,
                prepare=_set_referral("dibatalkan", closed_days_ago=0),
                expect=statuses(default=404),
                denied="referral.view",
            ),
        ),
    )


# --- the case team's pages --------------------------------------------------------------------------


def _case_page(name, *extra, who=TEAM):
    return Guarded(
        permission="referral.send",
        rows=(
            Row(
                url=_url(name, _unit_case_id, *extra),
                expect=statuses({200: who}, default=404),
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    )


def _case_post(name, ref, data, effect, *, prepare=None):
    return Guarded(
        permission="referral.send",
        rows=(
            _post_only(name, _unit_case_id, ref),
            Row(
                url=_url(name, _unit_case_id, ref),
                method="post",
                data=lambda w: data,
                prepare=prepare,
                expect=statuses({302: TEAM}, default=404),
                effect=effect,
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    )


def _consented(w):
    Consent.objects.create(
        case=w.unit_case,
        victim=w.unit_case_victim,
        purpose="rujukan",
        referral=w.draft_referral,
        lawful_basis="consent",
        given_by="korban",
        given_at=timezone.now(),
        recorded_by=w.pendamping,
    )


def _draft_id(w):
    return w.draft_referral.public_id


def _transfer_id(w):
    return w.transfer.public_id


def _incoming_id(w):
    return w.incoming.public_id


def _transfer_post(name, data, who, became):
    return Guarded(
        permission="case.transfer",
        rows=(
            _post_only(name, _transfer_id),
            Row(
                url=_url(name, _transfer_id),
                method="post",
                data=lambda w: data,
                # 302 the head who decides; 200 the other head (the page says it is not theirs).
                expect=statuses({302: who, 200: ({"kepala", "kepala_provinsi"} - {who}).pop()}, default=404),
                effect=lambda w: _fresh(w.transfer).status == became,
                effect_for=frozenset({who}),
                denied="transfer.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    )


def _incoming_post(name, data, became):
    return Guarded(
        permission="referral.intake",
        rows=(
            _post_only(name, _incoming_id),
            Row(
                url=_url(name, _incoming_id),
                method="post",
                data=lambda w: data,
                expect=statuses({302: INTAKE}, default=404),
                effect=lambda w: _fresh(w.incoming).status == became,
                denied="incoming_referral.view",
            ),
        ),
    )


def _contact_post(name, *extra, data=None, effect=None):
    return Guarded(
        permission="partner.manage",
        rows=(
            _post_only(name, lambda w: w.orgs.partner.public_id, *extra),
            Row(
                url=_url(name, lambda w: w.orgs.partner.public_id, *extra),
                method="post",
                data=(lambda w: data) if data else None,
                # Only the kepala of the unit the agency works with; other heads find nothing.
                expect=statuses({302: "kepala", 404: "kepala_provinsi kepala_luar"}, default=403),
                effect=effect,
            ),
        ),
    )


ROUTES = {
    # The partner's side.
    "referrals:accept": _partner_move("referrals:accept", {}, "diterima"),
    "referrals:decline": _partner_move(
        "referrals:decline", {"decline-reason": "Bukan wilayah kami."}, "ditolak"
    ),
    "referrals:service": _partner_move(
        "referrals:service",
        {"service-service": "penegakan_hukum", "service-delivered_on": timezone.localdate().isoformat()},
        "dalam_layanan",
        ready=_set_referral("diterima"),
    ),
    "referrals:complete": _partner_move(
        "referrals:complete", {"complete-outcome": "terlayani"}, "selesai", ready=_set_referral("diterima")
    ),
    "referrals:refer_back": Guarded(
        permission="referral.incoming",
        rows=(
            Row(
                url=_url("referrals:refer_back", _ref_id),
                expect=statuses({200: "mitra"}, default=404),
                denied="referral.view",
                denied_case=lambda w: w.unit_case,
            ),
            Row(
                variant="closed-past-grace",
                url=_url("referrals:refer_back", _ref_id),
                prepare=_set_referral("selesai", closed_days_ago=30),
                expect=statuses(default=404),
                denied="referral.view",
            ),
        ),
    ),
    "referrals:document": Guarded(
        permission="referral.inbox",
        rows=(
            # Nothing was shared: no document id opens, for the partner either.
            Row(
                variant="unknown-id",
                url=_url("referrals:document", _ref_id, "BUKAN-DOKUMEN"),
                expect=statuses(default=404),
            ),
        ),
    ),
    # A case's referrals, for its team with referral.send and its kepala.
    "referrals:case_list": _case_page("referrals:case_list"),
    "referrals:case_create": _case_page("referrals:case_create"),
    "referrals:case_documents": _case_page("referrals:case_documents"),
    "referrals:case_detail": Guarded(
        permission="referral.send",
        rows=(
            Row(
                url=_url("referrals:case_detail", _unit_case_id, _ref_id),
                expect=statuses({200: TEAM}, default=404),
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
            Row(
                variant="referral-of-another-case",
                url=_url("referrals:case_detail", lambda w: w.restricted_case.public_id, _ref_id),
                expect=statuses(default=404),
                denied="case.view",
            ),
        ),
    ),
    "referrals:case_edit": _case_page("referrals:case_edit", _draft_id),
    "referrals:case_consent": _case_post(
        "referrals:case_consent",
        _draft_id,
        {"consent-lawful_basis": "consent", "consent-given_by": "korban"},
        lambda w: Consent.objects.filter(referral=w.draft_referral).exists(),
    ),
    "referrals:case_send": _case_post(
        "referrals:case_send",
        _draft_id,
        {},
        lambda w: _fresh(w.draft_referral).status == "terkirim",
        prepare=_consented,
    ),
    "referrals:case_revoke": _case_post(
        "referrals:case_revoke",
        _ref_id,
        {"revoke-reason": "Korban menarik persetujuan.", "confirm": "ya"},
        lambda w: _referral_status(w) == "dibatalkan",
    ),
    # Transfers between units: the heads of the two units.
    "referrals:transfer_list": Guarded(
        permission="case.transfer",
        rows=(
            Row(
                url=_url("referrals:transfer_list"),
                expect=statuses({200: KEPALAS}, default=403),
                shows=((lambda w: w.unit_case.pseudonym, "kepala kepala_provinsi"),),
            ),
        ),
    ),
    "referrals:transfer_request": Guarded(
        permission="case.transfer",
        rows=(
            Row(
                url=_url("referrals:transfer_request", _unit_case_id),
                expect=statuses({200: "kepala"}, default=404),
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    ),
    "referrals:transfer_detail": Guarded(
        permission="case.transfer",
        rows=(
            Row(
                url=_url("referrals:transfer_detail", _transfer_id),
                expect=statuses({200: "kepala kepala_provinsi"}, default=404),
                denied="transfer.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    ),
    "referrals:transfer_accept": _transfer_post(
        "referrals:transfer_accept", {}, "kepala_provinsi", "diterima"
    ),
    "referrals:transfer_reject": _transfer_post(
        "referrals:transfer_reject", {"note": "Bukan kewenangan provinsi."}, "kepala_provinsi", "ditolak"
    ),
    "referrals:transfer_cancel": _transfer_post("referrals:transfer_cancel", {}, "kepala", "dibatalkan"),
    # Incoming referrals: partners send, the unit's intake takes them in.
    "referrals:incoming_new": Guarded(
        permission="referral.incoming",
        rows=(
            Row(url=_url("referrals:incoming_new"), expect=statuses({200: "mitra mitra_lain"}, default=403)),
        ),
    ),
    "referrals:incoming_list": Guarded(
        permission="referral.intake",
        rows=(
            Row(
                url=_url("referrals:incoming_list"),
                expect=statuses({200: INTAKE + " kepala_provinsi kepala_luar"}, default=403),
                shows=((lambda w: w.orgs.other_partner.name, INTAKE),),
            ),
        ),
    ),
    "referrals:incoming_detail": Guarded(
        permission="referral.intake",
        rows=(
            Row(
                url=_url("referrals:incoming_detail", _incoming_id),
                expect=statuses({200: INTAKE}, default=404),
                shows=(("Anak Rujukan Matriks", INTAKE),),
                denied="incoming_referral.view",
            ),
        ),
    ),
    "referrals:incoming_register": _incoming_post("referrals:incoming_register", {}, "diterima"),
    "referrals:incoming_decline": _incoming_post(
        "referrals:incoming_decline", {"reason": "Sudah ditangani unit lain."}, "ditolak"
    ),
    # The sender's follow-up list: the unit's referrals for its kepala, the team's for its worker.
    "referrals:outgoing": Guarded(
        permission="referral.send",
        rows=(
            Row(
                url=_url("referrals:outgoing"),
                expect=statuses(
                    {200: "kepala pendamping pendamping_lain kepala_provinsi kepala_luar orang_luar"},
                    default=403,
                ),
                shows=((lambda w: w.unit_case.pseudonym, TEAM),),
            ),
        ),
    ),
    # The partner directory (unit staff) and its upkeep (the unit's kepala).
    "referrals:directory": Guarded(
        permission="partner.directory",
        rows=(
            Row(
                url=_url("referrals:directory"),
                expect=statuses({200: DIRECTORY_READERS}, default=403),
                shows=((lambda w: w.orgs.partner.name, DIRECTORY_READERS),),
            ),
        ),
    ),
    "referrals:partner_detail": Guarded(
        permission="partner.directory",
        rows=(
            Row(
                url=_url("referrals:partner_detail", lambda w: w.orgs.partner.public_id),
                expect=statuses({200: DIRECTORY_READERS}, default=404),
                shows=(("Kontak Matriks", DIRECTORY_READERS),),
                denied="organisation.view",
            ),
            # The directory lists partner agencies only: a service unit's id is not a partner page.
            Row(
                variant="a-service-unit",
                url=_url("referrals:partner_detail", lambda w: w.orgs.other_unit.public_id),
                expect=statuses(default=404),
                denied="organisation.view",
            ),
        ),
    ),
    "referrals:contact_add": _contact_post(
        "referrals:contact_add",
        data={"name": "Kontak Baru Matriks"},
        effect=lambda w: OrganisationContact.objects.filter(name="Kontak Baru Matriks").exists(),
    ),
    "referrals:contact_remove": _contact_post(
        "referrals:contact_remove",
        lambda w: w.partner_contact.pk,
        effect=lambda w: not OrganisationContact.objects.filter(pk=w.partner_contact.pk).exists(),
    ),
    "referrals:pathways": Guarded(
        permission="partner.manage",
        rows=(Row(url=_url("referrals:pathways"), expect=statuses({200: KEPALAS}, default=403)),),
    ),
}
