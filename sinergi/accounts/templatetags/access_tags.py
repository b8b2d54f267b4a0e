"""Template access to role rights: `{% if user|can:"user.manage" %}`.

Only for showing or hiding links and buttons; the views enforce the same rights themselves.
"""

from django import template

from sinergi.accounts.access import has_permission

register = template.Library()


@register.filter
def can(user, permission):
    return has_permission(user, permission)
