from django.core.management.base import BaseCommand

from sinergi.referrals.services import referrals_notify_overdue
from sinergi.referrals.tasks import notify_overdue_referrals


class Command(BaseCommand):
    help = (
        "Tell partner agencies once about referrals waiting past their response deadline: queue the "
        "task for the background worker, or with --now send in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Send in this process, without the worker.")

    def handle(self, *args, now=False, **options):
        if now:
            self.stdout.write(f"{referrals_notify_overdue()} referral(s) notified.")
            return
        result = notify_overdue_referrals.enqueue()
        self.stdout.write(f"Task queued ({result.id}).")
