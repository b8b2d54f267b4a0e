"""`CaseAccess`, computed once per request, gives the answers of the one-by-one rules."""

import pytest

from sinergi.cases import policies
from sinergi.cases.policies import can_view_case
from sinergi.testing.cases import register_case
from sinergi.testing.fixtures import PERSONAS


@pytest.mark.parametrize("closed", [False, True])
def test_the_access_agrees_with_each_rule(personas, closed):
    case = register_case(personas.pendamping, summary="Awal")
    if closed:
        case.status = "ditutup"
        case.save(update_fields=["status"])
    for name in PERSONAS:
        user = getattr(personas, name)
        if not can_view_case(user, case):
            continue
        access = policies.case_access(user, case)
        assert access.edit == policies.can_edit_case(user, case), name
        assert access.upload == policies.may_upload_document(user, case), name
        assert access.access_log == policies.may_see_access_log(user, case), name
        assert access.private_notes == policies.sees_private_notes(user, case), name
        assert access.refer == policies.can_refer_from_case(user, case), name
