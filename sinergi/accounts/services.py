"""Writes for user and organisation management.

Every service checks the actor's right and scope again (the view's guard is not the only one),
validates, writes and records its audit event in one transaction, and raises ValidationError
keyed by field for bad input. Disabling users, resetting MFA and unlocking live in security.py.

Accounts start without a password: the manager hands the new user a one-time set-password link
(Django's password-reset token). The token is derived from the password hash and the last login,
so it stops working as soon as a password is set or the user logs in, and it expires after
PASSWORD_RESET_TIMEOUT (three days by default).
"""

import re

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record, summarise_changes

from .access import permission_scope
from .choices import Role
from .models import CredentialReset, Organisation, User
from .selectors import organisations_manageable_by, roles_assignable_by, users_manageable_by

USERNAME_PATTERN = re.compile(r"^[a-z0-9._-]{3,150}$")

USER_EDITABLE_FIELDS = ("full_name", "role", "position", "phone", "email")
ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "agency_type",
    "unit_level",
    "parent",
    "region",
    "services_offered",
    "address",
    "phone",
    "whatsapp",
    "email",
    "opening_hours",
    "is_active",
    "all_staff_see_all_cases",
    "referral_grace_days",
    "email_password_reset",
)


# --- helpers ---------------------------------------------------------------------------------


def _require(actor, permission):
    scope = permission_scope(actor, permission)
    if scope is None:
        raise PermissionDenied
    return scope


def _collect(errors, exc, *, keep_existing=False):
    """Merge a ValidationError into {field: [messages]}.

    With keep_existing, a field that already has an error keeps only that one (the model's
    generic message would repeat it in other words).
    """
    error_dict = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for field, messages in error_dict.items():
        if keep_existing and errors.get(field):
            continue
        errors.setdefault(field, []).extend(messages)


def _raise_if(errors):
    if errors:
        raise ValidationError(errors)


def _check_role_and_organisation(actor, *, role, organisation, errors):
    """The actor's own limits; whether the role fits the organisation kind is User.clean's job."""
    if role not in Role.values:
        errors.setdefault("role", []).append(_("Choose a role from the list."))
    elif role not in roles_assignable_by(actor):
        errors.setdefault("role", []).append(_("You may not give this role."))
    if organisation is None:
        if role != Role.ADMIN_SISTEM:
            errors.setdefault("organisation", []).append(_("Choose the organisation the user works for."))
        elif permission_scope(actor, "user.manage") != "all":
            errors.setdefault("organisation", []).append(_("Choose an organisation you manage."))
    elif not organisations_manageable_by(actor).filter(pk=organisation.pk).exists():
        errors.setdefault("organisation", []).append(_("Choose an organisation you manage."))
    elif not organisation.is_active:
        errors.setdefault("organisation", []).append(_("This organisation is no longer active."))


def _check_manageable(actor, user):
    if not users_manageable_by(actor).filter(pk=user.pk).exists():
        raise PermissionDenied


def _normalise_username(username):
    return (username or "").strip().lower()


