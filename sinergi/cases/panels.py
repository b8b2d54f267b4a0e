"""Panels that contexts above `cases` add to the case page, registered in their AppConfig.ready().

`cases` cannot import the apps that build on it, so they register a panel here: a template and a
function computing its context for one case. The function does every query of its panel, so the
template (and its tags) query nothing, and it gets the user's `CaseAccess` already computed.
"""

from collections.abc import Callable
from typing import Any

#: (user, case, access) -> the panel's context; `access` is a sinergi.cases.policies.CaseAccess.
PanelContext = Callable[[Any, Any, Any], dict]

_panels: list[tuple[str, PanelContext]] = []


def register_case_panel(template: str, context: PanelContext) -> None:
    """Show `template` on the case page with `context(user, case, access)` as `panel`."""
    if all(name != template for name, _context in _panels):
        _panels.append((template, context))


def case_panels(user, case, access) -> list[dict]:
    """The registered panels, each as {"template": ..., "context": ...}, in registration order."""
    return [{"template": name, "context": context(user, case, access)} for name, context in _panels]
