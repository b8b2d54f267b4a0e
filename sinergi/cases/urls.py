from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("akses-darurat/", views.case_break_glass_view, name="break_glass"),
    path("<str:public_id>/", views.case_detail, name="detail"),
]
