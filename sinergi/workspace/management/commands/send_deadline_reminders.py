from django.core.management.base import BaseCommand

from sinergi.workspace.reminders import send_due_reminders
from sinergi.workspace.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Queue the deadline reminder task for the background worker (manage.py db_worker), "
        "or with --now send the reminders in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Send in this process, without the worker.")

    def handle(self, *args, now=False, **options):
        if now:
            sent = send_due_reminders()
            self.stdout.write(f"{sent} reminder(s) sent.")
            return
        result = send_deadline_reminders.enqueue()
        self.stdout.write(f"Reminder task queued ({result.id}).")
