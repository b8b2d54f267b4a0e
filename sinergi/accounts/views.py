"""User and organisation management (/pengaturan/) and the public set-password page.

Thin views: forms check the shape of the input, services decide and write, selectors fetch
within the actor's scope (another unit's user is a 404). Every state-changing view asks for a
recent re-authentication.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.guards import get_visible_or_404, require_permission
from sinergi.core.forms import add_service_errors
from sinergi.core.net import client_address

from . import email_reset, resets, selectors, services
from .access import has_permission
from .forms import OrganisationForm, PasswordResetEmailForm, UserCreateForm, UserEditForm, UserFilterForm
from .models import CredentialReset
from .security import reauth_required, user_disable, user_enable, user_unlock

USERS_PER_PAGE = 50


def _get_user(request, public_id):
    return get_visible_or_404(
        request, selectors.users_manageable_by(request.user), object_type="user", public_id=public_id
    )


def _get_organisation(request, public_id):
    return get_visible_or_404(
        request,
        selectors.organisations_manageable_by(request.user),
        object_type="organisation",
        public_id=public_id,
    )


def _link_validity_days():
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))


def _show_link(request, user, path, *, created):
    """The one page that shows a set-password link: the response to the POST, never stored."""
    return render(
        request,
        "accounts/user_link.html",
        {
            "managed": user,
            "link": request.build_absolute_uri(path),
            "created": created,
            "valid_days": _link_validity_days(),
        },
    )


# --- users -----------------------------------------------------------------------------------


@require_permission("user.manage")
def user_list(request):
    form = UserFilterForm(request.GET or None, actor=request.user)
    users = selectors.user_list(actor=request.user, **form.filters())
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_permission("user.manage")
def user_detail(request, public_id):
    managed = _get_user(request, public_id)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "managed": managed,
            "is_locked": selectors.user_is_locked(managed),
            "has_mfa": selectors.user_has_mfa(managed),
            "session_count": selectors.user_active_session_count(managed),
            "has_password": managed.has_usable_password(),
            "is_self": managed.pk == request.user.pk,
            "pending_resets": [
                {"reset": r, "may_approve": resets.may_approve(request.user, r)}
                for r in resets.pending_resets(managed)
            ],
        },
    )


def _reset_request(request, managed, kind):
    try:
        resets.reset_request(actor=request.user, user=managed, kind=kind)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "The reset is asked for. A second person (the unit's head or another administrator) "
                "approves it on this page; until then nothing changes."
            ),
        )
    return redirect("accounts:user_detail", public_id=managed.public_id)


@require_POST
@require_permission("user.manage")
@reauth_required
def user_reset_approve(request, public_id, reset_id):
    managed = _get_user(request, public_id)
    reset = get_visible_or_404(
        request,
        resets.resets_of(managed),
        object_type="credential_reset",
        public_id=reset_id,
    )
    try:
        path = resets.reset_approve(actor=request.user, reset=reset)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("accounts:user_detail", public_id=managed.public_id)
    if path is None:
        messages.success(
            request, _("Two-step verification was reset: the user sets it up again at the next login.")
        )
        return redirect("accounts:user_detail", public_id=managed.public_id)
    return _show_link(request, managed, path, created=False)


@require_permission("user.manage")
@reauth_required
def user_create(request):
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user, path = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _show_link(request, user, path, created=True)
    return render(request, "accounts/user_form.html", {"form": form, "valid_days": _link_validity_days()})


@require_permission("user.manage")
@reauth_required
def user_edit(request, public_id):
    managed = _get_user(request, public_id)
    form = UserEditForm(request.POST or None, actor=request.user, user=managed)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=managed, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The user's details were saved."))
            return redirect("accounts:user_detail", public_id=managed.public_id)
    return render(request, "accounts/user_form.html", {"form": form, "managed": managed})


@require_POST
@require_permission("user.manage")
@reauth_required
def user_password_link(request, public_id):
    managed = _get_user(request, public_id)
    if managed.has_usable_password():
        return _reset_request(request, managed, CredentialReset.Kind.PASSWORD)
    try:
        path = services.user_password_link(actor=request.user, user=managed)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("accounts:user_detail", public_id=managed.public_id)
    return _show_link(request, managed, path, created=False)


@require_POST
@require_permission("user.manage")
@reauth_required
def user_disable_view(request, public_id):
    managed = _get_user(request, public_id)
    if managed.is_active:
        try:
            user_disable(actor=request.user, user=managed)
        except ValidationError as exc:  # e.g. one's own account
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The account was disabled and its sessions were ended."))
    return redirect("accounts:user_detail", public_id=managed.public_id)


@require_POST
@require_permission("user.manage")
@reauth_required
def user_enable_view(request, public_id):
    managed = _get_user(request, public_id)
    if not managed.is_active:
        user_enable(actor=request.user, user=managed)
        messages.success(request, _("The account was enabled again."))
    return redirect("accounts:user_detail", public_id=managed.public_id)


@require_POST
@require_permission("user.manage")
@reauth_required
def user_mfa_reset(request, public_id):
    managed = _get_user(request, public_id)
    return _reset_request(request, managed, CredentialReset.Kind.MFA)


@require_POST
@require_permission("user.manage")
@reauth_required
def user_unlock_view(request, public_id):
    managed = _get_user(request, public_id)
    user_unlock(actor=request.user, user=managed)
    messages.success(request, _("The account was unlocked."))
    return redirect("accounts:user_detail", public_id=managed.public_id)


# --- organisations ---------------------------------------------------------------------------


@require_permission("user.manage")
def organisation_list(request):
    organisations = list(
        selectors.organisations_manageable_by(request.user).select_related("parent", "region")
    )
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "units": selectors.units_tree(organisations),
            "partners": [o for o in organisations if not o.is_service_unit],
            "can_edit": has_permission(request.user, "organisation.manage"),
        },
    )


@require_permission("organisation.manage")
@reauth_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The organisation was created."))
            return redirect("accounts:organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form})


@require_permission("organisation.manage")
@reauth_required
def organisation_edit(request, public_id):
    organisation = _get_organisation(request, public_id)
    form = OrganisationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("accounts:organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


# --- the public set-password page ------------------------------------------------------------

#: The token travels in the link only once: the first request moves it into the session and
#: redirects to this placeholder, so the page (and its form) never has the token in its URL.
PASSWORD_SET_URL_TOKEN = "atur"  # noqa: S105 - a URL placeholder, not a secret
PASSWORD_SET_SESSION_KEY = "_sinergi_password_set_token"  # noqa: S105 - a session key name


def _no_referrer(response):
    # The response's URL holds the token: no request that follows may pass it on in a Referer.
    # (Only on responses that are not forms: under no-referrer browsers send `Origin: null` with a
    # POST, which the CSRF check rightly refuses.)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _password_set_flow(request, uidb64, token, *, url_name, find, set_password, refuse):
    """The set-password page behind a one-time link: the token moves into the session on the
    first request, the form is shown and sent on a URL without it. `find(uidb64, token)` gives
    the account or None, `set_password(uidb64=, token=, password=)` writes and audits,
    `refuse(uidb64)` audits a wrong link."""
    if token != PASSWORD_SET_URL_TOKEN:
        if find(uidb64, token) is None:
            refuse(uidb64)
            return _no_referrer(render(request, "accounts/password_set_invalid.html", status=404))
        request.session[PASSWORD_SET_SESSION_KEY] = token
        return _no_referrer(redirect(url_name, uidb64=uidb64, token=PASSWORD_SET_URL_TOKEN))

    token = request.session.get(PASSWORD_SET_SESSION_KEY, "")
    user = find(uidb64, token)
    if user is None:
        refuse(uidb64)
        return _no_referrer(render(request, "accounts/password_set_invalid.html", status=404))
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            set_password(uidb64=uidb64, token=token, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session.pop(PASSWORD_SET_SESSION_KEY, None)
            messages.success(request, _("Your password is set. You can now log in."))
            return redirect("account_login")
    return render(request, "accounts/password_set.html", {"form": form, "account": user})


@login_not_required
def password_set(request, uidb64, token):
    return _password_set_flow(
        request,
        uidb64,
        token,
        url_name="accounts:password_set",
        find=services.user_for_password_link,
        set_password=services.user_password_set,
        refuse=lambda uidb64: services.password_link_refused(uidb64=uidb64),
    )


@login_not_required
def email_reset_not_offered(request, **kwargs):
    """allauth's own e-mail reset routes, and Sinergi's while no unit offers the reset
    (sinergi/accounts/email_reset.py): every try is audited and answered like any unknown page."""
    email_reset.password_reset_not_offered(path=request.path)
    raise Http404


@login_not_required
def password_reset_email(request):
    """The reset request page: the same answer for every address (no account enumeration)."""
    if not email_reset.email_reset_offered():
        return email_reset_not_offered(request)
    form = PasswordResetEmailForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            email_reset.password_reset_invalid_request()
        elif email_reset.password_reset_email_request(
            email=form.cleaned_data["email"],
            client=client_address(request),
            base_url=_site_base(request),
        ):
            return render(
                request,
                "accounts/password_reset_email_done.html",
                {"valid_minutes": email_reset.validity_minutes()},
            )
        else:
            form.add_error(None, _("Too many reset requests. Wait a few minutes and try again."))
            return render(request, "accounts/password_reset_email.html", {"form": form}, status=429)
    return render(request, "accounts/password_reset_email.html", {"form": form})


def _site_base(request):
    # The installation's own origin when configured: a forged Host header cannot steer the link.
    origins = getattr(settings, "CSRF_TRUSTED_ORIGINS", None)
    return origins[0] if origins else request.build_absolute_uri("/")


@login_not_required
def password_reset_email_set(request, uidb64, token):
    if not email_reset.email_reset_offered():
        return email_reset_not_offered(request)
    return _password_set_flow(
        request,
        uidb64,
        token,
        url_name="password_reset_email_set",
        find=email_reset.user_for_reset_link,
        set_password=email_reset.password_reset_email_set,
        refuse=lambda uidb64: email_reset.reset_link_refused(public_id=services.public_id_from_link(uidb64)),
    )
