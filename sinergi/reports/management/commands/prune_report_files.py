"""manage.py prune_report_files: delete report files past their 7 days (run daily from cron)."""

from django.core.management.base import BaseCommand

from sinergi.reports.jobs import job_files_prune


class Command(BaseCommand):
    help = "Delete the stored files of report jobs past their expiry (the job rows stay)."

    def handle(self, *args, **options):
        count = job_files_prune()
        self.stdout.write(f"{count} expired report jobs pruned.")
