"""A case's documents; included under /kasus/<public_id>/dokumen/ in the "cases" namespace."""

from django.urls import path

from . import views_documents as views

urlpatterns = [
    path("", views.document_upload, name="document_upload"),
    path("<str:document_id>/", views.document_download, name="document_download"),
]
