from django.urls import path

from . import views_audit

# The audit trail keeps its own URL namespace ("audit:list") for its links and navigation.
app_name = "audit"
urlpatterns = [path("", views_audit.audit_list, name="list")]
