from django.core.management.base import BaseCommand

from sinergi.core.crypto import generate_key_ring_json


class Command(BaseCommand):
    help = (
        "Print a new data key ring (JSON) for SINERGI_DATA_KEYS_FILE. Store it with mode 0600, "
        "back it up apart from the database: without it, encrypted personal data cannot be read."
    )

    def handle(self, *args, **opts):
        self.stdout.write(generate_key_ring_json())
