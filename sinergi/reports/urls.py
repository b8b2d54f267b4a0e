from django.urls import path

from . import (
    views_dashboard,
    views_export,
    views_import,
    views_jobs,
    views_pack,
    views_public,
    views_releases,
    views_simfoni,
)

app_name = "reports"

urlpatterns = []

# Statistics (R1): the dashboard, its CSVs, the meeting PDF, GBVIMS tables, the public page.
urlpatterns += [
    path("laporan/", views_dashboard.dashboard, name="dashboard"),
    path("laporan/unduh/<slug:key>.csv", views_dashboard.figure_csv, name="figure_csv"),
    path("laporan/rapat.pdf", views_dashboard.meeting_pdf, name="meeting_pdf"),
    path("laporan/rapat/", views_dashboard.meeting_pdf_job, name="meeting_job"),
    path("laporan/gbvims/", views_dashboard.gbvims, name="gbvims"),
    path("laporan/gbvims.csv", views_dashboard.gbvims_csv, name="gbvims_csv"),
    path("laporan/rilis/", views_releases.releases, name="releases"),
    path("laporan/rilis/terbitkan/", views_releases.release_publish, name="release_publish"),
    path("statistik/", views_public.public_statistics, name="public"),
    path("statistik/data.json", views_public.public_data_json, name="public_json"),
    path("statistik/data.csv", views_public.public_data_csv, name="public_csv"),
]

# Background jobs (progress, downloads), the SIMFONI-PPA export and the historical import.
urlpatterns += [
    path("laporan/unduhan/", views_jobs.job_list, name="jobs"),
    path("laporan/unduhan/<str:public_id>/", views_jobs.job_detail, name="job"),
    path("laporan/unduhan/<str:public_id>/status/", views_jobs.job_status, name="job_status"),
    path("laporan/unduhan/<str:public_id>/berkas/", views_jobs.job_download, name="job_download"),
    path("laporan/ekspor/", views_export.export_simfoni, name="export"),
    path("laporan/ekspor/identitas/", views_export.export_identifying, name="export_identifying"),
    path("laporan/ekspor/<str:public_id>/entri/", views_simfoni.simfoni_entries, name="simfoni_entries"),
    path("laporan/impor/", views_import.import_upload, name="import"),
    path("laporan/impor/templat.<str:fmt>", views_import.import_template, name="import_template"),
    path("laporan/impor/<str:public_id>/impor/", views_import.import_confirm, name="import_confirm"),
]

# The pack of a coordination meeting: its agenda and minutes with the period's figures.
urlpatterns += [
    path("rapat/<str:public_id>/paket.pdf", views_pack.meeting_pack, name="meeting_pack"),
]
