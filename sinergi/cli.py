"""Run Django management commands, turning operator mistakes into one clear sentence."""

import sys


def _database_hint(exc):
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        where = f"the SQLite file {db['NAME']}"
        fix = "check that its folder exists and is writable"
    else:
        where = f"PostgreSQL at {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}, database {db.get('NAME')!r}"
        fix = "check DATABASE_URL and that the server is running"
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return f"Sinergi cannot use {where} ({reason}); {fix}."


def run_guarded(argv):
    from sinergi.settings_guard import load_settings_or_explain

    problem = load_settings_or_explain()
    if problem:
        print(f"Error: {problem}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(argv)
    except OperationalError as exc:
        print(f"Error: {_database_hint(exc)}", file=sys.stderr)
        return 2
    return 0
