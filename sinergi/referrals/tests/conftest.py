from types import SimpleNamespace

import pytest
from django.utils import timezone

from sinergi.cases.models import CaseAssignment, CasePerson
from sinergi.cases.record import consent_record
from sinergi.referrals import services
from sinergi.testing.cases import case_row

VICTIM_NAME = "Siti Rahmawati Uji"
CHRONOLOGY = "Kronologi rahasia: kejadian di rumah pada malam hari."


@pytest.fixture
def world(personas):
    return build_world(personas)


def build_world(personas):
    """A case of the personas' unit with one adult victim, pendamping as its lead worker."""
    case = case_row(
        personas.orgs.unit,
        registration_number="PPA-UJI-0001",
        status="aktif",
        risk="sedang",
        chronology=CHRONOLOGY,
        created_by=personas.petugas,
    )
    CaseAssignment.objects.create(
        case=case, user=personas.pendamping, team_role="lead", assigned_by=personas.kepala
    )
    victim = CasePerson.objects.create(
        case=case, role="korban", name=VICTIM_NAME, phone="081234567890", sex="perempuan", age_years=30
    )
    return SimpleNamespace(p=personas, case=case, victim=victim, partner=personas.orgs.partner)


def make_draft(w, **overrides):
    values = {
        "actor": w.p.pendamping,
        "case": w.case,
        "victim": w.victim,
        "to_agency": w.partner,
        "services": ["penegakan_hukum"],
        "shared_sections": ["identitas"],
    }
    values.update(overrides)
    return services.referral_create(**values)


def give_consent(w, referral):
    return consent_record(
        actor=w.p.pendamping,
        case=w.case,
        victim=w.victim,
        purpose="rujukan",
        referral=referral,
        given_at=timezone.now(),
    )


def make_sent(w, **overrides):
    referral = make_draft(w, **overrides)
    give_consent(w, referral)
    return services.referral_send(actor=w.p.pendamping, referral=referral)


@pytest.fixture
def draft(world):
    return make_draft(world)


@pytest.fixture
def sent(world):
    return make_sent(world)


def said(msgid):
    """What the server says for `msgid` in the installation's language (Indonesian, once the
    catalogue has it; the msgid itself until then)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid)
