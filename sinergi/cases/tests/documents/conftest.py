"""Documents go to a temporary storage; the case is the pendamping's."""

import pytest

from sinergi.cases.models import CaseAssignment
from sinergi.testing.cases import case_row


@pytest.fixture(autouse=True)
def storage_dir(settings, tmp_path):
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


# --- the world ---------------------------------------------------------------------------------


@pytest.fixture
def case(personas):
    case = case_row(personas.orgs.unit, status="aktif")
    CaseAssignment.objects.create(case=case, user=personas.pendamping, team_role="lead")
    return case
