"""Who may do what to accounts and organisations (the rights themselves are in access.py)."""

from .selectors import users_manageable_by


def may_manage_user(actor, user):
    """Whether `actor` holds `user.manage` over `user` (the rule the services below enforce)."""
    # The one rule of who manages whom lives with the management selectors (scope `all`: everyone;
    # `unit`: the own unit and its partner agencies, never administrators or auditors).
    return users_manageable_by(actor).filter(pk=user.pk).exists()
