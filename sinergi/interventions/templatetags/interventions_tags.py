"""`{% interventions_panel case panel %}`: the services delivered, on the case page (sinergi.cases)."""

from django import template

register = template.Library()


@register.inclusion_tag("interventions/_case_panel.html")
def interventions_panel(case, panel):
    """Services, shelter stays, accompaniment, legal process, restitution and mediation of `case`.

    `panel` is what `sinergi.interventions.selectors.case_page_panel` computed for the page: the
    tag queries nothing. Editing links appear for whoever may edit the case (not a closed one).
    """
    return {"case": case, **panel}
