import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.choices import HolidayKind
from sinergi.core.holidays import load_official_holidays, official_years
from sinergi.core.models import Holiday


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "List, add, remove or load the holidays that working-day deadlines skip."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ls = sub.add_parser("list", help="List holidays.")
        ls.add_argument("--year", type=int)
        add = sub.add_parser("add", help="Add or rename a holiday (e.g. a regional day off).")
        add.add_argument("date")
        add.add_argument("name")
        add.add_argument("--kind", choices=HolidayKind.values, default=HolidayKind.LIBUR_DAERAH)
        rm = sub.add_parser("remove", help="Remove a holiday.")
        rm.add_argument("date")
        load = sub.add_parser("load", help="Load the official national holidays (SKB 3 Menteri).")
        load.add_argument("--year", type=int, action="append")

    def handle(self, *args, action, **opts):
        return getattr(self, f"handle_{action}")(**opts)

    def handle_list(self, year=None, **_):
        qs = Holiday.objects.all()
        if year:
            qs = qs.filter(date__year=year)
        for h in qs:
            self.stdout.write(f"{h.date.isoformat()}  {h.kind:<15} {h.name}")

    def handle_add(self, date, name, kind, **_):
        day = _date(date)
        if not name.strip():
            raise CommandError("Give the holiday a name.")
        _, created = Holiday.objects.update_or_create(
            date=day, defaults={"name": name.strip()[:200], "kind": kind}
        )
        self.stdout.write(f"{'Added' if created else 'Updated'} {day.isoformat()} {name.strip()}")

    def handle_remove(self, date, **_):
        deleted, _ = Holiday.objects.filter(date=_date(date)).delete()
        if not deleted:
            raise CommandError(f"There is no holiday on {date}.")
        self.stdout.write(f"Removed {date}")

    def handle_load(self, year=None, **_):
        available = official_years()
        for y in year or []:
            if y not in available:
                raise CommandError(
                    f"No official holiday data for {y}; available: {', '.join(map(str, available))}."
                )
        created = load_official_holidays(Holiday, year)
        self.stdout.write(f"Loaded {created} new holiday(s).")
