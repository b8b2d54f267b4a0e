from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [path("opsi/", views.region_options, name="options")]
