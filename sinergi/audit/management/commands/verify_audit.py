from django.core.management.base import BaseCommand, CommandError

from sinergi.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chain; exits non-zero naming the first broken event."

    def handle(self, *args, **opts):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit trail BROKEN at event #{result.broken_event_id}: {result.reason} "
                f"({result.checked} events before it are intact)."
            )
        self.stdout.write(f"Audit trail intact: {result.checked} events verified.")
