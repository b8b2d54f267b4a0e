from django import template

from sinergi.accounts.choices import ServiceCategory
from sinergi.referrals.choices import SharedSection

register = template.Library()


@register.filter
def service_labels(codes):
    """["kesehatan", ...] → "Health, ..." in the user's language."""
    return ", ".join(str(ServiceCategory(c).label) for c in codes or [] if c in ServiceCategory.values)


@register.filter
def section_labels(codes):
    """The shared sections, in the user's language, after the case code that is always shared."""

    return ", ".join(str(SharedSection(c).label) for c in codes or [] if c in SharedSection.values)
