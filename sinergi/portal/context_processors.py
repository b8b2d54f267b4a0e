"""The "danger now" alarm on every page of the people who can open the intake queue."""

import functools

from sinergi.accounts.access import has_permission

from .alarm import untaken_alarms


def danger_alarms(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # Looked up only when a page draws the banner (not for htmx fragments), once per page.
    @functools.cache
    def alarms():
        return untaken_alarms(user)

    return {"DANGER_ALARMS": alarms, "DANGER_MAY_REGISTER": lambda: has_permission(user, "case.register")}
