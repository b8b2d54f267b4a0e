from django.core.management.base import BaseCommand, CommandError

from sinergi.demo.accounts import ACCOUNTS, DemoRefused, demo_data_load, demo_password


class Command(BaseCommand):
    help = "Load the synthetic demo data set and demo accounts (demo mode only; safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo accounts.")

    def handle(self, *args, quiet_accounts=False, **opts):
        try:
            orgs = demo_data_load()
        except DemoRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Demo data ready: {len(orgs)} organisations, {len(ACCOUNTS)} accounts.")
        if quiet_accounts:
            return
        self.stdout.write("")
        self.stdout.write("Demo accounts (all synthetic):")
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.username:<15} {account.description}")
        self.stdout.write(f"  password: {demo_password()}")
