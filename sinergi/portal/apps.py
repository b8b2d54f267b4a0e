from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "sinergi.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from sinergi.core.rotation import register_sealed_files

        from .models import ReportEvidence

        # Key rotation re-seals the evidence a reporter attached (docs/keys.md).
        register_sealed_files(
            ReportEvidence,
            name_field="storage_name",
            version_field="key_version",
            bound_id=lambda e: e.public_id,
        )
