"""What the clock engine asks of the contexts above it, registered in their AppConfig.ready().

The engine keeps time for clocks whose subject is a case, but the rule of who may change a case
belongs to `sinergi.cases`. Rather than importing upwards, the engine asks through this one typed
hook; until something is registered, nobody may change a case's clock (deny by default).
"""

from collections.abc import Callable
from typing import Any

#: (user, case) -> may this user change the case (and so extend its clocks)?
CaseEditCheck = Callable[[Any, Any], bool]

_case_edit_check: CaseEditCheck | None = None


def register_case_edit_check(check: CaseEditCheck) -> None:
    global _case_edit_check
    _case_edit_check = check


def may_edit_case(user, case) -> bool:
    return _case_edit_check is not None and _case_edit_check(user, case)
