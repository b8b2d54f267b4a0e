import pytest
from django.utils import translation

from .helpers import make_case, make_shelter


@pytest.fixture
def case(personas):
    return make_case(personas.pendamping)


@pytest.fixture
def shelter(personas):
    return make_shelter(personas.orgs.unit)


@pytest.fixture(autouse=True)
def _english(client, settings):
    # The tests read the English messages; the interface defaults to Indonesian.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
