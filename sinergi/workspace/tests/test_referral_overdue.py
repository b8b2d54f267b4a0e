"""An unanswered referral: the deadline reminders and the referral's own escalation together."""

import datetime as dt

import pytest
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Notification
from sinergi.referrals import services
from sinergi.referrals.tests.conftest import VICTIM_NAME, build_world, make_sent
from sinergi.workspace.reminders import send_due_reminders


@pytest.fixture
def world(personas):
    return build_world(personas)


@pytest.fixture
def sent(world):
    return make_sent(world)


def test_overdue_goes_to_the_senders_kepala_and_the_partner(world, sent):
    later = timezone.now() + dt.timedelta(days=5)
    send_due_reminders(now=later)
    assert Notification.objects.filter(recipient=world.p.kepala, kind="deadline_overdue").exists()
    assert not Notification.objects.filter(recipient=world.p.kepala_luar).exists()
    assert services.referrals_notify_overdue(now=later) == 1
    assert services.referrals_notify_overdue(now=later) == 0  # once
    note = Notification.objects.get(recipient=world.p.mitra, kind="referral_overdue")
    assert VICTIM_NAME not in note.message
    assert AuditEvent.objects.filter(action="referral.overdue", case_id=world.case.public_id).exists()
