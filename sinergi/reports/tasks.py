"""django-tasks entry points. The work itself is in jobs.py and the runner of each job kind."""

from django_tasks import task


@task()
def run_report_job(job_id: str):
    from .jobs import job_run

    job_run(job_id)


@task()
def prune_report_files():
    """Delete report files past their 7 days (queued by run_scheduler; also a management command)."""
    from .jobs import job_files_prune

    return job_files_prune()
