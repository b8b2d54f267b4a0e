from django.urls import path

from . import views

app_name = "referrals"
# Included at the root: referrals live under rujukan/, transfers between units under pelimpahan/,
# and a case's own referral pages under kasus/<public_id>/rujukan/.
urlpatterns = [
    path("rujukan/", views.inbox, name="inbox"),
    path("rujukan/<str:public_id>/", views.referral_detail, name="detail"),
]
