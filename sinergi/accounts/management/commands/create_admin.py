import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sinergi.accounts.choices import Role
from sinergi.accounts.models import User
from sinergi.audit.services import audit_record


class Command(BaseCommand):
    help = (
        "Create the first system administrator (role admin_sistem). They set up two-step "
        "verification at their first login and create every other account in the web interface."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input (for scripts).",
        )

    def handle(self, *args, username, full_name, password_stdin, **opts):
        username = username.strip().lower()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The two passwords differ.")
        candidate = User(username=username, full_name=full_name, role=Role.ADMIN_SISTEM)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with transaction.atomic():
            candidate.set_password(password)
            candidate.save()
            audit_record(
                actor=None,
                action="user.create",
                object_type="user",
                object_id=candidate.public_id,
                username="manage.py",
                details={"role": Role.ADMIN_SISTEM},
            )
        self.stdout.write(f"Created system administrator {username!r}.")
