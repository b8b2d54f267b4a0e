"""The workflow tests read English messages and start from a case of the pendamping."""

import pytest
from django.utils import translation

from sinergi.cases import workflow
from sinergi.testing.cases import register_case as register

from .helpers import fresh


@pytest.fixture(autouse=True)
def _english():
    # Messages and labels are compared as the English msgids, whatever the catalogue says.
    with translation.override("en"):
        yield


@pytest.fixture
def case(personas):
    case = register(personas.petugas)
    workflow.case_set_lead(actor=personas.kepala, case=case, user=personas.pendamping)
    return fresh(case)
