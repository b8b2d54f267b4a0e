from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language

from sinergi.accounts import views as account_views
from sinergi.core import views as core_views
from sinergi.workspace import views as workspace_views

urlpatterns = [
    path("", workspace_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # The language switch is on every page, the login page included.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Sinergi's e-mail password reset (sinergi/accounts/email_reset.py): 404 while no unit turns it
    # on. allauth's own reset routes stay shadowed: they answer 404, audited.
    path("akun/password/reset/", account_views.password_reset_email, name="password_reset_email"),
    path(
        "akun/password/reset/tautan/<uidb64>/<token>/",
        account_views.password_reset_email_set,
        name="password_reset_email_set",
    ),
    re_path(r"^akun/password/reset/", account_views.email_reset_not_offered, name="email_reset_not_offered"),
    path("akun/", include("allauth.urls")),
    path("kasus/", include("sinergi.cases.urls")),
    path("audit/", include("sinergi.workspace.urls_audit")),
    path("notifikasi/", include("sinergi.notifications.urls")),
    path("wilayah/", include("sinergi.regions.urls")),
    path("pengaturan/", include("sinergi.accounts.urls")),
    # These apps spell out their own prefixes: rujukan/, pelimpahan/ and kasus/<id>/rujukan/
    # (referrals), rapat/ and tindak-lanjut/ (coordination), kerja/ (deadlines, my work),
    # kasus/<id>/layanan/ and penampungan/ (interventions), lapor/ lacak/ bantuan/ keluar/
    # pengaduan/ (portal), laporan/ and statistik/ (reports).
    path("", include("sinergi.referrals.urls")),
    path("", include("sinergi.coordination.urls")),
    path("", include("sinergi.deadlines.urls")),
    path("", include("sinergi.workspace.urls")),
    path("", include("sinergi.interventions.urls")),
    path("", include("sinergi.portal.urls")),
    path("", include("sinergi.reports.urls")),
]

handler400 = "sinergi.core.views.bad_request"
handler403 = "sinergi.core.views.permission_denied"
handler404 = "sinergi.core.views.page_not_found"
handler500 = "sinergi.core.views.server_error"
