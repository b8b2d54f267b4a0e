"""The permission matrix's table: every named route × every persona (and anonymous) → the status
sinergi/accounts/access_control.md implies.

`ROUTES` is the one table of every named URL of the project. Each entry is either

- `public(reason)`: reachable without logging in (the view is marked @login_not_required),
- `self_service(reason)`: an allauth page any logged-in user uses for their own account, or
- `Guarded(...)`: one or more matrix rows (`Row`), and the guard the view must carry: the
  `require_permission` it is decorated with, or (`login_only=`) why a login alone is enough.

The public and self-service entries are in matrix_routes_unguarded.py; every app's
`tests/matrix_routes*.py` adds its own routes to this table (bottom of this module).

test_route_inventory.py walks the URL resolver and fails on any route missing here, any entry
that no longer exists, and any guard the view does not really carry.

Statuses: 200 the page, 302 a redirect after a successful POST (and, for anonymous, to the login
page), 403 the role lacks the right (require_permission, audited as `access.denied`), 404 the
object is outside the user's scope (get_visible_or_404, audited as `<type>.view` denied), 405 the
route takes POST only.
"""

import datetime as dt
import importlib
import pkgutil

from django.utils import timezone

from sinergi.accounts.choices import Role
from sinergi.accounts.models import Organisation, User
from sinergi.cases.models import BreakGlassAccess
from sinergi.referrals.models import Referral
from sinergi.testing.matrix import (
    ACCESS_PANEL,
    AUDIT_READERS,
    CASE_WORKERS,
    KEPALAS,
    MANAGERS,
    OTHER_HEADS_404,
    Guarded,
    Row,
    _case_detail,
    _case_edit_route,
    _fresh,
    _post_only,
    _target_id,
    _unit_case_id,
    _url,
    public,
    statuses,
)

BREAK_GLASS_REASON = "Korban dalam bahaya dan kepala unit tidak dapat dihubungi malam ini."


def _all_staff_unit(w):
    Organisation.objects.filter(pk=w.orgs.unit.pk).update(all_staff_see_all_cases=True)


def _break_glass_granted(w):
    BreakGlassAccess.objects.create(
        case=w.unit_case,
        user=w.kepala_provinsi,
        reason=BREAK_GLASS_REASON,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )


def _referral_closed(days_ago):
    def prepare(w):
        Referral.objects.filter(pk=w.referral.pk).update(
            status="selesai", closed_at=timezone.now() - dt.timedelta(days=days_ago)
        )

    return prepare


def _target_disabled(w):
    User.objects.filter(pk=w.target.pk).update(is_active=False)


def _target_locked(w):
    User.objects.filter(pk=w.target.pk).update(locked_until=timezone.now() + dt.timedelta(hours=1))


def _partner_data(name):
    return lambda w: {
        "kind": "mitra",
        "name": name,
        "agency_type": "lsm_lplbm",
        "parent": w.orgs.unit.public_id,
        "services_offered": ["rehabilitasi_sosial"],
        "referral_grace_days": "7",
        "is_active": "on",
    }


def _user_action(name, effect, **options):
    """A POST-only user-management action on the target (a case worker of the unit)."""
    return Guarded(
        permission="user.manage",
        reauth_as="kepala",
        rows=(
            _post_only(name, _target_id),
            Row(
                url=_url(name, _target_id),
                method="post",
                expect=statuses({302: "admin kepala", 404: OTHER_HEADS_404}, default=403),
                effect=effect,
                denied="user.view",
                **options,
            ),
        ),
    )


# --- the table ------------------------------------------------------------------------------------

