"""One refusal convention: a Refusal carries field and message, and is audited as denied after the
rollback of the transaction it happened in."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from sinergi.audit.models import AuditEvent
from sinergi.audit.refusals import refusals_audited
from sinergi.core.errors import Refusal
from sinergi.core.forms import add_service_errors
from sinergi.core.models import Holiday

pytestmark = pytest.mark.django_db

AUDIT = {"action": "thing.change", "object_type": "thing", "object_id": "abc123"}


@refusals_audited
def change_thing(*, actor, refuse=True):
    """A service that writes, then meets a rule that says no."""
    with transaction.atomic():
        Holiday.objects.create(date="2031-01-02", name="written before the refusal")
        if refuse:
            raise Refusal("Not like this.", field="reason", code="too_short", audit=AUDIT)
    return "done"


@refusals_audited
def change_two_things(*, actor):
    with transaction.atomic():
        return change_thing(actor=actor)


def denied():
    return list(AuditEvent.objects.filter(action="thing.change", outcome="denied"))


def test_a_refusal_is_a_validation_error_on_its_field():
    refusal = Refusal("Not like this.", field="reason", code="too_short")
    assert isinstance(refusal, ValidationError)
    assert refusal.message_dict == {"reason": ["Not like this."]}
    assert refusal.error_dict["reason"][0].code == "too_short"


def test_a_refusal_without_a_field_is_about_the_whole_action():
    refusal = Refusal("The case is closed.", code="closed")
    assert refusal.messages == ["The case is closed."]
    assert refusal.code == "closed"
    assert not hasattr(refusal, "error_dict")


def test_the_refused_write_is_rolled_back_and_the_refusal_audited(personas):
    with pytest.raises(Refusal):
        change_thing(actor=personas.pendamping)
    assert not Holiday.objects.filter(date="2031-01-02").exists()
    [event] = denied()
    assert event.actor_id == personas.pendamping.pk
    assert event.object_id == "abc123"
    assert event.details == {"reason": "too_short"}


def test_nested_services_audit_once(personas):
    with pytest.raises(Refusal):
        change_two_things(actor=personas.pendamping)
    assert len(denied()) == 1


def test_inside_a_callers_transaction_the_event_waits_for_the_outermost_service(personas):
    with pytest.raises(Refusal), transaction.atomic():
        change_thing(actor=personas.pendamping)
    # Written inside the caller's transaction it would have been rolled back with the attempt;
    # no decorated service is outside it, so nothing is claimed to be recorded.
    assert denied() == []


def test_an_allowed_change_writes_no_refusal(personas):
    assert change_thing(actor=personas.pendamping, refuse=False) == "done"
    assert denied() == []


def test_a_refusal_without_audit_names_is_not_recorded(personas):
    @refusals_audited
    def quiet(*, actor):
        raise Refusal("No.")

    with pytest.raises(Refusal):
        quiet(actor=personas.pendamping)
    assert not AuditEvent.objects.filter(outcome="denied").exists()


class ReasonForm(forms.Form):
    reason = forms.CharField()
    other = forms.CharField(required=False)


def test_the_form_helper_puts_each_message_next_to_its_field():
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()
    add_service_errors(form, Refusal.of_fields({"reason": "Too short.", "other": "Wrong."}))
    assert form.errors == {"reason": ["Too short."], "other": ["Wrong."]}


def test_the_form_helper_puts_unknown_fields_and_general_messages_above_the_form():
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()
    add_service_errors(form, Refusal("Somewhere else.", field="not_on_this_form"))
    add_service_errors(form, ValidationError("In general."))
    assert form.non_field_errors() == ["Somewhere else.", "In general."]


def test_the_form_helper_can_send_everything_to_one_field():
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError("Not this case."), default_field="reason")
    assert form.errors == {"reason": ["Not this case."]}


def test_params_are_filled_in():
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()
    add_service_errors(form, Refusal("At least %(n)d characters.", field="reason", params={"n": 10}))
    assert form.errors == {"reason": ["At least 10 characters."]}
