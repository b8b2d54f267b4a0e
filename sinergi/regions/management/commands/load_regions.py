from django.core.management.base import BaseCommand, CommandError

from sinergi.regions.loader import load_regions
from sinergi.regions.models import Region


class Command(BaseCommand):
    help = (
        "Load the Kemendagri region hierarchy. Provinces and kab/kota are always loaded; "
        "kecamatan and kelurahan/desa for the whole country with --all, or under given codes."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Region codes to load in full, e.g. 13.76 or 13")
        parser.add_argument("--all", action="store_true", help="Load all ~91,000 regions of Indonesia.")

    def handle(self, *args, codes, all, **opts):
        if not codes and not all:
            raise CommandError("Name region codes to load (e.g. 13.76) or pass --all for the whole country.")
        for code in codes:
            parts = code.split(".")
            if not all_digits(parts):
                raise CommandError(
                    f"{code!r} is not a Kemendagri code; write it like 13 or 13.76 or 13.76.01."
                )
        created, renamed = load_regions(Region, prefixes=None if all else codes)
        self.stdout.write(f"Regions: {created} added, {renamed} renamed, {Region.objects.count()} in total.")


def all_digits(parts):
    return all(p.isdigit() for p in parts) and 1 <= len(parts) <= 4
