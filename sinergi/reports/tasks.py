"""django-tasks entry points of the reports (defined beside the work, in jobs.py)."""

from .jobs import prune_report_files, run_report_job

__all__ = ["prune_report_files", "run_report_job"]
