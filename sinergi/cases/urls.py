from django.urls import include, path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("baru/", views.case_register_view, name="register"),
    path("akses-darurat/", views.case_break_glass_view, name="break_glass"),
    path("<str:public_id>/", views.case_detail, name="detail"),
    path("<str:public_id>/kejadian/", views.case_edit_incident, name="edit_incident"),
    path("<str:public_id>/klasifikasi/", views.case_classify_view, name="classify"),
    path("<str:public_id>/orang/tambah/<str:role>/", views.case_person_add, name="person_add"),
    path("<str:public_id>/orang/<str:person_id>/", views.case_person_edit, name="person_edit"),
    path("<str:public_id>/persetujuan/", views.case_consent_add, name="consent_add"),
    path("<str:public_id>/dokumen/", include("sinergi.cases.urls_documents")),
]
