from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "sinergi.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from sinergi.cases.timeline import register_timeline_labels

        from .timeline import EVENT_LABELS

        register_timeline_labels(EVENT_LABELS)
