"""Enqueue the action item reminders (run it from cron, e.g. every hour, if run_scheduler is not used)."""

from django.core.management.base import BaseCommand

from sinergi.coordination.tasks import send_action_item_reminders


class Command(BaseCommand):
    help = "Send due-soon reminders and overdue notices for coordination action items (each once)."

    def handle(self, *args, **options):
        result = send_action_item_reminders.enqueue()
        self.stdout.write(f"action item reminders: {result.status}")
