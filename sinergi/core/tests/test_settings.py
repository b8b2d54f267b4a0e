"""Configuration mistakes stop the program with one sentence, never a traceback."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from sinergi.core.crypto import generate_key_ring_json

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SINERGI_", "DATABASE_URL", "DJANGO_"))}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


GOOD_PRODUCTION = {
    "SINERGI_ENV": "production",
    "SINERGI_SECRET_KEY": secrets.token_urlsafe(50),
    "SINERGI_ALLOWED_HOSTS": "sinergi.example.go.id",
    "SINERGI_DATA_KEYS": generate_key_ring_json(),
}


def one_sentence_error(result):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"SINERGI_SECRET_KEY": ""}, "SINERGI_SECRET_KEY"),
        ({"SINERGI_SECRET_KEY": "short"}, "too short"),
        ({"SINERGI_DEBUG": "1"}, "SINERGI_DEBUG"),
        ({"SINERGI_DEMO": "1"}, "demo mode"),
        ({"SINERGI_ALLOWED_HOSTS": ""}, "SINERGI_ALLOWED_HOSTS"),
        ({"SINERGI_DEBUG": "maybe"}, "SINERGI_DEBUG must be"),
        ({"SINERGI_ENV": "staging"}, "SINERGI_ENV"),
        ({"SINERGI_SECRET_KEY_FILE": "/nonexistent/secret"}, "cannot be read"),
        ({"DATABASE_URL": "mysql2://x"}, "DATABASE_URL"),
        ({"SINERGI_DATA_KEYS": ""}, "data key ring"),
        ({"SINERGI_DATA_KEYS": '{"active": 1, "keys": {}}'}, "SINERGI_DATA_KEYS"),
    ],
)
def test_production_refuses_bad_configuration(overrides, expected):
    result = run_manage("check", **{**GOOD_PRODUCTION, **overrides})
    assert expected in one_sentence_error(result)


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(secrets.token_urlsafe(50))
    env = {**GOOD_PRODUCTION, "SINERGI_SECRET_KEY": "", "SINERGI_SECRET_KEY_FILE": str(key_file)}
    result = run_manage("check", **env)
    assert result.returncode == 0, result.stderr


def test_unwritable_data_folder_is_explained(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.access(locked, os.W_OK):  # root ignores permissions: use a path under a file instead
        blocker = tmp_path / "file"
        blocker.write_text("")
        locked = blocker / "var"
    message = one_sentence_error(run_manage("check", SINERGI_VAR_DIR=str(locked)))
    assert "SINERGI_VAR_DIR" in message


def test_unreachable_database_is_explained():
    # Port 9 (discard) on loopback: nothing listens there.
    result = run_manage("migrate", DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing")
    message = one_sentence_error(result)
    assert "DATABASE_URL" in message and "127.0.0.1:9" in message


def test_deploy_check_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **GOOD_PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The test database lives in memory, where SQLite reports "memory"; a file database is WAL.
    assert mode in {"wal", "memory"}


def test_sqlite_file_database_uses_wal(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        "from django.db import connection; c=connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        SINERGI_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"


def test_argon2_is_the_password_hasher():
    from sinergi import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_production_sends_hsts_and_host_prefixed_cookies(tmp_path):
    script = (
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "call_command('collectstatic', interactive=False, verbosity=0);"
        "from django.test import Client; c = Client();"
        "r = c.get('/akun/login/', secure=True, HTTP_HOST='sinergi.example.go.id');"
        "print(r.status_code); print(r['Strict-Transport-Security']); print(sorted(r.cookies))"
    )
    result = run_manage("shell", "-c", script, SINERGI_VAR_DIR=str(tmp_path), **GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr
    status, hsts, cookies = result.stdout.strip().splitlines()[-3:]
    assert status == "200"
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert "__Host-sinergi_csrf" in cookies
