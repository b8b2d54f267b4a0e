from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "sinergi.reports"
    label = "reports"
    verbose_name = _("Statistics and reports")

    def ready(self):
        # Each job kind's runner registers itself with @job_runner when its module is imported:
        # load them all here, so a worker that only runs tasks knows every kind.
        from . import importer, pdf, simfoni  # noqa: F401
        from .jobs import register_job_files

        register_job_files()
