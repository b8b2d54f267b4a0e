from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Synthetic demo data (Faker id_ID) across every context: `manage.py load_demo`."""

    name = "sinergi.demo"
    label = "demo"
    verbose_name = _("Demo data")
