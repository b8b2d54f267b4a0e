"""A small scheduler: queue the periodic background tasks every N minutes, until stopped.

Run it as one long-lived service next to `manage.py db_worker` (docs/deadlines.md has systemd
units); or instead run `manage.py send_deadline_reminders` from a systemd timer or cron.
Queuing twice is harmless: every reminder is sent at most once.
"""

import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError

from sinergi.audit.tasks import write_audit_checkpoint
from sinergi.coordination.tasks import send_action_item_reminders
from sinergi.referrals.tasks import notify_overdue_referrals
from sinergi.reports.tasks import prune_report_files
from sinergi.workspace.tasks import send_deadline_reminders

#: The periodic tasks: add more here (name -> task) as other apps need them.
PERIODIC_TASKS = {
    "deadline reminders": send_deadline_reminders,
    "action item reminders": send_action_item_reminders,  # sinergi.coordination
    "expired report files": prune_report_files,  # sinergi.reports (files expire after 7 days)
    "overdue referrals to partners": notify_overdue_referrals,  # sinergi.referrals
    "audit checkpoint": write_audit_checkpoint,  # sinergi.audit (signed head of the chain, docs/audit.md)
}


class Command(BaseCommand):
    help = "Queue the periodic background tasks (deadline reminders) every --interval minutes."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5, help="Minutes between runs (default 5).")
        parser.add_argument("--once", action="store_true", help="Queue once and exit.")

    def handle(self, *args, interval=5, once=False, **options):
        if interval <= 0:
            raise CommandError("--interval must be more than 0 minutes.")
        stop = threading.Event()
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
        while True:
            started = time.monotonic()
            for name, periodic in PERIODIC_TASKS.items():
                try:
                    result = periodic.enqueue()
                    self.stdout.write(f"queued {name} ({result.id})")
                except Exception as exc:  # noqa: BLE001 - keep scheduling; the next round retries
                    self.stderr.write(f"could not queue {name}: {exc.__class__.__name__}: {exc}")
            if once:
                return
            if stop.wait(max(0.0, interval * 60 - (time.monotonic() - started))):
                self.stdout.write("scheduler stopped")
                return
