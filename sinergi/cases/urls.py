from django.urls import include, path

from . import views
from . import views_protection as prot
from . import views_review as review
from . import views_workflow as wf

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("baru/", views.case_register_view, name="register"),
    path("akses-darurat/", views.case_break_glass_view, name="break_glass"),
    path("tinjauan/", review.review_list, name="review_list"),
    path("<str:public_id>/", views.case_detail, name="detail"),
    path("<str:public_id>/kejadian/", views.case_edit_incident, name="edit_incident"),
    path("<str:public_id>/klasifikasi/", views.case_classify_view, name="classify"),
    path("<str:public_id>/klasifikasi/<str:person_id>/", views.victim_classify_view, name="classify_victim"),
    path(
        "<str:public_id>/klasifikasi/<str:person_id>/bukan-tpks/",
        review.not_tpks_propose_view,
        name="not_tpks_propose",
    ),
    path("<str:public_id>/bukan-tpks/<str:decision_id>/", review.not_tpks_view, name="not_tpks"),
    path("<str:public_id>/orang/tambah/<str:role>/", views.case_person_add, name="person_add"),
    path("<str:public_id>/orang/<str:person_id>/", views.case_person_edit, name="person_edit"),
    path(
        "<str:public_id>/orang/<str:person_id>/dewasa/",
        review.person_adult_review_view,
        name="person_adult_review",
    ),
    path("<str:public_id>/persetujuan/", views.case_consent_add, name="consent_add"),
    path("<str:public_id>/dokumen/", include("sinergi.cases.urls_documents")),
    # Case management workflow (sinergi.cases.views_workflow).
    path("<str:public_id>/langkah/", wf.case_move_view, name="move"),
    path("<str:public_id>/kontak-pertama/", wf.first_contact_view, name="first_contact"),
    path("<str:public_id>/tim/", wf.case_team_view, name="team"),
    path("<str:public_id>/asesmen/", wf.assessment_add, name="assessment_add"),
    path("<str:public_id>/asesmen/<str:assessment_id>/", wf.assessment_view, name="assessment"),
    path("<str:public_id>/rencana/", wf.plan_view, name="plan"),
    path("<str:public_id>/rencana/ajukan/", wf.plan_submit_view, name="plan_submit"),
    path("<str:public_id>/keputusan/<str:request_id>/", wf.approval_view, name="approval"),
    path("<str:public_id>/penutupan/", wf.closure_view, name="closure"),
    path("<str:public_id>/buka-kembali/", wf.reopen_view, name="reopen"),
    path("<str:public_id>/monev/", wf.monev_add, name="monev"),
    path("<str:public_id>/catatan/", wf.note_add_view, name="note_add"),
    path("<str:public_id>/perlindungan/", prot.protection_page, name="protection"),
    path("<str:public_id>/perlindungan/<str:person_id>/baru/", prot.protection_add, name="protection_add"),
    path(
        "<str:public_id>/perlindungan/<str:person_id>/ubah/<str:measure_id>/",
        prot.protection_add,
        name="protection_edit",
    ),
    path(
        "<str:public_id>/perlindungan/berakhir/<str:measure_id>/",
        prot.protection_end_view,
        name="protection_end",
    ),
    path(
        "<str:public_id>/perlindungan/<str:person_id>/pelanggaran/", prot.breach_add, name="protection_breach"
    ),
    path("<str:public_id>/rencana-keselamatan/<str:person_id>/", prot.safety_plan_edit, name="safety_plan"),
    path(
        "<str:public_id>/rencana-keselamatan/<str:person_id>/cetak/",
        prot.safety_plan_print,
        name="safety_plan_print",
    ),
]
