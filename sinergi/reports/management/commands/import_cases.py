"""manage.py import_cases FILE [--dry-run] --user USERNAME: the historical import from the shell.

The same checks and the same all-or-nothing import as the web page (sinergi.reports.importer). The
cases go to the user's unit and are recorded as imported by that user, who needs `case.import`.
Every error is printed as "row N, column: message"; the exit status is 1 when there are errors.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from sinergi.accounts.models import User
from sinergi.reports import importer


class Command(BaseCommand):
    help = "Import historical cases from an XLSX or CSV file made from the import template (docs/import.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--user", required=True, help="username of the importing data officer or kepala")
        parser.add_argument("--dry-run", action="store_true", help="check every row, import nothing")
        parser.add_argument("--language", default="id", choices=["id", "en"], help="language of the messages")

    def handle(self, *args, file, user, dry_run, language, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if path.stat().st_size > importer.max_upload_bytes():
            raise CommandError(f"{path} is larger than {importer.max_upload_mb()} MB.")
        actor = User.objects.filter(username=user, is_active=True).select_related("organisation").first()
        if actor is None:
            raise CommandError(f"No active user {user!r}.")
        data = path.read_bytes()
        with translation.override(language):
            try:
                if dry_run:
                    check = importer.import_check(actor=actor, data=data, name=path.name)
                else:
                    check = importer.import_apply(actor=actor, data=data, name=path.name)
            except PermissionDenied:
                raise CommandError(f"{user} may not import cases (needs case.import).") from None
            except importer.ImportRefused as refused:
                check = refused.check
            self._report(check, dry_run)
        if not check.ok:
            raise SystemExit(1)

    def _report(self, check, dry_run):
        for error in check.errors:
            where = f"row {error.row}" if error.row else "file"
            column = f", {error.column}" if error.column else ""
            self.stderr.write(f"{where}{column}: {error.message}")
        if check.error_count > len(check.errors):
            self.stderr.write(f"... {check.error_count - len(check.errors)} more errors")
        summary = (
            f"rows: {check.rows}, new: {check.new}, already imported: {check.already_imported}, "
            f"errors: {check.error_count}"
        )
        if not check.ok:
            self.stderr.write(summary + ". Nothing was imported.")
        elif dry_run:
            self.stdout.write(summary + ". Dry run: nothing was imported.")
        else:
            self.stdout.write(self.style.SUCCESS(summary + f". Imported {check.new} cases."))