def password_link_path(user):
    """The path of a fresh one-time set-password link for `user` (not audited: callers audit)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.public_id))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_set", kwargs={"uidb64": uidb64, "token": token})


def user_for_password_link(uidb64, token):
    """The active user a set-password link is for, or None when the link is wrong or used up."""
    try:
        public_id = force_str(urlsafe_base64_decode(uidb64))
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(public_id=public_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def public_id_from_link(uidb64):
    try:
        return force_str(urlsafe_base64_decode(uidb64))[:64]
    except (ValueError, TypeError, UnicodeDecodeError):
        return ""


# --- users -----------------------------------------------------------------------------------


def user_create(*, actor, username, full_name, role, organisation, email="", position="", phone=""):
    """Create an account without a password. Returns (user, path of its set-password link)."""
    _require(actor, "user.manage")
    errors = {}
    username = _normalise_username(username)
    if not USERNAME_PATTERN.match(username):
        errors["username"] = [
            _("Use 3 to 150 characters: lowercase letters, digits, full stops, hyphens and underscores.")
        ]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is already taken.")]
    full_name = (full_name or "").strip()
    if not full_name:
        errors["full_name"] = [_("Enter the user's full name.")]
    _check_role_and_organisation(actor, role=role, organisation=organisation, errors=errors)
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        organisation=organisation,
        email=(email or "").strip(),
        position=(position or "").strip(),
        phone=(phone or "").strip(),
        is_active=True,
    )
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        _collect(errors, exc, keep_existing=True)
    _raise_if(errors)
    try:
        with transaction.atomic():
            user.save()
            audit_record(
                actor=actor,
                action="user.create",
                object_type="user",
                object_id=user.public_id,
                changes=summarise_changes(
                    {
                        "role": ("", user.role),
                        "organisation": ("", organisation.public_id if organisation else ""),
                        "full_name": ("", user.full_name),
                        "email": ("", user.email),
                        "position": ("", user.position),
                        "phone": ("", user.phone),
                    }
                ),
                details={
                    "role": user.role,
                    "organisation": organisation.public_id if organisation else "",
                },
            )
    except IntegrityError:
        # Two managers created the same username at the same moment.
        raise ValidationError({"username": [_("This username is already taken.")]}) from None
    return user, password_link_path(user)


def user_update(*, actor, user, full_name, role, position, phone, email):
    """Change a user's details and role (not the organisation). Returns the user."""
    _require(actor, "user.manage")
    _check_manageable(actor, user)
    errors = {}
    new = {
        "full_name": (full_name or "").strip(),
        "role": role,
        "position": (position or "").strip(),
        "phone": (phone or "").strip(),
        "email": (email or "").strip(),
    }
    if not new["full_name"]:
        errors["full_name"] = [_("Enter the user's full name.")]
    if role != user.role:
        if user.pk == actor.pk:
            errors["role"] = [_("You cannot change your own role; ask another manager.")]
        else:
            _check_role_and_organisation(actor, role=role, organisation=user.organisation, errors=errors)
            errors.pop("organisation", None)  # the organisation is not being changed here
    changed = {f: (getattr(user, f), v) for f, v in new.items() if getattr(user, f) != v}
    if not errors and changed:
        for field, (_old, value) in changed.items():
            setattr(user, field, value)
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            _collect(errors, exc)
    if errors:
        user.refresh_from_db(fields=list(USER_EDITABLE_FIELDS))
        raise ValidationError(errors)
    if not changed:
        return user
    with transaction.atomic():
        user.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            action="user.update",
            object_type="user",
            object_id=user.public_id,
            changes=summarise_changes(changed),
        )
    return user


def user_password_link(*, actor, user):
    """A new one-time set-password link for an account that has no password yet. Returns its path.

    The earlier link is voided as well (a new unusable password changes the hash the token is
    built on), so a lost or leaked first link is harmless. An account with a password is reset
    by two people (sinergi.accounts.resets).
    """
    _require(actor, "user.manage")
    _check_manageable(actor, user)
    if not user.is_active:
        raise ValidationError({NON_FIELD_ERRORS: [_("This account is disabled: it cannot get a link.")]})
    if user.has_usable_password():
        # Taking over an account in use needs a second person (sinergi.accounts.resets).
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("This account has a password: its reset needs a second person's approval.")
                ]
            }
        )
    first_password = True
    with transaction.atomic():
        if first_password:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        audit_record(
            actor=actor,
            action="user.password_link",
            object_type="user",
            object_id=user.public_id,
            details={"first_password": first_password},
        )
    return password_link_path(user)


def user_password_set(*, uidb64, token, password):
    """Set the password through a one-time link. Returns the user.

    The token is checked again under a write lock, so one link cannot be used twice even by two
    requests at the same moment.
    """
    user = user_for_password_link(uidb64, token)
    if user is None:
        raise ValidationError({NON_FIELD_ERRORS: [_("This link is invalid, expired or already used.")]})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active or not default_token_generator.check_token(user, token):
            raise ValidationError({NON_FIELD_ERRORS: [_("This link is invalid, expired or already used.")]})
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"new_password1": exc.messages}) from None
        user.set_password(password)
        user.save(update_fields=["password"])
        reset = (
            CredentialReset.objects.select_for_update(of=("self",))
            .filter(
                user=user, kind=CredentialReset.Kind.PASSWORD, approved_at__isnull=False, used_at__isnull=True
            )
            .select_related("approved_by", "requested_by")
            .order_by("-approved_at")
            .first()
        )
        if reset is None:
            # A first password: the link stands in for the user's login, the event is theirs.
            audit_record(actor=user, action="user.password_set", object_type="user", object_id=user.public_id)
        else:
            # A reset's link: whoever holds it could have typed the password, so the event names
            # the person who issued it (the approver), not the owner.
            reset.used_at = timezone.now()
            reset.save(update_fields=["used_at"])
            audit_record(
                actor=reset.approved_by,
                action="user.password_set",
                object_type="user",
                object_id=user.public_id,
                details={
                    "reset": reset.public_id,
                    "requested_by": reset.requested_by.public_id,
                    "set_through_link": True,
                },
            )
    return user


