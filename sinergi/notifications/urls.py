from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("tandai-dibaca/", views.notification_mark_all_read, name="mark_all_read"),
]
