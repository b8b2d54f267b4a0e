"""Reads for user and organisation management: every query starts from the user who asks.

Scopes follow access_control.md (`user.manage`, `organisation.manage`):

- `all` (admin_sistem): every user and organisation of the installation.
- `unit` (kepala_uptd): the own unit and the partner agencies that work with it (their `parent`
  is the unit). A kepala never manages system administrators or auditors, not even those placed
  in the unit: the people who oversee the unit must not be switched off by it.
- anyone else: nothing.
"""

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .access import permission_scope
from .choices import OrganisationKind, Role
from .models import Organisation, User

#: Roles only a manager with scope `all` may give, see or act on.
ROLES_RESERVED_FOR_ALL_SCOPE = frozenset({Role.ADMIN_SISTEM, Role.AUDITOR})


def _management_scope(user):
    scopes = {permission_scope(user, "user.manage"), permission_scope(user, "organisation.manage")}
    if "all" in scopes:
        return "all"
    if permission_scope(user, "user.manage") == "unit" and getattr(user, "organisation_id", None):
        return "unit"
    return None


def _unit_rule(user, prefix=""):
    """Q for the own organisation and the partner agencies whose parent it is."""
    return Q(**{f"{prefix}pk": user.organisation_id}) | Q(
        **{f"{prefix}kind": OrganisationKind.PARTNER, f"{prefix}parent_id": user.organisation_id}
    )


def organisations_manageable_by(user):
    """Organisations in which `user` may manage accounts (and, with organisation.manage, edit)."""
    scope = _management_scope(user)
    if scope == "all":
        return Organisation.objects.all()
    if scope == "unit":
        return Organisation.objects.filter(_unit_rule(user))
    return Organisation.objects.none()


def users_manageable_by(user):
    scope = _management_scope(user)
    if scope == "all":
        return User.objects.all()
    if scope == "unit":
        return User.objects.filter(_unit_rule(user, prefix="organisation__")).exclude(
            role__in=ROLES_RESERVED_FOR_ALL_SCOPE
        )
    return User.objects.none()


def roles_assignable_by(user):
    """Role codes `user` may give to an account (the organisation kind narrows them further)."""
    scope = _management_scope(user)
    if scope == "all":
        return list(Role.values)
    if scope == "unit":
        return [r for r in Role.values if r not in ROLES_RESERVED_FOR_ALL_SCOPE]
    return []


def user_list(*, actor, organisation=None, role="", active=None, locked=None, query=""):
    """The users list: manageable users with their organisation and a `is_locked` flag.

    The cost is fixed whatever the number of rows: the organisation is joined and the lock state
    is a subquery, so the page runs the same queries for 3 users as for 300.
    """
    users = users_manageable_by(actor).select_related("organisation")
    users = users.annotate(is_locked=Exists(locked_users().filter(pk=OuterRef("pk"))))
    if organisation is not None:
        users = users.filter(organisation=organisation)
    if role:
        users = users.filter(role=role)
    if active is not None:
        users = users.filter(is_active=active)
    if locked is not None:
        users = users.filter(is_locked=locked)
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return users.order_by("username")


def user_is_locked(user):
    return locked_users().filter(pk=user.pk).exists()


def user_has_mfa(user):
    """True when the user has a second factor (TOTP); recovery codes alone are not one."""

    return Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.RECOVERY_CODES).exists()


def user_active_session_count(user):
    """Sessions of `user` that could still be used to act as them."""

    sessions = UserSession.objects.filter(user=user)
    if settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }:
        live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        sessions = sessions.filter(session_key__in=live)
    return sessions.count()


def units_tree(organisations):
    """[(unit, depth)] in tree order (parents before their children), for indented lists.

    Takes an already-fetched collection, so drawing the tree costs no query per unit. Units whose
    parent is not in the collection start a tree of their own.
    """
    units = [o for o in organisations if o.kind == OrganisationKind.SERVICE_UNIT]
    present = {u.pk for u in units}
    children = {}
    for unit in units:
        key = unit.parent_id if unit.parent_id in present else None
        children.setdefault(key, []).append(unit)
    ordered, seen = [], set()

    def walk(parent_id, depth):
        for unit in sorted(children.get(parent_id, []), key=lambda u: u.name.lower()):
            if unit.pk in seen:  # a cycle cannot be saved, but a list must never loop
                continue
            seen.add(unit.pk)
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    # A cycle cannot be saved (Organisation.clean), but should one exist the list still shows it.
    ordered.extend((u, 0) for u in units if u.pk not in seen)
    return ordered


def locked_users(actor=None):
    """Accounts locked right now, soonest unlock first; `actor` limits them to those the actor may
    manage (None: every account, for commands and the system)."""
    users = User.objects.all() if actor is None else users_manageable_by(actor)
    users = users.filter(locked_until__gt=timezone.now()).select_related("organisation")
    return users.order_by("locked_until", "username")


def name_people(events):
    """Give each audit event `actor_name` (the person's full name and position, as people are
    shown to each other; the username only when the account is gone) and `role_label` (the role's
    readable name instead of its code). One query for all of them."""
    events = list(events)
    ids = {e.actor_id for e in events if e.actor_id}
    people = {u.pk: u for u in User.objects.filter(pk__in=ids)} if ids else {}
    roles = dict(Role.choices)
    for event in events:
        person = people.get(event.actor_id)
        event.actor_name = person.name_and_position if person else event.actor_username
        event.role_label = roles.get(event.role, event.role)
    return events