def password_link_refused(*, uidb64):
    """Record a visit to a wrong, expired or used set-password link."""
    audit_record(
        actor=None,
        action="user.password_set",
        outcome=Outcome.DENIED,
        object_type="user",
        object_id=public_id_from_link(uidb64),
        details={"reason": "invalid_link"},
    )


# --- organisations ---------------------------------------------------------------------------


def _organisation_validate(organisation, *, exclude_pk=None):
    errors = {}
    duplicate = Organisation.objects.filter(kind=organisation.kind, name__iexact=organisation.name.strip())
    if exclude_pk:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if organisation.name.strip() and duplicate.exists():
        errors["name"] = [_("Another organisation of this kind already has this name.")]
    try:
        organisation.full_clean()
    except ValidationError as exc:
        _collect(errors, exc)
    if "name" in errors and NON_FIELD_ERRORS in errors:
        # The unique (kind, name) constraint repeats the name error without a field.
        errors.pop(NON_FIELD_ERRORS)
    return errors


def _organisation_snapshot(organisation):
    values = {f: getattr(organisation, f) for f in ORGANISATION_FIELDS}
    values["parent"] = organisation.parent.public_id if organisation.parent_id else ""
    values["region"] = organisation.region_id or ""
    values["services_offered"] = sorted(organisation.services_offered or [])
    return values


def organisation_create(
    *,
    actor,
    kind,
    name,
    agency_type,
    short_name="",
    unit_level="",
    parent=None,
    region=None,
    services_offered=(),
    address="",
    phone="",
    whatsapp="",
    email="",
    opening_hours="",
    is_active=True,
    all_staff_see_all_cases=False,
    referral_grace_days=7,
    email_password_reset=False,
):
    if _require(actor, "organisation.manage") != "all":
        raise PermissionDenied
    organisation = Organisation(
        kind=kind,
        name=(name or "").strip(),
        short_name=(short_name or "").strip(),
        agency_type=agency_type,
        unit_level=unit_level or "",
        parent=parent,
        region=region,
        services_offered=[str(s) for s in services_offered or []],
        address=(address or "").strip(),
        phone=(phone or "").strip(),
        whatsapp=(whatsapp or "").strip(),
        email=(email or "").strip(),
        opening_hours=(opening_hours or "").strip(),
        is_active=is_active,
        all_staff_see_all_cases=all_staff_see_all_cases,
        referral_grace_days=referral_grace_days,
        email_password_reset=email_password_reset,
    )
    _raise_if(_organisation_validate(organisation))
    with transaction.atomic():
        organisation.save()
        after = _organisation_snapshot(organisation)
        audit_record(
            actor=actor,
            action="organisation.create",
            object_type="organisation",
            object_id=organisation.public_id,
            changes=summarise_changes(
                {"kind": ("", organisation.kind), **{f: ("", v) for f, v in after.items()}}
            ),
            details={"kind": organisation.kind},
        )
    return organisation


def organisation_update(*, actor, organisation, **fields):
    """Change an organisation; its kind stays (users' roles and cases depend on it)."""
    if _require(actor, "organisation.manage") != "all":
        raise PermissionDenied
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update() got unexpected fields: {sorted(unknown)}")
    before = _organisation_snapshot(organisation)
    for field, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if field == "services_offered":
            value = [str(s) for s in value or []]
        if field == "unit_level":
            value = value or ""
        setattr(organisation, field, value)
    errors = _organisation_validate(organisation, exclude_pk=organisation.pk)
    if errors:
        organisation.refresh_from_db()
        raise ValidationError(errors)
    after = _organisation_snapshot(organisation)
    changed = {f: (before[f], after[f]) for f in ORGANISATION_FIELDS if before[f] != after[f]}
    if not changed:
        return organisation
    with transaction.atomic():
        organisation.save()
        audit_record(
            actor=actor,
            action="organisation.update",
            object_type="organisation",
            object_id=organisation.public_id,
            changes=summarise_changes(changed),
            details={"kind": organisation.kind},
        )
    return organisation
