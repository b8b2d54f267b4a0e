from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("kerja/papan/", views.board_view, name="board"),
    path("kerja/aturan/", views.policy_view, name="policy"),
    path("kerja/tenggat/<str:public_id>/perpanjang/", views.extend_view, name="extend"),
]
