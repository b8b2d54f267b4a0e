from django.conf import settings

from .access import all_permissions, has_permission


def sinergi(request):
    user = getattr(request, "user", None)
    can = {}
    if user is not None and user.is_authenticated:
        # {"case.view": True, ...}; templates read it as CAN|get:"case.view" or via the nav flags.
        can = {perm: has_permission(user, perm) for perm in all_permissions()}
    return {
        "SITE_NAME": settings.SINERGI_SITE_NAME,
        "DEMO_MODE": settings.DEMO,
        "NAV_CASES": can.get("case.view", False),
        "NAV_REFERRALS": can.get("referral.inbox", False),
        "NAV_AUDIT": can.get("audit.view", False),
    }