ROUTES = {
    # --- the matrix ---
    "home": public(
        "the front door: the public help page for anyone not logged in; a logged-in user's own work"
    ),
    "regions:options": Guarded(
        login_only="Kemendagri region names and codes for the address picker; no personal data",
        rows=(Row(url=_url("regions:options"), expect=statuses(default=200)),),
    ),
    "cases:list": Guarded(
        permission="case.view",
        rows=(
            Row(
                url=_url("cases:list"),
                expect=statuses({200: KEPALAS + " " + CASE_WORKERS}, default=403),
                shows=(
                    (lambda w: w.unit_case.pseudonym, "kepala pendamping"),
                    (lambda w: w.restricted_case.pseudonym, "kepala psikolog"),
                    (lambda w: w.other_case.pseudonym, "kepala_luar orang_luar"),
                ),
            ),
        ),
    ),
    "cases:break_glass": Guarded(
        permission="case.break_glass",
        reauth_as="kepala_provinsi",
        rows=(
            Row(url=_url("cases:break_glass"), expect=statuses({200: KEPALAS}, default=403)),
            Row(
                url=_url("cases:break_glass"),
                method="post",
                data=lambda w: {"reference": w.unit_case.registration_number, "reason": BREAK_GLASS_REASON},
                # Only the province head has the unit below; the others get the form back with an error.
                expect=statuses({302: "kepala_provinsi", 200: "kepala kepala_luar"}, default=403),
                effect=lambda w: BreakGlassAccess.objects.filter(case=w.unit_case).exists(),
                effect_for=frozenset({"kepala_provinsi"}),
            ),
        ),
    ),
    "cases:detail": Guarded(
        permission="case.view",
        rows=(
            _case_detail(
                "",
                "unit_case",
                {
                    200: "kepala pendamping",
                    404: "petugas pendamping_lain psikolog orang_luar kepala_provinsi kepala_luar",
                },
                shows=(
                    (lambda w: w.unit_case.registration_number, "kepala pendamping"),
                    (ACCESS_PANEL, "kepala pendamping"),  # case.access_log: kepala unit, pendamping team
                ),
            ),
            _case_detail(
                "restricted",
                "restricted_case",
                {
                    200: "kepala psikolog",
                    404: "petugas pendamping pendamping_lain orang_luar kepala_provinsi kepala_luar",
                },
                shows=((ACCESS_PANEL, "kepala"),),  # a psikolog has no case.access_log
            ),
            _case_detail(
                "all-staff-unit",
                "unit_case",
                {
                    200: "kepala petugas pendamping pendamping_lain psikolog",
                    404: "orang_luar kepala_provinsi kepala_luar",
                },
                prepare=_all_staff_unit,
            ),
            # Restricted stays team-and-kepala even where all staff see all unit cases.
            _case_detail(
                "restricted-in-all-staff-unit",
                "restricted_case",
                {
                    200: "kepala psikolog",
                    404: "petugas pendamping pendamping_lain orang_luar kepala_provinsi kepala_luar",
                },
                prepare=_all_staff_unit,
            ),
            _case_detail(
                "other-unit",
                "other_case",
                {
                    200: "kepala_luar orang_luar",
                    404: "kepala petugas pendamping pendamping_lain psikolog kepala_provinsi",
                },
                shows=((ACCESS_PANEL, "kepala_luar orang_luar"),),
            ),
            _case_detail(
                "break-glass-granted",
                "unit_case",
                {
                    200: "kepala pendamping kepala_provinsi",
                    404: "petugas pendamping_lain psikolog orang_luar kepala_luar",
                },
                prepare=_break_glass_granted,
            ),
            # A made-up id answers exactly like a hidden case: nothing to enumerate.
            Row(
                variant="unknown-id",
                url=_url("cases:detail", "BUKAN-ID-KASUS"),
                expect=statuses(default=404),
                denied="case.view",
            ),
        ),
    ),
    "cases:register": Guarded(
        permission="case.register",
        rows=(
            Row(
                url=_url("cases:register"),
                expect=statuses(
                    {200: "kepala petugas pendamping pendamping_lain orang_luar kepala_provinsi kepala_luar"},
                    default=403,
                ),
            ),
        ),
    ),
    "cases:edit_incident": _case_edit_route("cases:edit_incident", empty_post=200),
    # A one-victim case goes straight to its victim's incident.
    "cases:classify": Guarded(
        permission="case.edit",
        rows=(
            Row(
                url=_url("cases:classify", _unit_case_id),
                expect=statuses({302: "kepala pendamping"}, default=404),
                denied="case.view",
                denied_case=lambda w: w.unit_case,
            ),
        ),
    ),
    "cases:classify_victim": _case_edit_route(
        "cases:classify_victim", lambda w: w.unit_case_victim.public_id, empty_post=200
    ),
    "cases:consent_add": _case_edit_route("cases:consent_add", empty_post=200),
    # An empty POST is accepted here (302): it adds an unnamed victim.
    "cases:person_add": _case_edit_route("cases:person_add", "korban", empty_post=302),
    "cases:person_edit": _case_edit_route(
        "cases:person_edit", lambda w: w.unit_case_victim.public_id, empty_post=200
    ),
    "cases:document_upload": _case_edit_route("cases:document_upload"),
    "cases:document_download": Guarded(
        permission="case.view",
        rows=(
            # An unknown document of a visible case is a 404 like a hidden case: nothing to enumerate.
            Row(
                variant="unknown-id",
                url=_url("cases:document_download", _unit_case_id, "BUKAN-ID"),
                expect=statuses(default=404),
            ),
            # A download is a GET: for whoever may see cases, any other method is refused before the
            # document is looked up; the others get the refusal of a hidden case.
            Row(
                variant="unknown-id",
                method="post",
                url=_url("cases:document_download", _unit_case_id, "BUKAN-ID"),
                expect=statuses({405: f"{KEPALAS} {CASE_WORKERS}"}, default=404),
            ),
        ),
    ),
    "referrals:inbox": Guarded(
        permission="referral.inbox",
        rows=(
            Row(
                url=_url("referrals:inbox"),
                expect=statuses({200: "mitra mitra_lain"}, default=403),
                shows=((lambda w: w.unit_case.pseudonym, "mitra"),),
            ),
        ),
    ),
    "referrals:detail": Guarded(
        permission="referral.inbox",
        rows=(
            Row(
                url=_url("referrals:detail", lambda w: w.referral.public_id),
                expect=statuses({200: "mitra", 404: "mitra_lain"}, default=404),
                shows=((lambda w: w.unit_case.pseudonym, "mitra"),),
                denied="referral.view",
            ),
            Row(
                variant="closed-within-grace",
                prepare=_referral_closed(days_ago=1),
                url=_url("referrals:detail", lambda w: w.referral.public_id),
                expect=statuses({200: "mitra", 404: "mitra_lain"}, default=404),
                denied="referral.view",
            ),
            Row(
                variant="draft",
                prepare=lambda w: Referral.objects.filter(pk=w.referral.pk).update(
                    status="draft", sent_at=None
                ),
                url=_url("referrals:detail", lambda w: w.referral.public_id),
                expect=statuses({404: "mitra mitra_lain"}, default=404),
                denied="referral.view",
            ),
            Row(
                variant="closed-past-grace",
                prepare=_referral_closed(days_ago=30),
                url=_url("referrals:detail", lambda w: w.referral.public_id),
                expect=statuses({404: "mitra mitra_lain"}, default=404),
                denied="referral.view",
            ),
            # A revoked referral closes at once: no grace period for the partner.
            Row(
                variant="revoked",
                prepare=lambda w: Referral.objects.filter(pk=w.referral.pk).update(
                    status="dibatalkan", closed_at=timezone.now()
                ),
                url=_url("referrals:detail", lambda w: w.referral.public_id),
                expect=statuses({404: "mitra mitra_lain"}, default=404),
                denied="referral.view",
            ),
        ),
    ),
    "audit:list": Guarded(
        permission="audit.view",
        rows=(
            Row(
                url=_url("audit:list"),
                expect=statuses({200: AUDIT_READERS}, default=403),
                # A unit head reads the own unit's trail only; a province head not the units below.
                shows=(
                    (lambda w: w.unit_case.public_id, "admin auditor kepala"),
                    (lambda w: w.other_case.public_id, "admin auditor kepala_luar"),
                ),
            ),
        ),
    ),
    "notifications:list": Guarded(
        login_only="lists only request.user's own notifications",
        rows=(
            Row(
                url=_url("notifications:list"),
                expect=statuses(default=200),
                shows=((lambda w: w.notification.message, "kepala"),),
            ),
        ),
    ),
    "notifications:mark_all_read": Guarded(
        login_only="marks only request.user's own notifications as read",
        rows=(
            _post_only("notifications:mark_all_read"),
            Row(
                url=_url("notifications:mark_all_read"),
                method="post",
                expect=statuses(default=302),
                effect=lambda w: _fresh(w.notification).read_at is not None,
                effect_for=frozenset({"kepala"}),
            ),
        ),
    ),
    "accounts:user_list": Guarded(
        permission="user.manage",
        rows=(
            Row(
                url=_url("accounts:user_list"),
                expect=statuses({200: MANAGERS}, default=403),
                shows=((lambda w: w.target.username, "admin kepala"),),
            ),
        ),
    ),
    "accounts:user_create": Guarded(
        permission="user.manage",
        reauth_as="kepala",
        rows=(
            Row(url=_url("accounts:user_create"), expect=statuses({200: MANAGERS}, default=403)),
            Row(
                url=_url("accounts:user_create"),
                method="post",
                data=lambda w: {
                    "username": "pengguna_baru_matriks",
                    "full_name": "Pengguna Baru Matriks",
                    "organisation": w.orgs.unit.public_id,
                    "role": Role.PENDAMPING,
                },
                # 200: the link page for the managers of the unit, the form with an error for the
                # heads of other units (the unit is not among their choices).
                expect=statuses({200: MANAGERS}, default=403),
                effect=lambda w: User.objects.filter(username="pengguna_baru_matriks").exists(),
                effect_for=frozenset({"admin", "kepala"}),
            ),
        ),
    ),
    "accounts:user_detail": Guarded(
        permission="user.manage",
        rows=(
            Row(
                url=_url("accounts:user_detail", _target_id),
                expect=statuses({200: "admin kepala", 404: OTHER_HEADS_404}, default=403),
                denied="user.view",
            ),
            # Administrators and auditors placed in a unit are not its kepala's to manage.
            Row(
                variant="auditor-of-the-unit",
                url=_url("accounts:user_detail", lambda w: w.auditor.public_id),
                expect=statuses({200: "admin", 404: KEPALAS}, default=403),
                denied="user.view",
            ),
            Row(
                variant="partner-of-the-unit",
                url=_url("accounts:user_detail", lambda w: w.mitra.public_id),
                expect=statuses({200: "admin kepala", 404: OTHER_HEADS_404}, default=403),
                denied="user.view",
            ),
            Row(
                variant="partner-of-no-unit",
                url=_url("accounts:user_detail", lambda w: w.mitra_lain.public_id),
                expect=statuses({200: "admin", 404: KEPALAS}, default=403),
                denied="user.view",
            ),
            Row(
                variant="user-of-another-unit",
                url=_url("accounts:user_detail", lambda w: w.orang_luar.public_id),
                expect=statuses({200: "admin kepala_luar", 404: "kepala kepala_provinsi"}, default=403),
                denied="user.view",
            ),
            Row(
                variant="an-administrator",
                url=_url("accounts:user_detail", lambda w: w.admin.public_id),
                expect=statuses({200: "admin", 404: KEPALAS}, default=403),
                denied="user.view",
            ),
            # A user's database id is not their public id: nothing to enumerate.
            Row(
                variant="database-id",
                url=_url("accounts:user_detail", lambda w: str(w.target.pk)),
                expect=statuses({404: MANAGERS}, default=403),
                denied="user.view",
            ),
        ),
    ),
    "accounts:user_edit": Guarded(
        permission="user.manage",
        reauth_as="kepala",
        rows=(
            Row(
                url=_url("accounts:user_edit", _target_id),
                expect=statuses({200: "admin kepala", 404: OTHER_HEADS_404}, default=403),
                denied="user.view",
            ),
            Row(
                url=_url("accounts:user_edit", _target_id),
                method="post",
                data=lambda w: {"full_name": "Nama Diubah Matriks", "role": Role.PENDAMPING},
                expect=statuses({302: "admin kepala", 404: OTHER_HEADS_404}, default=403),
                effect=lambda w: _fresh(w.target).full_name == "Nama Diubah Matriks",
                denied="user.view",
            ),
        ),
    ),
    "accounts:user_disable": _user_action(
        "accounts:user_disable", effect=lambda w: not _fresh(w.target).is_active
    ),
    "accounts:user_enable": _user_action(
        "accounts:user_enable",
        variant="disabled-target",
        prepare=_target_disabled,
        effect=lambda w: _fresh(w.target).is_active,
    ),
    "accounts:user_unlock": _user_action(
        "accounts:user_unlock",
        variant="locked-target",
        prepare=_target_locked,
        effect=lambda w: _fresh(w.target).locked_until is None,
    ),
    "accounts:organisation_list": Guarded(
        # Listing is part of managing users (their organisations); editing needs organisation.manage.
        permission="user.manage",
        rows=(
            Row(
                url=_url("accounts:organisation_list"),
                expect=statuses({200: MANAGERS}, default=403),
                shows=(
                    (lambda w: w.orgs.partner.name, "admin kepala"),
                    (lambda w: w.orgs.other_partner.name, "admin"),
                ),
            ),
        ),
    ),
    "accounts:organisation_create": Guarded(
        permission="organisation.manage",
        reauth_as="admin",
        rows=(
            Row(url=_url("accounts:organisation_create"), expect=statuses({200: "admin"}, default=403)),
            Row(
                url=_url("accounts:organisation_create"),
                method="post",
                data=_partner_data("LSM Baru Matriks"),
                expect=statuses({302: "admin"}, default=403),
                effect=lambda w: Organisation.objects.filter(name="LSM Baru Matriks").exists(),
            ),
        ),
    ),
    "accounts:organisation_edit": Guarded(
        permission="organisation.manage",
        reauth_as="admin",
        rows=(
            Row(
                url=_url("accounts:organisation_edit", lambda w: w.organisation.public_id),
                expect=statuses({200: "admin"}, default=403),
            ),
            Row(
                url=_url("accounts:organisation_edit", lambda w: w.organisation.public_id),
                method="post",
                data=_partner_data("LSM Diubah Matriks"),
                expect=statuses({302: "admin"}, default=403),
                effect=lambda w: _fresh(w.organisation).name == "LSM Diubah Matriks",
            ),
        ),
    ),
}


def _app_route_modules():
    """Every `sinergi/<app>/tests/matrix_routes*.py`: the routes (and world extras) of that app."""
    import sinergi

    for app in pkgutil.iter_modules(sinergi.__path__):
        try:
            tests = importlib.import_module(f"sinergi.{app.name}.tests")
        except ModuleNotFoundError:
            continue
        for module in pkgutil.iter_modules(tests.__path__):
            if module.name.startswith("matrix_routes"):
                yield importlib.import_module(f"{tests.__name__}.{module.name}")


APP_ROUTE_MODULES = list(_app_route_modules())
for _module in APP_ROUTE_MODULES:
    _clash = ROUTES.keys() & _module.ROUTES.keys()
    assert not _clash, f"{_module.__name__} declares routes already in the table: {sorted(_clash)}"
    ROUTES.update(_module.ROUTES)
