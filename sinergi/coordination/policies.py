"""Who may see a meeting or an action item: the per-object forms of the selectors' querysets
(a property test checks that they agree)."""

from sinergi.accounts.access import permission_scope


def can_view_meeting(user, meeting):
    """The per-object form of meetings_visible_to (a property test checks they agree)."""
    scope = permission_scope(user, "meeting.view")
    if scope is None or user.organisation_id is None:
        return False
    if scope in {"unit", "all"} and meeting.unit_id == user.organisation_id:
        return True
    return any(
        p.user_id == user.pk or p.organisation_id == user.organisation_id for p in meeting.participants.all()
    )


def can_view_action_item(user, item):
    """The per-object form of action_items_visible_to."""
    scope = permission_scope(user, "action_item.view")
    if scope is None or user.organisation_id is None:
        return False
    if item.assignee_user_id == user.pk or item.assignee_organisation_id == user.organisation_id:
        return True
    return scope in {"unit", "all"} and item.unit_id == user.organisation_id
