from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("kerja/aturan/", views.policy_view, name="policy"),
]
