"""The routes outside the permission matrix (merged by workspace/tests/matrix_table.py): Sinergi's
and allauth's public pages, and the allauth pages a logged-in user uses for their own account.
Each says why it needs no role; test_route_inventory.py checks the public ones really are."""

from sinergi.testing.matrix import public, self_service

ROUTES = {
    # Sinergi's own public pages.
    "healthz": public("load-balancer liveness check; answers with no data"),
    "set_language": public("the language switch is on the login page too (POST, redirects back)"),
    "accounts:password_set": public(
        "the one-time set-password link a new user receives; the token is the credential",
        uidb64="MQ",
        token="bukan-token",
    ),
    # allauth: the login flow and the pages around it (no public sign-up: the adapter closes it).
    "account_login": public("the login page"),
    "account_logout": public("allauth marks it login_not_required; anonymous is sent on to the login page"),
    "account_signup": public("shows 'sign-up closed' (AccountAdapter.is_open_for_signup is False)"),
    "account_inactive": public("shown after a login attempt on a disabled account"),
    "account_confirm_login_code": public("login-by-code step of the login flow (login codes are off)"),
    "mfa_authenticate": public("the TOTP step of the login flow, before the session is logged in"),
    # Sinergi's e-mail password reset (accounts/email_reset.py): a 404, audited, until a unit turns it
    # on; then the request page answers the same for every address, and the e-mailed link's token
    # is the credential.
    "password_reset_email": public("the e-mail reset request page (404 while no unit offers it)"),
    "password_reset_email_set": public(
        "the e-mailed one-time reset link; the token is the credential", uidb64="MQ", token="bukan-token"
    ),
    # allauth's own e-mail password reset: shadowed by email_reset_not_offered (a 404, audited).
    "email_reset_not_offered": public("allauth's e-mail reset routes: not offered, a 404 and an audit event"),
    "account_reset_password": public("shadowed by Sinergi's password_reset_email"),
    "account_reset_password_done": public("shadowed: the e-mail reset is not offered"),
    "account_reset_password_from_key": public(
        "shadowed: the e-mail reset is not offered", uidb36="1", key="bukan-kunci"
    ),
    "account_reset_password_from_key_done": public("shadowed: the e-mail reset is not offered"),
    "account_email_verification_sent": public("'verification sent' page (e-mail verification is off)"),
    "account_confirm_email": public("the e-mailed verification link; the key is the credential", key="x"),
    # allauth: a logged-in user's own account (LoginRequiredMiddleware sends anonymous to the login).
    "account_reauthenticate": self_service("confirm one's own password before a sensitive action"),
    "account_request_reauthentication_code": self_service("re-authentication by code, for oneself"),
    "account_confirm_reauthentication_code": self_service("re-authentication by code, for oneself"),
    "account_email": self_service("one's own e-mail addresses"),
    "account_change_password": self_service("change one's own password"),
    "account_set_password": self_service("set one's own password (accounts without one)"),
    "mfa_index": self_service("one's own two-step verification overview ('My account')"),
    "mfa_reauthenticate": self_service("re-authentication with one's own TOTP code"),
    "mfa_activate_totp": self_service("set up one's own authenticator app"),
    "mfa_deactivate_totp": self_service("remove one's own authenticator app"),
    "mfa_view_recovery_codes": self_service("one's own recovery codes"),
    "mfa_generate_recovery_codes": self_service("new recovery codes for oneself"),
    "mfa_download_recovery_codes": self_service("download one's own recovery codes"),
    "usersessions_list": self_service("one's own sessions, and signing them out"),
}
