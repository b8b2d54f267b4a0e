"""Break-glass by reference: the rule of which case it may open is the service's, not the page's."""

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import BreakGlassAccess
from sinergi.cases.services import case_break_glass_by_reference
from sinergi.core.errors import Refusal

REASON = "Korban dalam bahaya dan kepala unit tidak dapat dihubungi malam ini."


def test_a_reference_outside_the_units_below_is_refused_on_its_field_and_audited(personas):
    with pytest.raises(Refusal) as info:
        case_break_glass_by_reference(
            actor=personas.kepala_provinsi, reference="PPA-TIDAK-ADA", reason=REASON
        )
    assert list(info.value.message_dict) == ["reference"]
    event = AuditEvent.objects.get(action="case.break_glass", outcome="denied")
    assert event.details == {"reason": "no matching case below the unit"}
    assert not BreakGlassAccess.objects.exists()


def test_an_empty_reference_is_refused_too(personas):
    with pytest.raises(Refusal):
        case_break_glass_by_reference(actor=personas.kepala_provinsi, reference="  ", reason=REASON)
