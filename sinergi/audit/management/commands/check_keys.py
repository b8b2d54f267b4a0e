import json

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.rotation import DEFAULT_BATCH, check


class Command(BaseCommand):
    help = (
        "Report, per encrypted column and per sealed-file column, how many values each data key "
        "version holds. Exits non-zero while any value is on an old version or cannot be read "
        "(docs/keys.md). --verify also decrypts every value. Never prints a value."
    )

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true", help="Decrypt every value too (slow).")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)

    def handle(self, *args, verify=False, json=False, batch_size=DEFAULT_BATCH, **opts):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        report = check(verify=verify, batch_size=batch_size)
        active = report["active"]
        old = sum(c.old(active) for c in report["columns"])
        unreadable = sum(c.unreadable for c in report["columns"])
        old_files = sum(f.old(active) for f in report["files"] if not f.label.startswith("audit."))
        if json:
            self.stdout.write(_as_json(report, old, unreadable, old_files))
        else:
            self.stdout.write(f"Active key version: {active}")
            for c in report["columns"]:
                if c.versions or c.unreadable:
                    self.stdout.write(
                        f"  {c.label}: {_versions(c)}"
                        + (f", unreadable {c.unreadable}" if c.unreadable else "")
                    )
            self.stdout.write("Sealed files and audit MACs (key versions in use; the audit trail's stay):")
            for f in report["files"]:
                if f.versions:
                    self.stdout.write(f"  {f.label}: {_versions(f)}")
        if old or unreadable or old_files:
            raise CommandError(
                f"{old} values and {old_files} files on an old key version, {unreadable} unreadable: "
                "run `manage.py rotate_keys` (docs/keys.md)."
            )
        if not json:
            self.stdout.write(self.style.SUCCESS("Every encrypted value is under the active key."))


def _versions(report):
    return ", ".join(f"v{v}: {n}" for v, n in sorted(report.versions.items()))


def _as_json(report, old, unreadable, old_files):
    def rows(items):
        return {
            c.label: {"versions": {str(v): n for v, n in c.versions.items()}, "unreadable": c.unreadable}
            for c in items
        }

    return json.dumps(
        {
            "active": report["active"],
            "columns": rows(report["columns"]),
            "files": rows(report["files"]),
            "old_values": old,
            "old_files": old_files,
            "unreadable": unreadable,
        },
        indent=2,
    )
