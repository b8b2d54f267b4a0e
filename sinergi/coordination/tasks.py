"""Background tasks (django-tasks). The scheduler enqueues them; see docs/coordination.md."""

from django_tasks import task

from .services import action_item_send_reminders


@task()
def send_action_item_reminders():
    """Due-soon reminders and overdue notices for action items, each sent once."""

    due, overdue = action_item_send_reminders()
    return {"due": due, "overdue": overdue}
