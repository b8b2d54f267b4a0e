from django.urls import path

from . import views, views_case, views_directory, views_incoming, views_transfer

app_name = "referrals"
# Included at the root: referrals live under rujukan/, transfers between units under pelimpahan/,
# and a case's own referral pages under kasus/<public_id>/rujukan/. The fixed rujukan/ words
# (masuk, mitra, jalur) come before rujukan/<public_id>/.
urlpatterns = [
    path("rujukan/", views.inbox, name="inbox"),
    # Incoming referrals (partner → unit) and the unit's intake of them.
    path("rujukan/masuk/", views_incoming.incoming_list, name="incoming_list"),
    path("rujukan/masuk/kirim/", views_incoming.incoming_new, name="incoming_new"),
    path("rujukan/masuk/<str:public_id>/", views_incoming.incoming_detail, name="incoming_detail"),
    path(
        "rujukan/masuk/<str:public_id>/terima/",
        views_incoming.incoming_register_view,
        name="incoming_register",
    ),
    path(
        "rujukan/masuk/<str:public_id>/tolak/", views_incoming.incoming_decline_view, name="incoming_decline"
    ),
    # The partner directory and the unit's referral pathways.
    path("rujukan/mitra/", views_directory.directory_list, name="directory"),
    path("rujukan/mitra/<str:public_id>/", views_directory.partner_detail, name="partner_detail"),
    path("rujukan/mitra/<str:public_id>/kontak/", views_directory.contact_add_view, name="contact_add"),
    path(
        "rujukan/mitra/<str:public_id>/kontak/<int:contact_id>/hapus/",
        views_directory.contact_remove_view,
        name="contact_remove",
    ),
    path("rujukan/jalur/", views_directory.pathway_edit, name="pathways"),
    path("rujukan/keluar/", views_case.outgoing, name="outgoing"),
    # A referral as the partner sees and answers it.
    path("rujukan/<str:public_id>/", views.referral_detail, name="detail"),
    path("rujukan/<str:public_id>/terima/", views.referral_accept_view, name="accept"),
    path("rujukan/<str:public_id>/tolak/", views.referral_decline_view, name="decline"),
    path("rujukan/<str:public_id>/layanan/", views.referral_service_view, name="service"),
    path("rujukan/<str:public_id>/selesai/", views.referral_complete_view, name="complete"),
    path("rujukan/<str:public_id>/rujuk-balik/", views.referral_back, name="refer_back"),
    path("rujukan/<str:public_id>/dokumen/<str:document_id>/", views.referral_document, name="document"),
    # A case's referrals, for its team and kepala.
    path("kasus/<str:public_id>/rujukan/", views_case.case_referrals, name="case_list"),
    path("kasus/<str:public_id>/rujukan/baru/", views_case.case_referral_create, name="case_create"),
    path(
        "kasus/<str:public_id>/rujukan/dokumen/", views_case.case_shareable_documents, name="case_documents"
    ),
    path(
        "kasus/<str:public_id>/rujukan/<str:referral_id>/",
        views_case.case_referral_detail,
        name="case_detail",
    ),
    path(
        "kasus/<str:public_id>/rujukan/<str:referral_id>/ubah/",
        views_case.case_referral_edit,
        name="case_edit",
    ),
    path(
        "kasus/<str:public_id>/rujukan/<str:referral_id>/persetujuan/",
        views_case.case_referral_consent,
        name="case_consent",
    ),
    path(
        "kasus/<str:public_id>/rujukan/<str:referral_id>/kirim/",
        views_case.case_referral_send,
        name="case_send",
    ),
    path(
        "kasus/<str:public_id>/rujukan/<str:referral_id>/batalkan/",
        views_case.case_referral_revoke,
        name="case_revoke",
    ),
    # Transfers between units.
    path("pelimpahan/", views_transfer.transfer_list, name="transfer_list"),
    path("pelimpahan/kasus/<str:public_id>/", views_transfer.transfer_request_view, name="transfer_request"),
    path("pelimpahan/<str:public_id>/", views_transfer.transfer_detail, name="transfer_detail"),
    path("pelimpahan/<str:public_id>/terima/", views_transfer.transfer_accept_view, name="transfer_accept"),
    path("pelimpahan/<str:public_id>/tolak/", views_transfer.transfer_reject_view, name="transfer_reject"),
    path("pelimpahan/<str:public_id>/batalkan/", views_transfer.transfer_cancel_view, name="transfer_cancel"),
]
