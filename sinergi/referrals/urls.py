from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<str:public_id>/", views.referral_detail, name="detail"),
]
