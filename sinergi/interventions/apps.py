from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "sinergi.interventions"
    label = "interventions"
    verbose_name = _("Services and interventions")

    def ready(self):
        from sinergi.cases.panels import register_case_panel
        from sinergi.cases.timeline import register_timeline_labels

        from .selectors import case_page_panel
        from .timeline import EVENT_LABELS

        # The case page shows the services delivered; cases cannot import this app.
        register_case_panel("interventions/_case_page_panel.html", case_page_panel)
        register_timeline_labels(EVENT_LABELS)
