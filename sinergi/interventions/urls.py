from django.urls import path

from . import views

app_name = "interventions"

_CASE = "kasus/<str:public_id>/layanan/"

urlpatterns = [
    path(_CASE, views.case_services, name="case"),
    path(_CASE + "baru/", views.service_add, name="service_add"),
    path(_CASE + "penampungan/masuk/", views.shelter_admit_view, name="shelter_admit"),
    path(_CASE + "penampungan/<str:stay_id>/keluar/", views.stay_discharge_view, name="stay_discharge"),
    path(_CASE + "penampungan/<str:stay_id>/perpanjang/", views.stay_extend_view, name="stay_extend"),
    path(_CASE + "mediasi/baru/", views.mediation_start_view, name="mediation_start"),
    path(_CASE + "mediasi/<str:mediation_id>/", views.mediation_detail, name="mediation"),
    path(_CASE + "pendampingan/baru/", views.accompaniment_add, name="accompaniment_add"),
    path(_CASE + "hukum/baru/", views.legal_stage_add, name="legal_stage_add"),
    path(_CASE + "restitusi/baru/", views.restitution_file_view, name="restitution_file"),
    path(
        _CASE + "restitusi/<str:restitution_id>/", views.restitution_advance_view, name="restitution_advance"
    ),
    path(_CASE + "hak/baru/", views.rights_record_view, name="rights_record"),
    path(_CASE + "hak/leaflet/", views.rights_leaflet, name="rights_leaflet"),
    path(_CASE + "hukum/<str:stage_id>/pemantauan/", views.court_monitoring_view, name="court_monitoring"),
    path(
        _CASE + "hukum/<str:stage_id>/pemantauan/selesai/",
        views.court_concern_resolve_view,
        name="court_concern_resolve",
    ),
    path("pemantauan-peradilan/", views.court_concerns, name="court_concerns"),
    path("penampungan/", views.shelter_board, name="shelter_board"),
    path("penampungan/baru/", views.shelter_create_view, name="shelter_create"),
    path("penampungan/<str:public_id>/", views.shelter_edit, name="shelter_edit"),
]
