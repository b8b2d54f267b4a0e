from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("kerja/papan/", views.board_view, name="board"),
    path("kerja/tenggat/<str:public_id>/perpanjang/", views.extend_view, name="extend"),
]
