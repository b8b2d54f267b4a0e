"""`{% email_reset_offered as offered %}`: whether the login page links to the e-mail reset."""

from django import template

from sinergi.accounts.email_reset import email_reset_offered as _offered

register = template.Library()


@register.simple_tag
def email_reset_offered():
    return _offered()
