"""`{% interventions_panel case %}`: the services delivered on a case page (sinergi.cases)."""

from django import template

from sinergi.cases.record import can_edit_case

from ..selectors import case_interventions

register = template.Library()


@register.inclusion_tag("interventions/_case_panel.html", takes_context=True)
def interventions_panel(context, case):
    """Services, shelter stays, accompaniment, legal process, restitution and mediation of `case`.

    The caller has already checked that the user may see the case; editing links appear for
    whoever may edit it (not on a closed case).
    """
    user = context["request"].user
    return {"case": case, "can_edit": can_edit_case(user, case), **case_interventions(case)}
