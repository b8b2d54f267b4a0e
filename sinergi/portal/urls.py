from django.urls import path

from . import views_public, views_queue

app_name = "portal"

urlpatterns = [
    # Public pages (no login).
    path("bantuan/", views_public.help_page, name="help"),
    path("bantuan/logo/", views_public.logo, name="logo"),
    path("lapor/", views_public.report, name="report"),
    path("lacak/", views_public.track, name="track"),
    path("lacak/status/", views_public.status, name="status"),
    path("aman/", views_public.safety, name="safety"),
    path("keluar/", views_public.quick_exit, name="exit"),
    # The intake queue (intake.queue).
    path("pengaduan/", views_queue.queue, name="queue"),
    path("pengaduan/sapa129/", views_queue.sapa_enter, name="sapa"),
    path("pengaduan/pengaturan/", views_queue.settings_edit, name="settings"),
    path("pengaduan/<str:public_id>/", views_queue.report_detail, name="report_detail"),
    path("pengaduan/<str:public_id>/verifikasi/", views_queue.acknowledge, name="acknowledge"),
    path("pengaduan/<str:public_id>/ambil/", views_queue.take, name="take"),
    path("pengaduan/<str:public_id>/jadikan-kasus/", views_queue.convert, name="convert"),
    path("pengaduan/<str:public_id>/gabung/", views_queue.merge, name="merge"),
    path("pengaduan/<str:public_id>/tolak/", views_queue.reject, name="reject"),
    path("pengaduan/<str:public_id>/pesan/", views_queue.message, name="message"),
    path("pengaduan/<str:public_id>/bukti/<str:evidence_id>/", views_queue.evidence, name="evidence"),
]
