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
