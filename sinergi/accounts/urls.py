from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<str:public_id>/", views.user_detail, name="user_detail"),
    path("pengguna/<str:public_id>/ubah/", views.user_edit, name="user_edit"),
    path("pengguna/<str:public_id>/tautan-sandi/", views.user_password_link, name="user_password_link"),
    path("pengguna/<str:public_id>/nonaktifkan/", views.user_disable_view, name="user_disable"),
    path("pengguna/<str:public_id>/aktifkan/", views.user_enable_view, name="user_enable"),
    path("pengguna/<str:public_id>/reset-mfa/", views.user_mfa_reset, name="user_mfa_reset"),
    path(
        "pengguna/<str:public_id>/reset/<str:reset_id>/setujui/",
        views.user_reset_approve,
        name="user_reset_approve",
    ),
    path("pengguna/<str:public_id>/buka-kunci/", views.user_unlock_view, name="user_unlock"),
    path("organisasi/", views.organisation_list, name="organisation_list"),
    path("organisasi/baru/", views.organisation_create, name="organisation_create"),
    path("organisasi/<str:public_id>/ubah/", views.organisation_edit, name="organisation_edit"),
    # Public: the one-time link a new user (or one who forgot the password) receives.
    path("sandi/<uidb64>/<token>/", views.password_set, name="password_set"),
]
