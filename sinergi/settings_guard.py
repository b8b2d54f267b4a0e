"""Import the settings early so a configuration mistake becomes one sentence."""

import importlib
import os

from sinergi.envconfig import SinergiConfigError


def load_settings_or_explain():
    """Return None when the settings load, else the sentence that says what to fix."""
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    try:
        importlib.import_module(module)
    except Exception as exc:
        if isinstance(exc, SinergiConfigError):
            return str(exc)
        raise
    return None
