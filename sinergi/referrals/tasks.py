"""Background task: tell partner agencies about referrals waiting past their response deadline.

The sender and the sender's kepala are reminded by the deadlines engine's own task (the
referral_response clock belongs to the sending unit and names the sender as responsible).
"""

from django_tasks import task

from .services import referrals_notify_overdue


@task()
def notify_overdue_referrals():
    return referrals_notify_overdue()
