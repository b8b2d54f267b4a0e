"""Background tasks of the deadlines engine (django-tasks; run by `manage.py db_worker`)."""

from django_tasks import task

from .reminders import send_due_reminders


@task()
def send_deadline_reminders():
    """Send the reminders of every clock due soon or overdue (each at most once per threshold)."""
    return send_due_reminders()
