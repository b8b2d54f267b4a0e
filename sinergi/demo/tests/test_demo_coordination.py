import pytest
from django.utils import timezone

from sinergi.coordination.models import Meeting
from sinergi.demo.accounts import demo_data_load
from sinergi.demo.coordination import DEMO_RAKOR_TITLE


@pytest.mark.django_db
def test_demo_has_one_upcoming_rakor_and_loading_twice_adds_nothing(settings):
    settings.DEMO = True
    settings.SINERGI_DEMO_PASSWORD = "demo-kata-sandi-uji-panjang"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data_load()
    demo_data_load()
    meeting = Meeting.objects.get(title=DEMO_RAKOR_TITLE)
    assert meeting.kind == "rakor" and meeting.starts_at > timezone.now()
    assert meeting.participants.filter(organisation__name__startswith="Polres").exists()
    assert Meeting.objects.count() == 1
