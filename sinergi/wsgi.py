"""WSGI entry point for gunicorn (`make serve`)."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")

from sinergi.settings_guard import load_settings_or_explain  # noqa: E402

_problem = load_settings_or_explain()
if _problem:
    print(f"Error: {_problem}", file=sys.stderr)
    sys.exit(2)

application = get_wsgi_application()
