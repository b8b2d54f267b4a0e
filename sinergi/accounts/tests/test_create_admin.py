import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent


@pytest.fixture
def run(monkeypatch):
    def _run(*args, stdin=""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        out = io.StringIO()
        call_command("create_admin", *args, "--password-stdin", stdout=out)
        return out.getvalue()

    return _run


def test_it_creates_a_system_administrator(db, run):
    assert "Created" in run("pengelola", stdin="rumah-biru-di-ujung-jalan\n")
    user = User.objects.get(username="pengelola")
    assert user.role == "admin_sistem" and user.check_password("rumah-biru-di-ujung-jalan")
    assert AuditEvent.objects.filter(action="user.create", object_id=user.public_id).exists()


def test_it_refuses_a_weak_password_and_duplicates(db, run):
    with pytest.raises(CommandError):
        run("pengelola", stdin="sinergi12345678\n")
    assert not User.objects.filter(username="pengelola").exists()
    run("pengelola", stdin="rumah-biru-di-ujung-jalan\n")
    with pytest.raises(CommandError, match="already exists"):
        run("pengelola", stdin="rumah-biru-di-ujung-jalan\n")
