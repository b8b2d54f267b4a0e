from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "sinergi.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from sinergi.deadlines.hooks import register_case_edit_check

        from .policies import can_edit_case

        # The clock engine asks the case record who may change a case's clocks.
        register_case_edit_check(can_edit_case)

        from sinergi.core.rotation import register_sealed_files

        from .models import Document

        # Key rotation re-seals documents (docs/keys.md); a document is bound to its public id.
        register_sealed_files(
            Document, name_field="storage_name", version_field="key_version", bound_id=lambda d: d.public_id
        )
