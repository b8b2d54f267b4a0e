from django import template

from sinergi.cases.record import can_edit_case
from sinergi.deadlines.selectors import deadlines_for_case

register = template.Library()


@register.simple_tag(takes_context=True)
def case_deadlines(context, case):
    """The case's clocks for the deadlines panel, each with `.state` and `.may_extend`."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    deadlines = deadlines_for_case(case)
    editable = user is not None and can_edit_case(user, case)
    for d in deadlines:
        d.may_extend = editable and d.is_open
    return deadlines
