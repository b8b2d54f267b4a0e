from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("rapat/", views.meeting_list, name="meeting_list"),
    path("rapat/baru/", views.meeting_create, name="meeting_create"),
    path("rapat/<str:public_id>/", views.meeting_detail, name="meeting_detail"),
    path("rapat/<str:public_id>/ubah/", views.meeting_edit, name="meeting_edit"),
    path("rapat/<str:public_id>/agenda/", views.meeting_agenda_add, name="meeting_agenda_add"),
    path("rapat/<str:public_id>/kehadiran/", views.meeting_attendance, name="meeting_attendance"),
    path("rapat/<str:public_id>/notulen/", views.meeting_minutes, name="meeting_minutes"),
    path("rapat/<str:public_id>/keputusan/", views.meeting_decision_add, name="meeting_decision_add"),
    path("rapat/<str:public_id>/batal/", views.meeting_cancel, name="meeting_cancel"),
    path("tindak-lanjut/", views.action_item_board, name="action_item_board"),
    path("tindak-lanjut/baru/", views.action_item_create, name="action_item_create"),
    path("tindak-lanjut/<str:public_id>/", views.action_item_detail, name="action_item_detail"),
    path("tindak-lanjut/<str:public_id>/perbarui/", views.action_item_update, name="action_item_update"),
]
